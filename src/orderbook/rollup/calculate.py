"""summarize: one pass over an order's records, then the statuses from the sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

import attrs

from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.model import (
    Allocation,
    DocumentStatus,
    Forfeit,
    Invoice,
    InvoiceKind,
    Lot,
    LotSource,
    Order,
    Payment,
    Shipment,
    ShipmentKind,
    SourceStatus,
)
from orderbook.money import Money, to_decimal
from orderbook.pricing import TaxRounding, invoice_totals, line_net, line_tax, order_totals
from orderbook.rollup.payments import payment_status
from orderbook.rollup.statuses import (
    DEFAULT_COUNTING,
    CountingRules,
    FulfilmentStatus,
    InvoiceState,
    InvoiceStatus,
    percent,
)
from orderbook.rollup.summary import LineSummary, OrderSummary
from orderbook.workflow.facts import Fulfilment, Production, Progress

__all__ = ["summarize"]

_ZERO = Decimal(0)
T = TypeVar("T")


@attrs.frozen
class _Part:
    """A part of a line's quantity at the line's price, for :mod:`orderbook.pricing`."""

    quantity: Decimal
    unit_price: Money
    discount: Decimal
    tax_rate: Decimal


def _records(items: Iterable[T], kind: type[T], field: str) -> list[T]:
    if isinstance(items, str | bytes):
        raise ValidationError(field, items, f"must be an iterable of {kind.__name__}")
    try:
        records = list(items)
    except TypeError:
        raise ValidationError(field, items, f"must be an iterable of {kind.__name__}") from None
    for k, item in enumerate(records):
        if not isinstance(item, kind):
            raise ValidationError(f"{field}[{k}]", item, f"must be a {kind.__name__}")
    return records


def summarize(
    order: Order,
    *,
    allocations: Iterable[Allocation] = (),
    shipments: Iterable[Shipment] = (),
    forfeits: Iterable[Forfeit] = (),
    invoices: Iterable[Invoice] = (),
    payments: Iterable[Payment] = (),
    lots: Iterable[Lot] = (),
    as_of: dt.date,
    counting: CountingRules = DEFAULT_COUNTING,
    tolerance: Decimal | str | int = 0,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
    acknowledged: Iterable[str] = (),
) -> OrderSummary:
    """Summarize where an order stands as of a date, from its records.

    Records of other orders are ignored, so a customer's whole ledger may be passed. Records
    dated after ``as_of`` (shipments, forfeits, invoices by their issue date, payments,
    allocations) are not yet counted.

    Args:
        order: the order.
        allocations: allocations of lots to its lines (not yet shipped).
        shipments: deliveries and returns; cancelled ones count for nothing.
        forfeits: quantities the customer gave up.
        invoices: its billing documents; ``counting`` says which count.
        payments: payments against its invoices, or against its lines.
        lots: the lots its allocations draw on (for production and on-hand facts).
        as_of: the date the question is asked about.
        counting: which documents count as invoiced, and what payments are measured against.
        tolerance: the fraction of a line's quantity that may be delivered beyond it before
            it is flagged as over-delivered (0.05 is 5%).
        tax_rounding: how invoices' and the order's tax is rounded.
        acknowledged: ids of cancelled shipments or invoices a person has dealt with, so they
            no longer put the order in exception.

    Returns:
        an :class:`OrderSummary`.

    Raises:
        ValidationError: a record of the order names a line or lot that is not there, or an
            argument is of the wrong type.
        CurrencyMismatch: an invoice or payment of the order is in another currency.
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError("as_of", as_of, "must be a datetime.date")
    if not isinstance(counting, CountingRules):
        raise ValidationError("counting", counting, "must be CountingRules")
    slack = to_decimal(tolerance, "tolerance")
    if slack < 0:
        raise ValidationError("tolerance", tolerance, "must not be negative")
    totals = order_totals(order, tax_rounding=tax_rounding)
    ack = frozenset(_records(acknowledged, str, "acknowledged"))
    lines = order.lines
    n = len(lines)
    index = {line.id: i for i, line in enumerate(lines)}
    zero = Money.zero(order.currency)

    def position(line_id: str | None, field: str) -> int:
        i = index.get(line_id) if line_id is not None else None
        if i is None:
            raise ValidationError(field, line_id, f"must name a line of order {order.id!r}")
        return i

    allocated = [_ZERO] * n
    lot_by_id = {lot.id: lot for lot in _records(lots, Lot, "lots")}
    sources: list[tuple[LotSource, SourceStatus | None]] = []
    for k, alloc in enumerate(_records(allocations, Allocation, "allocations")):
        if alloc.order_id != order.id or (alloc.at is not None and alloc.at.date() > as_of):
            continue
        allocated[position(alloc.line_id, f"allocations[{k}].line_id")] += alloc.quantity
        lot = lot_by_id.get(alloc.lot_id)
        if lot is None:
            raise ValidationError(
                f"allocations[{k}].lot_id", alloc.lot_id, "must name one of the lots given"
            )
        sources.append((lot.source, lot.source_status))

    shipped = [_ZERO] * n
    returned = [_ZERO] * n
    cancelled_shipments: list[tuple[str, list[int]]] = []
    for k, shipment in enumerate(_records(shipments, Shipment, "shipments")):
        if shipment.order_id != order.id or shipment.shipped_on > as_of:
            continue
        carried = [
            position(item.line_id, f"shipments[{k}].items[{j}].line_id")
            for j, item in enumerate(shipment.items)
        ]
        if shipment.cancelled:
            cancelled_shipments.append((shipment.id, carried))
            continue
        into = shipped if shipment.kind is ShipmentKind.DELIVERY else returned
        for i, item in zip(carried, shipment.items, strict=True):
            into[i] += item.quantity

    forfeited = [_ZERO] * n
    for k, forfeit in enumerate(_records(forfeits, Forfeit, "forfeits")):
        if forfeit.order_id != order.id:
            continue
        if forfeit.forfeited_on is not None and forfeit.forfeited_on > as_of:
            continue
        forfeited[position(forfeit.line_id, f"forfeits[{k}].line_id")] += forfeit.quantity

    invoiced_quantity = [_ZERO] * n
    invoiced_net = [zero] * n
    invoiced_tax = [zero] * n
    invoiced = deposited = deducted = zero
    kinds: dict[str, InvoiceKind] = {}
    cancelled_invoices: list[tuple[str, list[int]]] = []
    corrected: set[str] = set()
    for k, invoice in enumerate(_records(invoices, Invoice, "invoices")):
        if invoice.order_id != order.id:
            continue
        if invoice.currency != order.currency:
            raise CurrencyMismatch(
                order.currency, invoice.currency, field=f"invoices[{k}].currency"
            )
        billed = [
            position(il.order_line_id, f"invoices[{k}].lines[{j}].order_line_id")
            for j, il in enumerate(invoice.lines)
            if il.order_line_id is not None
        ]
        kinds[invoice.id] = invoice.kind
        if invoice.status is DocumentStatus.CANCELLED:
            if invoice.issued_on is not None:
                cancelled_invoices.append((invoice.id, billed))
            continue
        if invoice.issued_on is not None and invoice.issued_on > as_of:
            continue
        if invoice.corrects is not None:
            corrected.add(invoice.corrects)
        if not counting.counts(invoice):
            continue
        sign = -1 if invoice.kind is InvoiceKind.CREDIT_NOTE else 1
        gross = invoice_totals(invoice, tax_rounding=tax_rounding).gross
        invoiced += gross * sign
        if invoice.kind is InvoiceKind.DEPOSIT:
            deposited += gross
            continue
        for il in invoice.lines:
            net, tax = line_net(il), line_tax(il)
            if il.order_line_id is None:
                if sign > 0 and il.unit_price.amount < 0:
                    deducted -= net + tax
                continue
            i = index[il.order_line_id]
            invoiced_quantity[i] += il.quantity * sign
            invoiced_net[i] += net * sign
            invoiced_tax[i] += tax * sign

    invoice_paid = zero
    line_paid = [zero] * n
    for k, payment in enumerate(_records(payments, Payment, "payments")):
        if payment.received_on > as_of:
            continue
        if payment.invoice_id is not None and payment.invoice_id in kinds:
            refund = kinds[payment.invoice_id] is InvoiceKind.CREDIT_NOTE
        elif payment.line_id is not None and payment.order_id == order.id:
            refund = False
        else:
            continue
        if payment.amount.currency != order.currency:
            raise CurrencyMismatch(
                order.currency, payment.amount.currency, field=f"payments[{k}].amount"
            )
        if payment.invoice_id is not None and payment.invoice_id in kinds:
            invoice_paid += -payment.amount if refund else payment.amount
        else:
            line_paid[position(payment.line_id, f"payments[{k}].line_id")] += payment.amount

    nets = [line_net(line) for line in lines]
    taxes = [line_tax(line) for line in lines]
    grosses = [nets[i] + taxes[i] for i in range(n)]
    billed_grosses = [invoiced_net[i] + invoiced_tax[i] for i in range(n)]
    delivered = [shipped[i] - returned[i] for i in range(n)]
    delivered_net = [
        nets[i]
        if delivered[i] >= lines[i].quantity
        else zero
        if delivered[i] <= 0
        else line_net(_Part(delivered[i], lines[i].unit_price, lines[i].discount, _ZERO))
        for i in range(n)
    ]
    limit = 1 + slack
    over = [delivered[i] > lines[i].quantity * limit for i in range(n)]

    fulfilled = n > 0 and all(delivered[i] >= lines[i].quantity for i in range(n))
    finished = n > 0 and all(delivered[i] + forfeited[i] >= lines[i].quantity for i in range(n))
    state = (
        Fulfilment.COMPLETE
        if fulfilled
        else Fulfilment.FINISHED
        if finished
        else Fulfilment.PARTIAL
        if any(d > 0 for d in delivered)
        else Fulfilment.NONE
    )
    fulfilment = FulfilmentStatus(
        state=state,
        by_quantity=percent(
            sum((min(max(delivered[i], _ZERO), lines[i].quantity) for i in range(n)), _ZERO),
            totals.quantity,
            complete=fulfilled,
        ),
        by_amount=percent(sum(delivered_net, zero).amount, totals.net.amount, complete=fulfilled),
        over_delivered=any(over),
    )

    billable = [i for i in range(n) if not lines[i].recurring]
    recurring_gross = sum((grosses[i] for i in range(n) if lines[i].recurring), zero)
    recurring_invoiced = sum((billed_grosses[i] for i in range(n) if lines[i].recurring), zero)
    complete = bool(billable) and all(invoiced_quantity[i] >= lines[i].quantity for i in billable)
    base = totals.gross - recurring_gross
    measured = invoiced - recurring_invoiced
    invoice_state = (
        InvoiceState.INVOICED
        if complete
        else InvoiceState.PART_INVOICED
        if invoiced.amount != 0 or any(q != 0 for q in invoiced_quantity)
        else InvoiceState.NOT_INVOICED
    )
    invoicing = InvoiceStatus(
        state=invoice_state,
        percent=percent(measured.amount, base.amount, complete=complete),
        by_quantity=percent(
            sum(
                (min(max(invoiced_quantity[i], _ZERO), lines[i].quantity) for i in billable), _ZERO
            ),
            sum((lines[i].quantity for i in billable), _ZERO),
            complete=complete,
        ),
        invoiced=invoiced,
        deposits=max(deposited - deducted, zero),
        over_invoiced=measured > base
        or any(invoiced_quantity[i] > lines[i].quantity for i in billable),
    )

    paying, paid, due = payment_status(
        counting.payments,
        grosses=grosses,
        invoiced_grosses=billed_grosses,
        invoiced=invoiced,
        deposits=invoicing.deposits,
        order_gross=totals.gross,
        invoice_paid=invoice_paid,
        line_paid=line_paid,
    )

    covered = [allocated[i] + max(delivered[i], _ZERO) + forfeited[i] for i in range(n)]
    allocation = (
        Progress.NONE
        if not any(c > 0 for c in covered)
        else Progress.COMPLETE
        if all(covered[i] >= lines[i].quantity for i in range(n))
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

    summaries = tuple(
        LineSummary(
            line_id=line.id,
            ordered=line.quantity,
            allocated=allocated[i],
            shipped=shipped[i],
            returned=returned[i],
            forfeited=forfeited[i],
            invoiced_quantity=invoiced_quantity[i],
            net=nets[i],
            tax=taxes[i],
            gross=grosses[i],
            delivered_net=delivered_net[i],
            invoiced_net=invoiced_net[i],
            invoiced_tax=invoiced_tax[i],
            paid=paid[i],
            due=due[i],
            recurring=line.recurring,
            over_delivered=over[i],
        )
        for i, line in enumerate(lines)
    )
    return OrderSummary(
        order_id=order.id,
        as_of=as_of,
        counting=counting,
        lines=summaries,
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
