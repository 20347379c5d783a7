"""Taxes through the book: a line placed without a rate takes one, by a stated precedence.

A rate given on the line (0 included) wins; an unset rate comes from the workflow's tax rules
(the customer's tax region and the product's tax category), else from the product's own rate,
else 0 where the workflow has no tax rules at all. The rate is fixed on the line when it is
placed or edited, so a later change of the product does not alter the order.
"""

from decimal import Decimal

import pytest

from orderbook import Customer, Money, OrderLine, Product, Quote, TaxRules, presets
from orderbook.commands import PlaceOrder
from orderbook.errors import ValidationError

RULES = TaxRules(
    rates={("FR", "standard"): "0.2", ("FR", "books"): "0.055", ("", "books"): "0.07"}
)


@pytest.fixture
def taxed_book(make_book):
    book = make_book(presets.kafinea().with_settings(tax_rules=RULES))
    book.save_customer(Customer(id="paris", name="Paris SA", currency="EUR", tax_region="FR"))
    book.save_customer(Customer(id="berlin", name="Berlin GmbH", currency="EUR", tax_region="DE"))
    book.save_product(Product(sku="NOVEL", tax_category="books", tax_rate="0.1"))
    book.save_product(Product(sku="DESK", tax_category="standard", tax_rate="0.19"))
    book.save_product(Product(sku="GIFT", tax_category="vouchers"))
    return book


def line(line_id, sku, tax_rate=None, price="100.00"):
    return OrderLine(
        id=line_id, sku=sku, quantity=1, unit_price=Money(price, "EUR"), tax_rate=tax_rate
    )


def rates(order):
    return {line.id: line.tax_rate for line in order.lines}


def test_an_unset_rate_takes_the_most_specific_rule_of_the_customers_region(taxed_book):
    order = taxed_book.place_order("paris", [line("n", "NOVEL"), line("d", "DESK")])
    assert rates(order) == {"n": Decimal("0.055"), "d": Decimal("0.2")}
    assert taxed_book.summary(order.id).tax == Money("25.50", "EUR")


def test_a_rule_for_any_region_applies_before_the_products_own_rate(taxed_book):
    order = taxed_book.place_order("berlin", [line("n", "NOVEL")])
    assert rates(order) == {"n": Decimal("0.07")}


def test_without_a_rule_an_unset_rate_takes_the_products_rate(taxed_book):
    order = taxed_book.place_order("berlin", [line("d", "DESK")])
    assert rates(order) == {"d": Decimal("0.19")}


def test_a_rate_given_on_the_line_wins_even_when_it_is_zero(taxed_book):
    order = taxed_book.place_order(
        "paris", [line("zero", "NOVEL", tax_rate=0), line("own", "DESK", tax_rate="0.1")]
    )
    assert rates(order) == {"zero": Decimal(0), "own": Decimal("0.1")}
    assert taxed_book.summary(order.id).tax == Money("10.00", "EUR")


def test_with_rules_but_none_that_applies_an_unset_rate_is_refused_not_untaxed(
    taxed_book, refused
):
    error = refused(
        taxed_book, PlaceOrder(customer_id="paris", lines=[line("g", "GIFT")]), ValidationError
    )
    assert error.field == "lines[0].tax_rate"
    assert "vouchers" in str(error)
    assert "GIFT" in str(error)


def test_a_book_without_tax_rules_leaves_a_product_without_a_rate_untaxed(make_book):
    book = make_book()
    book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
    book.save_product(Product(sku="FREE"))
    book.save_product(Product(sku="RATED", tax_rate="0.2"))
    order = book.place_order("acme", [line("f", "FREE"), line("r", "RATED")])
    assert rates(order) == {"f": Decimal(0), "r": Decimal("0.2")}


def test_the_rate_is_fixed_when_placed_so_a_later_product_change_alters_nothing(taxed_book):
    order = taxed_book.place_order("berlin", [line("d", "DESK")])
    taxed_book.save_product(Product(sku="DESK", tax_category="standard", tax_rate="0.25"))
    assert taxed_book.summary(order.id).tax == Money("19.00", "EUR")
    taxed_book.transition(order.id, "approved")
    invoice = taxed_book.invoice(order.id, issue=True)
    assert [invoice_line.tax_rate for invoice_line in invoice.lines] == [Decimal("0.19")]


def test_an_edit_fixes_the_rate_of_a_new_line_and_keeps_the_rates_already_fixed(taxed_book):
    order = taxed_book.place_order("berlin", [line("d", "DESK")])
    taxed_book.save_product(Product(sku="DESK", tax_category="standard", tax_rate="0.25"))
    edited = taxed_book.edit_lines(order.id, [*order.lines, line("d2", "DESK")])
    assert rates(edited) == {"d": Decimal("0.19"), "d2": Decimal("0.25")}


def test_a_quote_takes_its_rates_when_saved_and_its_order_keeps_them(taxed_book):
    quote = taxed_book.save_quote(
        Quote(id="q1", customer_id="paris", currency="EUR", lines=[line("n", "NOVEL")])
    )
    assert rates(quote) == {"n": Decimal("0.055")}
    order = taxed_book.accept_quote(quote.id)
    assert rates(order) == {"n": Decimal("0.055")}
    assert taxed_book.summary(order.id).gross == Money("105.50", "EUR")
