"""PostgresStore: the same book on a PostgreSQL server, for books shared by several processes.

It needs psycopg 3, which the ``postgres`` extra installs (``pip install 'orderbook[postgres]'``).
A book lives in one schema of the database, created and migrated forward when the store opens.
Every value reaches SQL as a bound parameter. A write is one statement that checks the version
itself (``UPDATE ... WHERE id = %s AND version = %s``) and locks the row it changes, so of two
writers racing on one lot the second waits for the first and then finds its copy stale; only a
refused write reads the stored version, to say why. The schema's triggers write an order's
lines within the statement that saves the order. A lock not granted within ``lock_timeout``
seconds, a deadlock and a serialization failure all become a
:class:`~orderbook.errors.ConflictError`, which is safe to retry; a lost or refused connection
becomes an :class:`~orderbook.errors.OrderbookError`.

>>> PostgresStore("postgresql://nobody@127.0.0.1:1/book", connect_timeout=2)
Traceback (most recent call last):
...
orderbook.errors.OrderbookError: cannot connect to PostgreSQL (database 'book' on
127.0.0.1:1 as 'nobody'): ...
>>> PostgresStore("postgresql://127.0.0.1/book", schema="")
Traceback (most recent call last):
...
orderbook.errors.ValidationError: schema must be a non-empty str of at most 63 bytes, without
NUL, got ''
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import NoReturn

import attrs

try:
    import psycopg  # noqa: F401  (said here, so a missing psycopg names the extra to install)
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "PostgresStore needs psycopg 3: install it with pip install 'orderbook[postgres]'"
    ) from error

from orderbook._args import text_arg
from orderbook.errors import ConflictError, DamagedRow, NotFound, ValidationError
from orderbook.model import Order
from orderbook.store import _postgres_schema as pg_schema
from orderbook.store._base import (
    Criteria,
    DecodedRows,
    StoreBase,
    after_arg,
    event_args,
    event_text,
    new_version,
    record_arg,
    saved_arg,
    with_version,
)
from orderbook.store._postgres_session import Session, SqlRow, cell, uncell
from orderbook.store._rows import Scan, event_from_row, plain_row, record_from_row, scan_rows
from orderbook.store._settings import no_settings, setting_from_row, setting_name, setting_text
from orderbook.store.codec import JsonValue, Row
from orderbook.store.events import StoredEvent, is_encodable
from orderbook.store.protocol import RECORD_KINDS, Dump, R, Record, kind_of
from orderbook.store.schema import MIGRATIONS, TABLES, Migration, TableSpec, check_migrations

__all__ = ["PostgresStore"]

_SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
_EVERY = "SELECT version, data, {key} FROM {table} ORDER BY {key}"
_EVENTS = "SELECT sequence, kind, order_id, at, data FROM events"
# Appenders take turns on the log until they commit, so sequence numbers have no gap.
_LOCK_EVENTS = "LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE"
_NEXT_EVENT = (
    "INSERT INTO events (sequence, kind, order_id, at, data)"
    " SELECT coalesce(max(sequence), 0) + 1, %s, %s, %s, %s FROM events RETURNING sequence"
)
_SETTINGS_TABLE = "SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'settings'"
_GET_SETTING = "SELECT value FROM settings WHERE name = %s"
_PUT_SETTING = (
    "INSERT INTO settings (name, value) VALUES (%s, %s)"
    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
)


@attrs.frozen
class _Writes:
    """The statements that save a kind of record: each checks the version itself."""

    insert: str
    update: str
    delete: str


def _writes(table: TableSpec) -> _Writes:
    """The statements of a table, made once."""
    found = _WRITES.get(table.name)
    if found is None:
        columns = (table.key, "version", *table.columns, "data")
        marks = ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{c} = %s" for c in columns[1:])
        insert = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
            f" ON CONFLICT ({table.key}) DO NOTHING"
        )
        update = f"UPDATE {table.name} SET {sets} WHERE {table.key} = %s AND version = %s"
        delete = f"DELETE FROM {table.name} WHERE {table.key} = %s AND version = %s"
        found = _WRITES[table.name] = _Writes(insert=insert, update=update, delete=delete)
    return found


_WRITES: dict[str, _Writes] = {}


class PostgresStore(StoreBase):
    """A store in one schema of a PostgreSQL database, created (or migrated) when opened.

    Args:
        dsn: the connection string: ``"postgresql://user@host:5432/dbname"`` or
            ``"host=... dbname=..."``.
        schema: the schema the book lives in, created if absent. It must be empty or an
            orderbook schema: tables of another application are never touched.
        lock_timeout: how many seconds a writer waits for a row or table another writer
            holds before giving up with a ConflictError; 0 gives up at once.
        connect_timeout: how many seconds to wait for the server when connecting.
        migrations: the schema's migrations, oldest first; the library's own by default.

    Raises:
        OrderbookError: the server cannot be reached, the schema belongs to another
            application, or its version is newer than this code knows (it is left as it was).

    One store is one connection: give each thread or process its own. Close it when done,
    or use it as a context manager.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "public",
        lock_timeout: float = 5.0,
        connect_timeout: int = 10,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        schema = _schema_arg(schema)
        lock_ms = max(1, round(_seconds("lock_timeout", lock_timeout) * 1000))
        if isinstance(connect_timeout, bool) or not isinstance(connect_timeout, int):
            raise ValidationError("connect_timeout", connect_timeout, "must be an int of seconds")
        if not 1 <= connect_timeout <= 3600:
            raise ValidationError("connect_timeout", connect_timeout, "must be 1 to 3600 seconds")
        steps = check_migrations(migrations)
        self._rows = DecodedRows(_record)
        self._has_settings = False  # once the settings table is seen: tables are never dropped
        self._session = Session(
            dsn, schema=schema, lock_ms=lock_ms, connect_timeout=connect_timeout
        )
        try:
            with self._session.translate():
                connection = self._session.connection()
                version = pg_schema.stored_version(connection, schema)
                pg_schema.check_not_newer(version, steps, schema)  # before anything is written
                if version < steps[-1].version:
                    pg_schema.migrate(connection, steps, schema)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        state = "closed" if self._session.closed else "open"
        return f"PostgresStore(<{self._session.where}>, schema={self.schema!r}, <{state}>)"

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back); later use raises."""
        self._session.close()

    @property
    def schema(self) -> str:
        """The schema the book lives in."""
        return self._session.schema

    @property
    def schema_version(self) -> int:
        """The schema version of the open book."""
        return int(str(self._session.rows("SELECT max(version) FROM schema_version")[0][0]))

    # -- records ----------------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> R:
        """Return the record of that kind and id.

        Raises:
            NotFound: there is no such record.
        """
        name = kind_of(kind)
        table = TABLES[kind]
        query = f"SELECT version, data, {table.key} FROM {table.name} WHERE {table.key} = %s"
        rows = self._session.rows(query, (cell(text_arg("record_id", record_id)),))
        if not rows:
            raise NotFound(name, record_id)
        return self._rows.records(kind, rows)[0]

    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Return every record of one kind, by id."""
        kind_of(kind)
        table = TABLES[kind]
        query = _EVERY.format(table=table.name, key=table.key)
        return self._rows.records(kind, self._session.rows(query))

    def scan(self, kind: type[R]) -> Scan[R]:
        """Read every record of one kind that reads back, and list the damaged rows.

        :meth:`records` raises on the first damaged row; this reads on past it, for
        :func:`orderbook.check.check_book`.
        """
        kind_of(kind)
        table = TABLES[kind]
        rows = self._session.rows(_EVERY.format(table=table.name, key=table.key))
        return scan_rows(lambda row: self._rows.records(kind, [row])[0], rows)

    def scan_events(self) -> Scan[StoredEvent]:
        """Read every event that reads back, and list the damaged rows of the log."""
        return scan_rows(_event, self._session.rows(_EVENTS + " ORDER BY sequence"))

    def put(self, record: R) -> R:
        """Save a record over its stored version and return it with the new version.

        The stored row stays locked until the outermost transaction ends, so another writer
        of the same record waits, then finds its own copy stale.

        Raises:
            ConflictError: the record's version is not the stored one, or another writer
                held the record beyond ``lock_timeout``.
        """
        name = saved_arg(record)
        table = TABLES[type(record)]
        writes = _writes(table)
        saved = with_version(record, record.version + 1)
        *columns, data = table.row(saved)  # JSON text escapes NUL by itself
        values: list[object] = [cell(v) if isinstance(v, str) else v for v in columns]
        values.append(data)
        if record.version == 0:
            query = writes.insert
        else:  # the key and the version read go last, in the WHERE clause
            query, values = writes.update, [*values[1:], values[0], record.version]
        if not self._session.changed(query, values):
            self._refuse(name, table, record)
        self._rows.wrote(saved, (saved.version, data, columns[0]))
        return saved

    def delete(self, record: R) -> None:
        """Delete a record whose version is the stored one.

        Raises:
            NotFound: a record never saved (version 0) is not stored.
            ConflictError: the record's version is not the stored one.
        """
        name = record_arg(record)
        table = TABLES[type(record)]
        query = _writes(table).delete  # an order's lines go with it (ON DELETE CASCADE)
        if not self._session.changed(query, (cell(record.id), record.version)):
            self._refuse(name, table, record, deleting=True)

    def _refuse(
        self, name: str, table: TableSpec, record: Record, *, deleting: bool = False
    ) -> NoReturn:
        """Raise the error for a write that found another version stored than the record's."""
        query = f"SELECT version FROM {table.name} WHERE {table.key} = %s"
        rows = self._session.rows(query, (cell(record.id),))
        stored = None if not rows else rows[0][0]
        if stored is not None and type(stored) is not int:  # pragma: no cover - an INTEGER
            raise DamagedRow(table.name, record.id, f"version is not an int, got {stored!r}")
        if deleting and stored is None and record.version == 0:
            raise NotFound(name, record.id)
        new_version(name, record, stored)  # raises ConflictError: the versions differ
        # They agree now: another writer changed the row between the write and the read.
        reason = "another writer changed it meanwhile; retry"
        raise ConflictError(
            name, record.id, reason, expected_version=record.version, actual_version=stored
        )

    # -- queries ----------------------------------------------------------------------------

    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        table = TABLES[kind]
        fields = [field for field, _ in criteria]
        assert set(fields) <= set(table.columns), "query on a column the table has"
        where = " AND ".join(f"{field} = %s" for field in fields)
        query = (
            f"SELECT version, data, {table.key} FROM {table.name} WHERE {where}"
            f" ORDER BY {table.key}"
        )
        rows = self._session.rows(query, [cell(value) for _, value in criteria])
        return self._rows.records(kind, rows)

    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        query = (
            "SELECT version, data, id FROM orders WHERE id IN"
            " (SELECT order_id FROM order_lines WHERE sku = %s) ORDER BY id"
        )
        return self._rows.records(Order, self._session.rows(query, (cell(sku),)))

    def _select_placed(self, start: int, end: int) -> tuple[Order, ...]:
        query = (
            "SELECT version, data, id FROM orders WHERE placed_at_us >= %s AND placed_at_us < %s"
            " ORDER BY placed_at_us, id"
        )
        return self._rows.records(Order, self._session.rows(query, (start, end)))

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

        Appenders take turns on the log until they commit, so events are numbered 1, 2, 3, ...
        with no gap, in the order their transactions commit.

        Raises:
            ValidationError: the kind is empty, ``at`` is naive, or the data is not JSON.
            ConflictError: another writer held the log beyond ``lock_timeout``.
        """
        event_args(kind, at, order_id)
        cells = (
            cell(kind),
            None if order_id is None else cell(order_id),
            at.isoformat(),
            event_text(data),
        )
        if self._session.depth:  # one statement, under the lock the transaction holds
            return self._append(cells)
        with self.transaction():
            return self._append(cells)

    def _append(self, cells: tuple[object, ...]) -> StoredEvent:
        self._session.lock(_LOCK_EVENTS)
        sequence = self._session.rows(_NEXT_EVENT, cells)[0][0]
        return _event((sequence, *cells))

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """Return the events after sequence number ``after``, of one order or all."""
        query = _EVENTS + " WHERE sequence > %s"
        parameters: list[object] = [after_arg(after)]
        if order_id is not None:
            query += " AND order_id = %s"
            parameters.append(cell(text_arg("order_id", order_id)))
        rows = self._session.rows(query + " ORDER BY sequence", parameters)
        return tuple(_event(row) for row in rows)

    # -- settings ---------------------------------------------------------------------------

    def setting(self, name: str) -> JsonValue | None:
        """Return the value stored under a setting's name, or None when there is none.

        Raises:
            DamagedRow: the stored value is not JSON that a setting holds.
        """
        setting_name(name)
        if not self._settings_table():
            return None
        rows = self._session.rows(_GET_SETTING, (cell(name),))
        return setting_from_row(name, rows[0][0]) if rows else None

    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value, replacing any, in one statement: inside a transaction it
        commits or rolls back with the rest.

        The setting's row stays locked until the outermost transaction ends, so of two
        writers of one setting the second waits for the first.

        Raises:
            ValidationError: the name is not a non-empty str, or the value not plain JSON.
            OrderbookError: the schema (opened with older migrations) has no settings table.
            ConflictError: another writer held the setting beyond ``lock_timeout``.
        """
        setting_name(name)
        text = setting_text(value)  # JSON escapes NUL: the text goes as it is
        if not self._settings_table():
            raise no_settings(f"schema {self.schema!r}", self.schema_version)
        self._session.run(_PUT_SETTING, (cell(name), text))

    def _settings_table(self) -> bool:
        if not self._has_settings:
            self._has_settings = bool(self._session.rows(_SETTINGS_TABLE, (self.schema,)))
        return self._has_settings

    # -- the unit of work -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything done inside together, or nothing if the block raises.

        The outermost transaction runs at PostgreSQL's READ COMMITTED level, and every write
        locks the row it checks, so two writers of one record take turns. A transaction
        inside another joins it as a savepoint: nothing is committed until the outermost one
        ends, and if the inner block raises, its own changes are rolled back and the error
        goes on.

        A refused save or delete (ConflictError for a stale version, NotFound) leaves the
        transaction as it was. A database error (a lock not granted in time, a deadlock, a
        lost connection) leaves PostgreSQL unable to go on with the transaction: if the block
        catches it and goes on, its end raises the same error again and rolls the block back.
        """
        with self._session.block():
            yield

    def dump(self) -> Dump:
        """Return every record and event as plain rows, sorted: compare two dumps with ``==``.

        Outside a transaction, the dump reads one snapshot of the whole book.
        """
        dump: dict[str, tuple[Row, ...]] = {}
        with self._session.block(_SNAPSHOT):
            for name, kind in RECORD_KINDS.items():
                table = TABLES[kind]
                query = _EVERY.format(table=table.name, key=table.key)
                rows = self._session.rows(query)
                dump[name] = tuple(plain_row(kind, _uncelled(row)) for row in rows)
            dump["event"] = tuple(event.to_row() for event in self.events())
        return dump


def _schema_arg(value: object) -> str:
    if (
        not isinstance(value, str)
        or not value
        or "\x00" in value
        or not is_encodable(value)
        or len(value.encode()) > 63
    ):
        reason = "must be a non-empty str of at most 63 bytes, without NUL"
        raise ValidationError("schema", value, reason)
    return value


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(name, value, "must be a number of seconds")
    if not 0 <= value <= 86400:
        raise ValidationError(name, value, "must be 0 to 86400 seconds")
    return float(value)


def _uncelled(row: SqlRow) -> SqlRow:
    """A ``(version, data, key)`` row with its key as it was written."""
    version, data, key = row
    return (version, data, uncell(key) if isinstance(key, str) else key)


def _record(kind: type[R], row: SqlRow) -> R:
    return record_from_row(kind, _uncelled(row))


def _event(row: SqlRow) -> StoredEvent:
    return event_from_row(row, uncell)
