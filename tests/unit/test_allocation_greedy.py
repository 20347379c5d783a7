import datetime as dt
from decimal import Decimal

import pytest

from orderbook import (
    Allocation,
    Forfeit,
    Lot,
    Money,
    NotFound,
    Order,
    OrderLine,
    SequentialIds,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.allocation import (
    Demand,
    Fill,
    Policy,
    allocate,
    best_available,
    by_location,
    cheapest,
    demands_for,
    fefo,
    fifo,
    most_stock,
    newest_vintage,
)

TODAY = dt.date(2027, 3, 1)
UTC = dt.UTC


def demand(line_id, quantity, **changes):
    values = {"line_id": line_id, "order_id": f"o-{line_id}", "sku": "TEA", "quantity": quantity}
    return Demand(**(values | changes))


def lot(lot_id, quantity, **changes):
    return Lot(**({"id": lot_id, "sku": "TEA", "quantity": quantity} | changes))


def taken(plan):
    return [(f.line_id, f.lot_id, f.quantity) for f in plan.fills]


def test_a_higher_priority_demand_is_served_first_when_stock_is_scarce():
    plan = allocate(
        [demand("low", 6), demand("high", 6, priority=5)], [lot("shelf", 8)], as_of=TODAY
    )
    assert taken(plan) == [("high", "shelf", 6), ("low", "shelf", 2)]
    assert plan.shortfalls() == {("o-low", "low"): Decimal(4)}


def test_ties_in_priority_go_to_the_earlier_due_date_then_the_earlier_order():
    placed = dt.datetime(2027, 1, 1, tzinfo=UTC)
    demands = [
        demand("undated", 1),
        demand("later", 1, due_on=dt.date(2027, 4, 1)),
        demand("sooner", 1, due_on=dt.date(2027, 3, 15)),
        demand("b", 1, due_on=dt.date(2027, 5, 1), placed_at=placed),
        demand("a", 1, due_on=dt.date(2027, 5, 1), placed_at=placed),
        demand("early", 1, due_on=dt.date(2027, 5, 1), placed_at=placed - dt.timedelta(1)),
    ]
    plan = allocate(demands, [lot("shelf", 10)], as_of=TODAY)
    assert [d.line_id for d in plan.demands] == ["sooner", "later", "early", "a", "b", "undated"]


def test_a_demand_is_split_across_lots_in_policy_order():
    plan = allocate([demand("l1", 10)], [lot("b", 4), lot("a", 3), lot("c", 9)], as_of=TODAY)
    assert taken(plan) == [("l1", "a", 3), ("l1", "b", 4), ("l1", "c", 3)]
    assert plan.remaining("c") == 6


def test_existing_allocations_are_taken_off_the_lots_first():
    held = Allocation(order_id="o9", line_id="l9", lot_id="shelf", sku="TEA", quantity=7)
    plan = allocate([demand("l1", 5)], [lot("shelf", 10)], as_of=TODAY, existing=[held])
    assert plan.allocated("l1") == 3
    assert plan.shortfall("l1") == 2
    assert plan.remaining("shelf") == 0


def test_without_partial_fills_a_demand_that_cannot_be_served_in_full_gets_nothing():
    demands = [demand("big", 8, priority=1), demand("small", 3)]
    plan = allocate(demands, [lot("shelf", 5)], as_of=TODAY, partial=False)
    assert taken(plan) == [("small", "shelf", 3)]
    assert plan.shortfall("big") == 8
    assert "partial fills are off" in str(plan.explain("big"))


def test_stock_on_hand_is_used_before_expected_supply():
    lots = [
        lot("po", 10, source="purchase", available_on=dt.date(2027, 3, 5)),
        lot("shelf", 4),
    ]
    plan = allocate([demand("l1", 6, due_on=dt.date(2027, 3, 10))], lots, as_of=TODAY)
    assert taken(plan) == [("l1", "shelf", 4), ("l1", "po", 2)]


def test_expected_supply_arriving_after_the_due_date_is_skipped_unless_the_policy_allows_it():
    late = lot("po", 10, source="purchase", available_on=dt.date(2027, 4, 1))
    due = demand("l1", 6, due_on=dt.date(2027, 3, 31))
    assert allocate([due], [late], as_of=TODAY).fills == ()
    lenient = Policy(key=best_available.key, skip_late=False)
    assert allocate([due], [late], as_of=TODAY, policy=lenient).allocated("l1") == 6


def test_a_lot_expired_before_the_day_of_the_plan_is_skipped_but_usable_on_its_last_day():
    old = lot("old", 5, expires_on=dt.date(2027, 3, 1))
    assert allocate([demand("l1", 5)], [old], as_of=TODAY).allocated("l1") == 5
    later = allocate([demand("l1", 5)], [old], as_of=TODAY + dt.timedelta(1))
    assert later.allocated("l1") == 0
    assert "expired on 2027-03-01" in str(later.explain("l1"))


@pytest.mark.parametrize(
    ("policy", "first"),
    [
        (fifo, "early"),
        (fefo, "soon-gone"),
        (cheapest, "cheap"),
        (newest_vintage, "fresh"),
        (most_stock, "big"),
        (by_location(["Oslo", "Lyon"]), "oslo"),
    ],
)
def test_each_built_in_policy_ranks_its_favourite_lot_first(policy, first):
    eur = "EUR"
    lots = [
        lot("early", 2, available_on=dt.date(2026, 1, 1), unit_cost=Money("5", eur)),
        lot("soon-gone", 2, expires_on=dt.date(2027, 3, 2), unit_cost=Money("5", eur)),
        lot("cheap", 2, unit_cost=Money("1", eur), vintage=2019),
        lot("fresh", 2, vintage=2026, unit_cost=Money("5", eur)),
        lot("big", 50, unit_cost=Money("5", eur)),
        lot("oslo", 2, location="Oslo", unit_cost=Money("5", eur)),
    ]
    plan = allocate([demand("l1", 1)], lots, as_of=TODAY, policy=policy)
    assert plan.fills[0].lot_id == first


def test_a_custom_policy_can_rank_by_any_key_and_exclude_lots():
    lots = [lot("a", 5, location="Lyon"), lot("b", 5, location="Oslo"), lot("c", 5)]
    policy = Policy(
        name="no-lyon",
        key=lambda each: (each.location is None,),
        accept=lambda each, d: each.location != "Lyon",
    )
    plan = allocate([demand("l1", 8)], lots, as_of=TODAY, policy=policy)
    assert taken(plan) == [("l1", "b", 5), ("l1", "c", 3)]
    assert "refused by the policy no-lyon" in str(plan.explain("l1"))


def test_only_lots_of_the_demanded_product_are_used():
    plan = allocate([demand("l1", 4)], [lot("coffee", 9, sku="COFFEE")], as_of=TODAY)
    assert plan.fills == ()
    assert plan.remaining("coffee") == 9


def test_the_plan_groups_fills_by_order_and_by_lot():
    demands = [demand("l1", 3, order_id="o1"), demand("l2", 3, order_id="o1"), demand("l3", 3)]
    plan = allocate(demands, [lot("a", 4), lot("b", 10)], as_of=TODAY)
    by_order = plan.by_order()
    assert list(by_order) == ["o-l3", "o1"]  # "o-l3" sorts before "o1"
    assert {k: [f.line_id for f in v] for k, v in by_order.items()} == {
        "o-l3": ["l3"],
        "o1": ["l1", "l1", "l2"],
    }
    assert {k: [f.quantity for f in v] for k, v in plan.by_lot().items()} == {
        "a": [3, 1],
        "b": [2, 3],
    }
    assert plan.served == 9
    assert plan.demanded == 9


def test_the_fills_become_allocation_records_with_ids_and_a_moment():
    at = dt.datetime(2027, 3, 1, 9, tzinfo=UTC)
    plan = allocate([demand("l1", 3)], [lot("a", 4)], as_of=TODAY)
    (record,) = plan.allocations(id_factory=SequentialIds("alloc"), at=at)
    assert record == Allocation(
        id="alloc-1", order_id="o-l1", line_id="l1", lot_id="a", sku="TEA", quantity=3, at=at
    )


def test_the_plan_prints_as_a_table_and_renders_as_html():
    plan = allocate([demand("l1", 5), demand("l<2>", 2)], [lot("a", 4)], as_of=TODAY)
    text = str(plan)
    assert text.splitlines()[0].split() == [
        "order", "line", "sku", "due", "prio", "demanded", "allocated", "short", "lots",
    ]  # fmt: skip
    assert "served 4 of 7 (best_available, greedy, as of 2027-03-01)" in text
    markup = plan._repr_html_()
    assert "<table" in markup
    assert "l&lt;2&gt;" in markup
    assert "l<2>" not in markup


def test_a_long_plan_prints_only_its_first_rows():
    demands = [demand(f"l{i:03d}", 1) for i in range(60)]
    text = str(allocate(demands, [lot("a", 100)], as_of=TODAY))
    assert "... and 10 more demands" in text


def test_explain_names_the_lots_used_up_by_other_lines_and_existing_allocations():
    held = Allocation(order_id="o9", line_id="l9", lot_id="a", sku="TEA", quantity=2)
    demands = [demand("first", 3, priority=1), demand("second", 4)]
    plan = allocate(demands, [lot("a", 5), lot("b", 1)], as_of=TODAY, existing=[held])
    explanation = plan.explain("second")
    assert explanation.shortfall == 3
    assert [(n.lot_id, n.taken) for n in explanation.notes] == [("a", 0), ("b", 1)]
    assert explanation.notes[0].reason == (
        "skipped: nothing left (2 held by existing allocations; planned for first)"
    )
    assert explanation.notes[1].reason == "took 1, 0 left"


def test_asking_about_an_unknown_line_or_lot_raises_not_found():
    plan = allocate([demand("l1", 1)], [lot("a", 1)], as_of=TODAY)
    with pytest.raises(NotFound):
        plan.explain("nope")
    with pytest.raises(NotFound):
        plan.shortfall("nope")
    with pytest.raises(NotFound):
        plan.remaining("nope")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: allocate([demand("l1", 1)], [], as_of=dt.datetime(2027, 3, 1)), "as_of"),
        (lambda: allocate([], [lot("a", 1), lot("a", 2)], as_of=TODAY), "lots[1].id"),
        (lambda: allocate([demand("l1", 1), demand("l1", 2)], [], as_of=TODAY), "demands"),
        (lambda: allocate(["l1"], [], as_of=TODAY), "demands[0]"),
        (lambda: allocate("l1", [], as_of=TODAY), "demands"),
        (lambda: allocate([], [], as_of=TODAY, existing=[1]), "existing[0]"),
        (lambda: allocate([], [], as_of=TODAY, policy="fifo"), "policy"),
        (lambda: allocate([], [], as_of=TODAY, objective="fastest"), "objective"),
        (lambda: allocate([], [], as_of=TODAY, partial="no"), "partial"),
        (lambda: allocate([], [], as_of=TODAY, objective="max_served", partial=False), "partial"),
        (lambda: Demand(line_id="l1", order_id="o1", sku="TEA", quantity=-1), "quantity"),
        (lambda: Fill("l1", "o1", "a", "TEA", 0), "quantity"),
        (lambda: Fill("l1", "", "a", "TEA", 1), "order_id"),
        (lambda: Policy(key="by cost"), "key"),
        (lambda: by_location("Oslo"), "order"),
    ],
)  # fmt: skip
def test_bad_input_raises_a_validation_error_naming_the_field(call, field):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field


def test_a_ranking_key_that_cannot_compare_is_refused_as_bad_input():
    policy = Policy(name="mixed", key=lambda each: (each.vintage,))
    lots = [lot("a", 1, vintage=2020), lot("b", 1)]
    with pytest.raises(ValidationError, match=r"policy\.key"):
        allocate([demand("l1", 1)], lots, as_of=TODAY, policy=policy)


def test_demands_for_an_order_subtract_what_is_allocated_shipped_and_forfeited():
    order = Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        priority=3,
        promised_on=dt.date(2027, 5, 1),
        placed_at=dt.datetime(2027, 1, 5, tzinfo=UTC),
        lines=[
            OrderLine(id="l1", sku="TEA", quantity=10, unit_price=Money("2", "EUR")),
            OrderLine(id="l2", sku="MUG", quantity=4, unit_price=Money("9", "EUR"), due_on=TODAY),
            OrderLine(id="l3", sku="PEN", quantity=1, unit_price=Money("1", "EUR")),
        ],
    )
    records = {
        "allocations": [
            Allocation(order_id="o1", line_id="l1", lot_id="a", sku="TEA", quantity=2),
            Allocation(order_id="o2", line_id="l1", lot_id="a", sku="TEA", quantity=5),
        ],
        "shipments": [
            Shipment(
                order_id="o1", shipped_on=TODAY, items=[ShipmentItem(line_id="l1", quantity=3)]
            ),
            Shipment(
                order_id="o1", shipped_on=TODAY, kind="return",
                items=[ShipmentItem(line_id="l1", quantity=1)],
            ),
            Shipment(
                order_id="o1", shipped_on=TODAY, cancelled=True,
                items=[ShipmentItem(line_id="l2", quantity=4)],
            ),
        ],
        "forfeits": [Forfeit(order_id="o1", line_id="l3", quantity=1)],
    }  # fmt: skip
    result = demands_for(order, **records)
    assert [(d.line_id, d.sku, d.quantity, d.due_on) for d in result] == [
        ("l1", "TEA", Decimal(6), dt.date(2027, 5, 1)),
        ("l2", "MUG", Decimal(4), TODAY),
    ]
    assert {(d.priority, d.placed_at, d.order_id) for d in result} == {(3, order.placed_at, "o1")}
