"""Handlers that fulfil orders: allocate, fulfil by hand, release, ship, return, forfeit."""

from __future__ import annotations

from decimal import Decimal

import attrs

from orderbook.allocation import override_manually, release
from orderbook.book._allocating import (
    consume,
    plan_for,
    replace_allocations,
    save_fills,
    takes_supply,
)
from orderbook.book._invoicing import make_invoice, uninvoiced
from orderbook.book._load import bundle, open_orders, recorded, supply
from orderbook.book._orders import load
from orderbook.book._rebook import rebook_orders
from orderbook.book._session import Session
from orderbook.commands import Allocate, ForfeitRemainder, FulfilManually, Release, Return, Ship
from orderbook.conversions import delivery_note
from orderbook.decisions.orders import shrink_to
from orderbook.errors import LockedError, ValidationError
from orderbook.events import Forfeited, Returned, Shipped
from orderbook.model import Forfeit, Lot, Order, Shipment, ShipmentItem, ShipmentKind
from orderbook.workflow import InvoiceMethod

_ZERO = Decimal(0)


def _lines(items: tuple[ShipmentItem, ...]) -> dict[str, Decimal]:
    return {item.line_id: item.quantity for item in items}


def allocate_orders(session: Session, command: Allocate) -> None:
    """Allocate one order, or every open order by priority; or take bookings back."""
    if command.rebook:
        rebook_orders(session, command)
        return
    if command.order_id is not None:
        order = load(session, command.order_id)
        takes_supply(session, order)
        records = [bundle(session.store, order)]
    else:
        records = open_orders(session.store, session.wf)
    plan = plan_for(session, records, objective=command.objective.value, partial=command.partial)
    save_fills(session, plan.fills)
    session.plans.append(plan)


def fulfil_by_hand(session: Session, command: FulfilManually) -> None:
    """Book the lots a person chose for one line, in place of its automatic allocations."""
    order = load(session, command.order_id)
    takes_supply(session, order)
    line = order.line(command.line_id)
    records = bundle(session.store, order)
    lots, existing = supply(session.store, session.wf, [line.sku])
    done = override_manually(
        order,
        line.id,
        dict(command.lots),
        lots,
        allocations=records.allocations,
        shipments=records.shipments,
        forfeits=records.forfeits,
        existing=existing,
    )
    kept = [a for a in records.allocations if a not in done.released]
    replace_allocations(session, order.id, records.allocations, kept, "fulfilled by hand")
    save_fills(session, done.fills)


def release_allocations(session: Session, command: Release) -> None:
    """Release an order's allocations: all, some lines', or a quantity."""
    order = load(session, command.order_id)
    records = bundle(session.store, order)
    if not records.allocations:
        raise ValidationError("order_id", order.id, "must hold allocations to release")
    kept = release(
        records.allocations,
        order_id=order.id,
        line_ids=command.line_ids,
        quantity=command.quantity,
    )
    replace_allocations(session, order.id, records.allocations, kept, "released by hand")


def _check_lot(session: Session, order: Order, item: ShipmentItem) -> None:
    if item.lot_id is None:
        return
    lot = session.store.get(Lot, item.lot_id)
    sku = order.line(item.line_id).sku
    if lot.sku != sku:
        raise ValidationError(f"items[{item.line_id!r}].lot_id", lot.id, f"must be a lot of {sku}")


def ship(session: Session, command: Ship) -> None:
    """Ship quantities of lines in a shippable status; bill them at once on shipment."""
    order = load(session, command.order_id)
    status = session.wf.status(order.status)
    if not status.shippable:
        raise LockedError(order.id, f"its status {status.label} does not allow shipping")
    records = bundle(session.store, order)
    state = recorded(session.store, records, session.counting)
    note = delivery_note(
        order,
        {item.line_id: item.quantity for item in command.items},
        shipped_on=command.shipped_on or session.today,
        summary=state,
        tolerance=session.counting.tolerance,
        number=command.number,
        id_factory=session.new_id,
    )
    lot_of = {item.line_id: item.lot_id for item in command.items}
    items = tuple(attrs.evolve(item, lot_id=lot_of[item.line_id]) for item in note.items)
    for item in items:
        _check_lot(session, order, item)
    consume(session, records, items)
    shipment = session.put(attrs.evolve(note, items=items, reference=command.reference))
    session.primary = shipment
    session.emit(Shipped(shipment_id=shipment.id, lines=_lines(items)), order.id)
    session.touch(order.id)
    if session.wf.settings.invoice_method is InvoiceMethod.ON_SHIPMENT and status.billable:
        records = bundle(session.store, order)
        left = uninvoiced(session, records)
        wanted = {i.line_id: min(i.quantity, left.get(i.line_id, _ZERO)) for i in items}
        wanted = {line_id: q for line_id, q in wanted.items() if q > 0}
        if wanted:
            make_invoice(session, records, wanted, automatic=True)


def return_goods(session: Session, command: Return) -> None:
    """Record goods that came back, at most what was delivered of each line."""
    order = load(session, command.order_id)
    status = session.wf.status(order.status)
    if status.releases:
        raise LockedError(order.id, f"its status {status.label} takes no returns")
    state = recorded(session.store, bundle(session.store, order), session.counting)
    for item in command.items:
        delivered = state.line(item.line_id).delivered
        if item.quantity > delivered:
            raise ValidationError(
                f"items[{item.line_id!r}].quantity",
                item.quantity,
                f"must not exceed the {delivered} delivered",
            )
        _check_lot(session, order, item)
    for item in command.items:
        if item.lot_id is not None:
            lot = session.store.get(Lot, item.lot_id)
            session.put(attrs.evolve(lot, quantity=lot.quantity + item.quantity))
    shipment = session.put(
        Shipment(
            id=session.new_id(),
            order_id=order.id,
            items=command.items,
            shipped_on=command.returned_on or session.today,
            kind=ShipmentKind.RETURN,
            number=command.number,
            reference=command.reference,
        )
    )
    session.primary = shipment
    session.emit(Returned(shipment_id=shipment.id, lines=_lines(shipment.items)), order.id)
    session.touch(order.id)


def forfeit(session: Session, command: ForfeitRemainder) -> None:
    """Record that the customer gives up what is open on a line; release what it held."""
    order = load(session, command.order_id)
    takes_supply(session, order)
    records = bundle(session.store, order)
    line = recorded(session.store, records, session.counting).line(command.line_id)
    quantity = line.open if command.quantity is None else command.quantity
    if quantity <= 0 or quantity > line.open:
        raise ValidationError(
            "quantity", quantity, f"must be above 0 and at most the {line.open} open"
        )
    record = session.put(
        Forfeit(
            id=session.new_id(),
            order_id=order.id,
            line_id=line.line_id,
            quantity=quantity,
            forfeited_on=command.forfeited_on or session.today,
            reason=command.reason,
        )
    )
    session.primary = record
    session.emit(Forfeited(line_id=line.line_id, quantity=quantity), order.id)
    session.touch(order.id)
    held = [a for a in records.allocations if a.line_id == line.line_id]
    kept = shrink_to(held, line.open - quantity)
    replace_allocations(session, order.id, held, kept, "the rest of the line was forfeited")
