"""A summary's line figures are built when first read; that changes none of them.

Each line's figures are recomputed here from the records, plainly, with the public pricing
and payment functions, and compared with what the summary builds; and summaries stay values:
equal for the same records, unequal when a line differs, hashable, picklable and printable,
whether their lines were read yet or not.
"""

import copy
import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import (
    Allocation,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    Money,
    NotFound,
    Order,
    OrderLine,
    Payment,
    Shipment,
    ShipmentItem,
    line_gross,
    line_net,
    line_tax,
)
from orderbook.currencies import CURRENCIES
from orderbook.rollup import CountingRules, LineSummary, OrderSummary, summarize
from orderbook.rollup.payments import payment_status
from orderbook.testing import strategies as obst

DAY = dt.date(2027, 6, 1)


def in_minor_units(units, currency):
    return Money(Decimal(units).scaleb(-CURRENCIES[currency]), currency)


@st.composite
def ledgers(draw):
    """An order and all kinds of records of it, some dated after DAY, some cancelled."""
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    order = draw(obst.orders(currency=currency, max_lines=4))
    when = st.sampled_from([DAY, DAY + dt.timedelta(days=1)])
    shares = st.sampled_from([None, Decimal("0.5"), Decimal(1), Decimal("1.1"), Decimal("0.3")])
    shipments, invoices, payments, forfeits, allocations, lots = [], [], [], [], [], []
    for n in range(draw(st.integers(0, 3))):
        items = [
            ShipmentItem(line_id=line.id, quantity=line.quantity * share)
            for line in order.lines
            if (share := draw(shares)) is not None
        ]
        if items:
            shipments.append(
                Shipment(
                    id=f"s{n}",
                    order_id=order.id,
                    shipped_on=draw(when),
                    items=items,
                    kind=draw(st.sampled_from(["delivery", "delivery", "return"])),
                    cancelled=draw(st.integers(0, 4)) == 0,
                )
            )
    for line in order.lines:
        if draw(st.integers(0, 3)) == 0:
            forfeits.append(
                Forfeit(order_id=order.id, line_id=line.id, quantity=line.quantity / 2)
            )
        if draw(st.integers(0, 2)) == 0:
            lot = Lot(
                id=f"lot-{line.id}",
                sku=line.sku,
                quantity=line.quantity * 2,
                source=draw(st.sampled_from(["on_hand", "manufacturing"])),
                source_status=draw(st.sampled_from([None, "confirmed", "received"])),
            )
            lots.append(lot)
            allocations.append(
                Allocation(
                    order_id=order.id,
                    line_id=line.id,
                    lot_id=lot.id,
                    sku=line.sku,
                    quantity=line.quantity,
                )
            )
    for n in range(draw(st.integers(0, 3))):
        lines = [
            InvoiceLine(
                id=f"i{n}-{line.id}",
                quantity=line.quantity * draw(st.sampled_from([Decimal("0.25"), Decimal(1)])),
                unit_price=line.unit_price,
                discount=line.discount,
                tax_rate=line.tax_rate,
                order_line_id=line.id,
            )
            for line in order.lines
            if draw(st.booleans())
        ]
        if lines:
            status = draw(st.sampled_from(["draft", "issued", "issued", "cancelled"]))
            invoices.append(
                Invoice(
                    id=f"i{n}",
                    customer_id=order.customer_id,
                    currency=currency,
                    order_id=order.id,
                    status=status,
                    issued_on=None if status == "draft" else draw(when),
                    lines=lines,
                    kind=draw(st.sampled_from(["invoice", "invoice", "credit_note", "deposit"])),
                )
            )
    for n, invoice in enumerate(invoices):
        if draw(st.booleans()):
            units = draw(st.integers(1, 10**7))
            payments.append(
                Payment(
                    id=f"p{n}",
                    amount=in_minor_units(units, currency),
                    received_on=DAY,
                    invoice_id=invoice.id,
                )
            )
    for line in order.lines:
        if draw(st.integers(0, 2)) == 0:
            units = draw(st.integers(1, 10**7))
            payments.append(
                Payment(
                    amount=in_minor_units(units, currency),
                    received_on=DAY,
                    order_id=order.id,
                    line_id=line.id,
                )
            )
    options = {
        "counting": CountingRules(
            payments=draw(st.sampled_from(["invoiced", "lines"])),
            tolerance=draw(st.sampled_from([0, Decimal("0.05")])),
            tax_rounding=draw(st.sampled_from(["per_line", "per_document"])),
        )
    }
    records = {
        "shipments": shipments,
        "invoices": invoices,
        "payments": payments,
        "forfeits": forfeits,
        "allocations": allocations,
        "lots": lots,
    }
    return order, records, options


def recomputed(order, records, options, summary):
    """Each line's figures, recomputed from the records with the public functions."""
    currency = order.currency
    zero = Money.zero(currency)
    counting = options["counting"]

    def total(quantities):
        return sum(quantities, Decimal(0))

    live = [s for s in records["shipments"] if s.shipped_on <= DAY and not s.cancelled]
    counted = [
        i
        for i in records["invoices"]
        if i.status == "issued" and i.issued_on <= DAY and counting.counts(i)
    ]
    billed = [i for i in counted if i.kind != "deposit"]
    kinds = {i.id: i.kind for i in records["invoices"]}
    invoice_paid = sum(
        (
            -p.amount if kinds[p.invoice_id] == "credit_note" else p.amount
            for p in records["payments"]
            if p.invoice_id is not None
        ),
        zero,
    )
    rows = []
    for line in order.lines:

        def items(kind, line=line):
            return total(
                item.quantity
                for s in live
                if s.kind == kind
                for item in s.items
                if item.line_id == line.id
            )

        def invoiced(amount, line=line):
            return sum(
                (
                    -amount(il) if i.kind == "credit_note" else amount(il)
                    for i in billed
                    for il in i.lines
                    if il.order_line_id == line.id
                ),
                zero,
            )

        shipped, returned = items("delivery"), items("return")
        delivered = shipped - returned
        if delivered >= line.quantity:
            delivered_net = line_net(line)
        elif delivered <= 0:
            delivered_net = zero
        else:
            delivered_net = line_net(attrs.evolve(line, quantity=delivered))
        rows.append(
            {
                "line_id": line.id,
                "ordered": line.quantity,
                "allocated": total(
                    a.quantity for a in records["allocations"] if a.line_id == line.id
                ),
                "shipped": shipped,
                "returned": returned,
                "forfeited": total(
                    f.quantity for f in records["forfeits"] if f.line_id == line.id
                ),
                "invoiced_quantity": total(
                    -il.quantity if i.kind == "credit_note" else il.quantity
                    for i in billed
                    for il in i.lines
                    if il.order_line_id == line.id
                ),
                "net": line_net(line),
                "tax": line_tax(line),
                "gross": line_gross(line),
                "delivered_net": delivered_net,
                "invoiced_net": invoiced(line_net),
                "invoiced_tax": invoiced(line_tax),
                "recurring": line.recurring,
                "over_delivered": delivered > line.quantity * (1 + counting.tolerance),
            }
        )
    _, paid, due = payment_status(
        counting.payments,
        grosses=[row["gross"] for row in rows],
        invoiced_grosses=[row["invoiced_net"] + row["invoiced_tax"] for row in rows],
        invoiced=summary.invoicing.invoiced,
        deposits=summary.invoicing.deposits,
        order_gross=summary.gross,
        invoice_paid=invoice_paid,
        line_paid=[
            sum((p.amount for p in records["payments"] if p.line_id == row["line_id"]), zero)
            for row in rows
        ],
    )
    return tuple(
        LineSummary(**row, paid=p, due=d) for row, p, d in zip(rows, paid, due, strict=True)
    )


def summary_of(order, records, options):
    return summarize(order, as_of=DAY, **records, **options)


@settings(max_examples=150, deadline=None)
@given(ledgers())
def test_the_lines_built_on_demand_are_the_lines_recomputed_from_the_records(ledger):
    order, records, options = ledger
    summary = summary_of(order, records, options)
    expected = recomputed(order, records, options, summary)
    assert summary.lines == expected
    assert repr(summary.lines) == repr(expected)
    for row in expected:
        assert summary.line(row.line_id) == row


@settings(max_examples=80, deadline=None)
@given(ledgers())
def test_reading_the_lines_or_not_changes_no_figure_and_no_equality(ledger):
    order, records, options = ledger
    read = summary_of(order, records, options)
    read.lines  # noqa: B018 - built now, before the comparisons
    unread = summary_of(order, records, options)
    assert read == unread
    assert unread == read
    assert hash(read) == hash(unread)
    assert repr(read) == repr(unread)
    assert read.facts() == unread.facts()
    assert read.lines is read.lines  # built once, then kept


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.booleans())
def test_a_summary_pickles_and_copies_to_an_equal_one_before_or_after_its_lines_are_read(
    ledger, read_first
):
    order, records, options = ledger
    summary = summary_of(order, records, options)
    if read_first:
        summary.lines  # noqa: B018
    for again in (pickle.loads(pickle.dumps(summary)), copy.deepcopy(summary), copy.copy(summary)):
        assert again == summary
        assert repr(again) == repr(summary)
        assert again.lines == summary.lines
        assert hash(again) == hash(summary)


def two_lines(*shipped):
    order = Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        lines=[
            OrderLine(id=f"l{k}", sku="X", quantity=10, unit_price=Money("5.00", "EUR"))
            for k in (1, 2)
        ],
    )
    shipment = Shipment(
        id="s1",
        order_id="o1",
        shipped_on=DAY,
        items=[ShipmentItem(line_id=line_id, quantity=q) for line_id, q in shipped],
    )
    return summarize(order, shipments=[shipment], as_of=DAY)


def test_summaries_that_differ_only_in_a_line_are_not_equal():
    first, second = two_lines(("l1", 10)), two_lines(("l2", 10))
    assert first.fulfilment == second.fulfilment
    assert first.totals == second.totals
    assert first != second
    assert first.lines != second.lines
    assert two_lines(("l1", 10)) == first


def test_a_missing_line_is_not_found_and_a_summary_stays_frozen():
    summary = two_lines(("l1", 4))
    with pytest.raises(NotFound):
        summary.line("l9")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        summary.lines = ()  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        summary.order_id = "o2"  # type: ignore[misc]
    assert summary.line("l1").delivered == 4


def test_a_summary_prints_short_and_can_be_built_from_its_fields():
    summary = two_lines(("l1", 4))
    assert repr(summary) == (
        f"OrderSummary('o1', 2027-06-01, gross {summary.gross}, "
        f"invoiced {summary.invoicing.invoiced}, paid {summary.payment.paid})"
    )
    fields = {field.alias: getattr(summary, field.name) for field in attrs.fields(OrderSummary)}
    fields["lines"] = list(summary.lines)
    again = OrderSummary(**fields)
    assert again == summary
    assert again.lines == summary.lines
    assert type(again.lines) is tuple
    assert attrs.evolve(summary, order_id="o2").lines == summary.lines
