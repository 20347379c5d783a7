import datetime as dt

import attrs
import pytest

from orderbook import (
    Address,
    Customer,
    Money,
    Order,
    OrderLine,
    Product,
    Quote,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.conversions import (
    delivery_note,
    duplicate,
    procure,
    purchase_orders,
    quote_to_order,
)
from orderbook.ids import SequentialIds
from orderbook.rollup import summarize

DAY = dt.date(2027, 5, 2)


def line(line_id, sku, quantity=10, price="5.00"):
    return OrderLine(id=line_id, sku=sku, quantity=quantity, unit_price=Money(price, "EUR"))


def order_of(*lines, **header):
    return Order(id="o1", customer_id="acme", currency="EUR", lines=lines, **header)


def test_a_quote_becomes_an_order_with_its_lines_customer_and_link():
    acme = Customer(
        id="acme", name="AcmeCorp", currency="EUR", billing_address=Address(city="Lyon")
    )
    quote = Quote(
        id="q1",
        customer_id="acme",
        currency="EUR",
        subject="Chairs",
        contact="Ana",
        lines=[line("l1", "CHAIR")],
        status="accepted",
    )
    order = quote_to_order(quote, customer=acme, id_factory=SequentialIds("o"))
    assert (order.id, order.quote_id, order.customer_id) == ("o-1", "q1", "acme")
    assert (order.subject, order.contact, order.status) == ("Chairs", "Ana", "draft")
    assert order.lines == quote.lines
    assert order.billing_address == Address(city="Lyon")


def test_a_declined_quote_or_another_customer_cannot_become_an_order():
    quote = Quote(customer_id="acme", currency="EUR", status="declined")
    with pytest.raises(ValidationError, match="declined"):
        quote_to_order(quote)
    other = Customer(id="globex", name="Globex", currency="EUR")
    with pytest.raises(ValidationError, match="customer"):
        quote_to_order(Quote(customer_id="acme", currency="EUR"), customer=other)


def test_a_delivery_note_ships_chosen_quantities_in_line_order():
    order = order_of(line("l1", "A"), line("l2", "B"))
    note = delivery_note(order, {"l2": 3, "l1": "1.5"}, shipped_on=DAY, number="DN-1")
    assert [(i.line_id, i.quantity) for i in note.items] == [("l1", 1.5), ("l2", 3)]
    assert (note.order_id, note.number, note.shipped_on) == ("o1", "DN-1", DAY)


def test_a_delivery_note_cannot_ship_more_than_is_open():
    order = order_of(line("l1", "A"))
    shipped = Shipment(
        order_id="o1", shipped_on=DAY, items=[ShipmentItem(line_id="l1", quantity=8)]
    )
    summary = summarize(order, shipments=[shipped], as_of=DAY)
    with pytest.raises(ValidationError, match="open"):
        delivery_note(order, {"l1": 3}, shipped_on=DAY, summary=summary)
    assert delivery_note(order, {"l1": 3}, shipped_on=DAY, summary=summary, tolerance="0.1")
    with pytest.raises(ValidationError, match=r"quantities\['l9'\]"):
        delivery_note(order, {"l9": 1}, shipped_on=DAY)
    with pytest.raises(ValidationError, match="greater than 0"):
        delivery_note(order, {"l1": 0}, shipped_on=DAY)


def test_purchase_orders_are_one_per_supplier_for_the_chosen_lines():
    order = order_of(line("l1", "PLANK"), line("l2", "NAIL", 500), line("l3", "GLUE", 2))
    products = {
        "PLANK": Product(sku="PLANK", supplier="Nordic Timber"),
        "NAIL": Product(sku="NAIL", supplier="Acier SA"),
        "GLUE": Product(sku="GLUE", supplier="Nordic Timber"),
    }
    pos = purchase_orders(order, products, id_factory=SequentialIds("po"))
    assert [(po.supplier, [pl.sku for pl in po.lines]) for po in pos] == [
        ("Acier SA", ["NAIL"]),
        ("Nordic Timber", ["PLANK", "GLUE"]),
    ]
    assert all(po.order_id == "o1" and po.currency == "EUR" for po in pos)
    assert pos[0].lines[0].order_line_id == "l2"
    chosen = purchase_orders(order, products, line_ids=["l3"])
    assert [(po.supplier, po.lines[0].quantity) for po in chosen] == [("Nordic Timber", 2)]


def test_purchase_orders_need_a_known_product_with_a_supplier():
    order = order_of(line("l1", "PLANK"))
    with pytest.raises(ValidationError, match="supplier"):
        purchase_orders(order, {"PLANK": Product(sku="PLANK")})
    with pytest.raises(ValidationError, match="products"):
        purchase_orders(order, {})
    with pytest.raises(ValidationError, match="line_ids"):
        purchase_orders(order, {}, line_ids=["l9"])


def test_purchase_order_lines_cost_what_their_products_cost_in_one_currency():
    order = order_of(line("l1", "PLANK", 4), line("l2", "NAIL", 500), line("l3", "GLUE", 2))
    products = {
        "PLANK": Product(sku="PLANK", supplier="Nordic Timber", unit_cost=Money("1.5", "SEK")),
        "NAIL": Product(sku="NAIL", supplier="Acier SA"),
        "GLUE": Product(sku="GLUE", supplier="Nordic Timber", unit_cost=Money("30", "SEK")),
    }
    nails, timber = purchase_orders(order, products)
    assert (nails.currency, nails.lines[0].unit_cost) == ("EUR", None)
    assert timber.currency == "SEK"
    assert [pl.unit_cost for pl in timber.lines] == [Money("1.5", "SEK"), Money("30", "SEK")]
    products["GLUE"] = Product(sku="GLUE", supplier="Nordic Timber", unit_cost=Money(3, "EUR"))
    with pytest.raises(ValidationError, match="one currency for supplier 'Nordic Timber'"):
        purchase_orders(order, products)


def test_procured_purchase_orders_are_numbered_after_the_order_and_those_before():
    order = order_of(line("l1", "PLANK"), line("l2", "NAIL"), number="SO-3")
    products = {
        "PLANK": Product(sku="PLANK", supplier="Nordic Timber"),
        "NAIL": Product(sku="NAIL", supplier="Acier SA"),
    }
    first = procure(order, products, line_ids=["l1"], id_factory=SequentialIds("po"))
    rest = procure(order, products, existing=first, id_factory=SequentialIds("pq"))
    assert [(po.number, po.lines[0].order_line_id) for po in (*first, *rest)] == [
        ("SO-3-PO1", "l1"),
        ("SO-3-PO2", "l2"),
    ]
    with pytest.raises(ValidationError, match="every line"):
        procure(order, products, existing=(*first, *rest))
    again = procure(order, products, existing=(*first, *rest), line_ids=["l1", "l2"])
    assert [po.number for po in again] == ["SO-3-PO3", "SO-3-PO4"]
    unnumbered = attrs.evolve(order, number="")
    assert procure(unnumbered, products, line_ids=["l2"])[0].number == "o1-PO1"
    with pytest.raises(ValidationError, match="existing"):
        procure(order, products, existing=[attrs.evolve(first[0], order_id="o9")])
    with pytest.raises(ValidationError, match="at least one line"):
        procure(order, products, line_ids=[])


def test_a_duplicate_is_a_fresh_order_with_the_same_lines():
    original = order_of(
        line("l1", "A"),
        number="SO-1",
        status="confirmed",
        revision=3,
        supersedes="o0",
        quote_id="q1",
        terms="30 days",
        placed_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        finalized_at=dt.datetime(2027, 1, 2, tzinfo=dt.UTC),
        version=4,
    )
    copy = duplicate(original, id_factory=SequentialIds("o"))
    assert (copy.id, copy.number, copy.status, copy.revision) == ("o-1", "", "draft", 1)
    assert (copy.supersedes, copy.quote_id, copy.placed_at, copy.finalized_at) == (None,) * 4
    assert (copy.lines, copy.terms, copy.customer_id, copy.version) == (
        original.lines,
        "30 days",
        "acme",
        0,
    )
