"""Screenshots of the notebook views, for the docs: ``python docs/screenshots.py OUTDIR``.

It builds the demo book (:mod:`orderbook.book.demo`), writes each view as an HTML page in
OUTDIR, and, when headless Chromium is installed, a PNG of each page next to it. Neither the
test suite nor CI runs it (docs/conftest.py keeps pytest from collecting it).

Chromium: ``apt-get install chromium`` on Debian or Ubuntu, ``brew install --cask chromium``
on macOS; or point the ``CHROMIUM`` environment variable at any Chrome or Chromium binary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from orderbook.book import OrderBook
from orderbook.book.demo import demo_clock, demo_ids, run
from orderbook.commands import Allocate, ChangeStatus, PlaceOrder
from orderbook.model import OrderLine
from orderbook.money import Money

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{name}</title></head>
<body style="margin: 12px; background: #ffffff">{view}</body></html>
"""


def views(book: OrderBook) -> dict[str, str]:
    """Every view of the demo book, by a file name."""
    rush = OrderLine(id="l1", sku="GEARBOX", quantity=8, unit_price=Money("410.00", "USD"))
    simulation = book.simulate(
        [
            PlaceOrder(customer_id="globex", order_id="rush", priority=9, lines=[rush]),
            ChangeStatus(order_id="rush", to="confirmed"),
            Allocate(order_id="rush"),
        ]
    )
    first = book.orders()[0].id
    return {
        "dashboard": book._repr_html_(),
        "summary": book.summary(first)._repr_html_(),
        "history": book.history(first)._repr_html_(),
        "lines": book.lines()._repr_html_(),
        "lots": book.lots("MANGROVE-A")._repr_html_(),
        "simulation": simulation._repr_html_(),
        "outcome": simulation.outcomes[0]._repr_html_(),
    }


def chromium() -> str | None:
    """The Chromium (or Chrome) binary to use, or None."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def main(argv: list[str] | None = None) -> int:
    """Write the pages, and their screenshots when Chromium is there."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="where the pages and PNGs go")
    parser.add_argument("--width", type=int, default=1100)
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    book = OrderBook(clock=demo_clock(), id_factory=demo_ids())
    run(book)
    browser = chromium()
    if browser is None:
        print("no Chromium found: writing the HTML pages only. Install it with")
        print("  apt-get install chromium   (Debian, Ubuntu)")
        print("or set CHROMIUM to a Chrome or Chromium binary, then run this again.")
    for name, markup in views(book).items():
        page = args.outdir / f"{name}.html"
        page.write_text(_PAGE.format(name=name, view=markup), encoding="utf-8")
        if browser is None:
            continue
        shot = args.outdir / f"{name}.png"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={args.width},900", f"--screenshot={shot.resolve()}",
             page.resolve().as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
