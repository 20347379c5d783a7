"""A workflow recorded as plain data comes back equal, its functions found by name."""

import json

import pytest

from orderbook import CountingRules, OrderbookError, TaxRules
from orderbook.workflow import Status, Transition, all_of, fully_paid, fully_shipped, presets
from orderbook.workflow.record import same_workflow, workflow_data, workflow_from_data

PRESETS = [
    presets.standard(),
    presets.standard(invoice_method="on_order"),
    presets.mangrove(),
    presets.mrpeasy(),
    presets.dolibarr(),
    presets.dolibarr(order_to_bill="delivered"),
    presets.bop(),
    presets.kafinea(),
]


def through_json(workflow):
    return workflow_from_data(json.loads(json.dumps(workflow_data(workflow))))


@pytest.mark.parametrize("workflow", PRESETS, ids=lambda wf: wf.name)
def test_every_preset_comes_back_equal_through_json(workflow):
    assert through_json(workflow) == workflow


def test_an_admins_own_status_and_the_settings_come_back_too():
    mangrove = presets.mangrove()
    extended = mangrove.with_status(
        Status("on_hold", "On Hold"),
        after="confirmed",
        transitions=[
            Transition(source="confirmed", target="on_hold", name="hold"),
            Transition(
                source="on_hold", target="confirmed", guard=all_of(fully_shipped, fully_paid)
            ),
        ],
    ).with_settings(
        counting=CountingRules(tolerance="0.05", labels={"paid": "Settled"}),
        tax_rules=TaxRules(rates={("FR", "books"): "0.055"}),
    )
    back = through_json(extended)
    assert back == extended
    assert not same_workflow(back, mangrove)


def test_a_guard_of_the_applications_own_is_named_but_must_be_given_to_rebuild():
    def vip_only(order, facts):
        return None if order.priority > 5 else "only for VIP orders"

    custom = presets.standard().with_transitions(
        Transition(source="draft", target="completed", name="fast track", guard=vip_only)
    )
    data = workflow_data(custom)
    assert data["transitions"][-1]["guard"] == {
        "custom": f"{__name__}:test_a_guard_of_the_applications_own_is_named_but_must_be_given_"
        "to_rebuild.<locals>.vip_only"
    }
    with pytest.raises(OrderbookError, match="has a function of its own"):
        workflow_from_data(data)


def test_a_record_never_imports_anything_from_outside_orderbook():
    data = workflow_data(presets.standard())
    data["transitions"][1]["guard"] = {"function": "os:system"}
    with pytest.raises(OrderbookError, match="names no function os:system"):
        workflow_from_data(data)


def test_a_damaged_record_is_an_orderbook_error():
    data = workflow_data(presets.standard())
    del data["statuses"]
    with pytest.raises(OrderbookError, match="cannot be read"):
        workflow_from_data(data)
    with pytest.raises(OrderbookError, match="format"):
        workflow_from_data({**workflow_data(presets.standard()), "format": 99})
