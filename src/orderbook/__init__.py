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
from orderbook.book import OrderBook, Outcome
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
from orderbook.store import MemoryStore, SQLiteStore, Store, StoredEvent
from orderbook.workflow import (
    Acceptance,
    Choices,
    Fulfilment,
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

try:
    __version__ = version("orderbook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    # Money
    "CURRENCIES",
    "Money",
    "minor_units",
    # Parties and products
    "Address",
    "Customer",
    "ElectronicAddress",
    "Product",
    "ProductKind",
    # Supply
    "Lot",
    "LotSource",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "SourceStatus",
    # Orders and quotes
    "Attachment",
    "Order",
    "OrderLine",
    "Quote",
    "QuoteStatus",
    # Fulfilment
    "Allocation",
    "Forfeit",
    "Shipment",
    "ShipmentItem",
    "ShipmentKind",
    # Billing
    "DocumentStatus",
    "Frequency",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "Payment",
    "PeriodEdge",
    "RecurringPlan",
    # Pricing
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
    # Allocation
    "AllocationPlan",
    "Demand",
    "Fill",
    "Policy",
    "Rebooking",
    "allocate",
    "best_available",
    "by_location",
    "can_fulfil",
    "cheapest",
    "demands_for",
    "fefo",
    "fifo",
    "fulfil_manually",
    "most_stock",
    "newest_vintage",
    "reallocate_after_shrink",
    "rebook",
    "release",
    # Availability
    "LineStatus",
    "SourceTimeliness",
    "line_status",
    "order_status",
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
    # Acceptance
    "AcceptanceVerdict",
    "acceptance",
    # Workflow
    "Acceptance",
    "Choices",
    "Fulfilment",
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
    "finalize",
    "presets",
    # The book
    "Clock",
    "EventKind",
    "FixedClock",
    "OrderBook",
    "Outcome",
    "SystemClock",
    "replay",
    # Documents and e-mail
    "Document",
    "DocumentKind",
    "MailError",
    "Party",
    "build_email",
    "delivery_note_document",
    "invoice_document",
    "order_confirmation",
    "purchase_order_document",
    "quote_document",
    "render_html",
    "render_pdf",
    "send_email",
    # Customer portal
    "Portal",
    "PortalInvoice",
    "PortalOrder",
    # Reliability
    "Backoff",
    "Problem",
    "check_book",
    "retry",
    "retrying",
    # Storage
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "StoredEvent",
    # Ids
    "IdFactory",
    "SequentialIds",
    "uuid4_ids",
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
