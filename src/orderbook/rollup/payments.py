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

from collections.abc import Sequence
from decimal import Decimal

from orderbook.money import Money
from orderbook.rollup.statuses import PaymentBasis, PaymentState, PaymentStatus, percent

__all__ = ["payment_status"]


def _share(pool: Money, weights: Sequence[Money], zero: Money) -> list[Money]:
    """Split ``pool`` by the non-negative parts of ``weights``; zeros if nothing to split."""
    amounts = [max(w.amount, Decimal(0)) for w in weights]
    pool = pool.quantize()
    if pool.amount <= 0 or not any(amounts):
        return [zero] * len(weights)
    return list(pool.split(amounts))


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
    """
    zero = Money.zero(order_gross.currency)
    paid = invoice_paid + sum(line_paid, zero)
    if basis is PaymentBasis.LINES:
        due_lines = list(grosses)
        shares = _share(invoice_paid, grosses, zero)
        paid_lines = [direct + share for direct, share in zip(line_paid, shares, strict=True)]
        due = order_gross
        complete = (
            bool(due_lines)
            and paid.amount > 0
            and all(p >= d for p, d in zip(paid_lines, due_lines, strict=True))
        )
        settled = sum((min(p, d) for p, d in zip(paid_lines, due_lines, strict=True)), zero)
        overpaid = paid > due or any(p > d for p, d in zip(paid_lines, due_lines, strict=True))
        outstanding = sum(
            (max(d - p, zero) for p, d in zip(paid_lines, due_lines, strict=True)), zero
        )
        shown = percent(settled.amount, sum(due_lines, zero).amount, complete=complete)
    else:
        due = max(invoiced, zero)
        due_lines = [max(g, zero) for g in invoiced_grosses]
        paid_lines = _share(min(paid, due), [*due_lines, deposits], zero)[:-1]
        complete = due.amount > 0 and paid >= due
        overpaid = paid > due
        outstanding = max(due - paid, zero)
        shown = percent(paid.amount, due.amount, complete=complete)
    state = (
        PaymentState.NOT_PAID
        if paid.amount <= 0
        else PaymentState.PAID
        if complete
        else PaymentState.PART_PAID
    )
    status = PaymentStatus(
        state=state,
        percent=shown,
        paid=paid,
        due=due,
        outstanding=outstanding,
        overpaid=overpaid,
    )
    return status, paid_lines, due_lines
