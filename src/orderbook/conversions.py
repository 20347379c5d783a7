"""Conversions (Kafinea): quote to order, order to delivery note and purchase orders, duplicate.

Each conversion builds a new value from an existing one and keeps the link between them;
nothing is stored. Invoices from an order are built by :func:`orderbook.billing.invoice_order`.

>>> import datetime as dt
>>> from orderbook import Money, OrderLine, Quote
>>> quote = Quote(id="q-7", customer_id="acme", currency="EUR", subject="Office chairs",
...               lines=[OrderLine(id="l1", sku="CHAIR", quantity=12,
...                                unit_price=Money("89.00", "EUR"))])
>>> order = quote_to_order(quote, id_factory=lambda: "o-1")
>>> order.id, order.quote_id, order.subject, order.lines == quote.lines
('o-1', 'q-7', 'Office chairs', True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from orderbook.errors import ValidationError
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import (
    Customer,
    Order,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    QuoteStatus,
    Shipment,
    ShipmentItem,
)
from orderbook.money import to_decimal
from orderbook.rollup import OrderSummary

__all__ = ["delivery_note", "duplicate", "procure", "purchase_orders", "quote_to_order"]


def quote_to_order(
    quote: Quote,
    *,
    customer: Customer | None = None,
    status: str = "draft",
    id_factory: IdFactory = uuid4_ids,
) -> Order:
    """Turn a quote into an order, carrying its lines and customer over and keeping the link.

    Args:
        quote: the quote; a declined quote cannot become an order.
        customer: the quote's customer, whose billing and shipping addresses the order
            copies; optional.
        status: the order's initial workflow status code.
        id_factory: makes the order's id.

    Raises:
        ValidationError: the quote was declined, or ``customer`` is not the quote's.
    """
    if not isinstance(quote, Quote):
        raise ValidationError("quote", quote, "must be a Quote")
    if quote.status is QuoteStatus.DECLINED:
        raise ValidationError("quote.status", quote.status.value, "must not be declined")
    if customer is not None and (
        not isinstance(customer, Customer) or customer.id != quote.customer_id
    ):
        raise ValidationError("customer", customer, f"must be customer {quote.customer_id!r}")
    return Order(
        id=id_factory(),
        customer_id=quote.customer_id,
        currency=quote.currency,
        lines=quote.lines,
        subject=quote.subject,
        contact=quote.contact,
        billing_address=customer.billing_address if customer else None,
        shipping_address=customer.shipping_address if customer else None,
        status=status,
        quote_id=quote.id,
        quote_number=quote.number,
    )


def delivery_note(
    order: Order,
    quantities: Mapping[str, Decimal | int | str],
    *,
    shipped_on: dt.date,
    summary: OrderSummary | None = None,
    tolerance: Decimal | int | str = 0,
    number: str = "",
    id_factory: IdFactory = uuid4_ids,
) -> Shipment:
    """Build a delivery note (a shipment) for chosen quantities of an order's lines.

    Args:
        order: the order.
        quantities: ``{line_id: quantity}`` to ship, in the order's line order on the note.
        shipped_on: the shipping date.
        summary: the order's summary; when given, no line may ship beyond what is still
            open (ordered minus delivered and forfeited) and the tolerance.
        tolerance: the fraction of a line's quantity that may ship beyond it.
        number: the note's number.
        id_factory: makes the shipment's id.

    Raises:
        ValidationError: a quantity names no line, is not positive, or ships too much.

    >>> from orderbook import Money, OrderLine
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="CHAIR", quantity=12, unit_price=Money("89", "EUR"))])
    >>> note = delivery_note(order, {"l1": 5}, shipped_on=dt.date(2027, 5, 2))
    >>> [(item.line_id, item.quantity) for item in note.items]
    [('l1', Decimal('5'))]
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    if not isinstance(quantities, Mapping) or not quantities:
        raise ValidationError("quantities", quantities, "must map line ids to quantities")
    slack = to_decimal(tolerance, "tolerance")
    if slack < 0:
        raise ValidationError("tolerance", tolerance, "must not be negative")
    known = {line.id for line in order.lines}
    for line_id in quantities:
        if line_id not in known:
            raise ValidationError(
                f"quantities[{line_id!r}]", line_id, f"must name a line of order {order.id!r}"
            )
    items = []
    for line in order.lines:
        if line.id not in quantities:
            continue
        field = f"quantities[{line.id!r}]"
        quantity = to_decimal(quantities[line.id], field)
        if quantity <= 0:
            raise ValidationError(field, quantity, "must be greater than 0")
        if summary is not None:
            state = summary.line(line.id)
            allowed = state.open + line.quantity * slack
            if quantity > allowed:
                raise ValidationError(field, quantity, f"must not exceed the {allowed} open")
        items.append(ShipmentItem(line_id=line.id, quantity=quantity))
    return Shipment(
        id=id_factory(), order_id=order.id, items=items, shipped_on=shipped_on, number=number
    )


def purchase_orders(
    order: Order,
    products: Mapping[str, Product],
    *,
    line_ids: Iterable[str] | None = None,
    id_factory: IdFactory = uuid4_ids,
) -> tuple[PurchaseOrder, ...]:
    """Build one purchase order per supplier for chosen lines of an order.

    Each line buys the order line's quantity at its product's ``unit_cost`` (None when the
    product has none). A purchase order is in the currency of its costs: every costed line of
    one supplier must cost in one currency. With no cost at all, it is in the order's currency.

    Args:
        order: the order.
        products: the products by SKU; each chosen line's product must name a supplier.
        line_ids: the lines to procure; all of them by default.
        id_factory: makes the purchase orders' and their lines' ids.

    Returns:
        the purchase orders, sorted by supplier; each line keeps the order line it serves.

    Raises:
        ValidationError: a line id is unknown, a product is missing or has no supplier, or
            one supplier's costs are in several currencies.

    >>> from orderbook import Money, OrderLine
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("9", "EUR"))])
    >>> products = {"PLANK": Product(sku="PLANK", supplier="Nordic Timber",
    ...                              unit_cost=Money("4.10", "SEK"))}
    >>> [(po.supplier, po.currency, po.lines[0].unit_cost)
    ...  for po in purchase_orders(order, products)]
    [('Nordic Timber', 'SEK', Money('4.10', 'SEK'))]
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    if not isinstance(products, Mapping):
        raise ValidationError("products", products, "must map SKUs to products")
    chosen = None if line_ids is None else _line_ids(order, line_ids)
    by_supplier: dict[str, list[PurchaseOrderLine]] = {}
    for line in order.lines:
        if chosen is not None and line.id not in chosen:
            continue
        product = products.get(line.sku)
        if not isinstance(product, Product):
            raise ValidationError(f"products[{line.sku!r}]", product, "must be a Product")
        if product.supplier is None:
            raise ValidationError(
                f"products[{line.sku!r}].supplier", None, "must be set to purchase it"
            )
        by_supplier.setdefault(product.supplier, []).append(
            PurchaseOrderLine(
                id=id_factory(),
                sku=line.sku,
                quantity=line.quantity,
                unit_cost=product.unit_cost,
                order_line_id=line.id,
            )
        )
    return tuple(
        PurchaseOrder(
            id=id_factory(),
            supplier=supplier,
            currency=_cost_currency(supplier, lines, order.currency),
            lines=lines,
            order_id=order.id,
        )
        for supplier, lines in sorted(by_supplier.items())
    )


def _line_ids(order: Order, line_ids: Iterable[str]) -> set[str]:
    if isinstance(line_ids, str) or not isinstance(line_ids, Iterable):
        raise ValidationError("line_ids", line_ids, "must be line ids")
    chosen = set()
    known = {line.id for line in order.lines}
    for line_id in line_ids:
        if line_id not in known:
            raise ValidationError("line_ids", line_id, f"must name lines of order {order.id!r}")
        chosen.add(line_id)
    return chosen


def _cost_currency(supplier: str, lines: list[PurchaseOrderLine], default: str) -> str:
    """The one currency a supplier's costs are in (the order's when nothing is costed)."""
    currencies = sorted({ln.unit_cost.currency for ln in lines if ln.unit_cost is not None})
    if len(currencies) > 1:
        raise ValidationError(
            "products.unit_cost",
            currencies,
            f"must be in one currency for supplier {supplier!r}",
        )
    return currencies[0] if currencies else default


def procure(
    order: Order,
    products: Mapping[str, Product],
    *,
    existing: Iterable[PurchaseOrder] = (),
    line_ids: Iterable[str] | None = None,
    id_factory: IdFactory = uuid4_ids,
) -> tuple[PurchaseOrder, ...]:
    """Build the numbered purchase orders that procure an order's lines (Kafinea).

    Without ``line_ids``, the lines that no purchase order in ``existing`` serves yet are
    procured, so procuring twice orders nothing twice; naming lines procures them again (a
    reorder). Purchase orders are numbered after the order and a running count of its
    purchase orders: ``<order number>-PO<n>`` (the order's id where it has no number), ``n``
    following the ``existing`` ones, in supplier order.

    Args:
        order: the order.
        products: the products by SKU, as for :func:`purchase_orders`.
        existing: the order's purchase orders so far.
        line_ids: the lines to procure; by default every line not yet procured.
        id_factory: makes the purchase orders' and their lines' ids.

    Returns:
        The purchase orders, one per supplier, sorted by supplier.

    Raises:
        ValidationError: as :func:`purchase_orders`, or every line is procured already.

    >>> from orderbook import Money, OrderLine
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", number="SO-7", lines=[
    ...     OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("9", "EUR")),
    ...     OrderLine(id="l2", sku="GLUE", quantity=2, unit_price=Money("6", "EUR"))])
    >>> products = {"PLANK": Product(sku="PLANK", supplier="Nordic Timber"),
    ...             "GLUE": Product(sku="GLUE", supplier="Adhesives Ltd")}
    >>> first = procure(order, products, line_ids=["l1"])
    >>> rest = procure(order, products, existing=first)
    >>> [(po.number, po.supplier) for po in (*first, *rest)]
    [('SO-7-PO1', 'Nordic Timber'), ('SO-7-PO2', 'Adhesives Ltd')]
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    before = list(existing)
    for k, po in enumerate(before):
        if not isinstance(po, PurchaseOrder) or po.order_id != order.id:
            raise ValidationError(
                f"existing[{k}]", po, f"must be a purchase order of {order.id!r}"
            )
    if line_ids is None:
        served = {ln.order_line_id for po in before for ln in po.lines}
        line_ids = [line.id for line in order.lines if line.id not in served]
        if not line_ids:
            raise ValidationError(
                "line_ids", None, f"must name a line: every line of {order.id!r} is procured"
            )
    made = purchase_orders(order, products, line_ids=line_ids, id_factory=id_factory)
    if not made:
        raise ValidationError("line_ids", line_ids, "must name at least one line")
    ref = order.number or order.id
    return tuple(
        attrs.evolve(po, number=f"{ref}-PO{len(before) + n}") for n, po in enumerate(made, 1)
    )


def duplicate(order: Order, *, status: str = "draft", id_factory: IdFactory = uuid4_ids) -> Order:
    """Copy an order into a new one: a new id, the initial status, a fresh start.

    The copy keeps the customer, the lines, the terms and the addresses. It has no number,
    is neither placed nor finalized, is revision 1 and supersedes nothing; allocations,
    shipments and invoices belong to the original, so the copy has none.

    Args:
        order: the order to copy.
        status: the copy's initial workflow status code.
        id_factory: makes the copy's id.
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    return attrs.evolve(
        order,
        id=id_factory(),
        number="",
        status=status,
        placed_at=None,
        finalized_at=None,
        revision=1,
        supersedes=None,
        quote_id=None,
        quote_number="",
        version=0,
    )
