"""The result of an allocation: fills, shortfalls and what remains of each lot."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple, TypeVar, cast

import attrs

from orderbook.allocation.demand import Demand
from orderbook.allocation.explain import Explanation
from orderbook.allocation.explain import explain as _explain
from orderbook.allocation.policies import Policy
from orderbook.errors import NotFound, ValidationError
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import Allocation, Lot
from orderbook.money import to_decimal

__all__ = ["AllocationPlan", "Fill", "LineKey", "Objective"]

_ZERO = Decimal(0)

K = TypeVar("K")

LineKey = tuple[str, str]
"""How a plan names a line: ``(order_id, line_id)``, since every order may have its ``"l1"``."""


class Objective(enum.StrEnum):
    """What an allocation optimises."""

    GREEDY = "greedy"  # serve demands one by one in priority order
    MAX_SERVED = "max_served"  # serve the most in total, then prefer higher priorities


class _FillFields(NamedTuple):
    line_id: str
    order_id: str
    lot_id: str
    sku: str
    quantity: Decimal
    manual: bool


class Fill(_FillFields):
    """A quantity of one lot planned for one order line.

    A fill is an immutable named tuple, so a plan of a million fills stays cheap; it checks
    its fields like every other value. :meth:`to_allocation` turns it into the record a
    store keeps.

    Args:
        line_id, order_id: the line it serves.
        lot_id: the lot it draws on.
        sku: the product.
        quantity: how much, a Decimal > 0.
        manual: True when a person chose the lot.

    >>> fill = Fill("l1", "o1", "issued-2021", "MANGROVE-A", "250")
    >>> fill.quantity, fill.manual
    (Decimal('250'), False)
    """

    __slots__ = ()

    def __new__(
        cls,
        line_id: str,
        order_id: str,
        lot_id: str,
        sku: str,
        quantity: Decimal | int | str,
        manual: bool = False,
    ) -> Fill:
        for field, text in (
            ("line_id", line_id),
            ("order_id", order_id),
            ("lot_id", lot_id),
            ("sku", sku),
        ):
            if not isinstance(text, str) or not text.strip():
                raise ValidationError(field, text, "must be a non-empty str", record="Fill")
        amount = to_decimal(quantity, "quantity", record="Fill")
        if amount <= 0:
            raise ValidationError("quantity", amount, "must be greater than 0", record="Fill")
        if not isinstance(manual, bool):
            raise ValidationError("manual", manual, "must be True or False", record="Fill")
        return tuple.__new__(cls, (line_id, order_id, lot_id, sku, amount, manual))

    @property
    def key(self) -> LineKey:
        """The line it serves, as a plan names it: ``(order_id, line_id)``.

        >>> Fill("l1", "o1", "issued-2021", "MANGROVE-A", "250").key
        ('o1', 'l1')
        """
        return (self.order_id, self.line_id)

    def to_allocation(self, *, id: str, at: dt.datetime | None = None) -> Allocation:
        """Make the allocation record of this fill, with its id and the moment it was made."""
        return Allocation(
            id=id,
            order_id=self.order_id,
            line_id=self.line_id,
            lot_id=self.lot_id,
            sku=self.sku,
            quantity=self.quantity,
            manual=self.manual,
            at=at,
        )


def new_fill(
    line_id: str, order_id: str, lot_id: str, sku: str, quantity: Decimal, manual: bool
) -> Fill:
    """Build a fill from checked parts without checking them again (the allocator's path)."""
    return tuple.__new__(Fill, (line_id, order_id, lot_id, sku, quantity, manual))


@attrs.frozen(kw_only=True)
class AllocationPlan:
    """What an allocation decided: the fills, what each line still lacks, what lots keep.

    A plan is made by :func:`~orderbook.allocation.allocate` (or
    :func:`~orderbook.allocation.reallocate_after_shrink`); nothing is saved until the caller
    turns its fills into allocations with :meth:`allocations`.

    Attributes:
        fills: in the order the demands were served, each demand's lots in policy order.
        demands: the demands, in the order they were served.
        lots: the lots, as given.
        existing: the allocations that were taken off the lots first.
        released: allocations released to make the plan (see ``reallocate_after_shrink``).
        as_of: the date the plan was made for.
        policy: the policy that ranked the lots.
        objective: greedy or max_served.
        partial: whether a demand could be served in part.
    """

    fills: tuple[Fill, ...]
    demands: tuple[Demand, ...]
    lots: tuple[Lot, ...]
    existing: tuple[Allocation, ...]
    as_of: dt.date
    policy: Policy
    objective: Objective = Objective.GREEDY
    partial: bool = True
    released: tuple[Allocation, ...] = ()
    allocated_by_line: Mapping[LineKey, Decimal] = attrs.field(eq=False, repr=False)
    remaining_by_lot: Mapping[str, Decimal] = attrs.field(eq=False, repr=False)
    _index: dict[str, object] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def _demands(self) -> dict[LineKey, Demand]:
        """The demands by (order id, line id), built once on first use (the plan never changes)."""
        if "demands" not in self._index:
            self._index["demands"] = {demand.key: demand for demand in self.demands}
        return cast(dict[LineKey, Demand], self._index["demands"])

    def _fills(self) -> dict[LineKey, tuple[Fill, ...]]:
        """The fills by (order id, line id), built once on first use."""
        if "fills" not in self._index:
            self._index["fills"] = _group(self.fills, lambda fill: fill.key)
        return cast(dict[LineKey, tuple[Fill, ...]], self._index["fills"])

    def _orders_of(self) -> dict[str, tuple[str, ...]]:
        """For each line id, the orders whose demands have it, in service order."""
        if "orders" not in self._index:
            orders: dict[str, list[str]] = {}
            for demand in self.demands:
                orders.setdefault(demand.line_id, []).append(demand.order_id)
            self._index["orders"] = {key: tuple(value) for key, value in orders.items()}
        return cast(dict[str, tuple[str, ...]], self._index["orders"])

    def key(self, key: LineKey | str) -> LineKey:
        """The ``(order_id, line_id)`` a key stands for: that tuple, or a line id alone.

        A line id alone is enough when exactly one demand of the plan has it (handy in a
        notebook); when lines of several orders have it, pass the tuple.

        Raises:
            NotFound: a line id alone that no demand has.
            ValidationError: a line id alone that demands of several orders have (naming the
                line and the orders), or neither a str nor a tuple of two str.

        >>> import datetime as dt
        >>> from orderbook.allocation import Demand, allocate
        >>> plan = allocate([Demand(line_id="l1", order_id="o1", sku="TEA", quantity=1),
        ...                  Demand(line_id="l1", order_id="o2", sku="TEA", quantity=1),
        ...                  Demand(line_id="l2", order_id="o2", sku="TEA", quantity=1)],
        ...                 [], as_of=dt.date(2027, 1, 4))
        >>> plan.key("l2"), plan.key(("o1", "l1"))
        (('o2', 'l2'), ('o1', 'l1'))
        >>> plan.key("l1")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        orderbook.errors.ValidationError: key is the line id of several orders (o1, o2): ...
        """
        if isinstance(key, tuple):
            if len(key) == 2 and all(isinstance(part, str) for part in key):
                return (key[0], key[1])
        elif isinstance(key, str):
            orders = self._orders_of().get(key, ())
            if len(orders) == 1:
                return (orders[0], key)
            if not orders:
                raise NotFound("demand of line", key)
            raise ValidationError(
                "key",
                key,
                f"is the line id of several orders ({', '.join(orders)}): "
                "pass (order_id, line_id)",
            )
        raise ValidationError("key", key, "must be an (order_id, line_id) tuple or a line id")

    # -- per line --------------------------------------------------------------------------

    def demand(self, key: LineKey | str) -> Demand:
        """The demand of a line, named by ``(order_id, line_id)`` (or its line id alone).

        Raises:
            NotFound: no demand of that line was planned.
            ValidationError: the key is ambiguous or not a key (see :meth:`key`).
        """
        found = self.key(key)
        try:
            return self._demands()[found]
        except KeyError:
            raise _not_planned(found) from None

    def allocated(self, key: LineKey | str) -> Decimal:
        """How much the plan gives a line (existing allocations not included).

        Args:
            key: ``(order_id, line_id)``, or the line id alone when no other order has it.

        Raises:
            NotFound: no demand of that line was planned.
            ValidationError: the key is ambiguous or not a key (see :meth:`key`).
        """
        found = self.key(key)
        try:
            return self.allocated_by_line[found]
        except KeyError:
            raise _not_planned(found) from None

    def shortfall(self, key: LineKey | str) -> Decimal:
        """How much of a line's demand the plan leaves open.

        Args:
            key: ``(order_id, line_id)``, or the line id alone when no other order has it.

        Raises:
            NotFound: no demand of that line was planned.
            ValidationError: the key is ambiguous or not a key (see :meth:`key`).
        """
        found = self.key(key)
        return self.demand(found).quantity - self.allocated(found)

    def shortfalls(self) -> dict[LineKey, Decimal]:
        """The lines left short and by how much, by ``(order_id, line_id)``, in service order."""
        result = {}
        for demand in self.demands:
            key = demand.key
            short = demand.quantity - self.allocated_by_line.get(key, _ZERO)
            if short > 0:
                result[key] = short
        return result

    def fills_for(self, key: LineKey | str) -> tuple[Fill, ...]:
        """The fills of one line, in policy order (none for a line the plan does not know).

        Args:
            key: ``(order_id, line_id)``, or the line id alone when no other order has it.

        Raises:
            NotFound: a line id alone that no demand has.
            ValidationError: the key is ambiguous or not a key (see :meth:`key`).
        """
        return self._fills().get(self.key(key), ())

    # -- per lot ---------------------------------------------------------------------------

    def remaining(self, lot_id: str) -> Decimal:
        """What is left of a lot after the existing allocations and this plan.

        Raises:
            NotFound: the plan has no such lot.
        """
        try:
            return self.remaining_by_lot[lot_id]
        except KeyError:
            raise NotFound("lot", lot_id) from None

    # -- totals and views ------------------------------------------------------------------

    @property
    def demanded(self) -> Decimal:
        """The total quantity the demands asked for."""
        return sum((demand.quantity for demand in self.demands), _ZERO)

    @property
    def served(self) -> Decimal:
        """The total quantity the plan fills."""
        return sum((fill.quantity for fill in self.fills), _ZERO)

    def by_order(self) -> dict[str, tuple[Fill, ...]]:
        """The fills grouped by order id, orders in the order they were first served."""
        return _group(self.fills, lambda fill: fill.order_id)

    def by_lot(self) -> dict[str, tuple[Fill, ...]]:
        """The fills grouped by lot id, lots in the order they were first drawn on."""
        return _group(self.fills, lambda fill: fill.lot_id)

    def allocations(
        self, *, id_factory: IdFactory = uuid4_ids, at: dt.datetime | None = None
    ) -> tuple[Allocation, ...]:
        """Turn the fills into allocation records, ready to be saved.

        Args:
            id_factory: makes each allocation's id.
            at: when the allocations are made (timezone-aware), so the newest are known.
        """
        return tuple(fill.to_allocation(id=id_factory(), at=at) for fill in self.fills)

    def explain(self, key: LineKey | str) -> Explanation:
        """Why a line got what it got: each lot of its product, and what happened to it.

        Args:
            key: ``(order_id, line_id)``, or the line id alone when no other order has it.

        Raises:
            NotFound: no demand of that line was planned.
            ValidationError: the key is ambiguous or not a key (see :meth:`key`).
        """
        return _explain(self, key)

    # -- display ---------------------------------------------------------------------------

    def table(self, *, max_rows: int = 50) -> list[tuple[str, ...]]:
        """The plan as rows of text: a header, then one row per demand in service order."""
        by_line: dict[LineKey, list[str]] = {}
        for fill in self.fills:
            by_line.setdefault(fill.key, []).append(f"{fill.lot_id}:{fill.quantity}")
        rows: list[tuple[str, ...]] = [_HEADER]
        for demand in self.demands[:max_rows]:
            got = self.allocated_by_line.get(demand.key, _ZERO)
            rows.append(
                (
                    demand.order_id,
                    demand.line_id,
                    demand.sku,
                    str(demand.due_on or "-"),
                    str(demand.priority),
                    str(demand.quantity),
                    str(got),
                    str(demand.quantity - got),
                    " ".join(by_line.get(demand.key, ())) or "-",
                )
            )
        return rows

    def __str__(self) -> str:
        rows = self.table()
        widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        more = len(self.demands) - (len(rows) - 1)
        if more > 0:
            lines.append(f"... and {more} more demands")
        lines.append(f"served {self.served} of {self.demanded} ({self.policy.name}, {self._mode})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        from orderbook.views import plan_repr

        return plan_repr(self)

    def _repr_html_(self) -> str:
        from orderbook.views import plan_html

        return plan_html(self)

    @property
    def _mode(self) -> str:
        parts = [str(self.objective), f"as of {self.as_of}"]
        if not self.partial:
            parts.append("whole lines only")
        return ", ".join(parts)


_HEADER = ("order", "line", "sku", "due", "prio", "demanded", "allocated", "short", "lots")


def _not_planned(key: LineKey) -> NotFound:
    return NotFound(f"demand of order {key[0]!r} and line", key[1])


def _group(fills: tuple[Fill, ...], field: Callable[[Fill], K]) -> dict[K, tuple[Fill, ...]]:
    groups: dict[K, list[Fill]] = {}
    for fill in fills:
        groups.setdefault(field(fill), []).append(fill)
    return {key: tuple(value) for key, value in groups.items()}
