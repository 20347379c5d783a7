"""Kafinea, told through the book and then the command line on the same file.

A quote becomes an order with its addresses and the quote's number; the lines take their
taxes from the products and the tax rules. A deposit, an invoice and a credit note bill it;
one purchase order per supplier is stored. Its maintenance is invoiced every month, caught up,
changed after the order is finalized and then stopped. The finalized order is delivered, sent
as a PDF by e-mail, and shown on the customer portal.
"""

import datetime as dt

from orderbook import (
    Address,
    Customer,
    Money,
    Order,
    OrderLine,
    Product,
    Quote,
    RecurringPlan,
    SequentialIds,
    TaxRules,
    invoice_totals,
    presets,
)
from orderbook.book import OrderBook
from orderbook.clock import FixedClock
from orderbook.documents import Party, render_pdf
from orderbook.mail import build_email
from orderbook.pricing import purchase_total

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
EUR = "EUR"


def line(line_id, sku, quantity, price, **fields):
    return OrderLine(
        id=line_id, sku=sku, quantity=quantity, unit_price=Money(price, EUR), **fields
    )


def test_a_quote_becomes_an_order_billed_procured_finalized_and_shown(
    tmp_path, cli, valid_einvoice
):
    path = tmp_path / "kafinea.sqlite"
    clock = FixedClock(START)
    rules = TaxRules(rates={("FR", ""): "0.2", ("FR", "services"): "0.1"})
    workflow = presets.kafinea().with_settings(tax_rules=rules)
    book = OrderBook.open(path, workflow=workflow, clock=clock, id_factory=SequentialIds("id"))
    office = Address(name="Paris SA", street="3 rue de la Paix", city="Paris", country="FR")
    book.save_customer(Customer(id="paris", name="Paris SA", currency=EUR, tax_region="FR",
                                email="achats@paris.example", billing_address=office))  # fmt: skip
    book.save_product(Product(sku="CHAIR", supplier="Nordic Seating",
                              unit_cost=Money("40.00", EUR)))  # fmt: skip
    book.save_product(Product(sku="DESK", supplier="Oak & Co", unit_cost=Money("95.00", EUR)))
    book.save_product(Product(sku="CARE", kind="service", tax_category="services"))

    # The quote's lines carry no rate: each takes its product's by the tax rules.
    quote = book.save_quote(Quote(id="q-7", customer_id="paris", currency=EUR, number="DEV-7",
                                  subject="Office chairs", lines=[
        line("c", "CHAIR", 12, "89.00"), line("d", "DESK", 2, "240.00"),
        line("m", "CARE", 1, "30.00", recurring=True)]))  # fmt: skip
    assert [str(q.tax_rate) for q in quote.lines] == ["0.2", "0.2", "0.1"]
    site = Address(name="Paris SA, site Nord", city="Saint-Denis", country="FR")
    order = book.accept_quote(quote.id, number="CO-0042", shipping_address=site)
    assert (order.quote_number, order.billing_address, order.shipping_address) == (
        "DEV-7",
        office,
        site,
    )
    assert book.summary(order.id).gross == Money("1890.60", EUR)  # the chairs, desks, care

    # A deposit, the invoice of what shipped, and a credit note for a damaged chair.
    deposit = book.invoice(order.id, kind="deposit", percent=30, issue=True, number="AC-1")
    assert invoice_totals(deposit).gross == Money("567.18", EUR)
    purchases = book.procure(order.id, line_ids=["c", "d"])
    assert [(po.supplier, po.number, purchase_total(po)) for po in book.purchases(order.id)] == [
        ("Nordic Seating", "CO-0042-PO1", Money("480.00", EUR)),
        ("Oak & Co", "CO-0042-PO2", Money("190.00", EUR)),
    ]
    assert len(purchases) == 2
    book.transition(order.id, "approved")
    book.ship(order.id, {"c": 12, "d": 2})
    invoice = book.invoice(order.id, issue=True, number="FA-1")
    chair = next(il for il in invoice.lines if il.order_line_id == "c")
    credit = book.credit_note(invoice.id, {chair.id: 1}, issue=True, number="AV-1")
    assert invoice_totals(credit).gross == Money("106.80", EUR)

    # Monthly maintenance: caught up to today, changed after finalizing, then stopped.
    plan = RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", due_days=30)
    book.change_recurrence(order.id, plan)
    caught_up = book.invoice_due_periods(order.id)
    assert [i.period_start for i in caught_up] == [dt.date(2027, m, 1) for m in (1, 2, 3)]
    book.finalize(order.id)
    quarterly = RecurringPlan(start=dt.date(2027, 1, 1), frequency="monthly", interval=3)
    book.change_recurrence(order.id, quarterly)
    later = book.invoice_due_periods(order.id, as_of=dt.date(2027, 9, 1))
    assert [i.period_start for i in later] == [dt.date(2027, 4, 1), dt.date(2027, 7, 1)]
    book.change_recurrence(order.id, None)

    # Finalizing locks the document, not the lifecycle: the order is delivered.
    book.transition(order.id, "delivered")
    assert book.get(Order, order.id).status == "delivered"

    # The PDF, sent by e-mail, and the portal, where the finalized order shows.
    seller = Party(name="Mobilier Lumière", email="ventes@lumiere.example")
    portal = book.portal("paris", seller=seller)
    assert [o.id for o in portal.orders()] == [order.id]
    document = portal.document(order.id)
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF")
    mail = build_email(document, sender=seller.email, to="achats@paris.example", attach="pdf")
    (attachment,) = mail.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert portal.summary(order.id).invoicing.label == "Part invoiced"  # a chair credited

    # Each of them leaves as a valid EN 16931 e-invoice: the deposit (386), the invoice that
    # deducts it (380) and the credit note (381) citing the invoice.
    codes = [valid_einvoice(book, bill.id).type_code.value for bill in (deposit, invoice, credit)]
    assert codes == ["386", "380", "381"]
    book.close()

    code, text = cli("report", "--db", path, "--as-of", "2027-09-01")
    assert code == 0
    (row,) = [row for row in text.splitlines() if row.startswith("CO-0042")]
    assert "Delivered" in row
    code, text = cli("events", "--db", path)
    assert code == 0
    assert "Procured" in text
    assert "RecurrenceChanged" in text
    code, text = cli("check", "--db", path)
    assert (code, text.splitlines()[-1]) == (0, f"{path}: no problems")
