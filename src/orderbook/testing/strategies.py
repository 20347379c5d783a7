"""Hypothesis strategies for orderbook's values: money, lines, orders, lots, demands and books.

Every strategy builds valid values only, so a property test can start from any of them.
:func:`books` goes further: a whole book with a history, made by running the book's own
commands, so everything in it is consistent (allocations fit their lots, shipments consume
them, invoices bill what shipped, payments go against issued invoices).

>>> from hypothesis import given
>>> from orderbook.testing import strategies as obst
>>> @given(obst.money(currency="EUR"))
... def test_money_is_its_own_sum(m):
...     assert sum([m]) == m
>>> test_money_is_its_own_sum()
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from orderbook.allocation import Demand
from orderbook.book import OrderBook
from orderbook.commands import (
    Allocate,
    Cancel,
    ChangeStatus,
    Command,
    InvoiceOrder,
    PlaceOrder,
    RecordPayment,
    Ship,
)
from orderbook.currencies import CURRENCIES
from orderbook.errors import OrderbookError
from orderbook.model import Customer, Invoice, Lot, LotSource, Order, OrderLine
from orderbook.money import Money
from orderbook.testing.factories import SKUS, make_book, make_line

__all__ = [
    "amounts",
    "books",
    "currencies",
    "customers",
    "demands",
    "lots",
    "money",
    "order_lines",
    "orders",
    "quantities",
    "rates",
]


def currencies() -> st.SearchStrategy[str]:
    """Any ISO 4217 code orderbook knows."""
    return st.sampled_from(sorted(CURRENCIES))


def amounts(
    *, places: int = 4, max_value: int = 10**9, min_value: int | None = None
) -> st.SearchStrategy[Decimal]:
    """Decimals with at most ``places`` decimal places, between ``min_value`` and ``max_value``."""
    low = -max_value if min_value is None else min_value
    return st.decimals(
        min_value=low, max_value=max_value, places=places, allow_nan=False, allow_infinity=False
    )


def money(
    *,
    currency: str | None = None,
    places: int | None = None,
    min_value: int | None = None,
    max_value: int = 10**9,
) -> st.SearchStrategy[Money]:
    """Money in one currency (or any), at the minor unit unless ``places`` says otherwise."""
    codes = st.just(currency) if currency is not None else currencies()

    def build(code: str) -> st.SearchStrategy[Money]:
        digits = CURRENCIES[code] if places is None else places
        return amounts(places=digits, min_value=min_value, max_value=max_value).map(
            lambda amount: Money(amount, code)
        )

    return codes.flatmap(build)


def quantities(*, places: int = 3, max_value: int = 10**6) -> st.SearchStrategy[Decimal]:
    """Quantities above zero: whole units and fractional ones (credits, tonnes)."""
    return amounts(places=places, min_value=0, max_value=max_value).filter(lambda q: q > 0)


def rates() -> st.SearchStrategy[Decimal]:
    """Fractions from 0 to 1 with at most 4 places: discounts and tax rates."""
    return st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


def order_lines(
    *, currency: str = "EUR", line_id: str | None = None
) -> st.SearchStrategy[OrderLine]:
    """A valid order line priced in ``currency``."""
    return st.builds(
        OrderLine,
        id=st.just(line_id) if line_id else st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(["A", "B", "C", "D"]),
        quantity=quantities(),
        unit_price=money(currency=currency, places=4, min_value=0, max_value=10**5),
        discount=rates(),
        tax_rate=st.sampled_from([Decimal(0), Decimal("0.055"), Decimal("0.1"), Decimal("0.2")]),
        due_on=st.none()
        | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    )


@st.composite
def orders(draw: st.DrawFn, *, currency: str | None = None, max_lines: int = 6) -> Order:
    """A valid order with 1 to ``max_lines`` lines, all in the order's currency."""
    code = currency if currency is not None else draw(currencies())
    count = draw(st.integers(min_value=1, max_value=max_lines))
    lines = [draw(order_lines(currency=code, line_id=f"l{i}")) for i in range(1, count + 1)]
    return Order(
        customer_id=draw(st.sampled_from(["acme", "globex", "initech"])),
        currency=code,
        lines=lines,
        priority=draw(st.integers(min_value=0, max_value=9)),
    )


def customers(*, currency: str | None = None) -> st.SearchStrategy[Customer]:
    """A valid customer, with or without an auto-acceptance limit."""
    code = st.just(currency) if currency is not None else currencies()
    return code.flatmap(
        lambda c: st.builds(
            Customer,
            id=st.uuids().map(lambda u: u.hex),
            name=st.sampled_from(["AcmeCorp", "Globex", "Initech", "Umbrella"]),
            currency=st.just(c),
            auto_accept_limit=st.none() | money(currency=c, min_value=0, max_value=10**6),
        )
    )


def lots(
    *, as_of: dt.date, skus: tuple[str, ...] = ("A", "B", "C", "D")
) -> st.SearchStrategy[Lot]:
    """A lot on hand, or an expected supply due within a year either side of ``as_of``."""
    days = st.integers(min_value=-365, max_value=365).map(lambda n: as_of + dt.timedelta(days=n))
    on_hand = st.builds(
        Lot,
        id=st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(skus),
        quantity=amounts(places=2, min_value=0, max_value=10**5),
        expires_on=st.none() | days,
    )
    expected = st.builds(
        Lot,
        id=st.uuids().map(lambda u: u.hex),
        sku=st.sampled_from(skus),
        quantity=amounts(places=2, min_value=0, max_value=10**5),
        source=st.sampled_from([s for s in LotSource if s.expected]),
        available_on=days,
    )
    return on_hand | expected


def demands(
    *, skus: tuple[str, ...] = ("A", "B", "C", "D"), as_of: dt.date = dt.date(2027, 1, 1)
) -> st.SearchStrategy[Demand]:
    """A demand for one line: what is still open on it, when it is due, its priority."""
    return st.builds(
        Demand,
        line_id=st.uuids().map(lambda u: u.hex),
        order_id=st.sampled_from(["o1", "o2", "o3"]),
        sku=st.sampled_from(skus),
        quantity=amounts(places=2, min_value=0, max_value=10**4),
        due_on=st.none()
        | st.integers(min_value=0, max_value=365).map(lambda n: as_of + dt.timedelta(days=n)),
        priority=st.integers(min_value=0, max_value=9),
        placed_at=st.none()
        | st.integers(min_value=0, max_value=10**6).map(
            lambda n: dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=n)
        ),
    )


@st.composite
def books(draw: st.DrawFn, *, max_orders: int = 4, max_steps: int = 16) -> OrderBook:
    """A book in memory with customers, stock and a history of up to ``max_steps`` commands.

    Each step draws one of the commands that make sense at that point (place, confirm,
    cancel, allocate, ship, invoice, pay) and runs it through the book; one the book
    refuses is skipped, so the result is always consistent. The book is made by
    :func:`~orderbook.testing.factories.make_book`: a frozen clock and ids ``id-1``, ...

    >>> from hypothesis import given, settings
    >>> from orderbook.events import replay
    >>> from orderbook.store import MemoryStore
    >>> @settings(max_examples=5)
    ... @given(books())
    ... def test_a_book_replays_from_its_events(book):
    ...     copy = MemoryStore()
    ...     replay(book.events(), copy)
    ...     assert copy.dump() == book.store.dump()
    >>> test_a_book_replays_from_its_events()
    """
    stock = draw(st.integers(min_value=0, max_value=20))
    book = make_book(customers=("acme", "globex"), stock=stock)
    for _ in range(draw(st.integers(min_value=0, max_value=max_steps))):
        choices = _choices(book, max_orders)
        if not choices:
            break
        command = _build(draw, book, draw(st.sampled_from(choices)))
        try:
            book.execute(command)
        except OrderbookError:
            continue  # refused: the book is unchanged, and stays consistent
    return book


_OPEN = ("confirmed", "partially_shipped")
_BILLABLE = ("partially_shipped", "shipped")


def _choices(book: OrderBook, max_orders: int) -> list[tuple[str, str]]:
    """Every (step, record id) that makes sense now, in a stable order."""
    found = [("place", "")] if len(book.store.records(Order)) < max_orders else []
    for order in sorted(book.store.records(Order), key=lambda o: o.id):
        if order.status == "draft":
            found += [("confirm", order.id), ("cancel", order.id)]
        if order.status in _OPEN:
            found.append(("allocate", order.id))
            if book.store.allocations_by_order(order.id):
                found.append(("ship", order.id))
        if order.status in _BILLABLE:
            found.append(("invoice", order.id))
    issued = [i for i in book.store.records(Invoice) if i.status.value == "issued"]
    found += [("pay", i.id) for i in sorted(issued, key=lambda i: i.id)]
    return found


def _build(draw: st.DrawFn, book: OrderBook, choice: tuple[str, str]) -> Command:
    step, record_id = choice
    if step == "place":
        count = draw(st.integers(min_value=1, max_value=3))
        lines = [
            make_line(f"l{n}", sku=draw(st.sampled_from(SKUS)),
                      quantity=draw(st.integers(min_value=1, max_value=8)))
            for n in range(1, count + 1)
        ]  # fmt: skip
        return PlaceOrder(customer_id=draw(st.sampled_from(["acme", "globex"])), lines=lines)
    if step == "confirm":
        return ChangeStatus(order_id=record_id, to="confirmed")
    if step == "cancel":
        return Cancel(order_id=record_id)
    if step == "allocate":
        return Allocate(order_id=record_id)
    if step == "ship":
        held: dict[str, Decimal] = {}
        for allocation in book.store.allocations_by_order(record_id):
            held[allocation.line_id] = (
                held.get(allocation.line_id, Decimal(0)) + allocation.quantity
            )
        return Ship(order_id=record_id, items=held)
    if step == "invoice":
        return InvoiceOrder(order_id=record_id, quantities="shipped", issue=True)
    return RecordPayment(amount=Money("1.00", "EUR"), invoice_id=record_id)
