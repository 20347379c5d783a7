"""Procurement through the book (Kafinea): one numbered purchase order per supplier, with
each line's cost and the totals, saved beside the order and listed by ``book.purchases``."""

from decimal import Decimal

from orderbook import (
    LockedError,
    Money,
    NotFound,
    Product,
    ValidationError,
    purchase_line_cost,
    purchase_total,
)
from orderbook.commands import Procure


def eur(amount):
    return Money(amount, "EUR")


def suppliers(book):
    """Tea from one supplier, mugs and pots from another, each at a cost."""
    book.save_product(Product(sku="TEA", supplier="Assam Estates", unit_cost=eur("2.105")))
    book.save_product(Product(sku="MUG", supplier="Potteries", unit_cost=eur("3.00")))
    book.save_product(Product(sku="POT", supplier="Potteries", unit_cost=eur("12.50")))
    return book


def placed(book, make_line, number="SO-5"):
    lines = [make_line("l1", "TEA", 4), make_line("l2", "MUG", 3), make_line("l3", "POT", 1)]
    return book.place_order("acme", lines, number=number)


def test_procuring_makes_one_numbered_purchase_order_per_supplier_with_costs(book, make_line):
    order = placed(suppliers(book), make_line)
    made = book.procure(order.id)
    assert [(po.number, po.supplier, po.currency, po.order_id) for po in made] == [
        ("SO-5-PO1", "Assam Estates", "EUR", order.id),
        ("SO-5-PO2", "Potteries", "EUR", order.id),
    ]
    tea, pottery = made
    assert [(ln.order_line_id, ln.sku, ln.quantity, ln.unit_cost) for ln in pottery.lines] == [
        ("l2", "MUG", Decimal(3), eur("3.00")),
        ("l3", "POT", Decimal(1), eur("12.50")),
    ]
    assert purchase_line_cost(tea.lines[0]) == eur("8.42")  # 4 x 2.105 = 8.42
    assert [purchase_total(po) for po in made] == [eur("8.42"), eur("21.50")]
    assert book.purchases(order.id) == made


def test_procuring_appends_an_event_with_the_numbers_and_totals(book, make_line):
    order = placed(suppliers(book), make_line)
    made = book.procure(order.id, by="ana")
    event = book.events(order_id=order.id)[-1]
    assert (event.kind, event.data["by"]) == ("Procured", "ana")
    assert event.data["purchase_orders"] == [
        {"id": made[0].id, "number": "SO-5-PO1", "supplier": "Assam Estates", "total": "EUR 8.42"},
        {"id": made[1].id, "number": "SO-5-PO2", "supplier": "Potteries", "total": "EUR 21.50"},
    ]
    changed = [change["kind"] for change in event.data["changes"]]
    assert changed.count("purchase_order") == 2


def test_procuring_again_orders_only_the_lines_no_purchase_order_serves(book, make_line, refused):
    order = placed(suppliers(book), make_line)
    (first,) = book.procure(order.id, ["l2"])
    assert (first.number, [ln.order_line_id for ln in first.lines]) == ("SO-5-PO1", ["l2"])
    rest = book.procure(order.id)
    assert [(po.number, [ln.order_line_id for ln in po.lines]) for po in rest] == [
        ("SO-5-PO2", ["l1"]),
        ("SO-5-PO3", ["l3"]),
    ]
    error = refused(book, Procure(order_id=order.id), ValidationError)
    assert "every line" in str(error)
    (reorder,) = book.procure(order.id, ["l1"])  # naming a line orders it again
    assert reorder.number == "SO-5-PO4"
    assert [po.number for po in book.purchases(order.id)] == [
        "SO-5-PO1",
        "SO-5-PO2",
        "SO-5-PO3",
        "SO-5-PO4",
    ]


def test_purchase_orders_are_listed_by_their_running_number(book, make_line):
    suppliers(book)
    book.save_product(Product(sku="TEA", supplier="Assam Estates"))
    order = book.place_order("acme", [make_line(f"l{i}", "TEA", 1) for i in range(1, 12)])
    made = [book.procure(order.id, [f"l{i}"])[0] for i in range(1, 12)]
    assert [po.number for po in book.purchases(order.id)] == [po.number for po in made]
    assert made[-1].number == f"{order.id}-PO11"  # an order with no number lends its id


def test_a_product_without_a_cost_makes_a_purchase_order_with_no_total(book, make_line):
    book.save_product(Product(sku="TEA", supplier="Assam Estates"))
    order = book.place_order("acme", [make_line("l1", "TEA", 4)])
    (po,) = book.procure(order.id)
    assert (po.currency, po.lines[0].unit_cost, purchase_total(po)) == ("EUR", None, None)
    assert book.events(order_id=order.id)[-1].data["purchase_orders"][0]["total"] is None


def test_a_purchase_order_is_in_the_currency_of_its_supplier_s_costs(book, make_line):
    book.save_product(Product(sku="TEA", supplier="Assam Estates", unit_cost=Money(310, "INR")))
    order = book.place_order("acme", [make_line("l1", "TEA", 2)])
    (po,) = book.procure(order.id)
    assert (po.currency, purchase_total(po)) == ("INR", Money("620.00", "INR"))


def test_a_supplier_with_costs_in_two_currencies_is_refused(book, make_line, refused):
    suppliers(book)
    book.save_product(Product(sku="POT", supplier="Potteries", unit_cost=Money(14, "USD")))
    order = placed(book, make_line)
    error = refused(book, Procure(order_id=order.id), ValidationError)
    assert "one currency for supplier 'Potteries'" in str(error)


def test_lines_that_cannot_be_procured_are_refused(book, make_line, refused):
    order = placed(suppliers(book), make_line)
    error = refused(book, Procure(order_id=order.id, line_ids=["l9"]), ValidationError)
    assert error.field == "line_ids"
    book.save_product(Product(sku="MUG"))
    error = refused(book, Procure(order_id=order.id, line_ids=["l2"]), ValidationError)
    assert error.field == "products['MUG'].supplier"
    refused(book, Procure(order_id="nope"), NotFound)


def test_a_cancelled_order_buys_nothing(book, make_line, refused):
    order = placed(suppliers(book), make_line)
    book.cancel(order.id)
    error = refused(book, Procure(order_id=order.id), LockedError)
    assert "buys nothing" in error.reason


def test_purchase_orders_follow_the_order_to_its_new_revision(book, make_line):
    order = placed(suppliers(book), make_line)
    book.procure(order.id, ["l1"])
    revision = book.amend(order.id, [make_line("l1", "TEA", 4), make_line("l2", "MUG", 5)])
    assert book.purchases(order.id) == ()
    (moved,) = book.purchases(revision.id)
    (more,) = book.procure(revision.id)
    assert (moved.number, more.number) == ("SO-5-PO1", "SO-5-PO2")
    assert [ln.order_line_id for ln in more.lines] == ["l2"]
