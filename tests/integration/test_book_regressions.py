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


def test_a_line_paid_by_itself_may_not_be_dropped(book, make_line, refused):
    # Dropping it left a payment naming no line: the order's summary could not be made.
    from orderbook import Money, ValidationError
    from orderbook.commands import Amend, EditLines

    order = book.place_order("acme", [make_line("l1", "TEA", 2), make_line("l2", "MUG", 1)])
    book.record_payment(Money("5.00", "EUR"), order_id=order.id, line_id="l1")
    for command in (
        EditLines(order_id=order.id, lines=[make_line("l2", "MUG", 1)]),
        Amend(order_id=order.id, lines=[make_line("l1", "POT", 2), make_line("l2", "MUG", 1)]),
    ):
        error = refused(book, command, ValidationError)
        assert error.reason.startswith("has shipments, forfeits, invoices or payments")
    edited = book.edit_lines(order.id, [make_line("l1", "TEA", 3), make_line("l2", "MUG", 1)])
    assert book.summary(edited.id).payment.paid == Money("5.00", "EUR")


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


# -- found by the PostgreSQL concurrency test (test_postgres_book_concurrency.py) -------------


@pytest.mark.skipif(
    not __import__("os").environ.get("ORDERBOOK_TEST_POSTGRES_DSN"),
    reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: this test needs a PostgreSQL server",
)
def test_two_books_on_postgres_cannot_both_allocate_the_whole_of_one_line():
    import os
    import threading
    import time
    import uuid

    import psycopg
    from psycopg import sql

    from orderbook import Customer, Money, OrderLine, Product
    from orderbook.book import OrderBook
    from orderbook.check import check_book
    from orderbook.commands import Allocate, ChangeStatus, FulfilManually, PlaceOrder
    from orderbook.errors import ConflictError
    from orderbook.store.postgres import PostgresStore

    dsn = os.environ["ORDERBOOK_TEST_POSTGRES_DSN"]
    schema = f"regression_{uuid.uuid4().hex}"
    try:
        with PostgresStore(dsn, schema=schema) as one, PostgresStore(dsn, schema=schema) as two:
            first, second = OrderBook(one), OrderBook(two)
            first.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
            first.save_product(Product(sku="TEA"))
            first.save_lot(Lot(id="tea-a", sku="TEA", quantity=5))
            first.save_lot(Lot(id="tea-b", sku="TEA", quantity=5))
            line = OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.50", "EUR"))
            first.execute(PlaceOrder(customer_id="acme", order_id="o1", lines=[line]))
            first.execute(ChangeStatus(order_id="o1", to="confirmed"))
            refused = []

            def by_hand():  # reads o1 while the first book's allocation is not committed
                try:
                    second.execute(FulfilManually(order_id="o1", line_id="l1", lots={"tea-b": 2}))
                except ConflictError as error:
                    refused.append(error)

            with psycopg.connect(dsn, autocommit=True) as server, first.batch():
                first.execute(Allocate(order_id="o1"))  # the whole line, from tea-a
                racer = threading.Thread(target=by_hand)
                racer.start()
                waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted"
                while racer.is_alive() and not server.execute(waiting).fetchone()[0]:
                    time.sleep(0.01)  # until the second book waits for the first to commit
            racer.join()
            assert check_book(first.store) == ()
            assert sum(a.quantity for a in first.store.allocations_by_order("o1")) == 2
    finally:
        with psycopg.connect(dsn, autocommit=True) as server:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            server.execute(drop)
