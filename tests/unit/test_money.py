import decimal
import pickle
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from orderbook import CURRENCIES, CurrencyMismatch, Money, ValidationError, minor_units
from orderbook.testing import strategies as obst

EUR = "EUR"


def test_money_keeps_every_digit_it_is_given():
    assert Money("0.123456", EUR).amount == Decimal("0.123456")


@pytest.mark.parametrize("amount", [1, "1", Decimal("1.00")])
def test_money_is_built_from_str_int_or_decimal(amount):
    assert Money(amount, EUR) == Money("1", EUR)


@pytest.mark.parametrize(
    "amount",
    [0.1, float("nan"), "NaN", "Infinity", "-inf", Decimal("NaN"), "sNaN", "abc", "", "1_000",
     True, None, [], "1e100"],
)  # fmt: skip
def test_money_refuses_floats_non_finite_numbers_and_junk(amount):
    with pytest.raises(ValidationError) as caught:
        Money(amount, EUR)
    assert caught.value.field == "amount"


@pytest.mark.parametrize("code", ["eur", "XXX", "EURO", "", None, 978])
def test_money_refuses_an_unknown_currency(code):
    with pytest.raises(ValidationError) as caught:
        Money("1", code)
    assert caught.value.field == "currency"
    assert caught.value.value == code


def test_the_table_has_zero_and_three_decimal_currencies_among_at_least_forty():
    assert len(CURRENCIES) >= 40
    assert [minor_units(c) for c in ("JPY", "KRW")] == [0, 0]
    assert [minor_units(c) for c in ("BHD", "KWD", "JOD")] == [3, 3, 3]
    assert minor_units("USD") == 2


def test_repr_evaluates_back_to_an_equal_value():
    money = Money("12.50", EUR)
    assert repr(money) == "Money('12.50', 'EUR')"
    assert eval(repr(money)) == money


def test_repr_never_uses_an_exponent():
    assert repr(Money(Decimal("1E+2"), "JPY")) == "Money('100', 'JPY')"


def test_str_pads_to_the_minor_unit_but_never_rounds():
    assert str(Money("12.5", EUR)) == "EUR 12.50"
    assert str(Money("0.125", EUR)) == "EUR 0.125"
    assert str(Money("7", "KWD")) == "KWD 7.000"


def test_different_currencies_are_never_equal():
    assert Money("1", EUR) != Money("1", "USD")
    assert Money("1", EUR) != Decimal(1)


def test_equal_values_hash_alike():
    assert len({Money("1.0", EUR), Money("1.00", EUR), Money("1", EUR)}) == 1


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_arithmetic_between_currencies_raises_currency_mismatch(operation):
    with pytest.raises(CurrencyMismatch) as caught:
        operation(Money("1", EUR), Money("1", "USD"))
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")


@pytest.mark.parametrize("factor", [1.5, "2", None, Money("2", EUR), Decimal("NaN"), True])
def test_money_multiplies_only_by_an_int_or_a_finite_decimal(factor):
    with pytest.raises(ValidationError):
        Money("1", EUR) * factor


def test_adding_a_number_that_is_not_zero_is_refused():
    with pytest.raises(ValidationError):
        Money("1", EUR) + 5  # type: ignore[operator]
    with pytest.raises(ValidationError):
        5 + Money("1", EUR)  # type: ignore[operator]


def test_sum_starts_from_zero_and_gives_the_money_itself():
    money = Money("3.30", EUR)
    assert sum([money]) is money
    assert sum([Money("0.10", EUR), Money("0.20", EUR)]) == Money("0.30", EUR)


def test_zero_is_quantized_to_the_minor_unit():
    assert repr(Money.zero("KWD")) == "Money('0.000', 'KWD')"
    assert repr(Money.zero("JPY")) == "Money('0', 'JPY')"


def test_quantize_rounds_half_up_by_default_and_takes_another_mode():
    assert Money("0.125", EUR).quantize() == Money("0.13", EUR)
    assert Money("0.125", EUR).quantize(ROUND_HALF_EVEN) == Money("0.12", EUR)
    assert Money("-0.125", EUR).quantize() == Money("-0.13", EUR)
    assert Money("2.5", "JPY").quantize() == Money("3", "JPY")


def test_quantize_refuses_an_unknown_rounding_mode():
    with pytest.raises(ValidationError) as caught:
        Money("1", EUR).quantize("ROUND_SIDEWAYS")
    assert caught.value.field == "rounding"


def test_results_do_not_depend_on_the_callers_decimal_context():
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        assert Money("12345.678", EUR) + Money("0.001", EUR) == Money("12345.679", EUR)
        assert Money("0.125", EUR).quantize() == Money("0.13", EUR)


def test_the_odoo_thirty_seventy_split_adds_up():
    parts = Money("145.05", EUR).split([Decimal("0.3"), Decimal("0.7")])
    assert parts == (Money("43.52", EUR), Money("101.53", EUR))
    assert sum(parts) == Money("145.05", EUR)


def test_split_gives_leftover_cents_to_the_earlier_part_on_a_tie():
    assert Money("0.02", EUR).split([1, 1, 1]) == (
        Money("0.01", EUR),
        Money("0.01", EUR),
        Money("0.00", EUR),
    )


def test_split_of_a_negative_amount_mirrors_the_positive_one():
    positive = Money("10.00", EUR).split([1, 2])
    assert Money("-10.00", EUR).split([1, 2]) == tuple(-p for p in positive)


@pytest.mark.parametrize(
    "weights", [[], [0, 0], [-1, 2], [0.5, 0.5], "12", None, [Decimal("NaN")]]
)
def test_split_refuses_bad_weights(weights):
    with pytest.raises(ValidationError):
        Money("1.00", EUR).split(weights)


def test_split_refuses_an_amount_finer_than_the_minor_unit():
    with pytest.raises(ValidationError) as caught:
        Money("1.005", EUR).split([1, 1])
    assert caught.value.field == "amount"


def test_money_survives_pickling():
    money = Money("9.99", "KWD")
    assert pickle.loads(pickle.dumps(money)) == money


# -- properties ---------------------------------------------------------------------------------

same_currency = obst.currencies().flatmap(
    lambda code: st.tuples(*(obst.money(currency=code, places=6) for _ in range(3)))
)


@given(same_currency)
def test_addition_is_commutative_and_associative(triple):
    a, b, c = triple
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)


@given(same_currency)
def test_subtraction_undoes_addition_and_negation_is_its_own_inverse(triple):
    a, b, _ = triple
    assert (a + b) - b == a
    negated = -a
    assert -negated == a
    assert a - a == Money.zero(a.currency)


@given(same_currency, st.integers(min_value=-1000, max_value=1000))
def test_multiplication_distributes_over_addition(triple, factor):
    a, b, _ = triple
    assert (a + b) * factor == a * factor + b * factor
    assert factor * a == a * factor


@given(same_currency)
def test_ordering_agrees_with_the_amounts(triple):
    a, b, _ = triple
    assert (a < b) == (a.amount < b.amount)
    assert (a <= b) == (not a > b)


@given(obst.money(places=6))
def test_quantize_gives_the_minor_unit_and_is_idempotent(money):
    once = money.quantize()
    assert once.is_quantized
    assert once.quantize() == once
    assert abs(once - money).amount <= Decimal(1).scaleb(-money.minor_units) / 2


@given(obst.currencies(), obst.currencies())
def test_mixing_currencies_raises_currency_mismatch(one, other):
    assume(one != other)
    with pytest.raises(CurrencyMismatch):
        Money("1", one) + Money("1", other)
    with pytest.raises(CurrencyMismatch):
        Money("1", one) - Money("1", other)
    with pytest.raises(CurrencyMismatch):
        assert Money("1", one) < Money("1", other)


@given(
    obst.money(),
    st.lists(
        st.decimals(min_value=0, max_value=1000, places=3) | st.integers(0, 1000),
        min_size=1,
        max_size=12,
    ).filter(lambda ws: sum(ws) > 0),
)
def test_split_parts_sum_exactly_to_the_whole_and_are_quantized(money, weights):
    parts = money.split(weights)
    assert len(parts) == len(weights)
    assert sum(parts) == money
    assert all(part.is_quantized and part.currency == money.currency for part in parts)


@given(obst.money(min_value=0), st.lists(st.integers(0, 100), min_size=1, max_size=8))
def test_split_parts_are_within_one_minor_unit_of_the_exact_share(money, weights):
    assume(sum(weights) > 0)
    unit = Decimal(1).scaleb(-money.minor_units)
    for part, weight in zip(money.split(weights), weights, strict=True):
        exact = money.amount * weight / sum(weights)
        assert abs(part.amount - exact) < unit
        if weight == 0:
            assert part.amount == 0


@given(obst.money(), st.lists(st.integers(1, 9), min_size=1, max_size=6))
def test_split_is_deterministic(money, weights):
    assert money.split(weights) == money.split(list(weights))
