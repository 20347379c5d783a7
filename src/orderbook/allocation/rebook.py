"""Taking bookings back by priority: plan held stock again, and move as little as possible.

A plain allocation only hands out what is free, so an order of higher priority confirmed
late finds the stock already booked to orders that matter less. :func:`rebook` plans the
open lines again, as if what they hold (``held``) were free, and then compares the new plan
with the old bookings, lot by lot and line by line: where a line keeps the same quantity of
a lot, its allocations stay exactly as they are; where it gets less, its newest allocations
on that lot shrink or go; where it gets more, a new allocation is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook.allocation._prepare import check_demands, check_existing
from orderbook.allocation.demand import Demand
from orderbook.allocation.greedy import allocate
from orderbook.allocation.plan import AllocationPlan, Fill, Objective
from orderbook.allocation.policies import Policy, best_available
from orderbook.allocation.release import split_newest_first
from orderbook.errors import ValidationError
from orderbook.model import Allocation, Lot

__all__ = ["Rebooking", "rebook"]

_ZERO = Decimal(0)

_Key = tuple[str, str, str]  # order id, line id, lot id


@attrs.frozen(kw_only=True)
class Rebooking:
    """What planning the held stock again decided, as changes to the allocations held.

    Attributes:
        plan: the new booking of the lines planned, as a whole (not only what moved): its
            shortfalls are what each line still lacks, by ``(order_id, line_id)``.
        kept: the held allocations that stay, in the order given; one that shrank has its
            new quantity, one left as it was is the very value given.
        released: what leaves: each allocation that goes, whole, and for each one that
            shrank, the allocation with the quantity released.
        added: the new fills.
    """

    plan: AllocationPlan
    kept: tuple[Allocation, ...]
    released: tuple[Allocation, ...]
    added: tuple[Fill, ...]

    @property
    def moved(self) -> bool:
        """Whether anything changed."""
        return bool(self.released or self.added)


def rebook(
    demands: Iterable[Demand],
    lots: Iterable[Lot],
    *,
    held: Iterable[Allocation],
    as_of: dt.date,
    policy: Policy = best_available,
    existing: Iterable[Allocation] = (),
    partial: bool = True,
    objective: Objective | str = Objective.GREEDY,
) -> Rebooking:
    """Plan the demand of some lines again, the stock they hold included; pure.

    The demands are served by priority as :func:`~orderbook.allocation.allocate` serves
    them, from the lots less ``existing`` (the allocations that stay where they are), so an
    order of higher priority takes stock that one of lower priority held. Then the plan is
    turned into changes to ``held``, keyed by order, line and lot: unchanged quantities are
    not touched, smaller ones release the newest allocations first (undated ones count as
    the oldest), larger ones add a fill. A held allocation whose line has no demand, or whose
    lot the plan does not use for it, goes.

    Args:
        demands: what each line planned needs, beyond the allocations that stay (so count
            shipped goods and ``existing``, but not ``held``, as taken). Line ids may repeat
            across orders, not within one.
        lots: the supply.
        held: the allocations that may move; their ids must be unique.
        as_of: the day the plan is made for.
        policy: ranks and filters the lots.
        existing: the allocations that stay (others' and those kept by hand); any that is
            also in ``held`` (by id) is left out of them.
        partial: when False, a line that cannot be served in full gets nothing (and loses
            what it held).
        objective: ``"greedy"`` (the default) or ``"max_served"``.

    Returns:
        The new plan, the allocations kept, those released and the fills to add.

    Raises:
        ValidationError: an input is not what it should be (named in the error).

    >>> shelf = Lot(id="shelf", sku="TEA", quantity=10)
    >>> routine = Allocation(id="a1", order_id="o1", line_id="l1", lot_id="shelf", sku="TEA",
    ...                      quantity=10)
    >>> wanted = [Demand(line_id="l1", order_id="o1", sku="TEA", quantity=10),
    ...           Demand(line_id="l1", order_id="o2", sku="TEA", quantity=4, priority=5)]
    >>> moves = rebook(wanted, [shelf], held=[routine], as_of=dt.date(2027, 3, 1))
    >>> [(a.id, a.quantity) for a in moves.kept], [(a.id, a.quantity) for a in moves.released]
    ([('a1', Decimal('6'))], [('a1', Decimal('4'))])
    >>> [(f.order_id, f.line_id, f.lot_id, f.quantity) for f in moves.added]
    [('o2', 'l1', 'shelf', Decimal('4'))]
    >>> moves.plan.shortfalls()
    {('o1', 'l1'): Decimal('4')}
    """
    holding = _unique(check_existing(held, "held"))
    moving = {a.id for a in holding}
    staying = tuple(a for a in check_existing(existing) if a.id not in moving)
    plan = allocate(
        check_demands(demands),
        lots,
        as_of=as_of,
        policy=policy,
        existing=staying,
        partial=partial,
        objective=objective,
    )
    planned: dict[_Key, Decimal] = {}
    for fill in plan.fills:
        key = (fill.order_id, fill.line_id, fill.lot_id)
        planned[key] = planned.get(key, _ZERO) + fill.quantity
    on_key: dict[_Key, list[Allocation]] = {}
    for allocation in holding:
        key = (allocation.order_id, allocation.line_id, allocation.lot_id)
        on_key.setdefault(key, []).append(allocation)
    now: dict[str, Allocation | None] = {}
    released: list[Allocation] = []
    had: dict[_Key, Decimal] = {}
    for key, allocations in on_key.items():
        had[key] = sum((a.quantity for a in allocations), _ZERO)
        excess = had[key] - planned.get(key, _ZERO)
        if excess <= 0:
            continue
        kept, gone = split_newest_first(tuple(allocations), list(range(len(allocations))), excess)
        now.update(dict.fromkeys((a.id for a in allocations), None))
        now.update((a.id, a) for a in kept)
        released.extend(gone)
    added: list[Fill] = []
    for fill in plan.fills:
        key = (fill.order_id, fill.line_id, fill.lot_id)
        more = planned.pop(key, _ZERO) - had.get(key, _ZERO)
        if more > 0:
            added.append(Fill(fill.line_id, fill.order_id, fill.lot_id, fill.sku, more))
    kept_all = []
    for allocation in holding:
        after = now.get(allocation.id, allocation)
        if after is not None:
            kept_all.append(after)
    return Rebooking(plan=plan, kept=tuple(kept_all), released=tuple(released), added=tuple(added))


def _unique(allocations: tuple[Allocation, ...]) -> tuple[Allocation, ...]:
    seen: set[str] = set()
    for index, allocation in enumerate(allocations):
        if allocation.id in seen:
            raise ValidationError(f"held[{index}].id", allocation.id, "must be unique")
        seen.add(allocation.id)
    return allocations
