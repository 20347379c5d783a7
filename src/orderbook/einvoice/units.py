"""Units of measure as e-invoices name them: the codes of UN/ECE Recommendation 20.

A product's ``unit`` is free text ("unit", "kg", "tCO2e"); an e-invoice line needs a code
(BT-130). The usual names map to their codes; a unit already written as a code (two or three
capital letters and digits, such as ``"KGM"`` or ``"C62"``) is kept; anything else counts in
units (``C62``, "one").
"""

from __future__ import annotations

__all__ = ["UNIT_CODES", "unit_code"]

UNIT_CODES: dict[str, str] = {
    "": "C62",
    "unit": "C62",
    "units": "C62",
    "one": "C62",
    "each": "C62",
    "piece": "H87",
    "pieces": "H87",
    "pcs": "H87",
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "tonne": "TNE",
    "tonnes": "TNE",
    "tco2e": "TNE",  # a tonne of CO2 equivalent: a carbon credit
    "l": "LTR",
    "litre": "LTR",
    "liter": "LTR",
    "m": "MTR",
    "m2": "MTK",
    "m3": "MTQ",
    "h": "HUR",
    "hour": "HUR",
    "hours": "HUR",
    "day": "DAY",
    "days": "DAY",
    "month": "MON",
    "months": "MON",
    "year": "ANN",
    "years": "ANN",
}
"""Names of units, lower case, and their UN/ECE Recommendation 20 codes."""


def unit_code(unit: str) -> str:
    """Return the UN/ECE Recommendation 20 code of a product's unit.

    >>> unit_code("kg"), unit_code("tCO2e"), unit_code("XPK"), unit_code("crate")
    ('KGM', 'TNE', 'XPK', 'C62')
    """
    name = unit.strip()
    code = UNIT_CODES.get(name.lower())
    if code is not None:
        return code
    if 2 <= len(name) <= 3 and name.isascii() and name.isalnum() and name.upper() == name:
        return name
    return "C62"
