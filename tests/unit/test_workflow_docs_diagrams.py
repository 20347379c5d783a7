"""The diagrams in docs/workflow.md are exactly what the presets draw from their data."""

import ast
import re
from pathlib import Path

import pytest

from orderbook.workflow import Status, Transition, presets

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
DIAGRAM = re.compile(
    r"^### `presets\.(?P<name>\w+)\((?P<args>[^)]*)\)`\n\n```mermaid\n(?P<body>.*?)\n```$",
    re.MULTILINE | re.DOTALL,
)


def documented_diagrams():
    return [
        (match["name"], match["args"], match["body"])
        for match in DIAGRAM.finditer(DOC.read_text())
    ]


def build(name, args):
    call = ast.parse(f"f({args})", mode="eval").body
    assert isinstance(call, ast.Call)
    assert not call.args, "preset options are given by keyword in the docs"
    options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    return getattr(presets, name)(**options)


def test_every_preset_has_its_diagram_in_the_docs():
    assert {name for name, _, _ in documented_diagrams()} == set(presets.NAMES)


def test_every_mermaid_block_of_the_page_belongs_to_a_preset_heading():
    assert DOC.read_text().count("```mermaid") == len(documented_diagrams())


@pytest.mark.parametrize(
    ("name", "args", "body"), documented_diagrams(), ids=lambda value: str(value)[:40]
)
def test_each_documented_diagram_equals_what_its_preset_draws(name, args, body):
    assert body == build(name, args).to_mermaid()


def test_a_diagram_shows_every_status_transition_and_rule_of_its_workflow():
    for name in presets.NAMES:
        wf = presets.by_name(name)
        text = wf.to_mermaid()
        for status in wf.statuses:
            assert f'state "{status.label}" as {status.code}' in text
            assert (f"{status.code} --> [*]" in text) is status.terminal
        for transition in wf.transitions:
            for source in transition.source:
                assert f"{source} --> {transition.target}: {transition.name}" in text
        for rule in wf.rules:
            for source in rule.source:
                assert f"{source} --> {rule.target}: (auto) {rule.name}" in text
        assert text.splitlines()[2 + len(wf.statuses) - 1] == f"    [*] --> {wf.initial}"


def test_the_diagram_escapes_what_would_break_a_label():
    odd = presets.kafinea().with_status(
        Status("odd", 'Say "hi": #1'),
        transitions=[Transition(source="founded", target="odd", name="a: b")],
    )
    text = odd.to_mermaid()
    assert 'state "Say #quot;hi#quot;#58; #35;1" as odd' in text
    assert "founded --> odd: a#58; b" in text
