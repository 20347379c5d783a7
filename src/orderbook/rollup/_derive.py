"""The statuses of an order from the sums of its records: the second half of summarize."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from orderbook._fast_pricing import _plain_net
from orderbook.model import LotSource, Order, SourceStatus
from orderbook.money import _ZEROS, Money, _make, _sum
from orderbook.pricing import Totals, line_net
from orderbook.rollup.payments import _payment_amounts
from orderbook.rollup.statuses import (
    CountingRules,
    FulfilmentStatus,
    InvoiceState,
    InvoiceStatus,
    percent,
)
from orderbook.rollup.summary import OrderSummary, _line_summary
from orderbook.workflow.facts import Fulfilment, Production, Progress

__all__: list[str] = []

_ZERO = Decimal(0)
_MAX_ADJUSTED = 30  # Money's amounts are below 10**31


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
    """Derive the order's summary from its ledger, in the money context."""
    lines = order.lines
    n = len(lines)
    currency = order.currency
    zero = _ZEROS[currency]
    allocated, shipped, returned = ledger.allocated, ledger.shipped, ledger.returned
    forfeited, invoiced_quantity = ledger.forfeited, ledger.invoiced_quantity
    invoiced_net, invoiced_tax = ledger.invoiced_net, ledger.invoiced_tax
    invoiced, deposited, deducted = ledger.invoiced, ledger.deposited, ledger.deducted
    sources, corrected, ack = ledger.sources, ledger.corrected, acknowledged
    cancelled_shipments, cancelled_invoices = ledger.cancelled_shipments, ledger.cancelled_invoices

    # One pass over the lines for everything the statuses need, in line order, so every sum
    # adds the same terms in the same order as a sum() over the lines would.
    limit = 1 + slack
    grosses: list[Decimal] = []
    billed_grosses: list[Decimal] = []
    delivered: list[Decimal] = []
    delivered_nets: list[Decimal] = []
    over: list[bool] = []
    fulfilled = finished = n > 0
    some_delivered = over_delivered = False
    delivered_quantity = _ZERO
    delivered_net = recurring_gross = recurring_invoiced = zero
    billable = complete = False
    billable_quantity = invoiced_billable = _ZERO
    some_invoiced = over_invoiced_quantity = False
    some_covered, all_covered = False, True
    for i, line in enumerate(lines):
        quantity = line.quantity
        net, tax = amounts[i]
        gross = net + tax
        grosses.append(gross)
        billed_gross = invoiced_net[i] + invoiced_tax[i]
        billed_grosses.append(billed_gross)
        got = shipped[i] - returned[i]
        delivered.append(got)
        if got >= quantity:
            part = net
        elif got <= 0:
            part = zero
        else:
            part = _delivered_net(line.unit_price, got, line.discount)
        delivered_nets.append(part)
        delivered_net += part
        beyond = got > quantity * limit
        over.append(beyond)
        over_delivered = over_delivered or beyond
        fulfilled = fulfilled and got >= quantity
        finished = finished and got + forfeited[i] >= quantity
        some_delivered = some_delivered or got > 0
        delivered_quantity += min(max(got, _ZERO), quantity)
        billed_quantity = invoiced_quantity[i]
        some_invoiced = some_invoiced or billed_quantity != 0
        if line.recurring:
            recurring_gross += gross
            recurring_invoiced += billed_gross
        else:
            complete = (complete or not billable) and billed_quantity >= quantity
            billable = True
            invoiced_billable += min(max(billed_quantity, _ZERO), quantity)
            billable_quantity += quantity
            over_invoiced_quantity = over_invoiced_quantity or billed_quantity > quantity
        covered = allocated[i] + max(got, _ZERO) + forfeited[i]
        some_covered = some_covered or covered > 0
        all_covered = all_covered and covered >= quantity

    state = (
        Fulfilment.COMPLETE
        if fulfilled
        else Fulfilment.FINISHED
        if finished
        else Fulfilment.PARTIAL
        if some_delivered
        else Fulfilment.NONE
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
        InvoiceState.INVOICED
        if complete
        else InvoiceState.PART_INVOICED
        if invoiced != 0 or some_invoiced
        else InvoiceState.NOT_INVOICED
    )
    deposits = max(deposited - deducted, zero)
    invoicing = InvoiceStatus(
        state=invoice_state,
        percent=percent(measured, base, complete=complete),
        by_quantity=percent(invoiced_billable, billable_quantity, complete=complete),
        invoiced=_sum(invoiced, currency),
        deposits=_sum(deposits, currency),
        over_invoiced=measured > base or over_invoiced_quantity,
    )

    paying, paid, due = _payment_amounts(
        counting.payments,
        currency,
        grosses=grosses,
        invoiced_grosses=billed_grosses,
        invoiced=invoiced,
        deposits=deposits,
        order_gross=totals.gross.amount,
        invoice_paid=ledger.invoice_paid,
        line_paid=ledger.line_paid,
    )

    allocation = (
        Progress.NONE
        if not some_covered
        else Progress.COMPLETE
        if all_covered
        else Progress.PARTIAL
    )

    def done(i: int) -> bool:
        return delivered[i] + forfeited[i] >= lines[i].quantity

    def rebilled(i: int) -> bool:
        return invoiced_quantity[i] >= lines[i].quantity

    exceptions = sorted(
        {sid for sid, carried in cancelled_shipments if not all(done(i) for i in carried)}
        | {
            iid
            for iid, billed in cancelled_invoices
            if iid not in corrected and not (billed and all(rebilled(i) for i in billed))
        }
        - ack
    )

    zero_money = _make(zero, currency)

    def wrap(amount: Decimal) -> Money:
        if amount is zero:
            return zero_money
        if amount and amount.adjusted() > _MAX_ADJUSTED:
            return Money(amount, currency)  # raises, as the Money arithmetic would have
        return _make(amount, currency)

    summaries = []
    for i, line in enumerate(lines):
        net, tax = amounts[i]
        summaries.append(
            _line_summary(
                line.id,
                line.quantity,
                allocated[i],
                shipped[i],
                returned[i],
                forfeited[i],
                invoiced_quantity[i],
                _make(net, currency),
                _make(tax, currency),
                wrap(grosses[i]),
                wrap(delivered_nets[i]),
                wrap(invoiced_net[i]),
                wrap(invoiced_tax[i]),
                wrap(paid[i]),
                wrap(due[i]),
                line.recurring,
                over[i],
            )
        )
    return OrderSummary(
        order_id=order.id,
        as_of=as_of,
        counting=counting,
        lines=tuple(summaries),
        totals=totals,
        fulfilment=fulfilment,
        invoicing=invoicing,
        payment=paying,
        allocation=allocation,
        allocated_on_hand=bool(sources)
        and all(s is LotSource.ON_HAND or st is SourceStatus.RECEIVED for s, st in sources),
        production=_production(sources),
        exceptions=tuple(exceptions),
        expired=order.expires_on is not None and as_of > order.expires_on,
    )


def _delivered_net(price: Money, quantity: Decimal, discount: Decimal) -> Decimal:
    """The net of part of a line's quantity, at the line's price and discount."""
    net = _plain_net(price, quantity, discount, ROUND_HALF_UP)
    if net is None:  # the general path gives the answer, or raises as it always did
        net = line_net(_Part(quantity, price, discount, _ZERO)).amount
    return net


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
