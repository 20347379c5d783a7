"""Business documents: order confirmations, invoices, credit notes, delivery notes, ...

Build a :class:`Document` from the model's values with one of the builders, then render it
as HTML (standard library only) or as a PDF (the optional ``pdf`` extra):

>>> import datetime as dt
>>> from orderbook import Customer, Money, Order, OrderLine
>>> seller = Party(name="Tea Traders Ltd")
>>> customer = Customer(id="c1", name="Αθηνά Παπαδοπούλου", currency="EUR")
>>> order = Order(id="o1", customer_id="c1", currency="EUR", number="SO-7", lines=[
...     OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.50", "EUR"))])
>>> page = render_html(order_confirmation(order, customer, seller))
>>> "Αθηνά Παπαδοπούλου" in page, "EUR 9.00" in page
(True, True)
"""

from orderbook.documents._locale import babel_available, check_locale, localized_number
from orderbook.documents.build import (
    delivery_note_document,
    order_confirmation,
    purchase_order_document,
    quote_document,
)
from orderbook.documents.formatting import (
    format_amount,
    format_date,
    format_money,
    format_price,
    format_quantity,
    format_rate,
)
from orderbook.documents.htmlpage import STYLESHEET, render_html
from orderbook.documents.invoices import invoice_document, invoice_payment_status
from orderbook.documents.pdf import pdf_available, render_pdf
from orderbook.documents.values import Document, DocumentDate, DocumentKind, DocumentLine, Party

__all__ = [
    # The document and its parts
    "Document",
    "DocumentDate",
    "DocumentKind",
    "DocumentLine",
    "Party",
    # Builders
    "delivery_note_document",
    "invoice_document",
    "invoice_payment_status",
    "order_confirmation",
    "purchase_order_document",
    "quote_document",
    # Rendering
    "STYLESHEET",
    "pdf_available",
    "render_html",
    "render_pdf",
    # Formatting
    "babel_available",
    "check_locale",
    "format_amount",
    "format_date",
    "format_money",
    "format_price",
    "format_quantity",
    "format_rate",
    "localized_number",
]
