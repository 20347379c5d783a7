"""orderbook's command line: play a demo book; report, list, render, export and check a book file.

``demo`` plays a realistic scenario on an SQLite file and prints the orders as tables;
``report`` prints the orders of a book as of a date; ``events`` prints its event log;
``render`` writes an order's confirmation as a PDF or an HTML page, or with ``--invoice`` an
invoice as a PDF, an HTML page or an e-invoice (UBL, CII, Factur-X); ``export`` writes the
book's orders, lines, invoices and payments as CSV; ``check`` lists every broken invariant.

Every command but ``demo`` only reads the book: it never creates, migrates or changes a
file. A file that is missing, empty, locked, damaged or not a book, and an argument no book
could match, give a one-line error and exit status 2. ``-o -`` writes to standard output.
Long work shows its progress on standard error when that is a terminal, and nothing else
is ever written there but errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from orderbook import __version__
from orderbook._cli_output import (
    csv_text,
    export_target,
    is_stdout,
    is_terminal,
    write_bytes,
    write_tables,
)
from orderbook._cli_tables import events_table, lines_table, report_table
from orderbook._terminal import Progress, table
from orderbook.book import OrderBook
from orderbook.book.demo import demo_clock, demo_ids, run
from orderbook.clock import SystemClock
from orderbook.documents import check_locale
from orderbook.errors import NotFound, OrderbookError
from orderbook.model import Customer, Invoice, Order
from orderbook.store import SQLiteStore
from orderbook.workflow import presets

if TYPE_CHECKING:
    from orderbook.documents import Party

__all__ = ["main", "table"]

WIDTH = 100
"""The columns a line of ``events`` keeps to, unless ``--wide``."""

SLOW = 2.0
"""Seconds after which a demo or a report starts showing its progress."""

_TABLES = ("orders", "lines", "invoices", "payments")


# -- demo ---------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    """Play a few weeks of a book on a new SQLite file: three customers, issued and forecast
    supply, a multi-delivery order, a priority conflict, shipments, invoices, a payment and a
    cancellation. Print each step, then the orders as tables.

    examples:
      python -m orderbook demo
      python -m orderbook demo --db demo.sqlite --as-of 2027-01-28
    """
    path: Path | None = args.db
    with tempfile.TemporaryDirectory() as folder, Progress("demo", after=SLOW) as progress:
        target = path or Path(folder) / "demo.sqlite"
        if target.exists() and target.stat().st_size > 0:
            return _fail(f"{target} already exists; the demo needs a new file")
        # The scenario ends now (or on the day given), so a report of the file on that day
        # reads the demo's own figures.
        now = SystemClock().now()
        if args.as_of is not None:
            now = dt.datetime.combine(args.as_of, now.timetz())
        with OrderBook.open(target, clock=demo_clock(ending=now), id_factory=demo_ids()) as book:
            steps = iter(range(1, 7))

            def say(text: str) -> None:
                step = next(steps)
                with progress.quiet():
                    out.write(f"[{step}/6] {text}\n")
                progress.update(text, done=step, total=6)

            ids = run(book, say)
            as_of = book.clock.now().date()
            with progress.quiet():
                out.write("\n" + lines_table(book, ids[0], as_of) + "\n\n")
            report = report_table(book, as_of, progress=progress)
            with progress.quiet():
                out.write(report + "\n\n")
                kept = (
                    f"in {target}" if path else "(in a temporary file; --db PATH keeps the book)"
                )
                out.write(f"{len(book.events())} events recorded {kept}\n")
    return 0


# -- report -------------------------------------------------------------------------------------


def _report(args: argparse.Namespace, out: TextIO) -> int:
    """Print a book's orders as of a date, by placed date (then number): the number and the id
    (which render takes), the customer, the status, the amounts and how far each order is
    shipped, invoiced and paid, then a totals row per currency. Amounts are grouped
    (USD 30,232.06), or written as --locale writes them (the babel extra).

    examples:
      python -m orderbook report --db demo.sqlite
      python -m orderbook report --db demo.sqlite --status confirmed --as-of 2027-02-01
      python -m orderbook report --db demo.sqlite --customer acme --locale de_DE
    """
    check_locale(args.locale)
    with _open_existing(args.db, args.workflow) as book, Progress("report", after=SLOW) as p:
        as_of = args.as_of or book.clock.now().date()
        text = report_table(book, as_of, status=args.status, customer=args.customer,
                            locale=args.locale, progress=p)  # fmt: skip
    out.write(text + "\n")
    return 0


# -- events -------------------------------------------------------------------------------------


def _events(args: argparse.Namespace, out: TextIO) -> int:
    """Print a book's event log, oldest first: its number, when, what, the order and the
    details. Each line keeps to 100 columns, with the details cut where they do not fit and
    marked with an ellipsis (…); --wide prints every detail in full, and the exact time.

    examples:
      python -m orderbook events --db demo.sqlite
      python -m orderbook events --db demo.sqlite --since 30 --wide
    """
    with _open_existing(args.db, args.workflow) as book:
        events = book.events(args.since)
    out.write(events_table(events, width=None if args.wide else WIDTH) + "\n")
    return 0


# -- render -------------------------------------------------------------------------------------


def _render(args: argparse.Namespace, out: TextIO) -> int:
    """Write an order's confirmation, with its payment status, as a PDF (the pdf extra) or
    an HTML page. ORDER is the order's id or its number; -o - writes to standard output. With
    --invoice ID|NUMBER, an invoice instead: as a PDF or an HTML page, or as an e-invoice
    (--format ubl, cii or facturx: the einvoice extra; --seller-file gives the seller's
    address, VAT id and IBAN as JSON).

    examples:
      python -m orderbook render --db demo.sqlite SO-1001 -o SO-1001.pdf
      python -m orderbook render --db demo.sqlite o-1001 --format html -o - > o.html
      python -m orderbook render --db demo.sqlite --invoice INV-1 --format ubl -o INV-1.xml
    """
    from orderbook.documents import Party, order_confirmation, render_html, render_pdf

    if args.invoice is not None or args.format in _EINVOICE_FORMATS:
        return _render_invoice(args, out)
    if args.order_id is None:
        return _fail("render needs an ORDER, or --invoice INVOICE")
    to_stdout = is_stdout(args.output)
    if to_stdout and args.format == "pdf" and is_terminal(out):
        raise OrderbookError(
            "a PDF is not for a terminal: redirect standard output or give -o FILE"
        )
    seller = Party(name=args.seller)
    with _open_existing(args.db, args.workflow) as book:
        order = _order(book, args.order_id)
        summary = book.summary(order.id, as_of=args.as_of or book.clock.now().date())
        document = order_confirmation(
            order, book.get(Customer, order.customer_id), seller, summary=summary
        )
    data = render_pdf(document) if args.format == "pdf" else render_html(document).encode()
    if to_stdout:
        write_bytes(out, data)
        return 0
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
    with _open_existing(args.db, args.workflow) as book:
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
    if is_stdout(args.output):
        write_bytes(out, data)
        return 0
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


# -- export -------------------------------------------------------------------------------------


def _export(args: argparse.Namespace, out: TextIO) -> int:
    """Write a book's orders, lines, invoices and payments as CSV. -o names a directory (one
    file per table; made if it does not exist and its name has no suffix), a .zip archive of
    those files, or a .csv file of one table; without -o, or with -o -, one table goes to
    standard output. --table picks the one table (the orders by default).

    examples:
      python -m orderbook export --db demo.sqlite -o csv
      python -m orderbook export --db demo.sqlite -o book.zip --as-of 2027-02-01
      python -m orderbook export --db demo.sqlite --table invoices -o -
    """
    from orderbook.export import book_records

    where = export_target(args.output)
    with _open_existing(args.db, args.workflow) as book, Progress("export") as progress:
        as_of = args.as_of or book.clock.now().date()
        progress.update(f"summarizing {len(book.orders(customer_id=args.customer))} orders")
        tables = dict(book_records(book, as_of=as_of, customer_id=args.customer).tables)
        progress.update("writing")
        if where in ("stdout", "csv"):
            names = [args.table or "orders"]
        else:
            names = [args.table] if args.table else list(_TABLES)
        files = {f"{name}.csv": csv_text(tables[name]) for name in names}
    write_tables(where, args.output, files, out)
    return 0


# -- check --------------------------------------------------------------------------------------


def _check(args: argparse.Namespace, out: TextIO) -> int:
    """Read every record of a book and list each broken invariant: over-allocated lots,
    orphans, rollups that disagree with the records, records the event log does not rebuild,
    and damaged rows. Exit with 0 on a sound book, 1 when a problem was found.

    examples:
      python -m orderbook check --db demo.sqlite
    """
    from orderbook.check import check_book

    with _open_existing(args.db, args.workflow) as book, Progress("check") as progress:
        progress.update("reading every record and replaying the event log")
        problems = check_book(book.store, workflow=book.workflow)
    for problem in problems:
        out.write(f"{problem}\n")
    out.write(f"{args.db}: {len(problems) or 'no'} problem{'' if len(problems) == 1 else 's'}\n")
    return 1 if problems else 0


# -- shared -------------------------------------------------------------------------------------


def _open_existing(path: Path, workflow: str | None = None) -> OrderBook:
    """Open a book only to read it: nothing is created, migrated or written, in the file or
    beside it, and a damaged page is found before anything is printed. The book runs the
    workflow the file records, or the preset named (for a file that records none)."""
    if not path.is_file():
        raise OrderbookError(f"{path}: no such book file")
    if not os.access(path, os.R_OK):
        raise OrderbookError(f"{path}: cannot be read")
    store = SQLiteStore(path, busy_timeout=0.5, read_only=True)
    try:
        store.quick_check()
        return OrderBook(store, workflow=None if workflow is None else presets.by_name(workflow))
    except BaseException:
        store.close()
        raise


def _fail(message: str) -> int:
    sys.stderr.write(f"orderbook: error: {message}\n")
    return 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


# -- the parser ---------------------------------------------------------------------------------

_Run = Callable[[argparse.Namespace, TextIO], int]


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: _Run,
    summary: str,
) -> argparse.ArgumentParser:
    """A sub-command whose ``--help`` shows the docstring of ``run``: what it does, examples."""
    description, _, examples = inspect.cleandoc(run.__doc__ or "").partition("\n\nexamples:\n")
    command = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"examples:\n{examples}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=run)
    return command


_EXAMPLES = """\
examples:
  python -m orderbook demo --db demo.sqlite
  python -m orderbook report --db demo.sqlite
  python -m orderbook COMMAND --help
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orderbook",
        description=__doc__.split("\n\n")[0],
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"orderbook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = _command(commands, "demo", _demo, "play a realistic scenario on an SQLite file")
    demo.add_argument("--db", type=Path, help="the new file to write (a temp file by default)")
    demo.add_argument("--as-of", type=_date, help="the day the scenario ends (today by default)")

    report = _command(commands, "report", _report, "print the orders of a book")
    report.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    report.add_argument("--as-of", type=_date, help="the date of the figures (today by default)")
    report.add_argument("--status", help="only orders in this status (its code)")
    report.add_argument("--customer", help="only orders of this customer (its id)")
    report.add_argument("--locale", help="write amounts as this locale does (the babel extra)")

    events = _command(commands, "events", _events, "print a book's event log")
    events.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    events.add_argument("--since", type=int, default=0, help="only events after this number")
    events.add_argument("--wide", action="store_true", help="print every detail in full")

    render = _command(
        commands, "render", _render, "write an order confirmation, or an invoice or e-invoice"
    )
    render.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    render.add_argument("order_id", metavar="ORDER", nargs="?", help="the order's id or number")
    render.add_argument("--invoice", metavar="INVOICE", help="an invoice's id or number instead")
    formats = ["pdf", "html", *_EINVOICE_FORMATS]
    render.add_argument("--format", choices=formats, default="pdf", help=", ".join(formats))
    render.add_argument("-o", "--output", type=Path, required=True, help=_OUTPUT_FILE)
    render.add_argument("--seller", default="Seller", help="the company name in the letterhead")
    render.add_argument(
        "--seller-file", type=Path, help="a JSON file of the seller (address, vat_id, iban)"
    )
    render.add_argument("--as-of", type=_date, help="the date of the payment status")

    export = _command(commands, "export", _export, "write a book's records as CSV")
    export.add_argument("--db", type=Path, required=True, help="the book's SQLite file")
    export.add_argument("--format", choices=["csv"], default="csv", help="csv")
    export.add_argument("-o", "--output", type=Path, help=_OUTPUT_EXPORT)
    export.add_argument("--table", choices=_TABLES, help="only this table")
    export.add_argument("--as-of", type=_date, help="the date of the figures (today by default)")
    export.add_argument("--customer", help="only this customer's records (its id)")

    check = _command(commands, "check", _check, "verify a book's invariants; exit 1 on a problem")
    check.add_argument("--db", type=Path, required=True, help="the book's SQLite file")

    for command in (report, events, render, export, check):
        command.add_argument(
            "--workflow", help="the workflow preset, for a file that records none (standard)"
        )
    return parser


_OUTPUT_FILE = "the file to write, or - for standard output"
_OUTPUT_EXPORT = "a directory, a .zip archive, a .csv file, or - for standard output"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line and return its exit status.

    Args:
        argv: the arguments, without the program's name (``sys.argv[1:]`` if None).
        out: where the output goes (standard output if None).

    Returns:
        0 on success, 1 when ``check`` found a problem, 2 on an error (its one line is on
        standard error).

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
        run: _Run = args.run
        return run(args, stream)
    except (OrderbookError, OSError) as error:
        return _fail(str(error).splitlines()[0])
