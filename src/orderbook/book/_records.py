"""Handlers that save reference records: customers, products, lots and quotes."""

from __future__ import annotations

import attrs

from orderbook.book._allocating import plan_for, replace_allocations, save_fills
from orderbook.book._load import bundle, commits
from orderbook.book._place import taxed
from orderbook.book._session import Session
from orderbook.commands import SaveCustomer, SaveLot, SaveProduct, SaveQuote
from orderbook.decisions.orders import shrink_to
from orderbook.errors import NotFound, ValidationError
from orderbook.events import CustomerSaved, LotSaved, ProductSaved, QuoteSaved
from orderbook.model import Allocation, Customer
from orderbook.stock import lot_stock
from orderbook.store.protocol import R


def stored(session: Session, record: R) -> R | None:
    """The stored version of a record, or None."""
    try:
        return session.store.get(type(record), record.id)
    except NotFound:
        return None


def upsert(session: Session, record: R) -> R:
    """Save a record; version 0 means "over whatever is stored"."""
    before = stored(session, record)
    if before is not None and record.version == 0:
        record = attrs.evolve(record, version=before.version)
    return session.put(record)


def save_customer(session: Session, command: SaveCustomer) -> None:
    """Add or update a customer; its currency is fixed once it has orders."""
    customer = command.customer
    before = stored(session, customer)
    if (
        before is not None
        and before.currency != customer.currency
        and session.store.orders_by_customer(customer.id)
    ):
        raise ValidationError(
            "customer.currency",
            customer.currency,
            f"must stay {before.currency}: the customer has orders",
        )
    session.primary = upsert(session, customer)
    session.emit(CustomerSaved(customer_id=customer.id))


def save_product(session: Session, command: SaveProduct) -> None:
    """Add or update a product."""
    session.primary = upsert(session, command.product)
    session.emit(ProductSaved(sku=command.product.sku))


def save_lot(session: Session, command: SaveLot) -> None:
    """Add or update a lot; a lot that shrank releases its newest committed allocations."""
    lot, store = command.lot, session.store
    before = stored(session, lot)
    held = store.allocations_by_lot(lot.id) if before is not None else ()
    if before is not None and before.sku != lot.sku and held:
        raise ValidationError("lot.sku", lot.sku, f"must stay {before.sku}: the lot is allocated")
    saved = upsert(session, lot)
    session.primary = saved
    session.emit(LotSaved(lot_id=lot.id, sku=lot.sku, quantity=lot.quantity))
    cache: dict[str, bool] = {}
    committing = {a.order_id for a in held if commits(store, session.wf, a.order_id, cache)}
    if lot_stock(saved, held, committing=committing).committed <= saved.quantity:
        return
    committed = [a for a in held if a.order_id in committing]
    kept = {a.id: a for a in shrink_to(committed, saved.quantity)}
    affected = sorted({a.order_id for a in committed})
    for order_id in affected:
        mine = [a for a in committed if a.order_id == order_id]
        still: list[Allocation] = [kept[a.id] for a in mine if a.id in kept]
        reason = f"lot {lot.id!r} shrank to {saved.quantity}"
        replace_allocations(session, order_id, mine, still, reason)
    plan = plan_for(session, [bundle(store, order_id) for order_id in affected])
    save_fills(session, plan.fills)
    session.plans.append(plan)


def save_quote(session: Session, command: SaveQuote) -> None:
    """Add or update a quote of an existing customer, its lines' unset tax rates fixed."""
    quote = command.quote
    session.store.get(Customer, quote.customer_id)
    lines = taxed(session, quote.customer_id, quote.lines)
    session.primary = upsert(session, attrs.evolve(quote, lines=lines))
    session.emit(QuoteSaved(quote_id=command.quote.id))
