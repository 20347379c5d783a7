"""Dolibarr, told through the book and then the command line on the same file.

A draft is edited directly; once validated it needs its Modify move first. The order is
shipped in two parts (Shipment in Process, then Delivered), billed by several invoices, and
Processed once billed and delivered. A draft order is deleted for good; one with a shipment
cannot be.
"""

import datetime as dt

import pytest

from orderbook import Customer, Lot, Money, Order, OrderLine, Product, SequentialIds, presets
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.errors import LockedError, NotFound

START = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)


def desks(quantity):
    return [OrderLine(id="l1", sku="DESK", quantity=quantity, unit_price=Money("240.00", "EUR"),
                      tax_rate="0.2")]  # fmt: skip


def status(book, order_id):
    return book.get(Order, order_id).status


def test_an_order_is_modified_shipped_billed_processed_and_another_deleted(tmp_path, cli):
    path = tmp_path / "dolibarr.sqlite"
    clock = FixedClock(START)
    book = OrderBook.open(path, workflow=presets.dolibarr(), clock=clock,
                          id_factory=SequentialIds("id"))  # fmt: skip
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="DESK"))
    book.save_lot(Lot(id="floor", sku="DESK", quantity=20))

    order = book.place_order("acme", desks(4), number="CO2702-0001")
    book.edit_lines(order.id, desks(5))  # a draft is edited directly
    book.transition(order.id, "validated")
    with pytest.raises(LockedError, match="move it to Draft"):
        book.edit_lines(order.id, desks(6))
    book.transition(order.id, "draft")  # Modify
    book.edit_lines(order.id, desks(6))
    book.transition(order.id, "validated")

    book.allocate(order.id)
    book.ship(order.id, {"l1": 2})
    assert status(book, order.id) == "shipment_in_process"
    first = book.invoice(order.id, {"l1": 2}, issue=True, number="FA2702-0001")
    book.ship(order.id, {"l1": 4})
    assert status(book, order.id) == "delivered"
    second = book.invoice(order.id, issue=True, number="FA2702-0002")
    assert [invoice.id for invoice in book.invoices(order.id)] == [first.id, second.id]
    assert book.summary(order.id).invoicing.label == "Invoiced"
    book.transition(order.id, "processed")  # classify billed: billed and delivered

    shipped = book.place_order("acme", desks(1), number="CO2702-0002")
    book.transition(shipped.id, "validated")
    book.ship(shipped.id, {"l1": 1})
    with pytest.raises(LockedError, match="it has shipments"):
        book.delete_order(shipped.id)
    draft = book.place_order("acme", desks(1), number="CO2702-0003")
    book.delete_order(draft.id)
    with pytest.raises(NotFound):
        book.get(Order, draft.id)
    book.close()

    code, text = cli("report", "--db", path, "--as-of", "2027-02-01")
    assert code == 0
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("CO2702")}
    assert set(rows) == {"CO2702-0001", "CO2702-0002"}
    assert "Processed" in rows["CO2702-0001"]
    assert "EUR 1,728.00" in rows["CO2702-0001"] or "EUR 1728.00" in rows["CO2702-0001"]
    code, text = cli("events", "--db", path)
    assert code == 0
    assert "OrderDeleted" in text
    code, text = cli("check", "--db", path)
    assert (code, text.splitlines()[-1]) == (0, f"{path}: no problems")
