"""Commands over an order's life: place, edit, move, cancel, finalize, amend, copy, delete.

>>> import datetime as dt
>>> from orderbook import Money, OrderLine
>>> command = PlaceOrder(customer_id="acme", order_id="o1", lines=[
...     OrderLine(id="l1", sku="TEA", quantity=3, unit_price=Money("4.99", "EUR"))])
>>> command.lines[0].quantity, command.priority
(Decimal('3'), 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.commands._convert import by_field, lines_validator, order_lines
from orderbook.model import Address, Attachment, Order, OrderLine, RecurringPlan

__all__ = [
    "EDITABLE_HEADER",
    "AcceptQuote",
    "Amend",
    "Cancel",
    "ChangeRecurrence",
    "ChangeStatus",
    "ConvertQuote",
    "DeleteOrder",
    "Duplicate",
    "EditLines",
    "EditOrder",
    "Finalize",
    "PlaceOrder",
]

EDITABLE_HEADER: tuple[str, ...] = (
    "billing_address",
    "shipping_address",
    "terms",
    "subject",
    "contact",
    "assigned_to",
    "reference",
    "delivery_method",
    "beneficiary",
    "promised_on",
    "expires_on",
    "priority",
)
"""The header fields of an order that :class:`EditOrder` changes."""

_ORDER_FIELDS = attrs.fields_dict(Order)


def _changes(value: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    if not isinstance(value, Mapping):
        return cast(tuple[tuple[str, object], ...], f.Invalid(value, "must map fields to values"))
    return tuple(sorted(value.items(), key=lambda pair: str(pair[0])))


def _header_changes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Fields of the header that EditOrder changes, each value valid as the Order's field."""
    f.valid(instance, attribute, value)
    pairs = cast(tuple[tuple[str, object], ...], value)
    if not pairs:
        raise f.fail(instance, attribute.name, {}, "must change at least one field")
    for name, given in pairs:
        if name not in EDITABLE_HEADER:
            raise f.fail(
                instance,
                attribute.name,
                name,
                f"must name fields among {', '.join(EDITABLE_HEADER)}",
            )
        field = _ORDER_FIELDS[name]
        assert field.validator is not None, name  # every header field checks its value
        field.validator(instance, field, given)  # the Order's own check of the field


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class PlaceOrder:
    """Place an order with its lines, for an existing customer.

    The order takes the customer's currency and, unless given, its billing and shipping
    addresses; it starts in the workflow's initial status, placed at the clock's moment.
    Every line's SKU must be a product of the book. Where the workflow says so, placing
    checks that supply can cover every line and allocates at once; a customer with an
    auto-accept limit gets the acceptance verdict, which automatic rules may act on.

    Args:
        customer_id: who orders; the customer must exist.
        lines: the order lines, at least one, ids unique.
        order_id: the new order's id; made by the book's id factory when None.
        number, subject, contact, assigned_to, reference, terms, delivery_method,
            beneficiary, priority, promised_on, expires_on, recurrence, attachments: as on
            :class:`~orderbook.Order`.
        billing_address, shipping_address: the customer's unless given.
        by: who places it.
    """

    customer_id: str = attrs.field(validator=f.required_text)
    lines: tuple[OrderLine, ...] = attrs.field(converter=order_lines, validator=lines_validator())
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
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
    promised_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    expires_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    recurrence: RecurringPlan | None = attrs.field(
        default=None, validator=f.instance_of(RecurringPlan, optional=True)
    )
    attachments: tuple[Attachment, ...] = attrs.field(
        factory=tuple, converter=_attachments, validator=f.tuple_of(Attachment)
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class EditLines:
    """Replace an order's lines, where its status is editable and it is not locked.

    Lines keep their ids to stay the same line. A line that has shipments, forfeits or
    invoices may not be removed, nor shrink below what was delivered and forfeited.
    Allocations of removed lines are released, and those above a shrunk line's open
    quantity too (newest first).

    Args:
        order_id: the order.
        lines: its new lines, at least one.
        by: who edits it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    lines: tuple[OrderLine, ...] = attrs.field(converter=order_lines, validator=lines_validator())
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class EditOrder:
    """Change fields of an order's header, where its status is editable.

    The fields are :data:`EDITABLE_HEADER`: the addresses, terms, subject, contact, assigned
    to, reference, delivery method and beneficiary, promised date, expiry and priority. Once
    the order is finalized only the terms may change (Kafinea).

    Args:
        order_id: the order.
        changes: ``{field: new value}``, each value valid as the order's own field.
        by: who edits it.

    >>> EditOrder(order_id="o1", changes={"terms": "Net 30", "priority": 2}).changes
    (('priority', 2), ('terms', 'Net 30'))
    >>> EditOrder(order_id="o1", changes={"lines": []})
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: EditOrder: changes must name fields among ...
    """

    order_id: str = attrs.field(validator=f.required_text)
    changes: tuple[tuple[str, object], ...] = attrs.field(
        converter=_changes, validator=_header_changes
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class ChangeRecurrence:
    """Change or stop an order's recurring invoicing: allowed even once it is finalized.

    Kafinea: "Even after the order has been finalized, you can still modify the recurring
    settings (activation, frequency, dates, preferences)." Periods already invoiced stay
    invoiced; the next due ones follow the new plan.

    Args:
        order_id: the order.
        plan: the new plan; None stops recurring invoicing.
        by: who changes it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    plan: RecurringPlan | None = attrs.field(validator=f.instance_of(RecurringPlan, optional=True))
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class ChangeStatus:
    """Move an order by hand to another status, if the workflow allows it now.

    Entering a status that ``releases`` deletes the order's allocations; entering a status
    that commits from one that does not keeps only the tentative allocations that still fit
    in their lots.

    Args:
        order_id: the order.
        to: the code of the status to enter.
        by: who moves it.
        reason: why, in the person's words.
    """

    order_id: str = attrs.field(validator=f.required_text)
    to: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()
    reason: str | None = attrs.field(default=None, validator=f.optional_text)


@attrs.frozen(kw_only=True)
class Cancel:
    """Cancel an order: take the workflow's cancel transition and release every allocation.

    Args:
        order_id: the order.
        by: who cancels it.
        reason: why.
    """

    order_id: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()
    reason: str | None = attrs.field(default=None, validator=f.optional_text)


@attrs.frozen(kw_only=True)
class Finalize:
    """Finalize an order (Kafinea): lock it for good, except its terms and recurring plan.

    Args:
        order_id: the order.
        by: who finalizes it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class Amend:
    """Amend an order (b-op): a new revision with new lines supersedes it.

    The new revision keeps the number, customer and status, takes the next revision number
    and the id that says so (``o-1~r2`` amends ``o-1``, ``o-1~r3`` amends ``o-1~r2``),
    and takes over the shipments, forfeits, invoices, payments and allocations of the old
    one, which stays readable and becomes read-only. Lines keep their ids to stay the same
    line; a line with shipments or invoices may not be dropped.

    Args:
        order_id: the revision to amend; it must be the newest one.
        lines: the new revision's lines.
        by: who amends it.
        reason: why.
    """

    order_id: str = attrs.field(validator=f.required_text)
    lines: tuple[OrderLine, ...] = attrs.field(converter=order_lines, validator=lines_validator())
    by: str | None = by_field()
    reason: str | None = attrs.field(default=None, validator=f.optional_text)


@attrs.frozen(kw_only=True)
class Duplicate:
    """Copy an order into a new one, placed now in the initial status (as PlaceOrder).

    Args:
        order_id: the order to copy.
        new_order_id: the copy's id; made by the id factory when None.
        by: who copies it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    new_order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class ConvertQuote:
    """Turn a quote into an order placed now, keeping the link; the quote stays as it is.

    Args:
        quote_id: the quote; a declined quote cannot become an order.
        order_id: the new order's id; made by the id factory when None.
        number: the order's number; the quote's number is kept as its ``quote_number``.
        billing_address, shipping_address: the customer's unless given.
        by: who converts it.
    """

    quote_id: str = attrs.field(validator=f.required_text)
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    number: str = attrs.field(default="", validator=f.text)
    billing_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    shipping_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class AcceptQuote:
    """Mark a quote accepted and create its draft order (Dolibarr closes a proposal so).

    Args:
        quote_id: the quote; it must be neither accepted nor declined already.
        order_id: the new order's id; made by the id factory when None.
        number: the order's number; the quote's number is kept as its ``quote_number``.
        billing_address, shipping_address: the customer's unless given.
        by: who accepts it.
    """

    quote_id: str = attrs.field(validator=f.required_text)
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    number: str = attrs.field(default="", validator=f.text)
    billing_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    shipping_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    by: str | None = by_field()


@attrs.frozen(kw_only=True)
class DeleteOrder:
    """Delete an order for good (Dolibarr), with its allocations, forfeits and draft invoices.

    Refused, with the reason, when the order has a shipment, an issued (or once issued)
    invoice or a payment, is finalized, or was superseded. The event log keeps the fact of
    the deletion (id, number, when, by whom), not the order.

    Args:
        order_id: the order.
        by: who deletes it.
    """

    order_id: str = attrs.field(validator=f.required_text)
    by: str | None = by_field()
