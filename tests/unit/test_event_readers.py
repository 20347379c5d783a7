"""The readers of events read their typed fields, and read an UnknownEvent as they always did.

An application's own kind of event, or an event of the book's kinds whose data is damaged,
reads as an :class:`~orderbook.events.UnknownEvent`: the book's history, the command line's
events table and ``check`` go on reading it from its data, as they did before events were
typed.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings

from orderbook import (
    Customer,
    FixedClock,
    Lot,
    Money,
    OrderBook,
    OrderLine,
    Product,
    SequentialIds,
)
from orderbook._cli_tables import events_table
from orderbook.check import check_book
from orderbook.cli import main
from orderbook.events import OrderPlaced, StatusChanged, UnknownEvent
from orderbook.store import SQLiteStore, StoredEvent
from orderbook.testing.strategies import books
from orderbook.workflow import HistoryEntry

AT = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
LATER = AT + dt.timedelta(hours=1)


def _old_gist(data: Any) -> str:
    """The details column as the events table wrote it from the data, before typed events."""
    if not isinstance(data, dict):
        return ""
    pairs = sorted(data.items())
    return ", ".join(f"{k}={v}" for k, v in pairs if k != "changes" and v is not None)


def _book_file(path: Path) -> None:
    """A book file with one confirmed order, its OrderPlaced event damaged, and two events
    of kinds it does not know the data of: an application's own, and a damaged move."""
    book = OrderBook(SQLiteStore(path), clock=FixedClock(AT), id_factory=SequentialIds("id"))
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    book.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
    line = OrderLine(id="l1", sku="TEA", quantity=4, unit_price=Money("2.50", "EUR"))
    book.place_order("acme", [line], order_id="o1")
    book.transition("o1", "confirmed", by="ana", reason="signed")
    noted = {"text": "called the customer", "by": "ana", "pages": [1, 2]}
    book.store.append_event("Noted", at=LATER, order_id="o1", data=noted)
    moved = {"source": "confirmed", "target": "on_hold", "automatic": "yes", "by": 5}
    book.store.append_event("StatusChanged", at=LATER, order_id="o1", data=moved)
    book.close()
    with sqlite3.connect(path) as db:  # a customer id that is no text: the data is damaged
        db.execute(
            "UPDATE events SET data = json_set(data, '$.customer_id', 7)"
            " WHERE kind = 'OrderPlaced'"
        )
    db.close()


def _events(path: Path) -> tuple[StoredEvent, ...]:
    store = SQLiteStore(path)
    try:
        return store.events()
    finally:
        store.close()


def test_unknown_events_read_as_unknown_and_the_others_typed(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    _book_file(path)
    by_kind = {event.kind: event for event in _events(path)}
    assert by_kind["OrderPlaced"].event == UnknownEvent(
        kind="OrderPlaced", data=by_kind["OrderPlaced"].data
    )
    assert by_kind["Noted"].event == UnknownEvent(kind="Noted", data=by_kind["Noted"].data)
    moves = [e.event for e in _events(path) if e.kind == "StatusChanged"]
    assert isinstance(moves[0], StatusChanged)
    assert isinstance(moves[-1], UnknownEvent)


def test_history_reads_the_typed_moves_and_a_damaged_one_from_its_data(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    _book_file(path)
    book = OrderBook.open(path)
    try:
        history = book.history("o1")
    finally:
        book.close()
    assert tuple(history) == (
        HistoryEntry(
            order_id="o1", source="draft", target="confirmed", at=AT, by="ana", reason="signed"
        ),
        # by that is no text reads as None, automatic that is no bool as False, as before
        HistoryEntry(order_id="o1", source="confirmed", target="on_hold", at=LATER),
    )


def test_a_move_without_a_source_or_target_is_no_entry_of_the_history(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    _book_file(path)
    store = SQLiteStore(path)
    store.append_event("StatusChanged", at=LATER, order_id="o1", data={"target": "done"})
    book = OrderBook(store)
    try:
        assert [(h.source, h.target) for h in book.history("o1")] == [
            ("draft", "confirmed"),
            ("confirmed", "on_hold"),
        ]
    finally:
        book.close()


def test_the_events_command_prints_every_event_as_it_did(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    _book_file(path)
    out = io.StringIO()
    assert main(["events", "--db", str(path), "--wide"], out=out) == 0
    rows = out.getvalue().splitlines()[2:]
    events = _events(path)
    assert len(rows) == len(events)
    for row, event in zip(rows, events, strict=True):
        assert row.split()[:3] == [str(event.sequence), event.at.isoformat(), event.kind]
        assert row.rstrip().endswith(" " + _old_gist(event.data).rstrip())
    noted = next(row for row in rows if " Noted " in row)
    assert noted.rstrip().endswith("by=ana, pages=[1, 2], text=called the customer")
    placed = next(row for row in rows if " OrderPlaced " in row)
    assert " customer_id=7, " in placed
    assert main(["events", "--db", str(path)], out=io.StringIO()) == 0  # kept to a width


def test_check_replays_the_unknown_events_and_finds_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    _book_file(path)
    store = SQLiteStore(path)
    try:
        assert check_book(store) == ()
    finally:
        store.close()
    out = io.StringIO()
    assert main(["check", "--db", str(path)], out=out) == 0
    assert out.getvalue().endswith("book.sqlite: no problems\n")


@settings(max_examples=20, deadline=None)
@given(books(max_steps=10))
def test_the_events_table_of_any_book_shows_the_details_its_data_holds(book: OrderBook) -> None:
    events = book.events()
    rows = events_table(events, width=None).splitlines()[2:]
    for row, event in zip(rows, events, strict=True):
        assert row.rstrip().endswith(_old_gist(event.data).rstrip())
        assert event.kind in row.split()


def test_a_stored_event_reads_its_typed_value_once_and_keeps_its_equality() -> None:
    data = {"changes": [], "customer_id": "acme", "number": "SO-1"}
    stored = StoredEvent(sequence=1, kind="OrderPlaced", order_id="o1", at=AT, data=data)
    twin = attrs.evolve(stored)
    before = hash(stored)
    first = stored.event
    assert first == OrderPlaced(customer_id="acme", number="SO-1")
    assert stored.event is first
    assert stored == twin
    assert hash(stored) == before == hash(twin)
    assert twin.event == first
