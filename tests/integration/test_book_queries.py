"""Queries, settling as of a date, archiving, and what-if simulations."""

import datetime as dt
from decimal import Decimal

from orderbook import Lot, Order, ValidationError, presets
from orderbook.book import Shortfall
from orderbook.commands import Allocate, Archive, ChangeStatus, PlaceOrder


def test_orders_can_be_filtered_by_status_customer_and_product(book, make_line):
    a = book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="a")
    book.place_order("acme", [make_line("l1", "MUG", 1)], order_id="b")
    book.place_order("globex", [make_line("l1", "TEA", 1)], order_id="c")
    book.transition(a.id, "confirmed")
    assert [o.id for o in book.orders(status="draft")] == ["b", "c"]
    assert [o.id for o in book.orders(customer_id="acme", sku="TEA")] == ["a"]
    assert [o.id for o in book.orders()] == ["a", "b", "c"]


def test_lines_list_every_ordered_line_by_due_date(book, make_line):
    book.place_order(
        "acme",
        [
            make_line("l1", "TEA", 2, due_on=dt.date(2027, 5, 1)),
            make_line("l2", "MUG", 1, due_on=dt.date(2027, 4, 1)),
        ],
        order_id="a",
    )
    book.place_order(
        "globex", [make_line("x", "TEA", 3, due_on=dt.date(2027, 4, 15))], order_id="b"
    )
    assert [(v.order_id, v.line.id) for v in book.lines()] == [
        ("a", "l2"),
        ("b", "x"),
        ("a", "l1"),
    ]
    tea = book.lines(sku="TEA", due_to=dt.date(2027, 4, 30))
    assert [(v.order_id, v.line.id, v.summary.ordered) for v in tea] == [("b", "x", Decimal(3))]


def test_lots_say_what_is_committed_and_what_remains(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 4)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    shelf = {s.lot.id: s for s in book.lots("TEA")}["tea-shelf"]
    assert (shelf.committed, shelf.tentative, shelf.remaining) == (4, 0, 6)


def test_settling_expires_a_mangrove_draft_past_its_date(make_book, stocked, make_line):
    book = stocked(make_book(presets.mangrove()))
    order = book.place_order("acme", [make_line("d1", "TEA", 1)], expires_on=dt.date(2027, 3, 10))
    assert book.settle(dt.date(2027, 3, 10)) == ()
    (move,) = book.settle(dt.date(2027, 3, 11))
    assert (move.target, move.reason, move.automatic) == ("expired", "expires_on passed", True)
    assert book.get(Order, order.id).status == "expired"


def test_archiving_moves_old_delivered_orders_only(make_book, stocked, make_line, clock, refused):
    book = stocked(make_book(presets.mrpeasy()))
    old = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(old.id, "confirmed")
    book.ship(old.id, {"l1": 1})
    book.transition(old.id, "delivered")
    open_one = book.place_order("acme", [make_line("l1", "TEA", 1)])
    clock.advance(dt.timedelta(days=40))
    recent = book.place_order("acme", [make_line("l1", "MUG", 1)])
    book.transition(recent.id, "confirmed")
    book.ship(recent.id, {"l1": 1})
    book.transition(recent.id, "delivered")
    moves = book.archive(dt.date(2027, 4, 1), by="ana")
    assert [(m.order_id, m.target, m.by) for m in moves] == [(old.id, "archived", "ana")]
    assert book.get(Order, open_one.id).status == "quotation"
    assert book.get(Order, recent.id).status == "delivered"
    refused(book, ChangeStatus(order_id=old.id, to="delivered"), Exception)
    refused(book, Archive(before=dt.date(2027, 4, 1), status="mothballed"), ValidationError)


def test_a_simulation_answers_who_goes_short_and_leaves_the_book_untouched(book, make_line):
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=0, source="purchase"))
    held = book.place_order("globex", [make_line("l1", "TEA", 7)], order_id="held", priority=1)
    book.transition(held.id, "confirmed")
    book.allocate(held.id)
    before = book.store.dump()
    what_if = book.simulate(
        [
            PlaceOrder(
                customer_id="acme", order_id="big", priority=5, lines=[make_line("l1", "TEA", 6)]
            ),
            ChangeStatus(order_id="big", to="confirmed"),
            Allocate(order_id="big"),
        ]
    )
    assert book.store.dump() == before
    assert what_if.shortfalls == (
        Shortfall(order_id="big", line_id="l1", sku="TEA", quantity=Decimal(3)),
    )
    assert what_if.summary("big").allocation.value == "partial"
    assert [p.shortfalls() for p in what_if.plans] == [{("big", "l1"): Decimal(3)}]
