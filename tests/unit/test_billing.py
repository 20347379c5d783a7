import datetime as dt
from decimal import Decimal

import attrs
import pytest

from orderbook import (
    Invoice,
    InvoiceLine,
    LockedError,
    Money,
    NotFound,
    Order,
    OrderLine,
    Product,
    Shipment,
    ShipmentItem,
    ValidationError,
    invoice_totals,
    line_net,
    line_tax,
)
from orderbook.billing import (
    TaxRule,
    TaxRules,
    add_line,
    cancel,
    credit_note,
    deposit_invoice,
    edit_line,
    invoice_order,
    issue,
    recredit,
    remove_line,
)
from orderbook.billing.exact import complete_part
from orderbook.ids import SequentialIds
from orderbook.rollup import InvoiceState, summarize

DAY = dt.date(2027, 3, 1)


def eur(amount):
    return Money(amount, "EUR")


def desk_order(price="145.05", tax_rate="0.2", quantity=1, **line):
    return Order(
        id="o1",
        customer_id="acme",
        currency="EUR",
        subject="Desks",
        lines=[
            OrderLine(
                id="l1",
                sku="DESK",
                quantity=quantity,
                unit_price=eur(price),
                tax_rate=tax_rate,
                **line,
            )
        ],
    )


def state(order, invoices=(), shipments=()):
    return summarize(order, invoices=invoices, shipments=shipments, as_of=DAY)


def issued(invoice):
    return issue(invoice, issued_on=DAY)


def test_splitting_145_05_into_30_and_70_percent_invoices_adds_up_to_the_line_exactly():
    order = desk_order()
    first = issued(invoice_order(order, state(order), quantities={"l1": "0.3"}))
    last = issued(invoice_order(order, state(order, [first])))
    assert line_net(first.lines[0]) == eur("43.52")
    assert line_net(last.lines[0]) == eur("101.53")  # not 101.54: the total minus 43.52
    assert line_tax(first.lines[0]) + line_tax(last.lines[0]) == eur("29.01")
    total = invoice_totals(first).gross + invoice_totals(last).gross
    assert total == state(order).gross == eur("174.06")
    assert state(order, [first, last]).invoicing.state is InvoiceState.INVOICED


def test_tax_of_the_last_part_is_the_line_tax_minus_the_taxes_already_invoiced():
    # Two parts of net 0.04 at 10% each round their tax to 0.00; the line's tax is 0.01.
    order = desk_order(price="0.04", tax_rate="0.1", quantity=2)
    first = issued(invoice_order(order, state(order), quantities={"l1": 1}))
    last = issued(invoice_order(order, state(order, [first])))
    assert line_tax(first.lines[0]) == eur("0.00")
    assert line_tax(last.lines[0]) == eur("0.01")
    assert line_net(first.lines[0]) + line_net(last.lines[0]) == eur("0.08")


def test_a_line_invoiced_in_one_go_keeps_its_own_price_and_rate():
    order = desk_order(price="4.99", quantity=3, discount="0.1")
    invoice = invoice_order(order, state(order), id_factory=SequentialIds("inv"))
    line = invoice.lines[0]
    assert (line.unit_price, line.tax_rate, line.discount) == (
        eur("4.99"),
        Decimal("0.2"),
        Decimal("0.1"),
    )
    assert line_net(line) == eur("13.47")
    assert invoice.status == "draft"
    assert invoice.subject == "Desks"


def test_shipped_bills_what_was_shipped_and_not_yet_invoiced():
    order = desk_order(price="10", quantity=10)
    shipped = [
        Shipment(order_id="o1", shipped_on=DAY, items=[ShipmentItem(line_id="l1", quantity=4)])
    ]
    first = issued(invoice_order(order, state(order, shipments=shipped), quantities="shipped"))
    assert first.lines[0].quantity == 4
    more = [
        *shipped,
        Shipment(order_id="o1", shipped_on=DAY, items=[ShipmentItem(line_id="l1", quantity=3)]),
    ]
    second = invoice_order(order, state(order, [first], more), quantities="shipped")
    assert second.lines[0].quantity == 3
    with pytest.raises(ValidationError, match="nothing to invoice"):
        invoice_order(order, state(order, [first], shipped), quantities="shipped")


def test_over_invoicing_is_refused_unless_a_tolerance_allows_it():
    order = desk_order(price="10", quantity=10)
    with pytest.raises(ValidationError, match=r"would invoice 11 of the 10 ordered"):
        invoice_order(order, state(order), quantities={"l1": 11})
    invoice = invoice_order(order, state(order), quantities={"l1": 11}, tolerance="0.1")
    assert invoice.lines[0].quantity == 11


def test_quantities_must_name_lines_and_be_positive():
    order = desk_order()
    with pytest.raises(ValidationError, match=r"quantities\['l9'\]"):
        invoice_order(order, state(order), quantities={"l9": 1})
    with pytest.raises(ValidationError, match="greater than 0"):
        invoice_order(order, state(order), quantities={"l1": 0})
    with pytest.raises(ValidationError, match="quantities"):
        invoice_order(order, state(order), quantities="everything")
    with pytest.raises(ValidationError, match="kind"):
        invoice_order(order, state(order), kind="credit_note")
    with pytest.raises(ValidationError, match="summary"):
        invoice_order(
            order, state(desk_order().__class__(id="o2", customer_id="a", currency="EUR"))
        )


def test_due_days_set_the_due_date_from_the_issue_date():
    order = desk_order()
    invoice = invoice_order(order, state(order), issued_on=DAY, due_days=30)
    assert invoice.due_on == dt.date(2027, 3, 31)
    with pytest.raises(ValidationError, match="issued_on"):
        invoice_order(order, state(order), due_days=30)


def test_a_pro_forma_is_built_like_an_invoice_and_never_counts():
    order = desk_order()
    dummy = issued(invoice_order(order, state(order), kind="pro_forma"))
    assert dummy.kind == "pro_forma"
    assert state(order, [dummy]).invoicing.state is InvoiceState.NOT_INVOICED


def test_a_percent_deposit_is_deducted_on_the_final_invoice_so_the_total_is_exact():
    order = desk_order()
    deposit = issued(deposit_invoice(order, state(order), percent=30))
    assert invoice_totals(deposit).gross == eur("52.22")  # 30% of 174.06 = 52.218
    final = issued(invoice_order(order, state(order, [deposit])))
    assert final.lines[-1].unit_price == eur("-52.22")
    assert invoice_totals(final).gross == eur("121.84")
    done = state(order, [deposit, final])
    assert done.invoicing.invoiced == done.gross
    assert done.invoicing.deposits == eur("0.00")
    assert done.invoicing.state is InvoiceState.INVOICED


def test_a_full_deposit_leaves_a_final_invoice_of_zero_never_a_negative_cent():
    order = desk_order()
    deposit = issued(deposit_invoice(order, state(order), amount=eur("174.06")))
    final = invoice_order(order, state(order, [deposit]))
    assert invoice_totals(final).gross == eur("0.00")


def test_a_partial_invoice_does_not_deduct_deposits_unless_asked():
    order = desk_order(price="10", quantity=10, tax_rate="0")
    deposit = issued(deposit_invoice(order, state(order), amount=eur("20")))
    partial = invoice_order(order, state(order, [deposit]), quantities={"l1": 5})
    assert invoice_totals(partial).gross == eur("50.00")
    asked = invoice_order(
        order, state(order, [deposit]), quantities={"l1": 5}, deduct_deposits=True
    )
    assert invoice_totals(asked).gross == eur("30.00")


def test_a_deposit_cannot_exceed_what_is_left_to_invoice():
    order = desk_order(price="10", tax_rate="0")
    with pytest.raises(ValidationError, match="amount"):
        deposit_invoice(order, state(order), amount=eur("10.01"))
    with pytest.raises(ValidationError, match="percent"):
        deposit_invoice(order, state(order), percent=0)
    with pytest.raises(ValidationError, match="amount"):
        deposit_invoice(order, state(order), amount=eur("1"), percent=10)


def test_a_percent_deposit_beyond_what_remains_takes_exactly_what_remains():
    order = desk_order(price="10.01", tax_rate="0")
    first = issued(deposit_invoice(order, state(order), amount=eur("7.00")))
    second = deposit_invoice(order, state(order, [first]), percent=50)
    assert invoice_totals(second).gross == eur("3.01")  # not 50% of 10.01 = 5.01
    done = issued(second)
    with pytest.raises(ValidationError, match="nothing to invoice"):
        deposit_invoice(order, state(order, [first, done]), percent=1)
    with pytest.raises(ValidationError, match="at most"):
        deposit_invoice(order, state(order, [first]), amount=eur("3.02"))


def test_an_edited_line_loses_the_amounts_it_carried_fixed():
    order = desk_order(tax_rate="0")
    first = issued(invoice_order(order, state(order), quantities={"l1": "0.3"}))
    rest = invoice_order(order, state(order, [first]))
    assert rest.lines[0].fixed_net == eur("101.53")
    edited = edit_line(rest, rest.lines[0].id, quantity="0.7")
    assert (edited.lines[0].fixed_net, line_net(edited.lines[0])) == (None, eur("101.54"))
    kept = edit_line(rest, rest.lines[0].id, description="The rest")
    assert kept.lines[0].fixed_net == eur("101.53")


def test_an_edited_line_that_completes_its_order_line_takes_what_is_left():
    order = desk_order()
    first = issued(invoice_order(order, state(order), quantities={"l1": "0.3"}))
    others = state(order, [first])
    draft = invoice_order(order, others, quantities={"l1": "0.5"})
    part = draft.lines[0].id
    done = edit_line(draft, part, quantity="0.7", order=order, summary=others)
    assert (line_net(done.lines[0]), line_tax(done.lines[0])) == (eur("101.53"), eur("20.31"))
    other_price = edit_line(done, part, unit_price=eur("145.00"), order=order, summary=others)
    assert line_net(other_price.lines[0]) == eur("101.50")  # 0.7 x 145.00, no fixed amount
    with pytest.raises(ValidationError, match="summary"):
        edit_line(draft, part, quantity="0.7", order=order)


def test_a_completing_part_counts_the_other_lines_of_its_own_invoice():
    order = desk_order(tax_rate="0")
    draft = invoice_order(order, state(order), quantities={"l1": "0.3"})
    extra = attrs.evolve(draft.lines[0], id="again", quantity="0.7")
    both = add_line(draft, extra)
    done = complete_part(both, "again", order, state(order))
    assert line_net(done.lines[1]) == eur("101.53")
    assert invoice_totals(done).gross == eur("145.05")
    with pytest.raises(ValidationError, match="summary"):
        complete_part(both, "again", order, state(attrs.evolve(order, id="o2")))
    with pytest.raises(NotFound):
        complete_part(both, "nope", order, state(order))


def test_a_partial_credit_of_a_completing_line_is_priced_from_its_quantity():
    order = desk_order(tax_rate="0")
    first = issued(invoice_order(order, state(order), quantities={"l1": "0.3"}))
    rest = issued(invoice_order(order, state(order, [first])))
    some = credit_note(rest, quantities={rest.lines[0].id: "0.1"})
    assert invoice_totals(some).gross == eur("14.51")
    others = credit_note(rest, credited=[some])
    assert invoice_totals(some).gross + invoice_totals(others).gross == eur("101.53")


def test_an_edited_credit_note_is_checked_against_its_invoice_and_priced_again():
    order = desk_order(tax_rate="0")
    invoice = issued(invoice_order(order, state(order)))
    line_id = invoice.lines[0].id
    first = issued(credit_note(invoice, quantities={line_id: "0.3"}))
    draft = credit_note(invoice, quantities={line_id: "0.1"}, credited=[first])
    wider = edit_line(draft, line_id, quantity="0.7", description="The rest")
    again = recredit(wider, invoice, credited=[first, draft])
    assert (line_net(again.lines[0]), again.lines[0].description) == (eur("101.53"), "The rest")
    with pytest.raises(ValidationError, match=r"at most 0\.7"):
        recredit(edit_line(draft, line_id, quantity="0.8"), invoice, credited=[first])
    with pytest.raises(ValidationError, match="as billed"):
        recredit(edit_line(draft, line_id, discount="0.5"), invoice, credited=[first])
    with pytest.raises(ValidationError, match="must be a credit note of"):
        recredit(draft, first, credited=[])


def test_a_credit_note_copies_the_lines_it_takes_back_and_subtracts():
    order = desk_order(price="10", quantity=4, tax_rate="0")
    invoice = issued(invoice_order(order, state(order)))
    note = issued(credit_note(invoice, quantities={invoice.lines[0].id: 1}))
    assert (note.kind, note.corrects, note.lines[0].quantity) == ("credit_note", invoice.id, 1)
    after = state(order, [invoice, note])
    assert after.invoicing.invoiced == eur("30.00")
    assert after.line("l1").invoiced_quantity == 3


def test_a_line_credited_in_parts_takes_back_exactly_what_was_billed():
    order = desk_order()
    invoice = issued(invoice_order(order, state(order)))
    line_id = invoice.lines[0].id
    first = issued(credit_note(invoice, quantities={line_id: "0.3"}))
    rest = issued(credit_note(invoice, credited=[first]))
    assert (
        invoice_totals(first).gross + invoice_totals(rest).gross == invoice_totals(invoice).gross
    )
    with pytest.raises(ValidationError, match="nothing to credit"):
        credit_note(invoice, credited=[first, rest])


def test_over_crediting_and_crediting_a_draft_are_refused():
    order = desk_order(price="10", quantity=2)
    draft = invoice_order(order, state(order))
    with pytest.raises(ValidationError, match="issued invoice"):
        credit_note(draft)
    invoice = issued(draft)
    with pytest.raises(ValidationError, match="at most 2"):
        credit_note(invoice, quantities={invoice.lines[0].id: 3})


def test_a_draft_can_be_edited_and_an_issued_invoice_cannot():
    order = desk_order(price="10", quantity=2, tax_rate="0")
    draft = invoice_order(order, state(order), id_factory=SequentialIds("x"))
    line_id = draft.lines[0].id
    edited = edit_line(draft, line_id, quantity=1, unit_price=eur("12"))
    assert invoice_totals(edited).gross == eur("12.00")
    extra = InvoiceLine(id="fee", quantity=1, unit_price=eur("5"), description="Delivery")
    assert invoice_totals(add_line(edited, extra)).gross == eur("17.00")
    assert remove_line(add_line(edited, extra), "fee") == edited
    with pytest.raises(NotFound):
        edit_line(draft, "nope", quantity=1)
    final = issued(edited)
    for change in (
        lambda inv: edit_line(inv, line_id, quantity=2),
        lambda inv: add_line(inv, extra),
        lambda inv: remove_line(inv, line_id),
        lambda inv: issue(inv, issued_on=DAY),
    ):
        with pytest.raises(LockedError, match="credit note"):
            change(final)
    assert final == issued(edited)


def test_cancelling_an_issued_invoice_voids_it_once():
    order = desk_order()
    invoice = issued(invoice_order(order, state(order)))
    void = cancel(invoice)
    assert void.status == "cancelled"
    assert state(order, [void]).invoicing.state is InvoiceState.NOT_INVOICED
    with pytest.raises(LockedError):
        cancel(void)
    with pytest.raises(LockedError, match="cancelled"):
        edit_line(void, void.lines[0].id, quantity=1)


def test_an_empty_draft_cannot_be_issued():
    empty = Invoice(customer_id="acme", currency="EUR")
    with pytest.raises(ValidationError, match="lines"):
        issue(empty, issued_on=DAY)


def test_tax_rules_prefer_the_most_specific_rule_then_the_products_own_rate():
    rules = TaxRules(
        rates={
            ("FR", "books"): "0.055",
            ("FR", ""): "0.2",
            ("", "books"): "0.07",
            ("", ""): "0.15",
        }
    )
    book = Product(sku="NOVEL", tax_category="books")
    pen = Product(sku="PEN", tax_category="standard", tax_rate="0.19")
    assert rules.rate_for("FR", book) == Decimal("0.055")
    assert rules.rate_for("FR", pen) == Decimal("0.2")
    assert rules.rate_for("DE", book) == Decimal("0.07")
    assert rules.rate_for("DE", pen) == Decimal("0.15")
    assert TaxRules().rate_for("DE", pen) == Decimal("0.19")
    with pytest.raises(ValidationError, match="no tax rule"):
        TaxRules().rate_for("DE", book)


def test_tax_rules_fill_in_rates_except_those_given_by_hand():
    order = desk_order(tax_rate="0.021")
    products = {"DESK": Product(sku="DESK", tax_category="furniture")}
    rules = TaxRules(rates={("FR", "furniture"): "0.2"})
    assert rules.apply(order, region="FR", products=products).lines[0].tax_rate == Decimal("0.2")
    kept = rules.apply(order, region="FR", products=products, keep=["l1"])
    assert kept.lines[0].tax_rate == Decimal("0.021")
    with pytest.raises(ValidationError, match="products"):
        rules.apply(order, region="FR", products={})
    finalized = attrs.evolve(order, finalized_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(LockedError):
        rules.apply(finalized, region="FR", products=products)


def test_tax_rules_refuse_junk_and_duplicates():
    with pytest.raises(ValidationError):
        TaxRules(rates={("FR", "books"): "abc"})
    with pytest.raises(ValidationError, match="twice"):
        TaxRules(rates=[TaxRule(region="FR", rate="0.2"), TaxRule(region="FR", rate="0.1")])
    with pytest.raises(ValidationError):
        TaxRules(rates=5)
