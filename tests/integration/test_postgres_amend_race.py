"""On PostgreSQL, an amend and another command on the same order never both commit.

Two books on one schema, each with its own connection. One runs its command and holds its
transaction open while the other runs; the two always overlap. Whichever holds, the other
then finds the order claimed: its write waits, and once the first commits it fails with a
ConflictError (nothing of it is saved). Retried, a command on the amended revision is refused,
for the revision is read-only now. 50 pairs of each kind, half with the amend holding.
"""

import os
import threading
import time

import pytest

from orderbook import ConflictError, Customer, LockedError, Lot, Money, Order, OrderLine, Product
from orderbook.book import OrderBook
from orderbook.errors import OrderbookError
from orderbook.store.postgres import PostgresStore

DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
pytestmark = pytest.mark.skipif(
    not DSN, reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: this test needs a PostgreSQL server"
)

PAIRS = 50
HOLD = 0.05  # seconds the first command keeps its transaction open


def tea(quantity):
    return OrderLine(id="l1", sku="TEA", quantity=quantity, unit_price=Money("4.00", "EUR"))


OTHERS = {
    "cancel": lambda book, order_id: book.cancel(order_id),
    "pay": lambda book, order_id: book.record_payment(
        Money("1.00", "EUR"), order_id=order_id, line_id="l1"
    ),
    "reopen": lambda book, order_id: book.transition(order_id, "draft"),
    "allocate": lambda book, order_id: book.allocate(order_id),
}


@pytest.fixture
def books(postgres_schema):
    postgres_schema.empty()
    stores = [PostgresStore(postgres_schema.dsn, schema=postgres_schema.name) for _ in range(2)]
    first, second = (OrderBook(store) for store in stores)
    first.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    first.save_product(Product(sku="TEA"))
    first.save_lot(Lot(id="shelf", sku="TEA", quantity=10_000))
    yield first, second
    for store in stores:
        store.close()


def _race(holder, holding, other, running):
    """Run ``holding`` on ``holder`` inside a transaction kept open while ``running`` runs on
    ``other``; return each one's outcome (None when it committed, else the error)."""
    outcome = {}

    def run():
        try:
            running(other)
        except OrderbookError as error:
            outcome["running"] = error
        else:
            outcome["running"] = None

    try:
        with holder.batch():
            holding(holder)
            thread = threading.Thread(target=run)
            thread.start()
            time.sleep(HOLD)
    except OrderbookError as error:
        outcome["holding"] = error
    else:
        outcome["holding"] = None
    thread.join()
    return outcome["holding"], outcome["running"]


@pytest.mark.parametrize("kind", list(OTHERS))
def test_an_amend_and_another_command_on_the_same_order_never_both_commit(books, kind):
    first, second = books
    for n in range(PAIRS):
        order = first.place_order("acme", [tea(5)], order_id=f"{kind}-{n}")
        first.transition(order.id, "confirmed")

        def amend(book, order_id=order.id):
            book.amend(order_id, [tea(6)])

        def command(book, order_id=order.id):
            OTHERS[kind](book, order_id)

        amend_holds = n % 2 == 0
        if amend_holds:
            amended, other = _race(first, amend, second, command)
        else:
            other, amended = _race(second, command, first, amend)
        committed = [error is None for error in (amended, other)]
        assert committed.count(True) == 1, (kind, n, amended, other)
        failed = other if amended is None else amended
        assert isinstance(failed, ConflictError), (kind, n, failed)
        if amended is None:
            # The other command failed on the claim; retried, it meets a read-only revision.
            with pytest.raises(LockedError, match="superseded"):
                command(second)
            live = second.get(Order, f"{order.id}~r2")
            assert live.lines[0].quantity == 6
