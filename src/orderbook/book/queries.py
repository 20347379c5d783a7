"""Read models the book answers with: the stock of lots, every ordered line, an order's
billing and purchase documents, and where a person may move an order.

>>> import datetime as dt
>>> from orderbook import Lot
>>> stock = LotStock(lot=Lot(id="shelf", sku="TEA", quantity=10), committed=4, tentative=1)
>>> stock.remaining
Decimal('6')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.book._load import bundle, commits, facts, summary, superseded_by
from orderbook.model import Invoice, Lot, Order, OrderLine, PurchaseOrder
from orderbook.rollup import CountingRules, LineSummary
from orderbook.store import Store
from orderbook.workflow import Choices, Refusal, Workflow

__all__ = [
    "LineView",
    "LotStock",
    "choices",
    "invoices_of",
    "line_views",
    "lot_stocks",
    "purchases_of",
]

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class LotStock:
    """A lot and what of it is held.

    Args:
        lot: the lot.
        committed: held by allocations of orders in committing statuses.
        tentative: held by allocations of orders in statuses that do not commit; these take
            nothing from what others can use.
    """

    lot: Lot = attrs.field(validator=f.instance_of(Lot))
    committed: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    tentative: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)

    @property
    def remaining(self) -> Decimal:
        """What others can still use: the lot's quantity less what is committed, at least 0."""
        return max(self.lot.quantity - self.committed, _ZERO)


@attrs.frozen(kw_only=True)
class LineView:
    """One ordered line with its order's header facts and where it stands (MRPeasy's Items).

    Args:
        order_id, number, customer_id, status: of the line's order.
        line: the order line.
        summary: its rolled-up quantities and amounts as of the date asked.
    """

    order_id: str
    number: str
    customer_id: str
    status: str
    line: OrderLine
    summary: LineSummary

    @property
    def due_on(self) -> dt.date | None:
        """The line's due date."""
        return self.line.due_on


def lot_stocks(store: Store, wf: Workflow, sku: str) -> tuple[LotStock, ...]:
    """The lots of a product with what each has committed and tentatively held."""
    found = []
    cache: dict[str, bool] = {}
    for lot in store.lots_by_sku(sku):
        committed = tentative = _ZERO
        for allocation in store.allocations_by_lot(lot.id):
            if commits(store, wf, allocation.order_id, cache):
                committed += allocation.quantity
            else:
                tentative += allocation.quantity
        found.append(LotStock(lot=lot, committed=committed, tentative=tentative))
    return tuple(found)


def _due_key(view: LineView) -> tuple[dt.date, str, str]:
    return (view.line.due_on or dt.date.max, view.order_id, view.line.id)


def line_views(
    store: Store,
    orders: tuple[Order, ...],
    *,
    sku: str | None,
    due_from: dt.date | None,
    due_to: dt.date | None,
    as_of: dt.date,
    counting: CountingRules,
) -> tuple[LineView, ...]:
    """Every line of some orders that passes the filters, by due date, order and line."""
    found: list[LineView] = []
    for order in orders:
        lines = [
            line
            for line in order.lines
            if (sku is None or line.sku == sku)
            and (due_from is None or (line.due_on is not None and line.due_on >= due_from))
            and (due_to is None or (line.due_on is not None and line.due_on <= due_to))
        ]
        if not lines:
            continue
        state = summary(store, bundle(store, order), as_of, counting)
        found.extend(
            LineView(
                order_id=order.id,
                number=order.number,
                customer_id=order.customer_id,
                status=order.status,
                line=line,
                summary=state.line(line.id),
            )
            for line in lines
        )
    return tuple(sorted(found, key=_due_key))


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
