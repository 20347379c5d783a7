from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import (
    CurrencyMismatch,
    Invoice,
    InvoiceLine,
    Money,
    OrderLine,
    PurchaseOrder,
    PurchaseOrderLine,
    ValidationError,
    invoice_totals,
    line_gross,
    line_net,
    line_tax,
    order_totals,
    purchase_line_cost,
    purchase_total,
    totals,
)
from orderbook.testing import strategies as obst


def priced(quantity, price, *, discount=0, tax_rate=0, currency="EUR", line_id="l1"):
    return OrderLine(
        id=line_id,
        sku="X",
        quantity=quantity,
        unit_price=Money(price, currency),
        discount=discount,
        tax_rate=tax_rate,
    )


def test_line_net_applies_the_discount_then_rounds_half_up():
    line = priced(3, "4.99", discount="0.1", tax_rate="0.2")
    assert line_net(line) == Money("13.47", "EUR")  # 13.473
    assert line_tax(line) == Money("2.69", "EUR")  # 2.694
    assert line_gross(line) == Money("16.16", "EUR")


def test_a_price_finer_than_the_currency_is_rounded_only_on_the_line():
    line = priced("2.5", "0.333")
    assert line_net(line) == Money("0.83", "EUR")  # 0.8325


def test_rounding_mode_is_a_parameter():
    line = priced(1, "0.125")
    assert line_net(line) == Money("0.13", "EUR")
    assert line_net(line, rounding=ROUND_HALF_EVEN) == Money("0.12", "EUR")


def test_tax_rounded_per_line_and_per_document_differ_by_the_rounding_of_each_line():
    lines = [priced(1, "1.05", tax_rate="0.1", line_id=f"l{i}") for i in range(3)]
    per_line = totals(lines, "EUR")
    per_document = totals(lines, "EUR", tax_rounding="per_document")
    assert per_line.tax == Money("0.33", "EUR")  # 3 x round(0.105)
    assert per_document.tax == Money("0.32", "EUR")  # round(0.315)
    assert per_line.net == per_document.net == Money("3.15", "EUR")


def test_totals_break_tax_down_by_rate_in_rate_order():
    lines = [
        priced(1, "100", tax_rate="0.2", line_id="a"),
        priced(2, "10", tax_rate="0.055", line_id="b"),
        priced(1, "5", tax_rate="0.20", line_id="c"),
    ]
    result = totals(lines, "EUR")
    assert [(t.rate, t.net, t.tax) for t in result.by_rate] == [
        (Decimal("0.055"), Money("20.00", "EUR"), Money("1.10", "EUR")),
        (Decimal("0.2"), Money("105.00", "EUR"), Money("21.00", "EUR")),
    ]
    assert result.gross == Money("147.10", "EUR")
    assert result.quantity == Decimal(4)


def test_an_empty_document_totals_to_zero_in_its_currency():
    result = totals([], "JPY")
    assert result.gross == Money.zero("JPY")
    assert result.by_rate == ()


def test_totals_refuse_a_line_in_another_currency_and_a_bad_mode():
    with pytest.raises(CurrencyMismatch) as caught:
        totals([priced(1, "1"), priced(1, "1", currency="USD", line_id="l2")], "EUR")
    assert caught.value.field == "lines[1].unit_price"
    with pytest.raises(ValidationError) as caught:
        totals([], "EUR", tax_rounding="per_week")
    assert caught.value.field == "tax_rounding"
    with pytest.raises(ValidationError):
        totals([], "ZZZ")


def test_invoice_totals_use_the_same_formulas_as_orders():
    invoice = Invoice(
        customer_id="acme",
        currency="EUR",
        lines=[InvoiceLine(quantity=3, unit_price=Money("4.99", "EUR"), discount="0.1",
                           tax_rate="0.2")],
    )  # fmt: skip
    assert invoice_totals(invoice).gross == Money("16.16", "EUR")


@given(obst.orders(), st.sampled_from(["per_line", "per_document"]))
def test_document_totals_are_the_sums_of_their_rounded_parts(order, mode):
    result = order_totals(order, tax_rounding=mode)
    assert result.net == sum((line_net(line) for line in order.lines), Money.zero(order.currency))
    assert result.gross == result.net + result.tax
    assert result.tax == sum((t.tax for t in result.by_rate), Money.zero(order.currency))
    assert result.quantity == sum(line.quantity for line in order.lines)
    assert all(part.is_quantized for part in (result.net, result.tax, result.gross))
    if mode == "per_line":
        assert result.tax == sum(
            (line_tax(line) for line in order.lines),
            Money.zero("EUR") if order.currency == "EUR" else Money.zero(order.currency),
        )


@given(obst.orders())
def test_the_two_tax_roundings_differ_by_at_most_half_a_unit_per_line(order):
    per_line = order_totals(order).tax
    per_document = order_totals(order, tax_rounding="per_document").tax
    unit = Decimal(1).scaleb(-per_line.minor_units)
    assert abs(per_line - per_document).amount <= unit * len(order.lines)


def test_an_invoice_line_with_fixed_amounts_is_billed_at_them_and_keeps_its_printed_price():
    part = InvoiceLine(
        quantity="0.7",
        unit_price=Money("145.05", "EUR"),
        tax_rate="0.2",
        fixed_net=Money("101.53", "EUR"),
        fixed_tax=Money("20.31", "EUR"),
    )
    assert line_net(part) == Money("101.53", "EUR")
    assert line_tax(part) == Money("20.31", "EUR")
    assert line_gross(part) == Money("121.84", "EUR")
    assert totals([part], "EUR").tax == Money("20.31", "EUR")
    assert part.unit_price == Money("145.05", "EUR")
    assert part.tax_rate == Decimal("0.2")


def test_fixed_amounts_must_be_in_the_lines_currency():
    with pytest.raises(CurrencyMismatch) as caught:
        InvoiceLine(quantity=1, unit_price=Money("1", "EUR"), fixed_net=Money("1", "USD"))
    assert caught.value.field == "fixed_net"


def test_a_purchase_order_costs_the_sum_of_its_rounded_line_costs():
    lines = [
        PurchaseOrderLine(id="a", sku="X", quantity=3, unit_cost=Money("0.335", "EUR")),
        PurchaseOrderLine(id="b", sku="Y", quantity="0.5", unit_cost=Money("0.01", "EUR")),
    ]
    assert [purchase_line_cost(line) for line in lines] == [
        Money("1.01", "EUR"),  # 1.005, half up
        Money("0.01", "EUR"),  # 0.005, half up
    ]
    po = PurchaseOrder(id="po", supplier="S", currency="EUR", lines=lines)
    assert purchase_total(po) == Money("1.02", "EUR")  # the exact costs add up to 1.010
    assert purchase_total(po, rounding=ROUND_HALF_EVEN) == Money("1.00", "EUR")


def test_a_purchase_order_with_an_uncosted_line_has_no_total():
    lines = [
        PurchaseOrderLine(id="a", sku="X", quantity=3, unit_cost=Money("2", "JPY")),
        PurchaseOrderLine(id="b", sku="Y", quantity=1),
    ]
    po = PurchaseOrder(id="po", supplier="S", currency="JPY", lines=lines)
    assert (purchase_line_cost(lines[0]), purchase_line_cost(lines[1])) == (Money(6, "JPY"), None)
    assert purchase_total(po) is None
    with pytest.raises(ValidationError, match="po"):
        purchase_total(lines[0])
