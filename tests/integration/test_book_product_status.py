"""Product statuses in the book's Items list (MRPeasy): booking, priority and the due date.

"Not enough - the demand is generated, but there are not enough products for this order.
There will be insufficient products for this order after shipping orders with higher
priority."
"""

import datetime as dt

import pytest

from orderbook import LineStatus, Lot, Product, ValidationError, presets
from orderbook.store import MemoryStore

DUE = dt.date(2027, 5, 14)
BEFORE, AFTER = dt.date(2027, 5, 3), DUE + dt.timedelta(1)


@pytest.fixture
def mrpeasy(make_book, stocked):
    book = stocked(make_book(presets.mrpeasy()))
    book.save_product(Product(sku="GEARBOX"))
    book.save_lot(Lot(id="shelf", sku="GEARBOX", quantity=100))
    book.save_lot(
        Lot(
            id="PO-17",
            sku="GEARBOX",
            quantity=30,
            source="purchase",
            source_status="confirmed",
            available_on=dt.date(2027, 5, 10),
        )
    )
    return book


def statuses(book, as_of, **filters):
    return {
        view.order_id: view.product_status
        for view in book.lines(sku="GEARBOX", as_of=as_of, **filters)
    }


def confirmed(book, make_line, order_id, quantity, priority):
    book.place_order(
        "acme",
        [make_line("l1", "GEARBOX", quantity, due_on=DUE)],
        order_id=order_id,
        priority=priority,
    )
    book.transition(order_id, "confirmed")


def test_product_statuses_follow_booking_priority_and_the_due_date(mrpeasy, make_line):
    book = mrpeasy
    confirmed(book, make_line, "routine", 40, priority=1)
    book.allocate("routine")  # 40 of the shelf
    confirmed(book, make_line, "late", 25, priority=0)
    # 60 left on the shelf and 30 coming: enough for the late order, not yet booked
    assert statuses(book, BEFORE)["late"] is LineStatus.NOT_BOOKED

    confirmed(book, make_line, "rush", 70, priority=5)
    # the rush order comes first: 90 free less its 70 leaves 20 for the 25 of the late one
    for day, rush in (
        (BEFORE, LineStatus.NOT_BOOKED),
        (DUE, LineStatus.NOT_BOOKED),
        (AFTER, LineStatus.DELAYED),  # past due and not booked
    ):
        assert statuses(book, day) == {
            "routine": LineStatus.READY_FOR_SHIPMENT,
            "late": LineStatus.NOT_ENOUGH,
            "rush": rush,
        }

    book.allocate()  # by priority: rush takes 60 of the shelf and 10 of PO-17, late the rest
    for day, rush in (
        (BEFORE, LineStatus.EXPECTED_ON_TIME),
        (DUE, LineStatus.POSSIBLY_DELAYED),  # due today, part of it not received
        (AFTER, LineStatus.DELAYED),
    ):
        assert statuses(book, day) == {
            "routine": LineStatus.READY_FOR_SHIPMENT,
            "late": LineStatus.NOT_ENOUGH,  # 20 booked of 25, nothing free
            "rush": rush,
        }

    book.ship("routine", {"l1": 40}, shipped_on=AFTER)
    assert statuses(book, AFTER) == {
        "routine": LineStatus.DELIVERED,
        "late": LineStatus.NOT_ENOUGH,
        "rush": LineStatus.DELAYED,
    }


def test_lines_can_be_filtered_on_their_product_status(mrpeasy, make_line):
    book = mrpeasy
    confirmed(book, make_line, "rush", 130, priority=5)
    confirmed(book, make_line, "small", 5, priority=0)
    book.allocate("small")
    assert [v.order_id for v in book.lines(product_status="not_enough", as_of=BEFORE)] == ["rush"]
    ready = book.lines(product_status=LineStatus.READY_FOR_SHIPMENT, as_of=BEFORE)
    assert [(v.order_id, v.product_status) for v in ready] == [
        ("small", LineStatus.READY_FOR_SHIPMENT)
    ]
    assert book.lines(product_status="delivered", as_of=BEFORE) == ()


@pytest.mark.parametrize("wrong", ["lost", 3, LineStatus])
def test_a_product_status_that_is_not_one_is_refused(book, wrong):
    with pytest.raises(ValidationError, match="product_status"):
        book.lines(product_status=wrong)


def test_a_draft_holds_only_tentatively_and_takes_nothing_from_others(
    make_book, stocked, make_line
):
    # Mangrove: "Statuses such as Draft ... do not consider their included credits as
    # committed"; MRPeasy: "Change the Customer orders status to Confirmed to book items".
    book = stocked(make_book(presets.mangrove()))
    book.save_lot(Lot(id="tea-po", sku="TEA", quantity=0, source="purchase"))
    book.place_order("acme", [make_line("d1", "TEA", 10)], order_id="first")
    book.place_order("globex", [make_line("d1", "TEA", 10)], order_id="second")
    assert len(book.store.allocations_by_order("first")) == 1  # placing held the shelf

    def status(order_id):
        (view,) = [v for v in book.lines() if v.order_id == order_id]
        return view.product_status

    assert status("first") is status("second") is LineStatus.NOT_BOOKED
    book.transition("first", "confirmed")
    assert status("first") is LineStatus.READY_FOR_SHIPMENT
    assert status("second") is LineStatus.NOT_ENOUGH  # the shelf is committed to the first


class CountingStore(MemoryStore):
    """A memory store that counts how often the lots of a product are read."""

    def __init__(self):
        super().__init__()
        self.reads = {}

    def lots_by_sku(self, sku):
        self.reads[sku] = self.reads.get(sku, 0) + 1
        return super().lots_by_sku(sku)


def test_the_lines_of_a_product_read_its_lots_once(clock, make_line, stocked):
    from orderbook import SequentialIds
    from orderbook.book import OrderBook

    store = CountingStore()
    book = stocked(OrderBook(store, clock=clock, id_factory=SequentialIds("id")))
    for _ in range(5):
        order = book.place_order("acme", [make_line("l1", "TEA", 2), make_line("l2", "TEA", 1)])
        book.transition(order.id, "confirmed")
    store.reads.clear()
    assert len(book.lines()) == 10
    assert store.reads == {"TEA": 1}
