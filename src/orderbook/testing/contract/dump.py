# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""dump(): every record and event in one canonical, comparable form."""

import datetime as dt

import attrs

from orderbook import Lot, Money, Product
from orderbook.store import RECORD_KINDS
from orderbook.testing.contract._records import records_fixture  # noqa: F401 - a fixture


def test_an_empty_store_dumps_every_kind_with_no_rows(store):
    assert store.dump() == dict.fromkeys([*RECORD_KINDS, "event"], ())


def test_a_dump_lists_plain_rows_sorted_by_id_with_exact_text_for_numbers(store):
    store.put(Lot(id="lot-b", sku="TEA", quantity="5.50", unit_cost=Money("1E+1", "EUR")))
    store.put(Lot(id="lot-a", sku="TEA", quantity="0", expires_on=dt.date(2028, 2, 29)))
    at = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
    store.append_event("LotAdded", at=at, data={"lots": ["lot-a", "lot-b"]})
    dump = store.dump()
    common = {
        "sku": "TEA",
        "source": "on_hand",
        "source_status": None,
        "source_ref": None,
        "available_on": None,
        "ships_on": None,
        "vintage": None,
        "location": None,
        "version": 1,
    }
    assert dump["lot"] == (
        common | {"id": "lot-a", "quantity": "0", "expires_on": "2028-02-29", "unit_cost": None},
        common
        | {
            "id": "lot-b",
            "quantity": "5.50",
            "expires_on": None,
            "unit_cost": {"amount": "1E+1", "currency": "EUR"},
        },
    )
    assert dump["event"] == (
        {
            "sequence": 1,
            "kind": "LotAdded",
            "order_id": None,
            "at": "2027-01-04T09:00:00+00:00",
            "data": {"lots": ["lot-a", "lot-b"]},
        },
    )


def test_dumps_of_the_same_history_are_equal_and_any_change_shows(store, reopen, records):
    for record in records:
        store.put(record)
    first = store.dump()
    assert reopen().dump() == first
    again = reopen()
    product = again.get(Product, "MANGROVE-A")
    again.put(attrs.evolve(product, list_price=Money("18.500", "EUR")))
    changed = again.dump()
    assert changed != first
    assert [name for name in first if first[name] != changed[name]] == ["product"]


def test_a_dump_reads_the_same_in_every_store(store, records):
    from orderbook.store import MemoryStore

    reference = MemoryStore()
    for record in records:
        store.put(record)
        reference.put(record)
    at = dt.datetime(2027, 1, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    for target in (store, reference):
        target.append_event("OrderPlaced", at=at, order_id="o1", data={"qty": "2.5"})
    assert store.dump() == reference.dump()
