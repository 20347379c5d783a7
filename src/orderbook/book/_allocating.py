"""Allocating, releasing and consuming allocations, and saving them with their lots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from orderbook.allocation import (
    AllocationPlan,
    Demand,
    Fill,
    allocate,
    demands_for,
)
from orderbook.book._load import Bundle, stock_of, supply
from orderbook.book._session import Session
from orderbook.decisions.orders import newest_first
from orderbook.errors import InsufficientStock, LockedError
from orderbook.events import Allocated, Released
from orderbook.model import Allocation, Lot, Order, ShipmentItem

_ZERO = Decimal(0)
_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _quantities(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for key, quantity in pairs:
        total[key] = total.get(key, _ZERO) + quantity
    return total


def demands(records: Sequence[Bundle]) -> list[Demand]:
    """The open demands of some orders, each order's in line order."""
    return [
        d
        for r in records
        for d in demands_for(
            r.order, allocations=r.allocations, shipments=r.shipments, forfeits=r.forfeits
        )
    ]


def takes_supply(session: Session, order: Order) -> None:
    """Refuse to allocate to an order whose status takes no allocations."""
    status = session.wf.status(order.status)
    if status.terminal or status.releases:
        raise LockedError(order.id, f"its status {status.label} takes no allocations")


def plan_for(
    session: Session,
    records: Sequence[Bundle],
    *,
    objective: str = "greedy",
    partial: bool = True,
) -> AllocationPlan:
    """Plan the open demand of some orders against the free supply (nothing saved)."""
    wanted = demands(records)
    lots, existing = supply(session.store, session.wf, (d.sku for d in wanted))
    return allocate(
        wanted,
        lots,
        as_of=session.today,
        policy=session.policy,
        existing=existing,
        partial=partial,
        objective=objective,
    )


def save_fills(session: Session, fills: Iterable[Fill]) -> tuple[Allocation, ...]:
    """Save fills as allocations, order by order, each order's with its lots and an event."""
    by_order: dict[str, list[Fill]] = {}
    for fill in fills:
        by_order.setdefault(fill.order_id, []).append(fill)
    saved: list[Allocation] = []
    for order_id, order_fills in by_order.items():
        lines = []
        for fill in order_fills:
            allocation = fill.to_allocation(id=session.new_id(), at=session.at)
            saved.append(session.put(allocation))
            lines.append((fill.line_id, fill.quantity))
        for lot_id in sorted({fill.lot_id for fill in order_fills}):
            session.put(session.store.get(Lot, lot_id))  # a version bump guards the last units
        manual = any(fill.manual for fill in order_fills)
        session.emit(Allocated(lines=_quantities(lines), manual=manual), order_id)
        session.touch(order_id)
    return tuple(saved)


def replace_allocations(
    session: Session,
    order_id: str,
    before: Sequence[Allocation],
    kept: Sequence[Allocation],
    reason: str,
) -> Decimal:
    """Delete or shrink allocations so only ``kept`` remain; emit Released; return how much."""
    keep = {a.id: a for a in kept}
    released = []
    for allocation in before:
        now = keep.get(allocation.id)
        if now is None:
            session.delete(allocation)
            released.append((allocation.line_id, allocation.quantity))
        elif now.quantity != allocation.quantity:
            session.put(now)
            released.append((allocation.line_id, allocation.quantity - now.quantity))
    if released:
        session.emit(Released(lines=_quantities(released), reason=reason), order_id)
        session.touch(order_id)
    return sum((q for _, q in released), _ZERO)


def trim_to_lots(session: Session, records: Bundle, reason: str) -> None:
    """Keep only what of an order's allocations still fits in its lots beside committed ones."""
    store, wf = session.store, session.wf
    cache: dict[str, bool] = {}
    free: dict[str, Decimal] = {}
    kept = []
    for allocation in sorted(records.allocations, key=newest_first):
        if allocation.lot_id not in free:
            lot = store.get(Lot, allocation.lot_id)
            others = stock_of(store, wf, lot, cache, leaving_out=records.order.id)
            free[lot.id] = others.remaining
        room = free[allocation.lot_id]
        if room <= 0:
            continue
        take = min(room, allocation.quantity)
        free[allocation.lot_id] = room - take
        kept.append(attrs.evolve(allocation, quantity=take))
    replace_allocations(session, records.order.id, records.allocations, kept, reason)


def consume(session: Session, records: Bundle, items: Sequence[ShipmentItem]) -> None:
    """Shipping: use up the lines' allocations and take the quantities off their lots.

    An item that names a lot leaves that lot: it uses the line's allocations on it first, then
    the lot's free stock. What it ships beyond the line's unallocated demand is released from
    the line's allocations on other lots, which the shipment made needless.
    """
    store = session.store
    by_line: dict[str, list[Allocation]] = {}
    for allocation in records.allocations:
        by_line.setdefault(allocation.line_id, []).append(allocation)
    unallocated = {
        demand.line_id: demand.quantity
        for demand in demands_for(
            records.order,
            allocations=records.allocations,
            shipments=records.shipments,
            forfeits=records.forfeits,
        )
    }
    taken: dict[str, Decimal] = {}

    def use_up(allocations: list[Allocation], quantity: Decimal, *, take: bool) -> Decimal:
        """Use allocations up to ``quantity``, newest first; return what is left."""
        for allocation in sorted(allocations, key=newest_first, reverse=True):
            if quantity <= 0:
                break
            use = min(quantity, allocation.quantity)
            quantity -= use
            if take:
                taken[allocation.lot_id] = taken.get(allocation.lot_id, _ZERO) + use
            remaining = allocation.quantity - use
            if remaining:
                kept = attrs.evolve(allocation, quantity=remaining)
                session.put(kept)
                allocations[allocations.index(allocation)] = kept
            else:
                session.delete(allocation)
                allocations.remove(allocation)
        return quantity

    for item in items:
        held = by_line.setdefault(item.line_id, [])
        if item.lot_id is None:
            use_up(held, item.quantity, take=True)
            continue
        named = [a for a in held if a.lot_id == item.lot_id]
        left = use_up(named, item.quantity, take=True)
        by_line[item.line_id] = held = [a for a in held if a.lot_id != item.lot_id] + named
        if left <= 0:
            continue
        lot = store.get(Lot, item.lot_id)
        free = lot.quantity - taken.get(lot.id, _ZERO) - _held_by_others(session, lot)
        if left > free:
            raise InsufficientStock(lot.sku, left, max(free, _ZERO), record_id=item.line_id)
        taken[lot.id] = taken.get(lot.id, _ZERO) + left
        open_demand = unallocated.get(item.line_id, _ZERO)
        unallocated[item.line_id] = max(open_demand - left, _ZERO)
        excess = left - open_demand
        if excess > 0:
            others = [a for a in held if a.lot_id != item.lot_id]
            use_up(others, excess, take=False)
            by_line[item.line_id] = [a for a in held if a.lot_id == item.lot_id] + others
    for lot_id in sorted(taken):
        lot = store.get(Lot, lot_id)
        session.put(attrs.evolve(lot, quantity=max(lot.quantity - taken[lot_id], _ZERO)))


def _held_by_others(session: Session, lot: Lot) -> Decimal:
    return stock_of(session.store, session.wf, lot, {}).committed
