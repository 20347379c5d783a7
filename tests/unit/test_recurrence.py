import datetime as dt

import attrs
import pytest

from orderbook import Money, Order, OrderLine, RecurringPlan, ValidationError, invoice_totals
from orderbook.billing import invoice_order, issue
from orderbook.ids import SequentialIds
from orderbook.recurrence import Period, Usage, change_recurrence, due_periods, invoice_period
from orderbook.rollup import summarize


def starts(periods):
    return [p.start for p in periods]


def plan(start, frequency="monthly", **options):
    return RecurringPlan(start=start, frequency=frequency, **options)


def test_monthly_from_january_31_bills_on_the_last_day_of_shorter_months():
    periods = due_periods(plan(dt.date(2027, 1, 31)), None, dt.date(2027, 5, 31))
    assert starts(periods) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
        dt.date(2027, 5, 31),
    ]
    leap = due_periods(plan(dt.date(2028, 1, 31)), None, dt.date(2028, 2, 29))
    assert starts(leap) == [dt.date(2028, 1, 31), dt.date(2028, 2, 29)]


def test_monthly_from_the_30th_keeps_the_30th_when_the_month_has_it():
    periods = due_periods(plan(dt.date(2027, 1, 30)), None, dt.date(2027, 3, 30))
    assert starts(periods) == [dt.date(2027, 1, 30), dt.date(2027, 2, 28), dt.date(2027, 3, 30)]


def test_each_period_ends_the_day_before_the_next_begins():
    first, second = due_periods(plan(dt.date(2027, 1, 31)), None, dt.date(2027, 2, 28))
    assert (first.start, first.end) == (dt.date(2027, 1, 31), dt.date(2027, 2, 27))
    assert (second.start, second.end) == (dt.date(2027, 2, 28), dt.date(2027, 3, 30))


def test_yearly_from_february_29_falls_on_february_28_in_common_years():
    periods = due_periods(plan(dt.date(2028, 2, 29), "yearly"), None, dt.date(2030, 3, 1))
    assert starts(periods) == [dt.date(2028, 2, 29), dt.date(2029, 2, 28), dt.date(2030, 2, 28)]


def test_the_interval_skips_periods():
    periods = due_periods(
        plan(dt.date(2027, 1, 4), "weekly", interval=2), None, dt.date(2027, 2, 1)
    )
    assert starts(periods) == [dt.date(2027, 1, 4), dt.date(2027, 1, 18), dt.date(2027, 2, 1)]
    assert periods[0].end == dt.date(2027, 1, 17)


def test_periods_already_invoiced_are_not_due_again():
    periods = due_periods(plan(dt.date(2027, 1, 1)), dt.date(2027, 2, 1), dt.date(2027, 4, 15))
    assert starts(periods) == [dt.date(2027, 3, 1), dt.date(2027, 4, 1)]


def test_billing_at_the_period_end_waits_for_the_period_to_end():
    monthly = plan(dt.date(2027, 1, 1), bill_at="end")
    periods = due_periods(monthly, None, dt.date(2027, 3, 15))
    assert [p.bill_on for p in periods] == [dt.date(2027, 1, 31), dt.date(2027, 2, 28)]


def test_a_disabled_plan_or_one_past_its_end_generates_nothing_more():
    assert due_periods(plan(dt.date(2027, 1, 1), enabled=False), None, dt.date(2027, 6, 1)) == ()
    ended = plan(dt.date(2027, 1, 1), until=dt.date(2027, 3, 1))
    assert starts(due_periods(ended, None, dt.date(2027, 12, 1)))[-1] == dt.date(2027, 3, 1)
    counted = plan(dt.date(2027, 1, 1), count=2)
    assert len(due_periods(counted, None, dt.date(2027, 12, 1))) == 2
    assert due_periods(counted, dt.date(2027, 2, 1), dt.date(2027, 12, 1)) == ()


def test_nothing_is_due_before_the_plan_starts_and_bad_dates_are_refused():
    assert due_periods(plan(dt.date(2027, 1, 1)), None, dt.date(2026, 12, 31)) == ()
    with pytest.raises(ValidationError, match="as_of"):
        due_periods(plan(dt.date(2027, 1, 1)), None, "2027-01-01")
    with pytest.raises(ValidationError, match="plan"):
        due_periods(None, None, dt.date(2027, 1, 1))


def subscription(**plan_options):
    return Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        number="SO-12",
        lines=[
            OrderLine(
                id="support",
                sku="SUPPORT",
                quantity=1,
                unit_price=Money("250.00", "EUR"),
                tax_rate="0.2",
                recurring=True,
            ),
            OrderLine(id="setup", sku="SETUP", quantity=1, unit_price=Money("99.00", "EUR")),
        ],
        recurrence=plan(
            dt.date(2027, 1, 1),
            due_days=15,
            subject="Maintenance {period_start:%B %Y} ({number})",
            **plan_options,
        ),
    )


def test_a_period_invoice_bills_the_recurring_lines_once_with_the_subject_filled_in():
    order = subscription()
    (period,) = due_periods(order.recurrence, None, dt.date(2027, 1, 10))
    invoice = invoice_period(order, period, id_factory=SequentialIds("inv"))
    assert [line.order_line_id for line in invoice.lines] == ["support"]
    assert invoice.subject == "Maintenance January 2027 (SO-12)"
    assert (invoice.period_start, invoice.period_end) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 31),
    )
    assert (invoice.issued_on, invoice.due_on) == (dt.date(2027, 1, 1), dt.date(2027, 1, 16))
    assert invoice_totals(invoice).gross == Money("300.00", "EUR")


def test_usage_for_the_period_becomes_extra_lines():
    order = subscription()
    (period,) = due_periods(order.recurrence, None, dt.date(2027, 1, 10))
    usage = [Usage(sku="CALLOUT", quantity="2.5", unit_price=Money("80", "EUR"), tax_rate="0.2")]
    invoice = invoice_period(order, period, usage=usage)
    assert [line.sku for line in invoice.lines] == ["SUPPORT", "CALLOUT"]
    assert invoice.lines[1].order_line_id is None
    assert invoice_totals(invoice).gross == Money("540.00", "EUR")


def test_recurring_lines_are_billed_every_period_without_tripping_the_over_invoicing_check():
    order = subscription()
    invoices = [
        issue(invoice_period(order, period), issued_on=period.bill_on)
        for period in due_periods(order.recurrence, None, dt.date(2027, 3, 1))
    ]
    summary = summarize(order, invoices=invoices, as_of=dt.date(2027, 3, 1))
    assert summary.line("support").invoiced_quantity == 3
    assert not summary.invoicing.over_invoiced
    one_off = invoice_order(order, summary)
    assert [line.order_line_id for line in one_off.lines] == ["setup"]


def test_a_bad_subject_template_or_a_disabled_plan_is_refused():
    order = subscription()
    period = Period(
        start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31), bill_on=dt.date(2027, 1, 1)
    )
    broken = attrs.evolve(order, recurrence=attrs.evolve(order.recurrence, subject="{customer}"))
    with pytest.raises(ValidationError, match="subject"):
        invoice_period(broken, period)
    stopped = attrs.evolve(order, recurrence=attrs.evolve(order.recurrence, enabled=False))
    with pytest.raises(ValidationError, match="recurrence"):
        invoice_period(stopped, period)
    no_recurring = attrs.evolve(order, lines=order.lines[1:])
    with pytest.raises(ValidationError, match="recurring line"):
        invoice_period(no_recurring, period)


def test_a_finalized_orders_recurrence_can_still_be_changed_or_stopped():
    order = attrs.evolve(subscription(), finalized_at=dt.datetime(2027, 1, 2, tzinfo=dt.UTC))
    yearly = plan(dt.date(2027, 1, 1), "yearly")
    assert change_recurrence(order, yearly).recurrence.frequency == "yearly"
    assert change_recurrence(order, None).recurrence is None
    with pytest.raises(ValidationError, match="plan"):
        change_recurrence(order, "monthly")
