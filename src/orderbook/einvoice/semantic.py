"""From an issued invoice to its EN 16931 semantic invoice: a pure function.

The e-invoice carries the issued amounts unchanged, from :mod:`orderbook.pricing` with the
tax rounding the invoice was made with. How the parts of orderbook map to EN 16931:

- An invoice is a commercial invoice (380), a credit note a credit note (381) whose lines
  stay positive and which cites the invoice it corrects (BG-3), and a deposit a prepayment
  invoice (386). A pro-forma, a draft or a cancelled invoice is no e-invoice.
- A line's discount is a line allowance (BG-27): the gross amount (quantity x unit price,
  rounded) is its base, the discount its percentage, and the allowance takes the gross down
  to the line's net amount exactly; the unit price is the item net price (BT-146). Where
  that gross amount needs a third decimal (KWD), the discount comes off the price instead:
  the unit price is the gross price (BT-148) and the discounted price the net price. A line
  completing one billed in parts carries its net amount as billed.
- The negative "Deposit deducted" line of an invoice that deducts deposits (a line that
  bills no order line, at a negative price) is not an invoice line: it is the paid amount
  (BT-113). The lines then add up to the whole, and the amount due (BT-115) is what the
  invoice asks, as BR-CO-16 has it.
- A line's VAT category comes from the workflow's tax rules: the rule of the customer's tax
  region and the product's tax category gives it, with its exemption reason, when the rule's
  rate is the line's rate. Otherwise (a rate given by hand, a line without a product) the
  category is S above 0 and Z at 0.
- The VAT breakdown adds up each category and rate as the invoice's totals do: tax per line
  or per document, as the workflow rounds it.
- The buyer's order number (``Order.reference``) is the buyer reference (BT-10) and the
  purchase order reference (BT-13); the order's number is the sales order reference (BT-14),
  its terms the payment terms (BT-20), its shipping address the deliver-to address.
- The seller's IBAN gives the payment instructions: SEPA credit transfer (58) in EUR, credit
  transfer (30) otherwise; a credit note asks for no payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from orderbook.billing import TaxRules
from orderbook.documents import Party
from orderbook.einvoice.invoice import EInvoice, PaymentInstructions, PrecedingInvoice
from orderbook.einvoice.model import (
    EInvoiceLine,
    InvoiceTypeCode,
    LineAllowance,
    VatBreakdown,
    VatCategory,
    in_cents,
)
from orderbook.einvoice.units import unit_code
from orderbook.errors import ValidationError
from orderbook.model import (
    Customer,
    DocumentStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Order,
    Product,
)
from orderbook.money import Money
from orderbook.pricing import (
    TaxRounding,
    invoice_totals,
    line_gross,
    line_net,
    tax_rate_of,
    totals,
)

__all__ = ["semantic_invoice", "vat_category_of"]

_TYPE_CODES = {
    InvoiceKind.INVOICE: InvoiceTypeCode.COMMERCIAL_INVOICE,
    InvoiceKind.CREDIT_NOTE: InvoiceTypeCode.CREDIT_NOTE,
    InvoiceKind.DEPOSIT: InvoiceTypeCode.PREPAYMENT_INVOICE,
}


def _check(name: str, value: object, kind: type[object]) -> None:
    if not isinstance(value, kind):
        raise ValidationError(name, value, f"must be a {kind.__name__}")


def vat_category_of(
    line: InvoiceLine, *, region: str, product: Product | None, rules: TaxRules
) -> VatCategory:
    """Return the VAT category of an invoice line (see the module's doc for how).

    >>> from orderbook import Money, TaxRule
    >>> rules = TaxRules(rates=[TaxRule(category="care", rate=0, vat_category="E",
    ...                                 exemption_code="VATEX-EU-132")])
    >>> care = Product(sku="NURSE", tax_category="care")
    >>> line = InvoiceLine(quantity=1, unit_price=Money("80", "EUR"), sku="NURSE")
    >>> vat_category_of(line, region="FR", product=care, rules=rules).code
    'E'
    >>> vat_category_of(attrs.evolve(line, tax_rate="0.2"), region="FR", product=care,
    ...                 rules=rules).code
    'S'
    """
    rate = tax_rate_of(line)
    rule = rules.rule_for(region, product.tax_category) if product is not None else None
    if rule is not None and rule.rate == rate:
        return VatCategory(
            code=rule.vat_category,
            rate=rate,
            exemption_reason=rule.exemption_reason,
            exemption_code=rule.exemption_code,
        )
    return VatCategory.for_rate(rate)


def _is_deduction(line: InvoiceLine) -> bool:
    """A deposit deducted (or, on a credit note, a deduction taken back), as rollups read it."""
    return line.order_line_id is None and line.unit_price.amount < 0


def _product_map(products: Mapping[str, Product] | Iterable[Product]) -> dict[str, Product]:
    if isinstance(products, Mapping):
        found = dict(products)
    else:
        found = {}
        for index, product in enumerate(products):
            _check(f"products[{index}]", product, Product)
            found[product.sku] = product
    for sku, product in found.items():
        _check(f"products[{sku!r}]", product, Product)
    return found


def _line(
    position: int,
    line: InvoiceLine,
    vat: VatCategory,
    product: Product | None,
) -> EInvoiceLine:
    net = line_net(line)
    allowance = None
    price, gross_price = line.unit_price, None
    if line.discount > 0:
        base = (line.unit_price * line.quantity).quantize()
        if in_cents(base) and base > net:
            allowance = LineAllowance(amount=base - net, base=base, rate=line.discount)
        else:  # an allowance would need a third decimal: the discount comes off the price
            price, gross_price = line.unit_price * (1 - line.discount), line.unit_price
    name = (product.name if product is not None else "") or line.description or line.sku
    return EInvoiceLine(
        id=str(position),
        quantity=line.quantity,
        unit_code=unit_code(product.unit if product is not None else ""),
        net_amount=net,
        net_price=price,
        vat=vat,
        name=name or "Item",
        seller_item_id=line.sku,
        description=line.description if line.description != name else "",
        allowance=allowance,
        gross_price=gross_price,
    )


def _group_category(categories: list[VatCategory]) -> VatCategory:
    """One category for the lines of one code and rate: EN 16931 breaks VAT down by code and
    rate only (BR-E-08), so lines exempt for different reasons share a group and its reasons.
    """
    first = categories[0]
    reasons = list(dict.fromkeys(c.exemption_reason for c in categories if c.exemption_reason))
    codes = list(dict.fromkeys(c.exemption_code for c in categories if c.exemption_code))
    code = codes[0] if len(codes) == 1 else ""
    reason = "; ".join(reasons) or ("" if code else "; ".join(codes))
    return VatCategory(
        code=first.code, rate=first.rate, exemption_reason=reason, exemption_code=code
    )


def _breakdown(
    lines: list[tuple[InvoiceLine, VatCategory]], currency: str, rounding: TaxRounding | str
) -> tuple[VatBreakdown, ...]:
    groups: dict[tuple[str, Decimal], list[tuple[InvoiceLine, VatCategory]]] = {}
    for line, vat in lines:
        groups.setdefault((vat.code, vat.rate), []).append((line, vat))
    found = []
    for key in sorted(groups):
        members = groups[key]
        (taxed,) = totals([line for line, _ in members], currency, tax_rounding=rounding).by_rate
        category = _group_category([vat for _, vat in members])
        found.append(VatBreakdown(category=category, taxable=taxed.net, tax=taxed.tax))
    return tuple(found)


def _checked(
    invoice: Invoice, customer: Customer, order: Order | None, corrected: Invoice | None
) -> None:
    _check("invoice", invoice, Invoice)
    _check("customer", customer, Customer)
    if invoice.status is not DocumentStatus.ISSUED:
        raise ValidationError(
            "invoice", invoice.id, f"must be issued to be an e-invoice, not {invoice.status}"
        )
    if invoice.kind not in _TYPE_CODES:
        raise ValidationError("invoice", invoice.id, "is a pro-forma: no e-invoice")
    if customer.id != invoice.customer_id:
        raise ValidationError("customer", customer.id, f"must be the customer of {invoice.id!r}")
    if order is not None:
        _check("order", order, Order)
        if order.id != invoice.order_id:
            raise ValidationError("order", order.id, f"must be the order of {invoice.id!r}")
    if corrected is not None:
        _check("corrected", corrected, Invoice)
        if corrected.id != invoice.corrects:
            raise ValidationError(
                "corrected", corrected.id, f"must be the invoice {invoice.id!r} corrects"
            )


def semantic_invoice(
    invoice: Invoice,
    *,
    seller: Party,
    customer: Customer,
    order: Order | None = None,
    corrected: Invoice | None = None,
    products: Mapping[str, Product] | Iterable[Product] = (),
    tax_rules: TaxRules | None = None,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> EInvoice:
    """Return the EN 16931 semantic invoice of an issued invoice, deposit or credit note.

    Args:
        invoice: the issued invoice.
        seller: the seller: name, postal address with its country, VAT id, and the IBAN
            payments go to.
        customer: the buyer; its billing address (the order's, if it has one) must give a
            country.
        order: the order invoiced, for the references, terms and deliver-to address.
        corrected: the invoice a credit note corrects, which it cites (BT-25, BT-26).
        products: the products of the lines, by SKU (or as values): their names, units and
            tax categories.
        tax_rules: the tax rules that give the VAT categories (the workflow's).
        tax_rounding: how the invoice's tax was rounded (the workflow's).

    Returns:
        The :class:`~orderbook.einvoice.EInvoice`, with the issued amounts.

    Raises:
        ValidationError: an argument is of the wrong kind or not the invoice's; the invoice
            is not issued, or a pro-forma; or EN 16931 refuses it, naming the rule: an
            amount that needs a third decimal (BR-DEC), tax rounded per line that strays
            a unit from the rate (BR-CO-17), a party without its country or ids.

    >>> import datetime as dt
    >>> from orderbook import Address, Money
    >>> seller = Party(name="Tea Traders SARL", vat_id="FR32123456789",
    ...                billing_address=Address(city="Lyon", country="FR"))
    >>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR", vat_id="DE123456789",
    ...                 billing_address=Address(city="Berlin", country="DE"))
    >>> bill = Invoice(id="i1", customer_id="acme", currency="EUR", number="INV-1",
    ...                status="issued", issued_on=dt.date(2027, 3, 1), lines=[
    ...     InvoiceLine(quantity=3, unit_price=Money("4.99", "EUR"), discount="0.1",
    ...                 tax_rate="0.2", sku="TEA")])
    >>> einvoice = semantic_invoice(bill, seller=seller, customer=acme)
    >>> line = einvoice.lines[0]
    >>> line.net_amount, line.allowance.amount, einvoice.total_vat, einvoice.due
    (Money('13.47', 'EUR'), Money('1.50', 'EUR'), Money('2.69', 'EUR'), Money('16.16', 'EUR'))
    """
    _checked(invoice, customer, order, corrected)
    _check("seller", seller, Party)
    rules = TaxRules() if tax_rules is None else tax_rules
    _check("tax_rules", rules, TaxRules)
    found = _product_map(products)
    currency = invoice.currency
    zero = Money.zero(currency)
    kept: list[tuple[InvoiceLine, VatCategory]] = []
    paid = zero
    for line in invoice.lines:
        if _is_deduction(line):
            paid -= line_gross(line)
            continue
        product = found.get(line.sku)
        region = customer.tax_region
        kept.append((line, vat_category_of(line, region=region, product=product, rules=rules)))
    lines = tuple(
        _line(position, line, vat, found.get(line.sku))
        for position, (line, vat) in enumerate(kept, start=1)
    )
    breakdown = _breakdown(kept, currency, tax_rounding)
    line_total = sum((x.net_amount for x in lines), zero)
    vat_total = sum((b.tax for b in breakdown), zero)
    asked = invoice_totals(invoice, tax_rounding=tax_rounding).gross
    if line_total + vat_total - paid != asked:
        raise ValidationError(
            "invoice", invoice.id, f"asks {asked}, which its lines and deductions do not make"
        )
    buyer = Party.from_customer(customer)
    shipping = None
    if order is not None:
        buyer = attrs.evolve(buyer, billing_address=order.billing_address or buyer.billing_address)
        shipping = order.shipping_address
    shipping = shipping or customer.shipping_address
    deliver_to = shipping if shipping is not None and shipping.country else None
    payment = None
    if seller.iban and invoice.kind is not InvoiceKind.CREDIT_NOTE:
        payment = PaymentInstructions(
            means_code="58" if currency == "EUR" else "30",
            account="".join(seller.iban.split()),
            bic=seller.bic,
            remittance=invoice.number or invoice.id,
        )
    preceding: tuple[PrecedingInvoice, ...] = ()
    if corrected is not None:
        preceding = (
            PrecedingInvoice(
                number=corrected.number or corrected.id, issued_on=corrected.issued_on
            ),
        )
    assert invoice.issued_on is not None  # an issued invoice has its date
    return EInvoice(
        number=invoice.number or invoice.id,
        issued_on=invoice.issued_on,
        type_code=_TYPE_CODES[invoice.kind],
        currency=currency,
        seller=seller,
        buyer=buyer,
        lines=lines,
        vat_breakdown=breakdown,
        line_net=line_total,
        total_without_vat=line_total,
        total_vat=vat_total,
        total_with_vat=line_total + vat_total,
        paid=paid,
        due=line_total + vat_total - paid,
        due_on=invoice.due_on,
        buyer_reference=order.reference if order is not None else "",
        order_reference=order.reference if order is not None else "",
        sales_order_reference=(order.number or order.id) if order is not None else "",
        payment_terms=order.terms if order is not None else "",
        note=invoice.subject,
        preceding=preceding,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        deliver_to=deliver_to,
        deliver_to_name=deliver_to.name if deliver_to is not None else "",
        payment=payment,
        source_id=invoice.id,
    )
