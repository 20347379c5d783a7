"""The book as it stood at a moment: its event log up to there, replayed into a new store.

A moment is a timezone-aware datetime or a sequence number of the log. The events up to it
are replayed (:func:`orderbook.events.replay`) into a new :class:`~orderbook.store.MemoryStore`,
which is then frozen: the view answers every query, and refuses every write with the same
error class as a book file opened read-only. The workflow is the one the log records as of
the moment.

>>> import datetime as dt
>>> from orderbook.store import MemoryStore
>>> store = MemoryStore()
>>> for day in (1, 2, 3):
...     _ = store.append_event("Noted", at=dt.datetime(2027, 3, day, tzinfo=dt.UTC))
>>> [e.sequence for e in events_until(store, dt.datetime(2027, 3, 2, 12, tzinfo=dt.UTC))]
[1, 2]
>>> [e.sequence for e in events_until(store, 1)]
[1]
"""

from __future__ import annotations

import datetime as dt

from orderbook.book._recording import records
from orderbook.errors import OrderbookError, ValidationError
from orderbook.events import replay
from orderbook.store import MemoryStore, Store, StoredEvent
from orderbook.workflow import Workflow
from orderbook.workflow.record import workflow_from_data

__all__ = ["events_until", "frozen_replay", "workflow_at"]

_MOMENT = "must be a timezone-aware datetime or an event's sequence number (an int >= 0)"


def events_until(store: Store, moment: object) -> tuple[StoredEvent, ...]:
    """The events of ``store`` up to ``moment``, oldest first.

    For a datetime, the events from the first on that happened at or before it (the run
    stops at the first event after it, so a clock set back cannot let a later event in); for
    an int ``n``, the first ``n`` events (every store numbers its log 1, 2, 3, ...).

    Raises:
        ValidationError: ``moment`` is a naive datetime, a bool, not a datetime or an int,
            a negative int, or a number beyond the last event's (the message gives it).
    """
    if isinstance(moment, bool) or not isinstance(moment, int | dt.datetime):
        raise ValidationError("moment", moment, _MOMENT)
    if isinstance(moment, dt.datetime) and moment.utcoffset() is None:
        raise ValidationError("moment", moment, _MOMENT)
    if isinstance(moment, int) and moment < 0:
        raise ValidationError("moment", moment, _MOMENT)
    events = store.events()
    if isinstance(moment, int):
        last = events[-1].sequence if events else 0
        if moment > last:
            raise ValidationError(
                "moment", moment, f"is beyond the last event of the book, number {last}"
            )
        return tuple(event for event in events if event.sequence <= moment)
    found = []
    for event in events:
        if event.at > moment:
            break
        found.append(event)
    return tuple(found)


def frozen_replay(events: tuple[StoredEvent, ...]) -> MemoryStore:
    """A new MemoryStore that holds what the events made, frozen so that writes are refused
    with a message naming the last event."""
    store = MemoryStore()
    replay(events, store)
    sequence = events[-1].sequence if events else 0
    store.freeze(f"this book is a read-only view as of event {sequence}; commands are refused")
    return store


def workflow_at(store: Store, current: Workflow) -> Workflow:
    """The workflow the replayed ``store`` records: ``current`` (the live book's) when it
    records that very one or none yet, else the one rebuilt from the record.

    Raises:
        OrderbookError: the workflow recorded then is not the book's current one, and has a
            function of the application's own, so it cannot be rebuilt.
    """
    recorded = store.setting("workflow")
    if recorded is None or records(recorded, current):
        return current
    if not isinstance(recorded, dict):
        raise OrderbookError(f"the book's recorded workflow is not a workflow: {recorded!r}")
    try:
        return workflow_from_data(recorded)
    except OrderbookError as error:
        raise OrderbookError(
            f"the book then ran workflow {recorded.get('name')!r}, not its current one, and"
            f" it cannot be rebuilt from the log: {error}"
        ) from None
