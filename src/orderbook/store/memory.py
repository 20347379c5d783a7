"""MemoryStore: every record in dictionaries, for tests, notebooks and short-lived books.

It keeps the same promises as every store (versions, queries, events, transactions) and
forgets everything when the process ends. A transaction keeps an undo log: if its block raises,
the log is played backwards and the store is as it was.

>>> from orderbook import Customer
>>> store = MemoryStore()
>>> acme = store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> acme.version
1
>>> store.get(Customer, "acme") == acme
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import cast

import attrs

from orderbook.errors import NotFound, OrderbookError
from orderbook.model import Order
from orderbook.store._base import (
    Criteria,
    _StoreBase,
    after_arg,
    moment_arg,
    new_version,
    record_arg,
    text_arg,
)
from orderbook.store.codec import JsonValue, encode, microseconds
from orderbook.store.events import StoredEvent, event_data, read_event_data
from orderbook.store.protocol import RECORD_KINDS, Dump, R, Record, kind_of

__all__ = ["MemoryStore"]

# One step of a transaction's undo log: a record's previous value (None: it was absent) under
# its kind and id, or None for "an event was appended".
_Change = tuple[type[Record], str, Record | None] | None


class MemoryStore(_StoreBase):
    """A store in memory: the default for tests and notebooks.

    Not shared between processes, and not meant for several threads at once.
    """

    def __init__(self) -> None:
        self._tables: dict[type[Record], dict[str, Record]] = {
            kind: {} for kind in RECORD_KINDS.values()
        }
        self._events: list[tuple[int, str, str | None, str, str]] = []
        self._undo: list[list[_Change]] = []
        self._closed = False

    def __repr__(self) -> str:
        count = sum(len(table) for table in self._tables.values())
        return f"MemoryStore(<{count} records, {len(self._events)} events>)"

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store: any later use raises OrderbookError."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise OrderbookError("the store is closed")

    # -- records ----------------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> R:
        """Return the record of that kind and id.

        Raises:
            NotFound: there is no such record.
        """
        name = kind_of(kind)
        text_arg("record_id", record_id)
        self._check_open()
        record = self._tables[kind].get(record_id)
        if record is None:
            raise NotFound(name, record_id)
        return cast(R, record)

    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Return every record of one kind, by id."""
        kind_of(kind)
        self._check_open()
        return cast(tuple[R, ...], tuple(sorted(self._tables[kind].values(), key=_id)))

    def put(self, record: R) -> R:
        """Save a record over its stored version and return it with the new version.

        Raises:
            ConflictError: the record's version is not the stored one.
        """
        name = record_arg(record)
        with self.transaction():
            table = self._tables[type(record)]
            stored = table.get(record.id)
            version = new_version(name, record, None if stored is None else stored.version)
            saved = attrs.evolve(record, version=version)
            self._write(type(record), record.id, saved)
        return saved

    def delete(self, record: R) -> None:
        """Delete a record whose version is the stored one.

        Raises:
            NotFound: a record never saved (version 0) is not stored.
            ConflictError: the record's version is not the stored one.
        """
        name = record_arg(record)
        with self.transaction():
            stored = self._tables[type(record)].get(record.id)
            if stored is None and record.version == 0:
                raise NotFound(name, record.id)
            new_version(name, record, None if stored is None else stored.version)
            self._write(type(record), record.id, None)

    def _write(self, kind: type[Record], record_id: str, record: Record | None) -> None:
        table = self._tables[kind]
        self._undo[-1].append((kind, record_id, table.get(record_id)))
        if record is None:
            del table[record_id]
        else:
            table[record_id] = record

    # -- queries ----------------------------------------------------------------------------

    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        self._check_open()
        found = [
            record
            for record in self._tables[kind].values()
            if all(getattr(record, field) == value for field, value in criteria)
        ]
        return cast(tuple[R, ...], tuple(sorted(found, key=_id)))

    def _orders(self) -> list[Order]:
        self._check_open()
        return cast(list[Order], list(self._tables[Order].values()))

    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        found = [order for order in self._orders() if any(ln.sku == sku for ln in order.lines)]
        return tuple(sorted(found, key=_id))

    def _select_placed(self, start: int, end: int) -> tuple[Order, ...]:
        placed = [
            (microseconds(order.placed_at), order.id, order)
            for order in self._orders()
            if order.placed_at is not None
        ]
        return tuple(order for moment, _, order in sorted(placed) if start <= moment < end)

    # -- events -----------------------------------------------------------------------------

    def append_event(
        self,
        kind: str,
        *,
        at: dt.datetime,
        order_id: str | None = None,
        data: Mapping[str, JsonValue] | None = None,
    ) -> StoredEvent:
        """Append an event and return it with its sequence number.

        Raises:
            ValidationError: the kind is empty, ``at`` is naive, or the data is not JSON.
        """
        text_arg("kind", kind)
        moment_arg("at", at)
        if order_id is not None:
            text_arg("order_id", order_id)
        text = event_data(data)
        with self.transaction():
            row = (len(self._events) + 1, kind, order_id, at.isoformat(), text)
            self._events.append(row)
            self._undo[-1].append(None)
        return _event(row)

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """Return the events after sequence number ``after``, of one order or all."""
        if order_id is not None:
            text_arg("order_id", order_id)
        after = after_arg(after)
        self._check_open()
        return tuple(
            _event(row) for row in self._events[after:] if order_id is None or row[2] == order_id
        )

    # -- the unit of work -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything done inside together, or undo all of it if the block raises.

        A transaction inside another joins it: nothing is final until the outermost one
        ends. If the inner block raises, its own changes are undone and the error goes on.
        """
        self._check_open()
        log: list[_Change] = []
        self._undo.append(log)
        try:
            yield
        except BaseException:
            self._undo.pop()
            for change in reversed(log):
                self._revert(change)
            raise
        self._undo.pop()
        if self._undo:
            self._undo[-1].extend(log)

    def _revert(self, change: _Change) -> None:
        if change is None:
            self._events.pop()
            return
        kind, record_id, previous = change
        if previous is None:
            self._tables[kind].pop(record_id, None)
        else:
            self._tables[kind][record_id] = previous

    def dump(self) -> Dump:
        """Return every record and event as plain rows, sorted: compare two dumps with ``==``."""
        self._check_open()
        dump = {
            name: tuple(encode(record) for record in sorted(self._tables[kind].values(), key=_id))
            for name, kind in RECORD_KINDS.items()
        }
        dump["event"] = tuple(_event(row).to_row() for row in self._events)
        return dump


def _id(record: Record) -> str:
    return record.id


def _event(row: tuple[int, str, str | None, str, str]) -> StoredEvent:
    sequence, kind, order_id, at, text = row
    return StoredEvent(
        sequence=sequence,
        kind=kind,
        order_id=order_id,
        at=dt.datetime.fromisoformat(at),
        data=read_event_data(text),
    )
