"""The value objects: frozen, slotted attrs classes that validate themselves.

An invalid object cannot exist: every constructor checks its fields and raises
:class:`orderbook.errors.ValidationError` naming the field and the value. A change is
:func:`attrs.evolve`, which returns a new, again validated, value.
"""

from orderbook.model.billing import Invoice, InvoiceLine, Payment
from orderbook.model.enums import (
    DocumentStatus,
    Frequency,
    InvoiceKind,
    LotSource,
    PeriodEdge,
    ProductKind,
    QuoteStatus,
    ShipmentKind,
    SourceStatus,
)
from orderbook.model.fulfilment import Allocation, Forfeit, Shipment, ShipmentItem
from orderbook.model.orders import Attachment, Order, OrderLine, Quote, RecurringPlan
from orderbook.model.parties import Address, Customer, ElectronicAddress, Product
from orderbook.model.supply import Lot, PurchaseOrder, PurchaseOrderLine

__all__ = [
    "Address",
    "Allocation",
    "Attachment",
    "Customer",
    "DocumentStatus",
    "ElectronicAddress",
    "Forfeit",
    "Frequency",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "Lot",
    "LotSource",
    "Order",
    "OrderLine",
    "Payment",
    "PeriodEdge",
    "Product",
    "ProductKind",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Quote",
    "QuoteStatus",
    "RecurringPlan",
    "Shipment",
    "ShipmentItem",
    "ShipmentKind",
    "SourceStatus",
]
