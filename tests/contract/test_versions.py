"""Optimistic concurrency: every save and delete names the version it was based on.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.versions import *  # noqa: F403
