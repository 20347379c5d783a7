"""One PostgreSQL connection as a PostgresStore uses it: errors, transactions and text cells.

The connection runs in autocommit mode, with the book's schema on its search path and a lock
timeout. Statements run through :meth:`Session.rows`, :meth:`Session.run` and
:meth:`Session.changed`, which turn psycopg's errors into orderbook's: a lock not granted in
time, a deadlock, a serialization failure or an insert racing another become
:class:`~orderbook.errors.ConflictError` (safe to retry); a lost connection and anything else
become :class:`~orderbook.errors.OrderbookError`.
:meth:`Session.block` is one level of a unit of work: a transaction, or a savepoint inside one.

Round trips to the server are what a write costs, so the statements whose results are not
needed (opening a level, releasing a savepoint, locking a table) wait for the next statement
that is, and go just before it, together, as one simple query. A level inside which no
statement ran is never sent at all.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from orderbook._fields import text_problem
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
_FAILED = psycopg.pq.TransactionStatus.INERROR
_SETTINGS = "SELECT set_config('search_path', %s, false), set_config('lock_timeout', %s, false)"


class Session:
    """An open connection to the book's schema; raises OrderbookError if it cannot connect."""

    def __init__(self, dsn: str, *, schema: str, lock_ms: int, connect_timeout: int) -> None:
        self.where = where(dsn)
        self.schema = schema
        self.depth = 0  # the levels of the unit of work open now
        self._sent = 0  # how many of them the server has seen begin
        self._pending: list[str] = []  # statements that go with the next one
        self._held: dict[str, int] = {}  # table locks taken, by the level that holds them
        self._failure: OrderbookError | None = None  # what left the transaction failed
        try:
            self._connection: Connection | None = psycopg.connect(
                dsn, autocommit=True, connect_timeout=connect_timeout, client_encoding="UTF8"
            )
        except psycopg.Error as error:
            message = f"cannot connect to PostgreSQL ({self.where}): {_first_line(error)}"
            raise OrderbookError(message) from None
        self._cursor = self._connection.cursor()  # one for every statement: cheaper than new ones
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
        except psycopg.Error as error:
            translated = self._translated(error)
            connection = self._connection
            if (
                self._failure is None
                and connection is not None
                and connection.info.transaction_status == _FAILED
            ):
                self._failure = translated
            raise translated from None

    def _translated(self, error: psycopg.Error) -> OrderbookError:
        if isinstance(error, _RETRYABLE):
            return ConflictError("database", self.schema, f"{_first_line(error)}; retry")
        if isinstance(error, pg_errors.UniqueViolation):
            reason = "another writer saved a record under the same id meanwhile; retry"
            return ConflictError("database", self.schema, reason)
        if self._connection is not None and self._connection.broken:
            message = f"lost the connection to PostgreSQL ({self.where})"
        else:
            message = f"PostgreSQL failed on schema {self.schema!r}"
        return OrderbookError(f"{message}: {_first_line(error)}")

    def rows(self, query: Query, parameters: Sequence[object] = ()) -> list[SqlRow]:
        """Run one statement and return the rows it gives."""
        self.connection()
        with self.translate():
            cursor = self._execute(query, parameters)
            return cursor.fetchall() if cursor.description is not None else []

    def run(self, query: Query, parameters: Sequence[object] = ()) -> None:
        """Run one statement."""
        self.rows(query, parameters)

    def changed(self, query: Query, parameters: Sequence[object] = ()) -> int:
        """Run one statement and return how many rows it wrote (or, for a query, gave)."""
        self.connection()
        with self.translate():
            return self._execute(query, parameters).rowcount

    def _execute(self, query: Query, parameters: Sequence[object]) -> psycopg.Cursor[SqlRow]:
        """Run a statement, after the waiting ones (sent together, as one simple query)."""
        if self._pending:
            pending, self._pending = self._pending, []
            self._sent = self.depth  # every level open now begins on the server
            self._cursor.execute("; ".join(pending), prepare=False)
        return self._cursor.execute(query, parameters)

    def lock(self, statement: str) -> None:
        """Take a table lock with the next statement, once per transaction.

        The lock is held until the transaction ends, or until the savepoint it was taken
        after is rolled back, which releases it.
        """
        if statement not in self._held:
            self.connection()
            self._pending.append(statement)
            self._held[statement] = self.depth

    @contextlib.contextmanager
    def block(self, begin: str = "BEGIN") -> Iterator[None]:
        """One level of a unit of work: a transaction, or a savepoint inside one.

        The outermost level starts with ``begin`` and commits; an inner level is a savepoint
        that is released. If the block raises, its level is rolled back and the error goes on.
        If a statement failed inside the block and the block caught its error, the level is
        rolled back and that error is raised again: nothing of a failed level is committed.
        """
        self.connection()
        depth = self.depth
        if depth == 0:
            self._failure = None
        mark = len(self._pending)
        self._pending.append(begin if depth == 0 else f"SAVEPOINT s{depth}")
        self.depth = depth + 1
        try:
            yield
        except BaseException:
            self._end(depth, mark, commit=False)
            raise
        self._end(depth, mark, commit=True)

    def _end(self, depth: int, mark: int, *, commit: bool) -> None:
        """End the level opened at ``depth``: commit or release it, else roll it back."""
        self.depth = depth
        if self._sent <= depth:  # no statement ran inside: the server never saw the level
            del self._pending[mark:]
            self._held = {lock: level for lock, level in self._held.items() if level <= depth}
            return
        self._sent = depth
        failure = self._failure
        connection = self._connection
        failed = connection is not None and connection.info.transaction_status == _FAILED
        if not commit or failed:
            self._roll_back(depth)
            if commit:  # the block went on after a statement failed in it
                raise failure or OrderbookError(
                    f"PostgreSQL failed on schema {self.schema!r}: a statement in the"
                    " transaction failed, so it was rolled back"
                )
            return
        if depth > 0:
            # Releasing a savepoint releases those inside it; its locks pass to the level out.
            self._pending = [f"RELEASE SAVEPOINT s{depth}"]
            self._held = {lock: min(level, depth) for lock, level in self._held.items()}
            return
        self._pending = []  # committing releases every savepoint
        self._held = {}
        try:
            self.run("COMMIT")
        except OrderbookError:
            self._roll_back(depth)
            raise

    def _roll_back(self, depth: int) -> None:
        """Roll back the level opened at ``depth`` and forget the locks taken inside it."""
        self._pending = []  # rolling back ends every level inside this one
        self._held = {lock: level for lock, level in self._held.items() if level <= depth}
        connection = self._connection
        if connection is None or connection.info.transaction_status == _IDLE:
            self._failure = None
            return
        with contextlib.suppress(psycopg.Error):
            if depth == 0:
                connection.execute("ROLLBACK")
            else:
                connection.execute(f"ROLLBACK TO SAVEPOINT s{depth}")
                self._pending.append(f"RELEASE SAVEPOINT s{depth}")
            self._failure = None


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
    hidden = "(not shown: it may hold a password)"
    if "\x00" in dsn or text_problem(dsn) is not None:
        reason = "must be a PostgreSQL connection string, without NUL or lone surrogates"
        raise ValidationError("dsn", hidden, reason)
    try:
        parts = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.Error:
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
