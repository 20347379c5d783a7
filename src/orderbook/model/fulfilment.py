"""Fulfilment records: allocations of lots to lines, shipments and forfeits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.ids import uuid4_ids
from orderbook.model.enums import ShipmentKind

__all__ = ["Allocation", "Forfeit", "Shipment", "ShipmentItem"]


@attrs.frozen(kw_only=True)
class Allocation:
    """A quantity of one lot set aside for one order line (a booking, a reservation).

    Args:
        id: the allocation's id.
        order_id, line_id: the line it serves.
        lot_id: the lot it draws on.
        sku: the product, which must be the lot's and the line's.
        quantity: how much, a Decimal > 0.
        manual: True when a person chose the lot (Mangrove's manual fulfilment).
        at: when it was made; the newest are released first.

    >>> Allocation(order_id="o1", line_id="l1", lot_id="issued-2021", sku="MANGROVE-A",
    ...            quantity="250", manual=True).quantity
    Decimal('250')
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    order_id: str = attrs.field(validator=f.required_text)
    line_id: str = attrs.field(validator=f.required_text)
    lot_id: str = attrs.field(validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    manual: bool = attrs.field(default=False, validator=f.boolean)
    at: dt.datetime | None = attrs.field(default=None, validator=f.optional_moment)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)


@attrs.frozen(kw_only=True)
class ShipmentItem:
    """A quantity of one order line in a shipment, optionally from a named lot."""

    line_id: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    lot_id: str | None = attrs.field(default=None, validator=f.optional_text)


def _shipment_kind(value: ShipmentKind | str) -> ShipmentKind:
    return f.to_enum(ShipmentKind, value)


def _items(value: Iterable[ShipmentItem]) -> tuple[ShipmentItem, ...]:
    return f.to_tuple(value)


def _non_empty(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    if isinstance(value, tuple) and not value:
        raise f.fail(instance, attribute.name, value, "must not be empty")


@attrs.frozen(kw_only=True)
class Shipment:
    """Goods that left for the customer (a delivery note) or came back (a return).

    An order may have several shipments, each covering part of its lines.

    >>> shipment = Shipment(order_id="o1", shipped_on=dt.date(2027, 2, 1),
    ...                     items=[ShipmentItem(line_id="l1", quantity=2)])
    >>> shipment.kind, shipment.items[0].quantity
    (<ShipmentKind.DELIVERY: 'delivery'>, Decimal('2'))
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    order_id: str = attrs.field(validator=f.required_text)
    items: tuple[ShipmentItem, ...] = attrs.field(
        converter=_items, validator=[f.tuple_of(ShipmentItem), _non_empty]
    )
    shipped_on: dt.date = attrs.field(validator=f.date)
    kind: ShipmentKind = attrs.field(
        default=ShipmentKind.DELIVERY, converter=_shipment_kind, validator=f.valid
    )
    number: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    cancelled: bool = attrs.field(default=False, validator=f.boolean)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)


@attrs.frozen(kw_only=True)
class Forfeit:
    """A quantity of a line the customer gave up (b-op); it counts towards "finished".

    >>> Forfeit(order_id="o1", line_id="l1", quantity=3, reason="season over").quantity
    Decimal('3')
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    order_id: str = attrs.field(validator=f.required_text)
    line_id: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    forfeited_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    reason: str = attrs.field(default="", validator=f.text)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)
