"""The events every command appends: an append-only, numbered record of what it did.

An event has a kind in the past tense (:class:`EventKind`), the order it concerns, the
moment, and data: the facts people read (who, why, from which status to which) and, under
``"changes"``, every record it wrote (the full row, as :func:`orderbook.store.codec.encode`
gives it) or deleted (its kind, id and version). So replaying the events in order onto an
empty store rebuilds exactly the same store: :func:`replay`.

>>> import datetime as dt
>>> from orderbook import Customer
>>> from orderbook.store import MemoryStore
>>> book_store, copy = MemoryStore(), MemoryStore()
>>> saved = book_store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> at = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
>>> event = book_store.append_event(EventKind.CUSTOMER_SAVED, at=at,
...                                 data={"changes": [Change.put(saved).to_json()]})
>>> replay(book_store.events(), copy)
1
>>> copy.dump() == book_store.dump()
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.errors import OrderbookError, ValidationError
from orderbook.store import record_json
from orderbook.store.codec import JsonValue, Row, canonical_json, decode, encode
from orderbook.store.events import StoredEvent
from orderbook.store.protocol import RECORD_KINDS, Record, Store, kind_of

__all__ = ["Change", "EventKind", "changes", "replay"]


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


_OPS = ("put", "delete")


@attrs.frozen(kw_only=True)
class Change:
    """One record an event wrote (``put``, with its full row) or deleted (``delete``).

    Args:
        op: ``"put"`` or ``"delete"``.
        kind: the kind of record, as the store names it: ``"order"``, ``"lot"``, ...
        row: for a put, the record as saved (version included); for a delete, its ``id``
            and the ``version`` deleted.
    """

    op: str = attrs.field(validator=attrs.validators.in_(_OPS))
    kind: str = attrs.field(validator=attrs.validators.in_(tuple(RECORD_KINDS)))
    row: Row = attrs.field(hash=False, validator=f.instance_of(dict))

    @classmethod
    def put(cls, record: Record) -> Change:
        """The change of saving ``record`` (as saved, with its new version)."""
        return cls(op="put", kind=kind_of(type(record)), row=encode(record))

    @classmethod
    def delete(cls, record: Record) -> Change:
        """The change of deleting ``record`` (only its id and version are kept)."""
        return cls(
            op="delete",
            kind=kind_of(type(record)),
            row={"id": record.id, "version": record.version},
        )

    def to_json(self) -> dict[str, JsonValue]:
        """The change as the plain data an event keeps."""
        return {"op": self.op, "kind": self.kind, "row": self.row}

    def apply(self, store: Store) -> None:
        """Make the change in ``store``: save the row at its version, or delete the record.

        Raises:
            ConflictError: the store does not hold the version the change was made over.
            NotFound: a delete names a record the store does not hold.
        """
        kind = RECORD_KINDS[self.kind]
        target: Any = store  # each kind of record goes through the same calls
        if self.op == "delete":
            record_id = self.row.get("id")
            if not isinstance(record_id, str):
                raise ValidationError("row.id", record_id, "must be the deleted record's id")
            target.delete(target.get(kind, record_id))
            return
        record = decode(kind, self.row)
        previous = record.version - 1
        target.put(attrs.evolve(record, version=max(previous, 0)))


def change_json(op: str, record: Record) -> str:
    """The canonical JSON text of ``Change.put(record)`` or ``Change.delete(record)`` (by
    ``op``) as an event keeps it, written from the record's own text without building its
    row: the book writes the changes of its events this way.

    >>> from orderbook import Lot
    >>> lot = Lot(id="l1", sku="TEA", quantity=2, version=1)
    >>> change_json("put", lot) == canonical_json(Change.put(lot).to_json())
    True
    >>> change_json("delete", lot)
    '{"kind":"lot","op":"delete","row":{"id":"l1","version":1}}'
    """
    if op not in _OPS:
        raise ValidationError("op", op, "must be 'put' or 'delete'")
    row = record_json(record) if op == "put" else canonical_json(Change.delete(record).row)
    kind = kind_of(type(record))  # a kind's name, like an op, needs no escaping
    return f'{{"kind":"{kind}","op":"{op}","row":{row}}}'


def changes(event: StoredEvent) -> tuple[Change, ...]:
    """The records an event wrote or deleted, in the order it did so.

    Raises:
        OrderbookError: the event's ``changes`` are not what the book writes.
    """
    raw = event.data.get("changes", [])
    if not isinstance(raw, list):
        raise OrderbookError(f"event {event.sequence} has malformed changes")
    found = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("row"), dict):
            raise OrderbookError(f"event {event.sequence} has a malformed change: {item!r}")
        try:
            found.append(Change(op=item["op"], kind=item["kind"], row=item["row"]))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError) as error:
            raise OrderbookError(
                f"event {event.sequence} has a malformed change: {error}"
            ) from None
    return tuple(found)


_RECORDS_WORKFLOW = frozenset({EventKind.WORKFLOW_RECORDED, EventKind.WORKFLOW_CHANGED})


def replay(events: Iterable[StoredEvent], store: Store) -> int:
    """Apply events, in order, to ``store`` and append them to its log; return how many.

    Replayed onto an empty store, the events of a book rebuild it exactly: the same records
    at the same versions and the same log (``store.dump()`` compares equal), and the workflow
    the book recorded. All of it is
    one transaction: if an event does not apply, nothing is changed.

    Raises:
        ConflictError, NotFound: the store does not hold what the events were made over.
        ValidationError: ``events`` is not an iterable of StoredEvent, or ``store`` not a
            Store.
    """
    if not isinstance(store, Store):
        raise ValidationError("store", store, "must be a Store such as MemoryStore()")
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
        raise ValidationError("events", events, "must be an iterable of StoredEvent")
    count = 0
    with store.transaction():
        for index, event in enumerate(events):
            if not isinstance(event, StoredEvent):
                raise ValidationError(f"events[{index}]", event, "must be a StoredEvent")
            for change in changes(event):
                change.apply(store)
            data: Mapping[str, JsonValue] = event.data
            if event.kind in _RECORDS_WORKFLOW:  # the book's workflow, a setting of its store
                store.put_setting("workflow", data.get("workflow"))
            store.append_event(event.kind, at=event.at, order_id=event.order_id, data=data)
            count += 1
    return count
