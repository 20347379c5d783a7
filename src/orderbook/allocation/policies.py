"""Allocation policies: how the lots of a product are ranked, and which are excluded.

A policy is a value, not a subclass: a ranking key over lots, an optional ``accept`` test
over a lot and a demand, and two built-in exclusions that are on unless turned off:

- ``skip_late``: expected supply that arrives after the demand's due date;
- ``skip_expired``: lots whose ``expires_on`` is before the ``as_of`` date.

Ties in every ranking are broken by lot id, so the order of lots is total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.allocation.demand import Demand
from orderbook.errors import ValidationError
from orderbook.model import Lot, SourceStatus

__all__ = [
    "LotKey",
    "Policy",
    "best_available",
    "by_location",
    "cheapest",
    "fefo",
    "fifo",
    "most_stock",
    "newest_vintage",
    "on_hand",
]

LotKey = Callable[[Lot], tuple[object, ...]]
"""A ranking of lots: the lot with the smallest key is used first."""

_FIRST_DAY = dt.date.min
_LAST_DAY = dt.date.max


def on_hand(lot: Lot) -> bool:
    """Whether a lot is stock on hand (issued credits), or expected supply already received.

    >>> on_hand(Lot(sku="X", quantity=1)), on_hand(Lot(sku="X", quantity=1, source="purchase"))
    (True, False)
    """
    return not lot.source.expected or lot.source_status is SourceStatus.RECEIVED


def _callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise f.fail(instance, attribute.name, value, "must be callable")


def _optional_callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _callable(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Policy:
    """How to choose among the lots of a product.

    Args:
        key: ranks the lots; the smallest key is used first. Ties go to the smaller lot id.
        accept: when given, a lot is used for a demand only if ``accept(lot, demand)``.
        name: shown in plans and explanations.
        skip_late: exclude expected supply that arrives after the demand's due date.
        skip_expired: exclude lots that expired before the ``as_of`` date.

    >>> nearest = Policy(name="nearest", key=lambda lot: (lot.location != "Rotterdam",),
    ...                  accept=lambda lot, demand: lot.unit_cost is None)
    >>> nearest.skip_late, nearest.skip_expired
    (True, True)
    """

    key: LotKey = attrs.field(validator=_callable)
    accept: Callable[[Lot, Demand], bool] | None = attrs.field(
        default=None, validator=_optional_callable
    )
    name: str = attrs.field(default="custom", validator=f.required_text)
    skip_late: bool = attrs.field(default=True, validator=f.boolean)
    skip_expired: bool = attrs.field(default=True, validator=f.boolean)

    def __repr__(self) -> str:
        return f"Policy({self.name!r})"

    def expired(self, lot: Lot, as_of: dt.date) -> bool:
        """Whether this policy excludes the lot as expired on ``as_of``."""
        return self.skip_expired and lot.expires_on is not None and lot.expires_on < as_of

    def late(self, lot: Lot, demand: Demand) -> bool:
        """Whether this policy excludes the lot as arriving after the demand's due date."""
        return (
            self.skip_late
            and demand.due_on is not None
            and lot.available_on is not None
            and lot.available_on > demand.due_on
            and not on_hand(lot)
        )


def _best_available(lot: Lot) -> tuple[object, ...]:
    return (not on_hand(lot), lot.available_on or _FIRST_DAY, lot.expires_on or _LAST_DAY)


def _fifo(lot: Lot) -> tuple[object, ...]:
    return (not on_hand(lot), lot.available_on or _LAST_DAY)


def _fefo(lot: Lot) -> tuple[object, ...]:
    return (lot.expires_on or _LAST_DAY, *_best_available(lot))


def _cheapest(lot: Lot) -> tuple[object, ...]:
    cost = lot.unit_cost
    return (cost is None, cost.amount if cost is not None else 0, *_best_available(lot))


def _newest_vintage(lot: Lot) -> tuple[object, ...]:
    vintage = lot.vintage
    return (vintage is None, -vintage if vintage is not None else 0, *_best_available(lot))


def _most_stock(lot: Lot) -> tuple[object, ...]:
    return (-lot.quantity, *_best_available(lot))


best_available = Policy(name="best_available", key=_best_available)
"""Stock on hand (issued credits) first, then expected supply by its available date.

Mangrove's "best available credits". Ties: earliest expiry, then lot id.
"""

fifo = Policy(name="fifo", key=_fifo)
"""First in, first out: on hand first, the lot available earliest first (undated last)."""

fefo = Policy(name="fefo", key=_fefo)
"""First expired, first out: the lot that expires first (lots that never expire last)."""

cheapest = Policy(name="cheapest", key=_cheapest)
"""The lowest unit cost first (lots without a cost last); the lots of a product share a
currency, so only the amounts are compared."""

newest_vintage = Policy(name="newest_vintage", key=_newest_vintage)
"""The most recent vintage first (lots without a vintage last)."""

most_stock = Policy(name="most_stock", key=_most_stock)
"""The largest lot first (by its quantity), so a demand is split across as few lots as
possible."""


def by_location(order: Sequence[str]) -> Policy:
    """Rank lots by a warehouse order: lots at the first location first, unlisted ones last.

    Within a location, lots rank as under :data:`best_available`.

    Args:
        order: location names, most preferred first.

    Raises:
        ValidationError: ``order`` is not a list of location names.

    >>> lots = [Lot(id="a", sku="X", quantity=1, location="Lyon"),
    ...         Lot(id="b", sku="X", quantity=1, location="Oslo"),
    ...         Lot(id="c", sku="X", quantity=1)]
    >>> policy = by_location(["Oslo", "Lyon"])
    >>> [lot.id for lot in sorted(lots, key=policy.key)]
    ['b', 'a', 'c']
    """
    if isinstance(order, str) or not all(isinstance(name, str) and name for name in order):
        raise ValidationError("order", order, "must be a list of location names")
    rank = {name: index for index, name in reversed(list(enumerate(order)))}
    last = len(rank)

    def key(lot: Lot) -> tuple[object, ...]:
        where = rank.get(lot.location, last) if lot.location is not None else last
        return (where, *_best_available(lot))

    return Policy(name=f"by_location({', '.join(order)})", key=key)
