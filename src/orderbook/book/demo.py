"""The demo scenario: a realistic few weeks of a book, for ``python -m orderbook demo``.

Three customers order credits and goods. A Mangrove-style offtake order has four dated
deliveries from three projects, fulfilled from issued credits and forecasts; two orders
compete for the last gearboxes (MRPeasy-style priority); there is a partial shipment, two
invoices, a partial payment and a cancellation.

The scenario takes :data:`DURATION` and is dated from the clock it is given: it starts at the
clock's moment and moves the clock on. :func:`demo_clock` with ``ending`` starts it early
enough to end then, so a book made today reads the demo's own figures today.

>>> from orderbook.book import OrderBook
>>> book = OrderBook(clock=demo_clock(), id_factory=demo_ids())
>>> run(book)
('o-1001', 'o-1002', 'o-1003', 'o-1004')
>>> book.summary("o-1001").payment.state.value, book.clock.now() - START == DURATION
('part_paid', True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dateutil.relativedelta import relativedelta

from orderbook.book.core import OrderBook
from orderbook.clock import FixedClock
from orderbook.ids import SequentialIds
from orderbook.model import Address, Customer, Lot, OrderLine, Product
from orderbook.money import Money

__all__ = ["DURATION", "START", "demo_clock", "demo_ids", "run"]

START = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
"""Where the demo's clock stands by default."""

DURATION = dt.timedelta(days=24)
"""How far the scenario moves the clock on."""


def demo_clock(ending: dt.datetime | None = None) -> FixedClock:
    """The demo's clock, moved on by the scenario: at :data:`START`, or early enough for the
    scenario to end at ``ending`` (a timezone-aware moment)."""
    return FixedClock(START if ending is None else ending - DURATION)


def demo_ids() -> SequentialIds:
    """The demo's ids: ``id-1``, ``id-2``, ..."""
    return SequentialIds("id")


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


def _stock(book: OrderBook, day: dt.date) -> None:
    for customer in (
        Customer(id="acme", name="AcmeCorp", currency="USD",
                 billing_address=Address(name="AcmeCorp", city="Leith", country="GB")),
        Customer(id="globex", name="Globex", currency="USD"),
        Customer(id="initech", name="Initech", currency="USD"),
    ):  # fmt: skip
        book.save_customer(customer)
    for product in (
        Product(sku="MANGROVE-A", name="Mangrove restoration", unit="tCO2e", kind="credit"),
        Product(sku="SEAGRASS-B", name="Seagrass meadows", unit="tCO2e", kind="credit"),
        Product(sku="PEAT-C", name="Peatland rewetting", unit="tCO2e", kind="credit"),
        Product(sku="GEARBOX", name="Gearbox G2"),
    ):
        book.save_product(product)
    for lot in (
        Lot(id="MA-ISSUED", sku="MANGROVE-A", quantity=600, vintage=day.year - 6),
        Lot(id="MA-FORECAST", sku="MANGROVE-A", quantity=2000, source="forecast",
            available_on=_later(day, 5), vintage=day.year),
        Lot(id="SB-ISSUED", sku="SEAGRASS-B", quantity=400, vintage=day.year - 5),
        Lot(id="PC-FORECAST", sku="PEAT-C", quantity=300, source="forecast",
            available_on=_later(day, 20), vintage=day.year + 1),
        Lot(id="GB-shelf", sku="GEARBOX", quantity=12),
    ):  # fmt: skip
        book.save_lot(lot)


def _later(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def _offtake_lines(day: dt.date) -> list[OrderLine]:
    return [
        OrderLine(id="d1", sku="MANGROVE-A", quantity=500, unit_price=_usd("18.00"),
                  due_on=_later(day, 6), tax_rate="0.1"),
        OrderLine(id="d2", sku="SEAGRASS-B", quantity=250, unit_price=_usd("22.40"),
                  due_on=_later(day, 12), tax_rate="0.1"),
        OrderLine(id="d3", sku="MANGROVE-A", quantity=500, unit_price=_usd("18.90"),
                  due_on=_later(day, 18), tax_rate="0.1", discount="0.05"),
        OrderLine(id="d4", sku="PEAT-C", quantity="125.5", unit_price=_usd("31.125"),
                  due_on=_later(day, 24), tax_rate="0.1"),
    ]  # fmt: skip


def run(book: OrderBook, say: Callable[[str], None] = lambda _: None) -> tuple[str, ...]:
    """Play the scenario on an empty book; ``say`` hears one line per step.

    Returns:
        The ids of the orders placed.
    """
    clock = book.clock
    assert isinstance(clock, FixedClock), "the demo moves its own clock"
    day = clock.now().date()
    say("stocking customers, products and lots (issued credits and forecasts)")
    _stock(book, day)
    say("placing a three-year offtake: four deliveries from three projects")
    offtake = book.place_order("acme", _offtake_lines(day), order_id="o-1001", number="SO-1001",
                               subject="Three-year offtake", delivery_method="retirement",
                               beneficiary="AcmeCorp")  # fmt: skip
    book.transition(offtake.id, "confirmed", by="ana")
    book.allocate(offtake.id)
    say("two customers compete for twelve gearboxes; the higher priority is served first")
    gear = [OrderLine(id="g1", sku="GEARBOX", quantity=8, unit_price=_usd("120.00"),
                      due_on=day + dt.timedelta(weeks=4))]  # fmt: skip
    globex = book.place_order("globex", gear, order_id="o-1002", number="SO-1002")
    rush = [OrderLine(id="g1", sku="GEARBOX", quantity=9, unit_price=_usd("125.00"),
                      due_on=day + dt.timedelta(weeks=6))]  # fmt: skip
    initech = book.place_order("initech", rush, order_id="o-1003", number="SO-1003", priority=5)
    for order in (globex, initech):
        book.transition(order.id, "confirmed", by="ana")
    book.allocate()
    clock.advance(dt.timedelta(days=14))
    say("shipping the first delivery and part of the gearboxes")
    book.ship(offtake.id, {"d1": 500}, number="DN-1")
    book.ship(initech.id, {"g1": 6}, number="DN-2")
    say("invoicing what shipped, and a partial payment")
    first = book.invoice(offtake.id, "shipped", issue=True, due_days=30, number="INV-1")
    second = book.invoice(initech.id, "shipped", issue=True, due_days=30, number="INV-2")
    clock.advance(dt.timedelta(days=10))
    book.record_payment(_usd("5000.00"), invoice_id=first.id, method="transfer")
    book.record_payment(_usd("750.00"), invoice_id=second.id, method="card")
    say("a cancelled order gives its gearboxes back")
    spare = [OrderLine(id="g1", sku="GEARBOX", quantity=1, unit_price=_usd("120.00"))]
    cancelled = book.place_order("globex", spare, order_id="o-1004", number="SO-1004")
    book.transition(cancelled.id, "confirmed")
    book.allocate(cancelled.id)
    book.cancel(cancelled.id, by="ana", reason="ordered twice")
    return (offtake.id, globex.id, initech.id, cancelled.id)
