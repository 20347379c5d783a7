"""Mangrove: payments are recorded on each delivery, and the order's status summarizes them.

"A Partially Paid order has both deliveries that have been paid, and deliveries that have
not been paid."
"""

import datetime as dt
from decimal import Decimal

from orderbook import Money, Order, OrderLine, Payment
from orderbook.rollup import (
    CountingRules,
    PaymentBasis,
    PaymentState,
    format_percent,
    summarize,
)

USD = "USD"
PER_DELIVERY = CountingRules(payments=PaymentBasis.LINES)


def test_an_offtake_with_some_deliveries_paid_is_partially_paid_until_all_are():
    deliveries = [
        OrderLine(
            id=f"delivery-{n}",
            sku=["MANGROVE-A", "SEAGRASS-B", "PEAT-C"][n % 3],
            quantity=1000,
            unit_price=Money("15", USD),
            due_on=dt.date(2027 + n // 2, 6 if n % 2 == 0 else 12, 30),
        )
        for n in range(6)
    ]
    order = Order(id="acme-offtake", customer_id="acme", currency=USD, lines=deliveries)

    def paid(*numbers, as_of=dt.date(2030, 1, 1)):
        payments = [
            Payment(
                amount=Money("15000", USD),
                received_on=dt.date(2027, 7, 15),
                order_id=order.id,
                line_id=f"delivery-{n}",
            )
            for n in numbers
        ]
        return summarize(order, payments=payments, as_of=as_of, counting=PER_DELIVERY)

    assert paid().payment.state is PaymentState.NOT_PAID

    two_paid = paid(0, 1)
    assert two_paid.payment.state is PaymentState.PART_PAID
    assert format_percent(two_paid.payment.percent) == "33.33%"
    assert [line.outstanding for line in two_paid.lines][:3] == [
        Money("0.00", USD),
        Money("0.00", USD),
        Money("15000.00", USD),
    ]
    assert two_paid.payment.outstanding == Money("60000.00", USD)

    assert paid(*range(6)).payment.state is PaymentState.PAID
    # A payment recorded after the date asked about does not count yet.
    assert paid(0, as_of=dt.date(2027, 7, 1)).payment.state is PaymentState.NOT_PAID


def test_an_overpaid_delivery_does_not_make_an_unpaid_one_paid():
    order = Order(
        id="o",
        customer_id="acme",
        currency=USD,
        lines=[
            OrderLine(id="d1", sku="A", quantity=10, unit_price=Money("10", USD)),
            OrderLine(id="d2", sku="B", quantity=10, unit_price=Money("10", USD)),
        ],
    )
    overpaid = Payment(
        amount=Money("200", USD), received_on=dt.date(2027, 1, 1), order_id="o", line_id="d1"
    )
    summary = summarize(
        order, payments=[overpaid], as_of=dt.date(2027, 1, 2), counting=PER_DELIVERY
    )
    assert summary.payment.state is PaymentState.PART_PAID
    assert summary.payment.overpaid
    assert summary.payment.percent == Decimal(50)
