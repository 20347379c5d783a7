"""Demands: what is still open on an order line, waiting for supply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.model import Allocation, Forfeit, Order, Shipment, ShipmentKind

__all__ = ["Demand", "demands_for", "serve_key"]

_LAST_DAY = dt.date.max
_LAST_MOMENT = dt.datetime.max.replace(tzinfo=dt.UTC)


@attrs.frozen(kw_only=True)
class Demand:
    """What is still open on one order line: a quantity of one product, due on a date.

    Demands are served by priority (higher first), then due date (earlier first, undated
    last), then ``placed_at`` (earlier first, unknown last), then order id and line id, so the
    order is total and the same inputs always give the same plan.

    Args:
        line_id: the line it serves.
        order_id: the order the line belongs to; ``(order_id, line_id)`` is unique among the
            demands of one allocation (every order may have its own ``"l1"``).
        sku: the product asked for.
        quantity: what is still open on the line, a Decimal >= 0.
        due_on: when the line is due; supply expected after it is excluded by default.
        priority: higher is served first when supply is scarce.
        placed_at: when the order was placed (timezone-aware); earlier is served first.

    >>> Demand(line_id="l1", order_id="o1", sku="MANGROVE-A", quantity="250").quantity
    Decimal('250')
    """

    line_id: str = attrs.field(validator=f.required_text)
    order_id: str = attrs.field(validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    priority: int = attrs.field(default=0, validator=f.integer)
    placed_at: dt.datetime | None = attrs.field(default=None, validator=f.optional_moment)

    @property
    def key(self) -> tuple[str, str]:
        """The line it serves, as a plan names it: ``(order_id, line_id)``.

        >>> Demand(line_id="l1", order_id="o1", sku="TEA", quantity=1).key
        ('o1', 'l1')
        """
        return (self.order_id, self.line_id)


def serve_key(demand: Demand) -> tuple[int, dt.date, dt.datetime, str, str]:
    """The key that orders demands for service: the first sorts first.

    >>> a = Demand(line_id="a", order_id="o1", sku="X", quantity=1, priority=1)
    >>> b = Demand(line_id="b", order_id="o2", sku="X", quantity=1, due_on=dt.date(2027, 1, 1))
    >>> [d.line_id for d in sorted([b, a], key=serve_key)]
    ['a', 'b']
    """
    return (
        -demand.priority,
        demand.due_on or _LAST_DAY,
        demand.placed_at or _LAST_MOMENT,
        demand.order_id,
        demand.line_id,
    )


def demands_for(
    order: Order,
    *,
    allocations: Iterable[Allocation] = (),
    shipments: Iterable[Shipment] = (),
    forfeits: Iterable[Forfeit] = (),
) -> tuple[Demand, ...]:
    """Build the demands of an order: for each line, what is still open.

    Open is ordered minus allocated, minus shipped (deliveries less returns, cancelled
    shipments ignored), minus forfeited. An allocation is a reservation of goods not yet
    shipped: shipping consumes it, so shipped goods are not counted twice. Lines with nothing
    open give no demand. A line without a due date takes the order's ``promised_on``.

    Args:
        order: the order.
        allocations: allocations held for its lines (others are ignored).
        shipments: its shipments (others are ignored).
        forfeits: what its customer gave up (others are ignored).

    Returns:
        One demand per line with something open, in line order.

    >>> from orderbook import Money, OrderLine
    >>> order = Order(id="o1", customer_id="acme", currency="USD", priority=2, lines=[
    ...     OrderLine(id="l1", sku="MANGROVE-A", quantity=500, unit_price=Money("18", "USD"))])
    >>> held = Allocation(order_id="o1", line_id="l1", lot_id="lot-1", sku="MANGROVE-A",
    ...                   quantity=200)
    >>> [(d.line_id, d.quantity, d.priority) for d in demands_for(order, allocations=[held])]
    [('l1', Decimal('300'), 2)]
    """
    taken: dict[str, Decimal] = {}

    def take(line_id: str, quantity: Decimal) -> None:
        taken[line_id] = taken.get(line_id, Decimal(0)) + quantity

    for allocation in allocations:
        if allocation.order_id == order.id:
            take(allocation.line_id, allocation.quantity)
    for shipment in shipments:
        if shipment.order_id != order.id or shipment.cancelled:
            continue
        sign = -1 if shipment.kind is ShipmentKind.RETURN else 1
        for item in shipment.items:
            take(item.line_id, sign * item.quantity)
    for forfeit in forfeits:
        if forfeit.order_id == order.id:
            take(forfeit.line_id, forfeit.quantity)
    demands = []
    for line in order.lines:
        open_quantity = line.quantity - taken.get(line.id, Decimal(0))
        if open_quantity > 0:
            demands.append(
                Demand(
                    line_id=line.id,
                    order_id=order.id,
                    sku=line.sku,
                    quantity=open_quantity,
                    due_on=line.due_on or order.promised_on,
                    priority=order.priority,
                    placed_at=order.placed_at,
                )
            )
    return tuple(demands)
