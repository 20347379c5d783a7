"""The life of a billing document: edit while draft, issue, cancel, correct by credit note.

A draft may change freely (quantities, prices, lines). Once issued an invoice is never
edited: it is cancelled, or corrected by a credit note. Every function returns a new value.

>>> import datetime as dt
>>> from orderbook import Invoice, InvoiceLine, Money
>>> draft = Invoice(id="inv-1", customer_id="acme", currency="EUR", lines=[
...     InvoiceLine(id="a", quantity=2, unit_price=Money("10.00", "EUR"))])
>>> draft = edit_line(draft, "a", quantity=3)
>>> issued = issue(draft, issued_on=dt.date(2027, 3, 1), due_days=30)
>>> issued.status, issued.due_on
(<DocumentStatus.ISSUED: 'issued'>, datetime.date(2027, 3, 31))
>>> edit_line(issued, "a", quantity=4)
Traceback (most recent call last):
...
orderbook.errors.LockedError: 'inv-1' is locked: an issued invoice is never edited; ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from orderbook.billing._due import due_on
from orderbook.billing.exact import complete, complete_part, line_index
from orderbook.errors import LockedError, ValidationError
from orderbook.ids import IdFactory, uuid4_ids
from orderbook.model import DocumentStatus, Invoice, InvoiceKind, InvoiceLine, Order
from orderbook.money import Money, to_decimal
from orderbook.pricing import line_net, line_tax
from orderbook.rollup import OrderSummary

__all__ = [
    "add_line",
    "cancel",
    "credit_note",
    "edit_line",
    "issue",
    "recredit",
    "remove_line",
]

_ZERO = Decimal(0)


def _draft(invoice: Invoice) -> Invoice:
    if not isinstance(invoice, Invoice):
        raise ValidationError("invoice", invoice, "must be an Invoice")
    if invoice.status is not DocumentStatus.DRAFT:
        reason = (
            "an issued invoice is never edited; cancel it or correct it with a credit note"
            if invoice.status is DocumentStatus.ISSUED
            else "a cancelled invoice does not change"
        )
        raise LockedError(invoice.id, reason)
    return invoice


def edit_line(
    invoice: Invoice,
    line_id: str,
    *,
    quantity: Decimal | int | str | None = None,
    unit_price: Money | None = None,
    discount: Decimal | int | str | None = None,
    tax_rate: Decimal | int | str | None = None,
    description: str | None = None,
    order: Order | None = None,
    summary: OrderSummary | None = None,
) -> Invoice:
    """Change one line of a draft invoice; fields left as None stay as they are.

    A line whose quantity, price, discount or rate changes is priced again from its new
    values: amounts fixed on it when it completed its order line are dropped. Given the
    order and the summary of its other documents, a line that still completes its order line
    takes exactly what is left (:func:`~orderbook.billing.exact.complete_part`).

    Args:
        invoice: the draft.
        line_id: the line to change.
        quantity, unit_price, discount, tax_rate, description: the new values.
        order: the order the invoice bills, to keep a completing line cent-exact.
        summary: with ``order``, its summary counting every other billing document (drafts
            included) and not this invoice.

    Raises:
        LockedError: the invoice is issued or cancelled.
        NotFound: it has no such line.
        ValidationError: a new value is invalid, or only one of ``order`` and ``summary``
            is given.

    >>> from orderbook import InvoiceLine
    >>> draft = Invoice(id="inv-1", customer_id="acme", currency="EUR", lines=[
    ...     InvoiceLine(id="a", quantity="0.7", unit_price=Money("145.05", "EUR"),
    ...                 fixed_net=Money("101.53", "EUR"))])
    >>> line_net(edit_line(draft, "a", quantity="0.5").lines[0])
    Money('72.53', 'EUR')
    """
    _draft(invoice)
    if (order is None) != (summary is None):
        raise ValidationError("summary", summary, "must be given with order, and only then")
    i = line_index(invoice, line_id)
    priced = {
        "quantity": quantity,
        "unit_price": unit_price,
        "discount": discount,
        "tax_rate": tax_rate,
    }
    changes: dict[str, Any] = {name: value for name, value in priced.items() if value is not None}
    repriced = bool(changes)
    if repriced:
        changes.update(fixed_net=None, fixed_tax=None)
    if description is not None:
        changes["description"] = description
    line = attrs.evolve(invoice.lines[i], **changes)
    edited = attrs.evolve(invoice, lines=(*invoice.lines[:i], line, *invoice.lines[i + 1 :]))
    if repriced and order is not None and summary is not None:
        edited = complete_part(edited, line_id, order, summary)
    return edited


def add_line(invoice: Invoice, line: InvoiceLine) -> Invoice:
    """Add a line to a draft invoice.

    Raises:
        LockedError: the invoice is issued or cancelled.
        ValidationError: the line is not an InvoiceLine, its id is taken or its currency
            differs.
    """
    _draft(invoice)
    if not isinstance(line, InvoiceLine):
        raise ValidationError("line", line, "must be an InvoiceLine")
    return attrs.evolve(invoice, lines=(*invoice.lines, line))


def remove_line(invoice: Invoice, line_id: str) -> Invoice:
    """Remove a line from a draft invoice.

    Raises:
        LockedError: the invoice is issued or cancelled.
        NotFound: it has no such line.
    """
    _draft(invoice)
    i = line_index(invoice, line_id)
    return attrs.evolve(invoice, lines=(*invoice.lines[:i], *invoice.lines[i + 1 :]))


def issue(
    invoice: Invoice, *, issued_on: dt.date, due_days: int | None = None, number: str | None = None
) -> Invoice:
    """Issue a draft: from now on it counts, and it never changes again.

    Args:
        invoice: a draft with at least one line.
        issued_on: the issue date.
        due_days: days until payment is due; by default the draft's due date stays.
        number: the number it is issued under, if not already set.

    Raises:
        LockedError: it is already issued or cancelled.
        ValidationError: it has no lines, or a date is invalid.
    """
    _draft(invoice)
    if not invoice.lines:
        raise ValidationError("lines", (), "must not be empty to issue an invoice")
    if not isinstance(issued_on, dt.date) or isinstance(issued_on, dt.datetime):
        raise ValidationError("issued_on", issued_on, "must be a datetime.date")
    due = invoice.due_on if due_days is None else due_on(issued_on, due_days)
    return attrs.evolve(
        invoice,
        status=DocumentStatus.ISSUED,
        issued_on=issued_on,
        due_on=due,
        number=invoice.number if number is None else number,
    )


def cancel(invoice: Invoice) -> Invoice:
    """Cancel a draft or an issued invoice; it then counts for nothing.

    Cancelling an issued invoice puts its order in exception until it is replaced (by an
    invoice that ``corrects`` it, or by invoicing its lines again) or acknowledged.

    Raises:
        LockedError: it is already cancelled.
    """
    if not isinstance(invoice, Invoice):
        raise ValidationError("invoice", invoice, "must be an Invoice")
    if invoice.status is DocumentStatus.CANCELLED:
        raise LockedError(invoice.id, "a cancelled invoice does not change")
    return attrs.evolve(invoice, status=DocumentStatus.CANCELLED)


def credit_note(
    invoice: Invoice,
    *,
    quantities: Mapping[str, Decimal | int | str] | None = None,
    credited: Iterable[Invoice] = (),
    number: str = "",
    subject: str = "",
    id_factory: IdFactory = uuid4_ids,
) -> Invoice:
    """Build a draft credit note that takes back all or part of an issued invoice.

    The credit note copies the lines it credits, each under the id of the invoice line it
    credits, so it says what the invoice said. A line credited in parts is cent-exact: the
    part that completes it takes back exactly what is left of its net and tax.

    Args:
        invoice: an issued invoice or deposit.
        quantities: ``{invoice_line_id: quantity}`` to credit; by default all that is not
            yet credited.
        credited: earlier credit notes; those that correct this invoice and are not
            cancelled reduce what is left to credit.
        number, subject: as printed; the subject names the invoice by default.
        id_factory: makes the credit note's id.

    Raises:
        ValidationError: the invoice is not an issued invoice or deposit, or a quantity
            names no line, is not positive, or exceeds what is left to credit.
    """
    if not isinstance(invoice, Invoice):
        raise ValidationError("invoice", invoice, "must be an Invoice")
    if invoice.status is not DocumentStatus.ISSUED or invoice.kind not in (
        InvoiceKind.INVOICE,
        InvoiceKind.DEPOSIT,
    ):
        raise ValidationError("invoice", invoice.id, "must be an issued invoice or deposit")
    zero = Money.zero(invoice.currency)
    done: dict[str, tuple[Decimal, Money, Money]] = {}
    for k, note in enumerate(credited):
        if not isinstance(note, Invoice):
            raise ValidationError(f"credited[{k}]", note, "must be an Invoice")
        if note.corrects != invoice.id or note.status is DocumentStatus.CANCELLED:
            continue
        for line in note.lines:
            q, net, tax = done.get(line.id, (_ZERO, zero, zero))
            done[line.id] = (q + line.quantity, net + line_net(line), tax + line_tax(line))
    wanted = None if quantities is None else dict(quantities)
    lines = []
    for original in invoice.lines:
        q_done, net_done, tax_done = done.get(original.id, (_ZERO, zero, zero))
        left = original.quantity - q_done
        if wanted is None:
            quantity = left
        elif original.id in wanted:
            field = f"quantities[{original.id!r}]"
            quantity = to_decimal(wanted.pop(original.id), field)
            if not 0 < quantity <= left:
                raise ValidationError(field, quantity, f"must be above 0 and at most {left}")
        else:
            continue
        if quantity <= 0:
            continue
        # A part is priced from its quantity: the amounts a completing invoice line carries
        # fixed are the whole line's, so only the part that completes the credit takes them.
        part = attrs.evolve(original, quantity=quantity, fixed_net=None, fixed_tax=None)
        if quantity == left:
            net, tax = line_net(original) - net_done, line_tax(original) - tax_done
            part = complete(part, net=net, tax=tax)
        lines.append(part)
    if wanted:
        unknown = sorted(wanted)[0]
        raise ValidationError(f"quantities[{unknown!r}]", unknown, "must name a line to credit")
    if not lines:
        raise ValidationError("quantities", quantities, "leave nothing to credit")
    return Invoice(
        id=id_factory(),
        customer_id=invoice.customer_id,
        currency=invoice.currency,
        lines=lines,
        order_id=invoice.order_id,
        kind=InvoiceKind.CREDIT_NOTE,
        number=number,
        subject=subject or f"Credit note for {invoice.number or invoice.id}",
        corrects=invoice.id,
    )


def recredit(note: Invoice, invoice: Invoice, *, credited: Iterable[Invoice] = ()) -> Invoice:
    """Check an edited draft credit note against the invoice it corrects, and price it again.

    A credit note takes back what its invoice billed: each of its lines keeps the id, price,
    discount and rate of the invoice line it credits, and with the invoice's other credit
    notes it takes back at most that line's quantity. Its amounts are priced again as
    :func:`credit_note` prices them (the part that completes a line is cent-exact); the
    descriptions stay as edited.

    Args:
        note: the draft credit note, as edited.
        invoice: the invoice it corrects.
        credited: the invoice's credit notes (this one, if among them, is left out).

    Raises:
        LockedError: the note is issued or cancelled.
        ValidationError: it is not a credit note of the invoice, a line names no line of the
            invoice or changes its price, discount or rate, or a quantity exceeds what is
            left to credit.

    >>> import datetime as dt
    >>> from orderbook import InvoiceLine
    >>> bill = issue(Invoice(id="inv-1", customer_id="acme", currency="EUR", lines=[
    ...     InvoiceLine(id="a", quantity=3, unit_price=Money("10.00", "EUR"))]),
    ...     issued_on=dt.date(2027, 3, 1))
    >>> note = edit_line(credit_note(bill, quantities={"a": 1}), "a", quantity=4)
    >>> recredit(note, bill)
    Traceback (most recent call last):
    ...
    orderbook.errors.ValidationError: quantities['a'] must be above 0 and at most 3, got ...
    """
    _draft(note)
    if not isinstance(invoice, Invoice):
        raise ValidationError("invoice", invoice, "must be an Invoice")
    if note.kind is not InvoiceKind.CREDIT_NOTE or note.corrects != invoice.id:
        raise ValidationError("note", note.id, f"must be a credit note of {invoice.id!r}")
    if not note.lines:
        return note
    originals = {line.id: line for line in invoice.lines}
    for i, line in enumerate(note.lines):
        original = originals.get(line.id)
        if original is None:
            raise ValidationError(
                f"lines[{i}].id", line.id, f"must name a line of invoice {invoice.id!r}"
            )
        for name in ("unit_price", "discount", "tax_rate"):
            billed = getattr(original, name)
            if getattr(line, name) != billed:
                raise ValidationError(
                    f"lines[{i}].{name}", getattr(line, name), f"must be as billed: {billed}"
                )
    others = [n for n in credited if not (isinstance(n, Invoice) and n.id == note.id)]
    fresh = credit_note(
        invoice,
        quantities={line.id: line.quantity for line in note.lines},
        credited=others,
        id_factory=lambda: note.id,
    )
    described = {line.id: line.description for line in note.lines}
    lines = [attrs.evolve(line, description=described[line.id]) for line in fresh.lines]
    return attrs.evolve(note, lines=lines)
