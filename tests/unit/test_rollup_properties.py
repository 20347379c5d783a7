"""Invariants of the rollups, over random orders, shipments, invoices and payments."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Invoice, InvoiceLine, Money, Payment, Shipment, ShipmentItem
from orderbook.rollup import InvoiceState, PaymentState, summarize
from orderbook.testing import strategies as obst
from orderbook.workflow.facts import Fulfilment

DAY = dt.date(2027, 6, 1)


@st.composite
def order_with_records(draw):
    order = draw(obst.orders(currency="EUR", max_lines=4))
    shipments, invoices, payments = [], [], []
    for n in range(draw(st.integers(0, 3))):
        items = []
        for line in order.lines:
            share = draw(st.sampled_from([None, Decimal("0.5"), Decimal(1), Decimal("1.1")]))
            if share is not None:
                items.append(ShipmentItem(line_id=line.id, quantity=line.quantity * share))
        if items:
            shipments.append(Shipment(id=f"s{n}", order_id=order.id, shipped_on=DAY, items=items))
    for n in range(draw(st.integers(0, 3))):
        lines = [
            InvoiceLine(
                id=f"i{n}-{line.id}",
                quantity=line.quantity * draw(st.sampled_from([Decimal("0.25"), Decimal(1)])),
                unit_price=line.unit_price,
                discount=line.discount,
                tax_rate=line.tax_rate,
                order_line_id=line.id,
            )
            for line in order.lines
            if draw(st.booleans())
        ]
        if lines:
            invoices.append(
                Invoice(
                    id=f"i{n}",
                    customer_id=order.customer_id,
                    currency="EUR",
                    order_id=order.id,
                    status=draw(st.sampled_from(["draft", "issued"])),
                    issued_on=DAY,
                    lines=lines,
                )
            )
    for n, invoice in enumerate(invoices):
        cents = draw(st.integers(0, 10**7))
        if cents:
            payments.append(
                Payment(
                    id=f"p{n}",
                    amount=Money(Decimal(cents).scaleb(-2), "EUR"),
                    received_on=DAY,
                    invoice_id=invoice.id,
                )
            )
    return order, shipments, invoices, payments


def summary_of(records):
    order, shipments, invoices, payments = records
    return summarize(order, shipments=shipments, invoices=invoices, payments=payments, as_of=DAY)


@settings(max_examples=80, deadline=None)
@given(order_with_records())
def test_percentages_by_quantity_read_100_exactly_when_complete(records):
    summary = summary_of(records)
    lines = summary.lines
    shipped_all = all(line.delivered >= line.ordered for line in lines)
    invoiced_all = all(line.invoiced_quantity >= line.ordered for line in lines)
    fulfilment, invoicing, payment = summary.fulfilment, summary.invoicing, summary.payment
    for value in (fulfilment.by_quantity, fulfilment.by_amount, invoicing.by_quantity):
        assert Decimal(0) <= value <= Decimal(100)
    assert invoicing.percent >= 0
    assert payment.percent >= 0
    assert (fulfilment.state is Fulfilment.COMPLETE) == shipped_all
    assert (fulfilment.by_quantity == 100) == shipped_all
    assert (invoicing.state is InvoiceState.INVOICED) == invoiced_all
    assert (invoicing.by_quantity == 100) == invoiced_all
    assert (payment.percent >= 100) == (payment.state is PaymentState.PAID)


@settings(max_examples=80, deadline=None)
@given(order_with_records())
def test_payment_status_agrees_with_the_sums(records):
    _, _, invoices, payments = records
    summary = summary_of(records)
    zero = Money.zero("EUR")
    issued = [invoice for invoice in invoices if invoice.status == "issued"]
    invoiced = summary.invoicing.invoiced
    paid = sum((p.amount for p in payments), zero)
    assert summary.payment.paid == paid
    assert summary.payment.due == invoiced
    assert summary.payment.outstanding == max(invoiced - paid, zero)
    assert summary.payment.overpaid == (paid > invoiced)
    if paid == zero:
        assert summary.payment.state is PaymentState.NOT_PAID
    elif invoiced.amount > 0 and paid >= invoiced:
        assert summary.payment.state is PaymentState.PAID
    else:
        assert summary.payment.state is PaymentState.PART_PAID
    shares = sum((line.paid for line in summary.lines), zero)
    assert shares == (min(paid, invoiced) if issued else zero)
