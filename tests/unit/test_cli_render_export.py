import csv
import datetime as dt
import io
import sqlite3
import sys
import zipfile
from decimal import Decimal

import pytest
from pypdf import PdfReader

from orderbook import (
    Customer,
    Invoice,
    Money,
    NotFound,
    Order,
    OrderLine,
    Payment,
    Product,
    SequentialIds,
    ValidationError,
)
from orderbook.book import OrderBook
from orderbook.cli import main
from orderbook.clock import FixedClock
from orderbook.export import book_records, records

DAY = "2027-02-01"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A book file written by the demo command, shared by the tests that only read it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--as-of", "2027-01-28"], out=io.StringIO()) == 0
    return path


def build_book(path):
    """A book file built directly: a Cyrillic customer, an issued and a draft invoice."""
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))
    with OrderBook.open(path, clock=clock, id_factory=SequentialIds("id")) as book:
        book.save_customer(Customer(id="olga", name="Ольга Смирнова", currency="EUR"))
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        book.save_product(Product(sku="TEA"))
        lines = [OrderLine(id="l1", sku="TEA", quantity=4, unit_price=Money("5.00", "EUR"))]
        first = book.place_order("olga", lines, number="SO-1")
        book.transition(first.id, "confirmed")
        issued = book.invoice(first.id, {"l1": 2}, issue=True, number="INV-1")
        book.record_payment(Money("4.00", "EUR"), invoice_id=issued.id)
        book.invoice(first.id, {"l1": 1})
        book.place_order("acme", lines, number="SO-2")
    return path


def run(*argv):
    out = io.StringIO()
    return main([str(arg) for arg in argv], out=out), out.getvalue()


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def one_line_error(capsys, code, text):
    err = capsys.readouterr().err
    assert (code, text) == (2, "")
    assert err.startswith("orderbook: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    return err


# -- render -------------------------------------------------------------------------------------


def test_render_writes_the_same_html_confirmation_every_time(demo_db, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for target in (first, second):
        code, text = run("render", "--db", demo_db, "o-1001", "--format", "html", "-o", target,
                         "--seller", "Mangrove <Carbon>", "--as-of", DAY)  # fmt: skip
        assert code == 0
        assert (
            text
            == f"Order confirmation SO-1001: {target.stat().st_size} bytes written to {target}\n"
        )
    page = first.read_text(encoding="utf-8")
    assert first.read_bytes() == second.read_bytes()
    assert page.startswith("<!DOCTYPE html>")
    assert "Mangrove &lt;Carbon&gt;" in page
    assert "AcmeCorp" in page
    assert "MANGROVE-A" in page
    assert "PEAT-C" in page
    assert "USD 4,900.00" in page  # the amount still due on 2027-02-01


def test_render_finds_an_order_by_its_number_and_prints_the_delivery_dates(demo_db, tmp_path):
    by_number, by_id = tmp_path / "n.html", tmp_path / "i.html"
    assert run("render", "--db", demo_db, "SO-1001", "--format", "html", "-o", by_number,
               "--as-of", DAY)[0] == 0  # fmt: skip
    assert run("render", "--db", demo_db, "o-1001", "--format", "html", "-o", by_id,
               "--as-of", DAY)[0] == 0  # fmt: skip
    page = by_number.read_text(encoding="utf-8")
    assert page == by_id.read_text(encoding="utf-8")
    assert ">Due<" in page
    assert "2027-07-04" in page  # the first delivery, six months after the demo began


def test_render_writes_a_pdf_that_a_reader_opens(demo_db, tmp_path):
    target = tmp_path / "o.pdf"
    code, _ = run("render", "--db", demo_db, "o-1003", "-o", target, "--as-of", DAY)
    assert code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Order confirmation" in text
    assert "SO-1003" in text
    assert "Initech" in text
    assert "Seller" in text


def test_render_prints_a_name_in_cyrillic_from_a_book_built_directly(tmp_path):
    path = build_book(tmp_path / "b.sqlite")
    target = tmp_path / "o.pdf"
    assert run("render", "--db", path, "id-1", "-o", target, "--seller", "Tea Traders")[0] == 0
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Ольга Смирнова" in text
    assert "Tea Traders" in text


def test_render_without_fpdf2_is_a_one_line_error_and_writes_nothing(
    demo_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "fpdf", None)  # makes `import fpdf` fail
    target = tmp_path / "o.pdf"
    err = one_line_error(capsys, *run("render", "--db", demo_db, "o-1001", "-o", target))
    assert "pip install 'orderbook[pdf]'" in err
    assert not target.exists()
    assert run("render", "--db", demo_db, "o-1001", "--format", "html", "-o", target)[0] == 0


def test_render_of_an_unknown_order_is_a_one_line_error(demo_db, tmp_path, capsys):
    target = tmp_path / "o.html"
    code, text = run("render", "--db", demo_db, "o-9", "--format", "html", "-o", target)
    err = one_line_error(capsys, code, text)
    assert "no order with id or number 'o-9'" in err
    assert not target.exists()


def test_render_into_a_missing_folder_is_a_one_line_error(demo_db, tmp_path, capsys):
    target = tmp_path / "nowhere" / "o.html"
    code, text = run("render", "--db", demo_db, "o-1001", "--format", "html", "-o", target)
    assert "No such file or directory" in one_line_error(capsys, code, text)


# -- export -------------------------------------------------------------------------------------


def test_export_to_a_folder_writes_one_csv_file_per_table(demo_db, tmp_path):
    folder = tmp_path / "out"
    code, text = run("export", "--db", demo_db, "--format", "csv", "-o", folder, "--as-of", DAY)
    assert code == 0
    assert text.splitlines() == [
        f"orders: 4 rows written to {folder / 'orders.csv'}",
        f"lines: 7 rows written to {folder / 'lines.csv'}",
        f"invoices: 2 rows written to {folder / 'invoices.csv'}",
        f"payments: 2 rows written to {folder / 'payments.csv'}",
        f"4 CSV files written to the directory {folder}",
    ]
    orders = read_csv(folder / "orders.csv")
    assert [row["number"] for row in orders] == ["SO-1001", "SO-1002", "SO-1003", "SO-1004"]
    offtake = orders[0]
    assert (offtake["customer_id"], offtake["status"], offtake["as_of"]) == (
        "acme",
        "partially_shipped",
        DAY,
    )
    assert (offtake["paid"], offtake["amount_due"]) == ("5000.00", "4900.00")
    lines = read_csv(folder / "lines.csv")
    assert [(row["order_id"], row["line_id"]) for row in lines[:4]] == [
        ("o-1001", "d1"),
        ("o-1001", "d2"),
        ("o-1001", "d3"),
        ("o-1001", "d4"),
    ]
    assert lines[0]["delivered"] == "500"
    invoices = read_csv(folder / "invoices.csv")
    assert sorted((row["number"], row["payment"]) for row in invoices) == [
        ("INV-1", "part_paid"),
        ("INV-2", "paid"),
    ]
    payments = read_csv(folder / "payments.csv")
    assert sorted((row["amount"], row["method"]) for row in payments) == [
        ("5000.00", "transfer"),
        ("750.00", "card"),
    ]


def test_export_to_a_csv_file_writes_the_table_asked_for(demo_db, tmp_path):
    target = tmp_path / "bills.csv"
    code, text = run("export", "--db", demo_db, "--table", "invoices", "-o", target)
    assert (code, text) == (0, f"invoices: 2 rows written to {target}\n")
    assert sorted(row["number"] for row in read_csv(target)) == ["INV-1", "INV-2"]
    assert not (tmp_path / "orders.csv").exists()


def test_export_without_a_target_prints_the_orders_of_one_customer(demo_db):
    code, text = run("export", "--db", demo_db, "--customer", "globex", "--as-of", DAY)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert code == 0
    assert [(row["number"], row["status"]) for row in rows] == [
        ("SO-1002", "confirmed"),
        ("SO-1004", "cancelled"),
    ]


def test_export_of_a_book_built_directly_keeps_drafts_and_unicode(tmp_path):
    path = build_book(tmp_path / "b.sqlite")
    folder = tmp_path / "out"
    assert run("export", "--db", path, "-o", folder, "--customer", "olga")[0] == 0
    invoices = read_csv(folder / "invoices.csv")
    assert [(row["number"], row["status"]) for row in invoices] == [
        ("INV-1", "issued"),
        ("", "draft"),
    ]
    assert [row["customer_id"] for row in read_csv(folder / "orders.csv")] == ["olga"]
    assert [row["amount"] for row in read_csv(folder / "payments.csv")] == ["4.00"]


def test_export_to_an_unknown_customer_is_a_one_line_error(demo_db, tmp_path, capsys):
    code, text = run("export", "--db", demo_db, "--customer", "nobody", "-o", tmp_path / "x")
    assert "no customer with id 'nobody'" in one_line_error(capsys, code, text)
    assert not (tmp_path / "x").exists()


# -- files that are not books -------------------------------------------------------------------


COMMANDS = [
    ["render", "o-1001", "--format", "html", "-o", "out.html"],
    ["export", "--format", "csv", "-o", "out"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=["render", "export"])
def test_a_missing_book_file_is_a_one_line_error(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, text = run(*command, "--db", tmp_path / "nope.sqlite")
    assert "no such book file" in one_line_error(capsys, code, text)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS, ids=["render", "export"])
def test_a_corrupt_book_file_is_a_one_line_error(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.sqlite"
    bad.write_text("this is not a database")
    code, text = run(*command, "--db", bad)
    assert "not an orderbook database" in one_line_error(capsys, code, text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sqlite"]


@pytest.mark.parametrize("command", COMMANDS, ids=["render", "export"])
def test_a_locked_book_file_is_a_one_line_error(command, demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    holder = sqlite3.connect(demo_db, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE events SET kind = kind WHERE sequence = 1")
        code, text = run(*command, "--db", demo_db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in one_line_error(capsys, code, text)
    assert list(tmp_path.iterdir()) == []


# -- book_records -------------------------------------------------------------------------------


def test_book_records_are_the_records_of_the_books_summaries(tmp_path):
    with OrderBook.open(build_book(tmp_path / "b.sqlite")) as book:
        day = dt.date(2027, 3, 1)
        exported = book_records(book, as_of=day)
        orders = book.orders()
        assert exported == records(
            [book.summary(order.id, as_of=day) for order in orders],
            orders=orders,
            invoices=book.store.records(Invoice),
            payments=book.store.records(Payment),
        )
        assert [row["number"] for row in exported.orders] == ["SO-1", "SO-2"]
        assert [row["amount_due"] for row in exported.invoices] == [
            Decimal("6.00"),
            Decimal("5.00"),
        ]


def test_book_records_leave_out_an_amended_revision(tmp_path):
    with OrderBook.open(build_book(tmp_path / "b.sqlite")) as book:
        (older,) = book.orders(customer_id="acme")
        smaller = [OrderLine(id="l1", sku="TEA", quantity=1, unit_price=Money("5", "EUR"))]
        newer = book.amend(older.id, smaller)
        exported = book_records(book, as_of=dt.date(2027, 3, 1), customer_id="acme")
    assert [(row["order_id"], row["gross"]) for row in exported.orders] == [
        (newer.id, Decimal("5.00"))
    ]
    assert (exported.invoices, exported.payments) == ((), ())


def test_book_records_refuse_what_is_not_a_book_or_a_date(tmp_path):
    with pytest.raises(ValidationError, match="book must be an OrderBook"):
        book_records([Order(id="o1", customer_id="c", currency="EUR")], as_of=dt.date.today())
    with OrderBook.open(build_book(tmp_path / "b.sqlite")) as book:
        with pytest.raises(ValidationError, match="as_of must be a date"):
            book_records(book, as_of=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
        with pytest.raises(NotFound, match="no customer with id 'nobody'"):
            book_records(book, as_of=dt.date(2027, 3, 1), customer_id="nobody")


# -- standard output and what -o names ----------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_render_dash_o_writes_the_pdf_bytes_to_standard_output(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    binary = io.BytesIO()
    out = io.TextIOWrapper(binary, encoding="utf-8")
    assert (
        main(["render", "--db", str(demo_db), "o-1003", "-o", "-", "--as-of", DAY], out=out) == 0
    )
    out.flush()
    target = tmp_path / "o.pdf"
    assert run("render", "--db", demo_db, "o-1003", "-o", target, "--as-of", DAY)[0] == 0
    assert binary.getvalue() == target.read_bytes()
    assert binary.getvalue().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.pdf"]  # no file named "-"


def test_render_dash_o_writes_the_html_page_and_nothing_else(demo_db, tmp_path):
    code, page = run("render", "--db", demo_db, "SO-1001", "--format", "html", "-o", "-",
                     "--as-of", DAY)  # fmt: skip
    target = tmp_path / "o.html"
    run("render", "--db", demo_db, "SO-1001", "--format", "html", "-o", target, "--as-of", DAY)
    assert code == 0
    assert page == target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")


def test_render_refuses_to_write_a_pdf_to_a_terminal(demo_db, capsys):
    code = main(["render", "--db", str(demo_db), "o-1001", "-o", "-"], out=Terminal())
    err = capsys.readouterr().err
    assert code == 2
    assert "a PDF is not for a terminal" in err


def test_export_to_a_zip_archive_holds_the_files_a_directory_would(demo_db, tmp_path):
    archive, folder = tmp_path / "book.zip", tmp_path / "csv"
    code, text = run("export", "--db", demo_db, "-o", archive, "--as-of", DAY)
    assert code == 0
    assert text.splitlines() == [
        f"orders: 4 rows written to orders.csv in {archive}",
        f"lines: 7 rows written to lines.csv in {archive}",
        f"invoices: 2 rows written to invoices.csv in {archive}",
        f"payments: 2 rows written to payments.csv in {archive}",
        f"4 CSV files written to the zip archive {archive}",
    ]
    assert run("export", "--db", demo_db, "-o", folder, "--as-of", DAY)[0] == 0
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == ["orders.csv", "lines.csv", "invoices.csv", "payments.csv"]
        for name in opened.namelist():
            assert opened.read(name) == (folder / name).read_bytes()
    again = tmp_path / "again.zip"
    assert run("export", "--db", demo_db, "-o", again, "--as-of", DAY)[0] == 0
    assert again.read_bytes() == archive.read_bytes()  # the same book, the same bytes


def test_export_of_one_table_to_a_zip_holds_that_table(demo_db, tmp_path):
    archive = tmp_path / "BILLS.ZIP"
    code, text = run("export", "--db", demo_db, "--table", "invoices", "-o", archive)
    assert code == 0
    assert text.splitlines()[-1] == f"1 CSV file written to the zip archive {archive}"
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == ["invoices.csv"]


@pytest.mark.parametrize("name", ["file.txt", "out.d", "orders.json"])
def test_export_refuses_a_new_name_that_is_no_directory_zip_or_csv(demo_db, tmp_path, capsys,
                                                                   name):  # fmt: skip
    code, text = run("export", "--db", demo_db, "-o", tmp_path / name)
    err = one_line_error(capsys, code, text)
    assert "export -o takes a directory, a .zip or a .csv file, or -" in err
    assert "make it first" in err
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_an_existing_file_and_leaves_it_as_it_was(demo_db, tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.write_text("keep me")
    code, text = run("export", "--db", demo_db, "-o", notes)
    assert f"{notes} is a file" in one_line_error(capsys, code, text)
    assert notes.read_text() == "keep me"


def test_export_into_an_existing_directory_whatever_its_name(demo_db, tmp_path):
    folder = tmp_path / "out.d"
    folder.mkdir()
    code, text = run("export", "--db", demo_db, "-o", folder, "--table", "payments")
    assert code == 0
    assert text.splitlines() == [
        f"payments: 2 rows written to {folder / 'payments.csv'}",
        f"1 CSV file written to the directory {folder}",
    ]


def test_export_dash_o_writes_one_table_to_standard_output(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, text = run("export", "--db", demo_db, "--table", "invoices", "-o", "-", "--as-of", DAY)
    assert code == 0
    assert text == run("export", "--db", demo_db, "--table", "invoices", "--as-of", DAY)[1]
    assert text.startswith("invoice_id,number,")
    assert list(tmp_path.iterdir()) == []
