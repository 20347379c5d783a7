"""MRPeasy: ten customer order statuses, some picked by people and some set from the facts.

Quotation, Waiting for Confirmation, Confirmed, Delivered, Canceled and Archived are
assigned manually. Waiting for Production, In Production, Ready for Shipment and Shipped
are assigned automatically, from the bookings, the manufacturing orders and the shipments.
"Some can be skipped." A canceled order releases all its bookings and cannot be restored.

>>> wf = mrpeasy()
>>> [s.label for s in wf.statuses if not s.manual]
['Waiting for Production', 'In Production', 'Ready for Shipment', 'Shipped']
>>> wf.status("canceled").releases, wf.status("canceled").terminal
(True, True)
>>> sorted(kind.value for kind in wf.settings.counting.kinds)
['invoice']
"""

from __future__ import annotations

from orderbook.model import Order
from orderbook.workflow.counting import CountingRules
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import OrderFacts, Production, Progress
from orderbook.workflow.guards import fully_shipped
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["mrpeasy"]

_OPEN = ("confirmed", "waiting_for_production", "in_production", "ready_for_shipment")


def _all_shipped(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment.done


def _production_started(order: Order, facts: OrderFacts) -> bool:
    return facts.production is Production.STARTED


def _booked_from_stock(order: Order, facts: OrderFacts) -> bool:
    return facts.allocation is Progress.COMPLETE and facts.allocated_on_hand


def _booked_from_planned_supply(order: Order, facts: OrderFacts) -> bool:
    return facts.allocation is Progress.COMPLETE and not facts.allocated_on_hand


def mrpeasy() -> Workflow:
    """MRPeasy's customer order statuses, with the seed's labels.

    Confirming books the order (Confirmed commits). Then the facts move it on by
    themselves: everything booked with some of it from planned production or supply gives
    Waiting for Production; production started gives In Production; everything booked
    from stock gives Ready for Shipment; everything shipped gives Shipped. A person marks it
    Delivered once all has shipped (skipping Shipped if settling has not run yet), and may
    archive it afterwards.

    Returns:
        The workflow.
    """
    return Workflow(
        name="mrpeasy",
        statuses=[
            Status("quotation", "Quotation", editable=True),
            Status("waiting_for_confirmation", "Waiting for Confirmation", editable=True),
            Status(
                "confirmed",
                "Confirmed",
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
            ),
            Status(
                "waiting_for_production",
                "Waiting for Production",
                manual=False,
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
            ),
            Status(
                "in_production",
                "In Production",
                manual=False,
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
            ),
            Status(
                "ready_for_shipment",
                "Ready for Shipment",
                manual=False,
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
            ),
            Status("shipped", "Shipped", manual=False, commits=True, billable=True),
            Status("delivered", "Delivered", commits=True, billable=True),
            Status(
                "canceled", "Canceled", terminal=True, releases=True, locked=True, cancels=True
            ),
            Status("archived", "Archived", commits=True, terminal=True, locked=True),
        ],
        initial="quotation",
        transitions=[
            Transition(source="quotation", target="waiting_for_confirmation", name="send"),
            Transition(
                source="waiting_for_confirmation", target="quotation", name="back to quotation"
            ),
            Transition(
                source=("quotation", "waiting_for_confirmation"),
                target="confirmed",
                name="confirm",
            ),
            Transition(
                source=(*_OPEN, "shipped"), target="delivered", name="deliver", guard=fully_shipped
            ),
            Transition(
                source=("quotation", "waiting_for_confirmation", *_OPEN),
                target="canceled",
                name="cancel",
            ),
            Transition(source="delivered", target="archived", name="archive old data"),
        ],
        rules=[
            Rule(source=_OPEN, target="shipped", when=_all_shipped, name="all products shipped"),
            Rule(
                source=("confirmed", "waiting_for_production"),
                target="in_production",
                when=_production_started,
                name="production started",
            ),
            Rule(
                source=("confirmed", "waiting_for_production", "in_production"),
                target="ready_for_shipment",
                when=_booked_from_stock,
                name="all products booked from stock",
            ),
            Rule(
                source="confirmed",
                target="waiting_for_production",
                when=_booked_from_planned_supply,
                name="all booked, some from planned production or supply",
            ),
        ],
        # "Only invoices with the type Invoice ... are counted."
        settings=Settings(counting=CountingRules(kinds=["invoice"])),
    )
