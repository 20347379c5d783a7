"""The schema: its tables, its forward migrations, and how an SQLite file is recognised.

An orderbook database is an SQLite file whose header carries orderbook's application id and
whose ``schema_version`` table lists every migration applied to it. Each migration carries its
PostgreSQL statements as well, which build the same schema for ``PostgresStore``, so the two
databases always number their schema versions alike. Each record is one row: its
id, its version, the fields the queries look up (indexed), and the whole record as canonical
JSON text, so Decimals and money are kept exactly and never as floating point.

Migrations only go forward. Opening a database runs, in one transaction, every migration newer
than the database; a database newer than the code is refused, untouched.

>>> [(m.version, m.description) for m in MIGRATIONS]
[(1, 'create the record, order line and event tables'),
 (2, 'keep order lines in step with orders by triggers'),
 (3, 'keep named settings, such as the workflow of the book')]
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import attrs

from orderbook import _fields as f
from orderbook.errors import OrderbookError, ValidationError
from orderbook.model import Order
from orderbook.store._text import record_json
from orderbook.store.codec import microseconds
from orderbook.store.protocol import RECORD_KINDS, Record

__all__ = ["APPLICATION_ID", "MIGRATIONS", "Migration"]

APPLICATION_ID = 0x4F52424B
"""What an orderbook database says it is, in its SQLite header (``"ORBK"``)."""

_MAGIC = b"SQLite format 3\x00"


def _statements(value: Sequence[str]) -> tuple[str, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Migration:
    """One forward step of the schema: SQL statements run together in one transaction.

    Args:
        version: the schema version the database has once the step ran: 1, 2, 3, ...
        description: what the step does, kept in the ``schema_version`` table.
        statements: the SQLite statements, run in order.
        postgres_statements: the same step for PostgreSQL, run in order by a
            ``PostgresStore``. A step with no statements for one database changes nothing
            there, but the database still records its version.

    >>> step = Migration(
    ...     version=2,
    ...     description="index lots by location",
    ...     statements=["CREATE INDEX lots_by_location ON lots (data ->> '$.location')"],
    ... )
    >>> step.version, len(step.statements)
    (2, 1)
    """

    version: int = attrs.field(validator=f.non_negative_integer)
    description: str = attrs.field(validator=f.required_text)
    statements: tuple[str, ...] = attrs.field(converter=_statements, validator=f.tuple_of(str))
    postgres_statements: tuple[str, ...] = attrs.field(
        default=(), converter=_statements, validator=f.tuple_of(str)
    )


@attrs.frozen
class TableSpec:
    """Where one kind of record lives: the table, its key column and its looked-up columns."""

    name: str
    key: str = "id"
    columns: tuple[str, ...] = ()

    def row(self, record: Record) -> tuple[object, ...]:
        """The values of ``key, version, *columns, data`` for a record."""
        values: list[object] = [record.id, record.version]
        for column in self.columns:
            if column == "placed_at_us":
                assert isinstance(record, Order)
                placed = record.placed_at
                values.append(None if placed is None else microseconds(placed))
            else:
                values.append(getattr(record, column))
        values.append(record_json(record, version=False))
        return tuple(values)


TABLES: dict[type[Record], TableSpec] = {
    RECORD_KINDS["customer"]: TableSpec("customers"),
    RECORD_KINDS["product"]: TableSpec("products", key="sku"),
    RECORD_KINDS["lot"]: TableSpec("lots", columns=("sku",)),
    RECORD_KINDS["order"]: TableSpec("orders", columns=("customer_id", "status", "placed_at_us")),
    RECORD_KINDS["quote"]: TableSpec("quotes", columns=("customer_id",)),
    RECORD_KINDS["allocation"]: TableSpec(
        "allocations", columns=("order_id", "line_id", "lot_id")
    ),
    RECORD_KINDS["shipment"]: TableSpec("shipments", columns=("order_id",)),
    RECORD_KINDS["forfeit"]: TableSpec("forfeits", columns=("order_id",)),
    RECORD_KINDS["invoice"]: TableSpec("invoices", columns=("order_id", "customer_id")),
    RECORD_KINDS["payment"]: TableSpec("payments", columns=("order_id", "invoice_id")),
    RECORD_KINDS["purchase_order"]: TableSpec("purchase_orders", columns=("order_id",)),
}

_COLUMN_TYPES = {"placed_at_us": "INTEGER"}
_INDEXES = {
    "lots": (("sku",),),
    "orders": (("customer_id",), ("status",), ("placed_at_us",)),
    "quotes": (("customer_id",),),
    "allocations": (("order_id", "line_id"), ("lot_id",)),
    "shipments": (("order_id",),),
    "forfeits": (("order_id",),),
    "invoices": (("order_id",), ("customer_id",)),
    "payments": (("order_id",), ("invoice_id",)),
    "purchase_orders": (("order_id",),),
}


def _create(
    table: TableSpec, text: str = "TEXT", types: dict[str, str] = _COLUMN_TYPES
) -> list[str]:
    columns = [f"{table.key} {text} PRIMARY KEY", "version INTEGER NOT NULL CHECK (version > 0)"]
    columns += [f"{name} {types.get(name, text)}" for name in table.columns]
    columns.append("data TEXT NOT NULL")
    statements = [f"CREATE TABLE {table.name} ({', '.join(columns)})"]
    for index in _INDEXES.get(table.name, ()):
        name = f"{table.name}_by_{'_'.join(index)}"
        statements.append(f"CREATE INDEX {name} ON {table.name} ({', '.join(index)}, {table.key})")
    return statements


_VERSION_1 = [statement for table in TABLES.values() for statement in _create(table)] + [
    "CREATE TABLE order_lines (order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
    " line_id TEXT NOT NULL, sku TEXT NOT NULL, PRIMARY KEY (order_id, line_id))",
    "CREATE INDEX order_lines_by_sku ON order_lines (sku, order_id)",
    "CREATE TABLE events (sequence INTEGER PRIMARY KEY, kind TEXT NOT NULL, order_id TEXT,"
    " at TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE INDEX events_by_order_id ON events (order_id, sequence)",
]

# PostgreSQL: text columns sort by code point (COLLATE "C"), as SQLite and Python do, and the
# moment an order was placed is a BIGINT of microseconds. Records stay exact JSON text.
_POSTGRES_TYPES = {"placed_at_us": "BIGINT"}
_C = 'TEXT COLLATE "C"'

_POSTGRES_VERSION_1 = [
    statement for table in TABLES.values() for statement in _create(table, _C, _POSTGRES_TYPES)
] + [
    f"CREATE TABLE order_lines (order_id {_C} NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
    f" line_id {_C} NOT NULL, sku {_C} NOT NULL, PRIMARY KEY (order_id, line_id))",
    "CREATE INDEX order_lines_by_sku ON order_lines (sku, order_id)",
    f"CREATE TABLE events (sequence BIGINT PRIMARY KEY, kind TEXT NOT NULL, order_id {_C},"
    " at TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE INDEX events_by_order_id ON events (order_id, sequence)",
]

# Version 2: the database keeps order_lines in step with orders, by triggers that read the lines
# from the stored JSON, so saving an order is one statement. An update rewrites the order's rows
# only when its lines changed; a delete takes them with it (ON DELETE CASCADE). A version 1
# database already holds the right rows: only the triggers are added.
#
# JSON escapes NUL as \u0000. SQLite's JSON functions cut a text short there and PostgreSQL's
# refuse it, so the JSON of a record holding one is read from a copy in which NUL is written
# \x01\x01 and \x01 is written \x01\x02 (once \\ is written \u005c, so that an escaped
# backslash before "u0000" is not taken for a NUL). PostgreSQL keeps text in that form anyway
# (see ``cell``); SQLite turns it back.


def _escaped_nul(data: str) -> str:
    return (
        rf"replace(replace(replace({data}, '\\', '\u005c'), '\u0001', '\u0001\u0002'),"
        rf" '\u0000', '\u0001\u0001')"
    )


def _sqlite_text(value: str) -> str:
    return f"replace(replace({value}, char(1, 1), char(0)), char(1, 2), char(1))"


_ID, _SKU = "json_extract(value, '$.id')", "json_extract(value, '$.sku')"
_NUL = r"'\u0000'"  # as JSON writes it
_SQLITE_WRITE_LINES = (
    f"INSERT INTO order_lines (order_id, line_id, sku) SELECT NEW.id, {_ID}, {_SKU}"
    f" FROM json_each(NEW.data, '$.lines') WHERE instr(NEW.data, {_NUL}) = 0;"
    " INSERT INTO order_lines (order_id, line_id, sku)"
    f" SELECT NEW.id, {_sqlite_text(_ID)}, {_sqlite_text(_SKU)}"
    f" FROM json_each({_escaped_nul('NEW.data')}, '$.lines')"
    f" WHERE instr(NEW.data, {_NUL}) > 0;"
)

_VERSION_2 = [
    f"CREATE TRIGGER order_lines_inserted AFTER INSERT ON orders BEGIN {_SQLITE_WRITE_LINES} END",
    "CREATE TRIGGER order_lines_updated AFTER UPDATE OF data ON orders"
    " WHEN json_extract(OLD.data, '$.lines') IS NOT json_extract(NEW.data, '$.lines')"
    f" BEGIN DELETE FROM order_lines WHERE order_id = OLD.id; {_SQLITE_WRITE_LINES} END",
]


def _postgres_lines(data: str) -> str:
    """The lines of an order's JSON, their text as ``cell`` writes it. The type is json, not
    jsonb, which is quicker to read once. Written out in full, as a function called from a
    trigger's WHEN is not inlined."""
    text = rf"CASE WHEN strpos({data}, '\u000') = 0 THEN {data} ELSE {_escaped_nul(data)} END"
    return f"({text})::json -> 'lines'"


# PostgreSQL: one trigger function serves both triggers. Like every statement of the store, it
# finds the book's tables on the search path.
_POSTGRES_VERSION_2 = [
    "CREATE FUNCTION order_lines_written() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP = 'UPDATE' THEN DELETE FROM order_lines WHERE order_id = OLD.id; END IF;"
    " INSERT INTO order_lines (order_id, line_id, sku)"
    " SELECT NEW.id, line ->> 'id', line ->> 'sku'"
    f" FROM json_array_elements({_postgres_lines('NEW.data')}) AS line;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER order_lines_inserted AFTER INSERT ON orders"
    " FOR EACH ROW EXECUTE FUNCTION order_lines_written()",
    "CREATE TRIGGER order_lines_updated AFTER UPDATE OF data ON orders FOR EACH ROW"
    f" WHEN (({_postgres_lines('OLD.data')})::text"
    f" IS DISTINCT FROM ({_postgres_lines('NEW.data')})::text)"
    " EXECUTE FUNCTION order_lines_written()",
]

# Version 3: named settings beside the records (the workflow a book was made with), each
# value its canonical JSON text. Nothing else changes, so a store reading an older file
# read-only reads it as it is, and finds no setting.
_VERSION_3 = ["CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"]
_POSTGRES_VERSION_3 = [f"CREATE TABLE settings (name {_C} PRIMARY KEY, value TEXT NOT NULL)"]

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="create the record, order line and event tables",
        statements=_VERSION_1,
        postgres_statements=_POSTGRES_VERSION_1,
    ),
    Migration(
        version=2,
        description="keep order lines in step with orders by triggers",
        statements=_VERSION_2,
        postgres_statements=_POSTGRES_VERSION_2,
    ),
    Migration(
        version=3,
        description="keep named settings, such as the workflow of the book",
        statements=_VERSION_3,
        postgres_statements=_POSTGRES_VERSION_3,
    ),
)
"""Every migration of the schema, oldest first; the last one's version is the newest schema."""


def check_migrations(migrations: Sequence[Migration]) -> tuple[Migration, ...]:
    """Return the migrations as a tuple if they number 1, 2, 3, ... with no gap."""
    steps = tuple(migrations) if isinstance(migrations, Sequence) else ()
    numbers = [step.version if isinstance(step, Migration) else None for step in steps]
    if not steps or numbers != list(range(1, len(steps) + 1)):
        raise ValidationError("migrations", migrations, "must be Migrations numbered 1, 2, 3, ...")
    return steps


def is_new_file(path: Path) -> bool:
    """Return True if ``path`` is absent or empty; raise if it is not an orderbook database.

    Only the file's first 100 bytes are read: nothing is written to a file refused here.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return True
    except OSError as error:
        raise OrderbookError(f"cannot open {str(path)!r}: {error.strerror}") from None
    if not header:
        return True
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise not_orderbook(path, "it is not an SQLite database")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise not_orderbook(path, "it is an SQLite database of another application")
    return False


def read_only_uri(path: Path) -> str:
    """The URI that opens a book file to read it, writing nothing, in it or beside it.

    In WAL mode (every book is) SQLite keeps a ``-wal`` and a ``-shm`` file beside the book
    while it is open, and folds the ``-wal`` file back into the book when the last
    connection closes. With no ``-wal`` file, no process has the book open and the file
    alone holds it: it is read as immutable, since a read-only connection would otherwise
    create both files and leave them behind. With one, the book is read through it.
    """
    uri = path.absolute().as_uri()
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError as error:
        raise OrderbookError(f"cannot open {str(path)!r}: {error.strerror}") from None
    in_wal_mode = header[18:20] == b"\x02\x02"  # the file format's write and read versions
    if in_wal_mode and not path.with_name(path.name + "-wal").exists():
        return f"{uri}?immutable=1"
    return f"{uri}?mode=ro"


def not_orderbook(path: Path, reason: str) -> OrderbookError:
    """The error for a file that orderbook will not touch."""
    return OrderbookError(f"{str(path)!r} is not an orderbook database: {reason}")


def stored_version(connection: sqlite3.Connection, path: Path) -> int:
    """Return the schema version of an open database: 0 for an empty one."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application == 0 and tables == 0:
        return 0
    if application != APPLICATION_ID:
        raise not_orderbook(path, "it is an SQLite database of another application")
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        raise not_orderbook(path, "it has no schema_version table")
    version = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version")
    return int(version.fetchone()[0])


def check_not_newer(version: int, migrations: tuple[Migration, ...], path: Path) -> None:
    """Refuse a database whose schema is newer than the newest migration known."""
    newest = migrations[-1].version
    if version > newest:
        raise OrderbookError(
            f"{str(path)!r} has schema version {version}, newer than version {newest} that this"
            " orderbook knows: upgrade orderbook to open it"
        )


def migrate(connection: sqlite3.Connection, migrations: tuple[Migration, ...], path: Path) -> None:
    """Bring a database up to the newest schema in one transaction (all steps or none)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = stored_version(connection, path)  # again: another process may have migrated
        check_not_newer(version, migrations, path)
        if version == 0:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            connection.execute(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                " description TEXT NOT NULL)"
            )
        for step in migrations[version:]:
            for statement in step.statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                (step.version, step.description),
            )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
