"""Allocating, fulfilling by hand, releasing, shipping, returning and forfeiting."""

import datetime as dt
from decimal import Decimal

from orderbook import (
    InsufficientStock,
    LockedError,
    Lot,
    Order,
    OverAllocation,
    ValidationError,
    presets,
)
from orderbook.commands import (
    Allocate,
    ForfeitRemainder,
    FulfilManually,
    Release,
    Return,
    Ship,
)
from orderbook.model import ShipmentItem


def held(book, order_id):
    return sorted((a.lot_id, a.quantity) for a in book.store.allocations_by_order(order_id))


def test_allocating_one_order_books_the_best_available_lots(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 14)])
    book.transition(order.id, "confirmed")
    plan = book.allocate(order.id)
    assert plan.shortfalls() == {}
    assert held(book, order.id) == [("tea-po", 4), ("tea-shelf", 10)]
    assert book.events()[-1].kind == "Allocated"


def test_a_scarce_lot_goes_to_the_order_with_the_higher_priority(book, make_line):
    # MRPeasy: booking priority decides who gets the last units of a product.
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=0, source="purchase"))
    early = book.place_order("acme", [make_line("l1", "TEA", 8)], priority=0)
    urgent = book.place_order("globex", [make_line("l1", "TEA", 6)], priority=5)
    for order in (early, urgent):
        book.transition(order.id, "confirmed")
    plan = book.allocate()
    assert held(book, urgent.id) == [("tea-shelf", 6)]
    assert held(book, early.id) == [("tea-shelf", 4)]
    assert plan.shortfalls() == {(early.id, "l1"): Decimal(4)}  # both orders have a line l1


def test_allocating_every_open_order_leaves_drafts_alone(book, make_line):
    draft = book.place_order("acme", [make_line("l1", "TEA", 3)])
    confirmed = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(confirmed.id, "confirmed")
    book.allocate()
    assert held(book, draft.id) == []
    assert held(book, confirmed.id) == [("tea-shelf", 3)]


def test_tentative_allocations_take_nothing_from_what_others_can_use(
    make_book, stocked, make_line
):
    # Mangrove: a Draft's credits are not committed.
    book = stocked(make_book(presets.mangrove()))
    first = book.place_order("acme", [make_line("d1", "TEA", 10)])
    second = book.place_order("globex", [make_line("d1", "TEA", 10)])
    assert held(book, first.id) == held(book, second.id) == [("tea-shelf", 10)]
    stock = {s.lot.id: s for s in book.lots("TEA")}
    assert (stock["tea-shelf"].committed, stock["tea-shelf"].tentative) == (0, 20)
    book.transition(first.id, "confirmed")
    # Confirming the second keeps only what still fits beside the first's committed credits.
    book.transition(second.id, "confirmed")
    assert held(book, second.id) == []
    assert book.events()[-1].kind == "Released"
    assert book.lots("TEA")[1].remaining == 0


def test_manual_fulfilment_is_checked_against_what_remains(book, make_line, refused):
    other = book.place_order("globex", [make_line("l1", "TEA", 7)])
    book.transition(other.id, "confirmed")
    book.allocate(other.id)
    order = book.place_order("acme", [make_line("l1", "TEA", 12)])
    book.transition(order.id, "confirmed")
    error = refused(
        book,
        FulfilManually(order_id=order.id, line_id="l1", lots={"tea-shelf": 4}),
        OverAllocation,
    )
    assert (error.lot_id, error.available) == ("tea-shelf", 3)
    book.fulfil_manually(order.id, "l1", {"tea-shelf": 3, "tea-po": 9})
    assert held(book, order.id) == [("tea-po", 9), ("tea-shelf", 3)]
    assert all(a.manual for a in book.store.allocations_by_order(order.id))


def test_a_manual_override_replaces_the_automatic_fulfilment_of_a_delivery(
    make_book, stocked, make_line
):
    book = stocked(make_book(presets.mangrove()))
    order = book.place_order("acme", [make_line("d1", "TEA", 8)])  # fulfilled at once
    assert held(book, order.id) == [("tea-shelf", 8)]
    book.transition(order.id, "confirmed")
    book.fulfil_manually(order.id, "d1", {"tea-po": 6})
    assert held(book, order.id) == [("tea-po", 6)]  # the person's quantities are the fulfilment
    assert all(a.manual for a in book.store.allocations_by_order(order.id))
    released, allocated = book.events()[-2:]
    assert (released.kind, released.data["lines"], released.data["reason"]) == (
        "Released",
        {"d1": "8"},
        "fulfilled by hand",
    )
    assert (allocated.kind, allocated.data["lines"], allocated.data["manual"]) == (
        "Allocated",
        {"d1": "6"},
        True,
    )


def test_a_line_with_nothing_open_is_refused_saying_what_holds_it(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 5)])
    book.transition(order.id, "confirmed")
    book.fulfil_manually(order.id, "l1", {"tea-shelf": 5})
    book.ship(order.id, {"l1": 2})  # uses 2 of the 5 held
    error = refused(
        book,
        FulfilManually(order_id=order.id, line_id="l1", lots={"tea-po": 1}),
        ValidationError,
    )
    assert error.reason == (
        "has nothing open to allocate: 2 shipped, 3 allocated by hand from lot 'tea-shelf'"
    )


def test_releasing_part_of_a_line_releases_the_newest_allocation_first(book, make_line, clock):
    order = book.place_order("acme", [make_line("l1", "TEA", 12)])
    book.transition(order.id, "confirmed")
    book.fulfil_manually(order.id, "l1", {"tea-shelf": 5})
    clock.advance(dt.timedelta(hours=1))
    book.fulfil_manually(order.id, "l1", {"tea-po": 7})
    book.release(order.id, quantity=8)
    assert held(book, order.id) == [("tea-shelf", 4)]


def test_release_without_allocations_is_refused(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    refused(book, Release(order_id=order.id), ValidationError)


def test_shipping_consumes_the_allocation_and_takes_the_quantity_off_the_lot(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 6)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    shipment = book.ship(order.id, {"l1": 4}, number="DN-1")
    assert [(i.line_id, i.quantity) for i in shipment.items] == [("l1", 4)]
    assert held(book, order.id) == [("tea-shelf", 2)]
    shelf = book.get(Lot, "tea-shelf")
    assert shelf.quantity == 6
    assert book.get(Order, order.id).status == "partially_shipped"
    assert book.summary(order.id).line("l1").shipped == 4


def test_shipping_from_a_named_lot_takes_the_unallocated_rest_off_it(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 15)])
    book.transition(order.id, "confirmed")
    book.ship(order.id, [ShipmentItem(line_id="l1", quantity=4, lot_id="tea-shelf")])
    assert book.get(Lot, "tea-shelf").quantity == 6
    error = refused(
        book,
        Ship(
            order_id=order.id, items=[ShipmentItem(line_id="l1", quantity=7, lot_id="tea-shelf")]
        ),
        InsufficientStock,
    )
    assert error.available == 6


def test_shipping_is_refused_outside_a_shippable_status_and_beyond_what_is_open(
    book, make_line, refused
):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    assert (
        "shipping" in refused(book, Ship(order_id=order.id, items={"l1": 1}), LockedError).reason
    )
    book.transition(order.id, "confirmed")
    refused(book, Ship(order_id=order.id, items={"l1": 3}), ValidationError)
    refused(book, Ship(order_id=order.id, items={"l9": 1}), ValidationError)


def test_a_return_reopens_the_line_and_moves_the_order_back(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    book.transition(order.id, "confirmed")
    book.ship(order.id, {"l1": 2})
    assert book.get(Order, order.id).status == "shipped"
    refused(book, Return(order_id=order.id, items={"l1": 3}), ValidationError)
    book.return_goods(order.id, [ShipmentItem(line_id="l1", quantity=1, lot_id="tea-shelf")])
    assert book.get(Order, order.id).status == "partially_shipped"
    assert book.get(Lot, "tea-shelf").quantity == 11
    assert book.summary(order.id).line("l1").open == 1


def test_forfeiting_the_rest_finishes_a_bop_order(make_book, stocked, make_line, refused):
    book = stocked(make_book(presets.bop()))
    order = book.place_order("acme", [make_line("p1", "TEA", 5)])
    book.transition(order.id, "accepted")
    book.allocate(order.id)
    book.ship(order.id, {"p1": 3})
    assert book.get(Order, order.id).status == "in_fulfilment"
    refused(book, ForfeitRemainder(order_id=order.id, line_id="p1", quantity=3), ValidationError)
    forfeit = book.forfeit(order.id, "p1", reason="season over")
    assert forfeit.quantity == 2
    assert book.get(Order, order.id).status == "finished"
    assert held(book, order.id) == []


def test_a_lot_that_shrinks_releases_its_newest_allocations_and_reallocates(
    book, make_line, clock
):
    first = book.place_order("acme", [make_line("l1", "TEA", 6)])
    book.transition(first.id, "confirmed")
    book.allocate(first.id)
    clock.advance(dt.timedelta(hours=1))
    second = book.place_order("globex", [make_line("l1", "TEA", 4)])
    book.transition(second.id, "confirmed")
    book.allocate(second.id)
    book.save_lot(Lot(id="tea-shelf", sku="TEA", quantity=7))
    assert held(book, first.id) == [("tea-shelf", 6)]
    assert held(book, second.id) == [("tea-po", 3), ("tea-shelf", 1)]


def test_allocating_a_cancelled_order_is_refused(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.cancel(order.id)
    refused(book, Allocate(order_id=order.id), LockedError)
