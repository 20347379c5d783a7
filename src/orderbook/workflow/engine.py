"""The workflow engine: a frozen :class:`Workflow` whose methods move orders through it.

A workflow is data (statuses, manual transitions with guards, automatic rules, settings),
validated when it is built. Its methods are pure: they take an order and its derived facts
and return a new order and the history of what happened, or raise saying why not.

>>> import datetime as dt
>>> from orderbook.model import Order
>>> from orderbook.workflow.facts import OrderFacts
>>> wf = Workflow(
...     name="tiny",
...     statuses=[
...         Status("open", "Open", editable=True),
...         Status("closed", "Closed", terminal=True),
...     ],
...     initial="open",
...     transitions=[Transition(source="open", target="closed", name="close")],
... )
>>> order = Order(id="o1", customer_id="acme", currency="EUR", status=wf.initial)
>>> at = dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC)
>>> closed, entry = wf.transition(order, "closed", facts=OrderFacts(), at=at, by="ana")
>>> closed.status, entry.source, entry.target, entry.by
('closed', 'open', 'closed', 'ana')
>>> wf.transition(closed, "open", facts=OrderFacts(), at=at)
Traceback (most recent call last):
...
orderbook.errors.InvalidTransition: order 'o1' cannot move from 'closed' to 'open': Closed is
terminal: the order cannot leave it
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.errors import InvalidTransition, LockedError, NotFound, ValidationError
from orderbook.model import Order
from orderbook.workflow import _validate, diagram, locks
from orderbook.workflow.facts import OrderFacts
from orderbook.workflow.history import Choices, HistoryEntry, Refusal
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["Workflow"]


def _statuses(value: Iterable[Status]) -> tuple[Status, ...]:
    return f.to_tuple(value)


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return f.to_tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Workflow:
    """A company's order lifecycle, as data: statuses, transitions, rules and settings.

    Args:
        name: what the workflow is called, e.g. ``"mrpeasy"``.
        statuses: the statuses, in the order people see them; codes are unique.
        initial: the code of the status new orders start in.
        transitions: the moves a person may make (into manual statuses only).
        rules: the automatic moves, tried in this order.
        settings: the workflow-wide choices the book obeys.

    Raises:
        ValidationError: naming the problem: no status, no or an unknown initial status, a
            transition or rule naming an unknown status, a transition into a status that
            is not manual, two transitions between the same statuses, a way out of a
            terminal status, a status that cannot be reached from the initial one, or
            two statuses that cancel, or one that no transition enters.
    """

    name: str = attrs.field(validator=f.required_text)
    statuses: tuple[Status, ...] = attrs.field(converter=_statuses, validator=f.tuple_of(Status))
    initial: str | None = attrs.field(default=None, validator=f.optional_text)
    transitions: tuple[Transition, ...] = attrs.field(
        factory=tuple, converter=_transitions, validator=f.tuple_of(Transition)
    )
    rules: tuple[Rule, ...] = attrs.field(
        factory=tuple, converter=_rules, validator=f.tuple_of(Rule)
    )
    settings: Settings = attrs.field(factory=Settings, validator=f.instance_of(Settings))

    def __attrs_post_init__(self) -> None:
        _validate.validate(self)

    def __repr__(self) -> str:
        return f"Workflow({self.name!r}, {len(self.statuses)} statuses)"

    # -- looking up ---------------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """The status codes, in the workflow's order."""
        return tuple(status.code for status in self.statuses)

    def status(self, code: str) -> Status:
        """Return the status with that code, to read its label and flags.

        Raises:
            NotFound: the workflow has no such status.
        """
        for status in self.statuses:
            if status.code == code:
                return status
        raise NotFound("status", code if isinstance(code, str) else repr(code))

    @property
    def cancel_status(self) -> Status | None:
        """The status flagged ``cancels``, which cancelling moves an order to; None when the
        workflow cannot cancel (b-op)."""
        return next((status for status in self.statuses if status.cancels), None)

    def _current(self, order: Order) -> Status:
        try:
            return self.status(order.status)
        except NotFound:
            raise ValidationError(
                "status",
                order.status,
                f"is not a status of workflow {self.name!r}",
                record=f"Order {order.id!r}",
            ) from None

    # -- moving by hand -----------------------------------------------------------------------

    def _refusal(
        self, order: Order, current: Status, target: Status, facts: OrderFacts
    ) -> str | None:
        if target.code == current.code:
            return f"the order is already {current.label}"
        if current.terminal:
            return f"{current.label} is terminal: the order cannot leave it"
        if not target.manual:
            return f"{target.label} is set automatically, not by hand"
        for transition in self.transitions:
            if transition.target == target.code and current.code in transition.source:
                return transition.refusal(order, facts)
        return f"there is no transition from {current.label} to {target.label}"

    def allowed(self, order: Order, *, facts: OrderFacts) -> Choices:
        """Where a person may move the order now, and why not to each other status.

        Args:
            order: the order, in one of this workflow's statuses.
            facts: its derived facts, for the guards.

        Returns:
            The allowed status codes and, for every other status, the reason it is refused.

        Raises:
            ValidationError: the order's status is not one of this workflow's.
        """
        order, facts = _inputs(order, facts)
        current = self._current(order)
        allowed: list[str] = []
        refused: list[Refusal] = []
        for target in self.statuses:
            if target.code == current.code:
                continue
            reason = self._refusal(order, current, target, facts)
            if reason is None:
                allowed.append(target.code)
            else:
                refused.append(Refusal(target.code, reason))
        return Choices(current=current.code, allowed=allowed, refused=refused)

    def transition(
        self,
        order: Order,
        to: str,
        *,
        facts: OrderFacts,
        at: dt.datetime,
        by: str | None = None,
        reason: str | None = None,
    ) -> tuple[Order, HistoryEntry]:
        """Move the order by hand to status ``to``, if the workflow allows it now.

        Args:
            order: the order to move.
            to: the code of the status to enter; it must be manual.
            facts: the order's derived facts, for the transition's guard.
            at: when, a timezone-aware datetime.
            by: who moves it.
            reason: why, in the person's words.

        Returns:
            The moved order and the history entry of the move.

        Raises:
            InvalidTransition: the move is refused, with the reason (terminal status, a status
                set only automatically, no such transition, a guard's refusal). Finalizing locks
                the document, not the lifecycle: a finalized order moves like any other.
            ValidationError: ``to`` or the order's status is not one of this workflow's, or
                ``at``, ``by`` or ``reason`` is malformed.
        """
        order, facts = _inputs(order, facts)
        at = locks.check_moment(at)
        current = self._current(order)
        try:
            target = self.status(to)
        except NotFound:
            raise ValidationError("to", to, f"is not a status of workflow {self.name!r}") from None
        refusal = self._refusal(order, current, target, facts)
        if refusal is not None:
            raise InvalidTransition(order.id, current.code, target.code, refusal)
        entry = HistoryEntry(
            order_id=order.id, source=current.code, target=target.code, at=at, by=by, reason=reason
        )
        return attrs.evolve(order, status=target.code), entry

    # -- moving automatically -----------------------------------------------------------------

    def next_rule(self, order: Order, *, facts: OrderFacts) -> Rule | None:
        """The automatic rule that would move the order now, or None (a finalized order
        moves too: finalizing locks the document, not the lifecycle)."""
        order, facts = _inputs(order, facts)
        self._current(order)
        for rule in self.rules:
            if order.status in rule.source and rule.fires(order, facts):
                return rule
        return None

    def settle(
        self, order: Order, *, facts: OrderFacts, at: dt.datetime
    ) -> tuple[Order, tuple[HistoryEntry, ...]]:
        """Apply the automatic rules until none fires.

        Facts do not change while settling, so entering a status twice would loop for ever:
        the engine stops there and raises instead.

        Args:
            order: the order to settle.
            facts: its derived facts.
            at: when, a timezone-aware datetime, stamped on every entry.

        Returns:
            The settled order and the entries of the moves made, oldest first (none when no
            rule fires).

        Raises:
            InvalidTransition: the rules go round in a loop; nothing is changed.
            ValidationError: the order's status is not one of this workflow's, or ``at`` is
                not timezone-aware.
        """
        order, facts = _inputs(order, facts)
        at = locks.check_moment(at)
        visited = [order.status]
        entries: list[HistoryEntry] = []
        while (rule := self.next_rule(order, facts=facts)) is not None:
            if rule.target in visited:
                loop = " -> ".join([*visited[visited.index(rule.target) :], rule.target])
                raise InvalidTransition(
                    order.id, visited[0], rule.target, f"the automatic rules loop: {loop}"
                )
            entries.append(
                HistoryEntry(
                    order_id=order.id,
                    source=order.status,
                    target=rule.target,
                    at=at,
                    reason=rule.name,
                    automatic=True,
                )
            )
            visited.append(rule.target)
            order = attrs.evolve(order, status=rule.target)
        return order, tuple(entries)

    # -- what may change ----------------------------------------------------------------------

    def check_editable(self, order: Order) -> None:
        """Raise unless the order's lines may change now.

        Raises:
            LockedError: the order is finalized, or its status is locked or not editable;
                the reason says which, and which move would make it editable.
            ValidationError: the order's status is not one of this workflow's.
        """
        order = locks.check_order(order)
        current = self._current(order)
        reason = locks.editable_refusal(current, order)
        if reason is None:
            return
        if order.finalized_at is None:
            ways = [
                self.status(t.target).label + (f" ({t.name!r})" if t.name else "")
                for t in self.transitions
                if current.code in t.source and self.status(t.target).editable
            ]
            if ways:
                reason = f"{reason}: move it to {' or '.join(ways)} first"
        raise LockedError(order.id, reason)

    def check_update(self, before: Order, after: Order) -> None:
        """Raise unless ``before`` may be changed into ``after`` (other than its status).

        A finalized order may change only its terms and its recurring plan; a locked status
        allows no change; a status that is not editable allows header changes but not lines.

        Raises:
            LockedError: the change is not allowed, naming the fields.
            ValidationError: ``after`` is another order, or changes its status or
                ``finalized_at`` (use :meth:`transition` and :func:`finalize`).
        """
        before = locks.check_order(before, "before")
        after = locks.check_order(after, "after")
        reason = locks.update_refusal(self._current(before), before, after)
        if reason is not None:
            raise LockedError(before.id, reason)

    def check_header_edit(self, before: Order, after: Order) -> None:
        """Raise unless ``before``'s header may be changed into ``after``'s.

        Where the status is editable the header may change (Dolibarr's draft; a validated
        order needs its Modify move first). Once finalized only the terms may change, and
        the recurrence (Kafinea), whatever the status, unless it is locked.

        Raises:
            LockedError: the status is not editable, or the order is finalized and another
                field changes, naming the fields.
            ValidationError: as for :meth:`check_update`.
        """
        before = locks.check_order(before, "before")
        if before.finalized_at is None:
            self.check_editable(before)
        self.check_update(before, after)

    def visible_to_customer(self, order: Order) -> bool:
        """Whether a customer portal may show the order now.

        Its status must be ``customer_visible`` and, when the settings say
        ``visible_once_finalized``, the order must be finalized.
        """
        order = locks.check_order(order)
        if self.settings.visible_once_finalized and order.finalized_at is None:
            return False
        return self._current(order).customer_visible

    # -- deriving and drawing -----------------------------------------------------------------

    def with_status(
        self,
        status: Status,
        *,
        after: str | None = None,
        transitions: Iterable[Transition] = (),
        rules: Iterable[Rule] = (),
    ) -> Workflow:
        """Return a new workflow with one more status and the moves that lead in and out.

        Args:
            status: the new status.
            after: the code of the status it is listed after; the end when None.
            transitions: new transitions, added after the existing ones.
            rules: new rules, added after the existing ones.

        Raises:
            ValidationError: the result is not a valid workflow (see :class:`Workflow`).
            NotFound: ``after`` names no status.
        """
        statuses = list(self.statuses)
        position = (
            len(statuses) if after is None else self.codes.index(self.status(after).code) + 1
        )
        statuses.insert(position, status)
        return attrs.evolve(
            self,
            statuses=statuses,
            transitions=[*self.transitions, *transitions],
            rules=[*self.rules, *rules],
        )

    def with_transitions(self, *transitions: Transition) -> Workflow:
        """Return a new workflow with these transitions added after the existing ones."""
        return attrs.evolve(self, transitions=[*self.transitions, *transitions])

    def with_rules(self, *rules: Rule) -> Workflow:
        """Return a new workflow with these rules added after the existing ones."""
        return attrs.evolve(self, rules=[*self.rules, *rules])

    def with_settings(self, **changes: Any) -> Workflow:
        """Return a new workflow whose settings have these fields changed.

        >>> from orderbook.billing import TaxRules
        >>> from orderbook.workflow import presets
        >>> taxed = presets.kafinea().with_settings(tax_rules=TaxRules(rates={("FR", ""): "0.2"}))
        >>> taxed.settings.tax_rules.rates[0].rate, taxed.settings.visible_once_finalized
        (Decimal('0.2'), True)

        Raises:
            ValidationError: a change is not a valid setting.
        """
        try:
            settings = attrs.evolve(self.settings, **changes)
        except TypeError:
            unknown = sorted(set(changes) - {a.name for a in attrs.fields(Settings)})
            raise ValidationError(
                "settings", unknown[0] if unknown else changes, "must name fields of Settings"
            ) from None
        return attrs.evolve(self, settings=settings)

    def to_mermaid(self) -> str:
        """Return the workflow as a Mermaid ``stateDiagram-v2``, drawn from its data."""
        return diagram.mermaid(self)


def _inputs(order: object, facts: object) -> tuple[Order, OrderFacts]:
    if not isinstance(facts, OrderFacts):
        raise ValidationError("facts", facts, "must be an OrderFacts")
    return locks.check_order(order), facts
