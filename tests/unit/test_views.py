"""The notebook views of the core's values: well-formed, escaped, figures in place, reprs short."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import (
    Demand,
    History,
    HistoryEntry,
    Lot,
    LotList,
    Money,
    allocate,
    best_available,
    presets,
)
from orderbook.book import LineList, LotStock
from orderbook.views._html import cell, text

TODAY = dt.date(2027, 3, 1)
AT = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)

# Text a model accepts: any Unicode but lone surrogates (controls, markup and quotes included).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(
    str.strip
)


def parse(markup):
    """The view as an element tree, checking it is one well-formed element with no script."""
    root = ET.fromstring(markup)
    assert root.tag == "div"
    assert "orderbook-view" in root.get("class").split()
    assert root.find("style") is not None
    assert root.find(".//style").text.count(".orderbook-view") > 5  # scoped to the view
    assert list(root.iter("script")) == []
    return root


def rows(root, caption=None):
    """The body rows of a view's table (the one with that caption), as lists of cells."""
    tables = root.iter("table")
    if caption is not None:
        tables = [t for t in tables if "".join(t.find("caption").itertext()).startswith(caption)]
    (table,) = tables
    return table.findall("./tbody/tr")


def texts(row):
    return ["".join(td.itertext()) for td in row.findall("td")]


def classes(element):
    return (element.get("class") or "").split()


def demand(line_id, quantity, sku="NUTS&BOLTS", order_id="o1"):
    return Demand(line_id=line_id, order_id=order_id, sku=sku, quantity=quantity)


def test_a_plan_view_shows_each_demand_with_numbers_right_aligned_and_shortfalls_marked():
    demands = [demand("l1", 5), demand("l<2>", 4, order_id="o2")]
    plan = allocate(demands, [Lot(id="shelf", sku="NUTS&BOLTS", quantity=7)], as_of=TODAY)
    markup = plan._repr_html_()
    root = parse(markup)
    first, second = rows(root)
    assert texts(first)[:8] == ["o1", "l1", "NUTS&BOLTS", "-", "0", "5", "5", "0"]
    assert texts(second)[:3] == ["o2", "l<2>", "NUTS&BOLTS"]
    assert texts(second)[5:7] == ["4", "2"]
    short = second.findall("td")[7]
    assert "short" in classes(short)
    assert "num" in classes(short)
    assert short.find("span").text == "short"  # a visible marker, not a colour alone
    assert "".join(short.itertext()).endswith("2")
    assert "short" in classes(second)
    assert "short" not in classes(first)
    assert all("num" in classes(td) for td in first.findall("td")[4:8])
    assert "NUTS&amp;BOLTS" in markup
    assert "l&lt;2&gt;" in markup
    assert "served 9 of 9" not in markup
    assert "served 7 of 9" in markup


def test_a_plan_prints_short_with_what_it_served_and_how_many_lines_it_left_short():
    plan = allocate(
        [demand("l1", 5), demand("l2", 4)],
        [Lot(id="shelf", sku="NUTS&BOLTS", quantity=6)],
        as_of=TODAY,
    )
    assert repr(plan) == "AllocationPlan(best_available, 2027-03-01, served 6 of 9, 1 line short)"


def test_a_long_plan_view_says_how_many_demands_it_leaves_out():
    demands = [demand(f"l{i:03d}", 1) for i in range(60)]
    root = parse(allocate(demands, [Lot(id="a", sku="NUTS&BOLTS", quantity=100)], as_of=TODAY)
                 ._repr_html_())  # fmt: skip
    assert len(rows(root)) == 50
    assert "... and 10 more demands" in "".join(root.itertext())


def stocks():
    return LotList(
        [
            LotStock(lot=Lot(id="shelf", sku="TEA&CO", quantity=10), committed=4, tentative=1),
            LotStock(lot=Lot(id="<po>", sku="TEA&CO", quantity=3), committed=3, tentative=0),
        ]
    )


def test_the_lists_of_the_book_equal_the_plain_tuples_and_are_tuples():
    lots = stocks()
    assert lots == tuple(lots)
    assert tuple(lots) == lots
    assert isinstance(lots, tuple)
    assert hash(lots) == hash(tuple(lots))
    entry = HistoryEntry(order_id="o1", source="draft", target="confirmed", at=AT)
    assert History([entry]) == (entry,)
    assert isinstance(History([entry]), tuple)
    assert LineList() == ()
    assert isinstance(LineList(), tuple)


def test_a_lot_list_view_shows_what_is_free_and_marks_a_lot_with_nothing_free():
    markup = stocks()._repr_html_()
    root = parse(markup)
    shelf, po = rows(root)
    assert texts(shelf)[0] == "shelf"
    assert texts(shelf)[5:] == ["10", "4", "1", "6"]
    assert texts(po)[0] == "<po>"
    assert texts(po)[-1].endswith("0")
    assert "short" in classes(po)
    assert "short" not in classes(shelf)
    assert "num" in classes(shelf.findall("td")[-1])
    assert "&lt;po&gt;" in markup
    assert "TEA&amp;CO" in markup
    assert repr(stocks()) == "LotList('TEA&CO', 2 lots, 6 free)"


def test_a_history_view_lists_the_moves_and_prints_short():
    moves = History(
        [
            HistoryEntry(order_id="o1", source="draft", target="confirmed", at=AT, by="<ana>"),
            HistoryEntry(
                order_id="o1",
                source="confirmed",
                target="shipped",
                at=AT + dt.timedelta(days=1),
                automatic=True,
                reason="all shipped & done",
            ),
        ]
    )
    root = parse(moves._repr_html_())
    first, second = rows(root)
    assert texts(first) == ["2027-03-01 09:30 UTC", "draft", "confirmed", "<ana>", "by hand", "-"]
    assert texts(second)[2:] == ["shipped", "-", "automatic", "all shipped & done"]
    assert repr(moves) == "History('o1', 2 moves, now shipped)"
    assert repr(History()) == "History(no moves)"
    assert texts(rows(parse(History()._repr_html_()))[0]) == ["no moves"]


def test_a_workflow_and_a_policy_print_short_so_help_on_the_book_stays_short():
    assert repr(presets.standard()) == "Workflow('standard', 6 statuses)"
    assert repr(presets.mrpeasy()).startswith("Workflow('mrpeasy', ")
    assert repr(best_available) == "Policy('best_available')"


def test_money_keeps_its_evaluable_repr_and_cells_show_it_right_aligned():
    assert repr(Money("9.00", "EUR")) == "Money('9.00', 'EUR')"
    assert cell(Money("9.00", "EUR")) == '<td class="num">EUR 9.00</td>'
    assert cell(Decimal("1E+1")) == '<td class="num">10</td>'
    assert cell("9") == "<td>9</td>"


def test_text_that_xml_cannot_carry_is_replaced_and_markup_is_escaped():
    assert text("a\x00b\x1fc\tz") == "a\ufffdb\ufffdc\tz"
    assert text("<a href='x'>&\"") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&quot;"


@settings(max_examples=60, deadline=None)
@given(sku=TEXT, lot_id=TEXT, order_id=TEXT, who=TEXT)
def test_every_view_of_the_core_parses_as_xml_whatever_the_text(sku, lot_id, order_id, who):
    plan = allocate(
        [Demand(line_id=who, order_id=order_id, sku=sku, quantity=3)],
        [Lot(id=lot_id, sku=sku, quantity=2)],
        as_of=TODAY,
    )
    lots = LotList([LotStock(lot=Lot(id=lot_id, sku=sku, quantity=2), committed=1, tentative=0)])
    moves = History(
        [HistoryEntry(order_id=order_id, source="a", target="b", at=AT, by=who, reason=sku)]
    )
    for view, parts in (
        (plan, (sku, order_id, lot_id, who)),
        (lots, (sku, lot_id)),
        (moves, (order_id, who, sku)),
    ):
        root = parse(view._repr_html_())
        assert len(repr(view)) < 120 + 4 * len(sku + order_id)
        shown = "".join(root.itertext())
        assert all(part in shown for part in parts if part.isprintable())
