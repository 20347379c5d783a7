"""The pricing formulas over Decimals: the fast path of :mod:`orderbook.pricing`.

The same formulas as the Money arithmetic in :mod:`orderbook.pricing`, computed on the amounts
and run in the money context (the caller enters it), for lines whose fields are of the exact
types the model holds. Each function returns None when a line needs the general path: a field
of another type, a fixed amount in another currency, an amount (even an intermediate one) that
Money would refuse, or an unknown rounding mode. The general path then gives the result, or
raises the error it always raised.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from orderbook.errors import CurrencyMismatch
from orderbook.model import OrderLine
from orderbook.money import _STEPS, _ZEROS, Money, _in_range

if TYPE_CHECKING:
    from orderbook.pricing import Priced

__all__: list[str] = []


def _fast_net(line: Priced, rounding: str) -> Decimal | None:
    price = line.unit_price
    if type(price) is not Money:
        return None
    # An order line has no fixed amounts; asking it for one would be a costly miss.
    fixed = None if type(line) is OrderLine else getattr(line, "fixed_net", None)
    if isinstance(fixed, Money):
        return fixed.amount if fixed.currency == price.currency else None
    return _plain_net(price, line.quantity, line.discount, rounding)


def _plain_net(
    price: Money, quantity: Decimal, discount: Decimal, rounding: str
) -> Decimal | None:
    """round(quantity x price x (1 - discount)), or None for the general path."""
    if type(quantity) is not Decimal or type(discount) is not Decimal:
        return None
    full = price.amount * quantity
    if full and full.adjusted() > 30:
        return None
    # 1 - discount has no fewer places than the 1, so if the product is in range, so was
    # the full price before the discount (Money refuses either, so both are checked).
    full *= 1 - discount
    if not _in_range(full):
        return None
    try:
        net = full.quantize(_STEPS[price.currency], rounding)
    except (TypeError, decimal.InvalidOperation):
        return None
    return None if net and net.adjusted() > 30 else net


def _fast_amounts(line: Priced, rounding: str) -> tuple[Decimal, Decimal] | None:
    """The line's net (as :func:`_fast_net`) and its tax."""
    net = _fast_net(line, rounding)
    if net is None:
        return None
    currency = line.unit_price.currency
    fixed = None if type(line) is OrderLine else getattr(line, "fixed_tax", None)
    if isinstance(fixed, Money):
        return (net, fixed.amount) if fixed.currency == currency else None
    rate = line.tax_rate
    if type(rate) is not Decimal:
        return None
    taxed = net * rate
    if not _in_range(taxed):
        return None
    try:
        tax = taxed.quantize(_STEPS[currency], rounding)
    except (TypeError, decimal.InvalidOperation):
        return None
    return None if tax and tax.adjusted() > 30 else (net, tax)


_Rows = list[tuple[Decimal, Decimal, Decimal]]
_Fast = tuple[list[tuple[Decimal, Decimal]], Decimal, _Rows, Decimal, Decimal, Decimal]


def _fast_totals(
    lines: Sequence[Priced], currency: str, per_document: bool, rounding: str
) -> _Fast | None:
    """Each line's (net, tax); and the quantity, each rate's (rate, net, tax), and the net,
    tax and gross of the lines, as :func:`orderbook.pricing.totals` gives them.

    Runs in the money context. None when the general path must give the answer (or raise).

    Raises:
        CurrencyMismatch: a line is priced in another currency.
    """
    zero = _ZEROS[currency]
    amounts = []
    nets: dict[Decimal, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    quantity = Decimal(0)
    for index, line in enumerate(lines):
        if line.unit_price.currency != currency:
            raise CurrencyMismatch(
                currency, line.unit_price.currency, field=f"lines[{index}].unit_price"
            )
        pair = _fast_amounts(line, rounding)
        if pair is None:
            return None
        amounts.append(pair)
        net, tax = pair
        rate = line.tax_rate.normalize()
        nets[rate] = nets.get(rate, zero) + net
        taxes[rate] = taxes.get(rate, zero) + tax
        quantity += line.quantity
    rows = []
    net_total = tax_total = zero
    for rate in sorted(nets):
        net, tax = nets[rate], taxes[rate]
        if tax and tax.adjusted() > 30:  # Money refuses the sum of line taxes in either mode
            return None
        if per_document:
            taxed = net * rate
            if not _in_range(taxed):
                return None
            try:
                tax = taxed.quantize(_STEPS[currency], rounding)
            except (TypeError, decimal.InvalidOperation):
                return None
        if (net and net.adjusted() > 30) or (tax and tax.adjusted() > 30):
            return None
        rows.append((rate, net, tax))
        net_total += net
        tax_total += tax
    gross = net_total + tax_total
    for total in (net_total, tax_total, gross):
        if total and total.adjusted() > 30:
            return None
    return amounts, quantity, rows, net_total, tax_total, gross
