"""Where the command line writes: a file, a directory, a zip archive, or standard output.

``-o -`` means standard output wherever ``-o`` exists. ``export -o`` takes a directory (one
CSV file per table), a ``.zip`` archive of those files or a ``.csv`` file of one table, and
refuses any other name rather than guess: ``file.txt`` is not made into a directory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, TextIO

from orderbook.errors import OrderbookError

__all__ = ["Target", "csv_text", "export_target", "is_stdout", "is_terminal", "write_bytes",
           "write_tables"]  # fmt: skip

Target = Literal["stdout", "directory", "zip", "csv"]
"""What ``export -o`` names."""


def is_stdout(path: Path | None) -> bool:
    """Whether ``-o`` names standard output (``-o -``)."""
    return path is not None and str(path) == "-"


def is_terminal(stream: TextIO) -> bool:
    """Whether the stream is a terminal (False for anything that cannot say)."""
    try:
        return stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False


def write_bytes(out: TextIO, data: bytes) -> None:
    """Write bytes to a text stream's binary buffer (as text, if it has none)."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", errors="surrogateescape"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


def export_target(target: Path | None) -> Target:
    """What ``export -o`` names, checked before any work is done.

    An existing directory is a directory, whatever its name; a new name with no suffix
    becomes one. A name ending in ``.zip`` or ``.csv`` is that file.

    Raises:
        OrderbookError: the name is an existing file, or a new name with another suffix.
    """
    if target is None or is_stdout(target):
        return "stdout"
    if target.is_dir():
        return "directory"
    suffix = target.suffix.lower()
    if suffix == ".zip":
        return "zip"
    if suffix == ".csv":
        return "csv"
    if target.exists():
        raise OrderbookError(
            f"{target} is a file: export -o takes a directory, a .zip or a .csv file, or -"
        )
    if suffix:
        raise OrderbookError(
            f"{target}: export -o takes a directory, a .zip or a .csv file, or -; "
            f"to export into a directory named {target.name!r}, make it first"
        )
    return "directory"


def csv_text(rows: Sequence[Mapping[str, object]]) -> tuple[str, int]:
    """The rows as the text of a CSV file, and how many there are."""
    from orderbook.export import to_csv

    buffer = io.StringIO(newline="")
    count = to_csv(rows, buffer)
    return buffer.getvalue(), count


def write_tables(
    where: Target, target: Path | None, files: Mapping[str, tuple[str, int]], out: TextIO
) -> None:
    """Write CSV files (name to text and row count) where ``-o`` said, and say what went where.

    To standard output or a ``.csv`` file goes the one file given.
    """
    if where == "stdout" or target is None:
        out.write(next(iter(files.values()))[0])
        return
    if where == "csv":
        (name, (text, count)), *_ = files.items()
        target.write_text(text, encoding="utf-8", newline="")
        out.write(f"{name.removesuffix('.csv')}: {count} rows written to {target}\n")
        return
    if where == "zip":
        _write_zip(target, {name: text for name, (text, _) in files.items()})
        for name, (_, count) in files.items():
            out.write(f"{name.removesuffix('.csv')}: {count} rows written to {name} in {target}\n")
        out.write(f"{_files(files)} written to the zip archive {target}\n")
        return
    target.mkdir(exist_ok=True)
    for name, (text, count) in files.items():
        (target / name).write_text(text, encoding="utf-8", newline="")
        out.write(f"{name.removesuffix('.csv')}: {count} rows written to {target / name}\n")
    out.write(f"{_files(files)} written to the directory {target}\n")


def _write_zip(target: Path, files: Mapping[str, str]) -> None:
    """A zip of the files, the same bytes for the same files (their dates are fixed)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    target.write_bytes(data.getvalue())


def _files(files: Mapping[str, object]) -> str:
    return f"{len(files)} CSV file{'' if len(files) == 1 else 's'}"
