"""The PostgreSQL schema: exact columns, forward migrations, and schemas it refuses to touch."""

import datetime as dt
import os

import attrs
import psycopg
import pytest
from psycopg import sql

from orderbook import (
    Customer,
    DamagedRow,
    Lot,
    Money,
    Order,
    OrderbookError,
    OrderLine,
    ValidationError,
)
from orderbook.store import MIGRATIONS, Migration
from orderbook.store.postgres import PostgresStore
from orderbook.testing.factories import make_line, make_order

DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
needs_server = pytest.mark.skipif(
    not DSN, reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: these tests need a PostgreSQL server"
)
AT = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
NEWEST = MIGRATIONS[-1].version
NEXT = NEWEST + 1  # the version of a migration the code does not know yet
TOO_NEW = f"schema version {NEXT}, newer than version {NEWEST}"


def raw(statement, schema, *parameters):
    """Run one statement with plain psycopg; ``{0}`` in it is the schema's quoted name."""
    query = sql.SQL(statement).format(sql.Identifier(schema))
    with psycopg.connect(DSN, autocommit=True) as connection:
        cursor = connection.execute(query, parameters or None)
        return cursor.fetchall() if cursor.description else []


def fill(schema, migrations=MIGRATIONS):
    with PostgresStore(DSN, schema=schema, migrations=migrations) as store:
        lot = store.put(Lot(id="lot-1", sku="TEA", quantity="2.50", location="Leith"))
        store.append_event("LotAdded", at=AT, data={"lot": "lot-1"})
        return lot, store.dump()


def columns(schema):
    """Every column of every table in the schema, with its type."""
    return raw(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = %s ORDER BY table_name, column_name",
        schema,
        schema,
    )


def catalog(schema):
    """Every column of every table in the schema, and the recorded migrations."""
    return columns(schema), raw("SELECT version, description FROM {0}.schema_version", schema)


LATER = (
    *MIGRATIONS,
    Migration(
        version=NEXT,
        description="keep each lot's location in its own indexed column",
        statements=[
            "ALTER TABLE lots ADD COLUMN location TEXT",
            "UPDATE lots SET location = json_extract(data, '$.location')",
            "CREATE INDEX lots_by_location ON lots (location, id)",
        ],
        postgres_statements=[
            "ALTER TABLE lots ADD COLUMN location TEXT",
            "UPDATE lots SET location = data::jsonb ->> 'location'",
            "CREATE INDEX lots_by_location ON lots (location, id)",
        ],
    ),
)


def created(statements):
    """What the statements create: ("CREATE TABLE", "orders"), ... (functions left out)."""
    words = [statement.split() for statement in statements if statement.startswith("CREATE")]
    return [(f"{w[0]} {w[1]}", w[2]) for w in words if w[1] != "FUNCTION"]


def test_every_migration_has_statements_for_both_databases_under_one_version_number():
    assert [step.version for step in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    for step in MIGRATIONS:
        assert step.statements
        assert step.postgres_statements
        assert not any("REAL" in s or "DOUBLE" in s or "FLOAT" in s for s in step.statements)
        assert created(step.statements) == created(step.postgres_statements)


@needs_server
def test_a_new_schema_is_created_marked_as_orderbook_and_holds_no_floating_point(schema):
    with PostgresStore(DSN, schema=schema) as store:
        assert (store.schema, store.schema_version) == (schema, MIGRATIONS[-1].version)
    columns, versions = catalog(schema)
    assert versions == [(step.version, step.description) for step in MIGRATIONS]
    types = {data_type for _, _, data_type in columns}
    assert types <= {"text", "integer", "bigint"}
    assert ("lots", "data", "text") in columns
    assert ("orders", "placed_at_us", "bigint") in columns


@needs_server
def test_decimals_and_money_are_stored_as_their_exact_text(schema):
    fill(schema)
    (data,) = raw("SELECT data FROM {0}.lots", schema)[0]
    assert '"quantity":"2.50"' in data
    with PostgresStore(DSN, schema=schema) as store:
        assert str(store.get(Lot, "lot-1").quantity) == "2.50"


@needs_server
def test_ids_with_control_characters_are_stored_and_sorted_by_code_point(schema):
    ids = ["a\x00b", "a", "a\x01", "a\x00", "\x00", "b", "A", "é"]
    with PostgresStore(DSN, schema=schema) as store:
        for lot_id in ids:
            store.put(Lot(id=lot_id, sku="T\x00A", quantity=1))
        store.append_event("Lot\x00Added", at=AT, order_id="o\x01", data={"x": "\x00"})
    with PostgresStore(DSN, schema=schema) as store:
        assert [lot.id for lot in store.records(Lot)] == sorted(ids)
        assert [lot.id for lot in store.lots_by_sku("T\x00A")] == sorted(ids)
        assert store.get(Lot, "a\x00").id == "a\x00"
        (event,) = store.events(order_id="o\x01")
        assert (event.kind, event.order_id, event.data) == ("Lot\x00Added", "o\x01", {"x": "\x00"})


@needs_server
def test_deleting_an_order_drops_its_lines_from_the_sku_index(schema):
    line = OrderLine(id="l1", sku="TEA", quantity=1, unit_price=Money("1", "EUR"))
    with PostgresStore(DSN, schema=schema) as store:
        order = store.put(Order(id="o1", customer_id="acme", currency="EUR", lines=[line]))
        assert raw("SELECT order_id, line_id, sku FROM {0}.order_lines", schema) == [
            ("o1", "l1", "TEA")
        ]
        store.delete(order)
    assert raw("SELECT count(*) FROM {0}.order_lines", schema) == [(0,)]


@needs_server
def test_a_schema_opens_after_a_later_migration_with_its_data_intact(schema):
    lot, before = fill(schema)
    with PostgresStore(DSN, schema=schema, migrations=LATER) as store:
        assert store.schema_version == NEXT
        assert store.get(Lot, "lot-1") == lot
        assert store.dump() == before
        store.put(attrs.evolve(lot, quantity=3))
    assert raw("SELECT id, location FROM {0}.lots", schema) == [("lot-1", "Leith")]
    versions = [row[0] for row in raw("SELECT version FROM {0}.schema_version", schema)]
    assert versions == list(range(1, NEXT + 1))


def order(order_id, lines):
    """An order of acme, with lines given as (line id, SKU) pairs."""
    return make_order(id=order_id, lines=[make_line(line_id, sku=sku) for line_id, sku in lines])


LINES = "SELECT order_id, line_id, sku FROM {0}.order_lines ORDER BY order_id, line_id"


@needs_server
def test_a_version_1_schema_holding_orders_migrates_and_its_lines_stay_in_step(schema):
    with PostgresStore(DSN, schema=schema, migrations=MIGRATIONS[:1]) as store:
        first = store.put(order("o1", [("l1", "TEA"), ("l2", "MUG")]))
        second = store.put(order("o2", [("l1", "JAR"), ("l2", "TEA")]))
    # Version 1 wrote each order's lines itself, as the store did then.
    rows = [(o.id, line.id, line.sku) for o in (first, second) for line in o.lines]
    for row in rows:
        raw("INSERT INTO {0}.order_lines VALUES (%s, %s, %s)", schema, *row)
    with PostgresStore(DSN, schema=schema) as store:
        assert store.schema_version == NEWEST
        assert raw(LINES, schema) == sorted(rows)
        assert store.orders_by_sku("TEA") == (first, second)
        edited = store.put(attrs.evolve(first, lines=order("o1", [("l1", "POT")]).lines))
        store.put(attrs.evolve(second, status="confirmed"))
        added = store.put(order("o3", [("l1", "MUG")]))
        assert store.orders_by_sku("POT") == (edited,)
        assert store.orders_by_sku("MUG") == (added,)
        store.delete(store.get(Order, "o2"))
        assert store.orders_by_sku("TEA") == ()
    assert raw(LINES, schema) == [("o1", "l1", "POT"), ("o3", "l1", "MUG")]


@needs_server
@pytest.mark.parametrize("version", [pytest.param(v, id=f"version-{v}") for v in (1, 2)])
def test_an_older_schema_migrates_to_the_newest_and_gains_the_settings_table(schema, version):
    lot, before = fill(schema, migrations=MIGRATIONS[:version])
    assert "settings" not in {table for table, _, _ in columns(schema)}
    with PostgresStore(DSN, schema=schema) as store:
        assert store.schema_version == NEWEST
        assert store.dump() == before
        assert store.get(Lot, "lot-1") == lot
        assert store.setting("workflow") is None
        store.put_setting("workflow", {"name": "standard", "statuses": ["draft"]})
    assert ("settings", "name", "text") in columns(schema)
    assert raw("SELECT name, value FROM {0}.settings", schema) == [
        ("workflow", '{"name":"standard","statuses":["draft"]}')
    ]
    with PostgresStore(DSN, schema=schema) as store:
        assert store.setting("workflow") == {"name": "standard", "statuses": ["draft"]}


@needs_server
def test_a_store_opened_with_migrations_older_than_settings_keeps_none(schema):
    with PostgresStore(DSN, schema=schema, migrations=MIGRATIONS[:2]) as store:
        assert store.setting("workflow") is None
        with pytest.raises(OrderbookError, match="schema version 2, which keeps no settings"):
            store.put_setting("workflow", {"name": "standard"})
        with store.transaction():  # a refused write leaves the transaction usable
            with pytest.raises(OrderbookError, match="keeps no settings"):
                store.put_setting("workflow", {"name": "standard"})
            store.put(Lot(id="lot-1", sku="TEA", quantity=1))
        assert store.get(Lot, "lot-1").version == 1


@needs_server
def test_setting_names_with_nul_and_control_characters_are_kept_apart(schema):
    names = ["a\x00", "a\x01", "a", "\x00"]
    with PostgresStore(DSN, schema=schema) as store:
        for index, name in enumerate(names):
            store.put_setting(name, {"index": index, "text": name})
    with PostgresStore(DSN, schema=schema) as store:
        assert [store.setting(name) for name in names] == [
            {"index": index, "text": name} for index, name in enumerate(names)
        ]


@needs_server
def test_a_setting_edited_behind_the_books_back_reads_as_a_damaged_row(schema):
    with PostgresStore(DSN, schema=schema) as store:
        store.put_setting("workflow", {"name": "standard"})
        raw("UPDATE {0}.settings SET value = '{{1.5' WHERE name = 'workflow'", schema)
        with pytest.raises(DamagedRow, match="must be JSON") as caught:
            store.setting("workflow")
        assert (caught.value.table, caught.value.key) == ("settings", "workflow")


@needs_server
def test_a_failing_migration_changes_nothing(schema):
    _, before = fill(schema)
    catalog_before = catalog(schema)
    broken = (
        *MIGRATIONS,
        Migration(
            version=NEXT,
            description="half of it works",
            statements=[],
            postgres_statements=["CREATE TABLE notes (id TEXT)", "ALTER TABLE nowhere ADD x TEXT"],
        ),
    )
    with pytest.raises(OrderbookError, match='relation "nowhere" does not exist'):
        PostgresStore(DSN, schema=schema, migrations=broken)
    assert catalog(schema) == catalog_before
    with PostgresStore(DSN, schema=schema) as store:
        assert store.dump() == before


@needs_server
def test_a_schema_newer_than_the_code_is_refused_and_left_untouched(schema):
    newer = (*MIGRATIONS, Migration(version=NEXT, description="x", statements=[]))
    _, before = fill(schema, migrations=newer)
    catalog_before = catalog(schema)
    with pytest.raises(OrderbookError, match=TOO_NEW):
        PostgresStore(DSN, schema=schema)
    assert catalog(schema) == catalog_before
    with PostgresStore(DSN, schema=schema, migrations=newer) as store:
        assert store.dump() == before


@needs_server
def test_a_schema_holding_another_applications_tables_is_refused_and_left_untouched(schema):
    raw("CREATE SCHEMA {0}", schema)
    raw("CREATE TABLE {0}.customers (id TEXT PRIMARY KEY, name TEXT)", schema)
    raw("INSERT INTO {0}.customers VALUES ('acme', 'AcmeCorp')", schema)
    before = columns(schema)
    with pytest.raises(OrderbookError, match="not an orderbook schema"):
        PostgresStore(DSN, schema=schema)
    assert columns(schema) == before
    assert raw("SELECT * FROM {0}.customers", schema) == [("acme", "AcmeCorp")]


@needs_server
def test_two_books_in_two_schemas_of_one_database_are_separate(schema):
    other = f"{schema}_other"
    try:
        with PostgresStore(DSN, schema=schema) as one, PostgresStore(DSN, schema=other) as two:
            one.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
            assert two.records(Customer) == ()
            assert two.put(Customer(id="acme", name="Acme B", currency="USD")).version == 1
            assert one.get(Customer, "acme").name == "AcmeCorp"
    finally:
        raw("DROP SCHEMA IF EXISTS {0} CASCADE", other)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"schema": ""}, "schema"),
        ({"schema": "x" * 64}, "schema"),
        ({"schema": 7}, "schema"),
        ({"lock_timeout": -1}, "lock_timeout"),
        ({"lock_timeout": "5"}, "lock_timeout"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"connect_timeout": 2.5}, "connect_timeout"),
        ({"migrations": ()}, "migrations"),
    ],
)
def test_bad_settings_are_refused_before_connecting(arguments, field):
    with pytest.raises(ValidationError) as caught:
        PostgresStore("postgresql://nobody@127.0.0.1:1/book", **arguments)
    assert caught.value.field == field


@pytest.mark.parametrize("dsn", ["", 42, None, "host=127.0.0.1 password='secret"])
def test_a_store_needs_a_connection_string_and_never_shows_a_password(dsn):
    with pytest.raises(ValidationError) as caught:
        PostgresStore(dsn)
    assert caught.value.field == "dsn"
    assert "secret" not in str(caught.value)
