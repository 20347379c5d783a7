"""The derived statuses of an order: a state and the exact percentages behind it.

Each status is a small frozen value: a state (none, partial, complete, in the source product's
words) with its percentages. A percentage is the exact ratio, a Decimal of 50 significant
digits: two thirds is neither 66.66 nor 66.67 but 66.666...67. Rounding is for display only
(:func:`format_percent`), and a display never shows 100% for what is not complete, nor 0% for
what has begun. The counting rules (which documents count, and more) are in
:mod:`orderbook.workflow.counting`, where the workflow holds them.

>>> percent(Decimal("2"), Decimal("3"))
Decimal('66.666666666666666666666666666666666666666666666667')
>>> format_percent(percent(Decimal("2"), Decimal("3")))
'66.67%'
>>> format_percent(percent(Decimal("999992"), Decimal("1000000")))
'99.99%'
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import attrs

from orderbook.money import Money
from orderbook.workflow.counting import (
    DEFAULT_COUNTING,
    CountingRules,
    InvoiceState,
    PaymentBasis,
    PaymentState,
)
from orderbook.workflow.facts import Fulfilment

__all__ = [
    "DEFAULT_COUNTING",
    "CountingRules",
    "FulfilmentStatus",
    "InvoiceState",
    "InvoiceStatus",
    "PaymentBasis",
    "PaymentState",
    "PaymentStatus",
    "format_percent",
    "percent",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_DIVIDE = decimal.Context(
    prec=50, rounding=ROUND_HALF_EVEN, traps=[decimal.InvalidOperation, decimal.DivisionByZero]
)


def percent(part: Decimal, whole: Decimal, *, complete: bool = False) -> Decimal:
    """Return ``part`` as a percentage of ``whole``: the exact ratio, times 100.

    The ratio is exact where it ends within 50 significant digits, and correctly rounded
    to 50 digits where it does not (a third). It may exceed 100 (over-invoiced, overpaid).

    Args:
        part: what is done.
        whole: what there is to do.
        complete: whether the thing measured is complete; read only when there is nothing
            to measure against (a free order shipped in full is 100% shipped by amount).

    Returns:
        ``part * 100 / whole``; when ``whole`` is not above zero, 100 if complete and 0 if
        not; 0 when nothing is done.

    >>> percent(Decimal("43.52"), Decimal("145.05"))
    Decimal('30.003447087211306446053085143054119269217511203033')
    >>> percent(Decimal("145.05"), Decimal("145.05"))
    Decimal('100')
    """
    if whole <= _ZERO:
        return _HUNDRED if complete else _ZERO
    if part <= _ZERO:
        return _ZERO
    return _DIVIDE.divide(_DIVIDE.multiply(part, _HUNDRED), whole)


def format_percent(value: Decimal, places: int = 2) -> str:
    """Show a percentage rounded to ``places`` (half up), for people.

    Only what is exactly 100 shows as 100, and only what is exactly 0 as 0: 99.996 shows as
    ``99.99%`` and 0.001 as ``0.01%``, so a display never claims done or not begun.

    >>> format_percent(Decimal("100")), format_percent(Decimal("0"))
    ('100.00%', '0.00%')
    >>> format_percent(Decimal("99.996")), format_percent(Decimal("0.001"), places=1)
    ('99.99%', '0.1%')
    """
    step = Decimal(1).scaleb(-places)
    shown = value.quantize(step, ROUND_HALF_UP)
    if shown >= _HUNDRED > value:
        shown = _HUNDRED - step
    elif shown <= _ZERO < value:
        shown = step
    return f"{shown}%"


def _state_label(status: InvoiceStatus | PaymentStatus) -> str:
    state = status.state
    return state.label if isinstance(state, InvoiceState | PaymentState) else ""


@attrs.frozen(kw_only=True)
class FulfilmentStatus:
    """How far an order has shipped, by quantity and by amount (returns deducted).

    Args:
        state: none, partial, complete (every line shipped in full) or finished (every line
            shipped or forfeited).
        by_quantity: the percent of the ordered units delivered.
        by_amount: the percent of the order's net amount delivered.
        over_delivered: some line was delivered beyond its quantity and the tolerance.
    """

    state: Fulfilment
    by_quantity: Decimal
    by_amount: Decimal
    over_delivered: bool


@attrs.frozen(kw_only=True)
class InvoiceStatus:
    """How much of an order is invoiced: MRPeasy's status and percent, by quantity and amount.

    Args:
        state: not invoiced, part invoiced or invoiced (every line invoiced in full).
        percent: the part of the order's gross that is invoiced (MRPeasy's percent).
        by_quantity: the percent of the ordered units invoiced.
        invoiced: the gross invoiced, credit notes deducted, deposits included.
        deposits: deposits invoiced and not yet deducted on a final invoice.
        over_invoiced: some line was invoiced beyond its quantity, or the order beyond its
            gross.
        label: the state in the product's words (the counting rules' labels).
    """

    state: InvoiceState
    percent: Decimal
    by_quantity: Decimal
    invoiced: Money
    deposits: Money
    over_invoiced: bool
    label: str = attrs.field(default=attrs.Factory(_state_label, takes_self=True))


@attrs.frozen(kw_only=True)
class PaymentStatus:
    """How much of what is owed is paid.

    Args:
        state: not paid, part paid or paid.
        percent: the part of ``due`` that is paid.
        paid: what was received (refunds against credit notes deducted).
        due: what the payments are measured against: the invoiced total, or the order's
            gross when payments are recorded per line.
        outstanding: what is still to be paid, never below zero.
        overpaid: more was paid than is due.
        label: the state in the product's words (the counting rules' labels).
    """

    state: PaymentState
    percent: Decimal
    paid: Money
    due: Money
    outstanding: Money
    overpaid: bool
    label: str = attrs.field(default=attrs.Factory(_state_label, takes_self=True))
