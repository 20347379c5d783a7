"""A workflow as plain data, so a book file can record the workflow it was made with.

Statuses, transitions, rules and settings are data already. Guards and rule conditions are
functions: a function of orderbook (a ready-made guard, a preset's condition) is recorded by
its name and found again by it; :class:`~orderbook.workflow.AllOf` is recorded as the names
it combines. A function of the application's own is recorded by name too, but only to be
named: such a workflow cannot be rebuilt from the file, and must be given when the book is
opened. Nothing is ever imported from outside orderbook while reading.

>>> from orderbook.workflow import presets
>>> data = workflow_data(presets.mangrove())
>>> data["name"], data["transitions"][1]["guard"]
('mangrove', {'function': 'orderbook.workflow.guards:nothing_shipped'})
>>> workflow_from_data(data) == presets.mangrove()
True

A record of an older format still loads: :func:`upgrade` brings it to the current one.
Format 1 had no ``cancels`` flag; the status its cancel transition enters gets it:

>>> old = {**data, "format": 1, "statuses": [
...     {k: v for k, v in status.items() if k != "cancels"} for status in data["statuses"]]}
>>> [s["code"] for s in upgrade(old)["statuses"] if s["cancels"]]
['cancelled']
>>> upgrade(old) == data
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from orderbook.billing.taxes import TaxRule, TaxRules
from orderbook.errors import OrderbookError, ValidationError
from orderbook.workflow.counting import CountingRules
from orderbook.workflow.engine import Workflow
from orderbook.workflow.guards import AllOf
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["FORMAT", "same_workflow", "upgrade", "workflow_data", "workflow_from_data"]

FORMAT = 2
"""The version of the data's layout, recorded with it (2 added the ``cancels`` flag)."""

# Before the ``cancels`` flag, the book cancelled by a transition named "cancel" or into a
# status of one of these codes: an older record's status found so gets the flag.
_CANCEL_NAME = "cancel"
_CANCELLED_CODES = ("cancelled", "canceled")

_OURS = "orderbook."
_STATUS_FIELDS = tuple(field.name for field in attrs.fields(Status))


def workflow_data(workflow: Workflow) -> dict[str, Any]:
    """Return the workflow as plain data (what JSON holds), functions by their names.

    Raises:
        ValidationError: ``workflow`` is not a Workflow.
    """
    if not isinstance(workflow, Workflow):
        raise ValidationError("workflow", workflow, "must be a Workflow")
    settings = workflow.settings
    counting = settings.counting
    return {
        "format": FORMAT,
        "name": workflow.name,
        "initial": workflow.initial,
        "statuses": [
            {name: getattr(status, name) for name in _STATUS_FIELDS}
            for status in workflow.statuses
        ],
        "transitions": [
            {
                "source": list(move.source),
                "target": move.target,
                "name": move.name,
                "guard": None if move.guard is None else _function(move.guard),
            }
            for move in workflow.transitions
        ],
        "rules": [
            {
                "source": list(rule.source),
                "target": rule.target,
                "name": rule.name,
                "when": _function(rule.when),
            }
            for rule in workflow.rules
        ],
        "settings": {
            "allocate_on_place": settings.allocate_on_place,
            "require_availability": settings.require_availability,
            "invoice_method": settings.invoice_method.value,
            "to_bill": list(settings.to_bill),
            "visible_once_finalized": settings.visible_once_finalized,
            "counting": {
                "kinds": sorted(kind.value for kind in counting.kinds),
                "statuses": sorted(status.value for status in counting.statuses),
                "payments": counting.payments.value,
                "tolerance": str(counting.tolerance),
                "tax_rounding": counting.tax_rounding.value,
                "labels": dict(counting.labels),
            },
            "tax_rules": [
                {
                    "region": rule.region,
                    "category": rule.category,
                    "rate": str(rule.rate),
                    "vat_category": rule.vat_category,
                    "exemption_reason": rule.exemption_reason,
                    "exemption_code": rule.exemption_code,
                }
                for rule in settings.tax_rules.rates
            ],
        },
    }


def same_workflow(one: Workflow, other: Workflow) -> bool:
    """Whether two workflows record alike: the same data and the same functions by name."""
    return workflow_data(one) == workflow_data(other)


def _function(value: Callable[..., object]) -> dict[str, Any]:
    if isinstance(value, AllOf):
        return {"all_of": [_function(guard) for guard in value.guards]}
    module = getattr(value, "__module__", None) or ""
    qualname = getattr(value, "__qualname__", None) or type(value).__qualname__
    name = f"{module}:{qualname}"
    if module.startswith(_OURS) and _resolve(name) is value:
        return {"function": name}
    return {"custom": name}


def _resolve(name: str) -> object:
    """The function of orderbook recorded under ``name``, or None."""
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(_OURS) or not qualname or "<" in qualname:
        return None
    try:
        found: object = importlib.import_module(module_name)
    except ImportError:
        return None
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found if callable(found) else None


def workflow_from_data(data: Mapping[str, Any]) -> Workflow:
    """Rebuild a workflow from :func:`workflow_data`, of this or an older format
    (see :func:`upgrade`).

    Raises:
        OrderbookError: the data is not a recorded workflow, or it names a function that is
            not orderbook's (the application's own): then the workflow must be given.
    """
    try:
        return _build(data)
    except OrderbookError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise OrderbookError(f"the recorded workflow cannot be read: {error}") from None


def upgrade(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a recorded workflow in the current :data:`FORMAT`; a current one as it is.

    Format 1 had no ``cancels`` flag: the book cancelled by the first transition named
    ``"cancel"`` or into a status coded ``"cancelled"`` or ``"canceled"``. Upgraded, the
    status that transition enters cancels, and no other does.

    Raises:
        OrderbookError: the data is not a recorded workflow of a known format.
    """
    try:
        return _upgrade(data)
    except OrderbookError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise OrderbookError(f"the recorded workflow cannot be read: {error}") from None


def _upgrade(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise OrderbookError(f"the recorded workflow is not a workflow: {data!r}")
    found = data.get("format")
    if found == FORMAT:
        return dict(data)
    if found != 1:
        raise OrderbookError(f"the recorded workflow is of format {found!r}, not {FORMAT}")
    cancelling = next(
        (
            move["target"]
            for move in data["transitions"]
            if move["name"] == _CANCEL_NAME or move["target"] in _CANCELLED_CODES
        ),
        None,
    )
    statuses = [{**status, "cancels": status["code"] == cancelling} for status in data["statuses"]]
    return {**data, "format": FORMAT, "statuses": statuses}


def _build(data: Mapping[str, Any]) -> Workflow:
    data = _upgrade(data)
    name = data["name"]

    def function(value: Mapping[str, Any]) -> Any:
        if "all_of" in value:
            return AllOf(tuple(function(item) for item in value["all_of"]))
        if "custom" in value:
            raise OrderbookError(
                f"the book's workflow {name!r} has a function of its own, {value['custom']}:"
                " give the workflow when opening the book"
            )
        found = _resolve(value["function"])
        if found is None:
            raise OrderbookError(f"the recorded workflow names no function {value['function']}")
        return found

    settings = data["settings"]
    counting = settings["counting"]
    return Workflow(
        name=name,
        initial=data["initial"],
        statuses=[Status(**status) for status in data["statuses"]],
        transitions=[
            Transition(
                source=move["source"],
                target=move["target"],
                name=move["name"],
                guard=None if move["guard"] is None else function(move["guard"]),
            )
            for move in data["transitions"]
        ],
        rules=[
            Rule(
                source=rule["source"],
                target=rule["target"],
                name=rule["name"],
                when=function(rule["when"]),
            )
            for rule in data["rules"]
        ],
        settings=Settings(
            allocate_on_place=settings["allocate_on_place"],
            require_availability=settings["require_availability"],
            invoice_method=settings["invoice_method"],
            to_bill=settings["to_bill"],
            visible_once_finalized=settings["visible_once_finalized"],
            counting=CountingRules(
                kinds=counting["kinds"],
                statuses=counting["statuses"],
                payments=counting["payments"],
                tolerance=Decimal(counting["tolerance"]),
                tax_rounding=counting["tax_rounding"],
                labels=counting["labels"],
            ),
            tax_rules=TaxRules(
                rates=[
                    TaxRule(
                        region=r["region"],
                        category=r["category"],
                        rate=r["rate"],
                        # Recorded before rules had VAT categories: the default category.
                        **{
                            name: r[name]
                            for name in ("vat_category", "exemption_reason", "exemption_code")
                            if name in r
                        },
                    )
                    for r in cast(list[Mapping[str, Any]], settings["tax_rules"])
                ]
            ),
        ),
    )
