"""The unit of work: everything inside transaction() commits together or not at all.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.transactions import *  # noqa: F403
