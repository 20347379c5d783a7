"""The :class:`Store` protocol and the kinds of record a store keeps.

A store keeps records of eleven kinds, each under its own id (a product under its SKU), an
append-only log of events, and named settings of plain JSON data. Every record carries a
``version``: 0 for a record never saved, then 1, 2, ... as the store saves it. Saving over a
version that is no longer the stored one raises :class:`orderbook.errors.ConflictError`
(optimistic concurrency).

>>> from orderbook import Lot
>>> from orderbook.store import RECORD_KINDS, kind_of
>>> kind_of(Lot), RECORD_KINDS["lot"] is Lot
('lot', True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol, TypeAlias, TypeVar, runtime_checkable

from orderbook.errors import ValidationError
from orderbook.model import (
    Allocation,
    Customer,
    Forfeit,
    Invoice,
    Lot,
    Order,
    Payment,
    Product,
    PurchaseOrder,
    Quote,
    Shipment,
)
from orderbook.store.codec import JsonValue, Row
from orderbook.store.events import StoredEvent

__all__ = [
    "RECORD_KINDS",
    "Dump",
    "EventLog",
    "QueryStore",
    "R",
    "Record",
    "RecordStore",
    "SettingStore",
    "Store",
    "Transactional",
    "kind_of",
]

Record: TypeAlias = (
    Customer
    | Product
    | Lot
    | Order
    | Quote
    | Allocation
    | Shipment
    | Forfeit
    | Invoice
    | Payment
    | PurchaseOrder
)
"""Any record a store keeps."""

R = TypeVar(
    "R",
    Customer,
    Product,
    Lot,
    Order,
    Quote,
    Allocation,
    Shipment,
    Forfeit,
    Invoice,
    Payment,
    PurchaseOrder,
)
"""One kind of record: ``store.get(Order, ...)`` returns an :class:`~orderbook.Order`."""

RECORD_KINDS: Mapping[str, type[Record]] = {
    "customer": Customer,
    "product": Product,
    "lot": Lot,
    "order": Order,
    "quote": Quote,
    "allocation": Allocation,
    "shipment": Shipment,
    "forfeit": Forfeit,
    "invoice": Invoice,
    "payment": Payment,
    "purchase_order": PurchaseOrder,
}
"""Every kind of record, by the name errors and :meth:`Store.dump` use for it."""

_NAMES: dict[type[object], str] = {kind: name for name, kind in RECORD_KINDS.items()}

Dump: TypeAlias = Mapping[str, tuple[Row, ...]]
"""Everything in a store: each kind's name (and ``"event"``) to its plain rows, in order."""


def kind_of(kind: type[object]) -> str:
    """Return the name of a kind of record: ``"purchase_order"`` for :class:`PurchaseOrder`.

    Raises:
        ValidationError: it is not a kind of record a store keeps.

    >>> kind_of(PurchaseOrder)
    'purchase_order'
    >>> kind_of(str)
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: kind must be a kind of record such as Order,
    got <class 'str'>
    """
    name = _NAMES.get(kind) if isinstance(kind, type) else None
    if name is None:
        raise ValidationError("kind", kind, "must be a kind of record such as Order")
    return name


@runtime_checkable
class RecordStore(Protocol):
    """Records of each kind under their ids, saved over their stored version."""

    def get(self, kind: type[R], record_id: str) -> R:
        """Return the record of that kind and id; raise NotFound if there is none."""
        ...

    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Return every record of one kind."""
        ...

    def put(self, record: R) -> R:
        """Save a record over its stored version; return it with its new version."""
        ...

    def delete(self, record: R) -> None:
        """Delete a record, if its version is still the stored one."""
        ...


@runtime_checkable
class QueryStore(Protocol):
    """The queries the book asks: records by customer, SKU, order, status and more.

    Each returns a tuple sorted by the records' ids (SKU for products), except
    :meth:`orders_placed_between`, which sorts by the moment placed, then id.
    """

    def orders_by_customer(self, customer_id: str) -> tuple[Order, ...]:
        """The orders of a customer."""
        ...

    def orders_by_status(self, status: str) -> tuple[Order, ...]:
        """The orders in a workflow status."""
        ...

    def orders_by_sku(self, sku: str) -> tuple[Order, ...]:
        """The orders with at least one line of a product."""
        ...

    def orders_placed_between(self, start: dt.datetime, end: dt.datetime) -> tuple[Order, ...]:
        """The orders placed from ``start`` (included) to ``end`` (excluded)."""
        ...

    def quotes_by_customer(self, customer_id: str) -> tuple[Quote, ...]:
        """The quotes of a customer."""
        ...

    def lots_by_sku(self, sku: str) -> tuple[Lot, ...]:
        """The lots of a product."""
        ...

    def allocations_by_order(self, order_id: str) -> tuple[Allocation, ...]:
        """The allocations of an order's lines."""
        ...

    def allocations_by_line(self, order_id: str, line_id: str) -> tuple[Allocation, ...]:
        """The allocations of one order line."""
        ...

    def allocations_by_lot(self, lot_id: str) -> tuple[Allocation, ...]:
        """The allocations drawing on a lot."""
        ...

    def shipments_by_order(self, order_id: str) -> tuple[Shipment, ...]:
        """The shipments of an order."""
        ...

    def forfeits_by_order(self, order_id: str) -> tuple[Forfeit, ...]:
        """The forfeits of an order."""
        ...

    def invoices_by_order(self, order_id: str) -> tuple[Invoice, ...]:
        """The invoices of an order."""
        ...

    def invoices_by_customer(self, customer_id: str) -> tuple[Invoice, ...]:
        """The invoices of a customer."""
        ...

    def payments_by_order(self, order_id: str) -> tuple[Payment, ...]:
        """The payments that name an order."""
        ...

    def payments_by_invoice(self, invoice_id: str) -> tuple[Payment, ...]:
        """The payments against an invoice."""
        ...

    def purchase_orders_by_order(self, order_id: str) -> tuple[PurchaseOrder, ...]:
        """The purchase orders made for an order."""
        ...


@runtime_checkable
class EventLog(Protocol):
    """An append-only log of events, numbered in sequence."""

    def append_event(
        self,
        kind: str,
        *,
        at: dt.datetime,
        order_id: str | None = None,
        data: Mapping[str, JsonValue] | None = None,
    ) -> StoredEvent:
        """Append an event to the log and return it with its sequence number."""
        ...

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """The events after a sequence number, of one order or all, in sequence."""
        ...


@runtime_checkable
class SettingStore(Protocol):
    """Named settings of plain JSON data, with no version and no event."""

    def setting(self, name: str) -> JsonValue | None:
        """The value stored under a setting's name, or None when there is none."""
        ...

    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value (plain JSON data), replacing any; inside ``transaction()`` it
        commits or rolls back with the rest."""
        ...


@runtime_checkable
class Transactional(Protocol):
    """A unit of work: everything inside one block commits together, or nothing does."""

    def transaction(self) -> AbstractContextManager[None]:
        """Commit everything done inside together, or nothing if the block raises."""
        ...


@runtime_checkable
class Store(RecordStore, QueryStore, EventLog, SettingStore, Transactional, Protocol):
    """What the book needs from storage: records, queries, events, settings and transactions.

    It is the union of the small protocols :class:`RecordStore`, :class:`QueryStore`,
    :class:`EventLog`, :class:`SettingStore` and :class:`Transactional`, with a dump and
    ``close``. A function that needs less asks for less: one that only reads the log takes
    an :class:`EventLog`.

    Settings are named values of plain JSON data (the workflow a book was made with): they
    have no version, take no event and are not part of :meth:`dump`.

    Queries return tuples sorted by the records' ids (SKU for products), except
    :meth:`orders_placed_between`, which sorts by the moment placed, then id. Every argument is
    checked: bad input raises :class:`~orderbook.errors.ValidationError` and changes nothing.

    >>> from orderbook.store import MemoryStore
    >>> isinstance(MemoryStore(), Store)
    True
    """

    def dump(self) -> Dump:
        """Every record and event, in a canonical form that compares with ``==``."""
        ...

    def close(self) -> None:
        """Release the store's resources; using it afterwards raises OrderbookError."""
        ...
