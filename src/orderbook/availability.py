"""Where the goods of a line stand, as of a date: MRPeasy's product and source statuses.

Nothing here is stored: every status is derived from the line, the allocations, the lots and
the shipments, on the day asked about. "Received" means received into stock, as MRPeasy
says: a lot on hand, or expected supply whose source status is ``received``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal

from orderbook._args import date_arg, items_arg
from orderbook.allocation.demand import Demand
from orderbook.allocation.policies import on_hand
from orderbook.errors import NotFound, ValidationError
from orderbook.model import (
    Allocation,
    Forfeit,
    Lot,
    LotSource,
    Order,
    OrderLine,
    Shipment,
    ShipmentKind,
    SourceStatus,
)
from orderbook.stock import stock_by_lot

__all__ = ["LineStatus", "SourceTimeliness", "line_status", "order_status", "source_status"]

_ZERO = Decimal(0)


class LineStatus(enum.StrEnum):
    """The status of the goods of one line (MRPeasy's product status), worst first.

    Members are listed from the worst to the best; :attr:`severity` gives that rank, and an
    order's status is its worst line's.
    """

    NOT_ENOUGH = "not_enough"  # allocated plus free supply, after higher priorities, falls short
    DELAYED = "delayed"  # will definitely be late
    NOT_BOOKED = "not_booked"  # not fully allocated, but free supply could cover it in time
    POSSIBLY_DELAYED = "possibly_delayed"  # a good chance it will be late
    REQUESTED = "requested"  # booked, but some supply is only requested
    EXPECTED_ON_TIME = "expected_on_time"  # booked and expected in time
    READY_FOR_SHIPMENT = "ready_for_shipment"  # booked and all in stock
    DELIVERED = "delivered"  # all shipped

    @property
    def label(self) -> str:
        """MRPeasy's words: ``"Not enough"``, ``"Ready for shipment"``, ..."""
        return self.value.replace("_", " ").capitalize()

    @property
    def severity(self) -> int:
        """0 for the worst status (not enough), 7 for the best (delivered)."""
        return _SEVERITY[self]

    @classmethod
    def worst(cls, statuses: Iterable[LineStatus]) -> LineStatus:
        """The worst of some statuses.

        Raises:
            ValidationError: there are none.

        >>> LineStatus.worst([LineStatus.REQUESTED, LineStatus.DELAYED]).label
        'Delayed'
        """
        found = list(statuses)
        if not found:
            raise ValidationError("statuses", found, "must not be empty")
        return min(found, key=_SEVERITY.__getitem__)


_SEVERITY = {status: rank for rank, status in enumerate(LineStatus)}


class SourceTimeliness(enum.StrEnum):
    """Whether one expected supply (MO, PO, TO, forecast) will be there in time."""

    REQUESTED = "requested"
    EXPECTED_ON_TIME = "expected_on_time"
    POSSIBLY_DELAYED = "possibly_delayed"
    DELAYED = "delayed"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        """MRPeasy's words: ``"Expected on time"``, ``"Received"``, ..."""
        return self.value.replace("_", " ").capitalize()


_FOR_LINE = {
    SourceTimeliness.REQUESTED: LineStatus.REQUESTED,
    SourceTimeliness.EXPECTED_ON_TIME: LineStatus.EXPECTED_ON_TIME,
    SourceTimeliness.POSSIBLY_DELAYED: LineStatus.POSSIBLY_DELAYED,
    SourceTimeliness.DELAYED: LineStatus.DELAYED,
    SourceTimeliness.RECEIVED: LineStatus.READY_FOR_SHIPMENT,
}


def source_status(lot: Lot, *, needed_on: dt.date | None, as_of: dt.date) -> SourceTimeliness:
    """Whether a lot's supply will be there by the day it is needed, as of a date.

    The rules, first match wins:

    - received: the lot is on hand, or its source status is ``received``;
    - delayed: it is expected after ``needed_on`` (an MO finishing after the delivery date, a
      PO expected after it), or ``needed_on`` has passed; a transfer whose planned arrival
      (``available_on``) has passed;
    - possibly delayed: its expected day has passed (an MO not finished on time); a transfer
      whose planned shipment (``ships_on``) has passed and that has not shipped (its source
      status is neither ``in_progress`` nor ``received``); it is expected on ``needed_on``;
    - requested: its source status is ``requested`` (not yet ordered or scheduled);
    - expected on time: otherwise.

    Args:
        lot: the supply.
        needed_on: the day the goods are due to the customer; None when undated.
        as_of: the day asked about.

    >>> po = Lot(sku="PLANK", quantity=40, source="purchase", source_status="confirmed",
    ...          available_on=dt.date(2027, 3, 10))
    >>> [source_status(po, needed_on=dt.date(2027, 3, day), as_of=dt.date(2027, 3, 1)).label
    ...  for day in (9, 10, 11)]
    ['Delayed', 'Possibly delayed', 'Expected on time']
    """
    if not isinstance(lot, Lot):
        raise ValidationError("lot", lot, "must be a Lot")
    date_arg("as_of", as_of)
    if needed_on is not None:
        date_arg("needed_on", needed_on)
    if on_hand(lot):
        return SourceTimeliness.RECEIVED
    expected_on = lot.available_on
    if needed_on is not None and (
        needed_on < as_of or (expected_on is not None and expected_on > needed_on)
    ):
        return SourceTimeliness.DELAYED
    overdue = expected_on is not None and expected_on < as_of
    if overdue and lot.source is LotSource.TRANSFER:
        return SourceTimeliness.DELAYED
    not_shipped = lot.source_status not in (SourceStatus.IN_PROGRESS, SourceStatus.RECEIVED)
    late_to_ship = (
        lot.source is LotSource.TRANSFER
        and lot.ships_on is not None
        and lot.ships_on < as_of
        and not_shipped
    )
    if overdue or late_to_ship or (needed_on is not None and expected_on == needed_on):
        return SourceTimeliness.POSSIBLY_DELAYED
    if lot.source_status is SourceStatus.REQUESTED:
        return SourceTimeliness.REQUESTED
    return SourceTimeliness.EXPECTED_ON_TIME


def _settled(
    line: OrderLine,
    order_id: str | None,
    shipments: Iterable[Shipment],
    forfeits: Iterable[Forfeit],
    as_of: dt.date,
) -> Decimal:
    """What of the line has left for good by ``as_of``: shipped less returned, and forfeited."""
    settled = _ZERO
    for shipment in shipments:
        if not isinstance(shipment, Shipment):
            raise ValidationError("shipments", shipment, "must be a list of Shipment")
        if shipment.cancelled or shipment.shipped_on > as_of:
            continue
        if order_id is not None and shipment.order_id != order_id:
            continue
        sign = -1 if shipment.kind is ShipmentKind.RETURN else 1
        settled += sum((sign * i.quantity for i in shipment.items if i.line_id == line.id), _ZERO)
    for forfeit in forfeits:
        if not isinstance(forfeit, Forfeit):
            raise ValidationError("forfeits", forfeit, "must be a list of Forfeit")
        if forfeit.line_id == line.id and (order_id is None or forfeit.order_id == order_id):
            settled += forfeit.quantity
    return settled


def _check_priority(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("priority", value, "must be an int")
    return value


def _demand_ahead(
    line: OrderLine, order_id: str | None, priority: int, ahead: Iterable[Demand]
) -> Decimal:
    """What orders of strictly higher priority still need of the line's product, unbooked."""
    return sum(
        (
            demand.quantity
            for demand in items_arg("ahead", ahead, Demand)
            if demand.sku == line.sku
            and demand.priority > priority
            and (order_id is None or demand.order_id != order_id)
        ),
        _ZERO,
    )


def _free(
    line: OrderLine, held: tuple[Allocation, ...], lots: tuple[Lot, ...], as_of: dt.date
) -> Decimal:
    """The free supply of the line's product: lots not expired, less every allocation's hold."""
    usable = [
        lot
        for lot in lots
        if lot.sku == line.sku and not (lot.expires_on and lot.expires_on < as_of)
    ]
    committing = {allocation.order_id for allocation in held}
    stocks = stock_by_lot(usable, held, committing=committing)
    return sum((stock.remaining for stock in stocks.values()), _ZERO)


def line_status(
    line: OrderLine,
    allocations: Iterable[Allocation],
    lots: Iterable[Lot],
    shipments: Iterable[Shipment] = (),
    *,
    as_of: dt.date,
    order_id: str | None = None,
    forfeits: Iterable[Forfeit] = (),
    due_on: dt.date | None = None,
    priority: int = 0,
    ahead: Iterable[Demand] = (),
) -> LineStatus:
    """The status of a line's goods as of a date (MRPeasy's product status).

    - delivered: everything shipped (less returns) or forfeited by ``as_of``;
    - when less is allocated than is open: not enough if what is allocated plus the free
      supply of the product (lots not expired, less every allocation's hold), less what
      orders of higher priority still need (``ahead``), cannot cover it; else delayed once
      the due date has passed; else not booked;
    - otherwise the worst of the allocated lots' :func:`source_status`, where a received lot
      counts as ready for shipment; and when not everything is received, a line due today is
      at least possibly delayed, and one past due is delayed. A booked line keeps its
      booking: orders of higher priority do not change its status.

    Args:
        line: the order line.
        allocations: every allocation that holds stock (of all orders, in committing
            statuses): this line's are its booking, the others reduce the free supply.
        lots: the lots of the line's product, including every one the line draws on.
        shipments: the order's shipments (deliveries and returns).
        as_of: the day asked about.
        order_id: when given, only this order's allocations, shipments and forfeits count as
            the line's (use it when line ids repeat across orders).
        forfeits: what the customer gave up.
        due_on: the day the line is due, when not its own ``due_on``.
        priority: the priority of the line's order.
        ahead: the open, not yet allocated demand of other orders; those of the line's
            product with a strictly higher ``priority`` (and of another order than
            ``order_id``) will take from the free supply first (MRPeasy: "there will be
            insufficient products for this order after shipping orders with higher
            priority").

    Raises:
        NotFound: an allocation of the line draws on a lot that is not given.
        ValidationError: an input is not what it should be.

    >>> from orderbook import Money
    >>> line = OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("3", "EUR"),
    ...                  due_on=dt.date(2027, 3, 10))
    >>> shelf = Lot(id="shelf", sku="PLANK", quantity=100)
    >>> booked = Allocation(order_id="o1", line_id="l1", lot_id="shelf", sku="PLANK",
    ...                     quantity=40)
    >>> line_status(line, [], [shelf], as_of=dt.date(2027, 3, 1)).label
    'Not booked'
    >>> line_status(line, [booked], [shelf], as_of=dt.date(2027, 3, 1)).label
    'Ready for shipment'
    >>> rush = Demand(line_id="r1", order_id="o2", sku="PLANK", quantity=70, priority=5)
    >>> line_status(line, [], [shelf], as_of=dt.date(2027, 3, 1), ahead=[rush]).label
    'Not enough'
    >>> line_status(line, [], [shelf], as_of=dt.date(2027, 3, 11)).label
    'Delayed'
    """
    if not isinstance(line, OrderLine):
        raise ValidationError("line", line, "must be an OrderLine")
    date_arg("as_of", as_of)
    mine_first = _check_priority(priority)
    due = due_on if due_on is not None else line.due_on
    held = items_arg("allocations", allocations, Allocation)
    lot_tuple = items_arg("lots", lots, Lot, unique_ids=True)
    before_mine = _demand_ahead(line, order_id, mine_first, ahead)
    open_quantity = line.quantity - _settled(line, order_id, shipments, forfeits, as_of)
    if open_quantity <= 0:
        return LineStatus.DELIVERED
    mine = [
        a for a in held if a.line_id == line.id and (order_id is None or a.order_id == order_id)
    ]
    booked = sum((a.quantity for a in mine), _ZERO)
    if booked < open_quantity:
        if booked + _free(line, held, lot_tuple, as_of) - before_mine < open_quantity:
            return LineStatus.NOT_ENOUGH
        if due is not None and due < as_of:
            return LineStatus.DELAYED
        return LineStatus.NOT_BOOKED
    by_id = {lot.id: lot for lot in lot_tuple}
    statuses = []
    for allocation in mine:
        lot = by_id.get(allocation.lot_id)
        if lot is None:
            raise NotFound("lot", allocation.lot_id)
        statuses.append(_FOR_LINE[source_status(lot, needed_on=due, as_of=as_of)])
    status = LineStatus.worst(statuses)
    if status is not LineStatus.READY_FOR_SHIPMENT and due is not None:
        if due < as_of:
            status = LineStatus.DELAYED
        elif due == as_of:
            status = LineStatus.worst([status, LineStatus.POSSIBLY_DELAYED])
    return status


def order_status(
    order: Order,
    allocations: Iterable[Allocation],
    lots: Iterable[Lot],
    shipments: Iterable[Shipment] = (),
    *,
    as_of: dt.date,
    forfeits: Iterable[Forfeit] = (),
    ahead: Iterable[Demand] = (),
) -> LineStatus | None:
    """The status of an order's goods: its worst line's (None for an order with no lines).

    A line without a due date is due on the order's ``promised_on``. Arguments are those of
    :func:`line_status`; only the order's own allocations, shipments and forfeits count as
    its lines', and the demand ``ahead`` counts where its priority is above the order's.

    >>> from orderbook import Money
    >>> order = Order(id="o1", customer_id="acme", currency="EUR", lines=[
    ...     OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("3", "EUR"))])
    >>> order_status(order, [], [], as_of=dt.date(2027, 3, 1)).label
    'Not enough'
    """
    if not isinstance(order, Order):
        raise ValidationError("order", order, "must be an Order")
    held = items_arg("existing", allocations, Allocation)
    lot_tuple = items_arg("lots", lots, Lot, unique_ids=True)
    shipment_list = tuple(shipments)
    forfeit_list = tuple(forfeits)
    others = items_arg("ahead", ahead, Demand)
    statuses = [
        line_status(
            line,
            held,
            lot_tuple,
            shipment_list,
            as_of=as_of,
            order_id=order.id,
            forfeits=forfeit_list,
            due_on=line.due_on or order.promised_on,
            priority=order.priority,
            ahead=others,
        )
        for line in order.lines
    ]
    return LineStatus.worst(statuses) if statuses else None
