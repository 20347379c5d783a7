"""Commands: frozen values, one per operation the book performs.

A command says what to do; :meth:`orderbook.book.OrderBook.execute` does it, in one
transaction. Being values, commands can be built ahead, batched, logged, replayed and
simulated. Each checks its own fields when built, like every value of the model.

>>> from orderbook.commands import Ship
>>> Ship(order_id="o1", items={"l1": 0})
Traceback (most recent call last):
...
orderbook.errors.ValidationError: Ship: items ...quantity must be greater than 0, got ...
"""

from typing import TypeAlias

from orderbook.commands.billing import (
    CancelInvoice,
    CreditInvoice,
    DeletePayment,
    EditDraftInvoice,
    EditPayment,
    InvoiceDuePeriods,
    InvoiceOrder,
    IssueInvoice,
    LineEdit,
    Procure,
    RecordPayment,
)
from orderbook.commands.fulfilment import (
    Allocate,
    ForfeitRemainder,
    FulfilManually,
    RebookMode,
    Release,
    Return,
    Ship,
)
from orderbook.commands.housekeeping import Archive, Settle
from orderbook.commands.orders import (
    AcceptQuote,
    Amend,
    Cancel,
    ChangeRecurrence,
    ChangeStatus,
    ConvertQuote,
    DeleteOrder,
    Duplicate,
    EditLines,
    EditOrder,
    Finalize,
    PlaceOrder,
)
from orderbook.commands.received import PlaceDigitalOrder
from orderbook.commands.records import SaveCustomer, SaveLot, SaveProduct, SaveQuote

__all__ = [
    "AcceptQuote",
    "Allocate",
    "Amend",
    "Archive",
    "Cancel",
    "CancelInvoice",
    "ChangeRecurrence",
    "ChangeStatus",
    "Command",
    "ConvertQuote",
    "CreditInvoice",
    "DeleteOrder",
    "DeletePayment",
    "Duplicate",
    "EditDraftInvoice",
    "EditLines",
    "EditOrder",
    "EditPayment",
    "Finalize",
    "ForfeitRemainder",
    "FulfilManually",
    "InvoiceDuePeriods",
    "InvoiceOrder",
    "IssueInvoice",
    "LineEdit",
    "PlaceDigitalOrder",
    "PlaceOrder",
    "Procure",
    "RebookMode",
    "RecordPayment",
    "Release",
    "Return",
    "SaveCustomer",
    "SaveLot",
    "SaveProduct",
    "SaveQuote",
    "Settle",
    "Ship",
]

Command: TypeAlias = (
    SaveCustomer
    | SaveProduct
    | SaveLot
    | SaveQuote
    | PlaceOrder
    | PlaceDigitalOrder
    | EditLines
    | EditOrder
    | ChangeRecurrence
    | ChangeStatus
    | Cancel
    | Finalize
    | Amend
    | Duplicate
    | ConvertQuote
    | AcceptQuote
    | DeleteOrder
    | Allocate
    | FulfilManually
    | Release
    | Ship
    | Return
    | ForfeitRemainder
    | InvoiceOrder
    | InvoiceDuePeriods
    | EditDraftInvoice
    | IssueInvoice
    | CancelInvoice
    | CreditInvoice
    | Procure
    | RecordPayment
    | EditPayment
    | DeletePayment
    | Settle
    | Archive
)
"""Any command the book executes."""
