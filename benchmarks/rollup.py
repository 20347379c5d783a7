"""Benchmark: summaries of orders of 5 lines with shipments, invoices and payments.

Prints orders/s for ``orderbook.rollup.summarize`` and for a hand-written loop that computes
the same totals (gross, delivered, invoiced and paid amounts, and the three states) straight
from Decimals, measured in the same run, and the ratio between them. The loop's results are
checked against orderbook's, so both do the same work.

    python benchmarks/rollup.py           # 100,000 orders
    python benchmarks/rollup.py --quick   # 5,000 orders
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import ROUND_HALF_UP, Decimal

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
GOAL = 2.0  # summarize within this factor of the raw loop


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
                tax_rate=line.tax_rate,
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


def by_hand(order, shipments, invoices, payments):  # type: ignore[no-untyped-def]
    """The same totals and states, written directly over Decimals."""
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
    summary = summarize(
        order, shipments=shipments, invoices=invoices, payments=payments, as_of=DAY
    )
    return (
        summary.gross.amount,
        summary.invoicing.invoiced.amount,
        summary.payment.paid.amount,
        summary.fulfilment.state == "complete",
        summary.invoicing.state == "invoiced",
        summary.payment.state == "paid",
    )


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
    raw, expected = timed(by_hand, data)
    priced, same = timed(by_hand_with_pricing, data)
    ours, got = timed(with_orderbook, data)
    if not got == same == expected:
        raise SystemExit("orderbook and the hand-written loops disagree")
    ratio = ours / raw
    print(f"orders: {count:,} of {LINES} lines, with shipments, invoices and payments")
    print(f"loop over raw Decimals       : {count / raw:10,.0f} orders/s  ({raw:.2f} s)")
    print(f"loop with orderbook.pricing  : {count / priced:10,.0f} orders/s  ({priced:.2f} s)")
    print(f"orderbook.rollup.summarize   : {count / ours:10,.0f} orders/s  ({ours:.2f} s)")
    print(f"ratio to the pricing loop    : {ours / priced:.2f}x")
    print(f"ratio to the raw loop        : {ratio:.2f}x")
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"goal (within {GOAL:g}x of the raw loop): {verdict}")


if __name__ == "__main__":
    main()
