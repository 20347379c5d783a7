"""Money: an exact Decimal amount with an ISO 4217 currency.

Money keeps full precision (a unit price may carry more digits than its currency has);
rounding to the minor unit happens only when asked for, with :meth:`Money.quantize`.
Arithmetic runs in a private decimal context, so the caller's ``decimal`` settings never
change a result.

>>> from orderbook import Money
>>> price = Money("19.99", "EUR")
>>> price * 3
Money('59.97', 'EUR')
>>> print(sum([price, Money("0.01", "EUR")]))
EUR 20.00
>>> [str(part) for part in Money("100.00", "EUR").split([1, 1, 1])]
['EUR 33.34', 'EUR 33.33', 'EUR 33.33']
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from orderbook.currencies import CURRENCIES
from orderbook.errors import CurrencyMismatch, ValidationError

__all__ = ["Money", "to_decimal"]

# Wide enough that sums and products of realistic amounts are exact; traps make a result
# that would be inexact beyond it fail loudly instead of rounding silently.
_CONTEXT = decimal.Context(
    prec=100,
    rounding=ROUND_HALF_UP,
    Emax=999,
    Emin=-999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_MAX_ADJUSTED_EXPONENT = 30  # amounts below 10**31
_MIN_EXPONENT = -40  # at most 40 decimal places
_FINEST = Decimal(1).scaleb(_MIN_EXPONENT)
# Quantizing to 40 places in this context raises Rounded exactly when a nonzero number has
# more than 40 places: a cheaper test of the exponent than ``as_tuple()``.
_PROBE = decimal.Context(
    prec=200, Emax=999, Emin=-999, traps=[decimal.Rounded, decimal.InvalidOperation]
)
# One minor unit, and zero, in each currency: the steps amounts are rounded to.
_STEPS = {code: Decimal(1).scaleb(-units, _CONTEXT) for code, units in CURRENCIES.items()}
_ZEROS = {code: Decimal(0).scaleb(-units, _CONTEXT) for code, units in CURRENCIES.items()}


def _in_range(value: Decimal) -> bool:
    """Whether a finite Decimal is one :func:`to_decimal` accepts: below 10**31, at most 40
    decimal places."""
    if not value:
        return value.adjusted() >= _MIN_EXPONENT  # a zero's adjusted exponent is its exponent
    if value.adjusted() > _MAX_ADJUSTED_EXPONENT:
        return False
    try:
        value.quantize(_FINEST, None, _PROBE)
    except decimal.Rounded:
        return False
    return True


def to_decimal(value: object, field: str = "amount", *, record: str | None = None) -> Decimal:
    """Convert a ``str``, ``int`` or ``Decimal`` to a finite Decimal.

    Floats are refused (``0.1`` is not exactly one tenth), and so are NaN, infinities,
    booleans and anything that does not read as a number.

    Args:
        value: the value to convert.
        field: the field name the error names.
        record: the record the error names, if any.

    Raises:
        ValidationError: the value is not an exact, finite number.

    >>> to_decimal("12.50")
    Decimal('12.50')
    >>> to_decimal(0.1, "quantity")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: quantity must be a str, int or Decimal, not a float, got 0.1
    """
    if type(value) is Decimal and value.is_finite() and _in_range(value):
        return value  # already exact and in range: the common case, checked cheaply
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        kind = type(value).__name__
        raise ValidationError(
            field, value, f"must be a str, int or Decimal, not a {kind}", record=record
        )
    if isinstance(value, str):
        try:
            if "_" in value:  # Decimal() reads "1_000"; an amount in a file should not
                raise ValueError(value)
            result = Decimal(value.strip())
        except (decimal.InvalidOperation, ValueError):
            reason = "must be a decimal number"
            raise ValidationError(field, value, reason, record=record) from None
    else:
        result = Decimal(value)
    if not result.is_finite():
        raise ValidationError(field, value, "must be a finite number", record=record)
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an int exponent
    if result and result.adjusted() > _MAX_ADJUSTED_EXPONENT:
        raise ValidationError(field, value, "must be below 10**31 in magnitude", record=record)
    if exponent < _MIN_EXPONENT:
        raise ValidationError(field, value, "must have at most 40 decimal places", record=record)
    return result


def _to_amount(value: str | int | Decimal) -> Decimal:
    return to_decimal(value, "amount")


def _to_currency(value: str) -> str:
    if not isinstance(value, str) or value not in CURRENCIES:
        raise ValidationError("currency", value, "must be a known ISO 4217 code such as 'EUR'")
    return value


def _sum(amount: Decimal, currency: str) -> Money:
    """Money from a sum, difference or rounding of valid amounts of ``currency``.

    Such a result has no more decimal places than its operands, so only its magnitude can
    be out of range; then the validating constructor raises the error it always raised.
    """
    if amount and amount.adjusted() > _MAX_ADJUSTED_EXPONENT:
        return Money(amount, currency)
    return _make(amount, currency)


def _product(amount: Decimal, currency: str) -> Money:
    """Money from a product of a valid amount of ``currency``, range-checked cheaply."""
    if _in_range(amount):
        return Money._trusted(amount, currency)
    return Money(amount, currency)  # raises the error a constructor gives


def _split_units(units: int, weights: Sequence[Decimal]) -> list[int]:
    """Share ``units`` (>= 0) in proportion to ``weights`` (>= 0, not all zero), exactly.

    Each share is rounded down, and the units that rounding leaves go, one each, to the shares
    with the largest remainders; ties go to the earlier share. Integer arithmetic only: the
    weights are scaled to whole numbers over a common denominator.
    """
    ratios = [weight.as_integer_ratio() for weight in weights]
    scale = math.lcm(*(denominator for _, denominator in ratios))
    scaled = [numerator * (scale // denominator) for numerator, denominator in ratios]
    total = sum(scaled)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in scaled:
        part, remainder = divmod(units * weight, total)
        parts.append(part)
        remainders.append(remainder)
    left = units - sum(parts)
    if left:
        # Largest remainder first; on equal remainders the earlier part wins.
        by_remainder = sorted(zip([-r for r in remainders], range(len(parts)), strict=True))
        for _, i in by_remainder[:left]:
            parts[i] += 1
    return parts


def _plain(amount: Decimal) -> str:
    """Format without an exponent: ``1E+2`` reads ``100``."""
    return format(amount, "f")


@attrs.frozen(eq=True, order=False, repr=False)
class Money:
    """An exact amount of one currency.

    Args:
        amount: a ``str``, ``int`` or ``Decimal``; never a float.
        currency: an ISO 4217 code from :data:`orderbook.currencies.CURRENCIES`.

    Raises:
        ValidationError: the amount is a float, NaN, infinite or junk, or the currency is
            unknown.

    Two amounts are equal when their currencies and values are: ``Money('1.0', 'EUR')``
    equals ``Money('1.00', 'EUR')``, and amounts of different currencies are never equal.

    >>> Money("12.5", "EUR") == Money("12.50", "EUR")
    True
    >>> Money("1", "EUR") == Money("1", "USD")
    False
    >>> -Money("3", "JPY")
    Money('-3', 'JPY')
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(converter=_to_currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """Build Money from a Decimal known to be in range and a known currency, unchecked.

        Only for results computed from valid Money: the converters would accept the same
        values, so skipping them changes nothing but the time taken.
        """
        money = _new(cls)
        _set_amount(money, amount)
        _set_currency(money, currency)
        return money

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in a currency, quantized to its minor unit.

        >>> Money.zero("EUR")
        Money('0.00', 'EUR')
        """
        return cls._trusted(_ZEROS[_to_currency(currency)], currency)

    @property
    def minor_units(self) -> int:
        """The digits of this currency's minor unit (2 for EUR, 0 for JPY)."""
        return CURRENCIES[self.currency]

    def quantize(self, rounding: str = ROUND_HALF_UP) -> Money:
        """Round to the currency's minor unit.

        Args:
            rounding: a :mod:`decimal` rounding mode; half up by default.

        >>> Money("2.345", "EUR").quantize()
        Money('2.35', 'EUR')
        >>> from decimal import ROUND_HALF_EVEN
        >>> Money("2.345", "EUR").quantize(ROUND_HALF_EVEN)
        Money('2.34', 'EUR')
        >>> Money("1499.5", "JPY").quantize()
        Money('1500', 'JPY')
        """
        try:
            rounded = self.amount.quantize(_STEPS[self.currency], rounding, _CONTEXT)
        except (TypeError, decimal.InvalidOperation):
            raise ValidationError(
                "rounding", rounding, "must be a decimal rounding mode such as ROUND_HALF_UP"
            ) from None
        return _sum(rounded, self.currency)

    @property
    def is_quantized(self) -> bool:
        """Whether the amount has no more digits than the currency's minor unit."""
        return self.amount == self.amount.quantize(_STEPS[self.currency], None, _CONTEXT)

    def split(self, weights: Sequence[int | Decimal]) -> tuple[Money, ...]:
        """Split into parts proportional to ``weights`` that sum exactly to this amount.

        Each part is quantized to the minor unit. The cents that proportional rounding would
        lose go, one each, to the parts with the largest remainders; ties go to the earlier
        part, so the result is deterministic. This is how partial invoices, instalments and
        recurring periods stay cent-exact.

        Args:
            weights: non-negative ``int`` or ``Decimal`` weights, at least one above zero.

        Raises:
            ValidationError: the weights are empty, negative, all zero or not exact numbers,
                or this amount has more digits than its currency (quantize it first).

        >>> Money("145.05", "EUR").split([Decimal("0.3"), Decimal("0.7")])
        (Money('43.52', 'EUR'), Money('101.53', 'EUR'))
        >>> Money("10", "JPY").split([1, 1, 1])
        (Money('4', 'JPY'), Money('3', 'JPY'), Money('3', 'JPY'))
        """
        if isinstance(weights, str | bytes) or not isinstance(weights, Sequence):
            raise ValidationError("weights", weights, "must be a sequence of numbers")
        if not weights:
            raise ValidationError("weights", weights, "must not be empty")
        exact = [to_decimal(w, f"weights[{i}]") for i, w in enumerate(weights)]
        if any(w < 0 for w in exact):
            raise ValidationError("weights", weights, "must not be negative")
        total_weight = sum(exact, Decimal(0))
        if not total_weight:
            raise ValidationError("weights", weights, "must not all be zero")
        if not self.is_quantized:
            raise ValidationError(
                "amount", self.amount, f"must be in whole minor units of {self.currency} to split"
            )
        units = int(self.amount.scaleb(self.minor_units, context=_CONTEXT))
        sign, units = (-1 if units < 0 else 1), abs(units)
        places = -self.minor_units
        # Every part is at most the whole, so it is in range like the whole.
        return tuple(
            Money._trusted(Decimal(sign * part).scaleb(places), self.currency)
            for part in _split_units(units, exact)
        )

    # -- arithmetic --------------------------------------------------------------------------

    def _same(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise ValidationError(
                "other", other, f"must be Money to {operation} Money", record=repr(self)
            )
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same(other, "add to")
        return _sum(_CONTEXT.add(self.amount, other.amount), self.currency)

    def __radd__(self, other: int) -> Money:
        # sum() starts from the int 0; 0 + money is the money itself.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return self._same(other, "add to")  # raises: other is not Money

    def __sub__(self, other: Money) -> Money:
        other = self._same(other, "subtract from")
        return _sum(_CONTEXT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(_CONTEXT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(_CONTEXT.abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            raise ValidationError(
                "factor", factor, "must be an int or Decimal to multiply Money", record=repr(self)
            )
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise ValidationError("factor", factor, "must be finite", record=repr(self))
        try:
            product = _CONTEXT.multiply(self.amount, Decimal(factor))
        except decimal.Overflow:  # beyond even the context's range, let alone Money's
            reason = "must keep the amount below 10**31 in magnitude"
            raise ValidationError("factor", factor, reason, record=repr(self)) from None
        return _product(product, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare with").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare with").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare with").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare with").amount

    # -- display -----------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"Money({_plain(self.amount)!r}, {self.currency!r})"

    def __str__(self) -> str:
        shown = self.amount
        if self.is_quantized:  # pad to the minor unit, never round
            shown = shown.quantize(_STEPS[self.currency], None, _CONTEXT)
        return f"{self.currency} {_plain(shown)}"


# The slots' own setters: they bypass the frozen class's __setattr__, as attrs' __init__ does.
_new = object.__new__
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def _make(amount: Decimal, currency: str) -> Money:
    """:meth:`Money._trusted` as a plain function, for the hottest loops."""
    money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money
