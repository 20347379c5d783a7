"""Which orders are live: the one place an amended order's old revisions are left out.

Amending an order makes a new revision that names the old one in ``supersedes``; the old
revision is then superseded (read-only, kept for the record). An order is live when no order
names it in ``supersedes``.

>>> from orderbook import Order
>>> first = Order(id="o1", customer_id="acme", currency="EUR")
>>> second = Order(id="o1~r2", customer_id="acme", currency="EUR", revision=2, supersedes="o1")
>>> [order.id for order in live_orders([first, second])]
['o1~r2']
"""

from __future__ import annotations

from collections.abc import Iterable

from orderbook._args import items_arg
from orderbook.model import Order

__all__ = ["live_orders"]


def live_orders(orders: Iterable[Order]) -> tuple[Order, ...]:
    """The orders that no order among them supersedes, in the order given.

    A revision is superseded when another of the orders given names it in ``supersedes``, so
    pass every revision that may supersede one (all of a customer's orders, or all orders).

    Raises:
        ValidationError: ``orders`` is not a list or tuple of orders.
    """
    found = items_arg("orders", orders, Order)
    superseded = {order.supersedes for order in found if order.supersedes}
    return tuple(order for order in found if order.id not in superseded)
