"""Supply: lots of stock or credits, and the purchase orders that bring more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.ids import uuid4_ids
from orderbook.model.enums import LotSource, SourceStatus
from orderbook.money import Money

__all__ = ["Lot", "PurchaseOrder", "PurchaseOrderLine"]


def _lot_source(value: LotSource | str) -> LotSource:
    return f.to_enum(LotSource, value)


def _source_status(value: SourceStatus | str | None) -> SourceStatus | None:
    return None if value is None else f.to_enum(SourceStatus, value)


def _status(value: SourceStatus | str) -> SourceStatus:
    return f.to_enum(SourceStatus, value)


@attrs.frozen(kw_only=True)
class Lot:
    """One source of supply for one product.

    A lot is stock on hand (or issued credits), or an expected supply: a forecast issuance, a
    manufacturing, purchase or transfer order, with the date it is expected.

    Args:
        id: the lot's id.
        sku: the product it supplies.
        quantity: how much it holds or will hold, a Decimal >= 0.
        source: on hand, forecast, manufacturing, purchase or transfer.
        source_status: how far an expected supply has got (requested ... received).
        source_ref: the number of the MO, PO or TO behind it.
        available_on: when an expected supply becomes available.
        ships_on: when a transfer is planned to leave its origin.
        expires_on: the last day it may be used.
        vintage: the year credits were generated (Mangrove), used for ranking.
        unit_cost: what one unit cost, used for ranking.
        location: the warehouse or registry that holds it.
        version: the store's optimistic-concurrency counter.

    >>> lot = Lot(id="issued-2021", sku="MANGROVE-A", quantity="5000")
    >>> lot.quantity, lot.source.expected
    (Decimal('5000'), False)
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    source: LotSource = attrs.field(
        default=LotSource.ON_HAND, converter=_lot_source, validator=f.valid
    )
    source_status: SourceStatus | None = attrs.field(
        default=None, converter=_source_status, validator=f.valid
    )
    source_ref: str | None = attrs.field(default=None, validator=f.optional_text)
    available_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    ships_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    expires_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    vintage: int | None = attrs.field(default=None, validator=f.optional_integer)
    unit_cost: Money | None = attrs.field(default=None, validator=f.optional_money)
    location: str | None = attrs.field(default=None, validator=f.optional_text)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)


@attrs.frozen(kw_only=True)
class PurchaseOrderLine:
    """A quantity of one product bought from a supplier, possibly for one order line."""

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_cost: Money | None = attrs.field(default=None, validator=f.optional_money)
    order_line_id: str | None = attrs.field(default=None, validator=f.optional_text)


def _purchase_lines(value: Iterable[PurchaseOrderLine]) -> tuple[PurchaseOrderLine, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class PurchaseOrder:
    """An order to a supplier: one per supplier when an order's lines must be procured.

    >>> po = PurchaseOrder(
    ...     supplier="Nordic Timber",
    ...     currency="EUR",
    ...     lines=[PurchaseOrderLine(sku="PLANK", quantity=40)],
    ... )
    >>> po.status, len(po.lines)
    (<SourceStatus.REQUESTED: 'requested'>, 1)
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    supplier: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    lines: tuple[PurchaseOrderLine, ...] = attrs.field(
        converter=_purchase_lines, validator=f.tuple_of(PurchaseOrderLine)
    )
    order_id: str | None = attrs.field(default=None, validator=f.optional_text)
    number: str = attrs.field(default="", validator=f.text)
    status: SourceStatus = attrs.field(
        default=SourceStatus.REQUESTED, converter=_status, validator=f.valid
    )
    expected_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        f.check_lines(self, self.currency, self.lines, "unit_cost")
