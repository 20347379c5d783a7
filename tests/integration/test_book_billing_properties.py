"""Properties of the billing figures, through the book: deposits that add up to the cent,
and a percent by amount that is exactly the invoiced gross over the order's gross."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orderbook import (
    Customer,
    Money,
    OrderLine,
    Product,
    SequentialIds,
    invoice_totals,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.commands import LineEdit
from orderbook.store import MemoryStore

CLOCK = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
quantities = st.one_of(
    st.integers(1, 40).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("50"), places=3),
)
rates = st.sampled_from([Decimal(0), Decimal("0.055"), Decimal("0.2")])
discounts = st.sampled_from([Decimal(0), Decimal(0), Decimal("0.15")])
lines = st.lists(st.tuples(quantities, prices, rates, discounts), min_size=1, max_size=4)


def placed(specs):
    """A book on a MemoryStore with one confirmed order of the lines described."""
    book = OrderBook(MemoryStore(), clock=FixedClock(CLOCK), id_factory=SequentialIds("id"))
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    order = book.place_order(
        "acme",
        [
            OrderLine(
                id=f"l{i}",
                sku="TEA",
                quantity=quantity,
                unit_price=Money(price, "EUR"),
                tax_rate=rate,
                discount=discount,
            )
            for i, (quantity, price, rate, discount) in enumerate(specs)
        ],
    )
    book.transition(order.id, "confirmed")
    return book, order


def gross(invoice):
    return invoice_totals(invoice).gross


@PROPERTY
@given(specs=lines, drafts=st.lists(st.booleans(), min_size=3, max_size=3))
def test_two_half_deposits_and_the_final_invoice_add_up_to_the_gross_exactly(specs, drafts):
    book, order = placed(specs)
    total = book.summary(order.id).gross
    assume(total >= Money("0.02", "EUR"))  # below, the first half takes it all
    made = [
        book.invoice(order.id, kind="deposit", percent=50, issue=not drafts[0]),
        book.invoice(order.id, kind="deposit", percent=50, issue=not drafts[1]),
        book.invoice(order.id, issue=not drafts[2]),
    ]
    for invoice, draft in zip(made, drafts, strict=True):
        if draft:
            book.issue_invoice(invoice.id)
    first, second, final = (gross(invoice) for invoice in made)
    assert first + second == total
    assert Money(0, "EUR") < second <= first
    assert final == Money("0.00", "EUR")
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.state.value, invoicing.invoiced, invoicing.percent) == (
        "invoiced",
        total,
        Decimal(100),
    )
    assert invoicing.deposits == Money("0.00", "EUR")


def _close_to_50_digits(value, exact):
    """Whether a Decimal is the Fraction ``exact`` correctly rounded to 50 digits."""
    if exact == 0:
        return value == 0
    half_ulp = Fraction(1, 2) * Fraction(10) ** (value.adjusted() - 49)
    return abs(Fraction(value) - exact) <= half_ulp


@PROPERTY
@given(
    specs=lines,
    rounds=st.lists(
        st.tuples(
            st.lists(st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal(1)]), max_size=4),
            st.none() | prices,
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_the_percent_by_amount_is_the_invoiced_gross_over_the_gross_exactly(specs, rounds):
    book, order = placed(specs)
    total = book.summary(order.id).gross
    assume(total.amount > 0)
    for shares, price in rounds:
        left = book.summary(order.id).lines
        wanted = {
            state.line_id: (state.uninvoiced * share).quantize(Decimal("0.001"))
            for state, share in zip(left, shares, strict=False)
        }
        wanted = {line_id: q for line_id, q in wanted.items() if q > 0}
        if not wanted:
            continue
        draft = book.invoice(order.id, wanted)
        if price is not None:
            edit = {draft.lines[0].id: LineEdit(unit_price=Money(price, "EUR"))}
            book.edit_draft_invoice(draft.id, edits=edit)
        book.issue_invoice(draft.id)
    invoiced = sum((gross(i) for i in book.invoices(order.id)), Money(0, "EUR"))
    invoicing = book.summary(order.id).invoicing
    assert invoicing.invoiced == invoiced
    exact = Fraction(invoiced.amount) * 100 / Fraction(total.amount)
    assert _close_to_50_digits(invoicing.percent, exact)
