"""SQLiteStore: the embedded, persistent store, on the standard library's sqlite3.

The database runs in WAL mode (readers never wait for the writer) with foreign keys on; every
value reaches SQL as a bound parameter. A write transaction starts with ``BEGIN IMMEDIATE``,
so writers take turns; a writer that cannot get its turn within ``busy_timeout`` seconds gets
a :class:`~orderbook.errors.ConflictError`, which is safe to retry.

>>> import tempfile, pathlib
>>> from orderbook import Customer
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder) / "book.sqlite"
...     with SQLiteStore(path) as store:
...         saved = store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
...     with SQLiteStore(path) as store:
...         store.get(Customer, "acme") == saved
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from orderbook._args import text_arg
from orderbook.errors import DamagedRow, NotFound, OrderbookError, ValidationError, describe
from orderbook.model import Order
from orderbook.store import schema
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
from orderbook.store._rows import Scan, event_from_row, plain_row, record_from_row, scan_rows
from orderbook.store._settings import no_settings, setting_from_row, setting_name, setting_text
from orderbook.store._sqlite_rows import path_arg, sqlite_error, statements
from orderbook.store.codec import JsonValue, Row
from orderbook.store.events import StoredEvent
from orderbook.store.protocol import RECORD_KINDS, Dump, R, Record, kind_of

__all__ = ["SQLiteStore", "Synchronous"]

Synchronous = Literal["full", "normal"]
"""How hard a commit works to reach the disk: see :class:`SQLiteStore`."""

_SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}
_SYNCHRONOUS_NAMES = {2: "full", 1: "normal", 0: "off", 3: "extra"}
_EVERY = "SELECT version, data, {key} FROM {table} ORDER BY {key}"
_EVENTS = "SELECT sequence, kind, order_id, at, data FROM events"
_SETTINGS_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'"
_GET_SETTING = "SELECT value FROM settings WHERE name = ?"
_PUT_SETTING = (
    "INSERT INTO settings (name, value) VALUES (?, ?)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)
_NOT_UTF8 = "Could not decode to UTF-8"  # sqlite3's words for a text that is not UTF-8


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


class SQLiteStore(StoreBase):
    """A store in one SQLite file, created (or migrated forward) when opened.

    Args:
        path: the database file; created if absent or empty (unless ``read_only``).
        synchronous: ``"full"`` (the default): a commit is on disk before it returns.
            ``"normal"``: faster; a commit survives a crash of the application, but the newest
            commits may be lost if the machine loses power.
        busy_timeout: how many seconds a writer waits for another writer before giving up
            with a ConflictError.
        migrations: the schema's migrations, oldest first; the library's own by default.
        read_only: open an existing book only to read it. Nothing is created, migrated or
            written, in the file or beside it: a missing or empty file is refused, and a
            write raises OrderbookError. A book of an older schema version is read as it is
            (before version 3 it holds no settings: every one reads as None). A book that no
            process has open is read as it is on disk (SQLite's ``immutable``), so no
            ``-wal`` or ``-shm`` file appears beside it; one that another process has open
            is read through that process's ``-wal`` file.

    Raises:
        OrderbookError: the file is not an orderbook database, or its schema is newer than
            this code knows. The file is left untouched.

    Close the store when done, or use it as a context manager.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: Synchronous = "full",
        busy_timeout: float = 5.0,
        migrations: Sequence[schema.Migration] = schema.MIGRATIONS,
        read_only: bool = False,
    ) -> None:
        self.path = path_arg(path)
        if not isinstance(read_only, bool):
            raise ValidationError("read_only", read_only, "must be True or False")
        if not isinstance(synchronous, str) or synchronous not in _SYNCHRONOUS:
            raise ValidationError("synchronous", synchronous, "must be 'full' or 'normal'")
        if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, int | float):
            raise ValidationError("busy_timeout", busy_timeout, "must be a number of seconds")
        if not 0 <= busy_timeout <= 86400:
            raise ValidationError("busy_timeout", busy_timeout, "must be 0 to 86400 seconds")
        steps = schema.check_migrations(migrations)
        self.read_only = read_only
        self._depth = 0
        self._rows = DecodedRows(record_from_row)
        self._has_settings = False  # once the settings table is seen: tables are never dropped
        self._connection: sqlite3.Connection | None = None
        new = schema.is_new_file(self.path)
        if read_only and new:
            reason = "it is empty" if self.path.exists() else "there is no such file"
            raise schema.not_orderbook(self.path, reason)
        try:
            if read_only:
                where = schema.read_only_uri(self.path)
                self._connection = sqlite3.connect(
                    where, timeout=busy_timeout, isolation_level=None, uri=True
                )
            else:
                self._connection = sqlite3.connect(
                    self.path, timeout=busy_timeout, isolation_level=None
                )
        except sqlite3.Error as error:
            raise OrderbookError(f"cannot open {str(self.path)!r}: {error}") from None
        try:
            with self._translate():
                if read_only:
                    self._open_read_only(steps)
                else:
                    self._open(new, steps, _SYNCHRONOUS[synchronous])
        except BaseException:
            self.close()
            raise

    def _open(self, new: bool, steps: tuple[schema.Migration, ...], synchronous: str) -> None:
        connection = self._live()
        version = 0 if new else schema.stored_version(connection, self.path)
        schema.check_not_newer(version, steps, self.path)  # before anything is written
        connection.execute("PRAGMA foreign_keys = ON")
        if version < steps[-1].version:
            schema.migrate(connection, steps, self.path)
        # A write that fires a trigger, and a savepoint, keep the pages they change in a
        # statement journal. SQLite moves one that outgrows 64 KiB to a temporary file and
        # keeps writing there; in memory, saving an order costs a third less. (Set after
        # migrating, so that a migration rewriting a large table may still spill to disk.)
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA synchronous = {synchronous}")

    def _open_read_only(self, steps: tuple[schema.Migration, ...]) -> None:
        connection = self._live()
        version = schema.stored_version(connection, self.path)
        if version == 0:
            raise schema.not_orderbook(self.path, "it holds no book")
        # An older schema differs only by its triggers and the tables added since (the
        # settings), so it is read as it is: migrating would write.
        schema.check_not_newer(version, steps, self.path)
        connection.execute("PRAGMA query_only = ON")  # connection settings: nothing written
        connection.execute("PRAGMA temp_store = MEMORY")

    def _writable(self) -> None:
        if self.read_only:
            raise OrderbookError(f"{str(self.path)!r} is open read-only: nothing may be written")

    def quick_check(self) -> None:
        """Check the structure of every page of the file (SQLite's ``PRAGMA quick_check``).

        Reads the whole file, so it takes as long as reading every record once. A command
        reading a book it did not write checks it first, so that a damaged page is found
        before anything is printed, not only by the query that happens to read it.

        Raises:
            OrderbookError: the file is damaged; the message gives SQLite's first finding.
        """
        found = self._all("PRAGMA quick_check")
        if [tuple(row) for row in found] != [("ok",)]:
            first = str(found[0][0]) if found else "no answer"
            raise OrderbookError(f"{str(self.path)!r} is damaged: {first.splitlines()[0]}")

    def __repr__(self) -> str:
        state = "closed" if getattr(self, "_connection", None) is None else "open"
        return f"SQLiteStore({str(getattr(self, 'path', '?'))!r}, <{state}>)"

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back); later use raises."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- the connection ---------------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise OrderbookError("the store is closed")
        return self._connection

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        """Turn sqlite3's errors into orderbook's: busy or locked becomes ConflictError."""
        try:
            yield
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None

    def _all(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[object, ...]]:
        connection = self._live()
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if not str(error).startswith(_NOT_UTF8):
                raise sqlite_error(error, self.path) from None
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None
        # A text that is not UTF-8 (a damaged row): read it again with its bad bytes kept
        # as lone surrogates, which no record or event accepts, so the row reads as damaged.
        connection.text_factory = _lenient_text
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None
        finally:
            connection.text_factory = str

    def _run(self, sql: str, parameters: Sequence[object] = ()) -> int:
        """Execute a statement and return the last row id it inserted."""
        connection = self._live()
        try:
            return connection.execute(sql, parameters).lastrowid or 0
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        found = self._all("SELECT max(version) FROM schema_version")[0][0]
        if type(found) is not int:
            raise DamagedRow("schema_version", None, f"version is not an int, got {found!r}")
        return found

    @property
    def synchronous(self) -> str:
        """The durability setting in force, read back from SQLite: ``"full"`` or ``"normal"``."""
        return _SYNCHRONOUS_NAMES[int(str(self._all("PRAGMA synchronous")[0][0]))]

    @property
    def journal_mode(self) -> str:
        """The journal mode in force, read back from SQLite: ``"wal"``."""
        return str(self._all("PRAGMA journal_mode")[0][0])

    # -- records ----------------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> R:
        """Return the record of that kind and id.

        Raises:
            NotFound: there is no such record.
        """
        name = kind_of(kind)
        table = schema.TABLES[kind]
        sql = f"SELECT version, data, {table.key} FROM {table.name} WHERE {table.key} = ?"
        rows = self._all(sql, (text_arg("record_id", record_id),))
        if not rows:
            raise NotFound(name, record_id)
        return self._rows.records(kind, rows)[0]

    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Return every record of one kind, by id."""
        kind_of(kind)
        table = schema.TABLES[kind]
        rows = self._all(_EVERY.format(table=table.name, key=table.key))
        return self._rows.records(kind, rows)

    def scan(self, kind: type[R]) -> Scan[R]:
        """Read every record of one kind that reads back, and list the damaged rows.

        :meth:`records` raises on the first damaged row; this reads on past it, for
        :func:`orderbook.check.check_book`.
        """
        kind_of(kind)
        table = schema.TABLES[kind]
        rows = self._all(_EVERY.format(table=table.name, key=table.key))
        return scan_rows(lambda row: self._rows.records(kind, [row])[0], rows)

    def scan_events(self) -> Scan[StoredEvent]:
        """Read every event that reads back, and list the damaged rows of the log."""
        return scan_rows(event_from_row, self._all(_EVENTS + " ORDER BY sequence"))

    def put(self, record: R) -> R:
        """Save a record over its stored version and return it with the new version.

        Raises:
            ConflictError: the record's version is not the stored one, or another writer
                kept the database busy beyond ``busy_timeout``.
        """
        saved_arg(record)
        self._writable()
        if self._depth == 0:
            with self.transaction():
                return self._put(record)
        return self._put(record)  # one statement: it happens whole or not at all

    def _put(self, record: R) -> R:
        """Save a record in one statement (the database's triggers write an order's lines).
        The version check is in the statement: the stored version is read only to say why it
        failed."""
        table, connection = schema.TABLES[type(record)], self._live()
        sql = statements(table)
        saved = with_version(record, record.version + 1)
        values: tuple[object, ...] = table.row(saved)
        refused: sqlite3.IntegrityError | None = None
        try:
            if record.version == 0:
                cursor = connection.execute(sql.insert, values)
            else:
                cursor = connection.execute(sql.update, (*values[1:], record.id, record.version))
            done = cursor.rowcount == 1
        except sqlite3.IntegrityError as error:  # an insert over a stored row, most likely
            done, refused = False, error
        except sqlite3.Error as error:
            raise sqlite_error(error, self.path) from None
        if not done:
            stored = self._stored_version(table, record.id)
            new_version(kind_of(type(record)), record, stored)  # raises ConflictError
            if refused is not None:
                raise sqlite_error(refused, self.path) from None
            raise AssertionError("a save that changed nothing is a conflict")  # pragma: no cover
        self._rows.wrote(saved, (saved.version, values[-1], saved.id))
        return saved

    def delete(self, record: R) -> None:
        """Delete a record whose version is the stored one.

        Raises:
            NotFound: a record never saved (version 0) is not stored.
            ConflictError: the record's version is not the stored one.
        """
        name = record_arg(record)
        self._writable()
        table = schema.TABLES[type(record)]
        if self._depth == 0:
            with self.transaction():
                self._delete(name, table, record)
        else:  # one statement (an order's lines go with it): whole or not at all
            self._delete(name, table, record)

    def _delete(self, name: str, table: schema.TableSpec, record: Record) -> None:
        sql = f"DELETE FROM {table.name} WHERE {table.key} = ? AND version = ?"
        with self._translate():
            done = self._live().execute(sql, (record.id, record.version)).rowcount == 1
        if not done:
            stored = self._stored_version(table, record.id)
            if stored is None and record.version == 0:
                raise NotFound(name, record.id)
            new_version(name, record, stored)  # raises ConflictError
            raise AssertionError("a delete that changed nothing is a conflict")  # pragma: no cover

    def _stored_version(self, table: schema.TableSpec, record_id: str) -> int | None:
        rows = self._all(f"SELECT version FROM {table.name} WHERE {table.key} = ?", (record_id,))
        if not rows:
            return None
        if type(rows[0][0]) is not int:
            reason = f"version is not an int, got {describe(rows[0][0])}"
            raise DamagedRow(table.name, record_id, reason)
        return rows[0][0]

    # -- queries ----------------------------------------------------------------------------

    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        table = schema.TABLES[kind]
        fields = [field for field, _ in criteria]
        assert set(fields) <= set(table.columns), "query on a column the table has"
        where = " AND ".join(f"{field} = ?" for field in fields)
        sql = (
            f"SELECT version, data, {table.key} FROM {table.name} WHERE {where}"
            f" ORDER BY {table.key}"
        )
        rows = self._all(sql, [value for _, value in criteria])
        return self._rows.records(kind, rows)

    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        sql = (
            "SELECT version, data, id FROM orders WHERE id IN"
            " (SELECT order_id FROM order_lines WHERE sku = ?) ORDER BY id"
        )
        return self._rows.records(Order, self._all(sql, (sku,)))

    def _select_placed(self, start: int, end: int) -> tuple[Order, ...]:
        sql = (
            "SELECT version, data, id FROM orders WHERE placed_at_us >= ? AND placed_at_us < ?"
            " ORDER BY placed_at_us, id"
        )
        return self._rows.records(Order, self._all(sql, (start, end)))

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
        event_args(kind, at, order_id)
        self._writable()
        row = (kind, order_id, at.isoformat(), event_text(data))
        sql = "INSERT INTO events (kind, order_id, at, data) VALUES (?, ?, ?, ?)"
        if self._depth:  # one statement: it happens whole or not at all
            return event_from_row((self._run(sql, row), *row))
        with self.transaction():
            return event_from_row((self._run(sql, row), *row))

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """Return the events after sequence number ``after``, of one order or all."""
        sql = _EVENTS + " WHERE sequence > ?"
        parameters: list[object] = [after_arg(after)]
        if order_id is not None:
            sql += " AND order_id = ?"
            parameters.append(text_arg("order_id", order_id))
        return tuple(
            event_from_row(row) for row in self._all(sql + " ORDER BY sequence", parameters)
        )

    # -- settings ---------------------------------------------------------------------------

    def setting(self, name: str) -> JsonValue | None:
        """Return the value stored under a setting's name, or None when there is none (as in
        a book of a schema older than version 3, read read-only).

        Raises:
            DamagedRow: the stored value is not JSON that a setting holds.
        """
        setting_name(name)
        if not self._settings_table():
            return None
        rows = self._all(_GET_SETTING, (name,))
        return setting_from_row(name, rows[0][0]) if rows else None

    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value, replacing any, in one statement: inside a transaction it
        commits or rolls back with the rest.

        Raises:
            ValidationError: the name is not a non-empty str, or the value not plain JSON.
            OrderbookError: the store is read-only, or its schema (opened with older
                migrations) has no settings table.
        """
        setting_name(name)
        text = setting_text(value)
        self._writable()
        if not self._settings_table():
            raise no_settings(repr(str(self.path)), self.schema_version)
        if self._depth:
            self._run(_PUT_SETTING, (name, text))
            return
        with self.transaction():
            self._run(_PUT_SETTING, (name, text))

    def _settings_table(self) -> bool:
        if not self._has_settings:
            self._has_settings = bool(self._all(_SETTINGS_TABLE))
        return self._has_settings

    # -- the unit of work -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything done inside together, or nothing if the block raises.

        The outermost transaction starts with ``BEGIN IMMEDIATE``: it waits for, or with a
        ConflictError gives up on, any other writer. A transaction inside another joins it as
        a savepoint: nothing is committed until the outermost one ends, and if the inner
        block raises, its own changes are rolled back and the error goes on.
        """
        depth = self._depth
        savepoint = f"s{depth}"
        begin = "BEGIN" if self.read_only else "BEGIN IMMEDIATE"  # a reader takes no turn
        self._run(begin if depth == 0 else f"SAVEPOINT {savepoint}")
        self._depth = depth + 1
        try:
            yield
        except BaseException:
            self._depth = depth
            self._roll_back(depth, savepoint)
            raise
        self._depth = depth
        try:
            self._run("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
        except OrderbookError:
            self._roll_back(depth, savepoint)
            raise

    def _roll_back(self, depth: int, savepoint: str) -> None:
        connection = self._live()
        with contextlib.suppress(sqlite3.Error):
            if depth == 0:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            else:
                connection.execute(f"ROLLBACK TO {savepoint}")
                connection.execute(f"RELEASE {savepoint}")

    def dump(self) -> Dump:
        """Return every record and event as plain rows, sorted: compare two dumps with ``==``."""
        dump: dict[str, tuple[Row, ...]] = {}
        for name, kind in RECORD_KINDS.items():
            table = schema.TABLES[kind]
            rows = self._all(_EVERY.format(table=table.name, key=table.key))
            dump[name] = tuple(plain_row(kind, row) for row in rows)
        dump["event"] = tuple(event.to_row() for event in self.events())
        return dump
