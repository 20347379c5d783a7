"""b-op: an immutable customer order that is accepted, fulfilled and finished.

A customer order never changes: a change makes a new order referencing the old one, so no
status here is editable and every one is locked. The supplier accepts an order, by hand or
automatically (trusted customers under a threshold); it is in fulfilment once shipping or
production has begun, and finished once every position is shipped or forfeited. What ships
is billed at once. The customer sees every status.

>>> wf = bop()
>>> wf.settings.invoice_method
<InvoiceMethod.ON_SHIPMENT: 'on_shipment'>
>>> [r.name for r in wf.rules]
['automatic acceptance', 'every position shipped or forfeited', 'fulfilment started']
"""

from __future__ import annotations

from orderbook.model import Order
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import Acceptance, Fulfilment, OrderFacts, Production
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import InvoiceMethod, Settings, Status

__all__ = ["bop"]


def _accepted_automatically(order: Order, facts: OrderFacts) -> bool:
    return facts.acceptance is Acceptance.ACCEPT


def _finished(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment.done


def _fulfilment_started(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment is not Fulfilment.NONE or facts.production is not Production.NONE


def bop() -> Workflow:
    """b-op's customer order statuses: created, accepted, in fulfilment, finished.

    "accepted" is manual, and is also reached automatically when the acceptance verdict is
    "accept"; "in fulfilment" and "finished" are reached automatically from the facts.

    Returns:
        The workflow.
    """
    return Workflow(
        name="bop",
        statuses=[
            Status("created", "created", locked=True, customer_visible=True),
            Status(
                "accepted",
                "accepted",
                commits=True,
                locked=True,
                shippable=True,
                billable=True,
                customer_visible=True,
            ),
            Status(
                "in_fulfilment",
                "in fulfilment",
                manual=False,
                commits=True,
                locked=True,
                shippable=True,
                billable=True,
                customer_visible=True,
            ),
            Status(
                "finished",
                "finished",
                manual=False,
                commits=True,
                locked=True,
                terminal=True,
                customer_visible=True,
            ),
        ],
        initial="created",
        transitions=[Transition(source="created", target="accepted", name="accept")],
        rules=[
            Rule(
                source="created",
                target="accepted",
                when=_accepted_automatically,
                name="automatic acceptance",
            ),
            Rule(
                source=("accepted", "in_fulfilment"),
                target="finished",
                when=_finished,
                name="every position shipped or forfeited",
            ),
            Rule(
                source="accepted",
                target="in_fulfilment",
                when=_fulfilment_started,
                name="fulfilment started",
            ),
        ],
        settings=Settings(invoice_method=InvoiceMethod.ON_SHIPMENT),
    )
