"""The store contract suite: the tests every store must pass, for any store you write.

The suite is plain pytest test functions over two fixtures that you provide:

- ``store``: a new, empty store of yours;
- ``reopen``: a function returning a fresh store on the same data, as another process would
  open it (for a store that keeps nothing, the same store).

Put them in a ``conftest.py`` and import the suite into a test module; pytest runs every test
against your store. Each part can also be imported alone: :mod:`~.round_trips` (every kind
of record survives a round trip exactly), :mod:`~.versions` (optimistic concurrency),
:mod:`~.transactions` (all or nothing, savepoints), :mod:`~.queries`, :mod:`~.events` (the
append-only log), :mod:`~.settings` (named JSON values beside the records) and :mod:`~.dump`.
The suite needs pytest and hypothesis (the ``test`` extra).

.. code-block:: python

    # conftest.py
    import pytest
    from mystore import MyStore

    @pytest.fixture
    def store(tmp_path):
        with MyStore(tmp_path / "data") as opened:
            yield opened

    @pytest.fixture
    def reopen(store, tmp_path):
        return lambda: MyStore(tmp_path / "data")

    # test_my_store.py
    from orderbook.testing.contract import *  # noqa: F403
"""

from orderbook.testing.contract._records import full_records, records_fixture
from orderbook.testing.contract.dump import *  # noqa: F403
from orderbook.testing.contract.events import *  # noqa: F403
from orderbook.testing.contract.queries import *  # noqa: F403
from orderbook.testing.contract.queries import filled
from orderbook.testing.contract.round_trips import *  # noqa: F403
from orderbook.testing.contract.settings import *  # noqa: F403
from orderbook.testing.contract.transactions import *  # noqa: F403
from orderbook.testing.contract.versions import *  # noqa: F403

__all__ = [
    "full_records",
    "records_fixture",
    "filled",
    *sorted(name for name in tuple(globals()) if name.startswith("test_")),
]
