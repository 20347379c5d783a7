"""The event log: append-only, numbered in order, read back exactly.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.events import *  # noqa: F403
