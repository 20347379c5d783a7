"""Invoices from an order: all that remains, what was shipped, or chosen quantities; deposits.

Each invoice is a draft built from the order and its :class:`~orderbook.rollup.OrderSummary`
(which says what is already invoiced). The part that completes a line is cent-exact (see
:mod:`orderbook.billing.exact`), and the invoice that completes the order deducts the deposits
not yet deducted, so the invoices of an order add up to its gross exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import attrs

from orderbook.billing._due import due_on
from orderbook.billing.exact import complete, order_part
from orderbook.errors import ValidationError
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import Invoice, InvoiceKind, InvoiceLine, Order
from orderbook.money import Money, to_decimal
from orderbook.pricing import invoice_totals
from orderbook.rollup import LineSummary, OrderSummary

__all__ = ["deposit_invoice", "invoice_order"]

_ZERO = Decimal(0)

Quantities = Literal["remaining", "shipped"] | Mapping[str, Decimal | int | str]
"""What to invoice: all that remains, what was shipped and not invoiced, or per line."""


def _check(order: Order, summary: OrderSummary) -> None:
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    if not isinstance(summary, OrderSummary) or summary.order_id != order.id:
        raise ValidationError("summary", summary, f"must be the OrderSummary of {order.id!r}")


def _dates(
    issued_on: dt.date | None, due_days: int | None
) -> tuple[dt.date | None, dt.date | None]:
    if issued_on is not None and (
        not isinstance(issued_on, dt.date) or isinstance(issued_on, dt.datetime)
    ):
        raise ValidationError("issued_on", issued_on, "must be a datetime.date")
    if due_days is None:
        return issued_on, None
    if issued_on is None:
        raise ValidationError("issued_on", None, "must be given with due_days")
    return issued_on, due_on(issued_on, due_days)


def _wanted(summary: OrderSummary, quantities: Quantities) -> dict[str, Decimal]:
    if quantities == "remaining":
        return {s.line_id: s.uninvoiced for s in summary.lines if not s.recurring}
    if quantities == "shipped":
        return {
            s.line_id: s.delivered - max(s.invoiced_quantity, _ZERO)
            for s in summary.lines
            if not s.recurring
        }
    if not isinstance(quantities, Mapping):
        raise ValidationError(
            "quantities", quantities, "must be 'remaining', 'shipped' or {line_id: quantity}"
        )
    wanted = {}
    for line_id, raw in quantities.items():
        field = f"quantities[{line_id!r}]"
        quantity = to_decimal(raw, field)
        if quantity <= 0:
            raise ValidationError(field, raw, "must be greater than 0")
        wanted[line_id] = quantity
    return wanted


def invoice_order(
    order: Order,
    summary: OrderSummary,
    *,
    quantities: Quantities = "remaining",
    kind: InvoiceKind | str = InvoiceKind.INVOICE,
    issued_on: dt.date | None = None,
    due_days: int | None = None,
    tolerance: Decimal | int | str = 0,
    deduct_deposits: bool | None = None,
    number: str = "",
    subject: str = "",
    id_factory: IdFactory = uuid4_ids,
) -> Invoice:
    """Build a draft invoice for an order.

    Args:
        order: the order.
        summary: its summary, which says what is already invoiced and shipped.
        quantities: ``"remaining"`` (all not yet invoiced), ``"shipped"`` (shipped and not
            yet invoiced) or ``{line_id: quantity}``. Recurring lines are billed per period
            (see :mod:`orderbook.recurrence`), so only a mapping bills them here.
        kind: ``"invoice"`` or ``"pro_forma"``.
        issued_on: the date it will carry; ``due_days`` after it, it is due.
        due_days: days until payment is due.
        tolerance: the fraction of a line's quantity that may be invoiced beyond it.
        deduct_deposits: deduct the deposits not yet deducted; by default, only when this
            invoice completes the order.
        number, subject: as printed.
        id_factory: makes the invoice's and its lines' ids.

    Raises:
        ValidationError: nothing is left to invoice, a quantity is not positive or names no
            line, a line would be invoiced beyond its quantity and the tolerance, or ``kind``
            is not an invoice or pro-forma.
    """
    _check(order, summary)
    if kind not in (InvoiceKind.INVOICE, InvoiceKind.PRO_FORMA):
        raise ValidationError("kind", kind, "must be 'invoice' or 'pro_forma'")
    slack = to_decimal(tolerance, "tolerance")
    if slack < 0:
        raise ValidationError("tolerance", tolerance, "must not be negative")
    issued, due = _dates(issued_on, due_days)
    wanted = {line_id: q for line_id, q in _wanted(summary, quantities).items() if q > 0}
    if not wanted:
        raise ValidationError("quantities", quantities, "leave nothing to invoice")
    by_id = {s.line_id: s for s in summary.lines}
    lines: list[InvoiceLine] = []
    completes_order = True
    for line in order.lines:
        state = by_id.get(line.id)
        if state is None:
            raise ValidationError("summary", summary, f"must summarize line {line.id!r}")
        quantity = wanted.pop(line.id, _ZERO)
        after = state.invoiced_quantity + quantity
        if not line.recurring and after < line.quantity:
            completes_order = False
        if not quantity:
            continue
        if not line.recurring and after > line.quantity * (1 + slack):
            raise ValidationError(
                f"quantities[{line.id!r}]",
                quantity,
                f"would invoice {after} of the {line.quantity} ordered on line {line.id!r}",
            )
        lines.append(_part(line.id, state, order, quantity, id_factory))
    if wanted:
        unknown = sorted(wanted)[0]
        raise ValidationError(
            f"quantities[{unknown!r}]", unknown, f"must name a line of order {order.id!r}"
        )
    invoice = Invoice(
        id=id_factory(),
        customer_id=order.customer_id,
        currency=order.currency,
        lines=lines,
        order_id=order.id,
        kind=kind,
        number=number,
        subject=subject or order.subject,
        issued_on=issued,
        due_on=due,
    )
    deduct = completes_order if deduct_deposits is None else deduct_deposits
    balance = summary.invoicing.deposits
    if deduct and balance.amount > 0 and kind is InvoiceKind.INVOICE:
        amount = min(balance, invoice_totals(invoice).gross)
        if amount.amount > 0:
            deduction = InvoiceLine(
                id=id_factory(), quantity=1, unit_price=-amount, description="Deposit deducted"
            )
            invoice = attrs.evolve(invoice, lines=(*invoice.lines, deduction))
    return invoice


def _part(
    line_id: str, state: LineSummary, order: Order, quantity: Decimal, id_factory: IdFactory
) -> InvoiceLine:
    """Bill ``quantity`` of a line; the part that completes it takes what is left, exactly."""
    line = order.line(line_id)
    part = order_part(line, quantity, line_id=id_factory())
    if line.recurring or state.invoiced_quantity + quantity != line.quantity:
        return part
    return complete(part, net=state.net - state.invoiced_net, tax=state.tax - state.invoiced_tax)


def deposit_invoice(
    order: Order,
    summary: OrderSummary,
    *,
    amount: Money | None = None,
    percent: Decimal | int | str | None = None,
    issued_on: dt.date | None = None,
    due_days: int | None = None,
    number: str = "",
    subject: str = "",
    id_factory: IdFactory = uuid4_ids,
) -> Invoice:
    """Build a draft deposit (down payment) invoice: a fixed amount or a percent of the gross.

    A deposit bills an amount, not quantities; the invoice that completes the order deducts
    it. A percent is taken of the order's gross with :meth:`Money.split`, so the deposit and
    the rest add up to the gross exactly; a percent deposit that would exceed what is left
    to invoice takes exactly what is left (two deposits of 50% bill the gross to the cent).
    The deposit line carries no tax of its own.

    Args:
        order: the order.
        summary: its summary, which says what is already invoiced.
        amount: the deposit, in the order's currency; at most what is left to invoice.
        percent: or the deposit as a percent of the gross (30 is 30%).
        issued_on, due_days, number: as for :func:`invoice_order`.
        subject: as printed; the order's subject by default.
        id_factory: makes the invoice's and its line's ids.

    Raises:
        ValidationError: neither or both of ``amount`` and ``percent`` are given, the
            percent is not above 0 and at most 100, nothing is left to invoice, or the
            amount is not above zero or exceeds what is left to invoice.

    >>> from orderbook import OrderLine
    >>> from orderbook.billing import issue
    >>> from orderbook.rollup import summarize
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="DESK", quantity=1, unit_price=Money("0.05", "EUR"))])
    >>> day = dt.date(2027, 1, 1)
    >>> first = issue(deposit_invoice(order, summarize(order, as_of=day), percent=50),
    ...               issued_on=day)
    >>> second = deposit_invoice(order, summarize(order, invoices=[first], as_of=day),
    ...                          percent=50)
    >>> first.lines[0].unit_price, second.lines[0].unit_price
    (Money('0.03', 'EUR'), Money('0.02', 'EUR'))
    """
    _check(order, summary)
    issued, due = _dates(issued_on, due_days)
    if (amount is None) == (percent is None):
        raise ValidationError("amount", amount, "or percent must be given, and not both")
    gross = summary.gross
    left = gross - summary.invoicing.invoiced
    if percent is not None:
        share = to_decimal(percent, "percent")
        if not 0 < share <= 100:
            raise ValidationError("percent", percent, "must be above 0 and at most 100")
        if left.amount <= 0:
            raise ValidationError("percent", percent, f"leaves nothing to invoice: {left} left")
        amount = min(gross.split([share, 100 - share])[0], left)
    assert amount is not None
    if not isinstance(amount, Money) or amount.currency != order.currency:
        raise ValidationError("amount", amount, f"must be Money in {order.currency}")
    amount = amount.quantize()
    if amount.amount <= 0 or amount > left:
        raise ValidationError("amount", amount, f"must be above 0 and at most {left}")
    line = InvoiceLine(id=id_factory(), quantity=1, unit_price=amount, description="Deposit")
    return Invoice(
        id=id_factory(),
        customer_id=order.customer_id,
        currency=order.currency,
        lines=[line],
        order_id=order.id,
        kind=InvoiceKind.DEPOSIT,
        number=number,
        subject=subject or order.subject,
        issued_on=issued,
        due_on=due,
    )
