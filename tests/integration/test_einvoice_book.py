"""E-invoices through the book: each issued invoice, deposit and credit note is a valid EN 16931
invoice in UBL and CII, carrying the amounts the book issued.

Every document is checked against its XSD and the official EN 16931 schematron
(``valid_einvoice``, see tests/einvoice_checks.py), on each store.
"""

import datetime as dt
from decimal import Decimal

import attrs
import facturx
import pytest
from lxml import etree

from orderbook import (
    Address,
    Customer,
    ElectronicAddress,
    Money,
    NotFound,
    OrderbookError,
    OrderLine,
    Product,
    RecurringPlan,
    TaxRule,
    TaxRules,
    ValidationError,
    presets,
)
from orderbook.documents import Party
from orderbook.einvoice import to_cii, to_facturx, to_ubl
from orderbook.errors import describe
from orderbook.pricing import invoice_totals

BERLIN = Address(
    name="AcmeCorp GmbH",
    street="Friedrichstraße 10",
    city="Berlin",
    postal_code="10117",
    country="DE",
)
HAMBURG = Address(name="AcmeCorp dock 4", city="Hamburg", country="DE")


SELLER = Party(
    name="Tea Traders SARL",
    vat_id="FR32123456789",
    billing_address=Address(city="Lyon", country="FR"),
)


def customers(book):
    book.save_customer(
        Customer(
            id="acme",
            name="AcmeCorp GmbH",
            currency="EUR",
            tax_region="DE",
            vat_id="DE123456789",
            legal_id="HRB 12345",
            electronic_address=ElectronicAddress(scheme="9930", identifier="DE123456789"),
            billing_address=BERLIN,
            shipping_address=HAMBURG,
        )
    )
    book.save_product(Product(sku="TEA", name="Green tea", unit="kg", tax_rate="0.2"))
    book.save_product(Product(sku="BOOK", name="The book of tea", tax_rate="0.055"))
    book.save_product(Product(sku="CARE", name="Home care", tax_category="care"))
    return book


@pytest.fixture
def shop(make_book):
    return customers(make_book())


def tea(line_id="l1", quantity=3, price="4.99", **fields):
    return OrderLine(
        id=line_id, sku="TEA", quantity=quantity, unit_price=Money(price, "EUR"), **fields
    )


def book_line(line_id="l2", quantity=2, price="19.90"):
    return OrderLine(id=line_id, sku="BOOK", quantity=quantity, unit_price=Money(price, "EUR"))


def confirmed(book, lines, **header):
    order = book.place_order("acme", lines, reference="PO-2027-118", terms="30 days net", **header)
    return book.transition(order.id, "confirmed")


def test_an_issued_invoice_is_a_valid_einvoice_with_the_amounts_the_book_issued(
    shop, valid_einvoice
):
    order = confirmed(shop, [tea(discount="0.1"), book_line()])
    invoice = shop.invoice(order.id, issue=True, due_days=30, number="INV-1")
    einvoice = valid_einvoice(shop, invoice.id)
    issued = invoice_totals(invoice)
    assert einvoice.type_code == "380"
    assert (einvoice.total_without_vat, einvoice.total_vat, einvoice.due) == (
        issued.net,
        issued.tax,
        issued.gross,
    )
    assert [line.net_amount for line in einvoice.lines] == [
        Money("13.47", "EUR"),
        Money("39.80", "EUR"),
    ]
    discounted = einvoice.lines[0]
    assert discounted.allowance.base - discounted.allowance.amount == discounted.net_amount
    assert (discounted.unit_code, discounted.vat.code, discounted.vat.percent) == (
        "KGM",
        "S",
        Decimal(20),
    )
    assert {b.category.percent: b.taxable for b in einvoice.vat_breakdown} == {
        Decimal(20): Money("13.47", "EUR"),
        Decimal("5.5"): Money("39.80", "EUR"),
    }
    assert (einvoice.order_reference, einvoice.payment_terms, einvoice.due_on) == (
        "PO-2027-118",
        "30 days net",
        dt.date(2027, 3, 31),
    )
    assert einvoice.deliver_to == HAMBURG
    assert einvoice.buyer.electronic_address.identifier == "DE123456789"


def test_a_deposit_is_a_prepayment_invoice_and_the_final_invoice_deducts_it_as_paid(
    shop, valid_einvoice
):
    order = confirmed(shop, [tea(), book_line()])
    deposit = shop.invoice(order.id, kind="deposit", percent=30, issue=True, due_days=10)
    final = shop.invoice(order.id, issue=True, due_days=30)
    prepayment = valid_einvoice(shop, deposit.id)
    assert prepayment.type_code == "386"
    assert prepayment.due == invoice_totals(deposit).gross
    closing = valid_einvoice(shop, final.id)
    assert closing.paid == prepayment.due
    assert closing.due == invoice_totals(final).gross
    assert closing.total_with_vat == shop.summary(order.id).gross
    assert [line.seller_item_id for line in closing.lines] == ["TEA", "BOOK"]


def test_a_partial_credit_note_is_a_valid_einvoice_that_cites_its_invoice(shop, valid_einvoice):
    order = confirmed(shop, [tea(), book_line()])
    invoice = shop.invoice(order.id, issue=True, number="INV-7")
    note = shop.credit_note(invoice.id, {invoice.lines[0].id: 1}, issue=True, number="CN-1")
    einvoice = valid_einvoice(shop, note.id)
    assert einvoice.type_code == "381"
    assert [(p.number, p.issued_on) for p in einvoice.preceding] == [("INV-7", invoice.issued_on)]
    assert einvoice.lines[0].quantity == 1
    assert einvoice.due == invoice_totals(note).gross
    assert etree.fromstring(to_ubl(einvoice)).tag.endswith("}CreditNote")


def test_the_part_that_completes_a_line_carries_its_net_as_billed(shop, valid_einvoice):
    order = confirmed(shop, [tea(quantity=3, price="3.333", discount="0.15")])
    shop.invoice(order.id, {"l1": 1}, issue=True)
    shop.invoice(order.id, {"l1": 1}, issue=True)
    last = shop.invoice(order.id, issue=True)
    einvoice = valid_einvoice(shop, last.id)
    assert last.lines[0].fixed_net is not None
    assert einvoice.lines[0].net_amount == last.lines[0].fixed_net


def test_the_vat_category_and_exemption_come_from_the_workflows_tax_rules(
    make_book, valid_einvoice
):
    rules = TaxRules(
        rates=[
            TaxRule(
                category="care",
                rate=0,
                vat_category="E",
                exemption_reason="Home care",
                exemption_code="VATEX-EU-132",
            ),
            TaxRule(region="DE", category="standard", rate="0.19"),
        ]
    )
    book = customers(make_book(presets.standard().with_settings(tax_rules=rules)))
    order = confirmed(
        book, [OrderLine(id="c", sku="CARE", quantity=2, unit_price=Money("45", "EUR")), tea()]
    )
    einvoice = valid_einvoice(book, book.invoice(order.id, issue=True).id)
    care = einvoice.lines[0].vat
    assert (care.code, care.exemption_reason, care.exemption_code) == (
        "E",
        "Home care",
        "VATEX-EU-132",
    )
    assert einvoice.lines[1].vat.code == "S"  # the rate given on the product, no rule
    assert b"<ram:ExemptionReasonCode>VATEX-EU-132</ram:ExemptionReasonCode>" in to_cii(einvoice)


def test_reverse_charge_needs_the_buyers_vat_id(make_book, valid_einvoice):
    rules = TaxRules(
        rates=[TaxRule(region="DE", rate=0, vat_category="AE", exemption_code="VATEX-EU-AE")]
    )
    book = customers(make_book(presets.standard().with_settings(tax_rules=rules)))
    order = confirmed(
        book, [OrderLine(id="c", sku="CARE", quantity=1, unit_price=Money("90", "EUR"))]
    )
    invoice = book.invoice(order.id, issue=True)
    assert valid_einvoice(book, invoice.id).vat_breakdown[0].category.code == "AE"
    book.save_customer(attrs.evolve(book.get(Customer, "acme"), vat_id="", legal_id=""))
    with pytest.raises(ValidationError, match="BR-AE-02"):
        book.einvoice(invoice.id, seller=SELLER)


def test_a_draft_a_pro_forma_and_an_unknown_invoice_are_no_einvoices(shop):
    order = confirmed(shop, [tea()])
    draft = shop.invoice(order.id, {"l1": 1})
    pro_forma = shop.invoice(order.id, kind="pro_forma", issue=True)
    with pytest.raises(ValidationError, match="must be issued"):
        shop.einvoice(draft.id, seller=SELLER)
    with pytest.raises(ValidationError, match="pro-forma"):
        shop.einvoice(pro_forma.id, seller=SELLER)
    with pytest.raises(NotFound):
        shop.einvoice("nope", seller=SELLER)
    with pytest.raises(ValidationError, match="seller"):
        shop.einvoice(draft.id, seller="Tea Traders")


def test_a_seller_or_buyer_without_a_country_is_refused_naming_the_rule(shop):
    order = confirmed(shop, [tea()])
    invoice = shop.invoice(order.id, issue=True)
    nowhere = Party(name="Tea Traders SARL", vat_id="FR32123456789")
    with pytest.raises(ValidationError, match=r"BR-08, BR-09"):
        shop.einvoice(invoice.id, seller=nowhere)
    unnamed = Party(name="Tea Traders SARL", billing_address=Address(country="FR"))
    with pytest.raises(ValidationError, match="BR-CO-26"):
        shop.einvoice(invoice.id, seller=unnamed)


def test_a_factur_x_pdf_is_the_invoices_pdf_with_its_cii_which_reads_back_valid(
    shop, official_rules, einvoice_seller
):
    from orderbook.documents import invoice_document, render_pdf

    order = confirmed(shop, [tea(), book_line()])
    invoice = shop.invoice(order.id, issue=True, due_days=30, number="INV-9")
    einvoice = shop.einvoice(invoice.id, seller=einvoice_seller)
    pdf = render_pdf(invoice_document(invoice, shop.get(Customer, "acme"), einvoice_seller))
    hybrid = to_facturx(einvoice, pdf)
    name, xml = facturx.get_facturx_xml_from_pdf(hybrid)
    assert name == "factur-x.xml"
    assert xml == to_cii(einvoice)
    official_rules.check(xml, "cii")
    assert facturx.get_level(etree.fromstring(xml)) == "en16931"


@pytest.mark.parametrize("write", [to_ubl, to_cii], ids=["ubl", "cii"])
def test_an_einvoice_read_back_by_factur_x_gives_the_same_totals_and_lines(
    shop, einvoice_seller, write
):
    order = confirmed(shop, [tea(discount="0.1"), book_line()])
    shop.invoice(order.id, kind="deposit", amount=Money("20.00", "EUR"), issue=True)
    invoice = shop.invoice(order.id, issue=True, due_days=30)
    einvoice = shop.einvoice(invoice.id, seller=einvoice_seller)
    terms = facturx.parse_ubl_cii_xml(write(einvoice))
    amount = lambda text: Money(text, "EUR")  # noqa: E731
    assert [
        amount(terms[bt]) for bt in ("BT-106", "BT-109", "BT-110", "BT-112", "BT-113", "BT-115")
    ] == [
        einvoice.line_net,
        einvoice.total_without_vat,
        einvoice.total_vat,
        einvoice.total_with_vat,
        einvoice.paid,
        einvoice.due,
    ]
    assert [
        (line["BT-155"], Decimal(line["BT-129"]), amount(line["BT-131"]), line["BT-151"])
        for line in terms["BG-25"]
    ] == [
        (line.seller_item_id, line.quantity, line.net_amount, line.vat.code)
        for line in einvoice.lines
    ]
    assert terms["BT-13"] == "PO-2027-118"


def test_the_portal_offers_the_einvoice_of_an_issued_invoice_alongside_its_pdf(
    shop, official_rules, einvoice_seller
):
    order = confirmed(shop, [tea()])
    invoice = shop.invoice(order.id, {"l1": 2}, issue=True, due_days=30)
    draft = shop.invoice(order.id, {"l1": 1})
    portal = shop.portal("acme", seller=einvoice_seller)
    official_rules.check(portal.einvoice(invoice.id), "ubl")
    official_rules.check(portal.einvoice(invoice.id, syntax="cii"), "cii")
    hybrid = portal.einvoice(invoice.id, syntax="facturx")
    assert hybrid.startswith(b"%PDF")
    official_rules.check(facturx.get_facturx_xml_from_pdf(hybrid)[1], "cii")
    with pytest.raises(NotFound):
        portal.einvoice(draft.id)
    with pytest.raises(ValidationError, match="syntax"):
        portal.einvoice(invoice.id, syntax="edifact")
    shop.save_customer(Customer(id="globex", name="Globex", currency="EUR"))
    with pytest.raises(NotFound):
        shop.portal("globex", seller=einvoice_seller).einvoice(invoice.id)


def test_a_customers_ids_and_electronic_address_are_kept_by_the_store(shop):
    acme = shop.get(Customer, "acme")
    assert (acme.vat_id, acme.legal_id, acme.electronic_address) == (
        "DE123456789",
        "HRB 12345",
        ElectronicAddress(scheme="9930", identifier="DE123456789"),
    )


JUNK = [None, 42, 1.5, b"inv", object(), "\ud800", "x" * 600, [], "nope"]
ORDER = (
    '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"'
    ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
    ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    "<cbc:ID>PO-1</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
    "<cac:BuyerCustomerParty><cac:Party><cac:PartyTaxScheme>"
    "<cbc:CompanyID>DE123456789</cbc:CompanyID></cac:PartyTaxScheme></cac:Party>"
    "</cac:BuyerCustomerParty><cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID>"
    "<cbc:Quantity>2</cbc:Quantity><cac:Price><cbc:PriceAmount>5</cbc:PriceAmount></cac:Price>"
    "<cac:Item><cac:SellersItemIdentification><cbc:ID>TEA</cbc:ID>"
    "</cac:SellersItemIdentification></cac:Item></cac:LineItem></cac:OrderLine></Order>"
)


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_in_every_argument_of_the_einvoice_entries_is_refused_by_name(
    shop, einvoice_seller, junk
):
    order = confirmed(shop, [tea()])
    invoice = shop.invoice(order.id, issue=True)
    portal = shop.portal("acme", seller=einvoice_seller)
    entries = [
        (shop.einvoice, {"invoice_id": invoice.id, "seller": einvoice_seller}),
        (
            portal.einvoice,
            {"invoice_id": invoice.id, "syntax": "ubl", "seller": None, "as_of": None},
        ),
        (shop.place_order_from, {"document": ORDER, "order_id": None, "by": None}),
    ]
    before = shop.store.dump()
    for entry, arguments in entries:
        for argument in arguments:
            if junk is None and argument in {"seller", "as_of", "order_id", "by"}:
                continue  # None is theirs to take
            if junk == "nope" and argument in {"order_id", "by"}:
                continue  # a fine id and a fine name
            with pytest.raises(OrderbookError) as refused:
                entry(**(arguments | {argument: junk}))
            message = str(refused.value)  # it names the argument, or shows the value
            assert argument in message or describe(junk) in message, (argument, message)
    assert shop.store.dump() == before
    assert shop.place_order_from(ORDER).reference == "PO-1"  # the valid arguments place it


def test_a_credit_note_of_an_invoice_that_deducted_a_deposit_takes_the_deduction_back(
    shop, valid_einvoice
):
    order = confirmed(shop, [tea(), book_line()])
    deposit = shop.invoice(order.id, kind="deposit", percent=50, issue=True)
    final = shop.invoice(order.id, issue=True, number="INV-8")
    note = shop.credit_note(final.id, issue=True)
    credit = valid_einvoice(shop, note.id)
    assert credit.paid == invoice_totals(deposit).gross
    assert credit.due == invoice_totals(note).gross == invoice_totals(final).gross


def test_a_recurring_period_is_the_invoicing_period_of_its_einvoice(shop, valid_einvoice):
    plan = RecurringPlan(start=dt.date(2027, 1, 31), frequency="monthly", count=2, due_days=30)
    maintenance = OrderLine(
        id="m", sku="TEA", quantity=1, unit_price=Money("120", "EUR"), recurring=True
    )
    order = confirmed(shop, [maintenance], recurrence=plan)
    periods = shop.invoice_due_periods(order.id, as_of=dt.date(2027, 3, 1))
    issued = [shop.issue_invoice(i.id) if i.status.value == "draft" else i for i in periods]
    einvoice = valid_einvoice(shop, issued[-1].id)
    assert (einvoice.period_start, einvoice.period_end) == (
        issued[-1].period_start,
        issued[-1].period_end,
    )
    assert einvoice.period_start is not None


def test_lines_exempt_for_two_reasons_share_one_vat_breakdown_with_both_reasons(
    make_book, valid_einvoice
):
    rules = TaxRules(
        rates=[
            TaxRule(category="care", rate=0, vat_category="E", exemption_reason="Home care"),
            TaxRule(category="school", rate=0, vat_category="E", exemption_reason="Teaching"),
        ]
    )
    book = customers(make_book(presets.standard().with_settings(tax_rules=rules)))
    book.save_product(Product(sku="LESSON", name="Tea lesson", tax_category="school"))
    care = OrderLine(id="c", sku="CARE", quantity=1, unit_price=Money("45", "EUR"))
    lesson = OrderLine(id="s", sku="LESSON", quantity=2, unit_price=Money("30", "EUR"))
    order = confirmed(book, [care, lesson])
    einvoice = valid_einvoice(book, book.invoice(order.id, issue=True).id)
    (exempt,) = einvoice.vat_breakdown
    assert (exempt.category.code, exempt.category.exemption_reason, exempt.taxable) == (
        "E",
        "Home care; Teaching",
        Money("105.00", "EUR"),
    )
    assert [line.vat.exemption_reason for line in einvoice.lines] == ["Home care", "Teaching"]
