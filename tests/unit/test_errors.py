import pickle

import pytest

from orderbook import (
    ConflictError,
    CurrencyMismatch,
    DamagedRow,
    InsufficientStock,
    InvalidTransition,
    LockedError,
    NotFound,
    OrderbookError,
    OverAllocation,
    ValidationError,
)
from orderbook.errors import describe


def test_every_error_is_an_orderbook_error_and_the_matching_builtin():
    assert issubclass(ValidationError, ValueError)
    assert issubclass(CurrencyMismatch, ValidationError)
    assert issubclass(NotFound, LookupError)
    for cls in (
        ValidationError,
        CurrencyMismatch,
        NotFound,
        InvalidTransition,
        InsufficientStock,
        OverAllocation,
        LockedError,
        ConflictError,
    ):
        assert issubclass(cls, OrderbookError)


ERRORS = [
    (
        ValidationError(
            "discount", "1.5", "must be a fraction from 0 to 1", record="OrderLine 'l1'"
        ),
        ["discount", "'1.5'", "OrderLine 'l1'"],
        {"field": "discount", "value": "1.5", "record": "OrderLine 'l1'"},
    ),
    (
        CurrencyMismatch("EUR", "USD", field="lines[0].unit_price"),
        ["lines[0].unit_price", "EUR", "USD"],
        {"expected": "EUR", "actual": "USD", "field": "lines[0].unit_price"},
    ),
    (NotFound("order", "o-9"), ["order", "'o-9'"], {"kind": "order", "record_id": "o-9"}),
    (
        InvalidTransition("o1", "canceled", "confirmed", "Canceled is terminal"),
        ["'o1'", "'canceled'", "'confirmed'", "Canceled is terminal"],
        {"order_id": "o1", "current": "canceled", "target": "confirmed"},
    ),
    (
        InsufficientStock("TEA", 5, 2, record_id="l1"),
        ["'TEA'", "5", "2", "'l1'"],
        {"sku": "TEA", "requested": 5, "available": 2},
    ),
    (OverAllocation("lot-1", 10, 4), ["'lot-1'", "10", "4"], {"lot_id": "lot-1"}),
    (LockedError("o1", "the order is finalized"), ["'o1'", "finalized"], {"record_id": "o1"}),
    (
        ConflictError("lot", "lot-1", "stale version", expected_version=3, actual_version=4),
        ["lot", "'lot-1'", "stale version"],
        {"expected_version": 3, "actual_version": 4},
    ),
]


@pytest.mark.parametrize(("error", "words", "attributes"), ERRORS)
def test_an_error_names_its_facts_in_the_message_and_as_attributes(error, words, attributes):
    for word in words:
        assert word in str(error)
    for name, value in attributes.items():
        assert getattr(error, name) == value


@pytest.mark.parametrize(("error", "words", "attributes"), ERRORS)
def test_an_error_survives_pickling_with_its_attributes(error, words, attributes):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    for name, value in attributes.items():
        assert getattr(copy, name) == value


class _Unshowable:
    def __repr__(self):
        raise RuntimeError("no repr")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (10**5000, "an int of 5001 digits"),
        (-(10**4300), "an int of 4301 digits"),
        ([10**5000], "a list that cannot be shown"),
        (_Unshowable(), "a _Unshowable that cannot be shown"),
        ("x" * 5000, "(a str of 5000 characters)"),
    ],
    ids=["huge int", "huge negative int", "a list of one", "a failing repr", "a long str"],
)
def test_an_error_message_never_fails_on_the_value_it_shows(value, shown):
    error = ValidationError("priority", value, "must be an int")
    assert str(error).startswith("priority must be an int, got ")
    assert shown in str(error)
    assert len(str(error)) < 300
    assert error.value is value


def test_an_int_is_described_by_its_exact_number_of_digits():
    for digits in (1000, 1001, 4300, 4301, 9999, 10_000):
        assert describe(10 ** (digits - 1)) == f"an int of {digits} digits"
        assert describe(10**digits - 1) == f"an int of {digits} digits"


def test_a_damaged_row_names_its_table_key_and_fault_and_survives_pickling():
    error = DamagedRow("events", 7, "at must be an ISO 8601 moment, got 'yesterday'")
    assert str(error) == "events row 7 is damaged: at must be an ISO 8601 moment, got 'yesterday'"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.table, copy.key, copy.reason) == (
        DamagedRow,
        "events",
        7,
        error.reason,
    )
    assert isinstance(error, OrderbookError)
