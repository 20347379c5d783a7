"""Factories: valid records and books in one call, with sensible defaults you can override.

Every factory builds a valid value; keyword arguments replace any field (and are validated
like any other value). They need neither pytest nor hypothesis.

>>> from orderbook.testing.factories import make_book, make_order
>>> order = make_order(lines=3, id="o1")
>>> [(line.id, line.sku, line.quantity) for line in order.lines]
[('l1', 'TEA', Decimal('1')), ('l2', 'MUG', Decimal('2')), ('l3', 'POT', Decimal('3'))]
>>> book = make_book()
>>> placed = book.place_order("acme", order.lines)
>>> placed.id, book.summary(placed.id).gross
('id-1', Money('60.00', 'EUR'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from orderbook.book import OrderBook
from orderbook.clock import Clock, FixedClock
from orderbook.ids import SequentialIds, uuid4_ids
from orderbook.model import Customer, Lot, Order, OrderLine, Product
from orderbook.money import Money
from orderbook.store import MemoryStore, Store
from orderbook.workflow import Workflow, presets

__all__ = [
    "FROZEN_AT",
    "SKUS",
    "make_book",
    "make_customer",
    "make_line",
    "make_lot",
    "make_order",
    "make_product",
]

SKUS = ("TEA", "MUG", "POT")
"""The products the factories use unless told otherwise."""

FROZEN_AT = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
"""The moment a made book's clock stands at unless given another clock."""


T = TypeVar("T")


def _with(value: T, fields: Mapping[str, object]) -> T:
    """The value with some fields replaced (and validated again)."""
    changes: dict[str, Any] = dict(fields)
    return attrs.evolve(value, **changes)  # type: ignore[misc]


def make_customer(id: str = "acme", **fields: object) -> Customer:
    """A customer paying in EUR; ``fields`` replace any other field.

    >>> make_customer("globex", currency="JPY").currency
    'JPY'
    """
    base = Customer(id=id, name=id.capitalize() or "Customer", currency="EUR")
    return _with(base, fields)


def make_product(sku: str = "TEA", **fields: object) -> Product:
    """A product named after its SKU; ``fields`` replace any other field."""
    return _with(Product(sku=sku, name=sku.title()), fields)


def make_lot(
    id: str | None = None,
    *,
    sku: str = "TEA",
    quantity: Decimal | int | str = 100,
    **fields: object,
) -> Lot:
    """Stock on hand of one product (id ``"<sku>-shelf"`` unless given).

    >>> make_lot(sku="MUG", quantity=5)
    Lot(id='mug-shelf', sku='MUG', quantity=Decimal('5'), ...)
    """
    lot_id = id if id is not None else f"{sku.lower()}-shelf"
    return _with(Lot(id=lot_id, sku=sku, quantity=quantity), fields)


def make_line(
    id: str = "l1",
    *,
    sku: str = "TEA",
    quantity: Decimal | int | str = 1,
    price: Decimal | int | str = "10.00",
    currency: str = "EUR",
    **fields: object,
) -> OrderLine:
    """An order line; ``price`` is the unit price in ``currency``."""
    line = OrderLine(id=id, sku=sku, quantity=quantity, unit_price=Money(price, currency))
    return _with(line, fields)


def make_order(
    *,
    lines: int | Iterable[OrderLine] = 1,
    id: str | None = None,
    customer_id: str = "acme",
    currency: str = "EUR",
    skus: tuple[str, ...] = SKUS,
    **fields: object,
) -> Order:
    """An order (not stored) with ``lines`` lines, or the lines given.

    Line ``n`` is ``l<n>`` of the ``n``-th SKU (cycling), ``n`` units at 10.00.

    Args:
        lines: how many lines, or the lines themselves.
        id: the order's id; a new uuid when None.
        customer_id, currency: whose order, in which currency.
        skus: the products the made lines cycle through.
        fields: any other field of :class:`~orderbook.Order` (status, priority, ...).
    """
    if isinstance(lines, int):
        made = [
            make_line(f"l{n}", sku=skus[(n - 1) % len(skus)], quantity=n, currency=currency)
            for n in range(1, lines + 1)
        ]
    else:
        made = list(lines)
    order = Order(
        id=id if id is not None else uuid4_ids(),
        customer_id=customer_id,
        currency=currency,
        lines=made,
    )
    return _with(order, fields)


def make_book(
    *,
    store: Store | None = None,
    workflow: Workflow | None = None,
    clock: Clock | None = None,
    customers: Iterable[str] = ("acme",),
    skus: Iterable[str] = SKUS,
    stock: Decimal | int | str = 100,
    orders: int = 0,
) -> OrderBook:
    """A book ready to take orders: customers, products, and a lot of each product.

    Its clock stands still at :data:`FROZEN_AT` (unless given one) and its ids are
    ``id-1``, ``id-2``, ... so everything it makes is the same on every run.

    Args:
        store: where to keep it; a new MemoryStore when None.
        workflow: the standard preset when None.
        clock: a FixedClock at FROZEN_AT when None.
        customers: the ids of the customers to add (EUR).
        skus: the products to add, each with a lot ``<sku>-shelf`` of ``stock`` units.
        stock: the quantity of each lot.
        orders: how many draft orders of 3 lines to place for the first customer.
    """
    book = OrderBook(
        store if store is not None else MemoryStore(),
        workflow=workflow if workflow is not None else presets.standard(),
        clock=clock if clock is not None else FixedClock(FROZEN_AT),
        id_factory=SequentialIds("id"),
    )
    names = tuple(customers)
    products = tuple(skus)
    with book.batch():
        for customer_id in names:
            book.save_customer(make_customer(customer_id))
        for sku in products:
            book.save_product(make_product(sku))
            book.save_lot(make_lot(sku=sku, quantity=stock))
        for _ in range(orders):
            book.place_order(names[0], make_order(lines=3, skus=products).lines)
    return book
