"""The derived facts about an order that move it through its workflow.

The rollups compute an :class:`OrderFacts` from an order and its records as of a date; the
workflow engine reads it to decide which automatic rules fire and which guards pass. It is a
plain frozen value, so tests and notebooks can also build one by hand.

>>> facts = OrderFacts(fulfilment=Fulfilment.PARTIAL, billing=Progress.COMPLETE)
>>> facts.fulfilment, facts.payment
(<Fulfilment.PARTIAL: 'partial'>, <Progress.NONE: 'none'>)
"""

from __future__ import annotations

import enum

import attrs

from orderbook import _fields as f

__all__ = ["Acceptance", "Fulfilment", "OrderFacts", "Production", "Progress"]


class Progress(enum.StrEnum):
    """How far something that can be done in parts has got: allocation, billing, payment."""

    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"


class Fulfilment(enum.StrEnum):
    """How far the order has shipped.

    ``COMPLETE`` means every line shipped in full; ``FINISHED`` (b-op) means every line is
    shipped or forfeited, with some forfeited, so no further processing will happen.
    """

    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"
    FINISHED = "finished"

    @property
    def done(self) -> bool:
        """Whether nothing is left to ship: complete or finished."""
        return self in (Fulfilment.COMPLETE, Fulfilment.FINISHED)


class Production(enum.StrEnum):
    """Where the manufacturing orders behind an order stand (MRPeasy)."""

    NONE = "none"
    SCHEDULED = "scheduled"
    STARTED = "started"
    FINISHED = "finished"


class Acceptance(enum.StrEnum):
    """The verdict of automatic acceptance (b-op): accept at once, or have a person review."""

    ACCEPT = "accept"
    REVIEW = "review"


def _progress(value: Progress | str) -> Progress:
    return f.to_enum(Progress, value)


def _fulfilment(value: Fulfilment | str) -> Fulfilment:
    return f.to_enum(Fulfilment, value)


def _production(value: Production | str) -> Production:
    return f.to_enum(Production, value)


def _acceptance(value: Acceptance | str | None) -> Acceptance | None:
    return None if value is None else f.to_enum(Acceptance, value)


@attrs.frozen(kw_only=True)
class OrderFacts:
    """What is true of an order as of a date, as the workflow engine sees it.

    Args:
        allocation: how much of the order is allocated (booked).
        allocated_on_hand: whether everything allocated is on hand (ready to ship) rather
            than partly expected supply. Meaningless while nothing is allocated.
        production: where its manufacturing stands.
        fulfilment: how much of it has shipped (returns deducted).
        billing: how much of it is invoiced.
        payment: how much of what is invoiced is paid.
        exception: an issued invoice or a shipment was cancelled and not yet replaced or
            acknowledged (Tryton's "exception" state).
        acceptance: the automatic acceptance verdict, if one was reached.
        expired: the order is past its ``expires_on``.
    """

    allocation: Progress = attrs.field(
        default=Progress.NONE, converter=_progress, validator=f.valid
    )
    allocated_on_hand: bool = attrs.field(default=False, validator=f.boolean)
    production: Production = attrs.field(
        default=Production.NONE, converter=_production, validator=f.valid
    )
    fulfilment: Fulfilment = attrs.field(
        default=Fulfilment.NONE, converter=_fulfilment, validator=f.valid
    )
    billing: Progress = attrs.field(default=Progress.NONE, converter=_progress, validator=f.valid)
    payment: Progress = attrs.field(default=Progress.NONE, converter=_progress, validator=f.valid)
    exception: bool = attrs.field(default=False, validator=f.boolean)
    acceptance: Acceptance | None = attrs.field(
        default=None, converter=_acceptance, validator=f.valid
    )
    expired: bool = attrs.field(default=False, validator=f.boolean)
