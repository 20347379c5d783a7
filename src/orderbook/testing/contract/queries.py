# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""Every query of the Store protocol, on every store, in its documented order."""

import datetime as dt

import attrs
import pytest

from orderbook import (
    Allocation,
    ConflictError,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    Money,
    Order,
    OrderLine,
    Payment,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    Shipment,
    ShipmentItem,
    ValidationError,
)
from orderbook.testing.contract.transactions import Boom, in_transaction

EUR = Money("10.00", "EUR")
UTC = dt.UTC
TOKYO = dt.timezone(dt.timedelta(hours=9))


def order(order_id, customer_id, status="draft", skus=("TEA",), placed_at=None):
    lines = [
        OrderLine(id=f"l{n}", sku=sku, quantity=1, unit_price=EUR) for n, sku in enumerate(skus)
    ]
    return Order(
        id=order_id,
        customer_id=customer_id,
        currency="EUR",
        lines=lines,
        status=status,
        placed_at=placed_at,
    )


@pytest.fixture
def filled(store):
    """A store holding a few records of every kind that the queries look for."""
    records = [
        order("o3", "acme", "confirmed", ("TEA", "COFFEE"), dt.datetime(2027, 1, 2, tzinfo=UTC)),
        order("o1", "acme", "draft", ("COFFEE",), dt.datetime(2027, 1, 3, 8, tzinfo=TOKYO)),
        order("o2", "globex", "confirmed", ("TEA",), dt.datetime(2027, 1, 1, 23, tzinfo=UTC)),
        order("o4", "globex", "draft", ("MILK",)),
        Quote(id="q2", customer_id="acme", currency="EUR"),
        Quote(id="q1", customer_id="acme", currency="EUR"),
        Quote(id="q3", customer_id="globex", currency="EUR"),
        Lot(id="lot-b", sku="TEA", quantity=5),
        Lot(id="lot-a", sku="TEA", quantity=5),
        Lot(id="lot-c", sku="COFFEE", quantity=5),
    ]
    for allocation_id, order_id, line_id, lot_id in [
        ("a3", "o3", "l0", "lot-a"),
        ("a1", "o3", "l0", "lot-b"),
        ("a2", "o3", "l1", "lot-c"),
        ("a4", "o2", "l0", "lot-a"),
    ]:
        records.append(
            Allocation(
                id=allocation_id,
                order_id=order_id,
                line_id=line_id,
                lot_id=lot_id,
                sku="TEA",
                quantity=1,
            )
        )
    item = [ShipmentItem(line_id="l0", quantity=1)]
    day = dt.date(2027, 2, 1)
    records += [
        Shipment(id="s2", order_id="o3", items=item, shipped_on=day),
        Shipment(id="s1", order_id="o3", items=item, shipped_on=day),
        Shipment(id="s3", order_id="o2", items=item, shipped_on=day),
        Forfeit(id="f2", order_id="o3", line_id="l0", quantity=1),
        Forfeit(id="f1", order_id="o3", line_id="l1", quantity=1),
        Forfeit(id="f3", order_id="o1", line_id="l0", quantity=1),
    ]
    bill = [InvoiceLine(quantity=1, unit_price=EUR)]
    records += [
        Invoice(id="i2", customer_id="acme", currency="EUR", lines=bill, order_id="o3"),
        Invoice(id="i1", customer_id="acme", currency="EUR", lines=bill, order_id="o3"),
        Invoice(id="i3", customer_id="acme", currency="EUR", lines=bill),
        Invoice(id="i4", customer_id="globex", currency="EUR", lines=bill, order_id="o2"),
        Payment(id="p2", amount=EUR, received_on=day, invoice_id="i1", order_id="o3"),
        Payment(id="p1", amount=EUR, received_on=day, invoice_id="i1"),
        Payment(id="p3", amount=EUR, received_on=day, order_id="o3", line_id="l0"),
        Payment(id="p4", amount=EUR, received_on=day, invoice_id="i4", order_id="o2"),
    ]
    purchase = [PurchaseOrderLine(sku="TEA", quantity=1)]
    records += [
        PurchaseOrder(id="po2", supplier="S", currency="EUR", lines=purchase, order_id="o3"),
        PurchaseOrder(id="po1", supplier="S", currency="EUR", lines=purchase, order_id="o3"),
        PurchaseOrder(id="po3", supplier="S", currency="EUR", lines=purchase),
    ]
    for record in records:
        store.put(record)
    return store


def ids(records):
    return [record.id for record in records]


@pytest.mark.parametrize(
    ("query", "arguments", "expected"),
    [
        ("orders_by_customer", ("acme",), ["o1", "o3"]),
        ("orders_by_customer", ("initech",), []),
        ("orders_by_status", ("confirmed",), ["o2", "o3"]),
        ("orders_by_status", ("draft",), ["o1", "o4"]),
        ("orders_by_sku", ("TEA",), ["o2", "o3"]),
        ("orders_by_sku", ("COFFEE",), ["o1", "o3"]),
        ("orders_by_sku", ("SUGAR",), []),
        ("quotes_by_customer", ("acme",), ["q1", "q2"]),
        ("lots_by_sku", ("TEA",), ["lot-a", "lot-b"]),
        ("lots_by_sku", ("COFFEE",), ["lot-c"]),
        ("allocations_by_order", ("o3",), ["a1", "a2", "a3"]),
        ("allocations_by_line", ("o3", "l0"), ["a1", "a3"]),
        ("allocations_by_line", ("o2", "l1"), []),
        ("allocations_by_lot", ("lot-a",), ["a3", "a4"]),
        ("shipments_by_order", ("o3",), ["s1", "s2"]),
        ("forfeits_by_order", ("o3",), ["f1", "f2"]),
        ("invoices_by_order", ("o3",), ["i1", "i2"]),
        ("invoices_by_customer", ("acme",), ["i1", "i2", "i3"]),
        ("payments_by_order", ("o3",), ["p2", "p3"]),
        ("payments_by_invoice", ("i1",), ["p1", "p2"]),
        ("purchase_orders_by_order", ("o3",), ["po1", "po2"]),
    ],
)
def test_each_query_returns_exactly_its_records_sorted_by_id(filled, query, arguments, expected):
    found = getattr(filled, query)(*arguments)
    assert isinstance(found, tuple)
    assert ids(found) == expected
    assert all(found_record.version == 1 for found_record in found)


def test_orders_placed_between_compares_instants_across_offsets_and_sorts_by_moment(filled):
    # o1 was placed at 2027-01-03 08:00 in Tokyo, which is 2027-01-02 23:00 UTC.
    start = dt.datetime(2027, 1, 1, 23, tzinfo=UTC)
    end = dt.datetime(2027, 1, 3, tzinfo=UTC)
    assert ids(filled.orders_placed_between(start, end)) == ["o2", "o3", "o1"]


def test_orders_placed_between_includes_the_start_and_excludes_the_end(filled):
    at = dt.datetime(2027, 1, 2, tzinfo=UTC)
    assert ids(filled.orders_placed_between(at, at)) == []
    assert ids(filled.orders_placed_between(at, at + dt.timedelta(microseconds=1))) == ["o3"]
    paris = dt.timezone(dt.timedelta(hours=1))
    assert ids(filled.orders_placed_between(at - dt.timedelta(days=9), at)) == ["o2"]
    assert ids(filled.orders_placed_between(dt.datetime(2027, 1, 2, 1, tzinfo=paris), at)) == []


def test_a_changed_order_is_found_under_its_new_customer_status_and_skus(filled):
    old = filled.get(Order, "o4")
    new_line = OrderLine(id="l9", sku="SUGAR", quantity=1, unit_price=EUR)
    filled.put(attrs.evolve(old, status="confirmed", customer_id="acme", lines=[new_line]))
    assert ids(filled.orders_by_status("confirmed")) == ["o2", "o3", "o4"]
    assert ids(filled.orders_by_customer("acme")) == ["o1", "o3", "o4"]
    assert ids(filled.orders_by_sku("SUGAR")) == ["o4"]
    assert ids(filled.orders_by_sku("MILK")) == []


def test_a_deleted_record_is_no_longer_found(filled):
    filled.delete(filled.get(Allocation, "a3"))
    filled.delete(filled.get(Order, "o2"))
    assert ids(filled.allocations_by_lot("lot-a")) == ["a4"]
    assert ids(filled.orders_by_sku("TEA")) == ["o3"]


def skus_found(store, skus=("TEA", "MUG", "POT", "JAR")):
    """Which of these SKUs find an order, and the versions of the orders they find."""
    return {sku: [o.version for o in store.orders_by_sku(sku)] for sku in skus}


def test_an_order_is_found_by_the_skus_of_its_lines_through_every_edit_until_deleted(store):
    saved = store.put(order("o1", "acme", skus=("TEA", "MUG")))
    assert skus_found(store) == {"TEA": [1], "MUG": [1], "POT": [], "JAR": []}
    kept = store.put(attrs.evolve(saved, status="confirmed"))  # the lines as they were
    assert skus_found(store) == {"TEA": [2], "MUG": [2], "POT": [], "JAR": []}
    tea, mug = kept.lines
    changed = store.put(attrs.evolve(kept, lines=[tea, attrs.evolve(mug, sku="POT")]))
    assert skus_found(store) == {"TEA": [3], "MUG": [], "POT": [3], "JAR": []}
    removed = store.put(attrs.evolve(changed, lines=changed.lines[1:]))
    assert skus_found(store) == {"TEA": [], "MUG": [], "POT": [4], "JAR": []}
    jar = OrderLine(id="l9", sku="JAR", quantity=1, unit_price=EUR)
    added = store.put(attrs.evolve(removed, lines=[*removed.lines, jar]))
    assert skus_found(store) == {"TEA": [], "MUG": [], "POT": [5], "JAR": [5]}
    emptied = store.put(attrs.evolve(added, lines=()))
    assert skus_found(store) == {"TEA": [], "MUG": [], "POT": [], "JAR": []}
    store.delete(store.put(attrs.evolve(emptied, lines=added.lines)))
    assert skus_found(store) == {"TEA": [], "MUG": [], "POT": [], "JAR": []}


def test_a_refused_or_rolled_back_edit_leaves_an_order_found_by_its_old_skus(store, reopen):
    saved = store.put(order("o1", "acme", skus=("TEA",)))
    stale = store.put(saved)
    with pytest.raises(ConflictError):
        store.put(attrs.evolve(saved, lines=[attrs.evolve(saved.lines[0], sku="POT")]))
    with pytest.raises(ConflictError):
        store.put(order("o1", "acme", skus=("MUG",)))
    jar = attrs.evolve(stale, lines=[attrs.evolve(stale.lines[0], sku="JAR")])
    with pytest.raises(Boom):
        in_transaction(store, lambda s: s.put(jar), fail=True)
    assert skus_found(reopen()) == {"TEA": [2], "MUG": [], "POT": [], "JAR": []}


@pytest.mark.parametrize(
    "sku",
    ["NULL", 'say "hi"', "back\\slash", "\\u0000", "nul\x00here", "\x01", "\x01\x00", "é€😀"],
)
def test_an_order_is_found_by_a_sku_of_any_text_and_so_is_a_line_id_of_that_text(store, sku):
    saved = store.put(order("o1", "acme", skus=(sku, "TEA")))
    assert ids(store.orders_by_sku(sku)) == ["o1"]
    for shorter in {sku[:-1], sku.split("\x00")[0]} - {sku, ""}:  # nothing cut it short
        assert store.orders_by_sku(shorter) == ()
    odd = OrderLine(id=sku, sku="MUG", quantity=1, unit_price=EUR)
    changed = store.put(attrs.evolve(saved, lines=[odd, saved.lines[0]]))
    assert store.orders_by_sku(sku) == (changed,)
    assert store.orders_by_sku("MUG") == (changed,)
    assert store.orders_by_sku("TEA") == ()
    store.delete(changed)
    assert store.orders_by_sku(sku) == ()


@pytest.mark.parametrize(
    "query",
    [
        "orders_by_customer",
        "orders_by_status",
        "orders_by_sku",
        "quotes_by_customer",
        "lots_by_sku",
        "allocations_by_order",
        "allocations_by_lot",
        "shipments_by_order",
        "forfeits_by_order",
        "invoices_by_order",
        "invoices_by_customer",
        "payments_by_order",
        "payments_by_invoice",
        "purchase_orders_by_order",
    ],
)
@pytest.mark.parametrize("bad", ["", None, 3, ["o1"]])
def test_a_query_with_a_bad_argument_raises_validation_error(store, query, bad):
    with pytest.raises(ValidationError):
        getattr(store, query)(bad)


def test_a_date_range_must_be_aware_and_in_order(store):
    aware = dt.datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="start must be a timezone-aware datetime"):
        store.orders_placed_between(dt.datetime(2027, 1, 1), aware)
    with pytest.raises(ValidationError, match="end must be a timezone-aware datetime"):
        store.orders_placed_between(aware, dt.date(2027, 2, 1))
    with pytest.raises(ValidationError, match="end must not be before start"):
        store.orders_placed_between(aware, aware - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        store.allocations_by_line("o1", "")
