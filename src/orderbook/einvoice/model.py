"""The parts of the EN 16931 semantic invoice: its type, lines, allowances and VAT.

EN 16931 names each part of an invoice by a business term (BT-1 is the invoice number,
BT-131 a line's net amount) and groups them (BG-25 is a line, BG-23 the VAT breakdown).
These values hold them in orderbook's own types (Money, Decimal);
:mod:`orderbook.einvoice.invoice` puts them together. Each checks the rules of EN 16931 that
concern it when it is built (at most two decimals per amount, BR-DEC; the rates and
exemptions of each VAT category; BR-CO-17), each refusal a ValidationError naming the rule.
"""

from __future__ import annotations

import decimal
import enum
from decimal import ROUND_HALF_UP, Decimal

import attrs

from orderbook import _fields as f
from orderbook.billing.taxes import check_vat_category
from orderbook.money import Money

__all__ = [
    "EInvoiceLine",
    "InvoiceTypeCode",
    "LineAllowance",
    "VatBreakdown",
    "VatCategory",
    "in_cents",
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
