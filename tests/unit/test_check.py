"""check_book and ``python -m orderbook check``: every broken invariant is found and named."""

import datetime as dt
import io

import attrs
import pytest

from orderbook import (
    Allocation,
    Customer,
    Forfeit,
    Lot,
    Money,
    Order,
    OrderLine,
    Payment,
    Product,
    SequentialIds,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.book import OrderBook
from orderbook.check import Problem, check_book
from orderbook.cli import main
from orderbook.clock import FixedClock
from orderbook.store import SQLiteStore
from orderbook.workflow import presets


def _sound(store):
    """A book with a confirmed, allocated, partly shipped, invoiced and paid order."""
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))
    book = OrderBook(store, clock=clock, id_factory=SequentialIds("id"))
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    book.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
    line = OrderLine(id="l1", sku="TEA", quantity=4, unit_price=Money("2.50", "EUR"))
    order = book.place_order("acme", [line], order_id="o1")
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 1})
    invoice = book.invoice(order.id, "shipped", issue=True)
    book.record_payment(Money("1.00", "EUR"), invoice_id=invoice.id)
    return book


@pytest.fixture
def book(tmp_path):
    with SQLiteStore(tmp_path / "book.sqlite") as store:
        yield _sound(store)


def test_a_book_the_book_wrote_has_no_problems(book):
    assert check_book(book.store) == ()


def test_an_allocation_beyond_its_lot_is_reported_as_over_allocation(book):
    book.store.put(Allocation(id="extra", order_id="o1", line_id="l1", lot_id="shelf",
                              sku="TEA", quantity=2))  # fmt: skip
    problems = check_book(book.store)
    assert Problem(check="over_allocation", record="lot 'shelf'",
                   message="has 4 but committing orders hold 5") in problems  # fmt: skip
    assert {p.check for p in problems} == {"over_allocation", "rollup", "replay"}


def test_allocations_of_orders_that_do_not_commit_do_not_count_against_the_lot(book):
    draft = attrs.evolve(book.get(Order, "o1"), id="o2", status="draft", version=0)
    book.store.put(draft)
    book.store.put(Allocation(id="tentative", order_id="o2", line_id="l1", lot_id="shelf",
                              sku="TEA", quantity=4))  # fmt: skip
    assert {p.check for p in check_book(book.store)} == {"replay"}


def test_records_pointing_at_missing_records_are_reported_as_orphans(book):
    store = book.store
    store.put(Shipment(id="s9", order_id="gone", shipped_on=dt.date(2027, 3, 2),
                       items=[ShipmentItem(line_id="l1", quantity=1)]))  # fmt: skip
    store.put(Forfeit(id="f9", order_id="o1", line_id="l7", quantity=1))
    store.put(Payment(id="p9", amount=Money(1, "EUR"), received_on=dt.date(2027, 3, 2),
                      invoice_id="i-gone"))  # fmt: skip
    orphans = [str(p) for p in check_book(store) if p.check == "orphan"]
    assert orphans == [
        "orphan: shipment 's9' names order 'gone', which does not exist",
        "orphan: forfeit 'f9' names line 'o1/l7', which does not exist",
        "orphan: payment 'p9' names invoice 'i-gone', which does not exist",
    ]


def test_a_record_changed_behind_the_books_back_fails_the_replay(book):
    lot = book.get(Lot, "shelf")
    book.store.put(attrs.evolve(lot, location="back room"))
    assert check_book(book.store) == (
        Problem(check="replay", record="lot 'shelf'",
                message="differs from what the event log rebuilds"),
    )  # fmt: skip


def test_an_order_in_a_status_the_workflow_lacks_is_reported(book):
    assert [str(p) for p in check_book(book.store, workflow=presets.mangrove())][:1] == [
        "status: order 'o1' is in status 'partially_shipped', which workflow 'mangrove' "
        "does not have"
    ]


def test_the_workflow_must_be_a_workflow(book):
    with pytest.raises(ValidationError, match="workflow"):
        check_book(book.store, workflow="standard")


def test_the_command_line_prints_each_problem_and_exits_1(book, tmp_path):
    book.store.put(Allocation(id="extra", order_id="o1", line_id="l1", lot_id="shelf",
                              sku="TEA", quantity=2))  # fmt: skip
    book.close()
    out = io.StringIO()
    assert main(["check", "--db", str(tmp_path / "book.sqlite")], out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "over_allocation: lot 'shelf' has 4 but committing orders hold 5"
    assert lines[-1].endswith("book.sqlite: 3 problems")


def test_the_command_line_exits_0_on_a_sound_book_and_2_on_a_missing_file(book, tmp_path):
    book.close()
    out = io.StringIO()
    assert main(["check", "--db", str(tmp_path / "book.sqlite")], out=out) == 0
    assert out.getvalue().endswith("book.sqlite: no problems\n")
    assert main(["check", "--db", str(tmp_path / "missing.sqlite")], out=out) == 2
