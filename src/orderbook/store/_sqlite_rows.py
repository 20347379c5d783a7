"""What the SQLite store shares: its saving statements, its errors and its file's path.

A row read again, exactly as it was, gives back the record it gave before, undecoded:

>>> from orderbook import Lot
>>> from orderbook.store._base import DecodedRows
>>> from orderbook.store._rows import record_from_row
>>> rows = DecodedRows(record_from_row)
>>> row = (1, '{"id":"l1","quantity":"2","sku":"TEA"}', "l1")
>>> first = rows.records(Lot, [row])[0]
>>> first.quantity, rows.records(Lot, [row])[0] is first
(Decimal('2'), True)
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import attrs

from orderbook.errors import ConflictError, OrderbookError, ValidationError
from orderbook.store import schema

__all__ = ["path_arg", "sqlite_error", "statements"]


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
    """Check the path of a database file: one the file system can name."""
    if not isinstance(path, str | os.PathLike) or str(path) in ("", ":memory:"):
        raise ValidationError(
            "path", path, "must be the path of a file (use MemoryStore for a store in memory)"
        )
    try:
        named = os.fsencode(path)
    except (UnicodeEncodeError, TypeError):
        raise ValidationError("path", path, "must be a path the file system can name") from None
    if b"\x00" in named:
        raise ValidationError("path", path, "must not hold a NUL character")
    return Path(path)
