import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Allocation, Lot, NotFound, ValidationError
from orderbook.allocation import Demand, reallocate_after_shrink, release

UTC = dt.UTC
TODAY = dt.date(2027, 3, 1)


def held(alloc_id, line_id, quantity, day, *, order_id="o1", lot_id="shelf"):
    at = None if day is None else dt.datetime(2027, 1, day, tzinfo=UTC)
    return Allocation(
        id=alloc_id, order_id=order_id, line_id=line_id, lot_id=lot_id, sku="TEA",
        quantity=quantity, at=at,
    )  # fmt: skip


HELD = (
    held("a1", "l1", 5, 1),
    held("a2", "l1", 3, 3),
    held("a3", "l2", 4, 2),
    held("b1", "m1", 6, 4, order_id="o2"),
)


def test_cancelling_an_order_releases_all_its_allocations_and_keeps_the_others():
    assert release(HELD, order_id="o1") == (HELD[3],)


def test_shrinking_lines_releases_the_newest_allocations_first():
    kept = release(HELD, line_ids=["l1", "l2"], quantity=5)
    # a2 (Jan 3, 3) goes first, then 2 of a3 (Jan 2)
    assert [(a.id, a.quantity) for a in kept] == [("a1", 5), ("a3", 2), ("b1", 6)]


def test_undated_allocations_count_as_the_oldest():
    allocations = (held("old", "l1", 2, None), held("new", "l1", 2, 9))
    assert [(a.id, a.quantity) for a in release(allocations, quantity=3)] == [("old", 1)]


def test_releasing_more_than_is_held_or_nothing_is_refused():
    with pytest.raises(ValidationError, match="held, 8"):
        release(HELD, line_ids=["l1"], quantity=9)
    with pytest.raises(ValidationError) as caught:
        release(HELD, quantity=0)
    assert caught.value.field == "quantity"
    with pytest.raises(ValidationError) as caught:
        release(HELD, line_ids="l1")
    assert caught.value.field == "line_ids"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12))
def test_releasing_a_quantity_takes_exactly_that_much_off_the_selection(quantity):
    kept = release(HELD, order_id="o1", quantity=quantity)
    assert sum(a.quantity for a in kept if a.order_id == "o1") == 12 - quantity
    assert HELD[3] in kept


def test_a_lot_that_shrinks_releases_its_newest_allocations_and_replans_them_elsewhere():
    shelf = Lot(id="shelf", sku="TEA", quantity=12)
    spare = Lot(id="spare", sku="TEA", quantity=10)
    existing = [held("a1", "l1", 5, 1), held("a2", "l2", 4, 2), held("a3", "l3", 3, 3)]
    demands = [Demand(line_id="l2", order_id="o1", sku="TEA", quantity=0, priority=2)]
    plan = reallocate_after_shrink(
        shelf, 6, demands, [shelf, spare], existing=existing, as_of=TODAY
    )
    assert [(a.id, a.quantity) for a in plan.released] == [("a3", 3), ("a2", 3)]
    assert [(a.id, a.quantity) for a in plan.existing] == [("a1", 5), ("a2", 1)]
    assert [(f.line_id, f.lot_id, f.quantity) for f in plan.fills] == [
        ("l2", "spare", 3),
        ("l3", "spare", 3),
    ]
    assert plan.demand("l2").priority == 2
    assert plan.remaining("shelf") == 0
    assert plan.remaining("spare") == 4


def test_a_lot_that_still_covers_its_allocations_releases_nothing():
    shelf = Lot(id="shelf", sku="TEA", quantity=12)
    existing = [held("a1", "l1", 5, 1)]
    plan = reallocate_after_shrink(shelf, 5, [], [shelf], existing=existing, as_of=TODAY)
    assert plan.released == ()
    assert plan.fills == ()
    assert plan.remaining("shelf") == Decimal(0)


def test_shrinking_a_lot_that_is_not_given_raises_not_found():
    shelf = Lot(id="shelf", sku="TEA", quantity=12)
    with pytest.raises(NotFound):
        reallocate_after_shrink(shelf, 5, [], [], existing=[], as_of=TODAY)
    with pytest.raises(ValidationError):
        reallocate_after_shrink(shelf, -1, [], [shelf], existing=[], as_of=TODAY)
