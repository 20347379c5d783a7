"""The event log: every change is in an event, replay rebuilds the store, batches are atomic."""

import datetime as dt

import attrs
import pytest

from orderbook import Address, Customer, Money, NotFound, Order, ValidationError, presets
from orderbook.commands import PlaceOrder, Ship
from orderbook.events import EventKind, changes, replay
from orderbook.store import MemoryStore, SQLiteStore


def lifecycle(book, make_line, clock):
    """Place, confirm, allocate, ship in parts, invoice twice, pay in part, cancel another."""
    order = book.place_order("acme", [make_line("l1", "TEA", 6), make_line("l2", "MUG", 2)])
    book.transition(order.id, "confirmed", by="ana")
    book.allocate(order.id)
    clock.advance(dt.timedelta(days=1))
    book.ship(order.id, {"l1": 4})
    first = book.invoice(order.id, "shipped", issue=True)
    book.record_payment(Money("10.00", "EUR"), invoice_id=first.id)
    clock.advance(dt.timedelta(days=1))
    book.ship(order.id, {"l1": 2, "l2": 2})
    book.invoice(order.id, issue=True)
    other = book.place_order("globex", [make_line("l1", "TEA", 3)])
    book.transition(other.id, "confirmed")
    book.allocate()
    book.cancel(other.id, reason="changed their mind")
    return order


@pytest.mark.parametrize("target", ["memory", "sqlite"])
def test_replaying_the_events_onto_an_empty_store_rebuilds_it_exactly(
    book, make_line, clock, target, tmp_path
):
    lifecycle(book, make_line, clock)
    empty = MemoryStore() if target == "memory" else SQLiteStore(tmp_path / "replayed.sqlite")
    with empty:
        assert replay(book.events(), empty) == len(book.events())
        assert empty.dump() == book.store.dump()


def test_the_last_change_of_every_record_in_the_log_is_the_stored_record(book, make_line, clock):
    lifecycle(book, make_line, clock)
    last = {}
    for event in book.events():
        for change in changes(event):
            key = (change.kind, change.row.get("id", change.row.get("sku")))
            last[key] = change.row if change.op == "put" else None
    dump = book.store.dump()
    stored = {
        (kind, row.get("id", row.get("sku"))): row
        for kind, rows in dump.items()
        if kind != "event"
        for row in rows
    }
    assert {key: row for key, row in last.items() if row is not None} == stored


def test_events_since_a_sequence_number_let_an_application_sync(book, make_line):
    seen = book.events()[-1].sequence
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(order.id, "confirmed")
    new = book.events(since=seen)
    assert [e.kind for e in new] == [EventKind.ORDER_PLACED, EventKind.STATUS_CHANGED]
    assert [e.sequence for e in new] == [seen + 1, seen + 2]
    assert new[1].data["source"] == "draft"
    assert new[1].data["target"] == "confirmed"


def test_a_batch_is_all_or_nothing(book, make_line):
    before = book.store.dump()

    def import_two():
        with book.batch():
            book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="b1")
            book.place_order("acme", [make_line("l1", "CAKE", 1)], order_id="b2")

    with pytest.raises(ValidationError):
        import_two()
    assert book.store.dump() == before
    with book.batch():
        for n in range(3):
            book.place_order("acme", [make_line("l1", "TEA", 1)], order_id=f"b{n}")
    assert [o.id for o in book.orders(customer_id="acme")] == ["b0", "b1", "b2"]


def test_a_refused_command_caught_inside_a_batch_rolls_back_only_itself(book, make_line):
    with book.batch():
        book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="kept")
        with pytest.raises(NotFound):
            book.execute(PlaceOrder(customer_id="nobody", lines=[make_line("l1", "TEA", 1)]))
    assert book.get(Order, "kept").status == "draft"
    assert book.events()[-1].kind == "OrderPlaced"


def test_a_batch_reads_each_customer_and_product_once(book, make_line, monkeypatch):
    read = []
    get = book.store.get

    def counted(kind, record_id):
        read.append((kind.__name__, record_id))
        return get(kind, record_id)

    monkeypatch.setattr(book.store, "get", counted)
    with book.batch():
        for n in range(4):
            lines = [make_line("l1", "TEA", 1), make_line("l2", "MUG", 1)]
            book.place_order("acme", lines, order_id=f"b{n}")
    shared = [r for r in read if r[0] in ("Customer", "Product")]
    assert sorted(shared) == [("Customer", "acme"), ("Product", "MUG"), ("Product", "TEA")]
    read.clear()
    book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="after")
    assert ("Customer", "acme") in read  # outside a batch, each command reads afresh


def test_a_customer_change_rolled_back_inside_a_batch_is_not_seen_by_later_commands(
    book, make_line
):
    before = book.get(Customer, "acme")
    moved = attrs.evolve(before, billing_address=Address(city="Leith"))

    def move_then_stop():
        with book.batch():
            book.save_customer(moved)
            raise RuntimeError("the import stopped half-way")

    with book.batch():
        book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="first")
        with pytest.raises(RuntimeError):
            move_then_stop()
        placed = book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="second")
    assert placed.billing_address == before.billing_address
    assert book.get(Customer, "acme") == before


def test_an_automatic_move_is_recorded_without_a_person(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(order.id, "confirmed", by="ana")
    book.execute(Ship(order_id=order.id, items={"l1": 1}, by="bo"))
    entry = book.history(order.id)[-1]
    assert (entry.target, entry.automatic, entry.by, entry.reason) == (
        "shipped",
        True,
        None,
        "everything shipped",
    )


def test_bop_accepts_a_trusted_customers_small_order_automatically(make_book, stocked, make_line):
    book = stocked(make_book(presets.bop()))
    acme = book.get(Customer, "acme")
    book.save_customer(attrs.evolve(acme, auto_accept_limit=Money("100.00", "EUR")))
    small = book.place_order("acme", [make_line("p1", "TEA", 2)])
    large = book.place_order("acme", [make_line("p1", "TEA", 30)])
    assert book.get(Order, small.id).status == "accepted"
    assert book.get(Order, large.id).status == "created"
    placed = [e for e in book.events() if e.kind == "OrderPlaced"]
    assert [e.data["acceptance"] for e in placed] == ["accept", "review"]
