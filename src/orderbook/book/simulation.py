"""What-if answers: commands run on a scratch copy of the book, which stays untouched.

>>> import datetime as dt
>>> from orderbook.store import MemoryStore
>>> copy = scratch_copy(MemoryStore())
>>> copy.dump()["order"]
()

The copy keeps the workflow the book recorded:

>>> store = MemoryStore()
>>> store.put_setting("workflow", {"name": "standard"})
>>> scratch_copy(store).setting("workflow")
{'name': 'standard'}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from orderbook.allocation import AllocationPlan
from orderbook.book.outcome import Outcome
from orderbook.errors import NotFound
from orderbook.rollup import OrderSummary
from orderbook.store import MemoryStore, Store
from orderbook.store.codec import decode
from orderbook.store.protocol import RECORD_KINDS

__all__ = ["Shortfall", "Simulation", "scratch_copy"]


@attrs.frozen(kw_only=True)
class Shortfall:
    """What an open order's line still lacks: ordered, less allocated, delivered, forfeited.

    Args:
        order_id, line_id: the line.
        sku: its product.
        quantity: what no allocation covers yet, above zero.
    """

    order_id: str
    line_id: str
    sku: str
    quantity: Decimal


@attrs.frozen(kw_only=True)
class Simulation:
    """The answer of :meth:`OrderBook.simulate`.

    Args:
        outcomes: what each command did, in order (on the scratch copy).
        summaries: the summaries, after the commands, of every order they touched, by id.
        shortfalls: every line of an open order (committing, not terminal) that allocations
            do not cover, after the commands: who goes short.
        before: the same, before the commands, to compare with (see
            :func:`orderbook.export.simulation_records`).
    """

    outcomes: tuple[Outcome, ...]
    summaries: tuple[OrderSummary, ...]
    shortfalls: tuple[Shortfall, ...]
    before: tuple[Shortfall, ...] = ()

    @property
    def plans(self) -> tuple[AllocationPlan, ...]:
        """Every allocation plan the commands made, in order."""
        return tuple(plan for outcome in self.outcomes for plan in outcome.plans)

    def summary(self, order_id: str) -> OrderSummary:
        """The summary of one order the commands touched.

        Raises:
            NotFound: not an order the commands touched.
        """
        for found in self.summaries:
            if found.order_id == order_id:
                return found
        raise NotFound("order summary", order_id)


# The settings a book keeps (the workflow it was made with), which a simulation reads too.
_SETTINGS = ("workflow",)


def scratch_copy(store: Store) -> MemoryStore:
    """Copy every record and event of a store, and the book's settings, into a new MemoryStore.

    The copies' versions start again at 1; the event log keeps its numbers.
    """
    dump = store.dump()
    copy = MemoryStore()
    target: Any = copy  # every kind of record goes through the same call
    with copy.transaction():
        for name, kind in RECORD_KINDS.items():
            for row in dump[name]:
                target.put(attrs.evolve(decode(kind, row), version=0))
        for event in store.events():
            copy.append_event(event.kind, at=event.at, order_id=event.order_id, data=event.data)
        for setting in _SETTINGS:
            value = store.setting(setting)
            if value is not None:
                copy.put_setting(setting, value)
    return copy
