"""Views of supply: the lots of a product, and an allocation plan.

The plan's view reads only the plan's demands and fills (summing the fills of each
``(order_id, line_id)``), so it does not depend on how the plan keys its own indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from orderbook.views._html import Column, Markup, marker, table, text, view

if TYPE_CHECKING:
    from orderbook.allocation import AllocationPlan
    from orderbook.stock import LotStock

__all__ = ["lots_html", "plan_html", "plan_repr", "served_by_line"]

_ZERO = Decimal(0)
MAX_ROWS = 50
"""The most demands a plan's view shows; a line below says how many more there are."""


def lots_html(stocks: Iterable[LotStock]) -> str:
    """The lots of a product with what is committed, tentatively held and free; a lot with
    nothing free is marked."""
    found = tuple(stocks)
    skus = sorted({s.lot.sku for s in found})
    title = f"Lots of {', '.join(skus)}" if skus else "Lots"
    columns = (
        Column("lot"),
        Column("source"),
        Column("source status"),
        Column("available on"),
        Column("expires on"),
        Column("quantity", numeric=True),
        Column("committed", numeric=True),
        Column("tentative", numeric=True),
        Column("free", numeric=True),
    )
    rows = []
    for stock in found:
        lot = stock.lot
        empty = stock.remaining <= 0
        free: object = (
            _short_cell(stock.remaining, "nothing free", label="used up")
            if empty
            else stock.remaining
        )
        rows.append(
            (
                (
                    lot.id,
                    lot.source.value,
                    lot.source_status.value if lot.source_status is not None else None,
                    lot.available_on,
                    lot.expires_on,
                    lot.quantity,
                    stock.committed,
                    stock.tentative,
                    free,
                ),
                "short" if empty else "",
            )
        )
    total = sum((s.remaining for s in found), _ZERO)
    caption = f"{len(found)} lot{'' if len(found) == 1 else 's'}, {total:f} free"
    return view("lots", title, table(columns, rows, caption=caption, empty="no lots"))


def served_by_line(plan: AllocationPlan) -> dict[tuple[str, str], Decimal]:
    """What a plan's fills give each ``(order_id, line_id)``."""
    served: dict[tuple[str, str], Decimal] = {}
    for fill in plan.fills:
        key = (fill.order_id, fill.line_id)
        served[key] = served.get(key, _ZERO) + fill.quantity
    return served


def plan_repr(plan: AllocationPlan) -> str:
    """A plan's short repr: its policy, date, what it served and how many lines it left short.

    >>> import datetime as dt
    >>> from orderbook import Demand, Lot, allocate
    >>> plan = allocate([Demand(line_id="l1", order_id="o1", sku="TEA", quantity=5)],
    ...                 [Lot(id="shelf", sku="TEA", quantity=3)], as_of=dt.date(2027, 1, 4))
    >>> plan_repr(plan)
    'AllocationPlan(best_available, 2027-01-04, served 3 of 5, 1 line short)'
    """
    served = served_by_line(plan)
    short = sum(1 for d in plan.demands if d.quantity > served.get((d.order_id, d.line_id), _ZERO))
    return (
        f"AllocationPlan({plan.policy.name}, {plan.as_of}, served {plan.served:f} of "
        f"{plan.demanded:f}, {short} line{'' if short == 1 else 's'} short)"
    )


def plan_html(plan: AllocationPlan) -> str:
    """An allocation plan: one row per demand in service order, with its lots; a line left
    short is marked (class ``short`` and a visible marker)."""
    served = served_by_line(plan)
    lots: dict[tuple[str, str], list[str]] = {}
    for fill in plan.fills:
        lots.setdefault((fill.order_id, fill.line_id), []).append(
            f"{fill.lot_id}: {fill.quantity:f}"
        )
    columns = (
        Column("order"),
        Column("line"),
        Column("sku"),
        Column("due"),
        Column("prio", numeric=True),
        Column("demanded", numeric=True),
        Column("allocated", numeric=True),
        Column("short", numeric=True),
        Column("lots"),
    )
    rows = []
    for demand in plan.demands[:MAX_ROWS]:
        key = (demand.order_id, demand.line_id)
        got = served.get(key, _ZERO)
        short = demand.quantity - got
        rows.append(
            (
                (
                    demand.order_id,
                    demand.line_id,
                    demand.sku,
                    demand.due_on,
                    demand.priority,
                    demand.quantity,
                    got,
                    _short_cell(short, "left short") if short > 0 else short,
                    ", ".join(lots.get(key, ())) or None,
                ),
                "short" if short > 0 else "",
            )
        )
    more = len(plan.demands) - MAX_ROWS
    note = f'<p class="muted">... and {more} more demands</p>' if more > 0 else ""
    mode = [str(plan.objective), f"as of {plan.as_of}"]
    if not plan.partial:
        mode.append("whole lines only")
    caption = (
        f"served {plan.served:f} of {plan.demanded:f} ({plan.policy.name}, {', '.join(mode)})"
    )
    return view("plan", "Allocation plan", table(columns, rows, caption=caption), note)


def _short_cell(quantity: Decimal, why: str, *, label: str = "short") -> Markup:
    """A number marked as a shortfall: right-aligned, class ``short``, with a marker."""
    return Markup(f"{marker(label, why)}&#160;{text(quantity)}", numeric=True, css="short")
