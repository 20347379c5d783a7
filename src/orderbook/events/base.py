"""What every event holds (:class:`Event`), the kinds' names (:class:`EventKind`), and the
generic value of an event of a kind this version does not know (:class:`UnknownEvent`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import ClassVar

import attrs

from orderbook.events.change import Change
from orderbook.store.codec import JsonValue

__all__ = ["KEEP_NONE", "Event", "EventKind", "UnknownEvent"]


class EventKind(enum.StrEnum):
    """What happened, in the past tense: the ``kind`` of a stored event."""

    CUSTOMER_SAVED = "CustomerSaved"
    PRODUCT_SAVED = "ProductSaved"
    LOT_SAVED = "LotSaved"
    QUOTE_SAVED = "QuoteSaved"
    QUOTE_ACCEPTED = "QuoteAccepted"
    ORDER_PLACED = "OrderPlaced"
    LINES_EDITED = "LinesEdited"
    ORDER_EDITED = "OrderEdited"
    RECURRENCE_CHANGED = "RecurrenceChanged"
    STATUS_CHANGED = "StatusChanged"
    ORDER_FINALIZED = "OrderFinalized"
    ALLOCATED = "Allocated"
    RELEASED = "Released"
    SHIPPED = "Shipped"
    RETURNED = "Returned"
    FORFEITED = "Forfeited"
    INVOICED = "Invoiced"
    INVOICE_EDITED = "InvoiceEdited"
    INVOICE_ISSUED = "InvoiceIssued"
    INVOICE_CANCELLED = "InvoiceCancelled"
    INVOICE_CREDITED = "InvoiceCredited"
    PROCURED = "Procured"
    PAYMENT_RECORDED = "PaymentRecorded"
    PAYMENT_EDITED = "PaymentEdited"
    PAYMENT_DELETED = "PaymentDeleted"
    AMENDED = "Amended"
    ORDER_DELETED = "OrderDeleted"
    WORKFLOW_RECORDED = "WorkflowRecorded"
    WORKFLOW_CHANGED = "WorkflowChanged"


KEEP_NONE = "orderbook.events.keep_none"
"""Field metadata: the field is written even when it is None (as ``null``). Optional fields
without it are left out of the JSON when None, and read back as None when absent."""


@attrs.frozen(kw_only=True)
class Event:
    """What every event of the book holds; each kind of event is a subclass.

    Args:
        changes: the records the event wrote or deleted, in order (:class:`Change`).
        by: who acted, if the command said.
    """

    kind: ClassVar[EventKind]

    changes: tuple[Change, ...] = ()
    by: str | None = None


@attrs.frozen(kw_only=True)
class UnknownEvent:
    """An event of a kind this version does not know, or whose data does not fit its kind:
    an application's own ``store.append_event("Noted", ...)``, or one from a newer version.

    Args:
        kind: the kind it was stored under.
        data: its data, as stored.
    """

    kind: str
    data: Mapping[str, JsonValue] = attrs.field(hash=False)
