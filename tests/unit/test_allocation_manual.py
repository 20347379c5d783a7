import datetime as dt
from decimal import Decimal

import pytest

from orderbook import Allocation, Lot, NotFound, OverAllocation, ValidationError
from orderbook.allocation import Demand, can_fulfil, fulfil_manually

DELIVERY = Demand(line_id="d1", order_id="o1", sku="MANGROVE-A", quantity=1000)
LOTS = [
    Lot(id="issued-2021", sku="MANGROVE-A", quantity=600, expires_on=dt.date(2027, 12, 31)),
    Lot(id="forecast-2027", sku="MANGROVE-A", quantity=5000, source="forecast"),
    Lot(id="seagrass", sku="SEAGRASS-B", quantity=900),
]
HELD = [
    Allocation(order_id="o2", line_id="x", lot_id="issued-2021", sku="MANGROVE-A", quantity=250)
]


def test_manual_fulfilment_records_the_chosen_quantities_as_manual_fills_in_the_given_order():
    fills = fulfil_manually(DELIVERY, {"forecast-2027": "650.5", "issued-2021": 349}, LOTS)
    assert [(f.lot_id, f.quantity, f.manual, f.line_id, f.order_id) for f in fills] == [
        ("forecast-2027", Decimal("650.5"), True, "d1", "o1"),
        ("issued-2021", Decimal(349), True, "d1", "o1"),
    ]


def test_asking_for_less_than_the_demand_is_allowed():
    fills = fulfil_manually(DELIVERY, {"issued-2021": 100}, LOTS)
    assert sum(f.quantity for f in fills) == 100


def test_asking_a_lot_for_more_than_remains_after_existing_allocations_is_an_over_allocation():
    with pytest.raises(OverAllocation) as caught:
        fulfil_manually(DELIVERY, {"issued-2021": 351}, LOTS, existing=HELD)
    assert (caught.value.lot_id, caught.value.requested, caught.value.available) == (
        "issued-2021",
        Decimal(351),
        Decimal(350),
    )
    assert len(fulfil_manually(DELIVERY, {"issued-2021": 350}, LOTS, existing=HELD)) == 1


@pytest.mark.parametrize(
    ("quantities", "field"),
    [
        ({"seagrass": 10}, "quantities['seagrass']"),
        ({"issued-2021": 600, "forecast-2027": 401}, "quantities"),
        ({"issued-2021": 0}, "quantities['issued-2021']"),
        ({"issued-2021": 1.5}, "quantities['issued-2021']"),
        ([("issued-2021", 1)], "quantities"),
    ],
)
def test_another_product_a_total_above_the_demand_or_a_bad_quantity_is_refused(quantities, field):
    with pytest.raises(ValidationError) as caught:
        fulfil_manually(DELIVERY, quantities, LOTS)
    assert caught.value.field == field


def test_naming_a_lot_that_is_not_given_raises_not_found():
    with pytest.raises(NotFound, match="ghost"):
        fulfil_manually(DELIVERY, {"ghost": 1}, LOTS)


def test_the_availability_check_counts_issued_and_forecast_supply_less_what_is_held():
    assert can_fulfil(DELIVERY, LOTS) == (True, Decimal(0))
    big = Demand(line_id="d2", order_id="o1", sku="MANGROVE-A", quantity=5600)
    assert can_fulfil(big, LOTS) == (True, Decimal(0))
    assert can_fulfil(big, LOTS, HELD) == (False, Decimal(250))


def test_the_availability_check_leaves_out_lots_expired_on_the_day_asked_about():
    small = Demand(line_id="d3", order_id="o1", sku="MANGROVE-A", quantity=5500)
    assert can_fulfil(small, LOTS, as_of=dt.date(2027, 12, 31)) == (True, Decimal(0))
    assert can_fulfil(small, LOTS, as_of=dt.date(2028, 1, 1)) == (False, Decimal(500))


def test_the_availability_check_refuses_what_is_not_a_demand():
    with pytest.raises(ValidationError, match="demand"):
        can_fulfil("d1", LOTS)
