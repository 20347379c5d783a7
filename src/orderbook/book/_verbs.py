"""The book's verbs: thin wrappers that build a command, execute it, and return its record.

Every verb is ``self.execute(Command(...))``; its arguments are the command's fields (see
:mod:`orderbook.commands` for what each means).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from orderbook import commands as c
from orderbook._args import optional_text_arg
from orderbook.allocation import AllocationPlan
from orderbook.book._verbs_billing import BillingVerbs
from orderbook.book.outcome import Outcome
from orderbook.einvoice import parse_order
from orderbook.model import (
    Address,
    Attachment,
    Customer,
    Forfeit,
    Lot,
    Order,
    OrderLine,
    Product,
    Quote,
    RecurringPlan,
    Shipment,
    ShipmentItem,
)

Amounts = Mapping[str, Decimal | int | str]
Items = Mapping[str, Decimal | int | str] | Iterable[ShipmentItem]


class Verbs(BillingVerbs):
    """The verbs of :class:`~orderbook.book.OrderBook`, each a thin wrapper of a command."""

    def execute(self, command: c.Command) -> Outcome:
        """Execute a command (defined by the book)."""
        raise NotImplementedError

    # -- reference records ----------------------------------------------------------------

    def save_customer(self, customer: Customer, *, by: str | None = None) -> Customer:
        """Add or update a customer (:class:`~orderbook.commands.SaveCustomer`)."""
        return self.execute(c.SaveCustomer(customer, by=by)).record(Customer)

    def save_product(self, product: Product, *, by: str | None = None) -> Product:
        """Add or update a product (:class:`~orderbook.commands.SaveProduct`)."""
        return self.execute(c.SaveProduct(product, by=by)).record(Product)

    def save_lot(self, lot: Lot, *, by: str | None = None) -> Lot:
        """Add or update a lot (:class:`~orderbook.commands.SaveLot`)."""
        return self.execute(c.SaveLot(lot, by=by)).record(Lot)

    def save_quote(self, quote: Quote, *, by: str | None = None) -> Quote:
        """Add or update a quote (:class:`~orderbook.commands.SaveQuote`)."""
        return self.execute(c.SaveQuote(quote, by=by)).record(Quote)

    # -- orders ---------------------------------------------------------------------------

    def place_order(
        self,
        customer_id: str,
        lines: Iterable[OrderLine],
        *,
        order_id: str | None = None,
        number: str = "",
        subject: str = "",
        contact: str = "",
        assigned_to: str = "",
        reference: str = "",
        terms: str = "",
        billing_address: Address | None = None,
        shipping_address: Address | None = None,
        delivery_method: str = "",
        beneficiary: str = "",
        priority: int = 0,
        promised_on: dt.date | None = None,
        expires_on: dt.date | None = None,
        recurrence: RecurringPlan | None = None,
        attachments: Iterable[Attachment] = (),
        by: str | None = None,
    ) -> Order:
        """Place an order (:class:`~orderbook.commands.PlaceOrder`); return it as it stands."""
        command = c.PlaceOrder(
            customer_id=customer_id,
            lines=lines,  # the command freezes it, or refuses what is not a list
            order_id=order_id,
            number=number,
            subject=subject,
            contact=contact,
            assigned_to=assigned_to,
            reference=reference,
            terms=terms,
            billing_address=billing_address,
            shipping_address=shipping_address,
            delivery_method=delivery_method,
            beneficiary=beneficiary,
            priority=priority,
            promised_on=promised_on,
            expires_on=expires_on,
            recurrence=recurrence,
            attachments=attachments,
            by=by,
        )
        return self.execute(command).record(Order)

    def place_order_from(
        self, document: bytes | str, *, order_id: str | None = None, by: str | None = None
    ) -> Order:
        """Place the order of a UBL Order or Order-X document
        (:class:`~orderbook.commands.PlaceDigitalOrder`; the ``einvoice`` extra reads it).
        """
        optional_text_arg("order_id", order_id)  # before the document is read
        optional_text_arg("by", by)
        command = c.PlaceDigitalOrder(order=parse_order(document), order_id=order_id, by=by)
        return self.execute(command).record(Order)

    def edit_lines(
        self, order_id: str, lines: Iterable[OrderLine], *, by: str | None = None
    ) -> Order:
        """Replace an order's lines (:class:`~orderbook.commands.EditLines`)."""
        return self.execute(c.EditLines(order_id=order_id, lines=lines, by=by)).record(Order)

    def edit_order(self, order_id: str, *, by: str | None = None, **changes: object) -> Order:
        """Change header fields of an order (:class:`~orderbook.commands.EditOrder`)."""
        return self.execute(c.EditOrder(order_id=order_id, changes=changes, by=by)).record(Order)

    def change_recurrence(
        self, order_id: str, plan: RecurringPlan | None, *, by: str | None = None
    ) -> Order:
        """Change or stop (``plan=None``) the recurring invoicing of an order
        (:class:`~orderbook.commands.ChangeRecurrence`)."""
        command = c.ChangeRecurrence(order_id=order_id, plan=plan, by=by)
        return self.execute(command).record(Order)

    def transition(
        self, order_id: str, to: str, *, by: str | None = None, reason: str | None = None
    ) -> Order:
        """Move an order by hand (:class:`~orderbook.commands.ChangeStatus`)."""
        command = c.ChangeStatus(order_id=order_id, to=to, by=by, reason=reason)
        return self.execute(command).record(Order)

    def cancel(self, order_id: str, *, by: str | None = None, reason: str | None = None) -> Order:
        """Cancel an order and release its allocations (:class:`~orderbook.commands.Cancel`)."""
        return self.execute(c.Cancel(order_id=order_id, by=by, reason=reason)).record(Order)

    def finalize(self, order_id: str, *, by: str | None = None) -> Order:
        """Finalize an order (:class:`~orderbook.commands.Finalize`)."""
        return self.execute(c.Finalize(order_id=order_id, by=by)).record(Order)

    def amend(
        self,
        order_id: str,
        lines: Iterable[OrderLine],
        *,
        by: str | None = None,
        reason: str | None = None,
    ) -> Order:
        """Supersede an order by a new revision (:class:`~orderbook.commands.Amend`)."""
        command = c.Amend(order_id=order_id, lines=lines, by=by, reason=reason)
        return self.execute(command).record(Order)

    def duplicate(
        self, order_id: str, *, new_order_id: str | None = None, by: str | None = None
    ) -> Order:
        """Place a copy of an order (:class:`~orderbook.commands.Duplicate`)."""
        command = c.Duplicate(order_id=order_id, new_order_id=new_order_id, by=by)
        return self.execute(command).record(Order)

    def convert_quote(
        self,
        quote_id: str,
        *,
        order_id: str | None = None,
        number: str = "",
        billing_address: Address | None = None,
        shipping_address: Address | None = None,
        by: str | None = None,
    ) -> Order:
        """Place the order of a quote (:class:`~orderbook.commands.ConvertQuote`)."""
        command = c.ConvertQuote(
            quote_id=quote_id,
            order_id=order_id,
            number=number,
            billing_address=billing_address,
            shipping_address=shipping_address,
            by=by,
        )
        return self.execute(command).record(Order)

    def accept_quote(
        self,
        quote_id: str,
        *,
        order_id: str | None = None,
        number: str = "",
        billing_address: Address | None = None,
        shipping_address: Address | None = None,
        by: str | None = None,
    ) -> Order:
        """Accept a quote and place its order (:class:`~orderbook.commands.AcceptQuote`)."""
        command = c.AcceptQuote(
            quote_id=quote_id,
            order_id=order_id,
            number=number,
            billing_address=billing_address,
            shipping_address=shipping_address,
            by=by,
        )
        return self.execute(command).record(Order)

    def delete_order(self, order_id: str, *, by: str | None = None) -> None:
        """Delete an order for good (:class:`~orderbook.commands.DeleteOrder`)."""
        self.execute(c.DeleteOrder(order_id=order_id, by=by))

    # -- fulfilment -----------------------------------------------------------------------

    def allocate(
        self,
        order_id: str | None = None,
        *,
        objective: str = "greedy",
        partial: bool = True,
        rebook: c.RebookMode = False,
        by: str | None = None,
    ) -> AllocationPlan:
        """Allocate one order or every open one (:class:`~orderbook.commands.Allocate`).

        With ``rebook=True`` the unshipped bookings of open orders are planned again by
        priority (``"all"``: manual ones too), so a higher priority takes stock back.

        Returns:
            The plan that was saved (with ``rebook``, the new booking of the lines planned
            again, as a whole; what moved is in the events).
        """
        command = c.Allocate(
            order_id=order_id, objective=objective, partial=partial, rebook=rebook, by=by
        )
        plan = self.execute(command).plan
        assert plan is not None
        return plan

    def fulfil_manually(
        self, order_id: str, line_id: str, lots: Amounts, *, by: str | None = None
    ) -> Outcome:
        """Allocate chosen lots to a line (:class:`~orderbook.commands.FulfilManually`)."""
        command = c.FulfilManually(order_id=order_id, line_id=line_id, lots=lots, by=by)
        return self.execute(command)

    def release(
        self,
        order_id: str,
        *,
        line_ids: Iterable[str] | None = None,
        quantity: Decimal | int | str | None = None,
        by: str | None = None,
    ) -> Outcome:
        """Release allocations of an order (:class:`~orderbook.commands.Release`)."""
        command = c.Release(order_id=order_id, line_ids=line_ids, quantity=quantity, by=by)
        return self.execute(command)

    def ship(
        self,
        order_id: str,
        items: Items,
        *,
        shipped_on: dt.date | None = None,
        number: str = "",
        reference: str = "",
        by: str | None = None,
    ) -> Shipment:
        """Ship quantities of an order's lines (:class:`~orderbook.commands.Ship`)."""
        command = c.Ship(
            order_id=order_id,
            items=items,
            shipped_on=shipped_on,
            number=number,
            reference=reference,
            by=by,
        )
        return self.execute(command).record(Shipment)

    def return_goods(
        self,
        order_id: str,
        items: Items,
        *,
        returned_on: dt.date | None = None,
        number: str = "",
        reference: str = "",
        by: str | None = None,
    ) -> Shipment:
        """Record goods that came back (:class:`~orderbook.commands.Return`)."""
        command = c.Return(
            order_id=order_id,
            items=items,
            returned_on=returned_on,
            number=number,
            reference=reference,
            by=by,
        )
        return self.execute(command).record(Shipment)

    def forfeit(
        self,
        order_id: str,
        line_id: str,
        *,
        quantity: Decimal | int | str | None = None,
        reason: str = "",
        by: str | None = None,
    ) -> Forfeit:
        """Give up what is open on a line (:class:`~orderbook.commands.ForfeitRemainder`)."""
        command = c.ForfeitRemainder(
            order_id=order_id, line_id=line_id, quantity=quantity, reason=reason, by=by
        )
        return self.execute(command).record(Forfeit)
