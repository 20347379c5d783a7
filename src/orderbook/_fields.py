"""Converters and validators shared by the value objects.

attrs runs converters before it knows which record a value belongs to, so a converter never
raises: on bad input it returns an :class:`Invalid` marker, and the field's validator (which
knows the record, the field and the value) raises the :class:`ValidationError`. Every field
with a converter therefore lists a validator from here, and every validator starts by
rejecting the marker.

Three limits hold for every store alike, so a value one store accepts no other refuses:

- Text is Unicode that UTF-8 can encode: a lone surrogate (``"\\ud800"``) is refused.
- Ids and the texts the stores index (fields named ``id``, ``sku``, ``status``,
  ``supersedes`` or ending in ``_id``) are at most :data:`MAX_KEY_BYTES` bytes in UTF-8, so
  the widest index entry, an allocation's ``(order_id, line_id, id)``, fits PostgreSQL's
  limit of 2704 bytes.
- Ints are 64-bit signed, as SQL's integers are: from :data:`MIN_INTEGER` to
  :data:`MAX_INTEGER`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

from orderbook.currencies import CURRENCIES
from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.money import Money, to_decimal

MAX_KEY_BYTES = 512
"""The most bytes (in UTF-8) of an id or an indexed text: three of them, with PostgreSQL's
overhead, stay well within the 2704 bytes of one btree index entry."""

MAX_INTEGER = 2**63 - 1
"""The largest int a record holds: SQLite's and PostgreSQL's integers are 64-bit signed."""

MIN_INTEGER = -(2**63)
"""The smallest int a record holds."""

# The fields the stores index, besides ids: checked against MAX_KEY_BYTES.
_KEY_FIELDS = frozenset({"id", "sku", "status", "supersedes"})

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@attrs.frozen
class Invalid:
    """What a converter returns in place of a value it could not convert."""

    value: object
    reason: str


def record_label(instance: object) -> str:
    """Name a record for an error message: ``OrderLine 'l1'``."""
    ident = getattr(instance, "id", None) or getattr(instance, "sku", None)
    name = type(instance).__name__
    return f"{name} {ident!r}" if isinstance(ident, str) and ident else name


def fail(instance: object, field: str, value: object, reason: str) -> ValidationError:
    """Build the error for a bad field of a record."""
    return ValidationError(field, value, reason, record=record_label(instance))


# -- converters: never raise, return Invalid instead ------------------------------------------


def decimal(value: str | int | Decimal) -> Decimal:
    try:
        return to_decimal(value)
    except ValidationError as error:
        return cast(Decimal, Invalid(value, error.reason))


def optional_decimal(value: str | int | Decimal | None) -> Decimal | None:
    return None if value is None else decimal(value)


def to_enum(kind: type[E], value: object) -> E:
    """Accept an enum member or its value (``"on_hand"`` for ``LotSource.ON_HAND``)."""
    if isinstance(value, kind):
        return value
    for member in kind:
        if member.value == value:
            return member
    choices = ", ".join(repr(m.value) for m in kind)
    return cast(E, Invalid(value, f"must be one of {choices}"))


def to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    """Freeze an iterable into a tuple; a str, a mapping or a non-iterable is refused."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return cast(tuple[T, ...], Invalid(value, "must be a list or tuple"))
    return tuple(value)


# -- validators: (instance, attribute, value) -> None, raising ValidationError ----------------


def _check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, Invalid):
        raise fail(instance, attribute.name, value.value, value.reason)


def valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Only check that the converter accepted the value (enum members, for one)."""
    _check(instance, attribute, value)


def is_key(name: str) -> bool:
    """Whether a field of that name holds an id or an indexed text (see the module's doc)."""
    return name in _KEY_FIELDS or name.endswith("_id")


def text_problem(value: str, *, key: bool = False) -> str | None:
    """What is wrong with a str no store could keep, or None: a lone surrogate (which UTF-8
    cannot encode), or, for a key, more than :data:`MAX_KEY_BYTES` bytes.

    >>> text_problem("caf\\udce9")
    'must be valid Unicode (it holds a lone surrogate)'
    >>> text_problem("x" * 600, key=True)
    'must be at most 512 bytes in UTF-8 (it is 600)'
    """
    if value.isascii():  # the common case: no surrogate, one byte a character
        size = len(value)
    else:
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError:
            return "must be valid Unicode (it holds a lone surrogate)"
    if key and size > MAX_KEY_BYTES:
        return f"must be at most {MAX_KEY_BYTES} bytes in UTF-8 (it is {size})"
    return None


def _check_text(instance: object, name: str, value: str) -> None:
    problem = text_problem(value, key=is_key(name))
    if problem is not None:
        raise fail(instance, name, value, problem)


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A str, possibly empty."""
    if not isinstance(value, str):
        raise fail(instance, attribute.name, value, "must be a str")
    _check_text(instance, attribute.name, value)


def required_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A str with something other than spaces in it."""
    if not isinstance(value, str) or not value.strip():
        raise fail(instance, attribute.name, value, "must be a non-empty str")
    _check_text(instance, attribute.name, value)


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """None, or a non-empty str."""
    if value is not None:
        required_text(instance, attribute, value)


def currency(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A known ISO 4217 code."""
    if not isinstance(value, str) or value not in CURRENCIES:
        raise fail(instance, attribute.name, value, "must be a known ISO 4217 code such as 'EUR'")


def positive(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """A Decimal above zero."""
    _check(instance, attribute, value)
    if value <= 0:
        raise fail(instance, attribute.name, value, "must be greater than 0")


def non_negative(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """A Decimal at or above zero."""
    _check(instance, attribute, value)
    if value < 0:
        raise fail(instance, attribute.name, value, "must not be negative")


def optional_non_negative(
    instance: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None:
        non_negative(instance, attribute, value)


def fraction(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """A Decimal from 0 to 1: 0.2 means 20%."""
    _check(instance, attribute, value)
    if not 0 <= value <= 1:
        raise fail(instance, attribute.name, value, "must be a fraction from 0 to 1")


def integer(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An int that SQL's 64-bit integers hold."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(instance, attribute.name, value, "must be an int")
    if not MIN_INTEGER <= value <= MAX_INTEGER:
        raise fail(instance, attribute.name, value, "must be from -2**63 to 2**63 - 1")


def optional_integer(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        integer(instance, attribute, value)


def non_negative_integer(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    integer(instance, attribute, value)
    assert isinstance(value, int)
    if value < 0:
        raise fail(instance, attribute.name, value, "must not be negative")


def boolean(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise fail(instance, attribute.name, value, "must be True or False")


def date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A :class:`datetime.date` that is not a datetime (a day, not a moment)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise fail(instance, attribute.name, value, "must be a datetime.date")


def optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        date(instance, attribute, value)


def moment(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A timezone-aware :class:`datetime.datetime`, so moments always compare."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise fail(instance, attribute.name, value, "must be a timezone-aware datetime")


def optional_moment(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        moment(instance, attribute, value)


def money(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise fail(instance, attribute.name, value, "must be Money")


def optional_money(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        money(instance, attribute, value)


def instance_of(kind: type[Any], *, optional: bool = False) -> Validator:
    """A value of one type (or None when ``optional``)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kind):
            raise fail(instance, attribute.name, value, f"must be a {kind.__name__}")

    return check


def tuple_of(kind: type[Any]) -> Validator:
    """A tuple (converted by :func:`to_tuple`) whose items are all of one type."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        _check(instance, attribute, value)
        assert isinstance(value, tuple)
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise fail(
                    instance, f"{attribute.name}[{index}]", item, f"must be a {kind.__name__}"
                )
            if isinstance(item, str):
                _check_text(instance, f"{attribute.name}[{index}]", item)

    return check


def unique_ids(instance: object, field: str, items: tuple[Any, ...]) -> None:
    """Refuse two items of a collection that share an id."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise fail(instance, f"{field}[{index}].id", item.id, "must be unique in the record")
        seen.add(item.id)


def same_currency(
    instance: object, expected: str, amounts: Iterable[tuple[str, Money | None]]
) -> None:
    """Refuse an amount whose currency is not the record's, naming the field."""
    for field, amount in amounts:
        if amount is not None and amount.currency != expected:
            raise CurrencyMismatch(
                expected, amount.currency, field=field, record=record_label(instance)
            )


def check_lines(instance: object, currency: str, lines: tuple[Any, ...], price: str) -> None:
    """Refuse a document's lines that share an id or are priced in another currency."""
    unique_ids(instance, "lines", lines)
    same_currency(
        instance,
        currency,
        ((f"lines[{i}].{price}", getattr(line, price)) for i, line in enumerate(lines)),
    )
