import datetime as dt
import io
import re
import sys
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import Customer, Money, Order, OrderbookError, OrderLine, ValidationError
from orderbook.documents import (
    Party,
    babel_available,
    format_amount,
    format_money,
    format_price,
    format_quantity,
    format_rate,
    order_confirmation,
    render_html,
    render_pdf,
)

pytest.importorskip("babel")

NBSP, NNBSP = "\xa0", "\u202f"


def confirmation():
    order = Order(
        id="o1",
        customer_id="c1",
        currency="EUR",
        number="SO-7",
        placed_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
        lines=[
            OrderLine(
                id="l1",
                sku="TEA",
                quantity=Decimal("1500"),
                unit_price=Money("1.0125", "EUR"),
                tax_rate="0.055",
            )
        ],
    )
    customer = Customer(id="c1", name="Jeanne Martin", currency="EUR")
    return order_confirmation(order, customer, Party(name="Tea Traders Ltd"))


def totals(page):
    return dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", page))


def test_german_and_french_amounts_use_their_separators_and_the_euro_sign():
    money = Money("1234567.891", "EUR")
    assert format_money(money, locale="de_DE") == f"1.234.567,89{NBSP}€"
    assert format_money(money, locale="fr_FR") == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert format_amount(money, locale="de_DE") == "1.234.567,89"


def test_the_places_are_the_currencys_own_minor_unit_not_the_locales_default():
    assert format_money(Money("1500.4", "JPY"), locale="de_DE") == f"1.500{NBSP}¥"
    assert format_money(Money("2.5", "KWD"), locale="fr_FR") == f"2,500{NBSP}KWD"
    assert format_amount(Money("2.5", "KWD"), locale="en_US") == "2.500"


def test_a_price_keeps_its_finer_places_and_quantities_and_rates_follow_the_locale():
    assert format_price(Money("0.0125", "USD"), locale="de_DE") == "0,0125"
    assert format_price(Money("18.5", "USD"), locale="de_DE") == "18,50"
    assert format_quantity(Decimal("12000.500"), locale="de_DE") == "12.000,5"
    assert format_rate(Decimal("0.055"), locale="fr_FR") == f"5,5{NBSP}%"
    assert format_rate(Decimal("0.2"), locale="de_DE") == f"20{NBSP}%"


def test_a_locale_may_be_written_with_a_hyphen():
    assert format_amount(Money("1234.5", "EUR"), locale="de-DE") == "1.234,50"


def test_without_a_locale_formatting_is_the_locale_neutral_one():
    assert format_money(Money("1234.5", "EUR"), locale=None) == "EUR 1,234.50"
    assert format_rate(Decimal("0.055"), locale=None) == "5.5%"


def test_the_html_totals_print_in_the_locale_asked_for():
    page = render_html(confirmation(), locale="de_DE")
    assert totals(page) == {
        "Net total": f"1.518,75{NBSP}€",
        f"Tax 5,5{NBSP}% on 1.518,75": f"83,53{NBSP}€",
        "Tax total": f"83,53{NBSP}€",
        "Total": f"1.602,28{NBSP}€",
    }
    assert "1,0125" in page
    assert "1.500" in page


def test_the_documents_own_locale_gives_the_same_page_as_the_parameter():
    document = confirmation()
    localized = attrs.evolve(document, locale="fr_FR")
    assert render_html(localized) == render_html(document, locale="fr_FR")
    assert render_html(localized, locale="de_DE") == render_html(document, locale="de_DE")


def test_without_a_locale_the_page_is_the_locale_neutral_one():
    page = render_html(confirmation())
    assert page == render_html(confirmation(), locale=None)
    assert totals(page)["Total"] == "EUR 1,602.28"
    assert "€" not in page


def test_the_pdf_prints_the_amounts_in_the_locale_asked_for():
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("fpdf")
    pdf = render_pdf(confirmation(), locale="de_DE")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "1.602,28" in text
    assert "€" in text
    assert "EUR 1,602.28" not in text


def test_an_unknown_locale_is_refused_before_anything_renders():
    with pytest.raises(ValidationError, match="locale"):
        render_html(confirmation(), locale="xx_QQ")
    with pytest.raises(ValidationError, match="locale"):
        format_money(Money("1", "EUR"), locale="not a locale")


def test_without_babel_a_locale_says_to_install_the_extra_and_neutral_formatting_works(
    monkeypatch,
):
    monkeypatch.setitem(sys.modules, "babel", None)  # makes "import babel" fail
    assert babel_available() is False
    with pytest.raises(OrderbookError, match=r"orderbook\[babel\]") as caught:
        render_html(confirmation(), locale="fr_FR")
    assert caught.value.details == {"extra": "babel"}
    with pytest.raises(OrderbookError, match=r"orderbook\[babel\]"):
        format_money(Money("1", "EUR"), locale="fr_FR")
    assert totals(render_html(confirmation()))["Total"] == "EUR 1,602.28"


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=5, allow_nan=False),
    st.sampled_from(["EUR", "JPY", "KWD", "USD"]),
    st.sampled_from(["de_DE", "fr_FR", "en_US", "it_IT"]),
)
def test_a_localized_amount_has_the_same_digits_and_sign_as_the_neutral_one(amount, code, locale):
    money = Money(amount, code)
    neutral, localized = format_amount(money), format_amount(money, locale=locale)
    assert re.sub(r"\D", "", localized) == re.sub(r"\D", "", neutral)
    assert localized.startswith("-") == neutral.startswith("-")
