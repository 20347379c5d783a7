"""Every query of the Store protocol, on every store, in its documented order.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.queries import *  # noqa: F403
