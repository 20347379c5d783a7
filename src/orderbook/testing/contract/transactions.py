# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""The unit of work: everything inside transaction() commits together or not at all."""

import datetime as dt

import attrs
import pytest

from orderbook import Allocation, ConflictError, Customer, Lot, NotFound

AT = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)


class Boom(Exception):
    pass


def seed(store):
    lot = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    store.append_event("LotAdded", at=AT, data={"lot": "lot-1"})
    return lot


def allocate(store, lot, quantity="4", allocation_id="a1"):
    """What the book will do: claim the lot (its version rises) and save the allocation."""
    store.put(lot)
    store.put(
        Allocation(
            id=allocation_id,
            order_id="o1",
            line_id="l1",
            lot_id=lot.id,
            sku=lot.sku,
            quantity=quantity,
        )
    )
    store.append_event("LotAllocated", at=AT, order_id="o1", data={"quantity": quantity})


def in_transaction(store, work, *, fail=False):
    """Run ``work(store)`` in one transaction, then raise Boom if asked to."""
    with store.transaction():
        work(store)
        if fail:
            raise Boom


def test_changes_inside_a_transaction_commit_together(store, reopen):
    lot = seed(store)
    with store.transaction():
        allocate(store, lot)
    again = reopen()
    assert again.get(Lot, "lot-1").version == 2
    assert again.get(Allocation, "a1").version == 1
    assert [event.kind for event in again.events()] == ["LotAdded", "LotAllocated"]


def test_an_exception_inside_a_transaction_rolls_back_every_change(store, reopen):
    lot = seed(store)
    before = store.dump()

    def work(store):
        allocate(store, lot)
        store.delete(store.get(Lot, "lot-1"))
        store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))

    with pytest.raises(Boom):
        in_transaction(store, work, fail=True)
    assert store.dump() == before
    assert reopen().dump() == before


def test_a_conflict_inside_a_transaction_undoes_the_writes_before_it(store):
    lot = seed(store)
    store.put(lot)  # someone else claimed the lot: our copy is stale now
    before = store.dump()

    def work(store):
        store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        allocate(store, lot)

    with pytest.raises(ConflictError):
        in_transaction(store, work)
    assert store.dump() == before
    with pytest.raises(NotFound):
        store.get(Customer, "acme")


def test_a_transaction_sees_its_own_writes_before_it_commits(store):
    with store.transaction():
        saved = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
        assert store.get(Lot, "lot-1") == saved
        assert store.lots_by_sku("TEA") == (saved,)


def test_a_nested_transaction_joins_the_outer_one(store, reopen):
    lot = seed(store)
    before = store.dump()

    def work(store):
        in_transaction(store, lambda inner: allocate(inner, lot))
        assert store.get(Allocation, "a1").version == 1

    with pytest.raises(Boom):
        in_transaction(store, work, fail=True)
    assert store.dump() == before
    assert reopen().dump() == before


def test_a_failed_nested_transaction_undoes_only_its_own_changes(store, reopen):
    lot = seed(store)
    with store.transaction():
        lot = store.put(attrs.evolve(lot, quantity=12))
        with pytest.raises(Boom):
            in_transaction(store, lambda inner: allocate(inner, lot), fail=True)
        store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    again = reopen()
    assert again.get(Lot, "lot-1").quantity == 12
    assert again.get(Customer, "acme").version == 1
    assert again.records(Allocation) == ()
    assert [event.sequence for event in again.events()] == [1]


def test_the_store_is_usable_after_a_rolled_back_transaction(store):
    lot = seed(store)
    with pytest.raises(Boom):
        in_transaction(store, lambda inner: allocate(inner, lot), fail=True)
    with store.transaction():
        allocate(store, lot, quantity="10")
    assert store.get(Allocation, "a1").quantity == 10
    assert [event.sequence for event in store.events()] == [1, 2]
