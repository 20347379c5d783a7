"""A record's canonical JSON text, written straight from the record, is its row's text."""

import datetime as dt
import enum
import typing
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import Money
from orderbook._fields import MAX_INTEGER, MIN_INTEGER
from orderbook.errors import OrderbookError, ValidationError
from orderbook.model import (
    Address,
    Allocation,
    Attachment,
    Customer,
    DocumentStatus,
    Forfeit,
    Frequency,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Lot,
    LotSource,
    Order,
    OrderLine,
    Payment,
    PeriodEdge,
    Product,
    ProductKind,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    QuoteStatus,
    RecurringPlan,
    Shipment,
    ShipmentItem,
    ShipmentKind,
    SourceStatus,
)
from orderbook.store import RECORD_KINDS, _text
from orderbook.store._base import with_version
from orderbook.store._text import record_json
from orderbook.store.codec import canonical_json, encode
from orderbook.testing import strategies as obst

TRICKY = 'Zoë "A"\n\t\\'


def slow(record, *, version=True):
    """The text as the plain row gives it."""
    row = encode(record)
    return canonical_json(row if version else {k: v for k, v in row.items() if k != "version"})


def assert_written_as_its_row(record):
    assert record_json(record) == slow(record)
    assert record_json(record, version=False) == slow(record, version=False)


# -- strategies: every kind of record, with any text, moment and optional value -------------

tricky_texts = st.sampled_from([TRICKY, "\x00\x1f\x7f", "a\u2028b"])
texts = st.text(min_size=1).filter(str.strip) | tricky_texts
maybe_texts = st.just("") | texts
optional_texts = st.none() | texts
days = st.dates()
optional_days = st.none() | days
offsets = st.just(dt.UTC) | st.timedeltas(
    min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
).map(dt.timezone)
moments = st.datetimes(timezones=offsets)
optional_moments = st.none() | moments
versions = st.integers(min_value=0, max_value=10**12)
ids = st.uuids().map(lambda u: u.hex)
addresses = st.builds(Address, **dict.fromkeys(attrs.fields_dict(Address), maybe_texts))
attachments = st.builds(Attachment, name=texts, uri=texts, media_type=texts)


def valid(record_kind, /, **fields):
    """Records of a kind built from the fields' strategies; combinations it refuses are
    skipped (an issued invoice with no issue date, for one)."""

    def build(values):
        try:
            return record_kind(**values)
        except ValidationError:
            return None

    return st.fixed_dictionaries(fields).map(build).filter(lambda record: record is not None)


def in_any_currency(build):
    """``build(currency)``'s records, in any currency."""
    return obst.currencies().flatmap(build)


@st.composite
def plans(draw):
    start = draw(days.filter(lambda d: d.year < 9999))
    ends = st.fixed_dictionaries({"until": st.just(start + dt.timedelta(days=1))}) | (
        st.fixed_dictionaries(
            {"count": st.none() | st.integers(min_value=1, max_value=MAX_INTEGER)}
        )
    )
    return RecurringPlan(
        start=start,
        frequency=draw(st.sampled_from(Frequency)),
        interval=draw(st.integers(min_value=1, max_value=MAX_INTEGER)),
        due_days=draw(st.integers(min_value=0, max_value=MAX_INTEGER)),
        bill_at=draw(st.sampled_from(PeriodEdge)),
        subject=draw(maybe_texts),
        enabled=draw(st.booleans()),
        **draw(ends),
    )


@st.composite
def orders(draw):
    order = draw(obst.orders(max_lines=3))
    lines = [
        attrs.evolve(line, description=draw(maybe_texts), recurring=draw(st.booleans()))
        for line in order.lines
    ]
    text_fields = ("number", "subject", "contact", "assigned_to", "reference", "terms")
    return attrs.evolve(
        order,
        lines=lines,
        **{name: draw(maybe_texts) for name in text_fields},
        billing_address=draw(st.none() | addresses),
        shipping_address=draw(st.none() | addresses),
        delivery_method=draw(maybe_texts),
        priority=draw(st.integers(MIN_INTEGER, MAX_INTEGER)),
        placed_at=draw(optional_moments),
        promised_on=draw(optional_days),
        expires_on=draw(optional_days),
        status=draw(texts),
        revision=draw(st.integers(min_value=1, max_value=MAX_INTEGER)),
        supersedes=draw(optional_texts),
        quote_id=draw(optional_texts),
        finalized_at=draw(optional_moments),
        recurrence=draw(st.none() | plans()),
        attachments=draw(st.lists(attachments, max_size=2)),
        version=draw(versions),
    )


@st.composite
def customers(draw):
    customer = draw(obst.customers())
    return attrs.evolve(
        customer,
        name=draw(texts),
        billing_address=draw(st.none() | addresses),
        shipping_address=draw(st.none() | addresses),
        email=draw(maybe_texts),
        version=draw(versions),
    )


@st.composite
def lots(draw):
    lot = draw(obst.lots(as_of=dt.date(2027, 1, 4)))
    return attrs.evolve(
        lot,
        source_status=draw(st.none() | st.sampled_from(SourceStatus)),
        source_ref=draw(optional_texts),
        ships_on=draw(optional_days),
        vintage=draw(st.none() | st.integers(MIN_INTEGER, MAX_INTEGER)),
        unit_cost=draw(st.none() | obst.money(min_value=0)),
        location=draw(optional_texts),
        version=draw(versions),
    )


products = valid(
    Product,
    sku=texts,
    name=maybe_texts,
    kind=st.sampled_from(ProductKind),
    tax_rate=st.none() | obst.rates(),
    supplier=optional_texts,
    list_price=st.none() | obst.money(),
    version=versions,
)
quotes = in_any_currency(
    lambda c: valid(
        Quote,
        customer_id=texts,
        currency=st.just(c),
        lines=st.lists(obst.order_lines(currency=c), max_size=3, unique_by=lambda line: line.id),
        subject=maybe_texts,
        valid_until=optional_days,
        status=st.sampled_from(QuoteStatus),
        version=versions,
    )
)
purchase_orders = in_any_currency(
    lambda c: valid(
        PurchaseOrder,
        supplier=texts,
        currency=st.just(c),
        lines=st.lists(
            st.builds(
                PurchaseOrderLine,
                id=ids,
                sku=texts,
                quantity=obst.quantities(),
                unit_cost=st.none() | obst.money(currency=c),
                order_line_id=optional_texts,
            ),
            max_size=3,
        ),
        order_id=optional_texts,
        status=st.sampled_from(SourceStatus),
        expected_on=optional_days,
        version=versions,
    )
)
invoices = in_any_currency(
    lambda c: valid(
        Invoice,
        customer_id=texts,
        currency=st.just(c),
        lines=st.lists(
            st.builds(
                InvoiceLine,
                id=ids,
                quantity=obst.quantities(),
                unit_price=obst.money(currency=c),
                discount=obst.rates(),
                description=maybe_texts,
                order_line_id=optional_texts,
                fixed_net=st.none() | obst.money(currency=c),
            ),
            max_size=3,
        ),
        kind=st.sampled_from(InvoiceKind),
        status=st.sampled_from(DocumentStatus),
        issued_on=optional_days,
        due_on=optional_days,
        period_start=optional_days,
        corrects=optional_texts,
        version=versions,
    )
)
payments = valid(
    Payment,
    amount=obst.money(min_value=1),
    received_on=days,
    invoice_id=optional_texts,
    method=maybe_texts,
    version=versions,
)
shipments = valid(
    Shipment,
    order_id=texts,
    items=st.lists(
        st.builds(ShipmentItem, line_id=texts, quantity=obst.quantities(), lot_id=optional_texts),
        min_size=1,
        max_size=3,
    ),
    shipped_on=days,
    kind=st.sampled_from(ShipmentKind),
    cancelled=st.booleans(),
    version=versions,
)
forfeits = valid(
    Forfeit,
    order_id=texts,
    line_id=texts,
    quantity=obst.quantities(),
    forfeited_on=optional_days,
    reason=maybe_texts,
    version=versions,
)
allocations = valid(
    Allocation,
    order_id=texts,
    line_id=texts,
    lot_id=texts,
    sku=texts,
    quantity=obst.quantities(),
    manual=st.booleans(),
    at=optional_moments,
    version=versions,
)

RECORDS = {
    Customer: customers(),
    Product: products,
    Lot: lots(),
    Order: orders(),
    Quote: quotes,
    Allocation: allocations,
    Shipment: shipments,
    Forfeit: forfeits,
    Invoice: invoices,
    Payment: payments,
    PurchaseOrder: purchase_orders,
}


# -- the property: the same text as the plain row's, for every record -----------------------


def test_the_strategies_draw_every_kind_of_record_a_store_keeps():
    assert set(RECORDS) == set(RECORD_KINDS.values())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(record=st.one_of(*RECORDS.values()))
def test_a_record_is_written_as_the_canonical_json_of_its_row(record):
    assert_written_as_its_row(record)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(book=obst.books())
def test_every_record_of_a_book_is_written_as_the_canonical_json_of_its_row(book):
    for kind in RECORD_KINDS.values():
        for record in book.store.records(kind):
            assert_written_as_its_row(record)


@given(
    value=st.one_of(
        obst.order_lines(),
        addresses,
        attachments,
        plans(),
        obst.money(),
        st.builds(ShipmentItem, line_id=texts, quantity=obst.quantities(), lot_id=optional_texts),
    )
)
def test_a_value_nested_in_records_is_written_as_its_row_with_no_version(value):
    assert record_json(value) == record_json(value, version=False) == slow(value)


# -- what the text holds ---------------------------------------------------------------------


def test_text_is_escaped_as_json_escapes_it():
    customer = Customer(id="c1", name=TRICKY + "\x01\u2028é", currency="EUR")
    assert r'"name":"Zoë \"A\"\n\t\\\u0001' + "\u2028é" + '"' in record_json(customer)
    assert_written_as_its_row(customer)


def test_missing_optional_values_are_null():
    lot = Lot(id="l1", sku="TEA", quantity=5)
    assert '"available_on":null,"expires_on":null,' in record_json(lot)
    assert_written_as_its_row(lot)


def test_addresses_nest_as_objects_with_sorted_keys():
    address = Address(name="Zoë", city="Lyon", country="FR")
    customer = Customer(id="c1", name="Zoë", currency="EUR", billing_address=address)
    assert (
        '"billing_address":{"city":"Lyon","country":"FR","name":"Zoë",'
        '"postal_code":"","region":"","street":""}'
    ) in record_json(customer)
    assert_written_as_its_row(customer)


def test_an_enum_is_written_as_its_value():
    product = Product(sku="FIX", kind="service", list_price=Money("4.50", "EUR"))
    text = record_json(product)
    assert '"kind":"service"' in text
    assert '"list_price":{"amount":"4.50","currency":"EUR"}' in text
    assert_written_as_its_row(product)


def test_a_moment_keeps_its_offset():
    india = dt.timezone(dt.timedelta(hours=5, minutes=30))
    placed = dt.datetime(2027, 1, 4, 9, 0, 0, 123, tzinfo=india)
    order = Order(id="o1", customer_id="acme", currency="EUR", placed_at=placed)
    assert '"placed_at":"2027-01-04T09:00:00.000123+05:30"' in record_json(order)
    assert_written_as_its_row(order)


def test_an_empty_tuple_is_an_empty_list():
    order = Order(id="o1", customer_id="acme", currency="EUR")
    assert '"attachments":[],' in record_json(order)
    assert '"lines":[],' in record_json(order)
    assert_written_as_its_row(order)


# -- the version, wherever its key sorts ------------------------------------------------------


@attrs.frozen
class VersionFirst:
    version: int
    zone: str


@attrs.frozen
class VersionLast:
    amount: Decimal
    version: int


@attrs.frozen
class VersionAlone:
    version: int


@attrs.frozen
class VersionBetween:
    alpha: int
    version: int
    zeta: bool


@pytest.mark.parametrize(
    ("record", "text", "without"),
    [
        (VersionFirst(3, "z"), '{"version":3,"zone":"z"}', '{"zone":"z"}'),
        (VersionLast(Decimal("1.0"), 3), '{"amount":"1.0","version":3}', '{"amount":"1.0"}'),
        (VersionAlone(3), '{"version":3}', "{}"),
        (
            VersionBetween(1, 3, True),
            '{"alpha":1,"version":3,"zeta":true}',
            '{"alpha":1,"zeta":true}',
        ),
    ],
)
def test_the_version_sits_in_its_sorted_place_with_commas_around_it(record, text, without):
    assert record_json(record) == text
    assert record_json(record, version=False) == without
    assert_written_as_its_row(record)


def test_a_new_version_of_a_record_is_written_with_its_new_version():
    lot = Lot(id="l1", sku="TEA", quantity=5)
    record_json(lot)
    again = with_version(lot, 7)
    assert '"version":7' in record_json(again)
    assert record_json(again, version=False) == record_json(lot, version=False)
    assert_written_as_its_row(again)


# -- the memo: by the identity of the values, never their equality -----------------------------


def test_equal_records_built_apart_are_written_alike():
    first = Order(id="o1", customer_id="acme", currency="EUR", lines=[order_line()])
    second = Order(id="o1", customer_id="acme", currency="EUR", lines=[order_line()])
    assert first == second
    assert first.lines[0] is not second.lines[0]
    assert record_json(first) == record_json(second) == slow(second)


def test_equal_values_written_differently_get_their_own_text():
    five = Lot(id="l1", sku="TEA", quantity=Decimal("5"))
    five_point_zero = attrs.evolve(five, quantity=Decimal("5.0"))
    assert five == five_point_zero  # Decimal("5") == Decimal("5.0")
    assert '"quantity":"5"' in record_json(five)
    assert '"quantity":"5.0"' in record_json(five_point_zero)


def test_the_memo_stays_small():
    for n in range(3 * _text._RECENT_SIZE):
        record_json(Lot(id=f"l{n}", sku="TEA", quantity=n))
    assert len(_text._RECENT_TEXTS) <= _text._RECENT_SIZE


def order_line():
    return OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("3.50", "EUR"))


# -- values the field types do not promise: written the slow way, the same text ---------------


class Colour(enum.IntEnum):
    RED = 1


@attrs.frozen
class Unchecked:
    """Fields with no validators, holding values of other types than declared."""

    count: int
    name: str
    price: Decimal
    day: dt.date
    when: dt.datetime | None
    money: Money
    kind: ProductKind
    line: OrderLine
    lines: tuple[OrderLine, ...]
    anything: typing.Any
    either: int | str
    version: int = 0


@pytest.mark.parametrize(
    "changes",
    [
        {"count": True},  # a bool is an int
        {"count": Colour.RED},
        {"name": ProductKind.SERVICE},  # a StrEnum is a str
        {"name": LotSource.ON_HAND, "kind": "goods"},
        {"price": 7},
        {"day": dt.datetime(2027, 1, 4, tzinfo=dt.UTC), "when": dt.date(2027, 1, 4)},
        {"money": Money._trusted(Decimal("2.5"), ProductKind.GOODS)},
        {"line": Address(name="not a line"), "lines": (order_line(), Address())},
        {"anything": (Decimal("1"), None, ("x",))},
        {"anything": Address(city="Zoë"), "either": (1, "2")},
        {"version": True},
    ],
)
def test_a_value_of_another_type_than_declared_is_written_as_its_row(changes):
    fields = {
        "count": 1,
        "name": "n",
        "price": Decimal("1.50"),
        "day": dt.date(2027, 1, 4),
        "when": None,
        "money": Money("1.00", "EUR"),
        "kind": ProductKind.GOODS,
        "line": order_line(),
        "lines": (),
        "anything": None,
        "either": 1,
    }
    record = Unchecked(**{**fields, **changes})
    assert_written_as_its_row(record)


@attrs.frozen
class Unresolved:
    """A field type that does not evaluate: every field is written the slow way."""

    name: "NotDefinedAnywhere"  # noqa: F821
    version: int = 0


def test_a_kind_whose_field_types_do_not_resolve_is_written_as_its_row():
    assert_written_as_its_row(Unresolved(name=(Decimal("1.5"), "Zoë")))
    assert record_json(Unresolved(name="x", version=2)) == '{"name":"x","version":2}'


def test_a_value_a_row_cannot_hold_is_refused_as_encode_refuses_it():
    record = VersionFirst(1, ["a list"])
    with pytest.raises(OrderbookError, match="cannot store a list"):
        encode(record)
    with pytest.raises(OrderbookError, match="cannot store a list"):
        record_json(record)


def test_what_is_not_a_record_is_refused_as_encode_refuses_it():
    with pytest.raises(OrderbookError, match="cannot store a int: it is not a record"):
        record_json(5)


@attrs.frozen
class Floating:
    ratio: float
    version: int = 0


def test_a_float_is_refused_as_encode_refuses_it():
    with pytest.raises(OrderbookError, match=r"cannot store a float: 0\.5"):
        encode(Floating(0.5))
    with pytest.raises(OrderbookError, match=r"cannot store a float: 0\.5"):
        record_json(Floating(0.5))
