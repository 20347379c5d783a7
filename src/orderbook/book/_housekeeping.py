"""Handlers over the whole book: settle as of a date, archive old closed orders."""

from __future__ import annotations

from orderbook.book._load import bundle, facts
from orderbook.book._session import Session
from orderbook.book._status import move
from orderbook.commands import Archive, Settle
from orderbook.errors import NotFound, ValidationError
from orderbook.model import Order
from orderbook.revisions import live_orders


def _live(session: Session) -> tuple[Order, ...]:
    return live_orders(session.store.records(Order))


def settle(session: Session, command: Settle) -> None:
    """Mark every open order for settling as of the date (done once the command ends)."""
    session.settle_as_of = command.as_of or session.today
    for order in _live(session):
        if not session.wf.status(order.status).terminal:
            session.touch(order.id)


def archive(session: Session, command: Archive) -> None:
    """Move the closed orders placed before a date to the archive status."""
    wf = session.wf
    try:
        wf.status(command.status)
    except NotFound:
        raise ValidationError(
            "status", command.status, f"is not a status of workflow {wf.name!r}"
        ) from None
    for order in _live(session):
        if order.placed_at is None or order.placed_at.date() >= command.before:
            continue
        if order.status == command.status:
            continue
        fx = facts(session.store, bundle(session.store, order), session.today, wf)
        if command.status in wf.allowed(order, facts=fx).allowed:
            move(session, order, command.status, by=command.by, reason="archive old data")
