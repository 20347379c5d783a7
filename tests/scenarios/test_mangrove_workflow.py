"""Mangrove: statuses decide whether an order's credits are committed from the inventory.

"Statuses such as Draft, Expired or Cancelled do not consider their included credits as
committed from the inventory. New order statuses can be configured by admins."
"""

import datetime as dt

import attrs
import pytest

from orderbook import InvalidTransition, Money, Order, OrderLine
from orderbook.workflow import OrderFacts, Status, Transition, presets

WF = presets.mangrove()
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def later(days):
    return MONDAY + dt.timedelta(days=days)


def offtake():
    deliveries = [
        OrderLine(
            id=f"delivery-{n}",
            sku="MANGROVE-A",
            quantity=1000,
            unit_price=Money("18", "USD"),
            due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
        )
        for n in range(6)
    ]
    return Order(
        id="mg-1",
        customer_id="acmecorp",
        currency="USD",
        lines=deliveries,
        delivery_method="retirement",
        beneficiary="AcmeCorp",
        expires_on=dt.date(2027, 3, 31),
        status=WF.initial,
    )


def commits(order):
    return WF.status(order.status).commits


def test_placing_allocates_at_once_and_needs_supply():
    assert WF.settings.allocate_on_place
    assert WF.settings.require_availability


def test_a_confirmed_offtake_commits_its_credits_until_every_delivery_is_made():
    order = offtake()
    assert not commits(order), "a Draft order's credits are tentative"

    order, _ = WF.transition(order, "confirmed", facts=OrderFacts(), at=later(1), by="trader")
    assert commits(order)

    partly = OrderFacts(allocation="complete", allocated_on_hand=False, fulfilment="partial")
    with pytest.raises(InvalidTransition, match="not every line is shipped or forfeited yet"):
        WF.transition(order, "delivered", facts=partly, at=later(200), by="trader")
    with pytest.raises(InvalidTransition, match="part of the order has shipped"):
        WF.transition(order, "draft", facts=partly, at=later(200), by="trader")

    done = OrderFacts(allocation="complete", allocated_on_hand=True, fulfilment="complete")
    order, _ = WF.transition(order, "delivered", facts=done, at=later(1000), by="trader")
    assert commits(order)
    assert WF.status("delivered").terminal


def test_a_draft_past_its_expiry_date_expires_by_itself_and_may_be_reopened():
    order = offtake()
    order, entries = WF.settle(order, facts=OrderFacts(expired=True), at=later(31))
    assert WF.status(order.status).label == "Expired"
    assert not commits(order)
    assert [(e.reason, e.automatic) for e in entries] == [("expires_on passed", True)]

    with pytest.raises(InvalidTransition, match="Expired is set automatically, not by hand"):
        WF.transition(offtake(), "expired", facts=OrderFacts(), at=later(1))
    with pytest.raises(InvalidTransition, match="still past its expiry date"):
        WF.transition(order, "draft", facts=OrderFacts(expired=True), at=later(32))

    renewed = attrs.evolve(order, expires_on=dt.date(2027, 6, 30))
    order, _ = WF.transition(renewed, "draft", facts=OrderFacts(), at=later(32), by="trader")
    assert WF.settle(order, facts=OrderFacts(), at=later(33)) == (order, ())


def test_a_confirmed_order_does_not_expire():
    order = attrs.evolve(offtake(), status="confirmed")
    assert WF.settle(order, facts=OrderFacts(expired=True), at=later(40)) == (order, ())


def test_a_cancelled_order_commits_nothing_and_stays_cancelled():
    order, _ = WF.transition(offtake(), "cancelled", facts=OrderFacts(), at=later(1), by="trader")
    assert not commits(order)
    with pytest.raises(InvalidTransition, match="Cancelled is terminal"):
        WF.transition(order, "draft", facts=OrderFacts(), at=later(2), by="trader")


def test_an_admin_adds_a_committing_signed_status_without_touching_the_engine():
    custom = WF.with_status(
        Status("signed", "Signed", commits=True, editable=True),
        after="draft",
        transitions=[
            Transition(source="draft", target="signed", name="sign"),
            Transition(source="signed", target="confirmed", name="confirm"),
        ],
    )
    order, _ = custom.transition(offtake(), "signed", facts=OrderFacts(), at=later(1), by="admin")
    assert custom.status(order.status).commits
    order, _ = custom.transition(order, "confirmed", facts=OrderFacts(), at=later(2), by="admin")
    assert order.status == "confirmed"
    assert "signed" not in WF.codes
