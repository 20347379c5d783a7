"""Locale formatting of numbers and amounts, with the optional ``babel`` extra.

Only this module imports babel, and only when a locale is asked for, so documents print
locale-neutral text without it. The number of decimal places is always orderbook's own
(the currency's minor unit, or a price's finer places), never the locale's default.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import TYPE_CHECKING

from orderbook.errors import OrderbookError, ValidationError

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = ["babel_available", "check_locale", "localized_money", "localized_number"]


def babel_available() -> bool:
    """Whether the ``babel`` extra is installed, so amounts can be formatted by locale."""
    try:
        import babel  # noqa: F401
    except ImportError:
        return False
    return True


def _parse(locale: object) -> Locale:
    """The babel locale named ``locale`` (``"fr_FR"``, ``"fr-FR"`` or ``"de"``)."""
    if not isinstance(locale, str) or not locale.strip():
        raise ValidationError("locale", locale, "must be a locale name such as 'fr_FR'")
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        raise OrderbookError(
            "formatting by locale needs babel: install the babel extra, "
            "pip install 'orderbook[babel]'",
            extra="babel",
        ) from None
    try:
        return Locale.parse(locale.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValidationError("locale", locale, "must be a known locale such as 'fr_FR'") from None


def check_locale(locale: str | None) -> None:
    """Check that ``locale`` is None or a locale babel knows.

    Raises:
        OrderbookError: a locale is given and babel is not installed (``orderbook[babel]``).
        ValidationError: ``locale`` is not a known locale name.
    """
    if locale is not None:
        _parse(locale)


def _exact(pattern: NumberPattern, places: int) -> NumberPattern:
    """A copy of the pattern that prints exactly ``places`` decimals."""
    fixed = copy.copy(pattern)
    fixed.frac_prec = (places, places)
    return fixed


def localized_money(amount: Decimal, currency: str, places: int, locale: str) -> str:
    """The amount with its currency sign, as the locale writes money, to ``places`` decimals."""
    from babel.numbers import format_currency

    where = _parse(locale)
    pattern = where.currency_formats["standard"]
    return format_currency(
        amount, currency, format=_exact(pattern, places), locale=where, currency_digits=False
    )


def localized_number(number: Decimal, places: int, locale: str, *, percent: bool = False) -> str:
    """The number (or, with ``percent``, the fraction as a percentage) as the locale writes it."""
    where = _parse(locale)
    pattern = where.percent_formats[None] if percent else where.decimal_formats[None]
    return str(_exact(pattern, places).apply(number, where))
