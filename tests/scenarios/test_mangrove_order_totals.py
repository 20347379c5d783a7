"""Mangrove: an order is a container of dated deliveries from several projects.

"The total quantity of an order is the sum of the committed units across all included
deliveries, while the total revenue of an order is the sum of the value of all included
deliveries."
"""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import Customer, Money, Order, OrderLine, ValidationError, line_net, order_totals

USD = "USD"


def test_a_three_year_offtake_of_six_deliveries_totals_its_units_and_revenue():
    acme = Customer(id="acme", name="AcmeCorp", currency=USD)
    projects = ["MANGROVE-A", "SEAGRASS-B", "PEAT-C"]
    deliveries = [
        OrderLine(
            id=f"delivery-{n}",
            sku=projects[n % 3],
            quantity=1000 + 250 * n,
            unit_price=Money(str(15 + n), USD),
            due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
        )
        for n in range(6)
    ]
    order = Order(
        customer_id=acme.id,
        currency=acme.currency,
        delivery_method="retirement",
        beneficiary="AcmeCorp",
        reference="CRM-4471",
        terms="Payment within 30 days of each delivery",
        lines=deliveries,
    )

    totals = order_totals(order)

    assert totals.quantity == Decimal(1000 + 1250 + 1500 + 1750 + 2000 + 2250)
    assert totals.gross == sum(line_net(d) for d in deliveries)
    assert totals.gross == Money(
        str(1000 * 15 + 1250 * 16 + 1500 * 17 + 1750 * 18 + 2000 * 19 + 2250 * 20), USD
    )
    assert {line.sku for line in order.lines} == set(projects)
    assert sorted(line.due_on for line in order.lines) == [line.due_on for line in order.lines]


def test_a_delivery_priced_in_another_currency_cannot_join_the_order():
    with pytest.raises(ValidationError, match=r"lines\[0\]\.unit_price"):
        Order(
            customer_id="acme",
            currency=USD,
            lines=[OrderLine(sku="MANGROVE-A", quantity=10, unit_price=Money("15", "EUR"))],
        )
