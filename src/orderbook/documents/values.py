"""What a business document says: a frozen value that the HTML and PDF renderers print.

A :class:`Document` holds everything printed, already worked out: the two parties with their
addresses, the number, the dates, the lines with their amounts, the totals per tax rate and
the payment status. The builders in :mod:`orderbook.documents.build` make one from the model's
values; an application may also build or adjust one itself (``attrs.evolve``) before
rendering it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.errors import ValidationError
from orderbook.model import Address, Customer, ElectronicAddress
from orderbook.model.parties import valid_vat_id
from orderbook.money import Money
from orderbook.pricing import Totals
from orderbook.rollup import PaymentStatus

__all__ = ["Document", "DocumentDate", "DocumentKind", "DocumentLine", "Party"]


class DocumentKind(enum.StrEnum):
    """Which business document it is; its ``heading`` is what the document is headed."""

    QUOTE = "quote"
    ORDER_CONFIRMATION = "order_confirmation"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEPOSIT_INVOICE = "deposit_invoice"
    PRO_FORMA_INVOICE = "pro_forma_invoice"
    DELIVERY_NOTE = "delivery_note"
    RETURN_NOTE = "return_note"
    PURCHASE_ORDER = "purchase_order"

    @property
    def heading(self) -> str:
        """The heading printed on the document: ``"Order confirmation"``, ``"Invoice"``.

        >>> DocumentKind.PRO_FORMA_INVOICE.heading
        'Pro-forma invoice'
        """
        return self.value.replace("_", " ").capitalize().replace("Pro forma", "Pro-forma")

    @property
    def to_supplier(self) -> bool:
        """Whether it goes to a supplier (a purchase order) rather than to a customer."""
        return self is DocumentKind.PURCHASE_ORDER


def _iban(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An IBAN (ISO 13616: country, check digits, account; spaces allowed), or ""."""
    f.text(instance, attribute, value)
    assert isinstance(value, str)
    compact = "".join(value.split())
    if not compact:
        return
    shaped = (
        15 <= len(compact) <= 34
        and compact.isascii()
        and compact.isalnum()
        and compact[:2].isalpha()
        and compact[:2].isupper()
        and compact[2:4].isdigit()
    )
    if not shaped or int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 != 1:
        raise f.fail(instance, attribute.name, value, "must be an IBAN with valid check digits")


@attrs.frozen(kw_only=True)
class Party:
    """One side of a document: the seller's letterhead, the customer or the supplier.

    Args:
        name: the party's name, as printed.
        billing_address: the address invoices go to (the seller's own address).
        shipping_address: where goods go, when not the billing address.
        tax_id: a VAT or other tax number, as printed (on an e-invoice, the seller's tax
            registration number, BT-32).
        email, phone: how to reach the party.
        notes: further lines printed in the block, such as bank details.
        vat_id: the VAT identifier with its country prefix, for e-invoices (BT-31, BT-48).
        legal_id: the registration number in its country's register (BT-30, BT-47).
        electronic_address: where it receives e-invoices (BT-34, BT-49).
        iban, bic: the seller's account that payments go to (BT-84, BT-86).

    >>> Party(name="Mangrove Carbon Ltd", tax_id="GB123456789").tax_id
    'GB123456789'
    """

    name: str = attrs.field(validator=f.required_text)
    billing_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    shipping_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    tax_id: str = attrs.field(default="", validator=f.text)
    email: str = attrs.field(default="", validator=f.text)
    phone: str = attrs.field(default="", validator=f.text)
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(str)
    )
    vat_id: str = attrs.field(default="", validator=valid_vat_id)
    legal_id: str = attrs.field(default="", validator=f.text)
    electronic_address: ElectronicAddress | None = attrs.field(
        default=None, validator=f.instance_of(ElectronicAddress, optional=True)
    )
    iban: str = attrs.field(default="", validator=_iban)
    bic: str = attrs.field(default="", validator=f.text)

    @classmethod
    def from_customer(cls, customer: Customer) -> Party:
        """Return the customer's block: its name, addresses, e-mail and identifiers.

        >>> Party.from_customer(Customer(id="c1", name="Ольга Смирнова", currency="EUR")).name
        'Ольга Смирнова'
        """
        if not isinstance(customer, Customer):
            raise ValidationError("customer", customer, "must be a Customer")
        return cls(
            name=customer.name,
            billing_address=customer.billing_address,
            shipping_address=customer.shipping_address,
            email=customer.email,
            vat_id=customer.vat_id,
            legal_id=customer.legal_id,
            electronic_address=customer.electronic_address,
        )


@attrs.frozen(kw_only=True)
class DocumentDate:
    """A labelled date in the document's header: ``Order date``, ``Due date``."""

    label: str = attrs.field(validator=f.required_text)
    date: dt.date = attrs.field(validator=f.date)


@attrs.frozen(kw_only=True)
class DocumentLine:
    """One printed line.

    Amounts are None on documents that carry no prices (a delivery note; a purchase order
    line without a unit cost).

    Args:
        position: the line's number on the document, from 1.
        sku: the product.
        description: what is printed under the product.
        quantity: the quantity the document is about (ordered, billed, shipped).
        unit_price: the price of one unit, at full precision.
        discount: the fraction taken off.
        tax_rate: the fraction of tax.
        net: the line's amount before tax, rounded to the minor unit.
        tax: the line's tax.
        ordered: on a delivery note, the quantity the order asked for.
        due_on: when the line is due.
    """

    position: int = attrs.field(validator=f.non_negative_integer)
    sku: str = attrs.field(default="", validator=f.text)
    description: str = attrs.field(default="", validator=f.text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    unit_price: Money | None = attrs.field(default=None, validator=f.optional_money)
    discount: Decimal = attrs.field(default=Decimal(0), converter=f.decimal, validator=f.fraction)
    tax_rate: Decimal = attrs.field(
        default=Decimal(0), converter=f.decimal, validator=f.non_negative
    )
    net: Money | None = attrs.field(default=None, validator=f.optional_money)
    tax: Money | None = attrs.field(default=None, validator=f.optional_money)
    ordered: Decimal | None = attrs.field(
        default=None, converter=f.optional_decimal, validator=f.optional_non_negative
    )
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)

    @property
    def priced(self) -> bool:
        """Whether the line prints a price and an amount."""
        return self.unit_price is not None and self.net is not None


def _dates(value: Iterable[DocumentDate]) -> tuple[DocumentDate, ...]:
    return f.to_tuple(value)


def _lines(value: Iterable[DocumentLine]) -> tuple[DocumentLine, ...]:
    return f.to_tuple(value)


def _kind(value: DocumentKind | str) -> DocumentKind:
    return f.to_enum(DocumentKind, value)


@attrs.frozen(kw_only=True)
class Document:
    """A business document, ready to render.

    Args:
        kind: which document it is.
        number: its number, as printed; the record's id when it has none.
        currency: the currency of every amount.
        issuer: the seller's (the company's own) block.
        recipient: the customer's block, or the supplier's on a purchase order.
        dates: the dated facts of its header, the document's own date first.
        reference: the customer's own reference (their order number).
        order_number: the number of the order the document belongs to.
        subject: the title of the deal.
        terms: payment or delivery terms.
        lines: the printed lines.
        totals: the totals per tax rate and overall; None where nothing is priced.
        payment: what is paid and still due; None where no payment is asked.
        source_id: the id of the record it was made from.
        stamp: a word printed large beside the title when the document is not final
            (``"Draft"``, ``"Cancelled"``).
        locale: print amounts, quantities and rates as this locale does (``"fr_FR"``; it
            needs the ``babel`` extra when rendered); None prints them locale-neutral.
    """

    kind: DocumentKind = attrs.field(converter=_kind, validator=f.valid)
    number: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    issuer: Party = attrs.field(validator=f.instance_of(Party))
    recipient: Party = attrs.field(validator=f.instance_of(Party))
    dates: tuple[DocumentDate, ...] = attrs.field(
        default=(), converter=_dates, validator=f.tuple_of(DocumentDate)
    )
    reference: str = attrs.field(default="", validator=f.text)
    order_number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    terms: str = attrs.field(default="", validator=f.text)
    lines: tuple[DocumentLine, ...] = attrs.field(
        default=(), converter=_lines, validator=f.tuple_of(DocumentLine)
    )
    totals: Totals | None = attrs.field(
        default=None, validator=f.instance_of(Totals, optional=True)
    )
    payment: PaymentStatus | None = attrs.field(
        default=None, validator=f.instance_of(PaymentStatus, optional=True)
    )
    source_id: str = attrs.field(default="", validator=f.text)
    stamp: str = attrs.field(default="", validator=f.text)
    locale: str | None = attrs.field(default=None, validator=f.optional_text)

    def __attrs_post_init__(self) -> None:
        amounts: list[tuple[str, Money | None]] = []
        for index, line in enumerate(self.lines):
            amounts += [
                (f"lines[{index}].unit_price", line.unit_price),
                (f"lines[{index}].net", line.net),
                (f"lines[{index}].tax", line.tax),
            ]
        if self.totals is not None:
            amounts.append(("totals.gross", self.totals.gross))
        if self.payment is not None:
            amounts.append(("payment.outstanding", self.payment.outstanding))
        f.same_currency(self, self.currency, amounts)

    @property
    def title(self) -> str:
        """The document's heading and number: ``"Invoice INV-2027-001"``."""
        return f"{self.kind.heading} {self.number}"

    @property
    def date(self) -> dt.date | None:
        """The document's own date (the first of its dates), if it has any."""
        return self.dates[0].date if self.dates else None

    @property
    def filename(self) -> str:
        """A safe file name stem: ``invoice-INV-2027-001``."""
        safe = "".join(_safe(c) for c in self.number)
        return f"{self.kind.value.replace('_', '-')}-{safe.strip('-.') or 'document'}"


def _safe(char: str) -> str:
    return char if char.isascii() and (char.isalnum() or char in "-_.") else "-"
