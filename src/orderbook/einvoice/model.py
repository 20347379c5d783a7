"""The EN 16931 semantic invoice: the business terms of an electronic invoice, as a value.

EN 16931 names each part of an invoice by a business term (BT-1 is the invoice number,
BT-131 a line's net amount) and groups them (BG-25 is a line, BG-23 the VAT breakdown).
:class:`EInvoice` holds them in orderbook's own types (Money, Decimal, dates, documents'
:class:`~orderbook.documents.Party`); each syntax (UBL, CII, Factur-X) writes the same value.

The value checks EN 16931's rules of arithmetic when it is built, so an invoice that breaks
them cannot exist: the sums of the lines and of the VAT breakdown (BR-CO-10 to BR-CO-17),
at most two decimals in every amount (BR-DEC), the rates and exemptions of each VAT
category, and the parties' mandatory parts. Each refusal is a ValidationError naming the
rule.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

from orderbook import _fields as f
from orderbook.billing.taxes import check_vat_category
from orderbook.documents import Party
from orderbook.model import Address
from orderbook.money import Money

__all__ = [
    "EInvoice",
    "EInvoiceLine",
    "InvoiceTypeCode",
    "LineAllowance",
    "PaymentInstructions",
    "PrecedingInvoice",
    "VatBreakdown",
    "VatCategory",
]

_CENT = Decimal("0.01")
_WIDE = decimal.Context(prec=100)  # room for any Money amount with two more places


class InvoiceTypeCode(enum.StrEnum):
    """BT-3, the invoice type code (UNTDID 1001): what kind of document it is."""

    COMMERCIAL_INVOICE = "380"
    CREDIT_NOTE = "381"
    PREPAYMENT_INVOICE = "386"


def in_cents(amount: Money) -> bool:
    """Whether an amount needs no more than two decimals, as EN 16931 allows (BR-DEC).

    >>> in_cents(Money("1.250", "KWD")), in_cents(Money("1.255", "KWD"))
    (True, False)
    """
    value = amount.amount
    return value == value.quantize(_CENT, context=_WIDE)


def _two_places(instance: object, field: str, amount: Money, rule: str) -> None:
    """BR-DEC: an amount has at most two decimals (a KWD amount may need a third)."""
    if not in_cents(amount):
        raise f.fail(
            instance,
            field,
            amount,
            f"needs more than two decimals, which EN 16931 does not allow ({rule})",
        )


def _rate(value: Decimal | int | str) -> Decimal:
    converted = f.decimal(value)
    return converted.normalize() if isinstance(converted, Decimal) else converted


@attrs.frozen(kw_only=True)
class VatCategory:
    """A VAT category and rate: of a line (BT-151, BT-152) or of the breakdown (BT-118..121).

    Args:
        code: ``S`` standard rated, ``Z`` zero rated, ``E`` exempt, ``AE`` reverse charge.
        rate: the rate, a fraction (0.2 is 20%); EN 16931 writes it as a percent.
        exemption_reason, exemption_code: why ``E`` or ``AE`` charge no VAT (BT-120,
            BT-121).

    >>> VatCategory(code="S", rate="0.055").percent
    Decimal('5.5')
    """

    code: str = attrs.field(validator=f.required_text)
    rate: Decimal = attrs.field(converter=_rate, validator=f.non_negative)
    exemption_reason: str = attrs.field(default="", validator=f.text)
    exemption_code: str = attrs.field(default="", validator=f.text)

    def __attrs_post_init__(self) -> None:
        check_vat_category(self, self.code, self.rate, self.exemption_reason, self.exemption_code)

    @classmethod
    def for_rate(cls, rate: Decimal) -> VatCategory:
        """The category a rate has when no rule says otherwise: S above 0, Z at 0.

        >>> VatCategory.for_rate(Decimal(0)).code
        'Z'
        """
        return cls(code="S" if rate > 0 else "Z", rate=rate)

    @property
    def percent(self) -> Decimal:
        """The rate as EN 16931 writes it: a percent (20 for 0.2)."""
        value = (self.rate * 100).normalize()
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@attrs.frozen(kw_only=True)
class LineAllowance:
    """BG-27: what a line's discount takes off its gross amount.

    Args:
        amount: BT-136, the amount taken off.
        base: BT-137, the amount it is taken from (quantity x unit price).
        rate: BT-138 as a fraction (0.1 for 10%).
        reason, reason_code: BT-139 and BT-140 (UNTDID 5189: 95 is a discount).
    """

    amount: Money = attrs.field(validator=f.money)
    base: Money = attrs.field(validator=f.money)
    rate: Decimal = attrs.field(converter=_rate, validator=f.fraction)
    reason: str = attrs.field(default="Discount", validator=f.required_text)
    reason_code: str = attrs.field(default="95", validator=f.required_text)

    def __attrs_post_init__(self) -> None:
        f.same_currency(self, self.amount.currency, [("base", self.base)])
        _two_places(self, "amount", self.amount, "BR-DEC-24")
        _two_places(self, "base", self.base, "BR-DEC-25")
        if self.amount.amount < 0 or self.base.amount < 0:
            raise f.fail(self, "amount", self.amount, "must not be negative, nor its base")


@attrs.frozen(kw_only=True)
class EInvoiceLine:
    """BG-25, one invoice line.

    Args:
        id: BT-126, the line's identifier on the invoice.
        quantity: BT-129; a credit note's quantities are positive too.
        unit_code: BT-130, a UN/ECE Recommendation 20 code (``C62`` is one unit).
        net_amount: BT-131, the line's amount without VAT, as billed.
        net_price: BT-146, the price of one unit before the line's allowance.
        vat: BT-151 and BT-152, the line's VAT category and rate.
        name: BT-153, the item's name.
        seller_item_id: BT-155, the seller's item id (the SKU).
        description: BT-154.
        allowance: BG-27, the line's discount.
        gross_price: BT-148, the unit price before a discount taken off the price itself
            (BT-147 is the difference): how a discount is written when its allowance would
            need a third decimal.
    """

    id: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_code: str = attrs.field(validator=f.required_text)
    net_amount: Money = attrs.field(validator=f.money)
    net_price: Money = attrs.field(validator=f.money)
    vat: VatCategory = attrs.field(validator=f.instance_of(VatCategory))
    name: str = attrs.field(validator=f.required_text)
    seller_item_id: str = attrs.field(default="", validator=f.text)
    description: str = attrs.field(default="", validator=f.text)
    allowance: LineAllowance | None = attrs.field(
        default=None, validator=f.instance_of(LineAllowance, optional=True)
    )
    gross_price: Money | None = attrs.field(default=None, validator=f.optional_money)

    def __attrs_post_init__(self) -> None:
        currency = self.net_amount.currency
        amounts = [("net_price", self.net_price), ("gross_price", self.gross_price)]
        if self.allowance is not None:
            amounts.append(("allowance.amount", self.allowance.amount))
        f.same_currency(self, currency, amounts)
        _two_places(self, "net_amount", self.net_amount, "BR-DEC-23")
        if self.net_price.amount < 0:
            raise f.fail(self, "net_price", self.net_price, "must not be negative (BR-27)")
        if self.gross_price is not None and self.gross_price < self.net_price:
            raise f.fail(
                self, "gross_price", self.gross_price, "must not be below the net price (BR-28)"
            )

    @property
    def price_discount(self) -> Money | None:
        """BT-147, what is taken off the gross price of one unit, if the line has one."""
        return None if self.gross_price is None else self.gross_price - self.net_price


@attrs.frozen(kw_only=True)
class VatBreakdown:
    """BG-23, the VAT of one category and rate.

    Args:
        category: BT-118 to BT-121.
        taxable: BT-116, the sum of the net amounts of the lines in the category.
        tax: BT-117, the VAT on them, as billed.

    Raises:
        ValidationError: the tax is not the taxable amount times the rate, within the one
            unit EN 16931 allows for tax rounded line by line (BR-CO-17), or a category
            at 0 has tax.
    """

    category: VatCategory = attrs.field(validator=f.instance_of(VatCategory))
    taxable: Money = attrs.field(validator=f.money)
    tax: Money = attrs.field(validator=f.money)

    def __attrs_post_init__(self) -> None:
        f.same_currency(self, self.taxable.currency, [("tax", self.tax)])
        _two_places(self, "taxable", self.taxable, "BR-DEC-19")
        _two_places(self, "tax", self.tax, "BR-DEC-20")
        code = self.category.code
        if code != "S":
            if self.tax.amount != 0:
                raise f.fail(self, "tax", self.tax, f"must be 0 in VAT category {code}")
            return
        # As the official rules compute it: round(|taxable| x percent / 100) to the cent,
        # and the tax strictly within one unit of it.
        expected = (abs(self.taxable.amount) * self.category.percent / 100).quantize(
            _CENT, ROUND_HALF_UP, _WIDE
        )
        if abs(abs(self.tax.amount) - expected) >= 1:
            raise f.fail(
                self,
                "tax",
                self.tax,
                f"is not {self.taxable} x {self.category.percent}% within one unit (BR-CO-17):"
                " with tax rounded on each line, many lines in a currency without cents can"
                " drift that far; round tax per document",
            )


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
        taxable: dict[VatCategory, Money] = {}
        for line in self.lines:
            taxable[line.vat] = taxable.get(line.vat, zero) + line.net_amount
        given = {b.category: b.taxable for b in self.vat_breakdown}
        if len(given) != len(self.vat_breakdown) or given != taxable:
            code = next((c.code for c in taxable if given.get(c) != taxable[c]), "S")
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
