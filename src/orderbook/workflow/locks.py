"""Finalizing, and what may still change on an order: editable statuses, locks and finalize.

Finalize (Kafinea) is not a status: it is the order's ``finalized_at``, set once and never
undone. Afterwards only the terms and the recurring plan may change.

>>> import datetime as dt
>>> from orderbook.model import Order
>>> order = Order(id="o1", customer_id="acme", currency="EUR")
>>> done = finalize(order, at=dt.datetime(2027, 5, 2, 17, 0, tzinfo=dt.UTC))
>>> done.finalized
True
>>> finalize(done, at=dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC))
Traceback (most recent call last):
...
orderbook.errors.LockedError: 'o1' is locked: it was finalized at 2027-05-02T17:00:00+00:00
"""

from __future__ import annotations

import datetime as dt

import attrs

from orderbook.errors import LockedError, ValidationError
from orderbook.model import Order
from orderbook.workflow.status import Status

__all__ = ["FINALIZED_MAY_CHANGE", "finalize"]

FINALIZED_MAY_CHANGE: tuple[str, ...] = ("terms", "recurrence")
"""The fields of a finalized order that may still change (Kafinea: the terms and the
recurring invoicing settings)."""

_BOOKKEEPING = ("version",)
_THROUGH_THE_ENGINE = ("id", "status", "finalized_at")
_ORDER_FIELDS = tuple(field.name for field in attrs.fields(Order))


def check_order(order: object, field: str = "order") -> Order:
    """Refuse anything but an Order with a ValidationError."""
    if not isinstance(order, Order):
        raise ValidationError(field, order, "must be an Order")
    return order


def check_moment(at: object) -> dt.datetime:
    """Refuse anything but a timezone-aware datetime with a ValidationError."""
    if not isinstance(at, dt.datetime) or at.utcoffset() is None:
        raise ValidationError("at", at, "must be a timezone-aware datetime")
    return at


def finalize(order: Order, *, at: dt.datetime) -> Order:
    """Finalize an order: lock it for good, except its terms and recurring plan.

    Args:
        order: the order to finalize.
        at: when, a timezone-aware datetime; it becomes ``finalized_at``.

    Returns:
        The order with ``finalized_at`` set.

    Raises:
        LockedError: the order is already finalized (it cannot be undone or redone).
        ValidationError: ``order`` is not an Order or ``at`` is not timezone-aware.
    """
    order = check_order(order)
    at = check_moment(at)
    if order.finalized_at is not None:
        raise LockedError(order.id, _finalized(order))
    return attrs.evolve(order, finalized_at=at)


def _finalized(order: Order) -> str:
    assert order.finalized_at is not None
    return f"it was finalized at {order.finalized_at.isoformat()}"


def editable_refusal(status: Status, order: Order) -> str | None:
    """Why the order's lines may not change now, or None when they may."""
    if order.finalized_at is not None:
        return _finalized(order)
    if status.locked:
        return f"its status {status.label} is locked"
    if not status.editable:
        return f"its status {status.label} is not editable"
    return None


def update_refusal(status: Status, before: Order, after: Order) -> str | None:
    """Why ``before`` may not become ``after``, or None when the change is allowed.

    Raises:
        ValidationError: the two are different orders, or the change touches the status or
            ``finalized_at``, which only the workflow and :func:`finalize` change.
    """
    for name in _THROUGH_THE_ENGINE:
        if getattr(before, name) != getattr(after, name):
            how = {
                "id": "must stay the same: it is another order",
                "status": "changes only through the workflow's transition",
                "finalized_at": "changes only through finalize, once",
            }[name]
            raise ValidationError(name, getattr(after, name), how, record=f"Order {before.id!r}")
    changed = [
        name
        for name in _ORDER_FIELDS
        if name not in _BOOKKEEPING and getattr(before, name) != getattr(after, name)
    ]
    if not changed:
        return None
    if before.finalized_at is not None and not status.locked:
        refused = [name for name in changed if name not in FINALIZED_MAY_CHANGE]
        if refused:
            may = ", ".join(FINALIZED_MAY_CHANGE)
            return f"{_finalized(before)}: only {may} may change, not {', '.join(refused)}"
        return None
    if status.locked:
        return f"its status {status.label} is locked"
    if "lines" in changed and not status.editable:
        return f"its status {status.label} is not editable: its lines may not change"
    return None
