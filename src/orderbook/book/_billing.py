"""Handlers that bill and collect: invoices and their life, payments."""

from __future__ import annotations

from typing import Any

import attrs

from orderbook.billing import add_line, cancel, edit_line, issue, remove_line
from orderbook.book._invoicing import make_invoice
from orderbook.book._load import bundle
from orderbook.book._orders import load
from orderbook.book._session import Session
from orderbook.commands import (
    CancelInvoice,
    DeletePayment,
    EditDraftInvoice,
    EditPayment,
    InvoiceDuePeriods,
    InvoiceOrder,
    IssueInvoice,
    RecordPayment,
)
from orderbook.errors import CurrencyMismatch, LockedError, ValidationError
from orderbook.events import EventKind
from orderbook.model import DocumentStatus, Invoice, Order, Payment
from orderbook.recurrence import due_periods, invoice_period


def _billable(session: Session, order: Order) -> None:
    status = session.wf.status(order.status)
    if not status.billable:
        raise LockedError(order.id, f"its status {status.label} is not billable")


def invoice(session: Session, command: InvoiceOrder) -> None:
    """Make a draft invoice (or issue it at once) for an order in a billable status."""
    order = load(session, command.order_id)
    _billable(session, order)
    quantities = command.quantities
    what = dict(quantities) if isinstance(quantities, tuple) else quantities
    session.primary = make_invoice(
        session,
        bundle(session.store, order),
        what,
        kind=command.kind,
        issue_on=(command.issued_on or session.today) if command.issue else None,
        issued_on=command.issued_on,
        due_days=command.due_days,
        number=command.number,
        subject=command.subject,
        invoice_id=command.invoice_id,
    )


def invoice_periods(session: Session, command: InvoiceDuePeriods) -> None:
    """Invoice every recurring period due by a date, catching up on missed ones."""
    order = load(session, command.order_id)
    _billable(session, order)
    if order.recurrence is None:
        raise ValidationError("order_id", order.id, "must name an order with a recurring plan")
    billed = [
        i.period_start
        for i in session.store.invoices_by_order(order.id)
        if i.period_start is not None and i.status is not DocumentStatus.CANCELLED
    ]
    as_of = command.as_of or session.today
    for period in due_periods(order.recurrence, max(billed, default=None), as_of):
        made = session.put(invoice_period(order, period, id_factory=session.new_id))
        session.primary = session.primary or made
        session.emit(
            EventKind.INVOICED,
            order.id,
            invoice_id=made.id,
            status=made.status.value,
            period_start=period.start.isoformat(),
            automatic=False,
        )
    session.touch(order.id)


def edit_draft(session: Session, command: EditDraftInvoice) -> None:
    """Edit, add and remove lines of a draft invoice."""
    draft = session.store.get(Invoice, command.invoice_id)
    if draft.status is not DocumentStatus.DRAFT:
        raise LockedError(draft.id, f"only a draft may be edited; it is {draft.status.value}")
    for line_id, edit in command.edits:
        changes: dict[str, Any] = {
            field.name: getattr(edit, field.name) for field in attrs.fields(type(edit))
        }
        draft = edit_line(draft, line_id, **changes)
    for line_id in command.remove:
        draft = remove_line(draft, line_id)
    for line in command.add:
        draft = add_line(draft, line)
    if command.number is not None:
        draft = attrs.evolve(draft, number=command.number)
    if command.subject is not None:
        draft = attrs.evolve(draft, subject=command.subject)
    session.primary = session.put(draft)
    session.emit(EventKind.INVOICE_EDITED, draft.order_id, invoice_id=draft.id)
    if draft.order_id:
        session.touch(draft.order_id)


def issue_invoice(session: Session, command: IssueInvoice) -> None:
    """Issue a draft invoice."""
    draft = session.store.get(Invoice, command.invoice_id)
    issued = issue(
        draft,
        issued_on=command.issued_on or session.today,
        due_days=command.due_days,
        number=command.number,
    )
    session.primary = session.put(issued)
    session.emit(EventKind.INVOICE_ISSUED, issued.order_id, invoice_id=issued.id)
    if issued.order_id:
        session.touch(issued.order_id)


def cancel_invoice(session: Session, command: CancelInvoice) -> None:
    """Cancel an invoice."""
    cancelled = cancel(session.store.get(Invoice, command.invoice_id))
    session.primary = session.put(cancelled)
    session.emit(EventKind.INVOICE_CANCELLED, cancelled.order_id, invoice_id=cancelled.id)
    if cancelled.order_id:
        session.touch(cancelled.order_id)


def record_payment(session: Session, command: RecordPayment) -> None:
    """Record money received against an issued invoice or an order line."""
    if command.invoice_id is not None:
        paid = session.store.get(Invoice, command.invoice_id)
        if paid.status is not DocumentStatus.ISSUED:
            raise ValidationError(
                "invoice_id", paid.id, f"must be an issued invoice, not {paid.status.value}"
            )
        currency, order_id = paid.currency, paid.order_id
    else:
        assert command.order_id is not None
        assert command.line_id is not None
        order = load(session, command.order_id)  # not a superseded revision
        order.line(command.line_id)
        currency, order_id = order.currency, order.id
    if command.amount.currency != currency:
        raise CurrencyMismatch(currency, command.amount.currency, field="amount")
    payment = session.put(
        Payment(
            id=command.payment_id or session.new_id(),
            amount=command.amount,
            received_on=command.received_on or session.today,
            invoice_id=command.invoice_id,
            order_id=order_id,
            line_id=command.line_id,
            method=command.method,
            reference=command.reference,
        )
    )
    session.primary = payment
    session.emit(
        EventKind.PAYMENT_RECORDED, order_id, payment_id=payment.id, amount=str(payment.amount)
    )
    if order_id:
        session.touch(order_id)


def edit_payment(session: Session, command: EditPayment) -> None:
    """Correct a payment."""
    payment = session.store.get(Payment, command.payment_id)
    if command.amount is not None and command.amount.currency != payment.amount.currency:
        raise CurrencyMismatch(payment.amount.currency, command.amount.currency, field="amount")
    changes = {
        name: getattr(command, name)
        for name in ("amount", "received_on", "method", "reference")
        if getattr(command, name) is not None
    }
    edited = session.put(attrs.evolve(payment, **changes))
    session.primary = edited
    session.emit(EventKind.PAYMENT_EDITED, edited.order_id, payment_id=edited.id)
    if edited.order_id:
        session.touch(edited.order_id)


def delete_payment(session: Session, command: DeletePayment) -> None:
    """Delete a payment recorded by mistake."""
    payment = session.store.get(Payment, command.payment_id)
    session.delete(payment)
    session.emit(EventKind.PAYMENT_DELETED, payment.order_id, payment_id=payment.id)
    if payment.order_id:
        session.touch(payment.order_id)
