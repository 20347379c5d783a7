"""Rows of the SQLite store: records read back without decoding twice, and saving statements.

>>> from orderbook import Lot
>>> from orderbook.store._base import DecodedRows
>>> rows = DecodedRows(record_of)
>>> row = (1, '{"id":"l1","quantity":"2","sku":"TEA"}')
>>> first = rows.records(Lot, [row])[0]
>>> first.quantity, rows.records(Lot, [row])[0] is first
(Decimal('2'), True)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import attrs

from orderbook.errors import ConflictError, OrderbookError, ValidationError
from orderbook.store import schema
from orderbook.store.codec import Row, decode
from orderbook.store.events import StoredEvent, read_event_data
from orderbook.store.protocol import R, kind_of

__all__ = [
    "event_of",
    "path_arg",
    "plain_row",
    "record_of",
    "sqlite_error",
    "statements",
]


def plain_row(row: tuple[object, ...]) -> Row:
    """A ``(version, data)`` row as the plain row of its record, version included."""
    version, data = row
    plain = json.loads(str(data))
    assert isinstance(plain, dict)
    plain["version"] = version
    return plain


def record_of(kind: type[R], row: tuple[object, ...]) -> R:
    """Decode a ``(version, data)`` row of the SQLite store."""
    try:
        plain = plain_row(row)
    except ValueError as error:
        raise OrderbookError(f"a stored {kind_of(kind)} is not valid JSON: {error}") from None
    return decode(kind, plain)


@attrs.frozen
class _Sql:
    """The statements that save one kind of record."""

    insert: str
    update: str


_SQL: dict[str, _Sql] = {}


def statements(table: schema.TableSpec) -> _Sql:
    """The insert and the version-checked update of a table, made once."""
    found = _SQL.get(table.name)
    if found is None:
        columns = (table.key, "version", *table.columns, "data")
        marks = ", ".join("?" * len(columns))
        sets = ", ".join(f"{c} = ?" for c in columns[1:])
        found = _SQL[table.name] = _Sql(
            insert=f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
            update=f"UPDATE {table.name} SET {sets} WHERE {table.key} = ? AND version = ?",
        )
    return found


def sqlite_error(error: sqlite3.Error, path: Path) -> OrderbookError:
    """The orderbook error for an sqlite3 one: busy or locked becomes ConflictError."""
    if isinstance(error, sqlite3.OperationalError):
        name = getattr(error, "sqlite_errorname", "")
        text = str(error)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return ConflictError("database", str(path), f"{text}: another writer holds it; retry")
        return OrderbookError(f"SQLite failed on {str(path)!r}: {text}")
    return OrderbookError(f"SQLite failed on {str(path)!r}: {error}")


def path_arg(path: object) -> Path:
    """Check the path of a database file."""
    if not isinstance(path, str | os.PathLike) or str(path) in ("", ":memory:"):
        raise ValidationError(
            "path", path, "must be the path of a file (use MemoryStore for a store in memory)"
        )
    return Path(path)


def event_of(row: tuple[object, ...]) -> StoredEvent:
    """An event from its ``(sequence, kind, order_id, at, data)`` row."""
    sequence, kind, order_id, at, data = row
    return StoredEvent(
        sequence=int(str(sequence)),
        kind=str(kind),
        order_id=None if order_id is None else str(order_id),
        at=dt.datetime.fromisoformat(str(at)),
        data=read_event_data(str(data)),
    )
