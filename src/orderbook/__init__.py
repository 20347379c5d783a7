"""orderbook: an embeddable domain engine for customer orders.

Exact money, frozen value objects, and (as the library grows) a status workflow engine, an
inventory allocator, invoice and payment rollups and pluggable storage. ``__all__`` below is
the public contract; everything else is reachable from its own module.

>>> import orderbook
>>> orderbook.Money("12.50", "EUR")
Money('12.50', 'EUR')
"""

from importlib.metadata import PackageNotFoundError, version

from orderbook.currencies import CURRENCIES, minor_units
from orderbook.errors import (
    ConflictError,
    CurrencyMismatch,
    InsufficientStock,
    InvalidTransition,
    LockedError,
    NotFound,
    OrderbookError,
    OverAllocation,
    ValidationError,
)
from orderbook.ids import IdFactory, SequentialIds, uuid4_ids
from orderbook.model import (
    Address,
    Allocation,
    Attachment,
    Customer,
    DocumentStatus,
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
from orderbook.pricing import (
    TaxLine,
    TaxRounding,
    Totals,
    invoice_totals,
    line_gross,
    line_net,
    line_tax,
    order_totals,
    totals,
)
from orderbook.store import MemoryStore, SQLiteStore, Store, StoredEvent
from orderbook.workflow import (
    Acceptance,
    Fulfilment,
    HistoryEntry,
    InvoiceMethod,
    OrderFacts,
    Production,
    Progress,
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
    "totals",
    # Workflow
    "Acceptance",
    "Fulfilment",
    "HistoryEntry",
    "InvoiceMethod",
    "OrderFacts",
    "Production",
    "Progress",
    "Rule",
    "Settings",
    "Status",
    "Transition",
    "Workflow",
    "finalize",
    "presets",
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
