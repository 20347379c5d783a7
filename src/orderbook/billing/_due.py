"""The due date of a bill: its issue date plus a number of days, within the calendar."""

from __future__ import annotations

import datetime as dt

from orderbook.errors import ValidationError

__all__ = ["due_on"]


def due_on(issued_on: dt.date, due_days: object) -> dt.date:
    """Return ``issued_on`` plus ``due_days`` days: the due date of a bill (or of a
    recurring order's invoice).

    >>> import datetime as dt
    >>> due_on(dt.date(2027, 1, 30), 30)
    datetime.date(2027, 3, 1)

    Raises:
        ValidationError: ``due_days`` is not an int >= 0, or the date it gives lies beyond
            the calendar (after year 9999).
    """
    if isinstance(due_days, bool) or not isinstance(due_days, int) or due_days < 0:
        raise ValidationError("due_days", due_days, "must be an int >= 0")
    try:
        return issued_on + dt.timedelta(days=due_days)
    except OverflowError:
        raise ValidationError(
            "due_days", due_days, "puts the due date beyond the calendar"
        ) from None
