"""A plan names a line by (order_id, line_id): two orders may each have a line "l1"."""

import datetime as dt
from decimal import Decimal

import pytest

from orderbook import Lot
from orderbook.allocation import Demand, allocate, explain, rebook
from orderbook.errors import NotFound, ValidationError

TODAY = dt.date(2027, 3, 1)


def twins():
    """Two orders with a line "l1" each, and one more line "l2" only o2 has."""
    return allocate(
        [
            Demand(line_id="l1", order_id="o1", sku="TEA", quantity=5),
            Demand(line_id="l1", order_id="o2", sku="TEA", quantity=4, priority=1),
            Demand(line_id="l2", order_id="o2", sku="TEA", quantity=3),
        ],
        [Lot(id="shelf", sku="TEA", quantity=6), Lot(id="back", sku="TEA", quantity=1)],
        as_of=TODAY,
    )


def test_two_orders_with_a_line_l1_each_are_planned_and_read_back_by_the_pair():
    plan = twins()
    assert plan.allocated_by_line == {
        ("o2", "l1"): Decimal(4),
        ("o1", "l1"): Decimal(3),
        ("o2", "l2"): Decimal(0),
    }
    assert plan.shortfalls() == {("o1", "l1"): Decimal(2), ("o2", "l2"): Decimal(3)}
    assert plan.allocated(("o1", "l1")) == 3
    assert plan.shortfall(("o2", "l1")) == 0
    assert plan.demand(("o1", "l1")).quantity == 5
    mine = plan.fills_for(("o1", "l1"))
    assert mine == tuple(f for f in plan.fills if (f.order_id, f.line_id) == ("o1", "l1"))
    assert {f.key for f in mine} == {("o1", "l1")}
    assert sum(f.quantity for f in mine) == 3
    why = plan.explain(("o1", "l1"))
    assert (why.order_id, why.line_id, why.allocated) == ("o1", "l1", Decimal(3))
    assert explain(plan, ("o2", "l1")).allocated == 4
    # the other order's l1 is named with its order where the lots were used up
    assert "l1 of o2" in str(plan.explain(("o2", "l2")))


def test_a_line_id_that_only_one_order_has_is_enough_on_its_own():
    plan = twins()
    assert plan.key("l2") == ("o2", "l2")
    assert plan.shortfall("l2") == plan.shortfall(("o2", "l2")) == 3
    assert plan.fills_for("l2") == ()
    assert plan.explain("l2").order_id == "o2"


@pytest.mark.parametrize("call", ["allocated", "shortfall", "demand", "fills_for", "explain"])
def test_a_line_id_of_several_orders_is_refused_naming_it_and_the_orders(call):
    with pytest.raises(ValidationError) as caught:
        getattr(twins(), call)("l1")
    assert caught.value.field == "key"
    assert caught.value.value == "l1"
    assert "o1" in str(caught.value)
    assert "o2" in str(caught.value)


@pytest.mark.parametrize("key", ["l9", ("o1", "l2"), ("o9", "l1")])
@pytest.mark.parametrize("call", ["allocated", "shortfall", "demand", "explain"])
def test_a_line_no_demand_has_is_not_found(call, key):
    with pytest.raises(NotFound):
        getattr(twins(), call)(key)


def test_fills_for_a_pair_that_was_not_planned_are_none_but_an_unknown_line_id_is_not_found():
    assert twins().fills_for(("o9", "l1")) == ()
    with pytest.raises(NotFound):
        twins().fills_for("l9")


@pytest.mark.parametrize("key", [7, None, ("o1",), ("o1", "l1", "x"), ("o1", 1), ["o1", "l1"]])
@pytest.mark.parametrize("call", ["allocated", "shortfall", "demand", "fills_for", "explain"])
def test_a_key_of_another_type_is_refused_naming_the_argument(call, key):
    with pytest.raises(ValidationError) as caught:
        getattr(twins(), call)(key)
    assert caught.value.field == "key"


def test_two_demands_of_one_order_line_are_refused_naming_the_pair():
    twice = [Demand(line_id="l1", order_id="o1", sku="TEA", quantity=n) for n in (1, 2)]
    with pytest.raises(ValidationError) as caught:
        allocate(twice, [], as_of=TODAY)
    assert caught.value.field == "demands"
    assert caught.value.value == ("o1", "l1")


def test_max_served_keys_its_plan_by_the_pair_too():
    plan = allocate(
        [
            Demand(line_id="l1", order_id="o1", sku="TEA", quantity=5),
            Demand(line_id="l1", order_id="o2", sku="TEA", quantity=5, priority=1),
        ],
        [Lot(id="shelf", sku="TEA", quantity=7)],
        as_of=TODAY,
        objective="max_served",
    )
    assert plan.shortfalls() == {("o1", "l1"): Decimal(3)}


def test_rebooking_lines_of_the_same_id_keeps_them_apart():
    shelf = Lot(id="shelf", sku="TEA", quantity=6)
    wanted = [
        Demand(line_id="l1", order_id="o1", sku="TEA", quantity=6),
        Demand(line_id="l1", order_id="o2", sku="TEA", quantity=4, priority=3),
    ]
    moves = rebook(wanted, [shelf], held=[], as_of=TODAY)
    assert [(f.order_id, f.line_id, f.quantity) for f in moves.added] == [
        ("o2", "l1", Decimal(4)),
        ("o1", "l1", Decimal(2)),
    ]
    assert moves.plan.shortfalls() == {("o1", "l1"): Decimal(4)}


def test_explain_refuses_anything_but_a_plan_naming_the_argument():
    with pytest.raises(ValidationError) as caught:
        explain("plan", ("o1", "l1"))
    assert caught.value.field == "plan"
