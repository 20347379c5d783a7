"""No module imports a private module or name of a subpackage it is not part of.

A subpackage of orderbook (``store``, ``billing``, ``documents`` ...) keeps its private
modules and names to itself: a module outside it imports what its ``__init__`` (or a
public module of it) exports. The private modules at the top of the package
(``orderbook._fields``, shared validators) are the package's own, which every module is part
of. The test parses every module under ``src/orderbook`` with ``ast``.
"""

import ast
from pathlib import Path

import orderbook

ROOT = Path(orderbook.__file__).parent

# (importing module, imported name) left for now; none are.
ALLOWED: set[tuple[str, str]] = set()


def module_name(path):
    parts = ["orderbook", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(dotted):
    return (ROOT.parent.joinpath(*dotted.split("."), "__init__.py")).exists()


def private(part):
    return part.startswith("_") and not part.startswith("__")


def owner(dotted):
    """The package that owns the first private part of ``dotted``, or None if none is."""
    parts = dotted.split(".")
    for index, part in enumerate(parts):
        if private(part):
            home = ".".join(parts[:index])
            return home if is_package(home) else home.rpartition(".")[0]
    return None


def imported(tree, module):
    """Every name a module imports, dotted in full (``orderbook.store._base.Criteria``)."""
    package = module if is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def crossings():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported(tree, module):
            if not name.startswith("orderbook."):
                continue
            home = owner(name)
            if home is None or home == "orderbook":
                continue
            if module == home or module.startswith(home + "."):
                continue
            found.append((module, name, line))
    return found


def test_no_module_imports_a_private_name_of_a_subpackage_it_is_not_in():
    bad = [
        f"{module}:{line} imports {name}"
        for module, name, line in crossings()
        if (module, name) not in ALLOWED
    ]
    assert bad == []


def test_each_allowed_exception_is_still_needed():
    assert {(module, name) for module, name, _ in crossings()} >= ALLOWED


def test_the_rule_sees_private_modules_and_names_but_not_the_packages_own():
    assert owner("orderbook.store._base.Criteria") == "orderbook.store"
    assert owner("orderbook.billing._due.due_on") == "orderbook.billing"
    assert owner("orderbook.documents.build._check") == "orderbook.documents"
    assert owner("orderbook._fields.boolean") == "orderbook"
    assert owner("orderbook.store.Criteria") is None
    tree = ast.parse("from ._base import Criteria\nimport orderbook.store._text")
    assert list(imported(tree, "orderbook.store.memory")) == [
        (1, "orderbook.store._base.Criteria"),
        (2, "orderbook.store._text"),
    ]
