"""An allocation plan as rows: a table of fills and one of demands, exact in CSV and frames."""

import csv
import datetime as dt
import io
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Lot
from orderbook.allocation import Demand, allocate
from orderbook.errors import ValidationError
from orderbook.export import PlanRecords, plan_records, to_csv, to_dataframe
from orderbook.testing.strategies import demands, lots

TODAY = dt.date(2027, 3, 1)


def read_csv(rows):
    out = io.StringIO()
    to_csv(rows, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def sample_plan():
    return allocate(
        [
            Demand(line_id="l1", order_id="o1", sku="TEA", quantity="5.25"),
            Demand(line_id="l1", order_id="o2", sku="TEA", quantity=4, priority=1),
            Demand(line_id="l2", order_id="o2", sku="MUG", quantity="0.5"),
        ],
        [
            Lot(id="shelf", sku="TEA", quantity="6.125"),
            Lot(id="back", sku="TEA", quantity=1),
            Lot(id="mugs", sku="MUG", quantity=3),
        ],
        as_of=TODAY,
    )


def test_a_plan_gives_a_row_per_fill_and_a_row_per_demand_in_the_plans_order():
    plan = sample_plan()
    tables = plan_records(plan)
    assert [name for name, _ in tables.tables] == ["fills", "demands"]
    assert [
        (r["order_id"], r["line_id"], r["lot_id"], r["sku"], r["quantity"], r["manual"])
        for r in tables.fills
    ] == [(f.order_id, f.line_id, f.lot_id, f.sku, f.quantity, f.manual) for f in plan.fills]
    assert [(r["order_id"], r["line_id"]) for r in tables.demands] == [d.key for d in plan.demands]
    for row in tables.demands:
        key = (row["order_id"], row["line_id"])
        assert row["demanded"] == plan.demand(key).quantity
        assert row["allocated"] == plan.allocated(key)
        assert row["short"] == plan.shortfall(key)
    assert {(r["order_id"], r["line_id"]): r["short"] for r in tables.demands if r["short"]} == (
        plan.shortfalls()
    )


def test_the_plan_tables_read_back_exactly_from_csv_and_a_dataframe():
    plan = sample_plan()
    tables = plan_records(plan)
    read = read_csv(tables.fills)
    assert [Decimal(r["quantity"]) for r in read] == [f.quantity for f in plan.fills]
    assert [r["manual"] for r in read] == ["False"] * len(plan.fills)
    frame = to_dataframe(tables)  # the fills, by default
    assert list(frame["quantity"]) == [f.quantity for f in plan.fills]
    assert {type(q) for q in frame["quantity"]} == {Decimal}
    demanded = to_dataframe(tables, "demands")
    assert list(demanded["short"]) == [plan.shortfall(d.key) for d in plan.demands]
    assert [Decimal(r["allocated"]) for r in read_csv(tables.demands)] == [
        plan.allocated(d.key) for d in plan.demands
    ]


def test_a_plan_records_table_that_does_not_exist_is_refused_naming_the_tables():
    with pytest.raises(ValidationError, match="fills, demands"):
        to_dataframe(plan_records(sample_plan()), "orders")


def test_plan_records_refuse_anything_but_a_plan():
    with pytest.raises(ValidationError) as caught:
        plan_records([])
    assert caught.value.field == "plan"


def test_an_empty_plan_gives_empty_tables():
    assert plan_records(allocate([], [], as_of=TODAY)) == PlanRecords(fills=(), demands=())


def _clashing(found):
    """Give the demands line ids that repeat across orders (l0, l1, ...), unique per order."""
    seen: dict[str, int] = {}
    renamed = []
    for demand in found:
        n = seen.get(demand.order_id, 0)
        seen[demand.order_id] = n + 1
        renamed.append(attrs.evolve(demand, line_id=f"l{n}"))
    return renamed


@settings(max_examples=60, deadline=None)
@given(
    st.lists(demands(skus=("A", "B"), as_of=TODAY), max_size=8).map(_clashing),
    st.lists(lots(as_of=TODAY, skus=("A", "B")), max_size=6, unique_by=lambda lot: lot.id),
    st.sampled_from(["greedy", "max_served"]),
)
def test_plan_rows_add_up_per_lot_and_per_demand_when_read_back_from_csv(wants, supply, mode):
    plan = allocate(wants, supply, as_of=TODAY, objective=mode)
    tables = plan_records(plan)
    per_lot: dict[str, Decimal] = {}
    per_line: dict[tuple[str, str], Decimal] = {}
    for row in read_csv(tables.fills):
        quantity = Decimal(row["quantity"])
        per_lot[row["lot_id"]] = per_lot.get(row["lot_id"], Decimal(0)) + quantity
        key = (row["order_id"], row["line_id"])
        per_line[key] = per_line.get(key, Decimal(0)) + quantity
    for lot in supply:  # what the plan took from each lot: all it had free, less what is left
        taken = lot.quantity - plan.remaining(lot.id)
        assert per_lot.get(lot.id, Decimal(0)) == taken
    demanded = read_csv(tables.demands)
    assert len(demanded) == len(wants)
    for row in demanded:
        key = (row["order_id"], row["line_id"])
        got = Decimal(row["demanded"]) - Decimal(row["short"])
        assert per_line.get(key, Decimal(0)) == got == Decimal(row["allocated"])
        assert Decimal(row["demanded"]) == plan.demand(key).quantity
