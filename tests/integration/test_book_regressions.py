"""Regressions found by the state machine in tests/stateful, each minimized to a few commands.

Each test here failed before its fix. A bug found but not fixed yet is kept as a test marked
``xfail(strict=True)``, so the suite says so the day it is fixed.
"""

import pytest

from orderbook import Lot, Order
from orderbook.model import ShipmentItem


def test_shipping_from_a_named_lot_takes_the_goods_off_that_lot(book, make_line):
    book.save_lot(Lot(id="tea-back", sku="TEA", quantity=5))
    order = book.place_order("acme", [make_line("l1", "TEA", 4)])
    book.transition(order.id, "confirmed")
    book.fulfil_manually(order.id, "l1", {"tea-shelf": 4})
    shipment = book.ship(order.id, [ShipmentItem(line_id="l1", quantity=2, lot_id="tea-back")])
    assert [(i.lot_id, i.quantity) for i in shipment.items] == [("tea-back", 2)]
    assert book.get(Lot, "tea-back").quantity == 3
    assert book.get(Lot, "tea-shelf").quantity == 10
    shelf = next(s for s in book.lots("TEA") if s.lot.id == "tea-shelf")
    assert shelf.committed <= book.summary(order.id).line("l1").open
    assert book.get(Order, order.id).status == "partially_shipped"


# -- found by the bad-input tests (test_bad_input.py) -----------------------------------------


def _confirmed_order():
    """A book with one confirmed order 'o1' of one line 'l1'."""
    from orderbook import Customer, Money, OrderLine, Product
    from orderbook.book import OrderBook
    from orderbook.commands import ChangeStatus, PlaceOrder

    book = OrderBook()
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    line = OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.50", "EUR"))
    book.execute(PlaceOrder(customer_id="acme", order_id="o1", lines=[line]))
    book.execute(ChangeStatus(order_id="o1", to="confirmed"))
    return book


def test_an_invoice_made_with_a_given_id_is_stored_under_that_id():
    from orderbook import Invoice
    from orderbook.commands import InvoiceOrder

    book = _confirmed_order()
    made = book.execute(InvoiceOrder(order_id="o1", invoice_id="inv-1")).record(Invoice)
    assert made.id == "inv-1"
    assert book.get(Invoice, "inv-1") == made


def test_a_due_date_beyond_the_calendar_is_refused_with_a_validation_error():
    from orderbook import ValidationError
    from orderbook.commands import InvoiceOrder

    book = _confirmed_order()
    before = book.store.dump()
    with pytest.raises(ValidationError, match="due_days"):
        book.execute(InvoiceOrder(order_id="o1", issue=True, due_days=10**7))
    assert book.store.dump() == before


def test_a_line_named_by_a_cancelled_invoice_cannot_be_dropped(book, make_line):
    from orderbook import ValidationError

    order = book.place_order("acme", [make_line("l1", "TEA", 2), make_line("l2", "TEA", 1)])
    book.transition(order.id, "confirmed")
    invoice = book.invoice(order.id, "remaining")
    book.cancel_invoice(invoice.id)
    before = book.store.dump()
    with pytest.raises(ValidationError, match="may not be removed"):
        book.edit_lines(order.id, [make_line("l2", "TEA", 1)])
    assert book.store.dump() == before
    assert book.summary(order.id).gross.amount > 0
