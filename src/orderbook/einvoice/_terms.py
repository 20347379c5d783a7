"""The semantic invoice as factur-x's dictionary of business terms (``{"BT-1": ..., ...}``).

factur-x writes UBL and CII from one dictionary keyed by the EN 16931 terms; its values are
text (amounts, quantities, percents), dates and nested dictionaries. Numbers are written as
plain decimals, never in exponent form, and amounts with at most two decimals.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from orderbook.currencies import minor_units
from orderbook.documents import Party
from orderbook.einvoice.invoice import EInvoice
from orderbook.einvoice.model import EInvoiceLine, VatBreakdown, VatCategory
from orderbook.model import Address
from orderbook.money import Money

__all__ = ["business_terms"]

_CENT = Decimal("0.01")
_WIDE = decimal.Context(prec=100)  # room for any Money amount


def number(value: Decimal) -> str:
    """A decimal as XML writes it: no exponent (``1E+3`` is ``1000``)."""
    return format(value, "f")


def amount(money: Money) -> str:
    """An amount with the currency's places, at most two (the semantic invoice checked it)."""
    places = Decimal(1).scaleb(-min(minor_units(money.currency), 2))
    value = money.amount
    rounded = value.quantize(places, context=_WIDE)
    return number(rounded if rounded == value else value.quantize(_CENT, context=_WIDE))


def price(money: Money) -> str:
    """A unit price at full precision, with at least the currency's places."""
    value = money.amount
    places = Decimal(1).scaleb(-minor_units(money.currency))
    rounded = value.quantize(places, context=_WIDE)
    return number(rounded if rounded == value else value.normalize(_WIDE))


def percent(rate: Decimal) -> str:
    """A fraction as a percent: ``0.055`` is ``5.5``."""
    return number((rate * 100).normalize())


def _address(address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    street = [part.strip() for part in address.street.splitlines() if part.strip()]
    fields = {
        "country_code": address.country,
        "city": address.city,
        "postcode": address.postal_code,
        "country_subdivision": address.region,
    }
    fields.update(zip(("addr_l1", "addr_l2", "addr_l3"), street, strict=False))
    return {name: value for name, value in fields.items() if value}


def _party(party: Party) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": party.name,
        "vat_identifier": party.vat_id,
        "legal_identifier": party.legal_id,
        "tax_identifier": party.tax_id,
    }
    if party.electronic_address is not None:
        fields["einvoicing_addr"] = party.electronic_address.identifier
        fields["einvoicing_addr_schemeid"] = party.electronic_address.scheme
    fields.update(_address(party.billing_address))
    return {name: value for name, value in fields.items() if value}


def _vat(category: VatCategory, code: str, rate: str) -> dict[str, str]:
    return {code: category.code, rate: percent(category.rate)}


def _line(line: EInvoiceLine) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "BT-126": line.id,
        "BT-129": number(line.quantity),
        "BT-130": line.unit_code,
        "BT-131": amount(line.net_amount),
        "BT-146": price(line.net_price),
        "BT-153": line.name,
        **_vat(line.vat, "BT-151", "BT-152"),
    }
    if line.description:
        fields["BT-154"] = line.description
    if line.seller_item_id:
        fields["BT-155"] = line.seller_item_id
    if line.gross_price is not None and line.price_discount is not None:
        fields["BT-148"] = price(line.gross_price)
        fields["BT-147-00"] = [{"BT-147": price(line.price_discount)}]
    if line.allowance is not None:
        fields["BG-27"] = [
            {
                "amount": amount(line.allowance.amount),
                "base_amount": amount(line.allowance.base),
                "rate": percent(line.allowance.rate),
                "reason": line.allowance.reason,
                "reason_code": line.allowance.reason_code,
            }
        ]
    return fields


def _group(group: VatBreakdown) -> dict[str, str]:
    category = group.category
    fields = {
        "BT-116": amount(group.taxable),
        "BT-117": amount(group.tax),
        **_vat(category, "BT-118", "BT-119"),
        "BT-120": category.exemption_reason,
        "BT-121": category.exemption_code,
    }
    return {name: value for name, value in fields.items() if value}


def _optional(einvoice: EInvoice) -> dict[str, Any]:
    """The terms an invoice may leave out, each only when it has it."""
    fields: dict[str, Any] = {
        "BT-9": einvoice.due_on,
        "BT-10": einvoice.buyer_reference,
        "BT-13": einvoice.order_reference,
        "BT-14": einvoice.sales_order_reference,
        "BT-20": einvoice.payment_terms,
        "BT-73": einvoice.period_start,
        "BT-74": einvoice.period_end,
    }
    if einvoice.note:
        fields["BG-1"] = [{"BT-22": einvoice.note}]
    if einvoice.preceding:
        fields["BG-3"] = [
            {"BT-25": p.number, **({"BT-26": p.issued_on} if p.issued_on else {})}
            for p in einvoice.preceding
        ]
    if einvoice.deliver_to is not None:
        name = {"name": einvoice.deliver_to_name} if einvoice.deliver_to_name else {}
        fields["BG-13"] = {**name, **_address(einvoice.deliver_to)}
    if einvoice.payment is not None:
        fields["BT-81"] = einvoice.payment.means_code
        fields["BT-84"] = einvoice.payment.account
        fields["BT-83"] = einvoice.payment.remittance
        fields["BT-86"] = einvoice.payment.bic
    if einvoice.paid.amount:
        fields["BT-113"] = amount(einvoice.paid)
    return {name: value for name, value in fields.items() if value}


def business_terms(einvoice: EInvoice) -> dict[str, Any]:
    """Return the semantic invoice as factur-x's dictionary of business terms."""
    return {
        "BT-1": einvoice.number,
        "BT-2": einvoice.issued_on,
        "BT-3": einvoice.type_code.value,
        "BT-5": einvoice.currency,
        "BG-4": _party(einvoice.seller),
        "BG-7": _party(einvoice.buyer),
        "BG-25": [_line(line) for line in einvoice.lines],
        "BG-23": [_group(group) for group in einvoice.vat_breakdown],
        "BT-106": amount(einvoice.line_net),
        "BT-109": amount(einvoice.total_without_vat),
        "BT-110": amount(einvoice.total_vat),
        "BT-112": amount(einvoice.total_with_vat),
        "BT-115": amount(einvoice.due),
        **_optional(einvoice),
    }
