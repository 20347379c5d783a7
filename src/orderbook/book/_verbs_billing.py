"""The book's billing and book-wide verbs: thin wrappers of the billing commands.

Every verb is ``self.execute(Command(...))``; its arguments are the command's fields (see
:mod:`orderbook.commands` for what each means).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from orderbook import commands as c
from orderbook.book.outcome import Outcome
from orderbook.model import Invoice, InvoiceKind, InvoiceLine, Payment, PurchaseOrder
from orderbook.money import Money
from orderbook.workflow import HistoryEntry

Amounts = Mapping[str, Decimal | int | str]


class BillingVerbs:
    """The billing verbs of :class:`~orderbook.book.OrderBook`."""

    def execute(self, command: c.Command) -> Outcome:
        """Execute a command (defined by the book)."""
        raise NotImplementedError

    # -- billing --------------------------------------------------------------------------

    def invoice(
        self,
        order_id: str,
        quantities: str | Amounts = "remaining",
        *,
        kind: InvoiceKind | str = InvoiceKind.INVOICE,
        percent: Decimal | int | str | None = None,
        amount: Money | None = None,
        issue: bool = False,
        issued_on: dt.date | None = None,
        due_days: int | None = None,
        number: str = "",
        subject: str = "",
        by: str | None = None,
    ) -> Invoice:
        """Invoice an order, or bill a deposit (:class:`~orderbook.commands.InvoiceOrder`)."""
        command = c.InvoiceOrder(
            order_id=order_id,
            quantities=quantities,
            kind=kind,
            percent=percent,
            amount=amount,
            issue=issue,
            issued_on=issued_on,
            due_days=due_days,
            number=number,
            subject=subject,
            by=by,
        )
        return self.execute(command).record(Invoice)

    def credit_note(
        self,
        invoice_id: str,
        quantities: Amounts | None = None,
        *,
        issue: bool = False,
        issued_on: dt.date | None = None,
        number: str = "",
        subject: str = "",
        by: str | None = None,
    ) -> Invoice:
        """Credit an issued invoice, all or part (:class:`~orderbook.commands.CreditInvoice`)."""
        command = c.CreditInvoice(
            invoice_id=invoice_id,
            quantities=quantities,
            issue=issue,
            issued_on=issued_on,
            number=number,
            subject=subject,
            by=by,
        )
        return self.execute(command).record(Invoice)

    def procure(
        self, order_id: str, line_ids: Iterable[str] | None = None, *, by: str | None = None
    ) -> tuple[PurchaseOrder, ...]:
        """Make one purchase order per supplier (:class:`~orderbook.commands.Procure`).

        Returns:
            The purchase orders made, by supplier.
        """
        command = c.Procure(order_id=order_id, line_ids=line_ids, by=by)
        outcome = self.execute(command)
        return tuple(r for r in outcome.written if isinstance(r, PurchaseOrder))

    def invoice_due_periods(
        self, order_id: str, *, as_of: dt.date | None = None, by: str | None = None
    ) -> tuple[Invoice, ...]:
        """Invoice the recurring periods due (:class:`~orderbook.commands.InvoiceDuePeriods`)."""
        outcome = self.execute(c.InvoiceDuePeriods(order_id=order_id, as_of=as_of, by=by))
        return tuple(r for r in outcome.written if isinstance(r, Invoice))

    def edit_draft_invoice(
        self,
        invoice_id: str,
        *,
        edits: Mapping[str, c.LineEdit] | None = None,
        add: Iterable[InvoiceLine] = (),
        remove: Iterable[str] = (),
        number: str | None = None,
        subject: str | None = None,
        by: str | None = None,
    ) -> Invoice:
        """Change a draft invoice (:class:`~orderbook.commands.EditDraftInvoice`)."""
        command = c.EditDraftInvoice(
            invoice_id=invoice_id,
            edits=edits or {},
            add=add,  # the command freezes them, or refuses what is not a list
            remove=remove,
            number=number,
            subject=subject,
            by=by,
        )
        return self.execute(command).record(Invoice)

    def issue_invoice(
        self,
        invoice_id: str,
        *,
        issued_on: dt.date | None = None,
        due_days: int | None = None,
        number: str | None = None,
        by: str | None = None,
    ) -> Invoice:
        """Issue a draft invoice (:class:`~orderbook.commands.IssueInvoice`)."""
        command = c.IssueInvoice(
            invoice_id=invoice_id, issued_on=issued_on, due_days=due_days, number=number, by=by
        )
        return self.execute(command).record(Invoice)

    def cancel_invoice(self, invoice_id: str, *, by: str | None = None) -> Invoice:
        """Cancel an invoice (:class:`~orderbook.commands.CancelInvoice`)."""
        return self.execute(c.CancelInvoice(invoice_id=invoice_id, by=by)).record(Invoice)

    def record_payment(
        self,
        amount: Money,
        *,
        invoice_id: str | None = None,
        order_id: str | None = None,
        line_id: str | None = None,
        received_on: dt.date | None = None,
        method: str = "",
        reference: str = "",
        by: str | None = None,
    ) -> Payment:
        """Record a payment (:class:`~orderbook.commands.RecordPayment`)."""
        command = c.RecordPayment(
            amount=amount,
            invoice_id=invoice_id,
            order_id=order_id,
            line_id=line_id,
            received_on=received_on,
            method=method,
            reference=reference,
            by=by,
        )
        return self.execute(command).record(Payment)

    def edit_payment(
        self,
        payment_id: str,
        *,
        amount: Money | None = None,
        received_on: dt.date | None = None,
        method: str | None = None,
        reference: str | None = None,
        by: str | None = None,
    ) -> Payment:
        """Correct a payment (:class:`~orderbook.commands.EditPayment`)."""
        command = c.EditPayment(
            payment_id=payment_id,
            amount=amount,
            received_on=received_on,
            method=method,
            reference=reference,
            by=by,
        )
        return self.execute(command).record(Payment)

    def delete_payment(self, payment_id: str, *, by: str | None = None) -> None:
        """Delete a payment (:class:`~orderbook.commands.DeletePayment`)."""
        self.execute(c.DeletePayment(payment_id=payment_id, by=by))

    # -- the whole book -------------------------------------------------------------------

    def settle(
        self, as_of: dt.date | None = None, *, by: str | None = None
    ) -> tuple[HistoryEntry, ...]:
        """Apply the time-driven rules to every open order (:class:`~orderbook.commands.Settle`).

        Returns:
            The moves made.
        """
        return self.execute(c.Settle(as_of=as_of, by=by)).moves

    def archive(
        self, before: dt.date, *, status: str = "archived", by: str | None = None
    ) -> tuple[HistoryEntry, ...]:
        """Archive closed orders placed before a date (:class:`~orderbook.commands.Archive`).

        Returns:
            The moves made.
        """
        return self.execute(c.Archive(before=before, status=status, by=by)).moves
