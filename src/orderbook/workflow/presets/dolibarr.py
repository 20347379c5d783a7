"""Dolibarr: Draft, Validated, Shipment in Process, Delivered, Processed; billed and delivered.

Only a Draft order is editable: a Validated one must be explicitly modified back to Draft
first. Invoices may be made from a Validated or Delivered order. Billed and delivered are
two separate axes, and the order is Processed once both hold: by a rule, or by the manual
"classify billed" on a Delivered order.

>>> wf = dolibarr(shipments=False, classify_billed_on="invoice_paid")
>>> wf.codes
('draft', 'validated', 'delivered', 'processed', 'canceled')
>>> wf.rules[-1].name
'invoices paid in full'
"""

from __future__ import annotations

from typing import Literal

from orderbook.errors import ValidationError
from orderbook.model import Order
from orderbook.workflow.engine import Workflow
from orderbook.workflow.facts import Fulfilment, OrderFacts, Progress
from orderbook.workflow.moves import Rule, Transition
from orderbook.workflow.status import Settings, Status

__all__ = ["dolibarr"]

OrderToBill = Literal["validated", "delivered"]
ClassifyBilledOn = Literal["none", "invoice_issued", "invoice_paid"]


def _shipping_started(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment is not Fulfilment.NONE


def _all_shipped(order: Order, facts: OrderFacts) -> bool:
    return facts.fulfilment.done


def _invoices_issued(order: Order, facts: OrderFacts) -> bool:
    return facts.billing is Progress.COMPLETE and not facts.exception


def _invoices_paid(order: Order, facts: OrderFacts) -> bool:
    return _invoices_issued(order, facts) and facts.payment is Progress.COMPLETE


def dolibarr(
    shipments: bool = True,
    order_to_bill: OrderToBill = "validated",
    classify_billed_on: ClassifyBilledOn = "none",
) -> Workflow:
    """Dolibarr's customer order lifecycle.

    Args:
        shipments: the Shipment module is enabled: a Validated order whose shipping has
            begun shows Shipment in Process, and one shipped in full becomes Delivered by
            itself.
        order_to_bill: when an order is listed as "Order to Bill": from ``"validated"``
            (invoices made before delivery) or only once ``"delivered"``. It becomes
            ``settings.to_bill``.
        classify_billed_on: the Workflow module's automatic "classify billed": never
            (``"none"``), once validated invoices cover the order (``"invoice_issued"``),
            or once they are also paid (``"invoice_paid"``). A Delivered order that is
            billed so becomes Processed by itself.

    Returns:
        The workflow.

    Raises:
        ValidationError: an option that is not one of its choices.
    """
    if not isinstance(shipments, bool):
        raise ValidationError("shipments", shipments, "must be True or False")
    if order_to_bill not in ("validated", "delivered"):
        raise ValidationError("order_to_bill", order_to_bill, "must be 'validated' or 'delivered'")
    if classify_billed_on not in ("none", "invoice_issued", "invoice_paid"):
        raise ValidationError(
            "classify_billed_on",
            classify_billed_on,
            "must be 'none', 'invoice_issued' or 'invoice_paid'",
        )
    in_process = ("shipment_in_process",) if shipments else ()
    statuses = [
        Status("draft", "Draft", editable=True),
        Status("validated", "Validated", commits=True, billable=True, shippable=shipments),
    ]
    if shipments:
        statuses.append(
            Status(
                "shipment_in_process",
                "Shipment in Process",
                manual=False,
                commits=True,
                billable=True,
                shippable=True,
            )
        )
    statuses += [
        Status("delivered", "Delivered", commits=True, billable=True),
        Status("processed", "Processed", commits=True, terminal=True, locked=True),
        Status("canceled", "Canceled", terminal=True, releases=True, locked=True, cancels=True),
    ]
    rules = []
    if shipments:
        rules += [
            Rule(
                source="validated",
                target="shipment_in_process",
                when=_shipping_started,
                name="a shipment is made",
            ),
            Rule(
                source=("validated", "shipment_in_process"),
                target="delivered",
                when=_all_shipped,
                name="everything shipped",
            ),
        ]
    if classify_billed_on == "invoice_issued":
        rules.append(
            Rule(
                source="delivered",
                target="processed",
                when=_invoices_issued,
                name="invoices validated for the whole order",
            )
        )
    elif classify_billed_on == "invoice_paid":
        rules.append(
            Rule(
                source="delivered",
                target="processed",
                when=_invoices_paid,
                name="invoices paid in full",
            )
        )
    to_bill = (
        ("validated", *in_process, "delivered") if order_to_bill == "validated" else ("delivered",)
    )
    return Workflow(
        name="dolibarr",
        statuses=statuses,
        initial="draft",
        transitions=[
            Transition(source="draft", target="validated", name="validate"),
            Transition(source="validated", target="draft", name="modify"),
            Transition(
                source=("validated", *in_process), target="delivered", name="classify delivered"
            ),
            Transition(source="delivered", target="processed", name="classify billed"),
            Transition(source=("validated", *in_process), target="canceled", name="cancel"),
        ],
        rules=rules,
        settings=Settings(to_bill=to_bill),
    )
