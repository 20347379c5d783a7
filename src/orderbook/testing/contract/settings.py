# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""Settings: named plain JSON values beside the records, read back exactly, all or nothing."""

import datetime as dt
from decimal import Decimal

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from orderbook import Lot, OrderbookError, ValidationError
from orderbook.testing.contract.transactions import Boom

AT = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
_WORKFLOW = {
    "name": "standard",
    "statuses": [{"code": "draft", "label": "Draft", "terminal": False}],
    "invoice_method": None,
    "limit": 3,
}


def _put_and_fail(store, settings, *, seen=None):
    """Put settings in one transaction, check what it reads, then raise Boom."""
    with store.transaction():
        for name, value in settings.items():
            store.put_setting(name, value)
        for name, value in (seen or {}).items():
            assert store.setting(name) == value
        raise Boom


def test_a_setting_reads_back_after_it_is_put_and_after_the_store_is_reopened(store, reopen):
    store.put_setting("workflow", _WORKFLOW)
    assert store.setting("workflow") == _WORKFLOW
    assert reopen().setting("workflow") == _WORKFLOW


def test_putting_a_setting_again_replaces_its_value(store, reopen):
    store.put_setting("workflow", _WORKFLOW)
    store.put_setting("workflow", ["another", "value"])
    assert store.setting("workflow") == ["another", "value"]
    assert reopen().setting("workflow") == ["another", "value"]


def test_a_name_never_put_reads_as_none_and_names_are_kept_apart(store):
    assert store.setting("workflow") is None
    store.put_setting("workflow", _WORKFLOW)
    store.put_setting("Workflow", "other")
    assert store.setting("workflows") is None
    assert (store.setting("workflow"), store.setting("Workflow")) == (_WORKFLOW, "other")


@pytest.mark.parametrize("value", ["text", 0, -(2**70), True, False, [], {}, [None, [1, "2"]]])
def test_a_setting_may_be_any_json_value(store, reopen, value):
    store.put_setting("value", value)
    read = reopen().setting("value")
    assert read == value
    assert type(read) is type(value)


def test_tuples_in_a_setting_read_back_as_lists(store):
    store.put_setting("workflow", {"statuses": ("draft", ("confirmed",))})
    assert store.setting("workflow") == {"statuses": ["draft", ["confirmed"]]}


def test_changing_the_value_read_back_does_not_change_the_setting(store):
    value = {"statuses": ["draft"]}
    store.put_setting("workflow", value)
    value["statuses"].append("put")
    store.setting("workflow")["statuses"].append("read")
    assert store.setting("workflow") == {"statuses": ["draft"]}


def test_a_rolled_back_transaction_leaves_the_previous_value(store, reopen):
    store.put_setting("workflow", _WORKFLOW)
    changes = {"workflow": "replaced", "colours": ["red"]}
    with pytest.raises(Boom):
        _put_and_fail(store, changes, seen=changes)
    assert store.setting("workflow") == _WORKFLOW
    assert store.setting("colours") is None
    again = reopen()
    assert (again.setting("workflow"), again.setting("colours")) == (_WORKFLOW, None)


def test_a_setting_commits_with_the_records_and_events_of_its_transaction(store, reopen):
    with store.transaction():
        store.put(Lot(id="lot-1", sku="TEA", quantity=1))
        store.put_setting("workflow", _WORKFLOW)
        store.append_event("WorkflowRecorded", at=AT, data={"name": "standard"})
    again = reopen()
    assert again.setting("workflow") == _WORKFLOW
    assert [event.kind for event in again.events()] == ["WorkflowRecorded"]
    assert again.get(Lot, "lot-1").version == 1


def test_a_failed_nested_transaction_undoes_only_its_own_settings(store, reopen):
    with store.transaction():
        store.put_setting("workflow", _WORKFLOW)
        with pytest.raises(Boom):
            _put_and_fail(store, {"workflow": "inner", "inner": 1})
        assert store.setting("workflow") == _WORKFLOW
        store.put_setting("after", 2)
    again = reopen()
    assert [again.setting(name) for name in ("workflow", "inner", "after")] == [_WORKFLOW, None, 2]


def test_a_setting_is_no_record_and_no_event_so_the_dump_leaves_it_out(store):
    store.put(Lot(id="lot-1", sku="TEA", quantity=1))
    before = store.dump()
    store.put_setting("workflow", _WORKFLOW)
    assert store.dump() == before
    assert store.events() == ()


_BAD_NAMES = ["", "   ", 42, None, b"workflow", "caf\udce9", "x" * 513]


@pytest.mark.parametrize("name", _BAD_NAMES)
def test_a_name_that_no_store_could_hold_is_refused_naming_the_argument(store, name):
    with pytest.raises(ValidationError) as caught:
        store.put_setting(name, _WORKFLOW)
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        store.setting(name)
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (2.5, "value"),
        (Decimal("2.5"), "value"),
        (dt.date(2027, 1, 1), "value"),
        ({"rate": 0.2}, "value['rate']"),
        ({"deep": [{"x": 1.0}]}, "value['deep'][0]['x']"),
        ({1: "one"}, "value key"),
        ({"set": {1, 2}}, "value['set']"),
        (["caf\udce9"], "value[0]"),
        ({"caf\udce9": 1}, "value key"),
        (object(), "value"),
        pytest.param(10**5000, "value", id="an-int-too-long-for-text"),
    ],
)
def test_a_value_that_json_cannot_hold_exactly_is_refused_and_changes_nothing(store, value, field):
    store.put_setting("workflow", _WORKFLOW)
    with pytest.raises(ValidationError) as caught:
        store.put_setting("workflow", value)
    assert caught.value.field == field
    assert store.setting("workflow") == _WORKFLOW


def test_a_value_nested_too_deeply_is_refused_with_a_validation_error(store):
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValidationError) as caught:
        store.put_setting("workflow", deep)
    assert caught.value.field == "value"
    assert store.setting("workflow") is None


def test_a_closed_store_refuses_settings(reopen):
    closed = reopen()
    closed.close()
    with pytest.raises(OrderbookError):
        closed.setting("workflow")
    with pytest.raises(OrderbookError):
        closed.put_setting("workflow", _WORKFLOW)


# -- any plain JSON value reads back as itself, with odd text too (NUL, control characters) ----

_text = st.text(max_size=8)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)
_setting_names = st.text(min_size=1, max_size=12).filter(str.strip)


@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_setting_names, value=_json_values)
def test_any_json_value_under_any_name_reads_back_as_itself(store, name, value):
    store.put_setting(name, value)
    assert store.setting(name) == value


@hypothesis.settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.dictionaries(_setting_names, _json_values, min_size=1, max_size=4))
def test_settings_read_back_as_themselves_after_the_store_is_reopened(reopen, values):
    store = reopen()
    for name, value in values.items():
        store.put_setting(name, value)
    again = reopen()
    assert {name: again.setting(name) for name in values} == values
