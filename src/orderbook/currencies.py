"""ISO 4217 currency codes and the number of digits of their minor unit.

The table covers the most traded currencies and many more. A currency missing from it is
refused rather than guessed: the minor unit decides how every amount is rounded.

>>> from orderbook.currencies import minor_units
>>> minor_units("EUR"), minor_units("JPY"), minor_units("KWD")
(2, 0, 3)
"""

from __future__ import annotations

from types import MappingProxyType

from orderbook.errors import ValidationError

__all__ = ["CURRENCIES", "minor_units"]

_TABLE: dict[str, int] = {
    # Three decimals.
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # No decimals.
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # Two decimals.
    "AED": 2,
    "ARS": 2,
    "AUD": 2,
    "BDT": 2,
    "BGN": 2,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CNY": 2,
    "COP": 2,
    "CZK": 2,
    "DKK": 2,
    "DZD": 2,
    "EGP": 2,
    "EUR": 2,
    "GBP": 2,
    "GEL": 2,
    "GHS": 2,
    "HKD": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "KES": 2,
    "KZT": 2,
    "LKR": 2,
    "MAD": 2,
    "MXN": 2,
    "MYR": 2,
    "NGN": 2,
    "NOK": 2,
    "NZD": 2,
    "PEN": 2,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "QAR": 2,
    "RON": 2,
    "RSD": 2,
    "RUB": 2,
    "SAR": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TRY": 2,
    "TWD": 2,
    "UAH": 2,
    "USD": 2,
    "UYU": 2,
    "ZAR": 2,
}

CURRENCIES = MappingProxyType(dict(sorted(_TABLE.items())))
"""Every known ISO 4217 code, mapped to the digits of its minor unit."""


def minor_units(currency: str) -> int:
    """Return the number of decimal digits of a currency's minor unit.

    Args:
        currency: an ISO 4217 code such as ``"EUR"``.

    Returns:
        2 for EUR, 0 for JPY, 3 for KWD.

    Raises:
        ValidationError: the code is not in the table.

    >>> minor_units("USD")
    2
    """
    try:
        return CURRENCIES[currency]
    except (KeyError, TypeError):
        raise ValidationError(
            "currency", currency, "must be a known ISO 4217 code such as 'EUR'"
        ) from None
