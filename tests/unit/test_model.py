import datetime as dt
from decimal import Decimal

import attrs
import pytest

from orderbook import (
    Allocation,
    Attachment,
    CurrencyMismatch,
    Customer,
    DocumentStatus,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    LotSource,
    Money,
    NotFound,
    Order,
    OrderLine,
    Payment,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    RecurringPlan,
    SequentialIds,
    Shipment,
    ShipmentItem,
    ValidationError,
)

EUR = Money("10.00", "EUR")
UTC = dt.UTC


def line(**changes):
    values = {"id": "l1", "sku": "TEA", "quantity": "2", "unit_price": EUR}
    return OrderLine(**(values | changes))


def order(**changes):
    values = {"id": "o1", "customer_id": "acme", "currency": "EUR", "lines": [line()]}
    return Order(**(values | changes))


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (lambda: line(quantity=-1), "quantity", Decimal(-1)),
        (lambda: line(quantity=0), "quantity", Decimal(0)),
        (lambda: line(discount="1.5"), "discount", Decimal("1.5")),
        (lambda: line(discount=-1), "discount", Decimal(-1)),
        (lambda: line(tax_rate="-0.2"), "tax_rate", Decimal("-0.2")),
        (lambda: line(quantity=1.5), "quantity", 1.5),
        (lambda: line(quantity="lots"), "quantity", "lots"),
        (lambda: line(sku=""), "sku", ""),
        (lambda: line(sku="   "), "sku", "   "),
        (lambda: line(unit_price=Decimal("10")), "unit_price", Decimal("10")),
        (lambda: line(due_on="2027-01-01"), "due_on", "2027-01-01"),
        (lambda: order(currency="XYZ"), "currency", "XYZ"),
        (lambda: order(customer_id=""), "customer_id", ""),
        (lambda: order(priority="high"), "priority", "high"),
        (lambda: order(placed_at=dt.datetime(2027, 1, 1)), "placed_at", dt.datetime(2027, 1, 1)),
        (lambda: order(lines="l1"), "lines", "l1"),
        (lambda: order(lines=[{"sku": "TEA"}]), "lines[0]", {"sku": "TEA"}),
        (lambda: Lot(sku="TEA", quantity=-5), "quantity", Decimal(-5)),
        (lambda: Lot(sku="TEA", quantity=1, source="warehouse"), "source", "warehouse"),
        (lambda: Customer(name="Acme", currency="EURO"), "currency", "EURO"),
        (lambda: Product(sku=""), "sku", ""),
        (lambda: Product(sku="TEA", tax_rate=0.2), "tax_rate", 0.2),
    ],
)  # fmt: skip
def test_bad_input_raises_a_validation_error_naming_the_field_and_value(build, field, value):
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.field == field
    assert caught.value.value == value
    assert field in str(caught.value)


def test_the_error_names_the_record_it_belongs_to():
    with pytest.raises(ValidationError, match=r"OrderLine 'l7': quantity must be greater than 0"):
        line(id="l7", quantity=0)


def test_a_line_priced_in_another_currency_than_its_order_is_refused():
    with pytest.raises(CurrencyMismatch) as caught:
        order(lines=[line(), line(id="l2", unit_price=Money("1", "USD"))])
    assert caught.value.field == "lines[1].unit_price"
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")


def test_two_lines_with_one_id_are_refused():
    with pytest.raises(ValidationError) as caught:
        order(lines=[line(), line()])
    assert caught.value.field == "lines[1].id"


def test_values_are_frozen_and_evolve_validates_again():
    original = order()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        original.priority = 5  # type: ignore[misc]
    assert attrs.evolve(original, priority=5).priority == 5
    assert original.priority == 0
    with pytest.raises(ValidationError):
        attrs.evolve(original, currency="USD")


def test_lines_given_as_a_list_are_kept_as_a_tuple():
    assert isinstance(order().lines, tuple)


def test_quantities_are_decimals_even_when_given_as_str_or_int():
    assert line(quantity="2.5").quantity == Decimal("2.5")
    assert line(quantity=3).quantity == Decimal(3)


def test_enums_are_accepted_by_value():
    assert Lot(sku="TEA", quantity=1, source="forecast").source is LotSource.FORECAST


def test_ids_are_made_by_the_default_factory_or_given():
    assert len(Order(customer_id="acme", currency="EUR").id) == 32
    next_id = SequentialIds("o")
    assert [Order(id=next_id(), customer_id="a", currency="EUR").id for _ in "ab"] == [
        "o-1",
        "o-2",
    ]


def test_an_order_finds_its_lines_by_id():
    assert order().line("l1").sku == "TEA"
    with pytest.raises(NotFound) as caught:
        order().line("l9")
    assert caught.value.record_id == "l9"


def test_an_order_records_every_header_field_of_the_sources():
    placed = dt.datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
    full = order(
        number="SO-1",
        subject="Three-year offtake",
        contact="Jane Doe",
        assigned_to="sam",
        reference="PO-778",
        terms="Net 30",
        delivery_method="retirement",
        beneficiary="AcmeCorp",
        priority=3,
        placed_at=placed,
        promised_on=dt.date(2027, 2, 1),
        expires_on=dt.date(2027, 1, 31),
        status="confirmed",
        revision=2,
        supersedes="o0",
        quote_id="q1",
        contract_id="c1",
        recurrence=RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly"),
        attachments=[Attachment(name="contract.pdf", uri="s3://docs/c1.pdf")],
    )
    assert full.placed_at == placed
    assert full.attachments[0].media_type == "application/octet-stream"
    assert not full.finalized
    assert attrs.evolve(full, finalized_at=placed).finalized


def test_a_recurring_plan_ends_by_date_or_by_count_not_both():
    with pytest.raises(ValidationError) as caught:
        RecurringPlan(
            start=dt.date(2027, 1, 1), frequency="monthly", until=dt.date(2027, 6, 1), count=3
        )
    assert caught.value.field == "count"
    with pytest.raises(ValidationError) as caught:
        RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", until=dt.date(2026, 1, 1))
    assert caught.value.field == "until"
    with pytest.raises(ValidationError):
        RecurringPlan(start=dt.date(2027, 1, 1), frequency="fortnightly")
    with pytest.raises(ValidationError):
        RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", interval=0)


def test_a_shipment_needs_at_least_one_item():
    with pytest.raises(ValidationError) as caught:
        Shipment(order_id="o1", items=[], shipped_on=dt.date(2027, 1, 1))
    assert caught.value.field == "items"
    shipment = Shipment(
        order_id="o1",
        items=[ShipmentItem(line_id="l1", quantity=1)],
        shipped_on=dt.date(2027, 1, 1),
        kind="return",
    )
    assert shipment.kind == "return"


def test_an_issued_invoice_needs_an_issue_date_and_lines_in_its_currency():
    invoice_line = InvoiceLine(quantity=1, unit_price=EUR)
    with pytest.raises(ValidationError) as caught:
        Invoice(customer_id="acme", currency="EUR", lines=[invoice_line], status="issued")
    assert caught.value.field == "issued_on"
    issued = Invoice(
        customer_id="acme",
        currency="EUR",
        lines=[invoice_line],
        status=DocumentStatus.ISSUED,
        issued_on=dt.date(2027, 1, 1),
    )
    assert issued.counts_as_billed
    assert not attrs.evolve(issued, kind="pro_forma").counts_as_billed
    with pytest.raises(CurrencyMismatch):
        Invoice(customer_id="acme", currency="USD", lines=[invoice_line])


def test_a_payment_is_against_an_invoice_or_a_line_and_is_positive():
    day = dt.date(2027, 3, 1)
    assert Payment(amount=EUR, received_on=day, invoice_id="i1").invoice_id == "i1"
    with pytest.raises(ValidationError) as caught:
        Payment(amount=EUR, received_on=day)
    assert caught.value.field == "invoice_id"
    with pytest.raises(ValidationError) as caught:
        Payment(amount=EUR, received_on=day, line_id="l1")
    assert caught.value.field == "order_id"
    with pytest.raises(ValidationError) as caught:
        Payment(amount=Money("0", "EUR"), received_on=day, invoice_id="i1")
    assert caught.value.field == "amount"


def test_a_customer_limit_is_in_the_customers_currency():
    with pytest.raises(CurrencyMismatch):
        Customer(name="Acme", currency="EUR", auto_accept_limit=Money("100", "USD"))


def test_allocation_forfeit_quote_and_purchase_order_validate_their_quantities():
    with pytest.raises(ValidationError):
        Allocation(order_id="o", line_id="l", lot_id="x", sku="TEA", quantity=0)
    with pytest.raises(ValidationError):
        Forfeit(order_id="o", line_id="l", quantity=-1)
    with pytest.raises(ValidationError):
        PurchaseOrder(
            supplier="S", currency="EUR", lines=[PurchaseOrderLine(sku="TEA", quantity=1)] * 2
        )
    assert Quote(customer_id="acme", currency="EUR", lines=[line()]).lines[0].sku == "TEA"
