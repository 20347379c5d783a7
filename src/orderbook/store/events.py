"""The envelope of an event in a store's append-only log.

The book appends one event per fact it records (an order placed, a lot allocated) in the same
transaction as the records it changes. The store numbers events 1, 2, 3, ... in the order they
were appended and keeps their data as canonical JSON, so an event reads back exactly as it was
written, whichever store holds it.

>>> import datetime as dt
>>> from orderbook.store import MemoryStore
>>> store = MemoryStore()
>>> at = dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC)
>>> event = store.append_event("OrderPlaced", at=at, order_id="o1", data={"lines": 2})
>>> event.sequence, event.kind, event.data
(1, 'OrderPlaced', {'lines': 2})
>>> store.events(order_id="o1") == (event,)
True
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from orderbook import _fields as f
from orderbook.errors import ValidationError
from orderbook.store.codec import JsonValue, Row, canonical_json

if TYPE_CHECKING:
    from orderbook.events import Event, UnknownEvent

__all__ = [
    "StoredEvent",
    "event_data",
    "is_encodable",
    "json_text",
    "read_event_data",
    "read_json",
]


@attrs.frozen(kw_only=True)
class StoredEvent:
    """One event as a store keeps it.

    Args:
        sequence: its place in the log, from 1, in the order events were appended.
        kind: what happened, in the past tense: ``"OrderPlaced"``.
        order_id: the order it concerns, if any.
        at: when it happened, a timezone-aware datetime.
        data: the event's details, JSON values only.
    """

    sequence: int = attrs.field(validator=f.non_negative_integer)
    kind: str = attrs.field(validator=f.required_text)
    order_id: str | None = attrs.field(validator=f.optional_text)
    at: dt.datetime = attrs.field(validator=f.moment)
    data: Mapping[str, JsonValue] = attrs.field(hash=False)

    @functools.cached_property
    def event(self) -> Event | UnknownEvent:
        """The event as its typed value (:mod:`orderbook.events`), read from its data on
        first access and kept: an event of a kind the book does not write reads as
        :class:`~orderbook.events.UnknownEvent`, never an error. The value kept is no part
        of the event's equality or hash, which stay those of its fields.

        >>> import datetime as dt
        >>> at = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
        >>> data = {"changes": [], "quote_id": "q1"}
        >>> StoredEvent(sequence=1, kind="QuoteSaved", order_id=None, at=at, data=data).event
        QuoteSaved(changes=(), by=None, quote_id='q1')
        """
        from orderbook.events.codec import from_json  # the events read the store, not back

        return from_json(self.kind, self.data)

    def to_row(self) -> Row:
        """Return the event as a plain row, the form :meth:`Store.dump` lists it in.

        >>> import datetime as dt
        >>> at = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
        >>> StoredEvent(sequence=1, kind="OrderPlaced", order_id=None, at=at, data={}).to_row()
        {'sequence': 1, 'kind': 'OrderPlaced', 'order_id': None,
         'at': '2027-01-04T00:00:00+00:00', 'data': {}}
        """
        return {
            "sequence": self.sequence,
            "kind": self.kind,
            "order_id": self.order_id,
            "at": self.at.isoformat(),
            "data": dict(self.data),
        }


def event_data(data: Mapping[str, JsonValue] | None) -> str:
    """Check an event's data and return its canonical JSON text.

    Values may be ``None``, ``bool``, ``int``, ``str``, lists (or tuples) and dicts with
    ``str`` keys. Floats are refused: an exact number travels as text (``"12.50"``).

    Raises:
        ValidationError: naming the first value JSON cannot hold exactly.

    >>> event_data({"qty": "2.5", "lots": ("a", "b")})
    '{"lots":["a","b"],"qty":"2.5"}'
    >>> event_data({"qty": 2.5})
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: data['qty'] must be None, a bool, int, str, list or dict
    (write exact numbers as str), got 2.5
    """
    if data is None:
        return "{}"
    if not isinstance(data, Mapping):
        raise ValidationError("data", data, "must be a mapping of str to JSON values")
    return json_text(data, name="data")


def json_text(value: object, *, name: str) -> str:
    """Check a plain JSON value of any kind and return its canonical JSON text.

    The values allowed are those of :func:`event_data`, at the top as well as inside.

    Args:
        value: the value to check.
        name: the argument's name, which an error gives (with the path to the part refused).

    Raises:
        ValidationError: naming the first part JSON cannot hold exactly.

    >>> json_text(["a", ("b", 2), None], name="value")
    '["a",["b",2],null]'
    >>> json_text({"rate": 0.2}, name="value")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: value['rate'] must be None, a bool, int, str, list or dict
    (write exact numbers as str), got 0.2
    """
    try:
        plain = _plain(value, name)
    except RecursionError:
        raise ValidationError(name, value, "must not be nested so deeply") from None
    try:
        return canonical_json(plain)
    except RecursionError:
        raise ValidationError(name, value, "must not be nested so deeply") from None
    except ValueError:  # every value is plain now: only an int too long for text is left
        reason = "must hold no int too long to write as text (sys.get_int_max_str_digits())"
        raise ValidationError(name, value, reason) from None


def is_encodable(text: str) -> bool:
    """Whether UTF-8 encodes a text: it holds no lone surrogate, so every store can keep it."""
    return text.isascii() or f.text_problem(text) is None


def _plain(value: object, path: str) -> JsonValue:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        problem = f.text_problem(value)
        if problem is not None:
            raise ValidationError(path, value, problem)
        return str(value)  # a StrEnum member becomes its plain value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        plain: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not is_encodable(key):
                raise ValidationError(f"{path} key", key, "must be a str of valid Unicode")
            plain[key] = _plain(item, f"{path}[{key!r}]")
        return plain
    reason = "must be None, a bool, int, str, list or dict (write exact numbers as str)"
    raise ValidationError(path, value, reason)


def read_event_data(text: str, *, field: str = "text") -> dict[str, JsonValue]:
    """Read back data written by :func:`event_data`: a fresh dict each time.

    Args:
        text: the JSON text.
        field: the name the error gives the text.

    Raises:
        ValidationError: the text is not what :func:`event_data` writes: not a JSON object,
            or not what :func:`read_json` reads.

    >>> read_event_data('{"lots":["a","b"]}')
    {'lots': ['a', 'b']}
    >>> read_event_data("[]")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: text must be a JSON object, got '[]'
    """
    data = read_json(text, field=field)
    if not isinstance(data, dict):
        raise ValidationError(field, text, "must be a JSON object")
    return data


def read_json(text: object, *, field: str = "text") -> JsonValue:
    """Read back a value written by :func:`json_text`: a fresh value each time.

    Args:
        text: the JSON text.
        field: the name the error gives the text.

    Raises:
        ValidationError: the text is not what :func:`json_text` writes: not JSON, nested too
            deeply for Python, or holding a float, NaN, an infinity, an int too long to read
            or a lone surrogate.

    >>> read_json('["a",{"b":null}]')
    ['a', {'b': None}]
    >>> read_json("1.5")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: text must be JSON (a float or constant 1.5 where exact
    numbers are written as str), got '1.5'
    """
    if not isinstance(text, str):
        raise ValidationError(field, text, "must be a str")
    try:
        data: JsonValue = _DECODER.decode(text)
    except ValueError as error:  # not JSON, an int too long, a float or NaN
        raise ValidationError(field, text, f"must be JSON ({error})") from None
    except RecursionError:
        raise ValidationError(field, text, "must not be nested so deeply") from None
    if not is_encodable(text) or (_ESCAPED_SURROGATE.search(text) and not _encodable(data)):
        raise ValidationError(field, text, "must be valid Unicode (it holds a lone surrogate)")
    return data


def _refuse(text: str) -> object:
    raise ValueError(f"a float or constant {text} where exact numbers are written as str")


_DECODER = json.JSONDecoder(parse_float=_refuse, parse_constant=_refuse)
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # \ud800 in JSON text: maybe a lone one


def _encodable(data: JsonValue) -> bool:
    """Whether every str in the data (keys too) is valid Unicode."""
    stack: list[object] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not is_encodable(value):
                return False
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True
