"""The standard workflow: a shop's order from draft to completed, moved on by the facts."""

import datetime as dt

import attrs
import pytest

from orderbook import InvalidTransition, Order
from orderbook.workflow import InvoiceMethod, OrderFacts, presets

WF = presets.standard()
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def later(hours):
    return MONDAY + dt.timedelta(hours=hours)


def test_an_order_is_confirmed_shipped_in_two_parts_billed_paid_and_completed():
    order = Order(id="sh-1", customer_id="acme", currency="EUR", status=WF.initial)
    order, _ = WF.transition(order, "confirmed", facts=OrderFacts(), at=later(1), by="clerk")

    first_parcel = OrderFacts(allocation="complete", allocated_on_hand=True, fulfilment="partial")
    order, _ = WF.settle(order, facts=first_parcel, at=later(2))
    assert WF.status(order.status).label == "Partially shipped"

    second_parcel = attrs.evolve(first_parcel, fulfilment="complete", billing="complete")
    order, _ = WF.settle(order, facts=second_parcel, at=later(3))
    assert order.status == "shipped"

    paid = attrs.evolve(second_parcel, payment="complete")
    order, entries = WF.settle(order, facts=paid, at=later(4))
    assert order.status == "completed"
    assert entries[0].reason == "billed and paid in full"


def test_an_open_exception_keeps_a_paid_order_from_completing():
    shipped = Order(id="sh-2", customer_id="acme", currency="EUR", status="shipped")
    facts = OrderFacts(
        fulfilment="complete", billing="complete", payment="complete", exception=True
    )
    assert WF.settle(shipped, facts=facts, at=later(1)) == (shipped, ())
    with pytest.raises(InvalidTransition, match="cancelled and is not replaced yet"):
        WF.transition(shipped, "completed", facts=facts, at=later(1), by="clerk")


def test_a_return_moves_a_shipped_order_back():
    shipped = Order(id="sh-3", customer_id="acme", currency="EUR", status="shipped")
    order, entries = WF.settle(shipped, facts=OrderFacts(fulfilment="partial"), at=later(1))
    assert (order.status, entries[0].reason) == ("partially_shipped", "a return came back")
    order, _ = WF.settle(order, facts=OrderFacts(), at=later(2))
    assert order.status == "confirmed"


def test_an_order_that_started_shipping_cannot_be_cancelled():
    confirmed = Order(id="sh-4", customer_id="acme", currency="EUR", status="confirmed")
    with pytest.raises(InvalidTransition, match="part of the order has shipped"):
        WF.transition(confirmed, "cancelled", facts=OrderFacts(fulfilment="partial"), at=later(1))
    _, entry = WF.transition(confirmed, "cancelled", facts=OrderFacts(), at=later(1))
    assert WF.status(entry.target).releases
    assert presets.standard(invoice_method="on_order").settings.invoice_method is (
        InvoiceMethod.ON_ORDER
    )
