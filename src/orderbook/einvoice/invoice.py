"""The EN 16931 semantic invoice: the business terms of an electronic invoice, as a value.

:class:`EInvoice` holds an invoice's terms in orderbook's own types (Money, dates,
documents' :class:`~orderbook.documents.Party`, the parts of
:mod:`orderbook.einvoice.model`); each syntax (UBL, CII, Factur-X) writes the same value.
It checks EN 16931's rules of arithmetic when it is built, so an invoice that breaks them
cannot exist: the sums of the lines and of the VAT breakdown (BR-CO-10 to BR-CO-16, BR-S-08),
at most two decimals in every total (BR-DEC), and the parties' mandatory parts. Each refusal
is a ValidationError naming the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.documents import Party
from orderbook.einvoice.model import (
    EInvoiceLine,
    InvoiceTypeCode,
    VatBreakdown,
    _two_places,
)
from orderbook.model import Address
from orderbook.money import Money

__all__ = ["EInvoice", "PaymentInstructions", "PrecedingInvoice"]


@attrs.frozen(kw_only=True)
class PrecedingInvoice:
    """BG-3: an invoice this one refers to (the one a credit note corrects).

    Args:
        number: BT-25.
        issued_on: BT-26.
    """

    number: str = attrs.field(validator=f.required_text)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)


@attrs.frozen(kw_only=True)
class PaymentInstructions:
    """BG-16: how to pay.

    Args:
        means_code: BT-81 (UNTDID 4461): ``58`` SEPA credit transfer, ``30`` credit transfer.
        account: BT-84, the IBAN paid to.
        bic: BT-86.
        remittance: BT-83, what the payer quotes (the invoice number).
    """

    means_code: str = attrs.field(validator=f.required_text)
    account: str = attrs.field(validator=f.required_text)
    bic: str = attrs.field(default="", validator=f.text)
    remittance: str = attrs.field(default="", validator=f.text)


def _lines(value: Iterable[EInvoiceLine]) -> tuple[EInvoiceLine, ...]:
    return f.to_tuple(value)


def _breakdown(value: Iterable[VatBreakdown]) -> tuple[VatBreakdown, ...]:
    return f.to_tuple(value)


def _preceding(value: Iterable[PrecedingInvoice]) -> tuple[PrecedingInvoice, ...]:
    return f.to_tuple(value)


def _type_code(value: InvoiceTypeCode | str) -> InvoiceTypeCode:
    return f.to_enum(InvoiceTypeCode, value)


@attrs.frozen(kw_only=True)
class EInvoice:
    """An invoice or credit note in the terms of EN 16931, ready for any of its syntaxes.

    Build it from an issued invoice with :func:`~orderbook.einvoice.semantic_invoice`.

    Args:
        number: BT-1. issued_on: BT-2. type_code: BT-3. currency: BT-5.
        seller: BG-4; its billing address is the seller's postal address (BG-5).
        buyer: BG-7; its billing address is the buyer's postal address (BG-8).
        lines: BG-25. vat_breakdown: BG-23, one per VAT category and rate.
        line_net: BT-106, the sum of the lines' net amounts.
        total_without_vat: BT-109 (no document level allowances or charges: BT-106).
        total_vat: BT-110. total_with_vat: BT-112.
        paid: BT-113, paid before: the deposits the invoice deducts.
        due: BT-115, the amount due for payment.
        due_on: BT-9. buyer_reference: BT-10. order_reference: BT-13, the buyer's order
            number. sales_order_reference: BT-14, the seller's order number.
        payment_terms: BT-20. note: BT-22. preceding: BG-3.
        period_start, period_end: BT-73, BT-74.
        deliver_to: BG-15, where the goods went; deliver_to_name: BT-70.
        payment: BG-16.
        source_id: the id of the orderbook invoice it was built from.
    """

    number: str = attrs.field(validator=f.required_text)
    issued_on: dt.date = attrs.field(validator=f.date)
    type_code: InvoiceTypeCode = attrs.field(converter=_type_code, validator=f.valid)
    currency: str = attrs.field(validator=f.currency)
    seller: Party = attrs.field(validator=f.instance_of(Party))
    buyer: Party = attrs.field(validator=f.instance_of(Party))
    lines: tuple[EInvoiceLine, ...] = attrs.field(
        converter=_lines, validator=f.tuple_of(EInvoiceLine)
    )
    vat_breakdown: tuple[VatBreakdown, ...] = attrs.field(
        converter=_breakdown, validator=f.tuple_of(VatBreakdown)
    )
    line_net: Money = attrs.field(validator=f.money)
    total_without_vat: Money = attrs.field(validator=f.money)
    total_vat: Money = attrs.field(validator=f.money)
    total_with_vat: Money = attrs.field(validator=f.money)
    paid: Money = attrs.field(validator=f.money)
    due: Money = attrs.field(validator=f.money)
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    buyer_reference: str = attrs.field(default="", validator=f.text)
    order_reference: str = attrs.field(default="", validator=f.text)
    sales_order_reference: str = attrs.field(default="", validator=f.text)
    payment_terms: str = attrs.field(default="", validator=f.text)
    note: str = attrs.field(default="", validator=f.text)
    preceding: tuple[PrecedingInvoice, ...] = attrs.field(
        default=(), converter=_preceding, validator=f.tuple_of(PrecedingInvoice)
    )
    period_start: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    period_end: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    deliver_to: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    deliver_to_name: str = attrs.field(default="", validator=f.text)
    payment: PaymentInstructions | None = attrs.field(
        default=None, validator=f.instance_of(PaymentInstructions, optional=True)
    )
    source_id: str = attrs.field(default="", validator=f.text)

    def __attrs_post_init__(self) -> None:
        self._check_amounts()
        self._check_sums()
        self._check_parties()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise f.fail(
                self, "period_end", self.period_end, "must not be before the start (BR-29)"
            )
        if self.deliver_to is not None and not self.deliver_to.country:
            raise f.fail(self, "deliver_to", self.deliver_to, "must have a country (BR-57)")

    @property
    def credit_note(self) -> bool:
        """Whether it is a credit note (UBL writes those as a CreditNote document)."""
        return self.type_code is InvoiceTypeCode.CREDIT_NOTE

    def _check_amounts(self) -> None:
        totals = [
            ("line_net", self.line_net, "BR-DEC-09"),
            ("total_without_vat", self.total_without_vat, "BR-DEC-12"),
            ("total_vat", self.total_vat, "BR-DEC-13"),
            ("total_with_vat", self.total_with_vat, "BR-DEC-14"),
            ("paid", self.paid, "BR-DEC-16"),
            ("due", self.due, "BR-DEC-18"),
        ]
        amounts = [(name, amount) for name, amount, _ in totals]
        amounts += [(f"lines[{i}].net_amount", x.net_amount) for i, x in enumerate(self.lines)]
        amounts += [(f"vat_breakdown[{i}].tax", b.tax) for i, b in enumerate(self.vat_breakdown)]
        f.same_currency(self, self.currency, amounts)
        for name, amount, rule in totals:
            _two_places(self, name, amount, rule)

    def _check_sums(self) -> None:
        zero = Money.zero(self.currency)
        if not self.lines:
            raise f.fail(self, "lines", self.lines, "must hold at least one line (BR-16)")
        if not self.vat_breakdown:
            raise f.fail(self, "vat_breakdown", (), "must hold at least one group (BR-CO-18)")
        sums = [
            ("line_net", sum((x.net_amount for x in self.lines), zero), "BR-CO-10"),
            ("total_without_vat", self.line_net, "BR-CO-13"),
            ("total_vat", sum((b.tax for b in self.vat_breakdown), zero), "BR-CO-14"),
            ("total_with_vat", self.total_without_vat + self.total_vat, "BR-CO-15"),
            ("due", self.total_with_vat - self.paid, "BR-CO-16"),
        ]
        for name, expected, rule in sums:
            if getattr(self, name) != expected:
                raise f.fail(self, name, getattr(self, name), f"must be {expected} ({rule})")
        # VAT breaks down by category code and rate (BR-S-08, BR-Z-08, BR-E-08, BR-AE-08).
        taxable: dict[tuple[str, Decimal], Money] = {}
        for line in self.lines:
            key = (line.vat.code, line.vat.rate)
            taxable[key] = taxable.get(key, zero) + line.net_amount
        given = {(b.category.code, b.category.rate): b.taxable for b in self.vat_breakdown}
        if len(given) != len(self.vat_breakdown) or given != taxable:
            code = next((k[0] for k in taxable if given.get(k) != taxable[k]), "S")
            raise f.fail(
                self,
                "vat_breakdown",
                self.vat_breakdown,
                "must give each VAT category and rate of the lines once, taxable at the sum"
                f" of their net amounts (BR-{code}-08)",
            )

    def _check_parties(self) -> None:
        checks = [("seller", self.seller, "BR-08, BR-09"), ("buyer", self.buyer, "BR-10, BR-11")]
        for name, party, rules in checks:
            address = party.billing_address
            country = address.country if address is not None else ""
            if not (len(country) == 2 and country.isascii() and country.isupper()):
                raise f.fail(
                    self,
                    f"{name}.billing_address",
                    address,
                    f"must be a postal address with a two-letter country code ({rules})",
                )
        seller = self.seller
        if not (seller.vat_id or seller.legal_id):
            raise f.fail(self, "seller", seller.name, "must have a VAT or legal id (BR-CO-26)")
        codes = sorted({line.vat.code for line in self.lines})
        if not (seller.vat_id or seller.tax_id):
            raise f.fail(
                self,
                "seller.vat_id",
                "",
                f"must be given for VAT category {codes[0]}, or a tax_id (BR-{codes[0]}-02)",
            )
        if "AE" in codes and not (self.buyer.vat_id or self.buyer.legal_id):
            raise f.fail(self, "buyer.vat_id", "", "must be given for reverse charge (BR-AE-02)")
