"""summarize: one pass over an order's records, then the statuses from the sums."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

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
from orderbook.money import _CONTEXT, _ZEROS
from orderbook.pricing import (
    TaxRounding,
    Totals,
    _decimal_totals,
    _make_totals,
    invoice_totals,
    line_net,
    line_tax,
    order_totals,
)
from orderbook.rollup._derive import _derive, _Ledger
from orderbook.rollup.statuses import (
    DEFAULT_COUNTING,
    CountingRules,
)
from orderbook.rollup.summary import OrderSummary

__all__ = ["summarize"]

_ZERO = Decimal(0)
T = TypeVar("T")

# Enum members read in the loops, bound once: reading one off its class is a lookup each time.
_DELIVERY = ShipmentKind.DELIVERY
_CANCELLED = DocumentStatus.CANCELLED
_CREDIT_NOTE = InvoiceKind.CREDIT_NOTE
_DEPOSIT = InvoiceKind.DEPOSIT
_PER_DOCUMENT = TaxRounding.PER_DOCUMENT


def _records(items: Iterable[T], kind: type[T], field: str) -> list[T]:
    if type(items) is tuple and not items:  # the default: no records of this kind
        return []
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
        counting: which documents count as invoiced, what payments are measured against,
            the over-delivery tolerance, how tax is rounded, and the words of the states (a
            book passes its workflow's).
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
    # Amounts are summed as Decimals of the order's currency in the money context, exactly as
    # Money would sum them, and wrapped into Money once, at the end.
    with decimal.localcontext(_CONTEXT):
        return _summarize(
            order,
            allocations=allocations,
            shipments=shipments,
            forfeits=forfeits,
            invoices=invoices,
            payments=payments,
            lots=lots,
            as_of=as_of,
            counting=counting,
            slack=counting.tolerance,
            mode=counting.tax_rounding,
            acknowledged=acknowledged,
        )


def _order_amounts(
    order: Order, mode: TaxRounding
) -> tuple[Totals, list[tuple[Decimal, Decimal]]]:
    """The order's totals and each line's (net, tax), each computed once."""
    lines = order.lines
    sums = _decimal_totals(lines, order.currency, mode is _PER_DOCUMENT, ROUND_HALF_UP)
    if sums is None:  # the general path gives the answer, or raises as it always did
        totals = order_totals(order, tax_rounding=mode)
        return totals, [(line_net(line).amount, line_tax(line).amount) for line in lines]
    return _make_totals(order.currency, *sums[1:]), sums[0]


def _invoice_amounts(
    invoice: Invoice, mode: TaxRounding
) -> tuple[Decimal, Sequence[tuple[Decimal, Decimal]]]:
    """An invoice's gross (tax rounded by ``mode``) and each line's (net, tax) rounded per line."""
    lines = invoice.lines
    per_document = mode is _PER_DOCUMENT
    sums = _decimal_totals(lines, invoice.currency, per_document, ROUND_HALF_UP)
    if sums is not None:
        if not per_document:
            return sums[5], sums[0]
        per_line = _decimal_totals(lines, invoice.currency, False, ROUND_HALF_UP)
        if per_line is not None:
            return sums[5], per_line[0]
    gross = invoice_totals(invoice, tax_rounding=mode).gross.amount
    return gross, [(line_net(il).amount, line_tax(il).amount) for il in lines]


def _summarize(
    order: Order,
    *,
    allocations: Iterable[Allocation],
    shipments: Iterable[Shipment],
    forfeits: Iterable[Forfeit],
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    lots: Iterable[Lot],
    as_of: dt.date,
    counting: CountingRules,
    slack: Decimal,
    mode: TaxRounding,
    acknowledged: Iterable[str],
) -> OrderSummary:
    """:func:`summarize` past its argument checks, in the money context."""
    currency = order.currency
    totals, amounts = _order_amounts(order, mode)
    ack = frozenset(_records(acknowledged, str, "acknowledged"))
    lines = order.lines
    n = len(lines)
    index = {line.id: i for i, line in enumerate(lines)}
    zero = _ZEROS[currency]

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
        carried = []
        for j, item in enumerate(shipment.items):
            i = index.get(item.line_id)
            if i is None:
                i = position(item.line_id, f"shipments[{k}].items[{j}].line_id")
            carried.append(i)
        if shipment.cancelled:
            cancelled_shipments.append((shipment.id, carried))
            continue
        into = shipped if shipment.kind is _DELIVERY else returned
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
    credited: list[tuple[str, Decimal]] = []  # (the invoice corrected, the gross taken back)
    deposits: set[str] = set()  # the deposits counted
    for k, invoice in enumerate(_records(invoices, Invoice, "invoices")):
        if invoice.order_id != order.id:
            continue
        if invoice.currency != currency:
            raise CurrencyMismatch(currency, invoice.currency, field=f"invoices[{k}].currency")
        billed = []
        for j, il in enumerate(invoice.lines):
            if il.order_line_id is not None:
                i = index.get(il.order_line_id)
                if i is None:
                    i = position(il.order_line_id, f"invoices[{k}].lines[{j}].order_line_id")
                billed.append(i)
        kinds[invoice.id] = invoice.kind
        if invoice.status is _CANCELLED:
            if invoice.issued_on is not None:
                cancelled_invoices.append((invoice.id, billed))
            continue
        if invoice.issued_on is not None and invoice.issued_on > as_of:
            continue
        if invoice.corrects is not None:
            corrected.add(invoice.corrects)
        if not counting.counts(invoice):
            continue
        sign = -1 if invoice.kind is _CREDIT_NOTE else 1  # a credit note takes back
        gross, billed_amounts = _invoice_amounts(invoice, mode)
        invoiced += gross * sign
        if invoice.kind is _DEPOSIT:
            deposited += gross
            deposits.add(invoice.id)
            continue
        for il, (net, tax) in zip(invoice.lines, billed_amounts, strict=True):
            if il.order_line_id is None:
                if il.unit_price.amount < 0:  # a deposit deducted, or a deduction taken back
                    deducted -= (net + tax) * sign
                elif sign < 0 and invoice.corrects is not None:
                    credited.append((invoice.corrects, net + tax))
                continue
            i = index[il.order_line_id]
            invoiced_quantity[i] += il.quantity * sign
            invoiced_net[i] += net * sign
            invoiced_tax[i] += tax * sign

    # What credit notes took back of deposits: a deposit credited is no longer to deduct.
    for corrects, amount in credited:
        if corrects in deposits:
            deposited -= amount

    invoice_paid = zero
    line_paid = [zero] * n
    for k, payment in enumerate(_records(payments, Payment, "payments")):
        if payment.received_on > as_of:
            continue
        if payment.invoice_id is not None and payment.invoice_id in kinds:
            refund = kinds[payment.invoice_id] is _CREDIT_NOTE
        elif payment.line_id is not None and payment.order_id == order.id:
            refund = False
        else:
            continue
        if payment.amount.currency != currency:
            raise CurrencyMismatch(
                currency, payment.amount.currency, field=f"payments[{k}].amount"
            )
        if payment.invoice_id is not None and payment.invoice_id in kinds:
            invoice_paid += -payment.amount.amount if refund else payment.amount.amount
        else:
            line_paid[position(payment.line_id, f"payments[{k}].line_id")] += payment.amount.amount

    ledger = _Ledger(
        allocated=allocated,
        shipped=shipped,
        returned=returned,
        forfeited=forfeited,
        invoiced_quantity=invoiced_quantity,
        invoiced_net=invoiced_net,
        invoiced_tax=invoiced_tax,
        line_paid=line_paid,
        invoiced=invoiced,
        deposited=deposited,
        deducted=deducted,
        invoice_paid=invoice_paid,
        sources=sources,
        cancelled_shipments=cancelled_shipments,
        cancelled_invoices=cancelled_invoices,
        corrected=corrected,
    )
    return _derive(
        order,
        as_of=as_of,
        counting=counting,
        slack=slack,
        totals=totals,
        amounts=amounts,
        acknowledged=ack,
        ledger=ledger,
    )
