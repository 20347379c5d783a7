"""The unit of work of one command: every write goes through it and into an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from orderbook.allocation import AllocationPlan, Policy
from orderbook.book._cache import CachedStore
from orderbook.errors import NotFound
from orderbook.events import Event, change_json
from orderbook.events.codec import details
from orderbook.model import Order
from orderbook.store import Store, StoredEvent, event_json
from orderbook.store.codec import canonical_json
from orderbook.store.protocol import R, Record, kind_of
from orderbook.workflow import Acceptance, HistoryEntry, Workflow


class Session:
    """What a handler works with: the store, the workflow, the moment, and the changes made.

    Writes are collected as the JSON texts of :class:`~orderbook.events.Change` values and
    handed to the next event, so every record written is in exactly one event. The store is
    seen through the command's identity map (:class:`~orderbook.book._cache.CachedStore`): a
    record is read from the store once, however often the handler and the settling after it
    ask for it.
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
        self.counting = workflow.settings.counting
        self.policy = policy
        self.new_id = new_id
        self.at = at
        self.today = at.date()
        self.by = by
        self.pending: list[str] = []  # the changes since the last event, as JSON text
        self.events: list[StoredEvent] = []
        self.written: dict[tuple[str, str], Record] = {}
        self.deleted: dict[tuple[str, str], Record] = {}
        self.touched: set[str] = set()
        self.acceptance: dict[str, Acceptance] = {}
        self.plans: list[AllocationPlan] = []
        self.primary: Record | None = None
        self.settle_as_of: dt.date | None = None
        self.moves: list[HistoryEntry] = []
        # Orders claimed by this command: id -> (version read, version after the claim).
        self.claims: dict[str, tuple[int, int]] = {}

    def _claim_owner(self, record: Record) -> None:
        """Bump the version of the order a record belongs to, once, before the record changes.

        The order is the unit of consistency: two commands that change one order's
        allocations, shipments, invoices or payments at once then conflict on the order
        (``ConflictError``, retryable) instead of both committing what each decided alone.
        """
        order_id = getattr(record, "order_id", None)
        if not isinstance(order_id, str) or order_id in self.claims:
            return
        try:
            order = self.store.get(Order, order_id)  # the version this command first read
        except NotFound:
            return
        saved = self.put(order)
        self.claims[order_id] = (order.version, saved.version)

    def _rebased(self, order: Order) -> Order:
        """An order read before this command claimed it, moved onto the claimed version."""
        claim = self.claims.get(order.id)
        if claim is not None and order.version == claim[0]:
            return attrs.evolve(order, version=claim[1])
        return order

    def put(self, record: R) -> R:
        """Save a record and note the change for the next event."""
        if isinstance(record, Order):
            record = self._rebased(record)  # type: ignore[assignment]
        else:
            self._claim_owner(record)
        saved = self.store.put(record)
        kind = kind_of(type(saved))
        self.pending.append(change_json("put", saved))
        key = (kind, saved.id)
        self.deleted.pop(key, None)
        self.written[key] = saved
        if isinstance(saved, Order):
            self.touched.add(saved.id)
            # Writing the order itself checked its version: no further claim is needed.
            self.claims.setdefault(saved.id, (saved.version, saved.version))
        return saved

    def delete(self, record: R) -> None:
        """Delete a record and note the change for the next event."""
        if isinstance(record, Order):
            record = self._rebased(record)  # type: ignore[assignment]
        else:
            self._claim_owner(record)
        self.store.delete(record)
        if isinstance(record, Order):
            self.claims[record.id] = (record.version, record.version)
        self.pending.append(change_json("delete", record))
        key = (kind_of(type(record)), record.id)
        self.written.pop(key, None)
        self.deleted[key] = record

    def touch(self, order_id: str) -> None:
        """Mark an order for settling once the command is done."""
        self.touched.add(order_id)

    def emit(self, event: Event, order_id: str | None = None) -> StoredEvent:
        """Append an event carrying the changes made since the last one (and its own, if
        it has any); its ``by`` is the command's unless the kind states its own."""
        data = details(event)
        if self.by is not None and "by" not in data:
            data["by"] = self.by
        # The changes are canonical text from the codec already: only the event's own
        # details are checked and encoded, and the store writes the text as it is.
        texts = self.pending
        if event.changes:
            texts = texts + [canonical_json(change.to_json()) for change in event.changes]
        payload = event_json(texts, data)
        kind = event.kind.value
        stored = self.store.append_event(kind, at=self.at, order_id=order_id, data=payload)
        self.pending.clear()
        self.events.append(stored)
        return stored

    def done(self) -> None:
        """Check that every write was handed to an event."""
        if self.pending:
            raise AssertionError("a command wrote records without an event")
