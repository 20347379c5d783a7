"""The kinds of event the book appends, each a frozen value with named, typed fields.

Every event holds the records it wrote or deleted (``changes``) and who acted (``by``); the
other fields are the facts people read. Their JSON is what :mod:`orderbook.events.codec`
writes from the fields themselves, the same JSON the book has always written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.events.base import KEEP_NONE, Event, EventKind
from orderbook.money import Money
from orderbook.store.codec import JsonValue

__all__ = [
    "Allocated",
    "Amended",
    "CustomerSaved",
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
    "ProcuredOrder",
    "Procured",
    "ProductSaved",
    "QuoteAccepted",
    "QuoteSaved",
    "RecurrenceChanged",
    "Released",
    "Returned",
    "Shipped",
    "StatusChanged",
    "WorkflowChanged",
    "WorkflowRecorded",
]

_DECIMAL = f.instance_of(Decimal)


# Master data -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CustomerSaved(Event):
    """A customer was added or updated."""

    kind = EventKind.CUSTOMER_SAVED
    customer_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class ProductSaved(Event):
    """A product was added or updated."""

    kind = EventKind.PRODUCT_SAVED
    sku: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class LotSaved(Event):
    """A lot was added or updated, to ``quantity`` units of ``sku``."""

    kind = EventKind.LOT_SAVED
    lot_id: str = attrs.field(validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(validator=_DECIMAL)


@attrs.frozen(kw_only=True)
class QuoteSaved(Event):
    """A quote was added or updated."""

    kind = EventKind.QUOTE_SAVED
    quote_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class QuoteAccepted(Event):
    """A quote was accepted (its order is placed by the next event)."""

    kind = EventKind.QUOTE_ACCEPTED
    quote_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class WorkflowRecorded(Event):
    """A book recorded its workflow in a store that held none.

    Args:
        name: the workflow's name.
        workflow: the workflow as data (:func:`orderbook.workflow.record.workflow_data`).
    """

    kind = EventKind.WORKFLOW_RECORDED
    name: str
    workflow: dict[str, JsonValue] = attrs.field(hash=False)


@attrs.frozen(kw_only=True)
class WorkflowChanged(Event):
    """A book recorded another workflow than the one its store held (fields as
    :class:`WorkflowRecorded`)."""

    kind = EventKind.WORKFLOW_CHANGED
    name: str
    workflow: dict[str, JsonValue] = attrs.field(hash=False)


# Orders ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OrderPlaced(Event):
    """An order was placed.

    Args:
        customer_id, number: the order's customer and number.
        acceptance, acceptance_reason: the acceptance verdict, for a customer with a limit.
        quote_id: the quote it was converted from; duplicate_of: the order it copies;
            received: the syntax of the document it arrived as.
    """

    kind = EventKind.ORDER_PLACED
    customer_id: str = attrs.field(validator=f.required_text)
    number: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    acceptance: str | None = None
    acceptance_reason: str | None = None
    quote_id: str | None = None
    duplicate_of: str | None = None
    received: str | None = None


@attrs.frozen(kw_only=True)
class LinesEdited(Event):
    """An order's lines were replaced; ``lines`` is how many it has now."""

    kind = EventKind.LINES_EDITED
    lines: int


@attrs.frozen(kw_only=True)
class OrderEdited(Event):
    """Header fields of an order changed; ``fields`` names them, sorted, comma-separated."""

    kind = EventKind.ORDER_EDITED
    fields: str


@attrs.frozen(kw_only=True)
class RecurrenceChanged(Event):
    """An order's recurring plan changed, or ``stopped``."""

    kind = EventKind.RECURRENCE_CHANGED
    stopped: bool


@attrs.frozen(kw_only=True)
class StatusChanged(Event):
    """An order moved from status ``source`` to ``target``, by hand or ``automatic``-ally.

    Its ``by`` is the move's own: None for an automatic move, whoever ran the command.
    """

    kind = EventKind.STATUS_CHANGED
    source: str
    target: str
    reason: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    automatic: bool = False
    by: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})


@attrs.frozen(kw_only=True)
class OrderFinalized(Event):
    """An order was finalized: locked for good."""

    kind = EventKind.ORDER_FINALIZED


@attrs.frozen(kw_only=True)
class Amended(Event):
    """A new revision superseded an order, releasing ``released`` units it held."""

    kind = EventKind.AMENDED
    supersedes: str = attrs.field(validator=f.required_text)
    revision: int
    reason: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    released: Decimal = attrs.field(default=Decimal(0), validator=_DECIMAL)


@attrs.frozen(kw_only=True)
class OrderDeleted(Event):
    """An order was deleted with its records; its ``by`` is the command's own."""

    kind = EventKind.ORDER_DELETED
    number: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    by: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})


# Fulfilment --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Allocated(Event):
    """Units were allocated to an order: ``lines`` maps line ids to quantities."""

    kind = EventKind.ALLOCATED
    lines: Mapping[str, Decimal] = attrs.field(hash=False)
    manual: bool = False


@attrs.frozen(kw_only=True)
class Released(Event):
    """Allocations were taken back (``lines``, line id to quantity), and why."""

    kind = EventKind.RELEASED
    lines: Mapping[str, Decimal] = attrs.field(hash=False)
    reason: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})


@attrs.frozen(kw_only=True)
class Shipped(Event):
    """A delivery was recorded: ``lines`` maps line ids to the quantities shipped."""

    kind = EventKind.SHIPPED
    shipment_id: str = attrs.field(validator=f.required_text)
    lines: Mapping[str, Decimal] = attrs.field(hash=False)


@attrs.frozen(kw_only=True)
class Returned(Event):
    """A return was recorded: ``lines`` maps line ids to the quantities returned."""

    kind = EventKind.RETURNED
    shipment_id: str = attrs.field(validator=f.required_text)
    lines: Mapping[str, Decimal] = attrs.field(hash=False)


@attrs.frozen(kw_only=True)
class Forfeited(Event):
    """The customer gave up ``quantity`` units open on a line."""

    kind = EventKind.FORFEITED
    line_id: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(validator=_DECIMAL)


@attrs.frozen(kw_only=True)
class ProcuredOrder:
    """One purchase order a :class:`Procured` event made.

    Args:
        id, number, supplier: the purchase order's.
        total: what it costs, if its lines have costs.
    """

    id: str = attrs.field(validator=f.required_text)
    number: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    supplier: str | None = attrs.field(default=None, metadata={KEEP_NONE: True})
    total: Money | None = attrs.field(
        default=None, validator=f.optional_money, metadata={KEEP_NONE: True}
    )


@attrs.frozen(kw_only=True)
class Procured(Event):
    """Purchase orders were made for an order's lines."""

    kind = EventKind.PROCURED
    purchase_orders: tuple[ProcuredOrder, ...] = ()


# Billing -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Invoiced(Event):
    """An invoice was made for an order (``period_start`` for a recurring plan's period)."""

    kind = EventKind.INVOICED
    invoice_id: str = attrs.field(validator=f.required_text)
    status: str
    automatic: bool = False
    invoice_kind: str | None = None
    period_start: dt.date | None = attrs.field(default=None, validator=f.optional_date)


@attrs.frozen(kw_only=True)
class InvoiceEdited(Event):
    """A draft invoice was edited."""

    kind = EventKind.INVOICE_EDITED
    invoice_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class InvoiceIssued(Event):
    """A draft invoice was issued."""

    kind = EventKind.INVOICE_ISSUED
    invoice_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class InvoiceCancelled(Event):
    """An invoice was cancelled."""

    kind = EventKind.INVOICE_CANCELLED
    invoice_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class InvoiceCredited(Event):
    """A credit note (``invoice_id``) was made against the invoice it ``corrects``."""

    kind = EventKind.INVOICE_CREDITED
    invoice_id: str = attrs.field(validator=f.required_text)
    corrects: str = attrs.field(validator=f.required_text)
    status: str


@attrs.frozen(kw_only=True)
class PaymentRecorded(Event):
    """A payment of ``amount`` was recorded."""

    kind = EventKind.PAYMENT_RECORDED
    payment_id: str = attrs.field(validator=f.required_text)
    amount: Money = attrs.field(validator=f.money)


@attrs.frozen(kw_only=True)
class PaymentEdited(Event):
    """A payment was corrected."""

    kind = EventKind.PAYMENT_EDITED
    payment_id: str = attrs.field(validator=f.required_text)


@attrs.frozen(kw_only=True)
class PaymentDeleted(Event):
    """A payment recorded by mistake was deleted."""

    kind = EventKind.PAYMENT_DELETED
    payment_id: str = attrs.field(validator=f.required_text)
