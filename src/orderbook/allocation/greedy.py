"""allocate: serve demands from lots, one by one in priority order (or optimally)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from orderbook import _fields as f
from orderbook.allocation._prepare import Group, Prepared, check_unique_lines, prepare
from orderbook.allocation.demand import Demand
from orderbook.allocation.plan import AllocationPlan, Fill, LineKey, Objective
from orderbook.allocation.policies import Policy, best_available
from orderbook.errors import ValidationError
from orderbook.model import Allocation, Lot

__all__ = ["allocate"]

_ZERO = Decimal(0)


def allocate(
    demands: Iterable[Demand],
    lots: Iterable[Lot],
    *,
    as_of: dt.date,
    policy: Policy = best_available,
    existing: Iterable[Allocation] = (),
    partial: bool = True,
    objective: Objective | str = Objective.GREEDY,
) -> AllocationPlan:
    """Decide which lots fill which demands; pure, nothing is saved.

    Existing allocations are taken off the lots first: pass only those of orders whose
    status commits inventory (a draft's tentative allocations take nothing from others).
    Demands are served by priority, then due date, then ``placed_at``, then id (see
    :class:`Demand`). Each takes from the lots of its product in the policy's order,
    skipping those the policy excludes, and may be split across several lots.

    With ``objective="max_served"`` the plan serves the most in total, even where serving by
    priority would leave demand that another assignment could meet (see
    :mod:`orderbook.allocation.optimal`).

    Args:
        demands: what is open on each line; one per ``(order_id, line_id)`` (two orders
            may each have a line ``"l1"``).
        lots: the supply; lot ids must be unique.
        as_of: the day the plan is made for (lots expired before it are skipped).
        policy: ranks and filters the lots of a product.
        existing: allocations that already hold part of the lots.
        partial: when False, a demand that cannot be served in full gets nothing.
        objective: ``"greedy"`` (the default) or ``"max_served"``.

    Returns:
        The plan: fills, shortfalls and what remains of each lot.

    Raises:
        ValidationError: an input is not what it should be (named in the error).

    >>> plan = allocate(
    ...     [Demand(line_id="l1", order_id="o1", sku="TEA", quantity=8),
    ...      Demand(line_id="l2", order_id="o2", sku="TEA", quantity=5, priority=1)],
    ...     [Lot(id="shelf", sku="TEA", quantity=10)],
    ...     as_of=dt.date(2027, 1, 4),
    ... )
    >>> [(fill.line_id, fill.quantity) for fill in plan.fills], plan.shortfalls()
    ([('l2', Decimal('5')), ('l1', Decimal('5'))], {('o1', 'l1'): Decimal('3')})
    """
    goal = f.to_enum(Objective, objective)
    if not isinstance(goal, Objective):
        raise ValidationError("objective", objective, "must be 'greedy' or 'max_served'")
    if not isinstance(partial, bool):
        raise ValidationError("partial", partial, "must be True or False")
    if goal is Objective.MAX_SERVED and not partial:
        raise ValidationError("partial", partial, "must be True when the objective is max_served")
    prepared = prepare(demands, lots, as_of=as_of, policy=policy, existing=existing)
    assert isinstance(policy, Policy)
    fills, allocated = _serve(prepared, policy, partial)
    check_unique_lines(prepared.demands, len(allocated))
    if goal is Objective.MAX_SERVED:
        from orderbook.allocation.optimal import improve

        fills, allocated = improve(prepared, policy, fills)
    return AllocationPlan(
        fills=tuple(fills),
        demands=tuple(prepared.demands),
        lots=prepared.lots,
        existing=prepared.existing,
        as_of=as_of,
        policy=policy,
        objective=goal,
        partial=partial,
        allocated_by_line=allocated,
        remaining_by_lot=prepared.remaining_after(),
    )


def _serve(
    prepared: Prepared, policy: Policy, partial: bool
) -> tuple[list[Fill], dict[LineKey, Decimal]]:
    """The greedy pass: each demand in turn takes from its product's lots in policy order."""
    fills: list[Fill] = []
    append = fills.append
    make = tuple.__new__
    allocated: dict[LineKey, Decimal] = {}
    accept = policy.accept
    groups = prepared.groups
    zero = _ZERO
    for demand in prepared.demands:
        need = demand.quantity
        group = groups.get(demand.sku)
        if group is None or not need:
            allocated[demand.order_id, demand.line_id] = zero
            continue
        rem = group.rem
        arrive = group.arrive
        count = len(rem)
        start = group.start
        while start < count and not rem[start]:
            start += 1  # a lot used up stays used up: later demands skip it for good
        group.start = start
        due = demand.due_on
        if not partial and not _enough(demand, group, start, need, accept):
            allocated[demand.order_id, demand.line_id] = zero
            continue
        line_id = demand.line_id
        order_id = demand.order_id
        sku = demand.sku
        ids = group.ids
        for index in range(start, count):
            left = rem[index]
            if not left:
                continue
            day = arrive[index]
            if day is not None and due is not None and day > due:
                continue
            if accept is not None and not accept(group.lots[index], demand):
                continue
            if left >= need:
                rem[index] = left - need
                append(make(Fill, (line_id, order_id, ids[index], sku, need, False)))
                need = zero
                break
            rem[index] = zero
            append(make(Fill, (line_id, order_id, ids[index], sku, left, False)))
            need -= left
        allocated[order_id, line_id] = demand.quantity - need
    return fills, allocated


def _enough(
    demand: Demand,
    group: Group,
    start: int,
    need: Decimal,
    accept: Callable[[Lot, Demand], bool] | None,
) -> bool:
    """Whether the lots a demand may use hold all it needs (for whole-line service)."""
    due = demand.due_on
    total = _ZERO
    for index in range(start, len(group.rem)):
        left = group.rem[index]
        day = group.arrive[index]
        if not left or (day is not None and due is not None and day > due):
            continue
        if accept is not None and not accept(group.lots[index], demand):
            continue
        total += left
        if total >= need:
            return True
    return False
