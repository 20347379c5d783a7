"""One codec for every kind of event: its JSON written and read from the class's own fields.

Each field is written under its name, by its type: text, numbers and flags as they are, a
``Decimal`` or ``Money`` as its text, a date in ISO form, a tuple as a list, a mapping as an
object, a nested value (:class:`~orderbook.events.Change`) as an object of its fields. An
optional field that is None is left out, unless it is one the event always states
(:data:`~orderbook.events.base.KEEP_NONE`). Reading an event never fails: a kind this version
does not know, or data that does not fit its kind's fields, reads as an
:class:`~orderbook.events.UnknownEvent`.

>>> from decimal import Decimal
>>> from orderbook.events import Forfeited
>>> to_json(Forfeited(line_id="l1", quantity=Decimal("2.5")))
{'changes': [], 'line_id': 'l1', 'quantity': '2.5'}
>>> from_json("Forfeited", {"changes": [], "line_id": "l1", "quantity": "2.5"})
Forfeited(changes=(), by=None, line_id='l1', quantity=Decimal('2.5'))
>>> from_json("Noted", {"text": "called the customer"})
UnknownEvent(kind='Noted', data={'text': 'called the customer'})
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from orderbook.errors import OrderbookError, ValidationError
from orderbook.events import kinds
from orderbook.events.base import KEEP_NONE, Event, EventKind, UnknownEvent
from orderbook.money import Money
from orderbook.store.codec import JsonValue

__all__ = ["EVENT_CLASSES", "details", "from_json", "to_json"]

EVENT_CLASSES: Mapping[str, type[Event]] = {
    cls.kind.value: cls
    for cls in vars(kinds).values()
    if isinstance(cls, type) and issubclass(cls, Event) and cls is not Event
}
"""The class of each kind of event, by the kind's name."""

assert set(EVENT_CLASSES) == {kind.value for kind in EventKind}, "a kind without its class"


class _Misfit(Exception):
    """The data does not fit the fields of its kind."""


Write = Callable[[Any], JsonValue]
Read = Callable[[JsonValue], Any]
_MISSING = object()


@attrs.frozen
class _Field:
    name: str
    write: Write
    read: Read
    keep_none: bool
    default: object


def _same(value: Any) -> Any:
    return value


def _checked(kind: type) -> Read:
    def read(value: JsonValue) -> Any:
        if type(value) is not kind:  # a bool is not an int here
            raise _Misfit
        return value

    return read


def _read_decimal(value: JsonValue) -> Decimal:
    if not isinstance(value, str):
        raise _Misfit
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _Misfit from None


def _read_date(value: JsonValue) -> dt.date:
    if not isinstance(value, str):
        raise _Misfit
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Misfit from None


def _read_money(value: JsonValue) -> Money:
    if not isinstance(value, str) or value.count(" ") != 1:
        raise _Misfit
    currency, amount = value.split(" ")
    try:
        return Money(amount, currency)
    except OrderbookError:
        raise _Misfit from None


def _read_object(value: JsonValue) -> dict[str, JsonValue]:
    if not isinstance(value, dict):
        raise _Misfit
    return value


_SIMPLE: dict[object, tuple[Write, Read]] = {
    str: (_same, _checked(str)),
    int: (_same, _checked(int)),
    bool: (_same, _checked(bool)),
    Decimal: (str, _read_decimal),
    dt.date: (dt.date.isoformat, _read_date),
    Money: (str, _read_money),
}
_JSON_OBJECT = (_same, _read_object)
_JSON_OBJECT_TYPES = frozenset({"Row", "dict[str, JsonValue]"})  # as annotated: kept as is


def _optional(write: Write, read: Read) -> tuple[Write, Read]:
    return (
        lambda value: None if value is None else write(value),
        lambda value: None if value is None else read(value),
    )


def _sequence(write: Write, read: Read) -> tuple[Write, Read]:
    def read_all(value: JsonValue) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Misfit
        return tuple(map(read, value))

    return (lambda value: [write(item) for item in value], read_all)


def _mapping(write: Write, read: Read) -> tuple[Write, Read]:
    def read_all(value: JsonValue) -> dict[str, Any]:
        return {key: read(item) for key, item in _read_object(value).items()}

    return (lambda value: {key: write(item) for key, item in value.items()}, read_all)


def _nested(cls: type) -> tuple[Write, Read]:
    fields = _fields(cls)
    return (lambda value: _write(fields, value), lambda value: _read(cls, fields, value))


def _codec(hint: Any) -> tuple[Write, Read]:
    """How a field of this type is written and read."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return _optional(*_codec(inner))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(*_codec(args[0]))
    if origin in (dict, Mapping) and args[0] is str:
        return _mapping(*_codec(args[1]))
    if attrs.has(hint):
        return _nested(hint)
    raise TypeError(f"no codec for a field of type {hint!r}")  # a mistake in a class


def _fields(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for field in attrs.fields(cls):
        as_is = field.type in _JSON_OBJECT_TYPES
        write, read = _JSON_OBJECT if as_is else _codec(hints[field.name])
        default = _MISSING if field.default is attrs.NOTHING else field.default
        keep = bool(field.metadata.get(KEEP_NONE))
        found.append(_Field(field.name, write, read, keep, default))
    return tuple(found)


def _write(fields: tuple[_Field, ...], value: Any) -> dict[str, JsonValue]:
    data: dict[str, JsonValue] = {}
    for field in fields:
        item = getattr(value, field.name)
        if item is not None or field.keep_none:
            data[field.name] = field.write(item)
    return data


def _read(cls: type, fields: tuple[_Field, ...], data: object) -> Any:
    if not isinstance(data, Mapping):
        raise _Misfit
    values = {}
    for field in fields:
        item = data.get(field.name, _MISSING)
        if item is _MISSING:
            if field.default is _MISSING:
                raise _Misfit
            continue
        values[field.name] = field.read(item)
    try:
        return cls(**values)
    except (OrderbookError, ValueError, TypeError):  # a nested value's own checks
        raise _Misfit from None


_SPECS: dict[type, tuple[_Field, ...]] = {cls: _fields(cls) for cls in EVENT_CLASSES.values()}
_DETAILS = {
    cls: tuple(field for field in spec if field.name != "changes") for cls, spec in _SPECS.items()
}


def to_json(event: Event | UnknownEvent) -> dict[str, JsonValue]:
    """The data of an event as the store keeps it: every field by its name, ``changes``
    included (an unknown event's data as it came).

    Raises:
        ValidationError: ``event`` is not an event of the book's kinds nor an UnknownEvent.
    """
    if isinstance(event, UnknownEvent):
        return dict(event.data)
    return _write(_SPECS[_class_of(event)], event)


def details(event: Event) -> dict[str, JsonValue]:
    """The data of an event without its ``changes``: what the book writes beside the
    changes it composes as text (:func:`orderbook.store.event_json`).

    Raises:
        ValidationError: ``event`` is not an event of the book's kinds.
    """
    return _write(_DETAILS[_class_of(event)], event)


def _class_of(event: object) -> type[Event]:
    cls = type(event)
    if cls not in _SPECS:
        raise ValidationError("event", event, "must be an event of one of the EventKind kinds")
    return cls  # type: ignore[return-value]


def from_json(kind: str, data: Mapping[str, JsonValue]) -> Event | UnknownEvent:
    """The typed value of an event's data, or :class:`UnknownEvent` where its kind is not
    one of :class:`EventKind` or its data does not fit the kind's fields. Keys the kind does
    not name are passed over.

    Raises:
        ValidationError: ``kind`` is not a str, or ``data`` not a mapping.
    """
    if not isinstance(kind, str):
        raise ValidationError("kind", kind, "must be the str an event was stored under")
    if not isinstance(data, Mapping):
        raise ValidationError("data", data, "must be a mapping of str to JSON values")
    cls = EVENT_CLASSES.get(kind)
    if cls is not None:
        try:
            event: Event = _read(cls, _SPECS[cls], data)
        except (_Misfit, RecursionError):
            pass
        else:
            return event
    return UnknownEvent(kind=kind, data=data)
