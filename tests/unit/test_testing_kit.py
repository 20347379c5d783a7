"""The testing kit: the pytest plugin's fixtures, the factories and the book strategy."""

import datetime as dt
import sys

import pytest
from hypothesis import given, settings

from orderbook import Lot, Order, ValidationError
from orderbook.book import OrderBook
from orderbook.check import check_book
from orderbook.clock import FixedClock
from orderbook.events import replay
from orderbook.store import MemoryStore, SQLiteStore
from orderbook.testing import strategies as obst
from orderbook.testing.factories import (
    FROZEN_AT,
    make_book,
    make_customer,
    make_line,
    make_lot,
    make_order,
)


def test_an_invoice_is_due_thirty_days_after_it_is_issued(book, frozen_today):
    order = book.place_order("acme", [make_line("l1", quantity=2)])
    book.transition(order.id, "confirmed")
    frozen_today.advance(dt.timedelta(days=1))
    invoice = book.invoice(order.id, issue=True, due_days=30)
    assert invoice.due_on == dt.date(2027, 2, 4)


def test_the_book_fixture_reads_the_frozen_clock(book, frozen_today):
    assert isinstance(book, OrderBook)
    assert isinstance(book.store, MemoryStore)
    assert frozen_today.now() == FROZEN_AT
    assert book.place_order("acme", [make_line()]).placed_at == FROZEN_AT


def test_the_sqlite_book_fixture_is_on_a_file_of_its_own(sqlite_book, tmp_path):
    assert isinstance(sqlite_book.store, SQLiteStore)
    assert sqlite_book.store.path == tmp_path / "book.sqlite"
    assert [lot.id for lot in sqlite_book.store.records(Lot)] == [
        "mug-shelf",
        "pot-shelf",
        "tea-shelf",
    ]


def test_importing_orderbook_does_not_import_the_test_tools(tmp_path):
    import subprocess

    code = "import sys, orderbook; print('pytest' in sys.modules, 'hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_make_order_numbers_its_lines_and_cycles_the_products():
    order = make_order(lines=4, id="o1")
    assert [(ln.id, ln.sku, ln.quantity) for ln in order.lines] == [
        ("l1", "TEA", 1),
        ("l2", "MUG", 2),
        ("l3", "POT", 3),
        ("l4", "TEA", 4),
    ]


def test_factory_overrides_are_validated_like_any_value():
    with pytest.raises(ValidationError, match="quantity"):
        make_lot(quantity=-1)
    with pytest.raises(ValidationError, match="currency"):
        make_customer(currency="EURO")
    assert make_order(lines=[make_line("x", sku="MUG")], status="confirmed").status == "confirmed"


def test_make_book_places_the_orders_asked_for_on_the_store_given(tmp_path):
    with SQLiteStore(tmp_path / "made.sqlite") as store:
        book = make_book(store=store, orders=3, clock=FixedClock(FROZEN_AT))
        assert [o.id for o in store.records(Order)] == ["id-1", "id-2", "id-3"]
        assert book.store is store


def test_two_made_books_are_identical():
    assert make_book(orders=2).store.dump() == make_book(orders=2).store.dump()


@settings(max_examples=30, deadline=None)
@given(obst.books())
def test_a_drawn_book_passes_every_check_and_replays_from_its_events(book):
    assert check_book(book.store) == ()
    copy = MemoryStore()
    replay(book.events(), copy)
    assert copy.dump() == book.store.dump()


@settings(max_examples=30, deadline=None)
@given(obst.demands(skus=("TEA",)))
def test_a_drawn_demand_is_for_the_products_asked(demand):
    assert demand.sku == "TEA"
    assert demand.quantity >= 0
