"""What every test folder shares: the PostgreSQL schema of this test run.

PostgreSQL tests run on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skip, with the reason, where it is unset. The run gets one
schema of its own, emptied before each test that uses it and dropped when the run ends.
"""

import os
import uuid

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
