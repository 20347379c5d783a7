"""The command of an order that arrives as a document (a UBL Order or an Order-X order).

>>> from orderbook.einvoice import DigitalOrder, DigitalOrderLine
>>> received = DigitalOrder(number="PO-7", currency="EUR", buyer_vat_id="DE123456789",
...                         lines=[DigitalOrderLine(line_id="1", sku="TEA", quantity=3)])
>>> PlaceDigitalOrder(order=received).order.number
'PO-7'
"""

from __future__ import annotations

import attrs

from orderbook import _fields as f
from orderbook.commands._convert import by_field
from orderbook.einvoice.orders import DigitalOrder

__all__ = ["PlaceDigitalOrder"]


@attrs.frozen(kw_only=True)
class PlaceDigitalOrder:
    """Place the order a buyer's document asks for, as :class:`PlaceOrder` would.

    The buyer must be a customer of the book, found by the document's electronic address or
    VAT id (:func:`~orderbook.einvoice.match_customer`). The buyer's order number becomes
    the order's reference; the lines keep the document's line ids, SKUs, quantities,
    prices (a product's list price where the document gives none) and delivery dates.

    Args:
        order: the document, read by :func:`~orderbook.einvoice.parse_order`.
        order_id: the new order's id; made by the book's id factory when None.
        by: who places it.
    """

    order: DigitalOrder = attrs.field(validator=f.instance_of(DigitalOrder))
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()
