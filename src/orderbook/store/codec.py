"""Records to plain rows and back, exactly: the one place that knows how records are stored.

A plain row is what JSON can hold: ``None``, ``bool``, ``int``, ``str``, lists and dicts with
``str`` keys. Decimals become their exact text (``"12.50"`` stays ``"12.50"``), money becomes
``{"amount": ..., "currency": ...}``, dates and moments their ISO 8601 text (a moment keeps its
UTC offset), enums their value and nested values (lines, addresses) nested rows. The model
knows nothing of this; the mapping is read from the records' own field types.

>>> from orderbook import Money, Product
>>> row = encode(Product(sku="TEA", list_price=Money("4.50", "EUR")))
>>> row["list_price"], row["kind"], row["version"]
({'amount': '4.50', 'currency': 'EUR'}, 'goods', 0)
>>> decode(Product, row) == Product(sku="TEA", list_price=Money("4.50", "EUR"))
True
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar, Union, cast

import attrs

from orderbook.errors import OrderbookError, describe
from orderbook.money import Money, to_decimal

__all__ = [
    "JsonValue",
    "Row",
    "canonical_json",
    "decode",
    "encode",
    "microseconds",
]

JsonValue: TypeAlias = bool | int | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A value JSON holds exactly (floats left out: exact numbers travel as text)."""

Row: TypeAlias = dict[str, JsonValue]
"""A record, or an event, as plain data."""

T = TypeVar("T")

_EPOCH = dt.datetime(1970, 1, 1)
_MICROSECOND = dt.timedelta(microseconds=1)


def encode(record: object) -> Row:
    """Return a record (any attrs value of the model) as a plain row, version included.

    >>> from orderbook import Lot
    >>> encode(Lot(id="l1", sku="TEA", quantity="1E+3"))["quantity"]
    '1E+3'
    """
    return _encode_record(record)


# The field names of each kind of record, in order.
_NAMES: dict[type[object], tuple[str, ...]] = {}


def _encode_record(record: object) -> Row:
    names = _NAMES.get(type(record))
    if names is None:
        if not attrs.has(type(record)):
            raise _not_a_record(type(record))
        names = _NAMES[type(record)] = tuple(field.name for field in _fields(type(record)))
    return {name: _encode(getattr(record, name)) for name in names}


def _not_a_record(kind: type[object]) -> OrderbookError:
    return OrderbookError(f"cannot store a {kind.__name__}: it is not a record")


def _encode(value: object) -> JsonValue:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # type: ignore[return-value]
    if kind is Decimal:
        return str(value)
    if kind is Money:
        assert isinstance(value, Money)
        return {"amount": str(value.amount), "currency": value.currency}
    if kind is tuple:
        assert isinstance(value, tuple)
        return [_encode(item) for item in value]
    if kind in _NAMES:
        return _encode_record(value)
    return _encode_other(value)


def _encode_other(value: object) -> JsonValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str
        return _encode(value.value)
    if isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, dt.date):  # a datetime too: isoformat keeps its offset
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if attrs.has(type(value)):
        return _encode_record(value)
    raise OrderbookError(f"cannot store a {type(value).__name__}: {describe(value)}")


def decode(kind: type[T], row: Row) -> T:
    """Build a record of ``kind`` from a plain row made by :func:`encode`.

    Fields missing from the row take their defaults, so rows written before a field existed
    still read. The record is built by its own constructor, so its validators check every
    value: a stored row that is not a valid record is refused.

    Raises:
        OrderbookError: the row does not describe a valid record of that kind.

    >>> from orderbook import Lot
    >>> decode(Lot, {"id": "l1", "sku": "TEA", "quantity": "2.50"}).quantity
    Decimal('2.50')
    >>> decode(Lot, {"id": "l1", "sku": "TEA", "colour": "red"})
    Traceback (most recent call last):
    ...
    orderbook.errors.OrderbookError: stored lot row 'l1' cannot be read: unknown field 'colour'
    """
    try:
        return _build(kind, row)
    except _UNREADABLE as error:
        reason = str(error) or type(error).__name__
        raise OrderbookError(
            f"stored {_label(kind)} row {describe(_row_id(row))} cannot be read: {reason}",
            kind=_label(kind),
            reason=reason,
        ) from None


# What a row that is not a valid record may make a constructor raise, whatever the row holds.
_UNREADABLE = (
    OrderbookError,
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    ArithmeticError,
    RecursionError,
)


def _label(kind: type[object]) -> str:
    name = kind.__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _row_id(row: object) -> object:
    if isinstance(row, dict):
        return row.get("id", row.get("sku"))
    return None


def _fields(kind: type[object]) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(attrs.fields(cast("type[attrs.AttrsInstance]", kind)))


# How to read one field's stored value: None (as it is: str, int, bool and enum values, which
# the record's own validators and converters check), or a function of the value and the
# field's name (for the error).
_Reader = Callable[[JsonValue, str], object] | None

# Each kind's plan, made once from its field types: the reader of each field, by name.
_PLANS: dict[type[object], dict[str, _Reader]] = {}


def _build(kind: type[T], row: object) -> T:
    if not isinstance(row, dict):
        raise ValueError(f"expected an object, got {describe(row)}")
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _plan(kind)
    if not row.keys() <= plan.keys():
        raise ValueError(f"unknown field {sorted(set(row) - set(plan))[0]!r}")
    values = {}
    for name, value in row.items():
        reader = plan[name]
        values[name] = value if reader is None else reader(value, name)
    return kind(**values)


def _plan(kind: type[object]) -> dict[str, _Reader]:
    names = {field.name for field in _fields(kind)}
    hints = typing.get_type_hints(kind)
    plan = {name: _reader(hint) for name, hint in hints.items() if name in names}
    _PLANS[kind] = plan
    return plan


def _reader(hint: Any) -> _Reader:
    """The reader of a field of type ``hint``: the introspection happens here, once."""
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        inner = _reader(options[0])
        if inner is None:
            return None
        return lambda value, field: None if value is None else inner(value, field)
    if origin is tuple:
        return _tuple_reader(_reader(typing.get_args(hint)[0]))
    if hint is Decimal:
        return to_decimal
    if hint is Money:
        return _money
    if hint is dt.datetime:
        return lambda value, field: dt.datetime.fromisoformat(_text(value, field))
    if hint is dt.date:
        return lambda value, field: dt.date.fromisoformat(_text(value, field))
    if isinstance(hint, type) and attrs.has(hint):
        return lambda value, field: _build(hint, value)
    return None


def _tuple_reader(item: _Reader) -> _Reader:
    def read(value: JsonValue, field: str) -> object:
        if not isinstance(value, list):
            raise ValueError(f"{field} must be a list, got {describe(value)}")
        if item is None:
            return tuple(value)
        try:
            return tuple([item(v, field) for v in value])
        except (OrderbookError, ValueError, TypeError):
            # again, one by one, so the error names the item: "lines[2]"
            return tuple(item(v, f"{field}[{i}]") for i, v in enumerate(value))

    return read


def _money(value: JsonValue, field: str) -> Money:
    if not isinstance(value, dict):
        raise ValueError(f"{field} must be an amount and a currency, got {describe(value)}")
    return Money(to_decimal(value.get("amount"), field), _text(value.get("currency"), field))


def _text(value: JsonValue, field: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {describe(value)}")
    return value


def canonical_json(value: JsonValue) -> str:
    """Return the one JSON text of a plain value: sorted keys, no spaces, no floats.

    >>> canonical_json({"b": [1, "2"], "a": None})
    '{"a":null,"b":[1,"2"]}'
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def microseconds(moment: dt.datetime) -> int:
    """Return an aware moment as microseconds since 1970-01-01 UTC, for ordering in SQL.

    >>> microseconds(dt.datetime(1970, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    0
    """
    offset = moment.utcoffset()
    assert offset is not None, "an aware datetime"
    return ((moment.replace(tzinfo=None) - _EPOCH) - offset) // _MICROSECOND
