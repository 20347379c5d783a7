"""What every test folder shares: the PostgreSQL schema of this test run.

PostgreSQL tests run on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skip, with the reason, where it is unset. The run gets one
schema of its own, emptied before each test that uses it and dropped when the run ends.
"""

import importlib.util
import os
import uuid
from pathlib import Path

import pytest

NO_POSTGRES = "ORDERBOOK_TEST_POSTGRES_DSN is not set: the PostgreSQL store needs a server to test"


class _PostgresSchema:
    """A schema of this test run's own on the test server."""

    def __init__(self, dsn):
        import psycopg
        from psycopg import sql

        from orderbook.store.postgres import PostgresStore

        self.dsn = dsn
        self.name = f"tests_{uuid.uuid4().hex}"
        PostgresStore(dsn, schema=self.name).close()  # creates the schema
        self.connection = psycopg.connect(dsn, autocommit=True)
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
    """The PostgreSQL schema of this test run (skips where no server is configured)."""
    dsn = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
    if not dsn:
        pytest.skip(NO_POSTGRES)
    schema = _PostgresSchema(dsn)
    yield schema
    schema.close()


@pytest.fixture
def schema():
    """A fresh PostgreSQL schema name of this test's own, dropped afterwards."""
    dsn = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
    if not dsn:
        pytest.skip(NO_POSTGRES)
    import psycopg
    from psycopg import sql

    name = f"test_{uuid.uuid4().hex}"
    yield name
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
        )


@pytest.fixture
def stores(schema):
    """Open PostgreSQL stores on one fresh schema, as separate processes would; all closed
    afterwards."""
    import contextlib

    from orderbook.store.postgres import PostgresStore

    dsn = os.environ["ORDERBOOK_TEST_POSTGRES_DSN"]
    with contextlib.ExitStack() as stack:

        def open_store(**options):
            return stack.enter_context(PostgresStore(dsn, schema=schema, **options))

        yield open_store


# -- e-invoices: the official rules, compiled once per session -----------------------------


def _einvoice_checks():
    """The helpers of tests/einvoice_checks.py (a module beside this one, not a test)."""
    spec = importlib.util.spec_from_file_location(
        "einvoice_checks", Path(__file__).with_name("einvoice_checks.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def einvoice_checks():
    """The module of e-invoice checks (tests/einvoice_checks.py)."""
    return _einvoice_checks()


@pytest.fixture(scope="session")
def official_rules(einvoice_checks):
    """The XSDs and EN 16931 / Order-X schematrons; each XSLT is compiled once a session."""
    return einvoice_checks.OfficialRules()


@pytest.fixture(scope="session")
def einvoice_seller():
    """A seller an e-invoice can name: postal address with its country, VAT id, IBAN."""
    from orderbook import Address, ElectronicAddress
    from orderbook.documents import Party

    return Party(
        name="Tea Traders SARL",
        billing_address=Address(
            street="12 quai Saint-Vincent", city="Lyon", postal_code="69001", country="FR"
        ),
        vat_id="FR32123456789",
        legal_id="123456789",
        electronic_address=ElectronicAddress(scheme="0009", identifier="12345678900017"),
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )


@pytest.fixture
def valid_einvoice(official_rules, einvoice_checks, einvoice_seller):
    """Check an invoice of a book end to end; return its semantic invoice.

    ``valid_einvoice(book, invoice_id)`` builds the semantic invoice with ``book.einvoice``,
    writes it as UBL 2.1 and as CII, and checks both against their XSD and the EN 16931
    schematron (no failed assertion that is an error). ``seller=`` gives another seller.
    """

    def check(book, invoice_id, seller=einvoice_seller):
        return einvoice_checks.check_invoice_of_book(official_rules, book, invoice_id, seller)

    return check
