"""The billing figures through the book: the invoiced percent by amount and by quantity,
and a draft line repriced when it is edited, cent-exact while it completes its order line."""

from decimal import Decimal, localcontext

from orderbook import Money, invoice_totals, line_net, line_tax
from orderbook.commands import LineEdit
from orderbook.rollup import format_percent


def eur(amount):
    return Money(amount, "EUR")


def confirmed(book, *lines):
    order = book.place_order("acme", list(lines))
    book.transition(order.id, "confirmed")
    return order


def test_every_unit_billed_at_a_lower_price_is_all_the_units_and_less_of_the_amount(
    book, make_line
):
    order = confirmed(book, make_line("l1", "TEA", 4, "10.00"), make_line("l2", "MUG", 1, "7.00"))
    draft = book.invoice(order.id)
    cheaper = {draft.lines[0].id: LineEdit(unit_price=eur("9.00"))}
    book.edit_draft_invoice(draft.id, edits=cheaper)
    book.issue_invoice(draft.id)
    invoicing = book.summary(order.id).invoicing
    assert invoicing.by_quantity == Decimal(100)
    assert invoicing.invoiced == eur("43.00")  # 4 x 9.00 + 7.00, of 47.00
    with localcontext(prec=50):  # a percent is the exact ratio to 50 digits
        assert invoicing.percent == Decimal(4300) / Decimal(47)
    assert format_percent(invoicing.percent) == "91.49%"


def test_the_percent_by_quantity_is_a_figure_apart_from_the_percent_by_amount(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 3, "1.00"), make_line("l2", "MUG", 1, "97.00"))
    book.invoice(order.id, {"l2": 1}, issue=True)
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.by_quantity, invoicing.percent) == (Decimal(25), Decimal(97))


def test_a_completing_draft_line_edited_to_less_is_priced_from_its_new_quantity(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 1, "145.05", tax_rate="0.2"))
    book.invoice(order.id, {"l1": "0.3"}, issue=True)  # 43.52 + 8.70 tax
    rest = book.invoice(order.id)
    part = rest.lines[0]
    assert (line_net(part), line_tax(part)) == (eur("101.53"), eur("20.31"))  # what is left
    less = book.edit_draft_invoice(rest.id, edits={part.id: LineEdit(quantity="0.5")})
    assert (less.lines[0].fixed_net, less.lines[0].fixed_tax) == (None, None)
    assert (line_net(less.lines[0]), line_tax(less.lines[0])) == (eur("72.53"), eur("14.51"))


def test_a_draft_line_edited_to_complete_its_order_line_takes_exactly_what_is_left(
    book, make_line
):
    order = confirmed(book, make_line("l1", "TEA", 1, "145.05"))
    book.invoice(order.id, {"l1": "0.3"}, issue=True)
    draft = book.invoice(order.id, {"l1": "0.6"})
    part_id = draft.lines[0].id
    done = book.edit_draft_invoice(draft.id, edits={part_id: LineEdit(quantity="0.7")})
    assert line_net(done.lines[0]) == eur("101.53")  # 0.7 x 145.05 would round to 101.54
    book.issue_invoice(draft.id)
    invoicing = book.summary(order.id).invoicing
    assert (invoicing.state.value, invoicing.invoiced) == ("invoiced", eur("145.05"))
    assert invoicing.percent == Decimal(100)


def test_a_completing_line_at_another_price_is_priced_by_the_formula_alone(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 1, "145.05", tax_rate="0.2"))
    book.invoice(order.id, {"l1": "0.3"}, issue=True)
    rest = book.invoice(order.id)
    part_id = rest.lines[0].id
    edit = {part_id: LineEdit(unit_price=eur("140.00"))}
    cheaper = book.edit_draft_invoice(rest.id, edits=edit).lines[0]
    assert (line_net(cheaper), line_tax(cheaper)) == (eur("98.00"), eur("19.60"))
    back = {part_id: LineEdit(unit_price=eur("145.05"), description="Desk, the rest")}
    restored = book.edit_draft_invoice(rest.id, edits=back).lines[0]
    assert (line_net(restored), restored.description) == (eur("101.53"), "Desk, the rest")


def test_a_description_edit_keeps_the_amounts_a_completing_line_carries(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 1, "145.05"))
    book.invoice(order.id, {"l1": "0.3"}, issue=True)
    rest = book.invoice(order.id)
    renamed = book.edit_draft_invoice(
        rest.id, edits={rest.lines[0].id: LineEdit(description="The rest")}
    )
    assert renamed.lines[0].fixed_net == eur("101.53")
    assert invoice_totals(renamed).gross == invoice_totals(rest).gross


def test_other_drafts_count_as_billed_when_a_line_completes(book, make_line):
    order = confirmed(book, make_line("l1", "TEA", 1, "145.05"))
    book.invoice(order.id, {"l1": "0.3"})  # a draft bills its units already
    draft = book.invoice(order.id, {"l1": "0.5"})
    part_id = draft.lines[0].id
    done = book.edit_draft_invoice(draft.id, edits={part_id: LineEdit(quantity="0.7")})
    assert line_net(done.lines[0]) == eur("101.53")
