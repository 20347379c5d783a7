"""A worker of the concurrency tests: one of several processes writing one book at once.

Run as ``python _concurrency_worker.py DB WORKER COMMANDS SEED [SCHEMA]``: ``DB`` is an SQLite
file, or, when ``SCHEMA`` is given, a PostgreSQL connection string and the book lives in that
schema. It applies ``COMMANDS``
commands chosen at random (place, confirm, allocate one order or all, fulfil by hand, ship,
ship beyond the allocation from a named lot, invoice, pay, cancel), each through
:func:`orderbook.retry.retry` for ConflictError, and prints one JSON line: how many committed,
how many were refused and with which error (type and field), and any unexpected exception.
"""

import json
import random
import sys
import traceback

from orderbook import Money, OrderLine, ShipmentItem
from orderbook.book import OrderBook
from orderbook.commands import (
    Allocate,
    Cancel,
    ChangeStatus,
    FulfilManually,
    InvoiceOrder,
    PlaceOrder,
    RecordPayment,
    Ship,
)
from orderbook.errors import ConflictError, OrderbookError
from orderbook.model import Invoice, Order
from orderbook.retry import Backoff, retry
from orderbook.store import SQLiteStore

SKUS = ("TEA", "MUG")


def _open(path, schema):
    """The worker's own store: SQLite, or PostgreSQL when a schema is named."""
    if schema is None:
        return SQLiteStore(path, synchronous="normal", busy_timeout=0.05)
    from orderbook.store.postgres import PostgresStore

    return PostgresStore(path, schema=schema, lock_timeout=0.5)


class Worker:
    def __init__(self, path, name, rng, schema=None):
        self.book = OrderBook(_open(path, schema))
        self.name = name
        self.rng = rng
        self.placed = 0
        self.conflicts_retried = 0

    # -- what to do next: read outside the command, so it may be stale by the time it runs --

    def orders(self, *statuses):
        found = [o for o in self.book.store.records(Order) if o.status in statuses]
        return sorted(found, key=lambda o: o.id)

    def pick(self, *statuses):
        found = self.orders(*statuses)
        return self.rng.choice(found) if found else None

    def next_command(self):
        roll = self.rng.random()
        store = self.book.store
        if roll < 0.15:
            self.placed += 1
            lines = [
                OrderLine(id=f"l{n}", sku=sku, quantity=self.rng.randint(1, 6),
                          unit_price=Money("2.50", "EUR"))
                for n, sku in enumerate(self.rng.sample(SKUS, self.rng.randint(1, 2)))
            ]  # fmt: skip
            order_id = f"{self.name}-o{self.placed}"
            return PlaceOrder(customer_id="acme", order_id=order_id, lines=lines)
        if roll < 0.30 and (order := self.pick("draft")):
            return ChangeStatus(order_id=order.id, to="confirmed")
        if roll < 0.45 and (order := self.pick("confirmed", "partially_shipped")):
            return Allocate(order_id=order.id)
        if roll < 0.48:
            return Allocate()  # every open order, by priority: contends with everyone
        if roll < 0.55 and (order := self.pick("confirmed", "partially_shipped")):
            line = self.rng.choice(order.lines)
            lots = store.lots_by_sku(line.sku)
            lot = self.rng.choice(sorted(lots, key=lambda x: x.id))
            return FulfilManually(order_id=order.id, line_id=line.id,
                                  lots={lot.id: self.rng.randint(1, 3)})  # fmt: skip
        if roll < 0.75 and (order := self.pick("confirmed", "partially_shipped")):
            held = {}
            for allocation in store.allocations_by_order(order.id):
                held[allocation.line_id] = held.get(allocation.line_id, 0) + allocation.quantity
            if held and self.rng.random() < 0.7:
                return Ship(order_id=order.id, items=held)
            line = self.rng.choice(order.lines)  # beyond the allocation, from a named lot
            lot_id = self.rng.choice(sorted(lot.id for lot in store.lots_by_sku(line.sku)))
            item = ShipmentItem(line_id=line.id, quantity=line.quantity, lot_id=lot_id)
            return Ship(order_id=order.id, items=[item])
        if roll < 0.85 and (order := self.pick("partially_shipped", "shipped")):
            return InvoiceOrder(order_id=order.id, quantities="shipped", issue=True)
        if roll < 0.95:
            invoices = sorted(
                (i for i in store.records(Invoice) if i.status.value == "issued"),
                key=lambda i: i.id,
            )
            if invoices:
                return RecordPayment(amount=Money("1.00", "EUR"),
                                     invoice_id=self.rng.choice(invoices).id)  # fmt: skip
        if order := self.pick("draft", "confirmed"):
            return Cancel(order_id=order.id, reason="changed their mind")
        return Allocate()

    def run(self, command):
        def attempt():
            try:
                return self.book.execute(command)
            except ConflictError:
                self.conflicts_retried += 1
                raise

        return retry(attempt, attempts=8, backoff=Backoff(base=0.01, cap=0.2), random=self.rng)


def _field(error):
    field = error.details.get("field") if isinstance(error, OrderbookError) else None
    return f"{type(error).__name__}:{field}" if field else type(error).__name__


def main():
    path, name, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    schema = sys.argv[5] if len(sys.argv) > 5 else None
    worker = Worker(path, name, random.Random(seed), schema)
    report = {"committed": 0, "refused": {}, "unexpected": [], "kinds": {}}
    for _ in range(count):
        try:
            command = worker.next_command()
        except OrderbookError as error:  # a read failed: the database was busy
            report["refused"]["read:" + _field(error)] = (
                report["refused"].get("read:" + _field(error), 0) + 1
            )
            continue
        kind = type(command).__name__
        report["kinds"][kind] = report["kinds"].get(kind, 0) + 1
        try:
            worker.run(command)
        except OrderbookError as error:
            key = f"{kind}->{_field(error)}"
            report["refused"][key] = report["refused"].get(key, 0) + 1
        except Exception:
            report["unexpected"].append(f"{command!r}\n{traceback.format_exc()}")
        else:
            report["committed"] += 1
    report["conflicts_retried"] = worker.conflicts_retried
    worker.book.close()
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
