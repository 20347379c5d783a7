"""Billing: invoices from orders, deposits, credit notes, draft editing and tax rules.

Every function is pure and returns new values: a draft invoice to be stored, issued, edited
or cancelled. Amounts come from :mod:`orderbook.pricing`; what is already invoiced comes from
the order's :class:`~orderbook.rollup.OrderSummary`.

>>> import datetime as dt
>>> from orderbook import Money, Order, OrderLine
>>> from orderbook.rollup import summarize
>>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
...     OrderLine(id="l1", sku="DESK", quantity=1, unit_price=Money("145.05", "EUR"))])
>>> first = invoice_order(order, summarize(order, as_of=dt.date(2027, 1, 1)),
...                       quantities={"l1": "0.3"})
>>> first = issue(first, issued_on=dt.date(2027, 1, 1))
>>> rest = invoice_order(order, summarize(order, invoices=[first], as_of=dt.date(2027, 2, 1)))
>>> from orderbook import invoice_totals
>>> invoice_totals(first).gross, invoice_totals(rest).gross
(Money('43.52', 'EUR'), Money('101.53', 'EUR'))
"""

from orderbook.billing._due import due_on
from orderbook.billing.documents import (
    add_line,
    cancel,
    credit_note,
    edit_line,
    issue,
    recredit,
    remove_line,
)
from orderbook.billing.exact import complete
from orderbook.billing.invoicing import Quantities, deposit_invoice, invoice_order
from orderbook.billing.taxes import VAT_CATEGORIES, TaxRule, TaxRules

__all__ = [
    "VAT_CATEGORIES",
    "Quantities",
    "TaxRule",
    "TaxRules",
    "add_line",
    "cancel",
    "complete",
    "credit_note",
    "deposit_invoice",
    "due_on",
    "edit_line",
    "invoice_order",
    "issue",
    "recredit",
    "remove_line",
]
