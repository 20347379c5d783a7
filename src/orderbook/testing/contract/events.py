# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""The event log: append-only, numbered in order, read back exactly."""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import ValidationError
from orderbook.store import StoredEvent

AT = dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def test_appended_events_are_numbered_from_one_in_order(store):
    first = store.append_event("OrderPlaced", at=AT, order_id="o1", data={"lines": 2})
    second = store.append_event("LotAdded", at=AT)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first == StoredEvent(
        sequence=1, kind="OrderPlaced", order_id="o1", at=AT, data={"lines": 2}
    )
    assert second.order_id is None
    assert second.data == {}
    assert store.events() == (first, second)


def test_events_read_back_exactly_after_reopening(store, reopen):
    data = {"qty": "2.50", "lots": ["a", "b"], "nested": {"ok": True, "none": None}, "n": -7}
    appended = store.append_event("LotAllocated", at=AT, order_id="o1", data=data)
    (read,) = reopen().events()
    assert read == appended
    assert read.data == data
    assert read.at.isoformat() == "2027-01-04T09:30:00-05:00"


def test_events_can_be_read_for_one_order_and_after_a_sequence_number(store):
    for n, order_id in enumerate(["o1", "o2", "o1", None, "o1"], start=1):
        store.append_event("Happened", at=AT, order_id=order_id, data={"n": n})
    assert [e.sequence for e in store.events(order_id="o1")] == [1, 3, 5]
    assert [e.sequence for e in store.events(after=3)] == [4, 5]
    assert [e.sequence for e in store.events(order_id="o1", after=3)] == [5]
    assert store.events(after=5) == ()


def test_tuples_in_event_data_read_back_as_lists(store):
    store.append_event("Happened", at=AT, data={"lines": ("l1", "l2")})
    assert store.events()[0].data == {"lines": ["l1", "l2"]}


def test_changing_the_data_read_back_does_not_change_the_log(store):
    store.append_event("Happened", at=AT, data={"lines": ["l1"]})
    store.events()[0].data["lines"].append("l2")
    assert store.events()[0].data == {"lines": ["l1"]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"qty": 2.5}, "data['qty']"),
        ({"qty": Decimal("2.5")}, "data['qty']"),
        ({"when": dt.date(2027, 1, 1)}, "data['when']"),
        ({"deep": [{"x": 1.0}]}, "data['deep'][0]['x']"),
        ({1: "one"}, "data key"),
        (["not", "a", "mapping"], "data"),
        pytest.param({"n": 10**5000}, "data", id="an-int-too-long-for-text"),
    ],
)
def test_event_data_that_json_cannot_hold_exactly_is_refused(store, data, field):
    with pytest.raises(ValidationError) as caught:
        store.append_event("Happened", at=AT, data=data)
    assert caught.value.field == field
    assert store.events() == ()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "", "at": AT}, "kind"),
        ({"kind": "Happened", "at": dt.datetime(2027, 1, 1)}, "at"),
        ({"kind": "Happened", "at": AT, "order_id": ""}, "order_id"),
    ],
)
def test_an_event_without_kind_or_aware_moment_is_refused(store, arguments, field):
    others = {name: value for name, value in arguments.items() if name != "kind"}
    with pytest.raises(ValidationError) as caught:
        store.append_event(arguments["kind"], **others)
    assert caught.value.field == field
    assert store.events() == ()


@pytest.mark.parametrize("after", [-1, "1", True, None])
def test_reading_events_after_a_bad_sequence_number_is_refused(store, after):
    with pytest.raises(ValidationError):
        store.events(after=after)
