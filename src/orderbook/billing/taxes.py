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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

import attrs

from orderbook import _fields as f
from orderbook.errors import LockedError, ValidationError
from orderbook.model import Order, OrderLine, Product

__all__ = ["TaxRule", "TaxRules"]


@attrs.frozen(kw_only=True)
class TaxRule:
    """The rate of one tax category in one tax region ("" matches any)."""

    region: str = attrs.field(default="", validator=f.text)
    category: str = attrs.field(default="", validator=f.text)
    rate: Decimal = attrs.field(converter=f.decimal, validator=f.non_negative)


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

    def _rule_for(self, region: str, category: str) -> Decimal | None:
        table = {(rule.region, rule.category): rule.rate for rule in self.rates}
        for key in ((region, category), (region, ""), ("", category), ("", "")):
            if key in table:
                return table[key]
        return None

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
