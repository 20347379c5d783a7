"""Orders and quotes, their lines, attachments and recurring plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.errors import NotFound
from orderbook.ids import uuid4_ids
from orderbook.model.enums import Frequency, PeriodEdge, QuoteStatus
from orderbook.model.parties import Address
from orderbook.money import Money

__all__ = ["Attachment", "Order", "OrderLine", "Quote", "RecurringPlan"]


@attrs.frozen(kw_only=True)
class OrderLine:
    """One line of an order: a quantity of a product at a price, due on a date.

    A Mangrove "delivery" is a line with its own due date and price.

    Args:
        id: the line's id, unique within its order.
        sku: the product ordered.
        quantity: how much, a Decimal > 0 (credits and tonnes are fractional).
        unit_price: the price of one unit, at full precision.
        discount: a fraction from 0 to 1 taken off the line (0.1 is 10%).
        tax_rate: a fraction >= 0 (0.2 is 20%); None when not given, and then the book fixes
            it when the line is placed, from its workflow's tax rules or the product's rate
            (pricing reads an unset rate as 0).
        due_on: when the line is due to the customer.
        description: free text shown on documents.
        recurring: billed every period of the order's recurring plan (a subscription).

    >>> line = OrderLine(id="l1", sku="MANGROVE-A", quantity="500",
    ...                  unit_price=Money("18.50", "USD"), due_on=dt.date(2027, 6, 30))
    >>> line.quantity * line.unit_price.amount
    Decimal('9250.00')
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_price: Money = attrs.field(validator=f.money)
    discount: Decimal = attrs.field(default=Decimal(0), converter=f.decimal, validator=f.fraction)
    tax_rate: Decimal | None = attrs.field(
        default=None, converter=f.optional_decimal, validator=f.optional_non_negative
    )
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    description: str = attrs.field(default="", validator=f.text)
    recurring: bool = attrs.field(default=False, validator=f.boolean)


@attrs.frozen(kw_only=True)
class Attachment:
    """A reference to a document kept elsewhere: a signed contract, a customer's file."""

    name: str = attrs.field(validator=f.required_text)
    uri: str = attrs.field(validator=f.required_text)
    media_type: str = attrs.field(default="application/octet-stream", validator=f.required_text)


def _frequency(value: Frequency | str) -> Frequency:
    return f.to_enum(Frequency, value)


def _period_edge(value: PeriodEdge | str) -> PeriodEdge:
    return f.to_enum(PeriodEdge, value)


def _positive_integer(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    f.integer(instance, attribute, value)
    assert isinstance(value, int)
    if value < 1:
        raise f.fail(instance, attribute.name, value, "must be at least 1")


def _optional_positive_integer(
    instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None:
        _positive_integer(instance, attribute, value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class RecurringPlan:
    """How an order's recurring lines are billed: every ``interval`` ``frequency`` from ``start``.

    The plan ends on ``until`` or after ``count`` periods (at most one of the two), or never.
    ``bill_at`` dates each invoice at the start or the end of its period, ``due_days`` after
    which it is due. ``subject`` may name the period, e.g. ``"Maintenance {period_start:%B %Y}"``.

    >>> plan = RecurringPlan(start=dt.date(2027, 1, 31), frequency="monthly", count=12)
    >>> plan.frequency, plan.enabled
    (<Frequency.MONTHLY: 'monthly'>, True)
    """

    start: dt.date = attrs.field(validator=f.date)
    frequency: Frequency = attrs.field(converter=_frequency, validator=f.valid)
    interval: int = attrs.field(default=1, validator=_positive_integer)
    until: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    count: int | None = attrs.field(default=None, validator=_optional_positive_integer)
    due_days: int = attrs.field(default=0, validator=f.non_negative_integer)
    bill_at: PeriodEdge = attrs.field(
        default=PeriodEdge.START, converter=_period_edge, validator=f.valid
    )
    subject: str = attrs.field(default="", validator=f.text)
    enabled: bool = attrs.field(default=True, validator=f.boolean)

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.count is not None:
            raise f.fail(self, "count", self.count, "must not be given together with until")
        if self.until is not None and self.until < self.start:
            raise f.fail(self, "until", self.until, "must not be before start")


def _lines(value: Iterable[OrderLine]) -> tuple[OrderLine, ...]:
    return f.to_tuple(value)


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Order:
    """A customer's order: a header and its lines.

    Derived facts (totals, what is shipped, invoiced, paid) are not stored here; the rollups
    compute them from the order and its records.

    Args:
        id: the order's id.
        customer_id: who ordered; the customer must exist where a store is involved.
        currency: the ISO 4217 code of every amount on the order.
        lines: the order lines; line ids are unique and prices are in ``currency``.
        number: the human-facing order number.
        subject, contact, assigned_to: Kafinea's title, customer contact and sales rep.
        reference: the customer's own order number (an external reference).
        terms: payment or delivery terms, as text.
        billing_address, shipping_address: copied from the customer unless given.
        delivery_method, beneficiary: how and for whom goods or credits are delivered
            (Mangrove records retirement beneficiaries up front).
        priority: higher is served first when supply is scarce.
        placed_at: when the order was placed (timezone-aware).
        promised_on: the delivery date promised to the customer.
        expires_on: after this day an unconfirmed order expires.
        status: the workflow status code, stored as is.
        revision, supersedes: an amended order is a new revision superseding the old id.
        quote_id, contract_id: where the order came from.
        quote_number: the number of the quote it came from, as the customer knows it.
        finalized_at: set once when finalized; then only terms and recurrence may change.
        recurrence: the recurring billing plan, if any.
        attachments: documents attached to the order.
        version: the store's optimistic-concurrency counter.

    >>> order = Order(id="o1", customer_id="acme", currency="USD", lines=[
    ...     OrderLine(id="l1", sku="MANGROVE-A", quantity=500, unit_price=Money("18", "USD"))])
    >>> order.line("l1").quantity
    Decimal('500')
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    customer_id: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    lines: tuple[OrderLine, ...] = attrs.field(
        factory=tuple, converter=_lines, validator=f.tuple_of(OrderLine)
    )
    number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    contact: str = attrs.field(default="", validator=f.text)
    assigned_to: str = attrs.field(default="", validator=f.text)
    reference: str = attrs.field(default="", validator=f.text)
    terms: str = attrs.field(default="", validator=f.text)
    billing_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    shipping_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    delivery_method: str = attrs.field(default="", validator=f.text)
    beneficiary: str = attrs.field(default="", validator=f.text)
    priority: int = attrs.field(default=0, validator=f.integer)
    placed_at: dt.datetime | None = attrs.field(default=None, validator=f.optional_moment)
    promised_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    expires_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    status: str = attrs.field(default="draft", validator=f.required_text)
    revision: int = attrs.field(default=1, validator=_positive_integer)
    supersedes: str | None = attrs.field(default=None, validator=f.optional_text)
    quote_id: str | None = attrs.field(default=None, validator=f.optional_text)
    quote_number: str = attrs.field(default="", validator=f.text)
    contract_id: str | None = attrs.field(default=None, validator=f.optional_text)
    finalized_at: dt.datetime | None = attrs.field(default=None, validator=f.optional_moment)
    recurrence: RecurringPlan | None = attrs.field(
        default=None, validator=f.instance_of(RecurringPlan, optional=True)
    )
    attachments: tuple[Attachment, ...] = attrs.field(
        factory=tuple, converter=_attachments, validator=f.tuple_of(Attachment)
    )
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        f.check_lines(self, self.currency, self.lines, "unit_price")

    def line(self, line_id: str) -> OrderLine:
        """Return the line with that id.

        Raises:
            NotFound: the order has no such line.
        """
        for line in self.lines:
            if line.id == line_id:
                return line
        raise NotFound("order line", line_id)

    @property
    def finalized(self) -> bool:
        """Whether the order was finalized (Kafinea): locked for good."""
        return self.finalized_at is not None


def _quote_status(value: QuoteStatus | str) -> QuoteStatus:
    return f.to_enum(QuoteStatus, value)


@attrs.frozen(kw_only=True)
class Quote:
    """A proposal to a customer that may become an order (its lines carry over).

    >>> quote = Quote(customer_id="acme", currency="EUR", valid_until=dt.date(2027, 3, 1))
    >>> quote.status
    <QuoteStatus.DRAFT: 'draft'>
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    customer_id: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    lines: tuple[OrderLine, ...] = attrs.field(
        factory=tuple, converter=_lines, validator=f.tuple_of(OrderLine)
    )
    number: str = attrs.field(default="", validator=f.text)
    subject: str = attrs.field(default="", validator=f.text)
    contact: str = attrs.field(default="", validator=f.text)
    valid_until: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    status: QuoteStatus = attrs.field(
        default=QuoteStatus.DRAFT, converter=_quote_status, validator=f.valid
    )
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        f.check_lines(self, self.currency, self.lines, "unit_price")
