"""Inventory allocation: which lots fill which order lines.

Everything here is pure: demands, lots and existing allocations in, a plan out. Nothing is
saved until the caller turns the plan's fills into allocation records.

>>> import datetime as dt
>>> from orderbook import Lot
>>> from orderbook.allocation import Demand, allocate
>>> plan = allocate([Demand(line_id="l1", order_id="o1", sku="TEA", quantity=3)],
...                 [Lot(id="shelf", sku="TEA", quantity=10)], as_of=dt.date(2027, 1, 4))
>>> plan.remaining("shelf")
Decimal('7')
"""

from orderbook.allocation.demand import Demand, demands_for, serve_key
from orderbook.allocation.explain import Explanation, LotNote, explain
from orderbook.allocation.greedy import allocate
from orderbook.allocation.manual import can_fulfil, fulfil_manually
from orderbook.allocation.override import Override, override_manually
from orderbook.allocation.plan import AllocationPlan, Fill, LineKey, Objective
from orderbook.allocation.policies import (
    LotKey,
    Policy,
    best_available,
    by_location,
    cheapest,
    fefo,
    fifo,
    most_stock,
    newest_vintage,
    on_hand,
)
from orderbook.allocation.rebook import Rebooking, rebook
from orderbook.allocation.release import reallocate_after_shrink, release

__all__ = [
    # Demands
    "Demand",
    "demands_for",
    "serve_key",
    # Policies
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
    # Allocating
    "Objective",
    "allocate",
    "can_fulfil",
    "fulfil_manually",
    "Override",
    "override_manually",
    # Plans
    "AllocationPlan",
    "Explanation",
    "Fill",
    "LineKey",
    "LotNote",
    "explain",
    # Releasing and rebooking
    "Rebooking",
    "reallocate_after_shrink",
    "rebook",
    "release",
]
