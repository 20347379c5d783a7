"""The SQLite file: its settings, forward migrations, and files it refuses to touch."""

import contextlib
import datetime as dt
import hashlib
import sqlite3

import attrs
import pytest

from orderbook import (
    DamagedRow,
    Lot,
    Money,
    NotFound,
    Order,
    OrderbookError,
    OrderLine,
    ValidationError,
)
from orderbook.store import APPLICATION_ID, MIGRATIONS, Migration, SQLiteStore
from orderbook.testing.factories import make_line, make_order

AT = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
NEWEST = MIGRATIONS[-1].version
NEXT = NEWEST + 1  # the version of a migration the code does not know yet
TOO_NEW = f"schema version {NEXT}, newer than version {NEWEST}"


def raw(path, sql, parameters=()):
    """Run one statement on the file with plain sqlite3, outside any store."""
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        return connection.execute(sql, parameters).fetchall()


def fill(path, migrations=MIGRATIONS):
    with SQLiteStore(path, migrations=migrations) as store:
        lot = store.put(Lot(id="lot-1", sku="TEA", quantity="2.50", location="Leith"))
        store.append_event("LotAdded", at=AT, data={"lot": "lot-1"})
        return lot, store.dump()


def test_a_new_database_is_marked_as_orderbook_and_runs_in_wal_with_full_sync(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path) as store:
        assert store.schema_version == NEWEST == len(MIGRATIONS)
        assert store.journal_mode == "wal"
        assert store.synchronous == "full"
    assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID
    assert raw(path, "SELECT version, description FROM schema_version") == [
        (step.version, step.description) for step in MIGRATIONS
    ]


def test_normal_synchronous_is_applied_when_asked_for(tmp_path):
    with SQLiteStore(tmp_path / "book.sqlite", synchronous="normal") as store:
        assert store.synchronous == "normal"


def test_foreign_keys_are_on_so_deleting_an_order_drops_its_line_index(tmp_path):
    path = tmp_path / "book.sqlite"
    line = OrderLine(id="l1", sku="TEA", quantity=1, unit_price=Money("1", "EUR"))
    with SQLiteStore(path) as store:
        order = store.put(Order(id="o1", customer_id="acme", currency="EUR", lines=[line]))
        assert raw(path, "SELECT order_id, line_id, sku FROM order_lines") == [("o1", "l1", "TEA")]
        store.delete(order)
    assert raw(path, "SELECT count(*) FROM order_lines") == [(0,)]


def test_decimals_and_money_are_stored_as_exact_text(tmp_path):
    path = tmp_path / "book.sqlite"
    fill(path)
    (data,) = raw(path, "SELECT data FROM lots")[0]
    assert '"quantity":"2.50"' in data
    assert raw(path, "SELECT typeof(data), typeof(version) FROM lots") == [("text", "integer")]


def test_a_database_opens_after_a_later_migration_with_its_data_intact(tmp_path):
    path = tmp_path / "book.sqlite"
    lot, before = fill(path)
    later = (
        *MIGRATIONS,
        Migration(
            version=NEXT,
            description="keep each lot's location in its own indexed column",
            statements=[
                "ALTER TABLE lots ADD COLUMN location TEXT",
                "UPDATE lots SET location = json_extract(data, '$.location')",
                "CREATE INDEX lots_by_location ON lots (location, id)",
            ],
        ),
    )
    with SQLiteStore(path, migrations=later) as store:
        assert store.schema_version == NEXT
        assert store.get(Lot, "lot-1") == lot
        assert store.dump() == before
        store.put(attrs.evolve(lot, quantity=3))
    assert raw(path, "SELECT id, location FROM lots") == [("lot-1", "Leith")]
    versions = [row[0] for row in raw(path, "SELECT version FROM schema_version")]
    assert versions == list(range(1, NEXT + 1))


def order(order_id, lines):
    """An order of acme, with lines given as (line id, SKU) pairs."""
    return make_order(id=order_id, lines=[make_line(line_id, sku=sku) for line_id, sku in lines])


LINES = "SELECT order_id, line_id, sku FROM order_lines ORDER BY order_id, line_id"


def test_a_version_1_database_holding_orders_migrates_and_its_lines_stay_in_step(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path, migrations=MIGRATIONS[:1]) as store:
        first = store.put(order("o1", [("l1", "TEA"), ("l2", "MUG")]))
        second = store.put(order("o2", [("l1", "nul\x00here"), ("l\x00", "TEA")]))
    # Version 1 wrote each order's lines itself, as the store did then.
    rows = [(o.id, line.id, line.sku) for o in (first, second) for line in o.lines]
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany("INSERT INTO order_lines VALUES (?, ?, ?)", rows)
    with SQLiteStore(path) as store:
        assert store.schema_version == NEWEST
        assert raw(path, LINES) == sorted(rows)
        assert store.orders_by_sku("TEA") == (first, second)
        assert store.orders_by_sku("nul\x00here") == (second,)
        edited = store.put(attrs.evolve(first, lines=order("o1", [("l1", "POT")]).lines))
        store.put(attrs.evolve(second, status="confirmed"))
        added = store.put(order("o3", [("l1", "MUG")]))
        assert store.orders_by_sku("POT") == (edited,)
        assert store.orders_by_sku("MUG") == (added,)
        store.delete(store.get(Order, "o2"))
        assert store.orders_by_sku("TEA") == ()
    assert raw(path, LINES) == [("o1", "l1", "POT"), ("o3", "l1", "MUG")]


def test_a_save_that_keeps_an_orders_lines_leaves_their_rows_alone(tmp_path):
    path = tmp_path / "book.sqlite"
    rowids = "SELECT rowid, line_id, sku FROM order_lines ORDER BY line_id"
    with SQLiteStore(path) as store:
        saved = store.put(order("o1", [("l1", "TEA"), ("l2", "MUG")]))
        before = raw(path, rowids)
        saved = store.put(attrs.evolve(saved, status="confirmed"))
        assert raw(path, rowids) == before
        store.put(attrs.evolve(saved, lines=saved.lines[:1]))
    assert [row[1:] for row in raw(path, rowids)] == [("l1", "TEA")]


def test_a_failing_migration_changes_nothing(tmp_path):
    path = tmp_path / "book.sqlite"
    _, before = fill(path)
    broken = (
        *MIGRATIONS,
        Migration(
            version=NEXT,
            description="half of it works",
            statements=["CREATE TABLE notes (id TEXT)", "ALTER TABLE nowhere ADD COLUMN x TEXT"],
        ),
    )
    with pytest.raises(OrderbookError, match="no such table: nowhere"):
        SQLiteStore(path, migrations=broken)
    with SQLiteStore(path) as store:
        assert store.schema_version == NEWEST
        assert store.dump() == before
    assert raw(path, "SELECT name FROM sqlite_master WHERE name = 'notes'") == []


def test_a_database_newer_than_the_code_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "book.sqlite"
    fill(path, migrations=(*MIGRATIONS, Migration(version=NEXT, description="x", statements=[])))
    content = path.read_bytes()
    with pytest.raises(OrderbookError, match=TOO_NEW):
        SQLiteStore(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"order,sku,qty\no1,TEA,2\n" * 10, "it is not an SQLite database"),
        (b"SQLite format 3\x00 but far too short", "it is not an SQLite database"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path, content, reason):
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    with pytest.raises(OrderbookError, match=reason) as caught:
        SQLiteStore(path)
    assert "is not an orderbook database" in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]


def test_another_applications_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    raw(path, "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT)")
    raw(path, "INSERT INTO customers VALUES ('acme', 'AcmeCorp')")
    content = path.read_bytes()
    with pytest.raises(OrderbookError, match="SQLite database of another application"):
        SQLiteStore(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_an_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "book.sqlite"
    path.touch()
    with SQLiteStore(path) as store:
        assert store.records(Lot) == ()
        assert store.schema_version == NEWEST


def test_a_stored_row_that_no_longer_reads_raises_orderbook_error(tmp_path):
    path = tmp_path / "book.sqlite"
    fill(path)
    raw(path, "UPDATE lots SET data = ? WHERE id = 'lot-1'", ('{"id":"lot-1","sku":"TEA"}',))
    with SQLiteStore(path) as store:
        with pytest.raises(DamagedRow, match=r"lots row 'lot-1' is damaged: .*quantity") as caught:
            store.get(Lot, "lot-1")
        assert (caught.value.table, caught.value.key) == ("lots", "lot-1")
        with pytest.raises(NotFound):
            store.get(Lot, "lot-2")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"synchronous": "off"}, "synchronous"),
        ({"busy_timeout": -1}, "busy_timeout"),
        ({"busy_timeout": "5"}, "busy_timeout"),
        ({"migrations": ()}, "migrations"),
        ({"migrations": (Migration(version=2, description="x", statements=[]),)}, "migrations"),
    ],
)
def test_bad_settings_are_refused_before_the_file_is_created(tmp_path, arguments, field):
    path = tmp_path / "book.sqlite"
    with pytest.raises(ValidationError) as caught:
        SQLiteStore(path, **arguments)
    assert caught.value.field == field
    assert not path.exists()


@pytest.mark.parametrize("path", [":memory:", "", 42])
def test_a_store_needs_the_path_of_a_file(path):
    with pytest.raises(ValidationError, match="MemoryStore"):
        SQLiteStore(path)


def test_a_folder_or_a_missing_folder_is_refused_with_an_orderbook_error(tmp_path):
    with pytest.raises(OrderbookError, match="cannot open"):
        SQLiteStore(tmp_path)
    with pytest.raises(OrderbookError, match="cannot open"):
        SQLiteStore(tmp_path / "missing" / "book.sqlite")


# -- opening a book read-only --------------------------------------------------------------------


def _files(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_a_read_only_store_reads_the_book_and_leaves_every_file_as_it_was(tmp_path):
    path = tmp_path / "book.sqlite"
    lot, dump = fill(path)
    before = _files(tmp_path)
    assert list(before) == ["book.sqlite"]  # the last writer folded its log in
    with SQLiteStore(path, read_only=True) as store:
        assert store.get(Lot, "lot-1") == lot
        assert store.dump() == dump
        store.quick_check()
    assert _files(tmp_path) == before  # no -wal or -shm file left beside it


@pytest.mark.parametrize(
    "write",
    [
        lambda store: store.put(Lot(id="lot-2", sku="TEA", quantity=1)),
        lambda store: store.delete(store.get(Lot, "lot-1")),
        lambda store: store.append_event("Noted", at=AT),
        lambda store: store.put_setting("workflow", {"name": "standard"}),
    ],
)
def test_a_read_only_store_refuses_every_write(tmp_path, write):
    path = tmp_path / "book.sqlite"
    fill(path)
    before = _files(tmp_path)
    with SQLiteStore(path, read_only=True) as store, pytest.raises(OrderbookError, match="read"):
        write(store)
    assert _files(tmp_path) == before


def test_a_read_only_store_reads_what_a_writer_holding_the_book_open_committed(tmp_path):
    path = tmp_path / "book.sqlite"
    fill(path)
    with SQLiteStore(path) as writer:
        saved = writer.put(Lot(id="lot-2", sku="TEA", quantity=3))  # in the writer's -wal
        book = path.read_bytes()
        with SQLiteStore(path, read_only=True) as reader:
            assert reader.get(Lot, "lot-2") == saved
        assert path.read_bytes() == book


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: None, "there is no such file"),
        (lambda path: path.touch(), "it is empty"),
        (lambda path: sqlite3.connect(path).close(), "it is empty"),
        (lambda path: raw(path, "CREATE TABLE t (x)"), "another application"),
    ],
)
def test_a_read_only_store_refuses_what_is_not_a_book_and_creates_nothing(tmp_path, make, reason):
    path = tmp_path / "book.sqlite"
    make(path)
    before = _files(tmp_path)
    with pytest.raises(OrderbookError, match=reason):
        SQLiteStore(path, read_only=True)
    assert _files(tmp_path) == before


def test_a_read_only_store_refuses_a_book_newer_than_the_code_and_leaves_it(tmp_path):
    path = tmp_path / "book.sqlite"
    fill(path, migrations=(*MIGRATIONS, Migration(version=NEXT, description="x", statements=[])))
    before = _files(tmp_path)
    with pytest.raises(OrderbookError, match=TOO_NEW):
        SQLiteStore(path, read_only=True)
    assert _files(tmp_path) == before


# -- books of older schema versions --------------------------------------------------------------

OLDER = [pytest.param(version, id=f"version-{version}") for version in range(1, NEWEST)]


def older_book(path, version):
    """A book of an older schema version, as that version's code left it: a lot, an order
    (its lines written into order_lines, as version 1 did by itself) and an event."""
    with SQLiteStore(path, migrations=MIGRATIONS[:version]) as store:
        lot = store.put(Lot(id="lot-1", sku="TEA", quantity="2.50"))
        placed = store.put(order("o1", [("l1", "TEA")]))
        store.append_event("LotAdded", at=AT, data={"lot": "lot-1"})
        dump = store.dump()
    if version == 1:
        raw(path, "INSERT INTO order_lines VALUES ('o1', 'l1', 'TEA')")
    return lot, placed, dump


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("version", OLDER)
def test_a_read_only_store_reads_an_older_book_as_it_is_and_leaves_it_byte_for_byte(
    tmp_path, version
):
    path = tmp_path / "book.sqlite"
    lot, placed, dump = older_book(path, version)
    digest, before = _sha256(path), _files(tmp_path)
    assert list(before) == ["book.sqlite"]
    with SQLiteStore(path, read_only=True) as store:
        assert store.schema_version == version
        assert store.get(Lot, "lot-1") == lot
        assert store.orders_by_sku("TEA") == (placed,)
        assert [event.kind for event in store.events()] == ["LotAdded"]
        assert store.dump() == dump
        assert store.setting("workflow") is None
        with pytest.raises(OrderbookError, match="read-only"):
            store.put_setting("workflow", {"name": "standard"})
        store.quick_check()
    assert _sha256(path) == digest
    assert _files(tmp_path) == before  # no -wal or -shm file left beside it
    assert raw(path, "SELECT max(version) FROM schema_version") == [(version,)]


@pytest.mark.parametrize("version", OLDER)
def test_an_older_book_opened_for_writing_migrates_to_the_newest_schema_and_keeps_settings(
    tmp_path, version
):
    path = tmp_path / "book.sqlite"
    lot, _, dump = older_book(path, version)
    with SQLiteStore(path) as store:
        assert store.schema_version == NEWEST
        assert store.dump() == dump
        assert store.setting("workflow") is None
        store.put_setting("workflow", {"name": "standard", "statuses": ["draft"]})
        store.put(attrs.evolve(store.get(Lot, "lot-1"), quantity=3))
    assert raw(path, "SELECT name, value FROM settings") == [
        ("workflow", '{"name":"standard","statuses":["draft"]}')
    ]
    assert [row[0] for row in raw(path, "SELECT version FROM schema_version")] == list(
        range(1, NEWEST + 1)
    )
    with SQLiteStore(path, read_only=True) as store:
        assert store.setting("workflow") == {"name": "standard", "statuses": ["draft"]}
        assert store.get(Lot, "lot-1").version == lot.version + 1


def test_a_store_opened_with_migrations_older_than_settings_keeps_none(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path, migrations=MIGRATIONS[:2]) as store:
        assert store.setting("workflow") is None
        before = _files(tmp_path)
        with pytest.raises(OrderbookError, match="schema version 2, which keeps no settings"):
            store.put_setting("workflow", {"name": "standard"})
        assert store.setting("workflow") is None
        assert _files(tmp_path) == before  # the refused write wrote nothing
    with SQLiteStore(path) as store:  # the library's own migrations add the table
        store.put_setting("workflow", {"name": "standard"})
        assert store.setting("workflow") == {"name": "standard"}


def test_a_read_only_store_reads_the_settings_a_writer_put(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path) as store:
        store.put_setting("workflow", {"name": "mangrove"})
    before = _files(tmp_path)
    with SQLiteStore(path, read_only=True) as store:
        assert store.setting("workflow") == {"name": "mangrove"}
        assert store.setting("colours") is None
    assert _files(tmp_path) == before


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not json", "must be JSON"),
        ("1.5", "must be JSON"),
        ('"caf\\udce9"', "lone surrogate"),
        (b"{}", "must be a str"),  # a blob: TEXT affinity would make 42 the text "42"
    ],
)
def test_a_setting_edited_behind_the_books_back_reads_as_a_damaged_row(tmp_path, value, reason):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path) as store:
        store.put_setting("workflow", {"name": "standard"})
    raw(path, "UPDATE settings SET value = ? WHERE name = 'workflow'", (value,))
    with SQLiteStore(path, read_only=True) as store:
        with pytest.raises(DamagedRow, match=reason) as caught:
            store.setting("workflow")
        assert (caught.value.table, caught.value.key) == ("settings", "workflow")


def test_a_setting_whose_text_is_not_utf8_reads_as_a_damaged_row(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path) as store:
        store.put_setting("workflow", {"name": "standard"})
    raw(path, "UPDATE settings SET value = CAST(x'227bff7d22' AS TEXT)")
    with SQLiteStore(path, read_only=True) as store, pytest.raises(DamagedRow, match="lone"):
        store.setting("workflow")
