"""MRPeasy: invoice and payment statuses of a customer order, with their percentages.

"Not invoiced - no invoices issued. (Invoices in status Dummy are not considered)"
"Part invoiced - CO is partially invoiced. A percent shows the part of the CO that has been
invoiced." "Part paid - A percent shows the part of the invoiced total that has been paid."
"""

import datetime as dt
from decimal import Decimal

from orderbook import Money, Order, OrderLine, Payment
from orderbook.billing import credit_note, invoice_order, issue
from orderbook.rollup import CountingRules, InvoiceState, PaymentState, summarize
from orderbook.workflow.facts import Progress

USD = "USD"


def test_a_customer_orders_invoice_and_payment_statuses_move_with_the_documents():
    order = Order(
        id="co-42",
        customer_id="tool-shop",
        currency=USD,
        lines=[
            OrderLine(id="gear", sku="GEAR-12", quantity=40, unit_price=Money("12.50", USD)),
            OrderLine(id="shaft", sku="SHAFT-3", quantity=10, unit_price=Money("50.00", USD)),
        ],
    )
    day = dt.date(2027, 5, 3)

    def status(invoices, payments=()):
        return summarize(order, invoices=invoices, payments=payments, as_of=day)

    # A Dummy invoice is sent for the customer's approval: it is not considered.
    dummy = issue(invoice_order(order, status([]), kind="pro_forma"), issued_on=day)
    assert status([dummy]).invoicing.state is InvoiceState.NOT_INVOICED

    # The gears are invoiced: 500 of the 1000 total.
    gears = issue(invoice_order(order, status([]), quantities={"gear": 40}), issued_on=day)
    part = status([dummy, gears])
    assert part.invoicing.state is InvoiceState.PART_INVOICED
    assert part.invoicing.percent == Decimal(50)
    assert part.payment.state is PaymentState.NOT_PAID

    # The customer pays 200 of the 500 invoiced: "Part paid", 40% of the invoiced total.
    payment = Payment(amount=Money("200", USD), received_on=day, invoice_id=gears.id)
    assert status([gears], [payment]).payment.state is PaymentState.PART_PAID
    assert status([gears], [payment]).payment.percent == Decimal(40)

    # The shafts are invoiced and everything is paid.
    shafts = issue(invoice_order(order, status([gears])), issued_on=day)
    settled = [payment, Payment(amount=Money("800", USD), received_on=day, invoice_id=shafts.id)]
    done = status([dummy, gears, shafts], settled)
    assert done.invoicing.state is InvoiceState.INVOICED
    assert done.invoicing.percent == Decimal(100)
    assert done.payment.state is PaymentState.PAID
    assert (done.facts().billing, done.facts().payment) == (Progress.COMPLETE, Progress.COMPLETE)


def test_only_invoices_of_type_invoice_count_when_the_rule_says_so():
    order = Order(
        id="co-43",
        customer_id="tool-shop",
        currency=USD,
        lines=[OrderLine(id="gear", sku="GEAR-12", quantity=10, unit_price=Money("10", USD))],
    )
    day = dt.date(2027, 5, 3)
    invoice = issue(invoice_order(order, summarize(order, as_of=day)), issued_on=day)
    refund = issue(credit_note(invoice, quantities={invoice.lines[0].id: 2}), issued_on=day)
    default = summarize(order, invoices=[invoice, refund], as_of=day)
    invoices_only = summarize(
        order, invoices=[invoice, refund], as_of=day, counting=CountingRules(kinds=["invoice"])
    )
    assert default.invoicing.state is InvoiceState.PART_INVOICED
    assert default.invoicing.percent == Decimal(80)
    assert invoices_only.invoicing.state is InvoiceState.INVOICED
