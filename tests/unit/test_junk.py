"""Random junk thrown at every public constructor raises orderbook errors and nothing else."""

import contextlib
import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import orderbook
from orderbook import Money, OrderbookError

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.decimals(),
    st.binary(max_size=3),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(Money("1", "EUR")),
    st.just(Decimal("NaN")),
    st.just(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
    st.just(object()),
)

CONSTRUCTORS = [
    getattr(orderbook, name)
    for name in orderbook.__all__
    if isinstance(getattr(orderbook, name), type)
    and attrs.has(getattr(orderbook, name))
    and name not in {"TaxLine", "Totals"}
]


@pytest.mark.parametrize("cls", CONSTRUCTORS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_junk_in_any_field_raises_only_orderbook_errors(cls, data):
    fields = attrs.fields(cls)
    required = {field.name for field in fields if field.default is attrs.NOTHING}
    kwargs = {
        field.alias: data.draw(junk, label=field.name)
        for field in fields
        if field.init
        and (field.name in required or data.draw(st.booleans(), label=f"give {field.name}"))
    }
    with contextlib.suppress(OrderbookError):
        cls(**kwargs)


@given(amount=junk, currency=junk)
def test_junk_money_raises_only_validation_errors(amount, currency):
    try:
        money = Money(amount, currency)
    except orderbook.ValidationError:
        return
    assert isinstance(money.amount, Decimal)
    assert money.currency in orderbook.CURRENCIES


# -- Money arithmetic beyond every range --------------------------------------------------------

_FACTORS = st.one_of(
    st.integers(),
    st.integers(min_value=10**30),
    st.integers(max_value=-(10**30)),
    st.sampled_from([10**2811, 10**5000, -(10**5000), 2**63]),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("1E+999"), Decimal("9E+999999"), Decimal("1E-999999"), Decimal(0)]),
)
_AMOUNTS = st.builds(
    Money,
    st.decimals(min_value=-(10**30), max_value=10**30, allow_nan=False, places=4),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)


def _outcome(operation):
    """What an operation gives: its result, or the ValidationError it raised."""
    try:
        return operation()
    except orderbook.ValidationError as error:
        return error


def _in_range(money):
    return money.amount == 0 or (
        money.amount.adjusted() <= 30 and money.amount.as_tuple().exponent >= -40
    )


@given(amount=_AMOUNTS, factor=_FACTORS)
def test_a_product_of_money_is_money_in_range_or_a_validation_error_naming_the_factor(
    amount, factor
):
    for product in (lambda: amount * factor, lambda: factor * amount):
        result = _outcome(product)
        if isinstance(result, orderbook.ValidationError):
            assert result.field in {"factor", "amount"}, str(result)
            continue
        assert isinstance(result, Money)
        assert result.currency == amount.currency
        assert _in_range(result)


@given(amount=_AMOUNTS, other=_AMOUNTS, weights=st.lists(_FACTORS, min_size=1, max_size=3))
def test_sums_comparisons_and_splits_of_money_give_money_or_a_validation_error(
    amount, other, weights
):
    other = Money(other.amount, amount.currency)
    for operation in (
        lambda: amount + other,
        lambda: amount - other,
        lambda: amount < other,
        lambda: amount.quantize().split(weights),
    ):
        result = _outcome(operation)
        if isinstance(result, orderbook.ValidationError):
            assert result.field in {"amount", "weights"} or result.field.startswith("weights[")
        elif isinstance(result, Money):
            assert _in_range(result)


@pytest.mark.parametrize(
    ("cls", "values", "field"),
    [
        (orderbook.Order, {"id": "o", "customer_id": "c", "currency": "EUR"}, "priority"),
        (orderbook.Lot, {"id": "l", "sku": "TEA", "quantity": 1}, "vintage"),
        (orderbook.Lot, {"id": "l", "sku": "TEA", "quantity": 1}, "version"),
    ],
)
def test_an_int_of_a_record_is_one_sql_holds_64_bit_signed(cls, values, field):
    assert getattr(cls(**values, **{field: 2**63 - 1}), field) == 2**63 - 1
    for beyond in (2**63, 10**5000):
        with pytest.raises(orderbook.ValidationError) as refused:
            cls(**values, **{field: beyond})
        assert refused.value.field == field
        assert "digits" in str(refused.value) or str(beyond) in str(refused.value)
