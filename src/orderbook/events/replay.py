"""Replaying events: the records each wrote or deleted, applied in order to a store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from orderbook.errors import OrderbookError, ValidationError
from orderbook.events.base import Event, EventKind, UnknownEvent
from orderbook.events.change import Change
from orderbook.events.kinds import WorkflowChanged, WorkflowRecorded
from orderbook.store.codec import JsonValue
from orderbook.store.events import StoredEvent
from orderbook.store.protocol import Store

__all__ = ["changes", "replay"]


def changes(event: StoredEvent) -> tuple[Change, ...]:
    """The records an event wrote or deleted, in the order it did so.

    Raises:
        OrderbookError: the event's ``changes`` are not what the book writes.
    """
    return _changes(event, event.event)


def _changes(event: StoredEvent, typed: Event | UnknownEvent) -> tuple[Change, ...]:
    if isinstance(typed, Event):
        return typed.changes
    raw = event.data.get("changes", [])  # a kind of event the book does not write
    if not isinstance(raw, list):
        raise OrderbookError(f"event {event.sequence} has malformed changes")
    found = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("row"), dict):
            raise OrderbookError(f"event {event.sequence} has a malformed change: {item!r}")
        try:
            found.append(Change(op=item["op"], kind=item["kind"], row=item["row"]))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError) as error:
            raise OrderbookError(
                f"event {event.sequence} has a malformed change: {error}"
            ) from None
    return tuple(found)


def _workflow(typed: Event | UnknownEvent) -> JsonValue:
    """The workflow a WorkflowRecorded or WorkflowChanged event holds (as stored, for data
    that does not fit the kind)."""
    if isinstance(typed, WorkflowRecorded | WorkflowChanged):
        return typed.workflow
    return typed.data.get("workflow") if isinstance(typed, UnknownEvent) else None


_RECORDS_WORKFLOW = frozenset({EventKind.WORKFLOW_RECORDED, EventKind.WORKFLOW_CHANGED})


def replay(events: Iterable[StoredEvent], store: Store) -> int:
    """Apply events, in order, to ``store`` and append them to its log; return how many.

    Replayed onto an empty store, the events of a book rebuild it exactly: the same records
    at the same versions and the same log (``store.dump()`` compares equal), and the workflow
    the book recorded. All of it is
    one transaction: if an event does not apply, nothing is changed.

    Raises:
        ConflictError, NotFound: the store does not hold what the events were made over.
        ValidationError: ``events`` is not an iterable of StoredEvent, or ``store`` not a
            Store.
    """
    if not isinstance(store, Store):
        raise ValidationError("store", store, "must be a Store such as MemoryStore()")
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
        raise ValidationError("events", events, "must be an iterable of StoredEvent")
    count = 0
    with store.transaction():
        for index, event in enumerate(events):
            if not isinstance(event, StoredEvent):
                raise ValidationError(f"events[{index}]", event, "must be a StoredEvent")
            typed = event.event
            for change in _changes(event, typed):
                change.apply(store)
            if event.kind in _RECORDS_WORKFLOW:  # the book's workflow, a setting of its store
                store.put_setting("workflow", _workflow(typed))
            store.append_event(event.kind, at=event.at, order_id=event.order_id, data=event.data)
            count += 1
    return count
