# mypy: allow-untyped-defs, allow-untyped-calls, allow-untyped-decorators
"""Every kind of record survives a round trip through every store, exactly."""

import datetime as dt
import itertools
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import (
    Address,
    Allocation,
    Customer,
    ElectronicAddress,
    Forfeit,
    Invoice,
    InvoiceLine,
    Lot,
    Money,
    Order,
    OrderLine,
    Payment,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    RecurringPlan,
    Shipment,
    ShipmentItem,
)
from orderbook.store import RECORD_KINDS
from orderbook.testing.contract._records import records_fixture  # noqa: F401 - a fixture

# -- exact comparison: equal Decimals may still differ ("1.0" and "1.00") ----------------------


def _exact_value(_instance, _field, value):
    if isinstance(value, Decimal):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def exact(record):
    """The record with every Decimal by its repr, so 1.0 and 1.00 differ."""
    return attrs.asdict(record, value_serializer=_exact_value)


# -- strategies: valid records of every kind ----------------------------------------------------

texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=12).filter(str.strip)
maybe_names = st.none() | names
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
offsets = st.sampled_from([0, 330, -480, 60 * 14]).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=offsets
)
currency = st.sampled_from(["EUR", "JPY", "KWD", "USD"])


def decimals(min_value=0):
    """Exact decimals with odd exponents too: 5E+3, 0.0010, -0."""
    return st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(min_value=min_value, max_value=10**12),
        st.integers(min_value=-8, max_value=6),
    )


positive = decimals(min_value=1)
fractions = st.decimals(min_value=0, max_value=1, places=4)


def money(code, min_value=-(10**9)):
    return st.builds(Money, decimals(min_value=min_value), st.just(code))


addresses = st.builds(Address, name=texts, street=texts, city=texts, country=texts)
electronic_addresses = st.builds(
    ElectronicAddress, scheme=st.sampled_from(["0088", "9930", "EM"]), identifier=names
)


def order_lines(code):
    return st.builds(
        OrderLine,
        sku=names,
        quantity=positive,
        unit_price=money(code),
        discount=fractions,
        tax_rate=st.none() | decimals(),
        due_on=st.none() | dates,
        description=texts,
        recurring=st.booleans(),
    )


def _with_currency(build):
    return currency.flatmap(build)


STRATEGIES = {
    Customer: _with_currency(
        lambda code: st.builds(
            Customer,
            name=names,
            currency=st.just(code),
            billing_address=st.none() | addresses,
            email=texts,
            auto_accept_limit=st.none() | money(code),
            vat_id=st.just("") | st.sampled_from(["DE", "EL", "FR"]).map(lambda c: c + "123 45"),
            legal_id=texts,
            electronic_address=st.none() | electronic_addresses,
        )
    ),
    Product: st.builds(
        Product,
        sku=names,
        name=texts,
        kind=st.sampled_from(["goods", "service", "credit"]),
        tax_rate=st.none() | decimals(),
        supplier=maybe_names,
        list_price=st.none() | currency.flatmap(money),
        unit_cost=st.none() | currency.flatmap(money),
    ),
    Lot: st.builds(
        Lot,
        sku=names,
        quantity=decimals(),
        source=st.sampled_from(["on_hand", "forecast", "transfer"]),
        source_status=st.none() | st.sampled_from(["requested", "received"]),
        available_on=st.none() | dates,
        expires_on=st.none() | dates,
        vintage=st.none() | st.integers(min_value=1990, max_value=2100),
        unit_cost=st.none() | currency.flatmap(money),
        location=maybe_names,
    ),
    Order: _with_currency(
        lambda code: st.builds(
            Order,
            customer_id=names,
            currency=st.just(code),
            lines=st.lists(order_lines(code), max_size=3, unique_by=lambda line: line.id),
            subject=texts,
            shipping_address=st.none() | addresses,
            priority=st.integers(min_value=-(2**40), max_value=2**40),
            placed_at=st.none() | moments,
            expires_on=st.none() | dates,
            status=names,
            recurrence=st.none()
            | st.builds(
                RecurringPlan,
                start=dates,
                frequency=st.sampled_from(["weekly", "yearly"]),
                count=st.none() | st.integers(min_value=1, max_value=99),
            ),
        )
    ),
    Quote: _with_currency(
        lambda code: st.builds(
            Quote,
            customer_id=names,
            currency=st.just(code),
            lines=st.lists(order_lines(code), max_size=2),
            valid_until=st.none() | dates,
            status=st.sampled_from(["draft", "declined"]),
        )
    ),
    Allocation: st.builds(
        Allocation,
        order_id=names,
        line_id=names,
        lot_id=names,
        sku=names,
        quantity=positive,
        manual=st.booleans(),
        at=st.none() | moments,
    ),
    Shipment: st.builds(
        Shipment,
        order_id=names,
        items=st.lists(
            st.builds(ShipmentItem, line_id=names, quantity=positive, lot_id=maybe_names),
            min_size=1,
            max_size=3,
        ),
        shipped_on=dates,
        kind=st.sampled_from(["delivery", "return"]),
        cancelled=st.booleans(),
    ),
    Forfeit: st.builds(
        Forfeit,
        order_id=names,
        line_id=names,
        quantity=positive,
        forfeited_on=st.none() | dates,
        reason=texts,
    ),
    Invoice: _with_currency(
        lambda code: st.builds(
            Invoice,
            customer_id=names,
            currency=st.just(code),
            lines=st.lists(
                st.builds(
                    InvoiceLine,
                    quantity=positive,
                    unit_price=money(code),
                    discount=fractions,
                    order_line_id=maybe_names,
                ),
                max_size=3,
            ),
            order_id=maybe_names,
            kind=st.sampled_from(["invoice", "deposit", "pro_forma"]),
            period_start=st.none() | dates,
        )
    ),
    Payment: _with_currency(
        lambda code: st.builds(
            Payment,
            amount=money(code, min_value=1),
            received_on=dates,
            invoice_id=names,
            order_id=maybe_names,
            method=texts,
        )
    ),
    PurchaseOrder: _with_currency(
        lambda code: st.builds(
            PurchaseOrder,
            supplier=names,
            currency=st.just(code),
            lines=st.lists(
                st.builds(
                    PurchaseOrderLine,
                    sku=names,
                    quantity=positive,
                    unit_cost=st.none() | money(code),
                ),
                max_size=3,
            ),
            status=st.sampled_from(["requested", "received"]),
            expected_on=st.none() | dates,
        )
    ),
}

# One store serves every example of a test; fresh ids keep the examples apart.
SHARED_STORE = [HealthCheck.function_scoped_fixture]
_fresh_ids = (f"rec-{n}" for n in itertools.count())


def fresh(record):
    """The record under an id no other example used (hypothesis may repeat ids)."""
    key = "sku" if isinstance(record, Product) else "id"
    return attrs.evolve(record, **{key: next(_fresh_ids)})


def test_the_strategies_cover_every_kind_of_record():
    assert set(STRATEGIES) == set(RECORD_KINDS.values())


@pytest.mark.parametrize("kind", list(RECORD_KINDS.values()), ids=list(RECORD_KINDS))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_valid_record_survives_put_and_get_unchanged_but_for_its_version(store, kind, data):
    record = fresh(data.draw(STRATEGIES[kind]))
    saved = store.put(record)
    got = store.get(kind, record.id)
    assert saved.version == got.version == 1
    assert exact(got) == exact(attrs.evolve(record, version=1))


@pytest.mark.parametrize("kind", list(RECORD_KINDS.values()), ids=list(RECORD_KINDS))
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_valid_record_reads_back_exactly_after_the_store_is_reopened(reopen, kind, data):
    record = fresh(data.draw(STRATEGIES[kind]))
    saved = reopen().put(record)
    assert exact(reopen().get(kind, record.id)) == exact(saved)


def test_a_fully_filled_record_of_every_kind_reads_back_equal_after_reopening(
    store, reopen, records
):
    saved = [store.put(record) for record in records]
    again = reopen()
    for record in saved:
        got = again.get(type(record), record.id)
        assert got == record
        assert exact(got) == exact(record)
        assert again.records(type(record)) == (record,)


def test_saving_again_raises_the_version_and_keeps_the_change(store, reopen, records):
    lot = store.put(records[2])
    changed = store.put(attrs.evolve(lot, quantity=Decimal("4999.50")))
    assert changed.version == 2
    got = reopen().get(Lot, lot.id)
    assert got.version == 2
    assert exact(got)["quantity"] == "Decimal('4999.50')"


def test_a_placed_at_in_another_offset_keeps_its_offset(store, reopen, records):
    order = store.put(records[3])
    got = reopen().get(Order, order.id)
    assert got.placed_at.utcoffset() == dt.timedelta(hours=2)
    assert got.placed_at.isoformat() == "2027-01-04T09:30:15.000250+02:00"


def test_records_lists_every_record_of_a_kind_in_id_order(store, reopen):
    for lot_id in ["b", "a", "é", "Z"]:
        store.put(Lot(id=lot_id, sku="TEA", quantity=1))
    assert [lot.id for lot in reopen().records(Lot)] == ["Z", "a", "b", "é"]
    assert reopen().records(Customer) == ()
