import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import Invoice, InvoiceLine, Money, Order, OrderLine, Payment, ValidationError
from orderbook.export import records, to_csv
from orderbook.rollup import summarize

DAY = dt.date(2027, 3, 1)


def order(order_id="o1", count=2):
    lines = [
        OrderLine(
            id=f"{order_id}-l{i}",
            sku=f"SKU-{i}",
            quantity=i,
            unit_price=Money("10.00", "EUR"),
            tax_rate="0.2",
        )
        for i in range(1, count + 1)
    ]
    return Order(id=order_id, customer_id="acme", currency="EUR", number=order_id.upper(),
                 lines=lines, status="confirmed")  # fmt: skip


def bill(order_id="o1", invoice_id="i1", quantity=1):
    return Invoice(
        id=invoice_id, customer_id="acme", currency="EUR", order_id=order_id, status="issued",
        issued_on=DAY, number=invoice_id.upper(),
        lines=[InvoiceLine(quantity=quantity, unit_price=Money("10.00", "EUR"), tax_rate="0.2",
                           order_line_id=f"{order_id}-l1")],
    )  # fmt: skip


def ledger():
    first, second = order("o1"), order("o2", count=3)
    invoice = bill()
    payment = Payment(id="p1", amount=Money("5.00", "EUR"), received_on=DAY, invoice_id="i1",
                      method="card")  # fmt: skip
    summaries = [
        summarize(first, invoices=[invoice], payments=[payment], as_of=DAY),
        summarize(second, as_of=DAY),
    ]
    return records(summaries, orders=[first, second], invoices=[invoice], payments=[payment])


def test_there_is_one_row_per_order_line_invoice_and_payment():
    tables = ledger()
    assert [row["order_id"] for row in tables.orders] == ["o1", "o2"]
    assert [row["line_id"] for row in tables.lines] == [
        "o1-l1", "o1-l2", "o2-l1", "o2-l2", "o2-l3"
    ]  # fmt: skip
    assert [row["invoice_id"] for row in tables.invoices] == ["i1"]
    assert [row["payment_id"] for row in tables.payments] == ["p1"]
    assert [name for name, _ in tables.tables] == ["orders", "lines", "invoices", "payments"]


def test_an_order_row_carries_its_header_totals_and_statuses():
    row = ledger().orders[0]
    assert row["number"] == "O1"
    assert row["status"] == "confirmed"
    assert (row["currency"], row["net"], row["tax"], row["gross"]) == (
        "EUR", Decimal("30.00"), Decimal("6.00"), Decimal("36.00")
    )  # fmt: skip
    assert (row["invoicing"], row["invoiced"]) == ("part_invoiced", Decimal("12.00"))
    assert (row["payment"], row["paid"], row["amount_due"]) == (
        "part_paid", Decimal("5.00"), Decimal("7.00")
    )  # fmt: skip


def test_an_invoice_row_carries_what_was_paid_against_it():
    row = ledger().invoices[0]
    assert (row["kind"], row["status"], row["issued_on"]) == ("invoice", "issued", DAY)
    assert (row["gross"], row["paid"], row["amount_due"], row["payment"]) == (
        Decimal("12.00"), Decimal("5.00"), Decimal("7.00"), "part_paid"
    )  # fmt: skip


def test_a_summary_without_its_order_leaves_the_order_columns_empty():
    tables = records([summarize(order(), as_of=DAY)])
    assert tables.orders[0]["number"] is None
    assert tables.lines[0]["sku"] is None
    assert tables.lines[0]["ordered"] == Decimal("1")


def test_an_order_without_a_summary_or_a_summary_given_twice_is_refused():
    summary = summarize(order(), as_of=DAY)
    with pytest.raises(ValidationError, match="must have a summary"):
        records([summary], orders=[order("o9")])
    with pytest.raises(ValidationError, match="must be unique"):
        records([summary, summary])
    with pytest.raises(ValidationError, match=r"invoices\[0\]"):
        records([summary], invoices=["not an invoice"])


def test_csv_reads_back_with_iso_dates_plain_decimals_and_empty_nones():
    tables = ledger()
    out = io.StringIO(newline="")
    assert to_csv(tables.invoices, out) == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["issued_on"] == "2027-03-01"
    assert row["gross"] == "12.00"
    assert row["due_on"] == ""
    assert list(row) == list(tables.invoices[0])


def test_csv_takes_chosen_columns_and_fills_missing_cells():
    out = io.StringIO(newline="")
    to_csv([{"a": 1, "b": Decimal("1E+2")}, {"a": 2}], out, columns=["b", "a"])
    assert out.getvalue() == "b,a\r\n100,1\r\n,2\r\n"
    with pytest.raises(ValidationError, match="columns"):
        to_csv([], io.StringIO(), columns="ab")
    with pytest.raises(ValidationError, match=r"rows\[0\]"):
        to_csv(["row"], io.StringIO())


@given(counts=st.lists(st.integers(min_value=1, max_value=6), min_size=0, max_size=6))
def test_the_line_rows_are_exactly_the_lines_of_the_orders_and_sum_to_their_totals(counts):
    orders = [order(f"o{i}", count) for i, count in enumerate(counts)]
    summaries = [summarize(each, as_of=DAY) for each in orders]
    tables = records(summaries, orders=orders)
    assert len(tables.orders) == len(orders)
    assert len(tables.lines) == sum(counts)
    for row in tables.orders:
        lines = [line for line in tables.lines if line["order_id"] == row["order_id"]]
        assert sum(line["gross"] for line in lines) == row["gross"]
        assert sum(line["ordered"] for line in lines) == row["quantity"]
    text = io.StringIO(newline="")
    to_csv(tables.lines, text)
    assert len(list(csv.DictReader(io.StringIO(text.getvalue(), newline="")))) == sum(counts)


# -- CSV injection --------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
formula_texts = st.tuples(st.sampled_from(FORMULA_STARTS), st.text()).map("".join)
texts = st.text() | formula_texts | st.sampled_from(["-5", "+1", "=1+1", "@A1", "'=x"])
numbers = st.decimals(allow_nan=False, allow_infinity=False) | st.integers(-(2**63), 2**63 - 1)
values = texts | numbers | st.none() | st.booleans() | st.dates()
columns = st.lists(texts, min_size=2, max_size=4, unique=True)  # one empty cell is no line


@given(data=st.data(), names=columns)
def test_no_exported_cell_starts_unescaped_with_a_formula_character(data, names):
    rows = data.draw(st.lists(st.fixed_dictionaries(dict.fromkeys(names, values)), max_size=4))
    out = io.StringIO(newline="")
    to_csv(rows, out, columns=names)
    header, *cells = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    for row, given_row in zip(cells, rows, strict=True):
        for text, value in zip(row, [given_row[name] for name in names], strict=True):
            if text.startswith(FORMULA_STARTS):  # only a number, which no sheet runs
                assert isinstance(value, int | Decimal)
                assert PLAIN_NUMBER.fullmatch(text)
            if isinstance(value, str):  # a text reads back whole, after the quote if it got one
                assert text == ("'" + value if value.startswith(FORMULA_STARTS) else value)
    for text, name in zip(header, names, strict=True):  # a header is a text cell too
        assert text == ("'" + name if name.startswith(FORMULA_STARTS) else name)


def test_a_credit_notes_negative_amount_stays_a_number_and_a_formula_becomes_text():
    out = io.StringIO(newline="")
    to_csv([{"reference": '=HYPERLINK("http://x")', "net": Decimal("-12.00"), "qty": -3}], out)
    assert out.getvalue().splitlines()[1] == '"\'=HYPERLINK(""http://x"")",-12.00,-3'
