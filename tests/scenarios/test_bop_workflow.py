"""b-op: an immutable customer order, accepted, fulfilled and billed per position, finished.

"For trustworthy customers and orders under a certain threshold, this is typically set to
automatic acceptance." "When all positions are shipped or the customer forfeited on the not
shipped quantities, the customer order is receiving the status finished."
"""

import datetime as dt

import attrs
import pytest

from orderbook import InvalidTransition, LockedError, Order
from orderbook.workflow import InvoiceMethod, OrderFacts, presets

WF = presets.bop()
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def later(hours):
    return MONDAY + dt.timedelta(hours=hours)


def order():
    return Order(id="bop-1", customer_id="buyer", currency="EUR", status=WF.initial)


def test_a_trusted_customers_order_is_accepted_fulfilled_and_finished_by_itself():
    current = order()
    current, entries = WF.settle(current, facts=OrderFacts(acceptance="accept"), at=later(0))
    assert [(e.target, e.reason) for e in entries] == [("accepted", "automatic acceptance")]

    shipping = OrderFacts(acceptance="accept", fulfilment="partial", billing="partial")
    current, entries = WF.settle(current, facts=shipping, at=later(24))
    assert WF.status(current.status).label == "in fulfilment"

    forfeited_rest = OrderFacts(acceptance="accept", fulfilment="finished", billing="complete")
    current, entries = WF.settle(current, facts=forfeited_rest, at=later(48))
    assert WF.status(current.status).label == "finished"
    assert entries[0].reason == "every position shipped or forfeited"
    assert WF.allowed(current, facts=forfeited_rest).allowed == ()


def test_an_order_under_review_waits_for_a_person_to_accept_it():
    review = OrderFacts(acceptance="review")
    assert WF.settle(order(), facts=review, at=later(0)) == (order(), ())
    accepted, entry = WF.transition(order(), "accepted", facts=review, at=later(2), by="supplier")
    assert (entry.by, entry.automatic) == ("supplier", False)
    assert WF.settle(accepted, facts=OrderFacts(fulfilment="complete"), at=later(3))[0].status == (
        "finished"
    )


def test_finished_cannot_be_picked_by_hand():
    accepted = attrs.evolve(order(), status="accepted")
    with pytest.raises(InvalidTransition, match="finished is set automatically, not by hand"):
        WF.transition(accepted, "finished", facts=OrderFacts(fulfilment="complete"), at=later(1))


def test_the_order_is_immutable_and_what_ships_is_billed_at_once():
    assert WF.settings.invoice_method is InvoiceMethod.ON_SHIPMENT
    current = attrs.evolve(order(), status="accepted")
    with pytest.raises(LockedError, match="its status accepted is locked"):
        WF.check_update(current, attrs.evolve(current, reference="PO-2"))
    assert all(WF.visible_to_customer(attrs.evolve(current, status=code)) for code in WF.codes)
