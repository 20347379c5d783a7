"""Manual fulfilment (a person names the lots) and the availability check before saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from orderbook.allocation._prepare import check_date, check_existing, check_lots, free_quantities
from orderbook.allocation.demand import Demand
from orderbook.allocation.plan import Fill, new_fill
from orderbook.errors import NotFound, OverAllocation, ValidationError
from orderbook.model import Allocation, Lot
from orderbook.money import to_decimal

__all__ = ["can_fulfil", "fulfil_manually"]

_ZERO = Decimal(0)


def _check_demand(demand: object) -> Demand:
    if not isinstance(demand, Demand):
        raise ValidationError("demand", demand, "must be a Demand")
    return demand


def fulfil_manually(
    demand: Demand,
    quantities: Mapping[str, Decimal | int | str],
    lots: Iterable[Lot],
    *,
    existing: Iterable[Allocation] = (),
) -> tuple[Fill, ...]:
    """Fill a demand from the lots a person chose (Mangrove's "Manually Fulfill Delivery").

    Each quantity is checked against what remains of its lot once the existing allocations
    are taken off. Asking for less than the demand is allowed: the rest stays open. The
    policy's exclusions do not apply: the person decides.

    Args:
        demand: the demand to fill.
        quantities: lot id -> quantity to take from it (each > 0), in the order to record.
        lots: the lots, including every one named.
        existing: allocations that already hold part of the lots.

    Returns:
        One manual fill per lot named, in the order given.

    Raises:
        OverAllocation: a lot has less left than asked; names the lot, the quantity asked and
            the quantity available.
        NotFound: a lot named is not among ``lots``.
        ValidationError: a quantity is not a number > 0, a lot holds another product, or the
            total is above the demand.

    >>> demand = Demand(line_id="d1", order_id="o1", sku="MANGROVE-A", quantity=1000)
    >>> lots = [Lot(id="issued-2021", sku="MANGROVE-A", quantity=600),
    ...         Lot(id="forecast-2027", sku="MANGROVE-A", quantity=5000, source="forecast")]
    >>> [(f.lot_id, f.quantity, f.manual) for f in fulfil_manually(
    ...     demand, {"forecast-2027": 700, "issued-2021": 300}, lots)]
    [('forecast-2027', Decimal('700'), True), ('issued-2021', Decimal('300'), True)]
    >>> fulfil_manually(demand, {"issued-2021": 800}, lots)
    Traceback (most recent call last):
    ...
    orderbook.errors.OverAllocation: lot 'issued-2021' has 600 left, cannot allocate 800
    """
    _check_demand(demand)
    if not isinstance(quantities, Mapping):
        raise ValidationError("quantities", quantities, "must be a mapping of lot id to quantity")
    lot_tuple = check_lots(lots)
    remaining = free_quantities(lot_tuple, check_existing(existing))
    by_id = {lot.id: lot for lot in lot_tuple}
    fills = []
    total = _ZERO
    for lot_id, asked in quantities.items():
        field = f"quantities[{lot_id!r}]"
        amount = to_decimal(asked, field)
        if amount <= 0:
            raise ValidationError(field, amount, "must be greater than 0")
        lot = by_id.get(lot_id)
        if lot is None:
            raise NotFound("lot", str(lot_id))
        if lot.sku != demand.sku:
            raise ValidationError(field, lot.sku, f"must be a lot of {demand.sku!r}")
        if amount > remaining[lot_id]:
            raise OverAllocation(lot_id, amount, remaining[lot_id])
        total += amount
        fills.append(new_fill(demand.line_id, demand.order_id, lot_id, demand.sku, amount, True))
    if total > demand.quantity:
        raise ValidationError(
            "quantities", total, f"must not add up to more than the demand, {demand.quantity}"
        )
    return tuple(fills)


def can_fulfil(
    demand: Demand,
    lots: Iterable[Lot],
    existing: Iterable[Allocation] = (),
    *,
    as_of: dt.date | None = None,
) -> tuple[bool, Decimal]:
    """Whether the free supply of the demand's product covers it, and by how much it falls short.

    Free supply is every lot of the product, on hand or expected (Mangrove counts issued and
    forecast credits), less what existing allocations hold. Given ``as_of``, lots expired
    before that day do not count.

    Args:
        demand: the demand to check.
        lots: the supply.
        existing: allocations that already hold part of the lots.
        as_of: the day of the check, to leave out expired lots.

    Returns:
        ``(True, 0)`` when it is covered, else ``(False, shortfall)``.

    Raises:
        ValidationError: an input is not what it should be.

    >>> demand = Demand(line_id="d1", order_id="o1", sku="MANGROVE-A", quantity=1000)
    >>> can_fulfil(demand, [Lot(sku="MANGROVE-A", quantity=600),
    ...                     Lot(sku="MANGROVE-A", quantity=300, source="forecast")])
    (False, Decimal('100'))
    """
    _check_demand(demand)
    if as_of is not None:
        check_date(as_of)
    lot_tuple = check_lots(lots)
    remaining = free_quantities(lot_tuple, check_existing(existing))
    free = sum(
        (
            remaining[lot.id]
            for lot in lot_tuple
            if lot.sku == demand.sku
            and not (as_of is not None and lot.expires_on is not None and lot.expires_on < as_of)
        ),
        _ZERO,
    )
    shortfall = max(demand.quantity - free, _ZERO)
    return (not shortfall, shortfall)
