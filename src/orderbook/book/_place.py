"""Handlers that create orders: place, duplicate, and convert or accept a quote."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from orderbook.acceptance import acceptance
from orderbook.book._allocating import plan_for, save_fills
from orderbook.book._load import Bundle, check_writable
from orderbook.book._session import Session
from orderbook.commands import AcceptQuote, ConvertQuote, Duplicate, PlaceOrder
from orderbook.conversions import duplicate, quote_to_order
from orderbook.errors import ConflictError, InsufficientStock, NotFound, ValidationError
from orderbook.events import OrderPlaced, QuoteAccepted
from orderbook.model import Customer, Order, OrderLine, Product, Quote, QuoteStatus


def check_products(session: Session, lines: Iterable[OrderLine]) -> dict[str, Product]:
    """Refuse a line whose SKU is not a product of the book; return the products by SKU."""
    found: dict[str, Product] = {}
    for index, line in enumerate(lines):
        try:
            found[line.sku] = session.store.get(Product, line.sku)
        except NotFound:
            raise ValidationError(
                f"lines[{index}].sku", line.sku, "must be the SKU of a product of the book"
            ) from None
    return found


def taxed(session: Session, customer_id: str, lines: Iterable[OrderLine]) -> tuple[OrderLine, ...]:
    """The lines, their products checked and every unset tax rate fixed by the workflow's
    tax rules (a rate fixed on a line never changes with its product afterwards)."""
    given = tuple(lines)
    products = check_products(session, given)
    if all(line.tax_rate is not None for line in given):
        return given
    region = session.store.get(Customer, customer_id).tax_region
    return session.wf.settings.tax_rules.fix_rates(given, region=region, products=products)


def save_new_order(session: Session, order: Order) -> Order:
    """Save a new order, refusing an id already in use.

    The save itself finds out, so placing an order costs no read of the id beforehand.
    """
    try:
        return session.put(order)
    except ConflictError as error:
        if error.actual_version is None:  # not a stored record in the way: the store's own
            raise
        raise ValidationError("order_id", order.id, "is already the id of another order") from None


def check_supply(session: Session, records: Bundle) -> None:
    """Where the workflow requires it, refuse a line that supply cannot cover."""
    plan = plan_for(session, [records])
    for demand in plan.demands:
        short = plan.shortfall(demand.key)
        if short > 0:
            raise InsufficientStock(
                demand.sku, demand.quantity, demand.quantity - short, record_id=demand.line_id
            )


def place(
    session: Session,
    order: Order,
    *,
    quote_id: str | None = None,
    duplicate_of: str | None = None,
    received: str | None = None,
) -> Order:
    """Place an order: check it, judge acceptance, save it, allocate where the workflow says."""
    store, settings = session.store, session.wf.settings
    customer = store.get(Customer, order.customer_id)
    order = attrs.evolve(order, lines=taxed(session, customer.id, order.lines))
    session.wf.status(order.status)
    records = Bundle(order, (), (), (), (), ())
    if settings.require_availability:
        check_supply(session, records)
    placed = OrderPlaced(
        customer_id=order.customer_id,
        number=order.number,
        quote_id=quote_id,
        duplicate_of=duplicate_of,
        received=received,
    )
    if customer.auto_accept_limit is not None:
        invoices = store.invoices_by_customer(customer.id)
        payments = [p for i in invoices for p in store.payments_by_invoice(i.id)]
        verdict = acceptance(
            customer,
            order,
            invoices=invoices,
            payments=payments,
            as_of=session.today,
            tax_rounding=session.counting.tax_rounding,
        )
        session.acceptance[order.id] = verdict.verdict
        placed = attrs.evolve(
            placed, acceptance=verdict.verdict.value, acceptance_reason=verdict.reason
        )
    saved = save_new_order(session, order)
    session.emit(placed, order.id)
    session.primary = saved
    if settings.allocate_on_place:
        plan = plan_for(session, [Bundle(saved, (), (), (), (), ())])
        save_fills(session, plan.fills)
        session.plans.append(plan)
    return saved


def _id_or_new(session: Session, given: str | None) -> str:
    return given if given is not None else session.new_id()


def place_order(session: Session, command: PlaceOrder, *, received: str | None = None) -> None:
    """Place an order for an existing customer, its addresses copied unless given."""
    customer = session.store.get(Customer, command.customer_id)
    order = Order(
        id=_id_or_new(session, command.order_id),
        customer_id=customer.id,
        currency=customer.currency,
        lines=command.lines,
        number=command.number,
        subject=command.subject,
        contact=command.contact,
        assigned_to=command.assigned_to,
        reference=command.reference,
        terms=command.terms,
        billing_address=command.billing_address or customer.billing_address,
        shipping_address=command.shipping_address or customer.shipping_address,
        delivery_method=command.delivery_method,
        beneficiary=command.beneficiary,
        priority=command.priority,
        placed_at=session.at,
        promised_on=command.promised_on,
        expires_on=command.expires_on,
        status=_initial(session),
        recurrence=command.recurrence,
        attachments=command.attachments,
    )
    place(session, order, received=received)


def _initial(session: Session) -> str:
    """The status new orders start in: every built workflow names one."""
    initial = session.wf.initial
    assert initial is not None  # Workflow refuses to be built without it
    return initial


def duplicate_order(session: Session, command: Duplicate) -> None:
    """Place a copy of an order."""
    original = session.store.get(Order, command.order_id)
    check_writable(session.store, original)  # copy the live revision, not a superseded one
    new_id = _id_or_new(session, command.new_order_id)
    copy = duplicate(original, status=_initial(session), id_factory=lambda: new_id)
    place(session, attrs.evolve(copy, placed_at=session.at), duplicate_of=original.id)


def convert_quote(session: Session, command: ConvertQuote) -> None:
    """Place the order of a quote."""
    quote = session.store.get(Quote, command.quote_id)
    _convert(session, quote, command)


def _convert(session: Session, quote: Quote, command: ConvertQuote | AcceptQuote) -> None:
    customer = session.store.get(Customer, quote.customer_id)
    new_id = _id_or_new(session, command.order_id)
    order = quote_to_order(
        quote, customer=customer, status=_initial(session), id_factory=lambda: new_id
    )
    order = attrs.evolve(
        order,
        number=command.number,
        billing_address=command.billing_address or order.billing_address,
        shipping_address=command.shipping_address or order.shipping_address,
        placed_at=session.at,
    )
    place(session, order, quote_id=quote.id)


def accept_quote(session: Session, command: AcceptQuote) -> None:
    """Mark a quote accepted and place its draft order."""
    quote = session.store.get(Quote, command.quote_id)
    if quote.status in (QuoteStatus.ACCEPTED, QuoteStatus.DECLINED):
        raise ValidationError(
            "quote_id", quote.id, f"must be a quote still open, not {quote.status.value}"
        )
    accepted = session.put(attrs.evolve(quote, status=QuoteStatus.ACCEPTED))
    session.emit(QuoteAccepted(quote_id=accepted.id))
    _convert(session, accepted, command)
