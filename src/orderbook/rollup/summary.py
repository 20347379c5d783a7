"""The summary of one order as of a date: per line, per order, and the workflow's facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs

from orderbook.errors import NotFound, ValidationError
from orderbook.money import Money
from orderbook.pricing import Totals
from orderbook.rollup.statuses import (
    CountingRules,
    FulfilmentStatus,
    InvoiceStatus,
    PaymentStatus,
)
from orderbook.workflow.facts import Acceptance, OrderFacts, Production, Progress

__all__ = ["LineSummary", "OrderSummary"]

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class LineSummary:
    """Where one order line stands: quantities, amounts and payments.

    Quantities are Decimals in the line's unit; amounts are Money in the order's currency.

    Args:
        line_id: the line.
        ordered: the quantity ordered.
        allocated: the quantity allocated (booked) and not yet shipped.
        shipped, returned: what left, and what came back.
        forfeited: what the customer gave up (b-op).
        invoiced_quantity: the quantity invoiced, credit notes deducted.
        net, tax, gross: the line's own amounts, from :mod:`orderbook.pricing`.
        delivered_net: the net amount of what was delivered.
        invoiced_net, invoiced_tax: the amounts invoiced for the line, credit notes deducted.
        paid: the payments that fell to the line.
        due: what the line is owed: its invoiced gross, or its gross when payments are
            recorded per line.
        recurring: billed every period of the order's plan rather than once.
        over_delivered: delivered beyond the ordered quantity and the tolerance.
    """

    line_id: str
    ordered: Decimal
    allocated: Decimal
    shipped: Decimal
    returned: Decimal
    forfeited: Decimal
    invoiced_quantity: Decimal
    net: Money
    tax: Money
    gross: Money
    delivered_net: Money
    invoiced_net: Money
    invoiced_tax: Money
    paid: Money
    due: Money
    recurring: bool
    over_delivered: bool

    @property
    def delivered(self) -> Decimal:
        """What the customer has: shipped minus returned."""
        return self.shipped - self.returned

    @property
    def open(self) -> Decimal:
        """What is still to ship: ordered minus delivered and forfeited, never below zero."""
        return max(self.ordered - self.delivered - self.forfeited, _ZERO)

    @property
    def fulfilled(self) -> bool:
        """Whether the whole ordered quantity was delivered."""
        return self.delivered >= self.ordered

    @property
    def finished(self) -> bool:
        """Whether every unit was delivered or forfeited (b-op)."""
        return self.delivered + self.forfeited >= self.ordered

    @property
    def invoiced_gross(self) -> Money:
        """The invoiced net plus the invoiced tax."""
        return self.invoiced_net + self.invoiced_tax

    @property
    def uninvoiced(self) -> Decimal:
        """The quantity still to invoice, never below zero."""
        return max(self.ordered - self.invoiced_quantity, _ZERO)

    @property
    def fully_invoiced(self) -> bool:
        """Whether the whole ordered quantity was invoiced."""
        return self.invoiced_quantity >= self.ordered

    @property
    def outstanding(self) -> Money:
        """What is still to be paid on the line, never below zero."""
        return max(self.due - self.paid, Money.zero(self.due.currency))


def _line_summary(
    line_id: str,
    ordered: Decimal,
    allocated: Decimal,
    shipped: Decimal,
    returned: Decimal,
    forfeited: Decimal,
    invoiced_quantity: Decimal,
    net: Money,
    tax: Money,
    gross: Money,
    delivered_net: Money,
    invoiced_net: Money,
    invoiced_tax: Money,
    paid: Money,
    due: Money,
    recurring: bool,
    over_delivered: bool,
) -> LineSummary:
    """Build a :class:`LineSummary` as its ``__init__`` would, at a third of the cost.

    LineSummary has no converters or validators, so setting its slots is all its ``__init__``
    does; summarize builds one per line of every order it is asked about.
    """
    line = _new(LineSummary)
    _LINE_SLOTS[0](line, line_id)
    _LINE_SLOTS[1](line, ordered)
    _LINE_SLOTS[2](line, allocated)
    _LINE_SLOTS[3](line, shipped)
    _LINE_SLOTS[4](line, returned)
    _LINE_SLOTS[5](line, forfeited)
    _LINE_SLOTS[6](line, invoiced_quantity)
    _LINE_SLOTS[7](line, net)
    _LINE_SLOTS[8](line, tax)
    _LINE_SLOTS[9](line, gross)
    _LINE_SLOTS[10](line, delivered_net)
    _LINE_SLOTS[11](line, invoiced_net)
    _LINE_SLOTS[12](line, invoiced_tax)
    _LINE_SLOTS[13](line, paid)
    _LINE_SLOTS[14](line, due)
    _LINE_SLOTS[15](line, recurring)
    _LINE_SLOTS[16](line, over_delivered)
    return line


_new = object.__new__
_LINE_SLOTS = tuple(
    LineSummary.__dict__[field.name].__set__ for field in attrs.fields(LineSummary)
)


class _Lines:
    """An order's line figures: built on first use from what summarize gathered, then kept.

    Two are equal when their figures are, whether built yet or not; a pickle holds the
    figures themselves.
    """

    __slots__ = ("_build", "_lines")

    def __init__(
        self,
        build: Callable[[], tuple[LineSummary, ...]] | None = None,
        lines: tuple[LineSummary, ...] | None = None,
    ) -> None:
        """Keep ``build``, to call on first use, or the ``lines`` already built."""
        self._build = build
        self._lines = lines

    def get(self) -> tuple[LineSummary, ...]:
        """The line figures, built on the first call."""
        lines = self._lines
        if lines is None:
            build = self._build
            if build is None:  # another thread built them meanwhile
                lines = self._lines
                assert lines is not None
            else:
                lines = self._lines = build()
                self._build = None  # let go of the records they were built from
        return lines

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Lines):
            return NotImplemented
        return self is other or self.get() == other.get()

    def __hash__(self) -> int:
        return hash(self.get())

    def __repr__(self) -> str:
        return repr(self.get())

    def __reduce__(self) -> tuple[type[_Lines], tuple[None, tuple[LineSummary, ...]]]:
        return _Lines, (None, self.get())


def _to_lines(value: _Lines | tuple[LineSummary, ...] | list[LineSummary]) -> _Lines:
    if isinstance(value, _Lines):
        return value
    if isinstance(value, tuple | list):
        return _Lines(lines=tuple(value))
    raise ValidationError("lines", value, "must be a tuple of LineSummary")


@attrs.frozen(kw_only=True, repr=False)
class OrderSummary:
    """Where an order stands as of a date; every figure is derived from its records.

    The order-level figures are computed by :func:`~orderbook.rollup.summarize`; the per-line
    figures (:attr:`lines`, :meth:`line`) are built from the same records when first read, and
    then kept. Either way a summary is a value: equal to another of the same records, and
    hashable, picklable and printable like any frozen value.

    Args:
        order_id: the order.
        as_of: the date the summary answers for.
        counting: the rules that said which documents count.
        lines: one :class:`LineSummary` per order line, in the order's line order
            (:func:`~orderbook.rollup.summarize` gives them to be built when first read).
        totals: the order's totals (quantity, net, tax, gross, tax per rate).
        fulfilment: how far it has shipped.
        invoicing: how far it is invoiced.
        payment: how far it is paid.
        allocation: how far its lines are covered by allocations, deliveries and forfeits.
        allocated_on_hand: every allocated lot is on hand or received (and some are).
        production: where the manufacturing orders behind its allocations stand.
        exceptions: the ids of cancelled shipments and issued-then-cancelled invoices that
            were neither replaced nor acknowledged.
        expired: ``as_of`` is past the order's ``expires_on``.
    """

    order_id: str
    as_of: dt.date
    counting: CountingRules
    _lines: _Lines = attrs.field(alias="lines", converter=_to_lines)
    totals: Totals
    fulfilment: FulfilmentStatus
    invoicing: InvoiceStatus
    payment: PaymentStatus
    allocation: Progress
    allocated_on_hand: bool
    production: Production
    exceptions: tuple[str, ...]
    expired: bool

    @property
    def lines(self) -> tuple[LineSummary, ...]:
        """One :class:`LineSummary` per order line, in the order's line order."""
        return self._lines.get()

    def __repr__(self) -> str:
        return (
            f"OrderSummary({self.order_id!r}, {self.as_of}, gross {self.gross}, "
            f"invoiced {self.invoicing.invoiced}, paid {self.payment.paid})"
        )

    def _repr_html_(self) -> str:
        from orderbook.views import summary_html

        return summary_html(self)

    @property
    def currency(self) -> str:
        """The order's currency."""
        return self.totals.currency

    @property
    def quantity(self) -> Decimal:
        """The units ordered over all lines (Mangrove's total quantity)."""
        return self.totals.quantity

    @property
    def net(self) -> Money:
        """The order's net total."""
        return self.totals.net

    @property
    def tax(self) -> Money:
        """The order's tax total."""
        return self.totals.tax

    @property
    def gross(self) -> Money:
        """The order's gross total (Mangrove's revenue)."""
        return self.totals.gross

    @property
    def exception(self) -> bool:
        """Whether a cancelled shipment or invoice awaits replacement or acknowledgement."""
        return bool(self.exceptions)

    def line(self, line_id: str) -> LineSummary:
        """Return the summary of one line.

        Raises:
            NotFound: the order has no such line.
        """
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound("order line", line_id)

    def facts(self, *, acceptance: Acceptance | str | None = None) -> OrderFacts:
        """Return the :class:`~orderbook.workflow.facts.OrderFacts` the workflow reads.

        Args:
            acceptance: the automatic acceptance verdict, when one was reached (see
                :func:`orderbook.acceptance.acceptance`).
        """
        return OrderFacts(
            allocation=self.allocation,
            allocated_on_hand=self.allocated_on_hand,
            production=self.production,
            fulfilment=self.fulfilment.state,
            billing=_PROGRESS[self.invoicing.state.value],
            payment=_PROGRESS[self.payment.state.value],
            exception=self.exception,
            acceptance=acceptance,
            expired=self.expired,
        )


_PROGRESS = {
    "not_invoiced": Progress.NONE,
    "part_invoiced": Progress.PARTIAL,
    "invoiced": Progress.COMPLETE,
    "not_paid": Progress.NONE,
    "part_paid": Progress.PARTIAL,
    "paid": Progress.COMPLETE,
}
