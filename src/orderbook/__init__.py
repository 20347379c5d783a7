"""orderbook: an embeddable domain engine for customer orders.

Exact money, frozen value objects, and (as the library grows) a status workflow engine, an
inventory allocator, invoice and payment rollups and pluggable storage. ``__all__`` below is
the public contract; everything else is reachable from its own module.

>>> import orderbook
>>> orderbook.Money("12.50", "EUR")
Money('12.50', 'EUR')
"""

from importlib.metadata import PackageNotFoundError, version

from orderbook.acceptance import AcceptanceVerdict, acceptance
from orderbook.allocation import (
    AllocationPlan,
    Demand,
    Fill,
    Policy,
    Rebooking,
    allocate,
    best_available,
    by_location,
    can_fulfil,
    cheapest,
    demands_for,
    fefo,
    fifo,
    fulfil_manually,
    most_stock,
    newest_vintage,
    reallocate_after_shrink,
    rebook,
    release,
)
from orderbook.availability import (
    LineStatus,
    SourceTimeliness,
    line_status,
    order_status,
    source_status,
)
from orderbook.billing import TaxRule, TaxRules, credit_note, deposit_invoice, invoice_order
from orderbook.book import LineList, LotList, OrderBook, Outcome
from orderbook.check import Problem, check_book
from orderbook.clock import Clock, FixedClock, SystemClock
from orderbook.conversions import (
    delivery_note,
    duplicate,
    procure,
    purchase_orders,
    quote_to_order,
)
from orderbook.currencies import CURRENCIES, minor_units
from orderbook.documents import (
    Document,
    DocumentKind,
    Party,
    delivery_note_document,
    invoice_document,
    order_confirmation,
    purchase_order_document,
    quote_document,
    render_html,
    render_pdf,
)
from orderbook.errors import (
    ConflictError,
    CurrencyMismatch,
    DamagedRow,
    InsufficientStock,
    InvalidTransition,
    LockedError,
    NotFound,
    OrderbookError,
    OverAllocation,
    ValidationError,
)
from orderbook.events import EventKind, replay
from orderbook.ids import IdFactory, SequentialIds, uuid4_ids
from orderbook.mail import MailError, build_email, send_email
from orderbook.model import (
    Address,
    Allocation,
    Attachment,
    Customer,
    DocumentStatus,
    ElectronicAddress,
    Forfeit,
    Frequency,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Lot,
    LotSource,
    Order,
    OrderLine,
    Payment,
    PeriodEdge,
    Product,
    ProductKind,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    QuoteStatus,
    RecurringPlan,
    Shipment,
    ShipmentItem,
    ShipmentKind,
    SourceStatus,
)
from orderbook.money import Money
from orderbook.portal import Portal, PortalInvoice, PortalOrder
from orderbook.pricing import (
    TaxLine,
    TaxRounding,
    Totals,
    invoice_totals,
    line_gross,
    line_net,
    line_tax,
    order_totals,
    purchase_line_cost,
    purchase_total,
    totals,
)
from orderbook.recurrence import Period, Usage, due_periods, invoice_period
from orderbook.retry import Backoff, retry, retrying
from orderbook.rollup import (
    CountingRules,
    FulfilmentStatus,
    InvoiceStatus,
    LineSummary,
    OrderSummary,
    PaymentStatus,
    summarize,
)
from orderbook.store import (
    EventLog,
    MemoryStore,
    QueryStore,
    RecordStore,
    SettingStore,
    SQLiteStore,
    Store,
    StoredEvent,
    Transactional,
)
from orderbook.workflow import (
    Acceptance,
    Choices,
    Fulfilment,
    History,
    HistoryEntry,
    InvoiceMethod,
    OrderFacts,
    Production,
    Progress,
    Refusal,
    Rule,
    Settings,
    Status,
    Transition,
    Workflow,
    finalize,
    presets,
)


def _installed_version() -> str:
    try:
        return version("orderbook")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


__version__: str = _installed_version()
"""The installed version of orderbook (``0.0.0`` in a source tree that was never installed)."""

__all__ = [
    # Money and pricing
    "CURRENCIES",
    "Money",
    "minor_units",
    "TaxLine",
    "TaxRounding",
    "Totals",
    "invoice_totals",
    "line_gross",
    "line_net",
    "line_tax",
    "order_totals",
    "purchase_line_cost",
    "purchase_total",
    "totals",
    # Customers, products and supply
    "Address",
    "Customer",
    "ElectronicAddress",
    "Lot",
    "LotSource",
    "Product",
    "ProductKind",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "SourceStatus",
    # Orders, fulfilment and billing records
    "Allocation",
    "Attachment",
    "DocumentStatus",
    "Forfeit",
    "Frequency",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "Order",
    "OrderLine",
    "Payment",
    "PeriodEdge",
    "Quote",
    "QuoteStatus",
    "RecurringPlan",
    "Shipment",
    "ShipmentItem",
    "ShipmentKind",
    # Workflow and acceptance
    "Acceptance",
    "AcceptanceVerdict",
    "Choices",
    "Fulfilment",
    "History",
    "HistoryEntry",
    "InvoiceMethod",
    "OrderFacts",
    "Production",
    "Progress",
    "Refusal",
    "Rule",
    "Settings",
    "Status",
    "Transition",
    "Workflow",
    "acceptance",
    "finalize",
    "presets",
    # Allocation and availability
    "AllocationPlan",
    "Demand",
    "Fill",
    "LineStatus",
    "Policy",
    "Rebooking",
    "SourceTimeliness",
    "allocate",
    "best_available",
    "by_location",
    "can_fulfil",
    "cheapest",
    "demands_for",
    "fefo",
    "fifo",
    "fulfil_manually",
    "line_status",
    "most_stock",
    "newest_vintage",
    "order_status",
    "reallocate_after_shrink",
    "rebook",
    "release",
    "source_status",
    # Rollups
    "CountingRules",
    "FulfilmentStatus",
    "InvoiceStatus",
    "LineSummary",
    "OrderSummary",
    "PaymentStatus",
    "summarize",
    # Billing, recurrence and conversions
    "Period",
    "TaxRule",
    "TaxRules",
    "Usage",
    "credit_note",
    "delivery_note",
    "deposit_invoice",
    "due_periods",
    "duplicate",
    "invoice_order",
    "invoice_period",
    "procure",
    "purchase_orders",
    "quote_to_order",
    # The book, its events, clock and ids (its commands are in orderbook.commands)
    "Clock",
    "EventKind",
    "FixedClock",
    "IdFactory",
    "LineList",
    "LotList",
    "OrderBook",
    "Outcome",
    "SequentialIds",
    "SystemClock",
    "replay",
    "uuid4_ids",
    # Storage and reliability
    "Backoff",
    "EventLog",
    "MemoryStore",
    "Problem",
    "QueryStore",
    "RecordStore",
    "SQLiteStore",
    "SettingStore",
    "Store",
    "StoredEvent",
    "Transactional",
    "check_book",
    "retry",
    "retrying",
    # Documents, e-mail and the customer portal
    "Document",
    "DocumentKind",
    "MailError",
    "Party",
    "Portal",
    "PortalInvoice",
    "PortalOrder",
    "build_email",
    "delivery_note_document",
    "invoice_document",
    "order_confirmation",
    "purchase_order_document",
    "quote_document",
    "render_html",
    "render_pdf",
    "send_email",
    # Errors
    "ConflictError",
    "CurrencyMismatch",
    "DamagedRow",
    "InsufficientStock",
    "InvalidTransition",
    "LockedError",
    "NotFound",
    "OrderbookError",
    "OverAllocation",
    "ValidationError",
    # Metadata
    "__version__",
]
