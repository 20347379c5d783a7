"""Text for a terminal: aligned tables, cutting text to a width, and progress on stderr.

Widths are counted in terminal columns, not characters: a CJK character takes two and a
combining accent none, so a table of names in any script stays aligned.

>>> print(table(["sku", "qty"], [["TEA", "3"], ["茶", "12"]], right=[1]))
sku  qty
---  ---
TEA    3
茶    12
>>> clip("customer_id=acme, number=SO-1001", 20)
'customer_id=acme, n…'
"""

from __future__ import annotations

import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TextIO

__all__ = ["ELLIPSIS", "Progress", "clip", "columns", "table"]

ELLIPSIS = "…"
"""What marks text that was cut."""


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes.

    >>> columns("abc"), columns("茶"), columns("e\\u0301")
    (3, 2, 1)
    """
    return sum(_char_columns(char) for char in text)


def _char_columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def clip(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` columns, else cut to fit with an ellipsis at the end.

    >>> clip("short", 10), clip("a longer text", 8), clip("abc", 0)
    ('short', 'a longe…', '')
    """
    if columns(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        needed = _char_columns(char)
        if used + needed > width - 1:
            break
        kept.append(char)
        used += needed
    return "".join(kept) + ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * max(width - columns(text), 0)
    return room + text if right else text + room


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    *,
    footer: Sequence[Sequence[str]] = (),
) -> str:
    """Lay rows out as an aligned text table; the columns in ``right`` align right.

    Args:
        headers: the column titles.
        rows: the rows, one text per column.
        right: the indexes of the columns aligned right (numbers, amounts).
        footer: rows printed under a second rule, such as totals.

    >>> print(table(["sku", "qty"], [["TEA", "3"], ["MUG", "12"]], right=[1],
    ...             footer=[["total", "15"]]))
    sku    qty
    -----  ---
    TEA      3
    MUG     12
    -----  ---
    total   15
    """
    every = [headers, *rows, *footer]
    widths = [max(columns(str(c)) for c in column) for column in zip(*every, strict=True)]

    def render(cells: Sequence[str]) -> str:
        parts = [
            _pad(str(c), w, i in right) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = render(["-" * w for w in widths])
    lines = [render(headers), rule, *(render(row) for row in rows)]
    if footer:
        lines += [rule, *(render(row) for row in footer)]
    return "\n".join(lines)


class Progress:
    """Shows on standard error what long work is doing, while it runs.

    Only when standard error is a terminal, and only once the work has taken ``after``
    seconds: a quick command, or one whose standard error goes to a file or a pipe, prints
    nothing extra. The line is redrawn in place a few times a second and wiped at the end.

    Args:
        label: what the work is (``"check"``).
        after: how many seconds pass before the line first shows.
        stream: where to draw it; standard error (as it is when the work starts) if None.
    """

    TICK = 0.2
    """Seconds between two redraws."""

    def __init__(self, label: str, *, after: float = 0.0, stream: TextIO | None = None) -> None:
        self._label = label
        self._after = after
        self._stream = stream
        self._text = ""
        self._done: int | None = None
        self._total: int | None = None
        self._shown = 0  # columns of the line on screen, to wipe it
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = 0.0
        self._drawn_at = 0.0
        self._live = False  # drawing at all: the stream is a terminal

    def __enter__(self) -> Progress:
        stream = self._stream if self._stream is not None else sys.stderr
        self._stream = stream
        self._start = time.monotonic()
        self._live = _is_terminal(stream)
        if self._live:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._wipe()

    def update(self, text: str | None = None, *, done: int | None = None,
               total: int | None = None) -> None:  # fmt: skip
        """Say what the work does now (``text``) and how far it is (``done`` of ``total``).

        The line shows the news at once, unless it was drawn less than a tick ago.
        """
        with self._lock:
            if text is not None:
                self._text = text
            if total is not None:
                self._total = total
            self._done = done
        now = time.monotonic()
        if self._live and now - self._start >= self._after and now - self._drawn_at >= self.TICK:
            self._draw()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Wipe the line and keep it off while the caller writes to the terminal itself."""
        with self._lock:
            self._wipe()
            yield

    def _run(self) -> None:
        while not self._stop.wait(self.TICK):
            if time.monotonic() - self._start >= self._after:
                self._draw()

    def _draw(self) -> None:
        with self._lock:
            seconds = time.monotonic() - self._start
            count = "" if self._done is None else f" {self._done}"
            if self._done is not None and self._total is not None:
                count += f"/{self._total}"
            text = f" {self._text}" if self._text else ""
            line = f"{self._label}:{text}{count} ({seconds:.0f} s)"
            self._write("\r" + line + " " * max(self._shown - columns(line), 0))
            self._shown = columns(line)
            self._drawn_at = time.monotonic()

    def _wipe(self) -> None:
        if self._shown:
            self._write("\r" + " " * self._shown + "\r")
            self._shown = 0

    def _write(self, text: str) -> None:
        if self._stream is None:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # the terminal went away: the work goes on regardless
            self._stop.set()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False
