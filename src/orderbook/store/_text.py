"""A record's canonical JSON text, written straight from the record.

What a table and an event keep of a record is ``canonical_json(encode(record))``. Saving a
record makes that text, for its table and again for its event, so it is made here without the
plain row in between: by a function generated once for each kind of record from its field
types (as attrs generates ``__init__``), and remembered for the records written last.
"""

from __future__ import annotations

import datetime as dt
import enum
import linecache
import operator
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Union, cast

import attrs

from orderbook.errors import OrderbookError
from orderbook.money import Money
from orderbook.store.codec import _encode, _fields, _not_a_record, canonical_json

__all__ = ["record_json"]


def record_json(record: object, *, version: bool = True) -> str:
    """Return a record's canonical JSON text: ``canonical_json(encode(record))``, made faster.

    The text is written straight from the record, by a function made once for each kind of
    record from its field types, with no plain row in between. ``version=False`` leaves the
    ``"version"`` key out (a table keeps the version in a column of its own); a value with no
    version field has none either way. The text of the last records written is kept, by the
    identity of their field values but the version, so writing the same record again (for its
    table, then for its event) or a new version of it costs little.

    Raises:
        OrderbookError: ``record`` is not a record, or holds a value a row cannot.

    >>> from orderbook import Lot
    >>> from orderbook.store.codec import encode
    >>> lot = Lot(id="l1", sku="TEA", quantity="2.50", version=3)
    >>> record_json(lot) == canonical_json(encode(lot))
    True
    >>> '"version":3' in record_json(lot), '"version"' in record_json(lot, version=False)
    (True, False)
    """
    kind = type(record)
    layout = _LAYOUTS.get(kind)
    if layout is None:
        layout = _layout(kind)
    values, key = layout.read(record)
    recent = _RECENT_TEXTS.get(key)
    if recent is None:
        recent = (values, *layout.parts(values))
        if len(_RECENT_TEXTS) >= _RECENT_SIZE:
            _RECENT_TEXTS.clear()
        _RECENT_TEXTS[key] = recent
    _, before, after = recent
    if not (version and layout.versioned):
        return f"{before}{layout.join}{after}"
    number = cast(Any, record).version  # as encode gives it: not checked, not converted
    text = str(number) if type(number) is int else canonical_json(number)
    return f"{before}{layout.open}{text}{layout.close}{after}"


@attrs.frozen
class _Layout:
    """How to write one kind of record: its text in two parts, either side of ``"version"``.

    ``read`` returns a record's field values but the version (keys sorted) and the memo's key
    for them: the kind and the values' identities. ``parts`` takes those values and returns the
    text up to where the version goes and the text after it, with no comma at either end;
    ``join``, or ``open``, the version and ``close``, go between them.
    """

    read: Callable[[object], tuple[tuple[object, ...], tuple[object, ...]]]
    parts: Callable[[tuple[object, ...]], tuple[str, str]]
    versioned: bool
    join: str
    open: str
    close: str


# Each kind's layout, and the function writing a value of each kind nested in another.
_LAYOUTS: dict[type[object], _Layout] = {}
_WRITERS: dict[type[object], Callable[[object], str]] = {}

# The texts of the records written last, by the identity of their field values but the
# version (the values are kept, so their ids stay theirs): (values, before, after). Saving a
# record writes it for its table and again for its event, and a new version of a record
# often changes nothing else. Records and their values are frozen, so the same values always
# give the same text.
_RECENT_TEXTS: dict[tuple[object, ...], tuple[tuple[object, ...], str, str]] = {}
_RECENT_SIZE = 64


def _layout(kind: type[object]) -> _Layout:
    if not attrs.has(kind):
        raise _not_a_record(kind)
    names = sorted(field.name for field in _fields(kind))  # the order of sort_keys
    before = [name for name in names if name < "version"]
    after = [name for name in names if name > "version"]
    count = len(before) + len(after)
    source = _Source(kind, {kind})
    source.namespace.update(_kind=kind, _values=_values_of(before + after))
    unpack = source.unpack(count, "values")
    ids = "".join(f"id(v{i}), " for i in range(count))
    head = source.join(before, 0, opening="{")
    tail = source.join(after, len(before), closing="}")
    layout = _Layout(
        read=source.compile(
            "read",
            "record",
            ["values = _values(record)", unpack, f"return values, (_kind, {ids})"],
        ),
        parts=source.compile("parts", "values", [unpack, f"return {head}, {tail}"]),
        versioned="version" in names,
        join="," if before and after else "",
        open=',"version":' if before else '"version":',
        close="," if after else "",
    )
    _LAYOUTS[kind] = layout
    return layout


def _writer(kind: type[object], compiling: set[type[object]]) -> Callable[[object], str] | None:
    """The function writing a value of ``kind``, version and all, as it is nested in another;
    None for a kind that (through its fields) contains itself, written the slow way."""
    writer = _WRITERS.get(kind)
    if writer is None and kind not in compiling:
        names = sorted(field.name for field in _fields(kind))
        source = _Source(kind, compiling | {kind})
        source.namespace["_values"] = _values_of(names)
        unpack = source.unpack(len(names), "_values(value)")
        text = source.join(names, 0, opening="{", closing="}")
        writer = _WRITERS[kind] = source.compile("write", "value", [unpack, f"return {text}"])
    return writer


def _values_of(names: list[str]) -> Callable[[object], tuple[object, ...]]:
    """A function returning a record's values of ``names``, in that order, as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda record: (get(record),)
    return lambda record: ()


class _Source:
    """The source of a function writing fields of one kind of record as JSON text.

    Each field's value is in a local ``v0``, ``v1``, ...; the text of each is written by an
    expression made from the field's declared type, which first checks that the value is of
    that very type, and otherwise writes it as ``canonical_json(_encode(value))``. So the
    declared types make the text fast, never wrong. The names the expressions use (helpers,
    types, the writers of nested records) are the generated function's globals.
    """

    def __init__(self, kind: type[object], compiling: set[type[object]]) -> None:
        self.kind = kind
        self.hints = _hints(kind)
        self.compiling = compiling
        self.namespace: dict[str, Any] = dict(_GLOBALS)
        self.items = 0  # the tuples' item locals made so far: i0, i1, ...

    def unpack(self, count: int, values: str) -> str:
        """The statement giving the locals ``v0``, ... their values, read from ``values``."""
        return "".join(f"v{i}, " for i in range(count)) + f"= {values}" if count else "pass"

    def join(self, names: list[str], first: int, *, opening: str = "", closing: str = "") -> str:
        """An expression for the JSON items of ``names`` (in locals from ``v{first}``)."""
        pieces = []
        literal = opening
        for offset, name in enumerate(names):
            literal += ("," if offset else "") + encode_basestring(name) + ":"
            pieces += [repr(literal), self.expression(self.hints.get(name), f"v{first + offset}")]
            literal = ""
        if literal + closing:
            pieces.append(repr(literal + closing))
        return f"_join(({', '.join(pieces)},))" if pieces else "''"

    def expression(self, hint: object, value: str) -> str:
        """An expression for the JSON text of ``value``, a local declared of type ``hint``."""
        slow = f"_any({value})"
        origin = typing.get_origin(hint)
        if isinstance(hint, typing.NewType):
            return self.expression(hint.__supertype__, value)
        if origin is Union or origin is types.UnionType:
            options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
            if len(options) != 1:
                return slow
            return f"('null' if {value} is None else {self.expression(options[0], value)})"
        if origin is tuple:
            item = typing.get_args(hint)
            if len(item) != 2 or item[1] is not Ellipsis:
                return slow
            name = f"i{self.items}"
            self.items += 1
            text = self.expression(item[0], name)
            items = f"'[' + ','.join([{text} for {name} in {value}]) + ']'"
            return f"(({items} if {value} else '[]') if type({value}) is tuple else {slow})"
        if isinstance(hint, type) and hint in _SIMPLE:
            text = _SIMPLE[hint].replace("VALUE", value)
            return f"({text} if type({value}) is _{hint.__name__} else {slow})"
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return self._enum(hint, value, slow)
        if isinstance(hint, type) and attrs.has(hint):
            writer = _writer(hint, self.compiling)
            if writer is not None:
                write, kind = self.bind(writer, f"write_{hint.__name__}"), self.bind(hint)
                return f"({write}({value}) if type({value}) is {kind} else {slow})"
        return slow

    def _enum(self, kind: type[enum.Enum], value: str, slow: str) -> str:
        try:
            texts = {member: canonical_json(_encode(member.value)) for member in kind}
        except (OrderbookError, TypeError, ValueError):
            return slow  # a member a row cannot hold: the slow way raises what it raises
        table, member = self.bind(texts, f"{kind.__name__}_texts"), self.bind(kind)
        return f"(({table}.get({value}) or {slow}) if type({value}) is {member} else {slow})"

    def bind(self, value: object, label: str = "") -> str:
        """A global name the generated code reaches ``value`` by: ``_label`` (a class's name)."""
        label = label or str(getattr(value, "__name__", ""))
        name = f"_{label}" if label.isidentifier() else "_value"
        while self.namespace.setdefault(name, value) is not value:
            name += "_"  # another value by that name
        return name

    def compile(self, name: str, parameter: str, lines: list[str]) -> Any:
        """Define the function and return it."""
        source = f"def {name}({parameter}):\n" + "".join(f"    {line}\n" for line in lines)
        where = f"<record_json: {name} of {self.kind.__qualname__}>"
        linecache.cache[where] = (len(source), None, source.splitlines(True), where)  # tracebacks
        exec(compile(source, where, "exec"), self.namespace)  # made of field names and types only
        return self.namespace[name]


def _hints(kind: type[object]) -> dict[str, object]:
    """A kind's field types; none (every field written the slow way) if they do not resolve."""
    try:
        return typing.get_type_hints(kind)
    except Exception:  # an annotation that does not evaluate, whatever it raises
        return {}


def _any(value: object) -> str:
    """The JSON text of a value of no type a generated writer knows: the slow way."""
    return canonical_json(_encode(value))


def _money_text(money: Money) -> str:
    """Money's text; an amount or currency of another type (a private constructor checks
    nothing) is written the slow way."""
    amount, currency = money.amount, money.currency
    if type(amount) is Decimal and type(currency) is str:
        return f'{{"amount":"{amount!s}","currency":{encode_basestring(currency)}}}'
    return _any(money)


# The text of a value of each simple type, as an expression of the VALUE; used only for a
# value of that very type (a bool is an int, a StrEnum a str). A Decimal's and a date's text
# hold nothing JSON escapes. (f-strings: the quickest way to put text together.)
_SIMPLE: dict[type[object], str] = {
    str: "_text(VALUE)",
    int: "f'{VALUE}'",
    bool: "('true' if VALUE else 'false')",
    Decimal: "f'\"{VALUE!s}\"'",
    dt.date: "f'\"{VALUE.isoformat()}\"'",
    dt.datetime: "f'\"{VALUE.isoformat()}\"'",
    Money: "_money_text(VALUE)",
}
# The names every generated function reaches, as its globals: the simple types as _str, ...
_GLOBALS: dict[str, object] = {
    "_join": "".join,
    "_text": encode_basestring,
    "_any": _any,
    "_money_text": _money_text,
    "type": type,
    "tuple": tuple,
    "id": id,
    **{f"_{kind.__name__}": kind for kind in _SIMPLE},
}
