"""``book.as_of(moment)``: the book as it stood after the events up to a moment, read-only.

The view is rebuilt by replaying the log up to the moment, so it must be the very book that
ran only the commands whose events come up to there: the same records, events and answers.
It refuses every command with the error a book file opened read-only gives, and reading it
writes nothing, not even on a read-only file.
"""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import Customer, Lot, Money, OrderLine, Product, SequentialIds, presets
from orderbook import commands as c
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.errors import OrderbookError, ValidationError
from orderbook.model import Order
from orderbook.store import MemoryStore
from orderbook.testing.factories import FROZEN_AT, make_book
from orderbook.testing.strategies import _build, _choices
from orderbook.workflow import Status, Transition

MINUTE = dt.timedelta(minutes=1)
DAY = dt.date(2027, 2, 1)
REFUSED = r"read-only view as of event \d+; commands are refused"


def tea(quantity=2):
    return [OrderLine(id="l1", sku="TEA", quantity=quantity, unit_price=Money("4.00", "EUR"))]


def summaries(book, day=DAY):
    return {o.id: book.summary(o.id, as_of=day) for o in book.orders(include_superseded=True)}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the acceptance property: a view is the book that ran only the commands up to there ----


@st.composite
def streams(draw):
    """A book's stock, and a stream of commands that make sense as it goes (some refused)."""
    stock = draw(st.integers(min_value=0, max_value=12))
    book = _fresh(stock)
    attempted = []
    for _ in range(draw(st.integers(min_value=0, max_value=14))):
        choices = _choices(book, 3)
        if not choices:
            break
        command = _build(draw, book, draw(st.sampled_from(choices)))
        attempted.append(command)
        _attempt(book, command)
    return stock, attempted


def _fresh(stock):
    return make_book(customers=("acme", "globex"), stock=stock, clock=FixedClock(FROZEN_AT))


def _attempt(book, command):
    """Run a command a minute after the last one; True if the book took it."""
    book.clock.advance(MINUTE)
    try:
        book.execute(command)
    except OrderbookError:
        return False
    return True


def _run(stock, commands):
    """A book that ran the commands; the number of events after each (0: after the stock)."""
    book = _fresh(stock)
    counts = [len(book.events())]
    taken = []
    for command in commands:
        taken.append(_attempt(book, command))
        counts.append(len(book.events()))
    return book, counts, taken


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_a_view_is_the_book_that_ran_only_the_commands_up_to_its_moment(stream, data):
    stock, commands = stream
    whole, counts, _ = _run(stock, commands)
    done = data.draw(st.integers(min_value=0, max_value=len(commands)), label="commands")
    part, _, _ = _run(stock, commands[:done])
    view = whole.as_of(counts[done])
    assert view.store.dump() == part.store.dump()
    assert summaries(view) == summaries(part)
    assert view.orders() == part.orders()
    assert [view.history(o.id) for o in view.orders()] == [
        part.history(o.id) for o in part.orders()
    ]
    # by the clock: half a minute after the command, before the next one
    after = whole.as_of(FROZEN_AT + done * MINUTE + MINUTE / 2)
    assert after.store.dump() == view.store.dump()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_a_view_inside_a_command_holds_exactly_the_first_events(stream, data):
    stock, commands = stream
    whole, _, _ = _run(stock, commands)
    events = whole.events()
    upto = data.draw(st.integers(min_value=0, max_value=len(events)), label="events")
    view = whole.as_of(upto)
    assert [e.to_row() for e in view.events()] == [e.to_row() for e in events[:upto]]
    assert view.store.dump()["event"] == whole.store.dump()["event"][:upto]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_a_view_refuses_the_very_command_the_book_took_next(stream, data):
    stock, commands = stream
    whole, counts, taken = _run(stock, commands)
    # a command the book took that wrote something (an allocation with no stock writes none)
    wrote = [i for i, ok in enumerate(taken) if ok and counts[i + 1] > counts[i]]
    if not wrote:
        return
    index = data.draw(st.sampled_from(wrote), label="command")
    view = whole.as_of(counts[index])
    before = view.store.dump()
    with pytest.raises(OrderbookError, match=REFUSED):
        view.execute(commands[index])
    assert view.store.dump() == before
    assert whole.store.dump() == _run(stock, commands)[0].store.dump()


# -- moments given by the clock -----------------------------------------------------------


@pytest.fixture
def dated():
    """A book whose commands happen an hour apart, from 09:00 on 2027-03-01."""
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    book = OrderBook(clock=clock, id_factory=SequentialIds("id"))
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    book.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
    clock.advance(dt.timedelta(hours=1))
    order = book.place_order("acme", tea())
    clock.advance(dt.timedelta(hours=1))
    book.transition(order.id, "confirmed")
    clock.advance(dt.timedelta(hours=1))
    book.allocate(order.id)
    return book


def test_a_moment_between_two_commands_is_the_last_event_at_or_before_it(dated):
    for hours, status in ((1.5, "draft"), (2.5, "confirmed"), (3.5, "confirmed")):
        moment = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
        last = max(e.sequence for e in dated.events() if e.at <= moment)
        view = dated.as_of(moment)
        assert view.store.dump() == dated.as_of(last).store.dump()
        assert view.get(Order, "id-1").status == status


def test_a_moment_is_compared_as_an_instant_whatever_its_zone(dated):
    paris = dt.timezone(dt.timedelta(hours=2))
    same = dt.datetime(2027, 3, 1, 12, 30, tzinfo=paris)  # 10:30 UTC
    utc = dt.datetime(2027, 3, 1, 10, 30, tzinfo=dt.UTC)
    assert dated.as_of(same).store.dump() == dated.as_of(utc).store.dump()


def test_an_event_at_the_moment_itself_is_in_the_view(dated):
    placed = next(e for e in dated.events() if e.kind == "OrderPlaced")
    assert dated.as_of(placed.at).events()[-1].sequence == placed.sequence


def test_before_the_first_event_is_the_empty_book_and_after_the_last_the_whole_book(dated):
    early = dated.as_of(dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC))
    assert early.store.dump() == MemoryStore().dump() == dated.as_of(0).store.dump()
    late = dated.as_of(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert late.store.dump() == dated.store.dump()
    assert summaries(late) == summaries(dated)


def test_a_clock_set_back_does_not_let_a_later_event_in(dated):
    dated.clock.set(dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC))
    dated.save_lot(Lot(id="cellar", sku="TEA", quantity=1))
    view = dated.as_of(dt.datetime(2027, 3, 1, 8, 45, tzinfo=dt.UTC))
    assert view.events() == ()


# -- the view is read-only ----------------------------------------------------------------


COMMANDS = {
    "place": lambda b: b.place_order("acme", tea()),
    "approve": lambda b: b.transition("id-1", "confirmed"),
    "allocate": lambda b: b.allocate("id-2"),
    "ship": lambda b: b.ship("id-2", {"l1": Decimal(1)}),
    "invoice": lambda b: b.invoice("id-2", quantities="remaining"),
    "pay": lambda b: b.record_payment(Money("1.00", "EUR"), order_id="id-2", line_id="l1"),
    "cancel": lambda b: b.cancel("id-1"),
    "save a customer": lambda b: b.save_customer(Customer(id="new", name="N", currency="EUR")),
    "save a lot": lambda b: b.save_lot(Lot(id="cellar", sku="TEA", quantity=3)),
    "edit lines": lambda b: b.edit_lines("id-1", tea(3)),
}


def make_lived():
    """A book with a draft order id-1 and a confirmed order id-2."""
    book = make_book(customers=("acme",), skus=("TEA",), stock=10)
    book.place_order("acme", tea())
    second = book.place_order("acme", tea())
    book.transition(second.id, "confirmed")
    return book


@pytest.fixture
def lived():
    """The book of :func:`make_lived`."""
    return make_lived()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_view_refuses_every_kind_of_command_and_changes_nothing(lived, command):
    COMMANDS[command](make_lived())  # the same command on the same book is taken
    view = lived.as_of(len(lived.events()))
    live_before, view_before = lived.store.dump(), view.store.dump()
    with pytest.raises(OrderbookError, match=REFUSED) as refused:
        COMMANDS[command](view)
    assert type(refused.value) is OrderbookError
    assert view.store.dump() == view_before == live_before
    assert lived.store.dump() == live_before


def test_the_refusal_names_the_event_of_the_view(lived):
    for upto in (0, 3, len(lived.events())):
        with pytest.raises(OrderbookError, match=rf"as of event {upto};"):
            lived.as_of(upto).save_product(Product(sku="MUG"))


def test_the_views_refusal_is_of_the_class_a_read_only_file_gives(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path) as book:
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    with OrderBook.open(path, read_only=True) as reader:
        with pytest.raises(OrderbookError) as from_file:
            reader.save_product(Product(sku="TEA"))
        with pytest.raises(OrderbookError) as from_view:
            reader.as_of(1).save_product(Product(sku="TEA"))
    assert type(from_view.value) is type(from_file.value)


def test_a_batch_on_the_view_is_refused_whole(lived):
    view = lived.as_of(len(lived.events()))
    before = view.store.dump()
    with pytest.raises(OrderbookError, match=REFUSED), view.batch():
        view.place_order("acme", tea())
    assert view.store.dump() == before


def test_what_if_runs_on_the_view_as_on_the_book_then(lived):
    view = lived.as_of(len(lived.events()))
    what_if = view.simulate([c.Allocate(order_id="id-2")], as_of=DAY)
    allocated = [r for r in what_if.outcomes[0].written if r.__class__.__name__ == "Allocation"]
    assert [(a.order_id, a.quantity) for a in allocated] == [("id-2", Decimal(2))]
    assert view.store.allocations_by_order("id-2") == ()
    assert lived.store.allocations_by_order("id-2") == ()


def test_the_view_answers_the_queries_as_the_book_did_then(lived):
    then = len(lived.events())
    lines_then, lots_then, summaries_then = lived.lines(), lived.lots("TEA"), summaries(lived)
    lived.allocate("id-2")
    lived.ship("id-2", {"l1": Decimal(2)})
    view = lived.as_of(then)
    assert view.lines() == lines_then
    assert view.lots("TEA") == lots_then
    assert summaries(view) == summaries_then
    assert view.invoices("id-2") == ()
    assert [h.target for h in view.history("id-2")] == ["confirmed"]
    assert [h.target for h in lived.history("id-2")][-1] == "shipped"


def test_a_view_keeps_the_books_policy_clock_and_id_factory(lived):
    view = lived.as_of(2)
    assert (view.policy, view.clock, view.id_factory) == (
        lived.policy,
        lived.clock,
        lived.id_factory,
    )
    assert view.workflow is lived.workflow


# -- the workflow as of the moment --------------------------------------------------------


def on_hold():
    return presets.mangrove().with_status(
        Status("on_hold", "On Hold"),
        after="confirmed",
        transitions=[Transition(source="draft", target="on_hold", name="hold")],
    )


def test_the_view_runs_the_workflow_the_book_recorded_then():
    store = MemoryStore()
    first = OrderBook(store, workflow=presets.mangrove(), id_factory=SequentialIds("o"))
    first.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    first.save_product(Product(sku="TEA"))
    first.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
    first.place_order("acme", tea())
    before_the_change = len(first.events())
    admin = OrderBook(store, workflow=on_hold())
    admin.transition("o-1", "on_hold")
    assert "WorkflowChanged" in [e.kind for e in admin.events()]
    then = admin.as_of(before_the_change)
    assert then.workflow == presets.mangrove() != admin.workflow
    assert "on_hold" not in then.choices("o-1", as_of=DAY).allowed
    now = admin.as_of(len(admin.events()))
    assert now.workflow is admin.workflow
    assert now.get(Order, "o-1").status == "on_hold"


def test_a_workflow_of_the_applications_own_that_has_changed_since_is_refused():
    def trusted(order, facts):
        return None

    own = presets.standard().with_status(
        Status("vetted", "Vetted"),
        after="draft",
        transitions=[Transition(source="draft", target="vetted", name="vet", guard=trusted)],
    )
    store = MemoryStore()
    book = OrderBook(store, workflow=own)
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    then = len(book.events())
    more = own.with_status(
        Status("held", "Held"),
        after="vetted",
        transitions=[Transition(source="draft", target="held", name="hold")],
    )
    changed = OrderBook(store, workflow=more)
    changed.save_product(Product(sku="TEA"))
    with pytest.raises(OrderbookError, match=r"cannot be rebuilt.*trusted"):
        changed.as_of(then)
    assert changed.as_of(len(changed.events())).workflow is changed.workflow


# -- nothing is written: a read-only file stays byte for byte as it was -------------------


def test_as_of_on_a_read_only_file_leaves_it_byte_identical(tmp_path):
    path = tmp_path / "book.sqlite"
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    with OrderBook.open(path, clock=clock) as book:
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        book.save_product(Product(sku="TEA"))
        book.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
        order = book.place_order("acme", tea())
        clock.advance(dt.timedelta(days=1))
        book.transition(order.id, "confirmed")
        book.allocate(order.id)
        whole = book.store.dump()
    before, beside = digest(path), sorted(p.name for p in tmp_path.iterdir())
    with OrderBook.open(path, read_only=True, clock=clock) as reader:
        view = reader.as_of(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC))
        assert view.get(Order, order.id).status == "draft"
        assert view.lots("TEA")[0].committed == Decimal(0)
        assert reader.as_of(len(reader.events())).store.dump() == whole
        with pytest.raises(OrderbookError, match=REFUSED):
            view.transition(order.id, "confirmed")
        view.simulate([c.ChangeStatus(order_id=order.id, to="confirmed")])
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside


def test_the_view_of_a_book_on_every_store_is_its_replayed_log(book, make_line):
    order = book.place_order("acme", [make_line("l1", "TEA", 3)])
    book.transition(order.id, "confirmed")
    book.allocate(order.id)
    upto, then = len(book.events()), book.store.dump()
    book.ship(order.id, {"l1": Decimal(3)})
    view = book.as_of(upto)
    assert view.store.dump() == then
    assert book.summary(order.id).fulfilment.by_quantity == Decimal(100)
    assert view.summary(order.id).fulfilment.by_quantity == Decimal(0)
    assert [a.quantity for a in view.store.allocations_by_order(order.id)] == [Decimal(3)]


# -- bad moments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 3, 1, 9, 0),
        -1,
        True,
        False,
        "3",
        3.0,
        None,
        dt.date(2027, 3, 1),
        Decimal(2),
    ],
    ids=repr,
)
def test_a_bad_moment_is_refused_naming_it(lived, moment):
    before = lived.store.dump()
    with pytest.raises(ValidationError) as refused:
        lived.as_of(moment)
    assert refused.value.field == "moment"
    assert lived.store.dump() == before


def test_a_number_beyond_the_last_event_is_refused_naming_the_last(lived):
    last = len(lived.events())
    assert lived.as_of(last).events()[-1].sequence == last
    with pytest.raises(ValidationError, match=rf"moment is beyond the last event.*{last}\b"):
        lived.as_of(last + 1)
