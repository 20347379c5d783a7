"""The moves of a workflow: manual transitions with their guards, and automatic rules.

Guards and conditions are plain, typed Python callables over the order and its derived
:class:`~orderbook.workflow.facts.OrderFacts`; nothing is looked up by name. A guard returns
``None`` when it lets the move happen, or the reason why not. A rule's condition returns
whether the rule fires.

>>> from orderbook.workflow.facts import Fulfilment, OrderFacts
>>> def nothing_shipped(order: Order, facts: OrderFacts) -> str | None:
...     return None if facts.fulfilment is Fulfilment.NONE else "something already shipped"
>>> reopen = Transition(source="confirmed", target="draft", name="reopen", guard=nothing_shipped)
>>> reopen.source
('confirmed',)
>>> reopen.refusal(Order(customer_id="acme", currency="EUR"), OrderFacts(fulfilment="partial"))
'something already shipped'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.model import Order
from orderbook.workflow.facts import OrderFacts

__all__ = ["Condition", "Guard", "Rule", "Transition"]

Guard = Callable[[Order, OrderFacts], str | None]
"""A check on a manual transition: ``None`` lets it happen, a str says why it may not."""

Condition = Callable[[Order, OrderFacts], bool]
"""When an automatic rule fires: ``True`` moves the order."""


def _sources(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else f.to_tuple(value)


def _non_empty_codes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.tuple_of(str)(instance, attribute, value)
    assert isinstance(value, tuple)
    if not value:
        raise f.fail(instance, attribute.name, value, "must name at least one status")
    for index, code in enumerate(value):
        if value.index(code) != index:
            raise f.fail(instance, f"{attribute.name}[{index}]", code, "is named twice")


def _callable(*, optional: bool) -> f.Validator:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional and value is None:
            return
        if not callable(value) or isinstance(value, type):
            raise f.fail(instance, attribute.name, value, "must be a function (order, facts)")

    return check


def _not_a_source(instance: Transition | Rule) -> None:
    if instance.target in instance.source:
        raise f.fail(instance, "target", instance.target, "must differ from every source")


@attrs.frozen(kw_only=True)
class Transition:
    """A move a person may make, from any of ``source`` to ``target``, if the guard agrees.

    Args:
        source: the status code(s) it leaves from; a single str is one source.
        target: the status code it enters; that status must be ``manual``.
        name: the verb people see, e.g. ``"validate"`` or ``"classify billed"``.
        guard: a :data:`Guard`, or None for a move that is always allowed.
    """

    source: tuple[str, ...] = attrs.field(converter=_sources, validator=_non_empty_codes)
    target: str = attrs.field(validator=f.required_text)
    name: str = attrs.field(default="", validator=f.text)
    guard: Guard | None = attrs.field(default=None, validator=_callable(optional=True))

    def __attrs_post_init__(self) -> None:
        _not_a_source(self)

    def refusal(self, order: Order, facts: OrderFacts) -> str | None:
        """Ask the guard: None when the move may happen, otherwise the reason why not."""
        return None if self.guard is None else self.guard(order, facts)


@attrs.frozen(kw_only=True)
class Rule:
    """An automatic move: an order in any of ``source`` enters ``target`` when ``when`` holds.

    A rule may enter a manual status too (b-op's "accepted"). Rules are tried in the order
    the workflow lists them; the first one that fires wins.

    Args:
        source: the status code(s) it applies to; a single str is one source.
        target: the status code it enters.
        when: a :data:`Condition` over the order and its facts.
        name: what happened, in words, recorded as the history entry's reason and drawn on
            the diagram, e.g. ``"production started"``.
    """

    source: tuple[str, ...] = attrs.field(converter=_sources, validator=_non_empty_codes)
    target: str = attrs.field(validator=f.required_text)
    when: Condition = attrs.field(validator=_callable(optional=False))
    name: str = attrs.field(validator=f.required_text)

    def __attrs_post_init__(self) -> None:
        _not_a_source(self)

    def fires(self, order: Order, facts: OrderFacts) -> bool:
        """Whether the rule moves an order in one of its sources, given these facts."""
        return bool(self.when(order, facts))
