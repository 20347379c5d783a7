"""Benchmark: commands through the OrderBook on each store, against raw sqlite3.

The lifecycle of an order of 3 lines is six commands, each its own transaction: place,
confirm, allocate, ship, invoice (issued at once) and pay (the order then completes by
itself). It runs on MemoryStore, on SQLiteStore at ``synchronous="normal"`` and at
``synchronous="full"``, and reports orders/s and the peak memory of the process.

Baselines, measured in the same run:

* the lean floor: what SQLite itself costs a minimal command. Raw sqlite3, in a file of its
  own with the settings SQLiteStore uses (WAL, the same ``synchronous``), makes the same
  number of commits, each reading one record by its primary key, upserting it (a row of
  about 1 KB) and inserting one event, in two minimal tables of its own. The goals are
  ratios to this floor;
* the own-rows floor: raw sqlite3 making the same number of commits, at the same setting,
  writing the same rows (the records and events each command wrote, captured beforehand from
  a book on MemoryStore with the same clock and ids), in the book's own schema;
* the same lifecycle in an empty book, against a book already holding many orders (placed
  in one ``book.batch()``; on SQLite the file is then closed and opened again), the two
  books taking turns in one process: a command should cost about as much whatever the size
  of the book;
* a bulk save of orders of 5 lines, placed inside one ``book.batch()``, against raw sqlite3
  ``executemany`` of the same rows (read back from the book's own file). Both sides get their
  input prepared before the clock starts (the commands; the rows), and frozen out of the
  garbage collector's sight (``gc.freeze``), so neither pays for scanning it.

The report ends with the goals, and the least that is acceptable, each marked met or not.

The raw baselines write no ``order_lines`` rows: the schema's triggers write them from each
order's stored JSON, for raw SQL as for the book.

With a PostgreSQL server (``--postgres DSN``, or the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN``), the same lifecycle runs on PostgresStore at the server's
default durability, against raw psycopg making the same number of commits with the same rows,
and the bulk save runs on PostgresStore against psycopg ``executemany`` of the rows it wrote.
Each measurement uses a schema of its own, dropped afterwards. Without a server that part is
skipped with a note.

Every measurement runs in its own process (``spawn``), so its peak memory (``ru_maxrss``) is
its own. On SQLite the book and its two floors take turns, in three rounds of a third of the
orders each (their times summed), so a slow spell of the disk weighs on all three alike.
Files go in the system's temporary folder and are removed.

    python benchmarks/book.py           # 10,000 orders (1,000 at "full"), bulk of 100,000,
                                        # 1,000 lifecycles in a book of 100,000 orders
    python benchmarks/book.py --quick   # small sizes
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing
import os
import resource
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from orderbook import (
    Customer,
    Invoice,
    Lot,
    Money,
    Order,
    OrderLine,
    Product,
    SequentialIds,
    invoice_totals,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.commands import PlaceOrder
from orderbook.store import MemoryStore, SQLiteStore
from orderbook.store.events import event_data
from orderbook.store.schema import MIGRATIONS, TABLES

START = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)
SKUS = ("TEA", "MUG", "POT", "CUP", "JAR")
COMMANDS_PER_ORDER = 6
# The goals, and the least that is acceptable: ratios are of times (smaller is better).
GOAL_NORMAL, LEAST_NORMAL = 5.4, 12.0  # lifecycle at "normal", ratio to the lean floor
GOAL_FULL, LEAST_FULL = 2.0, 3.0  # lifecycle at "full", ratio to the lean floor
GOAL_MEMORY, LEAST_MEMORY = 2000.0, 800.0  # MemoryStore lifecycle, orders/s (larger is better)
GOAL_BULK, LEAST_BULK = 2.5, 3.0  # bulk save in book.batch(), ratio to executemany
LEAST_FLAT = 1.3  # a lifecycle command in a full book, ratio to one in an empty book
LEAN_ROW_BYTES = 1000  # the lean floor's row: about the size of an order of 3 lines
ROUNDS = 3  # the SQLite lifecycle and its floors take turns, a share of the orders each
SIZED_TURNS = 10  # the empty and the full book take turns, a share of the orders each
SIZED_WARMUP = 20  # untimed lifecycles in each book first


# -- the workload -----------------------------------------------------------------------------


def _new_book(store: Any) -> OrderBook:
    book = OrderBook(store, clock=FixedClock(START), id_factory=SequentialIds("id"))
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    for sku in SKUS:
        book.save_product(Product(sku=sku))
        book.save_lot(Lot(id=f"{sku}-shelf", sku=sku, quantity=10**9))
    return book


def _lines(n: int, count: int) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(
            id=f"l{k}",
            sku=SKUS[k],
            quantity=1 + (n + k) % 7,
            unit_price=Money(Decimal(250 + (n * 7 + k * 13) % 900).scaleb(-2), "EUR"),
            tax_rate=Decimal("0.2"),
        )
        for k in range(count)
    )


def _lifecycle(book: OrderBook, orders: int, after: Callable[[Any], None]) -> None:
    """Run every order through its six commands; ``after`` sees each command's outcome."""
    from orderbook import commands as c

    for n in range(orders):
        lines = _lines(n, 3)
        placed = book.execute(c.PlaceOrder(customer_id="acme", lines=lines))
        after(placed)
        order_id = placed.record(Order).id
        after(book.execute(c.ChangeStatus(order_id=order_id, to="confirmed")))
        after(book.execute(c.Allocate(order_id=order_id)))
        shipped = {line.id: line.quantity for line in lines}
        after(book.execute(c.Ship(order_id=order_id, items=shipped)))
        billed = book.execute(c.InvoiceOrder(order_id=order_id, issue=True))
        after(billed)
        invoice = billed.record(Invoice)
        amount = invoice_totals(invoice).gross
        paid = book.execute(c.RecordPayment(amount=amount, invoice_id=invoice.id))
        after(paid)
        assert paid.moves[-1].target == "completed", "the order completes once paid"


def _ignore(_: Any) -> None:
    return None


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- one measurement per process --------------------------------------------------------------


def run_book(store: str, orders: int, path: str) -> dict[str, float]:
    """The lifecycle on one store: seconds and peak MiB."""
    if store == "memory":
        book = _new_book(MemoryStore())
    else:
        book = _new_book(SQLiteStore(path, synchronous=store))  # type: ignore[arg-type]
    began = time.perf_counter()
    _lifecycle(book, orders, _ignore)
    seconds = time.perf_counter() - began
    book.close()
    return {"seconds": seconds, "peak": _peak_mib()}


Step = tuple[list[tuple[str, tuple[object, ...]]], list[tuple[object, ...]]]


def _record_sql(record: Any) -> Iterator[tuple[str, tuple[object, ...]]]:
    table = TABLES[type(record)]
    columns = (table.key, "version", *table.columns, "data")
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    marks = ", ".join("?" * len(columns))
    yield (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
        f" ON CONFLICT ({table.key}) DO UPDATE SET {sets}",
        table.row(record),
    )


def _capture(orders: int) -> list[Step]:
    """What each lifecycle command writes: its statements and its events, as rows."""
    steps: list[Step] = []

    def keep(outcome: Any) -> None:
        statements = [s for record in outcome.written for s in _record_sql(record)]
        for record in outcome.deleted:
            table = TABLES[type(record)]
            statements.append((f"DELETE FROM {table.name} WHERE {table.key} = ?", (record.id,)))
        events: list[tuple[object, ...]] = [
            (e.kind, e.order_id, e.at.isoformat(), event_data(e.data)) for e in outcome.events
        ]
        steps.append((statements, events))

    _lifecycle(_new_book(MemoryStore()), orders, keep)
    return steps


def _raw_connection(path: str, synchronous: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    connection.execute("PRAGMA temp_store = MEMORY")  # as SQLiteStore sets it
    for step in MIGRATIONS:
        for statement in step.statements:
            connection.execute(statement)
    return connection


def run_floor(synchronous: str, orders: int, path: str) -> dict[str, float]:
    """Raw sqlite3: one commit per command, the same rows, the same setting."""
    steps = _capture(orders)
    connection = _raw_connection(path, synchronous)
    insert_event = "INSERT INTO events (kind, order_id, at, data) VALUES (?, ?, ?, ?)"
    began = time.perf_counter()
    for statements, events in steps:
        connection.execute("BEGIN IMMEDIATE")
        for sql, parameters in statements:
            connection.execute(sql, parameters)
        for event in events:
            connection.execute(insert_event, event)
        connection.execute("COMMIT")
    seconds = time.perf_counter() - began
    connection.close()
    return {"seconds": seconds, "peak": _peak_mib(), "commits": len(steps)}


_LEAN_SCHEMA = (
    "CREATE TABLE lean_records (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
    " data TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE lean_events (sequence INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " order_id TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL)",
)
_LEAN_READ = "SELECT version, data FROM lean_records WHERE id = ?"
_LEAN_UPSERT = (
    "INSERT INTO lean_records (id, version, data) VALUES (?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET version = excluded.version, data = excluded.data"
)
_LEAN_EVENT = "INSERT INTO lean_events (kind, order_id, at, data) VALUES (?, ?, ?, ?)"


def run_lean(synchronous: str, orders: int, path: str) -> dict[str, float]:
    """What SQLite itself costs a minimal command: one commit of a read, an upsert, an event.

    Its own two tables in a file of its own, opened with the settings SQLiteStore uses (WAL,
    ``synchronous``, ``temp_store`` in memory, foreign keys on). Each command reads a record
    by its primary key, writes it back (about ``LEAN_ROW_BYTES`` of text) and appends one
    event; ``COMMANDS_PER_ORDER`` such commits per order.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    for statement in _LEAN_SCHEMA:
        connection.execute(statement)
    at = START.isoformat()
    filler = "x" * LEAN_ROW_BYTES
    steps = [
        (f"{step}:{filler}"[:LEAN_ROW_BYTES], f'{{"step": {step}}}')
        for step in range(COMMANDS_PER_ORDER)
    ]
    keys = [f"o{n:06d}" for n in range(orders)]
    read, upsert, event = _LEAN_READ, _LEAN_UPSERT, _LEAN_EVENT
    execute = connection.execute
    began = time.perf_counter()
    for key in keys:
        for version, (data, change) in enumerate(steps):
            execute("BEGIN IMMEDIATE")
            execute(read, (key,)).fetchone()
            execute(upsert, (key, version + 1, data))
            execute(event, ("Changed", key, at, change))
            execute("COMMIT")
    seconds = time.perf_counter() - began
    connection.close()
    return {"seconds": seconds, "peak": _peak_mib(), "commits": orders * COMMANDS_PER_ORDER}


def _fill(book: OrderBook, orders: int) -> None:
    """Place ``orders`` orders of 3 lines in one batch: the book's bulk path."""
    commands = [
        PlaceOrder(customer_id="acme", lines=_lines(n, 3), order_id=f"f{n:06d}")
        for n in range(orders)
    ]
    with book.batch():
        for command in commands:
            book.execute(command)


def _sized_book(store: str, filled: int, path: str) -> OrderBook:
    """A book holding ``filled`` orders; on SQLite filled, closed and opened again."""
    if store == "memory":
        book = _new_book(MemoryStore())
        _fill(book, filled)
        return book
    first = _new_book(SQLiteStore(path, synchronous="normal"))
    _fill(first, filled)
    first.close()
    store_again = SQLiteStore(path, synchronous="normal")
    return OrderBook(store_again, clock=FixedClock(START), id_factory=SequentialIds("run"))


def run_sized(store: str, filled: int, orders: int, path: str) -> dict[str, float]:
    """The lifecycle of ``orders`` orders in an empty book and in one holding ``filled``.

    Both books live in this process and take turns, SIZED_TURNS times a share of the orders
    each (after a few untimed lifecycles each), so that a slow spell of the machine weighs on
    both alike. What the books hold when the clock starts is frozen out of the garbage
    collector's sight (``gc.freeze``): the collector's scan of a large heap is the
    interpreter's cost, and it would fall on both books alike here.
    """
    books = {
        "empty": _sized_book(store, 0, path + "-empty"),
        "full": _sized_book(store, filled, path + "-full"),
    }
    for book in books.values():
        _lifecycle(book, SIZED_WARMUP, _ignore)
    gc.collect()
    gc.freeze()
    totals = dict.fromkeys(books, 0.0)
    share = max(orders // SIZED_TURNS, 1)
    for _ in range(SIZED_TURNS):
        for name, book in books.items():
            began = time.perf_counter()
            _lifecycle(book, share, _ignore)
            totals[name] += time.perf_counter() - began
    for book in books.values():
        book.close()
    return {**totals, "orders": share * SIZED_TURNS, "peak": _peak_mib()}


def run_bulk(orders: int, path: str) -> dict[str, float]:
    """Orders of 5 lines placed inside one batch on SQLiteStore; the file is kept."""
    book = _new_book(SQLiteStore(path, synchronous="normal"))
    commands = [
        PlaceOrder(customer_id="acme", lines=_lines(n, 5), order_id=f"o{n:06d}")
        for n in range(orders)
    ]
    gc.freeze()  # the prepared input is not the book's garbage: keep the collector off it
    began = time.perf_counter()
    with book.batch():
        for command in commands:
            book.execute(command)
    seconds = time.perf_counter() - began
    book.close()
    return {"seconds": seconds, "peak": _peak_mib()}


def run_executemany(source: str, path: str) -> dict[str, float]:
    """Raw sqlite3 executemany of the rows the bulk save wrote, in one transaction."""
    with sqlite3.connect(source) as reader:
        orders = reader.execute(
            "SELECT id, version, customer_id, status, placed_at_us, data FROM orders"
            " WHERE id LIKE 'o%' ORDER BY rowid"
        ).fetchall()
        events = reader.execute(
            "SELECT kind, order_id, at, data FROM events WHERE kind = 'OrderPlaced'"
            " ORDER BY sequence"
        ).fetchall()
    reader.close()
    connection = _raw_connection(path, "NORMAL")
    gc.freeze()  # as for the book
    began = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO orders (id, version, customer_id, status, placed_at_us, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        orders,
    )
    connection.executemany(
        "INSERT INTO events (kind, order_id, at, data) VALUES (?, ?, ?, ?)", events
    )
    connection.execute("COMMIT")
    seconds = time.perf_counter() - began
    connection.close()
    return {"seconds": seconds, "peak": _peak_mib(), "rows": len(orders)}


# -- PostgreSQL --------------------------------------------------------------------------------


def _pg_schema(dsn: str) -> str:
    """A new schema with the book's tables, for one measurement."""
    from orderbook.store.postgres import PostgresStore

    name = f"bench_{uuid.uuid4().hex}"
    PostgresStore(dsn, schema=name).close()
    return name


def _pg_connect(dsn: str, schema: str) -> Any:
    import psycopg

    connection = psycopg.connect(dsn, autocommit=True)
    connection.execute("SELECT set_config('search_path', %s, false)", (f'"{schema}"',))
    return connection


def _pg_drop(dsn: str, *schemas: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as connection:
        for name in schemas:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
            connection.execute(drop)


def run_pg_book(dsn: str, orders: int, schema: str) -> dict[str, float]:
    """The lifecycle on PostgresStore: seconds and peak MiB."""
    from orderbook.store.postgres import PostgresStore

    book = _new_book(PostgresStore(dsn, schema=schema))
    began = time.perf_counter()
    _lifecycle(book, orders, _ignore)
    seconds = time.perf_counter() - began
    book.close()
    return {"seconds": seconds, "peak": _peak_mib()}


def run_pg_floor(dsn: str, orders: int, schema: str) -> dict[str, float]:
    """Raw psycopg: one commit per command, the same rows, the server's durability."""
    steps = [
        ([(sql.replace("?", "%s"), parameters) for sql, parameters in statements], events)
        for statements, events in _capture(orders)
    ]
    connection = _pg_connect(dsn, schema)
    insert_event = (
        "INSERT INTO events (sequence, kind, order_id, at, data) VALUES (%s, %s, %s, %s, %s)"
    )
    sequence = 0
    began = time.perf_counter()
    for statements, events in steps:
        with connection.transaction():
            for sql, parameters in statements:
                connection.execute(sql, parameters)
            for event in events:
                sequence += 1
                connection.execute(insert_event, (sequence, *event))
    seconds = time.perf_counter() - began
    connection.close()
    return {"seconds": seconds, "peak": _peak_mib(), "commits": len(steps)}


def run_pg_bulk(dsn: str, orders: int, schema: str) -> dict[str, float]:
    """Orders of 5 lines placed inside one batch on PostgresStore; the schema is kept."""
    from orderbook.store.postgres import PostgresStore

    book = _new_book(PostgresStore(dsn, schema=schema))
    commands = [
        PlaceOrder(customer_id="acme", lines=_lines(n, 5), order_id=f"o{n:06d}")
        for n in range(orders)
    ]
    gc.freeze()
    began = time.perf_counter()
    with book.batch():
        for command in commands:
            book.execute(command)
    seconds = time.perf_counter() - began
    book.close()
    return {"seconds": seconds, "peak": _peak_mib()}


def run_pg_executemany(dsn: str, source: str, schema: str) -> dict[str, float]:
    """Raw psycopg executemany of the rows the bulk save wrote, in one transaction."""
    reader = _pg_connect(dsn, source)
    orders = reader.execute(
        "SELECT id, version, customer_id, status, placed_at_us, data FROM orders"
        " WHERE id LIKE 'o%' ORDER BY id"
    ).fetchall()
    events = reader.execute(
        "SELECT sequence, kind, order_id, at, data FROM events WHERE kind = 'OrderPlaced'"
        " ORDER BY sequence"
    ).fetchall()
    reader.close()
    connection = _pg_connect(dsn, schema)
    gc.freeze()
    began = time.perf_counter()
    with connection.transaction(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO orders (id, version, customer_id, status, placed_at_us, data)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            orders,
        )
        cursor.executemany(
            "INSERT INTO events (sequence, kind, order_id, at, data) VALUES (%s, %s, %s, %s, %s)",
            events,
        )
    seconds = time.perf_counter() - began
    connection.close()
    return {"seconds": seconds, "peak": _peak_mib(), "rows": len(orders)}


def _postgres_report(dsn: str, many: int, bulk: int) -> float:
    """Print the PostgreSQL lifecycle row and bulk save; return the bulk ratio."""
    schemas = [_pg_schema(dsn) for _ in range(4)]
    try:
        book = _in_process(run_pg_book, dsn, many, schemas[0])
        floor = _in_process(run_pg_floor, dsn, many, schemas[1])
        ratio = book["seconds"] / floor["seconds"]
        over = (book["seconds"] - floor["seconds"]) / (many * COMMANDS_PER_ORDER) * 1e6
        print(
            f"{'PostgreSQL':<16}{many:>8,}{many / book['seconds']:>11,.0f}"
            f"{many / floor['seconds']:>11,.0f}{ratio:>7.2f}x{over:>13,.0f}{book['peak']:>10.0f}"
        )
        print(f"(floor: raw psycopg, {COMMANDS_PER_ORDER} commits per order, the same rows)")
        print()
        saved = _in_process(run_pg_bulk, dsn, bulk, schemas[2])
        raw = _in_process(run_pg_executemany, dsn, schemas[2], schemas[3])
    finally:
        _pg_drop(dsn, *schemas)
    print(f"bulk save: {bulk:,} orders x 5 lines in one batch (PostgreSQL)")
    for name, measured in (("book.batch()", saved), ("executemany", raw)):
        print(
            f"  {name:<14} {measured['seconds']:>8.2f} s {bulk / measured['seconds']:>10,.0f}"
            f" orders/s  peak {measured['peak']:.0f} MiB"
        )
    pg_ratio: float = saved["seconds"] / raw["seconds"]
    print(f"  ratio {pg_ratio:.2f}x")
    print()
    return pg_ratio


def _in_process(function: Callable[..., dict[str, float]], *args: Any) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


# -- the report -------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _goal_row(
    measure: str, measured: str, goal: str, goal_met: bool | None, least: str, least_met: bool
) -> str:
    """One row of the goals: the measure, its figure, then each bound and whether it is met."""
    verdict = "" if goal_met is None else _verdict(goal_met)
    return f"  {measure:<52}{measured:>12}  {goal:<11}{verdict:<9}{least:<11}{_verdict(least_met)}"


def _line(label: str, orders: int, seconds: float, ratio: str, peak: float) -> str:
    commits = orders * COMMANDS_PER_ORDER
    return (
        f"{label:<22}{orders:>8,}{orders / seconds:>11,.0f}{seconds / commits * 1e6:>12,.0f}"
        f"{ratio:>14}{peak:>10.0f}"
    )


def _interleaved(
    setting: str, orders: int, path: Callable[[str], str]
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """The book, the lean floor and the own-rows floor at one setting, in ROUNDS rounds.

    Each round runs a share of the orders on each side, one after the other, each in a fresh
    process and file; the times are summed and the peaks are the largest. A disk whose sync
    slows down for a while (other work on the machine) then slows all three alike.
    """
    totals: list[dict[str, float]] = [{"seconds": 0.0, "peak": 0.0} for _ in range(3)]
    shares = [orders // ROUNDS + (1 if r < orders % ROUNDS else 0) for r in range(ROUNDS)]
    for r, share in enumerate(shares):
        measured = (
            _in_process(run_book, setting, share, path(f"book-{setting}-{r}.sqlite")),
            _in_process(run_lean, setting.upper(), share, path(f"lean-{setting}-{r}.sqlite")),
            _in_process(run_floor, setting.upper(), share, path(f"own-{setting}-{r}.sqlite")),
        )
        for total, one in zip(totals, measured, strict=True):
            total["seconds"] += one["seconds"]
            total["peak"] = max(total["peak"], one["peak"])
    return totals[0], totals[1], totals[2]


def _lifecycle_report(many: int, few: int, path: Callable[[str], str]) -> dict[str, float]:
    """Print the lifecycle on each store against its floors; return the figures for goals."""
    print(f"lifecycle: {COMMANDS_PER_ORDER} commands per order of 3 lines, a commit each")
    print(
        f"{'store, or floor':<22}{'orders':>8}{'orders/s':>11}{'us/commit':>12}"
        f"{'book / floor':>14}{'peak MiB':>10}"
    )
    memory = _in_process(run_book, "memory", many, path("unused"))
    print(_line("MemoryStore", many, memory["seconds"], "-", memory["peak"]))
    figures = {"memory": many / memory["seconds"]}
    for setting, orders in (("normal", many), ("full", few)):
        book, lean, own = _interleaved(setting, orders, path)
        print(_line(f"SQLite {setting}", orders, book["seconds"], "", book["peak"]))
        for label, floor in (("  lean floor", lean), ("  own-rows floor", own)):
            ratio = book["seconds"] / floor["seconds"]
            print(_line(label, orders, floor["seconds"], f"{ratio:.2f}x", floor["peak"]))
        figures[setting] = book["seconds"] / lean["seconds"]
        figures[f"{setting} own rows"] = book["seconds"] / own["seconds"]
    print(
        "(lean floor: raw sqlite3, a read by key, an upsert of a"
        f" {LEAN_ROW_BYTES:,}-byte row and an event insert per commit;"
    )
    print(" own-rows floor: raw sqlite3 writing the rows and events the book wrote)")
    print()
    return figures


def _flat_report(filled: int, orders: int, path: Callable[[str], str]) -> dict[str, float]:
    """Print the lifecycle in a full book against an empty one; return the ratios."""
    print(f"cost in the size of the book: {orders:,} lifecycles, in an empty book and in one")
    print(f"already holding {filled:,} orders of 3 lines (placed in one book.batch()),")
    print(f"taking turns {SIZED_TURNS} times in one process")
    print(f"{'store':<16}{'empty us/cmd':>14}{'full us/cmd':>14}{'full / empty':>14}")
    ratios: dict[str, float] = {}
    for store, label in (("memory", "MemoryStore"), ("normal", "SQLite normal")):
        sized = _in_process(run_sized, store, filled, orders, path(f"sized-{store}.sqlite"))
        ratio = sized["full"] / sized["empty"]
        commands = sized["orders"] * COMMANDS_PER_ORDER
        print(
            f"{label:<16}{sized['empty'] / commands * 1e6:>14,.0f}"
            f"{sized['full'] / commands * 1e6:>14,.0f}{ratio:>13.2f}x"
        )
        ratios[label] = ratio
    print()
    return ratios


def _bulk_report(bulk: int, path: Callable[[str], str]) -> float:
    """Print the bulk save against executemany; return the ratio."""
    source = path("bulk-book.sqlite")
    saved = _in_process(run_bulk, bulk, source)
    raw = _in_process(run_executemany, source, path("bulk-raw.sqlite"))
    ratio = saved["seconds"] / raw["seconds"]
    print(f"bulk save: {bulk:,} orders x 5 lines in one batch (SQLite normal)")
    for name, measured in (("book.batch()", saved), ("executemany", raw)):
        print(
            f"  {name:<14} {measured['seconds']:>8.2f} s {bulk / measured['seconds']:>10,.0f}"
            f" orders/s  peak {measured['peak']:.0f} MiB"
        )
    print(f"  ratio {ratio:.2f}x")
    print()
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument(
        "--postgres",
        metavar="DSN",
        default=os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN"),
        help="a PostgreSQL server to measure too (default: $ORDERBOOK_TEST_POSTGRES_DSN)",
    )
    args = parser.parse_args()
    many, few, bulk = (300, 100, 5_000) if args.quick else (10_000, 1_000, 100_000)
    filled, sized = (5_000, 200) if args.quick else (100_000, 1_000)
    with tempfile.TemporaryDirectory(prefix="orderbook-bench-") as folder:

        def path(name: str) -> str:
            return os.fspath(Path(folder) / name)

        figures = _lifecycle_report(many, few, path)
        flat = _flat_report(filled, sized, path)
        bulk_ratio = _bulk_report(bulk, path)
        pg_ratio = None
        if args.postgres:
            print("PostgreSQL (server's default durability):")
            print(
                f"{'store':<16}{'orders':>8}{'orders/s':>11}{'floor/s':>11}{'ratio':>8}"
                f"{'us/cmd over':>13}{'peak MiB':>10}"
            )
            pg_ratio = _postgres_report(args.postgres, many, bulk)
        else:
            print("PostgreSQL: skipped (give --postgres DSN or set ORDERBOOK_TEST_POSTGRES_DSN)")
            print()
    print("goals (ratios are of times: smaller is better):")
    print(f"  {'measure':<52}{'measured':>12}  {'goal':<20}{'at least'}")
    for setting, goal, least in (
        ("normal", GOAL_NORMAL, LEAST_NORMAL),
        ("full", GOAL_FULL, LEAST_FULL),
    ):
        ratio = figures[setting]
        print(
            _goal_row(
                f'lifecycle at "{setting}", ratio to the lean floor',
                f"{ratio:.2f}x",
                f"<= {goal:g}x",
                ratio <= goal,
                f"<= {least:g}x",
                ratio <= least,
            )
        )
    rate = figures["memory"]
    print(
        _goal_row(
            "MemoryStore lifecycle, orders/s",
            f"{rate:,.0f}",
            f">= {GOAL_MEMORY:,.0f}",
            rate >= GOAL_MEMORY,
            f">= {LEAST_MEMORY:,.0f}",
            rate >= LEAST_MEMORY,
        )
    )
    bulks = [("bulk save in book.batch(), ratio to executemany", bulk_ratio)]
    if pg_ratio is not None:
        bulks.append(("PostgreSQL bulk save, ratio to executemany", pg_ratio))
    for measure, ratio in bulks:
        print(
            _goal_row(
                measure,
                f"{ratio:.2f}x",
                f"<= {GOAL_BULK:g}x",
                ratio <= GOAL_BULK,
                f"<= {LEAST_BULK:g}x",
                ratio <= LEAST_BULK,
            )
        )
    for label, ratio in flat.items():
        print(
            _goal_row(
                f"{label} command, {filled:,}-order book / empty",
                f"{ratio:.2f}x",
                "-",
                None,
                f"<= {LEAST_FLAT:g}x",
                ratio <= LEAST_FLAT,
            )
        )


if __name__ == "__main__":
    main()
