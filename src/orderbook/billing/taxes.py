"""Tax rules: a customer's tax region and a product's tax category give a line its rate.

A rule names a region and a category; an empty region or category matches any. The most
specific rule wins: region and category, then region alone, then category alone, then the
catch-all. With no rule, the product's own default rate applies.

>>> from orderbook import Product
>>> rules = TaxRules(rates={("FR", "standard"): "0.2", ("FR", "books"): "0.055",
...                         ("", "standard"): "0.19"})
>>> book = Product(sku="NOVEL", tax_category="books")
>>> rules.rate_for("FR", book), rules.rate_for("DE", Product(sku="PEN", tax_category="standard"))
(Decimal('0.055'), Decimal('0.19'))

A rule also says which VAT category of EN 16931 its rate belongs to, for e-invoices:
standard rated (``S``) when the rate is above 0 and zero rated (``Z``) at 0, unless it says
exempt (``E``) or reverse charge (``AE``), with the reason of the exemption:

>>> TaxRule(category="books", rate="0.055").vat_category
'S'
>>> TaxRule(region="DE", rate=0, vat_category="AE", exemption_code="VATEX-EU-AE").vat_category
'AE'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.errors import LockedError, ValidationError
from orderbook.model import Order, OrderLine, Product

__all__ = ["VAT_CATEGORIES", "TaxRule", "TaxRules"]

VAT_CATEGORIES: dict[str, str] = {
    "S": "Standard rated",
    "Z": "Zero rated goods",
    "E": "Exempt from VAT",
    "AE": "VAT Reverse Charge",
}
"""The VAT categories of EN 16931 (UNTDID 5305) a tax rule may give, by code."""

_EXEMPT = frozenset({"E", "AE"})


def _default_category(rule: TaxRule) -> str:
    rate = rule.rate
    return "S" if isinstance(rate, Decimal) and rate > 0 else "Z"


@attrs.frozen(kw_only=True)
class TaxRule:
    """The rate of one tax category in one tax region ("" matches any).

    Args:
        region, category: what the rule applies to.
        rate: the rate, a fraction (0.2 is 20%).
        vat_category: its EN 16931 VAT category (:data:`VAT_CATEGORIES`): ``S`` (above 0)
            or ``Z`` (at 0) by default; ``E`` and ``AE`` need a rate of 0 and a reason.
        exemption_reason, exemption_code: why an ``E`` or ``AE`` rule charges no VAT, as
            text and as a VATEX code (``"VATEX-EU-132"``); at least one of them.

    Raises:
        ValidationError: the category is unknown, does not fit the rate, or an exemption
            lacks its reason (or a taxed category has one).
    """

    region: str = attrs.field(default="", validator=f.text)
    category: str = attrs.field(default="", validator=f.text)
    rate: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)
    vat_category: str = attrs.field(
        default=attrs.Factory(_default_category, takes_self=True), validator=f.text
    )
    exemption_reason: str = attrs.field(default="", validator=f.text)
    exemption_code: str = attrs.field(default="", validator=f.text)

    def __attrs_post_init__(self) -> None:
        check_vat_category(
            self, self.vat_category, self.rate, self.exemption_reason, self.exemption_code
        )


def check_vat_category(
    instance: object, code: str, rate: Decimal, reason: str, reason_code: str
) -> None:
    """Refuse a VAT category that is unknown or does not fit its rate and exemption.

    EN 16931: a standard rate is above 0 (BR-S-05), the other categories are at 0 (BR-Z-05,
    BR-E-05, BR-AE-05); an exemption says why (BR-E-10, BR-AE-10) and a taxed category
    does not (BR-S-10, BR-Z-10).

    Raises:
        ValidationError: naming the field of ``instance`` and the rule.

    >>> TaxRule(category="books", rate="0.2", vat_category="E", exemption_reason="Books")
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: TaxRule: rate must be 0 in VAT category E (BR-E-05), ...
    """
    if code not in VAT_CATEGORIES:
        raise f.fail(instance, "vat_category", code, f"must be one of {', '.join(VAT_CATEGORIES)}")
    if (code == "S") != (rate > 0):
        wanted = "above 0" if code == "S" else "0"
        raise f.fail(
            instance, "rate", rate, f"must be {wanted} in VAT category {code} (BR-{code}-05)"
        )
    exempt = code in _EXEMPT
    if exempt and not (reason or reason_code):
        raise f.fail(
            instance,
            "exemption_reason",
            reason,
            f"must be given, or exemption_code, in VAT category {code} (BR-{code}-10)",
        )
    if not exempt and (reason or reason_code):
        raise f.fail(
            instance,
            "exemption_reason",
            reason or reason_code,
            f"must not be given in VAT category {code} (BR-{code}-10)",
        )


def _rules(value: Mapping[tuple[str, str], Decimal | str | int] | Iterable[TaxRule]) -> object:
    if isinstance(value, Mapping):
        try:
            built = [
                TaxRule(region=region, category=category, rate=rate)
                for (region, category), rate in value.items()
            ]
        except (TypeError, ValueError) as error:
            if isinstance(error, ValidationError):
                raise
            return f.Invalid(value, "must map (region, category) pairs to rates")
        return tuple(sorted(built, key=lambda r: (r.region, r.category)))
    return f.to_tuple(value)


def _unique(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    f.tuple_of(TaxRule)(instance, attribute, value)
    seen: set[tuple[str, str]] = set()
    for rule in cast(tuple[TaxRule, ...], value):
        key = (rule.region, rule.category)
        if key in seen:
            raise f.fail(
                instance, attribute.name, key, "must not give a region and category twice"
            )
        seen.add(key)


@attrs.frozen(kw_only=True)
class TaxRules:
    """Rates by tax region and tax category (Kafinea's automatic taxes, Tryton's tax rules).

    Args:
        rates: a mapping ``{(region, category): rate}``, or :class:`TaxRule` values.
    """

    rates: tuple[TaxRule, ...] = attrs.field(factory=tuple, converter=_rules, validator=_unique)

    def rule_for(self, region: str, category: str) -> TaxRule | None:
        """Return the most specific rule for a tax region and a tax category, if any.

        >>> rules = TaxRules(rates={("FR", ""): "0.2", ("", "books"): "0.055"})
        >>> rules.rule_for("FR", "books").rate, rules.rule_for("DE", "pens")
        (Decimal('0.2'), None)
        """
        table = {(rule.region, rule.category): rule for rule in self.rates}
        for key in ((region, category), (region, ""), ("", category), ("", "")):
            if key in table:
                return table[key]
        return None

    def _rule_for(self, region: str, category: str) -> Decimal | None:
        rule = self.rule_for(region, category)
        return None if rule is None else rule.rate

    def rate_for(self, region: str, product: Product) -> Decimal:
        """Return the tax rate of ``product`` for a customer in ``region``.

        Raises:
            ValidationError: no rule matches and the product has no default rate.
        """
        rate = self._rule_for(region, product.tax_category)
        if rate is not None:
            return rate
        if product.tax_rate is not None:
            return product.tax_rate
        raise ValidationError(
            "tax_category",
            product.tax_category,
            f"has no tax rule for region {region!r} and product {product.sku!r} has no rate",
        )

    def fix_rates(
        self, lines: Iterable[OrderLine], *, region: str, products: Mapping[str, Product]
    ) -> tuple[OrderLine, ...]:
        """Return the lines with every unset tax rate fixed; a rate given, 0 included, stays.

        An unset rate is taken, first match wins, from:

        1. the most specific rule for the customer's ``region`` and the product's
           ``tax_category`` (see :meth:`rate_for`);
        2. the product's own ``tax_rate``;
        3. 0, when there are no rules at all: the business does not charge tax.

        With rules but none that applies and no product rate, the line is refused rather
        than untaxed without a word.

        Args:
            lines: the order (or quote) lines.
            region: the customer's tax region.
            products: the products by SKU; every SKU of a line with an unset rate must be
                there.

        Raises:
            ValidationError: a product is missing, or no rate applies to an unset line.

        >>> from orderbook import Money
        >>> rules = TaxRules(rates={("FR", "books"): "0.055"})
        >>> novel = Product(sku="NOVEL", tax_category="books", tax_rate="0.2")
        >>> lines = [OrderLine(id=f"l{k}", sku="NOVEL", quantity=1, unit_price=Money("20", "EUR"),
        ...                    tax_rate=rate) for k, rate in enumerate([None, 0, "0.021"])]
        >>> [str(line.tax_rate) for line in rules.fix_rates(lines, region="FR",
        ...                                                 products={"NOVEL": novel})]
        ['0.055', '0', '0.021']
        >>> [str(line.tax_rate) for line in rules.fix_rates(lines[:1], region="DE",
        ...                                                 products={"NOVEL": novel})]
        ['0.2']
        """
        if not isinstance(region, str):
            raise ValidationError("region", region, "must be text")
        if not isinstance(products, Mapping):
            raise ValidationError("products", products, "must map SKUs to products")
        given = f.to_tuple(lines)
        if isinstance(given, f.Invalid):
            raise ValidationError("lines", lines, given.reason)
        fixed = []
        for index, line in enumerate(given):
            if not isinstance(line, OrderLine):
                raise ValidationError(f"lines[{index}]", line, "must be an OrderLine")
            if line.tax_rate is not None:
                fixed.append(line)
                continue
            product = products.get(line.sku)
            if not isinstance(product, Product):
                raise ValidationError(
                    f"products[{line.sku!r}]", product, f"must give the product of line {index}"
                )
            rate = self._rule_for(region, product.tax_category)
            if rate is None:
                rate = product.tax_rate
            if rate is None:
                if self.rates:
                    raise ValidationError(
                        f"lines[{index}].tax_rate",
                        None,
                        f"must be given: no tax rule of region {region!r} covers category "
                        f"{product.tax_category!r}, and product {product.sku!r} has no rate",
                    )
                rate = Decimal(0)
            fixed.append(attrs.evolve(line, tax_rate=rate))
        return tuple(fixed)

    def apply(
        self,
        order: Order,
        *,
        region: str,
        products: Mapping[str, Product],
        keep: Iterable[str] = (),
    ) -> Order:
        """Return the order with each line's tax rate taken from these rules.

        Args:
            order: the order; it must not be finalized.
            region: the customer's tax region.
            products: the products by SKU; every SKU of the order must be there.
            keep: ids of lines whose rate was given by hand and stays as it is.

        Raises:
            LockedError: the order is finalized.
            ValidationError: a SKU is missing from ``products``, or no rate applies.

        >>> from orderbook import Money, OrderLine
        >>> order = Order(customer_id="acme", currency="EUR", lines=[
        ...     OrderLine(id="l1", sku="NOVEL", quantity=1, unit_price=Money("20", "EUR")),
        ...     OrderLine(id="l2", sku="NOVEL", quantity=1, unit_price=Money("20", "EUR"),
        ...               tax_rate="0.021")])
        >>> rules = TaxRules(rates={("FR", "books"): "0.055"})
        >>> taxed = rules.apply(order, region="FR", keep=["l2"],
        ...                     products={"NOVEL": Product(sku="NOVEL", tax_category="books")})
        >>> [line.tax_rate for line in taxed.lines]
        [Decimal('0.055'), Decimal('0.021')]
        """
        if order.finalized:
            raise LockedError(order.id, "a finalized order's lines do not change")
        kept = frozenset(keep)
        unset = [
            line if line.id in kept else attrs.evolve(line, tax_rate=None) for line in order.lines
        ]
        return attrs.evolve(order, lines=self.fix_rates(unset, region=region, products=products))
