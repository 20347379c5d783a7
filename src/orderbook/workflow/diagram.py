"""Draw a workflow as a Mermaid ``stateDiagram-v2``, from its data alone.

The output is deterministic: statuses in the workflow's order, then the transitions and the
rules in theirs, one arrow per source. Automatic rules are labelled ``(auto) ...``; statuses
no person may pick are styled ``automatic``, and terminal statuses lead to ``[*]``.

>>> from orderbook.workflow.engine import Workflow
>>> from orderbook.workflow.moves import Transition
>>> from orderbook.workflow.status import Status
>>> wf = Workflow(
...     name="tiny",
...     statuses=[Status("open", "Open"), Status("closed", "Closed", terminal=True)],
...     initial="open",
...     transitions=[Transition(source="open", target="closed", name="close")],
... )
>>> print(mermaid(wf))
stateDiagram-v2
    state "Open" as open
    state "Closed" as closed
    [*] --> open
    open --> closed: close
    closed --> [*]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orderbook.workflow.engine import Workflow

__all__ = ["mermaid"]

_INDENT = "    "


def _text(value: str) -> str:
    """Escape what would end a Mermaid label early."""
    return value.replace("#", "#35;").replace('"', "#quot;").replace(":", "#58;")


def mermaid(workflow: Workflow) -> str:
    """Return the Mermaid ``stateDiagram-v2`` source of ``workflow``, without a final newline.

    Args:
        workflow: the workflow to draw.

    Returns:
        The diagram's source text.
    """
    lines = ["stateDiagram-v2"]
    lines += [f'state "{_text(s.label)}" as {s.code}' for s in workflow.statuses]
    lines.append(f"[*] --> {workflow.initial}")
    for transition in workflow.transitions:
        label = f": {_text(transition.name)}" if transition.name else ""
        lines += [f"{source} --> {transition.target}{label}" for source in transition.source]
    for rule in workflow.rules:
        lines += [
            f"{source} --> {rule.target}: (auto) {_text(rule.name)}" for source in rule.source
        ]
    lines += [f"{s.code} --> [*]" for s in workflow.statuses if s.terminal]
    automatic = [s.code for s in workflow.statuses if not s.manual]
    if automatic:
        lines.append("classDef automatic font-style:italic")
        lines.append(f"class {', '.join(automatic)} automatic")
    return "\n".join([lines[0], *(_INDENT + line for line in lines[1:])])
