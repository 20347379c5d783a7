"""The currency table is ISO 4217's: every code with a numeric minor unit, and no other."""

import importlib.util
from decimal import Decimal
from pathlib import Path

import iso4217
import pytest
from babel.numbers import format_currency, get_currency_precision

from orderbook import CURRENCIES, Customer, Money, ValidationError, minor_units
from orderbook.documents.formatting import format_amount, format_money

ROOT = Path(__file__).resolve().parents[2]

ISO = {
    code: int(entry["CcyMnrUnts"])
    for code, entry in iso4217.raw_table.items()
    if code and (entry["CcyMnrUnts"] or "").isdigit()
}
NOT_NUMERIC = sorted(code for code, entry in iso4217.raw_table.items() if code and code not in ISO)


def load_script():
    spec = importlib.util.spec_from_file_location(
        "currencies_script", ROOT / "scripts" / "currencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_holds_every_iso_code_and_only_the_withdrawn_lev_besides():
    assert {code: CURRENCIES[code] for code in ISO} == ISO
    assert set(CURRENCIES) - set(ISO) == {"BGN"}
    assert len(ISO) == 165


def test_the_module_is_what_the_script_generates_from_the_iso4217_package():
    script = load_script()
    source = (ROOT / "src" / "orderbook" / "currencies.py").read_text(encoding="utf-8")
    assert script.regenerate(source) == source
    assert f"as published on {iso4217.__published__.isoformat()}" in source


@pytest.mark.parametrize("code", sorted(ISO))
def test_every_iso_code_with_a_numeric_minor_unit_is_accepted_with_its_minor_units(code):
    digits = ISO[code]
    money = Money("1234.56789", code)
    assert minor_units(code) == money.minor_units == digits
    assert money.quantize().amount.as_tuple().exponent == -digits
    assert Money.zero(code).amount.as_tuple().exponent == -digits
    assert sum(money.quantize().split([1, 1, 1])) == money.quantize()
    assert len(format_amount(money).partition(".")[2]) == digits
    assert Customer(name="Buyer", currency=code).currency == code


@pytest.mark.parametrize("code", ["DOP", "XCD", "BAM", "AZN", "CRC", "GTQ", "JMD"])
def test_the_currencies_refused_before_are_accepted_with_two_decimals(code):
    assert Money("19.999", code).quantize() == Money("20.00", code)


@pytest.mark.parametrize("code", [*NOT_NUMERIC, "XYZ", "EURO", "usd"])
def test_a_code_without_a_numeric_minor_unit_is_refused(code):
    with pytest.raises(ValidationError) as caught:
        Money("1", code)
    assert (caught.value.field, caught.value.value) == ("currency", code)
    with pytest.raises(ValidationError):
        minor_units(code)


def test_gold_special_drawing_rights_and_the_testing_code_are_among_those_refused():
    assert {"XAU", "XDR", "XXX", "XTS"} <= set(NOT_NUMERIC)


@pytest.mark.parametrize(("code", "locale"), [("COP", "es_CO"), ("HUF", "hu_HU"),
                                              ("IDR", "id_ID"), ("IQD", "ar_IQ")])  # fmt: skip
def test_where_cldr_differs_orderbook_rounds_and_prints_as_iso_says(code, locale):
    digits = ISO[code]
    assert get_currency_precision(code) == 0
    assert minor_units(code) == digits > 0
    amount = Money("1234.5", code)
    assert amount.quantize() == Money(Decimal("1234.5").quantize(Decimal(1).scaleb(-digits)), code)
    shown = "5" + "0" * (digits - 1)  # the half, at ISO's places
    assert shown in format_money(amount, locale=locale)
    assert shown not in format_currency(Decimal("1234.5"), code, locale=locale)  # CLDR's own
