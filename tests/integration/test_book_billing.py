"""Invoicing, draft editing, issuing, cancelling, and payments through the book."""

import datetime as dt

from orderbook import (
    CurrencyMismatch,
    DocumentStatus,
    Invoice,
    InvoiceLine,
    LockedError,
    Money,
    Order,
    RecurringPlan,
    ValidationError,
    presets,
)
from orderbook.commands import (
    EditDraftInvoice,
    InvoiceOrder,
    IssueInvoice,
    LineEdit,
    RecordPayment,
)


def confirmed(book, make_line, *lines):
    order = book.place_order("acme", list(lines) or [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    return order


def test_invoicing_is_refused_outside_a_billable_status(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    error = refused(book, InvoiceOrder(order_id=order.id), LockedError)
    assert "not billable" in error.reason


def test_a_draft_invoice_already_bills_its_units(book, make_line, refused):
    order = confirmed(book, make_line)
    draft = book.invoice(order.id, {"l1": 3})
    assert draft.status is DocumentStatus.DRAFT
    assert book.summary(order.id).invoicing.state.value == "not_invoiced"  # drafts do not count
    refused(book, InvoiceOrder(order_id=order.id, quantities={"l1": 2}), ValidationError)
    rest = book.invoice(order.id)
    assert [(ln.order_line_id, ln.quantity) for ln in rest.lines] == [("l1", 1)]


def test_partial_invoices_and_a_partial_payment_roll_up(book, make_line):
    order = confirmed(book, make_line)
    first = book.invoice(order.id, {"l1": 1}, issue=True, due_days=30)
    assert (first.status, first.due_on) == (DocumentStatus.ISSUED, dt.date(2027, 3, 31))
    second = book.invoice(order.id, issue=True)
    book.record_payment(Money("30.00", "EUR"), invoice_id=second.id, method="transfer")
    state = book.summary(order.id)
    assert state.invoicing.state.value == "invoiced"
    assert (state.payment.state.value, state.payment.paid, state.payment.outstanding) == (
        "part_paid",
        Money("30.00", "EUR"),
        Money("10.00", "EUR"),
    )


def test_a_payment_is_only_recorded_against_an_issued_invoice_in_its_currency(
    book, make_line, refused
):
    order = confirmed(book, make_line)
    draft = book.invoice(order.id)
    refused(book, RecordPayment(amount=Money("1", "EUR"), invoice_id=draft.id), ValidationError)
    issued = book.issue_invoice(draft.id)
    refused(book, RecordPayment(amount=Money("1", "USD"), invoice_id=issued.id), CurrencyMismatch)
    payment = book.record_payment(Money("40.00", "EUR"), invoice_id=issued.id)
    assert payment.order_id == order.id  # so payments_by_order finds it


def test_payments_can_be_corrected_and_deleted(book, make_line):
    order = confirmed(book, make_line)
    invoice = book.invoice(order.id, issue=True)
    payment = book.record_payment(Money("40.00", "EUR"), invoice_id=invoice.id)
    book.edit_payment(payment.id, amount=Money("15.00", "EUR"), reference="BANK-7")
    assert book.summary(order.id).payment.paid == Money("15.00", "EUR")
    book.delete_payment(payment.id)
    assert book.summary(order.id).payment.state.value == "not_paid"
    kinds = [e.kind for e in book.events(order_id=order.id)]
    assert kinds[-2:] == ["PaymentEdited", "PaymentDeleted"]


def test_paying_per_line_works_without_invoices(book, make_line):
    order = confirmed(book, make_line)
    payment = book.record_payment(Money("12.00", "EUR"), order_id=order.id, line_id="l1")
    assert (payment.invoice_id, payment.line_id) == (None, "l1")


def test_a_draft_can_be_edited_and_an_issued_invoice_cannot(book, make_line, refused):
    order = confirmed(book, make_line)
    draft = book.invoice(order.id)
    line_id = draft.lines[0].id
    extra = InvoiceLine(id="fee", quantity=1, unit_price=Money("7.50", "EUR"), description="Fee")
    edited = book.edit_draft_invoice(
        draft.id,
        edits={line_id: LineEdit(unit_price=Money("9.00", "EUR"))},
        add=[extra],
        number="INV-1",
    )
    assert [(ln.id, ln.unit_price) for ln in edited.lines] == [
        (line_id, Money("9.00", "EUR")),
        ("fee", Money("7.50", "EUR")),
    ]
    book.issue_invoice(draft.id, issued_on=dt.date(2027, 3, 2))
    refused(book, EditDraftInvoice(invoice_id=draft.id, number="INV-2"), LockedError)
    refused(book, IssueInvoice(invoice_id=draft.id), LockedError)


def test_cancelling_an_issued_invoice_puts_the_order_in_exception(book, make_line):
    order = confirmed(book, make_line)
    invoice = book.invoice(order.id, issue=True)
    cancelled = book.cancel_invoice(invoice.id)
    assert cancelled.status is DocumentStatus.CANCELLED
    assert book.summary(order.id).exceptions == (invoice.id,)


def test_on_shipment_bop_bills_what_shipped_at_once(make_book, stocked, make_line):
    book = stocked(make_book(presets.bop()))
    order = book.place_order("acme", [make_line("p1", "TEA", 5), make_line("p2", "MUG", 2)])
    book.transition(order.id, "accepted")
    book.ship(order.id, {"p1": 3})
    (draft,) = book.store.invoices_by_order(order.id)
    assert [(ln.order_line_id, ln.quantity) for ln in draft.lines] == [("p1", 3)]
    kinds = [e.kind for e in book.events(order_id=order.id)]
    assert kinds[-3:] == ["Shipped", "Invoiced", "StatusChanged"]
    book.ship(order.id, {"p1": 2, "p2": 2})
    assert book.get(Order, order.id).status == "finished"
    assert len(book.store.invoices_by_order(order.id)) == 2


def test_on_order_invoicing_bills_the_whole_order_once_it_commits(make_book, stocked, make_line):
    book = stocked(make_book(presets.standard(invoice_method="on_order")))
    order = book.place_order("acme", [make_line("l1", "TEA", 2, "10.00")])
    assert book.store.invoices_by_order(order.id) == ()
    book.transition(order.id, "confirmed")
    (draft,) = book.store.invoices_by_order(order.id)
    assert [(ln.order_line_id, ln.quantity) for ln in draft.lines] == [("l1", 2)]


def test_recurring_invoicing_catches_up_on_every_missed_period(book, make_line):
    plan = RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", due_days=14)
    order = book.place_order(
        "acme", [make_line("s1", "POT", 1, "99.00", recurring=True)], recurrence=plan
    )
    book.transition(order.id, "confirmed")
    first = book.invoice_due_periods(order.id)
    assert [i.period_start for i in first] == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]
    assert book.invoice_due_periods(order.id) == ()
    later = book.invoice_due_periods(order.id, as_of=dt.date(2027, 4, 30))
    assert [i.period_start for i in later] == [dt.date(2027, 4, 1)]
    assert all(isinstance(i, Invoice) and i.due_on for i in later)
