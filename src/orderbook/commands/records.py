"""Commands that add or update the book's reference records: customers, products, lots, quotes.

Each saves the whole record. A record given with version 0 is added, or replaces the stored
one whatever its version; a record given with a version (read from the book) replaces the
stored one only if nobody saved it since, else the command fails with a ConflictError.

>>> from orderbook import Customer
>>> SaveCustomer(Customer(id="acme", name="AcmeCorp", currency="EUR")).customer.name
'AcmeCorp'
"""

from __future__ import annotations

import attrs

from orderbook import _fields as f
from orderbook.commands._convert import by_field
from orderbook.model import Customer, Lot, Product, Quote

__all__ = ["SaveCustomer", "SaveLot", "SaveProduct", "SaveQuote"]


@attrs.frozen
class SaveCustomer:
    """Add or update a customer. Its currency may not change once it has orders.

    Args:
        customer: the customer as it should be stored.
        by: who saves it.
    """

    customer: Customer = attrs.field(validator=f.instance_of(Customer))
    by: str | None = by_field()


@attrs.frozen
class SaveProduct:
    """Add or update a product (its id is its SKU).

    Args:
        product: the product as it should be stored.
        by: who saves it.
    """

    product: Product = attrs.field(validator=f.instance_of(Product))
    by: str | None = by_field()


@attrs.frozen
class SaveLot:
    """Add or update a lot of supply: stock on hand, issued credits or expected supply.

    A lot that shrinks below what committing orders hold releases their newest allocations
    from it and allocates those lines again from other lots, as far as supply allows.

    Args:
        lot: the lot as it should be stored; its SKU may not change while it is allocated.
        by: who saves it.
    """

    lot: Lot = attrs.field(validator=f.instance_of(Lot))
    by: str | None = by_field()


@attrs.frozen
class SaveQuote:
    """Add or update a quote, for an existing customer.

    Args:
        quote: the quote as it should be stored.
        by: who saves it.
    """

    quote: Quote = attrs.field(validator=f.instance_of(Quote))
    by: str | None = by_field()
