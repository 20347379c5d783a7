"""Views of orders: an order's summary, its history, and lists of ordered lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from orderbook.availability import LineStatus
from orderbook.rollup.statuses import format_percent
from orderbook.views._html import Column, Markup, facts, marker, table, text, view

if TYPE_CHECKING:
    from orderbook.book.queries import LineView
    from orderbook.rollup import OrderSummary
    from orderbook.workflow import HistoryEntry

__all__ = ["TROUBLE", "history_html", "lines_html", "product_status_cell", "summary_html"]

# The product statuses a line view marks: it will not arrive in time, or there is not enough.
TROUBLE = frozenset({LineStatus.NOT_ENOUGH, LineStatus.DELAYED})

_LINE_COLUMNS = (
    Column("line"),
    Column("ordered", numeric=True),
    Column("allocated", numeric=True),
    Column("delivered", numeric=True),
    Column("forfeited", numeric=True),
    Column("invoiced qty", numeric=True),
    Column("net", numeric=True),
    Column("gross", numeric=True),
    Column("invoiced", numeric=True),
    Column("paid", numeric=True),
    Column("outstanding", numeric=True),
)


def summary_html(summary: OrderSummary) -> str:
    """An order's summary: its identity, derived statuses, money figures and lines."""
    invoicing, payment, fulfilment = summary.invoicing, summary.payment, summary.fulfilment
    statuses = facts(
        [
            ("fulfilment", f"{fulfilment.state.value} ({format_percent(fulfilment.by_quantity)})"),
            ("invoicing", f"{invoicing.label} ({format_percent(invoicing.percent)})"),
            ("payment", f"{payment.label} ({format_percent(payment.percent)})"),
            ("allocation", summary.allocation.value),
            ("production", summary.production.value),
            ("expired", summary.expired),
            ("exceptions", ", ".join(summary.exceptions) or "none"),
        ]
    )
    money = facts(
        [
            ("net", summary.net),
            ("tax", summary.tax),
            ("gross", summary.gross),
            ("invoiced", invoicing.invoiced),
            ("deposits", invoicing.deposits),
            ("paid", payment.paid),
            ("due", payment.due),
            ("outstanding", payment.outstanding),
        ]
    )
    lines = table(
        _LINE_COLUMNS,
        (
            (
                (
                    line.line_id,
                    line.ordered,
                    line.allocated,
                    line.delivered,
                    line.forfeited,
                    line.invoiced_quantity,
                    line.net,
                    line.gross,
                    line.invoiced_gross,
                    line.paid,
                    line.outstanding,
                ),
                "",
            )
            for line in summary.lines
        ),
        caption="Lines",
        empty="no lines",
    )
    return view(
        "summary",
        f"Order {summary.order_id} as of {summary.as_of}",
        '<div class="dashboard"><div><h4>Statuses</h4>',
        statuses,
        "</div><div><h4>Money</h4>",
        money,
        "</div></div>",
        lines,
    )


def history_html(entries: Iterable[HistoryEntry]) -> str:
    """The status moves of an order, oldest first."""
    moves = tuple(entries)
    title = f"History of {moves[0].order_id}" if moves else "History"
    rows = (
        (
            (
                entry.at,
                entry.source,
                entry.target,
                entry.by,
                "automatic" if entry.automatic else "by hand",
                entry.reason,
            ),
            "",
        )
        for entry in moves
    )
    columns = (
        Column("at"),
        Column("from"),
        Column("to"),
        Column("by"),
        Column("how"),
        Column("reason"),
    )
    caption = f"{len(moves)} move{'' if len(moves) == 1 else 's'}"
    return view("history", title, table(columns, rows, caption=caption, empty="no moves"))


def lines_html(views: Iterable[LineView]) -> str:
    """Ordered lines with their product status; lines delayed or short are marked."""
    found = tuple(views)
    trouble = sum(1 for v in found if v.product_status in TROUBLE)
    columns = (
        Column("due"),
        Column("order"),
        Column("customer"),
        Column("status"),
        Column("line"),
        Column("sku"),
        Column("ordered", numeric=True),
        Column("delivered", numeric=True),
        Column("open", numeric=True),
        Column("product status"),
    )
    rows = []
    for v in found:
        bad = v.product_status in TROUBLE
        rows.append(
            (
                (
                    v.due_on,
                    v.number or v.order_id,
                    v.customer_id,
                    v.status,
                    v.line.id,
                    v.line.sku,
                    v.summary.ordered,
                    v.summary.delivered,
                    v.summary.open,
                    product_status_cell(v.product_status),
                ),
                "short" if bad else "",
            )
        )
    caption = f"{len(found)} lines, {trouble} delayed or not enough"
    return view("lines", "Ordered lines", table(columns, rows, caption=caption))


def product_status_cell(status: LineStatus) -> Markup:
    """A line's product status for a cell; delayed or not enough is marked."""
    if status in TROUBLE:
        return Markup(
            f"{marker('!', 'delayed or not enough')}&#160;{text(status.label)}", css="short"
        )
    return Markup(text(status.label))
