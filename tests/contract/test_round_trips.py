"""Every kind of record survives a round trip through every store, exactly.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.round_trips import *  # noqa: F403
