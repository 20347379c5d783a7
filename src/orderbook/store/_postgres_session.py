"""One PostgreSQL connection as a PostgresStore uses it: errors, transactions and text cells.

The connection runs in autocommit mode, with the book's schema on its search path and a lock
timeout. Statements run through :meth:`Session.rows` and :meth:`Session.run`, which turn
psycopg's errors into orderbook's: a lock not granted in time, a deadlock, a serialization
failure or an insert racing another become :class:`~orderbook.errors.ConflictError` (safe to
retry); a lost connection and anything else become :class:`~orderbook.errors.OrderbookError`.
:meth:`Session.block` is one level of a unit of work: a transaction, or a savepoint inside one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from orderbook.errors import ConflictError, OrderbookError, ValidationError

__all__ = ["Session", "cell", "uncell", "where"]

Connection = psycopg.Connection[tuple[object, ...]]
SqlRow = tuple[object, ...]
Query = str | sql.SQL | sql.Composed

_RETRYABLE = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
)
_IDLE = psycopg.pq.TransactionStatus.IDLE
_SETTINGS = "SELECT set_config('search_path', %s, false), set_config('lock_timeout', %s, false)"


class Session:
    """An open connection to the book's schema; raises OrderbookError if it cannot connect."""

    def __init__(self, dsn: str, *, schema: str, lock_ms: int, connect_timeout: int) -> None:
        self.where = where(dsn)
        self.schema = schema
        self.depth = 0
        try:
            self._connection: Connection | None = psycopg.connect(
                dsn, autocommit=True, connect_timeout=connect_timeout, client_encoding="UTF8"
            )
        except psycopg.Error as error:
            message = f"cannot connect to PostgreSQL ({self.where}): {_first_line(error)}"
            raise OrderbookError(message) from None
        try:
            path = sql.Identifier(schema).as_string(self._connection)
            self.run(_SETTINGS, (path, f"{lock_ms}ms"))
        except BaseException:
            self.close()
            raise

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._connection is None

    def close(self) -> None:
        """Close the connection; the server rolls back an open transaction."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def connection(self) -> Connection:
        """The open connection; OrderbookError once closed."""
        if self._connection is None:
            raise OrderbookError("the store is closed")
        return self._connection

    @contextlib.contextmanager
    def translate(self) -> Iterator[None]:
        """Turn psycopg's errors raised inside into orderbook's."""
        try:
            yield
        except _RETRYABLE as error:
            reason = f"{_first_line(error)}; retry"
            raise ConflictError("database", self.schema, reason) from None
        except pg_errors.UniqueViolation:
            reason = "another writer saved a record under the same id meanwhile; retry"
            raise ConflictError("database", self.schema, reason) from None
        except psycopg.Error as error:
            if self._connection is not None and self._connection.broken:
                message = f"lost the connection to PostgreSQL ({self.where})"
            else:
                message = f"PostgreSQL failed on schema {self.schema!r}"
            raise OrderbookError(f"{message}: {_first_line(error)}") from None

    def rows(self, query: Query, parameters: Sequence[object] = ()) -> list[SqlRow]:
        """Run one statement and return the rows it gives."""
        connection = self.connection()
        with self.translate():
            cursor = connection.execute(_query(query), parameters)
            return cursor.fetchall() if cursor.description is not None else []

    def run(self, query: Query, parameters: Sequence[object] = ()) -> None:
        """Run one statement."""
        self.rows(query, parameters)

    def run_many(self, query: str, rows: Sequence[Sequence[object]]) -> None:
        """Run one statement for each row of parameters."""
        connection = self.connection()
        with self.translate(), connection.cursor() as cursor:
            cursor.executemany(_query(query), rows)

    @contextlib.contextmanager
    def block(self, begin: str = "BEGIN") -> Iterator[None]:
        """One level of a unit of work: a transaction, or a savepoint inside one.

        The outermost level starts with ``begin`` and commits; an inner level is a savepoint
        that is released. If the block raises, its level is rolled back and the error goes on.
        """
        depth = self.depth
        savepoint = f"s{depth}"
        self.run(begin if depth == 0 else f"SAVEPOINT {savepoint}")
        self.depth = depth + 1
        try:
            yield
        except BaseException:
            self.depth = depth
            self._roll_back(depth, savepoint)
            raise
        self.depth = depth
        try:
            self.run("COMMIT" if depth == 0 else f"RELEASE SAVEPOINT {savepoint}")
        except OrderbookError:
            self._roll_back(depth, savepoint)
            raise

    def _roll_back(self, depth: int, savepoint: str) -> None:
        connection = self._connection
        if connection is None or connection.info.transaction_status == _IDLE:
            return
        with contextlib.suppress(psycopg.Error):
            if depth == 0:
                connection.execute("ROLLBACK")
            else:
                connection.execute(_query(f"ROLLBACK TO SAVEPOINT {savepoint}"))
                connection.execute(_query(f"RELEASE SAVEPOINT {savepoint}"))


def _query(query: Query) -> sql.SQL | sql.Composed:
    """Our own SQL text (never a value: values are always bound parameters) as a query."""
    return sql.SQL(query) if isinstance(query, str) else query


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def where(dsn: object) -> str:
    """Where a connection string points, for messages: never its password.

    Raises:
        ValidationError: it is not a connection string.
    """
    if not isinstance(dsn, str) or not dsn.strip():
        raise ValidationError("dsn", dsn, "must be a PostgreSQL connection string")
    try:
        parts = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.Error:
        hidden = "(not shown: it may hold a password)"
        raise ValidationError("dsn", hidden, "must be a PostgreSQL connection string") from None
    text = f"database {parts.get('dbname', '(default)')!r}"
    if "host" in parts:
        text += f" on {parts['host']}" + (f":{parts['port']}" if "port" in parts else "")
    if "user" in parts:
        text += f" as {parts['user']!r}"
    return text


# PostgreSQL text cannot hold NUL. In the looked-up text columns NUL is written \x01\x01 and
# \x01 is written \x01\x02: any other text is stored as it is, and code-point order is kept.
_ESCAPED = re.compile("\x01([\x01\x02])")


def cell(value: str) -> str:
    """Text as a text column stores it."""
    if "\x00" not in value and "\x01" not in value:
        return value
    return value.replace("\x01", "\x01\x02").replace("\x00", "\x01\x01")


def uncell(value: str) -> str:
    """Text read back from a text column."""
    return _ESCAPED.sub(lambda match: "\x00" if match[1] == "\x01" else "\x01", value)
