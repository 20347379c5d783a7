"""PostgresStore's writes: one statement each, refused as on every store, and events without gaps.

A save or a delete is one statement that checks the version itself; only a refused one reads
the stored version, to raise the same ConflictError or NotFound as every store does. An order
and its lines are saved by one statement. Appending events locks the log once per transaction,
until the transaction ends (or until the savepoint it was taken in is rolled back).
"""

import datetime as dt
import os
from decimal import Decimal

import attrs
import psycopg
import pytest
from psycopg import errors as pg_errors
from psycopg import sql

from orderbook import ConflictError, Customer, Lot, Money, NotFound, Order, OrderLine

DSN = os.environ.get("ORDERBOOK_TEST_POSTGRES_DSN")
pytestmark = pytest.mark.skipif(
    not DSN, reason="ORDERBOOK_TEST_POSTGRES_DSN is not set: these tests need a PostgreSQL server"
)
AT = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)


class Boom(Exception):
    pass


def log_is_locked(schema):
    """Whether a transaction holds the event log against appenders, seen from a new connection."""
    with psycopg.connect(DSN, autocommit=True) as connection:
        connection.execute("BEGIN")
        events = sql.Identifier(schema, "events")
        try:
            connection.execute(
                sql.SQL("LOCK TABLE {} IN ROW EXCLUSIVE MODE NOWAIT").format(events)
            )
        except pg_errors.LockNotAvailable:
            return True
        finally:
            connection.execute("ROLLBACK")
        return False


def order(lines):
    """Order o1 of acme, with lines given as (line id, SKU) pairs."""
    return Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        lines=[
            OrderLine(id=line_id, sku=sku, quantity=1, unit_price=Money(Decimal("2.50"), "EUR"))
            for line_id, sku in lines
        ],
    )


def skus_of_o1(store):
    return {sku for sku in ("TEA", "MUG", "POT") if store.orders_by_sku(sku)}


# -- refused saves and deletes ------------------------------------------------------------------


def test_saving_a_new_record_over_a_stored_one_is_refused_and_changes_nothing(stores):
    store = stores()
    store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    before = store.dump()
    with pytest.raises(ConflictError) as caught:
        store.put(Lot(id="lot-1", sku="MUG", quantity=3))
    assert str(caught.value) == (
        "lot 'lot-1': is already stored (version 1); load it before saving"
    )
    assert (caught.value.expected_version, caught.value.actual_version) == (0, 1)
    assert store.dump() == before


def test_a_stale_save_is_refused_with_both_versions_and_changes_nothing(stores):
    store = stores()
    lot = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    store.put(attrs.evolve(lot, quantity=9))
    before = store.dump()
    with pytest.raises(ConflictError) as caught:
        store.put(attrs.evolve(lot, quantity=1))
    assert str(caught.value) == ("lot 'lot-1': version 1 is stale: the stored version is 2")
    assert (caught.value.kind, caught.value.expected_version, caught.value.actual_version) == (
        "lot",
        1,
        2,
    )
    assert store.dump() == before


def test_saving_a_record_deleted_meanwhile_is_refused_and_does_not_bring_it_back(stores):
    store = stores()
    lot = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    store.delete(lot)
    with pytest.raises(ConflictError) as caught:
        store.put(lot)
    assert caught.value.reason == "was deleted after version 1 was read"
    assert (caught.value.expected_version, caught.value.actual_version) == (1, None)
    with pytest.raises(NotFound):
        store.get(Lot, "lot-1")


def test_refused_deletes_raise_not_found_or_conflict_and_change_nothing(stores):
    store = stores()
    lot = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    newer = store.put(lot)
    before = store.dump()
    with pytest.raises(NotFound):
        store.delete(Lot(id="lot-2", sku="TEA", quantity=1))
    with pytest.raises(ConflictError) as caught:
        store.delete(lot)
    assert (caught.value.expected_version, caught.value.actual_version) == (1, 2)
    with pytest.raises(ConflictError) as caught:
        store.delete(Lot(id="lot-1", sku="TEA", quantity=10))
    assert caught.value.reason == "is already stored (version 2); load it before saving"
    assert store.dump() == before
    store.delete(newer)
    assert store.records(Lot) == ()


def test_a_refused_save_inside_a_transaction_leaves_the_transaction_usable(stores):
    store = stores()
    lot = store.put(Lot(id="lot-1", sku="TEA", quantity=10))
    store.put(lot)
    with store.transaction():
        with pytest.raises(ConflictError):
            store.put(attrs.evolve(lot, quantity=1))
        store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    assert stores().get(Customer, "acme").version == 1
    assert stores().get(Lot, "lot-1").quantity == 10


def test_a_new_record_racing_one_not_yet_committed_is_a_retryable_conflict(stores):
    first, impatient = stores(), stores(lock_timeout=0)
    with first.transaction():
        first.put(Lot(id="lot-1", sku="TEA", quantity=10))
        with pytest.raises(ConflictError) as caught:
            impatient.put(Lot(id="lot-1", sku="MUG", quantity=3))
        assert caught.value.kind == "database"
        assert caught.value.reason.endswith("retry")
    with pytest.raises(ConflictError) as caught:
        impatient.put(Lot(id="lot-1", sku="MUG", quantity=3))
    assert (caught.value.kind, caught.value.actual_version) == ("lot", 1)
    assert impatient.get(Lot, "lot-1").sku == "TEA"


# -- an order and its lines ----------------------------------------------------------------------


def test_an_order_and_its_lines_are_saved_together_and_follow_every_change(stores):
    store = stores()
    saved = store.put(order([("l1", "TEA"), ("l2", "MUG")]))
    assert skus_of_o1(store) == {"TEA", "MUG"}
    changed = attrs.evolve(saved, lines=order([("l1", "POT"), ("l3", "TEA")]).lines)
    changed = store.put(changed)
    assert skus_of_o1(store) == {"POT", "TEA"}
    assert store.orders_by_sku("POT") == (changed,)
    emptied = store.put(attrs.evolve(changed, lines=()))
    assert skus_of_o1(store) == set()
    store.delete(emptied)
    assert store.records(Order) == ()


def test_a_refused_order_save_leaves_the_order_and_its_lines_as_they_were(stores):
    store = stores()
    saved = store.put(order([("l1", "TEA"), ("l2", "MUG")]))
    newer = store.put(saved)
    before = store.dump()
    with pytest.raises(ConflictError) as caught:
        store.put(attrs.evolve(saved, lines=order([("l9", "POT")]).lines))
    assert (caught.value.kind, caught.value.expected_version, caught.value.actual_version) == (
        "order",
        1,
        2,
    )
    with pytest.raises(ConflictError):
        store.put(order([("l9", "POT")]))
    assert store.dump() == before
    assert skus_of_o1(store) == {"TEA", "MUG"}
    assert store.orders_by_sku("TEA") == (newer,)


def test_deleting_an_order_deletes_its_lines(stores, schema):
    store = stores()
    store.delete(store.put(order([("l1", "TEA"), ("l2", "MUG")])))
    assert skus_of_o1(store) == set()
    with psycopg.connect(DSN, autocommit=True) as connection:
        lines = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, "order_lines"))
        assert connection.execute(lines).fetchone() == (0,)


# -- a database error inside a transaction -------------------------------------------------------


def swallowing_a_lock_timeout(store, lot, caught, *, before=()):
    """In one transaction: save the records ``before``, then a locked lot, and go on regardless
    of the error it raises (kept in ``caught``)."""
    with store.transaction():
        for record in before:
            store.put(record)
        try:
            store.put(attrs.evolve(lot, quantity=4))
        except ConflictError as error:
            caught.append(error)


def test_a_database_error_caught_inside_a_transaction_is_raised_again_and_nothing_commits(stores):
    first, impatient = stores(), stores(lock_timeout=0)
    lot = first.put(Lot(id="lot-1", sku="TEA", quantity=5))
    acme = Customer(id="acme", name="AcmeCorp", currency="EUR")
    with first.transaction():
        first.put(lot)  # holds the row
        caught = []
        with pytest.raises(ConflictError) as again:
            swallowing_a_lock_timeout(impatient, lot, caught, before=[acme])
    assert [str(error) for error in caught] == [str(again.value)]
    assert again.value.kind == "database"
    assert "lock" in again.value.reason
    assert again.value.reason.endswith("retry")
    with pytest.raises(NotFound):
        impatient.get(Customer, "acme")
    assert impatient.put(impatient.get(Lot, "lot-1")).version == 3  # usable again


def test_a_database_error_caught_in_a_nested_transaction_rolls_back_only_that_level(stores):
    first, impatient = stores(), stores(lock_timeout=0)
    lot = first.put(Lot(id="lot-1", sku="TEA", quantity=5))
    beta = Customer(id="beta", name="Beta", currency="EUR")
    with first.transaction():
        first.put(lot)  # holds the row
        with impatient.transaction():
            impatient.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
            with pytest.raises(ConflictError, match="lock"):
                swallowing_a_lock_timeout(impatient, lot, [], before=[beta])
            impatient.append_event("Noted", at=AT)
    assert [c.id for c in impatient.records(Customer)] == ["acme"]
    assert [e.kind for e in impatient.events()] == ["Noted"]


# -- the event log -------------------------------------------------------------------------------


def test_a_transaction_holds_the_event_log_until_it_ends_and_others_then_number_after_it(
    stores, schema
):
    first, impatient = stores(), stores(lock_timeout=0)
    assert not log_is_locked(schema)
    with first.transaction():
        first.append_event("One", at=AT)
        assert log_is_locked(schema)
        with pytest.raises(ConflictError):
            impatient.append_event("Other", at=AT)
        first.append_event("Two", at=AT)
    assert not log_is_locked(schema)
    impatient.append_event("Other", at=AT)
    assert [(e.sequence, e.kind) for e in first.events()] == [(1, "One"), (2, "Two"), (3, "Other")]


def append_then_fail(store, kind):
    """Append an event in a transaction of its own that then fails."""
    with store.transaction():
        store.append_event(kind, at=AT)
        raise Boom


def test_the_log_lock_outlives_a_released_savepoint_but_not_a_rolled_back_one(stores, schema):
    first, other = stores(), stores(lock_timeout=0)
    with first.transaction():
        with first.transaction():
            first.append_event("Kept", at=AT)
        assert log_is_locked(schema)  # the outer transaction holds it now
    with first.transaction():
        with pytest.raises(Boom):
            append_then_fail(first, "Undone")
        assert not log_is_locked(schema)  # rolling back the savepoint released it
        other.append_event("Meanwhile", at=AT)
        first.append_event("After", at=AT)
        assert log_is_locked(schema)  # taken again
        with pytest.raises(ConflictError):
            other.append_event("Blocked", at=AT)
    assert [(e.sequence, e.kind) for e in other.events()] == [
        (1, "Kept"),
        (2, "Meanwhile"),
        (3, "After"),
    ]


def test_an_event_appended_outside_a_transaction_is_committed_and_releases_the_log(stores, schema):
    store = stores()
    stored = store.append_event("Alone", at=AT, order_id="o1", data={"n": 1})
    assert not log_is_locked(schema)
    assert stores().events() == (stored,)
    assert stored.sequence == 1


def fail_in_a_transaction(store):
    with store.transaction():
        raise Boom


def test_an_empty_transaction_commits_nothing_and_the_store_stays_usable(stores):
    store = stores()
    with store.transaction(), store.transaction():
        pass
    with pytest.raises(Boom):
        fail_in_a_transaction(store)
    assert store.put(Lot(id="lot-1", sku="TEA", quantity=1)).version == 1
    assert stores().dump() == store.dump()


@pytest.mark.parametrize(
    "sku",
    [
        "NULL",
        "null",
        "a,b",
        "{x}",
        'say "hi"',
        "back\\slash",
        "nul\x00here",
        "\x01",
        "é€😀",
        " x ",
    ],
)
def test_order_lines_with_awkward_text_are_found_by_their_sku(stores, sku):
    store = stores()
    saved = store.put(order([("l1", sku), (f"{sku}-2", "TEA")]))
    assert store.orders_by_sku(sku) == (saved,)
    changed = store.put(attrs.evolve(saved, lines=order([(sku, "MUG"), ("l1", sku)]).lines))
    assert store.orders_by_sku(sku) == (changed,)
    assert store.orders_by_sku("TEA") == ()
    assert store.orders_by_sku("MUG") == (changed,)


def test_a_record_read_back_after_saving_is_the_saved_record(stores):
    store = stores()
    saved = store.put(Lot(id="shelf", sku="TEA", quantity=5))
    assert store.get(Lot, "shelf") is saved
    assert store.lots_by_sku("TEA") == (saved,)


def test_a_record_another_store_changed_is_read_afresh(stores):
    mine, theirs = stores(), stores()
    mine.put(Lot(id="shelf", sku="TEA", quantity=5))
    theirs.put(attrs.evolve(theirs.get(Lot, "shelf"), quantity=7))
    read = mine.get(Lot, "shelf")
    assert (read.quantity, read.version) == (7, 2)
