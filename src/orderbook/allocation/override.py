"""Overriding the automatic fulfilment of a line by hand (Mangrove's "Manually Fulfill").

Mangrove fulfils a delivery with the best available credits as soon as it is saved, "however,
you have the option to override this by manually selecting the credit issuances". The person's
quantities then are the line's fulfilment: the automatic allocations of the line give way,
the chosen lots are booked, and whatever the person leaves out stays open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from orderbook.allocation._prepare import check_existing
from orderbook.allocation.demand import demands_for
from orderbook.allocation.manual import fulfil_manually
from orderbook.allocation.plan import Fill
from orderbook.errors import ValidationError
from orderbook.model import Allocation, Forfeit, Lot, Order, Shipment, ShipmentKind

__all__ = ["Override", "override_manually"]

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class Override:
    """What overriding a line by hand changes.

    Attributes:
        released: the line's automatic allocations, which give way.
        fills: the manual fills of the chosen lots.
    """

    released: tuple[Allocation, ...]
    fills: tuple[Fill, ...]


def override_manually(
    order: Order,
    line_id: str,
    quantities: Mapping[str, Decimal | int | str],
    lots: Iterable[Lot],
    *,
    allocations: Iterable[Allocation] = (),
    shipments: Iterable[Shipment] = (),
    forfeits: Iterable[Forfeit] = (),
    existing: Iterable[Allocation] = (),
) -> Override:
    """Book the lots a person chose for one line, in place of its automatic allocations.

    What the line still needs is its quantity less what shipped, was forfeited or is held by
    earlier manual allocations; the automatic allocations of the line do not count, they are
    released. The chosen quantities are checked against the lots less ``existing`` (every
    allocation that holds them), the released ones excepted.

    Args:
        order: the order.
        line_id: the line to fulfil.
        quantities: lot id -> quantity, as for :func:`fulfil_manually`.
        lots: the lots of the line's product.
        allocations: the order's allocations.
        shipments, forfeits: the order's shipments and forfeits.
        existing: the allocations holding the lots (the order's own included).

    Returns:
        The allocations released and the manual fills.

    Raises:
        NotFound: the order has no such line, or a lot named is not given.
        ValidationError: nothing is open on the line, saying what holds it; or a quantity is
            refused as :func:`fulfil_manually` refuses it.
        OverAllocation: a lot has less left than asked.

    >>> import datetime as dt
    >>> from orderbook import Money, OrderLine
    >>> order = Order(id="o1", customer_id="acme", currency="USD", lines=[
    ...     OrderLine(id="d1", sku="MANGROVE-A", quantity=500, unit_price=Money("18", "USD"))])
    >>> lots = [Lot(id="issued-2021", sku="MANGROVE-A", quantity=500),
    ...         Lot(id="forecast-2027", sku="MANGROVE-A", quantity=900, source="forecast")]
    >>> auto = Allocation(id="a1", order_id="o1", line_id="d1", lot_id="issued-2021",
    ...                   sku="MANGROVE-A", quantity=500)
    >>> done = override_manually(order, "d1", {"forecast-2027": 500}, lots,
    ...                          allocations=[auto], existing=[auto])
    >>> [a.id for a in done.released], [(f.lot_id, f.quantity, f.manual) for f in done.fills]
    (['a1'], [('forecast-2027', Decimal('500'), True)])
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    line = order.line(line_id)
    held = check_existing(allocations, "allocations")
    automatic = tuple(a for a in held if a.line_id == line.id and not a.manual)
    gone = {a.id for a in automatic}
    kept = [a for a in held if a.id not in gone]
    shipment_list, forfeit_list = tuple(shipments), tuple(forfeits)
    open_demands = [
        d
        for d in demands_for(
            order, allocations=kept, shipments=shipment_list, forfeits=forfeit_list
        )
        if d.line_id == line.id
    ]
    if not open_demands:
        reason = _holders(line.id, order.id, kept, shipment_list, forfeit_list)
        raise ValidationError("line_id", line.id, f"has nothing open to allocate: {reason}")
    others = [a for a in check_existing(existing) if a.id not in gone]
    fills = fulfil_manually(open_demands[0], quantities, lots, existing=others)
    return Override(released=automatic, fills=fills)


def _holders(
    line_id: str,
    order_id: str,
    allocations: Iterable[Allocation],
    shipments: Iterable[Shipment],
    forfeits: Iterable[Forfeit],
) -> str:
    """What takes up a line: shipped, forfeited and allocated by hand, in words."""
    shipped = _ZERO
    for shipment in shipments:
        if shipment.order_id != order_id or shipment.cancelled:
            continue
        sign = -1 if shipment.kind is ShipmentKind.RETURN else 1
        shipped += sum((sign * i.quantity for i in shipment.items if i.line_id == line_id), _ZERO)
    forfeited = sum((f.quantity for f in forfeits if f.line_id == line_id), _ZERO)
    by_hand = [a for a in allocations if a.line_id == line_id and a.manual]
    parts = []
    if shipped:
        parts.append(f"{shipped} shipped")
    if forfeited:
        parts.append(f"{forfeited} forfeited")
    for allocation in by_hand:
        parts.append(f"{allocation.quantity} allocated by hand from lot {allocation.lot_id!r}")
    return ", ".join(parts)
