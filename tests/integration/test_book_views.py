"""The book's notebook views: summaries, outcomes, simulations, lists and the dashboard."""

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import Customer, Lot, Money, OrderLine, Product, SequentialIds, presets
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.commands import Allocate, ChangeStatus, PlaceOrder

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
EVIL = "<script>alert(1)</script>"
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(
    str.strip
)


def line(sku, quantity, **changes):
    return OrderLine(id="l1", sku=sku, quantity=quantity, unit_price=Money("2.50", "EUR"),
                     **changes)  # fmt: skip


def build(store=None, *, name=EVIL, sku="NUTS&BOLTS"):
    """A book with orders in five statuses, a line delayed, one short, a lot running short and
    an overdue invoice, 20 days after it started."""
    clock = FixedClock(START)
    book = OrderBook(
        store, workflow=presets.standard(), clock=clock, id_factory=SequentialIds("id")
    )
    book.save_customer(Customer(id="evil", name=name, currency="EUR"))
    book.save_product(Product(sku=sku, name="Nuts & bolts"))
    book.save_product(Product(sku="WIDGET"))
    book.save_product(Product(sku="GADGET"))
    book.save_lot(Lot(id="nb-shelf", sku=sku, quantity=10))
    book.save_lot(Lot(id="w-shelf", sku="WIDGET", quantity=5))
    book.save_lot(Lot(id="g-forecast", sku="GADGET", quantity=10, source="forecast",
                      available_on=dt.date(2027, 6, 1)))  # fmt: skip
    book.place_order("evil", [line("WIDGET", 1)], order_id="o-draft")
    for order_id, ordered in (
        ("o-big", line(sku, 8)),
        ("o-over", line(sku, 6)),  # 2 left for it: not enough
        ("o-late", line("GADGET", 3, due_on=dt.date(2027, 3, 10))),  # supply in June: delayed
        ("o-ship", line("WIDGET", 2)),
        ("o-cancel", line("WIDGET", 1)),
    ):
        book.place_order("evil", [ordered], order_id=order_id)
        book.transition(order_id, "confirmed")
        book.allocate(order_id)
    book.cancel("o-cancel")
    book.ship("o-ship", {"l1": 2})
    bill = book.invoice("o-ship", "shipped", issue=True, due_days=10, number="INV-1")
    book.record_payment(Money("1.00", "EUR"), invoice_id=bill.id)
    book.invoice("o-big", issue=True, due_days=60, number="INV-2")  # not due yet
    clock.advance(dt.timedelta(days=20))
    return book


def parse(markup):
    root = ET.fromstring(markup)
    assert "orderbook-view" in root.get("class").split()
    assert list(root.iter("script")) == []
    return root


def table(root, caption):
    (found,) = [
        t for t in root.iter("table") if "".join(t.find("caption").itertext()).startswith(caption)
    ]
    return found


def caption(root, start):
    return "".join(table(root, start).find("caption").itertext())


def cells(row):
    return ["".join(td.itertext()) for td in row.findall("td")]


def body(root, start):
    return [cells(row) for row in table(root, start).findall("./tbody/tr")]


def test_the_dashboard_counts_orders_by_status_lines_in_trouble_overdue_invoices_and_short_lots():
    book = build()
    root = parse(book._repr_html_())
    assert "2027-03-21" in root.find("h3").text
    assert dict(body(root, "Orders by status")) == {
        "Draft": "1",
        "Confirmed": "3",
        "Shipped": "1",
        "Cancelled": "1",
    }
    assert caption(root, "Orders by status") == "Orders by status (6)"
    assert caption(root, "Lines delayed") == "Lines delayed (1) or not enough (1)"
    trouble = body(root, "Lines delayed")
    assert [(row[0], row[5]) for row in trouble] == [
        ("o-late", "!\xa0Delayed"),
        ("o-over", "!\xa0Not enough"),
    ]
    assert caption(root, "Invoices overdue") == "Invoices overdue (1)"
    (overdue,) = body(root, "Invoices overdue")
    assert overdue == [
        "INV-1", EVIL, "2027-03-11", "10", "EUR 5.00", "EUR 1.00", "EUR 4.00",
    ]  # fmt: skip
    assert caption(root, "Lots running short") == "Lots running short (1)"
    assert body(root, "Lots running short") == [["NUTS&BOLTS", "nb-shelf", "0", "4", "4"]]
    numbers = table(root, "Lots running short").findall("./tbody/tr/td")[2:]
    assert all("num" in td.get("class").split() for td in numbers)


def test_the_dashboard_counts_an_overdue_invoice_by_what_its_credit_notes_leave_owing():
    book = build()
    (bill,) = [i for i in book.invoices("o-ship") if i.number == "INV-1"]
    line = bill.lines[0].id
    book.credit_note(bill.id, {line: 1}, issue=True, number="CN-1")  # EUR 2.50 of 5.00 back
    (overdue,) = body(parse(book._repr_html_()), "Invoices overdue")
    assert overdue[4:] == ["EUR 2.50", "EUR 1.00", "EUR 1.50"]
    book.credit_note(bill.id, {line: 1}, issue=True, number="CN-2")  # all of it back
    assert caption(parse(book._repr_html_()), "Invoices overdue") == "Invoices overdue (0)"


def test_the_dashboard_escapes_the_customer_name_and_the_sku():
    markup = build()._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "NUTS&amp;BOLTS" in markup
    assert "<script>" not in markup


def test_the_dashboard_of_a_read_only_book_leaves_its_file_byte_identical(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path) as writing:
        build(writing.store).close()
    before = path.read_bytes()
    clock = FixedClock(START + dt.timedelta(days=20))
    with OrderBook.open(path, read_only=True, clock=clock) as book:
        root = parse(book._repr_html_())
        assert caption(root, "Invoices overdue") == "Invoices overdue (1)"
        assert caption(root, "Lots running short") == "Lots running short (1)"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.sqlite"]


def test_a_summary_view_shows_the_statuses_money_and_lines_and_prints_short():
    summary = build().summary("o-ship")
    root = parse(summary._repr_html_())
    figures = dict(zip([dt.text for dt in root.iter("dt")], list(root.iter("dd")),
                       strict=True))  # fmt: skip
    assert figures["gross"].text == "EUR 5.00"
    assert figures["paid"].text == "EUR 1.00"
    assert figures["outstanding"].text == "EUR 4.00"
    assert figures["gross"].get("class") == "num"
    assert figures["payment"].text.startswith("Part paid")
    assert figures["fulfilment"].text.startswith("complete")
    (row,) = body(root, "Lines")
    assert row == ["l1", "2", "0", "2", "0", "2", "EUR 5.00", "EUR 5.00", "EUR 5.00", "EUR 1.00",
                   "EUR 4.00"]  # fmt: skip
    shown = repr(summary)
    assert shown == (
        "OrderSummary('o-ship', 2027-03-21, gross EUR 5.00, invoiced EUR 5.00, paid EUR 1.00)"
    )


def test_a_summary_view_groups_its_amounts_by_thousands_as_the_command_line_does():
    book = build()
    big = OrderLine(id="l1", sku="WIDGET", quantity=1, unit_price=Money("12345.5", "EUR"))
    book.place_order("evil", [big], order_id="o-large")
    root = parse(book.summary("o-large")._repr_html_())
    figures = {dt.text: dd.text for dt, dd in zip(root.iter("dt"), root.iter("dd"), strict=True)}
    assert figures["gross"] == "EUR 12,345.50"


def test_the_lines_lots_and_history_of_the_book_are_tuples_with_views():
    book = build()
    lines, lots, history = book.lines(), book.lots("NUTS&BOLTS"), book.history("o-ship")
    assert lines == tuple(lines)
    assert isinstance(lots, tuple)
    assert tuple(history) == history
    assert repr(lines) == "LineList(6 lines, 1 not enough, 1 delayed)"
    assert repr(lots) == "LotList('NUTS&BOLTS', 1 lot, 0 free)"
    assert repr(history) == "History('o-ship', 2 moves, now shipped)"
    rows = body(parse(lines._repr_html_()), "6 lines")
    assert [(row[1], row[-1]) for row in rows if row[-1].startswith("!")] == [
        ("o-late", "!\xa0Delayed"),
        ("o-over", "!\xa0Not enough"),
    ]
    assert body(parse(lots._repr_html_()), "1 lot,")[0][5:] == ["10", "10", "0", "used up\xa00"]
    assert [row[1:3] for row in body(parse(history._repr_html_()), "2 moves")] == [
        ["draft", "confirmed"],
        ["confirmed", "shipped"],
    ]


def test_a_simulation_view_marks_the_lines_that_newly_go_short_or_get_worse():
    book = build()
    before = book.store.dump()
    what_if = book.simulate(
        [
            PlaceOrder(customer_id="evil", order_id="rush", priority=9, lines=[line("WIDGET", 4)]),
            ChangeStatus(order_id="rush", to="confirmed"),
            Allocate(order_id="rush"),
        ]
    )
    assert book.store.dump() == before
    root = parse(what_if._repr_html_())
    rows = {row.findall("td")[0].text: row for row in table(root, "1 line").findall("./tbody/tr")}
    assert set(rows) == {"o-late", "o-over", "rush"}
    assert cells(rows["rush"])[3:] == ["0", "1", "new"]
    assert "short" in rows["rush"].get("class").split()
    assert rows["rush"].find("td/span").get("class") == "marker"
    assert cells(rows["o-over"])[3:] == ["4", "4", "same"]
    assert rows["o-over"].get("class") is None
    assert caption(root, "1 line") == "1 line newly short or worse, 3 short after"
    assert repr(what_if) == "Simulation(3 commands, 1 order touched, 3 lines short)"
    assert "served 3 of 4" in "".join(root.itertext())


def test_an_outcome_view_lists_its_events_records_and_moves_and_prints_short():
    book = build()
    outcome = book.execute(ChangeStatus(order_id="o-draft", to="confirmed"))
    root = parse(outcome._repr_html_())
    assert [row[1] for row in body(root, "1 event")] == ["StatusChanged"]
    assert body(root, "1 written")[0][:3] == ["written", "order", "o-draft"]
    assert body(root, "1 status move") == [["o-draft", "draft", "confirmed", "by hand"]]
    assert repr(outcome) == (
        "Outcome(ChangeStatus, 'o-draft', 1 event, 1 written, 0 deleted, 1 move)"
    )


def test_help_on_the_book_does_not_print_the_default_workflow():
    import pydoc

    shown = pydoc.render_doc(OrderBook, renderer=pydoc.plaintext)
    assert "Policy('best_available')" in shown
    assert "Status(" not in shown
    assert "Transition(" not in shown


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, sku=TEXT)
def test_every_view_of_the_book_parses_as_xml_whatever_the_names(name, sku):
    if sku in {"WIDGET", "GADGET"}:
        sku = sku + "!"
    book = build(name=name, sku=sku)
    views = [
        book,
        book.summary("o-over"),
        book.lines(),
        book.lots(sku),
        book.history("o-over"),
        book.simulate([Allocate(order_id="o-over")]),
        book.execute(ChangeStatus(order_id="o-draft", to="confirmed")),
    ]
    for view in views:
        parse(view._repr_html_())
        assert len(repr(view)) < 120 + 4 * len(sku)
    assert sku in "".join(parse(book._repr_html_()).itertext()) or not sku.isprintable()
