"""Making a draft invoice for an order, for the billing commands and the automatic methods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from orderbook.billing import deposit_invoice, invoice_order, issue
from orderbook.book._load import Bundle, billing_count, recorded
from orderbook.book._session import Session
from orderbook.events import Invoiced
from orderbook.model import Invoice, InvoiceKind
from orderbook.money import Money

_ZERO = Decimal(0)


def make_invoice(
    session: Session,
    records: Bundle,
    quantities: str | Mapping[str, Decimal],
    *,
    kind: InvoiceKind = InvoiceKind.INVOICE,
    percent: Decimal | None = None,
    amount: Money | None = None,
    issue_on: dt.date | None = None,
    issued_on: dt.date | None = None,
    due_days: int | None = None,
    number: str = "",
    subject: str = "",
    invoice_id: str | None = None,
    automatic: bool = False,
) -> Invoice:
    """Build, save and announce a draft invoice or deposit (``percent`` or ``amount`` of
    the gross), issued at once when ``issue_on`` is given."""
    state = recorded(session.store, records, billing_count(session.counting))
    if kind is InvoiceKind.DEPOSIT:
        invoice = deposit_invoice(
            records.order,
            state,
            amount=amount,
            percent=percent,
            issued_on=issued_on,
            due_days=due_days if issue_on is None else None,
            number=number,
            subject=subject,
            id_factory=session.new_id,
        )
    else:
        invoice = invoice_order(
            records.order,
            state,
            quantities=quantities,  # type: ignore[arg-type]
            kind=kind,
            issued_on=issued_on,
            due_days=due_days if issue_on is None else None,
            tolerance=session.counting.tolerance,
            number=number,
            subject=subject,
            id_factory=session.new_id,
        )
    if invoice_id is not None:
        invoice = attrs.evolve(invoice, id=invoice_id)
    if issue_on is not None:
        invoice = issue(invoice, issued_on=issue_on, due_days=due_days)
    saved = session.put(invoice)
    invoiced = Invoiced(
        invoice_id=saved.id,
        invoice_kind=saved.kind.value,
        status=saved.status.value,
        automatic=automatic,
    )
    session.emit(invoiced, records.order.id)
    session.touch(records.order.id)
    return saved


def uninvoiced(session: Session, records: Bundle) -> dict[str, Decimal]:
    """What of each line no invoice (draft or issued) bills yet."""
    state = recorded(session.store, records, billing_count(session.counting))
    return {s.line_id: s.uninvoiced for s in state.lines if s.uninvoiced > 0 and not s.recurring}
