"""The order workflow: statuses, transitions and automatic rules, as data.

A :class:`Workflow` states a company's order lifecycle; its methods move orders through it
purely (order and facts in, a new order and history entries out). Ready-made workflows for
the source products are in :mod:`orderbook.workflow.presets`.
"""

from orderbook.workflow import presets
from orderbook.workflow.cancelling import cancel_target
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import Acceptance, Fulfilment, OrderFacts, Production, Progress
from orderbook.workflow.guards import (
    AllOf,
    all_of,
    fully_billed,
    fully_paid,
    fully_shipped,
    no_exception,
    nothing_shipped,
)
from orderbook.workflow.history import Choices, History, HistoryEntry, Refusal
from orderbook.workflow.locks import FINALIZED_MAY_CHANGE, finalize
from orderbook.workflow.moves import Condition, Guard, Rule, Transition
from orderbook.workflow.status import InvoiceMethod, Settings, Status

__all__ = [
    # Facts
    "Acceptance",
    "Fulfilment",
    "OrderFacts",
    "Production",
    "Progress",
    # Workflow as data
    "InvoiceMethod",
    "Rule",
    "Settings",
    "Status",
    "Transition",
    "Workflow",
    # Guards and conditions
    "AllOf",
    "Condition",
    "Guard",
    "all_of",
    "fully_billed",
    "fully_paid",
    "fully_shipped",
    "no_exception",
    "nothing_shipped",
    # Results
    "Choices",
    "History",
    "HistoryEntry",
    "Refusal",
    # Finalize and cancel
    "FINALIZED_MAY_CHANGE",
    "cancel_target",
    "finalize",
    # Presets
    "presets",
]
