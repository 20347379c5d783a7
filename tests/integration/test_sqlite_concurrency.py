"""Two SQLiteStores on one file: stale writes and busy writers become ConflictError."""

import contextlib

import attrs
import pytest

from orderbook import ConflictError, Lot
from orderbook.store import SQLiteStore


@pytest.fixture
def two(tmp_path):
    """Two stores on the same file, as two processes would open it."""
    path = tmp_path / "shared.sqlite"
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(SQLiteStore(path))
        second = stack.enter_context(SQLiteStore(path, busy_timeout=0))
        yield first, second


def test_a_stale_write_from_another_connection_raises_conflict_and_nothing_is_lost(two):
    first, second = two
    first.put(Lot(id="lot-1", sku="TEA", quantity=10))
    seen_by_second = second.get(Lot, "lot-1")
    newer = first.put(attrs.evolve(first.get(Lot, "lot-1"), quantity=9))
    with pytest.raises(ConflictError) as caught:
        second.put(attrs.evolve(seen_by_second, quantity=1))
    assert (caught.value.expected_version, caught.value.actual_version) == (1, 2)
    assert second.get(Lot, "lot-1") == newer
    assert first.dump() == second.dump()


def test_two_writers_cannot_both_take_the_last_units_of_a_lot(two, take):
    first, second = two
    first.put(Lot(id="lot-1", sku="TEA", quantity=5))
    lot_a, lot_b = first.get(Lot, "lot-1"), second.get(Lot, "lot-1")
    take(first, lot_a, 5, "a1")
    with pytest.raises(ConflictError):
        take(second, lot_b, 5, "a2")
    assert [a.id for a in second.allocations_by_lot("lot-1")] == ["a1"]
    # Reloading and retrying sees the lot taken, with its new version.
    assert second.get(Lot, "lot-1").version == 2


def test_a_writer_that_finds_the_database_locked_gets_a_retryable_conflict(two):
    first, second = two
    with first.transaction():
        first.put(Lot(id="lot-1", sku="TEA", quantity=5))
        with pytest.raises(ConflictError) as caught:
            second.put(Lot(id="lot-2", sku="TEA", quantity=5))
        assert caught.value.kind == "database"
        assert "locked" in caught.value.reason
        # Readers are not blocked by the writer, and do not see its uncommitted work.
        assert second.records(Lot) == ()
    retried = second.put(Lot(id="lot-2", sku="TEA", quantity=5))
    assert [lot.id for lot in first.records(Lot)] == ["lot-1", "lot-2"]
    assert retried.version == 1


def test_a_writer_waits_for_the_other_within_its_busy_timeout(tmp_path):
    path = tmp_path / "shared.sqlite"
    with SQLiteStore(path) as first, SQLiteStore(path, busy_timeout=0.05) as second:
        with first.transaction():
            first.put(Lot(id="lot-1", sku="TEA", quantity=5))
            with pytest.raises(ConflictError):
                second.append_event("Happened", at=_at())
        assert second.append_event("Happened", at=_at()).sequence == 1


def _at():
    import datetime as dt

    return dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
