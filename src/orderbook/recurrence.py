"""Recurring invoicing (Kafinea): subscriptions, maintenance contracts, leases.

An order's :class:`~orderbook.model.RecurringPlan` bills its recurring lines once per period.
Periods come from :mod:`dateutil.rrule`, not from hand-written date arithmetic. A plan that
starts on a day some months lack keeps to the end of the month: monthly from January 31
bills on February 28 (29 in a leap year), then March 31, April 30. That is the rrule
``bymonthday=(31, -1), bysetpos=1``: of "the 31st" and "the last day", the earlier.

>>> import datetime as dt
>>> from orderbook import RecurringPlan
>>> plan = RecurringPlan(start=dt.date(2028, 1, 31), frequency="monthly")
>>> [str(p.start) for p in due_periods(plan, None, dt.date(2028, 4, 30))]
['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']
>>> due_periods(plan, None, dt.date(2028, 4, 30))[1].end
datetime.date(2028, 3, 30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

import attrs
from dateutil import rrule

from orderbook import _fields as f
from orderbook.billing import due_on
from orderbook.billing.exact import order_part
from orderbook.errors import ValidationError
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import Frequency, Invoice, InvoiceLine, Order, PeriodEdge, RecurringPlan
from orderbook.money import Money

__all__ = ["Period", "Usage", "change_recurrence", "due_periods", "invoice_period"]

_FREQUENCIES: dict[Frequency, Literal[0, 1, 2, 3]] = {
    Frequency.DAILY: rrule.DAILY,
    Frequency.WEEKLY: rrule.WEEKLY,
    Frequency.MONTHLY: rrule.MONTHLY,
    Frequency.YEARLY: rrule.YEARLY,
}
_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class Period:
    """One period of a recurring plan: from ``start`` to ``end`` (both included).

    ``bill_on`` is the date its invoice carries: the start or the end, as the plan says.
    """

    start: dt.date
    end: dt.date
    bill_on: dt.date


@attrs.frozen(kw_only=True)
class Usage:
    """A measured quantity to bill with a period ("automatic addition of usage data").

    >>> Usage(sku="GB-TRANSFER", quantity="120.5", unit_price=Money("0.10", "EUR")).quantity
    Decimal('120.5')
    """

    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_price: Money = attrs.field(validator=f.money)
    tax_rate: Decimal = attrs.field(
        default=Decimal(0), converter=f.decimal, validator=f.non_negative
    )
    description: str = attrs.field(default="", validator=f.text)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _rule(plan: RecurringPlan, *, bounded: bool) -> rrule.rrule:
    options: dict[str, Any] = {"dtstart": _moment(plan.start), "interval": plan.interval}
    if plan.frequency is Frequency.MONTHLY and plan.start.day > 28:
        options.update(bymonthday=(plan.start.day, -1), bysetpos=1)
    if plan.frequency is Frequency.YEARLY and (plan.start.month, plan.start.day) == (2, 29):
        options.update(bymonth=2, bymonthday=(29, -1), bysetpos=1)
    if bounded and plan.until is not None:
        options["until"] = _moment(plan.until)
    if bounded and plan.count is not None:
        options["count"] = plan.count
    return rrule.rrule(_FREQUENCIES[plan.frequency], **options)


def due_periods(
    plan: RecurringPlan, last_invoiced: dt.date | None, as_of: dt.date
) -> tuple[Period, ...]:
    """Return every period not yet invoiced whose billing date is on or before ``as_of``.

    After a pause this catches up: all the missed periods are returned, oldest first. A
    disabled plan returns none; a plan past its ``until`` or ``count`` returns no more.

    Args:
        plan: the recurring plan.
        last_invoiced: the start (or end) of the last period already invoiced, or None.
        as_of: the date the question is asked about.

    Raises:
        ValidationError: an argument is of the wrong type.
    """
    if not isinstance(plan, RecurringPlan):
        raise ValidationError("plan", plan, "must be a RecurringPlan")
    for name, value in (("last_invoiced", last_invoiced), ("as_of", as_of)):
        if (value is not None or name == "as_of") and (
            not isinstance(value, dt.date) or isinstance(value, dt.datetime)
        ):
            raise ValidationError(name, value, "must be a datetime.date")
    if not plan.enabled or as_of < plan.start:
        return ()
    endless = _rule(plan, bounded=False)
    periods = []
    for moment in _rule(plan, bounded=True).between(_moment(plan.start), _moment(as_of), inc=True):
        start = moment.date()
        following = endless.after(moment)
        end = following.date() - _DAY if following is not None else start
        bill_on = start if plan.bill_at is PeriodEdge.START else end
        if bill_on > as_of or (last_invoiced is not None and start <= last_invoiced):
            continue
        periods.append(Period(start=start, end=end, bill_on=bill_on))
    return tuple(periods)


def _subject(template: str, order: Order, period: Period) -> str:
    try:
        return template.format(
            period_start=period.start,
            period_end=period.end,
            number=order.number,
            subject=order.subject,
        )
    except (KeyError, IndexError, ValueError, AttributeError):
        raise ValidationError(
            "subject",
            template,
            "may only name {period_start}, {period_end}, {number} and {subject}",
        ) from None


def invoice_period(
    order: Order,
    period: Period,
    *,
    usage: Iterable[Usage] = (),
    id_factory: IdFactory = uuid4_ids,
) -> Invoice:
    """Build the draft invoice of one period: each recurring line once, plus the usage.

    The invoice is dated on the period's ``bill_on`` and due ``due_days`` later; its subject
    is the plan's template filled in, e.g. ``"Maintenance {period_start:%B %Y}"``.

    Args:
        order: the order, with a recurring plan.
        period: a period of the plan (see :func:`due_periods`).
        usage: measured quantities billed with the period, as extra lines.
        id_factory: makes the invoice's and its lines' ids.

    Raises:
        ValidationError: the order has no plan or it is disabled, there is nothing to bill,
            or the subject template names an unknown field.
    """
    plan = order.recurrence
    if plan is None or not plan.enabled:
        raise ValidationError("recurrence", plan, "must be an enabled plan to invoice a period")
    if not isinstance(period, Period):
        raise ValidationError("period", period, "must be a Period")
    lines = [
        order_part(line, line.quantity, line_id=id_factory())
        for line in order.lines
        if line.recurring
    ]
    for k, used in enumerate(usage):
        if not isinstance(used, Usage):
            raise ValidationError(f"usage[{k}]", used, "must be a Usage")
        lines.append(
            InvoiceLine(
                id=id_factory(),
                quantity=used.quantity,
                unit_price=used.unit_price,
                tax_rate=used.tax_rate,
                description=used.description,
                sku=used.sku,
            )
        )
    if not lines:
        raise ValidationError("lines", (), "must include a recurring line or usage to bill")
    return Invoice(
        id=id_factory(),
        customer_id=order.customer_id,
        currency=order.currency,
        lines=lines,
        order_id=order.id,
        subject=_subject(plan.subject, order, period) if plan.subject else order.subject,
        issued_on=period.bill_on,
        due_on=due_on(period.bill_on, plan.due_days),
        period_start=period.start,
        period_end=period.end,
    )


def change_recurrence(order: Order, plan: RecurringPlan | None) -> Order:
    """Return the order with a new recurring plan (None stops it).

    This is allowed even on a finalized order: Kafinea lets the recurrence settings change
    after an order is locked for good.

    >>> import datetime as dt
    >>> order = Order(customer_id="acme", currency="EUR",
    ...               finalized_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    >>> plan = RecurringPlan(start=dt.date(2027, 1, 1), frequency="yearly", enabled=False)
    >>> change_recurrence(order, plan).recurrence.enabled
    False
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    if plan is not None and not isinstance(plan, RecurringPlan):
        raise ValidationError("plan", plan, "must be a RecurringPlan or None")
    return attrs.evolve(order, recurrence=plan)
