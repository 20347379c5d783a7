"""The identity map of one command: each record is read from the store at most once.

A command reads the same order, its allocations and its lots several times: the handler
loads them, then settling the automatic statuses loads them again. :class:`CachedStore`
wraps the store for the length of one command. The first read of a record, or of a query,
goes to the store; later reads get the same values back. Every write goes through to the
store and then updates what is cached, so a read after a write sees the write. Settings are
not cached: each read of one goes to the store.

The cache lives inside the command's transaction, so nothing else writes meanwhile. If a
write inside it fails, the whole cache is dropped: the next reads go to the store again.

>>> from orderbook import Customer
>>> from orderbook.store import MemoryStore
>>> store = CachedStore(MemoryStore())
>>> acme = store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
>>> store.get(Customer, "acme") is acme
True

A query asked once is answered from the cache afterwards, and every write keeps it true:

>>> from orderbook import Lot
>>> _ = store.put(Lot(id="shelf", sku="TEA", quantity=5))
>>> [lot.id for lot in store.lots_by_sku("TEA")]
['shelf']
>>> _ = store.put(Lot(id="dock", sku="TEA", quantity=1))
>>> store.delete(store.get(Lot, "shelf"))
>>> [lot.id for lot in store.lots_by_sku("TEA")], store.inner.lots_by_sku("TEA")[0].id
(['dock'], 'dock')

A setting is read from the store every time, so a rolled-back write leaves nothing stale:

>>> store.put_setting("workflow", {"name": "standard"})
>>> try:
...     with store.transaction():
...         store.put_setting("workflow", {"name": "mangrove"})
...         print(store.setting("workflow"))
...         raise RuntimeError("refused")
... except RuntimeError:
...     pass
{'name': 'mangrove'}
>>> store.setting("workflow")
{'name': 'standard'}
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar, cast

from orderbook.errors import NotFound
from orderbook.model import (
    Allocation,
    Forfeit,
    Invoice,
    Lot,
    Order,
    Payment,
    PurchaseOrder,
    Quote,
    Shipment,
)
from orderbook.store import Criteria, Store, StoreBase, StoredEvent
from orderbook.store.codec import JsonValue
from orderbook.store.protocol import Dump, R, Record

__all__ = ["CachedStore"]

# The public query of the Store protocol that answers each (kind, fields) criteria.
_QUERIES: dict[tuple[type[Record], tuple[str, ...]], str] = {
    (Order, ("customer_id",)): "orders_by_customer",
    (Order, ("status",)): "orders_by_status",
    (Quote, ("customer_id",)): "quotes_by_customer",
    (Lot, ("sku",)): "lots_by_sku",
    (Allocation, ("order_id",)): "allocations_by_order",
    (Allocation, ("order_id", "line_id")): "allocations_by_line",
    (Allocation, ("lot_id",)): "allocations_by_lot",
    (Shipment, ("order_id",)): "shipments_by_order",
    (Forfeit, ("order_id",)): "forfeits_by_order",
    (Invoice, ("order_id",)): "invoices_by_order",
    (Invoice, ("customer_id",)): "invoices_by_customer",
    (Payment, ("order_id",)): "payments_by_order",
    (Payment, ("invoice_id",)): "payments_by_invoice",
    (PurchaseOrder, ("order_id",)): "purchase_orders_by_order",
}

T = TypeVar("T")

_ALL: Criteria = ()  # the criteria of ``records(kind)``: every record matches


def _id(record: Record) -> str:
    return record.id


class _Answer:
    """The cached answer to one query: its records by id, and the sorted tuple once built."""

    __slots__ = ("by_id", "sorted")

    def __init__(self, records: tuple[Record, ...]) -> None:
        self.by_id = {record.id: record for record in records}
        self.sorted: tuple[Record, ...] | None = records

    def records(self) -> tuple[Record, ...]:
        if self.sorted is None:
            self.sorted = tuple(sorted(self.by_id.values(), key=_id))
        return self.sorted


class CachedStore(StoreBase):
    """A store seen through the identity map of one command (see the module's text).

    Args:
        store: the store every read misses to and every write goes to.
        kinds: the kinds of record it caches; reads of other kinds go to the store every
            time. Every kind when None.
    """

    def __init__(self, store: Store, *, kinds: frozenset[type[Record]] | None = None) -> None:
        self.inner = store
        self._kinds = kinds
        self._records: dict[tuple[type[Record], str], Record | None] = {}
        self._answers: dict[type[Record], dict[Criteria, _Answer]] = {}
        self._results: dict[tuple[object, ...], tuple[object, tuple[object, ...]]] = {}

    def __repr__(self) -> str:
        return f"CachedStore({self.inner!r})"

    def _caches(self, kind: type[Record]) -> bool:
        return self._kinds is None or kind in self._kinds

    def forget(self) -> None:
        """Drop everything cached: the next reads go to the store."""
        self._records.clear()
        self._answers.clear()
        self._results.clear()

    def remember(
        self, key: tuple[object, ...], parts: tuple[object, ...], compute: Callable[[], T]
    ) -> T:
        """The result of a pure computation over ``parts``, computed once per command.

        Args:
            key: plain values the result depends on (compared by value).
            parts: the values (records, tuples of records) the result depends on, compared
                by identity: the cache hands the same object back until it changes.
            compute: computes the result.
        """
        full = (*key, *map(id, parts))
        found = self._results.get(full)
        if found is None:
            found = self._results[full] = (compute(), parts)  # parts kept: their ids stay theirs
        return cast(T, found[0])

    # -- records ----------------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> R:
        """Return the record of that kind and id, from the store the first time only.

        Raises:
            NotFound: there is no such record.
        """
        if not self._caches(kind):
            return self.inner.get(kind, record_id)
        key = (kind, record_id)
        try:
            record = self._records[key]
        except (KeyError, TypeError):  # TypeError: an unhashable id, which the store refuses
            try:
                record = self.inner.get(kind, record_id)
            except NotFound:
                self._records[key] = None
                raise
            self._records[key] = record
        if record is None:
            return self.inner.get(kind, record_id)  # raises NotFound, as the store words it
        return cast(R, record)

    def records(self, kind: type[R]) -> tuple[R, ...]:
        """Return every record of one kind, by id."""
        return self._answer(kind, _ALL, lambda: self.inner.records(kind))

    def put(self, record: R) -> R:
        """Save a record in the store, then cache it as saved."""
        saved = self.inner.put(record)
        self._saw(saved, saved)
        return saved

    def delete(self, record: R) -> None:
        """Delete a record from the store, then forget it."""
        self.inner.delete(record)
        self._saw(record, None)

    def _saw(self, record: Record, now: Record | None) -> None:
        kind = type(record)
        if not self._caches(kind):
            return
        self._records[(kind, record.id)] = now
        for criteria, answer in self._answers.get(kind, {}).items():
            if now is not None and all(getattr(now, f) == v for f, v in criteria):
                answer.by_id[now.id] = now
                answer.sorted = None
            elif answer.by_id.pop(record.id, None) is not None:
                answer.sorted = None

    # -- queries ----------------------------------------------------------------------------

    def _answer(
        self, kind: type[R], criteria: Criteria, ask: Callable[[], tuple[R, ...]]
    ) -> tuple[R, ...]:
        if not self._caches(kind):
            return ask()
        answers = self._answers.setdefault(kind, {})
        answer = answers.get(criteria)
        if answer is None:
            found = ask()
            answer = answers[criteria] = _Answer(found)
            for record in found:
                self._records.setdefault((kind, record.id), record)
        return cast(tuple[R, ...], answer.records())

    def _select(self, kind: type[R], criteria: Criteria) -> tuple[R, ...]:
        query = getattr(self.inner, _QUERIES[(kind, tuple(f for f, _ in criteria))])

        def ask() -> tuple[R, ...]:
            return cast(tuple[R, ...], query(*(value for _, value in criteria)))

        return self._answer(kind, criteria, ask)

    def _select_by_sku(self, sku: str) -> tuple[Order, ...]:
        return self.inner.orders_by_sku(sku)

    def _select_placed(self, start: int, end: int) -> tuple[Order, ...]:
        raise AssertionError("orders_placed_between is passed through")  # pragma: no cover

    def orders_placed_between(self, start: dt.datetime, end: dt.datetime) -> tuple[Order, ...]:
        """Return the orders placed from ``start`` (included) to ``end`` (excluded)."""
        return self.inner.orders_placed_between(start, end)

    # -- events and the unit of work --------------------------------------------------------

    def append_event(
        self,
        kind: str,
        *,
        at: dt.datetime,
        order_id: str | None = None,
        data: Mapping[str, JsonValue] | None = None,
    ) -> StoredEvent:
        """Append an event to the store."""
        return self.inner.append_event(kind, at=at, order_id=order_id, data=data)

    def events(self, *, order_id: str | None = None, after: int = 0) -> tuple[StoredEvent, ...]:
        """Return the store's events after a sequence number."""
        return self.inner.events(order_id=order_id, after=after)

    def setting(self, name: str) -> JsonValue | None:
        """Return the store's setting, read from the store every time.

        Settings are read rarely and not cached, so a write, and a rollback, are seen at once.
        """
        return self.inner.setting(name)

    def put_setting(self, name: str, value: JsonValue) -> None:
        """Store a setting's value in the store."""
        self.inner.put_setting(name, value)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The store's transaction; if its block raises, the cache is dropped too."""
        try:
            with self.inner.transaction():
                yield
        except BaseException:
            self.forget()
            raise

    def dump(self) -> Dump:
        """Return the store's dump."""
        return self.inner.dump()

    def close(self) -> None:
        """Closing belongs to the book, not to one command: this does nothing."""
