"""Dolibarr: Draft -> Validated -> Shipment in process -> Delivered -> Processed.

"If the order has a draft status, you can edit it directly. If it does not, click the action
button labelled Modify." "To have an order processed, you must both ship it and bill it."
"""

import datetime as dt

import attrs
import pytest

from orderbook import InvalidTransition, LockedError, Money, Order, OrderLine
from orderbook.workflow import OrderFacts, presets

MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
LINE = OrderLine(id="l1", sku="DESK", quantity=2, unit_price=Money("240", "EUR"))


def later(hours):
    return MONDAY + dt.timedelta(hours=hours)


def draft():
    return Order(id="so-1", customer_id="acme", currency="EUR", lines=[LINE], status="draft")


def test_a_validated_order_is_locked_until_it_is_modified_back_to_draft():
    wf = presets.dolibarr()
    order = draft()
    wf.check_editable(order)

    order, _ = wf.transition(order, "validated", facts=OrderFacts(), at=later(1), by="ana")
    with pytest.raises(LockedError) as caught:
        wf.check_editable(order)
    assert caught.value.reason == (
        "its status Validated is not editable: move it to Draft ('modify') first"
    )
    more = attrs.evolve(order, lines=[attrs.evolve(LINE, quantity=3)])
    with pytest.raises(LockedError, match="its lines may not change"):
        wf.check_update(order, more)

    order, entry = wf.transition(
        order,
        "draft",
        facts=OrderFacts(),
        at=later(2),
        by="ana",
        reason="customer wants three desks",
    )
    assert entry.source == "validated"
    wf.check_editable(order)
    wf.check_update(order, attrs.evolve(order, lines=[attrs.evolve(LINE, quantity=3)]))


def test_shipping_then_billing_processes_the_order_by_rule():
    wf = presets.dolibarr(classify_billed_on="invoice_issued")
    order, _ = wf.transition(draft(), "validated", facts=OrderFacts(), at=later(1), by="ana")
    assert wf.status("validated").billable
    assert wf.status("delivered").billable

    order, entries = wf.settle(order, facts=OrderFacts(fulfilment="partial"), at=later(2))
    assert [wf.status(e.target).label for e in entries] == ["Shipment in Process"]

    shipped = OrderFacts(fulfilment="complete")
    order, entries = wf.settle(order, facts=shipped, at=later(3))
    assert order.status == "delivered"

    billed = OrderFacts(fulfilment="complete", billing="complete")
    order, entries = wf.settle(order, facts=billed, at=later(4))
    assert order.status == "processed"
    assert entries[0].reason == "invoices validated for the whole order"
    with pytest.raises(InvalidTransition, match="Processed is terminal"):
        wf.transition(order, "validated", facts=billed, at=later(5))


def test_billing_alone_does_not_process_an_order_that_has_not_shipped():
    wf = presets.dolibarr(classify_billed_on="invoice_issued")
    order = attrs.evolve(draft(), status="validated")
    settled, entries = wf.settle(order, facts=OrderFacts(billing="complete"), at=later(1))
    assert (settled.status, entries) == ("validated", ())


def test_paid_invoices_are_needed_when_billed_means_paid():
    wf = presets.dolibarr(classify_billed_on="invoice_paid")
    order = attrs.evolve(draft(), status="delivered")
    issued = OrderFacts(fulfilment="complete", billing="complete")
    assert wf.settle(order, facts=issued, at=later(1))[0].status == "delivered"
    paid = OrderFacts(fulfilment="complete", billing="complete", payment="complete")
    assert wf.settle(order, facts=paid, at=later(2))[0].status == "processed"


def test_classify_delivered_then_classify_billed_by_hand_without_shipments():
    wf = presets.dolibarr(shipments=False)
    assert "shipment_in_process" not in wf.codes
    order, _ = wf.transition(draft(), "validated", facts=OrderFacts(), at=later(1), by="ana")

    choices = wf.allowed(order, facts=OrderFacts())
    assert set(choices.allowed) == {"draft", "delivered", "canceled"}
    assert choices.reason("processed") == "there is no transition from Validated to Processed"

    order, _ = wf.transition(order, "delivered", facts=OrderFacts(), at=later(2), by="ana")
    order, entry = wf.transition(
        order, "processed", facts=OrderFacts(), at=later(3), by="ana", reason="classify billed"
    )
    assert (entry.reason, entry.by) == ("classify billed", "ana")
    assert wf.status(order.status).label == "Processed"
    assert wf.settle(order, facts=OrderFacts(), at=later(4)) == (order, ())


def test_order_to_bill_follows_the_users_choice():
    assert presets.dolibarr().settings.to_bill == ("validated", "shipment_in_process", "delivered")
    assert presets.dolibarr(order_to_bill="delivered").settings.to_bill == ("delivered",)


def test_a_canceled_order_cannot_be_validated_again():
    wf = presets.dolibarr()
    order = attrs.evolve(draft(), status="validated")
    order, _ = wf.transition(order, "canceled", facts=OrderFacts(), at=later(1), by="ana")
    with pytest.raises(InvalidTransition, match="Canceled is terminal"):
        wf.transition(order, "validated", facts=OrderFacts(), at=later(2), by="ana")
