"""The stores the contract suite runs on, and the records it stores.

Every test in this folder takes a ``store`` (and, to read back what a fresh process would see,
``reopen``); only the fixtures below name the stores, so a new store joins by being added to
``STORES``.

PostgresStore runs on the server named by the environment variable
``ORDERBOOK_TEST_POSTGRES_DSN`` and skips where it is unset. Each test run gets a schema of its
own, emptied before every test and dropped at the end of the run.
"""

import pytest

from orderbook.store import MemoryStore, SQLiteStore

STORES = ["memory", "sqlite", "postgres"]


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

            self.current = PostgresStore(self.schema.dsn, schema=self.schema.name)
        else:
            self.current = SQLiteStore(self.path)
        self.opened.append(self.current)
        return self.current

    def close_all(self):
        for store in self.opened:
            store.close()


@pytest.fixture(params=STORES)
def opener(request, tmp_path):
    opener = _Opener(request.param, tmp_path)
    if request.param == "postgres":
        opener.schema = request.getfixturevalue("postgres_schema")  # skips without a server
        opener.schema.empty()
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
