"""Orders that arrive as documents: what a buyer's order says, and the order it places.

A :class:`DigitalOrder` is what :func:`~orderbook.einvoice.parse_order` reads from a UBL
Order or an Order-X order: the buyer as the document names it, the buyer's order number,
and lines of the seller's item ids. :func:`match_customer` finds the buyer among the book's
customers (by electronic address, then by VAT id), and
:func:`~orderbook.einvoice.place_order_command` turns the document into the
:class:`~orderbook.commands.PlaceOrder` it asks for. Both are pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.errors import NotFound, ValidationError
from orderbook.model import Customer, ElectronicAddress
from orderbook.model.parties import valid_vat_id
from orderbook.money import Money

__all__ = [
    "DigitalOrder",
    "DigitalOrderLine",
    "match_customer",
]


@attrs.frozen(kw_only=True)
class DigitalOrderLine:
    """One line of a buyer's order document.

    Args:
        line_id: the buyer's id of the line.
        sku: the seller's item id: the product's SKU.
        quantity: how much is ordered.
        unit_price: the price of one unit the buyer expects; None when the document gives
            none (the product's list price then applies).
        due_on: the delivery date the buyer asks for.
        name: the item's name on the document.
        element: where the line is in the document, for errors (``"OrderLine[2]"``).
    """

    line_id: str = attrs.field(validator=f.required_text)
    sku: str = attrs.field(validator=f.required_text)
    quantity: Decimal = attrs.field(converter=f.decimal, validator=f.positive)
    unit_price: Money | None = attrs.field(default=None, validator=f.optional_money)
    due_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    name: str = attrs.field(default="", validator=f.text)
    element: str = attrs.field(default="", validator=f.text)


def _lines(value: Iterable[DigitalOrderLine]) -> tuple[DigitalOrderLine, ...]:
    return f.to_tuple(value)


@attrs.frozen(kw_only=True)
class DigitalOrder:
    """A buyer's order as its document says it (a UBL 2.1 Order or an Order-X order).

    Args:
        number: the buyer's order number; the order's ``reference``.
        currency: the currency of its prices.
        lines: what is ordered, at least one line.
        buyer_name: the buyer's name on the document.
        buyer_address: the buyer's electronic address, if the document gives one.
        buyer_vat_id: the buyer's VAT id, if the document gives one.
        issued_on: the document's date.
        note: free text of the document.
        syntax: ``"ubl"`` or ``"orderx"``: what it was read from.

    >>> order = DigitalOrder(number="PO-7", currency="EUR", buyer_vat_id="DE123456789",
    ...                      lines=[DigitalOrderLine(line_id="1", sku="TEA", quantity=3)])
    >>> order.lines[0].quantity
    Decimal('3')
    """

    number: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    lines: tuple[DigitalOrderLine, ...] = attrs.field(
        converter=_lines, validator=f.tuple_of(DigitalOrderLine)
    )
    buyer_name: str = attrs.field(default="", validator=f.text)
    buyer_address: ElectronicAddress | None = attrs.field(
        default=None, validator=f.instance_of(ElectronicAddress, optional=True)
    )
    buyer_vat_id: str = attrs.field(default="", validator=valid_vat_id)
    issued_on: dt.date | None = attrs.field(default=None, validator=f.optional_date)
    note: str = attrs.field(default="", validator=f.text)
    syntax: str = attrs.field(default="", validator=f.text)

    def __attrs_post_init__(self) -> None:
        if not self.lines:
            raise f.fail(self, "lines", (), "must hold at least one line")
        f.same_currency(
            self,
            self.currency,
            [(f"lines[{i}].unit_price", line.unit_price) for i, line in enumerate(self.lines)],
        )
        if self.buyer_address is None and not self.buyer_vat_id:
            raise f.fail(self, "buyer_address", None, "or buyer_vat_id must name the buyer")


def _vat_key(vat_id: str) -> str:
    return "".join(vat_id.split()).upper()


def match_customer(order: DigitalOrder, customers: Iterable[Customer]) -> Customer:
    """Return the customer a document's buyer is: by electronic address, else by VAT id.

    Raises:
        NotFound: no customer has the buyer's electronic address or VAT id.
        ValidationError: several customers share it, so the buyer is not known for sure.

    >>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR", vat_id="DE123456789")
    >>> order = DigitalOrder(number="PO-7", currency="EUR", buyer_vat_id="DE 123 456 789",
    ...                      lines=[DigitalOrderLine(line_id="1", sku="TEA", quantity=3)])
    >>> match_customer(order, [acme]).id
    'acme'
    """
    if not isinstance(order, DigitalOrder):
        raise ValidationError("order", order, "must be a DigitalOrder")
    known = tuple(customers)
    tries: list[tuple[str, str, list[Customer]]] = []
    if order.buyer_address is not None:
        address = order.buyer_address
        found = [c for c in known if c.electronic_address == address]
        tries.append(("buyer_address", f"{address.scheme}:{address.identifier}", found))
    if order.buyer_vat_id:
        key = _vat_key(order.buyer_vat_id)
        found = [c for c in known if c.vat_id and _vat_key(c.vat_id) == key]
        tries.append(("buyer_vat_id", order.buyer_vat_id, found))
    for field, value, found in tries:
        if len(found) > 1:
            ids = ", ".join(sorted(c.id for c in found))
            raise ValidationError(field, value, f"names several customers: {ids}")
        if found:
            return found[0]
    raise NotFound("customer", tries[0][1])
