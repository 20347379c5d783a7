"""HTML views for notebooks (``_repr_html_``) of the book, its answers and the core's values.

Each domain class's ``_repr_html_`` delegates here: :class:`~orderbook.rollup.OrderSummary`,
:class:`~orderbook.book.Outcome`, :class:`~orderbook.book.Simulation`,
:class:`~orderbook.allocation.AllocationPlan`, the lists the book's queries return
(:class:`~orderbook.book.LotList`, :class:`~orderbook.book.LineList`,
:class:`~orderbook.workflow.History`) and :class:`~orderbook.book.OrderBook` itself, as a
dashboard. Every view is one well-formed XML element with its own scoped style; nothing here
writes to a store (the dashboard reads the book's clock for its day). See docs/views.md.
"""

from orderbook.views.book import (
    Dashboard,
    dashboard,
    dashboard_html,
    outcome_html,
    simulation_html,
)
from orderbook.views.orders import history_html, lines_html, summary_html
from orderbook.views.stock import lots_html, plan_html, plan_repr

__all__ = [
    "Dashboard",
    "dashboard",
    "dashboard_html",
    "history_html",
    "lines_html",
    "lots_html",
    "outcome_html",
    "plan_html",
    "plan_repr",
    "simulation_html",
    "summary_html",
]
