"""The codec's memo: a row is reused only for the very same field values."""

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

from orderbook import Lot
from orderbook.store import codec
from orderbook.store._base import with_version
from orderbook.testing.strategies import customers, lots, orders


def fresh(record):
    """The row as encoding it from scratch gives it."""
    codec._RECENT.clear()
    return codec.encode(record)


@given(
    record=st.one_of(orders(), customers(), lots(as_of=dt.date(2027, 1, 4))),
    version=st.integers(0, 10**6),
)
def test_a_new_version_of_a_record_encodes_as_if_from_scratch(record, version):
    codec.encode(record)
    again = with_version(record, version)
    row = codec.encode(again)
    assert row == fresh(again)
    assert row["version"] == version


def test_a_changed_field_is_encoded_again():
    lot = Lot(id="shelf", sku="TEA", quantity=5)
    assert codec.encode(lot)["quantity"] == "5"
    assert codec.encode(attrs.evolve(lot, quantity=7))["quantity"] == "7"


def test_a_caller_changing_its_row_does_not_change_the_next_one():
    lot = Lot(id="shelf", sku="TEA", quantity=5)
    codec.encode(lot)["quantity"] = "999"
    assert codec.encode(lot)["quantity"] == "5"
