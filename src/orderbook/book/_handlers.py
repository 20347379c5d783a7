"""Which handler executes which command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orderbook import commands as c
from orderbook.book import _billing, _digital, _fulfil, _housekeeping, _orders, _place, _records
from orderbook.book._session import Session

Handler = Callable[[Session, Any], None]

HANDLERS: dict[type[object], Handler] = {
    c.SaveCustomer: _records.save_customer,
    c.SaveProduct: _records.save_product,
    c.SaveLot: _records.save_lot,
    c.SaveQuote: _records.save_quote,
    c.PlaceOrder: _place.place_order,
    c.PlaceDigitalOrder: _digital.place_digital_order,
    c.Duplicate: _place.duplicate_order,
    c.ConvertQuote: _place.convert_quote,
    c.AcceptQuote: _place.accept_quote,
    c.EditLines: _orders.edit_lines,
    c.EditOrder: _orders.edit_order,
    c.ChangeRecurrence: _orders.change_recurrence,
    c.ChangeStatus: _orders.change_status,
    c.Cancel: _orders.cancel,
    c.Finalize: _orders.finalize_order,
    c.Amend: _orders.amend,
    c.DeleteOrder: _orders.delete_order,
    c.Allocate: _fulfil.allocate_orders,
    c.FulfilManually: _fulfil.fulfil_by_hand,
    c.Release: _fulfil.release_allocations,
    c.Ship: _fulfil.ship,
    c.Return: _fulfil.return_goods,
    c.ForfeitRemainder: _fulfil.forfeit,
    c.InvoiceOrder: _billing.invoice,
    c.InvoiceDuePeriods: _billing.invoice_periods,
    c.EditDraftInvoice: _billing.edit_draft,
    c.IssueInvoice: _billing.issue_invoice,
    c.CancelInvoice: _billing.cancel_invoice,
    c.CreditInvoice: _billing.credit_invoice,
    c.Procure: _billing.procure,
    c.RecordPayment: _billing.record_payment,
    c.EditPayment: _billing.edit_payment,
    c.DeletePayment: _billing.delete_payment,
    c.Settle: _housekeeping.settle,
    c.Archive: _housekeeping.archive,
}
