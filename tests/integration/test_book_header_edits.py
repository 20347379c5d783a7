"""Changing an order's header and its recurring plan after placing it.

Dolibarr edits a draft directly and a validated order only after its Modify move; Kafinea
locks a finalized order for good except its terms and its recurring invoicing, which may
change or stop at any time.
"""

import datetime as dt

import pytest

from orderbook import Address, Money, Order, OrderLine, Quote, RecurringPlan, presets, replay
from orderbook.commands import EditOrder
from orderbook.errors import LockedError, ValidationError
from orderbook.store import MemoryStore


def test_a_draft_orders_header_changes_and_the_change_is_an_event(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)], terms="Net 60")
    dock = Address(name="AcmeCorp", street="2 Quay Road", city="Leith")
    edited = book.edit_order(
        order.id, terms="Net 30", shipping_address=dock, promised_on=dt.date(2027, 4, 1), by="ana"
    )
    assert (edited.terms, edited.shipping_address, edited.promised_on) == (
        "Net 30",
        dock,
        dt.date(2027, 4, 1),
    )
    assert edited.billing_address == order.billing_address
    last = book.events()[-1]
    assert (last.kind, last.data["fields"], last.data["by"]) == (
        "OrderEdited",
        "promised_on, shipping_address, terms",
        "ana",
    )
    with MemoryStore() as empty:
        replay(book.events(), empty)
        assert empty.get(Order, order.id) == book.get(Order, order.id)


def test_a_validated_order_needs_its_modify_move_before_its_header_changes(
    make_book, stocked, make_line, refused
):
    book = stocked(make_book(presets.dolibarr()))
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(order.id, "validated")
    error = refused(book, EditOrder(order_id=order.id, changes={"subject": "New"}), LockedError)
    assert "Validated is not editable" in error.reason
    assert "Draft ('modify')" in error.reason
    book.transition(order.id, "draft")
    assert book.edit_order(order.id, subject="New").subject == "New"


def test_a_finalized_order_changes_only_its_terms(make_book, stocked, make_line, refused):
    book = stocked(make_book(presets.kafinea()))
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.finalize(order.id)
    assert book.edit_order(order.id, terms="Net 15").terms == "Net 15"
    error = refused(
        book, EditOrder(order_id=order.id, changes={"terms": "x", "priority": 3}), LockedError
    )
    assert "not priority" in error.reason


def test_a_header_edit_is_checked_field_by_field_when_the_command_is_built():
    with pytest.raises(ValidationError, match="must name fields among"):
        EditOrder(order_id="o1", changes={"status": "confirmed"})
    with pytest.raises(ValidationError, match="promised_on"):
        EditOrder(order_id="o1", changes={"promised_on": "tomorrow"})
    with pytest.raises(ValidationError, match="at least one field"):
        EditOrder(order_id="o1", changes={})


def test_a_recurrence_changes_after_finalize_and_stops(make_book, stocked, make_line, clock):
    book = stocked(make_book(presets.kafinea()))
    monthly = RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly")
    upkeep = make_line("upkeep", "TEA", 1, recurring=True)
    order = book.place_order("acme", [upkeep], recurrence=monthly)
    book.finalize(order.id)
    billed = book.invoice_due_periods(order.id, as_of=dt.date(2027, 3, 1))
    assert [invoice.period_start for invoice in billed] == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]

    quarterly = RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", interval=3)
    assert book.change_recurrence(order.id, quarterly).recurrence == quarterly
    later = book.invoice_due_periods(order.id, as_of=dt.date(2027, 7, 1))
    assert [invoice.period_start for invoice in later] == [
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
    ]

    stopped = book.change_recurrence(order.id, None)
    assert stopped.recurrence is None
    assert book.events()[-1].data["stopped"] is True
    with pytest.raises(ValidationError, match="recurring plan"):
        book.invoice_due_periods(order.id, as_of=dt.date(2027, 12, 1))


def test_accepting_a_quote_takes_addresses_and_a_number_and_keeps_the_quotes_number(book):
    tea = OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.00", "EUR"))
    book.save_quote(Quote(id="q1", customer_id="acme", currency="EUR", number="QU-7", lines=[tea]))
    site = Address(name="AcmeCorp site", city="Glasgow")
    order = book.accept_quote("q1", number="SO-70", shipping_address=site)
    assert (order.number, order.quote_number, order.quote_id) == ("SO-70", "QU-7", "q1")
    assert order.shipping_address == site
    assert order.billing_address == Address(name="AcmeCorp", city="Leith")
