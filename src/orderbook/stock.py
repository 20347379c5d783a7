"""What a lot has: its quantity, what committing orders hold of it, what others hold
tentatively, and what remains free. The one place these figures are computed.

Only the allocations of orders whose status commits inventory take from a lot; those of
orders in a status that does not commit (a draft, an expired or cancelled order) are tentative
and take nothing from what others can use. A lot's quantity already has what was shipped from
it taken off, so shipments are not counted here.

>>> from orderbook import Allocation, Lot
>>> shelf = Lot(id="shelf", sku="TEA", quantity=10)
>>> held = [Allocation(order_id="o1", line_id="l1", lot_id="shelf", sku="TEA", quantity=4),
...         Allocation(order_id="o2", line_id="l1", lot_id="shelf", sku="TEA", quantity=1)]
>>> stock = lot_stock(shelf, held, committing={"o1"})
>>> stock.quantity, stock.committed, stock.tentative, stock.remaining
(Decimal('10'), Decimal('4'), Decimal('1'), Decimal('6'))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from orderbook import _fields as f
from orderbook._args import items_arg
from orderbook.errors import NotFound, ValidationError
from orderbook.model import Allocation, Lot, Order

if TYPE_CHECKING:
    from orderbook.workflow import Workflow

__all__ = ["LotStock", "committing_orders", "free_by_lot", "lot_stock", "stock_by_lot"]

_ZERO = Decimal(0)
_NOTHING = (_ZERO, _ZERO)


@attrs.frozen(kw_only=True)
class LotStock:
    """A lot and what of it is held.

    Args:
        lot: the lot.
        committed: held by allocations of orders in committing statuses.
        tentative: held by allocations of orders in statuses that do not commit; these take
            nothing from what others can use.

    >>> from orderbook import Lot
    >>> LotStock(lot=Lot(id="shelf", sku="TEA", quantity=10), committed=4, tentative=1).remaining
    Decimal('6')
    """

    lot: Lot = attrs.field(validator=f.instance_of(Lot))
    committed: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    tentative: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)

    @property
    def quantity(self) -> Decimal:
        """The lot's quantity (what shipments left of it)."""
        return self.lot.quantity

    @property
    def remaining(self) -> Decimal:
        """What others can still use: the lot's quantity less what is committed, at least 0."""
        return _free(self.lot.quantity, self.committed)


def committing_orders(orders: Iterable[Order], workflow: Workflow) -> frozenset[str]:
    """The ids of the orders whose status commits inventory in a workflow.

    An order in a status the workflow does not have commits nothing.

    Raises:
        ValidationError: ``orders`` is not a list or tuple of orders.

    >>> from orderbook import Order, presets
    >>> orders = [Order(id="o1", customer_id="acme", currency="EUR", status="confirmed"),
    ...           Order(id="o2", customer_id="acme", currency="EUR", status="draft")]
    >>> sorted(committing_orders(orders, presets.standard()))
    ['o1']
    """
    found = set()
    for order in items_arg("orders", orders, Order):
        try:
            if workflow.status(order.status).commits:
                found.add(order.id)
        except NotFound:
            continue
    return frozenset(found)


def lot_stock(
    lot: Lot, allocations: Iterable[Allocation], *, committing: Collection[str]
) -> LotStock:
    """What a lot has committed, tentatively held and free.

    Args:
        lot: the lot.
        allocations: allocations; those of other lots are left out.
        committing: the ids of the orders whose status commits inventory (see
            :func:`committing_orders`); every other order's allocations are tentative.

    Raises:
        ValidationError: ``lot`` is not a Lot, or ``allocations`` not allocations.
    """
    if not isinstance(lot, Lot):
        raise ValidationError("lot", lot, "must be a Lot")
    held = _held(items_arg("allocations", allocations, Allocation), {lot.id}, committing)
    return _stock(lot, held)


def stock_by_lot(
    lots: Iterable[Lot], allocations: Iterable[Allocation], *, committing: Collection[str]
) -> dict[str, LotStock]:
    """The :func:`lot_stock` of each of some lots, by lot id; allocations of lots not given
    are left out.

    Raises:
        ValidationError: ``lots`` is not lots with unique ids, or ``allocations`` not
            allocations.

    >>> from orderbook import Allocation, Lot
    >>> lots = [Lot(id="a", sku="TEA", quantity=5), Lot(id="b", sku="TEA", quantity=2)]
    >>> held = [Allocation(order_id="o1", line_id="l1", lot_id="b", sku="TEA", quantity=3)]
    >>> {lot_id: s.remaining for lot_id, s in stock_by_lot(lots, held, committing={"o1"}).items()}
    {'a': Decimal('5'), 'b': Decimal('0')}
    """
    lot_tuple = items_arg("lots", lots, Lot, unique_ids=True)
    checked = items_arg("allocations", allocations, Allocation)
    held = _held(checked, {lot.id for lot in lot_tuple}, committing)
    return {lot.id: _stock(lot, held) for lot in lot_tuple}


def free_by_lot(
    lots: tuple[Lot, ...], allocations: tuple[Allocation, ...], *, committing: Collection[str]
) -> dict[str, Decimal]:
    """What each lot has free (:attr:`LotStock.remaining`), by lot id, for lots and
    allocations the caller has already checked: the allocator's path, which builds no
    LotStock and checks nothing again.

    >>> from orderbook import Allocation, Lot
    >>> lots = (Lot(id="a", sku="TEA", quantity=5), Lot(id="b", sku="TEA", quantity=2))
    >>> held = (Allocation(order_id="o1", line_id="l1", lot_id="b", sku="TEA", quantity=3),)
    >>> free_by_lot(lots, held, committing={"o1"})
    {'a': Decimal('5'), 'b': Decimal('0')}
    """
    held = _held(allocations, {lot.id for lot in lots}, committing)
    return {lot.id: _free(lot.quantity, held.get(lot.id, _NOTHING)[0]) for lot in lots}


def _free(quantity: Decimal, committed: Decimal) -> Decimal:
    return max(quantity - committed, _ZERO)


def _held(
    allocations: tuple[Allocation, ...], lot_ids: Collection[str], committing: Collection[str]
) -> dict[str, list[Decimal]]:
    """[committed, tentative] of each of some lots that is allocated, by lot id."""
    held: dict[str, list[Decimal]] = {}
    for allocation in allocations:
        lot_id = allocation.lot_id
        if lot_id not in lot_ids:
            continue
        sums = held.get(lot_id)
        if sums is None:
            sums = held[lot_id] = [_ZERO, _ZERO]
        sums[allocation.order_id not in committing] += allocation.quantity
    return held


def _stock(lot: Lot, held: dict[str, list[Decimal]]) -> LotStock:
    committed, tentative = held.get(lot.id, _NOTHING)
    return LotStock(lot=lot, committed=committed, tentative=tentative)
