"""Handlers that bill, buy and collect: invoices, deposits, credit notes and their life,
purchase orders, payments."""

from __future__ import annotations

from typing import Any

import attrs

from orderbook import conversions
from orderbook.billing import (
    add_line,
    cancel,
    credit_note,
    edit_line,
    issue,
    recredit,
    remove_line,
)
from orderbook.book._invoicing import make_invoice
from orderbook.book._load import billing_count, bundle, summary
from orderbook.book._orders import load
from orderbook.book._session import Session
from orderbook.commands import (
    CancelInvoice,
    CreditInvoice,
    DeletePayment,
    EditDraftInvoice,
    EditPayment,
    InvoiceDuePeriods,
    InvoiceOrder,
    IssueInvoice,
    Procure,
    RecordPayment,
)
from orderbook.errors import CurrencyMismatch, LockedError, NotFound, ValidationError
from orderbook.events import (
    InvoiceCancelled,
    InvoiceCredited,
    Invoiced,
    InvoiceEdited,
    InvoiceIssued,
    PaymentDeleted,
    PaymentEdited,
    PaymentRecorded,
    Procured,
    ProcuredOrder,
)
from orderbook.model import (
    DocumentStatus,
    Invoice,
    InvoiceKind,
    Order,
    Payment,
    Product,
    PurchaseOrder,
)
from orderbook.pricing import purchase_total
from orderbook.recurrence import due_periods, invoice_period
from orderbook.rollup import OrderSummary


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
        percent=command.percent,
        amount=command.amount,
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
        invoiced = Invoiced(
            invoice_id=made.id, status=made.status.value, period_start=period.start
        )
        session.emit(invoiced, order.id)
    session.touch(order.id)


def _others(session: Session, draft: Invoice) -> tuple[Order | None, OrderSummary | None]:
    """The order a draft bills, and its summary counting every other billing document."""
    if draft.order_id is None:
        return None, None
    records = bundle(session.store, draft.order_id)
    others = attrs.evolve(records, invoices=tuple(i for i in records.invoices if i.id != draft.id))
    state = summary(session.store, others, session.today, billing_count(session.counting))
    return records.order, state


def _credited(session: Session, invoice: Invoice) -> tuple[Invoice, ...]:
    """The invoices among which an invoice's credit notes are: its order's, or its
    customer's for an invoice of no order."""
    if invoice.order_id is not None:
        return session.store.invoices_by_order(invoice.order_id)
    return session.store.invoices_by_customer(invoice.customer_id)


def _recredited(session: Session, note: Invoice, corrects: str) -> Invoice:
    """An edited draft credit note checked against its invoice and priced again."""
    invoice = session.store.get(Invoice, corrects)
    return recredit(note, invoice, credited=_credited(session, invoice))


def edit_draft(session: Session, command: EditDraftInvoice) -> None:
    """Edit, add and remove lines of a draft invoice; an edited line is priced again, and
    one that completes its order line takes exactly what is left. A draft credit note stays
    within what its invoice billed."""
    draft = session.store.get(Invoice, command.invoice_id)
    if draft.status is not DocumentStatus.DRAFT:
        raise LockedError(draft.id, f"only a draft may be edited; it is {draft.status.value}")
    parts = draft.kind in (InvoiceKind.INVOICE, InvoiceKind.PRO_FORMA)
    order, others = _others(session, draft) if command.edits and parts else (None, None)
    for line_id, edit in command.edits:
        changes: dict[str, Any] = {
            field.name: getattr(edit, field.name) for field in attrs.fields(type(edit))
        }
        draft = edit_line(draft, line_id, **changes, order=order, summary=others)
    for line_id in command.remove:
        draft = remove_line(draft, line_id)
    for line in command.add:
        draft = add_line(draft, line)
    if draft.kind is InvoiceKind.CREDIT_NOTE and draft.corrects is not None:
        draft = _recredited(session, draft, draft.corrects)
    if command.number is not None:
        draft = attrs.evolve(draft, number=command.number)
    if command.subject is not None:
        draft = attrs.evolve(draft, subject=command.subject)
    session.primary = session.put(draft)
    session.emit(InvoiceEdited(invoice_id=draft.id), draft.order_id)
    if draft.order_id:
        session.touch(draft.order_id)


def credit_invoice(session: Session, command: CreditInvoice) -> None:
    """Make a credit note for an issued invoice; its earlier credit notes limit it.

    An invoice of no order is credited all the same (its credit notes are found among the
    customer's invoices); one of an order that was superseded is refused, as every change to
    a read-only revision. The order's status does not matter: a cancelled order may refund.
    """
    invoice = session.store.get(Invoice, command.invoice_id)
    if invoice.order_id is not None:
        load(session, invoice.order_id)
    siblings = _credited(session, invoice)
    quantities = None if command.quantities is None else dict(command.quantities)
    note = credit_note(
        invoice,
        quantities=quantities,
        credited=siblings,
        number=command.number,
        subject=command.subject,
        id_factory=session.new_id,
    )
    if command.issue:
        note = issue(note, issued_on=command.issued_on or session.today)
    elif command.issued_on is not None:
        note = attrs.evolve(note, issued_on=command.issued_on)
    saved = session.put(note)
    session.primary = saved
    credited = InvoiceCredited(invoice_id=saved.id, corrects=invoice.id, status=saved.status.value)
    session.emit(credited, saved.order_id)
    if saved.order_id:
        session.touch(saved.order_id)


def procure(session: Session, command: Procure) -> None:
    """Make and save one numbered purchase order per supplier for lines of an order."""
    order = load(session, command.order_id)
    status = session.wf.status(order.status)
    if status.terminal:
        raise LockedError(order.id, f"its status {status.label} is closed: it buys nothing")
    products = {}
    for sku in sorted({line.sku for line in order.lines}):
        try:
            products[sku] = session.store.get(Product, sku)
        except NotFound:
            continue  # the core refuses a line whose product is missing, naming it
    made = conversions.procure(
        order,
        products,
        existing=session.store.purchase_orders_by_order(order.id),
        line_ids=command.line_ids,
        id_factory=session.new_id,
    )
    saved: list[PurchaseOrder] = [session.put(po) for po in made]
    session.primary = saved[0]
    made_orders = tuple(
        ProcuredOrder(id=po.id, number=po.number, supplier=po.supplier, total=purchase_total(po))
        for po in saved
    )
    session.emit(Procured(purchase_orders=made_orders), order.id)


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
    session.emit(InvoiceIssued(invoice_id=issued.id), issued.order_id)
    if issued.order_id:
        session.touch(issued.order_id)


def cancel_invoice(session: Session, command: CancelInvoice) -> None:
    """Cancel an invoice."""
    cancelled = cancel(session.store.get(Invoice, command.invoice_id))
    session.primary = session.put(cancelled)
    session.emit(InvoiceCancelled(invoice_id=cancelled.id), cancelled.order_id)
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
    session.emit(PaymentRecorded(payment_id=payment.id, amount=payment.amount), order_id)
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
    session.emit(PaymentEdited(payment_id=edited.id), edited.order_id)
    if edited.order_id:
        session.touch(edited.order_id)


def delete_payment(session: Session, command: DeletePayment) -> None:
    """Delete a payment recorded by mistake."""
    payment = session.store.get(Payment, command.payment_id)
    session.delete(payment)
    session.emit(PaymentDeleted(payment_id=payment.id), payment.order_id)
    if payment.order_id:
        session.touch(payment.order_id)
