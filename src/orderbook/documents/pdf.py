"""Render a document as a PDF, with the optional ``pdf`` extra (fpdf2).

The layout is a business document's: the seller's letterhead, the customer's (or supplier's)
blocks with their addresses, the number, dates and references, the lines table, the totals
per tax rate and the grand total, the payment status and the amount due, then the terms.
Every page repeats the header (the seller, the title and the number), and a page that
continues the lines table repeats its column headings; the footer numbers the pages.

Text is set in DejaVu Sans, bundled with orderbook (see ``fonts/LICENSE-DejaVu.txt``), which
covers Latin, Greek and Cyrillic. For other scripts, such as Chinese or Japanese, pass the
path of a TrueType font that covers them as ``font_path``; DejaVu Sans then supplies any
glyph that font lacks.

Only this module imports fpdf2, and only when a PDF is rendered, so the rest of orderbook
works without it. The same document always gives the same bytes: the PDF's creation date is
the document's own date, never the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from orderbook.documents import _layout
from orderbook.documents._locale import check_locale
from orderbook.documents.values import Document
from orderbook.errors import OrderbookError, ValidationError

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["FONTS", "pdf_available", "render_pdf"]

FONTS = Path(__file__).with_name("fonts")
"""The folder of the bundled fonts and their licence."""

_REGULAR = FONTS / "DejaVuSans.ttf"
_BOLD = FONTS / "DejaVuSans-Bold.ttf"
_EPOCH = dt.date(2000, 1, 1)  # the creation date of a document that has no date
_MARGIN = 15.0
_GREY = (90, 90, 90)


def pdf_available() -> bool:
    """Whether the ``pdf`` extra (fpdf2) is installed, so :func:`render_pdf` can run."""
    try:
        import fpdf  # noqa: F401
    except ImportError:
        return False
    return True


def _fpdf_class() -> type[FPDF]:
    try:
        from fpdf import FPDF
    except ImportError:
        raise OrderbookError(
            "rendering a PDF needs fpdf2: install the pdf extra, pip install 'orderbook[pdf]'",
            extra="pdf",
        ) from None
    return FPDF


_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO")  # TrueType and OpenType files


def _font_file(name: str, value: str | os.PathLike[str] | None) -> Path | None:
    """The path of a font file, checked before fpdf2 reads it."""
    if value is None:
        return None
    path = Path(value)
    try:
        with path.open("rb") as file:
            signature = file.read(4)
    except OSError:
        raise ValidationError(name, value, "must be the path of a font file") from None
    if signature not in _SIGNATURES:
        raise ValidationError(name, value, "must be a readable TrueType font")
    return path


def render_pdf(
    document: Document,
    *,
    font_path: str | os.PathLike[str] | None = None,
    bold_font_path: str | os.PathLike[str] | None = None,
    locale: str | None = None,
) -> bytes:
    """Render a document as a PDF.

    Args:
        document: the document to render.
        font_path: a TrueType font for scripts DejaVu Sans lacks (CJK, for one); it sets the
            text, and DejaVu Sans fills in any glyph it lacks.
        bold_font_path: the bold face of that font; ``font_path`` by default.
        locale: print amounts, quantities and rates as this locale does (``"fr_FR"``, with
            the ``babel`` extra), in place of the document's own ``locale``.

    Returns:
        the PDF file's bytes.

    Raises:
        OrderbookError: fpdf2 is not installed (install ``orderbook[pdf]``), or a locale is
            asked for and babel is not installed (install ``orderbook[babel]``).
        ValidationError: ``document`` is not a Document, a font path is not a font file, or
            the locale is not known.
    """
    if not isinstance(document, Document):
        raise ValidationError("document", document, "must be a Document")
    if locale is not None:
        document = attrs.evolve(document, locale=locale)
    check_locale(document.locale)
    regular = _font_file("font_path", font_path)
    bold = _font_file("bold_font_path", bold_font_path) or regular
    family = "DejaVu" if regular is None else "Custom"
    printer = _printer(_fpdf_class(), document, family)
    printer.add_font("DejaVu", "", str(_REGULAR))
    printer.add_font("DejaVu", "B", str(_BOLD))
    if regular is not None and bold is not None:
        try:
            printer.add_font("Custom", "", str(regular))
            printer.add_font("Custom", "B", str(bold))
        except Exception as error:  # fpdf2 and fontTools raise many kinds on a bad font
            raise ValidationError(
                "font_path", font_path, f"must be a readable TrueType font ({error})"
            ) from None
        printer.set_fallback_fonts(["DejaVu"], exact_match=False)
    printer.set_font(family, size=9)
    printer.add_page()
    _body(printer, document)
    return bytes(printer.output())


def _printer(base: type[FPDF], document: Document, family: str) -> FPDF:
    """An FPDF that draws the document's header and footer on every page."""

    class Printer(base):  # type: ignore[valid-type, misc]
        text_family = family

        def header(self) -> None:
            width = self.epw / 2
            self.set_font(self.text_family, "B", 13)
            self.set_text_color(0)
            top = self.get_y()
            self.multi_cell(width, 6, document.issuer.name, new_x="LMARGIN", new_y="NEXT")
            left_bottom = self.get_y()
            self.set_xy(self.l_margin + width, top)
            self.cell(width, 6, document.kind.heading, align="R", new_x="LEFT", new_y="NEXT")
            self.set_font(self.text_family, "", 10)
            self.cell(width, 5, document.number, align="R", new_x="LEFT", new_y="NEXT")
            if document.stamp:
                self.set_font(self.text_family, "B", 10)
                self.set_text_color(176, 0, 0)
                self.cell(width, 5, document.stamp.upper(), align="R", new_x="LEFT", new_y="NEXT")
                self.set_text_color(0)
            bottom = max(left_bottom, self.get_y()) + 1
            self.set_draw_color(0)
            self.set_line_width(0.5)
            self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
            self.set_xy(self.l_margin, bottom + 3)
            self.set_font(self.text_family, "", 9)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.text_family, "", 7.5)
            self.set_text_color(*_GREY)
            self.cell(self.epw / 2, 5, document.title, align="L")
            self.cell(self.epw / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

    printer: FPDF = Printer(orientation="P", unit="mm", format="A4")
    printer.set_margins(_MARGIN, _MARGIN, _MARGIN)
    printer.set_auto_page_break(True, margin=18)
    day = document.date or _EPOCH
    printer.set_creation_date(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
    printer.set_title(document.title)
    printer.set_author(document.issuer.name)
    printer.set_creator("orderbook")
    return printer


def _text_lines(printer: FPDF, lines: list[str], *, width: float, first_bold: bool) -> None:
    x = printer.get_x()
    for index, line in enumerate(lines):
        printer.set_font(style="B" if first_bold and index == 0 else "")
        printer.set_x(x)
        printer.multi_cell(width, 4.2, line, new_x="LEFT", new_y="NEXT")
    printer.set_font(style="")


def _body(printer: FPDF, document: Document) -> None:
    printer.set_text_color(*_GREY)
    _text_lines(printer, _layout.issuer_lines(document), width=printer.epw, first_bold=False)
    printer.set_text_color(0)
    printer.ln(4)
    _blocks(printer, document)
    _details(printer, document)
    _table(printer, document)
    _labelled(printer, _layout.totals_rows(document))
    _labelled(printer, _layout.payment_rows(document))
    if document.terms:
        printer.ln(4)
        printer.set_font(style="B")
        printer.cell(0, 5, "Terms", new_x="LMARGIN", new_y="NEXT")
        printer.set_font(style="")
        printer.multi_cell(0, 4.2, document.terms, new_x="LMARGIN", new_y="NEXT")


def _blocks(printer: FPDF, document: Document) -> None:
    blocks = _layout.recipient_blocks(document)
    width = printer.epw / 2 - 4
    top, bottom = printer.get_y(), printer.get_y()
    for index, (heading, lines) in enumerate(blocks):
        printer.set_xy(printer.l_margin + index * (width + 8), top)
        printer.set_font(size=7.5)
        printer.set_text_color(*_GREY)
        printer.cell(width, 4, heading.upper(), new_x="LEFT", new_y="NEXT")
        printer.set_text_color(0)
        printer.set_font(size=9)
        _text_lines(printer, lines, width=width, first_bold=True)
        bottom = max(bottom, printer.get_y())
    printer.set_xy(printer.l_margin, bottom + 4)


def _details(printer: FPDF, document: Document) -> None:
    for label, value in _layout.details(document):
        printer.set_text_color(*_GREY)
        printer.cell(32, 4.5, label)
        printer.set_text_color(0)
        printer.multi_cell(0, 4.5, value, new_x="LMARGIN", new_y="NEXT")
    if document.subject:
        printer.ln(2)
        printer.set_font(style="B")
        printer.multi_cell(0, 5, document.subject, new_x="LMARGIN", new_y="NEXT")
        printer.set_font(style="")
    printer.ln(4)


def _table(printer: FPDF, document: Document) -> None:
    from fpdf.fonts import FontFace

    columns = _layout.columns(document)
    align = tuple("RIGHT" if column.align == "right" else "LEFT" for column in columns)
    printer.set_font(size=8)
    printer.set_draw_color(170)
    printer.set_line_width(0.2)
    with printer.table(
        col_widths=tuple(column.width for column in columns),
        text_align=align,
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.2,
        padding=(1, 1.2),
        width=printer.epw,
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for column in columns:
            heading.cell(column.heading)
        for line in document.lines:
            row = table.row()
            for column in columns:
                row.cell(column.cell(line))
    printer.set_font(size=9)
    printer.ln(3)


def _labelled(printer: FPDF, rows: list[tuple[str, str]]) -> None:
    """Right-aligned label and value pairs; the last one in bold, kept on one page."""
    if not rows:
        return
    height = 5.0
    if printer.get_y() + height * len(rows) > printer.page_break_trigger:
        printer.add_page()
    left = printer.l_margin + printer.epw - 110
    for index, (label, value) in enumerate(rows):
        last = index == len(rows) - 1
        if last:
            printer.set_draw_color(0)
            printer.line(left, printer.get_y(), printer.l_margin + printer.epw, printer.get_y())
        printer.set_font(style="B" if last else "")
        printer.set_x(left)
        printer.cell(70, height, label)
        printer.cell(40, height, value, align="R", new_x="LMARGIN", new_y="NEXT")
    printer.set_font(style="")
    printer.ln(3)
