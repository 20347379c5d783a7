"""MRPeasy, told through the book and then the command line on the same file.

A routine order books the gearboxes on the shelf; a rush order of higher priority, confirmed
later, takes them back. The Items list shows each line's product status on four dates. The
rush order is shipped, invoiced and part paid, with MRPeasy's exact percents; the routine
order is cancelled, which releases its bookings; the delivered order is archived.
"""

import datetime as dt
from fractions import Fraction

from orderbook import (
    Allocation,
    Customer,
    Lot,
    Money,
    Order,
    OrderLine,
    Product,
    SequentialIds,
    presets,
)
from orderbook.availability import LineStatus
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.rollup import format_percent

START = dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC)
DUE = dt.date(2027, 5, 14)


def gearboxes(quantity, price):
    return [OrderLine(id="g1", sku="GEARBOX", quantity=quantity, unit_price=Money(price, "EUR"),
                      tax_rate="0.2", due_on=DUE)]  # fmt: skip


def statuses(book, day):
    return {view.order_id: view.product_status for view in book.lines(sku="GEARBOX", as_of=day)}


def test_a_rush_order_takes_the_stock_and_the_items_list_follows(tmp_path, cli):
    path = tmp_path / "mrpeasy.sqlite"
    clock = FixedClock(START)
    book = OrderBook.open(path, workflow=presets.mrpeasy(), clock=clock,
                          id_factory=SequentialIds("id"))  # fmt: skip
    book.save_customer(Customer(id="globex", name="Globex", currency="EUR"))
    book.save_customer(Customer(id="initech", name="Initech", currency="EUR"))
    book.save_product(Product(sku="GEARBOX", name="Gearbox G2"))
    book.save_lot(Lot(id="shelf", sku="GEARBOX", quantity=10))
    book.save_lot(Lot(id="PO-17", sku="GEARBOX", quantity=10, source="purchase",
                      source_status="confirmed", available_on=dt.date(2027, 5, 10)))  # fmt: skip

    routine = book.place_order("globex", gearboxes(10, "120.00"), number="CO-1")
    book.transition(routine.id, "confirmed")
    book.allocate(routine.id)
    rush = book.place_order("initech", gearboxes(8, "125.00"), number="CO-2", priority=5)
    book.transition(rush.id, "confirmed")
    assert book.allocate(rush.id).shortfall("g1") == 0  # booked from the purchase order

    # A later order of higher priority takes the shelf's stock back from the routine one.
    book.allocate(rebook=True)
    taken = {a.order_id: (a.lot_id, a.quantity) for a in book.store.records(Allocation)}
    assert taken[rush.id] == ("shelf", 8)

    # The Items list on four dates: before the purchase order arrives, on its day, on the
    # due date and after it.
    assert statuses(book, dt.date(2027, 5, 3)) == {
        rush.id: LineStatus.READY_FOR_SHIPMENT,
        routine.id: LineStatus.EXPECTED_ON_TIME,
    }
    assert statuses(book, dt.date(2027, 5, 14))[routine.id] is LineStatus.POSSIBLY_DELAYED
    assert statuses(book, dt.date(2027, 5, 15))[routine.id] is LineStatus.DELAYED

    # Ship, invoice and part pay the rush order: the percents are exact ratios.
    book.ship(rush.id, {"g1": 8})
    invoice = book.invoice(rush.id, {"g1": 3}, issue=True, number="INV-1")
    book.record_payment(Money("150.00", "EUR"), invoice_id=invoice.id)
    summary = book.summary(rush.id)
    assert summary.invoicing.label == "Part invoiced"
    assert Fraction(summary.invoicing.percent).limit_denominator(100) == Fraction(75, 2)
    assert format_percent(summary.invoicing.percent) == "37.50%"
    assert summary.payment.label == "Part paid"
    assert format_percent(summary.payment.percent) == "33.33%"

    # Cancelling releases every booking; a canceled order cannot be restored.
    book.cancel(routine.id)
    assert book.store.allocations_by_order(routine.id) == ()
    book.transition(rush.id, "delivered")
    clock.advance(dt.timedelta(days=400))
    book.archive(before=dt.date(2028, 1, 1))
    assert book.get(Order, rush.id).status == "archived"
    book.close()

    day = clock.now().date().isoformat()
    code, text = cli("report", "--db", path, "--as-of", day)
    assert code == 0
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("CO-")}
    assert "Archived" in rows["CO-2"]
    assert "37.50%" in rows["CO-2"]
    assert "Canceled" in rows["CO-1"]
    code, text = cli("events", "--db", path)
    assert code == 0
    assert text.count("Released") >= 2
    code, text = cli("check", "--db", path)
    assert (code, text.splitlines()[-1]) == (0, f"{path}: no problems")
