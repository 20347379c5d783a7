"""Electronic invoices out (EN 16931: UBL 2.1, CII, Factur-X) and digital orders in.

The semantic invoice is pure: :func:`semantic_invoice` maps an issued invoice, deposit or
credit note to an :class:`EInvoice`, the business terms of EN 16931 as a typed value that
checks the standard's arithmetic. Writing it (:func:`to_ubl`, :func:`to_cii`,
:func:`to_facturx`) and reading orders (:func:`parse_order`) need the optional ``einvoice``
extra: ``pip install 'orderbook[einvoice]'``.

>>> import datetime as dt
>>> from orderbook import Address, Customer, Invoice, InvoiceLine, Money
>>> from orderbook.documents import Party
>>> seller = Party(name="Tea Traders SARL", vat_id="FR32123456789",
...                billing_address=Address(city="Lyon", country="FR"))
>>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR",
...                 billing_address=Address(city="Berlin", country="DE"))
>>> bill = Invoice(id="i1", customer_id="acme", currency="EUR", number="INV-1",
...                status="issued", issued_on=dt.date(2027, 3, 1), lines=[
...     InvoiceLine(quantity=2, unit_price=Money("4.50", "EUR"), tax_rate="0.2", sku="TEA")])
>>> einvoice = semantic_invoice(bill, seller=seller, customer=acme)
>>> einvoice.type_code, einvoice.due
(<InvoiceTypeCode.COMMERCIAL_INVOICE: '380'>, Money('10.80', 'EUR'))
>>> b"<cbc:PayableAmount currencyID=\\"EUR\\">10.80</cbc:PayableAmount>" in to_ubl(einvoice)
True
"""

from orderbook.einvoice._extra import einvoice_available
from orderbook.einvoice.invoice import EInvoice, PaymentInstructions, PrecedingInvoice
from orderbook.einvoice.model import (
    EInvoiceLine,
    InvoiceTypeCode,
    LineAllowance,
    VatBreakdown,
    VatCategory,
    in_cents,
)
from orderbook.einvoice.orders import DigitalOrder, DigitalOrderLine, match_customer
from orderbook.einvoice.parse import ORDER_X, UBL_ORDER, parse_order
from orderbook.einvoice.placing import place_order_command
from orderbook.einvoice.semantic import semantic_invoice, vat_category_of
from orderbook.einvoice.units import UNIT_CODES, unit_code
from orderbook.einvoice.writers import (
    PEPPOL_CUSTOMIZATION,
    PEPPOL_PROFILE,
    SYNTAXES,
    peppol_ready,
    to_cii,
    to_facturx,
    to_ubl,
    write_einvoice,
)

__all__ = [
    # The semantic invoice
    "EInvoice",
    "EInvoiceLine",
    "InvoiceTypeCode",
    "LineAllowance",
    "PaymentInstructions",
    "PrecedingInvoice",
    "VatBreakdown",
    "VatCategory",
    "in_cents",
    "semantic_invoice",
    "vat_category_of",
    "UNIT_CODES",
    "unit_code",
    # Syntaxes (the einvoice extra)
    "PEPPOL_CUSTOMIZATION",
    "PEPPOL_PROFILE",
    "SYNTAXES",
    "einvoice_available",
    "peppol_ready",
    "to_cii",
    "to_facturx",
    "to_ubl",
    "write_einvoice",
    # Orders in
    "DigitalOrder",
    "DigitalOrderLine",
    "ORDER_X",
    "UBL_ORDER",
    "match_customer",
    "parse_order",
    "place_order_command",
]
