"""The order rules of the core, on plain values: allocations kept through an edit, amending
and deleting refused."""

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import (
    Allocation,
    Forfeit,
    Invoice,
    InvoiceLine,
    LockedError,
    Money,
    Order,
    OrderLine,
    Payment,
    Shipment,
    ShipmentItem,
    ValidationError,
    presets,
)
from orderbook.decisions.orders import (
    billed_or_paid_lines,
    check_amendable,
    check_deletable,
    kept_allocations,
    once_issued,
    shrink_to,
)
from orderbook.rollup import summarize

EUR = "EUR"
DAY = dt.date(2027, 3, 1)


def line(id, sku="TEA", quantity=10):
    return OrderLine(id=id, sku=sku, quantity=quantity, unit_price=Money("4.00", EUR))


ORDER = Order(id="o1", customer_id="acme", currency=EUR, lines=[line("l1"), line("l2", "JAM")])


def held(id, line_id="l1", quantity=5, day=1, sku=None):
    return Allocation(
        id=id,
        order_id="o1",
        line_id=line_id,
        lot_id="lot",
        sku=sku or ("TEA" if line_id == "l1" else "JAM"),
        quantity=quantity,
        at=dt.datetime(2027, 1, day, tzinfo=dt.UTC),
    )


def shipped(line_id="l1", quantity=3):
    return Shipment(
        order_id="o1", shipped_on=DAY, items=[ShipmentItem(line_id=line_id, quantity=quantity)]
    )


def forfeit(line_id="l1", quantity=2):
    return Forfeit(order_id="o1", line_id=line_id, quantity=quantity)


def invoice(line_id="l1", status="draft", issued_on=None):
    return Invoice(
        customer_id="acme",
        currency=EUR,
        order_id="o1",
        status=status,
        issued_on=issued_on,
        number="F1" if issued_on else "",
        lines=[InvoiceLine(quantity=1, unit_price=Money("4.00", EUR), order_line_id=line_id)],
    )


def payment(line_id="l1"):
    return Payment(amount=Money("4.00", EUR), received_on=DAY, order_id="o1", line_id=line_id)


def keep(lines, allocations=(), shipments=(), forfeits=(), invoices=(), payments=()):
    figures = summarize(ORDER, shipments=shipments, forfeits=forfeits, as_of=dt.date.max)
    return kept_allocations(
        ORDER,
        lines,
        allocations=allocations,
        invoices=invoices,
        payments=payments,
        figures=figures,
    )


def quantities(allocations):
    return sorted((a.id, a.quantity) for a in allocations)


# -- kept_allocations: what survives ---------------------------------------------------------


def test_unchanged_lines_keep_every_allocation():
    allocations = (held("a1"), held("a2", "l2", 4))
    assert keep(ORDER.lines, allocations) == [allocations[0], allocations[1]]


def test_a_dropped_line_loses_its_allocations():
    allocations = (held("a1"), held("a2", "l2", 4))
    assert quantities(keep([ORDER.lines[1]], allocations)) == [("a2", Decimal(4))]


def test_a_line_that_changes_product_loses_its_allocations():
    allocations = (held("a1"), held("a2", "l2", 4))
    changed = [attrs.evolve(ORDER.lines[0], sku="COFFEE"), ORDER.lines[1]]
    assert quantities(keep(changed, allocations)) == [("a2", Decimal(4))]


def test_a_shrunk_line_releases_its_newest_allocations_first():
    allocations = (held("old", quantity=5, day=1), held("new", quantity=5, day=2))
    shrunk = [attrs.evolve(ORDER.lines[0], quantity=7), ORDER.lines[1]]
    assert quantities(keep(shrunk, allocations)) == [("new", Decimal(2)), ("old", Decimal(5))]
    smaller = [attrs.evolve(ORDER.lines[0], quantity=4), ORDER.lines[1]]
    assert quantities(keep(smaller, allocations)) == [("old", Decimal(4))]


def test_a_grown_line_keeps_what_it_held():
    allocations = (held("a1", quantity=5),)
    grown = [attrs.evolve(ORDER.lines[0], quantity=20), ORDER.lines[1]]
    assert keep(grown, allocations) == list(allocations)


def test_what_was_shipped_and_forfeited_is_no_longer_open_for_allocations():
    # 10 ordered, 3 shipped, 2 forfeited: a line of 8 has 3 open, so 3 of the 5 held stay.
    allocations = (held("a1", quantity=5),)
    edited = [attrs.evolve(ORDER.lines[0], quantity=8), ORDER.lines[1]]
    kept = keep(edited, allocations, shipments=[shipped()], forfeits=[forfeit()])
    assert quantities(kept) == [("a1", Decimal(3))]


def test_a_line_shrunk_to_what_was_delivered_and_forfeited_keeps_nothing():
    edited = [attrs.evolve(ORDER.lines[0], quantity=5), ORDER.lines[1]]
    kept = keep(edited, (held("a1", quantity=5),), shipments=[shipped()], forfeits=[forfeit()])
    assert kept == []


def test_a_new_line_has_no_allocations_to_keep():
    allocations = (held("a1"),)
    assert keep([*ORDER.lines, line("l3", "HONEY")], allocations) == list(allocations)


def test_a_draft_invoice_of_another_line_does_not_hold_a_line():
    allocations = (held("a1"), held("a2", "l2", 4))
    kept = keep([ORDER.lines[0]], allocations, invoices=[invoice("l1")])
    assert quantities(kept) == [("a1", Decimal(5))]


# -- kept_allocations: refusals --------------------------------------------------------------

USES = {
    "shipment": {"shipments": [shipped()]},
    "forfeit": {"forfeits": [forfeit()]},
    "invoice": {"invoices": [invoice()]},
    "cancelled invoice": {"invoices": [invoice(status="cancelled", issued_on=DAY)]},
    "payment": {"payments": [payment()]},
}


@pytest.mark.parametrize("use", sorted(USES))
def test_a_used_line_may_not_be_removed(use):
    with pytest.raises(ValidationError) as raised:
        keep([ORDER.lines[1]], (held("a1"),), **USES[use])
    assert raised.value.field == "lines['l1']"
    assert raised.value.value == "l1"
    assert "may not be removed or change product" in raised.value.reason


@pytest.mark.parametrize("use", sorted(USES))
def test_a_used_line_may_not_change_product(use):
    changed = [attrs.evolve(ORDER.lines[0], sku="COFFEE"), ORDER.lines[1]]
    with pytest.raises(ValidationError) as raised:
        keep(changed, **USES[use])
    assert raised.value.field == "lines['l1']"


def test_a_line_may_not_shrink_below_what_was_delivered_and_forfeited():
    edited = [ORDER.lines[0], attrs.evolve(ORDER.lines[1], quantity=4)]
    with pytest.raises(ValidationError) as raised:
        keep(edited, shipments=[shipped("l2", 3)], forfeits=[forfeit("l2", 2)])
    assert raised.value.field == "lines[1].quantity"
    assert raised.value.value == Decimal(4)
    assert raised.value.reason == "must not be below the 5 delivered and forfeited"


# -- the helpers -----------------------------------------------------------------------------


def test_billed_or_paid_lines_names_invoiced_and_paid_lines_only():
    unlinked = Payment(amount=Money("1.00", EUR), received_on=DAY, invoice_id="i9")
    found = billed_or_paid_lines(
        [invoice("l1", status="cancelled", issued_on=DAY)], [payment("l2"), unlinked]
    )
    assert found == {"l1", "l2"}


def test_once_issued():
    assert once_issued(invoice(status="issued", issued_on=DAY))
    assert once_issued(invoice(status="cancelled", issued_on=DAY))
    assert not once_issued(invoice(status="cancelled"))
    assert not once_issued(invoice())


@given(
    st.lists(st.integers(1, 20), max_size=6),
    st.integers(-5, 150),
)
def test_shrink_to_keeps_at_most_the_quantity_releasing_the_newest(sizes, quantity):
    allocations = [held(f"a{i}", quantity=q, day=i + 1) for i, q in enumerate(sizes)]
    kept = shrink_to(allocations, Decimal(quantity))
    total = sum((a.quantity for a in kept), Decimal(0))
    assert total == min(sum(sizes), max(quantity, 0))
    by_id = {a.id: a for a in allocations}
    assert all(0 < a.quantity <= by_id[a.id].quantity for a in kept)
    # Only the newest kept one may be cut, and every older one is kept whole.
    kept_ids = [a.id for a in kept]
    assert kept_ids == [a.id for a in reversed(allocations)][len(allocations) - len(kept) :]
    assert all(a == by_id[a.id] for a in kept[1:])


# -- amending and deleting -------------------------------------------------------------------


def test_an_open_order_may_be_amended():
    check_amendable(ORDER, presets.standard())


def test_a_finalized_order_may_not_be_amended():
    finalized = attrs.evolve(ORDER, finalized_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    with pytest.raises(LockedError) as raised:
        check_amendable(finalized, presets.standard())
    assert raised.value.record_id == "o1"
    assert raised.value.reason == "it is finalized: it cannot be amended"


def test_an_order_in_a_terminal_status_may_not_be_amended():
    with pytest.raises(LockedError) as raised:
        check_amendable(attrs.evolve(ORDER, status="completed"), presets.standard())
    assert raised.value.reason == "its status Completed is terminal: it cannot be amended"


def test_an_order_with_drafts_only_may_be_deleted():
    check_deletable(
        ORDER, shipments=(), invoices=[invoice(), invoice(status="cancelled")], payments=()
    )


REFUSALS = [
    (
        {"order": attrs.evolve(ORDER, finalized_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))},
        "it is finalized: it cannot be deleted",
    ),
    ({"shipments": [shipped()]}, "it has shipments: it cannot be deleted"),
    ({"invoices": [invoice(status="issued", issued_on=DAY)]}, "it has issued invoices"),
    ({"invoices": [invoice(status="cancelled", issued_on=DAY)]}, "it has issued invoices"),
    ({"payments": [payment()]}, "payments were recorded against it: it cannot be deleted"),
]


@pytest.mark.parametrize(("given", "reason"), REFUSALS)
def test_delete_refusals(given, reason):
    values = {"order": ORDER, "shipments": (), "invoices": (), "payments": (), **given}
    order = values.pop("order")
    with pytest.raises(LockedError) as raised:
        check_deletable(order, **values)
    assert raised.value.record_id == "o1"
    assert raised.value.reason.startswith(reason)


def test_delete_refusals_come_finalized_first_then_shipments_invoices_payments():
    finalized = attrs.evolve(ORDER, finalized_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    everything = {
        "shipments": [shipped()],
        "invoices": [invoice(status="issued", issued_on=DAY)],
        "payments": [payment()],
    }
    reasons = []
    for order, drop in [
        (finalized, None),
        (ORDER, None),
        (ORDER, "shipments"),
        (ORDER, "invoices"),
    ]:
        values = dict(everything)
        if drop:
            for name in list(values)[: list(values).index(drop) + 1]:
                values[name] = ()
        with pytest.raises(LockedError) as raised:
            check_deletable(order, **values)
        reasons.append(raised.value.reason.partition(":")[0])
    assert reasons == [
        "it is finalized",
        "it has shipments",
        "it has issued invoices",
        "payments were recorded against it",
    ]
