"""A store's records and events read for a check: past damaged rows, each one noted.

:func:`orderbook.check.check_book` reads every row of a book it may not trust. A store of
orderbook's reads on past a damaged row (its ``scan`` and ``scan_events``); another store's
``records`` raises on one, and then that kind of record is taken as empty and the row noted.
"""

from __future__ import annotations

from typing import Any, cast

from orderbook.errors import DamagedRow
from orderbook.store import Scan, Store, StoredEvent
from orderbook.store.codec import Row, encode
from orderbook.store.protocol import RECORD_KINDS, R, Record, kind_of
from orderbook.store.schema import TABLES

__all__ = ["Reading"]


class Reading:
    """Reads a store's rows one by one where the store can, noting each damaged row."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.damaged: list[DamagedRow] = []
        self.found: dict[str, tuple[Row, ...]] = {}  # what was read, by kind, as plain rows

    def records(self, kind: type[R]) -> tuple[R, ...]:
        return cast(tuple[R, ...], self._read(kind))

    def _read(self, kind: type[Record]) -> tuple[Record, ...]:
        store: Any = self.store  # each kind of record goes through the same calls
        scan = getattr(store, "scan", None)  # a store of ours reads on past damage
        found: tuple[Record, ...]
        damaged: tuple[DamagedRow, ...] = ()
        if callable(scan):
            result: Scan[Record] = scan(kind)
            found, damaged = result.found, result.damaged
        else:
            try:
                found = store.records(kind)
            except DamagedRow as error:
                found, damaged = (), (error,)
        self.damaged.extend(damaged)
        self.found[kind_of(kind)] = tuple(encode(record) for record in found)
        return found

    def the_rest(self) -> None:
        """Read the kinds of record no check looked at (the replay compares them all)."""
        for name, kind in RECORD_KINDS.items():
            if name not in self.found:
                self._read(kind)

    def events(self) -> tuple[StoredEvent, ...] | None:
        """Every event, or None when a row of the log is damaged (and so noted)."""
        scan = getattr(self.store, "scan_events", None)
        if callable(scan):
            result: Scan[StoredEvent] = scan()
            self.damaged.extend(result.damaged)
            return None if result.damaged else result.found
        try:
            return self.store.events()
        except DamagedRow as error:
            self.damaged.append(error)
            return None

    def damaged_keys(self) -> frozenset[tuple[str, str]]:
        """The kind and the key of each damaged row of the records' tables."""
        kinds = {TABLES[kind].name: name for name, kind in RECORD_KINDS.items()}
        return frozenset(
            (kinds[row.table], str(row.key)) for row in self.damaged if row.table in kinds
        )
