"""The customer portal: one customer's visible orders, and nothing of anyone else's."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderbook import (
    Customer,
    Lot,
    Money,
    NotFound,
    Order,
    OrderbookError,
    OrderLine,
    Product,
    SequentialIds,
    ValidationError,
    presets,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.documents import Party
from orderbook.model import DocumentStatus, Invoice
from orderbook.portal import Portal

SELLER = Party(name="Tea Traders Ltd")
DAY = dt.date(2027, 3, 1)


def tea(quantity, price="5.00"):
    return [OrderLine(id="l1", sku="TEA", quantity=quantity, unit_price=Money(price, "EUR"))]


def missing_like(portal_call, kind, record_id):
    """The call raises exactly the NotFound a record that never existed gives."""
    with pytest.raises(NotFound) as caught:
        portal_call()
    error = caught.value
    assert type(error) is NotFound
    assert (error.kind, error.record_id, str(error)) == (
        kind,
        record_id,
        f"no {kind} with id {record_id!r}",
    )
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


# -- examples, on each store --------------------------------------------------------------------


def test_a_customer_sees_their_confirmed_orders_but_not_their_drafts(book):
    shown = book.transition(book.place_order("acme", tea(2)).id, "confirmed")
    draft = book.place_order("acme", tea(1))
    other = book.transition(book.place_order("globex", tea(3)).id, "confirmed")
    portal = Portal(book, "acme")
    assert [order.id for order in portal.orders()] == [shown.id]
    assert portal.order(shown.id) == book.get(Order, shown.id)
    assert portal.summary(shown.id, as_of=DAY).gross == Money("10.00", "EUR")
    for hidden in (draft.id, other.id, "no-such-order"):
        missing_like(lambda hidden=hidden: portal.order(hidden), "order", hidden)
        missing_like(lambda hidden=hidden: portal.summary(hidden), "order", hidden)
        missing_like(lambda hidden=hidden: portal.view(hidden), "order", hidden)
        missing_like(lambda hidden=hidden: portal.invoices(hidden), "order", hidden)
        missing_like(lambda hidden=hidden: portal.payments(hidden), "order", hidden)
        missing_like(lambda hidden=hidden: portal.document(hidden, seller=SELLER), "order", hidden)


def test_kafinea_shows_an_order_only_once_it_is_finalized(make_book, stocked):
    book = stocked(make_book(presets.kafinea()))
    order = book.place_order("acme", tea(2))
    portal = Portal(book, "acme")
    assert portal.orders() == ()
    missing_like(lambda: portal.order(order.id), "order", order.id)
    final = book.finalize(order.id)
    assert portal.orders() == (final,)
    dropped = book.place_order("acme", tea(1))
    book.cancel(dropped.id)
    book.finalize(dropped.id)
    assert portal.orders() == (final,)
    missing_like(lambda: portal.order(dropped.id), "order", dropped.id)


def test_only_issued_invoices_show_each_with_what_was_paid_against_it(book):
    order = book.transition(book.place_order("acme", tea(4)).id, "confirmed")
    issued = book.invoice(order.id, {"l1": 2}, issue=True, number="INV-1", due_days=30)
    draft = book.invoice(order.id, {"l1": 1})
    book.record_payment(Money("4.00", "EUR"), invoice_id=issued.id, received_on=DAY)
    book.record_payment(
        Money("1.00", "EUR"), invoice_id=issued.id, received_on=DAY + dt.timedelta(days=5)
    )
    portal = Portal(book, "acme")
    assert portal.invoices() == portal.invoices(order.id) == (book.get(Invoice, issued.id),)
    missing_like(lambda: portal.invoice(draft.id), "invoice", draft.id)
    assert portal.invoice_status(issued.id, as_of=DAY).outstanding == Money("6.00", "EUR")
    (view,) = portal.overview(as_of=DAY)
    assert [(i.invoice.number, i.payment.paid) for i in view.invoices] == [
        ("INV-1", Money("4.00", "EUR"))
    ]
    assert view.payment == view.summary.payment
    assert [p.amount for p in view.payments] == [Money("4.00", "EUR")]  # by that date
    assert view.payment.outstanding == Money("6.00", "EUR")
    assert [p.amount for p in portal.payments()] == [Money("4.00", "EUR"), Money("1.00", "EUR")]
    bill = portal.invoice_document(issued.id, seller=SELLER, as_of=DAY)
    assert (bill.title, bill.recipient.name, bill.payment.paid) == (
        "Invoice INV-1",
        "AcmeCorp",
        Money("4.00", "EUR"),
    )
    book.cancel_invoice(issued.id)
    assert portal.invoices() == ()
    missing_like(lambda: portal.invoice(issued.id), "invoice", issued.id)


def test_an_amended_order_shows_only_its_latest_revision(book):
    order = book.transition(book.place_order("acme", tea(2)).id, "confirmed")
    newer = book.amend(order.id, tea(3))
    portal = Portal(book, "acme")
    assert [o.id for o in portal.orders()] == [newer.id]
    missing_like(lambda: portal.order(order.id), "order", order.id)


def test_the_confirmation_is_built_for_the_customer_with_the_seller_given(book):
    order = book.transition(book.place_order("acme", tea(2), number="SO-5").id, "confirmed")
    document = Portal(book, "acme", seller=SELLER).document(order.id, as_of=DAY)
    assert (document.title, document.issuer, document.recipient.name) == (
        "Order confirmation SO-5",
        SELLER,
        "AcmeCorp",
    )
    assert document.payment.due == Money("0.00", "EUR")
    with pytest.raises(ValidationError, match="seller must be given here or to the Portal"):
        Portal(book, "acme").document(order.id)


def test_reading_through_the_portal_changes_nothing(book):
    order = book.transition(book.place_order("acme", tea(2)).id, "confirmed")
    book.invoice(order.id, issue=True)
    before = (book.store.dump(), len(book.events()))
    portal = Portal(book, "acme", seller=SELLER)
    portal.overview()
    portal.payments()
    portal.document(order.id)
    assert (book.store.dump(), len(book.events())) == before


def test_an_unknown_customer_or_a_wrong_argument_is_refused(book):
    missing_like(lambda: Portal(book, "nobody"), "customer", "nobody")
    with pytest.raises(ValidationError, match="book must be an OrderBook"):
        Portal(book.store, "acme")
    with pytest.raises(ValidationError, match="seller must be a Party"):
        Portal(book, "acme", seller="Tea Traders")
    portal = Portal(book, "acme")
    with pytest.raises(ValidationError, match="as_of must be a date"):
        portal.overview(as_of="2027-03-01")
    with pytest.raises(ValidationError, match="order_id must be a str"):
        portal.order(7)
    assert repr(portal) == "Portal(customer='acme')"


# -- the isolation property, over random books --------------------------------------------------

STEPS = ("advance", "ship", "cancel", "finalize", "draft", "issue", "pay", "pay_line", "amend")
WORKFLOWS = {"standard": (presets.standard, "confirmed"), "kafinea": (presets.kafinea, "approved")}


def play(book, customer, quantity, steps, forward):
    """Place one order and try each step on its latest revision; refused steps are skipped."""
    order_id = book.place_order(customer, tea(quantity)).id
    for step in steps:
        try:
            if step == "advance":
                book.transition(order_id, forward)
            elif step == "ship":
                book.allocate(order_id)
                book.ship(order_id, {"l1": 1})
            elif step == "cancel":
                book.cancel(order_id)
            elif step == "finalize":
                book.finalize(order_id)
            elif step in ("draft", "issue"):
                book.invoice(order_id, {"l1": 1}, issue=step == "issue")
            elif step == "pay":
                issued = [
                    i
                    for i in book.store.invoices_by_order(order_id)
                    if i.status == DocumentStatus.ISSUED
                ]
                if issued:
                    book.record_payment(Money("1.00", "EUR"), invoice_id=issued[0].id)
            elif step == "pay_line":
                book.record_payment(Money("2.00", "EUR"), order_id=order_id, line_id="l1")
            else:
                order_id = book.amend(order_id, tea(quantity + 1)).id
        except OrderbookError:
            continue


orders_strategy = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(1, 4),
        st.lists(st.sampled_from(STEPS), max_size=5),
    ),
    min_size=1,
    max_size=8,
)


def expected_orders(book, customer_id):
    every = book.store.records(Order)
    superseded = {o.supersedes for o in every if o.supersedes}
    return {
        o.id
        for o in every
        if o.customer_id == customer_id
        and o.id not in superseded
        and book.workflow.visible_to_customer(o)
    }


@settings(max_examples=60, deadline=None)
@given(workflow=st.sampled_from(sorted(WORKFLOWS)), orders=orders_strategy)
def test_no_portal_view_ever_shows_another_customers_data(workflow, orders):
    make, forward = WORKFLOWS[workflow]
    book = OrderBook(
        workflow=make(),
        clock=FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)),
        id_factory=SequentialIds("id"),
    )
    customers = [f"c{n}" for n in range(4)]
    for customer_id in customers:
        book.save_customer(Customer(id=customer_id, name=f"Name {customer_id}", currency="EUR"))
    book.save_product(Product(sku="TEA"))
    book.save_lot(Lot(id="shelf", sku="TEA", quantity=1000))
    for customer, quantity, steps in orders:
        play(book, customers[customer], quantity, steps, forward)
    before = (book.store.dump(), len(book.events()))
    every_order = [o.id for o in book.store.records(Order)] + ["id-0", "missing"]
    every_invoice = [i.id for i in book.store.records(Invoice)] + ["id-0", "missing"]

    for customer_id in customers:
        check_one_customer(book, customer_id, every_order, every_invoice)
    assert (book.store.dump(), len(book.events())) == before


def check_one_customer(book, customer_id, every_order, every_invoice):
    """Every answer of the customer's portal is theirs; everything else is simply missing."""
    portal = Portal(book, customer_id, seller=SELLER)
    visible = expected_orders(book, customer_id)
    assert {o.id for o in portal.orders()} == visible
    shown_invoices = {
        i.id
        for i in book.store.invoices_by_customer(customer_id)
        if i.status == DocumentStatus.ISSUED and i.order_id in visible
    }
    assert {i.id for i in portal.invoices()} == shown_invoices

    for view in portal.overview(as_of=DAY):
        assert view.order.customer_id == customer_id
        assert view.summary.order_id == view.order.id
        assert {i.invoice.id for i in view.invoices} <= shown_invoices
        assert all(p.order_id == view.order.id for p in view.payments)
    for payment in portal.payments():
        assert payment.order_id in visible or payment.invoice_id in shown_invoices

    for order_id in every_order:
        if order_id in visible:
            assert portal.order(order_id).customer_id == customer_id
            assert portal.summary(order_id, as_of=DAY).order_id == order_id
            document = portal.document(order_id, as_of=DAY)
            assert (document.source_id, document.recipient.name) == (
                order_id,
                f"Name {customer_id}",
            )
            assert {i.customer_id for i in portal.invoices(order_id)} <= {customer_id}
            assert {p.order_id for p in portal.payments(order_id)} <= {order_id}
        else:
            missing_like(lambda o=order_id: portal.order(o), "order", order_id)
            missing_like(lambda o=order_id: portal.view(o), "order", order_id)
            missing_like(lambda o=order_id: portal.invoices(o), "order", order_id)
            missing_like(lambda o=order_id: portal.document(o), "order", order_id)
    for invoice_id in every_invoice:
        if invoice_id in shown_invoices:
            assert portal.invoice(invoice_id).customer_id == customer_id
            assert portal.invoice_document(invoice_id).recipient.name == f"Name {customer_id}"
        else:
            missing_like(lambda i=invoice_id: portal.invoice(i), "invoice", invoice_id)
            missing_like(lambda i=invoice_id: portal.invoice_status(i), "invoice", invoice_id)
