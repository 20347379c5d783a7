"""Releasing allocations: after a cancellation, a smaller line, or a lot that shrank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook.allocation._prepare import check_date, check_existing, check_lots
from orderbook.allocation.demand import Demand
from orderbook.allocation.greedy import allocate
from orderbook.allocation.plan import AllocationPlan
from orderbook.allocation.policies import Policy, best_available
from orderbook.errors import NotFound, ValidationError
from orderbook.model import Allocation, Lot
from orderbook.money import to_decimal

__all__ = ["reallocate_after_shrink", "release"]

_ZERO = Decimal(0)
_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _newest_first(allocation: Allocation) -> tuple[dt.datetime, str]:
    return (allocation.at or _OLDEST, allocation.id)


def split_newest_first(
    allocations: tuple[Allocation, ...], selected: list[int], quantity: Decimal
) -> tuple[tuple[Allocation, ...], tuple[Allocation, ...]]:
    """Release ``quantity`` from the selected allocations, newest first: (kept, released)."""
    order = sorted(selected, key=lambda i: _newest_first(allocations[i]), reverse=True)
    kept: list[Allocation | None] = list(allocations)
    released = []
    left = quantity
    for index in order:
        if not left:
            break
        allocation = allocations[index]
        if allocation.quantity <= left:
            released.append(allocation)
            kept[index] = None
            left -= allocation.quantity
        else:
            released.append(attrs.evolve(allocation, quantity=left))
            kept[index] = attrs.evolve(allocation, quantity=allocation.quantity - left)
            left = _ZERO
    return tuple(a for a in kept if a is not None), tuple(released)


def release(
    allocations: Iterable[Allocation],
    *,
    order_id: str | None = None,
    line_ids: Iterable[str] | None = None,
    quantity: Decimal | int | str | None = None,
) -> tuple[Allocation, ...]:
    """What remains of the allocations after releasing some: cancelling or shrinking.

    The allocations released are those of ``order_id`` and of ``line_ids`` (all, when
    neither is given). Without ``quantity`` every one of them is released (a cancellation);
    with it, only that much, newest first (by ``at``, undated ones counting as the oldest),
    the last one shrinking if it is only partly released.

    Args:
        allocations: the allocations held.
        order_id: release only this order's allocations.
        line_ids: release only these lines' allocations.
        quantity: how much to release in total, a Decimal > 0.

    Returns:
        The allocations kept, in their original order; a partly released one has its
        quantity reduced.

    Raises:
        ValidationError: ``quantity`` is not above 0, or above what the selection holds.

    >>> utc = dt.timezone.utc
    >>> held = [Allocation(id="a1", order_id="o1", line_id="l1", lot_id="x", sku="TEA",
    ...                    quantity=6, at=dt.datetime(2027, 1, 1, tzinfo=utc)),
    ...         Allocation(id="a2", order_id="o1", line_id="l1", lot_id="y", sku="TEA",
    ...                    quantity=4, at=dt.datetime(2027, 1, 2, tzinfo=utc))]
    >>> [(a.id, a.quantity) for a in release(held, line_ids=["l1"], quantity=5)]
    [('a1', Decimal('5'))]
    >>> release(held, order_id="o1")
    ()
    """
    held = check_existing(allocations)
    lines = None if line_ids is None else _line_ids(line_ids)
    selected = [
        index
        for index, allocation in enumerate(held)
        if (order_id is None or allocation.order_id == order_id)
        and (lines is None or allocation.line_id in lines)
    ]
    if quantity is None:
        chosen = set(selected)
        return tuple(a for index, a in enumerate(held) if index not in chosen)
    amount = to_decimal(quantity, "quantity")
    if amount <= 0:
        raise ValidationError("quantity", amount, "must be greater than 0")
    holding = sum((held[index].quantity for index in selected), _ZERO)
    if amount > holding:
        raise ValidationError("quantity", amount, f"must not be above what is held, {holding}")
    return split_newest_first(held, selected, amount)[0]


def _line_ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("line_ids", value, "must be a list of line ids")
    return frozenset(value)


def reallocate_after_shrink(
    lot: Lot,
    new_quantity: Decimal | int | str,
    demands: Iterable[Demand],
    lots: Iterable[Lot],
    *,
    existing: Iterable[Allocation],
    as_of: dt.date,
    policy: Policy = best_available,
) -> AllocationPlan:
    """Re-plan after a lot shrank below what is allocated from it.

    The newest allocations from the lot are released until it holds no more than its new
    quantity (the last one released only in part if that is enough), and the released
    quantities are planned again, from the other lots, together with ``demands``.

    Args:
        lot: the lot that shrank (as it was).
        new_quantity: what it now holds.
        demands: open demands to plan as well. The demand of a line whose allocation is
            released grows by what was released; a line with no demand given gets one with no
            due date and priority 0, so pass demands (even of quantity 0) for those lines to
            keep their due dates and priorities.
        lots: every lot to plan from; the shrunk lot is replaced by its new quantity.
        existing: the allocations held, including those of the shrunk lot.
        as_of: the day the plan is made for.
        policy: ranks and filters the lots.

    Returns:
        A plan whose ``released`` holds what was taken off the lot (partly released
        allocations appear there with the released quantity), whose ``existing`` holds what
        is kept, and whose fills re-plan the released quantities.

    Raises:
        NotFound: the lot is not among ``lots``.
        ValidationError: an input is not what it should be.
    """
    if not isinstance(lot, Lot):
        raise ValidationError("lot", lot, "must be a Lot")
    shrunk = attrs.evolve(lot, quantity=to_decimal(new_quantity, "new_quantity"))
    check_date(as_of)
    lot_tuple = check_lots(lots)
    if lot.id not in {each.id for each in lot_tuple}:
        raise NotFound("lot", lot.id)
    held = check_existing(existing)
    on_lot = [index for index, a in enumerate(held) if a.lot_id == lot.id]
    excess = sum((held[index].quantity for index in on_lot), _ZERO) - shrunk.quantity
    kept, released = split_newest_first(held, on_lot, excess) if excess > 0 else (held, ())
    wanted: dict[tuple[str, str], Demand] = {}
    for demand in demands:
        if not isinstance(demand, Demand):
            raise ValidationError("demands", demand, "must be a list of Demand")
        wanted[demand.key] = demand
    for allocation in released:
        key = (allocation.order_id, allocation.line_id)
        current = wanted.get(key) or Demand(
            line_id=allocation.line_id,
            order_id=allocation.order_id,
            sku=allocation.sku,
            quantity=0,
        )
        wanted[key] = attrs.evolve(current, quantity=current.quantity + allocation.quantity)
    new_lots = [shrunk if each.id == lot.id else each for each in lot_tuple]
    plan = allocate(wanted.values(), new_lots, as_of=as_of, policy=policy, existing=kept)
    return attrs.evolve(plan, released=released)
