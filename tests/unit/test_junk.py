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
