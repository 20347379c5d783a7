"""Ready-made guards: the checks that order workflows put on manual transitions.

Each is a :data:`~orderbook.workflow.moves.Guard`: it returns ``None`` when the move may
happen and the reason, in words, when it may not. :func:`all_of` combines several.

>>> from orderbook.model import Order
>>> from orderbook.workflow.facts import OrderFacts
>>> order = Order(customer_id="acme", currency="EUR")
>>> print(fully_shipped(order, OrderFacts(fulfilment="finished")))
None
>>> fully_shipped(order, OrderFacts(fulfilment="partial"))
'not every line is shipped or forfeited yet'
>>> all_of(fully_shipped, fully_paid)(order, OrderFacts(fulfilment="complete"))
'the order is not paid in full yet'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.errors import ValidationError
from orderbook.model import Order
from orderbook.workflow.facts import Fulfilment, OrderFacts, Progress
from orderbook.workflow.moves import Guard

__all__ = [
    "AllOf",
    "all_of",
    "fully_billed",
    "fully_paid",
    "fully_shipped",
    "no_exception",
    "nothing_shipped",
]


def fully_shipped(order: Order, facts: OrderFacts) -> str | None:
    """Pass when every line is shipped, or shipped and forfeited."""
    return None if facts.fulfilment.done else "not every line is shipped or forfeited yet"


def nothing_shipped(order: Order, facts: OrderFacts) -> str | None:
    """Pass while nothing of the order has shipped."""
    return None if facts.fulfilment is Fulfilment.NONE else "part of the order has shipped"


def fully_billed(order: Order, facts: OrderFacts) -> str | None:
    """Pass when issued invoices cover the whole order."""
    return None if facts.billing is Progress.COMPLETE else "the order is not billed in full yet"


def fully_paid(order: Order, facts: OrderFacts) -> str | None:
    """Pass when what is invoiced is paid in full."""
    return None if facts.payment is Progress.COMPLETE else "the order is not paid in full yet"


def no_exception(order: Order, facts: OrderFacts) -> str | None:
    """Pass unless an issued invoice or a shipment was cancelled and not yet replaced."""
    if facts.exception:
        return "an issued invoice or a shipment was cancelled and is not replaced yet"
    return None


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    return f.to_tuple(value)


def _all_callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    assert isinstance(value, tuple)
    for index, guard in enumerate(value):
        if not callable(guard) or isinstance(guard, type):
            raise ValidationError(f"guards[{index}]", guard, "must be a function (order, facts)")


@attrs.frozen
class AllOf:
    """A guard made of several: it passes when each passes, else gives the first refusal.

    Being a value, two workflows built alike compare equal.
    """

    guards: tuple[Guard, ...] = attrs.field(converter=_guards, validator=_all_callable)

    def __call__(self, order: Order, facts: OrderFacts) -> str | None:
        """Ask each guard in turn and return the first refusal, or None."""
        for guard in self.guards:
            reason = guard(order, facts)
            if reason is not None:
                return reason
        return None


def all_of(*guards: Guard) -> AllOf:
    """Combine guards: the result passes when each passes, else gives the first refusal.

    Args:
        guards: the guards, asked in the order given.

    Raises:
        ValidationError: one of them is not callable.
    """
    return AllOf(guards)
