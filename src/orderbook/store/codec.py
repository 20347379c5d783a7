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
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar, Union, cast

import attrs

from orderbook.errors import OrderbookError
from orderbook.money import Money, to_decimal

__all__ = ["JsonValue", "Row", "canonical_json", "decode", "encode", "microseconds"]

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
    if not attrs.has(type(record)):
        raise OrderbookError(f"cannot store a {type(record).__name__}: it is not a record")
    return {field.name: _encode(getattr(record, field.name)) for field in _fields(type(record))}


def _encode(value: object) -> JsonValue:
    if value is None or isinstance(value, bool):
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
        return encode(value)
    raise OrderbookError(f"cannot store a {type(value).__name__}: {value!r}")


def decode(kind: type[T], row: Row) -> T:
    """Build a record of ``kind`` from a plain row made by :func:`encode`.

    Fields missing from the row take their defaults, so rows written before a field existed
    still read.

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
    except (OrderbookError, ValueError, TypeError) as error:
        reason = str(error)
        raise OrderbookError(
            f"stored {_label(kind)} row {_row_id(row)!r} cannot be read: {reason}"
        ) from None


def _label(kind: type[object]) -> str:
    name = kind.__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _row_id(row: object) -> object:
    if isinstance(row, dict):
        return row.get("id", row.get("sku"))
    return None


def _build(kind: type[T], row: object) -> T:
    if not isinstance(row, dict):
        raise ValueError(f"expected an object, got {row!r}")
    hints = _hints(kind)
    unknown = sorted(set(row) - set(hints))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    values = {name: _decode(hints[name], value, name) for name, value in row.items()}
    return kind(**values)


def _fields(kind: type[object]) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(attrs.fields(cast("type[attrs.AttrsInstance]", kind)))


_HINTS: dict[type[object], dict[str, Any]] = {}


def _hints(kind: type[object]) -> dict[str, Any]:
    if kind not in _HINTS:
        names = {field.name for field in _fields(kind)}
        hints = typing.get_type_hints(kind)
        _HINTS[kind] = {name: hint for name, hint in hints.items() if name in names}
    return _HINTS[kind]


def _decode(hint: Any, value: JsonValue, field: str) -> object:
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            return None
        return _decode(options[0], value, field)
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{field} must be a list, got {value!r}")
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v, f"{field}[{i}]") for i, v in enumerate(value))
    if hint is Decimal:
        return to_decimal(value, field)
    if hint is Money:
        if not isinstance(value, dict):
            raise ValueError(f"{field} must be an amount and a currency, got {value!r}")
        return Money(to_decimal(value.get("amount"), field), _text(value.get("currency"), field))
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(_text(value, field))
    if hint is dt.date:
        return dt.date.fromisoformat(_text(value, field))
    if isinstance(hint, type) and attrs.has(hint):
        return _build(hint, value)
    return value  # str, int, bool and enum values: the record's own validators check them


def _text(value: JsonValue, field: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {value!r}")
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
