"""Deposits through the book: a percent or an amount of the gross, drafts and issued, the
second half that takes what remains, and the final invoice that deducts them."""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import (
    DocumentStatus,
    InvoiceKind,
    LockedError,
    Money,
    ValidationError,
    invoice_totals,
)
from orderbook.commands import InvoiceOrder


def eur(amount):
    return Money(amount, "EUR")


def confirmed(book, *lines):
    order = book.place_order("acme", list(lines))
    book.transition(order.id, "confirmed")
    return order


def gross(invoice):
    return invoice_totals(invoice).gross


def test_a_percent_deposit_is_a_draft_until_issued_and_the_final_invoice_deducts_it(
    book, make_line
):
    order = confirmed(book, make_line("l1", "TEA", 3, "14.99", tax_rate="0.2"))
    assert book.summary(order.id).gross == eur("53.96")  # 44.97 net + 8.99 tax
    deposit = book.invoice(order.id, kind="deposit", percent=30)
    assert (deposit.kind, deposit.status) == (InvoiceKind.DEPOSIT, DocumentStatus.DRAFT)
    assert gross(deposit) == eur("16.19")  # 30% of 53.96 = 16.188
    assert book.summary(order.id).invoicing.deposits == eur("0.00")  # a draft does not count
    book.issue_invoice(deposit.id)
    assert book.summary(order.id).invoicing.deposits == eur("16.19")
    final = book.invoice(order.id, issue=True)
    assert gross(final) == eur("37.77")
    assert [line.unit_price for line in final.lines if line.order_line_id is None] == [
        eur("-16.19")
    ]
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.invoiced, invoicing.deposits, invoicing.percent) == (
        eur("53.96"),
        eur("0.00"),
        Decimal(100),
    )


def test_an_amount_deposit_issued_at_once_carries_its_number_and_dates(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 4, "10.00"))
    deposit = book.invoice(
        order.id, kind="deposit", amount=eur("12.50"), issue=True, due_days=30, number="DEP-1"
    )
    assert (deposit.status, deposit.number, deposit.issued_on, deposit.due_on) == (
        DocumentStatus.ISSUED,
        "DEP-1",
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 31),
    )
    assert gross(deposit) == eur("12.50")
    assert book.summary(order.id).invoicing.deposits == eur("12.50")
    event = book.events(order_id=order.id)[-1]
    assert (event.kind, event.data["invoice_kind"]) == ("Invoiced", "deposit")


def test_two_half_deposits_bill_the_gross_to_the_cent_and_the_final_invoice_is_zero(
    book, make_line
):
    order = confirmed(book, make_line("l1", "TEA", 1, "33.35"))
    first = book.invoice(order.id, kind="deposit", percent=50)  # a draft already bills
    second = book.invoice(order.id, kind="deposit", percent="50", issue=True)
    assert (gross(first), gross(second)) == (eur("16.68"), eur("16.67"))
    final = book.invoice(order.id, issue=True)
    assert gross(final) == eur("0.00")
    assert [line.unit_price for line in final.lines] == [eur("33.35"), eur("-33.35")]
    book.issue_invoice(first.id)
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.state.value, invoicing.invoiced, invoicing.deposits) == (
        "invoiced",
        eur("33.35"),
        eur("0.00"),
    )


def test_a_deposit_amount_beyond_what_remains_is_refused(book, make_line, refused):
    order = confirmed(book, make_line("l1", "TEA", 2, "10.00"))
    book.invoice(order.id, kind="deposit", percent=50, issue=True)
    command = InvoiceOrder(order_id=order.id, kind="deposit", amount=eur("10.01"))
    error = refused(book, command, ValidationError)
    assert error.field == "amount"
    assert "at most EUR 10.00" in str(error)
    rest = book.invoice(order.id, kind="deposit", amount=eur("10.00"))
    assert gross(rest) == eur("10.00")


def test_a_percent_deposit_is_refused_once_nothing_remains_to_invoice(book, make_line, refused):
    order = confirmed(book, make_line("l1", "TEA", 2, "10.00"))
    book.invoice(order.id, issue=True)
    error = refused(
        book, InvoiceOrder(order_id=order.id, kind="deposit", percent=10), ValidationError
    )
    assert "nothing to invoice" in str(error)


def test_a_deposit_is_refused_outside_a_billable_status(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    command = InvoiceOrder(order_id=order.id, kind="deposit", percent=30)
    assert "not billable" in refused(book, command, LockedError).reason


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "deposit"}, "percent"),
        ({"kind": "deposit", "percent": 10, "amount": eur("1.00")}, "percent"),
        ({"kind": "deposit", "percent": 0}, "percent"),
        ({"kind": "deposit", "percent": "100.5"}, "percent"),
        ({"kind": "deposit", "amount": eur("0.00")}, "amount"),
        ({"kind": "deposit", "percent": 10, "quantities": {"l1": 1}}, "quantities"),
        ({"kind": "deposit", "percent": 10, "quantities": "shipped"}, "quantities"),
        ({"percent": 10}, "percent"),
        ({"kind": "pro_forma", "amount": eur("1.00")}, "amount"),
    ],
)
def test_a_deposit_takes_exactly_one_of_a_percent_and_an_amount_and_no_quantities(fields, field):
    with pytest.raises(ValidationError) as caught:
        InvoiceOrder(order_id="o1", **fields)
    assert caught.value.field == field
