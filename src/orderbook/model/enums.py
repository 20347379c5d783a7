"""The closed vocabularies of the model: kinds and document statuses.

Each is a :class:`enum.StrEnum` whose value is what gets stored, so ``LotSource("forecast")``
and ``LotSource.FORECAST`` are the same thing.
"""

from __future__ import annotations

import enum

__all__ = [
    "DocumentStatus",
    "Frequency",
    "InvoiceKind",
    "LotSource",
    "PeriodEdge",
    "ProductKind",
    "QuoteStatus",
    "ShipmentKind",
    "SourceStatus",
]


class ProductKind(enum.StrEnum):
    """What a product is: physical goods, a service, or credits (a Mangrove project)."""

    GOODS = "goods"
    SERVICE = "service"
    CREDIT = "credit"


class LotSource(enum.StrEnum):
    """Where a lot's supply comes from."""

    ON_HAND = "on_hand"  # stock in the warehouse, or issued credits
    FORECAST = "forecast"  # a forecast issuance of credits
    MANUFACTURING = "manufacturing"  # a manufacturing order
    PURCHASE = "purchase"  # a purchase order
    TRANSFER = "transfer"  # a transfer order between locations

    @property
    def expected(self) -> bool:
        """Whether the supply is still to come rather than on hand."""
        return self is not LotSource.ON_HAND


class SourceStatus(enum.StrEnum):
    """How far an expected supply (MO, PO, TO) has got."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    RECEIVED = "received"


class ShipmentKind(enum.StrEnum):
    """A shipment sends goods out (delivery) or takes them back (return)."""

    DELIVERY = "delivery"
    RETURN = "return"


class InvoiceKind(enum.StrEnum):
    """What a billing document is."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEPOSIT = "deposit"  # a down payment, deducted on the final invoice
    PRO_FORMA = "pro_forma"  # MRPeasy's "Dummy": never counts as invoiced


class DocumentStatus(enum.StrEnum):
    """Where an invoice is in its life: only a draft may be edited."""

    DRAFT = "draft"
    ISSUED = "issued"
    CANCELLED = "cancelled"


class QuoteStatus(enum.StrEnum):
    """Where a quote is in its life."""

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Frequency(enum.StrEnum):
    """How often a recurring plan bills."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


class PeriodEdge(enum.StrEnum):
    """Which end of a recurring period its invoice is dated on."""

    START = "start"
    END = "end"
