"""The checks the e-invoice tests rely on refuse what the official rules refuse: a document
whose figures do not add up fails its schematron, one of the wrong shape its XSD."""

import datetime as dt

import pytest

from orderbook import Address, Customer, Invoice, InvoiceLine, Money
from orderbook.documents import Party
from orderbook.einvoice import semantic_invoice, to_cii, to_ubl

SELLER = Party(
    name="Tea Traders SARL", vat_id="FR32123456789", billing_address=Address(country="FR")
)
BUYER = Customer(id="acme", name="AcmeCorp", currency="EUR", billing_address=Address(country="DE"))
INVOICE = Invoice(
    id="i1",
    customer_id="acme",
    currency="EUR",
    number="INV-1",
    status="issued",
    issued_on=dt.date(2027, 3, 1),
    lines=[InvoiceLine(quantity=2, unit_price=Money("10.00", "EUR"), tax_rate="0.2")],
)


@pytest.fixture(scope="module")
def documents():
    einvoice = semantic_invoice(INVOICE, seller=SELLER, customer=BUYER)
    return {"ubl": to_ubl(einvoice), "cii": to_cii(einvoice)}


@pytest.mark.parametrize(
    ("syntax", "due"),
    [
        (
            "ubl",
            (b'PayableAmount currencyID="EUR">24.00', b'PayableAmount currencyID="EUR">24.01'),
        ),
        ("cii", (b"<ram:DuePayableAmount>24.00", b"<ram:DuePayableAmount>24.01")),
    ],
)
def test_an_amount_due_that_does_not_add_up_fails_the_en16931_schematron(
    official_rules, einvoice_checks, documents, syntax, due
):
    official_rules.check(documents[syntax], syntax)
    with pytest.raises(einvoice_checks.DocumentRefused, match="BR-CO-16"):
        official_rules.check(documents[syntax].replace(*due), syntax)


def test_a_document_of_the_wrong_shape_fails_its_xsd(official_rules, documents):
    broken = (
        documents["ubl"]
        .replace(b"<cbc:IssueDate>", b"<cbc:IssuedDate>")
        .replace(b"</cbc:IssueDate>", b"</cbc:IssuedDate>")
    )
    with pytest.raises(Exception, match="XML Schema"):
        official_rules.check(broken, "ubl")
