import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from orderbook import (
    Allocation,
    CurrencyMismatch,
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
    ValidationError,
)
from orderbook.rollup import (
    CountingRules,
    InvoiceState,
    PaymentBasis,
    PaymentState,
    format_percent,
    percent,
    summarize,
)
from orderbook.workflow.facts import Fulfilment, OrderFacts, Production, Progress


def ratio_of(value):
    """The fraction a percent stands for, to its 50 digits: a third is 33.33...33."""
    return Fraction(value).limit_denominator(10**20)


DAY = dt.date(2027, 3, 1)
EUR = "EUR"


def eur(amount):
    return Money(amount, EUR)


def make_order(*quantities, price="10.00", tax_rate="0", expires_on=None):
    return Order(
        id="o1",
        customer_id="acme",
        currency=EUR,
        expires_on=expires_on,
        lines=[
            OrderLine(id=f"l{i}", sku="X", quantity=q, unit_price=eur(price), tax_rate=tax_rate)
            for i, q in enumerate(quantities, start=1)
        ],
    )


def ship(*items, kind="delivery", on=DAY, cancelled=False, sid=None):
    return Shipment(
        id=sid or f"s-{kind}-{items}",
        order_id="o1",
        shipped_on=on,
        kind=kind,
        cancelled=cancelled,
        items=[ShipmentItem(line_id=line, quantity=q) for line, q in items],
    )


def bill(*items, kind="invoice", status="issued", iid="i1", price="10.00", **extra):
    return Invoice(
        id=iid,
        customer_id="acme",
        currency=EUR,
        order_id="o1",
        kind=kind,
        status=status,
        issued_on=DAY if status != "draft" else None,
        lines=[
            InvoiceLine(id=f"{iid}-{n}", quantity=q, unit_price=eur(price), order_line_id=line)
            for n, (line, q) in enumerate(items)
        ],
        **extra,
    )


def test_nothing_shipped_invoiced_or_paid_reads_none_everywhere():
    summary = summarize(make_order(3, 2), as_of=DAY)
    assert summary.fulfilment.state is Fulfilment.NONE
    assert summary.invoicing.state is InvoiceState.NOT_INVOICED
    assert summary.payment.state is PaymentState.NOT_PAID
    assert summary.facts() == OrderFacts()
    assert (summary.quantity, summary.gross) == (Decimal(5), eur("50.00"))


def test_a_weighted_percent_near_100_is_not_complete_while_a_line_was_never_shipped():
    order = make_order(1_249_999, 1, price="1.00")
    summary = summarize(order, shipments=[ship(("l1", 1_249_999))], as_of=DAY)
    assert summary.fulfilment.state is Fulfilment.PARTIAL
    assert summary.fulfilment.by_quantity == Decimal("99.99992")
    assert summary.fulfilment.by_amount == Decimal("99.99992")
    assert format_percent(summary.fulfilment.by_amount) == "99.99%"
    assert not summary.line("l2").fulfilled


def test_fulfilment_is_complete_only_when_every_line_is_and_then_reads_100():
    summary = summarize(make_order(3, 2), shipments=[ship(("l1", 3), ("l2", 2))], as_of=DAY)
    assert summary.fulfilment.state is Fulfilment.COMPLETE
    assert summary.fulfilment.by_quantity == summary.fulfilment.by_amount == Decimal(100)


def test_fulfilment_by_amount_weighs_lines_by_their_net():
    order = Order(
        id="o1",
        customer_id="acme",
        currency=EUR,
        lines=[
            OrderLine(id="l1", sku="X", quantity=1, unit_price=eur("90.00")),
            OrderLine(id="l2", sku="Y", quantity=9, unit_price=eur("1.00")),
        ],
    )
    summary = summarize(order, shipments=[ship(("l1", 1))], as_of=DAY)
    assert summary.fulfilment.by_quantity == Decimal(10)
    assert ratio_of(summary.fulfilment.by_amount) == Fraction(9000, 99)
    assert format_percent(summary.fulfilment.by_amount) == "90.91%"


def test_returns_reduce_what_was_delivered():
    summary = summarize(
        make_order(5),
        shipments=[ship(("l1", 5)), ship(("l1", 2), kind="return")],
        as_of=DAY,
    )
    line = summary.line("l1")
    assert (line.shipped, line.returned, line.delivered, line.open) == (5, 2, 3, 2)
    assert summary.fulfilment.state is Fulfilment.PARTIAL


def test_cancelled_and_future_shipments_count_for_nothing():
    later = ship(("l1", 1), on=DAY + dt.timedelta(days=1), sid="later")
    gone = ship(("l1", 2), cancelled=True, sid="gone")
    summary = summarize(make_order(5), shipments=[later, gone], as_of=DAY, acknowledged=["gone"])
    assert summary.line("l1").shipped == 0
    assert summary.fulfilment.state is Fulfilment.NONE


def test_over_delivery_is_flagged_beyond_the_tolerance_only():
    shipments = [ship(("l1", 105))]
    assert summarize(make_order(100), shipments=shipments, as_of=DAY).fulfilment.over_delivered
    relaxed = summarize(
        make_order(100), shipments=shipments, as_of=DAY, counting=CountingRules(tolerance="0.05")
    )
    assert not relaxed.fulfilment.over_delivered
    assert relaxed.fulfilment.state is Fulfilment.COMPLETE


def test_a_forfeited_remainder_finishes_the_order_without_completing_it():
    forfeit = Forfeit(order_id="o1", line_id="l1", quantity=2)
    summary = summarize(make_order(5), shipments=[ship(("l1", 3))], forfeits=[forfeit], as_of=DAY)
    assert summary.fulfilment.state is Fulfilment.FINISHED
    assert summary.fulfilment.state.done
    assert summary.fulfilment.by_quantity == Decimal("60.00")


def test_drafts_cancelled_invoices_and_pro_formas_do_not_count_as_invoiced():
    invoices = [
        bill(("l1", 1), status="draft", iid="draft"),
        bill(("l1", 1), status="cancelled", iid="void"),
        bill(("l1", 1), kind="pro_forma", iid="dummy"),
    ]
    summary = summarize(make_order(3), invoices=invoices, as_of=DAY, acknowledged=["void"])
    assert summary.invoicing.state is InvoiceState.NOT_INVOICED
    assert summary.invoicing.invoiced == eur("0.00")


def test_credit_notes_subtract_from_what_is_invoiced():
    invoices = [
        bill(("l1", 3), iid="i1"),
        bill(("l1", 1), kind="credit_note", iid="c1", corrects="i1"),
    ]
    summary = summarize(make_order(3), invoices=invoices, as_of=DAY)
    assert summary.line("l1").invoiced_quantity == 2
    assert summary.invoicing.invoiced == eur("20.00")
    assert summary.invoicing.state is InvoiceState.PART_INVOICED
    assert ratio_of(summary.invoicing.percent) == Fraction(200, 3)
    assert format_percent(summary.invoicing.percent) == "66.67%"


def test_the_counting_rule_is_a_parameter():
    invoices = [
        bill(("l1", 3), iid="i1"),
        bill(("l1", 1), kind="credit_note", iid="c1", corrects="i1"),
        bill(("l1", 1), status="draft", iid="d1"),
    ]
    invoices_only = CountingRules(kinds=["invoice"])
    with_drafts = CountingRules(kinds=["invoice"], statuses=["issued", "draft"])
    order = make_order(4)
    assert summarize(order, invoices=invoices, as_of=DAY, counting=invoices_only).line(
        "l1"
    ).invoiced_quantity == Decimal(3)
    assert summarize(order, invoices=invoices, as_of=DAY, counting=with_drafts).line(
        "l1"
    ).invoiced_quantity == Decimal(4)


def test_pro_forma_and_cancelled_cannot_be_made_to_count():
    with pytest.raises(ValidationError, match="pro_forma"):
        CountingRules(kinds=["invoice", "pro_forma"])
    with pytest.raises(ValidationError, match="statuses"):
        CountingRules(statuses=["cancelled"])
    with pytest.raises(ValidationError, match="kinds"):
        CountingRules(kinds=7)


def test_a_deposit_counts_towards_the_amount_but_not_the_quantity():
    deposit = Invoice(
        id="dep",
        customer_id="acme",
        currency=EUR,
        order_id="o1",
        kind="deposit",
        status="issued",
        issued_on=DAY,
        lines=[InvoiceLine(quantity=1, unit_price=eur("15.00"))],
    )
    summary = summarize(make_order(5), invoices=[deposit], as_of=DAY)
    assert summary.invoicing.state is InvoiceState.PART_INVOICED
    assert summary.invoicing.percent == Decimal("30.00")
    assert summary.invoicing.by_quantity == Decimal(0)
    assert summary.invoicing.deposits == eur("15.00")


def test_invoice_status_is_complete_by_quantity_on_every_line():
    summary = summarize(make_order(3, 2), invoices=[bill(("l1", 3), ("l2", 2))], as_of=DAY)
    assert summary.invoicing.state is InvoiceState.INVOICED
    assert summary.invoicing.percent == summary.invoicing.by_quantity == Decimal(100)
    assert summary.facts().billing is Progress.COMPLETE


def test_payments_against_invoices_give_part_paid_with_the_percent_of_the_invoiced_total():
    pay = Payment(id="p1", amount=eur("12.00"), received_on=DAY, invoice_id="i1")
    summary = summarize(make_order(3), invoices=[bill(("l1", 3))], payments=[pay], as_of=DAY)
    assert summary.payment.state is PaymentState.PART_PAID
    assert summary.payment.percent == Decimal("40.00")
    assert summary.payment.outstanding == eur("18.00")
    assert summary.line("l1").paid == eur("12.00")


def test_overpayment_is_flagged_and_the_order_reads_paid():
    pay = Payment(amount=eur("31.00"), received_on=DAY, invoice_id="i1")
    summary = summarize(make_order(3), invoices=[bill(("l1", 3))], payments=[pay], as_of=DAY)
    assert summary.payment.state is PaymentState.PAID
    assert summary.payment.overpaid
    assert summary.payment.outstanding == eur("0.00")


def test_a_refund_against_a_credit_note_reduces_what_was_paid():
    invoices = [bill(("l1", 3)), bill(("l1", 3), kind="credit_note", iid="c1", corrects="i1")]
    payments = [
        Payment(amount=eur("30.00"), received_on=DAY, invoice_id="i1"),
        Payment(amount=eur("30.00"), received_on=DAY, invoice_id="c1"),
    ]
    summary = summarize(make_order(3), invoices=invoices, payments=payments, as_of=DAY)
    assert summary.payment.paid == eur("0.00")
    assert summary.payment.state is PaymentState.NOT_PAID


def test_per_line_payments_make_an_order_partially_paid_until_every_line_is():
    lines_basis = CountingRules(payments=PaymentBasis.LINES)
    paid_one = [Payment(amount=eur("30.00"), received_on=DAY, order_id="o1", line_id="l1")]
    summary = summarize(make_order(3, 2), payments=paid_one, as_of=DAY, counting=lines_basis)
    assert summary.payment.state is PaymentState.PART_PAID
    assert summary.line("l1").outstanding == eur("0.00")
    assert summary.line("l2").outstanding == eur("20.00")


def test_a_cancelled_issued_invoice_puts_the_order_in_exception_until_replaced():
    void = bill(("l1", 3), status="cancelled", iid="void")
    assert summarize(make_order(3), invoices=[void], as_of=DAY).exceptions == ("void",)
    replacement = bill(("l1", 3), iid="new", corrects="void")
    replaced = summarize(make_order(3), invoices=[void, replacement], as_of=DAY)
    assert not replaced.exception
    acknowledged = summarize(make_order(3), invoices=[void], as_of=DAY, acknowledged=["void"])
    assert not acknowledged.facts().exception


def test_a_cancelled_shipment_is_an_exception_until_its_lines_ship_again():
    gone = ship(("l1", 3), cancelled=True, sid="gone")
    assert summarize(make_order(3), shipments=[gone], as_of=DAY).facts().exception
    again = ship(("l1", 3), sid="again")
    assert not summarize(make_order(3), shipments=[gone, again], as_of=DAY).exception


def lot(lot_id, source="on_hand", status=None):
    return Lot(id=lot_id, sku="X", quantity=100, source=source, source_status=status)


def allocate(lot_id, quantity, line="l1"):
    return Allocation(order_id="o1", line_id=line, lot_id=lot_id, sku="X", quantity=quantity)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["requested", "confirmed"], Production.SCHEDULED),
        (["confirmed", "in_progress"], Production.STARTED),
        (["received", "requested"], Production.STARTED),
        (["received", "received"], Production.FINISHED),
    ],
)
def test_production_follows_the_manufacturing_lots_behind_the_allocations(statuses, expected):
    lots = [lot(f"mo{i}", "manufacturing", s) for i, s in enumerate(statuses)]
    allocations = [allocate(f"mo{i}", 1) for i in range(len(statuses))]
    facts = summarize(make_order(2), allocations=allocations, lots=lots, as_of=DAY).facts()
    assert facts.production is expected
    assert facts.allocation is Progress.COMPLETE
    assert facts.allocated_on_hand is (expected is Production.FINISHED)


def test_allocation_progress_and_on_hand_follow_the_allocated_lots():
    lots = [lot("shelf"), lot("po", "purchase", "confirmed")]
    on_hand = summarize(make_order(4), allocations=[allocate("shelf", 2)], lots=lots, as_of=DAY)
    assert on_hand.facts().allocation is Progress.PARTIAL
    assert on_hand.allocated_on_hand
    mixed = summarize(
        make_order(4), allocations=[allocate("shelf", 2), allocate("po", 2)], lots=lots, as_of=DAY
    )
    assert mixed.allocation is Progress.COMPLETE
    assert not mixed.allocated_on_hand


def test_an_order_past_its_expiry_date_is_expired():
    order = make_order(1, expires_on=DAY)
    assert not summarize(order, as_of=DAY).expired
    assert summarize(order, as_of=DAY + dt.timedelta(days=1)).facts().expired


def test_records_of_other_orders_are_ignored():
    other = Shipment(
        order_id="o2", shipped_on=DAY, items=[ShipmentItem(line_id="nope", quantity=9)]
    )
    assert summarize(make_order(1), shipments=[other], as_of=DAY).line("l1").shipped == 0


def test_a_record_naming_an_unknown_line_or_lot_is_refused():
    with pytest.raises(ValidationError, match=r"shipments\[0\]\.items\[0\]\.line_id"):
        summarize(make_order(1), shipments=[ship(("l9", 1))], as_of=DAY)
    with pytest.raises(ValidationError, match=r"allocations\[0\]\.lot_id"):
        summarize(make_order(1), allocations=[allocate("nowhere", 1)], as_of=DAY)


def test_bad_arguments_raise_validation_errors_not_type_errors():
    with pytest.raises(ValidationError, match="as_of"):
        summarize(make_order(1), as_of=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match=r"payments\[0\]"):
        summarize(make_order(1), payments=["cash"], as_of=DAY)
    with pytest.raises(ValidationError, match="shipments"):
        summarize(make_order(1), shipments=5, as_of=DAY)
    with pytest.raises(ValidationError, match="tolerance"):
        summarize(make_order(1), as_of=DAY, counting=CountingRules(tolerance="-0.1"))
    with pytest.raises(NotFound):
        summarize(make_order(1), as_of=DAY).line("l9")


def test_an_invoice_in_another_currency_is_refused():
    usd = Invoice(
        customer_id="acme",
        currency="USD",
        order_id="o1",
        lines=[InvoiceLine(quantity=1, unit_price=Money("1", "USD"))],
    )
    with pytest.raises(CurrencyMismatch):
        summarize(make_order(1), invoices=[usd], as_of=DAY)


def test_a_percent_is_the_exact_ratio_and_only_its_display_rounds():
    assert percent(Decimal("0.0001"), Decimal(100)) == Decimal("0.0001")
    assert percent(Decimal("99.99999"), Decimal(100)) == Decimal("99.99999")
    assert percent(Decimal(0), Decimal(100)) == Decimal(0)
    assert percent(Decimal(1), Decimal(1)) == Decimal(100)
    assert ratio_of(percent(Decimal(1), Decimal(3))) == Fraction(100, 3)


def test_a_displayed_percent_never_rounds_a_partial_up_to_100_or_down_to_0():
    assert format_percent(Decimal("0.0001")) == "0.01%"
    assert format_percent(Decimal("99.99999")) == "99.99%"
    assert format_percent(Decimal("99.994")) == "99.99%"
    assert format_percent(Decimal("66.665")) == "66.67%"
    assert format_percent(Decimal(0)) == "0.00%"
    assert format_percent(Decimal(100)) == "100.00%"
    assert format_percent(Decimal("112.5"), places=0) == "113%"


def test_equal_counting_rules_print_alike_however_their_sets_were_built():
    from orderbook.rollup.statuses import CountingRules

    forward = CountingRules(kinds=["invoice", "credit_note", "deposit"])
    backward = CountingRules(kinds=["deposit", "credit_note", "invoice"])
    assert forward == backward
    assert repr(forward) == repr(backward)
    kinds = (
        "kinds=frozenset({<InvoiceKind.CREDIT_NOTE: 'credit_note'>,"
        " <InvoiceKind.DEPOSIT: 'deposit'>, <InvoiceKind.INVOICE: 'invoice'>})"
    )
    assert kinds in repr(forward)
