"""The book's lot figures and live orders are the core's, over what it stored, after any
stream of commands; and the book never commits a lot beyond its quantity."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Lot, Order, check_book
from orderbook.commands import Allocate, Amend, Cancel, ChangeStatus, PlaceOrder, SaveLot, Ship
from orderbook.errors import OrderbookError
from orderbook.revisions import live_orders
from orderbook.stock import committing_orders, lot_stock
from orderbook.testing.factories import SKUS, make_book, make_line

STEPS = ("place", "allocate", "confirm", "cancel", "amend", "ship", "shrink", "grow")


def lines(draw):
    return [
        make_line(f"l{n}", sku=draw(st.sampled_from(SKUS)), quantity=draw(st.integers(1, 6)))
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]


def command(draw, book):
    step = draw(st.sampled_from(STEPS))
    orders = sorted(live_orders(book.store.records(Order)), key=lambda o: o.id)
    if step == "place" or not orders:
        return PlaceOrder(customer_id="acme", lines=lines(draw))
    if step in ("shrink", "grow"):
        lot = draw(st.sampled_from(sorted(book.store.records(Lot), key=lambda lot: lot.id)))
        change = draw(st.integers(0, 6)) * (-1 if step == "shrink" else 1)
        quantity = max(lot.quantity + change, Decimal(0))
        return SaveLot(lot=Lot(id=lot.id, sku=lot.sku, quantity=quantity))
    order_id = draw(st.sampled_from(orders)).id
    if step == "allocate":
        return Allocate(order_id=order_id)
    if step == "confirm":
        return ChangeStatus(order_id=order_id, to="confirmed")
    if step == "cancel":
        return Cancel(order_id=order_id)
    if step == "amend":
        return Amend(order_id=order_id, lines=lines(draw))
    held: dict[str, Decimal] = {}
    for allocation in book.store.allocations_by_order(order_id):
        held[allocation.line_id] = held.get(allocation.line_id, Decimal(0)) + allocation.quantity
    return Ship(order_id=order_id, items=held or {"l1": 1})


@st.composite
def books(draw):
    book = make_book(stock=draw(st.integers(0, 12)))
    placed = 0
    for _ in range(draw(st.integers(0, 14))):
        try:
            outcome = book.execute(command(draw, book))
        except OrderbookError:
            continue  # refused: nothing changed
        placed += isinstance(outcome.command, PlaceOrder)
    return book, placed


@settings(max_examples=60, deadline=None)
@given(books())
def test_the_books_lot_figures_are_the_cores_over_the_stored_records(made):
    book, _ = made
    committing = committing_orders(book.store.records(Order), book.workflow)
    for sku in SKUS:
        expected = tuple(
            lot_stock(lot, book.store.allocations_by_lot(lot.id), committing=committing)
            for lot in book.store.lots_by_sku(sku)
        )
        assert book.lots(sku) == expected


@settings(max_examples=60, deadline=None)
@given(books())
def test_no_lot_is_committed_beyond_its_quantity_by_the_book(made):
    book, _ = made
    for sku in SKUS:
        for stock in book.lots(sku):
            assert stock.committed <= stock.quantity
    problems = check_book(book.store, workflow=book.workflow)
    assert [p for p in problems if p.check == "over_allocation"] == []


@settings(max_examples=60, deadline=None)
@given(books())
def test_the_book_lists_the_one_live_revision_of_every_order_placed(made):
    book, placed = made
    listed = book.orders()
    assert len(listed) == placed
    assert listed == live_orders(book.store.records(Order))
    for order in book.store.records(Order):
        if order not in listed:  # a superseded revision is read-only
            assert book.choices(order.id).allowed == ()
