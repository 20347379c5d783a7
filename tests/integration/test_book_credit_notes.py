"""Credit notes through the book: the whole invoice or some of its lines, limited by the
credit notes made before, for invoices and deposits, in any status of the order."""

import datetime as dt
from decimal import Decimal

from orderbook import (
    DocumentStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LockedError,
    Money,
    NotFound,
    ValidationError,
    invoice_totals,
    line_net,
)
from orderbook.commands import CreditInvoice, EditDraftInvoice, LineEdit


def eur(amount):
    return Money(amount, "EUR")


def invoiced(book, make_line, *lines):
    """A confirmed order and its issued invoice of every line."""
    order = book.place_order("acme", list(lines) or [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    return order, book.invoice(order.id, issue=True, number="INV-1")


def gross(invoice):
    return invoice_totals(invoice).gross


def test_crediting_a_whole_invoice_takes_back_all_it_billed(book, make_line):
    order, invoice = invoiced(book, make_line, make_line("l1", "TEA", 4, "10.00", tax_rate="0.2"))
    note = book.credit_note(invoice.id, issue=True, number="CN-1")
    assert (note.kind, note.status, note.corrects, note.order_id) == (
        InvoiceKind.CREDIT_NOTE,
        DocumentStatus.ISSUED,
        invoice.id,
        order.id,
    )
    assert (note.number, note.issued_on, gross(note)) == (
        "CN-1",
        dt.date(2027, 3, 1),
        eur("48.00"),
    )
    assert note.subject == "Credit note for INV-1"
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.state.value, invoicing.invoiced) == ("not_invoiced", eur("0.00"))
    event = book.events(order_id=order.id)[-1]
    assert (event.kind, event.data["invoice_id"], event.data["corrects"]) == (
        "InvoiceCredited",
        note.id,
        invoice.id,
    )


def test_a_partial_credit_note_takes_back_chosen_quantities_and_limits_the_next(
    book, make_line, refused
):
    _, invoice = invoiced(book, make_line, make_line("l1", "TEA", 1, "145.05"))
    line_id = invoice.lines[0].id
    first = book.credit_note(invoice.id, {line_id: "0.3"}, subject="Damaged")
    assert (first.status, first.subject, gross(first)) == (
        DocumentStatus.DRAFT,
        "Damaged",
        eur("43.52"),
    )
    too_much = CreditInvoice(invoice_id=invoice.id, quantities={line_id: "0.8"})
    assert "at most 0.7" in str(refused(book, too_much, ValidationError))
    rest = book.credit_note(invoice.id, issue=True)
    assert [(ln.id, ln.quantity) for ln in rest.lines] == [(line_id, Decimal("0.7"))]
    assert line_net(rest.lines[0]) == eur("101.53")  # not 0.7 x 145.05 = 101.54
    assert gross(first) + gross(rest) == gross(invoice)
    nothing = CreditInvoice(invoice_id=invoice.id)
    assert "nothing to credit" in str(refused(book, nothing, ValidationError))


def test_a_draft_credit_note_is_edited_within_what_its_invoice_billed(book, make_line, refused):
    _, invoice = invoiced(book, make_line, make_line("l1", "TEA", 1, "145.05"))
    line_id = invoice.lines[0].id
    book.credit_note(invoice.id, {line_id: "0.3"}, issue=True)
    draft = book.credit_note(invoice.id, {line_id: "0.2"})
    more = {line_id: LineEdit(quantity="0.8")}
    error = refused(book, EditDraftInvoice(invoice_id=draft.id, edits=more), ValidationError)
    assert "at most 0.7" in str(error)
    dearer = {line_id: LineEdit(unit_price=eur("200.00"))}
    error = refused(book, EditDraftInvoice(invoice_id=draft.id, edits=dearer), ValidationError)
    assert "must be as billed" in str(error)
    stranger = InvoiceLine(id="x", quantity=1, unit_price=eur("5.00"))
    refused(book, EditDraftInvoice(invoice_id=draft.id, add=[stranger]), ValidationError)
    rest = {line_id: LineEdit(quantity="0.7", description="The rest of the desk")}
    edited = book.edit_draft_invoice(draft.id, edits=rest).lines[0]
    assert (edited.description, line_net(edited)) == ("The rest of the desk", eur("101.53"))


def test_part_of_a_line_that_completed_its_order_line_credits_its_own_share(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 1, "145.05")])
    book.transition(order.id, "confirmed")
    book.invoice(order.id, {"l1": "0.3"}, issue=True)
    rest = book.invoice(order.id, issue=True)  # 0.7 for 101.53, fixed
    line_id = rest.lines[0].id
    some = book.credit_note(rest.id, {line_id: "0.1"})
    assert gross(some) == eur("14.51")  # 0.1 x 145.05 = 14.505, not the line's 101.53
    others = book.credit_note(rest.id)
    assert gross(some) + gross(others) == gross(rest)


def test_a_cancelled_credit_note_no_longer_limits_the_next(book, make_line):
    _, invoice = invoiced(book, make_line)
    first = book.credit_note(invoice.id)
    book.cancel_invoice(first.id)
    again = book.credit_note(invoice.id, issue=True)
    assert gross(again) == gross(invoice)


def test_only_an_issued_invoice_or_deposit_is_credited(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    draft = book.invoice(order.id, {"l1": 1})
    error = refused(book, CreditInvoice(invoice_id=draft.id), ValidationError)
    assert "must be an issued invoice or deposit" in str(error)
    refused(book, CreditInvoice(invoice_id="nope"), NotFound)
    issued = book.invoice(order.id, {"l1": 1}, issue=True)
    note = book.credit_note(issued.id, issue=True)
    refused(book, CreditInvoice(invoice_id=note.id), ValidationError)  # not a credit note


def test_a_credited_deposit_is_no_longer_deducted_by_the_final_invoice(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    deposit = book.invoice(order.id, kind="deposit", amount=eur("15.00"), issue=True)
    note = book.credit_note(deposit.id, issue=True)
    assert gross(note) == eur("15.00")
    assert book.summary(order.id).invoicing.deposits == eur("0.00")
    final = book.invoice(order.id, issue=True)
    assert [ln.order_line_id for ln in final.lines] == ["l1"]  # nothing deducted
    assert book.summary(order.id).invoicing.invoiced == eur("40.00")


def test_crediting_a_final_invoice_puts_its_deposit_back_to_deduct(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    book.invoice(order.id, kind="deposit", amount=eur("15.00"), issue=True)
    final = book.invoice(order.id, issue=True)
    assert gross(final) == eur("25.00")
    book.credit_note(final.id, issue=True)
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.invoiced, invoicing.deposits) == (eur("15.00"), eur("15.00"))
    again = book.invoice(order.id, issue=True)
    assert gross(again) == eur("25.00")


def test_an_invoice_of_a_cancelled_order_is_still_credited(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    invoice = book.invoice(order.id, issue=True)
    book.cancel(order.id)
    note = book.credit_note(invoice.id, issue=True)
    assert book.summary(order.id).invoicing.invoiced == eur("0.00")
    assert note.order_id == order.id


def test_after_an_amendment_the_credit_note_goes_to_the_live_revision(book, make_line):
    order, invoice = invoiced(book, make_line)
    revision = book.amend(order.id, [make_line("l1", "TEA", 5, "10.00")])
    moved = book.get(Invoice, invoice.id)
    assert moved.order_id == revision.id
    note = book.credit_note(invoice.id, issue=True)
    assert note.order_id == revision.id
    assert book.summary(revision.id).invoicing.invoiced == eur("0.00")


def test_an_invoice_of_no_order_is_credited_among_the_customers_invoices(book):
    fee = Invoice(
        id="fee-1",
        customer_id="acme",
        currency="EUR",
        status="issued",
        issued_on=dt.date(2027, 2, 1),
        lines=[InvoiceLine(id="f1", quantity=2, unit_price=eur("30.00"), description="Audit")],
    )
    with book.store.transaction():
        book.store.put(fee)
    first = book.credit_note("fee-1", {"f1": 1}, issue=True)
    assert (first.order_id, gross(first)) == (None, eur("30.00"))
    second = book.credit_note("fee-1")
    assert [(ln.id, ln.quantity) for ln in second.lines] == [("f1", 1)]
    assert book.events()[-1].order_id is None


def test_a_superseded_revision_refuses_a_credit_note(book, make_line, refused):
    order, _ = invoiced(book, make_line)
    book.amend(order.id, [make_line("l1", "TEA", 5, "10.00")])
    # An invoice still naming the old revision (say, imported) is read-only with it.
    stale = Invoice(
        id="stale",
        customer_id="acme",
        currency="EUR",
        order_id=order.id,
        status="issued",
        issued_on=dt.date(2027, 3, 1),
        lines=[InvoiceLine(id="s1", quantity=1, unit_price=eur("10.00"), order_line_id="l1")],
    )
    with book.store.transaction():
        book.store.put(stale)
    error = refused(book, CreditInvoice(invoice_id="stale"), LockedError)
    assert "superseded" in error.reason
