"""Every public command and query of the book is called in an example that the docs run.

The pages in docs/ run as doctests, so a method called in one of their ``>>>`` or ``...``
lines is shown working. A call counts only on a book: a name the same page binds to
``OrderBook(...)``, ``OrderBook.open(...)`` or ``make_book(...)`` (or ``OrderBook`` itself),
so ``wf.settle(...)`` or ``data.get(...)`` does not stand in for the book's own.
"""

import inspect
import re
from pathlib import Path

from orderbook.book import OrderBook

DOCS = Path(__file__).resolve().parents[2] / "docs"
_BOUND = re.compile(r"(?:^|[\s(])(?P<name>\w+)\s*=\s*(?:OrderBook|make_book)\s*[.(]")
_OPENED = re.compile(r"\bOrderBook\.open\(.*\)\s+as\s+(?P<name>\w+)\s*:")


def example_lines(page: Path) -> list[str]:
    """The code of a page's examples: its ``>>>`` and ``...`` lines."""
    return [
        line.strip()[4:]
        for line in page.read_text().splitlines()
        if line.strip().startswith((">>> ", "... "))
    ]


def book_names(lines: list[str]) -> set[str]:
    """The names a page's examples give to books, and the class itself."""
    names = {"OrderBook"}
    for line in lines:
        names.update(match["name"] for match in _BOUND.finditer(line))
        names.update(match["name"] for match in _OPENED.finditer(line))
    return names


def calls_on_books() -> list[str]:
    """Every ``<book>.<name>(`` of the docs' examples, as ``name``, page by page."""
    called = []
    for page in sorted(DOCS.glob("*.md")):
        lines = example_lines(page)
        receivers = "|".join(re.escape(name) for name in sorted(book_names(lines)))
        call = re.compile(rf"\b(?:{receivers})\.(?P<method>\w+)\(")
        called.extend(match["method"] for line in lines for match in call.finditer(line))
    return called


def public_methods() -> list[str]:
    return sorted(
        name
        for name, value in inspect.getmembers(OrderBook)
        if not name.startswith("_") and callable(value)
    )


def test_a_page_knows_the_books_its_examples_make():
    lines = [
        "book = OrderBook(clock=clock)",
        "with OrderBook.open(db) as demo:",
        "shop = make_book(orders=2)",
        "wf = presets.standard()",
    ]
    assert book_names(lines) == {"OrderBook", "book", "demo", "shop"}


def test_the_book_has_the_methods_the_check_walks():
    methods = public_methods()
    assert {"place_order", "ship", "summary", "open", "batch", "execute"} <= set(methods)
    assert not [name for name in methods if name.startswith("_")]


def test_every_public_method_of_the_book_is_called_in_a_docs_example():
    called = set(calls_on_books())
    missing = [name for name in public_methods() if name not in called]
    assert not missing, f"no example in docs/*.md calls these methods of the book: {missing}"
