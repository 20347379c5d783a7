"""Commands that fulfil orders: allocate, fulfil by hand, release, ship, return, forfeit.

>>> Ship(order_id="o1", items={"l1": 2}).items[0].quantity
Decimal('2')
>>> Allocate().order_id is None  # every open order, by priority
True
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import attrs

from orderbook import _fields as f
from orderbook.allocation import Objective
from orderbook.commands._convert import (
    Quantities,
    by_field,
    items,
    items_validator,
    optional_ids,
    positive_quantities,
    quantities,
    text_tuple,
)
from orderbook.model import ShipmentItem

__all__ = [
    "Allocate",
    "ForfeitRemainder",
    "FulfilManually",
    "RebookMode",
    "Release",
    "Return",
    "Ship",
]


def _objective(value: Objective | str) -> Objective:
    return f.to_enum(Objective, value)


RebookMode = bool | Literal["all"]
"""Whether an allocation takes bookings back: False, True, or ``"all"`` (manual ones too)."""


def _rebook(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not True and value is not False and value != "all":
        raise f.fail(instance, attribute.name, value, "must be True, False or 'all'")


@attrs.frozen(kw_only=True)
class Allocate:
    """Allocate what is open on one order, or on every open order by priority.

    Only allocations of orders in committing statuses take from the lots; "every open
    order" means those in a committing status that is not terminal (and not superseded).

    With ``rebook`` the bookings that open orders hold and have not shipped are planned
    again by priority, so an order of higher priority confirmed later takes stock that one
    of lower priority held. Without ``order_id`` every open order is planned again; with it,
    the lines of that order's products on every open order (where it can take stock from),
    and the order must be in a committing status. Allocations made by hand stay unless
    ``rebook="all"``. Where a line keeps the quantity of a lot it held, its allocations are
    not touched.

    Args:
        order_id: the order; None for every open order.
        objective: ``"greedy"`` (by priority) or ``"max_served"`` (the most in total).
        partial: when False, a line that cannot be served in full gets nothing (with
            ``rebook``, it also loses what it held).
        rebook: False (the default) to allocate only what is free; True to take bookings
            back by priority; ``"all"`` to take back manual allocations too.
        by: who allocates.

    >>> Allocate(rebook="all").rebook
    'all'
    >>> Allocate(rebook="yes")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: Allocate: rebook must be True, False or 'all', got 'yes'
    """

    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    objective: Objective = attrs.field(
        default=Objective.GREEDY, converter=_objective, validator=f.valid
    )
    partial: bool = attrs.field(default=True, validator=f.boolean)
    rebook: RebookMode = attrs.field(default=False, validator=_rebook)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class FulfilManually:
    """Allocate named quantities of named lots to one line (Mangrove's manual fulfilment).

    Args:
        order_id, line_id: the line.
        lots: ``{lot_id: quantity}``, checked against what remains of each lot.
        by: who chose the lots.
    """

    order_id: str = attrs.field(validator=f.required_text)
    line_id: str = attrs.field(validator=f.required_text)
    lots: Quantities = attrs.field(converter=quantities, validator=positive_quantities)
    by: str | None = by_field()


def _optional_quantity(value: Decimal | int | str | None) -> Decimal | None:
    return f.optional_decimal(value)


@attrs.frozen(kw_only=True)
class Release:
    """Release allocations of an order: all, those of some lines, or a quantity, newest first.

    Args:
        order_id: the order.
        line_ids: only these lines; every line when None.
        quantity: release only this much in total; everything selected when None.
        by: who releases.
    """

    order_id: str = attrs.field(validator=f.required_text)
    line_ids: tuple[str, ...] | None = attrs.field(
        default=None, converter=text_tuple, validator=optional_ids
    )
    quantity: Decimal | None = attrs.field(
        default=None, converter=_optional_quantity, validator=f.optional_non_negative
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class Ship:
    """Ship quantities of an order's lines (partial allowed), in a shippable status.

    Shipping consumes the line's allocations (those of the item's lot first) and takes the
    quantity off their lots. An item that names a lot and ships more than was allocated
    from it takes the rest off that lot too. Under the "on shipment" invoice method, a draft
    invoice for what shipped is made at once.

    Args:
        order_id: the order.
        items: ``{line_id: quantity}`` or ShipmentItem values (which may name a lot).
        shipped_on: the shipping date; the clock's date when None.
        number, reference: the delivery note's number and a carrier reference.
        by: who ships.
    """

    order_id: str = attrs.field(validator=f.required_text)
    items: tuple[ShipmentItem, ...] = attrs.field(converter=items, validator=items_validator())
    shipped_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    number: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class Return:
    """Record goods coming back: at most what was delivered of each line.

    An item that names a lot puts the quantity back into it.

    Args:
        order_id: the order.
        items: ``{line_id: quantity}`` or ShipmentItem values.
        returned_on: the date; the clock's date when None.
        number, reference: as on a shipment.
        by: who records it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    items: tuple[ShipmentItem, ...] = attrs.field(converter=items, validator=items_validator())
    returned_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    number: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class ForfeitRemainder:
    """Record that the customer gives up (part of) what is still open on a line (b-op).

    The line's allocations above what stays open are released.

    Args:
        order_id, line_id: the line.
        quantity: how much; all that is open when None.
        reason: why.
        forfeited_on: the date; the clock's date when None.
        by: who records it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    line_id: str = attrs.field(validator=f.required_text)
    quantity: Decimal | None = attrs.field(
        default=None, converter=_optional_quantity, validator=f.optional_non_negative
    )
    reason: str = attrs.field(default="", validator=f.text)
    forfeited_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    by: str | None = by_field()
