"""The one error tree of orderbook, rooted at :class:`OrderbookError`.

Every error carries structured attributes (the record, the field, the value, the reason) as
well as a message that names them, so an application can both show and inspect it. Errors
that mean the same as a builtin subclass it too: a :class:`ValidationError` is a
``ValueError`` and a :class:`NotFound` is a ``LookupError``.

>>> from orderbook.errors import ValidationError
>>> err = ValidationError("quantity", -1, "must be greater than 0", record="OrderLine 'l1'")
>>> str(err)
"OrderLine 'l1': quantity must be greater than 0, got -1"
>>> err.field, err.value
('quantity', -1)
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "ConflictError",
    "CurrencyMismatch",
    "DamagedRow",
    "InsufficientStock",
    "InvalidTransition",
    "LockedError",
    "NotFound",
    "OrderbookError",
    "OverAllocation",
    "ValidationError",
    "describe",
]

_SHOWN = 200  # characters of a value's repr a message shows at most
_LARGE = 10**_SHOWN  # an int this large is described by its number of digits
_LOG10_2 = math.log10(2)


def describe(value: object) -> str:
    """Show a value in an error message: its ``repr``, or its type and size when that fails.

    A message must never fail while it is being built. An int too long for ``str`` (beyond
    ``sys.get_int_max_str_digits()``) is described by its number of digits, a value whose
    repr raises by its type, and a very long repr is cut short.

    >>> describe("1.5"), describe(10**5000)
    ("'1.5'", 'an int of 5001 digits')
    >>> describe("x" * 2000)[-34:]
    'xxxx... (a str of 2000 characters)'
    """
    if isinstance(value, int) and abs(value) >= _LARGE:  # and so maybe too long for str()
        return f"an int of {_digits(value)} digits"
    try:
        shown = repr(value)
    except Exception:  # a repr may fail in any way: deep nesting, a huge int inside, a bug
        return f"a {type(value).__name__} that cannot be shown"
    if len(shown) <= _SHOWN:
        return shown
    size = f" (a str of {len(value)} characters)" if isinstance(value, str) else ""
    return f"{shown[:_SHOWN]}...{size}"


def _digits(value: int) -> int:
    """The decimal digits of an int, counted without converting it to text."""
    number = abs(value)
    digits = int((number.bit_length() - 1) * _LOG10_2) + 1
    while digits > 1 and number < 10 ** (digits - 1):
        digits -= 1
    while number >= 10**digits:
        digits += 1
    return digits


class OrderbookError(Exception):
    """The root of every error orderbook raises on purpose.

    Subclasses keep the keyword arguments they were built with in ``details``, so an error
    survives pickling (and so crossing a process boundary) with its attributes intact.
    """

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.details))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[OrderbookError], message: str, details: dict[str, Any]) -> OrderbookError:
    error = cls.__new__(cls)
    OrderbookError.__init__(error, message, **details)
    for name, value in details.items():
        setattr(error, name, value)
    return error


def _prefix(record: str | None) -> str:
    return f"{record}: " if record else ""


class ValidationError(OrderbookError, ValueError):
    """Bad input: names the field, the value and what is wrong with it.

    Args:
        field: the name of the offending field, e.g. ``"quantity"`` or ``"lines[2].discount"``.
        value: the value that was refused.
        reason: what the value should have been, e.g. ``"must be greater than 0"``.
        record: the record the field belongs to, e.g. ``"OrderLine 'l1'"``, when known.
    """

    def __init__(self, field: str, value: object, reason: str, *, record: str | None = None):
        super().__init__(
            f"{_prefix(record)}{field} {reason}, got {describe(value)}",
            field=field,
            value=value,
            reason=reason,
            record=record,
        )
        self.field = field
        self.value = value
        self.reason = reason
        self.record = record


class CurrencyMismatch(ValidationError):
    """Two amounts of different currencies met where only one currency makes sense.

    >>> from orderbook import Money
    >>> Money("1", "EUR") + Money("1", "USD")
    Traceback (most recent call last):
    ...
    orderbook.errors.CurrencyMismatch: currency must be EUR, got 'USD'
    """

    def __init__(
        self,
        expected: str,
        actual: str,
        *,
        field: str = "currency",
        record: str | None = None,
    ) -> None:
        ValidationError.__init__(self, field, actual, f"must be {expected}", record=record)
        self.details.update(expected=expected, actual=actual)
        self.expected = expected
        self.actual = actual


class DamagedRow(OrderbookError):
    """A stored row that does not read back as what the book wrote.

    The row was edited behind the book's back, or the file holding it was damaged. The error
    names the table, the row's key (a record's id or sku, an event's sequence number) and
    what is wrong with it.

    >>> str(DamagedRow("lots", "shelf", "data is not a JSON object"))
    "lots row 'shelf' is damaged: data is not a JSON object"
    """

    def __init__(self, table: str, key: object, reason: str) -> None:
        super().__init__(
            f"{table} row {describe(key)} is damaged: {reason}",
            table=table,
            key=key,
            reason=reason,
        )
        self.table = table
        self.key = key
        self.reason = reason


class NotFound(OrderbookError, LookupError):
    """No record of that kind has that id."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"no {kind} with id {record_id!r}", kind=kind, record_id=record_id)
        self.kind = kind
        self.record_id = record_id


class InvalidTransition(OrderbookError):
    """The workflow refused to move an order from one status to another, and says why."""

    def __init__(self, order_id: str, current: str, target: str, reason: str) -> None:
        super().__init__(
            f"order {order_id!r} cannot move from {current!r} to {target!r}: {reason}",
            order_id=order_id,
            current=current,
            target=target,
            reason=reason,
        )
        self.order_id = order_id
        self.current = current
        self.target = target
        self.reason = reason


class InsufficientStock(OrderbookError):
    """The supply of a product cannot cover what was asked for."""

    def __init__(
        self, sku: str, requested: object, available: object, *, record_id: str | None = None
    ) -> None:
        subject = f"line {record_id!r}: " if record_id else ""
        super().__init__(
            f"{subject}sku {sku!r} needs {requested} but only {available} is available",
            sku=sku,
            requested=requested,
            available=available,
            record_id=record_id,
        )
        self.sku = sku
        self.requested = requested
        self.available = available
        self.record_id = record_id


class OverAllocation(OrderbookError):
    """A manual allocation asked a lot for more than remains in it."""

    def __init__(self, lot_id: str, requested: object, available: object) -> None:
        super().__init__(
            f"lot {lot_id!r} has {available} left, cannot allocate {requested}",
            lot_id=lot_id,
            requested=requested,
            available=available,
        )
        self.lot_id = lot_id
        self.requested = requested
        self.available = available


class LockedError(OrderbookError):
    """The record may not change: its status is not editable, or it is finalized."""

    def __init__(self, record_id: str, reason: str) -> None:
        super().__init__(f"{record_id!r} is locked: {reason}", record_id=record_id, reason=reason)
        self.record_id = record_id
        self.reason = reason


class ConflictError(OrderbookError):
    """A concurrent write won; reload and retry.

    Raised when a record is saved over a version that is no longer the stored one, and when
    the database is busy with another writer.
    """

    def __init__(
        self,
        kind: str,
        record_id: str,
        reason: str,
        *,
        expected_version: int | None = None,
        actual_version: int | None = None,
    ) -> None:
        super().__init__(
            f"{kind} {record_id!r}: {reason}",
            kind=kind,
            record_id=record_id,
            reason=reason,
            expected_version=expected_version,
            actual_version=actual_version,
        )
        self.kind = kind
        self.record_id = record_id
        self.reason = reason
        self.expected_version = expected_version
        self.actual_version = actual_version
