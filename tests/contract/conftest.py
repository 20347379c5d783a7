"""The stores the contract suite runs on, and the records it stores.

Every test in this folder takes a ``store`` (and, to read back what a fresh process would see,
``reopen``); only the fixtures below name the stores, so a new store joins by being added to
``STORES``.

PostgresStore runs on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skips where it is unset. Each test run gets a schema of its
own, emptied before every test and dropped at the end of the run.
"""

import datetime as dt
import os
import uuid

import pytest

from orderbook import (
    Address,
    Allocation,
    Attachment,
    Customer,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    Money,
    Order,
    OrderLine,
    Payment,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    RecurringPlan,
    Shipment,
    ShipmentItem,
)
from orderbook.store import MemoryStore, SQLiteStore

STORES = ["memory", "sqlite", "postgres"]

POSTGRES_DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
NO_POSTGRES = "ORDERBOOK_TEST_POSTGRES_DSN is not set: the PostgreSQL store needs a server to test"


class _PostgresSchema:
    """A schema of this test run's own on the test server, emptied before each test."""

    def __init__(self):
        import psycopg
        from psycopg import sql

        from orderbook.store.postgres import PostgresStore

        self.name = f"contract_{uuid.uuid4().hex}"
        PostgresStore(POSTGRES_DSN, schema=self.name).close()  # creates the schema
        self.connection = psycopg.connect(POSTGRES_DSN, autocommit=True)
        tables = self.connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s"
            " AND tablename <> 'schema_version' ORDER BY tablename",
            (self.name,),
        ).fetchall()
        schema = sql.Identifier(self.name)
        self.empty_all = sql.SQL("; ").join(
            sql.SQL("DELETE FROM {}.{}").format(schema, sql.Identifier(table))
            for (table,) in tables
        )
        self.drop = sql.SQL("DROP SCHEMA {} CASCADE").format(schema)

    def empty(self):
        """Delete every row of the book (much quicker than a new schema for each test)."""
        self.connection.execute(self.empty_all)

    def close(self):
        self.connection.execute(self.drop)
        self.connection.close()


@pytest.fixture(scope="session")
def postgres_schema():
    """The PostgreSQL schema of this test run, dropped when the run ends."""
    schema = _PostgresSchema()
    yield schema
    schema.close()


class _Opener:
    """Opens one store's data again, and closes every store it opened."""

    def __init__(self, name, tmp_path):
        self.name = name
        self.path = tmp_path / "contract.sqlite"
        self.schema = None
        self.opened = []
        self.current = None

    def open(self):
        if self.name == "memory":
            if self.current is None:
                self.current = MemoryStore()
                self.opened.append(self.current)
            return self.current  # memory has no other copy to reopen
        if self.current is not None:
            self.current.close()
        if self.name == "postgres":
            from orderbook.store.postgres import PostgresStore

            self.current = PostgresStore(POSTGRES_DSN, schema=self.schema)
        else:
            self.current = SQLiteStore(self.path)
        self.opened.append(self.current)
        return self.current

    def close_all(self):
        for store in self.opened:
            store.close()


@pytest.fixture(params=STORES)
def opener(request, tmp_path):
    if request.param == "postgres" and not POSTGRES_DSN:
        pytest.skip(NO_POSTGRES)
    opener = _Opener(request.param, tmp_path)
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres_schema")
        schema.empty()
        opener.schema = schema.name
    yield opener
    opener.close_all()


@pytest.fixture
def store(opener):
    """A new, empty store of each kind."""
    return opener.open()


@pytest.fixture
def reopen(opener, store):
    """Return a fresh store on the same data (the same store for MemoryStore)."""
    return opener.open


EUR = "EUR"
UTC = dt.UTC
PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


def full_records():
    """One record of every kind, with every optional field filled."""
    address = Address(name="AcmeCorp", street="1 Quay Road", city="Leith", country="GB")
    line = OrderLine(
        id="l1",
        sku="MANGROVE-A",
        quantity="500.250",
        unit_price=Money("18.5000", EUR),
        discount="0.05",
        tax_rate="0.2",
        due_on=dt.date(2027, 6, 30),
        description="First delivery",
        recurring=True,
    )
    return [
        Customer(
            id="acme",
            name="AcmeCorp",
            currency=EUR,
            billing_address=address,
            shipping_address=address,
            email="buyer@acme.test",
            tax_region="GB",
            auto_accept_limit=Money("1E+4", EUR),
        ),
        Product(
            sku="MANGROVE-A",
            name="Mangrove restoration",
            unit="tCO2e",
            kind="credit",
            tax_rate="0.20",
            tax_category="standard",
            supplier="Blue Coast",
            list_price=Money("18.50", EUR),
        ),
        Lot(
            id="issued-2021",
            sku="MANGROVE-A",
            quantity="5000.000",
            source="purchase",
            source_status="confirmed",
            source_ref="PO-7",
            available_on=dt.date(2027, 2, 1),
            ships_on=dt.date(2027, 1, 20),
            expires_on=dt.date(2031, 12, 31),
            vintage=2021,
            unit_cost=Money("7.125", EUR),
            location="Registry A",
        ),
        Order(
            id="o1",
            customer_id="acme",
            currency=EUR,
            lines=[line, OrderLine(id="l2", sku="TEA", quantity=1, unit_price=Money("-0", EUR))],
            number="SO-1",
            subject="Credits",
            contact="Ann",
            assigned_to="Bo",
            reference="PO-99",
            terms="30 days",
            billing_address=address,
            shipping_address=Address(city="Paris"),
            delivery_method="retirement",
            beneficiary="Acme Foundation",
            priority=-3,
            placed_at=dt.datetime(2027, 1, 4, 9, 30, 15, 250, tzinfo=PARIS_SUMMER),
            promised_on=dt.date(2027, 7, 1),
            expires_on=dt.date(2027, 1, 31),
            status="confirmed",
            revision=2,
            supersedes="o0",
            quote_id="q1",
            contract_id="c1",
            finalized_at=dt.datetime(2027, 1, 5, tzinfo=UTC),
            recurrence=RecurringPlan(
                start=dt.date(2027, 1, 31), frequency="monthly", interval=2, count=12
            ),
            attachments=[Attachment(name="contract.pdf", uri="s3://docs/c1.pdf")],
        ),
        Quote(
            id="q1",
            customer_id="acme",
            currency=EUR,
            lines=[line],
            number="Q-1",
            subject="Offer",
            contact="Ann",
            valid_until=dt.date(2027, 1, 15),
            status="accepted",
        ),
        Allocation(
            id="a1",
            order_id="o1",
            line_id="l1",
            lot_id="issued-2021",
            sku="MANGROVE-A",
            quantity="250.125",
            manual=True,
            at=dt.datetime(2027, 1, 4, 10, tzinfo=UTC),
        ),
        Shipment(
            id="s1",
            order_id="o1",
            items=[ShipmentItem(line_id="l1", quantity="100", lot_id="issued-2021")],
            shipped_on=dt.date(2027, 2, 2),
            kind="return",
            number="DN-1",
            reference="track-1",
            cancelled=True,
        ),
        Forfeit(
            id="f1",
            order_id="o1",
            line_id="l2",
            quantity="0.5",
            forfeited_on=dt.date(2027, 3, 1),
            reason="season over",
        ),
        Invoice(
            id="i1",
            customer_id="acme",
            currency=EUR,
            lines=[
                InvoiceLine(
                    id="il1",
                    quantity="100",
                    unit_price=Money("18.5000", EUR),
                    discount="0.05",
                    tax_rate="0.2",
                    description="Credits",
                    sku="MANGROVE-A",
                    order_line_id="l1",
                )
            ],
            order_id="o1",
            kind="credit_note",
            status="issued",
            number="INV-1",
            subject="January",
            issued_on=dt.date(2027, 2, 3),
            due_on=dt.date(2027, 3, 5),
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 1, 31),
            corrects="i0",
        ),
        Payment(
            id="p1",
            amount=Money("1757.50", EUR),
            received_on=dt.date(2027, 3, 1),
            invoice_id="i1",
            order_id="o1",
            line_id="l1",
            method="transfer",
            reference="bank-1",
        ),
        PurchaseOrder(
            id="po1",
            supplier="Blue Coast",
            currency=EUR,
            lines=[
                PurchaseOrderLine(
                    id="pol1",
                    sku="MANGROVE-A",
                    quantity="40",
                    unit_cost=Money("7.125", EUR),
                    order_line_id="l1",
                )
            ],
            order_id="o1",
            number="PO-7",
            status="in_progress",
            expected_on=dt.date(2027, 2, 1),
        ),
    ]


@pytest.fixture
def records():
    """One fully filled record of every kind, never saved."""
    return full_records()
