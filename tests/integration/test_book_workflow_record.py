"""A book file records the workflow it was made with, and reopens with it.

The first command that writes records the workflow (a ``WorkflowRecorded`` event). Opened
again without one, the book runs it; with another, only if that one keeps every status the
book's orders are in (an admin adding a status, recorded with a ``WorkflowChanged`` event);
anything else is refused, naming both. Reading never records anything.
"""

import hashlib
import io

import pytest

from orderbook import Customer, Lot, Money, OrderLine, Product, presets, replay
from orderbook.book import OrderBook
from orderbook.cli import main
from orderbook.errors import OrderbookError, ValidationError
from orderbook.store import MemoryStore
from orderbook.workflow import Status, Transition
from orderbook.workflow.record import workflow_data

TEA = [OrderLine(id="l1", sku="TEA", quantity=2, unit_price=Money("4.00", "EUR"))]


def stock(book):
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="TEA"))


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kinds(book):
    return [event.kind for event in book.events()]


def test_a_file_reopens_with_the_workflow_it_was_made_with(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.mrpeasy()) as book:
        stock(book)
        order = book.place_order("acme", TEA)
        book.transition(order.id, "confirmed")
    with OrderBook.open(path) as reopened:
        assert reopened.workflow == presets.mrpeasy()
        assert kinds(reopened).count("WorkflowRecorded") == 1
        assert kinds(reopened)[0] == "WorkflowRecorded"
        assert reopened.events()[0].data["name"] == "mrpeasy"


def test_another_workflow_is_refused_naming_both(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.mrpeasy()) as book:
        stock(book)
        book.place_order("acme", TEA)  # in MRPeasy's Quotation, which the standard lacks
    before = digest(path)
    with pytest.raises(OrderbookError, match=r"'mrpeasy'.*'standard'.*quotation"):
        OrderBook.open(path, workflow=presets.standard())
    assert digest(path) == before


def test_an_admins_new_status_is_taken_and_recorded_with_an_event(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.mangrove()) as book:
        stock(book)
        book.save_lot(Lot(id="shelf", sku="TEA", quantity=5))
        order = book.place_order("acme", [OrderLine(id="l1", sku="TEA", quantity=1,
                                                    unit_price=Money("4", "EUR"))])  # fmt: skip
    on_hold = presets.mangrove().with_status(
        Status("on_hold", "On Hold"),
        after="confirmed",
        transitions=[Transition(source="draft", target="on_hold", name="hold")],
    )
    with OrderBook.open(path, workflow=on_hold) as admin:
        admin.transition(order.id, "on_hold")
        changed = [e for e in admin.events() if e.kind == "WorkflowChanged"]
        assert [e.data["workflow"]["statuses"][2]["code"] for e in changed] == ["on_hold"]
    with OrderBook.open(path) as reopened:
        assert reopened.workflow == on_hold


def test_reading_a_book_records_nothing_and_changes_no_file(tmp_path):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.kafinea()) as book:
        stock(book)
    with OrderBook.open(path, workflow=presets.kafinea()) as book:  # recorded: nothing new
        assert kinds(book).count("WorkflowRecorded") == 1
    before = digest(path)
    with OrderBook.open(path, read_only=True) as reader:
        assert reader.workflow == presets.kafinea()
        assert reader.orders() == ()
    assert digest(path) == before


def test_a_refused_first_command_or_a_failed_batch_records_nothing(make_book):
    book = make_book(presets.bop())
    with pytest.raises(OrderbookError):
        book.place_order("nobody", TEA)
    assert book.store.setting("workflow") is None
    with pytest.raises(ValidationError):
        batch_that_fails(book)
    assert book.store.setting("workflow") is None
    assert book.events() == ()
    stock(book)
    assert book.store.setting("workflow")["name"] == "bop"


def batch_that_fails(book):
    with book.batch():
        stock(book)
        raise ValidationError("x", 1, "rolls the batch back")


def test_two_books_opened_on_one_new_store_record_its_workflow_once(make_book):
    first, second = make_book(presets.bop()), make_book(presets.bop())
    stock(first)
    second.save_product(Product(sku="MUG"))
    assert kinds(second).count("WorkflowRecorded") == 1


def test_replaying_the_events_records_the_workflow_too(make_book):
    book = make_book(presets.dolibarr())
    stock(book)
    with MemoryStore() as copy:
        replay(book.events(), copy)
        assert OrderBook(copy).workflow == presets.dolibarr()


def test_a_workflow_with_a_guard_of_its_own_must_be_given_again(tmp_path):
    def vip(order, facts):
        return None if order.priority > 5 else "only for VIP orders"

    custom = presets.standard().with_transitions(
        Transition(source="draft", target="completed", name="fast track", guard=vip)
    )
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=custom) as book:
        stock(book)
    with pytest.raises(OrderbookError, match="give the workflow when opening the book"):
        OrderBook.open(path)
    with OrderBook.open(path, workflow=custom) as book:
        assert book.workflow == custom


def test_the_command_line_reads_a_book_of_any_preset(tmp_path, capsys):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.mrpeasy()) as book:
        stock(book)
        order = book.place_order("acme", TEA, number="CO-1")
        book.transition(order.id, "confirmed")
        book.place_order("acme", TEA, number="CO-2")  # a Quotation
    before = digest(path)

    out = io.StringIO()
    assert main(["report", "--db", str(path)], out=out) == 0
    assert "Confirmed" in out.getvalue()
    out = io.StringIO()
    assert main(["check", "--db", str(path)], out=out) == 0
    assert out.getvalue().endswith(": no problems\n")
    assert main(["report", "--db", str(path), "--workflow", "standard"], out=io.StringIO()) == 2
    assert "'mrpeasy'" in capsys.readouterr().err
    assert digest(path) == before


def older_record(workflow):
    """The workflow's record as a book wrote it before statuses had the ``cancels`` flag."""
    data = workflow_data(workflow)
    statuses = [{k: v for k, v in s.items() if k != "cancels"} for s in data["statuses"]]
    return {**data, "format": 1, "statuses": statuses}


@pytest.mark.parametrize("given", [None, "the same preset"])
def test_a_book_that_recorded_an_older_format_still_cancels_as_before(tmp_path, given):
    path = tmp_path / "book.sqlite"
    with OrderBook.open(path, workflow=presets.mrpeasy()) as book:
        stock(book)
        order = book.place_order("acme", TEA)
        book.store.put_setting("workflow", older_record(presets.mrpeasy()))
    options = {} if given is None else {"workflow": presets.mrpeasy()}
    with OrderBook.open(path, **options) as reopened:
        assert reopened.workflow == presets.mrpeasy()
        assert reopened.cancel(order.id).status == "canceled"
        # the older record is this very workflow: nothing is recorded again
        assert "WorkflowChanged" not in kinds(reopened)
        assert reopened.store.setting("workflow")["format"] == 1
