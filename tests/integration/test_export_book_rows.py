"""A book's simulations, line views and lot stock as rows, exact in CSV and in a DataFrame."""

import csv
import io
from decimal import Decimal

import pytest

from orderbook import Lot
from orderbook.commands import Allocate, ChangeStatus, PlaceOrder
from orderbook.errors import ValidationError
from orderbook.export import line_records, lot_records, simulation_records, to_csv, to_dataframe


def read_csv(rows):
    out = io.StringIO()
    to_csv(rows, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def booked(book, make_line):
    """Ten teas on the shelf, none coming: 'held' holds 7 of them, 'small' the other 3 of 5."""
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=0, source="purchase"))
    for order_id, customer, quantity, priority in (
        ("held", "globex", 7, 1),
        ("small", "acme", 5, 0),
    ):
        book.place_order(
            customer, [make_line("l1", "TEA", quantity)], order_id=order_id, priority=priority
        )
        book.transition(order_id, "confirmed")
        book.allocate(order_id)
    return book


def rush(make_line):
    return [
        PlaceOrder(
            customer_id="acme", order_id="big", priority=5, lines=[make_line("l1", "TEA", 6)]
        ),
        ChangeStatus(order_id="big", to="confirmed"),
        Allocate(rebook=True),
    ]


def test_a_simulation_gives_each_line_short_before_and_after_and_the_change(book, make_line):
    what_if = booked(book, make_line).simulate(rush(make_line))
    rows = simulation_records(what_if)
    assert {
        (r["order_id"], r["line_id"]): (r["short_before"], r["short_after"]) for r in rows
    } == {
        ("small", "l1"): (Decimal(2), Decimal(5)),
        ("held", "l1"): (Decimal(0), Decimal(3)),
    }
    assert [r["order_id"] for r in rows] == ["small", "held"]  # short before first
    assert all(r["change"] == r["short_after"] - r["short_before"] for r in rows)
    before = {(s.order_id, s.line_id): s.quantity for s in what_if.shortfalls_before}
    after = {(s.order_id, s.line_id): s.quantity for s in what_if.shortfalls}
    for row in read_csv(rows):
        key = (row["order_id"], row["line_id"])
        assert Decimal(row["short_before"]) == before.get(key, Decimal(0))
        assert Decimal(row["short_after"]) == after.get(key, Decimal(0))
        assert Decimal(row["change"]) == after.get(key, 0) - before.get(key, 0)
    frame = to_dataframe(rows)
    assert list(frame["change"]) == [Decimal(3), Decimal(3)]
    assert {type(value) for value in frame["short_after"]} == {Decimal}


def test_a_line_no_longer_short_after_the_commands_reads_zero_after(book, make_line):
    book = booked(book, make_line)
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=2, source="purchase"))
    rows = simulation_records(book.simulate([Allocate(order_id="small")]))
    assert [(r["order_id"], r["short_before"], r["short_after"], r["change"]) for r in rows] == [
        ("small", Decimal(2), Decimal(0), Decimal(-2))
    ]
    (read,) = read_csv(rows)
    assert Decimal(read["change"]) == -2  # a negative number stays a number in the CSV


def test_line_views_give_their_figures_and_product_status_exactly(book, make_line):
    book = booked(book, make_line)
    views = book.lines()
    rows = line_records(views)
    assert len(rows) == len(views) == 2
    for row, read, view in zip(rows, read_csv(rows), views, strict=True):
        assert (row["order_id"], row["line_id"]) == (view.order_id, view.line.id)
        assert row["product_status"] == view.product_status.value
        assert row["product_label"] == view.product_status.label
        for name in ("ordered", "allocated", "delivered", "forfeited", "open"):
            assert row[name] == getattr(view.summary, name)
            assert Decimal(read[name]) == getattr(view.summary, name)
        assert Decimal(read["gross"]) == view.summary.gross.amount
        assert Decimal(read["unit_price"]) == view.line.unit_price.amount
    small = next(row for row in rows if row["order_id"] == "small")
    assert (small["allocated"], small["product_status"]) == (Decimal(3), "not_enough")
    frame = to_dataframe(line_records(iter(views)))  # any iterable of views
    assert list(frame["allocated"]) == [v.summary.allocated for v in views]


def test_lot_stock_gives_each_lots_quantities_exactly(book, make_line):
    book = booked(book, make_line)
    stocks = book.lots("TEA")
    rows = lot_records(stocks)
    assert [r["lot_id"] for r in rows] == [s.lot.id for s in stocks]
    shelf = next(row for row in rows if row["lot_id"] == "tea-shelf")
    assert (shelf["quantity"], shelf["committed"], shelf["remaining"]) == (10, 10, 0)
    for read, stock in zip(read_csv(rows), stocks, strict=True):
        assert Decimal(read["quantity"]) == stock.lot.quantity
        assert Decimal(read["committed"]) == stock.committed
        assert Decimal(read["tentative"]) == stock.tentative
        assert Decimal(read["remaining"]) == stock.remaining
        assert read["source"] == stock.lot.source.value
    frame = to_dataframe(lot_records(list(stocks)))
    assert list(frame["remaining"]) == [s.remaining for s in stocks]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: simulation_records("sim"), "simulation"),
        (lambda: line_records("views"), "views"),
        (lambda: line_records([object()]), "views[0]"),
        (lambda: lot_records(None), "stocks"),
        (lambda: lot_records([Lot(sku="TEA", quantity=1)]), "stocks[0]"),
    ],
)
def test_rows_of_something_else_are_refused_naming_the_argument(call, field):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
