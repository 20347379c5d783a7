"""Amending (new revisions), duplicating, and turning quotes into orders."""

from orderbook import (
    LockedError,
    Money,
    Order,
    OrderLine,
    Quote,
    QuoteStatus,
    ValidationError,
    presets,
)
from orderbook.commands import AcceptQuote, Amend, ChangeStatus, Ship


def test_an_amendment_supersedes_the_order_and_takes_over_its_records(
    make_book, stocked, make_line, refused
):
    book = stocked(make_book(presets.bop()))
    old = book.place_order(
        "acme", [make_line("p1", "TEA", 5), make_line("p2", "MUG", 3)], number="PO-77"
    )
    book.transition(old.id, "accepted")
    book.allocate(old.id)
    shipment = book.ship(old.id, {"p1": 2})
    new = book.amend(
        old.id,
        [make_line("p1", "TEA", 4), make_line("p3", "POT", 1)],
        reason="customer changed quantities",
    )
    assert (new.revision, new.supersedes, new.number, new.status) == (
        2,
        old.id,
        "PO-77",
        "in_fulfilment",
    )
    assert new.id == f"{old.id}~r2"
    assert [s.id for s in book.store.shipments_by_order(new.id)] == [shipment.id]
    assert len(book.store.invoices_by_order(new.id)) == 1  # b-op billed the shipment
    assert book.store.invoices_by_order(old.id) == ()
    assert sorted((a.line_id, a.quantity) for a in book.store.allocations_by_order(new.id)) == [
        ("p1", 2)  # p1: 4 ordered, 2 shipped; p2 was dropped with its allocation
    ]
    assert book.summary(new.id).line("p1").shipped == 2
    # the old revision stays readable and is read-only
    assert book.get(Order, old.id).lines == old.lines
    refused(book, Ship(order_id=old.id, items={"p1": 1}), LockedError)
    refused(book, Amend(order_id=old.id, lines=[make_line("p1", "TEA", 9)]), LockedError)
    assert [o.id for o in book.orders(customer_id="acme")] == [new.id]
    assert len(book.orders(customer_id="acme", include_superseded=True)) == 2


def test_an_amendment_may_not_drop_a_shipped_line(make_book, stocked, make_line, refused):
    book = stocked(make_book(presets.bop()))
    order = book.place_order("acme", [make_line("p1", "TEA", 5), make_line("p2", "MUG", 1)])
    book.transition(order.id, "accepted")
    book.ship(order.id, {"p1": 1})
    error = refused(
        book, Amend(order_id=order.id, lines=[make_line("p2", "MUG", 1)]), ValidationError
    )
    assert "may not be removed" in error.reason


def test_a_finished_order_cannot_be_amended(make_book, stocked, make_line, refused):
    book = stocked(make_book(presets.bop()))
    order = book.place_order("acme", [make_line("p1", "TEA", 1)])
    book.transition(order.id, "accepted")
    book.ship(order.id, {"p1": 1})
    refused(book, Amend(order_id=order.id, lines=[make_line("p1", "TEA", 2)]), LockedError)


def test_a_duplicate_is_a_fresh_draft_with_the_same_lines(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)], number="SO-1", terms="30 days")
    book.transition(order.id, "confirmed")
    copy = book.duplicate(order.id, new_order_id="copy")
    assert (copy.id, copy.status, copy.number, copy.terms) == ("copy", "draft", "", "30 days")
    assert copy.lines == order.lines
    placed = book.events(order_id="copy")[0]
    assert (placed.kind, placed.data["duplicate_of"]) == ("OrderPlaced", order.id)


def test_accepting_a_quote_creates_its_draft_order(book, refused):
    quote = Quote(
        id="q1",
        customer_id="acme",
        currency="EUR",
        subject="Office tea",
        lines=[OrderLine(id="l1", sku="TEA", quantity=5, unit_price=Money("4.00", "EUR"))],
    )
    book.save_quote(quote)
    order = book.accept_quote("q1", order_id="o-q1")
    assert (order.quote_id, order.subject, order.status) == ("q1", "Office tea", "draft")
    assert order.billing_address.city == "Leith"
    assert book.get(Quote, "q1").status is QuoteStatus.ACCEPTED
    refused(book, AcceptQuote(quote_id="q1"), ValidationError)
    again = book.convert_quote("q1", order_id="o-q2")
    assert again.quote_id == "q1"


def test_a_superseded_revision_cannot_be_moved(make_book, stocked, make_line, refused):
    book = stocked(make_book(presets.bop()))
    old = book.place_order("acme", [make_line("p1", "TEA", 5)])
    book.amend(old.id, [make_line("p1", "TEA", 6)])
    refused(book, ChangeStatus(order_id=old.id, to="accepted"), LockedError)


def test_no_command_accepts_a_superseded_revision(book, make_line, refused):
    from orderbook import Money
    from orderbook import commands as c

    old = book.place_order("acme", [make_line("l1", "TEA", 5)])
    book.transition(old.id, "confirmed")
    book.amend(old.id, [make_line("l1", "TEA", 6)])
    commands = [
        c.ChangeStatus(order_id=old.id, to="draft"),
        c.Cancel(order_id=old.id),
        c.EditLines(order_id=old.id, lines=[make_line("l1", "TEA", 7)]),
        c.EditOrder(order_id=old.id, changes={"terms": "Net 30"}),
        c.ChangeRecurrence(order_id=old.id, plan=None),
        c.Finalize(order_id=old.id),
        c.Amend(order_id=old.id, lines=[make_line("l1", "TEA", 7)]),
        c.Duplicate(order_id=old.id),
        c.DeleteOrder(order_id=old.id),
        c.Allocate(order_id=old.id),
        c.FulfilManually(order_id=old.id, line_id="l1", lots={"tea-shelf": 1}),
        c.Ship(order_id=old.id, items={"l1": 1}),
        c.ForfeitRemainder(order_id=old.id, line_id="l1"),
        c.InvoiceOrder(order_id=old.id),
        c.RecordPayment(amount=Money("1.00", "EUR"), order_id=old.id, line_id="l1"),
    ]
    for command in commands:
        error = refused(book, command, LockedError)
        assert "superseded" in error.reason, (command, error)
