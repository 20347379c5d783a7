"""Payment status: what was paid against what is due, for the order and for each line.

Two bases (a :class:`~orderbook.rollup.statuses.PaymentBasis`):

- **invoiced** (MRPeasy): the order owes what was invoiced. It is paid when the payments
  reach the invoiced total. Each line is owed its invoiced gross, and the payments (capped at
  the invoiced total) are shared among the lines in proportion to it, deposits not yet
  deducted taking their own share, with :meth:`Money.split` so the shares add up exactly.
- **lines** (Mangrove): each line (delivery) is owed its gross and paid by the payments
  recorded against it. Payments against invoices are shared among the lines in proportion to
  their gross. The order is paid when every line is, and partially paid when some are.

>>> from orderbook import Money
>>> eur = lambda amount: Money(amount, "EUR")
>>> status, paid, due = payment_status(
...     PaymentBasis.LINES,
...     grosses=[eur("100.00"), eur("50.00")],
...     invoiced_grosses=[eur("0.00"), eur("0.00")],
...     invoiced=eur("0.00"),
...     deposits=eur("0.00"),
...     order_gross=eur("150.00"),
...     invoice_paid=eur("0.00"),
...     line_paid=[eur("100.00"), eur("0.00")],
... )
>>> status.state, status.percent, [str(p) for p in paid]
(<PaymentState.PART_PAID: 'part_paid'>, Decimal('66.66'), ['EUR 100.00', 'EUR 0.00'])
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.money import _CONTEXT, _STEPS, _ZEROS, Money, _split_units, _sum
from orderbook.rollup.statuses import PaymentBasis, PaymentState, PaymentStatus, percent

__all__ = ["payment_status"]

_ZERO = Decimal(0)


def payment_status(
    basis: PaymentBasis,
    *,
    grosses: Sequence[Money],
    invoiced_grosses: Sequence[Money],
    invoiced: Money,
    deposits: Money,
    order_gross: Money,
    invoice_paid: Money,
    line_paid: Sequence[Money],
) -> tuple[PaymentStatus, list[Money], list[Money]]:
    """Return the order's payment status, and what each line was paid and is owed.

    Args:
        basis: what the payments are measured against.
        grosses: each line's gross.
        invoiced_grosses: each line's invoiced gross, credit notes deducted.
        invoiced: the order's invoiced total, deposits included.
        deposits: deposits invoiced and not yet deducted.
        order_gross: the order's gross.
        invoice_paid: payments against the order's invoices, refunds deducted.
        line_paid: payments recorded against each line.

    Returns:
        the status, the amount paid per line, the amount due per line.

    Raises:
        CurrencyMismatch: an amount is in another currency than ``order_gross``.
    """
    if not isinstance(order_gross, Money):
        raise ValidationError("order_gross", order_gross, "must be Money")
    currency = order_gross.currency
    named = [("invoiced", invoiced), ("deposits", deposits), ("invoice_paid", invoice_paid)]
    named += [(f"grosses[{i}]", m) for i, m in enumerate(grosses)]
    named += [(f"invoiced_grosses[{i}]", m) for i, m in enumerate(invoiced_grosses)]
    named += [(f"line_paid[{i}]", m) for i, m in enumerate(line_paid)]
    for field, money in named:
        if not isinstance(money, Money):
            raise ValidationError(field, money, "must be Money")
        if money.currency != currency:
            raise CurrencyMismatch(currency, money.currency, field=field)
    with decimal.localcontext(_CONTEXT):
        status, paid, due = _payment_amounts(
            basis,
            currency,
            grosses=[m.amount for m in grosses],
            invoiced_grosses=[m.amount for m in invoiced_grosses],
            invoiced=invoiced.amount,
            deposits=deposits.amount,
            order_gross=order_gross.amount,
            invoice_paid=invoice_paid.amount,
            line_paid=[m.amount for m in line_paid],
        )
    return (
        status,
        [_sum(amount, currency) for amount in paid],
        [_sum(amount, currency) for amount in due],
    )


def _share(pool: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """Split ``pool`` by the non-negative parts of ``weights``; zeros if nothing to split.

    The same parts as :meth:`Money.split` of the pool rounded to the minor unit.
    """
    amounts = [max(w, _ZERO) for w in weights]
    pool = pool.quantize(_STEPS[currency], ROUND_HALF_UP)
    if pool <= 0 or not any(amounts):
        return [_ZEROS[currency]] * len(weights)
    places = -_STEPS[currency].adjusted()
    units = int(pool.scaleb(places))
    return [Decimal(part).scaleb(-places) for part in _split_units(units, amounts)]


def _payment_amounts(
    basis: PaymentBasis,
    currency: str,
    *,
    grosses: Sequence[Decimal],
    invoiced_grosses: Sequence[Decimal],
    invoiced: Decimal,
    deposits: Decimal,
    order_gross: Decimal,
    invoice_paid: Decimal,
    line_paid: Sequence[Decimal],
) -> tuple[PaymentStatus, list[Decimal], list[Decimal]]:
    """:func:`payment_status` over the amounts of ``currency``, in the money context."""
    zero = _ZEROS[currency]
    paid = invoice_paid + sum(line_paid, zero)
    if basis is PaymentBasis.LINES:
        due_lines = list(grosses)
        shares = _share(invoice_paid, grosses, currency)
        paid_lines = [direct + share for direct, share in zip(line_paid, shares, strict=True)]
        due = order_gross
        pairs = list(zip(paid_lines, due_lines, strict=True))
        complete = bool(due_lines) and paid > 0 and all(p >= d for p, d in pairs)
        settled = sum((min(p, d) for p, d in pairs), zero)
        overpaid = paid > due or any(p > d for p, d in pairs)
        outstanding = sum((max(d - p, zero) for p, d in pairs), zero)
        shown = percent(settled, sum(due_lines, zero), complete=complete)
    else:
        due = max(invoiced, zero)
        due_lines = [max(g, zero) for g in invoiced_grosses]
        paid_lines = _share(min(paid, due), [*due_lines, deposits], currency)[:-1]
        complete = due > 0 and paid >= due
        overpaid = paid > due
        outstanding = max(due - paid, zero)
        shown = percent(paid, due, complete=complete)
    state = (
        PaymentState.NOT_PAID
        if paid <= 0
        else PaymentState.PAID
        if complete
        else PaymentState.PART_PAID
    )
    status = PaymentStatus(
        state=state,
        percent=shown,
        paid=_sum(paid, currency),
        due=_sum(due, currency),
        outstanding=_sum(outstanding, currency),
        overpaid=overpaid,
    )
    return status, paid_lines, due_lines
