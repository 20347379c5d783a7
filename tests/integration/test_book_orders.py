"""Placing, editing, moving, cancelling, finalizing and deleting orders through the book."""

import datetime as dt

import attrs
import pytest

from orderbook import (
    InsufficientStock,
    InvalidTransition,
    LockedError,
    Lot,
    NotFound,
    Order,
    ValidationError,
    presets,
)
from orderbook.commands import (
    Cancel,
    ChangeStatus,
    DeleteOrder,
    EditLines,
    Finalize,
    PlaceOrder,
)
from orderbook.workflow import Status, Transition


def test_an_order_takes_the_customers_currency_and_addresses_unless_given(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)], number="SO-1")
    assert order.currency == "EUR"
    assert order.billing_address.city == "Leith"
    assert order.shipping_address.name == "AcmeCorp dock"
    assert order.status == "draft"
    assert order.placed_at == dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    other = book.place_order("globex", [make_line("l1", "TEA", 1)])
    assert other.billing_address is None


def test_an_order_for_an_unknown_customer_is_refused_and_nothing_changes(book, make_line, refused):
    error = refused(
        book, PlaceOrder(customer_id="nobody", lines=[make_line("l1", "TEA", 1)]), NotFound
    )
    assert error.record_id == "nobody"


def test_a_line_of_an_unknown_product_is_refused(book, make_line, refused):
    error = refused(
        book, PlaceOrder(customer_id="acme", lines=[make_line("l1", "CAKE", 1)]), ValidationError
    )
    assert error.field == "lines[0].sku"


def test_an_order_id_cannot_be_used_twice(book, make_line, refused):
    book.place_order("acme", [make_line("l1", "TEA", 1)], order_id="o1")
    command = PlaceOrder(customer_id="acme", order_id="o1", lines=[make_line("l1", "TEA", 1)])
    assert refused(book, command, ValidationError).field == "order_id"


def test_lines_can_be_edited_while_the_status_is_editable(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    edited = book.edit_lines(order.id, [make_line("l1", "TEA", 3), make_line("l2", "MUG", 1)])
    assert [(ln.id, ln.quantity) for ln in edited.lines] == [("l1", 3), ("l2", 1)]
    assert [e.kind for e in book.events(order_id=order.id)][-1] == "LinesEdited"


def test_editing_lines_releases_what_a_shrunk_line_no_longer_needs(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 6)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.edit_lines(order.id, [make_line("l1", "TEA", 2)])
    assert [a.quantity for a in book.store.allocations_by_order(order.id)] == [2]
    assert book.lots("TEA")[1].remaining == 8  # tea-shelf sorts after tea-po


def test_lines_of_a_locked_order_cannot_be_edited(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(order.id, "confirmed")
    book.ship(order.id, {"l1": 1})
    book.invoice(order.id, issue=True)
    assert book.get(Order, order.id).status == "shipped"
    error = refused(
        book, EditLines(order_id=order.id, lines=[make_line("l1", "TEA", 5)]), LockedError
    )
    assert "not editable" in error.reason


def test_a_shipped_line_cannot_be_removed_or_shrunk_below_what_left(
    make_book, stocked, make_line, refused
):
    book = stocked(make_book(presets.mangrove()))  # Confirmed is editable and shippable
    order = book.place_order("acme", [make_line("l1", "TEA", 4), make_line("l2", "MUG", 1)])
    book.transition(order.id, "confirmed")
    book.ship(order.id, {"l1": 3})
    refused(book, EditLines(order_id=order.id, lines=[make_line("l2", "MUG", 1)]), ValidationError)
    error = refused(
        book,
        EditLines(order_id=order.id, lines=[make_line("l1", "TEA", 2), make_line("l2", "MUG", 1)]),
        ValidationError,
    )
    assert error.field == "lines[0].quantity"


def test_transitions_follow_the_workflow_and_are_recorded_with_who_and_why(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    book.transition(order.id, "confirmed", by="ana", reason="customer signed")
    (entry,) = book.history(order.id)
    assert (entry.source, entry.target, entry.by, entry.reason, entry.automatic) == (
        "draft",
        "confirmed",
        "ana",
        "customer signed",
        False,
    )


def test_a_refused_transition_changes_nothing(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    error = refused(book, ChangeStatus(order_id=order.id, to="completed"), InvalidTransition)
    assert (error.current, error.target) == ("draft", "completed")
    refused(book, ChangeStatus(order_id=order.id, to="nowhere"), ValidationError)


def test_cancelling_releases_every_allocation_and_cannot_be_undone(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 8)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    assert book.lots("TEA")[1].committed == 8
    cancelled = book.cancel(order.id, by="ana", reason="duplicate order")
    assert cancelled.status == "cancelled"
    assert book.store.allocations_by_order(order.id) == ()
    assert book.lots("TEA")[1].remaining == 10
    refused(book, ChangeStatus(order_id=order.id, to="draft"), InvalidTransition)
    refused(book, Cancel(order_id=order.id), InvalidTransition)


def test_cancelling_a_mangrove_order_releases_its_tentative_allocations(
    make_book, stocked, make_line
):
    book = stocked(make_book(presets.mangrove()))
    order = book.place_order("acme", [make_line("d1", "TEA", 5)])
    assert book.store.allocations_by_order(order.id) != ()
    book.cancel(order.id)
    assert book.store.allocations_by_order(order.id) == ()


def test_a_workflow_without_a_cancel_transition_refuses_to_cancel(
    make_book, stocked, make_line, refused
):
    book = stocked(make_book(presets.bop()))
    order = book.place_order("acme", [make_line("p1", "TEA", 1)])
    refused(book, Cancel(order_id=order.id), InvalidTransition)


def test_cancelling_moves_to_the_status_flagged_cancels_whatever_its_name(
    make_book, stocked, make_line
):
    void = Status("void", "Void", terminal=True, releases=True, cancels=True)
    workflow = attrs.evolve(
        presets.standard(),
        statuses=[
            *(attrs.evolve(s, cancels=False) for s in presets.standard().statuses),
            void,
        ],
        transitions=[
            *presets.standard().transitions,
            Transition(source="confirmed", target="void", name="annul"),
        ],
    )
    book = stocked(make_book(workflow))
    order = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    assert book.cancel(order.id).status == "void"
    assert book.store.allocations_by_order(order.id) == ()
    draft = book.place_order("acme", [make_line("l1", "TEA", 1)])
    with pytest.raises(InvalidTransition, match="workflow 'standard' cannot cancel from Draft"):
        book.cancel(draft.id)  # a transition named "cancel" to "cancelled" is not enough


def test_a_finalized_order_is_locked_for_good_but_still_moves_on(book, make_line, refused):
    order = book.place_order("acme", [make_line("l1", "TEA", 1)])
    done = book.finalize(order.id, by="ana")
    assert done.finalized_at == dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    refused(book, EditLines(order_id=order.id, lines=[make_line("l1", "TEA", 2)]), LockedError)
    refused(book, Finalize(order_id=order.id), LockedError)
    refused(book, DeleteOrder(order_id=order.id), LockedError)
    refused(book, ChangeStatus(order_id=order.id, to="shipped"), InvalidTransition)
    # Finalizing locks the document, not the lifecycle.
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.ship(order.id, {"l1": 1})
    shipped = book.get(Order, order.id)
    assert (shipped.status, shipped.finalized_at) == ("shipped", done.finalized_at)


def test_deleting_an_order_removes_it_and_its_allocations_and_logs_only_the_fact(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 3)], number="SO-9")
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    book.invoice(order.id)  # a draft invoice goes with it
    book.delete_order(order.id, by="ana")
    with pytest.raises(NotFound):
        book.get(Order, order.id)
    assert book.store.allocations_by_order(order.id) == ()
    assert book.store.invoices_by_order(order.id) == ()
    last = book.events()[-1]
    assert (last.kind, last.order_id, last.data["number"], last.data["by"]) == (
        "OrderDeleted",
        order.id,
        "SO-9",
        "ana",
    )
    assert all(set(change["row"]) == {"id", "version"} for change in last.data["changes"])


def test_an_order_with_a_shipment_or_an_issued_invoice_cannot_be_deleted(book, make_line, refused):
    shipped = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(shipped.id, "confirmed")
    book.ship(shipped.id, {"l1": 1})
    assert "shipments" in refused(book, DeleteOrder(order_id=shipped.id), LockedError).reason
    billed = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(billed.id, "confirmed")
    book.invoice(billed.id, issue=True)
    assert "issued invoices" in refused(book, DeleteOrder(order_id=billed.id), LockedError).reason


def test_mangrove_refuses_a_delivery_that_supply_cannot_cover(
    make_book, stocked, make_line, refused
):
    book = stocked(make_book(presets.mangrove()))
    book.save_lot(Lot(id="tea-forecast", sku="TEA", quantity=5, source="forecast"))
    error = refused(
        book, PlaceOrder(customer_id="acme", lines=[make_line("d1", "TEA", 40)]), InsufficientStock
    )
    assert (error.record_id, error.requested, error.available) == ("d1", 40, 35)
    order = book.place_order("acme", [make_line("d1", "TEA", 35)])
    assert sum(a.quantity for a in book.store.allocations_by_order(order.id)) == 35
