"""MemoryStore: every record in dictionaries, for tests, notebooks and short-lived books.

It keeps the same promises as every store (versions, queries, events, settings, transactions)
and forgets everything when the process ends. A transaction keeps an undo log: if its block
raises, the log is played backwards and the store is as it was, settings included. Every query
is answered from an index (by customer, status, SKU, order, line's lot, invoice), kept up to
date by each write and each undo, so no query reads every record.

>>> from orderbook import Customer
>>> store = MemoryStore()
>>> acme = store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> acme.version
1
>>> store.get(Customer, "acme") == acme
True

An undone transaction takes its writes out of the indexes too:

>>> from orderbook import Lot
>>> try:
...     with store.transaction():
...         _ = store.put(Lot(id="shelf", sku="TEA", quantity=5))
...         raise RuntimeError("refused")
... except RuntimeError:
...     pass
>>> store.lots_by_sku("TEA")
()
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple, cast

from orderbook._args import text_arg
from orderbook.errors import NotFound, OrderbookError, ValidationError
from orderbook.model import Order
from orderbook.store._base import (
    Criteria,
    StoreBase,
    after_arg,
    event_args,
    event_text,
    new_version,
    record_arg,
    saved_arg,
    with_version,
)
from orderbook.store._settings import setting_from_row, setting_name, setting_text
from orderbook.store.codec import JsonValue, encode, microseconds
from orderbook.store.events import StoredEvent, read_event_data
from orderbook.store.protocol import RECORD_KINDS, Dump, R, Record, kind_of

__all__ = ["MemoryStore"]

# The fields each kind of record is indexed by: every field a query of the Store asks about.
_INDEXED: dict[type[Record], tuple[str, ...]] = {
    RECORD_KINDS["order"]: ("customer_id", "status"),
    RECORD_KINDS["quote"]: ("customer_id",),
    RECORD_KINDS["lot"]: ("sku",),
    RECORD_KINDS["allocation"]: ("order_id", "lot_id"),
    RECORD_KINDS["shipment"]: ("order_id",),
    RECORD_KINDS["forfeit"]: ("order_id",),
    RECORD_KINDS["invoice"]: ("order_id", "customer_id"),
    RECORD_KINDS["payment"]: ("order_id", "invoice_id"),
    RECORD_KINDS["purchase_order"]: ("order_id",),
}

# An index: a field's value to the records (by id) that hold it.
_Index = dict[object, dict[str, Record]]

_EventRow = tuple[int, str, str | None, str, str]


class _SettingWas(NamedTuple):
    """A setting's text before a write (None: it was absent), in a transaction's undo log."""

    name: str
    text: str | None


# One step of a transaction's undo log: a record's previous value (None: it was absent) under
# its kind and id, a setting's previous text, or None for "an event was appended".
_Change = tuple[type[Record], str, Record | None] | _SettingWas | None


class MemoryStore(StoreBase):
    """A store in memory: the default for tests and notebooks.

    Not shared between processes, and not meant for several threads at once.
    :meth:`freeze` makes it read-only: reads go on, every write is refused.
    """

    def __init__(self) -> None:
        self._tables: dict[type[Record], dict[str, Record]] = {
            kind: {} for kind in RECORD_KINDS.values()
        }
        self._indexes: dict[type[Record], dict[str, _Index]] = {
            kind: {field: {} for field in _INDEXED.get(kind, ())} for kind in RECORD_KINDS.values()
        }
        self._by_sku: dict[str, dict[str, Order]] = {}
        self._events: list[_EventRow] = []
        self._events_by_order: dict[str | None, list[_EventRow]] = {}
        self._settings: dict[str, str] = {}  # each name's value as canonical JSON text
        self._undo: list[list[_Change]] = []
        self._closed = False
        self._frozen: str | None = None  # why writes are refused, once frozen

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

    @property
    def read_only(self) -> bool:
        """Whether the store refuses writes (see :meth:`freeze`)."""
        return self._frozen is not None

    def freeze(self, reason: str = "the store is read-only: nothing may be written") -> None:
        """Make the store read-only, for good: every later write (a record, a deletion, an
        event, a setting) raises OrderbookError with ``reason``, and changes nothing.
        Reads and transactions go on as before.

        Raises:
            ValidationError: ``reason`` is not a non-empty str.

        >>> from orderbook import Lot
        >>> store = MemoryStore()
        >>> _ = store.put(Lot(id="shelf", sku="TEA", quantity=5))
        >>> store.freeze("a copy to read")
        >>> store.put(Lot(id="cellar", sku="TEA", quantity=1))
        Traceback (most recent call last):
        ...
        orderbook.errors.OrderbookError: a copy to read
        >>> store.read_only, [lot.id for lot in store.lots_by_sku("TEA")]
        (True, ['shelf'])
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", reason, "must be a non-empty str")
        self._frozen = reason

    def _writable(self) -> None:
        self._check_open()
        if self._frozen is not None:
            raise OrderbookError(self._frozen)

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
            OrderbookError: the store is read-only.
        """
        name = saved_arg(record)
        self._writable()
        stored = self._tables[type(record)].get(record.id)
        version = new_version(name, record, None if stored is None else stored.version)
        saved = with_version(record, version)
        if self._undo:  # inside a transaction: its undo log takes the write
            self._write(type(record), record.id, saved)
        else:
            with self.transaction():
                self._write(type(record), record.id, saved)
        return saved

    def delete(self, record: R) -> None:
        """Delete a record whose version is the stored one.

        Raises:
            NotFound: a record never saved (version 0) is not stored.
            ConflictError: the record's version is not the stored one.
            OrderbookError: the store is read-only.
        """
        name = record_arg(record)
        self._writable()
        stored = self._tables[type(record)].get(record.id)
        if stored is None and record.version == 0:
            raise NotFound(name, record.id)
        new_version(name, record, None if stored is None else stored.version)
        if self._undo:
            self._write(type(record), record.id, None)
        else:
            with self.transaction():
                self._write(type(record), record.id, None)

    def _write(self, kind: type[Record], record_id: str, record: Record | None) -> None:
        self._undo[-1].append((kind, record_id, self._tables[kind].get(record_id)))
        self._set(kind, record_id, record)

    def _set(self, kind: type[Record], record_id: str, record: Record | None) -> None:
        """Store (or, for None, remove) a record, and keep every index in step."""
        table = self._tables[kind]
        previous = table.pop(record_id, None)
        indexes = self._indexes[kind]
        if previous is not None:
            for field, index in indexes.items():
                value = getattr(previous, field)
                held = index[value]
                del held[record_id]
                if not held:
                    del index[value]
            if isinstance(previous, Order):
                for sku in {line.sku for line in previous.lines}:
                    orders = self._by_sku[sku]
                    del orders[record_id]
                    if not orders:
                        del self._by_sku[sku]
        if record is None:
            return
        table[record_id] = record
        for field, index in indexes.items():
            index.setdefault(getattr(record, field), {})[record_id] = record
        if isinstance(record, Order):
            for sku in {line.sku for line in record.lines}:
                self._by_sku.setdefault(sku, {})[record_id] = record

    # -- queries ----------------------------------------------------------------------------

    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        self._check_open()
        field, value = criteria[0]
        index = self._indexes[kind].get(field)
        if index is None:  # not a field the Store's queries ask about: read every record
            candidates: Iterable[Record] = self._tables[kind].values()
            rest = criteria
        else:
            candidates = index.get(value, {}).values()
            rest = criteria[1:]
        found = [r for r in candidates if all(getattr(r, f) == v for f, v in rest)]
        return cast(tuple[R, ...], tuple(sorted(found, key=_id)))

    def _orders(self) -> list[Order]:
        self._check_open()
        return cast(list[Order], list(self._tables[Order].values()))

    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        self._check_open()
        return tuple(sorted(self._by_sku.get(sku, {}).values(), key=_id))

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
            OrderbookError: the store is read-only.
        """
        event_args(kind, at, order_id)
        text = event_text(data)
        self._writable()
        with self.transaction():
            row = (len(self._events) + 1, kind, order_id, at.isoformat(), text)
            self._events.append(row)
            self._events_by_order.setdefault(order_id, []).append(row)
            self._undo[-1].append(None)
        return _event(row)

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """Return the events after sequence number ``after``, of one order or all."""
        if order_id is not None:
            text_arg("order_id", order_id)
        after = after_arg(after)
        self._check_open()
        if order_id is None:
            return tuple(_event(row) for row in self._events[after:])
        rows = self._events_by_order.get(order_id, [])
        return tuple(_event(row) for row in rows if row[0] > after)

    # -- settings ---------------------------------------------------------------------------

    def setting(self, name: str) -> JsonValue | None:
        """Return the value stored under a setting's name (a fresh copy), or None.

        >>> store = MemoryStore()
        >>> store.put_setting("workflow", {"name": "standard", "statuses": ("draft",)})
        >>> store.setting("workflow"), store.setting("colours")
        ({'name': 'standard', 'statuses': ['draft']}, None)
        """
        setting_name(name)
        self._check_open()
        text = self._settings.get(name)
        return None if text is None else setting_from_row(name, text)

    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value, replacing any; a rolled-back transaction undoes it.

        Raises:
            ValidationError: the name is not a non-empty str, or the value not plain JSON.
            OrderbookError: the store is read-only.
        """
        setting_name(name)
        text = setting_text(value)
        self._writable()
        with self.transaction():
            self._undo[-1].append(_SettingWas(name, self._settings.get(name)))
            self._settings[name] = text

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
        if isinstance(change, _SettingWas):
            if change.text is None:
                del self._settings[change.name]
            else:
                self._settings[change.name] = change.text
            return
        if change is None:
            row = self._events.pop()
            self._events_by_order[row[2]].pop()
            return
        kind, record_id, previous = change
        self._set(kind, record_id, previous)

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


def _event(row: _EventRow) -> StoredEvent:
    sequence, kind, order_id, at, text = row
    return StoredEvent(
        sequence=sequence,
        kind=kind,
        order_id=order_id,
        at=dt.datetime.fromisoformat(at),
        data=read_event_data(text),
    )
