"""``python -m orderbook render --invoice ID|NUMBER --format ubl|cii|facturx|pdf|html``: an
invoice of a book file written as an e-invoice, valid by the official rules, or as a page."""

import datetime as dt
import io
import json

import facturx
import pytest

from orderbook import Address, Customer, Money, OrderLine, Product, SequentialIds
from orderbook.book import OrderBook
from orderbook.cli import main
from orderbook.clock import FixedClock

SELLER = {
    "billing_address": {"city": "Lyon", "postal_code": "69001", "country": "FR"},
    "vat_id": "FR32123456789",
    "iban": "FR7630006000011234567890189",
    "electronic_address": {"scheme": "0009", "identifier": "12345678900017"},
}


@pytest.fixture(scope="module")
def book_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("einvoice")
    path = folder / "book.sqlite"
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))
    with OrderBook.open(path, clock=clock, id_factory=SequentialIds("id")) as book:
        book.save_customer(
            Customer(
                id="acme",
                name="AcmeCorp GmbH",
                currency="EUR",
                vat_id="DE123456789",
                billing_address=Address(city="Berlin", country="DE"),
            )
        )
        book.save_product(Product(sku="TEA", name="Green tea", tax_rate="0.2"))
        lines = [OrderLine(id="l1", sku="TEA", quantity=4, unit_price=Money("5.00", "EUR"))]
        order = book.place_order("acme", lines, reference="PO-1")
        book.transition(order.id, "confirmed")
        book.invoice(order.id, {"l1": 2}, issue=True, number="INV-1", due_days=30)
        book.invoice(order.id, {"l1": 1}, number="DRAFT-1")
    seller = folder / "seller.json"
    seller.write_text(json.dumps(SELLER))
    return path, seller


def run(*argv):
    out = io.StringIO()
    return main([str(arg) for arg in argv], out=out), out.getvalue()


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_an_invoice_is_rendered_as_a_valid_einvoice_by_its_number(
    book_file, tmp_path, official_rules, syntax
):
    path, seller = book_file
    target = tmp_path / f"INV-1.{syntax}.xml"
    code, said = run(
        "render",
        "--db",
        path,
        "--invoice",
        "INV-1",
        "--format",
        syntax,
        "--seller",
        "Tea Traders SARL",
        "--seller-file",
        seller,
        "-o",
        target,
    )
    assert code == 0
    assert said.startswith(f"Invoice INV-1 ({syntax}): ")
    official_rules.check(target.read_bytes(), syntax)


def test_an_invoice_is_rendered_as_a_factur_x_pdf_whose_xml_validates(
    book_file, tmp_path, official_rules
):
    path, seller = book_file
    target = tmp_path / "INV-1.pdf"
    code, _ = run(
        "render",
        "--db",
        path,
        "--invoice",
        "INV-1",
        "--format",
        "facturx",
        "--seller",
        "Tea Traders SARL",
        "--seller-file",
        seller,
        "-o",
        target,
    )
    assert code == 0
    name, xml = facturx.get_facturx_xml_from_pdf(target.read_bytes())
    assert name == "factur-x.xml"
    official_rules.check(xml, "cii")


def test_an_invoice_is_also_rendered_as_its_pdf_or_html_page(book_file, tmp_path):
    path, _ = book_file
    target = tmp_path / "INV-1.html"
    assert (
        run("render", "--db", path, "--invoice", "INV-1", "--format", "html", "-o", target)[0] == 0
    )
    assert "INV-1" in target.read_text()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--invoice", "INV-404", "--format", "ubl"], "no invoice with id or number 'INV-404'"),
        (["--invoice", "DRAFT-1", "--format", "ubl"], "must be issued"),
        (["--format", "ubl"], "needs --invoice"),
        (["--invoice", "INV-1", "--format", "ubl"], "BR-08, BR-09"),
        ([], "render needs an ORDER"),
    ],
)
def test_what_cannot_be_rendered_is_one_line_and_exit_2(
    book_file, tmp_path, capsys, argv, message
):
    path, _ = book_file
    code, said = run("render", "--db", path, *argv, "-o", tmp_path / "out")
    err = capsys.readouterr().err
    assert (code, said) == (2, "")
    assert err.startswith("orderbook: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_seller_file_that_is_not_a_seller_is_one_line_and_exit_2(book_file, tmp_path, capsys):
    path, _ = book_file
    bad = tmp_path / "seller.json"
    bad.write_text(json.dumps({"vat_id": 32}))
    code, _ = run(
        "render",
        "--db",
        path,
        "--invoice",
        "INV-1",
        "--format",
        "cii",
        "--seller-file",
        bad,
        "-o",
        tmp_path / "out",
    )
    assert code == 2
    assert "not a seller" in capsys.readouterr().err
