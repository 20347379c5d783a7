"""The book: the service that executes commands on a store and answers queries.

>>> from orderbook.book import OrderBook
>>> OrderBook()
OrderBook(MemoryStore(<0 records, 0 events>), workflow='standard')
"""

from orderbook.book.core import OrderBook
from orderbook.book.outcome import Outcome
from orderbook.book.queries import LineList, LineView, LotList, LotStock
from orderbook.book.simulation import Shortfall, Simulation, scratch_copy

__all__ = [
    "LineList",
    "LineView",
    "LotList",
    "LotStock",
    "OrderBook",
    "Outcome",
    "Shortfall",
    "Simulation",
    "scratch_copy",
]
