"""Reading a buyer's order document: a UBL 2.1 Order (Peppol BIS Ordering 3.0) or Order-X.

:func:`parse_order` reads the parts orderbook places an order from: the buyer (its
electronic address and VAT id), the buyer's order number, the currency, and each line's
seller item id (the SKU), quantity, net price and requested delivery date (the end of the
period asked for, or its start; a line without one takes the document's). An Order-X order
is checked against its XSD first. A document that is not well-formed, of another kind, or
misses a part is refused with a ValidationError naming the element. The XML is read with
lxml (the ``einvoice`` extra), with entities left unresolved and no network access.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from decimal import Decimal
from typing import Any

from orderbook.currencies import CURRENCIES
from orderbook.einvoice._extra import etree, facturx, schema
from orderbook.einvoice.orders import DigitalOrder, DigitalOrderLine
from orderbook.errors import ValidationError
from orderbook.model import ElectronicAddress
from orderbook.money import Money

__all__ = ["ORDER_X", "UBL_ORDER", "parse_order"]

UBL_ORDER = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
"""The namespace of a UBL 2.1 Order."""

ORDER_X = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
"""The namespace of an Order-X (UN/CEFACT Cross Industry Order) document."""

_UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_CIO = {
    "rsm": ORDER_X,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128",
}
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation])


class _Reader:
    """Finds elements by path and reads them, naming the element in every refusal."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        self.ns = namespaces

    def find(self, node: Any, path: str) -> Any:
        return node.find(path, self.ns)

    def text(self, node: Any, path: str, where: str = "", *, required: bool = False) -> str:
        found = self.find(node, path)
        value = (found.text or "").strip() if found is not None else ""
        if required and not value:
            raise ValidationError(f"{where}{path}", None, "must be given in the document")
        return value

    def number(
        self, node: Any, path: str, where: str, *, required: bool = False
    ) -> Decimal | None:
        text = self.text(node, path, where, required=required)
        if not text:
            return None
        try:
            value = Decimal(text)
        except decimal.InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            raise ValidationError(f"{where}{path}", text, "must be a number of at least 0")
        return value

    def day(self, node: Any, path: str, where: str) -> dt.date | None:
        found = self.find(node, path)
        text = (found.text or "").strip() if found is not None else ""
        if not text:
            return None
        try:
            if found.get("format") is not None:  # CII: format 102 is YYYYMMDD
                if found.get("format") != "102":
                    raise ValueError
                return dt.datetime.strptime(text, "%Y%m%d").date()
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{where}{path}", text, "must be a date") from None


def _parse(document: bytes | str) -> Any:
    module = etree("reading an order document")
    parser = module.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    if isinstance(document, str):
        try:
            document = _DECLARATION.sub("", document, count=1).encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                "document", document, "must be valid Unicode (it holds a lone surrogate)"
            ) from None
    if not isinstance(document, bytes):
        raise ValidationError("document", document, "must be the XML of an order, bytes or str")
    try:
        return module.fromstring(document, parser)
    except module.XMLSyntaxError as error:
        raise ValidationError("document", str(error), "must be well-formed XML") from None


def _address(scheme: str, identifier: str, where: str) -> ElectronicAddress | None:
    if not identifier:
        return None
    try:
        return ElectronicAddress(scheme=scheme, identifier=identifier)
    except ValidationError:
        raise ValidationError(
            f"{where}@schemeID", scheme, "must be an EAS code: four digits, or 'EM'"
        ) from None


def _vat(value: str) -> str:
    return "".join(value.split()).upper()


def _currency(code: str, where: str) -> str:
    if code not in CURRENCIES:
        raise ValidationError(where, code, "must be a known ISO 4217 currency code")
    return code


def _price(
    amount: Decimal | None, base: Decimal | None, currency: str, where: str
) -> Money | None:
    if amount is None:
        return None
    if base is not None and base != 1:
        try:
            amount = _EXACT.divide(amount, base)
        except (decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero):
            raise ValidationError(
                where, base, "must be a base quantity that divides the price exactly"
            ) from None
    return Money(amount, currency)


def _positive(value: Decimal | None, where: str) -> Decimal:
    if value is None or value <= 0:
        raise ValidationError(where, value, "must be a quantity above 0")
    return value


def _ubl(root: Any) -> DigitalOrder:
    read = _Reader(_UBL)
    currency = _currency(
        read.text(root, "cbc:DocumentCurrencyCode", required=True), "cbc:DocumentCurrencyCode"
    )
    buyer = read.find(root, "cac:BuyerCustomerParty/cac:Party")
    if buyer is None:
        raise ValidationError("cac:BuyerCustomerParty/cac:Party", None, "must name the buyer")
    where = "cac:BuyerCustomerParty/cac:Party/"
    endpoint = read.find(buyer, "cbc:EndpointID")
    address = _address(
        endpoint.get("schemeID", "") if endpoint is not None else "",
        read.text(buyer, "cbc:EndpointID"),
        f"{where}cbc:EndpointID",
    )
    default_day = read.day(root, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:EndDate", "")
    default_day = default_day or read.day(
        root, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:StartDate", ""
    )
    lines = []
    for index, node in enumerate(root.findall("cac:OrderLine", read.ns), start=1):
        at = f"cac:OrderLine[{index}]/cac:LineItem/"
        item = read.find(node, "cac:LineItem")
        if item is None:
            raise ValidationError(f"cac:OrderLine[{index}]/cac:LineItem", None, "must be given")
        period = "cac:Delivery/cac:RequestedDeliveryPeriod/"
        due = read.day(item, f"{period}cbc:EndDate", at) or read.day(
            item, f"{period}cbc:StartDate", at
        )
        lines.append(
            DigitalOrderLine(
                line_id=read.text(item, "cbc:ID", at, required=True),
                sku=read.text(
                    item, "cac:Item/cac:SellersItemIdentification/cbc:ID", at, required=True
                ),
                quantity=_positive(
                    read.number(item, "cbc:Quantity", at, required=True), f"{at}cbc:Quantity"
                ),
                unit_price=_price(
                    read.number(item, "cac:Price/cbc:PriceAmount", at),
                    read.number(item, "cac:Price/cbc:BaseQuantity", at),
                    currency,
                    f"{at}cac:Price/cbc:BaseQuantity",
                ),
                due_on=due or default_day,
                name=read.text(item, "cac:Item/cbc:Name", at),
                element=f"cac:OrderLine[{index}]",
            )
        )
    if not lines:
        raise ValidationError("cac:OrderLine", None, "must be given at least once")
    return DigitalOrder(
        number=read.text(root, "cbc:ID", required=True),
        currency=currency,
        lines=lines,
        buyer_name=read.text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName")
        or read.text(buyer, "cac:PartyName/cbc:Name"),
        buyer_address=address,
        buyer_vat_id=_buyer_vat(_vat(read.text(buyer, "cac:PartyTaxScheme/cbc:CompanyID")), where),
        issued_on=read.day(root, "cbc:IssueDate", ""),
        note=read.text(root, "cbc:Note"),
        syntax="ubl",
    )


def _buyer_vat(value: str, where: str) -> str:
    prefix = value[:2]
    if value and not (len(value) > 2 and prefix.isascii() and prefix.isalpha()):
        raise ValidationError(
            f"{where}VAT identifier", value, "must start with a two-letter country prefix"
        )
    return value


def _check_order_x(root: Any) -> None:
    library = facturx("reading an Order-X order")
    try:
        level = library.get_level(root, "order-x")
        schema(f"order-x-{level}").assertValid(root)
    except Exception as error:  # factur-x and lxml raise plain Exceptions
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise ValidationError("document", reason, "must be a valid Order-X document") from None


def _order_x(root: Any) -> DigitalOrder:
    read = _Reader(_CIO)
    _check_order_x(root)
    code = read.text(root, "rsm:ExchangedDocument/ram:TypeCode", required=True)
    if code != "220":
        raise ValidationError(
            "rsm:ExchangedDocument/ram:TypeCode",
            code,
            "must be 220, an order (changes and responses are not read)",
        )
    trade = "rsm:SupplyChainTradeTransaction/"
    currency = _currency(
        read.text(root, f"{trade}ram:ApplicableHeaderTradeSettlement/ram:OrderCurrencyCode"),
        f"{trade}ram:ApplicableHeaderTradeSettlement/ram:OrderCurrencyCode",
    )
    buyer_path = f"{trade}ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
    buyer = read.find(root, buyer_path)
    if buyer is None:
        raise ValidationError(buyer_path, None, "must name the buyer")
    uri = read.find(buyer, "ram:URIUniversalCommunication/ram:URIID")
    address = _address(
        uri.get("schemeID", "") if uri is not None else "",
        read.text(buyer, "ram:URIUniversalCommunication/ram:URIID"),
        f"{buyer_path}/ram:URIUniversalCommunication/ram:URIID",
    )
    event = "ram:RequestedDeliverySupplyChainEvent/"
    when = (
        f"{event}ram:OccurrenceDateTime/udt:DateTimeString",
        f"{event}ram:OccurrenceSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
        f"{event}ram:OccurrenceSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
    )
    header = read.find(root, f"{trade}ram:ApplicableHeaderTradeDelivery")
    default_day = None
    if header is not None:
        default_day = next((d for p in when if (d := read.day(header, p, trade))), None)
    lines = []
    items = root.findall(f"{trade}ram:IncludedSupplyChainTradeLineItem", read.ns)
    for index, item in enumerate(items, start=1):
        at = f"{trade}ram:IncludedSupplyChainTradeLineItem[{index}]/"
        delivery = read.find(item, "ram:SpecifiedLineTradeDelivery")
        due = None
        if delivery is not None:
            due = next((d for p in when if (d := read.day(delivery, p, at))), None)
        price = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
        quantity = "ram:SpecifiedLineTradeDelivery/ram:RequestedQuantity"
        lines.append(
            DigitalOrderLine(
                line_id=read.text(
                    item, "ram:AssociatedDocumentLineDocument/ram:LineID", at, required=True
                ),
                sku=read.text(
                    item, "ram:SpecifiedTradeProduct/ram:SellerAssignedID", at, required=True
                ),
                quantity=_positive(
                    read.number(item, quantity, at, required=True), f"{at}{quantity}"
                ),
                unit_price=_price(
                    read.number(item, f"{price}ram:ChargeAmount", at),
                    read.number(item, f"{price}ram:BasisQuantity", at),
                    currency,
                    f"{at}{price}ram:BasisQuantity",
                ),
                due_on=due or default_day,
                name=read.text(item, "ram:SpecifiedTradeProduct/ram:Name", at),
                element=f"ram:IncludedSupplyChainTradeLineItem[{index}]",
            )
        )
    vat = read.find(buyer, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
    return DigitalOrder(
        number=read.text(root, "rsm:ExchangedDocument/ram:ID", required=True),
        currency=currency,
        lines=lines,
        buyer_name=read.text(buyer, "ram:Name"),
        buyer_address=address,
        buyer_vat_id=_buyer_vat(_vat(vat.text or "") if vat is not None else "", buyer_path),
        issued_on=read.day(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", ""),
        note=read.text(root, "rsm:ExchangedDocument/ram:IncludedNote/ram:Content"),
        syntax="orderx",
    )


def parse_order(document: bytes | str) -> DigitalOrder:
    """Read a UBL 2.1 Order or an Order-X order into the order it asks for.

    Args:
        document: the XML, as bytes or text.

    Returns:
        The :class:`~orderbook.einvoice.DigitalOrder`; place it with
        ``book.place_order_from(document)``, which also finds the customer.

    Raises:
        ValidationError: the document is not well-formed XML, not an order of either
            syntax, not valid against the Order-X XSD, or misses an element (named).
        OrderbookError: the ``einvoice`` extra is not installed.
    """
    root = _parse(document)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == f"{{{UBL_ORDER}}}Order":
        return _ubl(root)
    if tag == f"{{{ORDER_X}}}SCRDMCCBDACIOMessageStructure":
        return _order_x(root)
    raise ValidationError("document", tag or None, "must be a UBL 2.1 Order or an Order-X order")
