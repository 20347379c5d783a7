"""The fast paths of Money, pricing and the rollups give exactly what the validated ones give.

Money arithmetic builds its results without re-running the converters, pricing's Decimal core
computes a line's net and tax once over Decimals, and summarize sums Decimals and wraps them
into Money at the end. These tests hold each fast path to the slow, validated way of computing
the same thing: equal values with the same digits (so the same repr), and the same refusals.
"""

import datetime as dt
import decimal
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from orderbook import (
    Invoice,
    InvoiceLine,
    Money,
    OrderLine,
    Payment,
    ValidationError,
    line_gross,
    line_net,
    line_tax,
    totals,
)
from orderbook.money import to_decimal
from orderbook.rollup import CountingRules, LineSummary, summarize
from orderbook.rollup.summary import _line_summary
from orderbook.testing import strategies as obst

EUR = "EUR"
DAY = dt.date(2027, 6, 1)
ROUNDINGS = st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN, "ROUND_DOWN", "ROUND_CEILING"])


def rebuilt(money):
    """The same amount read back through the validating constructor, from its text."""
    return Money(str(money.amount), money.currency)


def assert_valid_money(money):
    assert type(money) is Money
    again = rebuilt(money)
    assert money == again
    assert repr(money) == repr(again)
    assert hash(money) == hash(again)
    assert to_decimal(money.amount) == money.amount


def decimals(places=6, max_value=10**12):
    return obst.amounts(places=places, max_value=max_value)


# -- Money arithmetic -------------------------------------------------------------------------


@given(obst.currencies(), decimals(), decimals(), decimals(places=8, max_value=10**6))
def test_arithmetic_results_are_the_money_the_constructor_builds(currency, a, b, factor):
    x, y = Money(a, currency), Money(b, currency)
    for result in (x + y, x - y, -x, abs(x), +x, x * factor, x * 3, x.quantize(), sum([x, y])):
        assert_valid_money(result)
    exact = decimal.Context(prec=100)  # the default 28 digits would round the expectation
    assert (x + y).amount == exact.add(a, b)
    assert (x * factor).amount == exact.multiply(a, factor)


@given(obst.currencies())
def test_zero_is_the_money_the_constructor_builds(currency):
    assert_valid_money(Money.zero(currency))
    assert Money.zero(currency) == Money(0, currency)


@given(obst.money(), st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_split_gives_the_largest_remainder_parts_computed_with_fractions(money, weights):
    assume(any(weights))
    parts = money.split(weights)
    for part in parts:
        assert_valid_money(part)
    # The reference: exact shares as fractions, floors, then one unit each to the largest
    # remainders, earlier parts first on ties.
    units = int(money.amount.scaleb(money.minor_units))
    sign, units = (-1 if units < 0 else 1), abs(units)
    shares = [Fraction(units * w, sum(weights)) for w in weights]
    floors = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[: units - sum(floors)]:
        floors[i] += 1
    assert [int(p.amount.scaleb(money.minor_units)) for p in parts] == [sign * f for f in floors]


@given(
    st.integers(-(10**35), 10**35),
    st.integers(-48, 8),
)
def test_to_decimal_reads_a_decimal_as_it_reads_the_same_number_written_out(coefficient, exp):
    value = Decimal(coefficient).scaleb(exp)
    assert outcome(to_decimal, value) == outcome(to_decimal, str(value))


def outcome(function, *args):
    """What a call gives: its result's repr, or the reason it was refused."""
    try:
        return repr(function(*args))
    except ValidationError as refused:
        return f"refused: {refused.reason}"


@pytest.mark.parametrize(
    "compute",
    [
        lambda: Money("9E+30", EUR) + Money("9E+30", EUR),
        lambda: Money("-9E+30", EUR) - Money("9E+30", EUR),
        lambda: Money("1E+30", EUR) * 10,
        lambda: Money("1E-40", EUR) * Decimal("0.1"),
        lambda: Money("9999999999999999999999999999999.995", EUR).quantize(),
    ],
)
def test_arithmetic_beyond_the_range_of_money_is_still_refused(compute):
    with pytest.raises(ValidationError) as caught:
        compute()
    assert caught.value.field == "amount"


def test_an_unknown_rounding_mode_is_still_refused():
    with pytest.raises(ValidationError) as caught:
        Money("1.005", EUR).quantize("ROUND_SIDEWAYS")
    assert caught.value.field == "rounding"


# -- pricing ----------------------------------------------------------------------------------


@st.composite
def priced_lines(draw):
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    common = {
        "quantity": draw(obst.quantities(places=4)),
        "unit_price": Money(draw(obst.amounts(places=5, max_value=10**7)), currency),
        "discount": draw(obst.rates()),
        "tax_rate": draw(st.sampled_from([Decimal(0), Decimal("0.055"), Decimal("0.2")])),
    }
    if draw(st.booleans()):
        return OrderLine(id="l", sku="X", **common)
    fixed = {}
    for name in ("fixed_net", "fixed_tax"):
        if draw(st.booleans()):
            fixed[name] = Money(draw(obst.amounts(places=4, max_value=10**6)), currency)
    return InvoiceLine(id="i", order_line_id="l", **common, **fixed)


def reference_net(line, rounding):
    fixed = getattr(line, "fixed_net", None)
    if fixed is not None:
        return fixed
    return (line.unit_price * line.quantity * (1 - line.discount)).quantize(rounding)


def reference_tax(line, net, rounding):
    fixed = getattr(line, "fixed_tax", None)
    return fixed if fixed is not None else (net * line.tax_rate).quantize(rounding)


@given(priced_lines(), ROUNDINGS)
def test_line_amounts_are_those_of_money_arithmetic(line, rounding):
    net = reference_net(line, rounding)
    tax = reference_tax(line, net, rounding)
    got = line_net(line, rounding=rounding), line_tax(line, rounding=rounding)
    assert repr(got) == repr((net, tax))
    assert repr(line_gross(line, rounding=rounding)) == repr(net + tax)


@given(
    st.lists(priced_lines(), min_size=0, max_size=5),
    st.sampled_from(["per_line", "per_document"]),
    ROUNDINGS,
)
def test_totals_are_the_sums_of_money_arithmetic(lines, mode, rounding):
    currency = lines[0].unit_price.currency if lines else EUR
    lines = [line for line in lines if line.unit_price.currency == currency]
    zero = Money.zero(currency)
    nets, taxes = {}, {}
    for line in lines:
        net = reference_net(line, rounding)
        rate = line.tax_rate.normalize()
        nets[rate] = nets.get(rate, zero) + net
        taxes[rate] = taxes.get(rate, zero) + reference_tax(line, net, rounding)
    if mode == "per_document":
        taxes = {rate: (nets[rate] * rate).quantize(rounding) for rate in nets}
    got = totals(lines, currency, tax_rounding=mode, rounding=rounding)
    net_total = sum((nets[rate] for rate in sorted(nets)), zero)
    tax_total = sum((taxes[rate] for rate in sorted(nets)), zero)
    assert [(t.rate, repr(t.net), repr(t.tax)) for t in got.by_rate] == [
        (rate, repr(nets[rate]), repr(taxes[rate])) for rate in sorted(nets)
    ]
    assert (repr(got.net), repr(got.tax), repr(got.gross)) == (
        repr(net_total),
        repr(tax_total),
        repr(net_total + tax_total),
    )
    assert got.quantity == sum((line.quantity for line in lines), Decimal(0))


@pytest.mark.parametrize(
    ("price", "quantity", "reason"),
    [
        ("9E+30", "10", "must be below 10**31 in magnitude"),
        # in range until rounded to the cent, which carries it to 10**31
        ("9999999999999999999999999999999.995", "1", "must be below 10**31 in magnitude"),
        ("0." + "0" * 30 + "1", "0." + "0" * 20 + "1", "must have at most 40 decimal places"),
        # a zero has its places too: 0.00 x 39 places is zero with 41
        ("0.00", "0." + "0" * 38 + "1", "must have at most 40 decimal places"),
    ],
)
def test_a_line_whose_amount_money_cannot_hold_is_refused_as_before(price, quantity, reason):
    line = OrderLine(id="l", sku="X", quantity=quantity, unit_price=Money(price, EUR))
    for compute in (line_net, line_tax, line_gross, lambda line: totals([line], EUR)):
        with pytest.raises(ValidationError) as caught:
            compute(line)
        assert caught.value.reason == reason


def test_a_tax_rate_too_precise_for_the_tax_amount_is_refused_as_before():
    line = OrderLine(
        id="l", sku="X", quantity=1, unit_price=Money("1.00", EUR), tax_rate="0." + "1" * 39
    )
    assert line_net(line) == Money("1.00", EUR)
    with pytest.raises(ValidationError) as caught:
        line_tax(line)
    assert caught.value.reason == "must have at most 40 decimal places"


def test_an_unknown_rounding_mode_is_refused_by_the_line_formulas():
    line = OrderLine(id="l", sku="X", quantity=1, unit_price=Money("1.005", EUR))
    for compute in (line_net, line_tax, line_gross):
        with pytest.raises(ValidationError) as caught:
            compute(line, rounding="ROUND_SIDEWAYS")
        assert caught.value.field == "rounding"


# -- rollups ----------------------------------------------------------------------------------


def test_a_line_summary_built_fast_equals_the_one_its_constructor_builds():
    names = [field.name for field in attrs.fields(LineSummary)]
    values = {
        name: Money(Decimal(k), EUR)
        if field.type == "Money"
        else (k % 2 == 0)
        if field.type == "bool"
        else f"line-{k}"
        if field.type == "str"
        else Decimal(k)
        for k, (name, field) in enumerate(zip(names, attrs.fields(LineSummary), strict=True))
    }
    fast = _line_summary(**values)
    slow = LineSummary(**values)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert attrs.asdict(fast, recurse=False) == values


@st.composite
def ledgers(draw):
    order = draw(obst.orders(currency=EUR, max_lines=4))
    invoices, payments = [], []
    lines = [
        InvoiceLine(
            id=f"i-{line.id}",
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_rate=line.tax_rate,
            order_line_id=line.id,
        )
        for line in order.lines
        if draw(st.booleans())
    ]
    if lines:
        invoices.append(
            Invoice(
                id="i1",
                customer_id=order.customer_id,
                currency=EUR,
                order_id=order.id,
                status="issued",
                issued_on=DAY,
                lines=lines,
                kind=draw(st.sampled_from(["invoice", "credit_note", "deposit"])),
            )
        )
        cents = draw(st.integers(1, 10**8))
        payments.append(
            Payment(id="p1", amount=Money(cents, EUR).quantize(), received_on=DAY, invoice_id="i1")
        )
    return order, invoices, payments


def amounts_in(value):
    """Every Money inside a summary, however deep."""
    if isinstance(value, Money):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from amounts_in(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from amounts_in(getattr(value, field.name))


@given(ledgers(), st.sampled_from(["per_line", "per_document"]))
def test_every_amount_of_a_summary_is_valid_money_and_the_line_figures_add_up(ledger, mode):
    order, invoices, payments = ledger
    summary = summarize(
        order,
        invoices=invoices,
        payments=payments,
        as_of=DAY,
        counting=CountingRules(tax_rounding=mode),
    )
    found = [*amounts_in(summary), *amounts_in(summary.lines)]  # the lines are built on demand
    assert len(found) >= 8 * len(order.lines)
    for money in found:
        assert_valid_money(money)
    for line, figures in zip(order.lines, summary.lines, strict=True):
        assert repr(figures.net) == repr(line_net(line))
        assert repr(figures.tax) == repr(line_tax(line))
        assert repr(figures.gross) == repr(line_gross(line))
    zero = Money.zero(EUR)
    assert sum((line.net for line in summary.lines), zero) == summary.net
