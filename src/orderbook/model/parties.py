"""Who orders and what is ordered: addresses, customers and products."""

from __future__ import annotations

from decimal import Decimal

import attrs

from orderbook import _fields as f
from orderbook.ids import uuid4_ids
from orderbook.model.enums import ProductKind
from orderbook.money import Money

__all__ = ["Address", "Customer", "ElectronicAddress", "Product"]


@attrs.frozen(kw_only=True)
class Address:
    """A postal address. Every part is optional text; ``country`` is an ISO 3166 code.

    >>> Address(name="AcmeCorp", street="1 Quay Road", city="Leith", country="GB").city
    'Leith'
    """

    name: str = attrs.field(default="", validator=f.text)
    street: str = attrs.field(default="", validator=f.text)
    city: str = attrs.field(default="", validator=f.text)
    postal_code: str = attrs.field(default="", validator=f.text)
    region: str = attrs.field(default="", validator=f.text)
    country: str = attrs.field(default="", validator=f.text)


@attrs.frozen(kw_only=True)
class ElectronicAddress:
    """Where a party receives electronic documents: an identifier in a scheme.

    The scheme is a code of the Electronic Address Scheme list (EAS) that EN 16931 and
    Peppol use: ``"0088"`` for a GLN, ``"0009"`` for a French SIRET, ``"9930"`` for a German
    VAT number, ``"EM"`` for an e-mail address.

    Args:
        scheme: the EAS code: four digits, or two capital letters.
        identifier: the address in that scheme.

    >>> ElectronicAddress(scheme="0088", identifier="5790000435968").scheme
    '0088'
    """

    scheme: str = attrs.field(validator=f.required_text)
    identifier: str = attrs.field(validator=f.required_text)

    def __attrs_post_init__(self) -> None:
        code = self.scheme
        if not (len(code) == 4 and code.isascii() and code.isdigit()) and not (
            len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
        ):
            raise f.fail(self, "scheme", code, "must be an EAS code: four digits, or 'EM'")


def valid_vat_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """A VAT identifier, or "": it starts with the two capital letters of its country.

    EN 16931 (BR-CO-09) takes the ISO 3166 code as the prefix, except Greece's ``EL``.
    """
    f.text(instance, attribute, value)
    assert isinstance(value, str)
    prefix = value[:2]
    if value and not (
        len(value) > 2 and prefix.isascii() and prefix.isalpha() and prefix.isupper()
    ):
        raise f.fail(
            instance, attribute.name, value, "must start with a two-letter country prefix"
        )


def _product_kind(value: ProductKind | str) -> ProductKind:
    return f.to_enum(ProductKind, value)


@attrs.frozen(kw_only=True)
class Customer:
    """Someone who orders.

    Args:
        id: the customer's id.
        name: the customer's name.
        currency: the ISO 4217 code the customer is billed in.
        billing_address, shipping_address: copied onto each new order unless it gives its own.
        email: where documents are sent.
        tax_region: the region whose tax rules apply to the customer.
        auto_accept_limit: orders with a gross below it may be accepted without review (b-op);
            None means every order is reviewed.
        vat_id: the customer's VAT identifier, with its country prefix (``"DE123456789"``).
        legal_id: its registration number in its country's register (a SIREN, a company
            number).
        electronic_address: where it receives electronic invoices (a Peppol endpoint);
            orders that arrive electronically are matched to it by this or the VAT id.
        version: the store's optimistic-concurrency counter; 0 for a record never saved.

    >>> Customer(id="acme", name="AcmeCorp", currency="EUR").currency
    'EUR'
    """

    id: str = attrs.field(factory=uuid4_ids, validator=f.required_text)
    name: str = attrs.field(validator=f.required_text)
    currency: str = attrs.field(validator=f.currency)
    billing_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    shipping_address: Address | None = attrs.field(
        default=None, validator=f.instance_of(Address, optional=True)
    )
    email: str = attrs.field(default="", validator=f.text)
    tax_region: str = attrs.field(default="", validator=f.text)
    auto_accept_limit: Money | None = attrs.field(default=None, validator=f.optional_money)
    vat_id: str = attrs.field(default="", validator=valid_vat_id)
    legal_id: str = attrs.field(default="", validator=f.text)
    electronic_address: ElectronicAddress | None = attrs.field(
        default=None, validator=f.instance_of(ElectronicAddress, optional=True)
    )
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    def __attrs_post_init__(self) -> None:
        f.same_currency(self, self.currency, [("auto_accept_limit", self.auto_accept_limit)])


@attrs.frozen(kw_only=True)
class Product:
    """Something that can be ordered, identified by its SKU.

    Args:
        sku: the stock-keeping unit, the product's id.
        name: what the product is called.
        unit: the unit its quantities count in ("unit", "tCO2e", "kg", ...).
        kind: goods, a service, or credits.
        tax_rate: the default tax rate of its lines, as a fraction (0.2 is 20%).
        tax_category: the category that tax rules map to a rate.
        supplier: who it is bought from, for purchase orders.
        list_price: the default unit price (what a customer pays).
        unit_cost: what one unit costs from its supplier, copied onto purchase orders.

    >>> Product(sku="BLUE-CARBON-21", name="Mangrove restoration, vintage 2021").kind
    <ProductKind.GOODS: 'goods'>
    """

    sku: str = attrs.field(validator=f.required_text)
    name: str = attrs.field(default="", validator=f.text)
    unit: str = attrs.field(default="unit", validator=f.required_text)
    kind: ProductKind = attrs.field(
        default=ProductKind.GOODS, converter=_product_kind, validator=f.valid
    )
    tax_rate: Decimal | None = attrs.field(
        default=None, converter=f.optional_decimal, validator=f.optional_non_negative
    )
    tax_category: str = attrs.field(default="", validator=f.text)
    supplier: str | None = attrs.field(default=None, validator=f.optional_text)
    list_price: Money | None = attrs.field(default=None, validator=f.optional_money)
    unit_cost: Money | None = attrs.field(default=None, validator=f.optional_money)
    version: int = attrs.field(default=0, validator=f.non_negative_integer)

    @property
    def id(self) -> str:
        """The product's id is its SKU."""
        return self.sku
