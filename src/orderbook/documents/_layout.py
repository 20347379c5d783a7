"""What each part of a document prints, as text: shared by the HTML and PDF renderers.

Both renderers lay out the same words, so a document reads the same in either format.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from orderbook.documents.formatting import (
    format_amount,
    format_date,
    format_money,
    format_price,
    format_quantity,
    format_rate,
)
from orderbook.documents.values import Document, DocumentKind, DocumentLine, Party
from orderbook.model import Address
from orderbook.rollup import PaymentState

_PAYMENT_STATES = {
    PaymentState.NOT_PAID: "Not paid",
    PaymentState.PART_PAID: "Partly paid",
    PaymentState.PAID: "Paid",
}
_UNPRICED = (DocumentKind.DELIVERY_NOTE, DocumentKind.RETURN_NOTE)


@attrs.frozen
class Column:
    """A column of the lines table: its heading, alignment, relative width and cell text."""

    heading: str
    align: str  # "left" or "right"
    width: int
    cell: Callable[[DocumentLine], str]


def columns(document: Document) -> tuple[Column, ...]:
    """The columns of the document's lines table, in the document's locale."""
    locale = document.locale

    def _price(line: DocumentLine) -> str:
        return "" if line.unit_price is None else format_price(line.unit_price, locale=locale)

    def _net(line: DocumentLine) -> str:
        return "" if line.net is None else format_amount(line.net, locale=locale)

    def _discount(line: DocumentLine) -> str:
        return format_rate(line.discount, locale=locale) if line.discount else ""

    def _ordered(line: DocumentLine) -> str:
        return "" if line.ordered is None else format_quantity(line.ordered, locale=locale)

    def _quantity(line: DocumentLine) -> str:
        return format_quantity(line.quantity, locale=locale)

    def _tax(line: DocumentLine) -> str:
        return format_rate(line.tax_rate, locale=locale)

    priced = document.kind not in _UNPRICED and not document.kind.to_supplier
    first = (
        Column("#", "right", 8, lambda line: str(line.position)),
        Column("Product", "left", 28, lambda line: line.sku),
        Column("Description", "left", 40 if priced else 52, lambda line: line.description),
    )
    quantity = Column("Quantity", "right", 18, _quantity)
    if document.kind in _UNPRICED:
        done = "Returned" if document.kind is DocumentKind.RETURN_NOTE else "Shipped"
        return (
            *first,
            Column("Ordered", "right", 18, _ordered),
            Column(done, "right", 18, _quantity),
            Column("Due", "right", 20, lambda line: format_date(line.due_on)),
        )
    if document.kind is DocumentKind.PURCHASE_ORDER:
        return (
            *first,
            quantity,
            Column("Unit cost", "right", 22, _price),
            Column("Amount", "right", 24, _net),
        )
    # A delivery schedule (Mangrove's dated deliveries) prints each line's due date.
    dated = (
        (Column("Due", "right", 20, lambda line: format_date(line.due_on)),)
        if any(line.due_on is not None for line in document.lines)
        else ()
    )
    return (
        *first,
        *dated,
        quantity,
        Column("Unit price", "right", 22, _price),
        Column("Discount", "right", 16, _discount),
        Column("Tax", "right", 12, _tax),
        Column("Amount", "right", 24, _net),
    )


def address_lines(address: Address | None) -> list[str]:
    """The printed lines of an address; a street may span several lines."""
    if address is None:
        return []
    lines = [address.name] if address.name else []
    lines += [part for part in address.street.splitlines() if part.strip()]
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    lines += [part for part in (place, address.region, address.country) if part]
    return lines


def _contact(party: Party) -> list[str]:
    lines = [f"Tax ID: {party.tax_id}"] if party.tax_id else []
    lines += [f"VAT ID: {party.vat_id}"] if party.vat_id else []
    lines += [part for part in (party.email, party.phone) if part]
    lines += [f"IBAN: {party.iban}"] if party.iban else []
    return lines + list(party.notes)


def issuer_lines(document: Document) -> list[str]:
    """The letterhead under the issuer's name: address, tax id, contact and notes."""
    party = document.issuer
    return address_lines(party.billing_address) + _contact(party)


def _block(party: Party, address: Address | None) -> list[str]:
    return [party.name, *address_lines(address)]


def recipient_blocks(document: Document) -> list[tuple[str, list[str]]]:
    """The headed blocks of the other party: bill to and ship to, or supplier and deliver to.

    The first line of each block is the party's name.
    """
    party = document.recipient
    billing, shipping = party.billing_address, party.shipping_address
    if document.kind.to_supplier:
        own = document.issuer
        deliver = own.shipping_address or own.billing_address
        return [
            ("Supplier", _block(party, billing) + _contact(party)),
            ("Deliver to", _block(own, deliver)),
        ]
    if document.kind in _UNPRICED:
        blocks = [("Deliver to", _block(party, shipping or billing))]
        if shipping is not None and billing is not None and billing != shipping:
            blocks.append(("Customer", _block(party, billing)))
        return blocks
    blocks = [("Bill to", _block(party, billing) + _contact(party))]
    if shipping is not None and shipping != billing:
        blocks.append(("Ship to", _block(party, shipping)))
    return blocks


def details(document: Document) -> list[tuple[str, str]]:
    """The labelled facts of the header: number, dates, references."""
    rows = [("Number", document.number)]
    rows += [(date.label, format_date(date.date)) for date in document.dates]
    if document.order_number:
        rows.append(("Order", document.order_number))
    if document.reference:
        rows.append(("Your reference", document.reference))
    rows.append(("Currency", document.currency))
    return rows


def totals_rows(document: Document) -> list[tuple[str, str]]:
    """The totals under the lines: net, the tax per rate, then the grand total (last)."""
    totals, locale = document.totals, document.locale
    if totals is None:
        return []
    rows = [("Net total", format_money(totals.net, locale=locale))]
    taxed = [line for line in totals.by_rate if line.rate or line.tax.amount]
    for line in taxed:
        rate = format_rate(line.rate, locale=locale)
        net = format_amount(line.net, locale=locale)
        rows.append((f"Tax {rate} on {net}", format_money(line.tax, locale=locale)))
    if taxed:
        rows.append(("Tax total", format_money(totals.tax, locale=locale)))
    rows.append(("Total", format_money(totals.gross, locale=locale)))
    return rows


def payment_rows(document: Document) -> list[tuple[str, str]]:
    """The payment block: the status, what was paid, and the amount due (last)."""
    payment = document.payment
    if payment is None:
        return []
    return [
        ("Payment status", _PAYMENT_STATES[payment.state]),
        ("Paid", format_money(payment.paid, locale=document.locale)),
        ("Amount due", format_money(payment.outstanding, locale=document.locale)),
    ]
