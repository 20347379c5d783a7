"""The checks a workflow passes at construction: every problem raises a ValidationError."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from orderbook.errors import ValidationError

if TYPE_CHECKING:
    from orderbook.workflow.engine import Workflow
    from orderbook.workflow.moves import Rule, Transition
    from orderbook.workflow.status import Status


def validate(workflow: Workflow) -> None:
    """Raise a ValidationError naming the first problem of ``workflow``, if it has one."""
    record = f"Workflow {workflow.name!r}"

    def fail(field: str, value: object, reason: str) -> ValidationError:
        return ValidationError(field, value, reason, record=record)

    if not workflow.statuses:
        raise fail("statuses", workflow.statuses, "must hold at least one status")
    by_code: dict[str, Status] = {}
    for index, status in enumerate(workflow.statuses):
        if status.code in by_code:
            raise fail(f"statuses[{index}].code", status.code, "is used by two statuses")
        by_code[status.code] = status
    known = f"must be one of {', '.join(by_code)}"

    if workflow.initial is None:
        raise fail("initial", None, "must name the status new orders start in")
    if workflow.initial not in by_code:
        raise fail("initial", workflow.initial, known)

    for field, code in _moves(workflow):
        if code not in by_code:
            raise fail(field, code, known)

    seen: dict[tuple[str, str], int] = {}
    for index, transition in enumerate(workflow.transitions):
        target = by_code[transition.target]
        if not target.manual:
            raise fail(
                f"transitions[{index}].target",
                transition.target,
                "is not a manual status: only an automatic rule may enter it",
            )
        for position, source in enumerate(transition.source):
            pair = (source, transition.target)
            if pair in seen:
                raise fail(
                    f"transitions[{index}].source[{position}]",
                    source,
                    f"already has a transition to {transition.target!r} "
                    f"(transitions[{seen[pair]}])",
                )
            seen[pair] = index

    for field, code in _moves(workflow, sources_only=True):
        if by_code[code].terminal:
            raise fail(field, code, "is terminal: a terminal status has no way out")

    cancelling = [(index, s.code) for index, s in enumerate(workflow.statuses) if s.cancels]
    if len(cancelling) > 1:
        (_, first), (index, second) = cancelling[:2]
        raise fail(
            f"statuses[{index}].cancels",
            True,
            f"only one status may cancel, and both {first!r} and {second!r} do",
        )
    for index, code in cancelling:
        if not any(transition.target == code for transition in workflow.transitions):
            raise fail(
                f"statuses[{index}].cancels",
                True,
                f"needs a transition into {code!r}: cancelling moves the order by hand",
            )

    for index, code in enumerate(workflow.settings.to_bill):
        if code not in by_code:
            raise fail(f"settings.to_bill[{index}]", code, known)

    reached = _reachable(workflow)
    for index, status in enumerate(workflow.statuses):
        if status.code not in reached:
            raise fail(
                f"statuses[{index}]",
                status.code,
                f"is unreachable from the initial status {workflow.initial!r}",
            )


def _moves(workflow: Workflow, *, sources_only: bool = False) -> Iterator[tuple[str, str]]:
    """Every status code that a transition or rule names, with the field that names it."""
    kinds: tuple[tuple[str, tuple[Transition | Rule, ...]], ...] = (
        ("transitions", workflow.transitions),
        ("rules", workflow.rules),
    )
    for kind, moves in kinds:
        for index, move in enumerate(moves):
            for position, source in enumerate(move.source):
                yield f"{kind}[{index}].source[{position}]", source
            if not sources_only:
                yield f"{kind}[{index}].target", move.target


def _reachable(workflow: Workflow) -> set[str]:
    edges: dict[str, set[str]] = {}
    moves: tuple[Transition | Rule, ...] = (*workflow.transitions, *workflow.rules)
    for move in moves:
        for source in move.source:
            edges.setdefault(source, set()).add(move.target)
    assert workflow.initial is not None
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        for target in edges.get(frontier.pop(), ()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    return reached
