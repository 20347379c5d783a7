"""The checks of the book's own arguments: its options, and the commands it simulates.

>>> check_options({"workflow": 42})
Traceback (most recent call last):
...
orderbook.errors.ValidationError: workflow must be a Workflow, got 42
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from orderbook.allocation import Policy
from orderbook.book._handlers import HANDLERS
from orderbook.clock import Clock
from orderbook.commands import Command
from orderbook.errors import ValidationError
from orderbook.workflow import Workflow

__all__ = ["check_options", "commands_arg"]


def check_options(options: Mapping[str, object]) -> None:
    """Refuse an option of the book that it does not take, or that is not of its kind (an
    option not given takes its default, which is)."""
    unknown = sorted(set(options) - set(_KINDS))
    if unknown:
        reason = f"is not an option of the book, which takes {', '.join(_KINDS)}"
        raise ValidationError(unknown[0], options[unknown[0]], reason)
    for name, value in options.items():
        kind, reason = _KINDS[name]
        if not (callable(value) if kind is None else isinstance(value, kind)):
            raise ValidationError(name, value, reason)


# Each option's kind (None: any callable) and what the error says it must be.
_KINDS: dict[str, tuple[type[object] | None, str]] = {
    "clock": (Clock, "must have a now() method"),
    "id_factory": (None, "must be a callable returning ids"),
    "policy": (Policy, "must be a Policy"),
    "workflow": (Workflow, "must be a Workflow"),
}


def commands_arg(commands: object) -> list[Command]:
    """The commands to simulate, checked: an iterable of commands, not a single one."""
    if isinstance(commands, str | bytes | Mapping) or not isinstance(commands, Iterable):
        raise ValidationError("commands", commands, "must be an iterable of commands")
    found = list(commands)
    for index, command in enumerate(found):
        if type(command) not in HANDLERS:
            reason = "must be a command of orderbook.commands"
            raise ValidationError(f"commands[{index}]", command, reason)
    return found
