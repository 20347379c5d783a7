"""b-op: shipped positions are cleared for billing, and "when all positions are shipped or the
customer forfeited on the not shipped quantities, the customer order is receiving the status
finished"."""

import datetime as dt
from decimal import Decimal

from orderbook import Customer, Forfeit, Money, Order, OrderLine, Shipment, ShipmentItem
from orderbook.acceptance import acceptance
from orderbook.billing import invoice_order, issue
from orderbook.rollup import InvoiceState, summarize
from orderbook.workflow.facts import Acceptance, Fulfilment

EUR = "EUR"


def test_a_partly_shipped_order_with_a_forfeited_remainder_is_finished_and_billed_as_shipped():
    buyer = Customer(
        id="buyer", name="Buyer GmbH", currency=EUR, auto_accept_limit=Money("5000", EUR)
    )
    order = Order(
        id="co-1",
        customer_id="buyer",
        currency=EUR,
        lines=[
            OrderLine(id="pos-10", sku="VALVE", quantity=100, unit_price=Money("12", EUR)),
            OrderLine(id="pos-20", sku="GASKET", quantity=50, unit_price=Money("2", EUR)),
        ],
    )
    day = dt.date(2027, 2, 1)
    verdict = acceptance(buyer, order, invoices=[], payments=[], as_of=day)
    assert verdict.verdict is Acceptance.ACCEPT

    shipments = [
        Shipment(
            order_id="co-1",
            shipped_on=day,
            items=[
                ShipmentItem(line_id="pos-10", quantity=60),
                ShipmentItem(line_id="pos-20", quantity=50),
            ],
        )
    ]
    invoices = []

    def now():
        return summarize(
            order, shipments=shipments, invoices=invoices, forfeits=forfeits, as_of=day
        )

    forfeits = []
    invoices.append(issue(invoice_order(order, now(), quantities="shipped"), issued_on=day))
    assert now().fulfilment.state is Fulfilment.PARTIAL
    assert now().line("pos-10").invoiced_quantity == 60

    shipments.append(
        Shipment(
            order_id="co-1", shipped_on=day, items=[ShipmentItem(line_id="pos-10", quantity=25)]
        )
    )
    invoices.append(issue(invoice_order(order, now(), quantities="shipped"), issued_on=day))
    forfeits.append(Forfeit(order_id="co-1", line_id="pos-10", quantity=15, reason="season over"))

    summary = now()
    assert summary.fulfilment.state is Fulfilment.FINISHED
    assert summary.fulfilment.by_quantity == Decimal("90.00")
    assert summary.line("pos-10").open == 0
    assert summary.invoicing.state is InvoiceState.PART_INVOICED
    assert summary.invoicing.invoiced == Money("1120.00", EUR)
    assert summary.facts(acceptance=verdict.verdict).acceptance is Acceptance.ACCEPT
