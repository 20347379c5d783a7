"""Benchmark: summaries of orders of 5 lines with shipments, invoices and payments.

Prints orders/s for ``orderbook.rollup.summarize`` and for hand-written loops over the same
records, measured in the same run, and the ratios between them:

- the loop computing the same order figures summarize reports eagerly, straight over
  Decimals: the order's net, tax and gross; the fulfilment state and percent by quantity and
  by amount; the amount invoiced and its percent of the gross; the amount paid and
  outstanding; and the fulfilment, invoice and payment states. The goal is judged against it.
- the minimal loop: gross, invoiced and paid amounts, and whether the order is shipped,
  invoiced and paid in full.
- the minimal loop with its amounts from ``orderbook.pricing`` and Money.

Every loop's results are checked against orderbook's, so each does the work it claims.

    python benchmarks/rollup.py           # 100,000 orders
    python benchmarks/rollup.py --quick   # 5,000 orders
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from orderbook import (
    Invoice,
    InvoiceLine,
    Money,
    Order,
    OrderLine,
    Payment,
    Shipment,
    ShipmentItem,
    line_gross,
)
from orderbook.rollup import summarize

DAY = dt.date(2027, 6, 1)
CENT = Decimal("0.01")
LINES = 5
GOAL = 2.0  # summarize within this factor of the loop computing the same order figures
ZERO = Decimal(0)
HUNDRED = Decimal(100)
ALMOST = Decimal("99.99")
NONE = Decimal("0.00")
FULL = Decimal("100.00")


Record = tuple[Order, list[Shipment], list[Invoice], list[Payment]]


def build(count: int, seed: int = 7) -> list[Record]:
    """Orders of 5 lines; each shipped in part, invoiced for what shipped, and partly paid."""
    rng = random.Random(seed)
    data = []
    for n in range(count):
        order_id = f"o{n}"
        lines = [
            OrderLine(
                id=f"l{k}",
                sku=f"SKU{rng.randrange(100)}",
                quantity=rng.randrange(1, 50),
                unit_price=Money(Decimal(rng.randrange(100, 100_000)).scaleb(-2), "EUR"),
                discount=rng.choice([Decimal(0), Decimal("0.1")]),
                tax_rate=rng.choice([Decimal("0.2"), Decimal("0.055")]),
            )
            for k in range(LINES)
        ]
        order = Order(id=order_id, customer_id="c", currency="EUR", lines=lines)
        shipped = {line.id: rng.randrange(0, int(line.quantity) + 1) for line in lines}
        items = [ShipmentItem(line_id=k, quantity=q) for k, q in shipped.items() if q]
        shipments = (
            [Shipment(id=f"s{n}", order_id=order_id, shipped_on=DAY, items=items)] if items else []
        )
        invoice_lines = [
            InvoiceLine(
                id=f"i{n}-{line.id}",
                quantity=shipped[line.id],
                unit_price=line.unit_price,
                discount=line.discount,
                tax_rate=Decimal(0) if line.tax_rate is None else line.tax_rate,
                order_line_id=line.id,
            )
            for line in lines
            if shipped[line.id]
        ]
        invoices = []
        payments = []
        if invoice_lines:
            invoices.append(
                Invoice(
                    id=f"i{n}",
                    customer_id="c",
                    currency="EUR",
                    order_id=order_id,
                    status="issued",
                    issued_on=DAY,
                    lines=invoice_lines,
                )
            )
            payments.append(
                Payment(
                    id=f"p{n}",
                    amount=Money(rng.randrange(1, 100_000), "EUR"),
                    received_on=DAY,
                    invoice_id=f"i{n}",
                )
            )
        data.append((order, shipments, invoices, payments))
    return data


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(part: Decimal, whole: Decimal, complete: bool) -> Decimal:
    """Two places rounded down; 100 only when complete, 0 only when nothing is done."""
    if complete:
        return FULL
    if part <= 0 or whole <= 0:
        return NONE
    return min(max((part * HUNDRED / whole).quantize(CENT, ROUND_DOWN), CENT), ALMOST)


def by_hand_figures(order, shipments, invoices, payments):  # type: ignore[no-untyped-def]
    """The order figures summarize reports eagerly, written directly over Decimals."""
    delivered = {line.id: ZERO for line in order.lines}
    for shipment in shipments:
        for item in shipment.items:
            delivered[item.line_id] += item.quantity
    net_total = tax_total = quantity = delivered_quantity = delivered_net = ZERO
    shipped_all, shipped_some = True, False
    for line in order.lines:
        price, ordered, keep = line.unit_price.amount, line.quantity, 1 - line.discount
        net = _round(ordered * price * keep)
        net_total += net
        tax_total += _round(net * line.tax_rate)
        quantity += ordered
        got = delivered[line.id]
        if got >= ordered:
            delivered_quantity += ordered
            delivered_net += net
        else:
            shipped_all = False
            if got > 0:
                delivered_quantity += got
                delivered_net += _round(got * price * keep)
        shipped_some = shipped_some or got > 0
    gross = net_total + tax_total
    invoiced = ZERO
    billed = {line.id: ZERO for line in order.lines}
    for invoice in invoices:
        for il in invoice.lines:
            net = _round(il.quantity * il.unit_price.amount * (1 - il.discount))
            invoiced += net + _round(net * il.tax_rate)
            billed[il.order_line_id] += il.quantity
    paid = sum((p.amount.amount for p in payments), ZERO)
    billed_all = all(billed[line.id] >= line.quantity for line in order.lines)
    paid_all = invoiced > 0 and paid >= invoiced
    fulfilment = "complete" if shipped_all else "partial" if shipped_some else "none"
    billing = (
        "invoiced"
        if billed_all
        else "part_invoiced"
        if invoiced or any(billed.values())
        else "not_invoiced"
    )
    payment = "not_paid" if paid <= 0 else "paid" if paid_all else "part_paid"
    return (
        net_total,
        tax_total,
        gross,
        fulfilment,
        _percent(delivered_quantity, quantity, shipped_all),
        _percent(delivered_net, net_total, shipped_all),
        invoiced,
        _percent(invoiced, gross, billed_all),
        paid,
        max(invoiced - paid, ZERO),
        billing,
        payment,
    )


def by_hand(order, shipments, invoices, payments):  # type: ignore[no-untyped-def]
    """The minimal loop: gross, invoiced, paid and whether each is complete, over Decimals."""
    delivered = {line.id: Decimal(0) for line in order.lines}
    for shipment in shipments:
        for item in shipment.items:
            delivered[item.line_id] += item.quantity
    gross = Decimal(0)
    for line in order.lines:
        net = _round(line.quantity * line.unit_price.amount * (1 - line.discount))
        gross += net + _round(net * line.tax_rate)
    invoiced = Decimal(0)
    billed = {line.id: Decimal(0) for line in order.lines}
    for invoice in invoices:
        for il in invoice.lines:
            net = _round(il.quantity * il.unit_price.amount * (1 - il.discount))
            invoiced += net + _round(net * il.tax_rate)
            billed[il.order_line_id] += il.quantity
    paid = sum((p.amount.amount for p in payments), Decimal(0))
    shipped_all = all(delivered[line.id] >= line.quantity for line in order.lines)
    billed_all = all(billed[line.id] >= line.quantity for line in order.lines)
    paid_all = invoiced > 0 and paid >= invoiced
    return gross, invoiced, paid, shipped_all, billed_all, paid_all


def by_hand_with_pricing(order, shipments, invoices, payments):  # type: ignore[no-untyped-def]
    """The same loop, with amounts from orderbook.pricing and Money, as a user would write it."""
    zero = Money.zero(order.currency)
    delivered = {line.id: Decimal(0) for line in order.lines}
    for shipment in shipments:
        for item in shipment.items:
            delivered[item.line_id] += item.quantity
    gross = sum((line_gross(line) for line in order.lines), zero)
    billed = {line.id: Decimal(0) for line in order.lines}
    invoiced = zero
    for invoice in invoices:
        for il in invoice.lines:
            invoiced += line_gross(il)
            billed[il.order_line_id] += il.quantity
    paid = sum((p.amount for p in payments), zero)
    return (
        gross.amount,
        invoiced.amount,
        paid.amount,
        all(delivered[line.id] >= line.quantity for line in order.lines),
        all(billed[line.id] >= line.quantity for line in order.lines),
        invoiced.amount > 0 and paid >= invoiced,
    )


def with_orderbook(order, shipments, invoices, payments):  # type: ignore[no-untyped-def]
    """The figures of the loop computing the same order figures, read from a summary."""
    summary = summarize(
        order, shipments=shipments, invoices=invoices, payments=payments, as_of=DAY
    )
    fulfilment, invoicing, payment = summary.fulfilment, summary.invoicing, summary.payment
    return (
        summary.net.amount,
        summary.tax.amount,
        summary.gross.amount,
        fulfilment.state.value,
        fulfilment.by_quantity,
        fulfilment.by_amount,
        invoicing.invoiced.amount,
        invoicing.percent,
        payment.paid.amount,
        payment.outstanding.amount,
        invoicing.state.value,
        payment.state.value,
    )


def minimal(figures: Any) -> tuple[object, ...]:
    """What the minimal loops give, from the figures of :func:`with_orderbook`."""
    _, _, gross, shipping, _, _, invoiced, _, paid, _, billing, paying = figures
    return gross, invoiced, paid, shipping == "complete", billing == "invoiced", paying == "paid"


def timed(function, data) -> tuple[float, list[object]]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    results = [function(*record) for record in data]
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 orders instead of 100,000")
    parser.add_argument("--orders", type=int, default=None)
    options = parser.parse_args()
    count = options.orders or (5_000 if options.quick else 100_000)
    data = build(count)
    # The two the goal compares run one after the other, so a change in the machine's load
    # between measurements weighs on the ratio as little as it can.
    full, same_figures = timed(by_hand_figures, data)
    ours, got = timed(with_orderbook, data)
    raw, expected = timed(by_hand, data)
    priced, same = timed(by_hand_with_pricing, data)
    if got != same_figures:
        raise SystemExit("orderbook and the loop computing the same order figures disagree")
    if not [minimal(figures) for figures in got] == same == expected:
        raise SystemExit("orderbook and the minimal loops disagree")
    ratio = ours / full
    print(f"orders: {count:,} of {LINES} lines, with shipments, invoices and payments")
    for name, seconds in [
        ("loop computing the same order figures", full),
        ("minimal loop over raw Decimals", raw),
        ("minimal loop with orderbook.pricing", priced),
        ("orderbook.rollup.summarize", ours),
    ]:
        print(f"{name:38}: {count / seconds:10,.0f} orders/s  ({seconds:.2f} s)")
    print(f"ratio to a loop computing the same order figures          : {ratio:.2f}x")
    print(f"ratio to the minimal loop (gross, invoiced, paid, states) : {ours / raw:.2f}x")
    print(f"ratio to the minimal loop with orderbook.pricing          : {ours / priced:.2f}x")
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"goal (within {GOAL:g}x of the loop computing the same order figures): {verdict}")


if __name__ == "__main__":
    main()
