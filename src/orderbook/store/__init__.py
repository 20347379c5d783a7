"""Storage: the :class:`Store` protocol, :class:`MemoryStore`, :class:`SQLiteStore` and more.

``PostgresStore`` lives in :mod:`orderbook.store.postgres` and needs the ``postgres`` extra
(psycopg 3). ``orderbook.store.PostgresStore`` imports it on first use, so importing
``orderbook.store`` never needs psycopg.

Every store keeps records of each kind under their ids with optimistic concurrency (a save
over a stale version raises :class:`~orderbook.errors.ConflictError`), answers the queries the
book needs, keeps an append-only event log, and runs a unit of work in :meth:`Store.transaction`.

>>> from orderbook import Lot
>>> from orderbook.store import MemoryStore
>>> store = MemoryStore()
>>> lot = store.put(Lot(id="issued-2021", sku="MANGROVE-A", quantity="5000"))
>>> [saved.id for saved in store.lots_by_sku("MANGROVE-A")]
['issued-2021']
"""

from typing import TYPE_CHECKING

from orderbook.store._base import Criteria, EventJson, StoreBase, event_json
from orderbook.store._rows import Scan
from orderbook.store._text import record_json
from orderbook.store.codec import JsonValue, Row
from orderbook.store.events import StoredEvent
from orderbook.store.memory import MemoryStore
from orderbook.store.protocol import (
    RECORD_KINDS,
    Dump,
    EventLog,
    QueryStore,
    R,
    Record,
    RecordStore,
    SettingStore,
    Store,
    Transactional,
    kind_of,
)
from orderbook.store.schema import APPLICATION_ID, MIGRATIONS, Migration
from orderbook.store.sqlite import SQLiteStore, Synchronous

__all__ = [
    # the protocol, and the small ones it joins
    "Store",
    "RecordStore",
    "QueryStore",
    "EventLog",
    "SettingStore",
    "Transactional",
    "Record",
    "RECORD_KINDS",
    "R",
    "kind_of",
    "Dump",
    "Row",
    "JsonValue",
    "StoredEvent",
    "Scan",
    "record_json",
    "event_json",
    "EventJson",
    # the stores
    "StoreBase",
    "Criteria",
    "MemoryStore",
    "SQLiteStore",
    "Synchronous",
    # the SQLite schema
    "APPLICATION_ID",
    "MIGRATIONS",
    "Migration",
]

if TYPE_CHECKING:  # mypy checks that every store keeps the whole protocol
    from orderbook.store.postgres import PostgresStore

    _memory: Store = MemoryStore()
    _sqlite: Store = SQLiteStore("book.sqlite")
    _postgres: Store = PostgresStore("postgresql:///book")


def __getattr__(name: str) -> object:
    """Import ``PostgresStore`` on first use: only it needs psycopg."""
    if name == "PostgresStore":
        from orderbook.store.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "PostgresStore"])
