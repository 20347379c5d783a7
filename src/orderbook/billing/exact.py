"""Cent-exact parts: the last part of a split line is the total minus what came before.

Invoicing a line in parts and rounding each part on its own can gain or lose a cent: 30% and
70% of EUR 145.05 round to 43.52 and 101.54, which add up to 145.06. So the part that
completes a line is not priced from scratch: its net is the line's net minus the nets already
invoiced, and its tax the line's tax minus the taxes already invoiced. Where that differs from
what the formula gives, the part carries the amounts fixed (``fixed_net``, ``fixed_tax``), and
:mod:`orderbook.pricing` reads them; its quantity, price and rate stay as printed.

>>> from orderbook import InvoiceLine, Money, line_net
>>> part = InvoiceLine(quantity="0.7", unit_price=Money("145.05", "EUR"))
>>> line_net(part)
Money('101.54', 'EUR')
>>> done = complete(part, net=Money("101.53", "EUR"), tax=Money("0.00", "EUR"))
>>> line_net(done), done.unit_price
(Money('101.53', 'EUR'), Money('145.05', 'EUR'))
"""

from __future__ import annotations

import attrs

from orderbook.model import InvoiceLine
from orderbook.money import Money
from orderbook.pricing import line_net, line_tax

__all__ = ["complete"]


def complete(part: InvoiceLine, *, net: Money, tax: Money) -> InvoiceLine:
    """Return ``part`` with its net and tax exactly ``net`` and ``tax``.

    The part is returned unchanged when the formulas already give those amounts (the usual
    case); otherwise the amounts that differ are fixed on it.

    Args:
        part: the invoice line that completes an order line (or an invoice line, for a
            credit note).
        net: the net it must have: the total minus the nets of the earlier parts.
        tax: the tax it must have: the total minus the taxes of the earlier parts.
    """
    if line_net(part) != net:
        part = attrs.evolve(part, fixed_net=net)
    if line_tax(part) != tax:
        part = attrs.evolve(part, fixed_tax=tax)
    return part
