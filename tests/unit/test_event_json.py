"""The book's events composed as text: the same text the data would give, checked alike."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook.errors import ValidationError
from orderbook.events import Change, change_json
from orderbook.model import Order
from orderbook.store import EventJson, event_json
from orderbook.store._base import event_text
from orderbook.store.codec import JsonValue, canonical_json
from orderbook.testing.strategies import orders

KEYS = st.text(min_size=1, max_size=8).filter(lambda key: key != "changes")
LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@given(
    st.lists(orders(max_lines=3), max_size=3),
    st.dictionaries(KEYS, VALUES, max_size=4),
)
def test_composed_text_is_the_canonical_text_of_the_whole_data(
    records: list[Order], data: dict[str, JsonValue]
) -> None:
    changes = [Change.put(record).to_json() for record in records]
    composed = event_json([change_json("put", record) for record in records], data)
    whole: dict[str, JsonValue] = {"changes": list(changes), **data}
    assert composed.text == canonical_json(whole)
    assert event_text(composed) == composed.text
    assert dict(composed) == json.loads(canonical_json(whole))


def test_composed_data_reads_as_a_mapping() -> None:
    composed = event_json(['{"op":"delete","kind":"lot"}'], {"number": "SO-1"})
    assert isinstance(composed, EventJson)
    assert composed["number"] == "SO-1"
    assert sorted(composed) == ["changes", "number"]
    assert len(composed) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [({"qty": 2.5}, "data['qty']"), ({"at": {"x": object()}}, "data['at']['x']")],
)
def test_details_json_cannot_hold_are_refused_naming_them(
    data: dict[str, JsonValue], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        event_json([], data)
    assert refused.value.field == field


def test_the_changes_key_is_the_events_own() -> None:
    with pytest.raises(ValidationError, match="changes"):
        event_json([], {"changes": []})
