"""b-op, told through the book and then the command line on the same file.

A trusted customer's order under its threshold is accepted automatically; one above it, or
from a customer with an unpaid bill past due, waits for a person. What ships is billed at
once. A change to a partly shipped and billed order is a new revision that takes over its
shipments and bills. The customer forfeits the rest and the order is finished. An
application follows all of it through the event feed.
"""

import datetime as dt

from orderbook import (
    Address,
    Customer,
    Lot,
    Money,
    Order,
    OrderLine,
    Product,
    SequentialIds,
    invoice_totals,
    presets,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock

START = dt.datetime(2027, 4, 5, 8, 0, tzinfo=dt.UTC)


def positions(*quantities):
    return [OrderLine(id=f"p{n}", sku="BOLT", quantity=q, unit_price=Money("2.50", "EUR"),
                      tax_rate="0.19") for n, q in enumerate(quantities, start=1)]  # fmt: skip


def bill_total(invoice):
    return invoice_totals(invoice).gross


def status(book, order_id):
    return book.get(Order, order_id).status


def test_orders_are_accepted_amended_billed_on_shipment_and_finished(
    tmp_path, cli, valid_einvoice
):
    path = tmp_path / "bop.sqlite"
    clock = FixedClock(START)
    book = OrderBook.open(path, workflow=presets.bop(), clock=clock,
                          id_factory=SequentialIds("id"))  # fmt: skip
    limit = Money("1000.00", "EUR")
    plant = Address(name="Trusty AG", street="Werkstrasse 1", city="Stuttgart",
                    postal_code="70173", country="DE")  # fmt: skip
    book.save_customer(Customer(id="trusty", name="Trusty AG", currency="EUR",
                                auto_accept_limit=limit, billing_address=plant))  # fmt: skip
    book.save_customer(Customer(id="late", name="Late GmbH", currency="EUR",
                                auto_accept_limit=limit))  # fmt: skip
    book.save_product(Product(sku="BOLT"))
    book.save_lot(Lot(id="rack", sku="BOLT", quantity=10_000))
    feed = book.events()[-1].sequence

    small = book.place_order("trusty", positions(100, 60), number="CO-1")
    assert status(book, small.id) == "accepted"  # EUR 476.00 gross, under the threshold
    large = book.place_order("trusty", positions(400), number="CO-2")
    assert status(book, large.id) == "created"  # EUR 1,190.00: a person decides
    placed = [e for e in book.events(feed) if e.kind == "OrderPlaced"]
    assert (
        placed[1].data["acceptance_reason"]
        == "gross EUR 1190.00 is not under the limit of EUR 1000.00"
    )

    # A customer with a bill unpaid past its due date is reviewed, whatever the amount.
    owing = book.place_order("late", positions(10), number="CO-3")
    book.allocate(owing.id)
    book.ship(owing.id, {"p1": 10})  # billed at once: a draft, issued with 7 days to pay
    (draft,) = book.invoices(owing.id)
    book.issue_invoice(draft.id, due_days=7)
    clock.advance(dt.timedelta(days=10))
    reviewed = book.place_order("late", positions(10), number="CO-4")
    assert status(book, reviewed.id) == "created"

    # Ship part of the small order: billed on shipment, position by position.
    book.allocate(small.id)
    book.ship(small.id, {"p1": 40})
    assert status(book, small.id) == "in_fulfilment"
    (bill,) = book.invoices(small.id)
    assert [(line.order_line_id, line.quantity) for line in bill.lines] == [("p1", 40)]

    # The customer changes the order: a new revision takes over the shipment and the bill.
    amended = book.amend(small.id, positions(100, 80), reason="more of p2")
    assert amended.supersedes == small.id
    assert book.summary(amended.id).line("p1").shipped == 40
    assert [invoice.order_id for invoice in book.invoices(amended.id)] == [amended.id]

    # Ship the rest of p2, and the customer forfeits what is left of p1: finished.
    book.ship(amended.id, {"p2": 80})
    book.forfeit(amended.id, "p1", reason="no longer needed")
    assert status(book, amended.id) == "finished"
    billable = [(line.order_line_id, line.quantity)
                for invoice in book.invoices(amended.id) for line in invoice.lines]  # fmt: skip
    assert billable == [("p1", 40), ("p2", 80)]  # what shipped, position by position
    for invoice in book.invoices(amended.id):
        book.issue_invoice(invoice.id, due_days=30)
    assert book.summary(amended.id).invoicing.invoiced == Money("357.00", "EUR")
    # "The bills can be sent over digitally to the customer": each is a valid e-invoice.
    for bill in book.invoices(amended.id):
        assert valid_einvoice(book, bill.id).due == bill_total(bill)

    # The event feed: everything after the sequence number the application had read.
    kinds = [event.kind for event in book.events(feed) if event.order_id == amended.id]
    assert kinds == ["Amended", "Shipped", "Invoiced", "Forfeited", "Released", "StatusChanged",
                     "InvoiceIssued", "InvoiceIssued"]  # fmt: skip
    book.close()

    code, text = cli("report", "--db", path, "--as-of", "2027-04-15")
    assert code == 0
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("CO-")}
    assert "finished" in rows["CO-1"]
    assert "created" in rows["CO-2"]
    code, text = cli("events", "--db", path, "--since", feed)
    assert code == 0
    assert "Amended" in text
    assert "Forfeited" in text
    code, text = cli("check", "--db", path)
    assert (code, text.splitlines()[-1]) == (0, f"{path}: no problems")
