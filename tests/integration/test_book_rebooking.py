"""Priority takes bookings back: ``allocate(rebook=True)`` plans open orders' bookings again."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import (
    Allocation,
    Customer,
    LockedError,
    Lot,
    Money,
    OrderLine,
    Product,
    SequentialIds,
    ValidationError,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.commands import Allocate
from orderbook.store import MemoryStore


def held(book, order_id, sku=None):
    return sorted(
        (a.lot_id, a.quantity, a.manual)
        for a in book.store.allocations_by_order(order_id)
        if sku is None or a.sku == sku
    )


@pytest.fixture
def scarce(book):
    """The standard book with ten TEA on the shelf and none coming."""
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=0, source="purchase"))
    return book


def confirmed(book, make_line, order_id, lines, priority=0):
    book.place_order("acme", lines, order_id=order_id, priority=priority)
    book.transition(order_id, "confirmed")


def routine_then_rush(book, make_line):
    """A routine order books 8 of the 10 on the shelf; a rush order confirmed later gets 2."""
    confirmed(book, make_line, "routine", [make_line("l1", "TEA", 8)])
    book.allocate("routine")
    confirmed(book, make_line, "rush", [make_line("l1", "TEA", 6)], priority=5)
    book.allocate("rush")


def test_a_plain_allocation_never_takes_stock_from_a_lower_priority(scarce, make_line):
    routine_then_rush(scarce, make_line)
    for objective in ("greedy", "max_served"):
        scarce.allocate(objective=objective)
        assert held(scarce, "rush") == [("tea-shelf", 2, False)]
        assert held(scarce, "routine") == [("tea-shelf", 8, False)]


def test_rebooking_moves_stock_to_the_order_of_higher_priority(scarce, make_line):
    routine_then_rush(scarce, make_line)
    (rush_before,) = scarce.store.allocations_by_order("rush")
    outcome = scarce.execute(Allocate(rebook=True, by="ana"))
    assert held(scarce, "rush") == [("tea-shelf", 2, False), ("tea-shelf", 4, False)]
    assert held(scarce, "routine") == [("tea-shelf", 4, False)]
    assert outcome.plan.shortfalls() == {("routine", "l1"): Decimal(4)}
    # the events say what moved: released from the routine order, allocated to the rush one
    moved = [(e.kind, e.order_id, e.data["lines"]) for e in outcome.events[:2]]
    assert moved == [
        ("Released", "routine", {"l1": "4"}),
        ("Allocated", "rush", {"l1": "4"}),
    ]
    assert outcome.events[0].data["reason"] == "taken back by priority"
    assert outcome.events[0].data["by"] == "ana"
    # the rush order's first booking keeps its quantity of the lot: it is not touched
    assert rush_before in scarce.store.allocations_by_order("rush")  # the same version
    assert all(getattr(r, "id", None) != rush_before.id for r in outcome.written)
    # nothing is left to move: a second rebooking changes nothing
    again = scarce.execute(Allocate(rebook=True))
    assert [e.kind for e in again.events] == []


def test_shipped_goods_are_never_taken_back(scarce, make_line):
    confirmed(scarce, make_line, "routine", [make_line("l1", "TEA", 8)])
    scarce.allocate("routine")
    scarce.ship("routine", {"l1": 5})
    confirmed(scarce, make_line, "rush", [make_line("l1", "TEA", 6)], priority=5)
    scarce.allocate(rebook=True)
    # of the 10, 5 left with the routine order; the rush order takes the 5 left on the shelf
    assert held(scarce, "rush") == [("tea-shelf", 5, False)]
    assert held(scarce, "routine") == []
    assert scarce.summary("routine").line("l1").delivered == 5
    assert scarce.get(Lot, "tea-shelf").quantity == 5


def test_manual_allocations_are_kept_unless_every_booking_is_taken_back(scarce, make_line):
    confirmed(scarce, make_line, "routine", [make_line("l1", "TEA", 8)])
    scarce.fulfil_manually("routine", "l1", {"tea-shelf": 8})
    confirmed(scarce, make_line, "rush", [make_line("l1", "TEA", 6)], priority=5)
    scarce.allocate("rush")
    scarce.allocate(rebook=True)
    assert held(scarce, "routine") == [("tea-shelf", 8, True)]
    assert held(scarce, "rush") == [("tea-shelf", 2, False)]
    scarce.allocate(rebook="all")
    assert held(scarce, "routine") == [("tea-shelf", 4, True)]  # shrunk, still chosen by hand
    assert held(scarce, "rush") == [("tea-shelf", 2, False), ("tea-shelf", 4, False)]


def test_rebooking_for_one_order_replans_only_its_products(scarce, make_line):
    confirmed(scarce, make_line, "routine", [make_line("l1", "TEA", 8), make_line("l2", "MUG", 5)])
    scarce.allocate("routine")
    confirmed(scarce, make_line, "cups", [make_line("l1", "MUG", 3)], priority=5)
    confirmed(scarce, make_line, "rush", [make_line("l1", "TEA", 6)], priority=5)
    scarce.allocate("rush", rebook=True)
    assert held(scarce, "rush") == [("tea-shelf", 6, False)]
    assert held(scarce, "routine", "TEA") == [("tea-shelf", 4, False)]
    assert held(scarce, "routine", "MUG") == [("mug-shelf", 5, False)]  # not the rush's product
    assert held(scarce, "cups") == []
    scarce.allocate(rebook=True)  # every open order
    assert held(scarce, "cups") == [("mug-shelf", 3, False)]
    assert held(scarce, "routine", "MUG") == [("mug-shelf", 2, False)]


def test_rebooking_is_refused_for_an_order_that_does_not_commit_or_is_closed(
    scarce, make_line, refused
):
    routine_then_rush(scarce, make_line)
    scarce.place_order("acme", [make_line("l1", "TEA", 3)], order_id="draft", priority=9)
    error = refused(scarce, Allocate(order_id="draft", rebook=True), ValidationError)
    assert error.field == "order_id"
    scarce.cancel("draft")
    refused(scarce, Allocate(order_id="draft", rebook=True), LockedError)
    with pytest.raises(ValidationError, match="rebook"):
        Allocate(rebook="yes")


def test_partial_false_takes_back_only_for_lines_served_in_full(scarce, make_line):
    routine_then_rush(scarce, make_line)
    confirmed(scarce, make_line, "huge", [make_line("l1", "TEA", 11)], priority=9)
    scarce.allocate(rebook=True, partial=False)
    # the huge order cannot be served in full, so it takes nothing; the rush order can
    assert held(scarce, "huge") == []
    assert sum(q for _, q, _ in held(scarce, "rush")) == 6
    assert sum(q for _, q, _ in held(scarce, "routine")) == 0  # 4 would not cover its 8


# -- the property: after rebooking, a lower priority never holds what a higher one lacks ------

DAYS = (dt.date(2027, 3, 10), dt.date(2027, 3, 20))


def _book(shelf, coming):
    book = OrderBook(
        MemoryStore(),
        clock=FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)),
        id_factory=SequentialIds("id"),
    )
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    book.save_lot(Lot(id="shelf", sku="TEA", quantity=shelf))
    book.save_lot(
        Lot(
            id="po",
            sku="TEA",
            quantity=coming,
            source="purchase",
            available_on=dt.date(2027, 3, 15),  # in time only for the later due date
        )
    )
    return book


orders = st.lists(
    st.fixed_dictionaries(
        {
            "priority": st.integers(0, 3),
            "quantity": st.integers(1, 8),
            "due_on": st.sampled_from(DAYS),
            "ship": st.integers(0, 3),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orders=orders, shelf=st.integers(0, 15), coming=st.integers(0, 10))
def test_after_rebooking_no_lower_priority_holds_stock_a_higher_one_lacks(orders, shelf, coming):
    book = _book(shelf, coming)
    for n, wanted in enumerate(orders):  # each books what is free as it is confirmed
        order_id = f"o{n}"
        line = OrderLine(
            id="l1",
            sku="TEA",
            quantity=wanted["quantity"],
            unit_price=Money("2", "EUR"),
            due_on=wanted["due_on"],
        )
        book.place_order("acme", [line], order_id=order_id, priority=wanted["priority"])
        book.transition(order_id, "confirmed")
        book.allocate(order_id)
        on_shelf = [a for a in book.store.allocations_by_order(order_id) if a.lot_id == "shelf"]
        ship = min(wanted["ship"], sum((a.quantity for a in on_shelf), Decimal(0)))
        if ship:
            book.ship(order_id, {"l1": ship})
    book.allocate(rebook=True)

    def booked(order_id):
        return sum((a.quantity for a in book.store.allocations_by_order(order_id)), Decimal(0))

    lines = {}
    for n, wanted in enumerate(orders):
        line = book.summary(f"o{n}").line("l1")
        lines[f"o{n}"] = (wanted, booked(f"o{n}"), line.ordered - line.delivered)
    for high, (h, h_booked, h_open) in lines.items():
        if h_booked >= h_open:
            continue  # it lacks nothing
        for low, (lo, lo_booked, _) in lines.items():
            if lo["due_on"] == h["due_on"] and lo["priority"] < h["priority"]:
                assert lo_booked == 0, f"{low} holds {lo_booked} while {high} lacks some"
    for stock in book.lots("TEA"):
        assert stock.committed <= stock.lot.quantity


def test_an_allocation_record_of_an_unknown_lot_is_released_when_rebooking(scarce, make_line):
    confirmed(scarce, make_line, "routine", [make_line("l1", "TEA", 3)])
    scarce.allocate("routine")
    # a booking on a lot that no longer exists (removed behind the book's back)
    ghost = Allocation(id="ghost", order_id="routine", line_id="l1", lot_id="tea-gone",
                       sku="TEA", quantity=1)  # fmt: skip
    with scarce.store.transaction():
        scarce.store.put(ghost)
    scarce.allocate(rebook=True)
    assert held(scarce, "routine") == [("tea-shelf", 3, False)]
