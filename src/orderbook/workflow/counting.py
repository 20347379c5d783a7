"""Counting rules: which documents count as invoiced, what payments are measured against,
how much over-delivery is tolerated, how tax is rounded, and the words for each state.

They decide the figures of every view of an order, so they belong to the workflow's
:class:`~orderbook.workflow.Settings`: the book's summaries, lines, reports, exports, portal
and documents all read them from there.

>>> rules = CountingRules(kinds=["invoice"], tolerance="0.05")
>>> sorted(kind.value for kind in rules.kinds), rules.payments, rules.tolerance
(['invoice'], <PaymentBasis.INVOICED: 'invoiced'>, Decimal('0.05'))
>>> rules.label(PaymentState.PART_PAID)
'Part paid'
>>> CountingRules(labels={"part_paid": "Partially Paid"}).label(PaymentState.PART_PAID)
'Partially Paid'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.errors import ValidationError
from orderbook.model import DocumentStatus, Invoice, InvoiceKind
from orderbook.pricing import TaxRounding

__all__ = [
    "DEFAULT_COUNTING",
    "CountingRules",
    "InvoiceState",
    "PaymentBasis",
    "PaymentState",
]


class InvoiceState(enum.StrEnum):
    """How much of an order is invoiced (MRPeasy's invoice statuses)."""

    NOT_INVOICED = "not_invoiced"
    PART_INVOICED = "part_invoiced"
    INVOICED = "invoiced"

    @property
    def label(self) -> str:
        """MRPeasy's words: ``"Not invoiced"``, ``"Part invoiced"``, ``"Invoiced"``."""
        return self.value.replace("_", " ").capitalize()


class PaymentState(enum.StrEnum):
    """How much of what is owed is paid (MRPeasy's payment statuses)."""

    NOT_PAID = "not_paid"
    PART_PAID = "part_paid"
    PAID = "paid"

    @property
    def label(self) -> str:
        """MRPeasy's words: ``"Not paid"``, ``"Part paid"``, ``"Paid"``."""
        return self.value.replace("_", " ").capitalize()


class PaymentBasis(enum.StrEnum):
    """What payments are measured against.

    ``INVOICED`` (MRPeasy): the invoiced total; ``LINES`` (Mangrove): each line (delivery) is
    owed its own gross, and the order is paid when every line is.
    """

    INVOICED = "invoiced"
    LINES = "lines"


_STATE_CODES = frozenset(state.value for state in (*InvoiceState, *PaymentState))


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


def _labels(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    try:
        pairs = dict(value)  # a mapping, or the pairs a copy of the rules passes back
    except (TypeError, ValueError):
        return cast(tuple[tuple[str, str], ...], f.Invalid(value, "must map states to words"))
    named = [(str(getattr(code, "value", code)), words) for code, words in pairs.items()]
    return tuple(sorted(named))


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


def _words(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    for code, words in cast(tuple[tuple[str, str], ...], value):
        if code not in _STATE_CODES:
            choices = ", ".join(sorted(_STATE_CODES))
            raise f.fail(instance, attribute.name, code, f"must name states among {choices}")
        if not isinstance(words, str) or not words.strip():
            raise f.fail(instance, f"{attribute.name}[{code!r}]", words, "must be words")


def _basis(value: PaymentBasis | str) -> PaymentBasis:
    return f.to_enum(PaymentBasis, value)


def _rounding(value: TaxRounding | str) -> TaxRounding:
    return f.to_enum(TaxRounding, value)


@attrs.frozen(kw_only=True)
class CountingRules:
    """How an order's figures are counted.

    By default issued invoices, credit notes (which subtract) and deposits count; drafts,
    cancelled documents and pro-formas (MRPeasy's "Dummy") never do.

    Args:
        kinds: the invoice kinds that count; pro-forma may not be one.
        statuses: the document statuses that count; cancelled may not be one.
        payments: measure payments against the invoiced total, or per line.
        tolerance: the fraction of a line's quantity that may be delivered beyond it before
            it is flagged as over-delivered (0.05 is 5%).
        tax_rounding: how invoices' and the order's tax is rounded: per line or per document.
        labels: the product's own words for invoice and payment states, by state code
            (``{"part_paid": "Partially Paid"}``); a state not named reads MRPeasy's words.

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
    tolerance: Decimal = attrs.field(
        default=Decimal(0), converter=f.decimal, validator=f.non_negative
    )
    tax_rounding: TaxRounding = attrs.field(
        default=TaxRounding.PER_LINE, converter=_rounding, validator=f.valid
    )
    labels: tuple[tuple[str, str], ...] = attrs.field(
        factory=tuple, converter=_labels, validator=_words
    )

    def counts(self, invoice: Invoice) -> bool:
        """Whether ``invoice`` counts as invoiced under these rules."""
        return invoice.kind in self.kinds and invoice.status in self.statuses

    def label(self, state: InvoiceState | PaymentState | str) -> str:
        """The words for an invoice or payment state (or its code): the product's own, or
        MRPeasy's.

        Raises:
            ValidationError: ``state`` is not an invoice or payment state.
        """
        code = state.value if isinstance(state, InvoiceState | PaymentState) else state
        for named, words in self.labels:
            if named == code:
                return words
        states: list[InvoiceState | PaymentState] = [*InvoiceState, *PaymentState]
        for member in states:
            if member.value == code:
                return member.label
        raise ValidationError("state", state, "must be an invoice or payment state")


DEFAULT_COUNTING = CountingRules()
"""Issued invoices, credit notes and deposits count; payments against the invoiced total;
no tolerance; tax rounded per line."""
