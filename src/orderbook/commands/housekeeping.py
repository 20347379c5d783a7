"""Commands over the whole book: settle time-driven rules, archive old closed orders.

>>> import datetime as dt
>>> Settle(as_of=dt.date(2027, 6, 1)).as_of
datetime.date(2027, 6, 1)
"""

from __future__ import annotations

import datetime as dt

import attrs

from orderbook import _fields as f
from orderbook.commands._convert import by_field

__all__ = ["Archive", "Settle"]


@attrs.frozen(kw_only=True)
class Settle:
    """Apply every automatic rule to every open order as of a date (e.g. Mangrove's Expired).

    Args:
        as_of: the date the facts are judged on; the clock's date when None.
        by: who asks.
    """

    as_of: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class Archive:
    """Archive closed orders placed before a date (MRPeasy's "Archive old data").

    The workflow must have a status ``archived`` (see the status code argument); every order
    placed before ``before`` that may move there now, by the workflow's own transitions and
    guards, moves there.

    Args:
        before: orders placed on an earlier day are archived.
        status: the code of the archive status.
        by: who archives.
    """

    before: dt.date = attrs.field(validator=f.date)
    status: str = attrs.field(default="archived", validator=f.required_text)
    by: str | None = by_field()
