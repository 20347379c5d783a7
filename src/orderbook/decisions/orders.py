"""The rules over an order's life: which allocations survive an edit, amending and deleting.

The book loads an order with its records, asks these functions, and saves what they return;
each raises the domain error that refuses the command.

>>> from orderbook import Order
>>> order = Order(id="o1", customer_id="acme", currency="EUR")
>>> check_deletable(order, shipments=(), invoices=(), payments=())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from orderbook.errors import LockedError, ValidationError
from orderbook.model import (
    Allocation,
    DocumentStatus,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Shipment,
)
from orderbook.rollup import OrderSummary
from orderbook.workflow import Workflow

__all__ = [
    "billed_or_paid_lines",
    "check_amendable",
    "check_deletable",
    "kept_allocations",
    "newest_first",
    "once_issued",
    "shrink_to",
]

_ZERO = Decimal(0)
_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def newest_first(allocation: Allocation) -> tuple[dt.datetime, str]:
    """Sort key: reversed, the newest allocation first (undated ones are the oldest).

    >>> import datetime as dt
    >>> from orderbook import Allocation
    >>> old = Allocation(id="a1", order_id="o1", line_id="l1", lot_id="L", sku="TEA",
    ...                  quantity=1, at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    >>> undated = attrs.evolve(old, id="a2", at=None)
    >>> [a.id for a in sorted([old, undated], key=newest_first, reverse=True)]
    ['a1', 'a2']
    """
    return (allocation.at or _OLDEST, allocation.id)


def shrink_to(allocations: Sequence[Allocation], quantity: Decimal) -> list[Allocation]:
    """Keep at most ``quantity`` of the allocations, releasing the newest first.

    The kept allocations come newest first; the one cut in part keeps what is left of it.

    >>> import datetime as dt
    >>> from orderbook import Allocation
    >>> def held(id, day, quantity):
    ...     return Allocation(id=id, order_id="o1", line_id="l1", lot_id="L", sku="TEA",
    ...                       quantity=quantity, at=dt.datetime(2027, 1, day, tzinfo=dt.UTC))
    >>> [(a.id, a.quantity) for a in shrink_to([held("a1", 1, 4), held("a2", 2, 3)], Decimal(5))]
    [('a2', Decimal('1')), ('a1', Decimal('4'))]
    """
    held = sum((a.quantity for a in allocations), _ZERO)
    excess = held - max(quantity, _ZERO)
    kept = []
    for allocation in sorted(allocations, key=newest_first, reverse=True):
        if excess <= 0:
            kept.append(allocation)
        elif allocation.quantity > excess:
            kept.append(attrs.evolve(allocation, quantity=allocation.quantity - excess))
            excess = _ZERO
        else:
            excess -= allocation.quantity
    return kept


def billed_or_paid_lines(invoices: Iterable[Invoice], payments: Iterable[Payment]) -> set[str]:
    """The ids of the order lines an invoice or a payment names.

    A cancelled invoice still names its lines: the rollups read it (an exception, until
    replaced), so a line it names must stay. So must a line a payment names.

    >>> import datetime as dt
    >>> from orderbook import Money, Payment
    >>> paid = Payment(amount=Money("5.00", "EUR"), received_on=dt.date(2027, 1, 2),
    ...                order_id="o1", line_id="l2")
    >>> sorted(billed_or_paid_lines((), [paid]))
    ['l2']
    """
    billed = {
        line.order_line_id
        for invoice in invoices
        for line in invoice.lines
        if line.order_line_id is not None
    }
    return billed | {p.line_id for p in payments if p.line_id is not None}


def kept_allocations(
    order: Order,
    lines: Sequence[OrderLine],
    *,
    allocations: Sequence[Allocation],
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    figures: OrderSummary,
) -> list[Allocation]:
    """Check an order's new lines against what happened to its old ones; the allocations kept.

    ``figures`` is the order's summary from every record (what each line shipped, delivered
    and forfeited). A line with shipments, forfeits, invoices or payments may not go or change
    product, nor shrink below what was delivered and forfeited. Allocations of dropped lines
    go; those above a line's new open quantity are released, newest first.

    Raises:
        ValidationError: a used line is removed or changes product (``lines['<id>']``), or a
            line shrinks below what was delivered and forfeited (``lines[<index>].quantity``).

    >>> import datetime as dt
    >>> from orderbook import Allocation, Money, Order, OrderLine
    >>> from orderbook.rollup import summarize
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="TEA", quantity=10, unit_price=Money("4.00", "EUR"))])
    >>> held = Allocation(id="a1", order_id="o1", line_id="l1", lot_id="L", sku="TEA",
    ...                   quantity=10)
    >>> figures = summarize(order, as_of=dt.date.max)  # nothing shipped or forfeited
    >>> fewer = [attrs.evolve(order.lines[0], quantity=6)]
    >>> kept = kept_allocations(order, fewer, allocations=[held], invoices=(), payments=(),
    ...                         figures=figures)
    >>> [(a.id, a.quantity) for a in kept]
    [('a1', Decimal('6'))]
    """
    billed = billed_or_paid_lines(invoices, payments)
    new = {line.id: line for line in lines}
    kept: list[Allocation] = []
    for index, old in enumerate(order.lines):
        done = figures.line(old.id)
        used = done.shipped > 0 or done.forfeited > 0 or old.id in billed
        line = new.get(old.id)
        if used and (line is None or line.sku != old.sku):
            raise ValidationError(
                f"lines[{old.id!r}]",
                old.id,
                "has shipments, forfeits, invoices or payments: it may not be removed or change "
                "product",
            )
        if line is None or line.sku != old.sku:
            continue
        if line.quantity < done.delivered + done.forfeited:
            raise ValidationError(
                f"lines[{index}].quantity",
                line.quantity,
                f"must not be below the {done.delivered + done.forfeited} delivered and forfeited",
            )
        held = [a for a in allocations if a.line_id == old.id]
        kept.extend(shrink_to(held, line.quantity - done.delivered - done.forfeited))
    return kept


def check_amendable(order: Order, workflow: Workflow) -> None:
    """Refuse to amend an order that is finalized or in a terminal status.

    Raises:
        LockedError: the order is finalized, or its status is terminal in ``workflow``.

    >>> from orderbook import Order, OrderbookError, presets
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", status="cancelled")
    >>> try:
    ...     check_amendable(order, presets.standard())
    ... except OrderbookError as error:
    ...     print(error)
    'o1' is locked: its status Cancelled is terminal: it cannot be amended
    """
    status = workflow.status(order.status)
    if status.terminal or order.finalized_at is not None:
        why = "it is finalized" if order.finalized_at else f"its status {status.label} is terminal"
        raise LockedError(order.id, f"{why}: it cannot be amended")


def once_issued(invoice: Invoice) -> bool:
    """Whether an invoice was issued: it is issued, or cancelled and carries an issue date.

    >>> from orderbook import Invoice
    >>> once_issued(Invoice(customer_id="acme", currency="EUR"))
    False
    """
    if invoice.status is DocumentStatus.ISSUED:
        return True
    return invoice.status is DocumentStatus.CANCELLED and invoice.issued_on is not None


def check_deletable(
    order: Order,
    *,
    shipments: Sequence[Shipment],
    invoices: Iterable[Invoice],
    payments: Sequence[Payment],
) -> None:
    """Refuse to delete an order that is finalized, shipped, invoiced or paid.

    Checked in that order; an order whose invoices are all drafts (or cancelled before they
    were issued) may go.

    Raises:
        LockedError: the order is finalized, has shipments, has an invoice once issued, or has
            payments recorded against it.
    """
    if order.finalized_at is not None:
        raise LockedError(order.id, "it is finalized: it cannot be deleted")
    if shipments:
        raise LockedError(order.id, "it has shipments: it cannot be deleted")
    if any(once_issued(invoice) for invoice in invoices):
        raise LockedError(order.id, "it has issued invoices: it cannot be deleted")
    if payments:
        raise LockedError(order.id, "payments were recorded against it: it cannot be deleted")
