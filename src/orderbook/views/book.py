"""Views of the book: what a command did, what a simulation would do, and the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from orderbook.acceptance import unpaid_past_due
from orderbook.availability import LineStatus
from orderbook.errors import NotFound
from orderbook.model import Customer, Invoice, Payment
from orderbook.money import Money
from orderbook.store.protocol import kind_of
from orderbook.views._html import Column, Markup, marker, table, text, view
from orderbook.views.orders import TROUBLE, product_status_cell

if TYPE_CHECKING:
    from orderbook.book import LineView, OrderBook, Outcome, Shortfall, Simulation

__all__ = ["Dashboard", "dashboard", "dashboard_html", "outcome_html", "simulation_html"]

_ZERO = Decimal(0)


def outcome_html(outcome: Outcome) -> str:
    """What one command did: its events, the records written and deleted, moves and plans."""
    events = table(
        (Column("#", numeric=True), Column("event"), Column("order")),
        (((e.sequence, e.kind, e.order_id), "") for e in outcome.events),
        caption=_count(len(outcome.events), "event"),
    )
    records = table(
        (Column("change"), Column("kind"), Column("id"), Column("version", numeric=True)),
        [
            *((("written", kind_of(type(r)), r.id, r.version), "") for r in outcome.written),
            *((("deleted", kind_of(type(r)), r.id, r.version), "") for r in outcome.deleted),
        ],
        caption=f"{len(outcome.written)} written, {len(outcome.deleted)} deleted",
    )
    moves = table(
        (Column("order"), Column("from"), Column("to"), Column("how")),
        (
            ((m.order_id, m.source, m.target, "automatic" if m.automatic else "by hand"), "")
            for m in outcome.moves
        ),
        caption=_count(len(outcome.moves), "status move"),
    )
    plans = "".join(plan._repr_html_() for plan in outcome.plans)
    return view(
        "outcome", f"Outcome of {type(outcome.command).__name__}", events, records, moves, plans
    )


def _short_key(short: Shortfall) -> tuple[str, str]:
    return (short.order_id, short.line_id)


def simulation_html(simulation: Simulation) -> str:
    """Who goes short compared with now: per order line, the shortfall before and after the
    commands; a line that newly goes short is marked ``new``, one that gets worse ``worse``,
    one that is covered now ``covered``."""
    before = {_short_key(s): s for s in simulation.shortfalls_before}
    after = {_short_key(s): s for s in simulation.shortfalls}
    rows = []
    for key in sorted(before.keys() | after.keys()):
        was = before[key].quantity if key in before else _ZERO
        now = after[key].quantity if key in after else _ZERO
        sku = (after.get(key) or before[key]).sku
        if was == _ZERO:
            change, css = Markup(marker("new", "newly short"), css="short"), "short"
        elif now > was:
            change, css = Markup(marker("worse", "shorter than now"), css="short"), "worse"
        elif now == _ZERO:
            change, css = Markup('<span class="ok">covered</span>'), ""
        elif now < was:
            change, css = Markup('<span class="ok">better</span>'), ""
        else:
            change, css = Markup('<span class="muted">same</span>'), ""
        rows.append(((key[0], key[1], sku, was, now, change), css))
    columns = (
        Column("order"),
        Column("line"),
        Column("sku"),
        Column("short now", numeric=True),
        Column("short after", numeric=True),
        Column("change"),
    )
    worse = sum(1 for _, css in rows if css)
    shortfalls = table(
        columns,
        rows,
        caption=f"{_count(worse, 'line')} newly short or worse, {len(after)} short after",
        empty="no line is short, now or after",
    )
    plans = "".join(plan._repr_html_() for plan in simulation.plans)
    commands = ", ".join(type(o.command).__name__ for o in simulation.outcomes)
    touched = ", ".join(s.order_id for s in simulation.summaries) or "none"
    said = f"{_count(len(simulation.outcomes), 'command')} ({commands}); orders touched: {touched}"
    head = f"<p>{text(said)}</p>"
    return view("simulation", "Simulation", head, shortfalls, plans)


@attrs.frozen(kw_only=True)
class Dashboard:
    """The figures of the book's dashboard, as of a day.

    Args:
        as_of: the day asked about (the book's clock's date).
        by_status: how many orders (superseded revisions left out) are in each status, in the
            workflow's order; statuses with no order are left out.
        trouble: the ordered lines whose product status (as :meth:`OrderBook.lines` gives it
            as of that day) is delayed or not enough, by due date; lines of orders in a
            terminal status (cancelled, closed) are left out.
        overdue: the issued invoices and deposits due before ``as_of`` and not fully paid,
            each with what it owes and what was paid on it
            (:func:`orderbook.acceptance.unpaid_past_due`, the rule that b-op's automatic
            acceptance judges a customer by).
        short_lots: per product, its lots running short: the free quantity its lots have left
            altogether (each lot's quantity less what committing orders hold) is below what
            the open lines of that product still need (the open orders' quantities that no
            allocation, delivery or forfeit covers). Each entry is ``(sku, lot ids, free,
            needed)``.
    """

    as_of: dt.date
    by_status: tuple[tuple[str, int], ...]
    trouble: tuple[LineView, ...]
    overdue: tuple[tuple[Invoice, Money, Money], ...]
    short_lots: tuple[tuple[str, tuple[str, ...], Decimal, Decimal], ...]

    def __repr__(self) -> str:
        orders = sum(n for _, n in self.by_status)
        return (
            f"Dashboard({self.as_of}, {_count(orders, 'order')}, {len(self.trouble)} in trouble, "
            f"{len(self.overdue)} overdue, {len(self.short_lots)} running short)"
        )


def dashboard(book: OrderBook) -> Dashboard:
    """Read the dashboard's figures from a book; it only reads, never writes."""
    today = book.clock.now().date()
    counts: dict[str, int] = {}
    for order in book.orders():
        counts[order.status] = counts.get(order.status, 0) + 1
    rank = {code: n for n, code in enumerate(book.workflow.codes)}
    by_status = tuple(sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))
    ended = {s.code for s in book.workflow.statuses if s.terminal}
    trouble = tuple(
        v for v in book.lines(as_of=today) if v.product_status in TROUBLE and v.status not in ended
    )
    overdue = unpaid_past_due(
        book.store.records(Invoice),
        book.store.records(Payment),
        as_of=today,
        tax_rounding=book.workflow.settings.counting.tax_rounding,
    )
    needed: dict[str, Decimal] = {}
    for short in book._short():
        needed[short.sku] = needed.get(short.sku, _ZERO) + short.quantity
    short_lots = []
    for sku in sorted(needed):
        stocks = book.lots(sku)
        free = sum((s.remaining for s in stocks), _ZERO)
        if free < needed[sku]:
            short_lots.append((sku, tuple(s.lot.id for s in stocks), free, needed[sku]))
    return Dashboard(
        as_of=today,
        by_status=by_status,
        trouble=trouble,
        overdue=overdue,
        short_lots=tuple(short_lots),
    )


def dashboard_html(book: OrderBook) -> str:
    """The book as a small dashboard (see :class:`Dashboard` for what each part counts)."""
    board = dashboard(book)
    labels = {s.code: s.label for s in book.workflow.statuses}
    statuses = table(
        (Column("status"), Column("orders", numeric=True)),
        (((labels.get(code, code), n), "") for code, n in board.by_status),
        caption=f"Orders by status ({sum(n for _, n in board.by_status)})",
        empty="no orders",
    )
    lines = []
    for v in board.trouble:
        status = product_status_cell(v.product_status)
        cells = (v.number or v.order_id, v.line.id, v.line.sku, v.due_on, v.summary.open, status)
        lines.append((cells, "short"))
    delayed = sum(1 for v in board.trouble if v.product_status is LineStatus.DELAYED)
    trouble = table(
        (
            Column("order"),
            Column("line"),
            Column("sku"),
            Column("due"),
            Column("open", numeric=True),
            Column("product status"),
        ),
        lines,
        caption=f"Lines delayed ({delayed}) or not enough ({len(board.trouble) - delayed})",
    )
    names: dict[str, str] = {}
    invoices = []
    for invoice, owed, paid in board.overdue:
        if invoice.customer_id not in names:
            names[invoice.customer_id] = _customer_name(book, invoice.customer_id)
        late = (board.as_of - invoice.due_on).days if invoice.due_on is not None else 0
        invoices.append(((invoice.number or invoice.id, names[invoice.customer_id],
                          invoice.due_on, late, owed, paid, owed - paid), "short"))  # fmt: skip
    overdue = table(
        (
            Column("invoice"),
            Column("customer"),
            Column("due on"),
            Column("days late", numeric=True),
            Column("owed", numeric=True),
            Column("paid", numeric=True),
            Column("outstanding", numeric=True),
        ),
        invoices,
        caption=f"Invoices overdue ({len(board.overdue)})",
    )
    lots = table(
        (
            Column("sku"),
            Column("lots"),
            Column("free", numeric=True),
            Column("needed", numeric=True),
            Column("short by", numeric=True),
        ),
        (
            ((sku, ", ".join(ids) or None, free, need, need - free), "short")
            for sku, ids, free, need in board.short_lots
        ),
        caption=f"Lots running short ({len(board.short_lots)})",
    )
    return view(
        "dashboard",
        f"Order book as of {board.as_of} ({book.workflow.name} workflow)",
        f'<div class="dashboard"><div>{statuses}</div><div>{trouble}</div></div>',
        overdue,
        lots,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _customer_name(book: OrderBook, customer_id: str) -> str:
    try:
        return book.store.get(Customer, customer_id).name
    except NotFound:  # a customer deleted since: its id will do
        return customer_id
