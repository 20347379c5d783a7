import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import (
    Address,
    Customer,
    Invoice,
    InvoiceLine,
    Money,
    Order,
    OrderLine,
    Payment,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.billing import credit_note
from orderbook.documents import (
    Document,
    DocumentKind,
    Party,
    delivery_note_document,
    format_amount,
    format_price,
    format_quantity,
    invoice_document,
    invoice_payment_status,
    order_confirmation,
    purchase_order_document,
    quote_document,
    render_html,
)
from orderbook.rollup import PaymentState, summarize

DAY = dt.date(2027, 3, 1)
SELLER = Party(
    name="Tea Traders Ltd",
    billing_address=Address(street="1 Quay Road", city="Leith", postal_code="EH6 7AA"),
    shipping_address=Address(street="Dock 4", city="Leith"),
    tax_id="GB123456789",
    notes=["IBAN GB00 TEST 0000 0000"],
)


class _Page(HTMLParser):
    """Collect the text of a rendered page by the class of the element it is in."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.text = []
        self.by_class = {}
        self.rows = []  # the cells of each row of the lines table
        self.headings = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        cls = dict(attrs).get("class") or ""
        self.stack.append((tag, cls))
        if tag == "tr" and self._inside("lines"):
            self.rows.append([])
        if tag == "td" and self._inside("lines"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def _inside(self, cls):
        return any(cls in c.split() for _, c in self.stack)

    def handle_data(self, data):
        self.text.append(data)
        for _, cls in self.stack:
            for name in cls.split():
                self.by_class.setdefault(name, []).append(data)
        tags = [tag for tag, _ in self.stack]
        if self._inside("lines") and tags[-1] == "td":
            self.rows[-1][-1] += data
        if self._inside("lines") and tags[-1] == "th":
            self.headings.append(data)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)


def parse(page):
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def customer(name="AcmeCorp", **fields):
    return Customer(id="c1", name=name, currency="EUR", **fields)


def order_of(lines, **header):
    return Order(id="o1", customer_id="c1", currency="EUR", number="SO-1", lines=lines, **header)


def tea(line_id="l1", quantity=3, price="4.99", **fields):
    return OrderLine(
        id=line_id, sku="TEA", quantity=quantity, unit_price=Money(price, "EUR"), **fields
    )


def test_an_order_confirmation_prints_its_lines_totals_per_rate_and_grand_total():
    order = order_of(
        [
            tea("l1", 3, "4.99", discount="0.1", tax_rate="0.2", description="Assam"),
            tea("l2", 2, "10.00", tax_rate="0.055"),
        ],
        reference="PO-55",
        terms="Net 30",
        placed_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
    )
    page = parse(render_html(order_confirmation(order, customer(), SELLER)))
    assert page.headings == [
        "#", "Product", "Description", "Quantity", "Unit price", "Discount", "Tax", "Amount"
    ]  # fmt: skip
    assert page.rows[1:] == [
        ["1", "TEA", "Assam", "3", "4.99", "10%", "20%", "13.47"],
        ["2", "TEA", "", "2", "10.00", "", "5.5%", "20.00"],
    ]
    totals = "|".join(page.by_class["totals"])
    assert totals == (
        "Net total|EUR 33.47|Tax 5.5% on 20.00|EUR 1.10|Tax 20% on 13.47|EUR 2.69"
        "|Tax total|EUR 3.79|Total|EUR 37.26"
    )
    details = page.by_class["details"]
    assert details[:4] == ["Number", "SO-1", "Order date", "2027-03-01"]
    assert "PO-55" in details
    assert page.by_class["terms"] == ["Terms", "Net 30"]


def test_the_order_addresses_override_the_customers_in_the_bill_to_and_ship_to_blocks():
    buyer = customer(
        billing_address=Address(street="9 Rue Haute", city="Lyon"),
        shipping_address=Address(street="Quai 2", city="Lyon"),
    )
    order = order_of([tea()], shipping_address=Address(street="Site B", city="Nantes"))
    page = parse(render_html(order_confirmation(order, buyer, SELLER)))
    assert page.by_class["party"] == [
        "Bill to", "AcmeCorp", "9 Rue Haute", "Lyon",
        "Ship to", "AcmeCorp", "Site B", "Nantes",
    ]  # fmt: skip
    issuer = page.by_class["issuer"]
    assert issuer == [
        "Tea Traders Ltd", "1 Quay Road", "EH6 7AA Leith", "Tax ID: GB123456789",
        "IBAN GB00 TEST 0000 0000",
    ]  # fmt: skip


def test_a_summary_adds_the_payment_status_and_the_amount_due():
    order = order_of([tea(quantity=10, price="10.00")])
    bill = Invoice(
        id="i1", customer_id="c1", currency="EUR", order_id="o1", status="issued",
        issued_on=DAY, lines=[InvoiceLine(quantity=10, unit_price=Money("10.00", "EUR"))],
    )  # fmt: skip
    paid = Payment(amount=Money("30.00", "EUR"), received_on=DAY, invoice_id="i1")
    summary = summarize(order, invoices=[bill], payments=[paid], as_of=DAY)
    document = order_confirmation(order, customer(), SELLER, summary=summary)
    assert document.payment is not None
    assert document.payment.outstanding == Money("70.00", "EUR")
    payment = parse(render_html(document)).by_class["payment"]
    assert payment == [
        "Payment status", "Partly paid", "Paid", "EUR 30.00", "Amount due", "EUR 70.00"
    ]  # fmt: skip


def test_a_summary_of_another_order_is_refused():
    other = summarize(attrs.evolve(order_of([tea()]), id="o2"), as_of=DAY)
    with pytest.raises(ValidationError, match="summary"):
        order_confirmation(order_of([tea()]), customer(), SELLER, summary=other)


def test_a_customer_who_did_not_place_the_order_is_refused():
    stranger = Customer(id="c2", name="Someone Else", currency="EUR")
    with pytest.raises(ValidationError, match="must be the customer of order 'o1'"):
        order_confirmation(order_of([tea()]), stranger, SELLER)


def issued_invoice(**fields):
    values = {
        "id": "i1",
        "customer_id": "c1",
        "currency": "EUR",
        "number": "INV-9",
        "status": "issued",
        "issued_on": DAY,
        "due_on": DAY + dt.timedelta(days=30),
        "lines": [
            InvoiceLine(
                quantity=2,
                unit_price=Money("50.00", "EUR"),
                tax_rate="0.2",
                sku="DESK",
                description="Oak desk",
            )
        ],
    }
    values.update(fields)
    return Invoice(**values)


def test_an_invoice_prints_its_dates_the_payments_against_it_and_what_is_still_due():
    payments = [
        Payment(amount=Money("20.00", "EUR"), received_on=DAY, invoice_id="i1"),
        Payment(amount=Money("999.00", "EUR"), received_on=DAY, invoice_id="other"),
    ]
    document = invoice_document(issued_invoice(), customer(), SELLER, payments=payments)
    assert document.title == "Invoice INV-9"
    page = parse(render_html(document))
    assert page.by_class["details"][:6] == [
        "Number", "INV-9", "Date of issue", "2027-03-01", "Due date", "2027-03-31"
    ]  # fmt: skip
    assert page.by_class["payment"][-2:] == ["Amount due", "EUR 100.00"]
    assert page.by_class["totals"][-2:] == ["Total", "EUR 120.00"]


def test_an_invoice_is_paid_once_its_payments_reach_its_gross():
    bill = issued_invoice()
    full = [Payment(amount=Money("120.00", "EUR"), received_on=DAY, invoice_id="i1")]
    status = invoice_payment_status(bill, full)
    assert (status.state, status.outstanding, status.overpaid) == (
        PaymentState.PAID,
        Money("0.00", "EUR"),
        False,
    )
    assert invoice_payment_status(bill).state is PaymentState.NOT_PAID


def test_a_credit_note_is_titled_so_and_asks_for_no_payment():
    note = attrs.evolve(credit_note(issued_invoice(), id_factory=lambda: "cn1"), number="CN-1")
    document = invoice_document(note, customer(), SELLER)
    assert document.kind is DocumentKind.CREDIT_NOTE
    assert document.payment is None
    page = parse(render_html(document))
    assert page.by_class["heading"][:2] == ["Credit note", "CN-1"]
    assert "payment" not in page.by_class


def test_a_draft_invoice_is_stamped_draft():
    draft = issued_invoice(status="draft", issued_on=None, due_on=None, number="")
    page = parse(render_html(invoice_document(draft, customer(), SELLER)))
    assert page.by_class["stamp"] == ["Draft"]
    assert page.by_class["number"] == ["i1"]  # no number yet: the id stands in


def test_an_invoice_of_another_order_is_refused():
    bill = issued_invoice(order_id="o9")
    with pytest.raises(ValidationError, match="must be the order of invoice 'i1'"):
        invoice_document(bill, customer(), SELLER, order=order_of([tea()]))


def test_a_delivery_note_prints_shipped_and_ordered_quantities_without_prices():
    order = order_of(
        [tea("l1", 12, description="Assam"), tea("l2", 5)],
        shipping_address=Address(street="Site B", city="Nantes"),
    )
    shipment = Shipment(
        id="s1", order_id="o1", number="DN-3", shipped_on=DAY,
        items=[ShipmentItem(line_id="l2", quantity=5), ShipmentItem(line_id="l1", quantity=4)],
    )  # fmt: skip
    document = delivery_note_document(shipment, order, customer(), SELLER)
    assert document.totals is None
    page = parse(render_html(document))
    assert page.headings == ["#", "Product", "Description", "Ordered", "Shipped", "Due"]
    assert page.rows[1:] == [["1", "TEA", "", "5", "5", ""], ["2", "TEA", "Assam", "12", "4", ""]]
    assert page.by_class["party"][:3] == ["Deliver to", "AcmeCorp", "Site B"]
    assert "EUR" not in "".join(page.by_class.get("lines", []))
    assert "totals" not in page.by_class


def test_a_shipment_of_another_order_is_refused():
    shipment = Shipment(
        order_id="o9", shipped_on=DAY, items=[ShipmentItem(line_id="l1", quantity=1)]
    )
    with pytest.raises(ValidationError, match="must be the order of shipment"):
        delivery_note_document(shipment, order_of([tea()]), customer(), SELLER)


def test_a_return_is_printed_as_a_return_note():
    shipment = Shipment(
        order_id="o1",
        kind="return",
        shipped_on=DAY,
        items=[ShipmentItem(line_id="l1", quantity=1)],
    )
    document = delivery_note_document(shipment, order_of([tea()]), customer(), SELLER)
    page = parse(render_html(document))
    assert page.by_class["heading"][0] == "Return note"
    assert "Returned" in page.headings


def test_a_purchase_order_goes_to_the_supplier_and_is_delivered_to_the_seller():
    po = PurchaseOrder(
        id="po1", supplier="Nordic Timber", currency="EUR", number="PO-4",
        lines=[PurchaseOrderLine(sku="PLANK", quantity=40, unit_cost=Money("3.25", "EUR"))],
    )  # fmt: skip
    products = {"PLANK": Product(sku="PLANK", name="Pine plank 2m")}
    document = purchase_order_document(po, SELLER, products=products, issued_on=DAY)
    page = parse(render_html(document))
    assert page.by_class["party"] == [
        "Supplier", "Nordic Timber", "Deliver to", "Tea Traders Ltd", "Dock 4", "Leith"
    ]  # fmt: skip
    assert page.rows[1:] == [["1", "PLANK", "Pine plank 2m", "40", "3.25", "130.00"]]
    assert page.by_class["totals"][-2:] == ["Total", "EUR 130.00"]


def test_a_purchase_order_with_an_uncosted_line_prints_no_totals():
    po = PurchaseOrder(
        supplier="Nordic Timber", currency="EUR",
        lines=[PurchaseOrderLine(sku="PLANK", quantity=40, unit_cost=Money("3.25", "EUR")),
               PurchaseOrderLine(sku="NAIL", quantity=500)],
    )  # fmt: skip
    document = purchase_order_document(po, SELLER)
    assert document.totals is None
    assert [line.net for line in document.lines] == [Money("130.00", "EUR"), None]


def test_a_quote_prints_its_validity():
    quote = Quote(
        id="q1", customer_id="c1", currency="EUR", number="Q-2", lines=[tea()],
        valid_until=dt.date(2027, 4, 1),
    )  # fmt: skip
    page = parse(render_html(quote_document(quote, customer(), SELLER, issued_on=DAY)))
    assert page.by_class["heading"][0] == "Quote"
    assert page.by_class["details"][2:6] == ["Date", "2027-03-01", "Valid until", "2027-04-01"]


@pytest.mark.parametrize(
    ("currency", "price", "total"),
    [
        ("JPY", "1500", "JPY 4,500"),
        ("KWD", "1.2345", "KWD 3.704"),
        ("EUR", "1500", "EUR 4,500.00"),
    ],
)
def test_amounts_follow_the_currencys_minor_units(currency, price, total):
    buyer = Customer(id="c1", name="Tanaka", currency=currency)
    line = OrderLine(id="l1", sku="X", quantity=3, unit_price=Money(price, currency))
    order = Order(id="o1", customer_id="c1", currency=currency, lines=[line])
    page = parse(render_html(order_confirmation(order, buyer, SELLER)))
    assert page.by_class["totals"][-1] == total


def test_a_unit_price_keeps_its_finer_places_while_amounts_round():
    assert format_price(Money("0.0125", "USD")) == "0.0125"
    assert format_amount(Money("0.0125", "USD")) == "0.01"
    assert format_quantity(Decimal("2.500")) == "2.5"


def test_a_name_like_a_script_tag_is_printed_as_text_never_as_markup():
    evil = customer(name='<script>alert("x")</script>', billing_address=Address(city="<b>Lyon"))
    order = order_of([tea(description="</td><img src=x>")], reference="R&D")
    page_text = render_html(order_confirmation(order, evil, SELLER))
    page = parse(page_text)
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert page.by_class["party"][1:3] == ['<script>alert("x")</script>', "<b>Lyon"]
    assert page.rows[1][2] == "</td><img src=x>"
    assert "R&D" in page.by_class["details"]


@given(name=st.text(min_size=1).filter(lambda s: s.strip() and "\r" not in s))
def test_any_customer_name_reads_back_exactly_from_the_page(name):
    order = order_of([tea()])
    page = parse(render_html(order_confirmation(order, customer(name=name), SELLER)))
    assert page.by_class["name"][1] == name  # the first is the seller's


def test_the_same_document_renders_the_same_html_bytes():
    order = order_of([tea(description="Ольга"), tea("l2", tax_rate="0.2")])
    first = render_html(order_confirmation(order, customer(name="Αθηνά"), SELLER))
    again = render_html(order_confirmation(order, customer(name="Αθηνά"), SELLER))
    assert first.encode() == again.encode()
    assert '<meta charset="utf-8">' in first


def test_the_page_has_a_print_stylesheet_that_repeats_the_table_header():
    page = render_html(order_confirmation(order_of([tea()]), customer(), SELLER))
    assert "@page { size: A4;" in page
    assert ".lines thead { display: table-header-group; }" in page


def test_a_document_refuses_amounts_in_another_currency():
    order = order_of([tea()])
    document = order_confirmation(order, customer(), SELLER)
    with pytest.raises(ValidationError, match="USD"):
        attrs.evolve(document, currency="USD")


def test_rendering_something_else_than_a_document_is_refused():
    with pytest.raises(ValidationError, match="must be a Document"):
        render_html("not a document")


def test_a_document_file_name_is_safe_for_any_number():
    document = Document(
        kind="invoice", number="2027/ÄB 7", currency="EUR",
        issuer=SELLER, recipient=Party(name="X"),
    )  # fmt: skip
    assert document.filename == "invoice-2027--B-7"


def test_a_party_prints_its_vat_id_and_the_sellers_iban():
    seller = Party(
        name="Tea Traders SARL", vat_id="FR32123456789", iban="FR76 3000 6000 0112 3456 7890 189"
    )
    acme = Customer(id="acme", name="AcmeCorp", currency="EUR", vat_id="DE123456789")
    order = Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        lines=[OrderLine(id="l1", sku="TEA", quantity=1, unit_price=Money("5", "EUR"))],
    )
    page = render_html(order_confirmation(order, acme, seller))
    assert "VAT ID: FR32123456789" in page
    assert "VAT ID: DE123456789" in page
    assert "IBAN: FR76 3000 6000 0112 3456 7890 189" in page
