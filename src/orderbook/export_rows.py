"""Rows of the allocation and supply read models: plans, simulations, line views, lot stock.

Each builder turns values the library answers with into plain rows (see
:mod:`orderbook.export`), which :func:`~orderbook.export.to_csv` writes and
:func:`~orderbook.export.to_dataframe` reads into a DataFrame:

- :func:`plan_records`: an allocation plan, as a table of fills and a table of demands;
- :func:`simulation_records`: who goes short in a simulation, before and after its commands;
- :func:`line_records`: the lines of ``book.lines()``, with their product status;
- :func:`lot_records`: the lots of ``book.lots(sku)``, with what each holds.

Quantities and amounts are ``Decimal`` (an amount with a ``currency`` column beside it), so
they stay exact. The functions live in :mod:`orderbook.export`; import them from there.

>>> import datetime as dt
>>> from orderbook import Lot
>>> from orderbook.allocation import Demand, allocate
>>> plan = allocate([Demand(line_id="l1", order_id="o1", sku="TEA", quantity=4)],
...                 [Lot(id="shelf", sku="TEA", quantity=3)], as_of=dt.date(2027, 3, 1))
>>> plan_records(plan).demands[0]["short"]
Decimal('1')
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from orderbook.allocation import AllocationPlan
from orderbook.errors import ValidationError

if TYPE_CHECKING:
    from orderbook.book.queries import LineView
    from orderbook.book.simulation import Shortfall, Simulation
    from orderbook.export import Row
    from orderbook.stock import LotStock

__all__ = [
    "PlanRecords",
    "line_records",
    "lot_records",
    "plan_records",
    "simulation_records",
]

_ZERO = Decimal(0)


@attrs.frozen
class PlanRecords:
    """An allocation plan as two tables: one row per fill, one row per demand.

    Attributes:
        fills: ``order_id``, ``line_id``, ``lot_id``, ``sku``, ``quantity``, ``manual``, in
            the plan's order of fills.
        demands: ``order_id``, ``line_id``, ``sku``, ``due_on``, ``priority``, ``demanded``,
            ``allocated``, ``short``, in the order the demands were served.
    """

    fills: tuple[Row, ...]
    demands: tuple[Row, ...]

    @property
    def tables(self) -> tuple[tuple[str, tuple[Row, ...]], ...]:
        """The two tables with their names, to write each to its own file."""
        return (("fills", self.fills), ("demands", self.demands))


def _items(name: str, values: object, kind: type) -> list[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(name, values, f"must be a list of {kind.__name__}")
    items = list(values)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise ValidationError(f"{name}[{index}]", item, f"must be a {kind.__name__}")
    return items


def plan_records(plan: AllocationPlan) -> PlanRecords:
    """Export an allocation plan: a row per fill and a row per demand.

    A demand's ``allocated`` is what the plan gives it (existing allocations not included)
    and ``short`` what it leaves open, so ``allocated + short == demanded``; the fills of a
    demand add up to its ``allocated``, and the fills of a lot to what the plan takes from it.

    Args:
        plan: the plan, from :func:`orderbook.allocation.allocate` or ``book.allocate()``.

    Returns:
        the :class:`PlanRecords`.

    Raises:
        ValidationError: ``plan`` is not an AllocationPlan.
    """
    if not isinstance(plan, AllocationPlan):
        raise ValidationError("plan", plan, "must be an AllocationPlan")
    fills: tuple[Row, ...] = tuple(
        {
            "order_id": fill.order_id,
            "line_id": fill.line_id,
            "lot_id": fill.lot_id,
            "sku": fill.sku,
            "quantity": fill.quantity,
            "manual": fill.manual,
        }
        for fill in plan.fills
    )
    demands: list[Row] = []
    for demand in plan.demands:
        allocated = plan.allocated_by_line.get(demand.key, _ZERO)
        demands.append(
            {
                "order_id": demand.order_id,
                "line_id": demand.line_id,
                "sku": demand.sku,
                "due_on": demand.due_on,
                "priority": demand.priority,
                "demanded": demand.quantity,
                "allocated": allocated,
                "short": demand.quantity - allocated,
            }
        )
    return PlanRecords(fills=fills, demands=tuple(demands))


def simulation_records(simulation: Simulation) -> tuple[Row, ...]:
    """Export who goes short in a simulation: per order line, short before, after, change.

    A line is listed when it was short before the commands or is short after them (a line of
    an open order that allocations do not cover); first those short before, in their order,
    then those short only after. ``change`` is ``short_after - short_before``: above zero
    for a line that lacks more, below zero for one that lacks less.

    Args:
        simulation: the answer of ``book.simulate(...)``.

    Returns:
        one row per line: ``order_id``, ``line_id``, ``sku``, ``short_before``,
        ``short_after``, ``change``.

    Raises:
        ValidationError: ``simulation`` is not a Simulation.
    """
    from orderbook.book.simulation import Simulation

    if not isinstance(simulation, Simulation):
        raise ValidationError("simulation", simulation, "must be a Simulation")
    before = _by_line(simulation.shortfalls_before)
    after = _by_line(simulation.shortfalls)
    rows: list[Row] = []
    for key in dict.fromkeys([*before, *after]):
        was, now = before.get(key), after.get(key)
        found = now or was
        assert found is not None
        short_before = was.quantity if was else _ZERO
        short_after = now.quantity if now else _ZERO
        rows.append(
            {
                "order_id": key[0],
                "line_id": key[1],
                "sku": found.sku,
                "short_before": short_before,
                "short_after": short_after,
                "change": short_after - short_before,
            }
        )
    return tuple(rows)


def _by_line(shortfalls: Iterable[Shortfall]) -> dict[tuple[str, str], Shortfall]:
    return {(short.order_id, short.line_id): short for short in shortfalls}


def line_records(views: Iterable[LineView]) -> tuple[Row, ...]:
    """Export line views (``book.lines()``): one row per line, with its product status.

    Args:
        views: the line views, in the order to write them (any iterable of LineView).

    Returns:
        one row per view: its order's ``order_id``, ``number``, ``customer_id`` and
        ``status``; the line's ``line_id``, ``sku``, ``description``, ``due_on``,
        ``unit_price`` and ``currency``; its quantities ``ordered``, ``allocated``,
        ``delivered``, ``forfeited`` and ``open``; its ``net`` and ``gross``; and its
        ``product_status`` (the value, e.g. ``"not_enough"``) with its ``product_label``.

    Raises:
        ValidationError: ``views`` is not an iterable of LineView.
    """
    from orderbook.book.queries import LineView

    rows: list[Row] = []
    for view in _items("views", views, LineView):
        line, summary = view.line, view.summary
        rows.append(
            {
                "order_id": view.order_id,
                "number": view.number,
                "customer_id": view.customer_id,
                "status": view.status,
                "line_id": line.id,
                "sku": line.sku,
                "description": line.description,
                "due_on": line.due_on,
                "currency": line.unit_price.currency,
                "unit_price": line.unit_price.amount,
                "ordered": summary.ordered,
                "allocated": summary.allocated,
                "delivered": summary.delivered,
                "forfeited": summary.forfeited,
                "open": summary.open,
                "net": summary.net.amount,
                "gross": summary.gross.amount,
                "product_status": view.product_status.value,
                "product_label": view.product_status.label,
            }
        )
    return tuple(rows)


def lot_records(stocks: Iterable[LotStock]) -> tuple[Row, ...]:
    """Export lot stock (``book.lots(sku)``): one row per lot, with what it holds.

    Args:
        stocks: the lot stocks, in the order to write them (any iterable of LotStock).

    Returns:
        one row per lot: ``lot_id``, ``sku``, ``source``, ``source_status``,
        ``source_ref``, ``available_on``, ``expires_on``, ``vintage``, ``location``,
        ``unit_cost`` with its ``currency``, and its quantities ``quantity``,
        ``committed``, ``tentative`` and ``remaining``.

    Raises:
        ValidationError: ``stocks`` is not an iterable of LotStock.
    """
    from orderbook.stock import LotStock

    rows: list[Row] = []
    for stock in _items("stocks", stocks, LotStock):
        lot = stock.lot
        rows.append(
            {
                "lot_id": lot.id,
                "sku": lot.sku,
                "source": lot.source.value,
                "source_status": lot.source_status.value if lot.source_status else None,
                "source_ref": lot.source_ref,
                "available_on": lot.available_on,
                "expires_on": lot.expires_on,
                "vintage": lot.vintage,
                "location": lot.location,
                "currency": lot.unit_cost.currency if lot.unit_cost else None,
                "unit_cost": lot.unit_cost.amount if lot.unit_cost else None,
                "quantity": lot.quantity,
                "committed": stock.committed,
                "tentative": stock.tentative,
                "remaining": stock.remaining,
            }
        )
    return tuple(rows)
