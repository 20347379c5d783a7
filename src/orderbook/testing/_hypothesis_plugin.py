"""Registers orderbook's strategies with hypothesis, through its ``hypothesis`` entry point.

Once orderbook is installed, ``st.from_type(Order)`` (and ``st.builds`` of anything that takes
an orderbook value) draws valid values in downstream test suites, with no import needed.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from orderbook.model import Customer, Lot, Order, OrderLine
from orderbook.money import Money
from orderbook.testing import strategies as obst


def _register() -> None:
    st.register_type_strategy(Money, obst.money())
    st.register_type_strategy(OrderLine, obst.order_lines())
    st.register_type_strategy(Order, obst.orders())
    st.register_type_strategy(Customer, obst.customers())
    st.register_type_strategy(Lot, obst.lots(as_of=dt.date(2027, 1, 1)))
