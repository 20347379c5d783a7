"""A workflow is validated when it is built: every problem is a ValidationError naming it."""

import contextlib
import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import OrderbookError
from orderbook.errors import ValidationError
from orderbook.workflow import (
    AllOf,
    Choices,
    HistoryEntry,
    Refusal,
    Rule,
    Settings,
    Status,
    Transition,
    Workflow,
    all_of,
    presets,
)


def never(order, facts):
    return False


def statuses():
    return [
        Status("draft", "Draft", editable=True),
        Status("open", "Open", commits=True),
        Status("auto", "Auto", manual=False),
        Status("closed", "Closed", terminal=True),
    ]


def transitions():
    return [
        Transition(source="draft", target="open", name="open"),
        Transition(source="open", target="closed", name="close"),
    ]


def rules():
    return [Rule(source="open", target="auto", when=never, name="auto")]


def build(**changes):
    fields = {
        "name": "test",
        "statuses": statuses(),
        "initial": "draft",
        "transitions": transitions(),
        "rules": rules(),
    }
    return Workflow(**{**fields, **changes})


def test_a_well_formed_workflow_builds():
    wf = build()
    assert wf.initial == "draft"
    assert wf.settings == Settings()


def refused(**changes):
    with pytest.raises(ValidationError) as caught:
        build(**changes)
    return caught.value


def test_a_transition_to_an_unknown_status_is_named():
    error = refused(transitions=[*transitions(), Transition(source="open", target="shipped")])
    assert (error.field, error.value) == ("transitions[2].target", "shipped")
    assert error.record == "Workflow 'test'"
    assert error.reason == "must be one of draft, open, auto, closed"


def test_a_transition_from_an_unknown_status_is_named():
    error = refused(
        transitions=[Transition(source=("draft", "limbo"), target="open"), *transitions()[1:]]
    )
    assert (error.field, error.value) == ("transitions[0].source[1]", "limbo")


def test_a_rule_naming_an_unknown_status_is_named():
    error = refused(rules=[Rule(source="open", target="gone", when=never, name="x")])
    assert (error.field, error.value) == ("rules[0].target", "gone")


def test_a_workflow_without_an_initial_status_is_refused():
    error = refused(initial=None)
    assert error.field == "initial"
    assert error.reason == "must name the status new orders start in"


def test_an_unknown_initial_status_is_refused():
    assert refused(initial="new").field == "initial"


def test_an_unreachable_status_is_named():
    error = refused(statuses=[*statuses(), Status("lost", "Lost")])
    assert (error.field, error.value) == ("statuses[4]", "lost")
    assert error.reason == "is unreachable from the initial status 'draft'"


def test_a_terminal_status_with_a_way_out_is_refused():
    error = refused(transitions=[*transitions(), Transition(source="closed", target="open")])
    assert (error.field, error.value) == ("transitions[2].source[0]", "closed")
    assert "terminal" in error.reason
    error = refused(rules=[*rules(), Rule(source="closed", target="auto", when=never, name="x")])
    assert error.field == "rules[1].source[0]"


def test_a_transition_into_a_status_set_only_by_rules_is_refused():
    error = refused(transitions=[*transitions(), Transition(source="open", target="auto")])
    assert (error.field, error.value) == ("transitions[2].target", "auto")
    assert error.reason == "is not a manual status: only an automatic rule may enter it"


def test_two_transitions_between_the_same_statuses_are_refused():
    error = refused(transitions=[*transitions(), Transition(source="open", target="closed")])
    assert error.field == "transitions[2].source[0]"


def test_no_statuses_and_duplicate_codes_are_refused():
    assert refused(statuses=[]).field == "statuses"
    error = refused(statuses=[*statuses(), Status("open", "Again")])
    assert (error.field, error.value) == ("statuses[4].code", "open")


def test_a_billing_list_naming_an_unknown_status_is_refused():
    assert refused(settings=Settings(to_bill=["open", "billed"])).field == "settings.to_bill[1]"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Status("Open", "Open"), "code"),
        (lambda: Status("open-now", "Open"), "code"),
        (lambda: Status("open", " "), "label"),
        (lambda: Status("open", "Open", editable=True, locked=True), "editable"),
        (lambda: Status("open", "Open", commits=True, releases=True), "commits"),
        (lambda: Status("open", "Open", manual="yes"), "manual"),
        (lambda: Transition(source=(), target="open"), "source"),
        (lambda: Transition(source=("a", "a"), target="open"), "source[1]"),
        (lambda: Transition(source="open", target="open"), "target"),
        (lambda: Transition(source="a", target="b", guard="fully_shipped"), "guard"),
        (lambda: Rule(source="a", target="b", when="lambda o, f: True", name="x"), "when"),
        (lambda: Rule(source="a", target="b", when=never, name=""), "name"),
        (lambda: Settings(invoice_method="weekly"), "invoice_method"),
        (lambda: all_of(never, "x"), "guards[1]"),
        (lambda: presets.dolibarr(order_to_bill="shipped"), "order_to_bill"),
        (lambda: presets.dolibarr(classify_billed_on="never"), "classify_billed_on"),
        (lambda: presets.dolibarr(shipments="yes"), "shipments"),
        (lambda: presets.kafinea(portal=1), "portal"),
        (lambda: presets.standard(invoice_method="daily"), "invoice_method"),
    ],
)
def test_bad_parts_are_refused_naming_the_field(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
    st.just(never),
    st.just(Status("draft", "Draft")),
    st.just(object()),
)


@pytest.mark.parametrize(
    "cls",
    [Status, Transition, Rule, Settings, Workflow, HistoryEntry, AllOf, Choices, Refusal],
    ids=lambda c: c.__name__,
)
@given(data=st.data())
def test_junk_in_any_field_raises_only_orderbook_errors(cls, data):
    fields = attrs.fields(cls)
    kwargs = {
        field.alias: data.draw(junk, label=field.name)
        for field in fields
        if field.default is attrs.NOTHING or data.draw(st.booleans(), label=f"give {field.name}")
    }
    with contextlib.suppress(OrderbookError):
        cls(**kwargs)
