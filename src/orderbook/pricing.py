"""The one home of the amount formulas: line net, tax and gross, and document totals.

The formulas, with every amount rounded to the currency's minor unit (half up by default):

- line net   = round(quantity x unit price x (1 - discount))
- line tax   = round(line net x tax rate)
- line gross = line net + line tax
- document net = the sum of the line nets
- document tax, per line (the default) = the sum of the rounded line taxes
- document tax, per document = for each tax rate, round(sum of its line nets x rate), summed
- document gross = document net + document tax
- purchase line cost = round(quantity x unit cost)
- purchase order total = the sum of its line costs (no tax: it is the supplier's to add)

Totals are sums of rounded parts, so a document always adds up on paper.

>>> from orderbook import Money, OrderLine
>>> line = OrderLine(id="l1", sku="TEA", quantity=3, unit_price=Money("4.99", "EUR"),
...                  discount="0.1", tax_rate="0.2")
>>> line_net(line), line_tax(line), line_gross(line)
(Money('13.47', 'EUR'), Money('2.69', 'EUR'), Money('16.16', 'EUR'))
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

import attrs

from orderbook.currencies import minor_units
from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.model import Invoice, Order, OrderLine, PurchaseOrder, PurchaseOrderLine
from orderbook.money import (
    _CONTEXT,
    _FINEST,
    _MAX_ADJUSTED_EXPONENT,
    _MIN_EXPONENT,
    _STEPS,
    _ZEROS,
    Money,
    _make,
)

__all__ = [
    "Priced",
    "TaxLine",
    "TaxRounding",
    "Totals",
    "invoice_totals",
    "line_gross",
    "line_net",
    "line_tax",
    "order_totals",
    "purchase_line_cost",
    "purchase_total",
    "tax_rate_of",
    "totals",
]


class Priced(Protocol):
    """Anything priced like a line: an order line, a quote line or an invoice line.

    An order line's ``tax_rate`` may be unset (None) until the book fixes it; it prices as 0.
    """

    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Money: ...
    @property
    def discount(self) -> Decimal: ...
    @property
    def tax_rate(self) -> Decimal | None: ...


_NO_TAX = Decimal(0)


def tax_rate_of(line: Priced) -> Decimal:
    """The rate a line is taxed at: its ``tax_rate``, or 0 while it is unset.

    >>> from orderbook import Money, OrderLine
    >>> tax_rate_of(OrderLine(id="l", sku="X", quantity=1, unit_price=Money("1", "EUR")))
    Decimal('0')
    """
    rate = line.tax_rate
    return _NO_TAX if rate is None else rate


class TaxRounding(enum.StrEnum):
    """Where tax is rounded: on each line, or once per rate on the whole document."""

    PER_LINE = "per_line"
    PER_DOCUMENT = "per_document"


def _fixed(line: Priced, name: str) -> Money | None:
    """An invoice line that completes a line billed in parts carries its amounts fixed."""
    fixed = getattr(line, name, None)
    return fixed if isinstance(fixed, Money) else None


def line_net(line: Priced, *, rounding: str = ROUND_HALF_UP) -> Money:
    """Return quantity x unit price x (1 - discount), rounded to the minor unit.

    An invoice line with a ``fixed_net`` returns it instead: that is the net it was billed at.

    >>> from orderbook import Money, OrderLine
    >>> line_net(OrderLine(id="l", sku="X", quantity="2.5", unit_price=Money("0.333", "EUR")))
    Money('0.83', 'EUR')
    """
    with decimal.localcontext(_CONTEXT):
        net = _decimal_net(line, rounding)
    if net is None:
        return _general_net(line, rounding)
    fixed = _fixed(line, "fixed_net")
    return fixed if fixed is not None else _make(net, line.unit_price.currency)


def line_tax(line: Priced, *, rounding: str = ROUND_HALF_UP) -> Money:
    """Return the line's rounded net x its tax rate, rounded (or its ``fixed_tax``)."""
    return _net_and_tax(line, rounding)[1]


def line_gross(line: Priced, *, rounding: str = ROUND_HALF_UP) -> Money:
    """Return the line's net plus its tax."""
    net, tax = _net_and_tax(line, rounding)
    return net + tax


def _general_net(line: Priced, rounding: str) -> Money:
    """The net by Money arithmetic: the reference the Decimal core matches, and the path that
    raises the errors for lines the core does not take."""
    fixed = _fixed(line, "fixed_net")
    if fixed is not None:
        return fixed
    return (line.unit_price * line.quantity * (1 - line.discount)).quantize(rounding)


def _tax_on(line: Priced, net: Money, rounding: str) -> Money:
    fixed = _fixed(line, "fixed_tax")
    return fixed if fixed is not None else (net * tax_rate_of(line)).quantize(rounding)


def _net_and_tax(line: Priced, rounding: str) -> tuple[Money, Money]:
    """The line's net and tax, the net computed once."""
    with decimal.localcontext(_CONTEXT):
        amounts = _decimal_amounts(line, rounding)
    if amounts is None:
        net = _general_net(line, rounding)
        return net, _tax_on(line, net, rounding)
    currency = line.unit_price.currency
    fixed_net, fixed_tax = _fixed(line, "fixed_net"), _fixed(line, "fixed_tax")
    return (
        fixed_net if fixed_net is not None else _make(amounts[0], currency),
        fixed_tax if fixed_tax is not None else _make(amounts[1], currency),
    )


def _make_totals(
    currency: str,
    quantity: Decimal,
    rows: Sequence[tuple[Decimal, Decimal, Decimal]],
    net_total: Decimal,
    tax_total: Decimal,
    gross: Decimal,
) -> Totals:
    """The :class:`Totals` from the sums of :func:`_decimal_totals`."""
    money = _make
    by_rate = tuple(
        TaxLine(rate=rate, net=money(net, currency), tax=money(tax, currency))
        for rate, net, tax in rows
    )
    return Totals(
        currency=currency,
        quantity=quantity,
        net=money(net_total, currency),
        tax=money(tax_total, currency),
        gross=money(gross, currency),
        by_rate=by_rate,
    )


@attrs.frozen(kw_only=True)
class TaxLine:
    """The net amount taxed at one rate, and the tax on it."""

    rate: Decimal
    net: Money
    tax: Money


@attrs.frozen(kw_only=True)
class Totals:
    """The totals of a document: net, tax, gross, the tax per rate and the total quantity."""

    currency: str
    quantity: Decimal
    net: Money
    tax: Money
    gross: Money
    by_rate: tuple[TaxLine, ...]


def totals(
    lines: Iterable[Priced],
    currency: str,
    *,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
    rounding: str = ROUND_HALF_UP,
) -> Totals:
    """Add up priced lines into net, tax and gross, with the tax per rate.

    Args:
        lines: the lines; each price must be in ``currency``.
        currency: the document's currency, so an empty document still has totals.
        tax_rounding: round tax on each line (``"per_line"``) or per rate on the document
            (``"per_document"``).
        rounding: a :mod:`decimal` rounding mode.

    Raises:
        CurrencyMismatch: a line is priced in another currency.
        ValidationError: ``tax_rounding`` is not one of the two modes.

    >>> from orderbook import Money, OrderLine
    >>> lines = [OrderLine(id=f"l{i}", sku="X", quantity=1, unit_price=Money("1.05", "EUR"),
    ...                    tax_rate="0.1") for i in range(3)]
    >>> totals(lines, "EUR").tax, totals(lines, "EUR", tax_rounding="per_document").tax
    (Money('0.33', 'EUR'), Money('0.32', 'EUR'))
    """
    mode = _tax_rounding(tax_rounding)
    minor_units(currency)  # refuses an unknown currency
    lines = list(lines)
    with decimal.localcontext(_CONTEXT):
        sums = _decimal_totals(lines, currency, mode is TaxRounding.PER_DOCUMENT, rounding)
    if sums is None:
        return _general_totals(lines, currency, mode, rounding)
    return _make_totals(currency, *sums[1:])


def _general_totals(
    lines: Sequence[Priced], currency: str, mode: TaxRounding, rounding: str
) -> Totals:
    """:func:`totals` by Money arithmetic, for lines the Decimal core does not take."""
    zero = Money.zero(currency)
    nets: dict[Decimal, Money] = {}
    line_taxes: dict[Decimal, Money] = {}
    quantity = Decimal(0)
    for index, line in enumerate(lines):
        if line.unit_price.currency != currency:
            raise CurrencyMismatch(
                currency, line.unit_price.currency, field=f"lines[{index}].unit_price"
            )
        net = _general_net(line, rounding)
        rate = tax_rate_of(line).normalize()
        nets[rate] = nets.get(rate, zero) + net
        line_taxes[rate] = line_taxes.get(rate, zero) + _tax_on(line, net, rounding)
        quantity += line.quantity
    by_rate = tuple(
        TaxLine(
            rate=rate,
            net=nets[rate],
            tax=line_taxes[rate]
            if mode is TaxRounding.PER_LINE
            else (nets[rate] * rate).quantize(rounding),
        )
        for rate in sorted(nets)
    )
    net_total = sum((t.net for t in by_rate), zero)
    tax_total = sum((t.tax for t in by_rate), zero)
    return Totals(
        currency=currency,
        quantity=quantity,
        net=net_total,
        tax=tax_total,
        gross=net_total + tax_total,
        by_rate=by_rate,
    )


def order_totals(
    order: Order,
    *,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
    rounding: str = ROUND_HALF_UP,
) -> Totals:
    """Return the totals of an order's lines (Mangrove: quantity and revenue over deliveries).

    >>> from orderbook import Money, Order, OrderLine
    >>> order = Order(customer_id="acme", currency="USD", lines=[
    ...     OrderLine(sku="A", quantity=500, unit_price=Money("18", "USD")),
    ...     OrderLine(sku="B", quantity=250, unit_price=Money("22.40", "USD"))])
    >>> t = order_totals(order)
    >>> t.quantity, t.gross
    (Decimal('750'), Money('14600.00', 'USD'))
    """
    return totals(order.lines, order.currency, tax_rounding=tax_rounding, rounding=rounding)


def invoice_totals(
    invoice: Invoice,
    *,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
    rounding: str = ROUND_HALF_UP,
) -> Totals:
    """Return the totals of an invoice's lines, as printed (a credit note's are positive)."""
    return totals(invoice.lines, invoice.currency, tax_rounding=tax_rounding, rounding=rounding)


def purchase_line_cost(line: PurchaseOrderLine, *, rounding: str = ROUND_HALF_UP) -> Money | None:
    """Return what a purchase order line costs: quantity x unit cost, rounded to the minor unit.

    Returns:
        The cost, or None when the line has no unit cost.

    Raises:
        ValidationError: ``line`` is not a purchase order line.

    >>> from orderbook import Money, PurchaseOrderLine
    >>> purchase_line_cost(PurchaseOrderLine(sku="PLANK", quantity="2.5",
    ...                                      unit_cost=Money("3.333", "EUR")))
    Money('8.33', 'EUR')
    >>> purchase_line_cost(PurchaseOrderLine(sku="PLANK", quantity=1)) is None
    True
    """
    if not isinstance(line, PurchaseOrderLine):
        raise ValidationError("line", line, "must be a PurchaseOrderLine")
    if line.unit_cost is None:
        return None
    return (line.unit_cost * line.quantity).quantize(rounding)


def purchase_total(po: PurchaseOrder, *, rounding: str = ROUND_HALF_UP) -> Money | None:
    """Return what a purchase order costs: the sum of its rounded line costs.

    Returns:
        The total in the purchase order's currency, or None when some line has no unit cost
        (the total is not known until every line is costed).

    Raises:
        ValidationError: ``po`` is not a purchase order.

    >>> from orderbook import Money, PurchaseOrder, PurchaseOrderLine
    >>> po = PurchaseOrder(supplier="Nordic Timber", currency="EUR", lines=[
    ...     PurchaseOrderLine(sku="PLANK", quantity=3, unit_cost=Money("1.005", "EUR")),
    ...     PurchaseOrderLine(sku="BEAM", quantity=1, unit_cost=Money("40", "EUR"))])
    >>> purchase_total(po)
    Money('43.02', 'EUR')
    """
    if not isinstance(po, PurchaseOrder):
        raise ValidationError("po", po, "must be a PurchaseOrder")
    total = Money.zero(po.currency)
    for line in po.lines:
        cost = purchase_line_cost(line, rounding=rounding)
        if cost is None:
            return None
        total += cost
    return total


def _tax_rounding(value: TaxRounding | str) -> TaxRounding:
    if type(value) is TaxRounding:
        return value
    try:
        return TaxRounding(value)
    except ValueError:
        raise ValidationError(
            "tax_rounding", value, "must be 'per_line' or 'per_document'"
        ) from None


# -- the Decimal core ---------------------------------------------------------------------------
#
# The formulas above on the amounts, run in the money context (the caller enters it). Each
# function returns None when a line needs the Money arithmetic: a field of another type, a
# fixed amount in another currency, an amount (even an intermediate one) that Money would
# refuse, or an unknown rounding mode.

# Money holds a nonzero amount below 10**31 with at most 40 places: quantized to 40 places it
# has at most 71 digits and an adjusted exponent of at most 30. Quantizing any other nonzero
# amount so in this context raises, so one call checks both bounds. A zero is never rounded;
# its places are its exponent.
_HOLDS = decimal.Context(
    prec=71,
    Emax=_MAX_ADJUSTED_EXPONENT,
    Emin=-999,
    traps=[decimal.Rounded, decimal.InvalidOperation],
)
# The money context with Money's magnitude as its Emax: quantizing in it gives what the money
# context gives, and raises InvalidOperation where Money would refuse the rounded amount.
_ROUNDS = decimal.Context(
    prec=_CONTEXT.prec,
    rounding=_CONTEXT.rounding,
    Emax=_MAX_ADJUSTED_EXPONENT,
    Emin=_CONTEXT.Emin,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def _part_net(price: Money, quantity: Decimal, discount: Decimal, rounding: str) -> Decimal | None:
    """round(quantity x price x (1 - discount)): the net of a line, or of part of it."""
    if type(quantity) is not Decimal or type(discount) is not Decimal:
        return None
    try:
        full = price.amount * quantity
        if full and full.adjusted() > _MAX_ADJUSTED_EXPONENT:
            return None
        # 1 - discount has no fewer places than the 1, so if the product has at most 40
        # places, so had the full price before the discount (Money refuses either).
        full *= 1 - discount
        if full:
            full.quantize(_FINEST, None, _HOLDS)  # raises if Money would refuse it
        elif full.adjusted() < _MIN_EXPONENT:
            return None
        return full.quantize(_STEPS[price.currency], rounding, _ROUNDS)
    except (TypeError, decimal.DecimalException):  # out of range, or an unknown rounding mode
        return None


def _decimal_net(line: Priced, rounding: str) -> Decimal | None:
    """The line's net (its fixed net, if it carries one)."""
    price = line.unit_price
    if type(price) is not Money:
        return None
    # An order line has no fixed amounts; asking it for one would be a costly miss.
    fixed = None if type(line) is OrderLine else getattr(line, "fixed_net", None)
    if isinstance(fixed, Money):
        return fixed.amount if fixed.currency == price.currency else None
    return _part_net(price, line.quantity, line.discount, rounding)


def _decimal_amounts(line: Priced, rounding: str) -> tuple[Decimal, Decimal] | None:
    """The line's net (as :func:`_decimal_net`) and its tax (its fixed tax, if it carries one)."""
    price = line.unit_price
    if type(price) is not Money:
        return None
    if type(line) is OrderLine:  # the common case: no fixed amounts
        net = _part_net(price, line.quantity, line.discount, rounding)
        fixed = None
    else:
        net = _decimal_net(line, rounding)
        fixed = getattr(line, "fixed_tax", None)
    if net is None:
        return None
    currency = price.currency
    if isinstance(fixed, Money):
        return (net, fixed.amount) if fixed.currency == currency else None
    rate = line.tax_rate
    if rate is None:
        rate = _NO_TAX
    elif type(rate) is not Decimal:
        return None
    try:
        taxed = net * rate
        if taxed:
            taxed.quantize(_FINEST, None, _HOLDS)  # raises if Money would refuse it
        elif taxed.adjusted() < _MIN_EXPONENT:
            return None
        return net, taxed.quantize(_STEPS[currency], rounding, _ROUNDS)
    except (TypeError, decimal.DecimalException):  # out of range, or an unknown rounding mode
        return None


_Rows = list[tuple[Decimal, Decimal, Decimal]]
_Sums = tuple[list[tuple[Decimal, Decimal]], Decimal, _Rows, Decimal, Decimal, Decimal]


def _decimal_totals(
    lines: Sequence[Priced], currency: str, per_document: bool, rounding: str
) -> _Sums | None:
    """Each line's (net, tax); and the quantity, each rate's (rate, net, tax), and the net,
    tax and gross of the lines, as :func:`totals` gives them.

    Raises:
        CurrencyMismatch: a line is priced in another currency.
    """
    zero = _ZEROS[currency]
    amounts = []
    sums: dict[Decimal, list[Decimal]] = {}  # each rate's [net, tax]
    quantity = Decimal(0)
    for index, line in enumerate(lines):
        if line.unit_price.currency != currency:
            raise CurrencyMismatch(
                currency, line.unit_price.currency, field=f"lines[{index}].unit_price"
            )
        pair = _decimal_amounts(line, rounding)
        if pair is None:
            return None
        amounts.append(pair)
        net, tax = pair
        # Grouped by the rate as given, which is hashed once per Decimal; equal rates share
        # a group whatever their digits, and each group is named by its normalized rate.
        rate = line.tax_rate
        if rate is None:
            rate = _NO_TAX
        group = sums.get(rate)
        if group is None:
            sums[rate] = [zero + net, zero + tax]
        else:
            group[0] += net
            group[1] += tax
        quantity += line.quantity
    rows = []
    net_total = tax_total = zero
    step = _STEPS[currency]
    for given in sorted(sums):
        net, tax = sums[given]
        rate = given.normalize()
        # Money refuses a sum beyond its range, of nets or of line taxes, in either mode.
        if (net and net.adjusted() > _MAX_ADJUSTED_EXPONENT) or (
            tax and tax.adjusted() > _MAX_ADJUSTED_EXPONENT
        ):
            return None
        if per_document:
            try:
                taxed = net * rate
                if taxed:
                    taxed.quantize(_FINEST, None, _HOLDS)  # raises if Money would refuse it
                elif taxed.adjusted() < _MIN_EXPONENT:
                    return None
                tax = taxed.quantize(step, rounding, _ROUNDS)
            except (TypeError, decimal.DecimalException):
                return None
        rows.append((rate, net, tax))
        net_total += net
        tax_total += tax
    gross = net_total + tax_total
    for total in (net_total, tax_total, gross):
        if total and total.adjusted() > _MAX_ADJUSTED_EXPONENT:
            return None
    return amounts, quantity, rows, net_total, tax_total, gross
