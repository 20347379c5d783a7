import datetime as dt

import pytest

from orderbook import (
    CurrencyMismatch,
    Customer,
    Invoice,
    InvoiceLine,
    Money,
    Order,
    OrderLine,
    Payment,
    ValidationError,
)
from orderbook.acceptance import acceptance, overdue_invoices
from orderbook.workflow.facts import Acceptance

TODAY = dt.date(2027, 4, 1)


def eur(amount):
    return Money(amount, "EUR")


def customer(limit="1000"):
    return Customer(
        id="acme",
        name="AcmeCorp",
        currency="EUR",
        auto_accept_limit=None if limit is None else eur(limit),
    )


def order(amount):
    return Order(
        customer_id="acme",
        currency="EUR",
        lines=[OrderLine(sku="X", quantity=1, unit_price=eur(amount))],
    )


def invoice(iid, amount, due_on, kind="invoice", **extra):
    return Invoice(
        id=iid,
        customer_id="acme",
        currency="EUR",
        kind=kind,
        status="issued",
        issued_on=dt.date(2027, 1, 1),
        due_on=due_on,
        lines=[InvoiceLine(quantity=1, unit_price=eur(amount))],
        **extra,
    )


def decide(amount, invoices=(), payments=(), limit="1000"):
    return acceptance(
        customer(limit), order(amount), invoices=invoices, payments=payments, as_of=TODAY
    )


def test_an_order_under_the_limit_from_a_customer_who_pays_on_time_is_accepted():
    verdict = decide("999.99")
    assert verdict.verdict is Acceptance.ACCEPT
    assert verdict.accepted
    assert verdict.gross == eur("999.99")


def test_an_order_at_or_over_the_limit_is_reviewed():
    verdict = decide("1000")
    assert verdict.verdict is Acceptance.REVIEW
    assert "not under the limit" in verdict.reason


def test_without_a_limit_every_order_is_reviewed():
    verdict = decide("1", limit=None)
    assert verdict.verdict is Acceptance.REVIEW
    assert verdict.reason == "the customer has no auto-accept limit"


def test_an_unpaid_invoice_past_its_due_date_sends_the_order_to_review():
    late = invoice("inv-7", "50", dt.date(2027, 3, 1))
    verdict = decide("10", invoices=[late])
    assert verdict.verdict is Acceptance.REVIEW
    assert verdict.overdue == ("inv-7",)
    assert "inv-7" in verdict.reason


def test_the_track_record_is_derived_from_payments_and_credit_notes_as_of_the_date():
    late = invoice("inv-7", "50", dt.date(2027, 3, 1))
    paid = Payment(amount=eur("50"), received_on=dt.date(2027, 3, 20), invoice_id="inv-7")
    assert decide("10", invoices=[late], payments=[paid]).accepted
    paid_later = Payment(amount=eur("50"), received_on=dt.date(2027, 4, 2), invoice_id="inv-7")
    assert not decide("10", invoices=[late], payments=[paid_later]).accepted
    credited = invoice("cn-1", "50", None, kind="credit_note", corrects="inv-7")
    assert decide("10", invoices=[late, credited]).accepted


def test_an_invoice_not_yet_due_or_of_another_customer_does_not_count():
    not_due = invoice("inv-8", "50", dt.date(2027, 4, 1))
    other = Invoice(
        customer_id="globex",
        currency="EUR",
        status="issued",
        issued_on=dt.date(2027, 1, 1),
        due_on=dt.date(2027, 1, 2),
        lines=[InvoiceLine(quantity=1, unit_price=eur("5"))],
    )
    assert overdue_invoices("acme", invoices=[not_due, other], payments=[], as_of=TODAY) == ()


def test_an_order_of_another_customer_or_currency_is_refused():
    with pytest.raises(ValidationError, match="order"):
        acceptance(
            customer(),
            Order(customer_id="globex", currency="EUR"),
            invoices=[],
            payments=[],
            as_of=TODAY,
        )
    with pytest.raises(CurrencyMismatch):
        acceptance(
            customer(),
            Order(customer_id="acme", currency="USD"),
            invoices=[],
            payments=[],
            as_of=TODAY,
        )
