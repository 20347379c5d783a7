"""The command line: ``python -m orderbook demo``.

``demo`` prints a small order, Mangrove style (deliveries of credits from several projects,
due over two years), with its lines and totals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import TextIO

from orderbook.model import Customer, Order, OrderLine
from orderbook.money import Money
from orderbook.pricing import line_gross, line_net, order_totals

__all__ = ["demo_order", "main", "render_order"]


def demo_order() -> tuple[Customer, Order]:
    """Return the demo's customer and order: four dated deliveries from three projects."""
    customer = Customer(id="acme", name="AcmeCorp", currency="USD")
    lines = [
        OrderLine(id="d1", sku="MANGROVE-A", quantity=500, unit_price=Money("18.00", "USD"),
                  due_on=dt.date(2027, 6, 30), tax_rate="0.1"),
        OrderLine(id="d2", sku="SEAGRASS-B", quantity=250, unit_price=Money("22.40", "USD"),
                  due_on=dt.date(2027, 12, 31), tax_rate="0.1"),
        OrderLine(id="d3", sku="MANGROVE-A", quantity=500, unit_price=Money("18.90", "USD"),
                  due_on=dt.date(2028, 6, 30), tax_rate="0.1", discount="0.05"),
        OrderLine(id="d4", sku="PEAT-C", quantity="125.5", unit_price=Money("31.125", "USD"),
                  due_on=dt.date(2028, 12, 31), tax_rate="0.1"),
    ]  # fmt: skip
    order = Order(
        id="o-1001",
        number="SO-1001",
        customer_id=customer.id,
        currency=customer.currency,
        subject="Three-year offtake",
        delivery_method="retirement",
        beneficiary="AcmeCorp",
        lines=lines,
    )
    return customer, order


def render_order(customer: Customer, order: Order) -> str:
    """Render an order as a plain-text table with its totals.

    >>> print(render_order(*demo_order()).splitlines()[0])
    Order SO-1001 for AcmeCorp: Three-year offtake
    """
    rows = [f"Order {order.number} for {customer.name}: {order.subject}", ""]
    header = f"{'line':<5} {'sku':<11} {'due':<10} {'quantity':>9} {'unit price':>11} "
    header += f"{'disc':>5} {'net':>11} {'gross':>11}"
    rows += [header, "-" * len(header)]
    for line in order.lines:
        due = line.due_on.isoformat() if line.due_on else "-"
        rows.append(
            f"{line.id:<5} {line.sku:<11} {due:<10} {line.quantity:>9} "
            f"{line.unit_price.amount:>11} {line.discount:>5} "
            f"{line_net(line).amount:>11} {line_gross(line).amount:>11}"
        )
    totals = order_totals(order)
    rows += ["-" * len(header), f"{'quantity':<12}{totals.quantity:>12}"]
    rows += [f"{'net':<12}{totals.net!s:>12}"]
    for part in totals.by_rate:
        rows.append(
            f"{'tax ' + format((part.rate * 100).normalize(), 'f') + '%':<12}{part.tax!s:>12}"
        )
    rows += [f"{'gross':<12}{totals.gross!s:>12}"]
    return "\n".join(rows)


def _demo(out: TextIO) -> int:
    out.write(render_order(*demo_order()) + "\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line and return its exit status.

    >>> import io
    >>> buffer = io.StringIO()
    >>> main(["demo"], out=buffer)
    0
    >>> "gross" in buffer.getvalue()
    True
    """
    parser = argparse.ArgumentParser(prog="orderbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="print a small order with its totals")
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    if args.command == "demo":
        return _demo(stream)
    parser.error(f"unknown command {args.command!r}")  # argparse exits before this
    return 2
