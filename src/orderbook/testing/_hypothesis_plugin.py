"""Registers orderbook's strategies with hypothesis, through its ``hypothesis`` entry point.

Once orderbook is installed, ``st.from_type(Order)`` (and ``st.builds`` of anything that takes
an orderbook value) draws valid values in downstream test suites, with no import needed.

Hypothesis calls :func:`_register` while it is itself being imported, which may happen in the
middle of importing :mod:`orderbook.testing.strategies`; so this module imports nothing of
hypothesis at the top, and each strategy is looked up only when first drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from orderbook.allocation import Demand
from orderbook.model import Customer, Lot, Order, OrderLine
from orderbook.money import Money

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _register() -> None:
    from hypothesis import strategies as st

    from orderbook.testing import strategies as obst

    def later(make: Callable[[], SearchStrategy[object]]) -> SearchStrategy[object]:
        return st.deferred(make)

    st.register_type_strategy(Money, later(lambda: obst.money()))
    st.register_type_strategy(OrderLine, later(lambda: obst.order_lines()))
    st.register_type_strategy(Order, later(lambda: obst.orders()))
    st.register_type_strategy(Customer, later(lambda: obst.customers()))
    st.register_type_strategy(Lot, later(lambda: obst.lots(as_of=dt.date(2027, 1, 1))))
    st.register_type_strategy(Demand, later(lambda: obst.demands()))
