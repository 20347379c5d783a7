"""The unit of work of one command: every write goes through it and into an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from orderbook.allocation import AllocationPlan, Policy
from orderbook.book._cache import CachedStore
from orderbook.events import Change, EventKind
from orderbook.model import Order
from orderbook.store import Store, StoredEvent
from orderbook.store.codec import JsonValue
from orderbook.store.protocol import R, Record
from orderbook.workflow import Acceptance, HistoryEntry, Workflow


class Session:
    """What a handler works with: the store, the workflow, the moment, and the changes made.

    Writes are collected as :class:`~orderbook.events.Change` values and handed to the next
    event, so every record written is in exactly one event. The store is seen through the
    command's identity map (:class:`~orderbook.book._cache.CachedStore`): a record is read
    from the store once, however often the handler and the settling after it ask for it.
    """

    def __init__(
        self,
        store: Store,
        workflow: Workflow,
        policy: Policy,
        new_id: Callable[[], str],
        at: dt.datetime,
        by: str | None,
    ) -> None:
        self.store: Store = CachedStore(store)
        self.wf = workflow
        self.policy = policy
        self.new_id = new_id
        self.at = at
        self.today = at.date()
        self.by = by
        self.pending: list[Change] = []
        self.events: list[StoredEvent] = []
        self.written: dict[tuple[str, str], Record] = {}
        self.deleted: dict[tuple[str, str], Record] = {}
        self.touched: set[str] = set()
        self.acceptance: dict[str, Acceptance] = {}
        self.plans: list[AllocationPlan] = []
        self.primary: Record | None = None
        self.settle_as_of: dt.date | None = None
        self.moves: list[HistoryEntry] = []

    def put(self, record: R) -> R:
        """Save a record and note the change for the next event."""
        saved = self.store.put(record)
        change = Change.put(saved)
        self.pending.append(change)
        key = (change.kind, saved.id)
        self.deleted.pop(key, None)
        self.written[key] = saved
        if isinstance(saved, Order):
            self.touched.add(saved.id)
        return saved

    def delete(self, record: R) -> None:
        """Delete a record and note the change for the next event."""
        self.store.delete(record)
        change = Change.delete(record)
        self.pending.append(change)
        key = (change.kind, record.id)
        self.written.pop(key, None)
        self.deleted[key] = record

    def touch(self, order_id: str) -> None:
        """Mark an order for settling once the command is done."""
        self.touched.add(order_id)

    def emit(self, kind: EventKind, order_id: str | None = None, **data: JsonValue) -> StoredEvent:
        """Append an event carrying the changes made since the last one."""
        payload: dict[str, JsonValue] = {"changes": [c.to_json() for c in self.pending]}
        if self.by is not None:
            payload["by"] = self.by
        payload.update(data)
        event = self.store.append_event(kind.value, at=self.at, order_id=order_id, data=payload)
        self.pending.clear()
        self.events.append(event)
        return event

    def done(self) -> None:
        """Check that every write was handed to an event."""
        if self.pending:
            raise AssertionError("a command wrote records without an event")
