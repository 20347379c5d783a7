"""Render a document as a standalone HTML page, with the standard library only.

Every value is escaped, so a customer called ``<script>`` prints as text. The page carries
its own stylesheet, laid out for the screen and for print (A4, the table header repeated on
every printed page). The same document always gives the same string.
"""

from __future__ import annotations

from html import escape

import attrs

from orderbook.documents import _layout
from orderbook.documents._locale import check_locale
from orderbook.documents.values import Document
from orderbook.errors import ValidationError

__all__ = ["STYLESHEET", "render_html"]

STYLESHEET = """\
@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt;
  color: #111; margin: 0; }
.document { max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
header { display: flex; justify-content: space-between; align-items: flex-start;
  border-bottom: 2px solid #111; padding-bottom: 4mm; }
.issuer .name { font-size: 14pt; font-weight: bold; margin: 0 0 1mm; }
.issuer p, .party p { margin: 0; line-height: 1.35; }
.heading { text-align: right; }
.heading h1 { font-size: 18pt; margin: 0; letter-spacing: 0.02em; }
.heading .number { font-size: 11pt; margin: 1mm 0 0; }
.stamp { display: inline-block; margin-top: 2mm; padding: 0.5mm 3mm; border: 2px solid #b00;
  color: #b00; font-weight: bold; text-transform: uppercase; }
.parties { display: flex; gap: 10mm; margin: 6mm 0 4mm; }
.party { flex: 1; }
h2 { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.06em; color: #555;
  margin: 0 0 1mm; }
.party .name { font-weight: bold; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 6mm;
  margin: 0 0 4mm; }
.details dt { color: #555; }
.details dd { margin: 0; }
.subject { font-weight: bold; margin: 0 0 3mm; }
table { border-collapse: collapse; width: 100%; }
.lines thead { display: table-header-group; }
.lines th { border-bottom: 1.5px solid #111; font-size: 8.5pt; text-align: left;
  padding: 1.5mm 1.5mm; }
.lines td { border-bottom: 0.5px solid #ccc; padding: 1.2mm 1.5mm; vertical-align: top; }
.lines tr { break-inside: avoid; page-break-inside: avoid; }
.lines .right { text-align: right; white-space: nowrap; }
.summary { display: flex; justify-content: flex-end; margin-top: 4mm; break-inside: avoid; }
.totals, .payment { width: 90mm; }
.totals th, .payment th { text-align: left; font-weight: normal; padding: 0.8mm 1.5mm; }
.totals td, .payment td { text-align: right; padding: 0.8mm 1.5mm; white-space: nowrap; }
.totals tr:last-child { font-weight: bold; border-top: 1.5px solid #111; }
.payment tr:last-child { font-weight: bold; }
.terms { margin-top: 6mm; break-inside: avoid; }
.terms p { white-space: pre-line; margin: 0; }
@media print { .document { padding: 0; max-width: none; } a { color: inherit; } }
"""
"""The page's stylesheet: a clean A4 layout that repeats the lines' header on every page."""


def _lines(lines: list[str], css: str = "") -> str:
    rows = []
    for index, line in enumerate(lines):
        cls = ' class="name"' if css and index == 0 else ""
        rows.append(f"<p{cls}>{escape(line)}</p>")
    return "".join(rows)


def _header(document: Document) -> str:
    issuer = document.issuer
    stamp = f'<p class="stamp">{escape(document.stamp)}</p>' if document.stamp else ""
    return (
        "<header>"
        f'<div class="issuer"><p class="name">{escape(issuer.name)}</p>'
        f"{_lines(_layout.issuer_lines(document))}</div>"
        f'<div class="heading"><h1>{escape(document.kind.heading)}</h1>'
        f'<p class="number">{escape(document.number)}</p>{stamp}</div>'
        "</header>"
    )


def _parties(document: Document) -> str:
    blocks = "".join(
        f'<div class="party"><h2>{escape(heading)}</h2>{_lines(lines, "name")}</div>'
        for heading, lines in _layout.recipient_blocks(document)
    )
    return f'<section class="parties">{blocks}</section>'


def _details(document: Document) -> str:
    rows = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
        for label, value in _layout.details(document)
    )
    subject = f'<p class="subject">{escape(document.subject)}</p>' if document.subject else ""
    return f'<dl class="details">{rows}</dl>{subject}'


def _table(document: Document) -> str:
    columns = _layout.columns(document)
    head = "".join(
        f'<th class="{column.align}">{escape(column.heading)}</th>' for column in columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{column.align}">{escape(column.cell(line))}</td>' for column in columns
        )
        + "</tr>"
        for line in document.lines
    )
    return f'<table class="lines"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _rows(css: str, rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows
    )
    return f'<table class="{css}">{cells}</table>'


def _summary(document: Document) -> str:
    totals = _rows("totals", _layout.totals_rows(document))
    payment = _rows("payment", _layout.payment_rows(document))
    parts = "".join(f'<div class="summary">{part}</div>' for part in (totals, payment) if part)
    if document.terms:
        parts += f'<section class="terms"><h2>Terms</h2><p>{escape(document.terms)}</p></section>'
    return parts


def render_html(document: Document, *, locale: str | None = None) -> str:
    """Render a document as a complete, self-contained HTML page.

    Args:
        document: the document to render.
        locale: print amounts, quantities and rates as this locale does (``"fr_FR"``, with
            the ``babel`` extra), in place of the document's own ``locale``.

    Returns:
        the page, as a str (encode it as UTF-8, which its ``<meta charset>`` declares).

    Raises:
        ValidationError: ``document`` is not a Document, or the locale is not known.
        OrderbookError: a locale is asked for and babel is not installed
            (install ``orderbook[babel]``).

    >>> from orderbook.documents import Document, Party
    >>> page = render_html(Document(kind="invoice", number="INV-1", currency="EUR",
    ...     issuer=Party(name="Tea & Co"), recipient=Party(name="<script>")))
    >>> "&lt;script&gt;" in page, "<script>" in page, "Tea &amp; Co" in page
    (True, False, True)
    """
    if not isinstance(document, Document):
        raise ValidationError("document", document, "must be a Document")
    if locale is not None:
        document = attrs.evolve(document, locale=locale)
    check_locale(document.locale)
    kind = document.kind.value.replace("_", "-")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(document.title)}</title>\n"
        f"<style>\n{STYLESHEET}</style>\n</head>\n<body>\n"
        f'<article class="document {kind}">\n'
        f"{_header(document)}\n{_parties(document)}\n{_details(document)}\n"
        f"{_table(document)}\n{_summary(document)}\n"
        "</article>\n</body>\n</html>\n"
    )
