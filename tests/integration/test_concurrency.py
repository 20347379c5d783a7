"""Concurrency: four processes allocate, ship and pay from the same scarce lots at once.

Each worker (``_concurrency_worker.py``) applies its commands to one SQLite file, retrying
ConflictError with backoff. While they run, the test watches the lots; when they are done it
checks every outcome and the final state. ``ORDERBOOK_SOAK_SCALE`` (default 1) multiplies the
number of commands.
"""

import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from orderbook import Customer, Lot, Product
from orderbook.book import OrderBook
from orderbook.check import check_book
from orderbook.events import replay
from orderbook.model import Allocation, Order
from orderbook.store import MemoryStore, SQLiteStore
from orderbook.workflow import presets

SCALE = float(os.environ.get("ORDERBOOK_SOAK_SCALE", "1"))
WORKERS = 4
COMMANDS = max(125, round(125 * SCALE))  # per worker: 4 x 125 = 500 in all by default
WORKER = Path(__file__).with_name("_concurrency_worker.py")


def _stock(path):
    with OrderBook(SQLiteStore(path)) as book:
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        for sku in ("TEA", "MUG"):
            book.save_product(Product(sku=sku))
            for n, quantity in enumerate((12, 8, 5)):
                book.save_lot(Lot(id=f"{sku}-{n}", sku=sku, quantity=quantity))


def _over_allocated(store, committing):
    """Lots whose committing allocations exceed them, read in one transaction."""
    with store.transaction():
        orders = {o.id: o.status for o in store.records(Order)}
        taken = {}
        for allocation in store.records(Allocation):
            if orders.get(allocation.order_id) in committing:
                taken[allocation.lot_id] = (
                    taken.get(allocation.lot_id, Decimal(0)) + allocation.quantity
                )
        return [
            (lot.id, lot.quantity, taken[lot.id])
            for lot in store.records(Lot)
            if taken.get(lot.id, 0) > lot.quantity
        ]


def test_four_processes_sharing_scarce_lots_never_over_allocate_and_replay_serially(
    tmp_path, explained_refusal
):
    path = tmp_path / "shared.sqlite"
    _stock(path)
    committing = {s.code for s in presets.standard().statuses if s.commits}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(path), f"w{n}", str(COMMANDS), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    watched = []
    with SQLiteStore(path, busy_timeout=2.0) as watcher:
        while any(w.poll() is None for w in workers):
            watched.append(_over_allocated(watcher, committing))
            time.sleep(0.05)
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))

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

    with SQLiteStore(path) as store:
        assert check_book(store) == ()
        serial = MemoryStore()
        replay(store.events(), serial)
        assert serial.dump() == store.dump()
        again = SQLiteStore(tmp_path / "serial.sqlite")
        with again:
            replay(store.events(), again)
            assert again.dump() == store.dump()
    retried = sum(r["conflicts_retried"] for r in reports)
    print(
        f"\nconcurrency: {WORKERS} processes x {COMMANDS} commands: {committed} committed, "
        f"{sum(refused.values())} refused, {retried} conflicts retried, "
        f"{len(watched)} snapshots watched; refusals: {json.dumps(refused, sort_keys=True)}"
    )


@pytest.mark.parametrize(
    ("key", "explained"),
    [
        ("Ship->InsufficientStock", True),
        ("Ship->ValidationError:quantities['l1']", True),
        ("Allocate->ConflictError", True),
        ("Ship->KeyError", False),
        ("RecordPayment->ValidationError:customer_id", False),
    ],
)
def test_only_refusals_that_the_input_explains_are_accepted(key, explained, explained_refusal):
    assert explained_refusal(key) is explained
