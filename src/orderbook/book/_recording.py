"""The workflow a book file records: which one a book runs, and recording it.

A store keeps the workflow of its book as a setting (:func:`orderbook.workflow.record.
workflow_data`). Opened without a workflow, a book runs the one recorded (the standard preset
where none is). Opened with one, the book runs it if it is the one recorded, or if it keeps
every status its orders are in: an admin adding a status of their own, as Mangrove allows.
The first command that writes records it, with an event; any other workflow is refused,
naming both.
"""

from __future__ import annotations

from orderbook.book._session import Session
from orderbook.errors import OrderbookError
from orderbook.events import EventKind, WorkflowChanged, WorkflowRecorded
from orderbook.model import Order
from orderbook.store import Store
from orderbook.workflow import Workflow, presets
from orderbook.workflow.record import upgrade, workflow_data, workflow_from_data

WORKFLOW = "workflow"
"""The name of the setting that holds the book's workflow."""


def records(recorded: object, workflow: Workflow) -> bool:
    """Whether ``recorded`` (a store's setting) records ``workflow``, in the current format
    or an older one."""
    data = workflow_data(workflow)
    if recorded == data:
        return True
    if not isinstance(recorded, dict):
        return False
    try:
        return upgrade(recorded) == data
    except OrderbookError:
        return False


def running(store: Store, given: Workflow | None) -> tuple[Workflow, EventKind | None]:
    """The workflow a book on ``store`` runs, and the event that records it on the first
    command that writes: WorkflowRecorded (none was), WorkflowChanged, or None (already).

    Raises:
        OrderbookError: the store records another workflow, and ``given`` lacks a status its
            orders are in; or the one recorded has functions of the application's own and
            none was given.
    """
    recorded = store.setting(WORKFLOW)
    if recorded is None:
        return (presets.standard() if given is None else given), EventKind.WORKFLOW_RECORDED
    if not isinstance(recorded, dict):
        raise OrderbookError(f"the book's recorded workflow is not a workflow: {recorded!r}")
    if given is None:
        return workflow_from_data(recorded), None
    if records(recorded, given):
        return given, None
    in_use = {order.status for order in store.records(Order)}
    missing = sorted(in_use - set(given.codes))
    if missing:
        raise OrderbookError(
            f"the book was made with workflow {recorded.get('name')!r}, and workflow "
            f"{given.name!r} lacks statuses its orders are in: {', '.join(missing)}"
        )
    return given, EventKind.WORKFLOW_CHANGED


def record(session: Session, kind: EventKind) -> None:
    """Record the session's workflow in its store, with an event of ``kind``, unless another
    book on the store has recorded this very workflow since this one was opened."""
    data = workflow_data(session.wf)
    if session.store.setting(WORKFLOW) == data:
        return
    session.store.put_setting(WORKFLOW, data)
    made = WorkflowRecorded if kind is EventKind.WORKFLOW_RECORDED else WorkflowChanged
    session.emit(made(name=session.wf.name, workflow=data))
