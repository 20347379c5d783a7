"""How documents print numbers, amounts, rates and dates: plain, locale-neutral text.

Amounts show the currency's minor unit (two places for EUR, none for JPY, three for KWD),
with a comma between thousands. A unit price keeps the extra places it was set with, since
a price may be finer than the currency. Dates are ISO 8601, which no reader misreads.

With the optional ``babel`` extra, ``locale="fr_FR"`` (or any locale babel knows) writes
amounts, prices, quantities and rates as that locale does, with the currency's sign where
the locale puts it; the places are still the currency's own. Dates stay ISO 8601.

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
from orderbook.documents._locale import localized_money, localized_number
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


def _places(number: Decimal) -> int:
    """How many decimals the number shows once its trailing zeros are dropped."""
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_amount(money: Money, *, locale: str | None = None) -> str:
    """Return the amount rounded to its currency's minor unit, without the currency code.

    Args:
        money: the amount.
        locale: write it as this locale does (the ``babel`` extra); locale-neutral if None.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale.

    >>> format_amount(Money("-1234567.891", "USD"))
    '-1,234,567.89'
    >>> format_amount(Money("-1234567.891", "USD"), locale="de_DE")
    '-1.234.567,89'
    """
    places = minor_units(money.currency)
    amount = money.quantize().amount
    if locale is not None:
        return localized_number(amount, places, locale)
    return _grouped(amount, places)


def format_money(money: Money, *, locale: str | None = None) -> str:
    """Return the currency code and the amount, as totals print: ``EUR 1,234.50``.

    With a locale (the ``babel`` extra), the locale's currency format: ``1.234,50 €`` in
    German, ``€1,234.50`` in American English.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale.
    """
    if locale is not None:
        places = minor_units(money.currency)
        return localized_money(money.quantize().amount, money.currency, places, locale)
    return f"{money.currency} {format_amount(money)}"


def format_price(money: Money, *, locale: str | None = None) -> str:
    """Return a unit price with at least the minor unit's places, and any finer places it has.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale.

    >>> format_price(Money("18.5", "USD")), format_price(Money("0.0125", "USD"))
    ('18.50', '0.0125')
    >>> format_price(Money("0.0125", "USD"), locale="fr_FR")
    '0,0125'
    """
    places = max(minor_units(money.currency), _places(money.amount))
    if locale is not None:
        return localized_number(money.amount, places, locale)
    return _grouped(money.amount, places)


def format_quantity(quantity: Decimal, *, locale: str | None = None) -> str:
    """Return a quantity without trailing zeros or an exponent: ``500``, ``2.5``.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale.

    >>> format_quantity(Decimal("1E+3")), format_quantity(Decimal("12000.000"))
    ('1,000', '12,000')
    """
    normal = quantity.normalize()
    if locale is not None:
        return localized_number(normal, _places(normal), locale)
    return _grouped(normal, _places(normal))


def format_rate(rate: Decimal, *, locale: str | None = None) -> str:
    """Return a fraction as a percentage: 0.2 prints ``20%``, 0.055 prints ``5.5%``.

    With a locale (the ``babel`` extra), the locale's percent format: ``5,5 %`` in French.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale.

    >>> format_rate(Decimal("0")), format_rate(Decimal("0.2"))
    ('0%', '20%')
    """
    if locale is not None:
        return localized_number(rate, _places(rate * 100), locale, percent=True)
    return f"{format_quantity(rate * 100)}%"


def format_date(day: dt.date | None) -> str:
    """Return a date as ISO 8601 (``2027-03-01``), or an empty string for no date.

    >>> format_date(dt.date(2027, 3, 1))
    '2027-03-01'
    """
    return "" if day is None else day.isoformat()
