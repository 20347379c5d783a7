"""Mangrove, told through the book and then the command line on the same file.

A three-year offtake for AcmeCorp: six deliveries twice a year from three projects, fulfilled
from issued credits and forecasts with the best available ones, one delivery then fulfilled by
hand. Payments are recorded per delivery: Partially Paid, then Paid. Draft, Expired and
Cancelled orders hold nothing. The Credit Deliveries of one project list its deliveries. An
admin adds a status of their own, and the file records it.
"""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import Customer, Lot, Money, Order, OrderLine, Product, SequentialIds, presets
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.workflow import Status, Transition

USD = "USD"
START = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)
PROJECTS = ("MANGROVE-A", "SEAGRASS-B", "PEAT-C")


def deliveries():
    return [
        OrderLine(
            id=f"d{n + 1}",
            sku=PROJECTS[n % 3],
            quantity=1000,
            unit_price=Money(("15", "20", "25")[n % 3], USD),
            tax_rate=0,
            due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
        )
        for n in range(6)
    ]


def stock(book):
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency=USD))
    for sku in PROJECTS:
        book.save_product(Product(sku=sku, unit="tCO2e", kind="credit"))
    book.save_lot(Lot(id="MA-2021", sku="MANGROVE-A", quantity=1500, vintage=2021))
    book.save_lot(Lot(id="MA-2027F", sku="MANGROVE-A", quantity=2000, source="forecast",
                      available_on=dt.date(2027, 5, 1), vintage=2027))  # fmt: skip
    book.save_lot(Lot(id="SB-2022", sku="SEAGRASS-B", quantity=2500, vintage=2022))
    book.save_lot(Lot(id="PC-2026", sku="PEAT-C", quantity=900, vintage=2026))
    book.save_lot(Lot(id="PC-2028F", sku="PEAT-C", quantity=3000, source="forecast",
                      available_on=dt.date(2028, 3, 1), vintage=2028))  # fmt: skip


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "mangrove.sqlite"
    clock = FixedClock(START)
    with OrderBook.open(
        path, workflow=presets.mangrove(), clock=clock, id_factory=SequentialIds("id")
    ) as book:
        stock(book)
        yield book, path, clock


def held(book, order_id):
    return sorted(
        (a.line_id, a.lot_id, a.quantity) for a in book.store.allocations_by_order(order_id)
    )


def test_an_offtake_is_fulfilled_overridden_paid_and_read_back_from_the_file(story, cli):
    book, path, clock = story

    # Saving the order fulfils every delivery at once with the best available credits:
    # issued credits first, then forecasts.
    offtake = book.place_order("acme", deliveries(), order_id="offtake", number="SO-1",
                               delivery_method="retirement", beneficiary="AcmeCorp")  # fmt: skip
    assert held(book, offtake.id) == [
        ("d1", "MA-2021", 1000),
        ("d2", "SB-2022", 1000),
        ("d3", "PC-2026", 900),
        ("d3", "PC-2028F", 100),
        ("d4", "MA-2021", 500),
        ("d4", "MA-2027F", 500),
        ("d5", "SB-2022", 1000),
        ("d6", "PC-2028F", 1000),
    ]
    summary = book.summary(offtake.id)
    assert (summary.quantity, summary.gross) == (Decimal(6000), Money("120000.00", USD))
    book.transition(offtake.id, "confirmed", by="trader")

    # The trader fulfils the fourth delivery from the forecast alone, by hand.
    book.fulfil_manually(offtake.id, "d4", {"MA-2027F": 1000})
    assert [a for a in held(book, offtake.id) if a[0] == "d4"] == [("d4", "MA-2027F", 1000)]

    # The Credit Deliveries of one project: its deliveries across orders, by due date.
    peat = book.lines(sku="PEAT-C")
    assert [(view.line.id, view.due_on) for view in peat] == [
        ("d3", dt.date(2028, 6, 30)),
        ("d6", dt.date(2029, 12, 30)),
    ]

    # Payments per delivery: Partially Paid, then Paid.
    clock.advance(dt.timedelta(days=200))
    book.ship(offtake.id, {"d1": 1000})
    book.record_payment(Money("15000", USD), order_id=offtake.id, line_id="d1")
    assert book.summary(offtake.id).payment.label == "Partially Paid"
    for line in book.summary(offtake.id).lines[1:]:
        book.record_payment(line.gross, order_id=offtake.id, line_id=line.line_id)
    assert book.summary(offtake.id).payment.label == "Paid"

    # Draft, Expired and Cancelled hold nothing: their allocations are tentative.
    draft = book.place_order("acme", [OrderLine(id="x", sku="SEAGRASS-B", quantity=400,
                                                unit_price=Money("20", USD), tax_rate=0)],
                             expires_on=dt.date(2027, 9, 1))  # fmt: skip
    seagrass = next(s for s in book.lots("SEAGRASS-B") if s.lot.id == "SB-2022")
    assert (seagrass.committed, seagrass.tentative) == (2000, 400)
    book.settle(as_of=dt.date(2027, 9, 2))
    assert book.get(Order, draft.id).status == "expired"
    spare = OrderLine(id="y", sku="MANGROVE-A", quantity=100, unit_price=Money("15", USD))
    gone = book.place_order("acme", [spare])
    book.cancel(gone.id)
    for sku in PROJECTS:
        for lot in book.lots(sku):
            assert lot.committed == sum(
                a.quantity
                for a in book.store.allocations_by_lot(lot.lot.id)
                if a.order_id == offtake.id
            )

    # An admin adds a status of their own; the file records the workflow it runs.
    on_hold = presets.mangrove().with_status(
        Status("on_hold", "On Hold", commits=True),
        after="confirmed",
        transitions=[Transition(source="confirmed", target="on_hold", name="hold"),
                     Transition(source="on_hold", target="confirmed", name="resume")],
    )  # fmt: skip
    book.close()
    with OrderBook.open(path, workflow=on_hold, clock=clock) as admin:
        admin.transition(offtake.id, "on_hold", by="admin")
    recorded = [e for e in OrderBook.open(path).events() if e.kind == "WorkflowChanged"]
    assert recorded

    # The command line reads the same file, its workflow recorded in it.
    day = clock.now().date().isoformat()
    code, text = cli("report", "--db", path, "--as-of", day)
    assert code == 0
    row = next(line for line in text.splitlines() if line.startswith("SO-1 "))
    assert "On Hold" in row
    assert "USD 120,000.00" in row or "USD 120000.00" in row
    assert row.rstrip().endswith("Paid")
    code, text = cli("events", "--db", path)
    assert code == 0
    assert "WorkflowChanged" in text
    code, text = cli("check", "--db", path)
    assert (code, text.splitlines()[-1]) == (0, f"{path}: no problems")
