"""A record dated later still takes up its line: what may be shipped, forfeited or invoiced
counts every shipment, forfeit and invoice recorded, whatever its date.

The summaries asked as of a date leave later records out (they are not done yet), but the
book never lets a line be shipped, allocated or billed twice because one of them is dated
after today.
"""

import datetime as dt

import pytest

from orderbook.commands import InvoiceOrder, Ship
from orderbook.errors import ValidationError

TOMORROW = dt.date(2027, 3, 2)  # the book's clock stands at 2027-03-01


def allocated(book, order_id):
    return sum(a.quantity for a in book.store.allocations_by_order(order_id))


def test_a_shipment_dated_tomorrow_counts_against_what_may_still_ship(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    book.transition(order.id, "confirmed")
    book.ship(order.id, {"l1": 2}, shipped_on=TOMORROW)
    error = refused(book, Ship(order_id=order.id, items={"l1": 2}), ValidationError)
    assert "must not exceed the 0 open" in str(error)
    assert book.summary(order.id).line("l1").shipped == 0  # not shipped yet, today
    assert book.summary(order.id, as_of=TOMORROW).line("l1").shipped == 2


def test_allocated_shipped_and_forfeited_never_exceed_what_was_ordered(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 5)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 2}, shipped_on=TOMORROW)
    book.allocate(order.id)
    assert allocated(book, order.id) == 3
    book.forfeit(order.id, "l1", quantity=1)
    # The forfeit leaves 2 open, so it releases the third unit the line held.
    assert allocated(book, order.id) == 2
    line = book.summary(order.id, as_of=TOMORROW).line("l1")
    assert line.shipped + line.forfeited + allocated(book, order.id) == line.ordered


def test_an_invoice_dated_later_still_bills_its_units(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(order.id, "confirmed")
    book.invoice(order.id, issue=True, issued_on=dt.date(2027, 3, 10))
    with pytest.raises(ValidationError, match="leave nothing to invoice"):
        book.execute(InvoiceOrder(order_id=order.id))
    refused(book, InvoiceOrder(order_id=order.id), ValidationError)
