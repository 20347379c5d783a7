"""docs/reference.md lists every public name, grouped as `orderbook.__all__` is, and is current."""

import importlib.util
from pathlib import Path

import orderbook
import orderbook.commands

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference.md"


def load_script():
    spec = importlib.util.spec_from_file_location(
        "reference_script", ROOT / "scripts" / "reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_page_is_what_the_script_writes_from_the_docstrings():
    assert PAGE.read_text(encoding="utf-8") == load_script().page(), (
        "docs/reference.md is out of date: run python scripts/reference.py"
    )


def test_all_is_grouped_into_at_most_twelve_topics_that_hold_every_name_once():
    topics = load_script().groups()
    assert 1 < len(topics) <= 12
    assert all(names for _, names in topics)
    assert [name for _, names in topics for name in names] == list(orderbook.__all__)


def test_every_public_name_and_every_command_has_a_row_with_a_summary():
    rows = {
        line.split("`")[1]: line.rsplit("|", 2)[1].strip()
        for line in PAGE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == set(orderbook.__all__) | set(orderbook.commands.__all__)
    assert all(rows.values())
    assert rows["Money"] == "An exact amount of one currency."
    assert rows["Ship"].startswith("Ship quantities of an order's lines")


def test_the_index_links_the_reference():
    assert "(reference.md)" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
