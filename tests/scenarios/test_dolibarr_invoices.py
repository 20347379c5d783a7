"""Dolibarr: "You can generate one or several invoices from a customer order", and the order
is "Processed" once it is both billed and delivered."""

import datetime as dt

from orderbook import Money, Order, OrderLine, Shipment, ShipmentItem, invoice_totals
from orderbook.billing import cancel, invoice_order, issue
from orderbook.rollup import InvoiceState, summarize
from orderbook.workflow.facts import Fulfilment, Progress

EUR = "EUR"


def test_an_order_billed_in_three_invoices_and_shipped_is_billed_and_delivered():
    order = Order(
        id="CO2027-0007",
        customer_id="thirdparty-12",
        currency=EUR,
        lines=[
            OrderLine(
                id="1", sku="SCREEN", quantity=3, unit_price=Money("199.99", EUR), tax_rate="0.2"
            ),
            OrderLine(
                id="2", sku="INSTALL", quantity=1, unit_price=Money("333.33", EUR), tax_rate="0.2"
            ),
        ],
    )
    day = dt.date(2027, 9, 1)
    invoices, shipments = [], []

    def now():
        return summarize(order, invoices=invoices, shipments=shipments, as_of=day)

    invoices.append(issue(invoice_order(order, now(), quantities={"1": 1}), issued_on=day))
    invoices.append(
        issue(invoice_order(order, now(), quantities={"1": 1, "2": "0.5"}), issued_on=day)
    )
    assert now().invoicing.state is InvoiceState.PART_INVOICED
    # A third draft is cancelled before it is issued: no exception, nothing counted.
    dropped = cancel(invoice_order(order, now()))
    invoices.append(dropped)
    assert not now().exception
    invoices.append(issue(invoice_order(order, now()), issued_on=day))

    shipments.append(
        Shipment(
            order_id=order.id,
            shipped_on=day,
            items=[ShipmentItem(line_id="1", quantity=3), ShipmentItem(line_id="2", quantity=1)],
        )
    )
    summary = now()
    counted = [inv for inv in invoices if inv.status == "issued"]
    assert len(counted) == 3
    assert sum((invoice_totals(inv).gross for inv in counted), Money.zero(EUR)) == summary.gross
    facts = summary.facts()
    assert (facts.billing, facts.fulfilment) == (Progress.COMPLETE, Fulfilment.COMPLETE)


def test_cancelling_an_issued_invoice_leaves_the_order_in_exception_until_it_is_rebilled():
    order = Order(
        id="CO2027-0008",
        customer_id="thirdparty-12",
        currency=EUR,
        lines=[OrderLine(id="1", sku="SCREEN", quantity=2, unit_price=Money("100", EUR))],
    )
    day = dt.date(2027, 9, 1)
    first = issue(invoice_order(order, summarize(order, as_of=day)), issued_on=day)
    voided = cancel(first)
    summary = summarize(order, invoices=[voided], as_of=day)
    assert summary.exceptions == (first.id,)
    again = issue(invoice_order(order, summary), issued_on=day)
    assert not summarize(order, invoices=[voided, again], as_of=day).exception
