"""Orders that arrive as documents: a UBL 2.1 Order (Peppol BIS Ordering 3.0) or an Order-X
order is placed as one command, for the customer its buyer is; a document that is malformed,
of another kind or for no customer is refused naming the element, and nothing is placed."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from orderbook import (
    Address,
    Customer,
    ElectronicAddress,
    Money,
    NotFound,
    Order,
    OrderLine,
    Product,
    ValidationError,
)
from orderbook.commands import PlaceDigitalOrder
from orderbook.einvoice import parse_order

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "peppol-order.xml"


@pytest.fixture
def shop(make_book):
    book = make_book()
    book.save_customer(
        Customer(
            id="acme",
            name="AcmeCorp GmbH",
            currency="EUR",
            vat_id="DE123456789",
            electronic_address=ElectronicAddress(scheme="9930", identifier="DE123456789"),
            billing_address=Address(city="Berlin", country="DE"),
        )
    )
    book.save_customer(Customer(id="globex", name="Globex", currency="EUR", vat_id="FR11999"))
    book.save_product(Product(sku="TEA", name="Green tea", list_price=Money("5.20", "EUR")))
    book.save_product(Product(sku="BOOK", name="The book of tea"))
    return book


def placed_lines(order):
    return [
        (line.id, line.sku, line.quantity, line.unit_price, line.due_on) for line in order.lines
    ]


def test_a_peppol_order_is_placed_for_the_customer_its_buyer_is(shop):
    order = shop.place_order_from(SAMPLE.read_bytes())
    assert (order.customer_id, order.reference, order.status) == ("acme", "PO-2027-118", "draft")
    assert placed_lines(order) == [
        ("1", "TEA", Decimal(3), Money("4.99", "EUR"), dt.date(2027, 3, 15)),
        ("2", "BOOK", Decimal(2), Money("19.90", "EUR"), dt.date(2027, 3, 31)),
    ]
    assert [line.description for line in order.lines] == ["", ""]  # the products' own names
    assert shop.summary(order.id).net == Money("54.77", "EUR")
    placed = [e for e in shop.events(order_id=order.id) if e.kind == "OrderPlaced"]
    assert placed[0].data["received"] == "ubl"


def test_an_order_x_order_we_write_is_valid_and_places_the_same_order(
    shop, official_rules, einvoice_checks
):
    original = shop.place_order(
        "acme",
        [
            OrderLine(
                id="a",
                sku="TEA",
                quantity="2.5",
                unit_price=Money("4.875", "EUR"),
                due_on=dt.date(2027, 4, 2),
            ),
            OrderLine(id="b", sku="BOOK", quantity=1, unit_price=Money("19.90", "EUR")),
        ],
    )
    document = einvoice_checks.order_x_document(
        original, shop.get(Customer, "acme"), number="PO-9", issued_on=dt.date(2027, 3, 1)
    )
    official_rules.check(document, "orderx")
    again = shop.place_order_from(document.decode("utf-8"), order_id="o-again")
    assert (again.id, again.customer_id, again.reference) == ("o-again", "acme", "PO-9")
    assert placed_lines(again) == placed_lines(original)
    assert shop.summary(again.id).gross == shop.summary(original.id).gross


def test_a_line_without_a_price_takes_the_products_list_price(shop):
    document = SAMPLE.read_text().replace(
        '<cbc:PriceAmount currencyID="EUR">4.99</cbc:PriceAmount>', ""
    )
    order = shop.place_order_from(document)
    assert order.lines[0].unit_price == Money("5.20", "EUR")


def test_the_buyer_is_found_by_vat_id_when_no_customer_has_its_electronic_address(shop):
    document = SAMPLE.read_text().replace('schemeID="9930">DE123456789', 'schemeID="0088">4000')
    assert shop.place_order_from(document).customer_id == "acme"


def refused_document(book, document, error, match):
    before = book.store.dump()
    with pytest.raises(error, match=match):
        book.place_order_from(document)
    assert book.store.dump() == before


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            ("<cbc:ID>TEA</cbc:ID>", "<cbc:ID>KETTLE</cbc:ID>"),
            r"cac:OrderLine\[1\] must name a product of the book",
        ),
        (
            ('<cbc:Quantity unitCode="C62">2</cbc:Quantity>', "<cbc:Quantity>none</cbc:Quantity>"),
            r"cac:OrderLine\[2\]/cac:LineItem/cbc:Quantity must be a number",
        ),
        (
            ('<cbc:Quantity unitCode="C62">2</cbc:Quantity>', "<cbc:Quantity>0</cbc:Quantity>"),
            r"cbc:Quantity must be a quantity above 0",
        ),
        (("<cbc:ID>PO-2027-118</cbc:ID>", ""), r"cbc:ID must be given"),
        (
            ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>XXX"),
            r"cbc:DocumentCurrencyCode must be a known ISO 4217",
        ),
        (
            ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>USD"),
            r"currency must be EUR",
        ),
        (
            ("<cbc:IssueDate>2027-02-26", "<cbc:IssueDate>2027-02-30"),
            r"cbc:IssueDate must be a date",
        ),
        (
            ('<cbc:BaseQuantity unitCode="C62">2', '<cbc:BaseQuantity unitCode="C62">3'),
            r"BaseQuantity must be a base quantity that divides the price exactly",
        ),
        (("</Order>", ""), r"must be well-formed XML"),
        (
            (
                "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
                "urn:oasis:names:specification:ubl:schema:xsd:OrderChange-2",
            ),
            r"must be a UBL 2.1 Order or an Order-X order",
        ),
    ],
    ids=[
        "unknown item",
        "quantity not a number",
        "zero quantity",
        "no order number",
        "unknown currency",
        "another currency",
        "no such date",
        "inexact base quantity",
        "cut short",
        "an order change",
    ],
)
def test_a_malformed_or_unsupported_document_is_refused_naming_the_element(shop, change, match):
    refused_document(shop, SAMPLE.read_text().replace(*change), ValidationError, match)


def test_a_document_for_no_customer_of_the_book_is_refused(shop):
    document = SAMPLE.read_text().replace("DE123456789", "DE999999999")
    refused_document(shop, document, NotFound, "DE999999999")


def test_two_customers_with_the_buyers_vat_id_leave_the_buyer_unknown(shop):
    shop.save_customer(
        Customer(id="acme-2", name="AcmeCorp", currency="EUR", vat_id="DE123456789")
    )
    document = SAMPLE.read_text().replace('schemeID="9930">DE123456789', 'schemeID="0088">4000')
    refused_document(shop, document, ValidationError, "names several customers: acme, acme-2")


def test_an_order_x_change_or_an_invalid_order_x_is_refused(shop, einvoice_checks):
    order = Order(
        id="o",
        customer_id="acme",
        currency="EUR",
        lines=[OrderLine(id="a", sku="TEA", quantity=1, unit_price=Money("4.99", "EUR"))],
    )
    document = einvoice_checks.order_x_document(
        order, shop.get(Customer, "acme"), number="PO-9", issued_on=dt.date(2027, 3, 1)
    ).decode()
    change = document.replace("<ram:TypeCode>220<", "<ram:TypeCode>230<")
    refused_document(shop, change, ValidationError, r"ram:TypeCode must be 220")
    invalid = document.replace("<ram:OrderCurrencyCode>EUR</ram:OrderCurrencyCode>", "")
    refused_document(shop, invalid, ValidationError, "must be a valid Order-X document")


def test_the_command_holds_the_document_so_it_can_be_built_ahead_and_simulated(shop):
    command = PlaceDigitalOrder(order=parse_order(SAMPLE.read_bytes()), order_id="o-sim")
    simulation = shop.simulate([command])
    assert simulation.summaries[0].order_id == "o-sim"
    with pytest.raises(NotFound):
        shop.get(Order, "o-sim")
    assert shop.execute(command).record(Order).reference == "PO-2027-118"


def test_an_entity_in_the_document_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    document = (
        SAMPLE.read_text()
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<?xml version="1.0"?><!DOCTYPE Order [<!ENTITY s SYSTEM "{secret.as_uri()}">]>',
        )
        .replace("Deliver to dock 4, mornings only", "&s;")
    )
    assert "the secret" not in parse_order(document).note
