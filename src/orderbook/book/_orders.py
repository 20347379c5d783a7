"""Handlers over an order's life: edit lines, move, cancel, finalize, amend, delete."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from orderbook.book._allocating import plan_for, replace_allocations, save_fills
from orderbook.book._load import Bundle, bundle, check_writable, next_revision_id, recorded
from orderbook.book._place import check_supply, save_new_order, taxed
from orderbook.book._session import Session
from orderbook.book._status import move
from orderbook.commands import (
    Amend,
    Cancel,
    ChangeRecurrence,
    ChangeStatus,
    DeleteOrder,
    EditLines,
    EditOrder,
    Finalize,
)
from orderbook.decisions.orders import check_amendable, check_deletable, kept_allocations
from orderbook.events import (
    Amended,
    LinesEdited,
    OrderDeleted,
    OrderEdited,
    OrderFinalized,
    RecurrenceChanged,
)
from orderbook.model import Allocation, Order, OrderLine
from orderbook.workflow import cancel_target, finalize

_ZERO = Decimal(0)


def load(session: Session, order_id: str) -> Order:
    """Load an order that may change: not a superseded revision."""
    order = session.store.get(Order, order_id)
    check_writable(session.store, order)
    return order


def allocations_kept(
    session: Session, records: Bundle, lines: Sequence[OrderLine]
) -> list[Allocation]:
    """The allocations an order keeps with new lines, as the core decides from its records."""
    return kept_allocations(
        records.order,
        lines,
        allocations=records.allocations,
        invoices=records.invoices,
        payments=records.payments,
        figures=recorded(session.store, records, session.counting),
    )


def _allocate_after_edit(session: Session, order: Order) -> None:
    settings = session.wf.settings
    records = bundle(session.store, order)
    if settings.require_availability:
        check_supply(session, records)
    if settings.allocate_on_place:
        plan = plan_for(session, [records])
        save_fills(session, plan.fills)
        session.plans.append(plan)


def edit_lines(session: Session, command: EditLines) -> None:
    """Replace an order's lines where its status is editable and it is not locked."""
    order = load(session, command.order_id)
    session.wf.check_editable(order)
    edited = attrs.evolve(order, lines=taxed(session, order.customer_id, command.lines))
    session.wf.check_update(order, edited)
    records = bundle(session.store, order)
    kept = allocations_kept(session, records, edited.lines)
    session.primary = session.put(edited)
    session.emit(LinesEdited(lines=len(edited.lines)), order.id)
    replace_allocations(session, order.id, records.allocations, kept, "the lines were edited")
    _allocate_after_edit(session, edited)


def edit_order(session: Session, command: EditOrder) -> None:
    """Change header fields where the workflow allows it."""
    order = load(session, command.order_id)
    changes: dict[str, Any] = dict(command.changes)  # each checked as the Order's field
    edited = attrs.evolve(order, **changes)
    session.wf.check_header_edit(order, edited)
    session.primary = session.put(edited)
    session.emit(OrderEdited(fields=", ".join(sorted(changes))), order.id)


def change_recurrence(session: Session, command: ChangeRecurrence) -> None:
    """Change or stop the recurring plan; a finalized order allows it too."""
    order = load(session, command.order_id)
    changed = attrs.evolve(order, recurrence=command.plan)
    session.wf.check_update(order, changed)
    session.primary = session.put(changed)
    session.emit(RecurrenceChanged(stopped=command.plan is None), order.id)


def change_status(session: Session, command: ChangeStatus) -> None:
    """Move an order by hand."""
    order = load(session, command.order_id)
    move(session, order, command.to, by=command.by, reason=command.reason)
    session.primary = session.store.get(Order, order.id)


def cancel(session: Session, command: Cancel) -> None:
    """Move the order to the workflow's cancelling status, then release every allocation."""
    order = load(session, command.order_id)
    target = cancel_target(session.wf, order)
    move(session, order, target, by=command.by, reason=command.reason)
    records = bundle(session.store, order.id)
    replace_allocations(session, order.id, records.allocations, (), "the order was cancelled")
    session.primary = records.order


def finalize_order(session: Session, command: Finalize) -> None:
    """Finalize an order: lock it for good."""
    order = load(session, command.order_id)
    session.primary = session.put(finalize(order, at=session.at))
    session.emit(OrderFinalized(), order.id)


def amend(session: Session, command: Amend) -> None:
    """Supersede an order with a new revision that takes over its records."""
    old = load(session, command.order_id)
    check_amendable(old, session.wf)
    # Claim the old revision as every command claims its order: a command racing the amend
    # on it then conflicts, and its retry finds the revision superseded.
    session.put(old)
    new = attrs.evolve(
        old,
        id=next_revision_id(old),
        lines=taxed(session, old.customer_id, command.lines),
        revision=old.revision + 1,
        supersedes=old.id,
        version=0,
    )
    records = bundle(session.store, old)
    kept = {a.id: a for a in allocations_kept(session, records, new.lines)}
    session.primary = save_new_order(session, new)
    released = _ZERO
    for allocation in records.allocations:
        if allocation.id in kept:
            session.put(attrs.evolve(kept[allocation.id], order_id=new.id))
            released += allocation.quantity - kept[allocation.id].quantity
        else:
            session.delete(allocation)
            released += allocation.quantity
    for shipment in records.shipments:
        session.put(attrs.evolve(shipment, order_id=new.id))
    for forfeit in records.forfeits:
        session.put(attrs.evolve(forfeit, order_id=new.id))
    for invoice in records.invoices:
        session.put(attrs.evolve(invoice, order_id=new.id))
    for payment in records.payments:
        session.put(attrs.evolve(payment, order_id=new.id))
    for purchase in session.store.purchase_orders_by_order(old.id):
        session.put(attrs.evolve(purchase, order_id=new.id))
    amended = Amended(
        supersedes=old.id, revision=new.revision, reason=command.reason, released=released
    )
    session.emit(amended, new.id)
    _allocate_after_edit(session, new)


def delete_order(session: Session, command: DeleteOrder) -> None:
    """Delete an order with no shipment, issued invoice or payment, for good."""
    order = load(session, command.order_id)
    records = bundle(session.store, order)
    check_deletable(
        order, shipments=records.shipments, invoices=records.invoices, payments=records.payments
    )
    # The order goes first: its version check guards the whole deletion, and its records
    # then need no claim on it.
    session.delete(order)
    for allocation in records.allocations:
        session.delete(allocation)
    for forfeit in records.forfeits:
        session.delete(forfeit)
    for invoice in records.invoices:
        session.delete(invoice)
    for purchase in session.store.purchase_orders_by_order(order.id):
        session.delete(purchase)
    session.emit(OrderDeleted(number=order.number, by=command.by), order.id)
