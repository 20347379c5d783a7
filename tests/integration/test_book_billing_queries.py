"""The book's billing queries: an order's invoices of every kind, and where a person may
move an order now, with the reason for each status refused."""

import datetime as dt

import pytest

from orderbook import InvoiceKind, Money, NotFound


def eur(amount):
    return Money(amount, "EUR")


def test_invoices_lists_every_kind_and_status_in_issue_order(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 4, "10.00")])
    book.transition(order.id, "confirmed")
    deposit = book.invoice(
        order.id, kind="deposit", amount=eur("5.00"), issue=True, issued_on=dt.date(2027, 2, 20)
    )
    draft = book.invoice(order.id, {"l1": 1})
    issued = book.invoice(order.id, {"l1": 2}, issue=True)
    note = book.credit_note(issued.id, issue=True, issued_on=dt.date(2027, 3, 2))
    cancelled = book.invoice(order.id, {"l1": 1}, issue=True, issued_on=dt.date(2027, 2, 25))
    book.cancel_invoice(cancelled.id)
    pro_forma = book.invoice(order.id, {"l1": 1}, kind="pro_forma")
    listed = book.invoices(order.id)
    assert [i.id for i in listed] == [
        deposit.id,  # 2027-02-20
        cancelled.id,  # 2027-02-25, cancelled since
        issued.id,  # 2027-03-01
        note.id,  # 2027-03-02
        draft.id,  # drafts carry no date: last, by id
        pro_forma.id,
    ]
    assert [i.kind for i in listed] == [
        InvoiceKind.DEPOSIT,
        InvoiceKind.INVOICE,
        InvoiceKind.INVOICE,
        InvoiceKind.CREDIT_NOTE,
        InvoiceKind.INVOICE,
        InvoiceKind.PRO_FORMA,
    ]
    assert [i.status.value for i in listed][:2] == ["issued", "cancelled"]


def test_invoices_of_an_order_with_none_is_empty_and_of_no_order_is_refused(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    assert book.invoices(order.id) == ()
    with pytest.raises(NotFound):
        book.invoices("nope")
    with pytest.raises(NotFound):
        book.purchases("nope")
    with pytest.raises(NotFound):
        book.choices("nope")


def test_choices_say_where_a_draft_may_go_and_why_not_elsewhere(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    choices = book.choices(order.id)
    assert (choices.current, choices.allowed) == ("draft", ("confirmed", "cancelled"))
    assert choices.reason("shipped") == "Shipped is set automatically, not by hand"
    assert choices.reason("completed") == "there is no transition from Draft to Completed"
    assert choices.reason("confirmed") is None


def test_choices_give_the_reason_a_guard_refuses(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 2})
    invoice = book.invoice(order.id, issue=True)
    book.cancel_invoice(invoice.id)
    choices = book.choices(order.id)
    assert (choices.current, choices.allowed) == ("shipped", ())
    assert "cancelled and is not replaced" in choices.reason("completed")
    book.invoice(order.id, issue=True)
    assert book.choices(order.id).allowed == ("completed",)


def test_choices_read_the_facts_as_of_a_date(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 1}, shipped_on=dt.date(2027, 3, 10))
    assert book.choices(order.id).allowed == ("draft", "cancelled")  # nothing shipped yet
    later = book.choices(order.id, as_of=dt.date(2027, 3, 20))
    assert later.allowed == ()
    assert "shipped" in later.reason("cancelled")


def test_a_superseded_revision_may_move_nowhere(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    revision = book.amend(order.id, [make_line("l1", "TEA", 3)])
    old = book.choices(order.id)
    assert (old.current, old.allowed) == ("draft", ())
    assert {r.target for r in old.refused} == {
        "confirmed",
        "partially_shipped",
        "shipped",
        "completed",
        "cancelled",
    }
    assert all(f"superseded by {revision.id!r}" in r.reason for r in old.refused)
    assert book.choices(revision.id).allowed == ("confirmed", "cancelled")
