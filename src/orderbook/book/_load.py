"""Loading what a handler needs: an order with its records, its summary, the free supply."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import attrs

from orderbook._fields import text_problem
from orderbook.book._cache import CachedStore
from orderbook.errors import LockedError, NotFound
from orderbook.model import (
    Allocation,
    DocumentStatus,
    Forfeit,
    Invoice,
    Lot,
    Order,
    Payment,
    Shipment,
)
from orderbook.revisions import live_orders
from orderbook.rollup import OrderSummary, summarize
from orderbook.rollup.statuses import DEFAULT_COUNTING, CountingRules
from orderbook.stock import LotStock, committing_orders, lot_stock
from orderbook.store import Store
from orderbook.workflow import Acceptance, OrderFacts, Workflow


@functools.cache
def billing_count(counting: CountingRules) -> CountingRules:
    """Counting for making a new document: every kind that bills, drafts included (they
    already bill their units), whatever the workflow shows; its tolerance and tax rounding."""
    return attrs.evolve(
        counting,
        kinds=DEFAULT_COUNTING.kinds,
        statuses=[DocumentStatus.DRAFT, DocumentStatus.ISSUED],
    )


@attrs.frozen
class Bundle:
    """An order and every record that belongs to it."""

    order: Order
    allocations: tuple[Allocation, ...]
    shipments: tuple[Shipment, ...]
    forfeits: tuple[Forfeit, ...]
    invoices: tuple[Invoice, ...]
    payments: tuple[Payment, ...]


def bundle(store: Store, order: Order | str) -> Bundle:
    """Load an order (or take the one given) with its records."""
    if isinstance(order, str):
        order = store.get(Order, order)
    return Bundle(
        order=order,
        allocations=store.allocations_by_order(order.id),
        shipments=store.shipments_by_order(order.id),
        forfeits=store.forfeits_by_order(order.id),
        invoices=store.invoices_by_order(order.id),
        payments=store.payments_by_order(order.id),
    )


def lots_of(store: Store, allocations: Iterable[Allocation]) -> tuple[Lot, ...]:
    """The lots some allocations draw on, by id."""
    found = []
    for lot_id in sorted({a.lot_id for a in allocations}):
        try:
            found.append(store.get(Lot, lot_id))
        except NotFound:
            continue
    return tuple(found)


def summary(
    store: Store, records: Bundle, as_of: dt.date, counting: CountingRules
) -> OrderSummary:
    """Summarize an order from its records as of a date.

    Within a command, the same records give the same summary: it is computed once, however
    often the handler and the settling after it ask.
    """
    lots = lots_of(store, records.allocations)
    if isinstance(store, CachedStore):
        order = records.order
        # Everything summarize reads, compared by identity; of the order every field but its
        # status and version (a summary does not depend on them, and settling changes them).
        parts = (
            *[getattr(order, name) for name in _SUMMARIZED],
            records.allocations,
            records.shipments,
            records.forfeits,
            records.invoices,
            records.payments,
            counting,
            *lots,
        )
        return store.remember((as_of,), parts, lambda: _summarize(records, lots, as_of, counting))
    return _summarize(records, lots, as_of, counting)


def recorded(store: Store, records: Bundle, counting: CountingRules) -> OrderSummary:
    """An order's figures from every record, whatever its date: what was shipped, forfeited
    and invoiced, for deciding what may still be shipped, forfeited or invoiced. A shipment
    or an invoice dated later still takes up its line. Its dated facts (expiry) mean nothing.
    """
    return summary(store, records, dt.date.max, counting)


_SUMMARIZED = tuple(
    field.name for field in attrs.fields(Order) if field.name not in ("status", "version")
)


def _summarize(
    records: Bundle, lots: tuple[Lot, ...], as_of: dt.date, counting: CountingRules
) -> OrderSummary:
    return summarize(
        records.order,
        allocations=records.allocations,
        shipments=records.shipments,
        forfeits=records.forfeits,
        invoices=records.invoices,
        payments=records.payments,
        lots=lots,
        as_of=as_of,
        counting=counting,
    )


def facts(
    store: Store,
    records: Bundle,
    as_of: dt.date,
    wf: Workflow,
    acceptance: Acceptance | None = None,
) -> OrderFacts:
    """The workflow facts of an order as of a date, counted by the workflow's rules."""
    return summary(store, records, as_of, wf.settings.counting).facts(acceptance=acceptance)


_REVISION = "~r"


def next_revision_id(order: Order) -> str:
    """The id the revision after ``order`` gets: ``o-1~r2``, then ``o-1~r3``, ..."""
    root = order.id.rsplit(_REVISION, 1)[0] if order.revision > 1 else order.id
    return f"{root}{_REVISION}{order.revision + 1}"


def superseded_by(store: Store, order: Order) -> Order | None:
    """The revision that superseded an order, or None (one lookup by id)."""
    revision_id = next_revision_id(order)
    if text_problem(revision_id, key=True) is not None:
        return None  # an id with no room left for a revision's: none was ever made
    try:
        newer = store.get(Order, revision_id)
    except NotFound:
        return None
    live = {o.id for o in live_orders((order, newer))}
    return newer if order.id not in live else None


def check_writable(store: Store, order: Order) -> None:
    """Refuse to change a revision that was superseded: it is read-only."""
    newer = superseded_by(store, order)
    if newer is not None:
        raise LockedError(
            order.id, f"revision {order.revision} was superseded by {newer.id!r}: it is read-only"
        )


def commits(store: Store, wf: Workflow, order_id: str, cache: dict[str, bool]) -> bool:
    """Whether an order's status commits inventory (a missing order does not)."""
    if order_id not in cache:
        try:
            order = store.get(Order, order_id)
        except NotFound:
            cache[order_id] = False
        else:
            cache[order_id] = order_id in committing_orders((order,), wf)
    return cache[order_id]


def stock_of(
    store: Store,
    wf: Workflow,
    lot: Lot,
    cache: dict[str, bool],
    *,
    leaving_out: str | None = None,
) -> LotStock:
    """What a stored lot has committed, tentatively held and free (with the allocations of
    the order ``leaving_out`` left out, when given)."""
    held = [a for a in store.allocations_by_lot(lot.id) if a.order_id != leaving_out]
    committing = {a.order_id for a in held if commits(store, wf, a.order_id, cache)}
    return lot_stock(lot, held, committing=committing)


def open_orders(store: Store, wf: Workflow, skus: Iterable[str] | None = None) -> list[Bundle]:
    """The open orders, with their records: in a committing status that is not terminal,
    newest revisions only (and, when ``skus`` is given, with a line of one of them)."""
    wanted = None if skus is None else frozenset(skus)
    found = []
    for order in live_orders(store.records(Order)):
        if wanted is not None and not any(line.sku in wanted for line in order.lines):
            continue
        status = wf.status(order.status)
        if status.commits and not status.terminal:
            found.append(bundle(store, order))
    return found


def supply(
    store: Store, wf: Workflow, skus: Iterable[str]
) -> tuple[tuple[Lot, ...], tuple[Allocation, ...]]:
    """The lots of some products and the allocations of committing orders that hold them."""
    lots: list[Lot] = []
    existing: list[Allocation] = []
    cache: dict[str, bool] = {}
    for sku in sorted(set(skus)):
        for lot in store.lots_by_sku(sku):
            lots.append(lot)
            existing.extend(
                a
                for a in store.allocations_by_lot(lot.id)
                if commits(store, wf, a.order_id, cache)
            )
    return tuple(lots), tuple(existing)
