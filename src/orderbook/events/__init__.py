"""The events every command appends: an append-only, numbered record of what it did.

An event has a kind in the past tense (:class:`EventKind`), the order it concerns, the
moment, and data: the facts people read (who, why, from which status to which) and, under
``"changes"``, every record it wrote (the full row, as :func:`orderbook.store.codec.encode`
gives it) or deleted (its kind, id and version). So replaying the events in order onto an
empty store rebuilds exactly the same store: :func:`replay`.

Each kind is a frozen value with named, typed fields (:class:`OrderPlaced`,
:class:`StatusChanged`, ...; :class:`Event` is what they share), and one codec writes and reads
them all (:func:`to_json`, :func:`from_json`). A stored event gives its typed value as
``stored.event``; a kind this version does not know reads as :class:`UnknownEvent`.

>>> import datetime as dt
>>> from orderbook import Customer
>>> from orderbook.store import MemoryStore
>>> book_store, copy = MemoryStore(), MemoryStore()
>>> saved = book_store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> at = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
>>> typed = CustomerSaved(customer_id="acme", changes=(Change.put(saved),))
>>> event = book_store.append_event(EventKind.CUSTOMER_SAVED, at=at, data=to_json(typed))
>>> event.event == typed
True
>>> replay(book_store.events(), copy)
1
>>> copy.dump() == book_store.dump()
True
"""

from orderbook.events.base import Event, EventKind, UnknownEvent
from orderbook.events.change import Change, change_json
from orderbook.events.codec import from_json, to_json
from orderbook.events.kinds import (
    Allocated,
    Amended,
    CustomerSaved,
    Forfeited,
    InvoiceCancelled,
    InvoiceCredited,
    Invoiced,
    InvoiceEdited,
    InvoiceIssued,
    LinesEdited,
    LotSaved,
    OrderDeleted,
    OrderEdited,
    OrderFinalized,
    OrderPlaced,
    PaymentDeleted,
    PaymentEdited,
    PaymentRecorded,
    Procured,
    ProcuredOrder,
    ProductSaved,
    QuoteAccepted,
    QuoteSaved,
    RecurrenceChanged,
    Released,
    Returned,
    Shipped,
    StatusChanged,
    WorkflowChanged,
    WorkflowRecorded,
)
from orderbook.events.replay import changes, replay

__all__ = [
    "Allocated",
    "Amended",
    "Change",
    "CustomerSaved",
    "Event",
    "EventKind",
    "Forfeited",
    "InvoiceCancelled",
    "InvoiceCredited",
    "InvoiceEdited",
    "InvoiceIssued",
    "Invoiced",
    "LinesEdited",
    "LotSaved",
    "OrderDeleted",
    "OrderEdited",
    "OrderFinalized",
    "OrderPlaced",
    "PaymentDeleted",
    "PaymentEdited",
    "PaymentRecorded",
    "Procured",
    "ProcuredOrder",
    "ProductSaved",
    "QuoteAccepted",
    "QuoteSaved",
    "RecurrenceChanged",
    "Released",
    "Returned",
    "Shipped",
    "StatusChanged",
    "UnknownEvent",
    "WorkflowChanged",
    "WorkflowRecorded",
    "change_json",
    "changes",
    "from_json",
    "replay",
    "to_json",
]
