"""rebook: plan held stock again by priority, and turn the plan into as few changes as possible."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Allocation, Lot, ValidationError
from orderbook.allocation import Demand, rebook

TODAY = dt.date(2027, 3, 1)
UTC = dt.UTC


def hold(allocation_id, order_id, quantity, lot_id="shelf", *, line_id="l1", hour=9):
    return Allocation(
        id=allocation_id, order_id=order_id, line_id=line_id, lot_id=lot_id, sku="TEA",
        quantity=quantity, at=dt.datetime(2027, 2, 1, hour, tzinfo=UTC),
    )  # fmt: skip


def want(order_id, quantity, priority=0, line_id="l1"):
    return Demand(
        line_id=line_id, order_id=order_id, sku="TEA", quantity=quantity, priority=priority
    )


def test_a_higher_priority_takes_the_newest_allocations_of_a_lower_one_first():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    older, newer = hold("a1", "o1", 5, hour=9), hold("a2", "o1", 5, hour=10)
    moves = rebook(
        [want("o1", 10), want("o2", 3, priority=5)], [shelf], held=[older, newer], as_of=TODAY
    )
    assert moves.kept == (older, hold("a2", "o1", 2, hour=10))
    assert moves.released == (hold("a2", "o1", 3, hour=10),)
    assert [(f.order_id, f.quantity) for f in moves.added] == [("o2", Decimal(3))]
    assert moves.moved


def test_an_allocation_whose_quantity_of_a_lot_stays_is_not_touched():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    mine = hold("a1", "o1", 4)
    moves = rebook([want("o1", 4), want("o2", 6, priority=5)], [shelf], held=[mine], as_of=TODAY)
    assert moves.kept[0] is mine
    assert moves.released == ()
    assert [(f.order_id, f.lot_id, f.quantity) for f in moves.added] == [
        ("o2", "shelf", Decimal(6))
    ]


def test_a_line_that_gets_more_of_a_lot_adds_an_allocation_beside_the_old_one():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    mine = hold("a1", "o1", 4)
    moves = rebook([want("o1", 7)], [shelf], held=[mine], as_of=TODAY)
    assert moves.kept == (mine,)
    assert [(f.line_id, f.quantity) for f in moves.added] == [("l1", Decimal(3))]


def test_holds_of_lines_with_no_demand_or_on_lots_not_given_go():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    stray = hold("a1", "o9", 2)
    lost = hold("a2", "o1", 2, lot_id="gone")
    moves = rebook([want("o1", 2)], [shelf], held=[stray, lost], as_of=TODAY)
    assert moves.kept == ()
    assert moves.released == (stray, lost)
    assert [(f.order_id, f.lot_id, f.quantity) for f in moves.added] == [
        ("o1", "shelf", Decimal(2))
    ]


def test_allocations_that_stay_are_taken_off_the_lots_first():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    mine = hold("a1", "o1", 5)
    other = hold("x1", "o9", 6)
    moves = rebook(
        [want("o1", 5)], [shelf], held=[mine], existing=[other, mine], as_of=TODAY
    )  # mine is left out of existing: it is held
    assert moves.kept == (hold("a1", "o1", 4),)
    assert moves.plan.shortfalls() == {("o1", "l1"): Decimal(1)}


def test_bad_input_is_refused_naming_the_field():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    with pytest.raises(ValidationError, match="held"):
        rebook([], [shelf], held=[hold("a1", "o1", 1), hold("a1", "o2", 1)], as_of=TODAY)
    with pytest.raises(ValidationError, match="held"):
        rebook([], [shelf], held=["a1"], as_of=TODAY)
    with pytest.raises(ValidationError, match="demands"):
        rebook(["l1"], [shelf], held=[], as_of=TODAY)
    with pytest.raises(ValidationError, match="objective"):
        rebook([], [shelf], held=[], as_of=TODAY, objective="fastest")


@st.composite
def situations(draw):
    lots = [Lot(id=f"lot{j}", sku="TEA", quantity=draw(st.integers(0, 8))) for j in range(3)]
    demands, held = [], []
    for i in range(draw(st.integers(0, 5))):
        order_id = f"o{i}"
        demands.append(want(order_id, draw(st.integers(0, 8)), draw(st.integers(0, 2))))
        for j, lot in enumerate(lots):
            if draw(st.booleans()):
                quantity = draw(st.integers(1, 4))
                held.append(
                    hold(f"h{i}{j}", order_id, quantity, lot.id, hour=draw(st.integers(0, 23)))
                )
    return demands, lots, held


@settings(max_examples=150, deadline=None)
@given(situations(), st.sampled_from(["greedy", "max_served"]))
def test_what_is_kept_and_added_is_the_new_plan_and_nothing_is_lost_on_the_way(situation, goal):
    demands, lots, held = situation
    moves = rebook(demands, lots, held=held, as_of=TODAY, objective=goal)

    def by_key(pairs):
        totals = {}
        for key, quantity in pairs:
            totals[key] = totals.get(key, Decimal(0)) + quantity
        return totals

    after = by_key(
        [((a.order_id, a.lot_id), a.quantity) for a in moves.kept]
        + [((f.order_id, f.lot_id), f.quantity) for f in moves.added]
    )
    planned = by_key([((f.order_id, f.lot_id), f.quantity) for f in moves.plan.fills])
    assert after == planned
    # every held allocation is kept, shrunk or released, and the parts add up
    kept = {a.id: a.quantity for a in moves.kept}
    gone = by_key([(a.id, a.quantity) for a in moves.released])
    for allocation in held:
        assert kept.get(allocation.id, 0) + gone.get(allocation.id, 0) == allocation.quantity
    # one that keeps its quantity is the very value given
    unchanged = {a.id for a in held if kept.get(a.id) == a.quantity}
    assert all(a in held for a in moves.kept if a.id in unchanged)
    for lot in lots:
        assert after_on(lot.id, moves) <= lot.quantity


def after_on(lot_id, moves):
    return sum((a.quantity for a in moves.kept if a.lot_id == lot_id), Decimal(0)) + sum(
        (f.quantity for f in moves.added if f.lot_id == lot_id), Decimal(0)
    )
