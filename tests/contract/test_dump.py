"""dump(): every record and event in one canonical, comparable form.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.dump import *  # noqa: F403
