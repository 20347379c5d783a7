"""Build the :class:`~orderbook.documents.values.Document` of an order, invoice, shipment, ...

Each builder reads the model's values and works out everything printed, with the amounts
from :mod:`orderbook.pricing`, so a document never disagrees with the rollups about what a
line costs. The builders are pure: the same values give the same document.

>>> import datetime as dt
>>> from orderbook import Customer, Money, Order, OrderLine
>>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR")
>>> order = Order(id="o1", customer_id="acme", currency="EUR", number="SO-7", lines=[
...     OrderLine(id="l1", sku="TEA", quantity=3, unit_price=Money("4.99", "EUR"),
...               tax_rate="0.2")])
>>> doc = order_confirmation(order, acme, Party(name="Tea Traders Ltd"))
>>> doc.title, doc.lines[0].net, doc.totals.gross
('Order confirmation SO-7', Money('14.97', 'EUR'), Money('17.96', 'EUR'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from orderbook.documents.values import Document, DocumentDate, DocumentKind, DocumentLine, Party
from orderbook.errors import ValidationError
from orderbook.model import (
    Address,
    Customer,
    Order,
    OrderLine,
    Product,
    PurchaseOrder,
    Quote,
    Shipment,
    ShipmentKind,
)
from orderbook.money import Money
from orderbook.pricing import Priced, TaxRounding, line_net, line_tax, tax_rate_of, totals
from orderbook.rollup import OrderSummary

__all__ = [
    "delivery_note_document",
    "order_confirmation",
    "purchase_order_document",
    "quote_document",
]


def _check(name: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        raise ValidationError(name, value, f"must be a {kind.__name__}")


def _check_customer(customer: Customer, customer_id: str, record: str) -> None:
    _check("customer", customer, Customer)
    if customer.id != customer_id:
        raise ValidationError("customer", customer.id, f"must be the customer of {record}")


def _recipient(
    customer: Customer, billing: Address | None = None, shipping: Address | None = None
) -> Party:
    """The customer's block, with the addresses a record overrides."""
    party = Party.from_customer(customer)
    return attrs.evolve(
        party,
        billing_address=billing or party.billing_address,
        shipping_address=shipping or party.shipping_address,
    )


def _dates(*pairs: tuple[str, dt.date | None]) -> tuple[DocumentDate, ...]:
    return tuple(DocumentDate(label=label, date=day) for label, day in pairs if day is not None)


def _priced_line(
    position: int, line: OrderLine | Priced, sku: str, description: str
) -> DocumentLine:
    return DocumentLine(
        position=position,
        sku=sku,
        description=description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        tax_rate=tax_rate_of(line),
        net=line_net(line),
        tax=line_tax(line),
        due_on=getattr(line, "due_on", None),
    )


def _order_lines(lines: Iterable[OrderLine]) -> tuple[DocumentLine, ...]:
    return tuple(
        _priced_line(index, line, line.sku, line.description)
        for index, line in enumerate(lines, start=1)
    )


def order_confirmation(
    order: Order,
    customer: Customer,
    seller: Party,
    *,
    summary: OrderSummary | None = None,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> Document:
    """Build the confirmation of an order, sent to the customer.

    Args:
        order: the order; its addresses override the customer's.
        customer: who ordered.
        seller: the company's own block.
        summary: the order's summary; when given, its totals and payment status are printed.
        tax_rounding: how the totals round tax, when no summary is given.

    Raises:
        ValidationError: an argument has the wrong type, the customer is not the order's,
            or the summary is another order's.
    """
    _check("order", order, Order)
    _check_customer(customer, order.customer_id, f"order {order.id!r}")
    _check("seller", seller, Party)
    if summary is not None:
        _check("summary", summary, OrderSummary)
        if summary.order_id != order.id:
            raise ValidationError("summary", summary.order_id, f"must be of order {order.id!r}")
    placed = order.placed_at.date() if order.placed_at is not None else None
    return Document(
        kind=DocumentKind.ORDER_CONFIRMATION,
        number=order.number or order.id,
        currency=order.currency,
        issuer=seller,
        recipient=_recipient(customer, order.billing_address, order.shipping_address),
        dates=_dates(
            ("Order date", placed),
            ("Promised delivery", order.promised_on),
            ("Valid until", order.expires_on),
        ),
        reference=order.reference,
        subject=order.subject,
        terms=order.terms,
        lines=_order_lines(order.lines),
        totals=(
            summary.totals
            if summary is not None
            else totals(order.lines, order.currency, tax_rounding=tax_rounding)
        ),
        payment=summary.payment if summary is not None else None,
        source_id=order.id,
    )


def quote_document(
    quote: Quote,
    customer: Customer,
    seller: Party,
    *,
    issued_on: dt.date | None = None,
    terms: str = "",
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> Document:
    """Build the document of a quote (a proposal), sent to the customer.

    Raises:
        ValidationError: an argument has the wrong type, or the customer is not the quote's.
    """
    _check("quote", quote, Quote)
    _check_customer(customer, quote.customer_id, f"quote {quote.id!r}")
    _check("seller", seller, Party)
    return Document(
        kind=DocumentKind.QUOTE,
        number=quote.number or quote.id,
        currency=quote.currency,
        issuer=seller,
        recipient=_recipient(customer),
        dates=_dates(("Date", issued_on), ("Valid until", quote.valid_until)),
        subject=quote.subject,
        terms=terms,
        lines=_order_lines(quote.lines),
        totals=totals(quote.lines, quote.currency, tax_rounding=tax_rounding),
        source_id=quote.id,
    )


def delivery_note_document(
    shipment: Shipment, order: Order, customer: Customer, seller: Party
) -> Document:
    """Build the delivery note (or return note) of a shipment: quantities, no prices.

    Each line shows the quantity shipped and the quantity ordered.

    Raises:
        ValidationError: an argument has the wrong type, the shipment or customer is not the
            order's, or an item names no line of the order.
    """
    _check("shipment", shipment, Shipment)
    _check("order", order, Order)
    _check_customer(customer, order.customer_id, f"order {order.id!r}")
    _check("seller", seller, Party)
    if shipment.order_id != order.id:
        raise ValidationError("order", order.id, f"must be the order of shipment {shipment.id!r}")
    by_id = {line.id: line for line in order.lines}
    lines = []
    for index, item in enumerate(shipment.items):
        line = by_id.get(item.line_id)
        if line is None:
            raise ValidationError(
                f"shipment.items[{index}].line_id",
                item.line_id,
                f"must name a line of order {order.id!r}",
            )
        lines.append(
            DocumentLine(
                position=index + 1,
                sku=line.sku,
                description=line.description,
                quantity=item.quantity,
                ordered=line.quantity,
                due_on=line.due_on,
            )
        )
    returned = shipment.kind is ShipmentKind.RETURN
    placed = order.placed_at.date() if order.placed_at is not None else None
    return Document(
        kind=DocumentKind.RETURN_NOTE if returned else DocumentKind.DELIVERY_NOTE,
        number=shipment.number or shipment.id,
        currency=order.currency,
        issuer=seller,
        recipient=_recipient(customer, order.billing_address, order.shipping_address),
        dates=_dates(
            ("Returned on" if returned else "Shipped on", shipment.shipped_on),
            ("Order date", placed),
        ),
        reference=order.reference or shipment.reference,
        order_number=order.number or order.id,
        subject=order.subject,
        lines=tuple(lines),
        source_id=shipment.id,
        stamp="Cancelled" if shipment.cancelled else "",
    )


@attrs.frozen
class _Cost:
    """A purchase order line priced like an order line, for the pricing formulas."""

    quantity: Decimal
    unit_price: Money
    discount: Decimal = Decimal(0)
    tax_rate: Decimal = Decimal(0)


def purchase_order_document(
    po: PurchaseOrder,
    seller: Party,
    supplier: Party | None = None,
    *,
    products: Mapping[str, Product] | None = None,
    issued_on: dt.date | None = None,
    terms: str = "",
) -> Document:
    """Build a purchase order, sent by the company (``seller``) to a supplier.

    Lines with a unit cost print it and their amount; the totals are printed only when
    every line has a cost. No tax is computed on a purchase order.

    Args:
        po: the purchase order.
        seller: the company's own block; its shipping address is where goods are delivered.
        supplier: the supplier's block; by default just the purchase order's supplier name.
        products: products by SKU, whose names describe the lines.
        issued_on: the date of the purchase order.
        terms: the terms of purchase.

    Raises:
        ValidationError: an argument has the wrong type.
    """
    _check("po", po, PurchaseOrder)
    _check("seller", seller, Party)
    if supplier is None:
        supplier = Party(name=po.supplier)
    _check("supplier", supplier, Party)
    names = dict(products or {})
    lines, costs = [], []
    for index, line in enumerate(po.lines, start=1):
        product = names.get(line.sku)
        description = product.name if isinstance(product, Product) else ""
        if line.unit_cost is None:
            lines.append(
                DocumentLine(
                    position=index, sku=line.sku, description=description, quantity=line.quantity
                )
            )
            continue
        cost = _Cost(quantity=line.quantity, unit_price=line.unit_cost)
        costs.append(cost)
        lines.append(_priced_line(index, cost, line.sku, description))
    return Document(
        kind=DocumentKind.PURCHASE_ORDER,
        number=po.number or po.id,
        currency=po.currency,
        issuer=seller,
        recipient=supplier,
        dates=_dates(("Order date", issued_on), ("Expected delivery", po.expected_on)),
        terms=terms,
        lines=tuple(lines),
        totals=totals(costs, po.currency) if len(costs) == len(po.lines) else None,
        source_id=po.id,
    )
