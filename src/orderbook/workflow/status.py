"""Statuses and workflow settings: what a status means, and what the book must obey.

A :class:`Status` is a stable ``code`` (what gets stored on the order), the source product's
own ``label``, and flags that say what an order in it may do. :class:`Settings` hold the
workflow-wide choices that the book obeys when it places, allocates and bills.

>>> signed = Status("signed", "Signed", commits=True, editable=True)
>>> signed.code, signed.label, signed.commits, signed.manual
('signed', 'Signed', True, True)
>>> Status("Signed", "Signed")
Traceback (most recent call last):
...
orderbook.errors.ValidationError: Status: code must be snake_case (a-z, 0-9 and _), got 'Signed'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.billing.taxes import TaxRules
from orderbook.workflow.counting import DEFAULT_COUNTING, CountingRules

__all__ = ["InvoiceMethod", "Settings", "Status"]

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def is_snake_case(value: object) -> bool:
    """Whether ``value`` is a str in stable snake_case, as status codes must be."""
    return isinstance(value, str) and _SNAKE.fullmatch(value) is not None


def _code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_snake_case(value):
        raise f.fail(instance, attribute.name, value, "must be snake_case (a-z, 0-9 and _)")


@attrs.frozen
class Status:
    """One status of a workflow: a stored code, the product's label, and what it allows.

    Args:
        code: stable snake_case, stored on the order (``"waiting_for_confirmation"``).
        label: the source product's exact words (``"Waiting for Confirmation"``).
        commits: the order's allocations hold inventory (take from what others can use).
        editable: the order's lines may change.
        locked: nothing of the order may change (its status may still move on).
        terminal: no way out; e.g. a cancelled order cannot be restored.
        releases: entering it deletes every allocation of the order (the book does that).
        manual: a person may pick it; otherwise only automatic rules enter it.
        billable: invoices may be made for the order in it.
        shippable: shipments may be made for the order in it.
        customer_visible: a customer portal may show the order in it.
        cancels: the status that cancelling (``book.cancel``) moves the order to; a workflow
            has at most one. It must be manual (a transition enters it) and must not commit
            (cancelling deletes the order's allocations). It need not be terminal: a
            workflow may let a cancelled order be restored.
        description: free text for people, shown nowhere by the engine.

    Raises:
        ValidationError: a code that is not snake_case, an empty label, a flag that is not a
            bool, or contradicting flags (``editable`` with ``locked``, ``releases`` with
            ``commits``, ``cancels`` with ``commits`` or without ``manual``).
    """

    code: str = attrs.field(validator=_code)
    label: str = attrs.field(validator=f.required_text)
    commits: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    editable: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    locked: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    terminal: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    releases: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    manual: bool = attrs.field(default=True, kw_only=True, validator=f.boolean)
    billable: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    shippable: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    customer_visible: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    cancels: bool = attrs.field(default=False, kw_only=True, validator=f.boolean)
    description: str = attrs.field(default="", kw_only=True, validator=f.text)

    def __attrs_post_init__(self) -> None:
        if self.editable and self.locked:
            raise f.fail(self, "editable", True, "must be False when the status is locked")
        if self.releases and self.commits:
            raise f.fail(self, "commits", True, "must be False when entering the status releases")
        if self.cancels and self.commits:
            raise f.fail(self, "commits", True, "must be False when the status cancels")
        if self.cancels and not self.manual:
            raise f.fail(
                self,
                "manual",
                False,
                "must be True when the status cancels: a transition enters it",
            )


class InvoiceMethod(enum.StrEnum):
    """When the book makes invoices by itself.

    ``MANUAL``: only when asked. ``ON_ORDER``: the whole order once it commits.
    ``ON_SHIPMENT``: what shipped, at once (b-op).
    """

    MANUAL = "manual"
    ON_ORDER = "on_order"
    ON_SHIPMENT = "on_shipment"


def _invoice_method(value: InvoiceMethod | str) -> InvoiceMethod:
    return f.to_enum(InvoiceMethod, value)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class Settings:
    """Workflow-wide choices that the book obeys.

    Args:
        allocate_on_place: placing (saving) an order allocates its lines at once (Mangrove
            fulfils a delivery as soon as it is saved).
        require_availability: a line may only be saved when issued plus expected supply can
            cover it (Mangrove).
        invoice_method: manual, on order, or on shipment (b-op bills what shipped at once).
        to_bill: the status codes in which an order is listed as waiting to be billed
            (Dolibarr's "Order to Bill", which users set to Validated or to Delivered).
        visible_once_finalized: the customer portal shows an order only once it is
            finalized (Kafinea), on top of its status being ``customer_visible``.
        counting: how the order's figures are counted: which documents count as invoiced,
            what payments are measured against, the over-delivery tolerance, the tax
            rounding and the words of the invoice and payment states. Every view of the book
            reads them.
        tax_rules: the rates by the customer's tax region and the product's tax category
            that a line placed without a tax rate takes.

    >>> Settings(invoice_method="on_shipment").invoice_method
    <InvoiceMethod.ON_SHIPMENT: 'on_shipment'>
    >>> Settings().counting.payments, Settings().tax_rules.rates
    (<PaymentBasis.INVOICED: 'invoiced'>, ())
    """

    allocate_on_place: bool = attrs.field(default=False, validator=f.boolean)
    require_availability: bool = attrs.field(default=False, validator=f.boolean)
    invoice_method: InvoiceMethod = attrs.field(
        default=InvoiceMethod.MANUAL, converter=_invoice_method, validator=f.valid
    )
    to_bill: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_codes, validator=f.tuple_of(str)
    )
    visible_once_finalized: bool = attrs.field(default=False, validator=f.boolean)
    counting: CountingRules = attrs.field(
        default=DEFAULT_COUNTING, validator=f.instance_of(CountingRules)
    )
    tax_rules: TaxRules = attrs.field(factory=TaxRules, validator=f.instance_of(TaxRules))
