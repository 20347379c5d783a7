"""Kafinea: recurring invoicing of a maintenance contract, with catch-up and an end date.

"Kafinea then automatically generates the invoices"; "How do I stop invoicing? ... uncheck
the Enable Recurrence option, or change the End Date to stop automatic generation."
"""

import datetime as dt

import attrs

from orderbook import Money, Order, OrderLine, RecurringPlan, invoice_totals
from orderbook.billing import issue
from orderbook.conversions import duplicate
from orderbook.recurrence import change_recurrence, due_periods, invoice_period

EUR = "EUR"


def test_a_paused_monthly_contract_catches_up_three_months_then_stops_at_its_end_date():
    order = Order(
        id="so-77",
        customer_id="garage",
        currency=EUR,
        subject="Maintenance contract",
        finalized_at=dt.datetime(2027, 1, 5, tzinfo=dt.UTC),
        lines=[
            OrderLine(
                id="maint",
                sku="MAINT",
                quantity=1,
                unit_price=Money("120", EUR),
                tax_rate="0.2",
                recurring=True,
            )
        ],
        recurrence=RecurringPlan(
            start=dt.date(2027, 1, 31),
            frequency="monthly",
            until=dt.date(2027, 6, 30),
            due_days=30,
            subject="Maintenance {period_start:%B %Y}",
        ),
    )
    invoices = []

    def run(as_of):
        last = max((inv.period_start for inv in invoices), default=None)
        for period in due_periods(order.recurrence, last, as_of):
            invoices.append(issue(invoice_period(order, period), issued_on=period.bill_on))

    run(dt.date(2027, 1, 31))
    assert [inv.subject for inv in invoices] == ["Maintenance January 2027"]

    # Generation paused (nobody ran it) through February, March and April; on May 2 the three
    # missed months are caught up at once.
    run(dt.date(2027, 4, 30) + dt.timedelta(days=2))
    assert [inv.period_start for inv in invoices] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]
    assert invoices[1].due_on == dt.date(2027, 3, 30)

    # The order is finalized, yet its end date can still be brought forward: May is the last.
    plan = attrs.evolve(order.recurrence, until=dt.date(2027, 5, 31))
    order = change_recurrence(order, plan)
    run(dt.date(2027, 12, 31))
    assert [inv.subject for inv in invoices[-2:]] == [
        "Maintenance April 2027",
        "Maintenance May 2027",
    ]
    assert len(invoices) == 5
    assert all(invoice_totals(inv).gross == Money("144.00", EUR) for inv in invoices)

    # Unchecking "Enable Recurrence" stops generation for good.
    stopped = change_recurrence(order, attrs.evolve(plan, enabled=False))
    assert due_periods(stopped.recurrence, None, dt.date(2028, 1, 1)) == ()

    # Duplicating the contract gives a fresh, unfinalized order with the same plan.
    copy = duplicate(order, id_factory=lambda: "so-78")
    assert (copy.id, copy.finalized_at, copy.recurrence) == ("so-78", None, order.recurrence)
