"""The documents of billing: invoices, credit notes, deposits and pro-formas.

An invoice prints the payments received against it and what it still asks for; a credit
note and a pro-forma ask for no payment.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from orderbook.documents.build import _check, _check_customer, _dates, _priced_line, _recipient
from orderbook.documents.values import Document, DocumentKind, Party
from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.model import Customer, DocumentStatus, Invoice, InvoiceKind, Order, Payment
from orderbook.money import Money
from orderbook.pricing import TaxRounding, totals
from orderbook.rollup import PaymentState, PaymentStatus, percent

__all__ = ["invoice_document", "invoice_payment_status"]

_INVOICE_KINDS = {
    InvoiceKind.INVOICE: DocumentKind.INVOICE,
    InvoiceKind.CREDIT_NOTE: DocumentKind.CREDIT_NOTE,
    InvoiceKind.DEPOSIT: DocumentKind.DEPOSIT_INVOICE,
    InvoiceKind.PRO_FORMA: DocumentKind.PRO_FORMA_INVOICE,
}
_ASKS_PAYMENT = {InvoiceKind.INVOICE, InvoiceKind.DEPOSIT}


def invoice_payment_status(
    invoice: Invoice,
    payments: Iterable[Payment] = (),
    *,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> PaymentStatus:
    """Return what was paid against one invoice and what it still asks for.

    Only payments whose ``invoice_id`` is the invoice's count, so a customer's whole ledger
    may be passed.

    Raises:
        CurrencyMismatch: a payment to the invoice is in another currency.

    >>> import datetime as dt
    >>> from orderbook import InvoiceLine
    >>> bill = Invoice(id="i1", customer_id="acme", currency="EUR", lines=[
    ...     InvoiceLine(quantity=1, unit_price=Money("100.00", "EUR"))])
    >>> paid = Payment(amount=Money("40.00", "EUR"), received_on=dt.date(2027, 3, 2),
    ...                invoice_id="i1")
    >>> status = invoice_payment_status(bill, [paid])
    >>> status.state, status.outstanding
    (<PaymentState.PART_PAID: 'part_paid'>, Money('60.00', 'EUR'))
    """
    _check("invoice", invoice, Invoice)
    due = totals(invoice.lines, invoice.currency, tax_rounding=tax_rounding).gross
    zero = Money.zero(invoice.currency)
    paid = zero
    for index, payment in enumerate(payments):
        _check(f"payments[{index}]", payment, Payment)
        if payment.invoice_id != invoice.id:
            continue
        if payment.amount.currency != invoice.currency:
            raise CurrencyMismatch(
                invoice.currency, payment.amount.currency, field=f"payments[{index}].amount"
            )
        paid += payment.amount
    complete = paid >= due
    if complete:
        state = PaymentState.PAID
    else:
        state = PaymentState.PART_PAID if paid > zero else PaymentState.NOT_PAID
    return PaymentStatus(
        state=state,
        percent=percent(paid.amount, due.amount, complete=complete),
        paid=paid,
        due=due,
        outstanding=max(due - paid, zero),
        overpaid=paid > due,
    )


def invoice_document(
    invoice: Invoice,
    customer: Customer,
    seller: Party,
    *,
    payments: Iterable[Payment] = (),
    order: Order | None = None,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> Document:
    """Build the document of an invoice, credit note, deposit or pro-forma invoice.

    An invoice and a deposit print what was paid and the amount still due; a credit note
    and a pro-forma print no payment block. A draft is stamped "Draft" and a cancelled
    invoice "Cancelled".

    Args:
        invoice: the billing document.
        customer: who is billed.
        seller: the company's own block.
        payments: payments received; those against this invoice count.
        order: the order it bills; its addresses, reference, number and terms are printed.
        tax_rounding: how the totals round tax.

    Raises:
        ValidationError: an argument has the wrong type, or the customer or order is not
            the invoice's.
    """
    _check("invoice", invoice, Invoice)
    _check_customer(customer, invoice.customer_id, f"invoice {invoice.id!r}")
    _check("seller", seller, Party)
    payments = tuple(payments)
    if order is not None:
        _check("order", order, Order)
        if order.id != invoice.order_id:
            raise ValidationError(
                "order", order.id, f"must be the order of invoice {invoice.id!r}"
            )
    due = {line.id: line.due_on for line in order.lines} if order is not None else {}
    lines = tuple(
        attrs.evolve(
            _priced_line(index, line, line.sku, line.description),
            due_on=due.get(line.order_line_id or ""),
        )
        for index, line in enumerate(invoice.lines, start=1)
    )
    stamp = {DocumentStatus.DRAFT: "Draft", DocumentStatus.CANCELLED: "Cancelled"}
    return Document(
        kind=_INVOICE_KINDS[invoice.kind],
        number=invoice.number or invoice.id,
        currency=invoice.currency,
        issuer=seller,
        recipient=_recipient(
            customer,
            order.billing_address if order else None,
            order.shipping_address if order else None,
        ),
        dates=_dates(
            ("Date of issue", invoice.issued_on),
            ("Due date", invoice.due_on),
            ("Period from", invoice.period_start),
            ("Period to", invoice.period_end),
        ),
        reference=order.reference if order else "",
        order_number=(order.number or order.id) if order else "",
        subject=invoice.subject,
        terms=order.terms if order else "",
        lines=lines,
        totals=totals(invoice.lines, invoice.currency, tax_rounding=tax_rounding),
        payment=(
            invoice_payment_status(invoice, payments, tax_rounding=tax_rounding)
            if invoice.kind in _ASKS_PAYMENT
            else None
        ),
        source_id=invoice.id,
        stamp=stamp.get(invoice.status, ""),
    )
