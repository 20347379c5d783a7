"""Taking bookings back by priority: ``Allocate(rebook=True)``.

The handler loads the open orders in scope and the supply of their products, asks the pure
:func:`~orderbook.allocation.rebook` what should move, and saves that: the allocations that
shrink or go (a ``Released`` event per order), then the new ones (an ``Allocated`` event per
order). Shipped goods are never taken: shipping consumed their allocations already.
"""

from __future__ import annotations

from orderbook.allocation import Demand, demands_for, rebook
from orderbook.book._allocating import replace_allocations, save_fills, takes_supply
from orderbook.book._load import Bundle, open_orders, supply
from orderbook.book._orders import load
from orderbook.book._session import Session
from orderbook.commands import Allocate
from orderbook.errors import ValidationError
from orderbook.model import Allocation

REASON = "taken back by priority"


def _scope(session: Session, command: Allocate) -> tuple[list[Bundle], set[str]]:
    """The open orders to plan again, and the products whose bookings may move."""
    if command.order_id is None:
        records = open_orders(session.store, session.wf)
        return records, {line.sku for r in records for line in r.order.lines}
    order = load(session, command.order_id)
    takes_supply(session, order)
    status = session.wf.status(order.status)
    if not status.commits:
        raise ValidationError(
            "order_id",
            order.id,
            f"must be in a status that commits inventory to take bookings back,"
            f" not {status.label}",
        )
    skus = {line.sku for line in order.lines}
    return open_orders(session.store, session.wf, skus), skus


def rebook_orders(session: Session, command: Allocate) -> None:
    """Plan the bookings of open orders again by priority, and save what moved."""
    records, skus = _scope(session, command)
    everything = command.rebook == "all"
    movable: dict[str, list[Allocation]] = {}
    wanted: list[Demand] = []
    for r in records:
        mine = [a for a in r.allocations if a.sku in skus and (everything or not a.manual)]
        movable[r.order.id] = mine
        moving = {a.id for a in mine}
        staying = [a for a in r.allocations if a.id not in moving]
        wanted.extend(
            d
            for d in demands_for(
                r.order, allocations=staying, shipments=r.shipments, forfeits=r.forfeits
            )
            if d.sku in skus
        )
    lots, existing = supply(session.store, session.wf, skus)
    moves = rebook(
        wanted,
        lots,
        held=[a for held in movable.values() for a in held],
        existing=existing,
        as_of=session.today,
        policy=session.policy,
        partial=command.partial,
        objective=command.objective,
    )
    kept: dict[str, list[Allocation]] = {}
    for allocation in moves.kept:
        kept.setdefault(allocation.order_id, []).append(allocation)
    for order_id, before in movable.items():
        replace_allocations(session, order_id, before, kept.get(order_id, []), REASON)
    save_fills(session, moves.added)
    session.plans.append(moves.plan)
