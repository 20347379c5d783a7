"""MRPeasy: booking by priority, and the product statuses of a customer order over time.

"Not enough - the demand is generated, but there are not enough products for this order.
There will be insufficient products for this order after shipping orders with higher
priority."
"""

import datetime as dt

import attrs

from orderbook import Lot, Money, Order, OrderLine, Shipment, ShipmentItem
from orderbook.allocation import allocate, demands_for, release
from orderbook.availability import LineStatus, order_status

EUR = "EUR"
DUE = dt.date(2027, 5, 14)


def customer_order(order_id, quantity, priority):
    line = OrderLine(
        id=f"{order_id}-1", sku="GEARBOX", quantity=quantity, unit_price=Money("120", EUR),
        due_on=DUE,
    )  # fmt: skip
    return Order(
        id=order_id, customer_id=order_id, currency=EUR, priority=priority, lines=[line],
        status="confirmed",
    )  # fmt: skip


def test_a_lower_priority_order_is_not_enough_after_shipping_orders_with_higher_priority():
    rush = customer_order("CO-00041", 80, priority=5)
    routine = customer_order("CO-00042", 60, priority=1)
    stock = Lot(id="stock", sku="GEARBOX", quantity=100)
    monday = dt.date(2027, 5, 3)

    # Confirmed: both orders are booked, the rush order first
    demands = demands_for(rush) + demands_for(routine)
    plan = allocate(demands, [stock], as_of=monday)
    booked = plan.allocations(at=dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC))
    assert plan.allocated("CO-00041-1") == 80
    assert plan.allocated("CO-00042-1") == 20
    assert order_status(rush, booked, [stock], as_of=monday) is LineStatus.READY_FOR_SHIPMENT
    assert order_status(routine, booked, [stock], as_of=monday) is LineStatus.NOT_ENOUGH

    # the rush order ships: its booking is consumed and the stock goes down
    shipped = Shipment(
        order_id=rush.id,
        shipped_on=monday,
        items=[ShipmentItem(line_id="CO-00041-1", quantity=80)],
    )
    booked = release(booked, order_id=rush.id)
    stock = attrs.evolve(stock, quantity=20)
    assert order_status(rush, booked, [stock], [shipped], as_of=monday) is LineStatus.DELIVERED
    assert order_status(routine, booked, [stock], as_of=monday) is LineStatus.NOT_ENOUGH

    # a purchase order is requested for the rest; the routine order books it
    po = Lot(
        id="PO-00017", sku="GEARBOX", quantity=50, source="purchase", source_status="requested",
        available_on=dt.date(2027, 5, 10),
    )  # fmt: skip
    more = allocate(demands_for(routine, allocations=booked), [stock, po], as_of=monday,
                    existing=booked)  # fmt: skip
    assert [(f.lot_id, f.quantity) for f in more.fills] == [("PO-00017", 40)]
    booked = booked + more.allocations(at=dt.datetime(2027, 5, 3, 10, tzinfo=dt.UTC))
    assert order_status(routine, booked, [stock, po], as_of=monday) is LineStatus.REQUESTED

    # the supplier confirms; the routine order is on time, until the dates slip
    po = attrs.evolve(po, source_status="confirmed")
    assert order_status(routine, booked, [stock, po], as_of=monday) is LineStatus.EXPECTED_ON_TIME
    slipped = attrs.evolve(po, available_on=DUE)
    assert order_status(routine, booked, [stock, slipped], as_of=monday) is (
        LineStatus.POSSIBLY_DELAYED
    )
    assert order_status(routine, booked, [stock, po], as_of=DUE) is LineStatus.POSSIBLY_DELAYED
    assert order_status(routine, booked, [stock, po], as_of=DUE + dt.timedelta(1)) is (
        LineStatus.DELAYED
    )

    # the goods are received into stock, then shipped
    po = attrs.evolve(po, source_status="received")
    friday = dt.date(2027, 5, 14)
    assert order_status(routine, booked, [stock, po], as_of=friday) is (
        LineStatus.READY_FOR_SHIPMENT
    )
    sent = Shipment(
        order_id=routine.id, shipped_on=friday,
        items=[ShipmentItem(line_id="CO-00042-1", quantity=60)],
    )  # fmt: skip
    assert order_status(routine, release(booked, order_id=routine.id), [stock, po], [sent],
                        as_of=friday) is LineStatus.DELIVERED  # fmt: skip


def test_cancelling_an_order_releases_its_bookings_for_the_next_in_line():
    first = customer_order("CO-00051", 70, priority=2)
    second = customer_order("CO-00052", 70, priority=1)
    stock = Lot(id="stock", sku="GEARBOX", quantity=100)
    day = dt.date(2027, 5, 3)
    plan = allocate(demands_for(first) + demands_for(second), [stock], as_of=day)
    booked = plan.allocations()
    assert order_status(second, booked, [stock], as_of=day) is LineStatus.NOT_ENOUGH

    booked = release(booked, order_id=first.id)  # Canceled: all bookings are released
    assert order_status(second, booked, [stock], as_of=day) is LineStatus.NOT_BOOKED
    again = allocate(demands_for(second, allocations=booked), [stock], as_of=day, existing=booked)
    booked = booked + again.allocations()
    assert order_status(second, booked, [stock], as_of=day) is LineStatus.READY_FOR_SHIPMENT
