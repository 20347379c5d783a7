"""Crash safety: a process killed with SIGKILL at any moment loses no committed command and
leaves no part of an uncommitted one.

A child process (``_crash_child.py``) applies a long stream of book commands to one SQLite
file and reports each command right after its transaction returned. The test kills it with
SIGKILL at a random moment, many rounds over, and after each round reopens the file and checks
it. ``ORDERBOOK_SOAK_SCALE`` (default 1) multiplies the number of rounds and their length.
"""

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orderbook.check import check_book
from orderbook.errors import NotFound
from orderbook.model import Invoice, Lot, Order, Payment, Shipment
from orderbook.store import SQLiteStore

SCALE = float(os.environ.get("ORDERBOOK_SOAK_SCALE", "1"))
ROUNDS = max(50, round(50 * SCALE))
LONGEST_ROUND = 0.25 * max(1.0, SCALE)  # seconds before the kill, at most
FULL_CHECK_EVERY = 10
CHILD = Path(__file__).with_name("_crash_child.py")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child forks its workers")


class _Child:
    """The child process: starts one worker per round and reports what it committed."""

    def __init__(self, path):
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.worker = None

    def round(self, number, seed, delay):
        """Start a worker, kill it after ``delay`` seconds; return its lines."""
        self.process.stdin.write(f"{number} {seed}\n")
        self.process.stdin.flush()
        first = self.process.stdout.readline().split()
        assert first[0] == "pid", first
        self.worker = int(first[1])
        time.sleep(delay)
        os.kill(self.worker, signal.SIGKILL)
        lines = []
        for line in self.process.stdout:
            if line.startswith("exit "):
                status = int(line.split()[1])
                self.worker = None
                return lines, status
            lines.append(line.strip())
        raise AssertionError(f"the child ended early after {lines[-3:]}")

    def close(self):
        if self.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.worker, signal.SIGKILL)
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture
def child(tmp_path):
    started = _Child(tmp_path / "book.sqlite")
    yield started
    started.close()


def _present(store, token):
    """Whether what one reported command committed is in the store."""
    kind, *ids = token.split()
    try:
        if kind == "order":
            store.get(Order, ids[0])
        elif kind == "status":
            return any(
                e.kind == "StatusChanged" and e.data.get("target") == ids[1]
                for e in store.events(order_id=ids[0])
            )
        elif kind == "allocated":
            return any(e.kind == "Allocated" for e in store.events(order_id=ids[0]))
        elif kind == "shipped":
            return store.get(Shipment, ids[0]).order_id == ids[1]
        elif kind == "invoice":
            return store.get(Invoice, ids[0]).status.value == "issued"
        elif kind == "payment":
            store.get(Payment, ids[0])
        elif kind == "lot":
            store.get(Lot, ids[0])
        else:
            raise AssertionError(f"unknown token {token!r}")
    except NotFound:
        return False
    return True


def _integrity(path):
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def test_a_book_killed_at_random_moments_keeps_every_committed_command_and_no_partial_one(
    child, tmp_path
):
    path = tmp_path / "book.sqlite"
    rng = random.Random(8)
    reported = []
    for number in range(ROUNDS):
        # Round 0 is often killed while the file is being created, the others mid-stream.
        delay = rng.uniform(0, LONGEST_ROUND)
        lines, status = child.round(number, rng.randrange(2**32), delay)
        errors = [line for line in lines if line.startswith("error")]
        assert not errors, errors
        assert os.WIFSIGNALED(status), f"round {number}: the worker was not killed: {status}"
        assert os.WTERMSIG(status) == signal.SIGKILL
        committed = [line.removeprefix("committed ") for line in lines if "committed" in line]
        reported.extend(committed)
        if not path.exists():
            continue  # killed before SQLite created the file: nothing was committed
        assert _integrity(path) == [("ok",)]
        with SQLiteStore(path) as store:
            lost = [token for token in committed if not _present(store, token)]
            assert lost == [], f"round {number}: committed but lost"
            if number % FULL_CHECK_EVERY == FULL_CHECK_EVERY - 1 or number == ROUNDS - 1:
                assert check_book(store) == ()
    with SQLiteStore(path) as store:
        assert [t for t in reported if not _present(store, t)] == []
        orders = len(store.records(Order))
    assert orders >= ROUNDS // 2  # the rounds were long enough to commit real work
    print(f"\ncrash safety: {ROUNDS} SIGKILL rounds, {len(reported)} commands reported")
