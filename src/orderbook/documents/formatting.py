"""How documents print numbers, amounts, rates and dates: plain, locale-neutral text.

Amounts show the currency's minor unit (two places for EUR, none for JPY, three for KWD),
with a comma between thousands. A unit price keeps the extra places it was set with, since
a price may be finer than the currency. Dates are ISO 8601, which no reader misreads.

>>> from orderbook import Money
>>> format_money(Money("1234.5", "EUR")), format_money(Money("1500", "JPY"))
('EUR 1,234.50', 'JPY 1,500')
>>> format_amount(Money("2.5", "KWD")), format_price(Money("0.333", "EUR"))
('2.500', '0.333')
>>> format_quantity(Decimal("2.50")), format_rate(Decimal("0.055"))
('2.5', '5.5%')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from orderbook.currencies import minor_units
from orderbook.money import Money

__all__ = [
    "format_amount",
    "format_date",
    "format_money",
    "format_price",
    "format_quantity",
    "format_rate",
]


def _grouped(amount: Decimal, places: int) -> str:
    """The amount with exactly ``places`` decimals and commas between thousands."""
    return f"{amount:,.{places}f}"


def format_amount(money: Money) -> str:
    """Return the amount rounded to its currency's minor unit, without the currency code.

    >>> format_amount(Money("-1234567.891", "USD"))
    '-1,234,567.89'
    """
    places = minor_units(money.currency)
    return _grouped(money.quantize().amount, places)


def format_money(money: Money) -> str:
    """Return the currency code and the amount, as totals print: ``EUR 1,234.50``."""
    return f"{money.currency} {format_amount(money)}"


def format_price(money: Money) -> str:
    """Return a unit price with at least the minor unit's places, and any finer places it has.

    >>> format_price(Money("18.5", "USD")), format_price(Money("0.0125", "USD"))
    ('18.50', '0.0125')
    """
    places = minor_units(money.currency)
    exponent = money.amount.normalize().as_tuple().exponent
    finer = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _grouped(money.amount, max(places, finer))


def format_quantity(quantity: Decimal) -> str:
    """Return a quantity without trailing zeros or an exponent: ``500``, ``2.5``.

    >>> format_quantity(Decimal("1E+3")), format_quantity(Decimal("12000.000"))
    ('1,000', '12,000')
    """
    normal = quantity.normalize()
    exponent = normal.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _grouped(normal, places)


def format_rate(rate: Decimal) -> str:
    """Return a fraction as a percentage: 0.2 prints ``20%``, 0.055 prints ``5.5%``.

    >>> format_rate(Decimal("0")), format_rate(Decimal("0.2"))
    ('0%', '20%')
    """
    return f"{format_quantity(rate * 100)}%"


def format_date(day: dt.date | None) -> str:
    """Return a date as ISO 8601 (``2027-03-01``), or an empty string for no date.

    >>> format_date(dt.date(2027, 3, 1))
    '2027-03-01'
    """
    return "" if day is None else day.isoformat()
