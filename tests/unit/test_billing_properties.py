"""Invariants of billing: no invoice sequence ever gains or loses a cent."""

import datetime as dt
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from orderbook import Money, invoice_totals
from orderbook.billing import deposit_invoice, invoice_order, issue
from orderbook.rollup import CountingRules, InvoiceState, summarize
from orderbook.testing import strategies as obst

DAY = dt.date(2027, 6, 1)
FRACTIONS = st.sampled_from(["0.1", "0.25", "0.3", "0.333", "0.5", "0.7"]).map(Decimal)


def invoiced_after(order, invoices):
    return summarize(order, invoices=invoices, as_of=DAY)


@settings(max_examples=60, deadline=None)
@given(
    order=obst.orders(currency="EUR", max_lines=4),
    cuts=st.lists(st.dictionaries(st.integers(0, 3), FRACTIONS, max_size=4), max_size=4),
    tax_rounding=st.sampled_from(["per_line", "per_document"]),
)
def test_invoices_in_random_parts_never_exceed_the_gross_and_end_on_it_exactly(
    order, cuts, tax_rounding
):
    counting = CountingRules(tax_rounding=tax_rounding)
    invoices = []
    for cut in cuts:
        summary = summarize(order, invoices=invoices, as_of=DAY, counting=counting)
        wanted = {}
        for index, fraction in cut.items():
            if index < len(order.lines):
                line = summary.lines[index]
                quantity = min(line.ordered * fraction, line.uninvoiced)
                if quantity > 0:
                    wanted[line.line_id] = quantity
        if wanted:
            draft = invoice_order(order, summary, quantities=wanted)
            invoices.append(issue(draft, issued_on=DAY))
        summary = summarize(order, invoices=invoices, as_of=DAY, counting=counting)
        assert summary.invoicing.invoiced <= summary.gross or tax_rounding == "per_document"
    summary = summarize(order, invoices=invoices, as_of=DAY)
    if summary.invoicing.state is not InvoiceState.INVOICED:
        invoices.append(issue(invoice_order(order, summary), issued_on=DAY))
    done = summarize(order, invoices=invoices, as_of=DAY)
    assert done.invoicing.state is InvoiceState.INVOICED
    assert done.invoicing.invoiced == done.gross
    for line in done.lines:
        assert line.invoiced_net == line.net
        assert line.invoiced_tax == line.tax
        assert line.invoiced_quantity == line.ordered


@settings(max_examples=40, deadline=None)
@given(order=obst.orders(currency="EUR", max_lines=3), share=st.integers(1, 100))
def test_a_deposit_and_the_final_invoice_add_up_to_the_gross_exactly(order, share):
    summary = invoiced_after(order, [])
    assume(summary.gross.split([share, 100 - share])[0].amount > 0)
    deposit = issue(deposit_invoice(order, summary, percent=share), issued_on=DAY)
    final = issue(invoice_order(order, invoiced_after(order, [deposit])), issued_on=DAY)
    assert invoice_totals(final).gross.amount >= 0
    assert invoice_totals(deposit).gross + invoice_totals(final).gross == summary.gross
    assert invoiced_after(order, [deposit, final]).invoicing.deposits == Money.zero("EUR")


@settings(max_examples=200, deadline=None)
@given(
    amount=obst.money(currency="EUR", max_value=10**7),
    weights=st.lists(
        st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False), min_size=1
    ).filter(any),
)
def test_splitting_any_amount_by_any_ratios_sums_back_exactly(amount, weights):
    parts = amount.split(weights)
    assert sum(parts, Money.zero("EUR")) == amount
    assert len(parts) == len(weights)
    assert all(part.is_quantized for part in parts)
