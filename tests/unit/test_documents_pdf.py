import datetime as dt
import io
import subprocess
import sys
import textwrap

import pytest

from orderbook import (
    Address,
    Customer,
    Invoice,
    InvoiceLine,
    Money,
    Order,
    OrderbookError,
    OrderLine,
    Payment,
    ValidationError,
)
from orderbook.documents import (
    Party,
    invoice_document,
    order_confirmation,
    pdf_available,
    render_pdf,
)
from orderbook.documents.pdf import FONTS

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("fpdf")

DAY = dt.date(2027, 3, 1)
SELLER = Party(
    name="Tea Traders Ltd",
    billing_address=Address(street="1 Quay Road", city="Leith"),
    tax_id="GB123456789",
)


def pages(pdf):
    """The text of each page, as a reader extracts it."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def customer(name="AcmeCorp", **fields):
    return Customer(id="c1", name=name, currency="EUR", **fields)


def long_order(count):
    lines = [
        OrderLine(
            id=f"l{i}",
            sku=f"SKU-{i:03d}",
            quantity=i,
            unit_price=Money("2.50", "EUR"),
            tax_rate="0.2" if i % 2 else "0.1",
            description=f"Item number {i}",
        )
        for i in range(1, count + 1)
    ]
    return Order(id="o1", customer_id="c1", currency="EUR", number="SO-200", lines=lines,
                 placed_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))  # fmt: skip


@pytest.fixture(scope="module")
def long_pdf():
    order = long_order(200)
    return render_pdf(order_confirmation(order, customer(), SELLER))


def test_a_200_line_order_spans_pages_with_the_header_on_every_one(long_pdf):
    texts = pages(long_pdf)
    assert len(texts) >= 4
    for number, text in enumerate(texts, start=1):
        assert text.startswith("Tea Traders Ltd Order confirmation\nSO-200"), number
        assert f"Page {number} of {len(texts)}" in text


def test_every_page_that_continues_the_lines_repeats_the_table_headings(long_pdf):
    headings = "# Product Description Quantity Unit price Discount Tax Amount"
    texts = pages(long_pdf)
    with_lines = [text for text in texts if "Item number" in text]
    assert len(with_lines) == len(texts) or len(with_lines) == len(texts) - 1
    for text in with_lines:
        assert headings in text


def test_every_line_of_a_long_order_is_printed_once_in_order(long_pdf):
    text = "\n".join(pages(long_pdf))
    positions = [text.index(f"SKU-{i:03d}") for i in range(1, 201)]
    assert positions == sorted(positions)
    assert all(text.count(f"Item number {i}\n") + text.count(f"Item number {i} ") == 1
               for i in (1, 99, 200))  # fmt: skip


def test_the_last_page_carries_the_totals_per_rate_and_the_grand_total(long_pdf):
    last = pages(long_pdf)[-1]
    # Odd positions (at 20%) sum to 10000 units, even ones (at 10%) to 10100: x 2.50 each.
    assert "Tax 10% on 25,250.00 EUR 2,525.00" in last
    assert "Tax 20% on 25,000.00 EUR 5,000.00" in last
    assert "Total EUR 57,775.00" in last


def test_greek_and_cyrillic_names_are_printed_and_read_back():
    buyer = customer(
        name="Αθηνά Παπαδοπούλου",
        billing_address=Address(street="Οδός Ερμού 12", city="Αθήνα"),
        shipping_address=Address(name="Ольга Смирнова", street="ул. Ленина 5", city="Москва"),
    )
    text = pages(render_pdf(order_confirmation(long_order(2), buyer, SELLER)))[0]
    for words in ("Αθηνά Παπαδοπούλου", "Οδός Ερμού 12", "Ольга Смирнова", "ул. Ленина 5"):
        assert words in text


def test_an_invoice_pdf_prints_the_payment_status_and_the_amount_due():
    bill = Invoice(
        id="i1", customer_id="c1", currency="EUR", number="INV-9", status="issued",
        issued_on=DAY, due_on=DAY + dt.timedelta(days=30),
        lines=[InvoiceLine(quantity=2, unit_price=Money("50.00", "EUR"), tax_rate="0.2")],
    )  # fmt: skip
    paid = Payment(amount=Money("20.00", "EUR"), received_on=DAY, invoice_id="i1")
    text = pages(render_pdf(invoice_document(bill, customer(), SELLER, payments=[paid])))[0]
    assert "Due date 2027-03-31" in text
    assert "Payment status Partly paid" in text
    assert "Amount due EUR 100.00" in text


def test_the_same_document_gives_the_same_pdf_bytes_and_text():
    document = order_confirmation(long_order(30), customer(name="Ольга Смирнова"), SELLER)
    first, again = render_pdf(document), render_pdf(document)
    assert first == again
    assert pages(first) == pages(again)


def test_a_user_font_sets_the_text_and_the_bundled_font_fills_in():
    document = order_confirmation(long_order(2), customer(name="Ольга Смирнова"), SELLER)

    def fonts(pdf):
        page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
        return {
            str(font["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()
        }

    assert fonts(render_pdf(document)) == {"DejaVuSansBook", "DejaVuSansBold"}
    pdf = render_pdf(document, font_path=FONTS / "DejaVuSans-Bold.ttf")
    assert fonts(pdf) == {"DejaVuSansBold"}
    assert "Ольга Смирнова" in pages(pdf)[0]


def test_a_font_path_that_is_not_a_font_file_is_refused(tmp_path):
    document = order_confirmation(long_order(1), customer(), SELLER)
    with pytest.raises(ValidationError, match="font_path"):
        render_pdf(document, font_path=tmp_path / "missing.ttf")
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(ValidationError, match="readable TrueType font"):
        render_pdf(document, font_path=junk)


def test_the_bundled_fonts_ship_with_their_licence():
    names = {path.name for path in FONTS.iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= names
    assert "Bitstream Vera" in (FONTS / "LICENSE-DejaVu.txt").read_text()


def test_without_fpdf2_rendering_a_pdf_says_to_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "fpdf", None)  # makes "import fpdf" fail
    assert pdf_available() is False
    document = order_confirmation(long_order(1), customer(), SELLER)
    with pytest.raises(OrderbookError, match=r"orderbook\[pdf\]") as caught:
        render_pdf(document)
    assert caught.value.details == {"extra": "pdf"}


def test_the_core_documents_mail_and_export_import_without_the_optional_extras():
    script = textwrap.dedent(
        """
        import sys
        for name in ("fpdf", "psycopg", "pandas", "babel"):
            sys.modules[name] = None
        import orderbook, orderbook.documents, orderbook.mail, orderbook.export
        from orderbook.documents import Document, Party, render_html
        from orderbook.mail import build_email
        doc = Document(kind="invoice", number="1", currency="EUR",
                       issuer=Party(name="S"), recipient=Party(name="C"))
        message = build_email(doc, sender="s@example.com", to="c@example.com")
        print([part.get_content_type() for part in message.iter_attachments()])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['text/html']"
