"""The workflow engine: manual transitions, choices, settling, locks and derived workflows."""

import datetime as dt

import attrs
import pytest

from orderbook import (
    InvalidTransition,
    LockedError,
    Money,
    NotFound,
    Order,
    OrderLine,
    RecurringPlan,
)
from orderbook.errors import ValidationError
from orderbook.workflow import (
    FINALIZED_MAY_CHANGE,
    OrderFacts,
    Rule,
    Settings,
    Status,
    Transition,
    Workflow,
    finalize,
    fully_shipped,
    presets,
)

AT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
NO_FACTS = OrderFacts()
LINE = OrderLine(id="l1", sku="TEA", quantity=1, unit_price=Money("1", "EUR"))


def order(status="open", **changes):
    return Order(id="o1", customer_id="acme", currency="EUR", status=status, **changes)


def always(order, facts):
    return True


def shipped(order, facts):
    return facts.fulfilment.done


def small_workflow(**changes):
    fields = {
        "name": "small",
        "statuses": [
            Status("open", "Open", editable=True, customer_visible=True),
            Status("review", "In review"),
            Status("done", "Done", manual=False, terminal=True, locked=True),
            Status("dropped", "Dropped", terminal=True, releases=True),
        ],
        "initial": "open",
        "transitions": [
            Transition(source="open", target="review", name="submit"),
            Transition(source="review", target="open", name="send back"),
            Transition(
                source=("open", "review"), target="dropped", name="drop", guard=fully_shipped
            ),
        ],
        "rules": [Rule(source="review", target="done", when=shipped, name="all shipped")],
    }
    return Workflow(**{**fields, **changes})


def test_a_transition_returns_the_moved_order_and_its_history_entry():
    wf = small_workflow()

    moved, entry = wf.transition(
        order(), "review", facts=NO_FACTS, at=AT, by="ana", reason="ready"
    )

    assert moved == attrs.evolve(order(), status="review")
    assert entry.order_id == "o1"
    assert (entry.source, entry.target, entry.at, entry.by, entry.reason) == (
        "open",
        "review",
        AT,
        "ana",
        "ready",
    )
    assert entry.automatic is False


def test_a_guard_refusal_raises_with_its_reason_and_the_order_is_unchanged():
    wf = small_workflow()
    before = order()

    with pytest.raises(InvalidTransition) as caught:
        wf.transition(before, "dropped", facts=OrderFacts(fulfilment="partial"), at=AT)

    error = caught.value
    assert (error.order_id, error.current, error.target) == ("o1", "open", "dropped")
    assert error.reason == "not every line is shipped or forfeited yet"
    assert before.status == "open"


def test_a_status_set_only_by_rules_cannot_be_picked_by_hand():
    with pytest.raises(InvalidTransition, match="Done is set automatically, not by hand"):
        small_workflow().transition(order("review"), "done", facts=NO_FACTS, at=AT)


def test_a_move_without_a_transition_is_refused_naming_both_statuses():
    wf = small_workflow().with_status(
        Status("parked", "Parked"), transitions=[Transition(source="review", target="parked")]
    )
    with pytest.raises(InvalidTransition, match="there is no transition from Open to Parked"):
        wf.transition(order(), "parked", facts=NO_FACTS, at=AT)


def test_moving_to_the_current_status_is_refused():
    with pytest.raises(InvalidTransition, match="the order is already Open"):
        small_workflow().transition(order(), "open", facts=NO_FACTS, at=AT)


def test_a_terminal_status_has_no_way_out():
    with pytest.raises(InvalidTransition, match="Dropped is terminal: the order cannot leave it"):
        small_workflow().transition(order("dropped"), "open", facts=NO_FACTS, at=AT)


def test_a_finalized_order_still_moves_by_hand_and_by_rule():
    wf = small_workflow()
    locked = order("review", finalized_at=AT)
    facts = OrderFacts(fulfilment="complete")

    moved, _ = wf.transition(locked, "open", facts=facts, at=AT)
    assert (moved.status, moved.finalized_at) == ("open", AT)
    settled, entries = wf.settle(locked, facts=facts, at=AT)
    assert [entry.target for entry in entries] == [settled.status]
    assert settled.status != locked.status
    assert settled.finalized_at == AT


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": "nowhere"}, "to"),
        ({"at": dt.datetime(2027, 3, 1, 9, 0)}, "at"),
        ({"at": dt.date(2027, 3, 1)}, "at"),
        ({"facts": {"fulfilment": "none"}}, "facts"),
        ({"order": "o1"}, "order"),
        ({"by": ""}, "by"),
    ],
)
def test_malformed_input_to_a_transition_raises_a_validation_error_naming_it(kwargs, field):
    call = {"order": order(), "to": "review", "facts": NO_FACTS, "at": AT, **kwargs}
    with pytest.raises(ValidationError) as caught:
        small_workflow().transition(call.pop("order"), call.pop("to"), **call)
    assert caught.value.field == field


def test_an_order_in_a_status_the_workflow_does_not_know_is_refused():
    with pytest.raises(ValidationError, match="Order 'o1': status is not a status of workflow"):
        small_workflow().allowed(order("shipped"), facts=NO_FACTS)


def test_allowed_lists_the_possible_moves_and_why_each_other_is_refused():
    choices = small_workflow().allowed(order(), facts=OrderFacts(fulfilment="partial"))

    assert choices.current == "open"
    assert choices.allowed == ("review",)
    assert [r.target for r in choices.refused] == ["done", "dropped"]
    assert choices.reason("done") == "Done is set automatically, not by hand"
    assert choices.reason("dropped") == "not every line is shipped or forfeited yet"
    assert choices.reason("review") is None


def test_allowed_agrees_with_transition_on_every_status():
    wf = presets.standard()
    for facts in (NO_FACTS, OrderFacts(fulfilment="complete", billing="complete")):
        for current in wf.codes:
            choices = wf.allowed(order(current), facts=facts)
            for target in wf.codes:
                if target == current:
                    continue
                if target in choices.allowed:
                    moved, _ = wf.transition(order(current), target, facts=facts, at=AT)
                    assert moved.status == target
                else:
                    with pytest.raises(InvalidTransition) as caught:
                        wf.transition(order(current), target, facts=facts, at=AT)
                    assert caught.value.reason == choices.reason(target)


def test_settle_applies_rules_until_none_fires_and_records_each_move():
    wf = small_workflow()

    settled, entries = wf.settle(order("review"), facts=OrderFacts(fulfilment="complete"), at=AT)

    assert settled.status == "done"
    assert [(e.source, e.target, e.reason, e.automatic, e.by) for e in entries] == [
        ("review", "done", "all shipped", True, None)
    ]


def test_settle_with_no_rule_firing_changes_nothing():
    before = order("review")
    assert small_workflow().settle(before, facts=NO_FACTS, at=AT) == (before, ())


def test_settle_chains_rules_in_one_call():
    wf = presets.mrpeasy()
    facts = OrderFacts(allocation="complete", allocated_on_hand=False, fulfilment="complete")

    settled, entries = wf.settle(order("confirmed"), facts=facts, at=AT)

    assert settled.status == "shipped"
    assert [e.target for e in entries] == ["shipped"]


def test_rules_that_go_round_in_a_loop_raise_instead_of_looping():
    wf = Workflow(
        name="loop",
        statuses=[
            Status("a", "A"),
            Status("b", "B", manual=False),
            Status("c", "C", manual=False),
        ],
        initial="a",
        rules=[
            Rule(source="a", target="b", when=always, name="a to b"),
            Rule(source="b", target="c", when=always, name="b to c"),
            Rule(source="c", target="b", when=always, name="c to b"),
        ],
    )
    with pytest.raises(InvalidTransition) as caught:
        wf.settle(order("a"), facts=NO_FACTS, at=AT)
    assert caught.value.reason == "the automatic rules loop: b -> c -> b"
    assert (caught.value.current, caught.value.target) == ("a", "b")


def test_a_rule_may_enter_a_manual_status():
    wf = presets.bop()
    settled, entries = wf.settle(order("created"), facts=OrderFacts(acceptance="accept"), at=AT)
    assert settled.status == "accepted"
    assert wf.status("accepted").manual
    assert entries[0].reason == "automatic acceptance"


def test_the_first_listed_rule_that_fires_wins():
    wf = small_workflow().with_status(
        Status("audit", "Audit", manual=False),
        rules=[Rule(source="review", target="audit", when=always, name="audit everything")],
    )
    settled, _ = wf.settle(order("review"), facts=OrderFacts(fulfilment="complete"), at=AT)
    assert settled.status == "done"


def test_check_editable_passes_in_an_editable_status_only():
    wf = small_workflow()
    wf.check_editable(order("open"))
    with pytest.raises(LockedError) as caught:
        wf.check_editable(order("review"))
    assert caught.value.record_id == "o1"
    assert caught.value.reason == (
        "its status In review is not editable: move it to Open ('send back') first"
    )
    with pytest.raises(LockedError, match="its status Done is locked"):
        wf.check_editable(order("done"))


def test_check_editable_refuses_a_finalized_order_even_in_an_editable_status():
    with pytest.raises(LockedError, match="it was finalized at 2027-03-01T09:00:00"):
        small_workflow().check_editable(order("open", finalized_at=AT))


def test_check_update_lets_headers_change_where_lines_may_not():
    wf = small_workflow()
    before = order("review")
    wf.check_update(before, attrs.evolve(before, contact="Bea", version=3))
    with pytest.raises(LockedError, match="its lines may not change"):
        wf.check_update(before, attrs.evolve(before, lines=[LINE]))


def test_check_update_refuses_any_change_in_a_locked_status():
    before = order("done")
    with pytest.raises(LockedError, match="its status Done is locked"):
        small_workflow().check_update(before, attrs.evolve(before, contact="Bea"))


def test_check_update_on_a_finalized_order_allows_only_terms_and_recurrence():
    wf = small_workflow()
    before = order("open", finalized_at=AT)
    plan = RecurringPlan(start=dt.date(2027, 4, 1), frequency="monthly")

    wf.check_update(before, attrs.evolve(before, terms="Net 60", recurrence=plan))
    with pytest.raises(LockedError) as caught:
        wf.check_update(before, attrs.evolve(before, subject="New", terms="Net 60"))
    assert caught.value.reason.endswith("only terms, recurrence may change, not subject")
    assert FINALIZED_MAY_CHANGE == ("terms", "recurrence")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "review"}, "status"),
        ({"id": "o2"}, "id"),
        ({"finalized_at": AT}, "finalized_at"),
    ],
)
def test_check_update_refuses_what_only_the_engine_changes(change, field):
    before = order("open")
    with pytest.raises(ValidationError) as caught:
        small_workflow().check_update(before, attrs.evolve(before, **change))
    assert caught.value.field == field


def test_finalize_sets_finalized_at_once_and_cannot_be_redone():
    done = finalize(order(), at=AT)
    assert done.finalized_at == AT
    with pytest.raises(LockedError):
        finalize(done, at=AT + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="at must be a timezone-aware datetime"):
        finalize(order(), at=dt.datetime(2027, 3, 1))


def test_a_status_is_found_by_code_and_an_unknown_code_is_not_found():
    wf = small_workflow()
    assert wf.status("dropped").releases is True
    assert wf.initial == "open"
    assert wf.codes == ("open", "review", "done", "dropped")
    with pytest.raises(NotFound, match="no status with id 'shipped'"):
        wf.status("shipped")


def test_visibility_to_customers_follows_the_status_and_the_finalize_setting():
    wf = small_workflow()
    assert wf.visible_to_customer(order("open"))
    assert not wf.visible_to_customer(order("review"))
    portal = attrs.evolve(wf, settings=Settings(visible_once_finalized=True))
    assert not portal.visible_to_customer(order("open"))
    assert portal.visible_to_customer(order("open", finalized_at=AT))


def test_derived_workflows_are_new_validated_values_and_the_original_is_untouched():
    wf = small_workflow()
    extra = wf.with_status(
        Status("hold", "On hold"),
        after="open",
        transitions=[
            Transition(source="open", target="hold"),
            Transition(source="hold", target="open"),
        ],
    )
    assert extra.codes == ("open", "hold", "review", "done", "dropped")
    assert wf.codes == ("open", "review", "done", "dropped")
    assert (
        extra.with_transitions(Transition(source="hold", target="review")).transitions[-1].target
        == "review"
    )
    assert (
        extra.with_rules(Rule(source="hold", target="done", when=shipped, name="x")).rules[-1].name
        == "x"
    )
    with pytest.raises(ValidationError, match="unreachable"):
        wf.with_status(Status("orphan", "Orphan"))
    with pytest.raises(NotFound):
        wf.with_status(Status("x", "X"), after="missing")


def test_presets_built_twice_are_equal_values():
    for name in presets.NAMES:
        assert presets.by_name(name) == presets.by_name(name)
        assert hash(presets.by_name(name)) == hash(presets.by_name(name))
    with pytest.raises(NotFound):
        presets.by_name("sap")
