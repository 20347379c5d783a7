"""Moving orders: by hand, by the workflow's rules, and what entering a status entails."""

from __future__ import annotations

from orderbook.book._allocating import replace_allocations, trim_to_lots
from orderbook.book._invoicing import make_invoice, uninvoiced
from orderbook.book._load import bundle, facts, superseded_by
from orderbook.book._session import Session
from orderbook.errors import NotFound
from orderbook.events import StatusChanged
from orderbook.model import Order
from orderbook.workflow import HistoryEntry, InvoiceMethod, Workflow


def record_move(session: Session, entry: HistoryEntry) -> None:
    """Append the StatusChanged event of one move."""
    moved = StatusChanged(
        source=entry.source,
        target=entry.target,
        reason=entry.reason,
        automatic=entry.automatic,
        by=entry.by,
    )
    session.emit(moved, entry.order_id)


def entered(session: Session, order: Order, source: str, target: str) -> None:
    """Do what entering ``target`` from ``source`` entails.

    A status that releases deletes every allocation. Entering a committing status from one
    that does not keeps only the tentative allocations that still fit beside the committed
    ones, and, under the "on order" invoice method, bills what is not yet billed.
    """
    wf = session.wf
    before, after = wf.status(source), wf.status(target)
    records = bundle(session.store, order.id)
    if after.releases:
        replace_allocations(
            session, order.id, records.allocations, (), f"the order entered {after.label}"
        )
    elif after.commits and not before.commits:
        trim_to_lots(session, records, f"the order entered {after.label}: no room left")
        if wf.settings.invoice_method is InvoiceMethod.ON_ORDER and after.billable:
            records = bundle(session.store, order.id)
            if uninvoiced(session, records):
                make_invoice(session, records, "remaining", automatic=True)


def move(
    session: Session, order: Order, to: str, *, by: str | None, reason: str | None
) -> HistoryEntry:
    """Move an order by hand (the workflow decides if it may), and do what that entails."""
    records = bundle(session.store, order)
    fx = facts(session.store, records, session.today, session.wf)
    moved, entry = session.wf.transition(order, to, facts=fx, at=session.at, by=by, reason=reason)
    saved = session.put(moved)
    record_move(session, entry)
    session.moves.append(entry)
    entered(session, saved, entry.source, entry.target)
    return entry


def settle(session: Session, order_id: str) -> tuple[HistoryEntry, ...]:
    """Apply the automatic rules to one order until none fires; return the moves made."""
    wf, store = session.wf, session.store
    as_of = session.settle_as_of or session.today
    moves: list[HistoryEntry] = []
    for _ in range(len(wf.statuses) + 1):
        try:
            order = store.get(Order, order_id)
        except NotFound:
            break
        if not _may_move(wf, order):
            break  # no rule starts from its status: nothing to load, nothing to check
        if superseded_by(store, order) is not None:
            break
        fx = facts(store, bundle(store, order), as_of, wf, session.acceptance.get(order_id))
        moved, entries = wf.settle(order, facts=fx, at=session.at)
        if not entries:
            break
        saved = session.put(moved)
        for entry in entries:
            record_move(session, entry)
        session.moves.extend(entries)
        for entry in entries:
            entered(session, saved, entry.source, entry.target)
        moves.extend(entries)
    return tuple(moves)


def _may_move(wf: Workflow, order: Order) -> bool:
    """Whether an automatic rule could move the order; True for a status the workflow does
    not know, so that settling refuses it as before."""
    if all(order.status != status.code for status in wf.statuses):
        return True
    return any(order.status in rule.source for rule in wf.rules)


def settle_touched(session: Session) -> tuple[HistoryEntry, ...]:
    """Settle every order the command touched (and those settling touches), by id."""
    done: set[str] = set()
    moves: list[HistoryEntry] = []
    while pending := sorted(session.touched - done):
        for order_id in pending:
            done.add(order_id)
            moves.extend(settle(session, order_id))
    return tuple(moves)
