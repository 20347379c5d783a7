"""Concurrency on PostgreSQL: eight processes allocate, ship and pay from the same scarce lots.

The same workers as the SQLite test (``_concurrency_worker.py``), each with its own
PostgresStore on one schema made for this run and dropped after it, retrying ConflictError with
backoff. While they run, the test reads snapshots of the book and checks that no lot is ever
over-allocated; when they are done it checks every outcome and the final state against a serial
replay of the events. ``ORDERBOOK_SOAK_SCALE`` (default 1) multiplies the number of commands.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from orderbook import Customer, Lot, Product
from orderbook.book import OrderBook
from orderbook.check import check_book
from orderbook.events import replay
from orderbook.store import MemoryStore
from orderbook.workflow import presets

DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
pytestmark = pytest.mark.skipif(
    not DSN, reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: this test needs a PostgreSQL server"
)

SCALE = float(os.environ.get("ORDERBOOK_SOAK_SCALE", "1"))
WORKERS = 8
COMMANDS = max(40, round(40 * SCALE))  # per worker: 8 x 40 = 320 in all by default
WORKER = Path(__file__).with_name("_concurrency_worker.py")


@pytest.fixture
def schemas():
    """Names for schemas of this test's own; every one is dropped afterwards."""
    import psycopg
    from psycopg import sql

    made = []

    def new():
        made.append(f"concurrency_{uuid.uuid4().hex}")
        return made[-1]

    yield new
    with psycopg.connect(DSN, autocommit=True) as connection:
        for name in made:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
            )


def _stock(store):
    with OrderBook(store) as book:
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        for sku in ("TEA", "MUG"):
            book.save_product(Product(sku=sku))
            for n, quantity in enumerate((12, 8, 5)):
                book.save_lot(Lot(id=f"{sku}-{n}", sku=sku, quantity=quantity))


def _over_allocated(dump, committing):
    """Lots whose committing allocations exceed them, in one snapshot (a dump) of the book."""
    status = {row["id"]: row["status"] for row in dump["order"]}
    taken = {}
    for row in dump["allocation"]:
        if status.get(row["order_id"]) in committing:
            taken[row["lot_id"]] = taken.get(row["lot_id"], Decimal(0)) + Decimal(row["quantity"])
    return [
        (row["id"], row["quantity"], taken[row["id"]])
        for row in dump["lot"]
        if taken.get(row["id"], 0) > Decimal(row["quantity"])
    ]


def test_over_allocation_is_seen_in_a_snapshot_where_allocations_exceed_a_lot():
    dump = {
        "order": ({"id": "o1", "status": "confirmed"}, {"id": "o2", "status": "cancelled"}),
        "allocation": (
            {"order_id": "o1", "lot_id": "TEA-0", "quantity": "4"},
            {"order_id": "o1", "lot_id": "TEA-0", "quantity": "2"},
            {"order_id": "o2", "lot_id": "MUG-0", "quantity": "9"},
        ),
        "lot": ({"id": "MUG-0", "quantity": "1"}, {"id": "TEA-0", "quantity": "5"}),
    }
    assert _over_allocated(dump, {"confirmed"}) == [("TEA-0", "5", Decimal(6))]
    assert _over_allocated(dump, {"confirmed", "cancelled"}) == [
        ("MUG-0", "1", Decimal(9)),
        ("TEA-0", "5", Decimal(6)),
    ]


def test_eight_processes_sharing_scarce_lots_never_over_allocate_and_replay_serially(
    schemas, explained_refusal
):
    from orderbook.store.postgres import PostgresStore

    schema = schemas()
    with PostgresStore(DSN, schema=schema) as store:
        _stock(store)
    committing = {s.code for s in presets.standard().statuses if s.commits}
    began = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), DSN, f"w{n}", str(COMMANDS), str(n), schema],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    watched = []
    with PostgresStore(DSN, schema=schema) as watcher:
        while any(w.poll() is None for w in workers):
            watched.append(_over_allocated(watcher.dump(), committing))
            time.sleep(0.05)
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    seconds = time.perf_counter() - began

    assert watched
    assert all(found == [] for found in watched)
    assert [r["unexpected"] for r in reports] == [[]] * WORKERS
    refused = {}
    for report in reports:
        for key, count in report["refused"].items():
            refused[key] = refused.get(key, 0) + count
    assert [key for key in refused if not explained_refusal(key)] == []
    committed = sum(r["committed"] for r in reports)
    assert committed + sum(refused.values()) == WORKERS * COMMANDS
    assert committed >= WORKERS * COMMANDS // 3  # contention did not starve the workers

    with PostgresStore(DSN, schema=schema) as store:
        final = store.dump()
        assert _over_allocated(final, committing) == []
        assert list(check_book(store)) == []
        events = store.events()
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        serial = MemoryStore()
        replay(events, serial)
        assert serial.dump() == final
        with PostgresStore(DSN, schema=schemas()) as again:
            replay(events, again)
            assert again.dump() == final
    retried = sum(r["conflicts_retried"] for r in reports)
    print(
        f"\npostgres concurrency: {WORKERS} processes x {COMMANDS} commands in {seconds:.1f} s:"
        f" {committed} committed, {sum(refused.values())} refused, {retried} conflicts"
        f" retried, {len(watched)} snapshots watched; refusals:"
        f" {json.dumps(refused, sort_keys=True)}"
    )
