"""The invariants of allocation, in both modes, over generated demands, lots and holdings."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Allocation, Lot
from orderbook.allocation import Demand, allocate, best_available

TODAY = dt.date(2027, 3, 1)
MODES = ["greedy", "max_served"]


def days(low=0, high=4):
    return st.integers(low, high).map(lambda n: TODAY + dt.timedelta(days=n))


def amounts(high=6, places=True):
    whole = st.integers(0, high).map(Decimal)
    if not places:
        return whole
    return whole | st.decimals(min_value=0, max_value=high, places=1)


@st.composite
def problems(draw, *, max_demands=6, max_lots=5, fractional=True, high=6):
    n_lots = draw(st.integers(0, max_lots))
    lots = []
    for j in range(n_lots):
        expected = draw(st.booleans())
        lots.append(
            Lot(
                id=f"lot{j}",
                sku=draw(st.sampled_from("AB")),
                quantity=draw(amounts(high, fractional)),
                source="purchase" if expected else "on_hand",
                available_on=draw(st.none() | days()) if expected else None,
                expires_on=draw(st.none() | days(-1, 3)),
            )
        )
    existing = []
    for j, lot in enumerate(lots):
        if draw(st.booleans()) and lot.quantity > 0:
            held = draw(st.decimals(min_value=0, max_value=lot.quantity, places=1))
            if held > 0:
                existing.append(
                    Allocation(
                        id=f"held{j}", order_id="old", line_id=f"old{j}", lot_id=lot.id,
                        sku=lot.sku, quantity=held,
                    )
                )  # fmt: skip
    demands = [
        Demand(
            line_id=f"line{i}",
            order_id=f"order{draw(st.integers(0, 2))}",
            sku=draw(st.sampled_from("AB")),
            quantity=draw(amounts(high, fractional)),
            due_on=draw(st.none() | days()),
            priority=draw(st.integers(0, 2)),
        )
        for i in range(draw(st.integers(0, max_demands)))
    ]
    return demands, lots, existing


def _fills_of(plan, line_id):
    return sum((f.quantity for f in plan.fills if f.line_id == line_id), Decimal(0))


@settings(max_examples=100, deadline=None)
@given(problems(), st.sampled_from(MODES), st.booleans())
def test_no_lot_is_ever_allocated_beyond_its_quantity(problem, objective, partial):
    demands, lots, existing = problem
    if objective == "max_served":
        partial = True
    plan = allocate(
        demands, lots, as_of=TODAY, existing=existing, objective=objective, partial=partial
    )
    for lot in lots:
        held = sum((a.quantity for a in existing if a.lot_id == lot.id), Decimal(0))
        new = sum((f.quantity for f in plan.fills if f.lot_id == lot.id), Decimal(0))
        assert held + new <= lot.quantity
        assert plan.remaining(lot.id) == lot.quantity - held - new


@settings(max_examples=100, deadline=None)
@given(problems(), st.sampled_from(MODES))
def test_every_fill_is_for_the_demanded_product_and_every_demand_adds_up(problem, objective):
    demands, lots, existing = problem
    plan = allocate(demands, lots, as_of=TODAY, existing=existing, objective=objective)
    skus = {lot.id: lot.sku for lot in lots}
    wanted = {d.line_id: d for d in demands}
    for fill in plan.fills:
        assert fill.sku == wanted[fill.line_id].sku == skus[fill.lot_id]
        assert fill.quantity > 0
    for d in demands:
        assert plan.allocated(d.line_id) + plan.shortfall(d.line_id) == d.quantity
        assert plan.allocated(d.line_id) == _fills_of(plan, d.line_id)
        assert plan.shortfall(d.line_id) >= 0


@settings(max_examples=100, deadline=None)
@given(problems(), st.sampled_from(MODES), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_plan(problem, objective, rng):
    demands, lots, existing = problem
    first = allocate(demands, lots, as_of=TODAY, existing=existing, objective=objective)
    rng.shuffle(demands)
    rng.shuffle(lots)
    again = allocate(demands, lots, as_of=TODAY, existing=existing, objective=objective)
    assert again.fills == first.fills
    assert again.shortfalls() == first.shortfalls()


def _usable(lot, demand):
    return (
        lot.sku == demand.sku
        and not best_available.late(lot, demand)
        and not best_available.expired(lot, TODAY)
    )


@settings(max_examples=100, deadline=None)
@given(problems())
def test_greedy_never_leaves_a_higher_priority_short_while_a_lower_one_got_usable_stock(problem):
    demands, lots, existing = problem
    plan = allocate(demands, lots, as_of=TODAY, existing=existing)
    by_id = {lot.id: lot for lot in lots}
    for high in demands:
        if not plan.shortfall(high.line_id):
            continue
        for low in demands:
            if low.priority >= high.priority:
                continue
            for fill in plan.fills_for(low.line_id):
                assert not _usable(by_id[fill.lot_id], high)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_max_served_serves_at_least_as_much_and_keeps_greedy_full_lines_whole(problem):
    demands, lots, existing = problem
    greedy = allocate(demands, lots, as_of=TODAY, existing=existing)
    best = allocate(demands, lots, as_of=TODAY, existing=existing, objective="max_served")
    assert best.served >= greedy.served
    for d in demands:
        if greedy.allocated(d.line_id) == d.quantity:
            assert best.allocated(d.line_id) == d.quantity


def _brute_force_optimum(demands, lots):
    """The most any assignment serves, by trying every whole-unit assignment."""
    cells = [(d, lot) for d in demands for lot in lots if _usable(lot, d)]
    ranges = [range(int(min(d.quantity, lot.quantity)) + 1) for d, lot in cells]
    best = 0
    for combo in itertools.product(*ranges):
        per_demand, per_lot = {}, {}
        for (d, lot), quantity in zip(cells, combo, strict=True):
            per_demand[d.line_id] = per_demand.get(d.line_id, 0) + quantity
            per_lot[lot.id] = per_lot.get(lot.id, 0) + quantity
        if all(per_demand.get(d.line_id, 0) <= d.quantity for d in demands) and all(
            per_lot.get(lot.id, 0) <= lot.quantity for lot in lots
        ):
            best = max(best, sum(combo))
    return best


@settings(max_examples=120, deadline=None)
@given(problems(max_demands=3, max_lots=3, fractional=False, high=3))
def test_max_served_equals_a_brute_force_optimum_on_small_inputs(problem):
    demands, lots, _ = problem
    best = allocate(demands, lots, as_of=TODAY, objective="max_served")
    assert best.served == _brute_force_optimum(demands, lots)


def test_max_served_serves_a_demand_that_greedy_leaves_short():
    early = Lot(id="early", sku="A", quantity=5, source="purchase", available_on=TODAY)
    late = Lot(
        id="late", sku="A", quantity=5, source="purchase", available_on=TODAY + dt.timedelta(9)
    )
    urgent = Demand(line_id="urgent", order_id="o2", sku="A", quantity=5, due_on=TODAY)
    relaxed = Demand(
        line_id="relaxed", order_id="o1", sku="A", quantity=5, priority=1,
        due_on=TODAY + dt.timedelta(30),
    )  # fmt: skip
    greedy = allocate([urgent, relaxed], [early, late], as_of=TODAY)
    assert greedy.shortfalls() == {("o2", "urgent"): Decimal(5)}
    best = allocate([urgent, relaxed], [early, late], as_of=TODAY, objective="max_served")
    assert best.shortfalls() == {}
    assert [(f.line_id, f.lot_id) for f in best.fills] == [
        ("relaxed", "late"),
        ("urgent", "early"),
    ]


def test_max_served_prefers_the_higher_priority_among_plans_that_serve_the_most():
    shelf = Lot(id="shelf", sku="A", quantity=4)
    po = Lot(id="po", sku="A", quantity=4, source="purchase", available_on=TODAY + dt.timedelta(5))
    top = Demand(line_id="top", order_id="o1", sku="A", quantity=4, priority=2, due_on=TODAY)
    mid = Demand(line_id="mid", order_id="o2", sku="A", quantity=4, priority=1)
    low = Demand(line_id="low", order_id="o3", sku="A", quantity=8, due_on=TODAY)
    plan = allocate([low, mid, top], [shelf, po], as_of=TODAY, objective="max_served")
    assert plan.served == 8
    assert (plan.allocated("top"), plan.allocated("mid"), plan.allocated("low")) == (4, 4, 0)


@pytest.mark.parametrize("objective", MODES)
def test_zero_demands_and_empty_lots_are_simply_left_alone(objective):
    plan = allocate(
        [Demand(line_id="l1", order_id="o1", sku="A", quantity=0)],
        [Lot(id="empty", sku="A", quantity=0)],
        as_of=TODAY,
        objective=objective,
    )
    assert plan.fills == ()
    assert plan.shortfalls() == {}
