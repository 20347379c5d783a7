"""``Store`` is the union of small protocols, and checks at run time as it did before."""

import inspect

import pytest

from orderbook.book._cache import CachedStore
from orderbook.store import (
    EventLog,
    MemoryStore,
    QueryStore,
    RecordStore,
    SettingStore,
    SQLiteStore,
    Store,
    Transactional,
)

SMALL = (RecordStore, QueryStore, EventLog, SettingStore, Transactional)


def methods(protocol):
    return {
        name
        for name, value in vars(protocol).items()
        if inspect.isfunction(value) and not name.startswith("_")
    }


def test_the_small_protocols_split_the_store_without_overlap_and_with_nothing_left_out():
    parts = [methods(p) for p in SMALL]
    assert sum(map(len, parts)) == len(set().union(*parts))
    assert set().union(*parts) | methods(Store) == {
        name for name in dir(Store) if not name.startswith("_")
    }
    assert methods(Store) == {"dump", "close"}
    assert methods(RecordStore) == {"get", "records", "put", "delete"}
    assert methods(EventLog) == {"append_event", "events"}
    assert methods(SettingStore) == {"setting", "put_setting"}
    assert methods(Transactional) == {"transaction"}
    assert all(name.startswith(("orders_", "quotes_", "lots_", "allocations_", "shipments_",
                                "forfeits_", "invoices_", "payments_", "purchase_orders_"))
               for name in methods(QueryStore))  # fmt: skip
    assert len(methods(QueryStore)) == 16


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_every_store_is_each_small_protocol_and_a_store(kind, tmp_path):
    store = MemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "book.sqlite")
    try:
        assert all(isinstance(store, protocol) for protocol in (*SMALL, Store))
        assert isinstance(CachedStore(store), Store)
    finally:
        store.close()


def stub(names):
    return type("Stub", (), {name: lambda self, *a, **k: None for name in names})()


@pytest.mark.parametrize("missing", sorted(set().union(*map(methods, (*SMALL, Store)))))
def test_an_object_lacking_any_one_method_is_no_store(missing):
    every = set().union(*map(methods, (*SMALL, Store)))
    assert isinstance(stub(every), Store)
    lacking = stub(every - {missing})
    assert not isinstance(lacking, Store)
    for protocol in SMALL:
        assert isinstance(lacking, protocol) == (missing not in methods(protocol))
