"""Commands that bill, buy and collect: invoices, deposits, credit notes, their drafts and
life, purchase orders, and payments.

>>> InvoiceOrder(order_id="o1", quantities={"l1": 2}).quantities
(('l1', Decimal('2')),)
>>> InvoiceOrder(order_id="o1").quantities
'remaining'
>>> InvoiceOrder(order_id="o1", kind="deposit", percent=30).percent
Decimal('30')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal, cast

import attrs

from orderbook import _fields as f
from orderbook.commands._convert import Quantities, by_field, positive_quantities, quantities
from orderbook.model import InvoiceKind, InvoiceLine
from orderbook.money import Money

__all__ = [
    "CancelInvoice",
    "CreditInvoice",
    "DeletePayment",
    "EditDraftInvoice",
    "EditPayment",
    "InvoiceDuePeriods",
    "InvoiceOrder",
    "IssueInvoice",
    "LineEdit",
    "Procure",
    "RecordPayment",
]

What = Literal["remaining", "shipped"] | Quantities


def _what(value: str | Mapping[str, Decimal | int | str] | Quantities) -> What:
    if value in ("remaining", "shipped"):
        return cast(What, value)
    if isinstance(value, str):
        return cast(What, f.Invalid(value, "must be 'remaining', 'shipped' or {line_id: qty}"))
    return quantities(value)


def _check_what(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    if isinstance(value, tuple):
        positive_quantities(instance, attribute, value)


def _invoice_kind(value: InvoiceKind | str) -> InvoiceKind:
    return f.to_enum(InvoiceKind, value)


def _optional_decimal(value: Decimal | int | str | None) -> Decimal | None:
    return f.optional_decimal(value)


def _optional_percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    if value is not None:
        assert isinstance(value, Decimal)
        if not 0 < value <= 100:
            raise f.fail(instance, attribute.name, value, "must be above 0 and at most 100")


def _optional_positive_money(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        _positive_money(instance, attribute, value)


@attrs.frozen(kw_only=True)
class InvoiceOrder:
    """Make a draft invoice for an order in a billable status: all, part, or what shipped;
    or a deposit of an amount or a percent of the order's gross.

    Drafts count as already invoiced here, so two drafts never bill the same units.

    Args:
        order_id: the order.
        quantities: ``"remaining"``, ``"shipped"`` or ``{line_id: quantity}``; left as
            ``"remaining"`` for a deposit, which bills an amount.
        kind: ``"invoice"``, ``"pro_forma"`` or ``"deposit"``.
        percent: a deposit's percent of the order's gross (30 is 30%); one that would
            exceed what is left to invoice takes what is left.
        amount: or a deposit's amount, in the order's currency, at most what is left.
        issue: issue it at once (on ``issued_on``, or the clock's date).
        issued_on, due_days, number, subject: as for :func:`orderbook.invoice_order`.
        invoice_id: the invoice's id; made by the id factory when None.
        by: who invoices.
    """

    order_id: str = attrs.field(validator=f.required_text)
    quantities: What = attrs.field(default="remaining", converter=_what, validator=_check_what)
    kind: InvoiceKind = attrs.field(
        default=InvoiceKind.INVOICE, converter=_invoice_kind, validator=f.valid
    )
    percent: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_optional_percent
    )
    amount: Money | None = attrs.field(default=None, validator=_optional_positive_money)
    issue: bool = attrs.field(default=False, validator=f.boolean)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    due_days: int | None = attrs.field(default=None, validator=f.optional_integer)
    number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    invoice_id: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()

    def __attrs_post_init__(self) -> None:
        if self.kind is not InvoiceKind.DEPOSIT:
            for name in ("percent", "amount"):
                if getattr(self, name) is not None:
                    raise f.fail(
                        self, name, getattr(self, name), "must only be given for a deposit"
                    )
            return
        if (self.percent is None) == (self.amount is None):
            raise f.fail(self, "percent", self.percent, "or amount must be given, not both")
        if self.quantities != "remaining":
            raise f.fail(
                self, "quantities", self.quantities, "must be left out: a deposit bills an amount"
            )


@attrs.frozen(kw_only=True)
class InvoiceDuePeriods:
    """Invoice every period of an order's recurring plan due by a date (catching up).

    Args:
        order_id: the order, with an enabled recurring plan.
        as_of: the date; the clock's date when None.
        by: who invoices.
    """

    order_id: str = attrs.field(validator=f.required_text)
    as_of: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class LineEdit:
    """New values for one line of a draft invoice; None leaves a field as it is."""

    quantity: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=f.optional_non_negative
    )
    unit_price: Money | None = attrs.field(default=None, validator=f.optional_money)
    discount: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=f.optional_non_negative
    )
    tax_rate: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=f.optional_non_negative
    )
    description: str | None = attrs.field(default=None, validator=f.optional_text)


def _edits(value: Mapping[str, LineEdit] | Iterable[tuple[str, LineEdit]]) -> Any:
    pairs = value.items() if isinstance(value, Mapping) else value
    return f.to_tuple(pairs)


def _check_edits(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.valid(instance, attribute, value)
    assert isinstance(value, tuple)
    for pair in value:
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], LineEdit)
        ):
            raise f.fail(instance, attribute.name, pair, "must map line ids to LineEdit")


def _lines(value: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
    return f.to_tuple(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class EditDraftInvoice:
    """Change a draft invoice: edit, add and remove lines, renumber or retitle it.

    Args:
        invoice_id: the draft.
        edits: ``{line_id: LineEdit}``.
        add: lines to add.
        remove: ids of lines to remove.
        number, subject: new values; None leaves them.
        by: who edits it.
    """

    invoice_id: str = attrs.field(validator=f.required_text)
    edits: tuple[tuple[str, LineEdit], ...] = attrs.field(
        factory=tuple, converter=_edits, validator=_check_edits
    )
    add: tuple[InvoiceLine, ...] = attrs.field(
        factory=tuple, converter=_lines, validator=f.tuple_of(InvoiceLine)
    )
    remove: tuple[str, ...] = attrs.field(factory=tuple, converter=_ids, validator=f.tuple_of(str))
    number: str | None = attrs.field(default=None, validator=f.optional_text)
    subject: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class IssueInvoice:
    """Issue a draft invoice: from then on it counts as billed and never changes.

    Args:
        invoice_id: the draft.
        issued_on: the issue date; the clock's date when None.
        due_days: days until payment is due.
        number: its number, if not given before.
        by: who issues it.
    """

    invoice_id: str = attrs.field(validator=f.required_text)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    due_days: int | None = attrs.field(default=None, validator=f.optional_integer)
    number: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()


def _optional_quantities(
    value: Mapping[str, Decimal | int | str] | Quantities | None,
) -> Quantities | None:
    return None if value is None else quantities(value)


def _check_optional_quantities(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        positive_quantities(instance, attribute, value)


@attrs.frozen(kw_only=True)
class CreditInvoice:
    """Make a credit note that takes back all or part of an issued invoice or deposit.

    The book finds the invoice's earlier credit notes (drafts and issued, not cancelled):
    together they never take back more than the invoice billed.

    Args:
        invoice_id: the invoice to credit.
        quantities: ``{invoice_line_id: quantity}`` to take back; all that is not yet
            credited when None.
        issue: issue it at once (on ``issued_on``, or the clock's date).
        issued_on: the date it carries.
        number, subject: as printed; the subject names the invoice by default.
        by: who credits it.

    >>> CreditInvoice(invoice_id="inv-1", quantities={"il-1": "0.5"}).quantities
    (('il-1', Decimal('0.5')),)
    >>> CreditInvoice(invoice_id="inv-1", quantities={"il-1": 0})
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: CreditInvoice: quantities['il-1'] must be above 0, ...
    """

    invoice_id: str = attrs.field(validator=f.required_text)
    quantities: Quantities | None = attrs.field(
        default=None, converter=_optional_quantities, validator=_check_optional_quantities
    )
    issue: bool = attrs.field(default=False, validator=f.boolean)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    by: str | None = by_field()


def _optional_ids(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else f.to_tuple(value)


def _check_line_ids(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    f.tuple_of(str)(instance, attribute, value)
    assert isinstance(value, tuple)
    if not value:
        raise f.fail(instance, attribute.name, value, "must name at least one line")
    if len(set(value)) != len(value):
        raise f.fail(instance, attribute.name, value, "must name each line once")


@attrs.frozen(kw_only=True)
class Procure:
    """Make one purchase order per supplier for lines of an order (Kafinea).

    Each purchase order line buys the order line's quantity at its product's unit cost; the
    purchase orders are numbered ``<order number>-PO<n>`` (see
    :func:`orderbook.conversions.procure`).

    Args:
        order_id: the order.
        line_ids: the lines to procure; by default every line no purchase order serves yet.
        by: who procures.

    >>> Procure(order_id="o1", line_ids=["l1", "l2"]).line_ids
    ('l1', 'l2')
    >>> Procure(order_id="o1", line_ids=["l1", "l1"])
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: Procure: line_ids must name each line once, ...
    """

    order_id: str = attrs.field(validator=f.required_text)
    line_ids: tuple[str, ...] | None = attrs.field(
        default=None, converter=_optional_ids, validator=_check_line_ids
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class CancelInvoice:
    """Cancel an invoice (a draft, or an issued one that then puts the order in exception).

    Args:
        invoice_id: the invoice.
        by: who cancels it.
    """

    invoice_id: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()


def _positive_money(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.money(instance, attribute, value)
    assert isinstance(value, Money)
    if value.amount <= 0:
        raise f.fail(instance, attribute.name, value, "must be greater than 0")


@attrs.frozen(kw_only=True)
class RecordPayment:
    """Record money received against an issued invoice, or against one order line.

    Args:
        amount: what was received, in the invoice's (or order's) currency.
        invoice_id: the invoice paid; or
        order_id, line_id: the line paid (Mangrove records payments per delivery).
        received_on: the date; the clock's date when None.
        method, reference: how it was paid and the bank's reference.
        payment_id: the payment's id; made by the id factory when None.
        by: who records it.
    """

    amount: Money = attrs.field(validator=_positive_money)
    invoice_id: str | None = attrs.field(default=None, validator=f.optional_text)
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    line_id: str | None = attrs.field(default=None, validator=f.optional_text)
    received_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    method: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    payment_id: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()

    def __attrs_post_init__(self) -> None:
        if (self.invoice_id is None) == (self.line_id is None):
            raise f.fail(self, "invoice_id", self.invoice_id, "or line_id must be given, not both")
        if self.line_id is not None and self.order_id is None:
            raise f.fail(self, "order_id", None, "must be given with line_id")


@attrs.frozen(kw_only=True)
class EditPayment:
    """Correct a recorded payment; None leaves a field as it is.

    Args:
        payment_id: the payment.
        amount, received_on, method, reference: the new values.
        by: who corrects it.
    """

    payment_id: str = attrs.field(validator=f.required_text)
    amount: Money | None = attrs.field(default=None, validator=f.optional_money)
    received_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    method: str | None = attrs.field(default=None, validator=f.optional_text)
    reference: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class DeletePayment:
    """Delete a payment recorded by mistake.

    Args:
        payment_id: the payment.
        by: who deletes it.
    """

    payment_id: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()
