"""What the engine hands back: history entries of moves made, and the choices a person has.

>>> import datetime as dt
>>> entry = HistoryEntry(order_id="o1", source="draft", target="confirmed",
...                      at=dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC), by="ana")
>>> entry.automatic, entry.reason
(False, None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from orderbook import _fields as f

__all__ = ["Choices", "History", "HistoryEntry", "Refusal"]


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One move of one order from a status to another.

    Args:
        order_id: the order that moved.
        source: the status code it left.
        target: the status code it entered.
        at: when, a timezone-aware datetime.
        by: who moved it; None for an automatic move or when unknown.
        reason: why, in words: what the person said, or the rule that fired.
        automatic: whether an automatic rule made the move.
    """

    order_id: str = attrs.field(validator=f.required_text)
    source: str = attrs.field(validator=f.required_text)
    target: str = attrs.field(validator=f.required_text)
    at: dt.datetime = attrs.field(validator=f.moment)
    by: str | None = attrs.field(default=None, validator=f.optional_text)
    reason: str | None = attrs.field(default=None, validator=f.optional_text)
    automatic: bool = attrs.field(default=False, validator=f.boolean)


class History(tuple[HistoryEntry, ...]):
    """The status moves of an order, oldest first, as :meth:`OrderBook.history` answers: a
    tuple of :class:`HistoryEntry` (equal to the plain tuple of the same moves) with a short
    repr and a notebook view.

    >>> moves = History([HistoryEntry(order_id="o1", source="draft", target="confirmed",
    ...                               at=dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC))])
    >>> moves, moves == tuple(moves)
    (History('o1', 1 move, now confirmed), True)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        if not self:
            return "History(no moves)"
        plural = "" if len(self) == 1 else "s"
        return f"History({self[0].order_id!r}, {len(self)} move{plural}, now {self[-1].target})"

    def _repr_html_(self) -> str:
        from orderbook.views import history_html

        return history_html(self)


@attrs.frozen
class Refusal:
    """A status a person may not move an order to now, and why."""

    target: str = attrs.field(validator=f.required_text)
    reason: str = attrs.field(validator=f.required_text)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return f.to_tuple(value)


def _refusals(value: Iterable[Refusal]) -> tuple[Refusal, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Choices:
    """Where a person may move an order now: the allowed statuses, and why each other is not.

    Both are in the workflow's order of statuses; ``current`` is in neither.
    """

    current: str = attrs.field(validator=f.required_text)
    allowed: tuple[str, ...] = attrs.field(converter=_codes, validator=f.tuple_of(str))
    refused: tuple[Refusal, ...] = attrs.field(converter=_refusals, validator=f.tuple_of(Refusal))

    def reason(self, target: str) -> str | None:
        """Why ``target`` is refused, or None when it is allowed (or is the current status)."""
        for refusal in self.refused:
            if refusal.target == target:
                return refusal.reason
        return None
