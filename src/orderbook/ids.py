"""Record ids: plain ``str`` values, made by an id factory.

The default factory draws random UUIDs. Anything that makes records (the constructors' id
defaults, the book) can take another factory instead, so tests get predictable ids.

>>> from orderbook.ids import SequentialIds
>>> next_id = SequentialIds("ord")
>>> next_id(), next_id()
('ord-1', 'ord-2')
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

import attrs

from orderbook import _fields

__all__ = ["IdFactory", "SequentialIds", "uuid4_ids"]

IdFactory = Callable[[], str]
"""A callable that returns a new, unique id each time it is called."""


def uuid4_ids() -> str:
    """Return a new random id: 32 hex digits of a UUID4.

    >>> len(uuid4_ids())
    32
    """
    return uuid.uuid4().hex


@attrs.define
class SequentialIds:
    """Ids ``prefix-1``, ``prefix-2``, ...: predictable, for tests and examples.

    Args:
        prefix: what every id starts with.
        start: the first number.
    """

    prefix: str = attrs.field(default="id", validator=_fields.text)
    start: int = attrs.field(default=1, validator=_fields.integer)
    _counter: itertools.count[int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._counter = itertools.count(self.start)

    def __call__(self) -> str:
        return f"{self.prefix}-{next(self._counter)}"
