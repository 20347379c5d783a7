"""Junk in every public entry but the commands: the verbs, the book's queries, the portal, the
stores' own methods, the check, the export, replay and the loaders.

Each class of junk that once escaped as another exception than OrderbookError goes into each
argument of each entry in turn, the others valid: a lone surrogate, an int too long for
``str()``, a long id, and a value of a type no argument takes (``book.summary(42)`` gave an
AttributeError). Each must be refused with an OrderbookError that names the argument (or the
value), and the book's ``dump()`` must be as it was, on every store. The one exception is
where the class is an answer, not an error: a sequence number beyond SQL's integers reads
events after it, of which there are none on any store.
"""

import datetime as dt
import inspect
import io
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderbook import (
    Customer,
    Lot,
    Money,
    Order,
    Product,
    Quote,
    RecurringPlan,
    SequentialIds,
    check_book,
    presets,
    replay,
)
from orderbook._fields import MAX_INTEGER, MAX_KEY_BYTES, is_key
from orderbook.book import OrderBook
from orderbook.book._verbs import Verbs
from orderbook.clock import FixedClock
from orderbook.documents import Party
from orderbook.errors import NotFound, OrderbookError, describe
from orderbook.export import book_records, records, to_csv
from orderbook.store import MemoryStore, SQLiteStore
from orderbook.store.events import read_event_data
from orderbook.testing.factories import make_book, make_line

SCALE = float(os.environ.get("ORDERBOOK_SOAK_SCALE", "1"))
DAY = dt.date(2027, 1, 4)
AT = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)

_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
CLASSES = {
    "lone surrogate": st.tuples(st.text(max_size=4), _SURROGATE, st.text(max_size=4)).map("".join),
    "huge int": st.one_of(  # beyond every number a record holds (and SQL's integers)
        st.integers(min_value=10**31),
        st.integers(max_value=-(10**31)),
        st.sampled_from([MAX_INTEGER + 1, 10**4301, 10**5000, -(10**5000)]),
    ),
    "long id": st.one_of(
        st.integers(MAX_KEY_BYTES + 1, 2 * MAX_KEY_BYTES).map(lambda size: "x" * size),
        st.just("é" * (MAX_KEY_BYTES // 2 + 1)),
        st.just("🦀" * (MAX_KEY_BYTES // 4 + 1)),
    ),
    "wrong type": st.sampled_from(
        [object(), b"o1", 1.5, math.nan, complex(1, 1), [object()], (object(),), Ellipsis]
    ),
}
# Arguments a huge int is a fair question to: no event comes after it, on any store.
SEQUENCES = {"since", "after"}
TALLY: dict[tuple[str, str], list[int]] = {}  # (class, store) -> [tried, refused or answered]


def _names(error, argument, value):
    """Whether an error names the argument it refused, or the value."""
    message = str(error)
    if argument in message or getattr(error, "field", "").startswith(argument):
        return True
    if isinstance(error, NotFound):
        return error.record_id == value
    return describe(value) in message


def _counts(junk_class, store):
    return TALLY.setdefault((junk_class, type(store).__name__), [0, 0])


def _takes(junk_class, argument):
    """Whether an argument gets a class of junk: a long text is junk only where an id goes."""
    return junk_class != "long id" or is_key(argument) or argument in {"text", "name"}


# -- the book, the portal and the stores -------------------------------------------------------


@pytest.fixture
def entry_book(store):
    """A book with an order confirmed, allocated, shipped, invoiced and part paid."""
    book = make_book(store=store, orders=2)
    book.transition("id-1", "confirmed")
    book.allocate("id-1")
    book.ship("id-1", {"l1": 1})
    invoice = book.invoice("id-1", "shipped", issue=True)
    book.record_payment(Money("1.00", "EUR"), invoice_id=invoice.id)
    book.save_lot(Lot(id="spare", sku="TEA", quantity=1))
    return book


def _entries(book):
    """Each entry with valid arguments: a name, the callable, and the arguments by name."""
    portal = book.portal("acme", seller=Party(name="Seller"))
    (invoice,) = book.store.invoices_by_order("id-1")
    store = book.store
    entries = [
        ("book.get", book.get, {"kind": Order, "record_id": "id-1"}),
        ("book.orders", book.orders, {"status": "draft", "customer_id": "acme", "sku": "TEA",
                                      "include_superseded": False}),
        ("book.summary", book.summary, {"order_id": "id-1", "as_of": DAY}),
        ("book.history", book.history, {"order_id": "id-1"}),
        ("book.events", book.events, {"since": 0, "order_id": "id-1"}),
        ("book.lots", book.lots, {"sku": "TEA"}),
        ("book.lines", book.lines, {"sku": "TEA", "status": "draft", "customer_id": "acme",
                                    "due_from": DAY, "due_to": DAY, "as_of": DAY}),
        ("book.simulate", book.simulate, {"commands": [], "as_of": DAY}),
        ("book.portal", book.portal, {"customer_id": "acme", "seller": None}),
        ("portal.order", portal.order, {"order_id": "id-1"}),
        ("portal.summary", portal.summary, {"order_id": "id-1", "as_of": DAY}),
        ("portal.view", portal.view, {"order_id": "id-1", "as_of": DAY}),
        ("portal.overview", portal.overview, {"as_of": DAY}),
        ("portal.invoices", portal.invoices, {"order_id": "id-1"}),
        ("portal.invoice", portal.invoice, {"invoice_id": invoice.id}),
        ("portal.invoice_status", portal.invoice_status, {"invoice_id": invoice.id,
                                                          "as_of": DAY}),
        ("portal.payments", portal.payments, {"order_id": "id-1"}),
        ("portal.document", portal.document, {"order_id": "id-1", "seller": None,
                                              "as_of": DAY}),
        ("portal.invoice_document", portal.invoice_document, {"invoice_id": invoice.id,
                                                              "as_of": DAY}),
        ("store.get", store.get, {"kind": Lot, "record_id": "tea-shelf"}),
        ("store.records", store.records, {"kind": Lot}),
        ("store.events", store.events, {"order_id": "id-1", "after": 0}),
        ("store.orders_placed_between", store.orders_placed_between, {"start": AT, "end": AT}),
        ("store.allocations_by_line", store.allocations_by_line, {"order_id": "id-1",
                                                                  "line_id": "l1"}),
        ("store.append_event", store.append_event, {"kind": "Noted", "at": AT,
                                                    "order_id": "id-1", "data": {"a": "b"}}),
        ("store.put", store.put, {"record": Lot(id="new-lot", sku="TEA", quantity=1)}),
        ("store.delete", store.delete, {"record": store.get(Lot, "spare")}),
        ("check_book", check_book, {"store": store, "workflow": book.workflow}),
        ("replay", replay, {"events": (), "store": MemoryStore()}),
        ("book_records", book_records, {"book": book, "as_of": DAY, "customer_id": "acme"}),
        ("records", records, {"summaries": (), "orders": (), "invoices": (), "payments": (),
                              "tax_rounding": "per_line"}),
        ("to_csv", to_csv, {"rows": [{"a": 1}], "file": io.StringIO(), "columns": ["a"]}),
        ("read_event_data", read_event_data, {"text": "{}"}),
        ("presets.by_name", presets.by_name, {"name": "standard"}),
    ]  # fmt: skip
    for name in ("orders_by_customer", "quotes_by_customer", "invoices_by_customer"):
        entries.append((f"store.{name}", getattr(store, name), {"customer_id": "acme"}))
    for name in ("orders_by_sku", "lots_by_sku"):
        entries.append((f"store.{name}", getattr(store, name), {"sku": "TEA"}))
    by_order = ("allocations_by_order", "shipments_by_order", "forfeits_by_order",
                "invoices_by_order", "payments_by_order", "purchase_orders_by_order")  # fmt: skip
    for name in by_order:
        entries.append((f"store.{name}", getattr(store, name), {"order_id": "id-1"}))
    entries += [
        ("store.orders_by_status", store.orders_by_status, {"status": "draft"}),
        ("store.allocations_by_lot", store.allocations_by_lot, {"lot_id": "tea-shelf"}),
        ("store.payments_by_invoice", store.payments_by_invoice, {"invoice_id": invoice.id}),
    ]
    return entries


def test_every_entry_answers_its_valid_arguments(entry_book):
    for _, entry, arguments in _entries(entry_book):
        entry(**arguments)


@pytest.mark.parametrize("junk_class", list(CLASSES))
@settings(
    max_examples=round(6 * SCALE),
    derandomize=SCALE == 1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(data=st.data())
def test_each_class_of_junk_in_every_argument_of_every_entry_is_refused_by_name(
    entry_book, junk_class, data
):
    tally = _counts(junk_class, entry_book.store)
    before = entry_book.store.dump()
    for name, entry, arguments in _entries(entry_book):
        for argument in arguments:
            if not _takes(junk_class, argument):
                continue
            junk = data.draw(CLASSES[junk_class], label=f"{name}({argument})")
            tally[0] += 1
            if junk_class == "huge int" and argument in SEQUENCES and junk > 0:
                assert entry(**(arguments | {argument: junk})) == ()
                tally[1] += 1
                continue
            with pytest.raises(OrderbookError) as refused:
                entry(**(arguments | {argument: junk}))
            assert _names(refused.value, argument, junk), (name, argument, str(refused.value))
            assert entry_book.store.dump() == before, (name, argument)
            tally[1] += 1


def test_a_sequence_number_beyond_sql_integers_reads_no_event_on_every_store(entry_book):
    assert len(entry_book.events()) > 0
    for number in (MAX_INTEGER, MAX_INTEGER + 1, 2**64, 10**5000):
        assert entry_book.events(number) == ()
        assert entry_book.store.events(after=number) == ()
        assert entry_book.events(number, order_id="id-1") == ()


def test_a_record_at_the_last_sql_version_is_refused_before_any_sql_runs(entry_book):
    before = entry_book.store.dump()
    lot = entry_book.get(Lot, "tea-shelf")
    with pytest.raises(OrderbookError) as refused:
        entry_book.store.put(Lot(id=lot.id, sku=lot.sku, quantity=lot.quantity,
                                 version=MAX_INTEGER))  # fmt: skip
    assert refused.value.field == "version"
    with pytest.raises(OrderbookError) as refused:
        Lot(id="x", sku="TEA", quantity=1, version=MAX_INTEGER + 1)
    assert refused.value.field == "version"
    assert entry_book.store.dump() == before


# -- the verbs: each a thin wrapper of a command ------------------------------------------------


class _Built(Exception):
    """The verb built its command and handed it to execute: its own part is done."""


class _Capture(Verbs):
    def execute(self, command):
        raise _Built(command)


_PLAUSIBLE = {
    "customer": Customer(id="new", name="New", currency="EUR"),
    "product": Product(sku="NEW"),
    "lot": Lot(id="new-lot", sku="TEA", quantity=1),
    "quote": Quote(id="q", customer_id="acme", currency="EUR", lines=[make_line()]),
    "customer_id": "acme", "lines": [make_line()], "order_id": "id-1", "to": "confirmed",
    "quote_id": "q", "line_id": "l1", "lots": {"tea-shelf": 1}, "items": {"l1": 1},
    "quantity": 1, "invoice_id": "inv", "payment_id": "p", "amount": Money("1.00", "EUR"),
    "before": DAY, "plan": RecurringPlan(start=DAY, frequency="monthly"),
    "document": (
        '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"'
        ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
        ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:ID>PO-1</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        "<cac:BuyerCustomerParty><cac:Party><cac:PartyTaxScheme>"
        "<cbc:CompanyID>DE123456789</cbc:CompanyID></cac:PartyTaxScheme></cac:Party>"
        "</cac:BuyerCustomerParty><cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID>"
        "<cbc:Quantity>2</cbc:Quantity><cac:Item><cac:SellersItemIdentification>"
        "<cbc:ID>TEA</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:LineItem>"
        "</cac:OrderLine></Order>"
    ),
}  # fmt: skip
_HEADER = {"terms": "Net 30"}  # the changes of edit_order(**changes): one header field


def _verbs():
    for name, member in inspect.getmembers(Verbs, inspect.isfunction):
        if not name.startswith("_") and name != "execute":
            yield name, inspect.signature(member)


# A payment goes against an invoice, or a line of an order: not both.
_OWN_DEFAULTS = {"record_payment": {"order_id", "line_id"}, "invoice": {"amount", "quantity"}}


def _arguments(name, signature):
    arguments = {}
    for parameter in list(signature.parameters.values())[1:]:
        if parameter.kind is parameter.VAR_KEYWORD:
            arguments.update(_HEADER)
        elif parameter.name in _PLAUSIBLE and parameter.name not in _OWN_DEFAULTS.get(name, ()):
            arguments[parameter.name] = _PLAUSIBLE[parameter.name]
        else:
            assert parameter.default is not parameter.empty, parameter.name
            arguments[parameter.name] = parameter.default
    return arguments


def test_every_verb_builds_its_command_from_plausible_arguments():
    verbs = _Capture()
    for name, signature in _verbs():
        with pytest.raises(_Built):
            getattr(verbs, name)(**_arguments(name, signature))


@pytest.mark.parametrize("junk_class", list(CLASSES))
@settings(max_examples=round(6 * SCALE), derandomize=SCALE == 1, deadline=None, database=None)
@given(data=st.data())
def test_each_class_of_junk_in_every_argument_of_every_verb_gives_only_orderbook_errors(
    junk_class, data
):
    verbs = _Capture()
    tally = TALLY.setdefault((junk_class, "verbs"), [0, 0])
    for name, signature in _verbs():
        arguments = _arguments(name, signature)
        for argument in arguments:
            if not _takes(junk_class, argument):
                continue
            junk = data.draw(CLASSES[junk_class], label=f"{name}({argument})")
            tally[0] += 1
            refused = None
            try:
                getattr(verbs, name)(**(arguments | {argument: junk}))
            except _Built:
                pass  # the command took the junk: executing it is the commands' test
            except OrderbookError as error:
                refused = error
            assert refused is None or _names(refused, argument, junk), (name, argument)
            tally[1] += 1


# -- opening a book ----------------------------------------------------------------------------

_OPENING = {"synchronous": "full", "busy_timeout": 1.0, "read_only": False}
_OPENERS = {
    "SQLiteStore": (SQLiteStore, ["path", *_OPENING, "migrations"]),
    "OrderBook.open": (OrderBook.open, ["path", *_OPENING, "workflow", "policy", "clock",
                                        "id_factory", "colour"]),
}  # fmt: skip
_BOOK = {"store": MemoryStore(), "workflow": presets.standard(), "id_factory": SequentialIds("id")}


@pytest.mark.parametrize("junk_class", list(CLASSES))
@settings(max_examples=round(6 * SCALE), derandomize=SCALE == 1, deadline=None, database=None)
@given(data=st.data())
def test_each_class_of_junk_in_the_arguments_opening_a_book_is_refused_creating_nothing(
    tmp_path_factory, junk_class, data
):
    folder = tmp_path_factory.mktemp("open")
    tally = TALLY.setdefault((junk_class, "opening a book"), [0, 0])
    for name, (opener, arguments) in _OPENERS.items():
        for argument in arguments:
            if argument == "path" and junk_class in {"lone surrogate", "long id"}:
                continue  # a file's name, which may hold undecodable bytes (see below)
            junk = data.draw(CLASSES[junk_class], label=f"{name}({argument})")
            if argument == "busy_timeout" and junk == 1.5:
                continue  # seconds: a float is a fair number of them
            tally[0] += 1
            valid = {"path": folder / "book.sqlite", **_OPENING}
            with pytest.raises(OrderbookError) as refused:
                opener(**(valid | {argument: junk})).close()
            assert _names(refused.value, argument, junk), (argument, str(refused.value))
            assert list(folder.iterdir()) == [], argument
            tally[1] += 1
    for argument in ["store", "workflow", "policy", "clock", "id_factory"]:
        if junk_class == "long id":
            break  # no argument of the book is an id
        junk = data.draw(CLASSES[junk_class], label=f"OrderBook({argument})")
        tally[0] += 1
        with pytest.raises(OrderbookError) as refused:
            OrderBook(**(_BOOK | {argument: junk}))
        assert _names(refused.value, argument, junk), (argument, str(refused.value))
        tally[1] += 1


def test_a_path_the_file_system_cannot_name_is_refused(tmp_path):
    for path in (tmp_path / "caf\ud800.sqlite", tmp_path / "nul\x00.sqlite"):
        with pytest.raises(OrderbookError, match="path"):
            SQLiteStore(path)
    assert list(tmp_path.iterdir()) == []


def test_how_many_inputs_each_class_of_junk_tried_and_how_many_were_refused_cleanly():
    if not any(where == "SQLiteStore" for _, where in TALLY):
        pytest.skip("only part of this module ran")
    for (junk_class, where), (tried, clean) in sorted(TALLY.items()):
        outcome = (
            "refused by name or built into their command"
            if where == "verbs"
            else ("refused cleanly")
        )
        print(f"\njunk in entries: {junk_class} in {where}: {clean} of {tried} {outcome}")
        assert tried == clean > 0


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"dsn": 42}, "dsn"),
        ({"dsn": "host=\x00 password=secret"}, "dsn"),
        ({"dsn": "password=s\ud800cret"}, "dsn"),
        ({"dsn": "postgresql:///book", "schema": "caf\ud800"}, "schema"),
        ({"dsn": "postgresql:///book", "lock_timeout": 10**5000}, "lock_timeout"),
    ],
)
def test_junk_opening_a_postgres_store_is_refused_before_connecting(arguments, field):
    postgres = pytest.importorskip("orderbook.store.postgres")
    with pytest.raises(OrderbookError) as refused:
        postgres.PostgresStore(**arguments)
    assert refused.value.field == field
    assert "secret" not in str(refused.value)
    assert "s\ud800cret" not in str(refused.value)


def test_ids_of_the_most_bytes_allowed_are_kept_alike_on_every_store(store):
    """The widest index entry, an allocation's (order_id, line_id, id), fits every store."""
    numbers = iter(range(1000, 10000))

    def ids():  # 4 digits and 254 two-byte letters: 512 bytes
        return f"{next(numbers)}" + "é" * ((MAX_KEY_BYTES - 4) // 2)

    def widest(letter):
        return letter * MAX_KEY_BYTES

    book = OrderBook(store, clock=FixedClock(AT), id_factory=ids)
    book.save_customer(Customer(id=widest("c"), name="C", currency="EUR"))
    book.save_product(Product(sku=widest("S")))
    book.save_lot(Lot(id=widest("L"), sku=widest("S"), quantity=5))
    line = make_line(widest("l"), sku=widest("S"), quantity=2)
    book.place_order(widest("c"), [line], order_id=widest("o"))
    book.transition(widest("o"), "confirmed")
    assert book.allocate(widest("o")).served == 2
    (allocation,) = store.allocations_by_line(widest("o"), widest("l"))
    assert len(allocation.id.encode()) == MAX_KEY_BYTES
    assert store.orders_by_sku(widest("S"))[0].id == widest("o")
    with pytest.raises(OrderbookError) as refused:
        Lot(id=widest("L") + "L", sku="TEA", quantity=1)
    assert refused.value.field == "id"
