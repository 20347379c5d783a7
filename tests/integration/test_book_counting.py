"""The book counts an order's figures by its workflow's counting rules, in every view.

Mangrove records payments on each delivery: the order reads Partially Paid while some
deliveries are paid and Paid once all are. MRPeasy measures payments against the invoices,
counting only documents of the type Invoice. A workflow's tolerance lets a line ship a little
beyond what was ordered.
"""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import (
    CountingRules,
    Customer,
    Lot,
    Money,
    OrderLine,
    Product,
    presets,
)
from orderbook.errors import ValidationError
from orderbook.export import book_records
from orderbook.rollup import PaymentState, format_percent

USD = "USD"


@pytest.fixture
def mangrove(make_book):
    book = make_book(presets.mangrove())
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency=USD))
    for sku in ("MANGROVE-A", "SEAGRASS-B"):
        book.save_product(Product(sku=sku, unit="tCO2e"))
        book.save_lot(Lot(id=f"{sku}-issued", sku=sku, quantity=10_000))
    return book


def delivery(n, sku, price):
    return OrderLine(
        id=f"d{n}",
        sku=sku,
        quantity=1000,
        unit_price=Money(price, USD),
        tax_rate=0,
        due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
    )


def test_an_offtake_paid_delivery_by_delivery_reads_partially_paid_then_paid(mangrove):
    book = mangrove
    lines = [delivery(0, "MANGROVE-A", "15"), delivery(1, "SEAGRASS-B", "20"),
             delivery(2, "MANGROVE-A", "15")]  # fmt: skip
    order = book.place_order("acme", lines, delivery_method="retirement")
    book.transition(order.id, "confirmed")
    assert book.summary(order.id).payment.label == "Not Paid"

    book.record_payment(Money("15000", USD), order_id=order.id, line_id="d0")
    payment = book.summary(order.id).payment
    assert payment.state is PaymentState.PART_PAID
    assert payment.label == "Partially Paid"
    assert payment.outstanding == Money("35000.00", USD)
    assert format_percent(payment.percent) == "30.00%"
    views = {view.line.id: view.summary for view in book.lines(customer_id="acme")}
    assert views["d0"].paid == Money("15000.00", USD)
    assert views["d0"].outstanding == Money("0.00", USD)
    assert views["d1"].paid == Money("0.00", USD)

    # Paying one delivery twice over never makes another one paid.
    book.record_payment(Money("30000", USD), order_id=order.id, line_id="d2")
    assert book.summary(order.id).payment.state is PaymentState.PART_PAID

    book.record_payment(Money("20000", USD), order_id=order.id, line_id="d1")
    settled = book.summary(order.id).payment
    assert settled.state is PaymentState.PAID
    assert settled.label == "Paid"
    assert settled.overpaid


def test_the_export_counts_by_the_workflow_too(mangrove):
    book = mangrove
    order = book.place_order("acme", [delivery(0, "MANGROVE-A", "15"),
                                      delivery(1, "SEAGRASS-B", "20")])  # fmt: skip
    book.transition(order.id, "confirmed")
    book.record_payment(Money("15000", USD), order_id=order.id, line_id="d0")
    (row,) = book_records(book, as_of=book.clock.now().date()).orders
    assert row["payment"] == "part_paid"
    assert row["amount_due"] == Decimal("20000.00")


@pytest.fixture
def mrpeasy(make_book, stocked):
    return stocked(make_book(presets.mrpeasy()))


def test_mrpeasy_measures_payments_against_invoices_and_counts_only_invoices(mrpeasy):
    book = mrpeasy
    order = book.place_order(
        "acme",
        [OrderLine(id="l1", sku="TEA", quantity=10, unit_price=Money("10.00", "EUR"), tax_rate=0)],
    )
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 10})
    invoice = book.invoice(order.id, issue=True)
    book.record_payment(Money("25.00", "EUR"), invoice_id=invoice.id)
    summary = book.summary(order.id)
    assert summary.payment.state is PaymentState.PART_PAID
    assert summary.payment.label == "Part paid"
    assert summary.payment.due == Money("100.00", "EUR")
    assert summary.payment.percent == Decimal(25)


def test_a_workflow_tolerance_lets_a_line_ship_that_far_beyond_its_quantity(make_book, stocked):
    tolerant = presets.standard().with_settings(counting=CountingRules(tolerance="0.1"))
    book = stocked(make_book(tolerant))
    tea = [OrderLine(id="l1", sku="TEA", quantity=5, unit_price=Money("4.00", "EUR"))]
    first, second = book.place_order("acme", tea), book.place_order("acme", tea)
    for order in (first, second):
        book.transition(order.id, "confirmed")
    book.ship(first.id, {"l1": "5.5"})
    fulfilment = book.summary(first.id).fulfilment
    assert fulfilment.state.done
    assert not fulfilment.over_delivered
    with pytest.raises(ValidationError, match=r"must not exceed the 5\.5 open"):
        book.ship(second.id, {"l1": "5.6"})
