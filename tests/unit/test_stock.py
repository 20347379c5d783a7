"""What a lot has committed, tentatively held and free; which orders commit; which are live."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import Allocation, Lot, Order, presets
from orderbook.allocation import Demand, allocate
from orderbook.errors import ValidationError
from orderbook.revisions import live_orders
from orderbook.stock import LotStock, committing_orders, lot_stock, stock_by_lot

WORKFLOW = presets.standard()
COMMITTING = sorted(s.code for s in WORKFLOW.statuses if s.commits)
NOT_COMMITTING = sorted(s.code for s in WORKFLOW.statuses if not s.commits)


def order(order_id, status="draft", **fields):
    return Order(id=order_id, customer_id="acme", currency="EUR", status=status, **fields)


def held(order_id, lot_id, quantity, n=1):
    return Allocation(
        id=f"{order_id}-{lot_id}-{n}", order_id=order_id, line_id="l1", lot_id=lot_id,
        sku="TEA", quantity=quantity,
    )  # fmt: skip


def test_a_draft_holds_tentatively_and_takes_nothing_from_what_is_free():
    shelf = Lot(id="shelf", sku="TEA", quantity=10)
    orders = [order("o1", "confirmed"), order("o2", "draft")]
    stock = lot_stock(
        shelf, [held("o1", "shelf", 3), held("o2", "shelf", 5)],
        committing=committing_orders(orders, WORKFLOW),
    )  # fmt: skip
    assert (stock.committed, stock.tentative, stock.remaining) == (3, 5, 7)
    assert stock.quantity == 10


def test_allocations_of_other_lots_are_left_out():
    stock = lot_stock(
        Lot(id="shelf", sku="TEA", quantity=4),
        [held("o1", "shelf", 1), held("o1", "attic", 2), held("o2", "attic", 9)],
        committing={"o1"},
    )
    assert (stock.committed, stock.tentative) == (1, 0)


def test_a_lot_committed_beyond_its_quantity_has_nothing_free_not_less():
    stock = lot_stock(
        Lot(id="shelf", sku="TEA", quantity=2), [held("o1", "shelf", 5)], committing={"o1"}
    )
    assert stock.committed == 5
    assert stock.remaining == 0


def test_an_order_in_a_status_the_workflow_does_not_have_commits_nothing():
    orders = [order("o1", "confirmed"), order("o2", "no_such_status"), order("o3", "shipped")]
    assert committing_orders(orders, WORKFLOW) == {"o1", "o3"}


def test_a_lot_stock_is_the_value_the_book_has_always_shown():
    from orderbook.book import LotStock as FromTheBook
    from orderbook.book.queries import LotStock as FromTheQueries

    assert FromTheBook is LotStock
    assert FromTheQueries is LotStock


LOT = Lot(id="x", sku="TEA", quantity=1)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: lot_stock("shelf", [], committing=()), "lot"),
        (lambda: lot_stock(LOT, "o1", committing=()), "allocations"),
        (lambda: lot_stock(LOT, [1], committing=()), "allocations[0]"),
        (lambda: stock_by_lot([None], [], committing=()), "lots[0]"),
        (lambda: stock_by_lot([LOT, LOT], [], committing=()), "lots[1].id"),
        (lambda: committing_orders([order("o1"), "o2"], WORKFLOW), "orders[1]"),
        (lambda: live_orders(order("o1")), "orders"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_naming_the_argument(call, named):
    with pytest.raises(ValidationError) as raised:
        call()
    assert raised.value.field == named


@st.composite
def holdings(draw):
    lots = [
        Lot(id=f"lot{n}", sku="TEA", quantity=draw(st.integers(0, 20)))
        for n in range(draw(st.integers(1, 4)))
    ]
    orders = [
        order(f"o{n}", draw(st.sampled_from(COMMITTING + NOT_COMMITTING)))
        for n in range(draw(st.integers(0, 4)))
    ]
    allocations = []
    for n in range(draw(st.integers(0, 12))) if orders else ():
        allocations.append(
            held(
                draw(st.sampled_from(orders)).id,
                draw(st.sampled_from([lot.id for lot in lots] + ["elsewhere"])),
                draw(st.decimals(min_value="0.1", max_value=9, places=1)),
                n,
            )
        )
    return lots, orders, allocations


@settings(max_examples=150, deadline=None)
@given(holdings())
def test_every_allocation_on_a_lot_is_either_committed_or_tentative(holding):
    lots, orders, allocations = holding
    committing = committing_orders(orders, WORKFLOW)
    for lot in lots:
        stock = lot_stock(lot, allocations, committing=committing)
        on_it = [a for a in allocations if a.lot_id == lot.id]
        assert stock.committed + stock.tentative == sum((a.quantity for a in on_it), Decimal(0))
        # moving a committing order to a status that does not commit frees what it held
        for o in orders:
            if o.id in committing:
                fewer = committing - {o.id}
                moved = lot_stock(lot, allocations, committing=fewer)
                its = sum((a.quantity for a in on_it if a.order_id == o.id), Decimal(0))
                assert moved.tentative == stock.tentative + its
                assert moved.remaining >= stock.remaining


@settings(max_examples=150, deadline=None)
@given(holdings())
def test_the_stock_of_many_lots_is_the_stock_of_each(holding):
    lots, orders, allocations = holding
    committing = committing_orders(orders, WORKFLOW)
    stocks = stock_by_lot(lots, allocations, committing=committing)
    assert list(stocks) == [lot.id for lot in lots]
    for lot in lots:
        assert stocks[lot.id] == lot_stock(lot, allocations, committing=committing)


@settings(max_examples=100, deadline=None)
@given(holdings(), st.lists(st.integers(1, 15), max_size=4))
def test_what_the_allocator_leaves_of_a_lot_is_what_its_stock_says_is_free(holding, wanted):
    lots, orders, allocations = holding
    committing = committing_orders(orders, WORKFLOW)
    existing = [a for a in allocations if a.order_id in committing]
    demands = [
        Demand(line_id=f"d{n}", order_id="new", sku="TEA", quantity=q)
        for n, q in enumerate(wanted)
    ]
    plan = allocate(demands, lots, as_of=dt.date(2027, 1, 4), existing=existing)
    fills = [held("new", f.lot_id, f.quantity, n) for n, f in enumerate(plan.fills)]
    for lot in lots:
        after = lot_stock(lot, [*allocations, *fills], committing={*committing, "new"})
        assert plan.remaining(lot.id) == after.remaining
        before = lot_stock(lot, allocations, committing=committing)
        if before.committed <= lot.quantity:
            assert after.committed <= lot.quantity


def test_only_the_newest_revision_of_an_amended_order_is_live():
    chain = [
        order("o1"),
        order("o1~r2", revision=2, supersedes="o1"),
        order("o1~r3", revision=3, supersedes="o1~r2"),
        order("o2"),
    ]
    assert [o.id for o in live_orders(chain)] == ["o1~r3", "o2"]
    assert [o.id for o in live_orders(reversed(chain))] == ["o2", "o1~r3"]


def test_a_revision_is_superseded_only_by_an_order_among_those_given():
    newer = order("o1~r2", revision=2, supersedes="o1")
    assert live_orders([order("o1")]) == (order("o1"),)
    assert live_orders([newer]) == (newer,)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=5), st.randoms(use_true_random=False))
def test_each_amendment_chain_has_exactly_one_live_revision_its_newest(lengths, random):
    orders, newest = [], set()
    for n, length in enumerate(lengths):
        previous = None
        for revision in range(1, length + 1):
            this = order(f"o{n}~r{revision}", revision=revision, supersedes=previous)
            orders.append(this)
            previous = this.id
        newest.add(previous)
    random.shuffle(orders)
    live = live_orders(orders)
    assert {o.id for o in live} == newest
    assert len(live) == len(lengths)
    assert [o for o in orders if o in live] == list(live)
