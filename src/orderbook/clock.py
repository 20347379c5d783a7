"""Clocks: where the book reads the time, and nowhere else.

The core never reads a clock: dates "as of" and moments "at" are parameters. The book asks
its :class:`Clock` once per command, so a test gives it a :class:`FixedClock` and gets the
same moments, and so the same records and events, every run.

>>> import datetime as dt
>>> clock = FixedClock(dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC))
>>> clock.now().isoformat()
'2027-01-04T09:30:00+00:00'
>>> clock.advance(dt.timedelta(days=1)).date()
datetime.date(2027, 1, 5)
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from orderbook.errors import ValidationError

__all__ = ["Clock", "FixedClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` that returns a timezone-aware datetime."""

    def now(self) -> dt.datetime:
        """Return the current moment, timezone-aware."""
        ...


class SystemClock:
    """The computer's clock, in UTC.

    >>> SystemClock().now().utcoffset()
    datetime.timedelta(0)
    """

    def now(self) -> dt.datetime:
        """Return the current moment in UTC."""
        return dt.datetime.now(dt.UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


def _moment(value: object, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "must be a timezone-aware datetime")
    return value


class FixedClock:
    """A clock that stands still until told to move: for tests, examples and simulations.

    Args:
        at: the moment it shows, timezone-aware.

    Raises:
        ValidationError: ``at`` is not a timezone-aware datetime.
    """

    def __init__(self, at: dt.datetime) -> None:
        self._at = _moment(at, "at")

    def now(self) -> dt.datetime:
        """Return the moment the clock shows."""
        return self._at

    def set(self, at: dt.datetime) -> dt.datetime:
        """Show another moment (earlier or later) and return it.

        Raises:
            ValidationError: ``at`` is not a timezone-aware datetime.
        """
        self._at = _moment(at, "at")
        return self._at

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        """Move the clock on by ``delta`` and return the new moment.

        Raises:
            ValidationError: ``delta`` is not a timedelta, or is negative.
        """
        if not isinstance(delta, dt.timedelta) or delta < dt.timedelta(0):
            raise ValidationError("delta", delta, "must be a timedelta of 0 or more")
        self._at = self._at + delta
        return self._at

    def __repr__(self) -> str:
        return f"FixedClock({self._at!r})"
