"""Rollups: where an order stands as of a date, derived from its records, never stored.

:func:`summarize` reads an order with its allocations, shipments, forfeits, invoices and
payments and returns an :class:`OrderSummary`: totals, per-line figures, fulfilment, invoice
and payment statuses with exact percentages, the exception flag, and (via
:meth:`OrderSummary.facts`) the :class:`~orderbook.workflow.facts.OrderFacts` the workflow
engine reads. Amounts come from :mod:`orderbook.pricing`.

>>> import datetime as dt
>>> from orderbook import Money, Order, OrderLine, Shipment, ShipmentItem
>>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
...     OrderLine(id="l1", sku="TEA", quantity=10, unit_price=Money("4.00", "EUR"))])
>>> shipped = Shipment(order_id="o1", shipped_on=dt.date(2027, 3, 1),
...                    items=[ShipmentItem(line_id="l1", quantity=4)])
>>> summary = summarize(order, shipments=[shipped], as_of=dt.date(2027, 3, 2))
>>> summary.fulfilment.state, summary.fulfilment.by_quantity, summary.gross
(<Fulfilment.PARTIAL: 'partial'>, Decimal('40'), Money('40.00', 'EUR'))
"""

from orderbook.rollup.calculate import summarize
from orderbook.rollup.statuses import (
    DEFAULT_COUNTING,
    CountingRules,
    FulfilmentStatus,
    InvoiceState,
    InvoiceStatus,
    PaymentBasis,
    PaymentState,
    PaymentStatus,
    format_percent,
    percent,
)
from orderbook.rollup.summary import LineSummary, OrderSummary

__all__ = [
    "DEFAULT_COUNTING",
    "CountingRules",
    "FulfilmentStatus",
    "InvoiceState",
    "InvoiceStatus",
    "LineSummary",
    "OrderSummary",
    "PaymentBasis",
    "PaymentState",
    "PaymentStatus",
    "format_percent",
    "percent",
    "summarize",
]
