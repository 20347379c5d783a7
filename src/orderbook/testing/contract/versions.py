# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""Optimistic concurrency: every save and delete names the version it was based on."""

import attrs
import pytest

from orderbook import (
    ConflictError,
    Customer,
    Lot,
    Money,
    NotFound,
    OrderbookError,
    Product,
    ValidationError,
)


def lot(**changes):
    return Lot(**({"id": "lot-1", "sku": "TEA", "quantity": "10"} | changes))


def test_a_new_record_is_saved_at_version_1_and_each_save_adds_one(store):
    first = store.put(lot())
    second = store.put(attrs.evolve(first, quantity=8))
    assert (first.version, second.version) == (1, 2)
    assert store.get(Lot, "lot-1") == second


def test_saving_over_a_stale_version_raises_conflict_and_keeps_the_newer_record(store):
    read_by_a = read_by_b = store.put(lot())
    store.put(attrs.evolve(read_by_a, quantity=7))
    before = store.dump()
    with pytest.raises(ConflictError) as caught:
        store.put(attrs.evolve(read_by_b, quantity=3))
    error = caught.value
    assert (error.kind, error.record_id) == ("lot", "lot-1")
    assert (error.expected_version, error.actual_version) == (1, 2)
    assert store.get(Lot, "lot-1").quantity == 7
    assert store.dump() == before


def test_inserting_a_new_record_under_a_stored_id_raises_conflict(store):
    store.put(lot())
    with pytest.raises(ConflictError) as caught:
        store.put(lot(quantity=1))
    assert (caught.value.expected_version, caught.value.actual_version) == (0, 1)
    assert store.get(Lot, "lot-1").quantity == 10


def test_saving_a_record_that_was_deleted_meanwhile_raises_conflict(store):
    saved = store.put(lot())
    store.delete(saved)
    with pytest.raises(ConflictError) as caught:
        store.put(attrs.evolve(saved, quantity=1))
    assert caught.value.actual_version is None
    assert store.records(Lot) == ()


def test_a_product_is_kept_under_its_sku(store):
    saved = store.put(Product(sku="TEA", list_price=Money("4.50", "EUR")))
    assert store.get(Product, "TEA") == saved
    with pytest.raises(ConflictError) as caught:
        store.put(Product(sku="TEA"))
    assert caught.value.record_id == "TEA"


def test_deleting_a_record_at_its_stored_version_removes_it(store):
    saved = store.put(lot())
    store.delete(saved)
    with pytest.raises(NotFound) as caught:
        store.get(Lot, "lot-1")
    assert (caught.value.kind, caught.value.record_id) == ("lot", "lot-1")


def test_deleting_over_a_stale_version_raises_conflict_and_keeps_the_record(store):
    saved = store.put(lot())
    newer = store.put(attrs.evolve(saved, quantity=2))
    with pytest.raises(ConflictError):
        store.delete(saved)
    assert store.get(Lot, "lot-1") == newer


def test_deleting_a_record_never_saved_raises_not_found(store):
    with pytest.raises(NotFound):
        store.delete(lot())


def test_getting_a_missing_record_raises_not_found_naming_kind_and_id(store):
    with pytest.raises(NotFound, match="no customer with id 'nobody'"):
        store.get(Customer, "nobody")


@pytest.mark.parametrize("bad", ["not a record", 3, None, Lot, Money("1", "EUR")])
def test_putting_something_that_is_not_a_record_raises_validation_error(store, bad):
    with pytest.raises(ValidationError) as caught:
        store.put(bad)
    assert caught.value.field in {"record", "kind"}
    assert all(not rows for rows in store.dump().values())


@pytest.mark.parametrize("bad", [str, int, Money, "lot"])
def test_asking_for_an_unknown_kind_raises_validation_error(store, bad):
    with pytest.raises(ValidationError):
        store.get(bad, "x")
    with pytest.raises(ValidationError):
        store.records(bad)


@pytest.mark.parametrize("bad", ["", "   ", 7, None])
def test_getting_with_a_bad_id_raises_validation_error(store, bad):
    with pytest.raises(ValidationError):
        store.get(Lot, bad)


def test_a_closed_store_refuses_to_be_used(store):
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(OrderbookError, match="closed"):
        store.put(lot())
    with pytest.raises(OrderbookError, match="closed"):
        store.records(Lot)
