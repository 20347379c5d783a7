"""Billing records: invoices (with credit notes, deposits, pro-formas) and payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.ids import uuid4_ids
from orderbook.model.enums import DocumentStatus, InvoiceKind
from orderbook.money import Money

__all__ = ["Invoice", "InvoiceLine", "Payment"]


@attrs.frozen(kw_only=True)
class InvoiceLine:
    """A billed quantity, copied from what it bills so later edits of the order leave it be.

    ``order_line_id`` is None for a line that bills no order line (a deposit, usage data).
    ``fixed_net`` and ``fixed_tax``, when given, are the line's amounts as billed, in place of
    the formulas: the part that completes a line billed in parts carries the line's total
    minus what earlier parts billed, so the parts add up to the cent.
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_price: Money = attrs.field(validator=f.money)
    discount: Decimal = attrs.field(default=Decimal(0), converter=f.decimal, validator=f.fraction)
    tax_rate: Decimal = attrs.field(
        default=Decimal(0), converter=f.decimal, validator=f.non_negative
    )
    description: str = attrs.field(default="", validator=f.text)
    sku: str = attrs.field(default="", validator=f.text)
    order_line_id: str | None = attrs.field(default=None, validator=f.optional_text)
    fixed_net: Money | None = attrs.field(default=None, validator=f.optional_money)
    fixed_tax: Money | None = attrs.field(default=None, validator=f.optional_money)

    def __attrs_post_init__(self) -> None:
        currency = self.unit_price.currency
        f.same_currency(
            self, currency, [("fixed_net", self.fixed_net), ("fixed_tax", self.fixed_tax)]
        )


def _invoice_kind(value: InvoiceKind | str) -> InvoiceKind:
    return f.to_enum(InvoiceKind, value)


def _document_status(value: DocumentStatus | str) -> DocumentStatus:
    return f.to_enum(DocumentStatus, value)


def _invoice_lines(value: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Invoice:
    """A billing document: an invoice, credit note, deposit or pro-forma.

    Amounts on a credit note are positive; its kind says they are taken back. Whether an
    invoice is paid is derived from payments, never stored here.

    Args:
        id: the invoice's id.
        customer_id: who is billed.
        currency: the currency of every line.
        lines: what is billed.
        order_id: the order it bills, if any.
        kind: invoice, credit note, deposit or pro-forma.
        status: draft (editable), issued or cancelled.
        number, subject: as printed.
        issued_on: the issue date; required once issued.
        due_on: when payment is due.
        period_start, period_end: the period a recurring invoice bills.
        corrects: the invoice a credit note corrects.

    >>> invoice = Invoice(customer_id="acme", currency="EUR", lines=[
    ...     InvoiceLine(quantity=1, unit_price=Money("99.00", "EUR"), description="Setup")])
    >>> invoice.kind, invoice.status
    (<InvoiceKind.INVOICE: 'invoice'>, <DocumentStatus.DRAFT: 'draft'>)
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    customer_id: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    lines: tuple[InvoiceLine, ...] = attrs.field(
        factory=tuple, converter=_invoice_lines, validator=f.tuple_of(InvoiceLine)
    )
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    kind: InvoiceKind = attrs.field(
        default=InvoiceKind.INVOICE, converter=_invoice_kind, validator=f.valid
    )
    status: DocumentStatus = attrs.field(
        default=DocumentStatus.DRAFT, converter=_document_status, validator=f.valid
    )
    number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    period_start: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    period_end: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    corrects: str | None = attrs.field(default=None, validator=f.optional_text)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        f.check_lines(self, self.currency, self.lines, "unit_price")
        if self.status is DocumentStatus.ISSUED and self.issued_on is None:
            raise f.fail(self, "issued_on", None, "must be given once the invoice is issued")
        if self.due_on and self.issued_on and self.due_on < self.issued_on:
            raise f.fail(self, "due_on", self.due_on, "must not be before issued_on")

    @property
    def counts_as_billed(self) -> bool:
        """Whether it is an issued document that bills (not a draft, cancelled or pro-forma)."""
        return self.status is DocumentStatus.ISSUED and self.kind is not InvoiceKind.PRO_FORMA


def _positive_money(instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    f.money(instance, attribute, value)
    assert isinstance(value, Money)
    if value.amount <= 0:
        raise f.fail(instance, attribute.name, value, "must be greater than 0")


@attrs.frozen(kw_only=True)
class Payment:
    """Money received against an invoice, or against one order line (a Mangrove delivery).

    >>> Payment(amount=Money("500.00", "USD"), received_on=dt.date(2027, 3, 1),
    ...         order_id="o1", line_id="l1").line_id
    'l1'
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    amount: Money = attrs.field(validator=_positive_money)
    received_on: dt.date = attrs.field(validator=f.date)
    invoice_id: str | None = attrs.field(default=None, validator=f.optional_text)
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    line_id: str | None = attrs.field(default=None, validator=f.optional_text)
    method: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        if self.invoice_id is None and self.line_id is None:
            raise f.fail(self, "invoice_id", None, "or line_id must be given")
        if self.line_id is not None and self.order_id is None:
            raise f.fail(self, "order_id", None, "must be given with line_id")
