"""Tabular export: orders, lines, invoices and payments as plain rows, and CSV.

:func:`records` turns order summaries (with, optionally, the orders, invoices and payments
behind them) into four tables of plain dicts: one row per order, per order line, per invoice
and per payment. Values are plain too: ``str``, ``int``, ``bool``, ``Decimal`` (amounts and
quantities, each amount with a ``currency`` column beside it), ``datetime.date``,
``datetime.datetime`` or ``None``. :func:`book_records` does the same for a whole order book.
:func:`to_csv` writes one table with the standard library, and :func:`to_dataframe` makes a
pandas DataFrame of one (the optional ``dataframe`` extra; only that function imports pandas).
:func:`plan_records`, :func:`simulation_records`, :func:`line_records` and
:func:`lot_records` give rows of allocation plans, simulations, line views and lot stock
(built in :mod:`orderbook.export_rows`).

Rows come in the order of the values given, so the same input always gives the same rows.

>>> import datetime as dt, io
>>> from orderbook import Money, Order, OrderLine
>>> from orderbook.rollup import summarize
>>> order = Order(id="o1", customer_id="acme", currency="EUR", number="SO-1", lines=[
...     OrderLine(id="l1", sku="TEA", quantity=3, unit_price=Money("4.50", "EUR"))])
>>> tables = records([summarize(order, as_of=dt.date(2027, 3, 1))], orders=[order])
>>> tables.orders[0]["number"], tables.orders[0]["gross"], tables.lines[0]["sku"]
('SO-1', Decimal('13.50'), 'TEA')
>>> out = io.StringIO()
>>> to_csv(tables.lines, out, columns=["order_id", "line_id", "sku", "ordered", "net"])
1
>>> print(out.getvalue(), end="")
order_id,line_id,sku,ordered,net
o1,l1,TEA,3,13.50
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import attrs

from orderbook._fields import to_enum
from orderbook._frames import dates_as_datetime64, import_pandas
from orderbook.documents.invoices import invoice_payment_status
from orderbook.errors import ValidationError
from orderbook.export_rows import (
    PlanRecords,
    line_records,
    lot_records,
    plan_records,
    simulation_records,
)
from orderbook.model import Customer, Invoice, Order, Payment
from orderbook.pricing import TaxRounding, invoice_totals
from orderbook.rollup import OrderSummary

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]

    from orderbook.book import OrderBook

__all__ = [
    "PlanRecords",
    "Records",
    "Row",
    "Value",
    "book_records",
    "cell",
    "line_records",
    "lot_records",
    "plan_records",
    "records",
    "simulation_records",
    "to_csv",
    "to_dataframe",
]

Value = str | int | bool | Decimal | dt.date | dt.datetime | None
"""A value in an exported row."""

Row = dict[str, Value]
"""One exported row: column name to value."""

T = TypeVar("T")


@attrs.frozen
class Records:
    """The exported tables: one row per order, per line, per invoice and per payment."""

    orders: tuple[Row, ...]
    lines: tuple[Row, ...]
    invoices: tuple[Row, ...]
    payments: tuple[Row, ...]

    @property
    def tables(self) -> tuple[tuple[str, tuple[Row, ...]], ...]:
        """The four tables with their names, to write each to its own file."""
        return (
            ("orders", self.orders),
            ("lines", self.lines),
            ("invoices", self.invoices),
            ("payments", self.payments),
        )


def _checked(name: str, values: Iterable[T], kind: type[T]) -> list[T]:
    items = _listed(name, values)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise ValidationError(f"{name}[{index}]", item, f"must be a {kind.__name__}")
    return items


def _listed(name: str, values: object) -> list[Any]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(name, values, "must be a list")
    return list(values)


def _order_row(summary: OrderSummary, order: Order | None) -> Row:
    invoicing, payment, fulfilment = summary.invoicing, summary.payment, summary.fulfilment
    return {
        "order_id": summary.order_id,
        "number": order.number if order else None,
        "customer_id": order.customer_id if order else None,
        "status": order.status if order else None,
        "reference": order.reference if order else None,
        "placed_at": order.placed_at if order else None,
        "finalized": order.finalized if order else None,
        "as_of": summary.as_of,
        "currency": summary.currency,
        "quantity": summary.quantity,
        "net": summary.net.amount,
        "tax": summary.tax.amount,
        "gross": summary.gross.amount,
        "fulfilment": fulfilment.state.value,
        "fulfilled_percent": fulfilment.by_quantity,
        "invoicing": invoicing.state.value,
        "invoiced_percent": invoicing.percent,
        "invoiced": invoicing.invoiced.amount,
        "payment": payment.state.value,
        "paid_percent": payment.percent,
        "paid": payment.paid.amount,
        "amount_due": payment.outstanding.amount,
        "exception": summary.exception,
    }


def _line_rows(summary: OrderSummary, order: Order | None) -> list[Row]:
    sources = {line.id: line for line in order.lines} if order else {}
    rows: list[Row] = []
    for line in summary.lines:
        source = sources.get(line.line_id)
        rows.append(
            {
                "order_id": summary.order_id,
                "line_id": line.line_id,
                "sku": source.sku if source else None,
                "description": source.description if source else None,
                "due_on": source.due_on if source else None,
                "unit_price": source.unit_price.amount if source else None,
                "discount": source.discount if source else None,
                "tax_rate": source.tax_rate if source else None,
                "currency": summary.currency,
                "ordered": line.ordered,
                "allocated": line.allocated,
                "delivered": line.delivered,
                "forfeited": line.forfeited,
                "open": line.open,
                "invoiced_quantity": line.invoiced_quantity,
                "net": line.net.amount,
                "tax": line.tax.amount,
                "gross": line.gross.amount,
                "invoiced_gross": line.invoiced_gross.amount,
                "paid": line.paid.amount,
                "amount_due": line.outstanding.amount,
            }
        )
    return rows


def _invoice_row(
    invoice: Invoice, payments: Sequence[Payment], tax_rounding: TaxRounding | str
) -> Row:
    amounts = invoice_totals(invoice, tax_rounding=tax_rounding)
    status = invoice_payment_status(invoice, payments, tax_rounding=tax_rounding)
    return {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "order_id": invoice.order_id,
        "customer_id": invoice.customer_id,
        "kind": invoice.kind.value,
        "status": invoice.status.value,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "currency": invoice.currency,
        "net": amounts.net.amount,
        "tax": amounts.tax.amount,
        "gross": amounts.gross.amount,
        "paid": status.paid.amount,
        "amount_due": status.outstanding.amount,
        "payment": status.state.value,
    }


def _payment_row(payment: Payment) -> Row:
    return {
        "payment_id": payment.id,
        "received_on": payment.received_on,
        "currency": payment.amount.currency,
        "amount": payment.amount.amount,
        "invoice_id": payment.invoice_id,
        "order_id": payment.order_id,
        "line_id": payment.line_id,
        "method": payment.method,
        "reference": payment.reference,
    }


def records(
    summaries: Iterable[OrderSummary],
    *,
    orders: Iterable[Order] = (),
    invoices: Iterable[Invoice] = (),
    payments: Iterable[Payment] = (),
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> Records:
    """Export summaries, invoices and payments as four tables of plain rows.

    Args:
        summaries: one summary per order (from :func:`orderbook.rollup.summarize`).
        orders: the orders summarized; each adds its header (number, customer, status) to its
            order row and its products and prices to its line rows. Every order must have a
            summary; a summary without its order leaves those columns ``None``.
        invoices: billing documents, one row each, with what was paid against them.
        payments: payments, one row each.
        tax_rounding: how invoice totals round tax.

    Returns:
        the :class:`Records`, rows in the order given.

    Raises:
        ValidationError: a value has the wrong type, an order has no summary, or two
            summaries are of the same order.
    """
    rounding = to_enum(TaxRounding, tax_rounding)
    if not isinstance(rounding, TaxRounding):
        raise ValidationError("tax_rounding", tax_rounding, "must be a TaxRounding")
    summary_list = _checked("summaries", summaries, OrderSummary)
    order_list = _checked("orders", orders, Order)
    invoice_list = _checked("invoices", invoices, Invoice)
    payment_list = _checked("payments", payments, Payment)
    summarized: dict[str, OrderSummary] = {}
    for index, summary in enumerate(summary_list):
        if summary.order_id in summarized:
            raise ValidationError(f"summaries[{index}]", summary.order_id, "must be unique")
        summarized[summary.order_id] = summary
    by_id: dict[str, Order] = {}
    for index, order in enumerate(order_list):
        if order.id not in summarized:
            raise ValidationError(f"orders[{index}]", order.id, "must have a summary")
        by_id[order.id] = order
    return Records(
        orders=tuple(_order_row(s, by_id.get(s.order_id)) for s in summarized.values()),
        lines=tuple(
            row for s in summarized.values() for row in _line_rows(s, by_id.get(s.order_id))
        ),
        invoices=tuple(_invoice_row(invoice, payment_list, rounding) for invoice in invoice_list),
        payments=tuple(_payment_row(payment) for payment in payment_list),
    )


def book_records(
    book: OrderBook,
    *,
    as_of: dt.date,
    customer_id: str | None = None,
) -> Records:
    """Export a whole book (or one customer's part of it) as four tables of plain rows.

    The orders are the book's current ones (a revision that was amended gives way to the one
    that superseded it), each summarized as of ``as_of``; every invoice, drafts and cancelled
    ones included, and every payment follow, by id. The rows are built by :func:`records`.

    Args:
        book: the order book.
        as_of: the date of the summaries.
        customer_id: only this customer's orders, invoices and payments.

    Invoice totals round tax as the book's workflow says (its counting rules).

    Returns:
        the :class:`Records`.

    Raises:
        ValidationError: ``book`` is not an OrderBook or ``as_of`` is not a date.
        NotFound: there is no customer with id ``customer_id``.
    """
    from orderbook.book import OrderBook  # here, so the book may use this module itself

    if not isinstance(book, OrderBook):
        raise ValidationError("book", book, "must be an OrderBook")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError("as_of", as_of, "must be a date")
    if customer_id is not None:
        book.get(Customer, customer_id)
        invoices = book.store.invoices_by_customer(customer_id)
    else:
        invoices = book.store.records(Invoice)
    orders = book.orders(customer_id=customer_id)
    every = {order.id for order in book.orders(customer_id=customer_id, include_superseded=True)}
    billed = {invoice.id for invoice in invoices}
    payments = tuple(
        payment
        for payment in book.store.records(Payment)
        if customer_id is None or payment.order_id in every or payment.invoice_id in billed
    )
    return records(
        [book.summary(order.id, as_of=as_of) for order in orders],
        orders=orders,
        invoices=invoices,
        payments=payments,
        tax_rounding=book.workflow.settings.counting.tax_rounding,
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
    quote in front, as OWASP advises against CSV injection: a spreadsheet shows it as text.
    A number (an ``int`` or a ``Decimal``) is written as it is, a minus sign included: its
    text is digits, at most one point and a sign, which a spreadsheet reads as a number.

    >>> cell("=SUM(1+1)"), cell("-5"), cell(Decimal("-5.00")), cell("tea")
    ("'=SUM(1+1)", "'-5", '-5.00', 'tea')
    """
    text = _text(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _text(value: object) -> str:
    """A CSV cell: ISO dates and moments, plain decimals, empty for None."""
    if value is None:
        return ""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, enum.Enum):
        return str(value.value)
    try:
        return str(value)
    except ValueError:  # an int beyond Python's limit on digits written as text
        raise ValidationError("value", value, "must be short enough to write as text") from None


def to_csv(
    rows: Iterable[Mapping[str, object]],
    file: TextIO,
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """Write rows to a CSV file, with a header row.

    Open the file with ``newline=""``, as the :mod:`csv` module asks. A text cell that a
    spreadsheet would run as a formula is written with a single quote in front (see
    :func:`cell`).

    Args:
        rows: the rows, e.g. one table of :func:`records`.
        file: a text file (or :class:`io.StringIO`).
        columns: the columns to write, in order; by default every key of the rows, in the
            order first met. A row without a column leaves its cell empty.

    Returns:
        the number of rows written, not counting the header.

    Raises:
        ValidationError: a row is not a mapping, ``columns`` is a str, or ``file`` cannot be
            written to.
    """
    items = _listed("rows", rows)
    for index, row in enumerate(items):
        if not isinstance(row, Mapping):
            raise ValidationError(f"rows[{index}]", row, "must be a mapping of columns")
    if columns is None:
        names = list(dict.fromkeys(key for row in items for key in row))
    else:
        names = _listed("columns", columns)
        for index, name in enumerate(names):
            if not isinstance(name, str):
                raise ValidationError(f"columns[{index}]", name, "must be a column name (a str)")
    if not callable(getattr(file, "write", None)):
        raise ValidationError("file", file, "must be a text file open for writing")
    writer = csv.writer(file)
    writer.writerow([cell(name) for name in names])
    for row in items:
        writer.writerow([cell(row.get(name)) for name in names])
    return len(items)


def to_dataframe(
    rows_or_records: Records | PlanRecords | Iterable[Mapping[str, object]],
    table: str | None = None,
) -> pd.DataFrame:
    """Return one exported table as a pandas DataFrame (the optional ``dataframe`` extra).

    Amounts, quantities and percentages stay exact: ``Decimal`` objects in columns of dtype
    ``object``, never floats. Dates become ``datetime64`` where that loses nothing; moments
    with one time zone are typed by pandas; anything else stays as it was.

    Args:
        rows_or_records: the :class:`Records` of :func:`records` or :func:`book_records`,
            the :class:`PlanRecords` of :func:`plan_records`, or rows (mappings of columns),
            e.g. one of their tables or those of :func:`simulation_records`,
            :func:`line_records` and :func:`lot_records`.
        table: which table of the records: ``"orders"`` (the default), ``"lines"``,
            ``"invoices"`` or ``"payments"``; of plan records ``"fills"`` (the default) or
            ``"demands"``. Unused for plain rows.

    Returns:
        the DataFrame: one row per row, the columns in the order first met.

    Raises:
        OrderbookError: pandas is not installed (install ``orderbook[dataframe]``).
        ValidationError: ``table`` is not a table of the records, or a row is not a mapping.
    """
    if isinstance(rows_or_records, Records | PlanRecords):
        tables = dict(rows_or_records.tables)
        if table is None:
            table = next(iter(tables))
        if table not in tables:
            raise ValidationError("table", table, f"must be one of {', '.join(tables)}")
        items: list[Mapping[str, object]] = list(tables[table])
    else:
        items = list(rows_or_records)
        for index, row in enumerate(items):
            if not isinstance(row, Mapping):
                raise ValidationError(f"rows[{index}]", row, "must be a mapping of columns")
    pandas = import_pandas()
    names = list(dict.fromkeys(key for row in items for key in row))
    frame = pandas.DataFrame([[row.get(name) for name in names] for row in items], columns=names)
    dates_as_datetime64(pandas, frame)
    return frame
