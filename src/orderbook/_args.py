"""Checks of the arguments of queries, the same for the book, the stores and the helpers.

A command is a value whose constructor checks its fields; a query takes plain arguments, so
each query checks them here first, and a wrong one is refused with a
:class:`~orderbook.errors.ValidationError` naming the argument, as a command's field is.
An id or a filter is a text that any store could hold (see :mod:`orderbook._fields`), so
one that no store could hold is refused alike by every store instead of reaching SQL.

>>> text_arg("order_id", "o1")
'o1'
>>> date_arg("as_of", 42)
Traceback (most recent call last):
...
orderbook.errors.ValidationError: as_of must be a datetime.date, got 42
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar, cast

from orderbook._fields import MAX_INTEGER, text_problem
from orderbook.errors import ValidationError

__all__ = [
    "date_arg",
    "flag_arg",
    "items_arg",
    "moment_arg",
    "optional_date_arg",
    "optional_text_arg",
    "sequence_arg",
    "text_arg",
]


def text_arg(name: str, value: object) -> str:
    """Check an id or a filter: a non-empty str that every store can hold."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(name, value, "must be a non-empty str")
    problem = text_problem(value, key=True)
    if problem is not None:
        raise ValidationError(name, value, problem)
    return value


def optional_text_arg(name: str, value: object) -> str | None:
    """Check an id or a filter that may be None."""
    return None if value is None else text_arg(name, value)


def moment_arg(name: str, value: object) -> dt.datetime:
    """Check an argument that must be a timezone-aware datetime."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(name, value, "must be a timezone-aware datetime")
    return value


def date_arg(name: str, value: object) -> dt.date:
    """Check a day: a :class:`datetime.date` that is not a datetime."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(name, value, "must be a datetime.date")
    return value


def optional_date_arg(name: str, value: object) -> dt.date | None:
    """Check a day that may be None."""
    return None if value is None else date_arg(name, value)


T = TypeVar("T")


def items_arg(
    name: str, value: object, kind: type[T], *, unique_ids: bool = False
) -> tuple[T, ...]:
    """Check a list or tuple of values of one kind; return it as a tuple.

    With ``unique_ids`` no two items may share their ``id``.

    >>> items_arg("lots", "TEA", str)
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: lots must be a list or tuple, got 'TEA'
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(name, value, "must be a list or tuple")
    items = tuple(value)
    for index, item in enumerate(items):
        if type(item) is not kind and not isinstance(item, kind):
            raise ValidationError(f"{name}[{index}]", item, f"must be a {kind.__name__}")
    if unique_ids:
        seen: set[object] = set()
        for index, item in enumerate(items):
            item_id = getattr(item, "id")  # noqa: B009 - every kind checked so has an id
            if item_id in seen:
                raise ValidationError(f"{name}[{index}].id", item_id, "must be unique")
            seen.add(item_id)
    return cast(tuple[T, ...], items)


def flag_arg(name: str, value: object) -> bool:
    """Check an argument that must be True or False."""
    if not isinstance(value, bool):
        raise ValidationError(name, value, "must be True or False")
    return value


def sequence_arg(name: str, value: object) -> int:
    """Check a sequence number of the event log (an int >= 0) to read events after.

    No event is numbered beyond SQL's largest integer, so a larger number reads as that one:
    every store then answers that there is no event after it, and no SQL integer overflows.

    >>> sequence_arg("since", 2**70) == MAX_INTEGER
    True
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(name, value, "must be an int >= 0")
    return min(value, MAX_INTEGER)
