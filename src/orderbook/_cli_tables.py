"""The tables the command line prints: a book's orders, one order's lines, the event log.

Amounts are grouped by thousands (``USD 30,232.06``) as documents print them or, with the
``babel`` extra and a locale, written as the locale writes them, percentages too. The orders
come by placed date, then number and id, so a report reads the same every time, whatever
the ids are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from orderbook._terminal import Progress, clip, columns, table
from orderbook.book import OrderBook
from orderbook.documents import localized_number
from orderbook.documents.formatting import format_money
from orderbook.errors import OrderbookError
from orderbook.events import Event, UnknownEvent
from orderbook.events.codec import details
from orderbook.model import Customer, Order
from orderbook.money import Money
from orderbook.rollup import format_percent
from orderbook.store import StoredEvent

__all__ = ["events_table", "lines_table", "report_table"]

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def report_table(
    book: OrderBook,
    as_of: dt.date,
    *,
    status: str | None = None,
    customer: str | None = None,
    locale: str | None = None,
    progress: Progress | None = None,
) -> str:
    """The orders of a book as of a date, with a totals row per currency.

    Raises:
        OrderbookError: ``status`` is not a status of the book's workflow (the message lists
            them), or ``locale`` cannot be used.
        NotFound: there is no customer ``customer``.
    """
    if status is not None and status not in book.workflow.codes:
        valid = ", ".join(book.workflow.codes)
        raise OrderbookError(f"no status {status!r} in the book's workflow; it has: {valid}")
    if customer is not None:
        book.get(Customer, customer)  # an unknown customer is an error, not an empty report
    orders = sorted(
        book.orders(status=status, customer_id=customer),
        key=lambda o: (o.placed_at is None, o.placed_at or _NEVER, o.number, o.id),
    )
    names: dict[str, str] = {}
    rows: list[list[str]] = []
    sums: dict[str, tuple[Money, Money, int]] = {}
    for done, order in enumerate(orders, start=1):
        state = book.summary(order.id, as_of=as_of)
        if order.customer_id not in names:
            names[order.customer_id] = book.get(Customer, order.customer_id).name
        gross, owed, count = sums.get(order.currency, (Money.zero(order.currency),) * 2 + (0,))
        sums[order.currency] = (gross + state.gross, owed + state.payment.outstanding, count + 1)
        rows.append(
            [
                order.number or "-",
                order.id,
                names[order.customer_id],
                book.workflow.status(order.status).label,
                str(len(order.lines)),
                format_money(state.gross, locale=locale),
                _percent(state.fulfilment.by_quantity, locale),
                _percent(state.invoicing.percent, locale),
                _percent(state.payment.percent, locale),
                format_money(state.payment.outstanding, locale=locale),
                state.payment.label,
            ]
        )
        if progress is not None:
            progress.update("summarizing orders", done=done, total=len(orders))
    totals = [
        ["total", "", f"{count} order{'' if count == 1 else 's'}", "", "",
         format_money(gross, locale=locale), "", "", "", format_money(owed, locale=locale), ""]
        for _, (gross, owed, count) in sorted(sums.items())
    ]  # fmt: skip
    headers = ["number", "id", "customer", "status", "lines", "gross", "shipped", "invoiced",
               "paid", "outstanding", "payment"]  # fmt: skip
    title = f"Orders as of {as_of.isoformat()}: {len(rows)}, by placed date"
    return f"{title}\n\n{table(headers, rows, right=range(4, 10), footer=totals)}"


def _percent(value: Decimal, locale: str | None) -> str:
    """A percentage as ``format_percent`` rounds it (never 100 unless done), in the locale."""
    shown = format_percent(value)
    if locale is None:
        return shown
    return localized_number(Decimal(shown.removesuffix("%")) / 100, 2, locale, percent=True)


def lines_table(book: OrderBook, order_id: str, as_of: dt.date) -> str:
    """One order's lines: what was ordered, allocated, shipped and invoiced, and the gross."""
    order = book.get(Order, order_id)
    state = book.summary(order_id, as_of=as_of)
    rows = [
        [
            line.id,
            line.sku,
            line.due_on.isoformat() if line.due_on else "-",
            str(line.quantity),
            str(s.allocated),
            str(s.delivered),
            str(s.invoiced_quantity),
            format_money(s.gross),
        ]
        for line, s in zip(order.lines, state.lines, strict=True)
    ]
    headers = ["line", "sku", "due", "ordered", "allocated", "shipped", "invoiced", "gross"]
    title = f"{order.number} for {book.get(Customer, order.customer_id).name}: {order.subject}"
    return f"{title}\n\n{table(headers, rows, right=range(3, 8))}"


def events_table(events: Sequence[StoredEvent], *, width: int | None) -> str:
    """The events, one a line; with a ``width``, each line keeps to it.

    Kept to a width, an event's time shows to the second, in UTC, and its details take the
    columns the others leave, cut with an ellipsis where they do not fit. With no width,
    every line shows the exact time and every detail.
    """
    rows = [
        [
            str(e.sequence),
            e.at.isoformat() if width is None else e.at.astimezone(dt.UTC).strftime(_SECONDS),
            e.kind,
            e.order_id or "-",
            _gist(e.event),
        ]
        for e in events
    ]
    headers = ["seq", "at", "kind", "order", "details"]
    if width is None:
        return table(headers, rows, right=[0])
    if rows:
        taken = sum(max(columns(row[i]) for row in [headers, *rows]) + 2 for i in range(4))
        room = max(width - taken, len(headers[4]))
        rows = [[*row[:4], clip(row[4], room)] for row in rows]
    # A line still too long (an order id of many columns) is cut as a whole.
    return "\n".join(clip(line, width) for line in table(headers, rows, right=[0]).splitlines())


_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def _gist(event: Event | UnknownEvent) -> str:
    """An event's details, ``key=value`` by key: its typed fields as the codec writes them,
    or the data as stored for a kind the book does not know; never its changes."""
    data = details(event) if isinstance(event, Event) else event.data
    if not isinstance(data, dict):
        return ""
    pairs = sorted(data.items())
    return ", ".join(f"{k}={v}" for k, v in pairs if k != "changes" and v is not None)
