"""What every store shares: argument checks, the version rule and the query methods.

A store subclasses :class:`StoreBase` and answers three private questions (records of a kind
whose fields equal some values, orders with a line of a SKU, orders placed in a range of
moments); the public queries of the :class:`~orderbook.store.Store` protocol are built on them.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, cast

import attrs

from orderbook._args import moment_arg, sequence_arg, text_arg
from orderbook._fields import MAX_INTEGER
from orderbook.errors import ConflictError, ValidationError
from orderbook.model import (
    Allocation,
    Forfeit,
    Invoice,
    Lot,
    Order,
    Payment,
    PurchaseOrder,
    Quote,
    Shipment,
)
from orderbook.store._rows import Scan
from orderbook.store.codec import JsonValue, canonical_json, microseconds
from orderbook.store.events import StoredEvent, event_data, is_encodable, read_event_data
from orderbook.store.protocol import R, Record, kind_of

Criteria = tuple[tuple[str, str], ...]
"""What a query of :class:`StoreBase` asks: ``(field, value)`` pairs, all to be equal."""


def event_args(kind: object, at: object, order_id: object) -> None:
    """Check the arguments of ``append_event``, the same on every store."""
    text_arg("kind", kind)
    moment_arg("at", at)
    if order_id is not None:
        text_arg("order_id", order_id)


def after_arg(value: object) -> int:
    """Check a sequence number to read events after: an int >= 0 (beyond SQL's largest
    integer, it reads as that one: no event comes after it on any store)."""
    return sequence_arg("after", value)


def record_arg(record: object) -> str:
    """Check that ``record`` is a record a store keeps; return its kind's name."""
    if isinstance(record, type):
        raise ValidationError("record", record, "must be a record, not a kind of record")
    return kind_of(type(record))


def saved_arg(record: object) -> str:
    """Check a record about to be saved; return its kind's name.

    Saving counts its version up by one, so a record at SQL's largest integer has no next
    version: it is refused on every store alike, before any SQL runs.
    """
    name = record_arg(record)
    version = getattr(record, "version", 0)
    if isinstance(version, int) and version >= MAX_INTEGER:
        raise ValidationError("version", version, "must be below 2**63 - 1 to save it again")
    return name


def new_version(kind: str, record: Record, stored: int | None) -> int:
    """Return the version ``record`` is saved at, or raise ConflictError if it is stale.

    A record of version 0 is new and may only be inserted; any other version must be the
    stored one.
    """
    if record.version == 0 and stored is None:
        return 1
    if record.version == stored:
        return stored + 1
    if record.version == 0:
        reason = f"is already stored (version {stored}); load it before saving"
    elif stored is None:
        reason = f"was deleted after version {record.version} was read"
    else:
        reason = f"version {record.version} is stale: the stored version is {stored}"
    raise ConflictError(
        kind, record.id, reason, expected_version=record.version, actual_version=stored
    )


def event_text(data: Mapping[str, JsonValue] | None) -> str:
    """Return an event's data as its canonical JSON text, as :func:`event_data` does.

    Data the book wrote as text already (:class:`EventJson`) is taken as it is; data made
    only of plain dicts (str keys), lists, tuples, str, int, bool and None is only checked,
    not copied; anything else (subclasses, other mappings, and every refusal with its
    message) goes through :func:`event_data`.

    >>> event_text({"qty": "2.5", "lots": ("a", "b")})
    '{"lots":["a","b"],"qty":"2.5"}'
    """
    if type(data) is EventJson:
        return data.text
    if type(data) is dict and is_plain(data):
        with contextlib.suppress(RecursionError, ValueError):  # event_data says why
            text = canonical_json(data)
            if is_encodable(text):
                return text
    return event_data(data)  # which names what it refuses


class EventJson(Mapping[str, JsonValue]):
    """Event data written as its canonical JSON text by its maker, which checked it.

    The book composes its events' text from the rows it has just encoded for the tables,
    so the stores write that text as it is. Read as a mapping (by a store of another
    kind), it is the data the text holds.

    >>> data = EventJson('{"changes":[],"number":"SO-1"}')
    >>> dict(data), event_text(data)
    ({'changes': [], 'number': 'SO-1'}, '{"changes":[],"number":"SO-1"}')
    """

    __slots__ = ("_data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: dict[str, JsonValue] | None = None

    def _plain(self) -> dict[str, JsonValue]:
        if self._data is None:
            self._data = read_event_data(self.text)
        return self._data

    def __getitem__(self, key: str) -> JsonValue:
        return self._plain()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._plain())

    def __len__(self) -> int:
        return len(self._plain())

    def __repr__(self) -> str:
        return f"EventJson({self.text!r})"


def event_json(changes: Iterable[str], data: Mapping[str, JsonValue]) -> EventJson:
    """Compose an event's text from the JSON texts of its changes and its other data.

    The texts of the changes are taken as they are (the codec made them canonical); the
    other values are checked as :func:`event_text` checks them. Keys come out sorted, as
    in every canonical text.

    >>> event_json(['{"op":"delete"}'], {"number": "SO-1", "by": "ana"}).text
    '{"by":"ana","changes":[{"op":"delete"}],"number":"SO-1"}'
    """
    if "changes" in data:
        raise ValidationError("data", "changes", "is the event's own key")
    members = {"changes": "[" + ",".join(changes) + "]"}
    for key, value in data.items():  # '{"key":value}' -> 'value', checked on the way
        members[key] = event_text({key: value})[len(canonical_json(key)) + 2 : -1]
    text = ",".join(canonical_json(key) + ":" + members[key] for key in sorted(members))
    return EventJson("{" + text + "}")


_STR_KEYS = {str}
_LEAVES = (str, int, bool, type(None))


def is_plain(data: dict[str, JsonValue]) -> bool:
    """Whether data holds only plain dicts (str keys), lists, tuples, str, int, bool, None."""
    stack: list[object] = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            assert isinstance(value, dict)
            if value and not set(map(type, value)) <= _STR_KEYS:
                return False
            stack.extend(value.values())
        elif kind is list or kind is tuple:
            assert isinstance(value, list | tuple)
            stack.extend(value)
        elif kind not in _LEAVES:
            return False
    return True


def with_version(record: R, version: int) -> R:
    """Return a copy of a record at another version.

    The record was valid when it was built, and a version is a count the store keeps, so
    the copy is made field by field instead of through the constructor's checks again.
    """
    kind = type(record)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(field.name for field in attrs.fields(kind))
    copy = object.__new__(kind)
    for name in names:
        object.__setattr__(copy, name, getattr(record, name))
    object.__setattr__(copy, "version", version)
    return copy


_FIELD_NAMES: dict[type[object], tuple[str, ...]] = {}


class RowDecoder(Protocol):
    """Decodes one ``(version, data)`` row of a kind of record, as a store words its errors."""

    def __call__(self, kind: type[R], row: tuple[object, ...], /) -> R: ...


class DecodedRows:
    """The records of the rows a store read or wrote last, by kind and row: a row read again,
    exactly as it was (same version, same text), gives back the same record without being
    decoded.

    Decoding depends on nothing but the kind and the row, so this is only a memo: a row that
    changed in any way is decoded (and checked) again.

    Args:
        decode_row: decodes one ``(version, data)`` row of a kind, as the store words errors.
    """

    def __init__(self, decode_row: RowDecoder) -> None:
        self._decode_row = decode_row
        self._seen: dict[tuple[type[Record], object], tuple[tuple[object, ...], Record]] = {}

    def records(self, kind: type[R], rows: Iterable[tuple[object, ...]]) -> tuple[R, ...]:
        """The records of some ``(version, data)`` rows of one kind.

        Raises:
            OrderbookError: a row is not valid JSON or not a valid record of that kind.
        """
        seen = self._seen
        records: list[R] = []
        for row in rows:
            key = (kind, row[1])
            known = seen.get(key)
            if known is not None and known[0] == row:
                records.append(cast(R, known[1]))
                continue
            record = self._decode_row(kind, row)
            self._keep(key, row, record)
            records.append(record)
        return tuple(records)

    def wrote(self, record: Record, row: tuple[object, ...]) -> None:
        """Note the ``(version, data)`` row a record was just saved as: reading it back, as
        the next command does, then gives the record without decoding it."""
        self._keep((type(record), row[1]), row, record)

    def _keep(
        self, key: tuple[type[Record], object], row: tuple[object, ...], record: Record
    ) -> None:
        if len(self._seen) >= _DECODED_ROWS:
            self._seen.clear()
        self._seen[key] = (row, record)


_DECODED_ROWS = 4096  # rows kept; all forgotten at once when full


class StoreBase(abc.ABC):
    """The query methods of the Store protocol, built on three private lookups.

    A store of one's own subclasses it and answers ``_select(kind, criteria)`` (records of
    ``kind`` whose fields equal the :data:`Criteria`, by id), ``_select_by_sku(sku)`` and
    ``_select_placed(start, end)``; every public query checks its arguments, then asks one
    of them. :class:`~orderbook.store.MemoryStore` and
    :class:`~orderbook.store.SQLiteStore` are built so.
    """

    @abc.abstractmethod
    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        """Records of ``kind`` whose fields equal the criteria, sorted by id."""

    @abc.abstractmethod
    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        """Orders with a line of ``sku``, sorted by id."""

    @abc.abstractmethod
    def _select_placed(self, start: int, end: int) -> tuple[Order, ...]:
        """Orders placed in [start, end) microseconds since the epoch, by moment then id."""

    def scan(self, kind: type[R]) -> Scan[R]:
        """Read every record of one kind that reads back, and list the damaged rows.

        :meth:`records` raises on the first damaged row; a scan reads on past it, for
        :func:`orderbook.check.check_book`. A store whose rows cannot be damaged (one in
        memory) lists none.
        """
        return Scan(self.records(kind))

    def scan_events(self) -> Scan[StoredEvent]:
        """Read every event that reads back, and list the damaged rows of the log."""
        return Scan(self.events())

    @abc.abstractmethod
    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Every record of one kind, by id."""

    @abc.abstractmethod
    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """The events after sequence number ``after``, of one order or all."""

    @abc.abstractmethod
    def setting(self, name: str) -> JsonValue | None:
        """The value stored under a setting's name, or None when there is none."""

    @abc.abstractmethod
    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value, replacing any, within the transaction if one is open."""

    def orders_by_customer(self, customer_id: str) -> tuple[Order, ...]:
        """Return the orders of a customer, by id."""
        return self._select(Order, (("customer_id", text_arg("customer_id", customer_id)),))

    def orders_by_status(self, status: str) -> tuple[Order, ...]:
        """Return the orders in a workflow status (its code), by id."""
        return self._select(Order, (("status", text_arg("status", status)),))

    def orders_by_sku(self, sku: str) -> tuple[Order, ...]:
        """Return the orders with at least one line of a product, by id."""
        return self._select_by_sku(text_arg("sku", sku))

    def orders_placed_between(self, start: dt.datetime, end: dt.datetime) -> tuple[Order, ...]:
        """Return the orders placed from ``start`` (included) to ``end`` (excluded).

        Moments compare as instants, whatever their UTC offsets. Orders never placed
        (``placed_at`` None) are left out. The result is sorted by the moment, then id.

        Raises:
            ValidationError: a bound is not timezone-aware, or ``end`` is before ``start``.
        """
        low = microseconds(moment_arg("start", start))
        high = microseconds(moment_arg("end", end))
        if high < low:
            raise ValidationError("end", end, "must not be before start")
        return self._select_placed(low, high)

    def quotes_by_customer(self, customer_id: str) -> tuple[Quote, ...]:
        """Return the quotes of a customer, by id."""
        return self._select(Quote, (("customer_id", text_arg("customer_id", customer_id)),))

    def lots_by_sku(self, sku: str) -> tuple[Lot, ...]:
        """Return the lots of a product, by id."""
        return self._select(Lot, (("sku", text_arg("sku", sku)),))

    def allocations_by_order(self, order_id: str) -> tuple[Allocation, ...]:
        """Return the allocations of an order's lines, by id."""
        return self._select(Allocation, (("order_id", text_arg("order_id", order_id)),))

    def allocations_by_line(self, order_id: str, line_id: str) -> tuple[Allocation, ...]:
        """Return the allocations of one line of an order, by id."""
        criteria = (
            ("order_id", text_arg("order_id", order_id)),
            ("line_id", text_arg("line_id", line_id)),
        )
        return self._select(Allocation, criteria)

    def allocations_by_lot(self, lot_id: str) -> tuple[Allocation, ...]:
        """Return the allocations drawing on a lot, by id."""
        return self._select(Allocation, (("lot_id", text_arg("lot_id", lot_id)),))

    def shipments_by_order(self, order_id: str) -> tuple[Shipment, ...]:
        """Return the shipments (and returns) of an order, by id."""
        return self._select(Shipment, (("order_id", text_arg("order_id", order_id)),))

    def forfeits_by_order(self, order_id: str) -> tuple[Forfeit, ...]:
        """Return the forfeits of an order, by id."""
        return self._select(Forfeit, (("order_id", text_arg("order_id", order_id)),))

    def invoices_by_order(self, order_id: str) -> tuple[Invoice, ...]:
        """Return the invoices (and credit notes) of an order, by id."""
        return self._select(Invoice, (("order_id", text_arg("order_id", order_id)),))

    def invoices_by_customer(self, customer_id: str) -> tuple[Invoice, ...]:
        """Return the invoices of a customer, by id."""
        return self._select(Invoice, (("customer_id", text_arg("customer_id", customer_id)),))

    def payments_by_order(self, order_id: str) -> tuple[Payment, ...]:
        """Return the payments whose ``order_id`` is the order's, by id."""
        return self._select(Payment, (("order_id", text_arg("order_id", order_id)),))

    def payments_by_invoice(self, invoice_id: str) -> tuple[Payment, ...]:
        """Return the payments against an invoice, by id."""
        return self._select(Payment, (("invoice_id", text_arg("invoice_id", invoice_id)),))

    def purchase_orders_by_order(self, order_id: str) -> tuple[PurchaseOrder, ...]:
        """Return the purchase orders made for an order, by id."""
        return self._select(PurchaseOrder, (("order_id", text_arg("order_id", order_id)),))
