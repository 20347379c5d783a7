"""One fully filled record of every kind: what the contract suite stores and reads back."""

from __future__ import annotations

import datetime as dt

import pytest

from orderbook.model import (
    Address,
    Allocation,
    Attachment,
    Customer,
    ElectronicAddress,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    Order,
    OrderLine,
    Payment,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    RecurringPlan,
    Shipment,
    ShipmentItem,
)
from orderbook.money import Money
from orderbook.store import Record

__all__ = ["full_records", "records_fixture"]

EUR = "EUR"
UTC = dt.UTC
PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


def full_records() -> list[Record]:
    """One record of every kind, with every optional field filled."""
    address = Address(name="AcmeCorp", street="1 Quay Road", city="Leith", country="GB")
    line = OrderLine(
        id="l1",
        sku="MANGROVE-A",
        quantity="500.250",
        unit_price=Money("18.5000", EUR),
        discount="0.05",
        tax_rate="0.2",
        due_on=dt.date(2027, 6, 30),
        description="First delivery",
        recurring=True,
    )
    return [
        Customer(
            id="acme",
            name="AcmeCorp",
            currency=EUR,
            billing_address=address,
            shipping_address=address,
            email="buyer@acme.test",
            tax_region="GB",
            auto_accept_limit=Money("1E+4", EUR),
            vat_id="GB123456789",
            legal_id="SC123456",
            electronic_address=ElectronicAddress(scheme="0088", identifier="5790000435968"),
        ),
        Product(
            sku="MANGROVE-A",
            name="Mangrove restoration",
            unit="tCO2e",
            kind="credit",
            tax_rate="0.20",
            tax_category="standard",
            supplier="Blue Coast",
            list_price=Money("18.50", EUR),
            unit_cost=Money("11.25", EUR),
        ),
        Lot(
            id="issued-2021",
            sku="MANGROVE-A",
            quantity="5000.000",
            source="purchase",
            source_status="confirmed",
            source_ref="PO-7",
            available_on=dt.date(2027, 2, 1),
            ships_on=dt.date(2027, 1, 20),
            expires_on=dt.date(2031, 12, 31),
            vintage=2021,
            unit_cost=Money("7.125", EUR),
            location="Registry A",
        ),
        Order(
            id="o1",
            customer_id="acme",
            currency=EUR,
            lines=[line, OrderLine(id="l2", sku="TEA", quantity=1, unit_price=Money("-0", EUR))],
            number="SO-1",
            subject="Credits",
            contact="Ann",
            assigned_to="Bo",
            reference="PO-99",
            terms="30 days",
            billing_address=address,
            shipping_address=Address(city="Paris"),
            delivery_method="retirement",
            beneficiary="Acme Foundation",
            priority=-3,
            placed_at=dt.datetime(2027, 1, 4, 9, 30, 15, 250, tzinfo=PARIS_SUMMER),
            promised_on=dt.date(2027, 7, 1),
            expires_on=dt.date(2027, 1, 31),
            status="confirmed",
            revision=2,
            supersedes="o0",
            quote_id="q1",
            contract_id="c1",
            finalized_at=dt.datetime(2027, 1, 5, tzinfo=UTC),
            recurrence=RecurringPlan(
                start=dt.date(2027, 1, 31), frequency="monthly", interval=2, count=12
            ),
            attachments=[Attachment(name="contract.pdf", uri="s3://docs/c1.pdf")],
        ),
        Quote(
            id="q1",
            customer_id="acme",
            currency=EUR,
            lines=[line],
            number="Q-1",
            subject="Offer",
            contact="Ann",
            valid_until=dt.date(2027, 1, 15),
            status="accepted",
        ),
        Allocation(
            id="a1",
            order_id="o1",
            line_id="l1",
            lot_id="issued-2021",
            sku="MANGROVE-A",
            quantity="250.125",
            manual=True,
            at=dt.datetime(2027, 1, 4, 10, tzinfo=UTC),
        ),
        Shipment(
            id="s1",
            order_id="o1",
            items=[ShipmentItem(line_id="l1", quantity="100", lot_id="issued-2021")],
            shipped_on=dt.date(2027, 2, 2),
            kind="return",
            number="DN-1",
            reference="track-1",
            cancelled=True,
        ),
        Forfeit(
            id="f1",
            order_id="o1",
            line_id="l2",
            quantity="0.5",
            forfeited_on=dt.date(2027, 3, 1),
            reason="season over",
        ),
        Invoice(
            id="i1",
            customer_id="acme",
            currency=EUR,
            lines=[
                InvoiceLine(
                    id="il1",
                    quantity="100",
                    unit_price=Money("18.5000", EUR),
                    discount="0.05",
                    tax_rate="0.2",
                    description="Credits",
                    sku="MANGROVE-A",
                    order_line_id="l1",
                )
            ],
            order_id="o1",
            kind="credit_note",
            status="issued",
            number="INV-1",
            subject="January",
            issued_on=dt.date(2027, 2, 3),
            due_on=dt.date(2027, 3, 5),
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 1, 31),
            corrects="i0",
        ),
        Payment(
            id="p1",
            amount=Money("1757.50", EUR),
            received_on=dt.date(2027, 3, 1),
            invoice_id="i1",
            order_id="o1",
            line_id="l1",
            method="transfer",
            reference="bank-1",
        ),
        PurchaseOrder(
            id="po1",
            supplier="Blue Coast",
            currency=EUR,
            lines=[
                PurchaseOrderLine(
                    id="pol1",
                    sku="MANGROVE-A",
                    quantity="40",
                    unit_cost=Money("7.125", EUR),
                    order_line_id="l1",
                )
            ],
            order_id="o1",
            number="PO-7",
            status="in_progress",
            expected_on=dt.date(2027, 2, 1),
        ),
    ]


@pytest.fixture(name="records")
def records_fixture() -> list[Record]:
    """One fully filled record of every kind, never saved."""
    return full_records()
