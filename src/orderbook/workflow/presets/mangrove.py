"""Mangrove: carbon-credit orders whose status says whether their credits are committed.

"Statuses such as Draft, Expired or Cancelled do not consider their included credits as
committed from the inventory." A delivery is fulfilled with the best available credits as
soon as it is saved, and only when issued credits or forecasts can cover it. Admins add
statuses of their own: derive one from this preset (see the docs).

>>> from orderbook.workflow.counting import PaymentState
>>> wf = mangrove()
>>> [s.label for s in wf.statuses if s.commits]
['Confirmed', 'Delivered']
>>> wf.settings.allocate_on_place, wf.settings.require_availability
(True, True)
>>> wf.settings.counting.payments, wf.settings.counting.label(PaymentState.PART_PAID)
(<PaymentBasis.LINES: 'lines'>, 'Partially Paid')
"""

from __future__ import annotations

from orderbook.model import Order
from orderbook.workflow.counting import CountingRules, PaymentBasis
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import OrderFacts
from orderbook.workflow.guards import fully_shipped, nothing_shipped
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["mangrove"]


def _expired(order: Order, facts: OrderFacts) -> bool:
    return facts.expired


def _not_expired(order: Order, facts: OrderFacts) -> str | None:
    return (
        "the order is still past its expiry date: move expires_on first" if facts.expired else None
    )


# "A payment from a customer can be recorded on each delivery"; the order's payment status
# summarizes them: "A Partially Paid order has both deliveries that have been paid, and
# deliveries that have not been paid."
_COUNTING = CountingRules(
    payments=PaymentBasis.LINES,
    labels={"not_paid": "Not Paid", "part_paid": "Partially Paid", "paid": "Paid"},
)


def mangrove() -> Workflow:
    """Mangrove's order statuses: Draft, Confirmed, Delivered, Expired and Cancelled.

    Only Confirmed and Delivered commit credits. A Draft order past its ``expires_on``
    expires by itself, and may be reopened once its date has moved. Placing an order
    allocates its deliveries at once, and a delivery needs issued or forecast credits to
    cover it. Payments are recorded per delivery: the order is Paid when every delivery is,
    and Partially Paid when some are.

    Returns:
        The workflow.
    """
    return Workflow(
        name="mangrove",
        statuses=[
            Status("draft", "Draft", editable=True),
            Status(
                "confirmed",
                "Confirmed",
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
            ),
            Status("delivered", "Delivered", commits=True, billable=True, terminal=True),
            Status("expired", "Expired", manual=False),
            Status("cancelled", "Cancelled", terminal=True, locked=True, cancels=True),
        ],
        initial="draft",
        transitions=[
            Transition(source="draft", target="confirmed", name="confirm"),
            Transition(
                source="confirmed", target="draft", name="revert to draft", guard=nothing_shipped
            ),
            Transition(
                source="confirmed", target="delivered", name="deliver", guard=fully_shipped
            ),
            Transition(source="expired", target="draft", name="reopen", guard=_not_expired),
            Transition(
                source=("draft", "confirmed", "expired"), target="cancelled", name="cancel"
            ),
        ],
        rules=[Rule(source="draft", target="expired", when=_expired, name="expires_on passed")],
        settings=Settings(allocate_on_place=True, require_availability=True, counting=_COUNTING),
    )
