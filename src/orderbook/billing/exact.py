"""Cent-exact parts: the last part of a split line is the total minus what came before.

Invoicing a line in parts and rounding each part on its own can gain or lose a cent: 30% and
70% of EUR 145.05 round to 43.52 and 101.54, which add up to 145.06. So the part that
completes a line is not priced from scratch: its net is the line's net minus the nets already
invoiced, and its tax the line's tax minus the taxes already invoiced. Where that differs from
what the formula gives, the part carries the amounts fixed (``fixed_net``, ``fixed_tax``), and
:mod:`orderbook.pricing` reads them; its quantity, price and rate stay as printed.

>>> from orderbook import InvoiceLine, Money, line_net
>>> part = InvoiceLine(quantity="0.7", unit_price=Money("145.05", "EUR"))
>>> line_net(part)
Money('101.54', 'EUR')
>>> done = complete(part, net=Money("101.53", "EUR"), tax=Money("0.00", "EUR"))
>>> line_net(done), done.unit_price
(Money('101.53', 'EUR'), Money('145.05', 'EUR'))

A draft's line that is edited is priced again from its new values (:func:`complete_part`):
it takes exactly what is left only while it still completes its order line on that line's
own terms (its unit price, discount and tax rate). A part billed at another price is not a
share of the line's amounts, so the formula alone prices it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from orderbook.errors import NotFound, ValidationError
from orderbook.model import Invoice, InvoiceKind, InvoiceLine, Order, OrderLine
from orderbook.money import Money
from orderbook.pricing import line_net, line_tax, tax_rate_of
from orderbook.rollup import OrderSummary

__all__ = ["complete", "complete_part", "order_part"]

# The kinds whose lines are parts of order lines: invoice_order makes them.
_PARTS = (InvoiceKind.INVOICE, InvoiceKind.PRO_FORMA)


def complete(part: InvoiceLine, *, net: Money, tax: Money) -> InvoiceLine:
    """Return ``part`` with its net and tax exactly ``net`` and ``tax``.

    The part is returned unchanged when the formulas already give those amounts (the usual
    case); otherwise the amounts that differ are fixed on it.

    Args:
        part: the invoice line that completes an order line (or an invoice line, for a
            credit note).
        net: the net it must have: the total minus the nets of the earlier parts.
        tax: the tax it must have: the total minus the taxes of the earlier parts.
    """
    if line_net(part) != net:
        part = attrs.evolve(part, fixed_net=net)
    if line_tax(part) != tax:
        part = attrs.evolve(part, fixed_tax=tax)
    return part


def order_part(line: OrderLine, quantity: Decimal, *, line_id: str) -> InvoiceLine:
    """Return an invoice line that bills ``quantity`` of an order line on the line's own terms.

    It copies the order line's unit price, discount, tax rate, description and SKU, so later
    changes to the order leave it as billed.

    >>> from orderbook import Money, OrderLine
    >>> desk = OrderLine(id="l1", sku="DESK", quantity=1, unit_price=Money("145.05", "EUR"))
    >>> part = order_part(desk, Decimal("0.3"), line_id="i1")
    >>> part.order_line_id, part.quantity, line_net(part)
    ('l1', Decimal('0.3'), Money('43.52', 'EUR'))
    """
    return InvoiceLine(
        id=line_id,
        quantity=quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        tax_rate=tax_rate_of(line),
        description=line.description,
        sku=line.sku,
        order_line_id=line.id,
    )


def complete_part(invoice: Invoice, line_id: str, order: Order, summary: OrderSummary) -> Invoice:
    """Price one line of an invoice afresh; if it completes its order line, cent-exactly.

    The line loses any amounts fixed on it and is priced by the formulas from its quantity,
    price, discount and rate. If it bills an order line on that line's own terms, and the
    quantity billed before it (by the other documents, and by other lines of this invoice)
    plus its own is the line's quantity, it takes exactly the line's net and tax less what
    was billed before (see :func:`complete`). Lines of credit notes and deposits, and lines
    of recurring order lines, are only priced afresh.

    Args:
        invoice: the invoice (a draft being edited).
        line_id: the id of its line to price.
        order: the order it bills.
        summary: the order's summary counting every other billing document (drafts
            included) and not this invoice.

    Raises:
        ValidationError: ``summary`` is not the order's, or the invoice bills another order.
        NotFound: the invoice has no such line.

    >>> import datetime as dt
    >>> from orderbook import Money, OrderLine
    >>> from orderbook.billing import invoice_order, issue
    >>> from orderbook.rollup import summarize
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="DESK", quantity=1, unit_price=Money("145.05", "EUR"))])
    >>> day = dt.date(2027, 1, 1)
    >>> first = issue(invoice_order(order, summarize(order, as_of=day), quantities={"l1": "0.3"}),
    ...               issued_on=day)
    >>> others = summarize(order, invoices=[first], as_of=day)
    >>> rest = invoice_order(order, others, quantities={"l1": "0.6"})
    >>> done = complete_part(
    ...     attrs.evolve(rest, lines=[attrs.evolve(rest.lines[0], quantity="0.7")]),
    ...     rest.lines[0].id, order, others)
    >>> line_net(done.lines[0]), done.lines[0].fixed_net
    (Money('101.53', 'EUR'), Money('101.53', 'EUR'))
    """
    if not isinstance(invoice, Invoice):
        raise ValidationError("invoice", invoice, "must be an Invoice")
    if not isinstance(order, Order) or invoice.order_id != order.id:
        raise ValidationError("order", order, f"must be the order invoice {invoice.id!r} bills")
    if not isinstance(summary, OrderSummary) or summary.order_id != order.id:
        raise ValidationError("summary", summary, f"must be the OrderSummary of {order.id!r}")
    index = line_index(invoice, line_id)
    part = attrs.evolve(invoice.lines[index], fixed_net=None, fixed_tax=None)
    target = _completed(invoice, index, part, order, summary)
    if target is not None:
        part = complete(part, net=target[0], tax=target[1])
    return attrs.evolve(invoice, lines=(*invoice.lines[:index], part, *invoice.lines[index + 1 :]))


def line_index(invoice: Invoice, line_id: str) -> int:
    """The position of a line in an invoice; NotFound if it has none of that id."""
    for i, line in enumerate(invoice.lines):
        if line.id == line_id:
            return i
    raise NotFound("invoice line", line_id)


def _completed(
    invoice: Invoice, index: int, part: InvoiceLine, order: Order, summary: OrderSummary
) -> tuple[Money, Money] | None:
    """The net and tax that complete the order line ``part`` bills, or None if it does not."""
    if invoice.kind not in _PARTS or part.order_line_id is None:
        return None
    line = next((ln for ln in order.lines if ln.id == part.order_line_id), None)
    if line is None or line.recurring:
        return None
    terms = order_part(line, part.quantity, line_id=part.id)
    if (part.unit_price, part.discount, part.tax_rate) != (
        terms.unit_price,
        terms.discount,
        terms.tax_rate,
    ):
        return None
    state = summary.line(line.id)
    quantity, net, tax = state.invoiced_quantity, state.invoiced_net, state.invoiced_tax
    for i, other in enumerate(invoice.lines):
        if i != index and other.order_line_id == line.id:
            quantity += other.quantity
            net += line_net(other)
            tax += line_tax(other)
    if quantity + part.quantity != line.quantity:
        return None
    return state.net - net, state.tax - tax
