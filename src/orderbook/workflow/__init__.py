"""The order workflow: statuses, transitions and automatic rules, as data."""

from orderbook.workflow.facts import Acceptance, Fulfilment, OrderFacts, Production, Progress

__all__ = ["Acceptance", "Fulfilment", "OrderFacts", "Production", "Progress"]
