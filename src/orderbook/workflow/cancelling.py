"""Where cancelling moves an order: the status flagged ``cancels``, by a transition from here.

The book never looks for a status by its name: :func:`cancel_target` reads the workflow's
flags and transitions, and says where the order goes, or why it cannot be cancelled now.
A transition's guard is asked by the move itself (:meth:`Workflow.transition`).

>>> from orderbook.model import Order
>>> from orderbook.workflow import presets
>>> wf = presets.mrpeasy()
>>> cancel_target(wf, Order(id="o1", customer_id="acme", currency="EUR", status="confirmed"))
'canceled'
>>> cancel_target(wf, Order(id="o1", customer_id="acme", currency="EUR", status="delivered"))
Traceback (most recent call last):
...
orderbook.errors.InvalidTransition: order 'o1' cannot move from 'delivered' to 'canceled':
workflow 'mrpeasy' cannot cancel from Delivered
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orderbook.errors import InvalidTransition, NotFound, ValidationError
from orderbook.model import Order

if TYPE_CHECKING:
    from orderbook.workflow.engine import Workflow

__all__ = ["cancel_target"]

_NO_TARGET = "cancelled"  # the target an error names when the workflow cannot cancel at all


def cancel_target(workflow: Workflow, order: Order) -> str:
    """Return the code of the status that cancelling moves ``order`` to from its status now.

    That is the workflow's status flagged ``cancels``
    (:attr:`~orderbook.workflow.Workflow.cancel_status`), when a transition leads there from
    the order's status.

    Raises:
        InvalidTransition: the workflow has no status that cancels, or no transition to it
            from the order's status; the reason names the workflow and the status.
        ValidationError: ``order`` is not an Order, or its status is not the workflow's.
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    try:
        current = workflow.status(order.status)
    except NotFound:
        raise ValidationError(
            "status",
            order.status,
            f"is not a status of workflow {workflow.name!r}",
            record=f"Order {order.id!r}",
        ) from None
    target = workflow.cancel_status
    if target is not None and any(
        t.target == target.code and current.code in t.source for t in workflow.transitions
    ):
        return target.code
    raise InvalidTransition(
        order.id,
        current.code,
        _NO_TARGET if target is None else target.code,
        f"workflow {workflow.name!r} cannot cancel from {current.label}",
    )
