"""Rows of the SQL stores read back as records and events, or refused as damaged.

A row the book wrote always reads back. A row edited behind the book's back, or one that a
damaged file garbled, may not: its data may not be JSON, or not a JSON object, or not a valid
record; an event's moment may not be a moment. Each of these is a
:class:`~orderbook.errors.DamagedRow` naming the table, the row's key and what is wrong, and
never another exception. A store's ``scan`` reads every row it can and lists the damaged
ones, for :func:`orderbook.check.check_book`.

>>> from orderbook import Lot
>>> record_from_row(Lot, (1, '{"id":"l1","quantity":"2","sku":"TEA"}', "l1")).quantity
Decimal('2')
>>> record_from_row(Lot, (1, "[1,2]", "l1"))
Traceback (most recent call last):
...
orderbook.errors.DamagedRow: lots row 'l1' is damaged: data is not a JSON object, got [1, 2]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar, cast

import attrs

from orderbook.errors import DamagedRow, OrderbookError, ValidationError, describe
from orderbook.store import schema
from orderbook.store.codec import Row, decode
from orderbook.store.events import StoredEvent, read_event_data
from orderbook.store.protocol import R, Record

__all__ = ["Scan", "event_from_row", "plain_row", "record_from_row", "scan_rows"]

T = TypeVar("T")


def _json_object(table: str, key: object, data: object) -> Row:
    if not isinstance(data, str):
        raise DamagedRow(table, key, f"data is not text, got {describe(data)}")
    try:
        plain = json.loads(data)
    except ValueError as error:  # not JSON, or an int too long to read
        raise DamagedRow(table, key, f"data is not valid JSON ({error})") from None
    except RecursionError:
        raise DamagedRow(table, key, "data is nested too deeply to read") from None
    if not isinstance(plain, dict):
        raise DamagedRow(table, key, f"data is not a JSON object, got {describe(plain)}")
    return plain


def plain_row(kind: type[Record], row: tuple[object, ...]) -> Row:
    """A ``(version, data, key)`` row of a kind's table as its plain row, version included.

    Raises:
        DamagedRow: the data is not a JSON object, or the version not an int.
    """
    version, data, key = row
    table = schema.TABLES[kind].name
    if type(version) is not int:
        raise DamagedRow(table, key, f"version is not an int, got {describe(version)}")
    plain = _json_object(table, key, data)
    plain["version"] = version
    return plain


def record_from_row(kind: type[R], row: tuple[object, ...]) -> R:
    """Decode a ``(version, data, key)`` row of a kind's table.

    Raises:
        DamagedRow: the row is not a valid record of that kind, or holds another key.
    """
    table = schema.TABLES[kind]
    key = row[2]
    plain = plain_row(kind, row)
    try:
        record = decode(kind, plain)
    except OrderbookError as error:
        reason = error.details.get("reason", str(error))
        raise DamagedRow(table.name, key, str(reason)) from None
    if record.id != key:
        reason = f"its data holds {table.key} {describe(record.id)}"
        raise DamagedRow(table.name, key, reason)
    return record


def event_from_row(row: tuple[object, ...], text: Callable[[str], str] = str) -> StoredEvent:
    """An event from its ``(sequence, kind, order_id, at, data)`` row.

    Args:
        row: the row as the database gave it.
        text: turns a text column back into the text written (PostgreSQL's cells).

    Raises:
        DamagedRow: the row is not an event the book wrote.
    """
    sequence, kind, order_id, at, data = row
    try:
        if not isinstance(at, str):
            raise ValidationError("at", at, "must be text")
        try:
            moment = dt.datetime.fromisoformat(at)
        except ValueError:
            raise ValidationError("at", at, "must be an ISO 8601 moment") from None
        if not isinstance(data, str):
            raise ValidationError("data", data, "must be text")
        return StoredEvent(  # whose validators check the other columns
            sequence=cast(int, sequence),
            kind=text(kind) if isinstance(kind, str) else cast(str, kind),
            order_id=text(order_id) if isinstance(order_id, str) else cast(None, order_id),
            at=moment,
            data=read_event_data(data, field="data"),
        )
    except OrderbookError as error:
        raise DamagedRow("events", sequence, str(error)) from None


@attrs.frozen
class Scan(Generic[T]):
    """What a scan of a table read: the rows that read, and the damaged ones."""

    found: tuple[T, ...]
    damaged: tuple[DamagedRow, ...] = ()


def scan_rows(
    read: Callable[[tuple[object, ...]], T], rows: Iterable[tuple[object, ...]]
) -> Scan[T]:
    """Read each row on its own: a damaged row is listed, and the others still read."""
    found: list[T] = []
    damaged: list[DamagedRow] = []
    for row in rows:
        try:
            found.append(read(row))
        except DamagedRow as error:
            damaged.append(error)
    return Scan(tuple(found), tuple(damaged))
