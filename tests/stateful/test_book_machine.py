"""A state machine drives random commands, valid and invalid, at a book on each store.

After every step it checks the book's promises against the raw records:

- no lot is over-committed, and the allocations of orders in statuses that do not commit
  take nothing from what others can use;
- every order's summary equals :func:`orderbook.rollup.summarize` run on the raw records;
- a refused command changed nothing at all, and every command that names a superseded
  revision is refused with LockedError;
- no line of a live order holds, has shipped (less returns, whatever the date) and forfeited
  more than was ordered, and no record names a superseded revision;
- replaying the event log onto an empty store rebuilds the same store;
- the book as of the events of the step before (``book.as_of(n)``) is the book it was then.

Set ``ORDERBOOK_STATEFUL_EXAMPLES`` to run more examples (a soak run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from orderbook import (
    Customer,
    Lot,
    Money,
    Order,
    OrderLine,
    Product,
    SequentialIds,
    presets,
)
from orderbook import commands as c
from orderbook.book import OrderBook
from orderbook.book.outcome import Outcome
from orderbook.clock import FixedClock
from orderbook.errors import LockedError, OrderbookError
from orderbook.events import replay
from orderbook.model import (
    Allocation,
    DocumentStatus,
    Forfeit,
    Invoice,
    Payment,
    Shipment,
    ShipmentItem,
    ShipmentKind,
)
from orderbook.rollup import OrderSummary, summarize
from orderbook.store import Dump, MemoryStore, SQLiteStore, Store

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
DAY = START.date()
EXAMPLES = int(os.environ.get("ORDERBOOK_STATEFUL_EXAMPLES", "40"))

CUSTOMERS = (("acme", "EUR"), ("globex", "EUR"), ("initech", "USD"))
UNKNOWN = "nobody"
SKUS = ("TEA", "MUG", "POT")
LOTS = (
    Lot(id="tea-shelf", sku="TEA", quantity=5),
    Lot(id="tea-po", sku="TEA", quantity=6, source="purchase", available_on=DAY.replace(day=20)),
    Lot(id="mug-shelf", sku="MUG", quantity=3),
    Lot(
        id="mug-forecast",
        sku="MUG",
        quantity=4,
        source="forecast",
        available_on=DAY.replace(month=4),
    ),
)
WORKFLOWS = {
    "standard": presets.standard,
    "standard_on_shipment": lambda: presets.standard(invoice_method="on_shipment"),
    "mangrove": presets.mangrove,
    "mrpeasy": presets.mrpeasy,
}

T = TypeVar("T")
_ZERO = Decimal(0)
LATER = dt.timedelta(days=45)
RETURN = ShipmentKind.RETURN

quantities = st.one_of(
    st.integers(1, 6).map(Decimal),
    st.sampled_from([Decimal("0.5"), Decimal("2.5")]),
)
picks = st.integers(0, 30)
weighted = st.sampled_from([True, True, True, False])
"""Mostly True: most commands are meant to pass, some to be refused."""
shares = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(1), Decimal(3)])
"""A share of what is open: part, all, or too much."""
later = st.sampled_from([0, 0, 0, 3, 10])
"""Days after the clock a record is dated: mostly today, sometimes to come."""
AIMED_AT_OLD = (
    "edit_lines",
    "edit_order",
    "recurrence",
    "status",
    "cancel",
    "finalize",
    "amend",
    "delete",
    "duplicate",
    "allocate",
    "rebook",
    "fulfil",
    "release",
    "ship",
    "return",
    "forfeit",
    "invoice",
    "deposit",
    "periods",
    "procure",
    "pay_line",
)
"""The commands that name an order, each aimed in turn at a superseded revision."""


def _has_orders(machine: BookMachine) -> bool:
    return machine.has_orders()


def _pick(items: Sequence[T], index: int) -> T | None:
    return items[index % len(items)] if items else None


def _line(line_id: str, sku: str, quantity: Decimal, currency: str, price: str = "5.00"):
    return OrderLine(id=line_id, sku=sku, quantity=quantity, unit_price=Money(price, currency))


class BookMachine(RuleBasedStateMachine):
    """Random commands on one book; the store and workflow are set by a subclass."""

    store_kind = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.directory: str | None = None
        self.store: Store = MemoryStore()
        self.book = OrderBook(self.store)
        self.clock = FixedClock(START)
        self.replica = MemoryStore()
        self.replayed = 0
        self.dumped: Dump | None = None
        # The book after the last step: its dump and its orders' summaries.
        self.then: tuple[Dump, dict[str, OrderSummary]] | None = None

    # -- setting up and tearing down --------------------------------------------------------

    @initialize(workflow=st.sampled_from(sorted(WORKFLOWS)))
    def open_book(self, workflow: str) -> None:
        if self.store_kind == "sqlite":
            self.directory = tempfile.mkdtemp(prefix="orderbook-stateful-")
            path = os.path.join(self.directory, "book.sqlite")
            self.store = SQLiteStore(path, synchronous="normal")
        self.book = OrderBook(
            self.store,
            workflow=WORKFLOWS[workflow](),
            clock=self.clock,
            id_factory=SequentialIds("id"),
        )
        with self.book.batch():
            self.stock()

    def stock(self) -> None:
        """Customers, products, scarce lots (some expected), two orders: one confirmed and paid."""
        for customer_id, currency in CUSTOMERS:
            self.book.save_customer(Customer(id=customer_id, name=customer_id, currency=currency))
        for sku in SKUS:  # pots have no supplier: procuring them is refused
            supplier = None if sku == "POT" else f"{sku.title()} Supplies"
            self.book.save_product(
                Product(sku=sku, supplier=supplier, unit_cost=Money("1.25", "EUR"))
            )
        for lot in LOTS:
            self.book.save_lot(lot)
        for customer_id, currency in CUSTOMERS[:2]:
            self.book.place_order(
                customer_id,
                [
                    _line("l1", "TEA", Decimal(2), currency),
                    _line("l2", "MUG", Decimal(1), currency),
                ],
                priority=1 if customer_id == "acme" else 0,
            )
        first = self.orders()[0]
        confirm = next(t for t in self.book.workflow.transitions if t.name == "confirm")
        if first.status not in confirm.source:
            self.book.transition(first.id, confirm.source[0])
        self.book.transition(first.id, "confirmed")
        billed = self.book.invoice(first.id, "remaining", issue=True, due_days=30)
        self.book.record_payment(Money("5.00", first.currency), invoice_id=billed.id)

    def teardown(self) -> None:
        self.store.close()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- running commands -------------------------------------------------------------------

    def execute(self, build: Callable[[], c.Command]) -> Outcome | None:
        """Run a command; if it is refused, check that the store did not change at all.

        Only OrderbookError counts as a refusal: any other exception fails the test. A
        command that names a superseded revision must be refused with LockedError.
        """
        before = self.dump()
        last = len(before["event"])
        old = {row["supersedes"] for row in before["order"] if row["supersedes"]}
        self.dumped = None
        command: c.Command | None = None
        try:
            command = build()
            outcome = self.book.execute(command)
        except OrderbookError as error:
            refusal = error
        else:
            assert getattr(command, "order_id", None) not in old, f"{command!r} was accepted"
            assert self.store.events(after=last) == outcome.events
            return outcome
        if getattr(command, "order_id", None) in old:
            assert isinstance(refusal, LockedError), f"{command!r} refused with {refusal!r}"
        after = self.store.dump()
        assert after == before, f"refused with {refusal!r} but changed the store"
        self.dumped = after
        return None

    def refused(self, commands: Sequence[c.Command], error: type[OrderbookError]) -> None:
        """Run commands that must each be refused with ``error``; check the store is unchanged.

        A refusal that left anything behind (a record, an event) would still be in the store
        after the others, so one dump before and one after check them all.
        """
        before = self.store.dump()
        for command in commands:
            with pytest.raises(error):
                self.book.execute(command)
        after = self.store.dump()
        assert after == before, f"one of {commands!r} was refused but changed the store"
        self.dumped = after

    def dump(self) -> Dump:
        """The store's dump, kept until the next command (nothing else writes to the store)."""
        if self.dumped is None:
            self.dumped = self.store.dump()
        return self.dumped

    def orders(self) -> tuple[Order, ...]:
        return self.store.records(Order)

    def live_orders(self) -> list[Order]:
        orders = self.orders()
        superseded = {o.supersedes for o in orders if o.supersedes}
        return [o for o in orders if o.id not in superseded]

    def has_orders(self) -> bool:
        return bool(self.dump()["order"])

    def superseded(self) -> list[Order]:
        live = {o.id for o in self.live_orders()}
        return [o for o in self.orders() if o.id not in live]

    def order_id(self, index: int, fit: str | None = None) -> str:
        """An order by index: a live one in a status with the flag ``fit`` where there is one.

        ``fit`` is a flag of :class:`~orderbook.workflow.Status` (``"shippable"``, ...);
        ``"amendable"`` is neither terminal nor finalized; ``"delivered"`` has a delivery;
        ``"missing"`` gives the id of no order.
        """
        if fit == "missing":
            return UNKNOWN
        candidates = self.live_orders()
        wf = self.book.workflow
        if fit == "amendable":
            candidates = [
                o for o in candidates if not (wf.status(o.status).terminal or o.finalized_at)
            ]
        elif fit == "delivered":
            sent = {s.order_id for s in self.store.records(Shipment) if s.kind is not RETURN}
            candidates = [o for o in candidates if o.id in sent]
        elif fit is not None:
            candidates = [o for o in candidates if getattr(wf.status(o.status), fit)]
        order = _pick(candidates, index) or _pick(self.orders(), index)
        return UNKNOWN if order is None else order.id

    def line_of(self, order_id: str, index: int) -> str:
        try:
            order = self.store.get(Order, order_id)
        except OrderbookError:
            return "l1"
        return _pick(order.lines, index).id  # type: ignore[union-attr]

    def sku_of(self, order_id: str, line_id: str) -> str:
        try:
            return self.store.get(Order, order_id).line(line_id).sku
        except OrderbookError:
            return "TEA"

    def open_of(self, order_id: str, line_id: str, field: str = "open") -> Decimal:
        """A figure of an order's line from its summary (1 if there is no such line)."""
        try:
            return Decimal(getattr(self.book.summary(order_id).line(line_id), field))
        except OrderbookError:
            return Decimal(1)

    @property
    def today(self) -> dt.date:
        return self.clock.now().date()

    # -- reference records -----------------------------------------------------------------

    @rule(lot=st.integers(0, 5), sku=st.sampled_from(SKUS), quantity=st.integers(0, 8))
    def save_lot(self, lot: int, sku: str, quantity: int) -> None:
        """Add a lot, or change one: a lot that shrinks releases what no longer fits."""
        if lot < len(LOTS):
            chosen = self.store.get(Lot, LOTS[lot].id)
            self.execute(lambda: c.SaveLot(Lot(**{**_fields(chosen), "quantity": quantity})))
        else:
            self.execute(lambda: c.SaveLot(Lot(id=f"extra-{sku}", sku=sku, quantity=quantity)))

    # -- orders ------------------------------------------------------------------------------

    @rule(
        customer=st.sampled_from([0, 0, 1, 1, 2, 3]),
        lines=st.lists(
            st.tuples(st.sampled_from((*SKUS, *SKUS, "CAKE")), quantities), min_size=1, max_size=3
        ),
        flaw=st.sampled_from([None] * 6 + ["currency", "duplicate", "zero"]),
        priority=st.integers(0, 3),
        expires_in=st.none() | st.integers(1, 20),
    )
    def place_order(
        self,
        customer: int,
        lines: list[tuple[str, Decimal]],
        flaw: str | None,
        priority: int,
        expires_in: int | None,
    ) -> None:
        """Place an order: sometimes for an unknown customer, or with bad lines."""
        customer_id, currency = (*CUSTOMERS, (UNKNOWN, "EUR"))[customer]
        price_currency = "GBP" if flaw == "currency" else currency

        def build() -> c.Command:
            made = [
                _line(f"l{k + 1}", sku, quantity, price_currency)
                for k, (sku, quantity) in enumerate(lines)
            ]
            if flaw == "duplicate":
                made.append(made[0])
            if flaw == "zero":
                made.append(_line("lz", "TEA", Decimal(0), currency))
            expires = None if expires_in is None else self.today + dt.timedelta(days=expires_in)
            return c.PlaceOrder(
                customer_id=customer_id, lines=made, priority=priority, expires_on=expires
            )

        self.execute(build)

    @precondition(_has_orders)
    @rule(order=picks, move=picks, valid=weighted)
    def transition(self, order: int, move: int, valid: bool) -> None:
        """Take a transition out of the order's status, or ask for any status at all."""
        order_id = self.order_id(order, None if valid else "missing")
        wf = self.book.workflow
        status = self.store.get(Order, order_id).status if order_id != UNKNOWN else ""
        targets = [t.target for t in wf.transitions if status in t.source]
        to = _pick(targets if valid and targets else list(wf.codes), move)
        assert to is not None
        self.execute(lambda: c.ChangeStatus(order_id=order_id, to=to, by="ana"))

    @precondition(_has_orders)
    @rule(order=picks)
    def cancel(self, order: int) -> None:
        self.execute(lambda: c.Cancel(order_id=self.order_id(order), reason="changed mind"))

    @precondition(_has_orders)
    @rule(order=picks, fit=st.sampled_from([None, "terminal"]))
    def finalize(self, order: int, fit: str | None) -> None:
        self.execute(lambda: c.Finalize(order_id=self.order_id(order, fit)))

    @precondition(_has_orders)
    @rule(
        order=picks,
        line=picks,
        quantity=quantities,
        drop=st.booleans(),
        amend=st.booleans(),
        valid=weighted,
    )
    def edit_or_amend(
        self,
        order: int,
        line: int,
        quantity: Decimal,
        drop: bool,
        amend: bool,
        valid: bool,
    ) -> None:
        """Change a line's quantity (or drop it) in place, or in a new revision.

        Lines are edited where the status is editable; an amendment may come in any status,
        and is refused once the order is terminal or finalized. Once amended, the old
        revision refuses every command that names an order.
        """
        fit = ("amendable" if valid else None) if amend else "editable"
        order_id = self.order_id(order, fit)
        current = self.store.get(Order, order_id)
        chosen = _pick(current.lines, line)
        assert chosen is not None
        lines = [
            ln if ln.id != chosen.id else _line(ln.id, ln.sku, quantity, current.currency)
            for ln in current.lines
            if not (drop and ln.id == chosen.id)
        ]
        if not lines:
            lines = [_line("l9", "POT", quantity, current.currency)]
        if amend:
            if self.execute(lambda: c.Amend(order_id=order_id, lines=lines, reason="more")):
                commands = [self.aimed_at(current, line, kind) for kind in AIMED_AT_OLD]
                self.refused(commands, LockedError)
        else:
            self.execute(lambda: c.EditLines(order_id=order_id, lines=lines))

    @precondition(_has_orders)
    @rule(order=picks, delete=st.booleans())
    def duplicate_or_delete(self, order: int, delete: bool) -> None:
        if delete:
            self.execute(lambda: c.DeleteOrder(order_id=self.order_id(order), by="ana"))
        else:
            self.execute(lambda: c.Duplicate(order_id=self.order_id(order)))

    # -- fulfilment ---------------------------------------------------------------------------

    @rule(
        order=picks,
        everyone=st.booleans(),
        optimal=st.booleans(),
        partial=weighted,
        rebook=st.sampled_from([False, False, True, "all"]),
    )
    def allocate(
        self, order: int, everyone: bool, optimal: bool, partial: bool, rebook: bool | str
    ) -> None:
        """Allocate one order, or every open order by priority; sometimes take bookings back."""
        objective = "max_served" if optimal else "greedy"
        order_id = None if everyone else self.order_id(order, "commits")
        self.execute(
            lambda: c.Allocate(
                order_id=order_id, objective=objective, partial=partial, rebook=rebook
            )
        )

    @precondition(_has_orders)
    @rule(order=picks, line=picks, lot=st.integers(0, 5), share=shares)
    def fulfil_manually(self, order: int, line: int, lot: int, share: Decimal) -> None:
        """Allocate a chosen lot by hand: sometimes more than is free or open, or another SKU."""
        order_id = self.order_id(order, "commits")
        line_id = self.line_of(order_id, line)
        lot_id = LOTS[lot].id if lot < len(LOTS) else "extra-TEA"
        quantity = max(self.open_of(order_id, line_id) * share, Decimal(1))
        self.execute(
            lambda: c.FulfilManually(order_id=order_id, line_id=line_id, lots={lot_id: quantity})
        )

    @precondition(_has_orders)
    @rule(order=picks, some=st.booleans())
    def release(self, order: int, some: bool) -> None:
        quantity = Decimal(1) if some else None
        self.execute(
            lambda: c.Release(order_id=self.order_id(order, "commits"), quantity=quantity)
        )

    @precondition(_has_orders)
    @rule(order=picks, line=picks, share=shares, lot=st.none() | st.integers(0, 3), days=later)
    def ship(self, order: int, line: int, share: Decimal, lot: int | None, days: int) -> None:
        """Ship part of a line, sometimes from a named lot, sometimes too much or dated later."""
        order_id = self.order_id(order, "shippable")
        line_id = self.line_of(order_id, line)
        quantity = max(self.open_of(order_id, line_id) * share, Decimal(1))
        lot_id = None
        if lot is not None:  # mostly a lot of the line's product, now and then another
            sku = self.sku_of(order_id, line_id)
            own = [x.id for x in LOTS if x.sku == sku] if lot else []
            lot_id = _pick(own, lot) or LOTS[lot].id
        item = ShipmentItem(line_id=line_id, quantity=quantity, lot_id=lot_id)
        shipped_on = self.today + dt.timedelta(days=days)
        self.execute(
            lambda: c.Ship(order_id=order_id, items=[item], number="DN", shipped_on=shipped_on)
        )

    @precondition(_has_orders)
    @rule(order=picks, line=picks, share=shares, restock=st.booleans())
    def return_goods(self, order: int, line: int, share: Decimal, restock: bool) -> None:
        """Take goods back (sometimes more than was delivered), into a lot or not."""
        order_id = self.order_id(order, "delivered")
        line_id = self.line_of(order_id, line)
        quantity = max(self.open_of(order_id, line_id, "delivered") * share, Decimal(1))
        sku = self.sku_of(order_id, line_id)
        lot_id = next((x.id for x in LOTS if x.sku == sku), None) if restock else None
        item = ShipmentItem(line_id=line_id, quantity=quantity, lot_id=lot_id)
        self.execute(lambda: c.Return(order_id=order_id, items=[item]))

    @precondition(_has_orders)
    @rule(order=picks, line=picks, share=st.none() | shares, days=later)
    def forfeit(self, order: int, line: int, share: Decimal | None, days: int) -> None:
        """Give up the rest of a line, or a share of it (sometimes too much), maybe dated later."""
        order_id = self.order_id(order, "commits")
        line_id = self.line_of(order_id, line)
        quantity = None
        if share is not None:
            quantity = max(self.open_of(order_id, line_id) * share, Decimal(1))
        forfeited_on = self.today + dt.timedelta(days=days)
        self.execute(
            lambda: c.ForfeitRemainder(
                order_id=order_id, line_id=line_id, quantity=quantity, forfeited_on=forfeited_on
            )
        )

    # -- billing ------------------------------------------------------------------------------

    @precondition(_has_orders)
    @rule(
        order=picks,
        what=st.sampled_from(["remaining", "shipped", "some"]),
        line=picks,
        issue=st.booleans(),
    )
    def invoice(self, order: int, what: str, line: int, issue: bool) -> None:
        order_id = self.order_id(order, "billable")
        quantities: str | dict[str, Decimal] = what
        if what == "some":
            quantities = {self.line_of(order_id, line): Decimal(1)}
        self.execute(
            lambda: c.InvoiceOrder(
                order_id=order_id,
                quantities=quantities,
                issue=issue,
                due_days=30 if issue else None,
            )
        )

    @precondition(_has_orders)
    @rule(
        order=picks,
        percent=st.sampled_from([Decimal(30), Decimal(50), Decimal(100)]),
        by_amount=st.booleans(),
        issue=st.booleans(),
    )
    def deposit(self, order: int, percent: Decimal, by_amount: bool, issue: bool) -> None:
        """Bill a deposit: a percent (what remains, at most) or an amount (refused beyond)."""
        order_id = self.order_id(order, "billable")
        try:
            currency = self.store.get(Order, order_id).currency
        except OrderbookError:
            currency = "EUR"
        amount = Money("6.00", currency) if by_amount else None
        self.execute(
            lambda: c.InvoiceOrder(
                order_id=order_id,
                kind="deposit",
                percent=None if by_amount else percent,
                amount=amount,
                issue=issue,
            )
        )

    def invoices(self) -> tuple[Invoice, ...]:
        return self.store.records(Invoice)

    @precondition(lambda self: bool(self.invoices()))
    @rule(invoice=picks, line=picks, share=st.none() | shares, issue=st.booleans())
    def credit_note(self, invoice: int, line: int, share: Decimal | None, issue: bool) -> None:
        """Credit an invoice (an issued one, mostly): all of it, or a share of one line."""
        issued = [i for i in self.invoices() if i.status is DocumentStatus.ISSUED]
        chosen = _pick(issued, invoice) or _pick(self.invoices(), invoice)
        assert chosen is not None
        target = _pick(chosen.lines, line)
        quantities = None
        if share is not None and target is not None:
            quantities = {target.id: target.quantity * share}
        self.execute(
            lambda: c.CreditInvoice(invoice_id=chosen.id, quantities=quantities, issue=issue)
        )

    @precondition(lambda self: bool(self.invoices()))
    @rule(invoice=picks, cancel=st.booleans())
    def issue_or_cancel_invoice(self, invoice: int, cancel: bool) -> None:
        chosen = _pick(self.invoices(), invoice)
        assert chosen is not None
        if cancel:
            self.execute(lambda: c.CancelInvoice(invoice_id=chosen.id))
        else:
            self.execute(lambda: c.IssueInvoice(invoice_id=chosen.id, due_days=30))

    @precondition(lambda self: bool(self.invoices()))
    @rule(
        invoice=picks,
        share=st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2)]),
        currency=st.sampled_from(["same", "same", "other"]),
    )
    def record_payment(self, invoice: int, share: Decimal, currency: str) -> None:
        """Pay an invoice: in part, in full, twice over, or in the wrong currency."""
        issued = [i for i in self.invoices() if i.status is DocumentStatus.ISSUED]
        chosen = _pick(issued, invoice) or _pick(self.invoices(), invoice)
        assert chosen is not None
        money = chosen.currency
        if currency == "other":
            money = "USD" if chosen.currency != "USD" else "EUR"
        total = sum((ln.quantity * ln.unit_price.amount for ln in chosen.lines), Decimal(0))
        amount = Money((total * share).quantize(Decimal("0.01")) + Decimal("0.01"), money)
        self.execute(lambda: c.RecordPayment(amount=amount, invoice_id=chosen.id))

    @precondition(_has_orders)
    @rule(
        order=picks,
        line=picks,
        amount=st.sampled_from(["5.00", "12.50", "500.00"]),
        currency=st.sampled_from(["same", "same", "same", "other"]),
        valid=weighted,
    )
    def pay_a_line(self, order: int, line: int, amount: str, currency: str, valid: bool) -> None:
        """Pay an order line (Mangrove pays deliveries): sometimes no such line, or wrong money."""
        order_id = self.order_id(order)
        line_id = self.line_of(order_id, line) if valid else "l99"
        try:
            money = self.store.get(Order, order_id).currency
        except OrderbookError:
            money = "EUR"
        if currency == "other":
            money = "USD" if money != "USD" else "EUR"
        paid = Money(amount, money)
        self.execute(lambda: c.RecordPayment(amount=paid, order_id=order_id, line_id=line_id))

    @precondition(lambda self: bool(self.invoices()))
    @rule(invoice=picks, line=picks, quantity=st.none() | quantities, remove=st.booleans())
    def edit_draft_invoice(
        self, invoice: int, line: int, quantity: Decimal | None, remove: bool
    ) -> None:
        """Change or remove a line of an invoice (a draft, mostly): never bill beyond the order."""
        drafts = [i for i in self.invoices() if i.status is DocumentStatus.DRAFT]
        chosen = _pick(drafts, invoice) or _pick(self.invoices(), invoice)
        assert chosen is not None
        target = _pick(chosen.lines, line)
        line_id = "none" if target is None else target.id
        if remove:
            self.execute(lambda: c.EditDraftInvoice(invoice_id=chosen.id, remove=[line_id]))
            return
        edit = c.LineEdit(quantity=quantity, description="edited")
        self.execute(lambda: c.EditDraftInvoice(invoice_id=chosen.id, edits={line_id: edit}))

    @precondition(_has_orders)
    @rule(order=picks, line=picks, some=st.booleans(), fit=st.sampled_from([None, "terminal"]))
    def procure(self, order: int, line: int, some: bool, fit: str | None) -> None:
        """Buy an order's lines from their suppliers (refused for pots and closed orders)."""
        order_id = self.order_id(order, fit)
        line_ids = [self.line_of(order_id, line)] if some else None
        self.execute(lambda: c.Procure(order_id=order_id, line_ids=line_ids))

    def payments(self) -> tuple[Payment, ...]:
        return self.store.records(Payment)

    @precondition(lambda self: bool(self.payments()))
    @rule(payment=picks, change=st.sampled_from(["delete", "amount", "currency", "date"]))
    def edit_or_delete_payment(self, payment: int, change: str) -> None:
        chosen = _pick(self.payments(), payment)
        assert chosen is not None
        if change == "delete":
            self.execute(lambda: c.DeletePayment(payment_id=chosen.id))
        elif change == "date":
            received = self.today + dt.timedelta(days=3)
            self.execute(lambda: c.EditPayment(payment_id=chosen.id, received_on=received))
        else:
            currency = chosen.amount.currency
            if change == "currency":
                currency = "USD" if currency != "USD" else "EUR"
            amount = Money(chosen.amount.amount + Decimal("1.00"), currency)
            self.execute(lambda: c.EditPayment(payment_id=chosen.id, amount=amount))

    # -- superseded revisions -----------------------------------------------------------------

    @precondition(lambda self: bool(self.superseded()))
    @rule(order=picks, line=picks, kind=st.sampled_from(AIMED_AT_OLD))
    def aim_at_a_superseded_revision(self, order: int, line: int, kind: str) -> None:
        """Every command that names an old revision is refused as read-only, changing nothing."""
        old = _pick(self.superseded(), order)
        assert old is not None
        self.refused([self.aimed_at(old, line, kind)], LockedError)

    def aimed_at(self, old: Order, line: int, kind: str) -> c.Command:
        """A command of the kind, well formed, naming the old revision ``old``."""
        chosen = _pick(old.lines, line)
        assert chosen is not None
        lines = [_line(ln.id, ln.sku, ln.quantity + 1, old.currency) for ln in old.lines]
        lot = next((x.id for x in LOTS if x.sku == chosen.sku), LOTS[0].id)
        wf = self.book.workflow
        targets = [t.target for t in wf.transitions if old.status in t.source] or list(wf.codes)
        items = {chosen.id: Decimal(1)}
        builders: dict[str, Callable[[], c.Command]] = {
            "edit_lines": lambda: c.EditLines(order_id=old.id, lines=lines),
            "edit_order": lambda: c.EditOrder(order_id=old.id, changes={"terms": "Net 30"}),
            "recurrence": lambda: c.ChangeRecurrence(order_id=old.id, plan=None),
            "status": lambda: c.ChangeStatus(order_id=old.id, to=targets[line % len(targets)]),
            "cancel": lambda: c.Cancel(order_id=old.id),
            "finalize": lambda: c.Finalize(order_id=old.id),
            "amend": lambda: c.Amend(order_id=old.id, lines=lines),
            "delete": lambda: c.DeleteOrder(order_id=old.id),
            "duplicate": lambda: c.Duplicate(order_id=old.id),
            "allocate": lambda: c.Allocate(order_id=old.id),
            "rebook": lambda: c.Allocate(order_id=old.id, rebook=True),
            "fulfil": lambda: c.FulfilManually(
                order_id=old.id, line_id=chosen.id, lots={lot: Decimal(1)}
            ),
            "release": lambda: c.Release(order_id=old.id),
            "ship": lambda: c.Ship(
                order_id=old.id, items=items, shipped_on=self.today + dt.timedelta(days=3)
            ),
            "return": lambda: c.Return(order_id=old.id, items=items),
            "forfeit": lambda: c.ForfeitRemainder(order_id=old.id, line_id=chosen.id),
            "invoice": lambda: c.InvoiceOrder(order_id=old.id),
            "deposit": lambda: c.InvoiceOrder(order_id=old.id, kind="deposit", percent=30),
            "periods": lambda: c.InvoiceDuePeriods(order_id=old.id),
            "procure": lambda: c.Procure(order_id=old.id),
            "pay_line": lambda: c.RecordPayment(
                amount=Money("1.00", old.currency), order_id=old.id, line_id=chosen.id
            ),
        }
        assert set(builders) == set(AIMED_AT_OLD)
        return builders[kind]()

    # -- time ---------------------------------------------------------------------------------

    @rule(days=st.integers(0, 15))
    def advance_clock(self, days: int) -> None:
        self.clock.advance(dt.timedelta(days=days, hours=1))

    @rule(days=st.integers(0, 30))
    def settle(self, days: int) -> None:
        """Apply the time-driven rules as of a later date."""
        self.execute(lambda: c.Settle(as_of=self.today + dt.timedelta(days=days)))

    @rule(days=st.integers(0, 30), status=st.sampled_from(["archived", "cancelled", "nowhere"]))
    def archive(self, days: int, status: str) -> None:
        """Archive closed orders placed before a date (only MRPeasy has an Archived status)."""
        before = self.today + dt.timedelta(days=days)
        self.execute(lambda: c.Archive(before=before, status=status))

    # -- batches and what-ifs -----------------------------------------------------------------

    @rule(order=picks)
    def failed_batch_changes_nothing(self, order: int) -> None:
        """A batch whose last command fails leaves nothing of the commands before it."""
        before = self.store.dump()
        with pytest.raises(OrderbookError):
            self._failing_batch()
        assert self.store.dump() == before

    def _failing_batch(self) -> None:
        with self.book.batch():
            self.book.execute(c.Allocate())
            self.book.execute(c.Settle())
            self.book.execute(c.Cancel(order_id=UNKNOWN))

    @rule(order=picks)
    def simulating_leaves_the_book_untouched(self, order: int) -> None:
        before = self.store.dump()
        with contextlib.suppress(OrderbookError):
            self.book.simulate([c.Allocate(), c.Cancel(order_id=self.order_id(order))])
        assert self.store.dump() == before

    @precondition(lambda self: self.book.workflow.name != "mangrove")
    @rule(lot=st.integers(0, 2))
    def tentative_holds_leave_the_rest_free(self, lot: int) -> None:
        """A new order can take by hand everything the lot view says remains of an on-hand lot.

        Allocations of orders that do not commit are in the view's ``tentative``, never taken
        off ``remaining``: so a fresh order can book all of ``remaining``.
        """
        chosen = (LOTS[0], LOTS[2], LOTS[2])[lot]
        stock = next(s for s in self.book.lots(chosen.sku) if s.lot.id == chosen.id)
        if stock.remaining <= 0:
            return
        line = _line("l1", chosen.sku, stock.remaining, "EUR")
        outcome = self.book.simulate(
            [
                c.PlaceOrder(customer_id="acme", order_id="probe", lines=[line]),
                c.FulfilManually(
                    order_id="probe", line_id="l1", lots={chosen.id: stock.remaining}
                ),
            ]
        )
        [summary] = outcome.summaries
        assert summary.line("l1").allocated == stock.remaining

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def lots_are_never_over_committed(self) -> None:
        commits = {s.code: s.commits for s in self.book.workflow.statuses}
        status = {o.id: o.status for o in self.orders()}
        allocations = self.store.records(Allocation)
        for sku in SKUS:
            for stock in self.book.lots(sku):
                held = [a for a in allocations if a.lot_id == stock.lot.id]
                committed = sum(
                    (a.quantity for a in held if commits[status[a.order_id]]), Decimal(0)
                )
                tentative = sum(
                    (a.quantity for a in held if not commits[status[a.order_id]]), Decimal(0)
                )
                assert committed <= stock.lot.quantity, f"{stock.lot.id} is over-committed"
                assert (stock.committed, stock.tentative) == (committed, tentative)
                assert stock.remaining == stock.lot.quantity - committed

    @invariant()
    def summaries_equal_a_recomputation_from_the_records(self) -> None:
        """Every order's summary is summarize() of its raw records, today and later on.

        And every allocation names a line of its order, no line holds more than is open on
        it, and an order in a status that releases holds nothing.
        """
        records = {
            "allocations": self.store.records(Allocation),
            "shipments": self.store.records(Shipment),
            "forfeits": self.store.records(Forfeit),
            "invoices": self.store.records(Invoice),
            "payments": self.store.records(Payment),
        }
        lots = self.store.records(Lot)
        releasing = {s.code for s in self.book.workflow.statuses if s.releases}
        for order in self.orders():
            mine = {
                name: [r for r in rows if r.order_id == order.id] for name, rows in records.items()
            }
            used = {a.lot_id for a in mine["allocations"]}
            drawn = [lot for lot in lots if lot.id in used]
            counting = self.book.workflow.settings.counting
            now = summarize(order, **mine, lots=drawn, as_of=self.today, counting=counting)
            later = summarize(
                order, **mine, lots=drawn, as_of=self.today + LATER, counting=counting
            )
            assert self.book.summary(order.id) == now, f"{order.id} today"
            assert self.book.summary(order.id, later.as_of) == later, f"{order.id} later"
            if order.status in releasing:
                assert not mine["allocations"], f"{order.id} is {order.status} but holds some"
            assert {a.line_id for a in mine["allocations"]} <= {line.id for line in order.lines}
            for line in order.lines:
                held = sum(
                    (a.quantity for a in mine["allocations"] if a.line_id == line.id), _ZERO
                )
                assert held <= now.line(line.id).open, f"{order.id}/{line.id} is over-allocated"

    @invariant()
    def no_line_is_taken_up_beyond_what_was_ordered(self) -> None:
        """What a live line holds, has shipped and has forfeited is at most what was ordered.

        Allocated is what the line's allocations hold; shipped is its deliveries less its
        returns, every shipment whatever its date (cancelled ones aside); both with the
        forfeits add up to at most the ordered quantity, within the workflow's tolerance.
        And every such record names a live revision: an amendment takes them all over.
        """
        taken: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for allocation in self.store.records(Allocation):
            taken[allocation.order_id, allocation.line_id] += allocation.quantity
        for shipment in self.store.records(Shipment):
            if shipment.cancelled:
                continue
            sign = -1 if shipment.kind is ShipmentKind.RETURN else 1
            for item in shipment.items:
                taken[shipment.order_id, item.line_id] += sign * item.quantity
        for forfeit in self.store.records(Forfeit):
            taken[forfeit.order_id, forfeit.line_id] += forfeit.quantity
        live = {order.id: order for order in self.live_orders()}
        named = {order_id for order_id, _ in taken}
        named |= {r.order_id for r in (*self.invoices(), *self.payments()) if r.order_id}
        assert named <= set(live), f"records of no live order: {named - set(live)}"
        tolerance = self.book.workflow.settings.counting.tolerance
        for order in live.values():
            for line in order.lines:
                used = taken[order.id, line.id]
                limit = line.quantity * (1 + tolerance)
                assert used <= limit, f"{order.id}/{line.id} takes up {used} of {line.quantity}"

    @invariant()
    def no_invoice_is_credited_beyond_what_it_billed(self) -> None:
        """The credit notes of an invoice that are not cancelled take back at most each line."""
        invoices = self.invoices()
        for invoice in invoices:
            notes = [
                n
                for n in invoices
                if n.corrects == invoice.id and n.status is not DocumentStatus.CANCELLED
            ]
            for line in invoice.lines:
                taken = sum(
                    (ln.quantity for n in notes for ln in n.lines if ln.id == line.id), _ZERO
                )
                assert taken <= line.quantity, f"{invoice.id}/{line.id} credited {taken}"

    @invariant()
    def the_history_ends_in_the_current_status(self) -> None:
        """The last move the log records for an order is into the status it is in."""
        for order in self.orders():
            moves = self.book.history(order.id)
            if moves:
                assert moves[-1].target == order.status, f"{order.id}: {moves[-1]}"
            assert order.status in self.book.workflow.codes

    @invariant()
    def replaying_the_events_rebuilds_the_store(self) -> None:
        """The log replayed onto an empty store gives the same records and the same log.

        The replica is kept between steps and takes only the events appended since: as its
        dump holds the whole log, an event rewritten later would still be caught.
        """
        events = self.store.events(after=self.replayed)
        assert [e.sequence for e in events] == list(
            range(self.replayed + 1, self.replayed + len(events) + 1)
        )
        assert replay(events, self.replica) == len(events)
        self.replayed += len(events)
        assert self.replica.dump() == self.dump()

    @invariant()
    def the_book_as_of_the_step_before_is_the_book_it_was(self) -> None:
        """``as_of`` the number of events the book had after the last step rebuilds it as it
        was then: the same records and log, and the same summaries."""
        if self.then is not None:
            dump, summaries = self.then
            view = self.book.as_of(len(dump["event"]))
            assert view.store.dump() == dump
            assert {o.id: view.summary(o.id, as_of=DAY) for o in view.store.records(Order)} == (
                summaries
            )
        now = {o.id: self.book.summary(o.id, as_of=DAY) for o in self.orders()}
        self.then = (self.dump(), now)


def _fields(lot: Lot) -> dict[str, object]:
    return {
        name: getattr(lot, name) for name in ("id", "sku", "source", "available_on", "version")
    }


class MemoryBookMachine(BookMachine):
    store_kind = "memory"


class SQLiteBookMachine(BookMachine):
    store_kind = "sqlite"


MACHINE_SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize(
    "machine", [MemoryBookMachine, SQLiteBookMachine], ids=["memory", "sqlite"]
)
def test_random_commands_keep_the_books_promises(machine: type[BookMachine]) -> None:
    run_state_machine_as_test(machine, settings=MACHINE_SETTINGS)
