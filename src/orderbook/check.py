"""Check a stored book's invariants: what ``python -m orderbook check --db PATH`` prints.

A book the book itself wrote always passes. A book restored from a backup, repaired by hand,
or written by other code may not: :func:`check_book` reads every record and lists each
problem it finds, without changing anything. It checks that

- no lot is over-allocated: the allocations of orders in committing statuses fit in it;
- no record is an orphan: every order, allocation, shipment, forfeit, invoice, payment and
  purchase order points at records that exist (customer, product, order, line, lot, invoice);
- the rollups agree with the raw records: each line's allocated, shipped, returned and
  forfeited quantities are the sums of its records, and never more is reserved, shipped and
  forfeited than was ordered;
- replaying the event log onto an empty store rebuilds exactly the stored records;
- every stored row reads back: a row edited behind the book's back or garbled on disk is
  listed as damaged, and the checks go on with the rows that read.

>>> from orderbook import Allocation, Customer, Lot, Money, Order, OrderLine, Product
>>> from orderbook.store import MemoryStore
>>> store = MemoryStore()
>>> check_book(store)
()
>>> _ = store.put(Lot(id="shelf", sku="TEA", quantity=1))
>>> _ = store.put(Allocation(id="a1", order_id="o1", line_id="l1", lot_id="shelf", sku="TEA",
...                          quantity=2))
>>> for problem in check_book(store):
...     print(problem)
orphan: allocation 'a1' names order 'o1', which does not exist
replay: lot 'shelf' is stored but the event log does not rebuild it
replay: allocation 'a1' is stored but the event log does not rebuild it
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from orderbook._reading import Reading
from orderbook.errors import DamagedRow, OrderbookError, ValidationError, describe
from orderbook.events.replay import replay
from orderbook.model import (
    Allocation,
    Customer,
    Forfeit,
    Invoice,
    Lot,
    Order,
    Payment,
    Product,
    PurchaseOrder,
    Shipment,
)
from orderbook.rollup import summarize
from orderbook.stock import committing_orders, stock_by_lot
from orderbook.store import MemoryStore, Store, StoredEvent
from orderbook.store.codec import Row
from orderbook.workflow import Workflow, presets

__all__ = ["Problem", "check_book"]

_LAST_DAY = dt.date(9999, 12, 31)


@attrs.frozen(kw_only=True)
class Problem:
    """One broken invariant of a stored book.

    Args:
        check: which check found it: ``"damaged"``, ``"over_allocation"``, ``"orphan"``,
            ``"rollup"``, ``"status"`` or ``"replay"``.
        record: the record at fault, as ``"kind 'id'"``.
        message: what is wrong, in words.
    """

    check: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.record} {self.message}"


def check_book(store: Store, *, workflow: Workflow | None = None) -> tuple[Problem, ...]:
    """Return every broken invariant of the book in ``store``; none when it is sound.

    Reads only; the store is not changed.

    Args:
        store: the book's store.
        workflow: the book's workflow, which says which statuses commit stock; the standard
            preset when None.

    Returns:
        The problems, grouped by check (damaged rows, over-allocation, orphans, rollups,
        replay), each group in a stable order.

    Raises:
        ValidationError: ``store`` is not a Store, or ``workflow`` not a Workflow.
        OrderbookError: the store cannot be read at all (a file damaged beyond its rows).
    """
    if not isinstance(store, Store):
        raise ValidationError("store", store, "must be a Store such as MemoryStore()")
    flow = presets.standard() if workflow is None else workflow
    if not isinstance(flow, Workflow):
        raise ValidationError("workflow", workflow, "must be a Workflow")
    reading = Reading(store)
    records = _Records.load(reading)
    reading.the_rest()
    events = reading.events()
    return (
        *(_damaged(row) for row in reading.damaged),
        *_over_allocation(records, flow),
        *_orphans(records),
        *_rollups(records),
        *_replay(reading, events),
    )


def _damaged(row: DamagedRow) -> Problem:
    return Problem(
        check="damaged", record=f"{row.table} row {describe(row.key)}", message=row.reason
    )


@attrs.frozen
class _Records:
    customers: dict[str, Customer]
    products: dict[str, Product]
    lots: dict[str, Lot]
    orders: dict[str, Order]
    allocations: tuple[Allocation, ...]
    shipments: tuple[Shipment, ...]
    forfeits: tuple[Forfeit, ...]
    invoices: dict[str, Invoice]
    payments: tuple[Payment, ...]
    purchase_orders: tuple[PurchaseOrder, ...]
    damaged: frozenset[tuple[str, str]] = frozenset()  # (kind, id) of the damaged rows

    @classmethod
    def load(cls, store: Reading) -> _Records:
        records = cls(
            customers={c.id: c for c in store.records(Customer)},
            products={p.sku: p for p in store.records(Product)},
            lots={lot.id: lot for lot in store.records(Lot)},
            orders={o.id: o for o in store.records(Order)},
            allocations=store.records(Allocation),
            shipments=store.records(Shipment),
            forfeits=store.records(Forfeit),
            invoices={i.id: i for i in store.records(Invoice)},
            payments=store.records(Payment),
            purchase_orders=store.records(PurchaseOrder),
        )
        return attrs.evolve(records, damaged=store.damaged_keys())

    def orphan(self, kind: str, record_id: str, target: str, target_id: str) -> Iterator[Problem]:
        """The problem of a record naming another that is not stored; none when the other
        is stored but damaged (a problem listed already)."""
        if (target, target_id) not in self.damaged:
            yield Problem(
                check="orphan",
                record=_name(kind, record_id),
                message=f"names {target} {target_id!r}, which does not exist",
            )


def _name(kind: str, record_id: str) -> str:
    return f"{kind} {record_id!r}"


def _over_allocation(records: _Records, workflow: Workflow) -> Iterator[Problem]:
    orders = sorted(records.orders.values(), key=lambda o: o.id)
    for order in orders:
        try:
            workflow.status(order.status)
        except OrderbookError:
            yield Problem(
                check="status",
                record=_name("order", order.id),
                message=f"is in status {order.status!r}, which workflow "
                f"{workflow.name!r} does not have",
            )
    committing = committing_orders(orders, workflow)
    lots = sorted(records.lots.values(), key=lambda lot: lot.id)
    stocks = stock_by_lot(lots, records.allocations, committing=committing)
    for lot in lots:
        held = stocks[lot.id].committed
        if held > lot.quantity:
            yield Problem(
                check="over_allocation",
                record=_name("lot", lot.id),
                message=f"has {lot.quantity} but committing orders hold {held}",
            )


def _orphans(records: _Records) -> Iterator[Problem]:
    for order in sorted(records.orders.values(), key=lambda o: o.id):
        if order.customer_id not in records.customers:
            yield from records.orphan("order", order.id, "customer", order.customer_id)
        for line in order.lines:
            if line.sku not in records.products:
                yield from records.orphan("order", order.id, "product", line.sku)
    for allocation in records.allocations:
        yield from _line_ref(records, "allocation", allocation.id, allocation.order_id,
                             (allocation.line_id,))  # fmt: skip
        lot = records.lots.get(allocation.lot_id)
        if lot is None:
            yield from records.orphan("allocation", allocation.id, "lot", allocation.lot_id)
        elif lot.sku != allocation.sku:
            yield Problem(
                check="orphan",
                record=_name("allocation", allocation.id),
                message=f"is of {allocation.sku!r} but lot {lot.id!r} holds {lot.sku!r}",
            )
    for shipment in records.shipments:
        lines = tuple(item.line_id for item in shipment.items)
        yield from _line_ref(records, "shipment", shipment.id, shipment.order_id, lines)
    for forfeit in records.forfeits:
        yield from _line_ref(records, "forfeit", forfeit.id, forfeit.order_id, (forfeit.line_id,))
    for invoice in sorted(records.invoices.values(), key=lambda i: i.id):
        if invoice.customer_id not in records.customers:
            yield from records.orphan("invoice", invoice.id, "customer", invoice.customer_id)
        if invoice.order_id is not None:
            lines = tuple(ln.order_line_id for ln in invoice.lines if ln.order_line_id)
            yield from _line_ref(records, "invoice", invoice.id, invoice.order_id, lines)
    for payment in records.payments:
        if payment.invoice_id is not None and payment.invoice_id not in records.invoices:
            yield from records.orphan("payment", payment.id, "invoice", payment.invoice_id)
        if payment.order_id is not None:
            lines = () if payment.line_id is None else (payment.line_id,)
            yield from _line_ref(records, "payment", payment.id, payment.order_id, lines)
    for purchase in records.purchase_orders:
        if purchase.order_id is not None and purchase.order_id not in records.orders:
            yield from records.orphan("purchase_order", purchase.id, "order", purchase.order_id)


def _line_ref(
    records: _Records, kind: str, record_id: str, order_id: str, line_ids: Iterable[str]
) -> Iterator[Problem]:
    order = records.orders.get(order_id)
    if order is None:
        yield from records.orphan(kind, record_id, "order", order_id)
        return
    known = {line.id for line in order.lines}
    for line_id in sorted(set(line_ids) - known):
        yield from records.orphan(kind, record_id, "line", f"{order_id}/{line_id}")


def _rollups(records: _Records) -> Iterator[Problem]:
    by_order: dict[str, list[Allocation | Shipment | Forfeit]] = defaultdict(list)
    every: tuple[Allocation | Shipment | Forfeit, ...] = (
        *records.allocations,
        *records.shipments,
        *records.forfeits,
    )
    for record in every:
        by_order[record.order_id].append(record)
    for order in sorted(records.orders.values(), key=lambda o: o.id):
        own = by_order.get(order.id, [])
        raw = _raw_sums(own)
        try:
            summary = summarize(
                order,
                allocations=[r for r in own if isinstance(r, Allocation)],
                shipments=[r for r in own if isinstance(r, Shipment)],
                forfeits=[r for r in own if isinstance(r, Forfeit)],
                invoices=[i for i in records.invoices.values() if i.order_id == order.id],
                payments=[p for p in records.payments if p.order_id == order.id],
                lots=records.lots.values(),
                as_of=_LAST_DAY,
            )
        except OrderbookError as error:
            yield Problem(
                check="rollup",
                record=_name("order", order.id),
                message=f"cannot be summarized: {error}",
            )
            continue
        for line in summary.lines:
            expected = raw.get(line.line_id, {})
            for field in ("allocated", "shipped", "returned", "forfeited"):
                found: Decimal = getattr(line, field)
                if found != expected.get(field, Decimal(0)):
                    yield Problem(
                        check="rollup",
                        record=_name("order", order.id),
                        message=f"line {line.line_id!r} rolls up {field} {found}, but its "
                        f"records add up to {expected.get(field, Decimal(0))}",
                    )
            held = line.allocated + line.shipped - line.returned + line.forfeited
            if held > line.ordered and not line.over_delivered:
                yield Problem(
                    check="rollup",
                    record=_name("order", order.id),
                    message=f"line {line.line_id!r} has {held} allocated, shipped and "
                    f"forfeited, above the {line.ordered} ordered",
                )


def _raw_sums(records: Iterable[Allocation | Shipment | Forfeit]) -> dict[str, dict[str, Decimal]]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for record in records:
        if isinstance(record, Allocation):
            sums[record.line_id]["allocated"] += record.quantity
        elif isinstance(record, Forfeit):
            sums[record.line_id]["forfeited"] += record.quantity
        elif not record.cancelled:
            field = "shipped" if record.kind == "delivery" else "returned"
            for item in record.items:
                sums[item.line_id][field] += item.quantity
    return sums


def _replay(reading: Reading, events: tuple[StoredEvent, ...] | None) -> Iterator[Problem]:
    if events is None:
        reason = "is not replayed: rows of it are damaged (listed above)"
        yield Problem(check="replay", record="event log", message=reason)
        return
    copy = MemoryStore()
    try:
        replay(events, copy)
    except OrderbookError as error:
        yield Problem(check="replay", record="event log", message=f"does not replay: {error}")
        return
    rebuilt, damaged = copy.dump(), reading.damaged_keys()
    for kind, stored in reading.found.items():
        mine = _by_id(stored)
        theirs = _by_id(rebuilt.get(kind, ()))
        for record_id in sorted(mine.keys() | theirs.keys()):
            if (kind, record_id) in damaged:
                continue  # listed as damaged already
            if record_id not in theirs:
                reason = "is stored but the event log does not rebuild it"
            elif record_id not in mine:
                reason = "is in the event log but not stored"
            elif mine[record_id] != theirs[record_id]:
                reason = "differs from what the event log rebuilds"
            else:
                continue
            yield Problem(check="replay", record=_name(kind, record_id), message=reason)


def _by_id(rows: Iterable[Row]) -> dict[str, Row]:
    return {str(row.get("id", row.get("sku"))): row for row in rows}
