"""Checking the inputs of an allocation and laying them out for the allocators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from orderbook._args import date_arg, items_arg
from orderbook.allocation.demand import Demand, serve_key
from orderbook.allocation.policies import Policy, on_hand
from orderbook.errors import ValidationError
from orderbook.model import Allocation, Lot
from orderbook.stock import free_by_lot

_ZERO = Decimal(0)


class Group:
    """The usable lots of one product, in policy order, with what remains of each."""

    __slots__ = ("arrive", "ids", "lots", "rem", "start")

    def __init__(self, lots: list[Lot], remaining: dict[str, Decimal], policy: Policy) -> None:
        self.lots = lots
        self.ids = [lot.id for lot in lots]
        self.rem = [remaining[lot.id] for lot in lots]
        # the day expected supply arrives, or None when it never counts as late
        self.arrive: list[dt.date | None] = [
            None if not policy.skip_late or on_hand(lot) else lot.available_on for lot in lots
        ]
        self.start = 0


class Prepared:
    """Checked inputs: demands in service order, lots grouped by product."""

    __slots__ = ("demands", "existing", "groups", "lots", "remaining")

    def __init__(
        self,
        demands: list[Demand],
        lots: tuple[Lot, ...],
        existing: tuple[Allocation, ...],
        groups: dict[str, Group],
        remaining: dict[str, Decimal],
    ) -> None:
        self.demands = demands
        self.lots = lots
        self.existing = existing
        self.groups = groups
        self.remaining = remaining

    def remaining_after(self) -> dict[str, Decimal]:
        """What remains of every lot once the groups' quantities were taken."""
        remaining = dict(self.remaining)
        for group in self.groups.values():
            remaining.update(zip(group.ids, group.rem, strict=True))
        return remaining


def check_date(value: object, field: str = "as_of") -> dt.date:
    """Refuse anything but a day (a datetime is a moment, not a day)."""
    return date_arg(field, value)


def check_lots(lots: Iterable[Lot]) -> tuple[Lot, ...]:
    """The lots as a tuple, each a Lot, ids unique."""
    return items_arg("lots", lots, Lot, unique_ids=True)


def check_existing(
    existing: Iterable[Allocation], field: str = "existing"
) -> tuple[Allocation, ...]:
    """The existing allocations as a tuple, each an Allocation."""
    return items_arg(field, existing, Allocation)


def check_demands(demands: Iterable[Demand], field: str = "demands") -> tuple[Demand, ...]:
    """The demands as a tuple, each a Demand."""
    return items_arg(field, demands, Demand)


def free_quantities(lots: tuple[Lot, ...], existing: tuple[Allocation, ...]) -> dict[str, Decimal]:
    """What remains of each lot once the existing allocations are taken off (never below 0).

    Every existing allocation commits; allocations of lots that are not given are ignored.
    """
    committing = {allocation.order_id for allocation in existing}
    return free_by_lot(lots, existing, committing=committing)


def prepare(
    demands: Iterable[Demand],
    lots: Iterable[Lot],
    *,
    as_of: object,
    policy: object,
    existing: Iterable[Allocation],
) -> Prepared:
    """Check every input and lay them out; raise ValidationError naming the first bad one."""
    check_date(as_of)
    if not isinstance(policy, Policy):
        raise ValidationError("policy", policy, "must be a Policy")
    assert isinstance(as_of, dt.date)
    checked = check_demands(demands)
    lot_tuple = check_lots(lots)
    existing_tuple = check_existing(existing)
    remaining = free_quantities(lot_tuple, existing_tuple)
    by_sku: dict[str, list[Lot]] = {}
    for lot in lot_tuple:
        if not policy.expired(lot, as_of):
            by_sku.setdefault(lot.sku, []).append(lot)
    key = policy.key
    groups = {}
    for sku, sku_lots in by_sku.items():
        try:
            sku_lots.sort(key=lambda lot: (key(lot), lot.id))
        except TypeError as error:
            raise ValidationError(
                "policy.key", policy.name, f"must give comparable keys: {error}"
            ) from None
        groups[sku] = Group(sku_lots, remaining, policy)
    ordered = sorted(checked, key=serve_key)
    return Prepared(ordered, lot_tuple, existing_tuple, groups, remaining)


def check_unique_lines(demands: list[Demand], served: int) -> None:
    """Refuse two demands of one line (found when fewer lines were served than demands).

    A line is ``(order_id, line_id)``: two orders may each have a line ``"l1"``.
    """
    if served == len(demands):
        return
    seen: set[tuple[str, str]] = set()
    for demand in demands:
        key = (demand.order_id, demand.line_id)
        if key in seen:
            raise ValidationError("demands", key, "must have one demand per (order_id, line_id)")
        seen.add(key)
