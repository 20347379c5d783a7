"""Hypothesis strategies for orderbook's values: amounts, money, lines and orders.

Every strategy builds valid values only, so a property test can start from any of them.

>>> from hypothesis import given
>>> from orderbook.testing import strategies as obst
>>> @given(obst.money(currency="EUR"))
... def test_money_is_its_own_sum(m):
...     assert sum([m]) == m
>>> test_money_is_its_own_sum()
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from orderbook.currencies import CURRENCIES
from orderbook.model import Customer, Lot, LotSource, Order, OrderLine
from orderbook.money import Money

__all__ = [
    "amounts",
    "currencies",
    "customers",
    "lots",
    "money",
    "order_lines",
    "orders",
    "quantities",
    "rates",
]


def currencies() -> st.SearchStrategy[str]:
    """Any ISO 4217 code orderbook knows."""
    return st.sampled_from(sorted(CURRENCIES))


def amounts(
    *, places: int = 4, max_value: int = 10**9, min_value: int | None = None
) -> st.SearchStrategy[Decimal]:
    """Decimals with at most ``places`` decimal places, between ``min_value`` and ``max_value``."""
    low = -max_value if min_value is None else min_value
    return st.decimals(
        min_value=low, max_value=max_value, places=places, allow_nan=False, allow_infinity=False
    )


def money(
    *,
    currency: str | None = None,
    places: int | None = None,
    min_value: int | None = None,
    max_value: int = 10**9,
) -> st.SearchStrategy[Money]:
    """Money in one currency (or any), at the minor unit unless ``places`` says otherwise."""
    codes = st.just(currency) if currency is not None else currencies()

    def build(code: str) -> st.SearchStrategy[Money]:
        digits = CURRENCIES[code] if places is None else places
        return amounts(places=digits, min_value=min_value, max_value=max_value).map(
            lambda amount: Money(amount, code)
        )

    return codes.flatmap(build)


def quantities(*, places: int = 3, max_value: int = 10**6) -> st.SearchStrategy[Decimal]:
    """Quantities above zero: whole units and fractional ones (credits, tonnes)."""
    return amounts(places=places, min_value=0, max_value=max_value).filter(lambda q: q > 0)


def rates() -> st.SearchStrategy[Decimal]:
    """Fractions from 0 to 1 with at most 4 places: discounts and tax rates."""
    return st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


def order_lines(
    *, currency: str = "EUR", line_id: str | None = None
) -> st.SearchStrategy[OrderLine]:
    """A valid order line priced in ``currency``."""
    return st.builds(
        OrderLine,
        id=st.just(line_id) if line_id else st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(["A", "B", "C", "D"]),
        quantity=quantities(),
        unit_price=money(currency=currency, places=4, min_value=0, max_value=10**5),
        discount=rates(),
        tax_rate=st.sampled_from([Decimal(0), Decimal("0.055"), Decimal("0.1"), Decimal("0.2")]),
        due_on=st.none()
        | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    )


@st.composite
def orders(draw: st.DrawFn, *, currency: str | None = None, max_lines: int = 6) -> Order:
    """A valid order with 1 to ``max_lines`` lines, all in the order's currency."""
    code = currency if currency is not None else draw(currencies())
    count = draw(st.integers(min_value=1, max_value=max_lines))
    lines = [draw(order_lines(currency=code, line_id=f"l{i}")) for i in range(1, count + 1)]
    return Order(
        customer_id=draw(st.sampled_from(["acme", "globex", "initech"])),
        currency=code,
        lines=lines,
        priority=draw(st.integers(min_value=0, max_value=9)),
    )


def customers(*, currency: str | None = None) -> st.SearchStrategy[Customer]:
    """A valid customer, with or without an auto-acceptance limit."""
    code = st.just(currency) if currency is not None else currencies()
    return code.flatmap(
        lambda c: st.builds(
            Customer,
            id=st.uuids().map(lambda u: u.hex),
            name=st.sampled_from(["AcmeCorp", "Globex", "Initech", "Umbrella"]),
            currency=st.just(c),
            auto_accept_limit=st.none() | money(currency=c, min_value=0, max_value=10**6),
        )
    )


def lots(
    *, as_of: dt.date, skus: tuple[str, ...] = ("A", "B", "C", "D")
) -> st.SearchStrategy[Lot]:
    """A lot on hand, or an expected supply due within a year either side of ``as_of``."""
    days = st.integers(min_value=-365, max_value=365).map(lambda n: as_of + dt.timedelta(days=n))
    on_hand = st.builds(
        Lot,
        id=st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(skus),
        quantity=amounts(places=2, min_value=0, max_value=10**5),
        expires_on=st.none() | days,
    )
    expected = st.builds(
        Lot,
        id=st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(skus),
        quantity=amounts(places=2, min_value=0, max_value=10**5),
        source=st.sampled_from([s for s in LotSource if s.expected]),
        available_on=days,
    )
    return on_hand | expected
