"""The customer portal: a read-only view of one customer's orders, for an application to show.

A :class:`Portal` answers for one customer only. It lists the orders the workflow lets a
customer see (:meth:`~orderbook.workflow.Workflow.visible_to_customer`: a status that is
``customer_visible`` and, where the workflow says so, a finalized order), with their
summaries, their issued invoices (never drafts) and their payment status. An order of
another customer, a hidden order and an order that does not exist all give the same
:class:`~orderbook.errors.NotFound`, so the portal never tells whether someone else's order
exists. The view only reads: it changes nothing in the book.

>>> import datetime as dt
>>> from orderbook import Customer, Money, OrderLine, Product, SequentialIds
>>> from orderbook.book import OrderBook
>>> from orderbook.clock import FixedClock
>>> book = OrderBook(clock=FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)),
...                  id_factory=SequentialIds("id"))
>>> _ = book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> _ = book.save_product(Product(sku="TEA"))
>>> tea = [OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.50", "EUR"))]
>>> shown = book.transition(book.place_order("acme", tea).id, "confirmed")
>>> draft = book.place_order("acme", tea)
>>> view = Portal(book, "acme")
>>> [order.id for order in view.orders()], view.summary("id-1").gross
(['id-1'], Money('9.00', 'EUR'))
>>> view.order("id-2")
Traceback (most recent call last):
...
orderbook.errors.NotFound: no order with id 'id-2'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from orderbook.documents import (
    Document,
    Party,
    invoice_document,
    order_confirmation,
    render_pdf,
)
from orderbook.documents.invoices import invoice_payment_status
from orderbook.einvoice import SYNTAXES, write_einvoice
from orderbook.errors import NotFound, ValidationError
from orderbook.model import Customer, DocumentStatus, Invoice, Order, Payment
from orderbook.pricing import TaxRounding
from orderbook.revisions import live_orders
from orderbook.rollup import OrderSummary, PaymentStatus

if TYPE_CHECKING:
    from orderbook.book import OrderBook

__all__ = ["Portal", "PortalInvoice", "PortalOrder"]


@attrs.frozen(kw_only=True)
class PortalInvoice:
    """An issued invoice as its customer sees it, with what was paid against it.

    Args:
        invoice: the invoice, credit note, deposit or pro-forma invoice.
        payment: what was paid against it and what it still asks for, as of the date asked.
    """

    invoice: Invoice
    payment: PaymentStatus


@attrs.frozen(kw_only=True)
class PortalOrder:
    """One order as its customer sees it: the order, where it stands, its invoices and payments.

    Args:
        order: the order.
        summary: its rolled-up figures as of the date asked.
        invoices: its issued invoices, by id, each with its payment status.
        payments: the payments received for it by the date asked, by id.
    """

    order: Order
    summary: OrderSummary
    invoices: tuple[PortalInvoice, ...]
    payments: tuple[Payment, ...]

    @property
    def payment(self) -> PaymentStatus:
        """How far the order is paid, as of the summary's date."""
        return self.summary.payment


def _book(book: OrderBook) -> OrderBook:
    from orderbook.book import OrderBook  # here, so the book may build portals itself

    if not isinstance(book, OrderBook):
        raise ValidationError("book", book, "must be an OrderBook")
    return book


class Portal:
    """A read-only view of one customer's visible orders, invoices and payments.

    Args:
        book: the order book to read.
        customer_id: the customer the view is for.
        seller: the company's own block, printed on the documents the view builds; it may
            also be given to each document call instead.

    Raises:
        NotFound: there is no customer with that id.
        ValidationError: ``book`` is not an OrderBook, or ``seller`` is not a Party.
    """

    __slots__ = ("_book", "_customer_id", "_seller")

    def __init__(self, book: OrderBook, customer_id: str, *, seller: Party | None = None) -> None:
        self._book = _book(book)
        if seller is not None and not isinstance(seller, Party):
            raise ValidationError("seller", seller, "must be a Party")
        self._customer_id = self._book.get(Customer, customer_id).id
        self._seller = seller

    def __repr__(self) -> str:
        return f"Portal(customer={self._customer_id!r})"

    @property
    def customer(self) -> Customer:
        """The customer the view is for, as stored now."""
        return self._book.get(Customer, self._customer_id)

    @property
    def _tax_rounding(self) -> TaxRounding:
        return self._book.workflow.settings.counting.tax_rounding

    # -- what the customer may see ------------------------------------------------------------

    def _visible_orders(self) -> dict[str, Order]:
        """The customer's visible orders by id: shown by the workflow, not superseded."""
        mine = self._book.store.orders_by_customer(self._customer_id)
        workflow = self._book.workflow
        return {
            order.id: order
            for order in live_orders(mine)
            if order.customer_id == self._customer_id and workflow.visible_to_customer(order)
        }

    def _shows(self, invoice: Invoice, orders: dict[str, Order]) -> bool:
        return (
            invoice.customer_id == self._customer_id
            and invoice.status == DocumentStatus.ISSUED
            and (invoice.order_id is None or invoice.order_id in orders)
        )

    def _received(self, invoice: Invoice, day: dt.date) -> list[Payment]:
        return [
            payment
            for payment in self._book.store.payments_by_invoice(invoice.id)
            if payment.received_on <= day
        ]

    def _day(self, as_of: dt.date | None) -> dt.date:
        if as_of is None:
            return self._book.clock.now().date()
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise ValidationError("as_of", as_of, "must be a date")
        return as_of

    # -- orders -------------------------------------------------------------------------------

    def orders(self) -> tuple[Order, ...]:
        """Return the customer's visible orders, by id (the latest revision of each)."""
        return tuple(self._visible_orders().values())

    def order(self, order_id: str) -> Order:
        """Return one of the customer's visible orders.

        Raises:
            NotFound: no such order, or it is another customer's, hidden from customers,
                or superseded by a newer revision: the same error in every case.
        """
        return self._order(order_id, self._visible_orders())

    def _order(self, order_id: str, orders: dict[str, Order]) -> Order:
        if not isinstance(order_id, str):
            raise ValidationError("order_id", order_id, "must be a str")
        if order_id not in orders:
            raise NotFound("order", order_id)
        return orders[order_id]

    def summary(self, order_id: str, *, as_of: dt.date | None = None) -> OrderSummary:
        """Return where one visible order stands as of a date (the book's date when None).

        Raises:
            NotFound: as for :meth:`order`.
        """
        day = self._day(as_of)
        return self._book.summary(self.order(order_id).id, as_of=day)

    def view(self, order_id: str, *, as_of: dt.date | None = None) -> PortalOrder:
        """Return one visible order with its summary, issued invoices and payments.

        Raises:
            NotFound: as for :meth:`order`.
        """
        day = self._day(as_of)
        orders = self._visible_orders()
        return self._view(self._order(order_id, orders), orders, day)

    def overview(self, *, as_of: dt.date | None = None) -> tuple[PortalOrder, ...]:
        """Return every visible order of the customer with its figures, by id."""
        day = self._day(as_of)
        orders = self._visible_orders()
        return tuple(self._view(order, orders, day) for order in orders.values())

    def _view(self, order: Order, orders: dict[str, Order], day: dt.date) -> PortalOrder:
        invoices = tuple(
            PortalInvoice(
                invoice=invoice,
                payment=invoice_payment_status(
                    invoice, self._received(invoice, day), tax_rounding=self._tax_rounding
                ),
            )
            for invoice in self._book.store.invoices_by_order(order.id)
            if self._shows(invoice, orders)
        )
        return PortalOrder(
            order=order,
            summary=self._book.summary(order.id, as_of=day),
            invoices=invoices,
            payments=tuple(
                payment
                for payment in self._book.store.payments_by_order(order.id)
                if payment.received_on <= day
            ),
        )

    # -- invoices and payments ----------------------------------------------------------------

    def invoices(self, order_id: str | None = None) -> tuple[Invoice, ...]:
        """Return the customer's issued invoices (of one visible order, if given), by id.

        Without an order, the invoices of every visible order and those billed to the
        customer outside any order are listed. Drafts and cancelled invoices are never shown.

        Raises:
            NotFound: ``order_id`` is not one of the customer's visible orders.
        """
        orders = self._visible_orders()
        if order_id is not None:
            found = self._book.store.invoices_by_order(self._order(order_id, orders).id)
        else:
            found = self._book.store.invoices_by_customer(self._customer_id)
        return tuple(invoice for invoice in found if self._shows(invoice, orders))

    def invoice(self, invoice_id: str) -> Invoice:
        """Return one of the customer's issued invoices.

        Raises:
            NotFound: no such invoice, or it is another customer's, a draft, cancelled, or
                of an order the customer may not see: the same error in every case.
        """
        if not isinstance(invoice_id, str):
            raise ValidationError("invoice_id", invoice_id, "must be a str")
        try:
            invoice: Invoice | None = self._book.get(Invoice, invoice_id)
        except NotFound:
            invoice = None
        if invoice is None or not self._shows(invoice, self._visible_orders()):
            raise NotFound("invoice", invoice_id) from None
        return invoice

    def invoice_status(self, invoice_id: str, *, as_of: dt.date | None = None) -> PaymentStatus:
        """Return what was paid against one issued invoice by a date, and what is still due.

        Raises:
            NotFound: as for :meth:`invoice`.
        """
        day = self._day(as_of)
        invoice = self.invoice(invoice_id)
        return invoice_payment_status(
            invoice, self._received(invoice, day), tax_rounding=self._tax_rounding
        )

    def payments(self, order_id: str | None = None) -> tuple[Payment, ...]:
        """Return the payments received from the customer (for one visible order), by id.

        Without an order, the payments for every visible order and against every issued
        invoice the customer may see are listed.

        Raises:
            NotFound: ``order_id`` is not one of the customer's visible orders.
        """
        if order_id is not None:
            return self._book.store.payments_by_order(self.order(order_id).id)
        found: dict[str, Payment] = {}
        for order in self.orders():
            found.update((p.id, p) for p in self._book.store.payments_by_order(order.id))
        for invoice in self.invoices():
            found.update((p.id, p) for p in self._book.store.payments_by_invoice(invoice.id))
        return tuple(found[key] for key in sorted(found))

    # -- documents ----------------------------------------------------------------------------

    def _letterhead(self, seller: Party | None) -> Party:
        chosen = seller if seller is not None else self._seller
        if chosen is None:
            raise ValidationError("seller", seller, "must be given here or to the Portal")
        if not isinstance(chosen, Party):
            raise ValidationError("seller", chosen, "must be a Party")
        return chosen

    def document(
        self, order_id: str, *, seller: Party | None = None, as_of: dt.date | None = None
    ) -> Document:
        """Build the confirmation of one visible order, with its payment status as of a date.

        Args:
            order_id: the order.
            seller: the company's block; the portal's when None.
            as_of: the date of the payment status; the book's date when None.

        Raises:
            NotFound: as for :meth:`order`.
            ValidationError: no seller was given, here or to the portal.
        """
        letterhead = self._letterhead(seller)
        summary = self.summary(order_id, as_of=as_of)
        order = self.order(order_id)
        return order_confirmation(order, self.customer, letterhead, summary=summary)

    def invoice_document(
        self, invoice_id: str, *, seller: Party | None = None, as_of: dt.date | None = None
    ) -> Document:
        """Build the document of one issued invoice, with what was paid against it by a date.

        Raises:
            NotFound: as for :meth:`invoice`.
            ValidationError: no seller was given, here or to the portal.
        """
        letterhead = self._letterhead(seller)
        day = self._day(as_of)
        invoice = self.invoice(invoice_id)
        order = self.order(invoice.order_id) if invoice.order_id is not None else None
        return invoice_document(
            invoice,
            self.customer,
            letterhead,
            payments=self._received(invoice, day),
            order=order,
            tax_rounding=self._tax_rounding,
        )

    def einvoice(
        self,
        invoice_id: str,
        *,
        syntax: str = "ubl",
        seller: Party | None = None,
        as_of: dt.date | None = None,
    ) -> bytes:
        """Write one issued invoice as an e-invoice, alongside its PDF (see docs/einvoice.md).

        Args:
            invoice_id: the invoice, deposit or credit note.
            syntax: ``"ubl"`` (UBL 2.1, Peppol BIS Billing 3.0), ``"cii"`` (CII at the
                Factur-X EN 16931 profile) or ``"facturx"`` (the invoice's PDF with its CII
                embedded).
            seller: the company's block; the portal's when None. An e-invoice needs its
                postal address with a country and its VAT id.
            as_of: for a Factur-X PDF, the date of the payment status it prints.

        Raises:
            NotFound: as for :meth:`invoice`.
            ValidationError: an unknown syntax, no seller, or EN 16931 refuses the invoice.
            OrderbookError: the ``einvoice`` extra (or, for Factur-X, the ``pdf`` extra) is
                not installed.
        """
        if not isinstance(syntax, str) or syntax not in SYNTAXES:
            raise ValidationError("syntax", syntax, f"must be one of {', '.join(SYNTAXES)}")
        day = self._day(as_of)
        letterhead = self._letterhead(seller)
        invoice = self.invoice(invoice_id)
        semantic = self._book.einvoice(invoice.id, seller=letterhead)
        pdf = None
        if syntax == "facturx":
            document = self.invoice_document(invoice.id, seller=letterhead, as_of=day)
            pdf = render_pdf(document)
        return write_einvoice(semantic, syntax, pdf=pdf)
