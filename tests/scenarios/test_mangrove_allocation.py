"""Mangrove: a three-year offtake order, fulfilled with the best available credits.

"Mangrove automatically fulfills this delivery with the best available credits from the
selected project. However, you have the option to override this by manually selecting the
credit issuances to fulfill the delivery with." And: "A project needs to have either existing
issued credits, or forecasted issuances of sufficient quantity, for a delivery to be saved
from it."
"""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import Customer, Lot, Money, Order, OrderLine, OverAllocation
from orderbook.allocation import allocate, can_fulfil, demands_for, fulfil_manually
from orderbook.availability import LineStatus, line_status

USD = "USD"
TODAY = dt.date(2027, 1, 15)
PROJECTS = ["MANGROVE-A", "SEAGRASS-B", "PEAT-C"]


def credits():
    """Per project: two issued vintages, and a forecast issuance mid-2028."""
    lots = []
    for project in PROJECTS:
        lots += [
            Lot(id=f"{project}/2021", sku=project, quantity=900, vintage=2021),
            Lot(id=f"{project}/2023", sku=project, quantity=600, vintage=2023),
            Lot(
                id=f"{project}/forecast-2028", sku=project, quantity=5000, source="forecast",
                source_status="confirmed", available_on=dt.date(2028, 6, 1),
            ),
        ]  # fmt: skip
    return lots


def offtake(deliveries):
    acme = Customer(id="acme", name="AcmeCorp", currency=USD)
    return Order(
        id="ACME-OFFTAKE", customer_id=acme.id, currency=USD, delivery_method="retirement",
        beneficiary="AcmeCorp", status="confirmed", lines=deliveries,
    )  # fmt: skip


def delivery(n, quantity):
    """Twice a year for three years, rotating over the three projects."""
    return OrderLine(
        id=f"delivery-{n}", sku=PROJECTS[n % 3], quantity=quantity,
        unit_price=Money(str(15 + n), USD),
        due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
    )  # fmt: skip


def test_a_three_year_offtake_is_fulfilled_from_issued_credits_before_forecasts():
    lots = credits()
    deliveries = [delivery(n, 800) for n in range(6)]
    order = offtake(deliveries)

    # every delivery can be saved: issued plus forecast credits cover it
    for demand in demands_for(order):
        assert can_fulfil(demand, lots) == (True, Decimal(0))

    # a person fulfils delivery 3 by hand, mostly from the forecast, to keep issued credits
    manual_demand = next(d for d in demands_for(order) if d.line_id == "delivery-3")
    assert manual_demand.sku == "MANGROVE-A"
    manual = fulfil_manually(
        manual_demand, {"MANGROVE-A/forecast-2028": 500, "MANGROVE-A/2023": 300}, lots
    )
    held = tuple(fill.to_allocation(id=f"manual-{i}") for i, fill in enumerate(manual))

    # the rest is fulfilled automatically with the best available credits
    plan = allocate(demands_for(order, allocations=held), lots, as_of=TODAY, existing=held)
    assert plan.shortfalls() == {}
    got = {line_id: [(f.lot_id, f.quantity) for f in fills] for line_id, fills in _by_line(plan)}
    assert got == {
        # deliveries are served by due date; issued credits go first, then by expiry and id
        "delivery-0": [("MANGROVE-A/2021", Decimal(800))],
        "delivery-1": [("SEAGRASS-B/2021", Decimal(800))],
        "delivery-2": [("PEAT-C/2021", Decimal(800))],
        # what remains of both vintages, then the forecast, due before these deliveries
        "delivery-4": [
            ("SEAGRASS-B/2021", Decimal(100)),
            ("SEAGRASS-B/2023", Decimal(600)),
            ("SEAGRASS-B/forecast-2028", Decimal(100)),
        ],
        "delivery-5": [
            ("PEAT-C/2021", Decimal(100)),
            ("PEAT-C/2023", Decimal(600)),
            ("PEAT-C/forecast-2028", Decimal(100)),
        ],
    }
    assert "delivery-3" not in dict(_by_line(plan))  # the manual delivery needed nothing more
    assert [(f.lot_id, f.quantity, f.manual) for f in manual] == [
        ("MANGROVE-A/forecast-2028", Decimal(500), True),
        ("MANGROVE-A/2023", Decimal(300), True),
    ]
    assert plan.remaining("MANGROVE-A/2021") == 100
    assert plan.remaining("MANGROVE-A/2023") == 300
    assert plan.remaining("MANGROVE-A/forecast-2028") == 4500

    # where each delivery stands today: issued credits are ready, forecasts are expected
    booked = held + plan.allocations()
    status = {
        line.id: line_status(line, booked, lots, as_of=TODAY, order_id=order.id)
        for line in order.lines
    }
    assert status == {
        "delivery-0": LineStatus.READY_FOR_SHIPMENT,
        "delivery-1": LineStatus.READY_FOR_SHIPMENT,
        "delivery-2": LineStatus.READY_FOR_SHIPMENT,
        "delivery-3": LineStatus.EXPECTED_ON_TIME,  # by hand, partly from the forecast
        "delivery-4": LineStatus.EXPECTED_ON_TIME,
        "delivery-5": LineStatus.EXPECTED_ON_TIME,
    }


def _by_line(plan):
    grouped = {}
    for fill in plan.fills:
        grouped.setdefault(fill.line_id, []).append(fill)
    return grouped.items()


def test_a_delivery_larger_than_issued_plus_forecast_credits_cannot_be_saved():
    lots = credits()
    order = offtake([delivery(0, 7000)])
    (demand,) = demands_for(order)
    assert can_fulfil(demand, lots) == (False, Decimal(500))


def test_a_manual_fulfilment_cannot_take_more_than_an_issuance_has_left():
    lots = credits()
    order = offtake([delivery(0, 800), delivery(3, 800)])
    plan = allocate(demands_for(order)[:1], lots, as_of=TODAY)
    held = plan.allocations()
    (late,) = demands_for(order)[1:]
    with pytest.raises(OverAllocation, match="MANGROVE-A/2021"):
        fulfil_manually(late, {"MANGROVE-A/2021": 200}, lots, existing=held)


def test_draft_orders_hold_nothing_the_caller_passes_only_committing_allocations():
    lots = credits()
    draft = offtake([delivery(0, 900)])
    tentative = allocate(demands_for(draft), lots, as_of=TODAY).allocations()
    committing = {"confirmed"}
    orders = {draft.id: "draft"}
    existing = [a for a in tentative if orders[a.order_id] in committing]
    confirmed = Order(
        id="OTHER", customer_id="acme", currency=USD, status="confirmed", lines=[delivery(0, 900)]
    )
    plan = allocate(demands_for(confirmed), lots, as_of=TODAY, existing=existing)
    assert [(f.lot_id, f.quantity) for f in plan.fills] == [("MANGROVE-A/2021", 900)]
