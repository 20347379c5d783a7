"""Read models the book answers with: the stock of lots, every ordered line, an order's
billing and purchase documents, and where a person may move an order.

A line's product status is read against the supply as the book keeps it: the lots of its
product, the allocations of orders in committing statuses (a draft's holds are tentative),
and the open demand of the open orders, of which those of higher priority come first.

>>> import datetime as dt
>>> from orderbook import Lot
>>> stock = LotStock(lot=Lot(id="shelf", sku="TEA", quantity=10), committed=4, tentative=1)
>>> stock.remaining
Decimal('6')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.allocation import Demand, demands_for
from orderbook.availability import LineStatus, line_status
from orderbook.book._load import (
    Bundle,
    bundle,
    facts,
    open_orders,
    stock_of,
    summary,
    superseded_by,
    supply,
)
from orderbook.documents import Party
from orderbook.einvoice import EInvoice, semantic_invoice
from orderbook.errors import NotFound, ValidationError
from orderbook.model import (
    Allocation,
    Customer,
    Invoice,
    Lot,
    Order,
    OrderLine,
    Product,
    PurchaseOrder,
)
from orderbook.rollup import CountingRules, LineSummary
from orderbook.stock import LotStock
from orderbook.store import Store
from orderbook.workflow import Choices, Refusal, Workflow

__all__ = [
    "LineList",
    "LineView",
    "LotList",
    "LotStock",
    "check_product_status",
    "choices",
    "einvoice_of",
    "invoices_of",
    "line_views",
    "lot_stocks",
    "purchases_of",
]

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class LineView:
    """One ordered line with its order's header facts and where it stands (MRPeasy's Items).

    Args:
        order_id, number, customer_id, status: of the line's order.
        line: the order line.
        summary: its rolled-up quantities and amounts as of the date asked.
        product_status: where its goods stand as of that date (MRPeasy's product status,
            see :func:`orderbook.availability.line_status`).
    """

    order_id: str
    number: str
    customer_id: str
    status: str
    line: OrderLine
    summary: LineSummary
    product_status: LineStatus

    @property
    def due_on(self) -> dt.date | None:
        """The line's due date."""
        return self.line.due_on


class LotList(tuple[LotStock, ...]):
    """The lots of a product as :meth:`OrderBook.lots` answers: a tuple of :class:`LotStock`
    (equal to the plain tuple of the same lots) with a short repr and a notebook view.

    >>> from orderbook import Lot
    >>> lots = LotList([LotStock(lot=Lot(id="shelf", sku="TEA", quantity=10), committed=4,
    ...                          tentative=0)])
    >>> lots, lots == tuple(lots), isinstance(lots, tuple)
    (LotList('TEA', 1 lot, 6 free), True, True)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        if not self:
            return "LotList(no lots)"
        skus = ", ".join(sorted({stock.lot.sku for stock in self}))
        free = sum((stock.remaining for stock in self), _ZERO)
        return f"LotList({skus!r}, {_count(len(self), 'lot')}, {free:f} free)"

    def _repr_html_(self) -> str:
        from orderbook.views import lots_html

        return lots_html(self)


class LineList(tuple[LineView, ...]):
    """Ordered lines as :meth:`OrderBook.lines` answers: a tuple of :class:`LineView` (equal
    to the plain tuple of the same lines) with a short repr and a notebook view.

    >>> LineList()
    LineList(0 lines)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = [_count(len(self), "line")]
        for status in (LineStatus.NOT_ENOUGH, LineStatus.DELAYED):
            found = sum(1 for view in self if view.product_status is status)
            if found:
                shown.append(f"{found} {status.label.lower()}")
        return f"LineList({', '.join(shown)})"

    def _repr_html_(self) -> str:
        from orderbook.views import lines_html

        return lines_html(self)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def lot_stocks(store: Store, wf: Workflow, sku: str) -> LotList:
    """The lots of a product with what each has committed and tentatively held."""
    found = []
    cache: dict[str, bool] = {}
    for lot in store.lots_by_sku(sku):
        found.append(stock_of(store, wf, lot, cache))
    return LotList(found)


def check_product_status(value: object) -> LineStatus | None:
    """A product status to filter lines on: a LineStatus, its value string, or None.

    Raises:
        ValidationError: anything else (naming ``product_status``).

    >>> check_product_status("not_enough").label
    'Not enough'
    """
    if value is None:
        return None
    status = f.to_enum(LineStatus, value)
    if isinstance(status, f.Invalid):
        raise ValidationError("product_status", value, status.reason)
    return status


class _Supply:
    """The supply of some products, read once: lots, committed holds, open demand."""

    def __init__(self, store: Store, wf: Workflow, skus: Iterable[str]) -> None:
        wanted = sorted(set(skus))
        lots, held = supply(store, wf, wanted)
        sku_of = {lot.id: lot.sku for lot in lots}
        self.lots: dict[str, list[Lot]] = {}
        for lot in lots:
            self.lots.setdefault(lot.sku, []).append(lot)
        self.held: dict[str, list[Allocation]] = {}
        for allocation in held:
            self.held.setdefault(sku_of[allocation.lot_id], []).append(allocation)
        self.demand: dict[str, list[Demand]] = {}
        for records in open_orders(store, wf, wanted):
            for demand in demands_for(
                records.order,
                allocations=records.allocations,
                shipments=records.shipments,
                forfeits=records.forfeits,
            ):
                self.demand.setdefault(demand.sku, []).append(demand)

    def status(self, records: Bundle, line: OrderLine, as_of: dt.date) -> LineStatus:
        """The product status of one line of an order, as of a date."""
        order = records.order
        return line_status(
            line,
            self.held.get(line.sku, ()),
            self.lots.get(line.sku, ()),
            records.shipments,
            as_of=as_of,
            order_id=order.id,
            forfeits=records.forfeits,
            due_on=line.due_on or order.promised_on,
            priority=order.priority,
            ahead=self.demand.get(line.sku, ()),
        )


def _due_key(view: LineView) -> tuple[dt.date, str, str]:
    return (view.line.due_on or dt.date.max, view.order_id, view.line.id)


def line_views(
    store: Store,
    wf: Workflow,
    orders: tuple[Order, ...],
    *,
    sku: str | None,
    due_from: dt.date | None,
    due_to: dt.date | None,
    as_of: dt.date,
    product_status: LineStatus | None = None,
) -> LineList:
    """Every line of some orders that passes the filters, by due date, order and line.

    A line's own allocations are its booking only when its order's status commits; each
    product's lots and allocations are read once, however many lines it has.
    """
    counting: CountingRules = wf.settings.counting
    chosen: list[tuple[Order, list[OrderLine]]] = []
    for order in orders:
        lines = [
            line
            for line in order.lines
            if (sku is None or line.sku == sku)
            and (due_from is None or (line.due_on is not None and line.due_on >= due_from))
            and (due_to is None or (line.due_on is not None and line.due_on <= due_to))
        ]
        if lines:
            chosen.append((order, lines))
    stock = _Supply(store, wf, (line.sku for _, lines in chosen for line in lines))
    found: list[LineView] = []
    for order, lines in chosen:
        records = bundle(store, order)
        state = summary(store, records, as_of, counting)
        for line in lines:
            status = stock.status(records, line, as_of)
            if product_status is not None and status is not product_status:
                continue
            found.append(
                LineView(
                    order_id=order.id,
                    number=order.number,
                    customer_id=order.customer_id,
                    status=order.status,
                    line=line,
                    summary=state.line(line.id),
                    product_status=status,
                )
            )
    return LineList(sorted(found, key=_due_key))


def _natural(text: str) -> tuple[tuple[int, str, int], ...]:
    """A key that sorts ``SO-1-PO2`` before ``SO-1-PO10``: runs of digits as numbers."""
    return tuple(
        (1, "", int(part)) if part.isdecimal() else (0, part, 0)
        for part in re.split(r"(\d+)", text)
        if part
    )


def _issue_key(invoice: Invoice) -> tuple[object, ...]:
    issued = invoice.issued_on
    return (issued is None, issued or dt.date.min, _natural(invoice.number), _natural(invoice.id))


def invoices_of(store: Store, order_id: str) -> tuple[Invoice, ...]:
    """An order's billing documents of every kind and status, in issue order.

    By the date each carries (its issue date), then number, then id; drafts that carry no
    date come last, by number and id. Numbers and ids sort by the value of their digits:
    ``id-9`` before ``id-10``.
    """
    store.get(Order, order_id)  # NotFound for no such order
    return tuple(sorted(store.invoices_by_order(order_id), key=_issue_key))


def purchases_of(store: Store, order_id: str) -> tuple[PurchaseOrder, ...]:
    """An order's purchase orders, by number (``-PO2`` before ``-PO10``), then id."""
    store.get(Order, order_id)  # NotFound for no such order
    found = store.purchase_orders_by_order(order_id)
    return tuple(sorted(found, key=lambda po: (_natural(po.number), _natural(po.id))))


def choices(store: Store, wf: Workflow, order_id: str, as_of: dt.date) -> Choices:
    """Where a person may move an order now, and why not elsewhere (the workflow's guards
    read its facts as of ``as_of``). A superseded revision may go nowhere: it is read-only."""
    order = store.get(Order, order_id)
    newer = superseded_by(store, order)
    if newer is not None:
        reason = f"revision {order.revision} was superseded by {newer.id!r}: it is read-only"
        return Choices(
            current=order.status,
            allowed=(),
            refused=[Refusal(s.code, reason) for s in wf.statuses if s.code != order.status],
        )
    return wf.allowed(order, facts=facts(store, bundle(store, order), as_of, wf))


def einvoice_of(store: Store, workflow: Workflow, invoice_id: str, seller: Party) -> EInvoice:
    """The semantic e-invoice of an issued invoice, with the workflow's tax rules and rounding.

    It reads the invoice, its customer, order and products, and the invoice a credit note
    corrects.
    """
    invoice = store.get(Invoice, invoice_id)
    order = store.get(Order, invoice.order_id) if invoice.order_id is not None else None
    corrected = store.get(Invoice, invoice.corrects) if invoice.corrects is not None else None
    products = {}
    for line in invoice.lines:
        if line.sku and line.sku not in products:
            try:
                products[line.sku] = store.get(Product, line.sku)
            except NotFound:
                continue  # a line billed without a product of the book: named by its line
    settings = workflow.settings
    return semantic_invoice(
        invoice,
        seller=seller,
        customer=store.get(Customer, invoice.customer_id),
        order=order,
        corrected=corrected,
        products=products,
        tax_rules=settings.tax_rules,
        tax_rounding=settings.counting.tax_rounding,
    )
