"""Cancelling moves an order to the status flagged ``cancels``; nothing is found by name."""

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import InvalidTransition, Order, OrderbookError
from orderbook.errors import ValidationError
from orderbook.workflow import (
    OrderFacts,
    Rule,
    Status,
    Transition,
    Workflow,
    cancel_target,
    presets,
)
from orderbook.workflow.record import FORMAT, upgrade, workflow_data, workflow_from_data

PRESETS = {
    "standard": presets.standard(),
    "mangrove": presets.mangrove(),
    "mrpeasy": presets.mrpeasy(),
    "dolibarr": presets.dolibarr(),
    "dolibarr-no-shipments": presets.dolibarr(shipments=False),
    "bop": presets.bop(),
    "kafinea": presets.kafinea(),
}
CANCELS = {
    "standard": "cancelled",
    "mangrove": "cancelled",
    "mrpeasy": "canceled",
    "dolibarr": "canceled",
    "dolibarr-no-shipments": "canceled",
    "bop": None,
    "kafinea": "cancelled",
}


def always(order, facts):
    return True


AT = dt.datetime(2027, 1, 4, 9, 30, tzinfo=dt.UTC)


def order(status):
    return Order(id="o1", customer_id="acme", currency="EUR", status=status)


def void_workflow(**flags):
    """A workflow whose cancelling status has neither the name nor the verb "cancel"."""
    return Workflow(
        name="voids",
        statuses=[
            Status("open", "Open", editable=True),
            Status("void", "Void", terminal=True, **flags),
            Status("cancelled", "Cancelled"),
        ],
        initial="open",
        transitions=[
            Transition(source="open", target="void", name="annul"),
            Transition(source="open", target="cancelled", name="cancel"),
        ],
    )


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_flags_its_cancelled_status_and_no_other(name):
    workflow = PRESETS[name]
    flagged = [status.code for status in workflow.statuses if status.cancels]
    expected = CANCELS[name]
    assert flagged == ([] if expected is None else [expected])
    assert (workflow.cancel_status.code if workflow.cancel_status else None) == expected


@pytest.mark.parametrize("name", PRESETS)
def test_cancelling_goes_where_a_transition_leads_to_the_flagged_status(name):
    workflow = PRESETS[name]
    target = workflow.cancel_status
    for status in workflow.statuses:
        leads = target is not None and any(
            t.target == target.code and status.code in t.source for t in workflow.transitions
        )
        if leads:
            assert cancel_target(workflow, order(status.code)) == target.code
        else:
            with pytest.raises(InvalidTransition) as caught:
                cancel_target(workflow, order(status.code))
            assert caught.value.reason == (
                f"workflow {workflow.name!r} cannot cancel from {status.label}"
            )
            assert caught.value.current == status.code


@given(st.sampled_from(sorted(PRESETS)), st.data())
def test_the_target_is_a_status_the_engine_lets_the_order_enter_by_hand(name, data):
    workflow = PRESETS[name]
    code = data.draw(st.sampled_from(workflow.codes))
    try:
        target = cancel_target(workflow, order(code))
    except InvalidTransition:
        cancelling = workflow.cancel_status
        assert cancelling is None or not any(
            t.target == cancelling.code and code in t.source for t in workflow.transitions
        )
        return
    assert workflow.status(target).cancels
    moved, entry = workflow.transition(order(code), target, facts=OrderFacts(), at=AT)
    assert (moved.status, entry.source) == (target, code)


def test_the_flag_not_the_name_says_where_cancelling_goes():
    assert cancel_target(void_workflow(cancels=True), order("open")) == "void"
    with pytest.raises(InvalidTransition, match="workflow 'voids' cannot cancel from Open"):
        cancel_target(void_workflow(), order("open"))


def test_an_unknown_status_or_a_non_order_is_a_validation_error():
    with pytest.raises(
        ValidationError, match="status is not a status of workflow 'standard', got 'nowhere'"
    ):
        cancel_target(presets.standard(), order("nowhere"))
    with pytest.raises(ValidationError, match="order must be an Order"):
        cancel_target(presets.standard(), "o1")


def test_the_flag_is_a_bool_and_agrees_with_the_other_flags():
    with pytest.raises(ValidationError, match="cancels must be True or False"):
        Status("void", "Void", cancels="yes")
    with pytest.raises(ValidationError, match="commits must be False when the status cancels"):
        Status("void", "Void", cancels=True, commits=True)
    with pytest.raises(ValidationError, match="manual must be True when the status cancels"):
        Status("void", "Void", cancels=True, manual=False)
    assert not Status("void", "Void", cancels=True, terminal=False).terminal


def test_a_workflow_has_at_most_one_cancelling_status_naming_both():
    with pytest.raises(ValidationError, match="both 'cancelled' and 'void' do"):
        presets.standard().with_status(
            Status("void", "Void", terminal=True, cancels=True),
            transitions=[Transition(source="draft", target="void", name="annul")],
        )


def test_a_cancelling_status_needs_a_transition_into_it():
    with pytest.raises(ValidationError, match=r"statuses\[1\].cancels .*needs a transition"):
        Workflow(
            name="stuck",
            statuses=[Status("open", "Open"), Status("void", "Void", cancels=True)],
            initial="open",
            rules=[Rule(source="open", target="void", when=always, name="voided")],
        )


def older(workflow):
    """The workflow's record as format 1 wrote it: no ``cancels`` key."""
    data = json.loads(json.dumps(workflow_data(workflow)))
    for status in data["statuses"]:
        del status["cancels"]
    return {**data, "format": 1}


@pytest.mark.parametrize("name", PRESETS)
def test_a_record_of_format_1_loads_with_the_flag_derived(name):
    data = older(PRESETS[name])
    assert (FORMAT, data["format"]) == (2, 1)
    loaded = workflow_from_data(data)
    assert loaded == PRESETS[name]
    assert upgrade(data) == workflow_data(PRESETS[name])


def test_format_1_derives_the_flag_from_the_name_rule_it_used():
    data = older(void_workflow())
    # today's name rule took the first transition named "cancel" or into "cancelled"
    assert [s.code for s in workflow_from_data(data).statuses if s.cancels] == ["cancelled"]
    renamed = json.loads(json.dumps(data))
    renamed["transitions"][1]["name"] = "drop"
    renamed["statuses"][2]["code"] = "dropped"
    renamed["transitions"][1]["target"] = "dropped"
    assert workflow_from_data(renamed).cancel_status is None


def test_a_current_record_upgrades_to_itself_and_an_unknown_format_is_refused():
    data = workflow_data(presets.kafinea())
    assert upgrade(data) == data
    with pytest.raises(OrderbookError, match="format 99"):
        upgrade({**data, "format": 99})
