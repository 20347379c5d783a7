"""The derived statuses of an order, and the rules that say which documents count.

Each status is a small frozen value: a state (none, partial, complete, in the source product's
words) with the exact percentages behind it. A percentage is a Decimal with two places, rounded
down, so it reads 100 only when the thing it measures is complete and 0 only when nothing is
done: 99.9992% of a delivery is shown as 99.99, never as 100.

>>> percent(Decimal("999992"), Decimal("1000000"), complete=False)
Decimal('99.99')
>>> percent(Decimal("1"), Decimal("3"), complete=False)
Decimal('33.33')
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.model import DocumentStatus, Invoice, InvoiceKind
from orderbook.money import Money
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
    "percent",
]

_ZERO = Decimal(0)
_STEP = Decimal("0.01")
_HUNDRED = Decimal(100)
_NONE = Decimal("0.00")
_ALMOST = Decimal("99.99")
_FULL = Decimal("100.00")
_DIVIDE = decimal.Context(
    prec=60, rounding=ROUND_DOWN, traps=[decimal.InvalidOperation, decimal.DivisionByZero]
)


def percent(part: Decimal, whole: Decimal, *, complete: bool) -> Decimal:
    """Return ``part`` as a percentage of ``whole``: two places, rounded down.

    Args:
        part: what is done.
        whole: what there is to do.
        complete: whether the thing measured is complete; only then is the result 100.

    Returns:
        ``100.00`` when complete; ``0.00`` when nothing is done (or there is nothing to
        measure against); otherwise a value from ``0.01`` to ``99.99``.

    >>> percent(Decimal("43.52"), Decimal("145.05"), complete=False)
    Decimal('30.00')
    >>> percent(Decimal("145.05"), Decimal("145.05"), complete=True)
    Decimal('100.00')
    """
    if complete:
        return _FULL
    if part <= _ZERO or whole <= _ZERO:
        return _NONE
    value = _DIVIDE.divide(_DIVIDE.multiply(part, _HUNDRED), whole).quantize(_STEP, ROUND_DOWN)
    return _STEP if value < _STEP else _ALMOST if value > _ALMOST else value


class InvoiceState(enum.StrEnum):
    """How much of an order is invoiced (MRPeasy's invoice statuses)."""

    NOT_INVOICED = "not_invoiced"
    PART_INVOICED = "part_invoiced"
    INVOICED = "invoiced"


class PaymentState(enum.StrEnum):
    """How much of what is owed is paid (MRPeasy's payment statuses)."""

    NOT_PAID = "not_paid"
    PART_PAID = "part_paid"
    PAID = "paid"


class PaymentBasis(enum.StrEnum):
    """What payments are measured against.

    ``INVOICED`` (MRPeasy): the invoiced total; ``LINES`` (Mangrove): each line (delivery) is
    owed its own gross, and the order is paid when every line is.
    """

    INVOICED = "invoiced"
    LINES = "lines"


def _kinds(value: Iterable[InvoiceKind | str]) -> frozenset[InvoiceKind]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return cast(frozenset[InvoiceKind], f.Invalid(value, "must be a set of invoice kinds"))
    return frozenset(f.to_enum(InvoiceKind, kind) for kind in value)


def _statuses(value: Iterable[DocumentStatus | str]) -> frozenset[DocumentStatus]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return cast(
            frozenset[DocumentStatus], f.Invalid(value, "must be a set of document statuses")
        )
    return frozenset(f.to_enum(DocumentStatus, status) for status in value)


def _sorted_repr(members: frozenset[Any]) -> str:
    """A set's repr with its members in order, so equal rules always print alike (a set's
    own order depends on how it was built)."""
    return f"frozenset({{{', '.join(sorted(map(repr, members)))}}})" if members else "frozenset()"


def _members(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    assert isinstance(value, frozenset)
    for member in sorted(value, key=str):
        f.valid(instance, attribute, member)


def _no_pro_forma(
    instance: object, attribute: attrs.Attribute[frozenset[InvoiceKind]], value: object
) -> None:
    if isinstance(value, frozenset) and InvoiceKind.PRO_FORMA in value:
        raise f.fail(instance, attribute.name, "pro_forma", "must not include pro_forma")


def _no_cancelled(
    instance: object, attribute: attrs.Attribute[frozenset[DocumentStatus]], value: object
) -> None:
    if isinstance(value, frozenset) and DocumentStatus.CANCELLED in value:
        raise f.fail(instance, attribute.name, "cancelled", "must not include cancelled")


def _basis(value: PaymentBasis | str) -> PaymentBasis:
    return f.to_enum(PaymentBasis, value)


@attrs.frozen(kw_only=True)
class CountingRules:
    """Which billing documents count as invoiced, and what payments are measured against.

    By default issued invoices, credit notes (which subtract) and deposits count; drafts,
    cancelled documents and pro-formas (MRPeasy's "Dummy") never do.

    Args:
        kinds: the invoice kinds that count; pro-forma may not be one.
        statuses: the document statuses that count; cancelled may not be one.
        payments: measure payments against the invoiced total, or per line.

    >>> rules = CountingRules(kinds=["invoice"])
    >>> sorted(kind.value for kind in rules.kinds), rules.payments
    (['invoice'], <PaymentBasis.INVOICED: 'invoiced'>)
    >>> CountingRules(statuses=["issued", "cancelled"])
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: CountingRules: statuses must not include cancelled, ...
    """

    kinds: frozenset[InvoiceKind] = attrs.field(
        default=frozenset({InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE, InvoiceKind.DEPOSIT}),
        converter=_kinds,
        validator=[_members, _no_pro_forma],
        repr=_sorted_repr,
    )
    statuses: frozenset[DocumentStatus] = attrs.field(
        default=frozenset({DocumentStatus.ISSUED}),
        converter=_statuses,
        validator=[_members, _no_cancelled],
        repr=_sorted_repr,
    )
    payments: PaymentBasis = attrs.field(
        default=PaymentBasis.INVOICED, converter=_basis, validator=f.valid
    )

    def counts(self, invoice: Invoice) -> bool:
        """Whether ``invoice`` counts as invoiced under these rules."""
        return invoice.kind in self.kinds and invoice.status in self.statuses


DEFAULT_COUNTING = CountingRules()
"""Issued invoices, credit notes and deposits count; payments against the invoiced total."""


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
    """

    state: InvoiceState
    percent: Decimal
    by_quantity: Decimal
    invoiced: Money
    deposits: Money
    over_invoiced: bool


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
    """

    state: PaymentState
    percent: Decimal
    paid: Money
    due: Money
    outstanding: Money
    overpaid: bool
