"""Write ``docs/reference.md``: every public name of orderbook with its one-line summary.

The names and their topics come from ``orderbook.__all__``, grouped by the comments that head
its parts in ``src/orderbook/__init__.py`` (a topic's title ends before any parenthesis); the
commands, whose home is ``orderbook.commands``, follow in a section of their own. A summary
is the first paragraph of the name's docstring (for a constant or a type alias, the string
written under its assignment). The page is deterministic: the same source writes the same
bytes.

    python scripts/reference.py          # rewrite docs/reference.md
    python scripts/reference.py --check  # exit 1 if the page is not current
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import itertools
import re
import sys
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "orderbook"
PAGE = ROOT / "docs" / "reference.md"

INTRO = """\
# Reference

Every public name of `orderbook`, with the first paragraph of its docstring, grouped as
`orderbook.__all__` is. `from orderbook import NAME` imports each of them; the commands that
`OrderBook.execute` takes live in `orderbook.commands`, listed in [their own
section](#commands-orderbookcommands). `help(NAME)` prints the whole docstring, with its
arguments and an example; the [guide](index.md) shows them at work.

This page is written by `python scripts/reference.py` from the docstrings: edit those, not
the page. A test checks that it is current.
"""


def groups(init: Path = PACKAGE / "__init__.py") -> list[tuple[str, list[str]]]:
    """The topics of ``__all__`` and their names, in order, read from its comments."""
    source = init.read_text(encoding="utf-8")
    body = re.search(r"^__all__ = \[\n(.*?)^\]", source, re.MULTILINE | re.DOTALL)
    if body is None:
        raise SystemExit(f"{init}: no __all__ list")
    topics: list[tuple[str, list[str]]] = []
    for line in body.group(1).splitlines():
        text = line.strip()
        if text.startswith("#"):
            topics.append((text.lstrip("# ").split(" (")[0], []))
        elif text:
            if not topics:
                raise SystemExit(f"{init}: __all__ must start with a topic comment")
            topics[-1][1].append(ast.literal_eval(text.rstrip(",")))
    return topics


def _attribute_docstrings() -> dict[str, dict[str, str]]:
    """The docstrings written under module-level assignments, by module, then by name."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        body = ast.parse(path.read_text(encoding="utf-8")).body
        for statement, after in itertools.pairwise(body):
            target = None
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
            elif isinstance(statement, ast.AnnAssign):
                target = statement.target
            if (
                isinstance(target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                found.setdefault(module, {})[target.id] = inspect.cleandoc(after.value.value)
    return found


def _is_definition(value: object) -> bool:
    return inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value)


def kind(value: object) -> str:
    """What a public name is: a class, a function, a module, a type or a value."""
    if inspect.isclass(value):
        return "class"
    if inspect.isroutine(value):
        return "function"
    if inspect.ismodule(value):
        return "module"
    if typing.get_origin(value) is not None:
        return "type"
    return "value"


def summary(name: str, value: object, attributes: dict[str, dict[str, str]]) -> str:
    """The first paragraph of the docstring of ``name``, on one line."""
    doc = inspect.getdoc(value) if _is_definition(value) else None
    if doc is None:
        for module in sorted(attributes):
            if name in attributes[module] and _defines(module, name, value):
                doc = attributes[module][name]
                break
    if not doc:
        raise SystemExit(f"{name} has no docstring")
    first = " ".join(doc.split("\n\n")[0].split())
    # Docstrings are reStructuredText: ``code`` and :role:`name` read as Markdown code.
    first = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", first).replace("``", "`")
    return first.replace("|", "\\|")


def _defines(module: str, name: str, value: object) -> bool:
    return getattr(importlib.import_module(module), name, None) is value


def _anchor(title: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rule)."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _section(
    title: str, module: object, names: list[str], attributes: dict[str, dict[str, str]]
) -> str:
    rows = [
        f"| `{name}` | {kind(getattr(module, name))} "
        f"| {summary(name, getattr(module, name), attributes)} |"
        for name in names
    ]
    return "\n".join(
        [f"## {title}", "", "| Name | Kind | Summary |", "| --- | --- | --- |", *rows]
    )


def page() -> str:
    """The whole reference page, as it should be on disk."""
    import orderbook
    import orderbook.commands

    topics = groups()
    listed = [name for _, names in topics for name in names]
    if listed != list(orderbook.__all__):
        raise SystemExit("the comments of orderbook.__all__ do not match its names")
    attributes = _attribute_docstrings()
    commands = ("Commands (`orderbook.commands`)", list(orderbook.commands.__all__))
    contents = [f"- [{title}](#{_anchor(title)})" for title, _ in [*topics, commands]]
    sections = [_section(title, orderbook, names, attributes) for title, names in topics]
    sections.append(_section(commands[0], orderbook.commands, commands[1], attributes))
    return "\n\n".join([INTRO.rstrip(), "\n".join(contents), *sections]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args(argv)
    fresh = page()
    if args.check:
        current = PAGE.is_file() and PAGE.read_text(encoding="utf-8") == fresh
        print(f"{PAGE.name}: {'current' if current else 'out of date'}")
        return 0 if current else 1
    PAGE.write_text(fresh, encoding="utf-8")
    print(f"{PAGE.name}: {fresh.count('| `')} names written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
