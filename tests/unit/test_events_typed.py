"""Typed events: every kind is a value, one codec writes and reads them, old JSON still reads."""

from __future__ import annotations

import datetime as dt
import doctest
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Customer, Money, OrderLine, Product
from orderbook._fields import required_text
from orderbook.book import OrderBook
from orderbook.book.demo import demo_clock, demo_ids, run
from orderbook.errors import ValidationError
from orderbook.events import (
    Allocated,
    Amended,
    Change,
    Event,
    EventKind,
    Forfeited,
    Invoiced,
    OrderPlaced,
    PaymentRecorded,
    Procured,
    ProcuredOrder,
    Shipped,
    StatusChanged,
    UnknownEvent,
    from_json,
    replay,
    to_json,
)
from orderbook.events.codec import EVENT_CLASSES, details
from orderbook.store import MemoryStore
from orderbook.store.codec import canonical_json
from orderbook.store.events import read_event_data
from orderbook.testing.factories import make_book
from orderbook.testing.strategies import amounts, books, lots, money, orders

AT = dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC)
TEXT = st.text(max_size=8)
ID = TEXT.filter(str.strip)  # an id: text with something other than spaces in it
JSON_LEAVES = st.none() | st.booleans() | st.integers() | TEXT
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
CHANGES = (orders(max_lines=2) | lots(as_of=AT.date())).flatmap(
    lambda record: st.sampled_from([Change.put(record), Change.delete(record)])
)


def _strategy(hint: Any, annotation: object) -> st.SearchStrategy[Any]:
    """Values of a field's type, from the type alone (as the codec reads it)."""
    if annotation in ("Row", "dict[str, JsonValue]"):
        return st.dictionaries(TEXT, JSON, max_size=3)
    simple: dict[object, st.SearchStrategy[Any]] = {
        str: TEXT,
        int: st.integers(),
        bool: st.booleans(),
        Decimal: amounts(places=3),
        dt.date: st.dates(),
        Money: money(),
        Change: CHANGES,
    }
    if hint in simple:
        return simple[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return st.none() | _strategy(inner, None)
    if origin is tuple:
        return st.lists(_strategy(args[0], None), max_size=3).map(tuple)
    if origin in (dict, Mapping):
        return st.dictionaries(TEXT, _strategy(args[1], None), max_size=3)
    return _values(hint)


def _values(cls: type) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: ID if f.validator is required_text else _strategy(hints[f.name], f.type)
        for f in attrs.fields(cls)
    }
    return st.builds(cls, **fields)


@pytest.mark.parametrize("cls", sorted(EVENT_CLASSES.values(), key=lambda cls: cls.__name__))
@settings(max_examples=25)
@given(data=st.data())
def test_every_kind_of_event_reads_back_from_its_json_text_as_the_same_value(
    cls: type[Event], data: st.DataObject
) -> None:
    event = data.draw(_values(cls))
    text = canonical_json(to_json(event))
    read = from_json(cls.kind.value, read_event_data(text))
    assert type(read) is cls
    assert read == event
    assert canonical_json(to_json(read)) == text


def test_every_kind_the_book_names_has_its_class() -> None:
    assert {cls.kind for cls in EVENT_CLASSES.values()} == set(EventKind)
    assert all(EVENT_CLASSES[cls.kind.value] is cls for cls in EVENT_CLASSES.values())


def test_an_event_written_before_the_typed_values_reads_as_its_typed_value() -> None:
    # The text the book wrote for these events before they were typed values.
    moved = (
        '{"automatic":true,"by":null,"changes":[],"reason":null,'
        '"source":"confirmed","target":"partially_shipped"}'
    )
    assert from_json("StatusChanged", read_event_data(moved)) == StatusChanged(
        source="confirmed", target="partially_shipped", reason=None, automatic=True, by=None
    )
    allocated = (
        '{"by":"ana","changes":[{"kind":"allocation","op":"delete","row":'
        '{"id":"a1","version":2}}],"lines":{"l1":"2.5","l2":"1"},"manual":false}'
    )
    assert from_json("Allocated", read_event_data(allocated)) == Allocated(
        lines={"l1": Decimal("2.5"), "l2": Decimal("1")},
        manual=False,
        by="ana",
        changes=(Change(op="delete", kind="allocation", row={"id": "a1", "version": 2}),),
    )
    paid = '{"amount":"EUR 10.00","changes":[],"payment_id":"p1"}'
    assert from_json("PaymentRecorded", read_event_data(paid)) == PaymentRecorded(
        payment_id="p1", amount=Money("10.00", "EUR")
    )
    billed = (
        '{"automatic":false,"changes":[],"invoice_id":"i1",'
        '"period_start":"2027-02-01","status":"draft"}'
    )
    assert from_json("Invoiced", read_event_data(billed)) == Invoiced(
        invoice_id="i1", status="draft", period_start=dt.date(2027, 2, 1)
    )
    procured = (
        '{"changes":[],"purchase_orders":[{"id":"po1","number":null,'
        '"supplier":"Leaf Co","total":"EUR 12.00"}]}'
    )
    assert from_json("Procured", read_event_data(procured)) == Procured(
        purchase_orders=(ProcuredOrder(id="po1", supplier="Leaf Co", total=Money("12", "EUR")),)
    )
    for kind, text in [
        ("StatusChanged", moved),
        ("Allocated", allocated),
        ("PaymentRecorded", paid),
        ("Invoiced", billed),
        ("Procured", procured),
    ]:  # and the typed value writes the very same text
        assert canonical_json(to_json(from_json(kind, read_event_data(text)))) == text


def test_a_kind_the_book_does_not_write_reads_as_an_unknown_event_and_replays() -> None:
    store, copy = MemoryStore(), MemoryStore()
    saved = store.put(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    noted = {"changes": [Change.put(saved).to_json()], "text": "called"}
    store.append_event("Noted", at=AT, order_id="o1", data=noted)
    (event,) = store.events()
    assert event.event == UnknownEvent(kind="Noted", data=noted)
    assert to_json(event.event) == noted
    assert replay(store.events(), copy) == 1
    assert copy.dump() == store.dump()


@pytest.mark.parametrize(
    "data",
    [
        {"lines": 2},  # no customer_id
        {"customer_id": 7},  # not text
        {"customer_id": "acme", "changes": [{"op": "rename", "kind": "order", "row": {}}]},
        {"customer_id": "acme", "changes": "none"},
    ],
)
def test_data_that_does_not_fit_its_kind_reads_as_an_unknown_event(data: dict[str, Any]) -> None:
    assert from_json("OrderPlaced", data) == UnknownEvent(kind="OrderPlaced", data=data)


def _walkthrough_book() -> OrderBook:
    """The book docs/book.md walks through: nearly every command, so nearly every kind."""
    path = Path(__file__).parents[2] / "docs" / "book.md"
    test = doctest.DocTestParser().get_doctest(path.read_text(), {}, "book", str(path), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert runner.run(test, out=lambda _: None, clear_globs=False).failed == 0
    book = test.globs["book"]
    assert isinstance(book, OrderBook)
    return book


def test_the_book_writes_each_event_as_its_typed_value_writes_it() -> None:
    demo = OrderBook(clock=demo_clock(), id_factory=demo_ids())
    run(demo)
    events = demo.events() + _walkthrough_book().events()
    assert len({event.kind for event in events}) >= 25
    for event in events:
        typed = event.event
        assert isinstance(typed, Event), event
        assert typed.kind == event.kind
        assert canonical_json(to_json(typed)) == canonical_json(dict(event.data))


@settings(max_examples=20, deadline=None)
@given(books(max_steps=12))
def test_every_event_of_any_book_is_typed_and_writes_its_stored_text(book: OrderBook) -> None:
    for event in book.events():
        typed = event.event
        assert isinstance(typed, Event)
        assert canonical_json(to_json(typed)) == canonical_json(dict(event.data))


def test_the_events_of_a_lifecycle_are_typed_with_their_fields() -> None:
    book = make_book(stock=10)
    since = len(book.events())
    tea = OrderLine(id="l1", sku="TEA", quantity=3, unit_price=Money("4.50", "EUR"))
    order = book.place_order("acme", [tea], number="SO-1", by="ana")
    book.transition(order.id, "confirmed", by="ana")
    book.allocate(order.id)
    shipment = book.ship(order.id, {"l1": 2})
    invoice = book.invoice(order.id, issue=True)
    book.record_payment(Money("5.00", "EUR"), invoice_id=invoice.id)
    typed = [event.event for event in book.events(since=since)]
    placed, confirmed, allocated, shipped = typed[:4]
    assert placed == OrderPlaced(
        customer_id="acme", number="SO-1", by="ana", changes=placed.changes
    )
    assert [change.kind for change in placed.changes] == ["order"]
    assert confirmed == StatusChanged(
        source="draft", target="confirmed", by="ana", changes=confirmed.changes
    )
    assert isinstance(allocated, Allocated)
    assert allocated.lines == {"l1": Decimal(3)}
    assert allocated.manual is False
    assert shipped == Shipped(
        shipment_id=shipment.id, lines={"l1": Decimal(2)}, changes=shipped.changes
    )
    moves = [(e.source, e.target, e.automatic) for e in typed if isinstance(e, StatusChanged)]
    assert moves[1] == ("confirmed", "partially_shipped", True)
    (billed,) = [e for e in typed if isinstance(e, Invoiced)]
    assert (billed.invoice_id, billed.status) == (invoice.id, "issued")
    (paid,) = [e for e in typed if isinstance(e, PaymentRecorded)]
    assert paid.amount == Money("5.00", "EUR")
    assert [type(e) for e in typed].count(StatusChanged) == len(moves)


def test_the_book_states_who_acted_unless_the_kind_states_its_own() -> None:
    book = make_book()
    book.save_product(Product(sku="MUG"), by="ana")
    saved = book.events()[-1].event
    assert saved.by == "ana"  # type: ignore[union-attr]
    assert details(StatusChanged(source="a", target="b"))["by"] is None
    assert "by" not in details(OrderPlaced(customer_id="acme"))


def test_the_codec_refuses_what_is_not_an_event_naming_the_argument() -> None:
    with pytest.raises(ValidationError) as refused:
        to_json({"kind": "OrderPlaced"})  # type: ignore[arg-type]
    assert refused.value.field == "event"
    with pytest.raises(ValidationError) as refused:
        from_json("OrderPlaced", ["customer_id"])  # type: ignore[arg-type]
    assert refused.value.field == "data"
    with pytest.raises(ValidationError) as refused:
        from_json(7, {})  # type: ignore[arg-type]
    assert refused.value.field == "kind"


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: OrderPlaced(customer_id=" "), "customer_id", " "),
        (lambda: Shipped(shipment_id="", lines={}), "shipment_id", ""),
        (lambda: Forfeited(line_id="l1", quantity=2), "quantity", 2),  # type: ignore[arg-type]
        (lambda: Amended(supersedes="o1", revision=2, released="1"), "released", "1"),  # type: ignore[arg-type]
        (lambda: PaymentRecorded(payment_id="p1", amount="EUR 1"), "amount", "EUR 1"),  # type: ignore[arg-type]
        (lambda: ProcuredOrder(id="po1", total=12), "total", 12),  # type: ignore[arg-type]
        (lambda: Invoiced(invoice_id="i1", status="draft", period_start=AT), "period_start", AT),
    ],
)
def test_an_event_built_in_code_refuses_a_bad_id_quantity_amount_or_day(
    make: Any, field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as refused:
        make()
    assert (refused.value.field, refused.value.value) == (field, value)


def test_data_with_a_blank_id_reads_as_an_unknown_event_not_an_error() -> None:
    data = {"changes": [], "payment_id": "", "amount": "EUR 1.00"}
    assert from_json("PaymentRecorded", data) == UnknownEvent(kind="PaymentRecorded", data=data)
