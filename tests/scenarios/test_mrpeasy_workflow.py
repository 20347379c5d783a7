"""MRPeasy: a customer order from quotation, through production, to delivery and the archive.

"Some statuses are assigned automatically by the software (for example if production
starts, or finishes), some need to be assigned by the user, and some can be skipped."
"""

import datetime as dt
import itertools

import pytest

from orderbook import InvalidTransition, Order
from orderbook.workflow import OrderFacts, presets

WF = presets.mrpeasy()
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def later(hours):
    return MONDAY + dt.timedelta(hours=hours)


def test_an_order_made_to_order_walks_every_status_of_the_pipeline():
    order = Order(id="co-7", customer_id="acme", currency="EUR", status=WF.initial)
    assert WF.status(order.status).label == "Quotation"
    history = []

    order, entry = WF.transition(
        order,
        "waiting_for_confirmation",
        facts=OrderFacts(),
        at=later(1),
        by="sales",
        reason="quotation sent",
    )
    history.append(entry)
    order, entry = WF.transition(order, "confirmed", facts=OrderFacts(), at=later(2), by="sales")
    history.append(entry)
    assert WF.status("confirmed").commits, "confirming books the products"

    # All goods are booked, partly from a manufacturing order that is scheduled.
    booked = OrderFacts(allocation="complete", allocated_on_hand=False, production="scheduled")
    order, entries = WF.settle(order, facts=booked, at=later(3))
    history += entries
    assert WF.status(order.status).label == "Waiting for Production"

    started = OrderFacts(allocation="complete", allocated_on_hand=False, production="started")
    order, entries = WF.settle(order, facts=started, at=later(4))
    history += entries
    assert WF.status(order.status).label == "In Production"

    finished = OrderFacts(allocation="complete", allocated_on_hand=True, production="finished")
    order, entries = WF.settle(order, facts=finished, at=later(5))
    history += entries
    assert WF.status(order.status).label == "Ready for Shipment"

    # "A shipped CO still stays in the pipeline as Ready for shipment" until all is shipped.
    partly = OrderFacts(allocation="complete", allocated_on_hand=True, fulfilment="partial")
    assert WF.settle(order, facts=partly, at=later(6)) == (order, ())

    shipped = OrderFacts(allocation="complete", allocated_on_hand=True, fulfilment="complete")
    order, entries = WF.settle(order, facts=shipped, at=later(7))
    history += entries
    assert WF.status(order.status).label == "Shipped"

    order, entry = WF.transition(
        order,
        "delivered",
        facts=shipped,
        at=later(8),
        by="sales",
        reason="customer confirmed receipt",
    )
    history.append(entry)
    order, entry = WF.transition(order, "archived", facts=shipped, at=later(9), by="admin")
    history.append(entry)

    assert [(e.target, e.automatic) for e in history] == [
        ("waiting_for_confirmation", False),
        ("confirmed", False),
        ("waiting_for_production", True),
        ("in_production", True),
        ("ready_for_shipment", True),
        ("shipped", True),
        ("delivered", False),
        ("archived", False),
    ]
    assert [e.reason for e in history if e.automatic] == [
        "all booked, some from planned production or supply",
        "production started",
        "all products booked from stock",
        "all products shipped",
    ]
    assert all(earlier.target == later_.source for earlier, later_ in itertools.pairwise(history))


def test_statuses_can_be_skipped():
    quote = Order(id="co-8", customer_id="acme", currency="EUR", status="quotation")
    order, _ = WF.transition(quote, "confirmed", facts=OrderFacts(), at=later(1), by="sales")

    in_stock = OrderFacts(allocation="complete", allocated_on_hand=True)
    order, entries = WF.settle(order, facts=in_stock, at=later(2))
    assert [e.target for e in entries] == ["ready_for_shipment"]

    shipped_at_once = OrderFacts(
        allocation="complete", allocated_on_hand=True, fulfilment="complete"
    )
    confirmed = WF.transition(quote, "confirmed", facts=OrderFacts(), at=later(1))[0]
    assert WF.settle(confirmed, facts=shipped_at_once, at=later(3))[0].status == "shipped"


def test_picking_in_production_by_hand_is_refused():
    order = Order(id="co-9", customer_id="acme", currency="EUR", status="confirmed")
    with pytest.raises(InvalidTransition) as caught:
        WF.transition(order, "in_production", facts=OrderFacts(production="started"), at=later(1))
    assert caught.value.reason == "In Production is set automatically, not by hand"
    assert "in_production" not in WF.allowed(order, facts=OrderFacts()).allowed


def test_a_canceled_order_releases_its_bookings_and_cannot_be_restored():
    order = Order(id="co-10", customer_id="acme", currency="EUR", status="ready_for_shipment")
    booked = OrderFacts(allocation="complete", allocated_on_hand=True)

    order, entry = WF.transition(
        order, "canceled", facts=booked, at=later(1), by="sales", reason="customer withdrew"
    )
    assert WF.status(entry.target).releases, "the book deletes every booking"

    for target in ("confirmed", "quotation", "ready_for_shipment"):
        with pytest.raises(InvalidTransition) as caught:
            WF.transition(order, target, facts=OrderFacts(), at=later(2), by="sales")
        assert caught.value.current == "canceled"
        assert caught.value.reason == "Canceled is terminal: the order cannot leave it"
    assert WF.allowed(order, facts=OrderFacts()).allowed == ()


def test_delivered_waits_until_everything_has_shipped():
    order = Order(id="co-11", customer_id="acme", currency="EUR", status="ready_for_shipment")
    with pytest.raises(InvalidTransition, match="not every line is shipped or forfeited yet"):
        WF.transition(order, "delivered", facts=OrderFacts(fulfilment="partial"), at=later(1))
