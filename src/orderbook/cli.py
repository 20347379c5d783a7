"""The command line: ``python -m orderbook demo|report|events``.

``demo`` plays a realistic scenario on an SQLite file and prints the orders as tables;
``report`` prints the orders of a book as of a date; ``events`` prints its event log. A file
that is missing, empty, locked, damaged or not a book gives a one-line error and exit status
2. Every command but ``demo`` only reads the book: it never creates, migrates or changes a
file.

``render`` writes an order's confirmation as a PDF or an HTML page, or with ``--invoice`` an
invoice as a PDF, an HTML page or an e-invoice (UBL, CII, Factur-X); ``export`` writes the
book's orders, lines, invoices and payments as CSV.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from orderbook.book import OrderBook
from orderbook.book.demo import demo_clock, demo_ids, run
from orderbook.clock import SystemClock
from orderbook.errors import NotFound, OrderbookError
from orderbook.model import Customer, Invoice, Order
from orderbook.rollup import format_percent
from orderbook.store import SQLiteStore

if TYPE_CHECKING:
    from orderbook.documents import Party

__all__ = ["main", "table"]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Lay rows out as an aligned text table; the columns in ``right`` align right.

    >>> print(table(["sku", "qty"], [["TEA", "3"], ["MUG", "12"]], right=[1]))
    sku  qty
    ---  ---
    TEA    3
    MUG   12
    """
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def render(cells: Sequence[str]) -> str:
        parts = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    lines = [render(headers), render(["-" * w for w in widths])]
    return "\n".join([*lines, *(render(row) for row in rows)])


def _report(book: OrderBook, as_of: dt.date, status: str | None, customer: str | None) -> str:
    rows = []
    for order in book.orders(status=status, customer_id=customer):
        state = book.summary(order.id, as_of=as_of)
        name = book.get(Customer, order.customer_id).name
        rows.append(
            [
                order.number or order.id,
                name,
                book.workflow.status(order.status).label,
                str(len(order.lines)),
                str(state.gross),
                format_percent(state.fulfilment.by_quantity),
                format_percent(state.invoicing.percent),
                format_percent(state.payment.percent),
                str(state.payment.outstanding),
                state.payment.label,
            ]
        )
    headers = ["order", "customer", "status", "lines", "gross", "shipped", "invoiced", "paid",
               "outstanding", "payment"]  # fmt: skip
    title = f"Orders as of {as_of.isoformat()}: {len(rows)}"
    return f"{title}\n\n{table(headers, rows, right=range(3, 9))}"


def _lines(book: OrderBook, order_id: str, as_of: dt.date) -> str:
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
            str(s.gross.amount),
        ]
        for line, s in zip(order.lines, state.lines, strict=True)
    ]
    headers = ["line", "sku", "due", "ordered", "allocated", "shipped", "invoiced", "gross"]
    title = f"{order.number} for {book.get(Customer, order.customer_id).name}: {order.subject}"
    return f"{title}\n\n{table(headers, rows, right=range(3, 8))}"


def _demo(path: Path | None, ending: dt.date | None, out: TextIO) -> int:
    with tempfile.TemporaryDirectory() as folder:
        target = path or Path(folder) / "demo.sqlite"
        if target.exists() and target.stat().st_size > 0:
            return _fail(f"{target} already exists; the demo needs a new file")
        # The scenario ends now (or on the day given), so a report of the file on that day
        # reads the demo's own figures.
        now = SystemClock().now()
        if ending is not None:
            now = dt.datetime.combine(ending, now.timetz())
        clock = demo_clock(ending=now)
        with OrderBook.open(target, clock=clock, id_factory=demo_ids()) as book:
            steps = iter(range(1, 7))

            def say(text: str) -> None:
                out.write(f"[{next(steps)}/6] {text}\n")

            ids = run(book, say)
            as_of = book.clock.now().date()
            out.write("\n" + _lines(book, ids[0], as_of) + "\n\n")
            out.write(_report(book, as_of, None, None) + "\n\n")
            kept = f"in {target}" if path else "(in a temporary file; --db PATH keeps the book)"
            out.write(f"{len(book.events())} events recorded {kept}\n")
    return 0


def _open_existing(path: Path) -> OrderBook:
    """Open a book only to read it: nothing is created, migrated or written, in the file or
    beside it, and a damaged page is found before anything is printed."""
    if not path.is_file():
        raise OrderbookError(f"{path}: no such book file")
    if not os.access(path, os.R_OK):
        raise OrderbookError(f"{path}: cannot be read")
    store = SQLiteStore(path, busy_timeout=0.5, read_only=True)
    try:
        store.quick_check()
        return OrderBook(store)
    except BaseException:
        store.close()
        raise


def _events(path: Path, since: int, out: TextIO) -> int:
    with _open_existing(path) as book:
        rows = [
            [str(e.sequence), e.at.isoformat(), e.kind, e.order_id or "-", _gist(e.data)]
            for e in book.events(since)
        ]
    out.write(table(["seq", "at", "kind", "order", "details"], rows, right=[0]) + "\n")
    return 0


def _gist(data: object) -> str:
    if not isinstance(data, dict):
        return ""
    parts = [f"{k}={v}" for k, v in sorted(data.items()) if k != "changes" and v is not None]
    return ", ".join(parts)[:80]


def _render(args: argparse.Namespace, out: TextIO) -> int:
    from orderbook.documents import Party, order_confirmation, render_html, render_pdf

    if args.invoice is not None or args.format in _EINVOICE_FORMATS:
        return _render_invoice(args, out)
    if args.order_id is None:
        return _fail("render needs an ORDER, or --invoice INVOICE")
    seller = Party(name=args.seller)
    with _open_existing(args.db) as book:
        order = _order(book, args.order_id)
        summary = book.summary(order.id, as_of=args.as_of or book.clock.now().date())
        document = order_confirmation(
            order, book.get(Customer, order.customer_id), seller, summary=summary
        )
    data = render_pdf(document) if args.format == "pdf" else render_html(document).encode()
    args.output.write_bytes(data)
    out.write(f"{document.title}: {len(data)} bytes written to {args.output}\n")
    return 0


# -- invoices and e-invoices: render --invoice ID|NUMBER --format pdf|html|ubl|cii|facturx --

_EINVOICE_FORMATS = ("ubl", "cii", "facturx")


def _render_invoice(args: argparse.Namespace, out: TextIO) -> int:
    """Write an invoice as a PDF or HTML page, or as an e-invoice (UBL, CII, Factur-X)."""
    from orderbook.documents import invoice_document, render_html, render_pdf
    from orderbook.einvoice import write_einvoice

    if args.invoice is None or args.order_id is not None:
        return _fail("render --format ubl, cii or facturx needs --invoice ID and no ORDER")
    seller = _seller(args.seller, args.seller_file)
    with _open_existing(args.db) as book:
        invoice = _invoice(book, args.invoice)
        order = book.get(Order, invoice.order_id) if invoice.order_id is not None else None
        document = invoice_document(
            invoice,
            book.get(Customer, invoice.customer_id),
            seller,
            payments=book.store.payments_by_invoice(invoice.id),
            order=order,
            tax_rounding=book.workflow.settings.counting.tax_rounding,
        )
        if args.format in _EINVOICE_FORMATS:
            pdf = render_pdf(document) if args.format == "facturx" else None
            data = write_einvoice(book.einvoice(invoice.id, seller=seller), args.format, pdf=pdf)
        else:
            data = render_pdf(document) if args.format == "pdf" else render_html(document).encode()
    args.output.write_bytes(data)
    out.write(f"{document.title} ({args.format}): {len(data)} bytes written to {args.output}\n")
    return 0


def _seller(name: str, path: Path | None) -> Party:
    """The seller's block: a name, or a JSON file of a Party's fields (an e-invoice needs
    the postal address, the VAT id and the IBAN)."""
    import json

    from orderbook.documents import Party
    from orderbook.store.codec import decode

    if path is None:
        return Party(name=name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise OrderbookError(f"{path}: not a JSON file of the seller: {error}") from None
    if not isinstance(data, dict):
        raise OrderbookError(f"{path}: must hold a JSON object of the seller's fields")
    try:
        return decode(Party, {"name": name, **data})
    except OrderbookError as error:
        raise OrderbookError(
            f"{path}: not a seller: {error.details.get('reason', error)}"
        ) from None


def _invoice(book: OrderBook, key: str) -> Invoice:
    """The invoice with this id or, failing that, this number (it must name one)."""
    try:
        return book.get(Invoice, key)
    except NotFound:
        numbered = [found for found in book.store.records(Invoice) if found.number == key]
        if len(numbered) == 1:
            return numbered[0]
        if numbered:
            ids = ", ".join(found.id for found in numbered)
            raise OrderbookError(f"{len(numbered)} invoices have number {key!r}: {ids}") from None
        raise OrderbookError(f"no invoice with id or number {key!r}") from None


def _order(book: OrderBook, key: str) -> Order:
    """The order with this id or, failing that, this number (it must name one order)."""
    try:
        return book.get(Order, key)
    except NotFound:
        numbered = [order for order in book.orders() if order.number == key]
        if len(numbered) == 1:
            return numbered[0]
        if numbered:
            ids = ", ".join(order.id for order in numbered)
            raise OrderbookError(f"{len(numbered)} orders have number {key!r}: {ids}") from None
        raise OrderbookError(f"no order with id or number {key!r}") from None


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from orderbook.export import book_records, to_csv

    with _open_existing(args.db) as book:
        as_of = args.as_of or book.clock.now().date()
        tables = dict(book_records(book, as_of=as_of, customer_id=args.customer).tables)
    target: Path | None = args.output
    one = args.table or "orders"
    if target is None:
        to_csv(tables[one], out)
        return 0
    if target.suffix.lower() == ".csv" and not target.is_dir():
        with target.open("w", newline="", encoding="utf-8") as file:
            count = to_csv(tables[one], file)
        out.write(f"{one}: {count} rows written to {target}\n")
        return 0
    target.mkdir(exist_ok=True)
    for name in [args.table] if args.table else list(tables):
        with (target / f"{name}.csv").open("w", newline="", encoding="utf-8") as file:
            count = to_csv(tables[name], file)
        out.write(f"{name}: {count} rows written to {target / f'{name}.csv'}\n")
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    """Print each broken invariant of a book; exit 1 if there is one, 0 if it is sound."""
    from orderbook.check import check_book
    from orderbook.workflow import presets

    workflow = presets.by_name(args.workflow)
    with _open_existing(args.db) as book:
        problems = check_book(book.store, workflow=workflow)
    for problem in problems:
        out.write(f"{problem}\n")
    out.write(f"{args.db}: {len(problems) or 'no'} problem{'' if len(problems) == 1 else 's'}\n")
    return 1 if problems else 0


def _fail(message: str) -> int:
    sys.stderr.write(f"orderbook: error: {message}\n")
    return 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orderbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="play a realistic scenario on an SQLite file")
    demo.add_argument("--db", type=Path, help="the new file to write (a temp file by default)")
    demo.add_argument("--as-of", type=_date, help="the day the scenario ends (today by default)")
    report = commands.add_parser("report", help="print the orders of a book")
    report.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    report.add_argument("--as-of", type=_date, help="the date of the figures (today by default)")
    report.add_argument("--status", help="only orders in this status (its code)")
    report.add_argument("--customer", help="only orders of this customer (its id)")
    events = commands.add_parser("events", help="print a book's event log")
    events.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    events.add_argument("--since", type=int, default=0, help="only events after this number")
    render = commands.add_parser(
        "render", help="write an order confirmation, or an invoice or e-invoice"
    )
    render.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    render.add_argument("order_id", metavar="ORDER", nargs="?", help="the order's id or number")
    render.add_argument("--invoice", metavar="INVOICE", help="an invoice's id or number instead")
    formats = ["pdf", "html", *_EINVOICE_FORMATS]
    render.add_argument("--format", choices=formats, default="pdf", help=", ".join(formats))
    render.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    render.add_argument("--seller", default="Seller", help="the company name in the letterhead")
    render.add_argument(
        "--seller-file", type=Path, help="a JSON file of the seller (address, vat_id, iban)"
    )
    render.add_argument("--as-of", type=_date, help="the date of the payment status")
    export = commands.add_parser("export", help="write a book's orders, lines, invoices, payments")
    export.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    export.add_argument("--format", choices=["csv"], default="csv", help="csv")
    export.add_argument("-o", "--output", type=Path, help="a directory, or a .csv file")
    tables = ["orders", "lines", "invoices", "payments"]
    export.add_argument("--table", choices=tables, help="only this table (a file: orders)")
    export.add_argument("--as-of", type=_date, help="the date of the figures (today by default)")
    export.add_argument("--customer", help="only this customer's records (its id)")
    check = commands.add_parser("check", help="verify a book's invariants; exit 1 on a problem")
    check.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    check.add_argument("--workflow", default="standard", help="the book's workflow preset")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line and return its exit status.

    >>> import io
    >>> buffer = io.StringIO()
    >>> main(["demo"], out=buffer)
    0
    >>> "SO-1001 for AcmeCorp" in buffer.getvalue()
    True
    """
    args = _parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        if args.command == "demo":
            return _demo(args.db, args.as_of, stream)
        if args.command == "report":
            with _open_existing(args.db) as book:
                as_of = args.as_of or book.clock.now().date()
                stream.write(_report(book, as_of, args.status, args.customer) + "\n")
            return 0
        if args.command == "render":
            return _render(args, stream)
        if args.command == "export":
            return _export(args, stream)
        if args.command == "check":
            return _check(args, stream)
        return _events(args.db, args.since, stream)
    except (OrderbookError, OSError) as error:
        return _fail(str(error).splitlines()[0])
