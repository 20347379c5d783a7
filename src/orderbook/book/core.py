"""OrderBook: the service an application holds. It executes commands and answers queries.

Each command is one transaction: the book loads what it needs, calls the pure core, saves the
records and the events, and settles the automatic statuses of the orders it touched. A
command that fails leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Iterator
from typing import Any

from orderbook._args import flag_arg, optional_date_arg, optional_text_arg, sequence_arg, text_arg
from orderbook.allocation import Policy, best_available, demands_for
from orderbook.availability import LineStatus
from orderbook.book import _as_of, _load, _recording, queries
from orderbook.book._args import check_options, commands_arg
from orderbook.book._cache import CachedStore
from orderbook.book._handlers import HANDLERS
from orderbook.book._session import Session
from orderbook.book._status import settle_touched
from orderbook.book._verbs import Verbs
from orderbook.book.outcome import Outcome
from orderbook.book.simulation import Shortfall, Simulation, scratch_copy
from orderbook.clock import Clock, SystemClock
from orderbook.commands import Command
from orderbook.documents import Party
from orderbook.einvoice import EInvoice
from orderbook.errors import NotFound, ValidationError
from orderbook.events import EventKind, StatusChanged, UnknownEvent
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import Customer, Invoice, Order, Product, PurchaseOrder
from orderbook.portal import Portal
from orderbook.revisions import live_orders
from orderbook.rollup import OrderSummary
from orderbook.store import MemoryStore, SQLiteStore, Store, StoredEvent
from orderbook.store.protocol import R, Record
from orderbook.store.sqlite import Synchronous
from orderbook.workflow import Choices, History, HistoryEntry, Workflow

__all__ = ["OrderBook"]

# Records that many orders read and few commands write: a batch reads each one once.
_SHARED_KINDS: frozenset[type[Record]] = frozenset({Customer, Product})


class OrderBook(Verbs):
    """The order book: commands in, records and events saved, answers out.

    Args:
        store: where everything is kept; a new MemoryStore when None.
        workflow: the order lifecycle. When None, the one the store records (a book file
            records the workflow it was made with), else the standard preset. A store that
            records another workflow takes this one only if it keeps every status the
            book's orders are in (an admin adding a status); the first command that writes
            then records it, with a ``WorkflowChanged`` event.
        policy: how lots are ranked when allocating.
        clock: where the book reads the time (once per command).
        id_factory: makes the ids of new records.

    >>> import datetime as dt
    >>> from orderbook import Customer, Money, OrderLine, Product, SequentialIds
    >>> from orderbook.clock import FixedClock
    >>> book = OrderBook(clock=FixedClock(dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)),
    ...                  id_factory=SequentialIds("id"))
    >>> _ = book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    >>> _ = book.save_product(Product(sku="TEA"))
    >>> order = book.place_order("acme", [OrderLine(id="l1", sku="TEA", quantity=2,
    ...                                              unit_price=Money("4.50", "EUR"))])
    >>> order.id, order.status, book.summary(order.id).gross
    ('id-1', 'draft', Money('9.00', 'EUR'))
    """

    def __init__(
        self,
        store: Store | None = None,
        workflow: Workflow | None = None,
        policy: Policy = best_available,
        clock: Clock = SystemClock(),  # noqa: B008 - it holds no state
        id_factory: IdFactory = uuid4_ids,
    ) -> None:
        if store is not None and not isinstance(store, Store):
            raise ValidationError("store", store, "must be a Store such as MemoryStore()")
        options = {"policy": policy, "clock": clock, "id_factory": id_factory}
        check_options(options if workflow is None else {**options, "workflow": workflow})
        self.store: Store = store if store is not None else MemoryStore()
        # While a batch runs: the customers and products its commands read, shared by them.
        self._shared: CachedStore | None = None
        # The workflow, and the event that records it with the first command that writes.
        self.workflow, self._unrecorded = _recording.running(self.store, workflow)
        self.policy = policy
        self.clock = clock
        self.id_factory = id_factory

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        synchronous: Synchronous = "full",
        busy_timeout: float = 5.0,
        read_only: bool = False,
        **options: Any,
    ) -> OrderBook:
        """Open a book on an SQLite file (created if absent); close it when done.

        Args:
            path: the database file.
            synchronous, busy_timeout, read_only: as for
                :class:`~orderbook.store.SQLiteStore`; a book opened ``read_only`` answers
                queries and refuses every command, writing nothing.
            options: the other arguments of :class:`OrderBook` (workflow, policy, clock,
                id_factory); without a workflow, the book reopens with the one it records.

        Raises:
            OrderbookError: the file is not an orderbook database or cannot be opened, or it
                records a workflow the one given cannot run (a status its orders are in is
                missing), naming both.
            ValidationError: an option is not one of the book's.
        """
        check_options(options)  # before the file is created
        store = SQLiteStore(
            path, synchronous=synchronous, busy_timeout=busy_timeout, read_only=read_only
        )
        try:
            return cls(store, **options)
        except BaseException:
            store.close()
            raise

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> OrderBook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OrderBook({self.store!r}, workflow={self.workflow.name!r})"

    def _repr_html_(self) -> str:
        """The book as a small dashboard; it reads, never writes (see docs/views.md)."""
        from orderbook.views import dashboard_html

        return dashboard_html(self)

    # -- commands -----------------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        at = self.clock.now()
        if not isinstance(at, dt.datetime) or at.utcoffset() is None:
            raise ValidationError("clock.now()", at, "must be a timezone-aware datetime")
        return at

    def execute(self, command: Command) -> Outcome:
        """Execute one command in one transaction: all of it happens, or none of it.

        Returns:
            The :class:`Outcome`: the events appended, the records written and deleted, the
            status moves and the allocation plans.

        Raises:
            OrderbookError: the command was refused (the subclass and message say why);
                the store is exactly as it was.
        """
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise ValidationError("command", command, "must be a command of orderbook.commands")
        store = self.store if self._shared is None else self._shared
        with store.transaction():  # a shared cache is dropped with a refused command
            session = Session(
                store,
                self.workflow,
                self.policy,
                self.id_factory,
                self._now(),
                getattr(command, "by", None),
            )
            if self._unrecorded is not None:
                _recording.record(session, self._unrecorded)
            handler(session, command)
            settle_touched(session)
            session.done()
        self._unrecorded = None
        return Outcome(
            command=command,
            events=tuple(session.events),
            written=tuple(session.written.values()),
            deleted=tuple(session.deleted.values()),
            moves=tuple(session.moves),
            plans=tuple(session.plans),
            primary=session.primary,
        )

    @contextlib.contextmanager
    def batch(self) -> Iterator[OrderBook]:
        """Run several commands in one transaction: all of them happen, or none.

        A command refused inside the block rolls back only itself if the error is caught
        there; an error that leaves the block rolls back every command of the batch.

        The commands share what they read of customers and products, so change the book
        only through its commands inside the block, not through ``book.store``.
        """
        unrecorded = self._unrecorded  # recorded inside the batch only if the batch commits
        try:
            if self._shared is not None:  # a batch inside a batch joins it
                with self._shared.transaction():  # which drops the shared reads if it fails
                    yield self
                return
            self._shared = CachedStore(self.store, kinds=_SHARED_KINDS)
            try:
                with self.store.transaction():
                    yield self
            finally:
                self._shared = None
        except BaseException:
            self._unrecorded = unrecorded
            raise

    def simulate(self, commands: Iterable[Command], *, as_of: dt.date | None = None) -> Simulation:
        """Run commands on a scratch copy of the book and say what would happen.

        The book itself is untouched. A command that is refused raises, as it would here.

        Args:
            commands: the commands, in order.
            as_of: the date of the summaries; the clock's date when None.

        Returns:
            The outcomes, the summaries of the orders touched, and the lines of open orders
            left short, after the commands and before them.

        Raises:
            ValidationError: ``commands`` is not an iterable of commands, or ``as_of`` not a
                date.
        """
        commands = commands_arg(commands)
        optional_date_arg("as_of", as_of)
        scratch = OrderBook(
            scratch_copy(self.store),
            workflow=self.workflow,
            policy=self.policy,
            clock=self.clock,
            id_factory=self.id_factory,
        )
        before = scratch._short()
        outcomes = tuple(scratch.execute(command) for command in commands)
        touched = sorted(
            {e.order_id for o in outcomes for e in o.events if e.order_id is not None}
        )
        day = as_of or self._now().date()
        summaries = tuple(
            scratch.summary(order_id, as_of=day) for order_id in touched if scratch._has(order_id)
        )
        return Simulation(
            outcomes=outcomes,
            summaries=summaries,
            shortfalls=scratch._short(),
            shortfalls_before=before,
        )

    def as_of(self, moment: dt.datetime | int) -> OrderBook:
        """Return the book as it stood after the last event at or before ``moment``: a
        read-only view, rebuilt from the event log.

        The events up to the moment are replayed (:func:`orderbook.events.replay`) into a
        new MemoryStore, so this costs a replay of the whole log up to there: keep the view
        while you ask it several questions. The view is an OrderBook with this book's
        policy, clock and id factory, and the workflow the log records as of the moment
        (this book's own object when it is that one). Every query answers as this book did
        then; :meth:`simulate` runs on a scratch copy, so it works too; every command that
        would write is refused (one that writes nothing, such as allocating with no stock
        left, answers as it would have then; a refused one may have taken an id from the
        shared id factory, as on the book). Nothing is written to this book's store: a
        book file opened ``read_only`` stays byte for byte as it was.

        Args:
            moment: a timezone-aware datetime (the events from the first on whose ``at`` is
                at or before it, up to the first one after it), or an event's sequence
                number (the first ``moment`` events; 0 is the empty book).

        Returns:
            The view. Its commands raise OrderbookError ("this book is a read-only view as
            of event 12; commands are refused"), like those of a book opened read-only.

        Raises:
            ValidationError: ``moment`` is a naive datetime, a negative int, a bool, neither
                a datetime nor an int, or a number beyond the last event's (which the message
                gives): a moment to come is refused, not read as now.
            OrderbookError: the workflow recorded then differs from this book's and has a
                function of the application's own, so it cannot be rebuilt.
        """
        events = _as_of.events_until(self.store, moment)
        store = _as_of.frozen_replay(events)
        return OrderBook(
            store,
            workflow=_as_of.workflow_at(store, self.workflow),
            policy=self.policy,
            clock=self.clock,
            id_factory=self.id_factory,
        )

    def _has(self, order_id: str) -> bool:
        try:
            self.store.get(Order, order_id)
        except NotFound:
            return False
        return True

    def _short(self) -> tuple[Shortfall, ...]:
        found = []
        for records in _load.open_orders(self.store, self.workflow):
            for demand in demands_for(
                records.order,
                allocations=records.allocations,
                shipments=records.shipments,
                forfeits=records.forfeits,
            ):
                found.append(
                    Shortfall(
                        order_id=records.order.id,
                        line_id=demand.line_id,
                        sku=demand.sku,
                        quantity=demand.quantity,
                    )
                )
        return tuple(found)

    # -- queries ------------------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> R:
        """Return a record by kind and id: ``book.get(Order, "o1")``.

        Raises:
            NotFound: there is no such record.
        """
        return self.store.get(kind, record_id)

    def orders(
        self,
        *,
        status: str | None = None,
        customer_id: str | None = None,
        sku: str | None = None,
        include_superseded: bool = False,
    ) -> tuple[Order, ...]:
        """Return the orders that pass every filter given, by id.

        Args:
            status: in this status.
            customer_id: of this customer.
            sku: with a line of this product.
            include_superseded: also list revisions that were amended (read-only).
        """
        for name, value in (("status", status), ("customer_id", customer_id), ("sku", sku)):
            optional_text_arg(name, value)
        flag_arg("include_superseded", include_superseded)
        if status is not None:
            found = self.store.orders_by_status(status)
        elif customer_id is not None:
            found = self.store.orders_by_customer(customer_id)
        elif sku is not None:
            found = self.store.orders_by_sku(sku)
        else:
            found = self.store.records(Order)
        live = None
        if not include_superseded:
            live = {o.id for o in live_orders(self.store.records(Order))}
        return tuple(
            o
            for o in found
            if (customer_id is None or o.customer_id == customer_id)
            and (sku is None or any(line.sku == sku for line in o.lines))
            and (live is None or o.id in live)
        )

    def summary(self, order_id: str, as_of: dt.date | None = None) -> OrderSummary:
        """Return where an order stands as of a date (the clock's date when None).

        Raises:
            NotFound: there is no such order.
            ValidationError: ``order_id`` is not an id, or ``as_of`` not a date.
        """
        text_arg("order_id", order_id)
        day = optional_date_arg("as_of", as_of) or self._now().date()
        records = _load.bundle(self.store, order_id)
        return _load.summary(self.store, records, day, self.workflow.settings.counting)

    def invoices(self, order_id: str) -> tuple[Invoice, ...]:
        """Return an order's invoices of every kind and status (deposits, credit notes,
        pro-formas, drafts and cancelled ones too), in issue order: by issue date, number
        and id, with the drafts that carry no date last.

        Raises:
            NotFound: there is no such order.
        """
        return queries.invoices_of(self.store, order_id)

    def purchases(self, order_id: str) -> tuple[PurchaseOrder, ...]:
        """Return the purchase orders made for an order, by number.

        Raises:
            NotFound: there is no such order.
        """
        return queries.purchases_of(self.store, order_id)

    def choices(self, order_id: str, as_of: dt.date | None = None) -> Choices:
        """Return where a person may move an order now: the allowed statuses, and why each
        other one is refused (the guards read the order's facts as of ``as_of``, the
        clock's date when None). A superseded revision may move nowhere.

        Raises:
            NotFound: there is no such order.
        """
        day = as_of or self._now().date()
        return queries.choices(self.store, self.workflow, order_id, day)

    def einvoice(self, invoice_id: str, *, seller: Party) -> EInvoice:
        """Return the EN 16931 semantic invoice of an issued invoice, deposit or credit note.

        Write it with :func:`~orderbook.einvoice.to_ubl`, :func:`~orderbook.einvoice.to_cii`
        or :func:`~orderbook.einvoice.to_facturx` (see docs/einvoice.md).

        Args:
            invoice_id: the invoice.
            seller: the seller's block: name, postal address with country, VAT id, IBAN.

        Raises:
            NotFound: there is no such invoice.
            ValidationError: it is a draft, cancelled or a pro-forma, or EN 16931 refuses
                it (the message names the rule).
        """
        text_arg("invoice_id", invoice_id)
        if not isinstance(seller, Party):
            raise ValidationError("seller", seller, "must be a Party")
        return queries.einvoice_of(self.store, self.workflow, invoice_id, seller)

    def portal(self, customer_id: str, *, seller: Party | None = None) -> Portal:
        """Return the read-only view of the orders one customer may see (see docs/portal.md).

        Raises:
            NotFound: there is no such customer.
        """
        return Portal(self, customer_id, seller=seller)

    def history(self, order_id: str) -> History:
        """Return the status moves of an order, oldest first, from the event log."""
        text_arg("order_id", order_id)
        moves = (
            _move(order_id, event)
            for event in self.store.events(order_id=order_id)
            if event.kind == EventKind.STATUS_CHANGED
        )
        return History(move for move in moves if move is not None)

    def events(self, since: int = 0, *, order_id: str | None = None) -> tuple[StoredEvent, ...]:
        """Return the events after sequence number ``since`` (of one order, if given).

        Raises:
            ValidationError: ``since`` is not an int >= 0, or ``order_id`` not an id.
        """
        since = sequence_arg("since", since)
        return self.store.events(order_id=optional_text_arg("order_id", order_id), after=since)

    def lots(self, sku: str) -> queries.LotList:
        """Return the lots of a product with what each has committed and what remains."""
        return queries.lot_stocks(self.store, self.workflow, text_arg("sku", sku))

    def lines(
        self,
        *,
        sku: str | None = None,
        status: str | None = None,
        customer_id: str | None = None,
        due_from: dt.date | None = None,
        due_to: dt.date | None = None,
        product_status: LineStatus | str | None = None,
        as_of: dt.date | None = None,
    ) -> queries.LineList:
        """Return every ordered line across orders (MRPeasy's Items), by due date.

        Each line carries its product status as of the date asked (``product_status``): a
        line's allocations are its booking only while its order's status commits; the free
        supply is what the allocations of committing orders leave; and the open demand of
        open orders of higher priority comes first (see docs/book.md).

        Args:
            sku: of this product.
            status: of orders in this status.
            customer_id: of this customer's orders.
            due_from, due_to: due in this range of days (both included); undated lines are
                left out when either is given.
            product_status: whose product status is this one (a LineStatus or its value).
            as_of: the date of the lines' figures; the clock's date when None.

        Raises:
            ValidationError: ``product_status`` is not a product status.
        """
        for name, value in (("due_from", due_from), ("due_to", due_to), ("as_of", as_of)):
            optional_date_arg(name, value)
        wanted = queries.check_product_status(product_status)
        orders = self.orders(status=status, customer_id=customer_id, sku=sku)
        day = as_of or self._now().date()
        return queries.line_views(
            self.store,
            self.workflow,
            orders,
            sku=sku,
            due_from=due_from,
            due_to=due_to,
            as_of=day,
            product_status=wanted,
        )


def _move(order_id: str, stored: StoredEvent) -> HistoryEntry | None:
    """The move a StatusChanged event records, read from its typed fields; data that does
    not fit them (an application's own, or damaged) is read as it stands, and gives no move
    without a source and a target."""
    event = stored.event
    if isinstance(event, StatusChanged):
        source, target, by, reason = event.source, event.target, event.by, event.reason
        automatic = event.automatic
    else:
        data = event.data if isinstance(event, UnknownEvent) else {}
        if "source" not in data or "target" not in data:
            return None
        source, target = str(data["source"]), str(data["target"])
        by, reason = _text(data.get("by")), _text(data.get("reason"))
        automatic = data.get("automatic") is True
    return HistoryEntry(
        order_id=order_id,
        source=source,
        target=target,
        at=stored.at,
        by=by,
        reason=reason,
        automatic=automatic,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
