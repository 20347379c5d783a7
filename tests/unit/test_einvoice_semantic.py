"""The semantic invoice in the core: how an issued invoice maps to EN 16931, and the rules of
EN 16931 that refuse an invoice, each named, before any XML is written."""

import datetime as dt
import sys
from decimal import Decimal

import attrs
import pytest

from orderbook import (
    Address,
    Customer,
    ElectronicAddress,
    Invoice,
    InvoiceLine,
    Money,
    OrderbookError,
    Product,
    TaxRule,
    TaxRules,
    ValidationError,
)
from orderbook.documents import Party
from orderbook.einvoice import (
    PEPPOL_CUSTOMIZATION,
    VatCategory,
    einvoice_available,
    parse_order,
    peppol_ready,
    semantic_invoice,
    to_cii,
    to_ubl,
    unit_code,
    vat_category_of,
)

DAY = dt.date(2027, 3, 1)
SELLER = Party(
    name="Tea Traders SARL",
    vat_id="FR32123456789",
    billing_address=Address(city="Lyon", country="FR"),
)
BUYER = Customer(
    id="acme",
    name="AcmeCorp",
    currency="EUR",
    billing_address=Address(city="Berlin", country="DE"),
    vat_id="DE123456789",
)


def issued(*lines, currency="EUR", **fields):
    return Invoice(
        id="i1",
        customer_id="acme",
        currency=currency,
        lines=lines,
        status="issued",
        issued_on=DAY,
        number="INV-1",
        **fields,
    )


def line(quantity=1, price="10.00", currency="EUR", **fields):
    return InvoiceLine(quantity=quantity, unit_price=Money(price, currency), **fields)


def customer(currency="EUR"):
    return attrs.evolve(BUYER, currency=currency)


def test_a_discount_is_a_line_allowance_from_the_gross_to_the_net_exactly():
    einvoice = semantic_invoice(
        issued(line(3, "4.99", discount="0.1", tax_rate="0.2", sku="TEA")),
        seller=SELLER,
        customer=BUYER,
    )
    (tea,) = einvoice.lines
    assert (tea.allowance.base, tea.allowance.amount, tea.allowance.rate) == (
        Money("14.97", "EUR"),
        Money("1.50", "EUR"),
        Decimal("0.1"),
    )
    assert tea.net_price == Money("4.99", "EUR")
    assert tea.net_amount == Money("13.47", "EUR")


def test_a_deposit_deducted_is_the_paid_amount_and_no_line():
    deduction = line(1, "-30.00", description="Deposit deducted")
    einvoice = semantic_invoice(
        issued(line(10, "10.00", tax_rate="0.2", order_line_id="l1"), deduction),
        seller=SELLER,
        customer=BUYER,
    )
    assert len(einvoice.lines) == 1
    assert (einvoice.total_with_vat, einvoice.paid, einvoice.due) == (
        Money("120.00", "EUR"),
        Money("30.00", "EUR"),
        Money("90.00", "EUR"),
    )


def test_a_credit_note_cites_the_invoice_it_corrects():
    invoice = issued(line(2, "10.00"))
    note = attrs.evolve(invoice, id="c1", number="CN-1", kind="credit_note", corrects="i1")
    einvoice = semantic_invoice(note, seller=SELLER, customer=BUYER, corrected=invoice)
    assert (einvoice.type_code, einvoice.credit_note) == ("381", True)
    assert [(p.number, p.issued_on) for p in einvoice.preceding] == [("INV-1", DAY)]
    assert einvoice.payment is None  # a credit note asks for no payment
    with pytest.raises(ValidationError, match="corrected"):
        semantic_invoice(note, seller=SELLER, customer=BUYER, corrected=note)


def test_the_sellers_iban_is_the_payment_instruction_of_an_invoice():
    seller = attrs.evolve(SELLER, iban="FR7630006000011234567890189", bic="AGRIFRPP")
    payment = semantic_invoice(issued(line()), seller=seller, customer=BUYER).payment
    assert (payment.means_code, payment.account, payment.remittance) == (
        "58",
        "FR7630006000011234567890189",
        "INV-1",
    )


def test_a_rule_gives_a_lines_category_only_when_its_rate_is_the_lines():
    rules = TaxRules(
        rates=[TaxRule(category="care", rate=0, vat_category="E", exemption_reason="Care")]
    )
    care = Product(sku="CARE", tax_category="care")
    zero = vat_category_of(line(sku="CARE"), region="", product=care, rules=rules)
    assert (zero.code, zero.exemption_reason) == ("E", "Care")
    given = vat_category_of(line(sku="CARE", tax_rate="0.1"), region="", product=care, rules=rules)
    assert (given.code, given.percent) == ("S", Decimal(10))
    deposit = vat_category_of(line(), region="", product=None, rules=rules)
    assert deposit.code == "Z"


def test_a_currency_with_three_minor_units_is_refused_where_an_amount_needs_the_third():
    with pytest.raises(ValidationError, match=r"two decimals.*BR-DEC-23"):
        semantic_invoice(
            issued(line(1, "1.234", "KWD"), currency="KWD"),
            seller=SELLER,
            customer=customer("KWD"),
        )
    fine = semantic_invoice(
        issued(line(2, "1.250", "KWD", tax_rate="0.2"), currency="KWD"),
        seller=SELLER,
        customer=customer("KWD"),
    )
    assert b'<cbc:PayableAmount currencyID="KWD">3.00</cbc:PayableAmount>' in to_ubl(fine)


def test_a_kwd_discount_whose_allowance_needs_a_third_decimal_comes_off_the_price():
    einvoice = semantic_invoice(
        issued(line(28, "4.502", "KWD", discount="0.1"), currency="KWD"),
        seller=SELLER,
        customer=customer("KWD"),
    )
    (tea,) = einvoice.lines
    assert tea.allowance is None
    assert (tea.gross_price, tea.net_price, tea.price_discount) == (
        Money("4.502", "KWD"),
        Money("4.0518", "KWD"),
        Money("0.4502", "KWD"),
    )
    assert b"<ram:ChargeAmount>4.502</ram:ChargeAmount>" in to_cii(einvoice)


def test_tax_rounded_on_each_line_that_strays_a_unit_from_the_rate_is_refused_naming_br_co_17():
    lines = [line(1, "105", "JPY", tax_rate="0.1", id=f"l{k}") for k in range(20)]
    invoice = issued(*lines, currency="JPY")
    with pytest.raises(ValidationError, match="BR-CO-17"):
        semantic_invoice(invoice, seller=SELLER, customer=customer("JPY"))
    per_document = semantic_invoice(
        invoice, seller=SELLER, customer=customer("JPY"), tax_rounding="per_document"
    )
    assert per_document.total_vat == Money(210, "JPY")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"line_net": Money("9.99", "EUR")}, "BR-CO-10"),
        ({"total_vat": Money("0.01", "EUR")}, "BR-CO-14"),
        ({"total_with_vat": Money("12.01", "EUR")}, "BR-CO-15"),
        ({"due": Money("1.00", "EUR")}, "BR-CO-16"),
        ({"lines": ()}, "BR-16"),
        ({"vat_breakdown": ()}, "BR-CO-18"),
        ({"buyer": Party(name="AcmeCorp")}, "BR-10, BR-11"),
        ({"period_start": DAY, "period_end": DAY - dt.timedelta(days=1)}, "BR-29"),
    ],
)
def test_an_einvoice_whose_sums_or_parties_break_a_rule_cannot_exist(change, rule):
    einvoice = semantic_invoice(issued(line(tax_rate="0.2")), seller=SELLER, customer=BUYER)
    with pytest.raises(ValidationError, match=rule):
        attrs.evolve(einvoice, **change)


def test_a_seller_needs_an_id_and_a_vat_or_tax_registration():
    invoice = issued(line(tax_rate="0.2"))
    nameless = attrs.evolve(SELLER, vat_id="")
    with pytest.raises(ValidationError, match="BR-CO-26"):
        semantic_invoice(invoice, seller=nameless, customer=BUYER)
    with pytest.raises(ValidationError, match="BR-S-02"):
        semantic_invoice(invoice, seller=attrs.evolve(nameless, legal_id="123"), customer=BUYER)


def test_only_an_issued_invoice_of_the_customer_is_an_einvoice():
    invoice = issued(line())
    with pytest.raises(ValidationError, match="must be issued"):
        semantic_invoice(attrs.evolve(invoice, status="cancelled"), seller=SELLER, customer=BUYER)
    with pytest.raises(ValidationError, match="pro-forma"):
        semantic_invoice(attrs.evolve(invoice, kind="pro_forma"), seller=SELLER, customer=BUYER)
    with pytest.raises(ValidationError, match="customer"):
        semantic_invoice(invoice, seller=SELLER, customer=attrs.evolve(BUYER, id="globex"))
    with pytest.raises(ValidationError, match="seller"):
        semantic_invoice(invoice, seller="Tea Traders", customer=BUYER)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"rate": 0, "vat_category": "S"}, r"above 0 in VAT category S \(BR-S-05\)"),
        ({"rate": "0.2", "vat_category": "Z"}, r"rate must be 0 in VAT category Z"),
        ({"rate": 0, "vat_category": "E"}, r"BR-E-10"),
        ({"rate": 0, "vat_category": "Z", "exemption_reason": "x"}, r"BR-Z-10"),
        ({"rate": 0, "vat_category": "K"}, r"must be one of S, Z, E, AE"),
    ],
)
def test_a_tax_rule_refuses_a_vat_category_that_does_not_fit(fields, match):
    with pytest.raises(ValidationError, match=match):
        TaxRule(**fields)


def test_a_tax_rules_category_is_s_above_0_and_z_at_0_by_default():
    assert [TaxRule(rate=rate).vat_category for rate in ("0.2", "0")] == ["S", "Z"]
    assert VatCategory.for_rate(Decimal("0.055")).percent == Decimal("5.5")


def test_an_electronic_address_needs_an_eas_scheme_and_a_vat_id_its_country_prefix():
    with pytest.raises(ValidationError, match="scheme must be an EAS code"):
        ElectronicAddress(scheme="GLN", identifier="4000001000005")
    with pytest.raises(ValidationError, match="vat_id must start with a two-letter country"):
        Customer(id="acme", name="AcmeCorp", currency="EUR", vat_id="123456789")
    with pytest.raises(ValidationError, match="vat_id"):
        Party(name="Tea Traders", vat_id="fr32123456789")


def test_a_products_unit_becomes_a_un_ece_code():
    assert [unit_code(unit) for unit in ("unit", "kg", "hours", "tCO2e", "KGM", "crate")] == [
        "C62",
        "KGM",
        "HUR",
        "TNE",
        "KGM",
        "C62",
    ]


def test_without_the_einvoice_extra_writing_and_reading_name_it(monkeypatch):
    einvoice = semantic_invoice(issued(line()), seller=SELLER, customer=BUYER)
    monkeypatch.setitem(sys.modules, "facturx", None)  # the import now fails
    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    assert not einvoice_available()
    for write in (to_ubl, to_cii):
        with pytest.raises(OrderbookError, match=r"orderbook\[einvoice\]"):
            write(einvoice)
    with pytest.raises(OrderbookError, match=r"orderbook\[einvoice\]"):
        parse_order(b"<Order/>")


def customization(xml):
    text = xml.decode()
    start = text.index("<cbc:CustomizationID>") + len("<cbc:CustomizationID>")
    return text[start : text.index("</cbc:CustomizationID>")], "<cbc:ProfileID>" in text


def test_ubl_follows_peppol_only_for_an_invoice_that_has_what_peppol_needs():
    invoice = issued(line(tax_rate="0.2"))
    plain = semantic_invoice(invoice, seller=SELLER, customer=BUYER)
    assert (peppol_ready(plain), customization(to_ubl(plain))) == (
        False,
        ("urn:cen.eu:en16931:2017", False),
    )
    address = ElectronicAddress(scheme="0088", identifier="4000001000005")
    peppol = attrs.evolve(
        plain,
        seller=attrs.evolve(SELLER, electronic_address=address),
        buyer=attrs.evolve(plain.buyer, electronic_address=address),
        order_reference="PO-1",
    )
    assert (peppol_ready(peppol), customization(to_ubl(peppol))) == (
        True,
        (PEPPOL_CUSTOMIZATION, True),
    )


def test_a_sellers_iban_must_have_valid_check_digits_and_is_written_without_spaces():
    with pytest.raises(ValidationError, match="iban must be an IBAN"):
        Party(name="Tea Traders", iban="FR7630006000011234567890188")
    seller = attrs.evolve(SELLER, iban="FR76 3000 6000 0112 3456 7890 189")
    payment = semantic_invoice(issued(line()), seller=seller, customer=BUYER).payment
    assert payment.account == "FR7630006000011234567890189"
