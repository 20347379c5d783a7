"""Cent-exact parts: the last part of a split line is the total minus what came before.

Invoicing a line in parts and rounding each part on its own can gain or lose a cent: 30% and
70% of EUR 145.05 round to 43.52 and 101.54, which add up to 145.06. So the part that
completes a line is not priced from scratch: its net is the line's net minus the nets already
invoiced, and its tax the line's tax minus the taxes already invoiced. An invoice line can
only carry a quantity, a unit price and a rate, so when the remainder differs from what the
formula would give, the completing part carries the unit price (and, rarely, the rate) that
makes :mod:`orderbook.pricing` produce exactly the remainder.

>>> from orderbook import InvoiceLine, Money, line_net
>>> part = InvoiceLine(quantity="0.7", unit_price=Money("145.05", "EUR"))
>>> line_net(part)
Money('101.54', 'EUR')
>>> line_net(complete(part, net=Money("101.53", "EUR"), tax=Money("0.00", "EUR")))
Money('101.53', 'EUR')
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import attrs

from orderbook.model import InvoiceLine
from orderbook.money import Money
from orderbook.pricing import line_net, line_tax

__all__ = ["complete"]

_CONTEXT = decimal.Context(prec=100, traps=[decimal.InvalidOperation, decimal.DivisionByZero])
_PLACES = Decimal("1e-30")


def _fine(value: Decimal) -> Decimal:
    """Round to 30 places and drop trailing zeros: far finer than any currency."""
    return value.quantize(_PLACES, context=_CONTEXT).normalize(_CONTEXT)


def complete(part: InvoiceLine, *, net: Money, tax: Money) -> InvoiceLine:
    """Return ``part`` adjusted so that its net and tax are exactly ``net`` and ``tax``.

    The part is returned unchanged when the formulas already give those amounts (the usual
    case). Otherwise its unit price becomes ``net / (quantity x (1 - discount))`` at 30
    places, which rounds back to ``net`` exactly; and if the tax still differs, its rate
    becomes ``tax / net`` at 30 places.

    Args:
        part: the invoice line that completes an order line (or an invoice line, for a
            credit note).
        net: the net it must have: the total minus the nets of the earlier parts.
        tax: the tax it must have: the total minus the taxes of the earlier parts.
    """
    if line_net(part) != net:
        factor = _CONTEXT.multiply(part.quantity, 1 - part.discount)
        if factor:
            price = _fine(_CONTEXT.divide(net.amount, factor))
            part = attrs.evolve(part, unit_price=Money(price, net.currency))
    if line_tax(part) != tax and net.amount:
        rate = _fine(_CONTEXT.divide(tax.amount, line_net(part).amount))
        if rate >= 0:
            part = attrs.evolve(part, tax_rate=rate)
    return part
