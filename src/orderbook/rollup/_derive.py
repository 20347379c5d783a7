"""The statuses of an order from the sums of its records: the second half of summarize."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from orderbook.model import LotSource, Order, SourceStatus
from orderbook.money import _CONTEXT, _ZEROS, Money, _make, _sum
from orderbook.pricing import Totals, _part_net, line_net
from orderbook.rollup.payments import _paid, _paid_by_invoices, _paid_by_lines, _payment
from orderbook.rollup.statuses import (
    CountingRules,
    FulfilmentStatus,
    InvoiceState,
    InvoiceStatus,
    PaymentBasis,
    percent,
)
from orderbook.rollup.summary import LineSummary, OrderSummary, _line_summary, _Lines
from orderbook.workflow.facts import Fulfilment, Production, Progress

__all__: list[str] = []

_ZERO = Decimal(0)
_MAX_ADJUSTED = 30  # Money's amounts are below 10**31

# Enum members bound once: reading one off its class is a lookup each time.
_COMPLETE, _FINISHED, _PARTIAL, _NONE = (
    Fulfilment.COMPLETE,
    Fulfilment.FINISHED,
    Fulfilment.PARTIAL,
    Fulfilment.NONE,
)
_INVOICED, _PART_INVOICED, _NOT_INVOICED = (
    InvoiceState.INVOICED,
    InvoiceState.PART_INVOICED,
    InvoiceState.NOT_INVOICED,
)
_COVERED, _PART_COVERED, _UNCOVERED = Progress.COMPLETE, Progress.PARTIAL, Progress.NONE
_LINES = PaymentBasis.LINES


@attrs.define
class _Ledger:
    """What an order's records add up to, per line and in all, as of a date.

    Amounts are Decimals of the order's currency; quantities are Decimals.
    """

    allocated: list[Decimal]
    shipped: list[Decimal]
    returned: list[Decimal]
    forfeited: list[Decimal]
    invoiced_quantity: list[Decimal]
    invoiced_net: list[Decimal]
    invoiced_tax: list[Decimal]
    line_paid: list[Decimal]
    invoiced: Decimal
    deposited: Decimal
    deducted: Decimal
    invoice_paid: Decimal
    sources: list[tuple[LotSource, SourceStatus | None]]
    cancelled_shipments: list[tuple[str, list[int]]]
    cancelled_invoices: list[tuple[str, list[int]]]
    corrected: set[str]


@attrs.frozen
class _Part:
    """A part of a line's quantity at the line's price, for :mod:`orderbook.pricing`."""

    quantity: Decimal
    unit_price: Money
    discount: Decimal
    tax_rate: Decimal


def _derive(
    order: Order,
    *,
    as_of: dt.date,
    counting: CountingRules,
    slack: Decimal,
    totals: Totals,
    amounts: Sequence[tuple[Decimal, Decimal]],
    acknowledged: frozenset[str],
    ledger: _Ledger,
) -> OrderSummary:
    """Derive the order's summary from its ledger, in the money context.

    The order-level figures are derived here; the per-line ones when first read (see
    :func:`_line_summaries`).
    """
    lines = order.lines
    currency = order.currency
    zero = _ZEROS[currency]
    shipped, returned, forfeited = ledger.shipped, ledger.returned, ledger.forfeited
    invoiced_quantity = ledger.invoiced_quantity
    invoiced, sources = ledger.invoiced, ledger.sources

    # One pass over the lines for everything the order-level statuses need. The sums that
    # only feed a percentage skip the lines that add nothing to them.
    limit = 1 + slack
    partial: dict[int, Decimal] = {}  # the delivered net of each line delivered in part
    fulfilled = bool(lines)  # every line delivered
    some_delivered = over_delivered = False
    delivered_quantity = delivered_net = _ZERO
    recurring_gross = recurring_invoiced = zero
    all_billed, some_invoiced, over_invoiced_quantity = True, False, False
    billable_quantity = invoiced_billable = _ZERO
    some = False  # some line is billed once (not recurring)
    for i, line in enumerate(lines):
        quantity = line.quantity
        got = shipped[i] - returned[i]
        if got >= quantity:
            delivered_quantity += quantity
            delivered_net += amounts[i][0]
            some_delivered = True
            if got > quantity and got > quantity * limit:
                over_delivered = True
        else:
            fulfilled = False
            if got > _ZERO:
                delivered_quantity += got
                part = _part_net(line.unit_price, got, line.discount, ROUND_HALF_UP)
                if part is None:  # the Money arithmetic gives it, or raises as it always did
                    part = line_net(_Part(got, line.unit_price, line.discount, _ZERO)).amount
                delivered_net += part
                partial[i] = part
                some_delivered = True
        billed = invoiced_quantity[i]
        if billed:
            some_invoiced = True
        if line.recurring:
            net, tax = amounts[i]
            recurring_gross += net + tax
            recurring_invoiced += ledger.invoiced_net[i] + ledger.invoiced_tax[i]
            continue
        some = True
        billable_quantity += quantity
        if billed >= quantity:
            invoiced_billable += quantity
            if billed > quantity:
                over_invoiced_quantity = True
        else:
            all_billed = False
            if billed > _ZERO:
                invoiced_billable += billed
    complete = some and all_billed

    # Forfeits finish lines, and allocations cover them; without either, a line is finished
    # and covered exactly when it is delivered.
    finished, some_covered, all_covered = fulfilled, some_delivered, fulfilled
    if sources or any(forfeited):
        allocated = ledger.allocated
        finished = all_covered = bool(lines)
        for i, line in enumerate(lines):
            quantity = line.quantity
            got = shipped[i] - returned[i]
            lost = forfeited[i]
            finished = finished and got + lost >= quantity
            covered = allocated[i] + max(got, _ZERO) + lost
            some_covered = some_covered or covered > 0
            all_covered = all_covered and covered >= quantity

    state = (
        _COMPLETE
        if fulfilled
        else _FINISHED
        if finished
        else _PARTIAL
        if some_delivered
        else _NONE
    )
    fulfilment = FulfilmentStatus(
        state=state,
        by_quantity=percent(delivered_quantity, totals.quantity, complete=fulfilled),
        by_amount=percent(delivered_net, totals.net.amount, complete=fulfilled),
        over_delivered=over_delivered,
    )

    base = totals.gross.amount - recurring_gross
    measured = invoiced - recurring_invoiced
    invoice_state = (
        _INVOICED if complete else _PART_INVOICED if invoiced or some_invoiced else _NOT_INVOICED
    )
    deposits = ledger.deposited - ledger.deducted
    if deposits < zero:
        deposits = zero
    invoicing = InvoiceStatus(
        state=invoice_state,
        percent=percent(measured, base, complete=complete),
        by_quantity=percent(invoiced_billable, billable_quantity, complete=complete),
        invoiced=_sum(invoiced, currency),
        deposits=_sum(deposits, currency),
        over_invoiced=measured > base or over_invoiced_quantity,
        label=counting.label(invoice_state),
    )

    basis = counting.payments
    paid = _paid(ledger.invoice_paid, ledger.line_paid, currency)
    # The lines basis reads each line's payments to tell the order's state; the invoiced
    # basis needs them only for the line figures, so they wait until those are read.
    by_line = (
        _paid_by_lines(
            [net + tax for net, tax in amounts], ledger.invoice_paid, ledger.line_paid, currency
        )
        if basis is _LINES
        else None
    )
    paying = _payment(
        basis,
        currency,
        paid=paid,
        invoiced=invoiced,
        order_gross=totals.gross.amount,
        paid_lines=by_line[0] if by_line else (),
        due_lines=by_line[1] if by_line else (),
        counting=counting,
    )

    def line_figures() -> tuple[LineSummary, ...]:
        with decimal.localcontext(_CONTEXT):  # read later, in the reader's context
            payments = by_line or _paid_by_invoices(
                [
                    net + tax
                    for net, tax in zip(ledger.invoiced_net, ledger.invoiced_tax, strict=True)
                ],
                paid,
                invoiced,
                deposits,
                currency,
            )
            return _line_summaries(order, amounts, ledger, partial, limit, payments)

    return OrderSummary(
        order_id=order.id,
        as_of=as_of,
        counting=counting,
        lines=_Lines(line_figures),
        totals=totals,
        fulfilment=fulfilment,
        invoicing=invoicing,
        payment=paying,
        allocation=_UNCOVERED if not some_covered else _COVERED if all_covered else _PART_COVERED,
        allocated_on_hand=bool(sources)
        and all(s is LotSource.ON_HAND or st is SourceStatus.RECEIVED for s, st in sources),
        production=_production(sources) if sources else Production.NONE,
        exceptions=_exceptions(order, ledger, acknowledged)
        if ledger.cancelled_shipments or ledger.cancelled_invoices
        else (),
        expired=order.expires_on is not None and as_of > order.expires_on,
    )


def _exceptions(order: Order, ledger: _Ledger, acknowledged: frozenset[str]) -> tuple[str, ...]:
    """The cancelled shipments and invoices neither replaced nor acknowledged, by id."""
    lines = order.lines
    shipped, returned = ledger.shipped, ledger.returned
    forfeited, invoiced_quantity = ledger.forfeited, ledger.invoiced_quantity

    def done(i: int) -> bool:
        return shipped[i] - returned[i] + forfeited[i] >= lines[i].quantity

    def rebilled(i: int) -> bool:
        return invoiced_quantity[i] >= lines[i].quantity

    return tuple(
        sorted(
            {sid for sid, carried in ledger.cancelled_shipments if not all(map(done, carried))}
            | {
                iid
                for iid, billed in ledger.cancelled_invoices
                if iid not in ledger.corrected and not (billed and all(map(rebilled, billed)))
            }
            - acknowledged
        )
    )


def _line_summaries(
    order: Order,
    amounts: Sequence[tuple[Decimal, Decimal]],
    ledger: _Ledger,
    partial: dict[int, Decimal],
    limit: Decimal,
    payments: tuple[list[Decimal], list[Decimal]],
) -> tuple[LineSummary, ...]:
    """Each line's figures, from the ledger :func:`_derive` read, in the money context.

    ``partial`` holds the delivered net of each line delivered in part; ``payments`` each
    line's paid and due.
    """
    currency = order.currency
    zero = _ZEROS[currency]
    zero_money = _make(zero, currency)
    allocated, shipped, returned = ledger.allocated, ledger.shipped, ledger.returned
    forfeited, invoiced_quantity = ledger.forfeited, ledger.invoiced_quantity
    invoiced_net, invoiced_tax = ledger.invoiced_net, ledger.invoiced_tax
    paid, due = payments

    def wrap(amount: Decimal) -> Money:
        if amount is zero:
            return zero_money
        if amount and amount.adjusted() > _MAX_ADJUSTED:
            return Money(amount, currency)  # raises, as the Money arithmetic would have
        return _make(amount, currency)

    summaries = []
    for i, line in enumerate(order.lines):
        quantity = line.quantity
        net, tax = amounts[i]
        got = shipped[i] - returned[i]
        delivered_net = net if got >= quantity else partial.get(i, zero)
        summaries.append(
            _line_summary(
                line.id,
                quantity,
                allocated[i],
                shipped[i],
                returned[i],
                forfeited[i],
                invoiced_quantity[i],
                _make(net, currency),
                _make(tax, currency),
                wrap(net + tax),
                wrap(delivered_net),
                wrap(invoiced_net[i]),
                wrap(invoiced_tax[i]),
                wrap(paid[i]),
                wrap(due[i]),
                line.recurring,
                got > quantity * limit,
            )
        )
    return tuple(summaries)


def _production(sources: list[tuple[LotSource, SourceStatus | None]]) -> Production:
    """Requested or confirmed manufacturing orders are scheduled; in progress or received
    ones mean production started; it is finished when every one is received (MRPeasy)."""
    made = [status for source, status in sources if source is LotSource.MANUFACTURING]
    if not made:
        return Production.NONE
    if all(status is SourceStatus.RECEIVED for status in made):
        return Production.FINISHED
    if any(status in (SourceStatus.IN_PROGRESS, SourceStatus.RECEIVED) for status in made):
        return Production.STARTED
    return Production.SCHEDULED
