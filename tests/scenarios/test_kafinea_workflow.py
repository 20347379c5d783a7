"""Kafinea: Founded, Approved, Delivered, Cancelled; Finalize locks the order for good.

"Once finalized the document can no longer be edited, with the exception of the bylaws and
recurrence information." "This action cannot be undone."
"""

import datetime as dt

import attrs
import pytest

from orderbook import InvalidTransition, LockedError, Money, Order, OrderLine, RecurringPlan
from orderbook.errors import ValidationError
from orderbook.workflow import OrderFacts, finalize, presets

WF = presets.kafinea()
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
LINE = OrderLine(
    id="l1", sku="MAINTENANCE", quantity=1, unit_price=Money("90", "EUR"), recurring=True
)


def later(days):
    return MONDAY + dt.timedelta(days=days)


def order():
    return Order(
        id="kf-1",
        customer_id="acme",
        currency="EUR",
        subject="Maintenance contract",
        lines=[LINE],
        status=WF.initial,
        recurrence=RecurringPlan(start=dt.date(2027, 4, 1), frequency="monthly"),
    )


def test_a_maintenance_order_is_approved_delivered_and_finalized():
    current = order()
    assert WF.status(current.status).label == "Founded"
    WF.check_editable(current)

    current, _ = WF.transition(current, "approved", facts=OrderFacts(), at=later(1), by="rep")
    WF.check_update(current, attrs.evolve(current, subject="Maintenance contract 2027"))
    current, _ = WF.transition(current, "delivered", facts=OrderFacts(), at=later(2), by="rep")
    WF.check_editable(current)  # delivery and invoicing do not lock a Kafinea order
    assert not WF.visible_to_customer(current)

    current = finalize(current, at=later(3))
    assert WF.visible_to_customer(current)

    with pytest.raises(LockedError) as caught:
        WF.check_editable(current)
    assert caught.value.reason == "it was finalized at 2027-03-04T09:00:00+00:00"
    with pytest.raises(LockedError, match="not lines"):
        WF.check_update(current, attrs.evolve(current, lines=[attrs.evolve(LINE, quantity=2)]))

    # The recurrence and the terms may still change: stop invoicing at the end of the year.
    plan = attrs.evolve(current.recurrence, until=dt.date(2027, 12, 31))
    WF.check_update(current, attrs.evolve(current, recurrence=plan, terms="Net 30"))
    stopped = attrs.evolve(current.recurrence, enabled=False)
    WF.check_update(current, attrs.evolve(current, recurrence=stopped))

    # Finalizing locks the document, not the lifecycle: the order can still be cancelled.
    cancelled, _ = WF.transition(current, "cancelled", facts=OrderFacts(), at=later(4), by="rep")
    assert cancelled.status == "cancelled"
    assert cancelled.finalized


def test_finalizing_cannot_be_undone_or_repeated():
    done = finalize(order(), at=later(1))
    with pytest.raises(LockedError, match="it was finalized at"):
        finalize(done, at=later(2))
    with pytest.raises(ValidationError, match="finalized_at changes only through finalize"):
        WF.check_update(done, attrs.evolve(done, finalized_at=None))


def test_a_cancelled_order_stays_cancelled_and_is_not_shown_on_the_portal():
    current, entry = WF.transition(order(), "cancelled", facts=OrderFacts(), at=later(1), by="rep")
    assert WF.status(entry.target).releases
    assert not WF.visible_to_customer(finalize(current, at=later(2)))
    with pytest.raises(InvalidTransition, match="Cancelled is terminal"):
        WF.transition(current, "founded", facts=OrderFacts(), at=later(2), by="rep")


def test_without_the_portal_no_order_is_shown():
    current = finalize(attrs.evolve(order(), status="delivered"), at=later(1))
    assert WF.visible_to_customer(current)
    assert not presets.kafinea(portal=False).visible_to_customer(current)
