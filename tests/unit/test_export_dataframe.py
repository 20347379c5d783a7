import datetime as dt
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import (
    Invoice,
    InvoiceLine,
    Money,
    Order,
    OrderbookError,
    OrderLine,
    Payment,
    ValidationError,
)
from orderbook.export import records, to_dataframe
from orderbook.rollup import summarize

pd = pytest.importorskip("pandas")

DAY = dt.date(2027, 3, 1)


def sample_records():
    orders = [
        Order(
            id=f"o{n}",
            customer_id="acme",
            currency="EUR",
            number=f"SO-{n}",
            placed_at=dt.datetime(2027, 2, n, 9, tzinfo=dt.UTC),
            lines=[
                OrderLine(id="l1", sku="TEA", quantity=n, unit_price=Money("4.995", "EUR")),
                OrderLine(id="l2", sku="POT", quantity=1, unit_price=Money("24", "EUR")),
            ],
        )
        for n in (1, 2, 3)
    ]
    invoices = [
        Invoice(
            id=f"i{n}",
            customer_id="acme",
            currency="EUR",
            number=f"INV-{n}",
            order_id=f"o{n}",
            status="issued",
            issued_on=DAY,
            due_on=DAY + dt.timedelta(days=30) if n != 2 else None,
            lines=[InvoiceLine(quantity=1, unit_price=Money("24", "EUR"), order_line_id="l2")],
        )
        for n in (1, 2)
    ]
    payments = [Payment(amount=Money("24.00", "EUR"), received_on=DAY, invoice_id="i1")]
    summaries = [summarize(o, invoices=invoices, payments=payments, as_of=DAY) for o in orders]
    return records(summaries, orders=orders, invoices=invoices, payments=payments)


def test_amount_columns_hold_the_exact_decimals_of_the_records_with_dtype_object():
    tables = sample_records()
    frame = to_dataframe(tables, "lines")
    for column in ("unit_price", "net", "gross", "ordered", "amount_due"):
        assert frame[column].dtype == object
        assert list(frame[column]) == [row[column] for row in tables.lines]
        assert all(type(value) is Decimal for value in frame[column])
    assert frame["unit_price"][0] == Decimal("4.995")  # a price finer than the cent survives


def test_the_default_table_is_the_orders_with_one_row_per_order_in_order():
    tables = sample_records()
    frame = to_dataframe(tables)
    assert list(frame["number"]) == ["SO-1", "SO-2", "SO-3"]
    assert list(frame.columns) == list(tables.orders[0])


def test_dates_become_datetime64_and_read_back_as_the_same_dates_with_missing_ones_as_nat():
    frame = to_dataframe(sample_records(), "invoices")
    assert str(frame["issued_on"].dtype).startswith("datetime64")
    assert list(frame["issued_on"].dt.date) == [DAY, DAY]
    assert frame["due_on"][0].date() == DAY + dt.timedelta(days=30)
    assert frame["due_on"][1] is pd.NaT


def test_moments_in_one_time_zone_keep_their_instant_and_zone():
    frame = to_dataframe(sample_records())
    assert str(frame["placed_at"].dtype).startswith("datetime64")
    assert frame["placed_at"][1].to_pydatetime() == dt.datetime(2027, 2, 2, 9, tzinfo=dt.UTC)
    assert str(frame["placed_at"].dt.tz) == "UTC"


def test_moments_in_different_offsets_stay_as_they_were_rather_than_lose_their_offset():
    paris = dt.timezone(dt.timedelta(hours=1))
    moments = [dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=paris)]
    frame = to_dataframe([{"at": moment} for moment in moments])
    assert frame["at"].dtype == object
    assert [value.utcoffset() for value in frame["at"]] == [dt.timedelta(0), dt.timedelta(hours=1)]


def test_grouping_by_payment_state_sums_the_amounts_exactly():
    tables = sample_records()
    frame = to_dataframe(tables)
    due = frame.groupby("payment")["amount_due"].sum()
    expected: dict[str, Decimal] = {}
    for row in tables.orders:
        expected[row["payment"]] = expected.get(row["payment"], Decimal(0)) + row["amount_due"]
    assert due.to_dict() == expected
    assert all(type(value) is Decimal for value in due)


def test_plain_rows_become_columns_in_the_order_first_met():
    frame = to_dataframe([{"a": 1, "b": "x"}, {"c": Decimal("0.1"), "a": 2}])
    assert list(frame.columns) == ["a", "b", "c"]
    assert frame["c"][1] == Decimal("0.1")
    assert frame["c"][0] is None


def test_an_unknown_table_is_refused_naming_the_tables():
    with pytest.raises(ValidationError, match="orders, lines, invoices, payments"):
        to_dataframe(sample_records(), "customers")


def test_a_row_that_is_not_a_mapping_is_refused():
    with pytest.raises(ValidationError, match=r"rows\[1\]"):
        to_dataframe([{"a": 1}, ["a", 1]])


def test_without_pandas_a_dataframe_says_to_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail
    with pytest.raises(OrderbookError, match=r"orderbook\[dataframe\]") as caught:
        to_dataframe(sample_records())
    assert caught.value.details == {"extra": "dataframe"}


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)
days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(st.lists(st.tuples(amounts, st.none() | days), min_size=1, max_size=20))
def test_a_frame_gives_back_every_amount_and_date_exactly(values):
    frame = to_dataframe([{"amount": amount, "day": day} for amount, day in values])
    assert list(frame["amount"]) == [amount for amount, _ in values]
    if frame["day"].dtype == object:  # no date at all: the column stays as given
        read = list(frame["day"])
    else:
        read = [None if value is pd.NaT else value for value in frame["day"].dt.date]
    assert read == [day for _, day in values]
