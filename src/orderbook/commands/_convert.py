"""Converters and validators the commands share: frozen quantities, lines and items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.model import OrderLine, ShipmentItem
from orderbook.money import to_decimal

Quantities = tuple[tuple[str, Decimal], ...]
"""``{key: quantity}`` frozen as pairs, in the order given."""


def by_field() -> Any:
    """The ``by`` field every command has: who asked for it, recorded on its events."""
    return attrs.field(default=None, validator=f.optional_text, kw_only=True)


def quantities(value: Mapping[str, Decimal | int | str] | Quantities) -> Quantities:
    """Freeze ``{key: quantity}`` (or pairs) into pairs of str and Decimal."""
    pairs = value.items() if isinstance(value, Mapping) else value
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        return cast(Quantities, f.Invalid(value, "must map ids to quantities"))
    frozen = []
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2 or not isinstance(pair[0], str):
            return cast(Quantities, f.Invalid(value, "must map ids to quantities"))
        problem = f.text_problem(pair[0], key=True)
        if problem is not None:
            reason = f"must map ids to quantities: an id {problem}"
            return cast(Quantities, f.Invalid(value, reason))
        try:
            frozen.append((pair[0], to_decimal(pair[1], pair[0])))
        except ValueError as error:
            return cast(Quantities, f.Invalid(value, str(error)))
    return tuple(frozen)


def positive_quantities(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Pairs of a non-empty str and a Decimal above zero, keys unique, at least one."""
    f.valid(instance, attribute, value)
    assert isinstance(value, tuple)
    if not value:
        raise f.fail(instance, attribute.name, {}, "must name at least one quantity")
    seen: set[str] = set()
    for key, quantity in value:
        if not key.strip() or key in seen:
            raise f.fail(instance, attribute.name, key, "must name each id once")
        if quantity <= 0:
            raise f.fail(instance, f"{attribute.name}[{key!r}]", quantity, "must be above 0")
        seen.add(key)


def order_lines(value: Iterable[OrderLine]) -> tuple[OrderLine, ...]:
    """Freeze order lines into a tuple."""
    return f.to_tuple(value)


def lines_validator() -> f.Validator:
    """At least one OrderLine, ids unique."""
    each = f.tuple_of(OrderLine)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        each(instance, attribute, value)
        assert isinstance(value, tuple)
        if not value:
            raise f.fail(instance, attribute.name, value, "must hold at least one line")
        f.unique_ids(instance, attribute.name, value)

    return check


def items(
    value: Mapping[str, Decimal | int | str] | Iterable[ShipmentItem],
) -> tuple[ShipmentItem, ...]:
    """Shipment items from ``{line_id: quantity}`` or from ShipmentItem values."""
    if isinstance(value, Mapping):
        try:
            return tuple(ShipmentItem(line_id=k, quantity=q) for k, q in value.items())
        except ValueError as error:
            return cast(tuple[ShipmentItem, ...], f.Invalid(value, str(error)))
    return f.to_tuple(value)


def items_validator() -> f.Validator:
    """At least one ShipmentItem, each line once."""
    each = f.tuple_of(ShipmentItem)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        each(instance, attribute, value)
        assert isinstance(value, tuple)
        if not value:
            raise f.fail(instance, attribute.name, value, "must hold at least one item")
        seen: set[str] = set()
        for index, item in enumerate(value):
            if item.line_id in seen:
                raise f.fail(instance, f"{attribute.name}[{index}].line_id", item.line_id,
                             "must name each line once")  # fmt: skip
            seen.add(item.line_id)

    return check


def text_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """Freeze an optional list of ids."""
    return None if value is None else f.to_tuple(value)


def optional_ids(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """None, or a tuple of non-empty str."""
    if value is None:
        return
    f.tuple_of(str)(instance, attribute, value)
    assert isinstance(value, tuple)
    for index, item in enumerate(value):
        problem = f.text_problem(item, key=True)
        if problem is not None:
            raise f.fail(instance, f"{attribute.name}[{index}]", item, problem)


__all__ = [
    "Quantities",
    "by_field",
    "items",
    "items_validator",
    "lines_validator",
    "optional_ids",
    "order_lines",
    "positive_quantities",
    "quantities",
    "text_tuple",
]
