"""Tools for testing code built on orderbook (see the testing guide).

- :mod:`orderbook.testing.factories`: valid records and books in one call
  (``make_order(lines=3)``, ``make_customer()``, ``make_lot()``, ``make_book()``);
- :mod:`orderbook.testing.strategies`: hypothesis strategies for every public value, down to
  whole consistent books with a history; registered with hypothesis through its entry point,
  so ``st.from_type(Order)`` works downstream;
- :mod:`orderbook.testing.pytest_plugin`: the fixtures ``book``, ``sqlite_book`` and
  ``frozen_today``, loaded by pytest through the ``pytest11`` entry point;
- :mod:`orderbook.testing.contract`: the store contract suite, for anyone writing a store.

The strategies, the plugin and the contract suite need the ``test`` extra (pytest and
hypothesis); the factories need nothing more than orderbook. Importing this package imports
none of them, and the rest of orderbook never imports it.
"""
