"""What a command did: its events, the records it wrote and deleted, the moves and plans.
The first command that writes to a book also records the book's workflow, in an event of its
own.

>>> from orderbook.book import OrderBook
>>> from orderbook import Customer
>>> from orderbook.commands import SaveCustomer
>>> outcome = OrderBook().execute(SaveCustomer(Customer(id="acme", name="AcmeCorp",
...                                                     currency="EUR")))
>>> [event.kind for event in outcome.events], outcome.record(Customer).version
(['WorkflowRecorded', 'CustomerSaved'], 1)
"""

from __future__ import annotations

import attrs

from orderbook.allocation import AllocationPlan
from orderbook.errors import NotFound
from orderbook.store import StoredEvent
from orderbook.store.protocol import R, Record, kind_of
from orderbook.workflow import HistoryEntry

__all__ = ["Outcome"]


@attrs.frozen(kw_only=True)
class Outcome:
    """The result of :meth:`OrderBook.execute`.

    Args:
        command: the command executed.
        events: the events it appended, in order.
        written: the records it saved, as saved (the last version of each), in write order.
        deleted: the records it deleted.
        moves: the status moves it made, by hand and automatic, in order.
        plans: the allocation plans it made and saved.
        primary: the record the command was about (the order placed, the shipment, the
            invoice, the payment, ...), or None.
    """

    command: object
    events: tuple[StoredEvent, ...]
    written: tuple[Record, ...]
    deleted: tuple[Record, ...]
    moves: tuple[HistoryEntry, ...]
    plans: tuple[AllocationPlan, ...]
    primary: Record | None

    def __repr__(self) -> str:
        about = f" {self.primary.id!r}," if self.primary is not None else ""
        events, moves = len(self.events), len(self.moves)
        return (
            f"Outcome({type(self.command).__name__},{about} {events} event{_s(events)}, "
            f"{len(self.written)} written, {len(self.deleted)} deleted, {moves} move{_s(moves)})"
        )

    def _repr_html_(self) -> str:
        from orderbook.views import outcome_html

        return outcome_html(self)

    @property
    def plan(self) -> AllocationPlan | None:
        """The last allocation plan the command made, or None."""
        return self.plans[-1] if self.plans else None

    def record(self, kind: type[R]) -> R:
        """The record of that kind the command was about, as it now stands.

        That is the primary record when it is of that kind, else the first one of that kind
        the command wrote.

        Raises:
            NotFound: the command wrote no record of that kind.
        """
        name = kind_of(kind)
        if isinstance(self.primary, kind):
            for record in self.written:
                if isinstance(record, kind) and record.id == self.primary.id:
                    return record
            return self.primary
        for record in self.written:
            if isinstance(record, kind):
                return record
        raise NotFound(name, "(none written by the command)")


def _s(count: int) -> str:
    return "" if count == 1 else "s"
