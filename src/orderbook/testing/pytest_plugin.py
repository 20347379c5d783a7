"""orderbook's pytest plugin: the fixtures ``frozen_today``, ``book`` and ``sqlite_book``.

Installed with orderbook, pytest loads it through the ``pytest11`` entry point, so a project's
tests ask for the fixtures by name with nothing to import or configure. Only pytest imports
this module; orderbook itself never does.

- ``frozen_today``: a :class:`~orderbook.clock.FixedClock` standing at
  :data:`~orderbook.testing.factories.FROZEN_AT` (2027-01-04 09:00 UTC); the books below read
  the time from it, so a test moves time with ``frozen_today.advance(...)``.
- ``book``: an :class:`~orderbook.book.OrderBook` in memory, made by
  :func:`~orderbook.testing.factories.make_book`: customer ``acme`` (EUR), products ``TEA``,
  ``MUG`` and ``POT`` and a lot ``<sku>-shelf`` of 100 of each, ids ``id-1``, ``id-2``, ...
- ``sqlite_book``: the same on an SQLite file in the test's temporary folder, closed when
  the test ends.

A project's own ``conftest.py`` may override any of them by defining a fixture of that name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.store import SQLiteStore
from orderbook.testing.factories import FROZEN_AT, make_book

__all__ = ["book", "frozen_today", "sqlite_book"]


@pytest.fixture
def frozen_today() -> FixedClock:
    """A clock that stands still at 2027-01-04 09:00 UTC until the test moves it."""
    return FixedClock(FROZEN_AT)


@pytest.fixture
def book(frozen_today: FixedClock) -> OrderBook:
    """A book in memory with a customer, three products and stock, on the frozen clock."""
    return make_book(clock=frozen_today)


@pytest.fixture
def sqlite_book(frozen_today: FixedClock, tmp_path: Path) -> Iterator[OrderBook]:
    """The same book on an SQLite file of the test's own; closed when the test ends."""
    store = SQLiteStore(tmp_path / "book.sqlite")
    try:
        yield make_book(store=store, clock=frozen_today)
    finally:
        store.close()
