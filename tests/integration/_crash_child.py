"""The child of the crash-safety test: applies book commands until it is killed.

Run as ``python _crash_child.py DB``. It imports orderbook once, then reads lines
``ROUND SEED`` from stdin; for each it forks a worker, prints ``pid PID`` and, once the worker
is dead, ``exit STATUS``. The worker opens the book on ``DB`` and applies a stream of commands
(place, confirm, allocate, ship, invoice, pay, restock). After each command's transaction has
returned it writes one line naming what that command committed, ``committed TOKEN``, with a
single unbuffered write. The parent kills the worker with SIGKILL at a random moment.

Tokens: ``order ID``, ``status ID CODE``, ``allocated ID``, ``shipped SHIPMENT_ID ORDER_ID``,
``invoice ID``, ``payment ID``, ``lot ID``.
"""

import os
import random
import sys
import time
from decimal import Decimal

from orderbook import Customer, Lot, Money, OrderLine, Product
from orderbook.book import OrderBook
from orderbook.commands import (
    Allocate,
    ChangeStatus,
    InvoiceOrder,
    PlaceOrder,
    RecordPayment,
    SaveCustomer,
    SaveLot,
    SaveProduct,
    Ship,
)
from orderbook.errors import OrderbookError
from orderbook.model import Invoice, Shipment
from orderbook.store import SQLiteStore

SKUS = ("TEA", "MUG", "POT")
LIMIT = 100_000
SAFETY_SECONDS = 60


def say(text):
    os.write(1, f"{text}\n".encode())


def setup(book):
    """Save the customer, products and first lots, unless an earlier worker did."""
    with book.batch():
        if not book.store.records(Customer):
            book.execute(SaveCustomer(Customer(id="acme", name="AcmeCorp", currency="EUR")))
            for sku in SKUS:
                book.execute(SaveProduct(Product(sku=sku)))
                book.execute(SaveLot(Lot(id=f"first-{sku}", sku=sku, quantity=40)))


def commands(book, prefix, rng):
    """Apply commands forever (until killed), yielding the token of each committed one."""
    for i in range(LIMIT):
        order_id = f"{prefix}-o{i}"
        lines = [
            OrderLine(id=f"l{n}", sku=sku, quantity=rng.randint(1, 4),
                      unit_price=Money(f"{rng.randint(1, 20)}.50", "EUR"))
            for n, sku in enumerate(rng.sample(SKUS, rng.randint(1, 3)))
        ]  # fmt: skip
        book.execute(PlaceOrder(customer_id="acme", order_id=order_id, lines=lines))
        yield f"order {order_id}"
        book.execute(ChangeStatus(order_id=order_id, to="confirmed"))
        yield f"status {order_id} confirmed"
        if book.execute(Allocate(order_id=order_id)).events:  # none when no stock was left
            yield f"allocated {order_id}"
        allocated = {}
        for allocation in book.store.allocations_by_order(order_id):
            allocated[allocation.line_id] = (
                allocated.get(allocation.line_id, Decimal(0)) + allocation.quantity
            )
        if allocated:
            outcome = book.execute(Ship(order_id=order_id, items=allocated))
            yield f"shipped {outcome.record(Shipment).id} {order_id}"
            # The invoice's id is read back from the outcome: see test_book_regressions.
            outcome = book.execute(
                InvoiceOrder(order_id=order_id, quantities="shipped", issue=True)
            )
            invoice_id = outcome.record(Invoice).id
            yield f"invoice {invoice_id}"
            payment_id = f"{prefix}-p{i}"
            book.execute(
                RecordPayment(amount=Money("1.00", "EUR"), invoice_id=invoice_id,
                              payment_id=payment_id)
            )  # fmt: skip
            yield f"payment {payment_id}"
        if i % 4 == 3:
            lot_id = f"{prefix}-lot{i}"
            book.execute(SaveLot(Lot(id=lot_id, sku=rng.choice(SKUS), quantity=10)))
            yield f"lot {lot_id}"


def work(path, prefix, seed):
    rng = random.Random(seed)
    store = SQLiteStore(path)
    book = OrderBook(store)
    setup(book)
    say("ready")
    deadline = time.monotonic() + SAFETY_SECONDS
    for token in commands(book, prefix, rng):
        say(f"committed {token}")
        if time.monotonic() > deadline:  # the parent is gone or stuck: never run forever
            break


def main():
    path = sys.argv[1]
    for line in sys.stdin:
        round_number, seed = line.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(path, f"r{round_number}", int(seed))
            except OrderbookError as error:
                say(f"error {type(error).__name__}: {error}")
                code = 3
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")


if __name__ == "__main__":
    main()
