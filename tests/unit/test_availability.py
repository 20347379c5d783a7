import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import (
    Allocation,
    Forfeit,
    Lot,
    Money,
    NotFound,
    Order,
    OrderLine,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.allocation import Demand
from orderbook.availability import (
    LineStatus,
    SourceTimeliness,
    line_status,
    order_status,
    source_status,
)

DUE = dt.date(2027, 3, 10)
BEFORE, ON, AFTER = DUE - dt.timedelta(1), DUE, DUE + dt.timedelta(1)
LINE = OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("3", "EUR"), due_on=DUE)


def lot(lot_id, quantity=100, **changes):
    return Lot(**({"id": lot_id, "sku": "PLANK", "quantity": quantity} | changes))


def booked(lot_id, quantity=40, *, line_id="l1", order_id="o1"):
    return Allocation(
        order_id=order_id, line_id=line_id, lot_id=lot_id, sku="PLANK", quantity=quantity
    )


def po(lot_id="po", *, status="confirmed", expected=BEFORE - dt.timedelta(3), **changes):
    return lot(lot_id, source="purchase", source_status=status, available_on=expected, **changes)


def status(allocations, lots, as_of, shipments=(), **keywords):
    return line_status(LINE, allocations, lots, shipments, as_of=as_of, **keywords)


def test_a_line_not_fully_booked_is_not_booked_while_free_supply_could_cover_it():
    assert status([], [lot("shelf")], BEFORE) is LineStatus.NOT_BOOKED
    assert status([booked("shelf", 30)], [lot("shelf", 40)], BEFORE) is LineStatus.NOT_BOOKED
    assert status([booked("shelf", 30)], [lot("shelf", 39)], BEFORE) is LineStatus.NOT_ENOUGH


def test_a_line_is_not_enough_when_allocated_plus_free_supply_cannot_cover_it():
    others = [booked("shelf", 70, line_id="l9", order_id="o9")]
    assert status(others, [lot("shelf")], BEFORE) is LineStatus.NOT_ENOUGH
    expired = lot("old", expires_on=BEFORE - dt.timedelta(1))
    assert status([], [expired], BEFORE) is LineStatus.NOT_ENOUGH


def test_a_line_booked_from_stock_on_hand_is_ready_for_shipment_even_after_its_due_date():
    for day in (BEFORE, ON, AFTER):
        assert status([booked("shelf")], [lot("shelf")], day) is LineStatus.READY_FOR_SHIPMENT
    received = po(status="received")
    assert status([booked("po")], [received], AFTER) is LineStatus.READY_FOR_SHIPMENT


@pytest.mark.parametrize(
    ("supply", "as_of", "expected"),
    [
        (po(status="requested"), BEFORE - dt.timedelta(5), LineStatus.REQUESTED),
        (po(), BEFORE - dt.timedelta(5), LineStatus.EXPECTED_ON_TIME),
        (po(expected=DUE), BEFORE - dt.timedelta(5), LineStatus.POSSIBLY_DELAYED),
        (po(expected=AFTER), BEFORE - dt.timedelta(5), LineStatus.DELAYED),
        (po(expected=AFTER, status="requested"), BEFORE, LineStatus.DELAYED),
        (po(expected=DUE + dt.timedelta(-1)), BEFORE, LineStatus.EXPECTED_ON_TIME),
        (po(expected=DUE + dt.timedelta(-1)), ON, LineStatus.POSSIBLY_DELAYED),
        (po(expected=DUE + dt.timedelta(-1)), AFTER, LineStatus.DELAYED),
    ],
)
def test_a_booked_line_takes_the_status_of_its_expected_supply_around_the_due_date(
    supply, as_of, expected
):
    assert status([booked(supply.id)], [supply], as_of) is expected


def test_a_line_due_today_whose_goods_are_not_received_is_possibly_delayed():
    on_time = po(expected=BEFORE + dt.timedelta(-3))
    assert status([booked("po")], [on_time], BEFORE - dt.timedelta(4)) is (
        LineStatus.EXPECTED_ON_TIME
    )
    assert status([booked("po")], [on_time], ON) is LineStatus.POSSIBLY_DELAYED


def test_a_line_booked_from_several_sources_takes_the_worst():
    lots = [lot("shelf"), po(status="requested"), po("late", expected=AFTER)]
    allocations = [booked("shelf", 20), booked("po", 10), booked("late", 10)]
    assert status(allocations[:2], lots, BEFORE - dt.timedelta(5)) is LineStatus.NOT_BOOKED
    assert status(allocations, lots, BEFORE - dt.timedelta(5)) is LineStatus.DELAYED
    allocations[1:] = [booked("po", 20)]
    assert status(allocations, lots, BEFORE - dt.timedelta(5)) is LineStatus.REQUESTED


def test_a_line_shipped_or_forfeited_in_full_by_the_day_asked_about_is_delivered():
    shipment = Shipment(
        order_id="o1", shipped_on=ON, items=[ShipmentItem(line_id="l1", quantity=30)]
    )
    forfeit = Forfeit(order_id="o1", line_id="l1", quantity=10)
    assert status([], [], AFTER, [shipment], forfeits=[forfeit]) is LineStatus.DELIVERED
    assert status([], [], BEFORE, [shipment], forfeits=[forfeit]) is LineStatus.NOT_ENOUGH
    back = Shipment(
        order_id="o1", shipped_on=ON, kind="return", items=[ShipmentItem(line_id="l1", quantity=5)]
    )
    remainder = [booked("shelf", 5)]
    assert status(remainder, [lot("shelf")], AFTER, [shipment, back], forfeits=[forfeit]) is (
        LineStatus.READY_FOR_SHIPMENT
    )


def test_a_partly_shipped_line_needs_only_its_remainder_booked():
    shipment = Shipment(
        order_id="o1", shipped_on=ON, items=[ShipmentItem(line_id="l1", quantity=25)]
    )
    assert status([booked("shelf", 15)], [lot("shelf", 15)], ON, [shipment]) is (
        LineStatus.READY_FOR_SHIPMENT
    )


def test_an_order_takes_the_status_of_its_worst_line_and_its_promised_date_for_undated_lines():
    order = Order(
        id="o1", customer_id="acme", currency="EUR", promised_on=DUE,
        lines=[LINE, OrderLine(id="l2", sku="PLANK", quantity=5, unit_price=Money("3", "EUR"))],
    )  # fmt: skip
    lots = [lot("shelf", 40), po(expected=AFTER, quantity=5)]
    allocations = [booked("shelf"), booked("po", 5, line_id="l2")]
    assert order_status(order, allocations, lots, as_of=BEFORE) is LineStatus.DELAYED
    assert order_status(order, allocations[:1], lots, as_of=BEFORE) is LineStatus.NOT_BOOKED
    empty = Order(id="o2", customer_id="acme", currency="EUR")
    assert order_status(empty, [], [], as_of=BEFORE) is None


def rush(quantity, *, priority=5, order_id="o9", sku="PLANK"):
    return Demand(line_id="r1", order_id=order_id, sku=sku, quantity=quantity, priority=priority)


def test_a_line_is_not_enough_once_orders_of_higher_priority_take_the_free_supply_first():
    # MRPeasy: "There will be insufficient products for this order after shipping orders
    # with higher priority."
    shelf = [lot("shelf", 100)]
    assert status([], shelf, BEFORE, ahead=[rush(60)]) is LineStatus.NOT_BOOKED
    assert status([], shelf, BEFORE, ahead=[rush(61)]) is LineStatus.NOT_ENOUGH
    assert status([], shelf, BEFORE, ahead=[rush(30), rush(31, priority=1)]) is (
        LineStatus.NOT_ENOUGH
    )
    # what is booked already counts: 30 booked, 70 free, 61 ahead leaves 9 for the 10 open
    assert status([booked("shelf", 30)], shelf, BEFORE, ahead=[rush(61)]) is (
        LineStatus.NOT_ENOUGH
    )
    assert status([booked("shelf", 30)], shelf, BEFORE, ahead=[rush(60)]) is (
        LineStatus.NOT_BOOKED
    )


def test_only_other_orders_of_the_same_product_with_a_strictly_higher_priority_come_first():
    shelf = [lot("shelf", 100)]
    for demand in (
        rush(61, priority=0),  # the same priority: served by due date, not ahead
        rush(61, priority=-1),
        rush(61, sku="NAIL"),
        rush(61, order_id="o1"),  # the line's own order
    ):
        assert status([], shelf, BEFORE, order_id="o1", ahead=[demand]) is (LineStatus.NOT_BOOKED)
    assert status([], shelf, BEFORE, priority=4, ahead=[rush(61)]) is LineStatus.NOT_ENOUGH
    assert status([], shelf, BEFORE, priority=5, ahead=[rush(61)]) is LineStatus.NOT_BOOKED


def test_a_line_booked_in_full_keeps_its_booking_whatever_higher_priorities_still_need():
    assert status([booked("shelf")], [lot("shelf", 40)], BEFORE, ahead=[rush(500)]) is (
        LineStatus.READY_FOR_SHIPMENT
    )


def test_a_line_not_booked_in_full_is_delayed_once_past_its_due_date():
    shelf = [lot("shelf", 100)]
    assert status([], shelf, ON) is LineStatus.NOT_BOOKED
    assert status([], shelf, AFTER) is LineStatus.DELAYED
    assert status([booked("shelf", 30)], shelf, AFTER) is LineStatus.DELAYED
    # not enough ranks worse, so it stays not enough
    assert status([], [lot("shelf", 39)], AFTER) is LineStatus.NOT_ENOUGH
    assert status([], shelf, AFTER, ahead=[rush(61)]) is LineStatus.NOT_ENOUGH
    undated = OrderLine(id="l1", sku="PLANK", quantity=40, unit_price=Money("3", "EUR"))
    assert line_status(undated, [], shelf, as_of=AFTER) is LineStatus.NOT_BOOKED


def test_an_order_weighs_the_demand_ahead_against_its_own_priority():
    order = Order(id="o1", customer_id="acme", currency="EUR", priority=2, lines=[LINE])
    shelf = [lot("shelf", 100)]
    assert order_status(order, [], shelf, as_of=BEFORE, ahead=[rush(61, priority=2)]) is (
        LineStatus.NOT_BOOKED
    )
    assert order_status(order, [], shelf, as_of=BEFORE, ahead=[rush(61, priority=3)]) is (
        LineStatus.NOT_ENOUGH
    )


@settings(max_examples=100, deadline=None)
@given(
    booked_quantity=st.integers(0, 40),
    stock=st.integers(0, 120),
    wanted=st.lists(st.tuples(st.integers(0, 80), st.integers(-1, 3)), max_size=4),
    day=st.sampled_from([BEFORE, ON, AFTER]),
)
def test_demand_ahead_never_makes_a_line_look_better(booked_quantity, stock, wanted, day):
    shelf = [lot("shelf", max(stock, booked_quantity))]
    held = [booked("shelf", booked_quantity)] if booked_quantity else []
    ahead = [
        Demand(line_id=f"r{i}", order_id=f"o{i + 2}", sku="PLANK", quantity=q, priority=p)
        for i, (q, p) in enumerate(wanted)
    ]
    alone = status(held, shelf, day, priority=1)
    behind = status(held, shelf, day, priority=1, ahead=ahead)
    assert behind.severity <= alone.severity
    if booked_quantity == LINE.quantity:
        assert behind is alone


def test_an_allocation_on_a_lot_that_is_not_given_raises_not_found():
    with pytest.raises(NotFound, match="ghost"):
        status([booked("ghost")], [], BEFORE)


def test_bad_input_raises_a_validation_error():
    with pytest.raises(ValidationError, match="line"):
        line_status("l1", [], [], as_of=BEFORE)
    with pytest.raises(ValidationError, match="as_of"):
        status([], [], "2027-03-01")
    with pytest.raises(ValidationError, match="shipments"):
        status([], [], BEFORE, ["s1"])
    with pytest.raises(ValidationError, match="ahead"):
        status([], [], BEFORE, ahead=["r1"])
    with pytest.raises(ValidationError, match="priority"):
        status([], [], BEFORE, priority="high")


@pytest.mark.parametrize(
    ("supply", "needed_on", "as_of", "expected"),
    [
        (lot("shelf"), DUE, AFTER, SourceTimeliness.RECEIVED),
        (po(status="received"), DUE, AFTER, SourceTimeliness.RECEIVED),
        (po(status="requested"), DUE, BEFORE - dt.timedelta(9), SourceTimeliness.REQUESTED),
        (po(), DUE, BEFORE - dt.timedelta(9), SourceTimeliness.EXPECTED_ON_TIME),
        (po(), None, BEFORE - dt.timedelta(9), SourceTimeliness.EXPECTED_ON_TIME),
        (po(expected=DUE), DUE, BEFORE, SourceTimeliness.POSSIBLY_DELAYED),
        (po(expected=AFTER), DUE, BEFORE, SourceTimeliness.DELAYED),
        (po(), DUE, AFTER, SourceTimeliness.DELAYED),
        # a manufacturing order whose planned finish has passed, not finished
        (lot("mo", source="manufacturing", available_on=BEFORE - dt.timedelta(2)), DUE, BEFORE,
         SourceTimeliness.POSSIBLY_DELAYED),
        (lot("mo", source="manufacturing", available_on=DUE), DUE, BEFORE - dt.timedelta(9),
         SourceTimeliness.POSSIBLY_DELAYED),
        # a transfer: possibly delayed once its planned shipment passed and it has not shipped
        (lot("to", source="transfer", ships_on=BEFORE - dt.timedelta(5), available_on=BEFORE),
         DUE, BEFORE - dt.timedelta(3), SourceTimeliness.POSSIBLY_DELAYED),
        (lot("to", source="transfer", source_status="in_progress",
             ships_on=BEFORE - dt.timedelta(5), available_on=BEFORE),
         DUE, BEFORE - dt.timedelta(3), SourceTimeliness.EXPECTED_ON_TIME),
        (lot("to", source="transfer", source_status="in_progress",
             ships_on=BEFORE - dt.timedelta(5), available_on=BEFORE - dt.timedelta(2)),
         None, BEFORE, SourceTimeliness.DELAYED),
        (lot("to", source="transfer", source_status="received", available_on=BEFORE),
         DUE, AFTER, SourceTimeliness.RECEIVED),
    ],
)  # fmt: skip
def test_source_statuses_follow_the_rules_for_each_kind_of_order(
    supply, needed_on, as_of, expected
):
    assert source_status(supply, needed_on=needed_on, as_of=as_of) is expected


def test_statuses_carry_the_source_products_words_and_rank_worst_first():
    assert [s.label for s in LineStatus] == [
        "Not enough", "Delayed", "Not booked", "Possibly delayed", "Requested",
        "Expected on time", "Ready for shipment", "Delivered",
    ]  # fmt: skip
    assert SourceTimeliness.POSSIBLY_DELAYED.label == "Possibly delayed"
    assert LineStatus.NOT_ENOUGH.severity == 0
    assert LineStatus.DELIVERED.severity == 7


@settings(max_examples=100)
@given(st.lists(st.sampled_from(LineStatus), min_size=1))
def test_the_worst_status_is_one_of_them_and_none_is_worse(statuses):
    worst = LineStatus.worst(statuses)
    assert worst in statuses
    assert all(worst.severity <= s.severity for s in statuses)


def test_the_worst_of_no_status_is_refused():
    with pytest.raises(ValidationError):
        LineStatus.worst([])
