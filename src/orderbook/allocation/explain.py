"""Why a line got what it got: each lot of its product, in policy order, and its fate."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from orderbook.errors import ValidationError

if TYPE_CHECKING:
    from orderbook.allocation.plan import AllocationPlan, LineKey

__all__ = ["Explanation", "LotNote"]

_ZERO = Decimal(0)
_NAMED_LINES = 3


@attrs.frozen(kw_only=True)
class LotNote:
    """What one lot did for a line: how much it gave, and why not more.

    Attributes:
        lot_id: the lot.
        taken: how much the line got from it in this plan.
        reason: in words, e.g. ``"took 300"`` or ``"expired on 2026-12-31"``.
    """

    lot_id: str
    taken: Decimal
    reason: str


@attrs.frozen(kw_only=True)
class Explanation:
    """Why a line got what it got, lot by lot (see :meth:`AllocationPlan.explain`).

    Attributes:
        line_id, order_id, sku: the line.
        demanded, allocated: what it asked for and what the plan gives it.
        notes: one per lot of its product, in the policy's order.
        summary: the first line of the printed explanation.
    """

    line_id: str
    order_id: str
    sku: str
    demanded: Decimal
    allocated: Decimal
    notes: tuple[LotNote, ...]
    summary: str

    @property
    def shortfall(self) -> Decimal:
        """What the line still lacks after the plan."""
        return self.demanded - self.allocated

    def __str__(self) -> str:
        width = max((len(note.lot_id) for note in self.notes), default=0)
        lines = [self.summary]
        lines += [f"  {note.lot_id.ljust(width)}  {note.reason}" for note in self.notes]
        if not self.notes:
            lines.append("  no lot of this product was given")
        return "\n".join(lines)


def explain(plan: AllocationPlan, key: LineKey | str) -> Explanation:
    """Explain one line of a plan; see :meth:`AllocationPlan.explain`.

    Args:
        plan: the plan.
        key: the line, ``(order_id, line_id)``, or its line id alone when no other order of
            the plan has it.

    Raises:
        NotFound: no demand of that line was planned.
        ValidationError: the key is ambiguous or not a key (see
            :meth:`AllocationPlan.key`).
    """
    from orderbook.allocation.plan import AllocationPlan

    if not isinstance(plan, AllocationPlan):
        raise ValidationError("plan", plan, "must be an AllocationPlan")
    order_id, line_id = found = plan.key(key)
    demand = plan.demand(found)
    allocated = plan.allocated(found)
    policy = plan.policy
    candidates = sorted(
        (lot for lot in plan.lots if lot.sku == demand.sku),
        key=lambda lot: (policy.key(lot), lot.id),
    )
    taken: dict[str, Decimal] = {}
    others: dict[str, list[str]] = {}
    lines_of = Counter(d.line_id for d in plan.demands)
    for fill in plan.fills:
        if fill.order_id == order_id and fill.line_id == line_id:
            taken[fill.lot_id] = taken.get(fill.lot_id, _ZERO) + fill.quantity
        else:  # a line id other orders share is named with its order
            name = fill.line_id
            if lines_of[name] > 1:
                name = f"{name} of {fill.order_id}"
            others.setdefault(fill.lot_id, []).append(name)
    held: dict[str, Decimal] = {}
    for allocation in plan.existing:
        held[allocation.lot_id] = held.get(allocation.lot_id, _ZERO) + allocation.quantity
    notes = []
    for lot in candidates:
        got = taken.get(lot.id, _ZERO)
        left = plan.remaining_by_lot.get(lot.id, _ZERO)
        if policy.expired(lot, plan.as_of):
            reason = f"skipped: expired on {lot.expires_on}"
        elif policy.late(lot, demand):
            reason = f"skipped: expected on {lot.available_on}, after the due date {demand.due_on}"
        elif policy.accept is not None and not policy.accept(lot, demand):
            reason = f"skipped: refused by the policy {policy.name}"
        elif got:
            reason = f"took {got}, {left} left"
        elif not left:
            reason = "skipped: nothing left" + _used_by(held.get(lot.id), others.get(lot.id))
        elif allocated == demand.quantity:
            reason = f"not needed, {left} left"
        elif not plan.partial:
            reason = (
                "not used: partial fills are off and the line cannot be served in full; "
                f"{left} left"
            )
        else:
            reason = f"not used, {left} left"
        notes.append(LotNote(lot_id=lot.id, taken=got, reason=reason))
    summary = (
        f"line {line_id} (order {demand.order_id}, {demand.sku}): demanded {demand.quantity}, "
        f"allocated {allocated}, short {demand.quantity - allocated}"
    )
    return Explanation(
        line_id=line_id,
        order_id=demand.order_id,
        sku=demand.sku,
        demanded=demand.quantity,
        allocated=allocated,
        notes=tuple(notes),
        summary=summary,
    )


def _used_by(held: Decimal | None, lines: list[str] | None) -> str:
    parts = []
    if held:
        parts.append(f"{held} held by existing allocations")
    if lines:
        named = ", ".join(lines[:_NAMED_LINES])
        if len(lines) > _NAMED_LINES:
            named += f" and {len(lines) - _NAMED_LINES} more"
        parts.append(f"planned for {named}")
    return f" ({'; '.join(parts)})" if parts else ""
