"""Settings: named plain JSON values beside the records, read back exactly, all or nothing.

The tests live in orderbook.testing.contract, so that the author of another store runs the same
ones; conftest.py gives them each store of this project as ``store`` and ``reopen``.
"""

from orderbook.testing.contract.settings import *  # noqa: F403
