"""Automatic acceptance (b-op): trusted customers' orders under a threshold are accepted.

An order is accepted without review when its gross is under the customer's auto-accept limit
and the customer has no unpaid invoice past its due date. The track record is derived from
the invoices and payments as of a date, never stored. With no limit set, every order is
reviewed.

>>> import datetime as dt
>>> from orderbook import Customer, Money, Order, OrderLine
>>> acme = Customer(id="acme", name="AcmeCorp", currency="EUR",
...                 auto_accept_limit=Money("1000", "EUR"))
>>> order = Order(customer_id="acme", currency="EUR", lines=[
...     OrderLine(sku="BOLT", quantity=100, unit_price=Money("2.50", "EUR"))])
>>> verdict = acceptance(acme, order, invoices=[], payments=[], as_of=dt.date(2027, 4, 1))
>>> verdict.verdict, verdict.reason
(<Acceptance.ACCEPT: 'accept'>, 'gross EUR 250.00 is under the limit of EUR 1000.00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from orderbook.errors import CurrencyMismatch, ValidationError
from orderbook.model import Customer, DocumentStatus, Invoice, InvoiceKind, Order, Payment
from orderbook.money import Money
from orderbook.pricing import TaxRounding, invoice_totals, order_totals
from orderbook.workflow.facts import Acceptance

__all__ = ["AcceptanceVerdict", "acceptance", "overdue_invoices", "unpaid_past_due"]


@attrs.frozen(kw_only=True)
class AcceptanceVerdict:
    """Accept or review, and why.

    Args:
        verdict: :attr:`Acceptance.ACCEPT` or :attr:`Acceptance.REVIEW`.
        reason: a sentence a person can read.
        gross: the order's gross.
        limit: the customer's auto-accept limit, if any.
        overdue: ids of the customer's invoices unpaid past their due date.
    """

    verdict: Acceptance
    reason: str
    gross: Money
    limit: Money | None
    overdue: tuple[str, ...]

    @property
    def accepted(self) -> bool:
        """Whether the order may be accepted without review."""
        return self.verdict is Acceptance.ACCEPT


def unpaid_past_due(
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    *,
    as_of: dt.date,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> tuple[tuple[Invoice, Money, Money], ...]:
    """Return the issued invoices and deposits still owing after their due date, each with
    what it owes and what was paid on it, by due date then id.

    What an invoice owes is its gross less the credit notes that correct it; what was paid
    is the payments against it received by ``as_of``. An invoice is past due when it owes
    more than was paid and ``as_of`` is after its due date.

    Raises:
        ValidationError: an invoice or a payment is not one (named by its position).

    >>> from orderbook import Invoice, Money, Payment
    >>> from orderbook.model import InvoiceLine
    >>> bill = Invoice(id="inv-1", order_id="o1", customer_id="acme", currency="EUR",
    ...                status="issued", issued_on=dt.date(2027, 2, 1), due_on=dt.date(2027, 3, 1),
    ...                lines=[InvoiceLine(quantity=1, unit_price=Money("50", "EUR"))])
    >>> part = Payment(invoice_id="inv-1", amount=Money("20", "EUR"),
    ...                received_on=dt.date(2027, 2, 20))
    >>> [(i.id, owed, paid) for i, owed, paid in unpaid_past_due(
    ...     [bill], [part], as_of=dt.date(2027, 3, 2))]
    [('inv-1', Money('50.00', 'EUR'), Money('20.00', 'EUR'))]
    """
    records = list(invoices)
    for k, invoice in enumerate(records):
        if not isinstance(invoice, Invoice):
            raise ValidationError(f"invoices[{k}]", invoice, "must be an Invoice")
    bills: dict[str, Invoice] = {}
    owed: dict[str, Money] = {}
    credits: list[tuple[str, Money]] = []
    for invoice in records:
        if invoice.status is not DocumentStatus.ISSUED:
            continue
        gross = invoice_totals(invoice, tax_rounding=tax_rounding).gross
        if invoice.kind is InvoiceKind.CREDIT_NOTE and invoice.corrects is not None:
            credits.append((invoice.corrects, gross))
        elif invoice.kind in (InvoiceKind.INVOICE, InvoiceKind.DEPOSIT):
            bills[invoice.id] = invoice
            owed[invoice.id] = gross
    for corrected, gross in credits:
        if corrected in owed:
            owed[corrected] = owed[corrected] - gross
    paid = {invoice_id: Money.zero(bills[invoice_id].currency) for invoice_id in bills}
    for k, payment in enumerate(payments):
        if not isinstance(payment, Payment):
            raise ValidationError(f"payments[{k}]", payment, "must be a Payment")
        if payment.invoice_id in paid and payment.received_on <= as_of:
            paid[payment.invoice_id] = paid[payment.invoice_id] + payment.amount
    found = [
        (bill, owed[bill.id], paid[bill.id])
        for bill in bills.values()
        if bill.due_on is not None and as_of > bill.due_on and owed[bill.id] > paid[bill.id]
    ]
    return tuple(sorted(found, key=lambda entry: (entry[0].due_on or as_of, entry[0].id)))


def overdue_invoices(
    customer_id: str,
    *,
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    as_of: dt.date,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> tuple[str, ...]:
    """Return the ids of a customer's issued invoices still unpaid after their due date
    (:func:`unpaid_past_due`, the customer's alone), sorted."""
    past_due = unpaid_past_due(invoices, payments, as_of=as_of, tax_rounding=tax_rounding)
    return tuple(sorted(bill.id for bill, _, _ in past_due if bill.customer_id == customer_id))


def acceptance(
    customer: Customer,
    order: Order,
    *,
    invoices: Iterable[Invoice],
    payments: Iterable[Payment],
    as_of: dt.date,
    tax_rounding: TaxRounding | str = TaxRounding.PER_LINE,
) -> AcceptanceVerdict:
    """Decide whether an order may be accepted automatically (b-op).

    Args:
        customer: who placed the order.
        order: the order.
        invoices: the customer's invoices (others are ignored).
        payments: payments against them.
        as_of: the date the track record is judged on.
        tax_rounding: how the order's and the invoices' tax is rounded.

    Returns:
        accept when the order's gross is under the customer's limit and no invoice of the
        customer is unpaid past its due date; review otherwise, with the reason.

    Raises:
        ValidationError: the order is not the customer's.
        CurrencyMismatch: the order is not in the customer's currency.
    """
    if not isinstance(customer, Customer):
        raise ValidationError("customer", customer, "must be a Customer")
    if not isinstance(order, Order) or order.customer_id != customer.id:
        raise ValidationError("order", order, f"must be an Order of customer {customer.id!r}")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise ValidationError("as_of", as_of, "must be a datetime.date")
    if order.currency != customer.currency:
        raise CurrencyMismatch(customer.currency, order.currency, field="order.currency")
    gross = order_totals(order, tax_rounding=tax_rounding).gross
    limit = customer.auto_accept_limit
    overdue = overdue_invoices(
        customer.id, invoices=invoices, payments=payments, as_of=as_of, tax_rounding=tax_rounding
    )

    def verdict(result: Acceptance, reason: str) -> AcceptanceVerdict:
        return AcceptanceVerdict(
            verdict=result, reason=reason, gross=gross, limit=limit, overdue=overdue
        )

    if limit is None:
        return verdict(Acceptance.REVIEW, "the customer has no auto-accept limit")
    if overdue:
        listed = ", ".join(overdue)
        return verdict(Acceptance.REVIEW, f"unpaid invoices past their due date: {listed}")
    if gross >= limit:
        return verdict(Acceptance.REVIEW, f"gross {gross} is not under the limit of {limit}")
    return verdict(Acceptance.ACCEPT, f"gross {gross} is under the limit of {limit}")
