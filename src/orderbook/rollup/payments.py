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
>>> from orderbook.rollup import format_percent
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
>>> status.state, format_percent(status.percent), [str(p) for p in paid]
(<PaymentState.PART_PAID: 'part_paid'>, '66.67%', ['EUR 100.00', 'EUR 0.00'])
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.money import _CONTEXT, _STEPS, _ZEROS, Money, _split_units, _sum
from orderbook.rollup.statuses import (
    DEFAULT_COUNTING,
    CountingRules,
    PaymentBasis,
    PaymentState,
    PaymentStatus,
    percent,
)

__all__ = ["payment_status"]

_ZERO = Decimal(0)
# Enum members bound once: reading one off its class is a lookup each time.
_LINES = PaymentBasis.LINES
_NOT_PAID, _PART_PAID, _PAID = PaymentState.NOT_PAID, PaymentState.PART_PAID, PaymentState.PAID


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
        paid_total = _paid(invoice_paid.amount, [m.amount for m in line_paid], currency)
        if basis is _LINES:
            paid, due = _paid_by_lines(
                [m.amount for m in grosses],
                invoice_paid.amount,
                [m.amount for m in line_paid],
                currency,
            )
        else:
            paid, due = _paid_by_invoices(
                [m.amount for m in invoiced_grosses],
                paid_total,
                invoiced.amount,
                deposits.amount,
                currency,
            )
        status = _payment(
            basis,
            currency,
            paid=paid_total,
            invoiced=invoiced.amount,
            order_gross=order_gross.amount,
            paid_lines=paid,
            due_lines=due,
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


def _paid(invoice_paid: Decimal, line_paid: Sequence[Decimal], currency: str) -> Decimal:
    """All that was paid: against the invoices and against the lines."""
    return invoice_paid + sum(line_paid, _ZEROS[currency])


def _paid_by_lines(
    grosses: Sequence[Decimal],
    invoice_paid: Decimal,
    line_paid: Sequence[Decimal],
    currency: str,
) -> tuple[list[Decimal], list[Decimal]]:
    """Each line's paid and due on the lines basis, in the money context: it is owed its
    gross and paid what was paid against it plus its share of the payments against invoices.
    """
    shares = _share(invoice_paid, grosses, currency)
    paid = [direct + share for direct, share in zip(line_paid, shares, strict=True)]
    return paid, list(grosses)


def _paid_by_invoices(
    invoiced_grosses: Sequence[Decimal],
    paid: Decimal,
    invoiced: Decimal,
    deposits: Decimal,
    currency: str,
) -> tuple[list[Decimal], list[Decimal]]:
    """Each line's paid and due on the invoiced basis, in the money context: it is owed its
    invoiced gross, and what was paid (up to what is due) is shared by the lines, deposits
    taking their share."""
    zero = _ZEROS[currency]
    due = [max(g, zero) for g in invoiced_grosses]
    pool = min(paid, max(invoiced, zero))
    return _share(pool, [*due, deposits], currency)[:-1], due


def _payment(
    basis: PaymentBasis,
    currency: str,
    *,
    paid: Decimal,
    invoiced: Decimal,
    order_gross: Decimal,
    paid_lines: Sequence[Decimal],
    due_lines: Sequence[Decimal],
    counting: CountingRules = DEFAULT_COUNTING,
) -> PaymentStatus:
    """The order's payment status from all that was paid, in the money context; its label
    in the words of ``counting``.

    On the lines basis it is read from each line's paid and due (:func:`_paid_by_lines`);
    otherwise from the totals alone, and ``paid_lines`` and ``due_lines`` are not read.
    """
    zero = _ZEROS[currency]
    if basis is _LINES:
        due = order_gross
        pairs = list(zip(paid_lines, due_lines, strict=True))
        complete = bool(due_lines) and paid > 0 and all(p >= d for p, d in pairs)
        settled = sum((min(p, d) for p, d in pairs), zero)
        overpaid = paid > due or any(p > d for p, d in pairs)
        outstanding = sum((max(d - p, zero) for p, d in pairs), zero)
        shown = percent(settled, sum(due_lines, zero), complete=complete)
    else:
        due = invoiced if invoiced >= zero else zero
        complete = due > zero and paid >= due
        overpaid = paid > due
        outstanding = due - paid
        if outstanding < zero:
            outstanding = zero
        shown = percent(paid, due, complete=complete)
    state = _NOT_PAID if paid <= 0 else _PAID if complete else _PART_PAID
    return PaymentStatus(
        state=state,
        percent=shown,
        paid=_sum(paid, currency),
        due=_sum(due, currency),
        outstanding=_sum(outstanding, currency),
        overpaid=overpaid,
        label=counting.label(state),
    )
