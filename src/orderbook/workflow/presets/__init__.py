"""Ready-made workflows that reproduce the source products, and a sensible default.

Each preset is a function returning a :class:`~orderbook.workflow.engine.Workflow`; it
takes the options its product has. Copy and extend one with ``Workflow.with_status``,
``with_transitions``, ``with_rules`` or :func:`attrs.evolve`.

>>> from orderbook.workflow import presets
>>> presets.mrpeasy().status("waiting_for_confirmation").label
'Waiting for Confirmation'
>>> presets.by_name("bop").initial
'created'
>>> presets.NAMES
('mangrove', 'mrpeasy', 'dolibarr', 'bop', 'kafinea', 'standard')
"""

from __future__ import annotations

from orderbook.errors import NotFound, ValidationError
from orderbook.workflow.engine import Workflow
from orderbook.workflow.presets.bop import bop
from orderbook.workflow.presets.dolibarr import dolibarr
from orderbook.workflow.presets.kafinea import kafinea
from orderbook.workflow.presets.mangrove import mangrove
from orderbook.workflow.presets.mrpeasy import mrpeasy
from orderbook.workflow.presets.standard import standard

__all__ = ["NAMES", "bop", "by_name", "dolibarr", "kafinea", "mangrove", "mrpeasy", "standard"]

NAMES: tuple[str, ...] = ("mangrove", "mrpeasy", "dolibarr", "bop", "kafinea", "standard")
"""The presets' names, as ``by_name`` knows them."""


def by_name(name: str) -> Workflow:
    """Return the preset called ``name`` with its default options (e.g. from a config file).

    Raises:
        NotFound: no preset has that name.
        ValidationError: ``name`` is not a str.
    """
    builders = {
        "mangrove": mangrove,
        "mrpeasy": mrpeasy,
        "dolibarr": dolibarr,
        "bop": bop,
        "kafinea": kafinea,
        "standard": standard,
    }
    if not isinstance(name, str):
        raise ValidationError("name", name, f"must be the name of a preset: {', '.join(NAMES)}")
    if name not in builders:
        raise NotFound("workflow preset", name)
    return builders[name]()
