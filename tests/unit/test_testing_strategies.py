import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from orderbook import Customer, Lot, Money, Order, OrderLine, order_totals
from orderbook.testing import strategies as obst


@given(st.from_type(Order))
def test_from_type_draws_valid_orders_through_the_entry_point(order):
    assert isinstance(order, Order)
    assert order.lines
    assert all(line.unit_price.currency == order.currency for line in order.lines)
    assert order_totals(order).gross.currency == order.currency


@given(st.from_type(Money), st.from_type(OrderLine), st.from_type(Customer), st.from_type(Lot))
def test_every_registered_type_draws_its_own_kind(money, line, customer, lot):
    assert isinstance(money, Money)
    assert money.is_quantized
    assert line.quantity > 0
    if customer.auto_accept_limit is not None:
        assert customer.auto_accept_limit.currency == customer.currency
    assert lot.quantity >= 0


@given(obst.lots(as_of=dt.date(2027, 6, 1)))
def test_expected_lots_always_say_when_they_arrive(lot):
    assert lot.available_on is not None or not lot.source.expected


@given(obst.orders(currency="JPY", max_lines=3))
def test_orders_keep_to_the_currency_and_line_count_asked_for(order):
    assert order.currency == "JPY"
    assert 1 <= len(order.lines) <= 3
    assert [line.id for line in order.lines] == [f"l{i}" for i in range(1, len(order.lines) + 1)]
