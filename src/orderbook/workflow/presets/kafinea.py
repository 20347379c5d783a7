"""Kafinea: Founded, Approved, Delivered, Cancelled, and Finalize, which locks for good.

The status is independent of invoicing: an order may be invoiced, in parts or on a
recurring plan, whatever its status, and edited until it is finalized. Finalize is not a
status (see :func:`orderbook.workflow.finalize`): afterwards only the terms and the
recurrence may change, and the customer portal shows the order.

>>> wf = kafinea()
>>> [s.label for s in wf.statuses]
['Founded', 'Approved', 'Delivered', 'Cancelled']
>>> wf.settings.visible_once_finalized
True
"""

from __future__ import annotations

from orderbook.errors import ValidationError
from orderbook.workflow.engine import Workflow
from orderbook.workflow.moves import Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["kafinea"]


def kafinea(portal: bool = True) -> Workflow:
    """Kafinea's customer order lifecycle.

    Args:
        portal: the customer portal (extranet) is activated: it shows finalized orders
            that are not cancelled.

    Returns:
        The workflow.

    Raises:
        ValidationError: ``portal`` is not a bool.
    """
    if not isinstance(portal, bool):
        raise ValidationError("portal", portal, "must be True or False")
    return Workflow(
        name="kafinea",
        statuses=[
            Status(
                "founded",
                "Founded",
                commits=True,
                editable=True,
                billable=True,
                customer_visible=portal,
            ),
            Status(
                "approved",
                "Approved",
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
                customer_visible=portal,
            ),
            Status(
                "delivered",
                "Delivered",
                commits=True,
                editable=True,
                billable=True,
                shippable=True,
                customer_visible=portal,
            ),
            Status(
                "cancelled", "Cancelled", terminal=True, releases=True, locked=True, cancels=True
            ),
        ],
        initial="founded",
        transitions=[
            Transition(source="founded", target="approved", name="approve"),
            Transition(source="approved", target="founded", name="withdraw approval"),
            Transition(source="approved", target="delivered", name="deliver"),
            Transition(source="delivered", target="approved", name="reopen delivery"),
            Transition(
                source=("founded", "approved", "delivered"), target="cancelled", name="cancel"
            ),
        ],
        settings=Settings(visible_once_finalized=True),
    )
