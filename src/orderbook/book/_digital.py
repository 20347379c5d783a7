"""The handler of an order that arrives as a document: find the buyer, then place it."""

from __future__ import annotations

from orderbook.book._place import place_order
from orderbook.book._session import Session
from orderbook.commands import PlaceDigitalOrder
from orderbook.einvoice.orders import match_customer
from orderbook.einvoice.placing import place_order_command
from orderbook.errors import NotFound
from orderbook.model import Customer, Product


def place_digital_order(session: Session, command: PlaceDigitalOrder) -> None:
    """Match the document's buyer to a customer and place its order as PlaceOrder does."""
    received = command.order
    customer = match_customer(received, session.store.records(Customer))
    products: dict[str, Product] = {}
    for line in received.lines:
        try:
            products[line.sku] = session.store.get(Product, line.sku)
        except NotFound:
            continue  # the core refuses the line, naming it
    place = place_order_command(
        received, customer, products, order_id=command.order_id, by=command.by
    )
    place_order(session, place, received=received.syntax or "document")
