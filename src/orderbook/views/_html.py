"""The building blocks of the notebook views: escaping, cells, tables and the scoped style.

Every view is one ``<div class="orderbook-view">`` that holds its own ``<style>``, scoped to
that class so it does not leak into the notebook, and is well-formed XML as well as HTML:
every text is escaped, characters XML cannot carry are replaced, spaces that must not break
are ``&#160;``, and no element is self-closed.

>>> cell("<b>", numeric=False)
'<td>&lt;b&gt;</td>'
>>> cell(Decimal("2.50"))
'<td class="num">2.50</td>'
>>> text("a\\x01b")
'a\\ufffdb'
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from orderbook.documents.formatting import format_money
from orderbook.money import Money

__all__ = [
    "STYLE",
    "Column",
    "Markup",
    "cell",
    "facts",
    "marker",
    "shown",
    "table",
    "text",
    "view",
]

# Characters XML 1.0 cannot carry, even as references: C0 controls but tab, newline and
# return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

STYLE = """
.orderbook-view { font-family: system-ui, sans-serif; font-size: 13px; color: #1d2430; }
.orderbook-view h3 { font-size: 15px; margin: 8px 0 4px 0; }
.orderbook-view h4 { font-size: 13px; margin: 10px 0 2px 0; color: #3b4656; }
.orderbook-view table { border-collapse: collapse; margin: 2px 0 8px 0; }
.orderbook-view caption { text-align: left; font-weight: 600; padding: 2px 0; }
.orderbook-view th, .orderbook-view td { padding: 2px 8px; border-bottom: 1px solid #dde1e7;
  text-align: left; vertical-align: top; }
.orderbook-view th { background: #f1f3f6; font-weight: 600; }
.orderbook-view td.num, .orderbook-view th.num { text-align: right;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.orderbook-view tr.short td { background: #fdecea; }
.orderbook-view tr.worse td { background: #fff4e0; }
.orderbook-view td.short { color: #b3261e; font-weight: 600; }
.orderbook-view .marker { color: #b3261e; font-weight: 700; }
.orderbook-view .ok { color: #1e7b34; }
.orderbook-view .muted { color: #6b7483; }
.orderbook-view dl { display: grid; grid-template-columns: max-content auto; gap: 1px 12px;
  margin: 2px 0 8px 0; }
.orderbook-view dt { color: #3b4656; }
.orderbook-view dd { margin: 0; }
.orderbook-view dd.num { text-align: right; font-variant-numeric: tabular-nums; }
.orderbook-view .dashboard { display: flex; flex-wrap: wrap; gap: 0 28px; }
"""


def text(value: object) -> str:
    """A value as escaped text: ``&``, ``<``, ``>`` and quotes as references, and characters
    XML cannot carry (most control characters) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", html.escape(shown(value), quote=True))


def shown(value: object) -> str:
    """How a figure reads in a cell: Money as the command line prints it (``EUR 1,234.50``), a
    Decimal as written, a date in ISO form, a moment to the minute, None as a dash, True and
    False as yes and no."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return str(value)


def _numeric(value: object) -> bool:
    return isinstance(value, Decimal | Money | int) and not isinstance(value, bool)


def cell(value: object, *, numeric: bool | None = None, css: str = "", tag: str = "td") -> str:
    """One table cell; numbers (Decimal, Money, int) are right-aligned with class ``num``.

    Args:
        value: what the cell shows, escaped.
        numeric: right-align it; by default when the value is a number.
        css: more classes.
        tag: ``td`` or ``th``.
    """
    right = _numeric(value) if numeric is None else numeric
    return f"<{tag}{_classes('num' if right else '', css)}>{text(value)}</{tag}>"


def _classes(*names: str) -> str:
    chosen = " ".join(name for name in names if name)
    return f' class="{chosen}"' if chosen else ""


def marker(label: str, title: str) -> str:
    """A visible marker (a coloured word) that says what a row is: ``short``, ``new``..."""
    return f'<span class="marker" title="{text(title)}">{text(label)}</span>'


class Column:
    """A column of a table: its heading, and whether its cells are numbers."""

    __slots__ = ("heading", "numeric")

    def __init__(self, heading: str, *, numeric: bool = False) -> None:
        self.heading = heading
        self.numeric = numeric


def table(
    columns: Sequence[Column],
    rows: Iterable[tuple[Sequence[object], str]],
    *,
    caption: str = "",
    empty: str = "none",
    css: str = "",
) -> str:
    """A table: a heading row, then one row per ``(cells, row_class)``.

    A cell given as a ``(value, css)`` pair gets that class too; a cell that is already
    markup must come from :func:`cell` or :func:`marker` and be given as ``Markup``.
    """
    head = "".join(cell(c.heading, numeric=c.numeric, tag="th") for c in columns)
    body = []
    for cells, row_css in rows:
        shown_cells = []
        for column, value in zip(columns, cells, strict=True):
            if isinstance(value, Markup):
                shown_cells.append(f"<td{value.attrs}>{value.html}</td>")
            elif isinstance(value, tuple):
                shown_cells.append(cell(value[0], numeric=column.numeric, css=value[1]))
            else:
                shown_cells.append(cell(value, numeric=column.numeric))
        body.append(f"<tr{_classes(row_css)}>{''.join(shown_cells)}</tr>")
    if not body:
        body.append(f'<tr><td class="muted" colspan="{len(columns)}">{text(empty)}</td></tr>')
    title = f"<caption>{text(caption)}</caption>" if caption else ""
    return (
        f"<table{_classes(css)}>{title}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


class Markup:
    """Markup already escaped, for a table cell: the inside of the ``<td>``, and its class."""

    __slots__ = ("attrs", "html")

    def __init__(self, inner: str, *, numeric: bool = False, css: str = "") -> None:
        self.html = inner
        self.attrs = _classes("num" if numeric else "", css)


def facts(pairs: Iterable[tuple[str, object]]) -> str:
    """A definition list of named figures; numbers right-aligned."""
    items = "".join(
        f"<dt>{text(name)}</dt><dd{_classes('num' if _numeric(value) else '')}>"
        f"{value.html if isinstance(value, Markup) else text(value)}</dd>"
        for name, value in pairs
    )
    return f"<dl>{items}</dl>"


def view(kind: str, title: str, *parts: str) -> str:
    """The whole view: one root ``div`` with the scoped style, a title and the parts."""
    return (
        f'<div class="orderbook-view orderbook-{kind}"><style>{STYLE}</style>'
        f"<h3>{text(title)}</h3>{''.join(parts)}</div>"
    )
