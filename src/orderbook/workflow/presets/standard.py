"""A sensible default for new users: draft, confirmed, shipped in parts or in full, completed.

A person confirms a draft (which commits its allocations) and may cancel it before anything
ships. Shipments move it to Partially shipped and Shipped by themselves, and returns move it
back. It is Completed once billed and paid in full with no open exception, automatically,
or by hand once shipped.

>>> wf = standard()
>>> wf.codes
('draft', 'confirmed', 'partially_shipped', 'shipped', 'completed', 'cancelled')
"""

from __future__ import annotations

from orderbook.model import Order
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import Fulfilment, OrderFacts, Progress
from orderbook.workflow.guards import all_of, fully_shipped, no_exception, nothing_shipped
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import InvoiceMethod, Settings, Status

__all__ = ["standard"]


def _partly_shipped(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment is Fulfilment.PARTIAL


def _all_shipped(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment.done


def _all_returned(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment is Fulfilment.NONE


def _billed_and_paid(order: Order, facts: OrderFacts) -> bool:
    return (
        facts.fulfilment.done
        and facts.billing is Progress.COMPLETE
        and facts.payment is Progress.COMPLETE
        and not facts.exception
    )


def standard(invoice_method: InvoiceMethod | str = InvoiceMethod.MANUAL) -> Workflow:
    """The default workflow: draft, confirmed, partially shipped, shipped, completed, cancelled.

    Args:
        invoice_method: when the book makes invoices by itself: ``"manual"``,
            ``"on_order"`` or ``"on_shipment"``.

    Returns:
        The workflow.

    Raises:
        ValidationError: an unknown invoice method.
    """
    return Workflow(
        name="standard",
        statuses=[
            Status("draft", "Draft", editable=True),
            Status(
                "confirmed",
                "Confirmed",
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
                customer_visible=True,
            ),
            Status(
                "partially_shipped",
                "Partially shipped",
                manual=False,
                commits=True,
                billable=True,
                shippable=True,
                customer_visible=True,
            ),
            Status(
                "shipped",
                "Shipped",
                manual=False,
                commits=True,
                billable=True,
                customer_visible=True,
            ),
            Status(
                "completed",
                "Completed",
                commits=True,
                terminal=True,
                locked=True,
                customer_visible=True,
            ),
            Status(
                "cancelled",
                "Cancelled",
                terminal=True,
                releases=True,
                locked=True,
                customer_visible=True,
                cancels=True,
            ),
        ],
        initial="draft",
        transitions=[
            Transition(source="draft", target="confirmed", name="confirm"),
            Transition(source="confirmed", target="draft", name="reopen", guard=nothing_shipped),
            Transition(
                source=("draft", "confirmed"),
                target="cancelled",
                name="cancel",
                guard=nothing_shipped,
            ),
            Transition(
                source="shipped",
                target="completed",
                name="complete",
                guard=all_of(fully_shipped, no_exception),
            ),
        ],
        rules=[
            Rule(
                source=("confirmed", "partially_shipped"),
                target="shipped",
                when=_all_shipped,
                name="everything shipped",
            ),
            Rule(
                source="confirmed",
                target="partially_shipped",
                when=_partly_shipped,
                name="shipping started",
            ),
            Rule(
                source="shipped",
                target="partially_shipped",
                when=_partly_shipped,
                name="a return came back",
            ),
            Rule(
                source=("partially_shipped", "shipped"),
                target="confirmed",
                when=_all_returned,
                name="everything came back",
            ),
            Rule(
                source="shipped",
                target="completed",
                when=_billed_and_paid,
                name="billed and paid in full",
            ),
        ],
        settings=Settings(invoice_method=invoice_method),
    )
