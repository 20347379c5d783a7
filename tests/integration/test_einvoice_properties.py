"""Properties of e-invoices: random orders and their invoices are always valid EN 16931 invoices.

An order of 1 to 20 lines at 0, 5.5, 10 and 20% with discounts is billed by a deposit, then
the final invoice, then a partial credit note; each is written as UBL and CII and checked
against the XSDs and the EN 16931 schematron, in EUR (tax rounded per line or per document)
and JPY (per document, as Japan's invoices round it). In KWD, whose amounts have three
decimals, an invoice is refused naming a BR-DEC rule exactly when one of its amounts needs
the third decimal, and valid otherwise. The examples are few: each one runs the official rules.
"""

import datetime as dt
import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from orderbook import (
    Address,
    Customer,
    Money,
    OrderLine,
    Product,
    SequentialIds,
    ValidationError,
    invoice_totals,
    presets,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.pricing import line_net, totals
from orderbook.rollup import CountingRules
from orderbook.store import MemoryStore

CLOCK = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
FEW = settings(
    max_examples=int(os.environ.get("ORDERBOOK_EINVOICE_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
RATES = [Decimal(0), Decimal("0.055"), Decimal("0.1"), Decimal("0.2")]

quantities = st.one_of(
    st.integers(1, 50).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("40"), places=3),
)
discounts = st.sampled_from([Decimal(0), Decimal(0), Decimal("0.1"), Decimal("0.15")])


def prices(currency):
    if currency == "JPY":
        return st.integers(1, 200_000).map(Decimal)
    # KWD: prices of one to three decimals, so some invoices need none of the third
    places = st.sampled_from([2, 2, 3, 4] if currency == "EUR" else [1, 2, 3])
    return places.flatmap(
        lambda n: st.decimals(min_value=Decimal("0.01"), max_value=Decimal(9999), places=n)
    )


def order_lines(currency):
    counts = st.integers(1, 50).map(Decimal) if currency == "KWD" else quantities
    line = st.tuples(counts, prices(currency), st.sampled_from(RATES), discounts)
    return st.lists(line, min_size=1, max_size=20 if currency != "KWD" else 4)


def book_of(currency, rounding, specs):
    workflow = presets.standard().with_settings(counting=CountingRules(tax_rounding=rounding))
    book = OrderBook(
        MemoryStore(), workflow=workflow, clock=FixedClock(CLOCK), id_factory=SequentialIds("id")
    )
    book.save_customer(
        Customer(
            id="acme",
            name="AcmeCorp",
            currency=currency,
            vat_id="DE123456789",
            billing_address=Address(city="Berlin", country="DE"),
        )
    )
    book.save_product(Product(sku="TEA", name="Green tea"))
    order = book.place_order(
        "acme",
        [
            OrderLine(
                id=f"l{i}",
                sku="TEA",
                quantity=quantity,
                unit_price=Money(price, currency),
                tax_rate=rate,
                discount=discount,
            )
            for i, (quantity, price, rate, discount) in enumerate(specs)
        ],
        reference="PO-1",
    )
    return book, book.transition(order.id, "confirmed")


@st.composite
def billed_orders(draw):
    currency = draw(st.sampled_from(["EUR", "JPY"]))
    rounding = (
        "per_document"
        if currency == "JPY"
        else draw(st.sampled_from(["per_line", "per_document"]))
    )
    specs = draw(order_lines(currency))
    percent = draw(st.integers(5, 90))
    credited = draw(st.integers(0, len(specs) - 1))
    share = draw(st.sampled_from([Decimal("0.5"), Decimal("0.25"), Decimal(1)]))
    return currency, rounding, specs, percent, credited, share


@FEW
@given(case=billed_orders())
def test_a_deposit_the_final_invoice_and_a_partial_credit_note_are_always_valid(
    case, valid_einvoice
):
    currency, rounding, specs, percent, credited, share = case
    book, order = book_of(currency, rounding, specs)
    least = 100 if currency == "JPY" else 1  # below, a small deposit may round to nothing
    assume(book.summary(order.id).gross.amount >= least)
    deposit = book.invoice(order.id, kind="deposit", percent=percent, issue=True, due_days=14)
    assert valid_einvoice(book, deposit.id).due == invoice_totals(deposit).gross
    final = book.invoice(order.id, issue=True, due_days=30)
    closing = valid_einvoice(book, final.id)
    asked = invoice_totals(final, tax_rounding=rounding).gross
    assert (closing.paid, closing.due) == (invoice_totals(deposit).gross, asked)
    assert closing.total_with_vat == book.summary(order.id).gross
    billed = final.lines[credited]
    part = (billed.quantity * share).quantize(Decimal("0.001"))
    note = book.credit_note(final.id, {billed.id: part or billed.quantity}, issue=True)
    credit = valid_einvoice(book, note.id)
    assert credit.due == invoice_totals(note, tax_rounding=rounding).gross
    assert credit.preceding[0].number == final.id


def _needs_a_third_decimal(invoice):
    sums = totals(invoice.lines, invoice.currency)
    amounts = [line_net(line) for line in invoice.lines]
    amounts += [sums.net, sums.tax, sums.gross] + [group.tax for group in sums.by_rate]
    return any(amount.amount != amount.amount.quantize(Decimal("0.01")) for amount in amounts)


@FEW
@given(specs=order_lines("KWD"))
def test_a_kwd_invoice_is_refused_naming_the_rule_exactly_when_it_needs_a_third_decimal(
    specs, valid_einvoice, einvoice_seller
):
    book, order = book_of("KWD", "per_line", specs)
    invoice = book.invoice(order.id, issue=True, due_days=30)
    if _needs_a_third_decimal(invoice):
        event("refused: a third decimal")
        with pytest.raises(ValidationError, match=r"two decimals.*\(BR-DEC-\d+\)"):
            book.einvoice(invoice.id, seller=einvoice_seller)
    else:
        event("valid: two decimals suffice")
        assert valid_einvoice(book, invoice.id).due == invoice_totals(invoice).gross
