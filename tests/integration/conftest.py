"""Books for the integration tests: on each store, with a fixed clock and predictable ids.

``book`` is a book with the standard workflow on each store; ``make_book`` builds one with
another workflow on the same store. ``refused`` runs a command that must be refused and checks
that the store did not change at all.

PostgresStore runs on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skips where it is unset. The test run gets one schema of its
own, emptied before every test and dropped at the end of the run.
"""

import datetime as dt

import pytest

from orderbook import (
    Address,
    Allocation,
    Customer,
    Lot,
    Money,
    OrderLine,
    Product,
    SequentialIds,
    presets,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.store import MemoryStore, SQLiteStore

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request, tmp_path):
    """Each store in turn: PostgreSQL only where ORDERBOOK_TEST_POSTGRES_DSN is set."""
    if request.param == "memory":
        yield MemoryStore()
        return
    if request.param == "postgres":
        from orderbook.store.postgres import PostgresStore

        schema = request.getfixturevalue("postgres_schema")  # skips without a server
        schema.empty()
        with PostgresStore(schema.dsn, schema=schema.name) as opened:
            yield opened
        return
    with SQLiteStore(tmp_path / "book.sqlite") as opened:
        yield opened


@pytest.fixture
def clock():
    """A clock standing at 2027-03-01 09:00 UTC until moved."""
    return FixedClock(START)


@pytest.fixture
def make_book(store, clock):
    """Build a book on the store, with the fixed clock, predictable ids and a workflow."""

    def make(workflow=None, **options):
        return OrderBook(
            store,
            workflow=workflow or presets.standard(),
            clock=clock,
            id_factory=SequentialIds("id"),
            **options,
        )

    return make


@pytest.fixture
def book(make_book):
    """A standard book with two customers, three products and some lots."""
    return stock(make_book())


def stock(book):
    """Give a book customers, products and lots: the shared starting point."""
    book.save_customer(
        Customer(
            id="acme",
            name="AcmeCorp",
            currency="EUR",
            billing_address=Address(name="AcmeCorp", city="Leith"),
            shipping_address=Address(name="AcmeCorp dock", city="Leith"),
        )
    )
    book.save_customer(Customer(id="globex", name="Globex", currency="EUR"))
    for sku in ("TEA", "MUG", "POT"):
        book.save_product(Product(sku=sku, name=sku.title()))
    book.save_lot(Lot(id="tea-shelf", sku="TEA", quantity=10))
    book.save_lot(Lot(id="mug-shelf", sku="MUG", quantity=5))
    book.save_lot(
        Lot(
            id="tea-po",
            sku="TEA",
            quantity=20,
            source="purchase",
            available_on=dt.date(2027, 4, 1),
        )
    )
    return book


@pytest.fixture
def stocked():
    """The function that stocks a book (for books built with make_book)."""
    return stock


def line(line_id, sku, quantity, price="5.00", **fields):
    """An order line in EUR."""
    return OrderLine(
        id=line_id, sku=sku, quantity=quantity, unit_price=Money(price, "EUR"), **fields
    )


@pytest.fixture
def make_line():
    """The function that builds an order line in EUR."""
    return line


@pytest.fixture
def refused():
    """Execute a command that must be refused; check the store is exactly as it was."""

    def check(book, command, error):
        before = book.store.dump()
        with pytest.raises(error) as caught:
            book.execute(command)
        assert book.store.dump() == before
        return caught.value

    return check


# The refusals a worker's command may meet, by command and error (with its field): each is
# explained by the command's input read before another worker moved the book on.
EXPLAINED = {
    "ConflictError",  # still busy after every retry
    "InsufficientStock",  # shipping beyond the allocation from a lot that has too little
    "OverAllocation",  # fulfilling by hand from a lot that has too little left
    "InvalidTransition",  # the order moved on (confirmed, cancelled, shipped) meanwhile
    "LockedError",  # the order is no longer editable
    "ValidationError:quantities",  # nothing open to invoice or too much to ship
    "ValidationError:amount",  # a payment above what is still due
    "ValidationError:order_id",  # the order's status no longer allows the command
    "ValidationError:invoice_id",  # the invoice is no longer issued
    "ValidationError:line_id",  # nothing open on the line any more
}


def _explained(key):
    """Whether a refusal (``Command->Error[:field]``) is one a racing worker may meet."""
    error = key.split("->", 1)[-1]
    if error.startswith("ValidationError:"):
        field = error.split(":", 1)[1]
        return error in EXPLAINED or field.startswith(("quantities[", "items", "lots["))
    return error in EXPLAINED


@pytest.fixture
def explained_refusal():
    """The check the concurrency tests apply to every refusal their workers report."""
    return _explained


@pytest.fixture
def take():
    """Claim units of a lot in a store: bump the lot's version and save the allocation,
    together, as a writer racing others for the lot does."""

    def claim(store, lot, quantity, allocation_id):
        with store.transaction():
            store.put(lot)
            store.put(
                Allocation(
                    id=allocation_id,
                    order_id=f"order-{allocation_id}",
                    line_id="l1",
                    lot_id=lot.id,
                    sku=lot.sku,
                    quantity=quantity,
                )
            )

    return claim
