"""Property tests: random moves with random facts on every preset never break the workflow."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import InvalidTransition, Order
from orderbook.workflow import (
    Acceptance,
    Fulfilment,
    OrderFacts,
    Production,
    Progress,
    Rule,
    Status,
    Workflow,
    finalize,
    presets,
)

START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)

WORKFLOWS = {
    "mangrove": presets.mangrove(),
    "mrpeasy": presets.mrpeasy(),
    "dolibarr": presets.dolibarr(),
    "dolibarr-no-shipments-paid": presets.dolibarr(
        shipments=False, order_to_bill="delivered", classify_billed_on="invoice_paid"
    ),
    "dolibarr-issued": presets.dolibarr(classify_billed_on="invoice_issued"),
    "bop": presets.bop(),
    "kafinea": presets.kafinea(),
    "standard": presets.standard(),
}

facts_strategy = st.builds(
    OrderFacts,
    allocation=st.sampled_from(Progress),
    allocated_on_hand=st.booleans(),
    production=st.sampled_from(Production),
    fulfilment=st.sampled_from(Fulfilment),
    billing=st.sampled_from(Progress),
    payment=st.sampled_from(Progress),
    exception=st.booleans(),
    acceptance=st.sampled_from([None, *Acceptance]),
    expired=st.booleans(),
)


def steps(wf):
    manual = st.tuples(st.just("move"), st.sampled_from(wf.codes), facts_strategy)
    settle = st.tuples(st.just("settle"), st.none(), facts_strategy)
    final = st.tuples(st.just("finalize"), st.none(), facts_strategy)
    return st.lists(st.one_of(manual, settle, final), max_size=25)


def edges(moves):
    return {(source, move.target) for move in moves for source in move.source}


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_moves_stay_within_what_the_workflow_allows(name, data):
    wf = WORKFLOWS[name]
    manual_edges, rule_edges = edges(wf.transitions), edges(wf.rules)
    order = Order(id="o1", customer_id="acme", currency="EUR", status=wf.initial)
    at = START
    for kind, target, facts in data.draw(steps(wf)):
        at += dt.timedelta(hours=1)
        before = order
        current = wf.status(order.status)
        if kind == "finalize":
            if order.finalized_at is None and data.draw(st.integers(0, 9)) == 0:
                order = finalize(order, at=at)
            continue
        if kind == "move":
            choices = wf.allowed(order, facts=facts)
            if target not in choices.allowed:
                expected = choices.reason(target)
                if target == order.status:
                    expected = f"the order is already {current.label}"
                with pytest.raises(InvalidTransition) as refusal:
                    wf.transition(order, target, facts=facts, at=at, by="someone")
                assert refusal.value.reason == expected
            else:
                order, entry = wf.transition(order, target, facts=facts, at=at, by="someone")
                assert target in choices.allowed
                assert (entry.source, entry.target) == (before.status, target)
                assert (before.status, target) in manual_edges
                assert wf.status(target).manual, "a manual call entered a non-manual status"
                assert not entry.automatic
        else:
            order, entries = wf.settle(order, facts=facts, at=at)
            assert len(entries) < len(wf.statuses)
            chain = before.status
            for entry in entries:
                assert entry.automatic
                assert entry.source == chain
                assert (entry.source, entry.target) in rule_edges
                chain = entry.target
            assert order.status == chain
            assert wf.next_rule(order, facts=facts) is None, "settle stopped before the end"
        assert order.status in wf.codes
        if current.terminal:
            assert order.status == before.status, "left a terminal status"
        assert order.finalized_at == before.finalized_at, "a move changed finalized_at"


codes = ["s0", "s1", "s2", "s3", "s4"]


@st.composite
def random_workflows(draw):
    rules = []
    for previous, target in itertools.pairwise(codes):
        sources = draw(st.lists(st.sampled_from(codes), max_size=3, unique=True))
        sources = sorted({previous, *sources} - {target})
        fact = draw(st.sampled_from(["expired", "exception", "allocated_on_hand", "always"]))
        negate = draw(st.booleans())

        def when(order, facts, fact=fact, negate=negate):
            value = True if fact == "always" else getattr(facts, fact)
            return value != negate

        rules.append(Rule(source=sources, target=target, when=when, name=f"to {target}"))
    extra = draw(st.lists(st.tuples(st.sampled_from(codes), st.sampled_from(codes)), max_size=4))
    for index, (source, target) in enumerate(extra):
        if source != target:
            rules.append(
                Rule(source=source, target=target, when=lambda o, f: True, name=f"extra {index}")
            )
    statuses = [Status(code, code.upper(), manual=False) for code in codes]
    return Workflow(name="random", statuses=statuses, initial="s0", rules=rules)


@settings(max_examples=100, deadline=None)
@given(wf=random_workflows(), facts=facts_strategy, start=st.sampled_from(codes))
def test_settle_always_terminates_even_when_rules_form_loops(wf, facts, start):
    def at(status):
        return Order(id="o1", customer_id="acme", currency="EUR", status=status)

    path = [start]
    while (rule := wf.next_rule(at(path[-1]), facts=facts)) is not None:
        if rule.target in path:
            break
        path.append(rule.target)
    if rule is not None:
        loop = " -> ".join([*path[path.index(rule.target) :], rule.target])
        with pytest.raises(InvalidTransition) as caught:
            wf.settle(at(start), facts=facts, at=START)
        assert caught.value.reason == f"the automatic rules loop: {loop}"
    else:
        settled, entries = wf.settle(at(start), facts=facts, at=START)
        assert [e.target for e in entries] == path[1:]
        assert len(entries) < len(codes)
        assert settled.status == path[-1]
