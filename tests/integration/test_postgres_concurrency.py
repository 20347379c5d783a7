"""Several PostgresStores on one book: stale writes, row locks and races become ConflictError."""

import datetime as dt
import os
import threading

import attrs
import psycopg
import pytest

from orderbook import ConflictError, Lot, OrderbookError
from orderbook.store.postgres import PostgresStore

DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
pytestmark = pytest.mark.skipif(
    not DSN, reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: these tests need a PostgreSQL server"
)
AT = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)


def test_a_stale_write_from_another_connection_raises_conflict_and_nothing_is_lost(stores):
    first, second = stores(), stores()
    first.put(Lot(id="lot-1", sku="TEA", quantity=10))
    seen_by_second = second.get(Lot, "lot-1")
    newer = first.put(attrs.evolve(first.get(Lot, "lot-1"), quantity=9))
    with pytest.raises(ConflictError) as caught:
        second.put(attrs.evolve(seen_by_second, quantity=1))
    assert (caught.value.expected_version, caught.value.actual_version) == (1, 2)
    assert second.get(Lot, "lot-1") == newer
    assert first.dump() == second.dump()


def test_a_writer_waits_for_the_row_lock_then_finds_its_copy_of_the_lot_stale(stores, take):
    first, second = stores(), stores()
    lot = first.put(Lot(id="lot-1", sku="TEA", quantity=5))
    outcome = []

    def second_takes_the_same_units():
        try:
            take(second, lot, 5, "a2")
            outcome.append("taken")
        except ConflictError as error:
            outcome.append(error)

    with first.transaction():
        take(first, lot, 5, "a1")
        racer = threading.Thread(target=second_takes_the_same_units)
        racer.start()
        racer.join(0.3)
        assert racer.is_alive(), "the second writer waits on the locked lot row"
    racer.join(10)
    (error,) = outcome
    assert isinstance(error, ConflictError)
    assert (error.kind, error.expected_version, error.actual_version) == ("lot", 1, 2)
    assert [a.id for a in second.allocations_by_lot("lot-1")] == ["a1"]


def test_a_writer_that_finds_a_row_locked_beyond_its_lock_timeout_gets_a_retryable_conflict(
    stores,
):
    first, impatient = stores(), stores(lock_timeout=0)
    lot = first.put(Lot(id="lot-1", sku="TEA", quantity=5))
    with first.transaction():
        first.put(lot)
        with pytest.raises(ConflictError) as caught:
            impatient.put(attrs.evolve(lot, quantity=4))
        assert caught.value.kind == "database"
        assert "lock" in caught.value.reason
        # Readers are not blocked by the writer, and do not see its uncommitted work.
        assert impatient.get(Lot, "lot-1") == lot
    retried = impatient.put(impatient.get(Lot, "lot-1"))
    assert retried.version == 3


def test_concurrent_writers_never_take_more_units_than_a_lot_holds(stores, take):
    setup = stores()
    setup.put(Lot(id="lot-1", sku="TEA", quantity=12))
    writers = [stores() for _ in range(4)]
    start = threading.Barrier(len(writers))
    taken = dict.fromkeys(range(len(writers)), 0)
    failures = []

    def claim_units_one_by_one(index):
        store = writers[index]
        start.wait(5)
        for attempt in range(200):
            lot = store.get(Lot, "lot-1")
            used = sum(a.quantity for a in store.allocations_by_lot("lot-1"))
            if used >= lot.quantity:
                return
            try:
                take(store, lot, 1, f"w{index}-{attempt}")
                taken[index] += 1
            except ConflictError:
                continue  # another writer won: reload and retry
            except Exception as error:
                failures.append(error)
                return

    threads = [threading.Thread(target=claim_units_one_by_one, args=(i,)) for i in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    allocations = setup.allocations_by_lot("lot-1")
    assert sum(a.quantity for a in allocations) == 12
    assert sum(taken.values()) == len(allocations) == 12
    assert setup.get(Lot, "lot-1").version == 13


def test_a_deadlock_between_two_writers_becomes_a_conflict_for_one_of_them(stores):
    setup = stores()
    setup.put(Lot(id="lot-1", sku="TEA", quantity=5))
    setup.put(Lot(id="lot-2", sku="TEA", quantity=5))
    both_hold_one = threading.Barrier(2)
    outcomes = []

    def lock_in_order(first_id, second_id):
        store = stores()
        try:
            with store.transaction():
                store.put(store.get(Lot, first_id))
                both_hold_one.wait(5)
                store.put(store.get(Lot, second_id))
            outcomes.append("committed")
        except ConflictError as error:
            outcomes.append(error)

    threads = [
        threading.Thread(target=lock_in_order, args=("lot-1", "lot-2")),
        threading.Thread(target=lock_in_order, args=("lot-2", "lot-1")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "committed" in outcomes
    (error,) = [outcome for outcome in outcomes if outcome != "committed"]
    assert error.kind == "database"
    assert "deadlock" in error.reason
    assert error.reason.endswith("retry")


def test_events_appended_from_several_connections_are_numbered_without_gaps(stores):
    writers = [stores() for _ in range(3)]
    start = threading.Barrier(len(writers))

    def append(store, index):
        start.wait(5)
        for n in range(10):
            with store.transaction():
                store.append_event("Happened", at=AT, order_id=f"o{index}", data={"n": n})

    threads = [threading.Thread(target=append, args=(s, i)) for i, s in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    events = writers[0].events()
    assert [event.sequence for event in events] == list(range(1, 31))
    for index in range(3):
        mine = [event.data["n"] for event in events if event.order_id == f"o{index}"]
        assert mine == list(range(10))


def test_a_lost_connection_raises_an_orderbook_error_not_a_psycopg_error(stores):
    store = stores()
    store.put(Lot(id="lot-1", sku="TEA", quantity=5))
    (pid,) = store._session.connection().execute("SELECT pg_backend_pid()").fetchone()
    with psycopg.connect(DSN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(OrderbookError, match="lost the connection to PostgreSQL") as caught:
        store.get(Lot, "lot-1")
    assert not isinstance(caught.value, ConflictError)
    assert stores().get(Lot, "lot-1").quantity == 5


def test_a_server_that_cannot_be_reached_raises_an_orderbook_error_naming_it():
    with pytest.raises(OrderbookError, match="cannot connect to PostgreSQL") as caught:
        PostgresStore("postgresql://alice:secret@127.0.0.1:1/book", connect_timeout=2)
    assert "database 'book' on 127.0.0.1:1 as 'alice'" in str(caught.value)
    assert "secret" not in str(caught.value)
