"""The stores the contract suite runs on, and the records it stores.

Every test in this folder takes a ``store`` (and, to read back what a fresh process would see,
``reopen``); only the fixtures below name the stores, so a new store joins by being added to
``STORES``.

PostgresStore runs on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skips where it is unset. Each test run gets a schema of its
own, emptied before every test and dropped at the end of the run.
"""

import os
import uuid

import pytest

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
