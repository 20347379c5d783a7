"""The order a buyer's document asks for, as the command that places it: a pure function."""

from __future__ import annotations

from collections.abc import Mapping

from orderbook.commands.orders import PlaceOrder
from orderbook.einvoice.orders import DigitalOrder
from orderbook.errors import ValidationError
from orderbook.model import Customer, OrderLine, Product

__all__ = ["place_order_command"]


def place_order_command(
    order: DigitalOrder,
    customer: Customer,
    products: Mapping[str, Product],
    *,
    order_id: str | None = None,
    by: str | None = None,
) -> PlaceOrder:
    """Return the command that places the order a document asks for.

    The buyer's order number becomes the order's reference; each line keeps the buyer's
    line id, its price (the product's list price when the document gives none), the
    delivery date asked for, and the document's name of the item as its description where
    it is not the product's name.

    Args:
        order: the document's order.
        customer: the buyer (see :func:`match_customer`).
        products: the products of the book by SKU; every line's must be there.
        order_id: the new order's id; the book makes one when None.
        by: who places it.

    Raises:
        ValidationError: the currency is not the customer's, a line's item is no product,
            or a line has no price and its product no list price.

    >>> from orderbook import Money
    >>> from orderbook.einvoice import DigitalOrderLine
    >>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR", vat_id="DE123456789")
    >>> tea = Product(sku="TEA", list_price=Money("4.50", "EUR"))
    >>> order = DigitalOrder(number="PO-7", currency="EUR", buyer_vat_id="DE123456789",
    ...                      lines=[DigitalOrderLine(line_id="1", sku="TEA", quantity=3)])
    >>> command = place_order_command(order, acme, {"TEA": tea})
    >>> command.reference, command.lines[0].unit_price
    ('PO-7', Money('4.50', 'EUR'))
    """
    if not isinstance(order, DigitalOrder):
        raise ValidationError("order", order, "must be a DigitalOrder")
    if not isinstance(customer, Customer):
        raise ValidationError("customer", customer, "must be a Customer")
    if order.currency != customer.currency:
        raise ValidationError(
            "currency", order.currency, f"must be {customer.currency}, the customer's currency"
        )
    lines = []
    for index, line in enumerate(order.lines):
        where = line.element or f"lines[{index}]"
        product = products.get(line.sku)
        if not isinstance(product, Product):
            raise ValidationError(where, line.sku, "must name a product of the book as its item")
        price = line.unit_price if line.unit_price is not None else product.list_price
        if price is None or price.currency != customer.currency:
            raise ValidationError(
                where, line.sku, f"must give a price in {customer.currency}: the product has none"
            )
        lines.append(
            OrderLine(
                id=line.line_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=price,
                due_on=line.due_on,
                description=line.name if line.name != product.name else "",
            )
        )
    return PlaceOrder(
        customer_id=customer.id,
        order_id=order_id,
        lines=lines,
        reference=order.number,
        by=by,
    )
