"""Settings: named values of plain JSON that a store keeps beside its records.

A book records the workflow it was made with as a setting, so that it reopens with it. A
setting is not a record: it has no version, takes no event and is not part of
:meth:`~orderbook.store.Store.dump`. Every store checks a setting's name as it checks an id,
and its value as it checks an event's data, and keeps the value as its canonical JSON text:
it reads back as plain data (a tuple as a list), a fresh copy each time.

>>> setting_text({"statuses": ("draft", "confirmed")})
'{"statuses":["draft","confirmed"]}'
>>> setting_from_row("workflow", '{"statuses":["draft"]}')
{'statuses': ['draft']}
>>> setting_from_row("workflow", "{1: 2}")
Traceback (most recent call last):
...
orderbook.errors.DamagedRow: settings row 'workflow' is damaged: value must be JSON ...
"""

from __future__ import annotations

from orderbook._args import text_arg
from orderbook.errors import DamagedRow, OrderbookError, ValidationError
from orderbook.store.codec import JsonValue
from orderbook.store.events import json_text, read_json

__all__ = [
    "SETTINGS_VERSION",
    "TABLE",
    "no_settings",
    "setting_from_row",
    "setting_name",
    "setting_text",
]

TABLE = "settings"
"""The table of the SQL stores that holds the settings, one row a name."""

SETTINGS_VERSION = 3
"""The schema version that added the settings table."""


def setting_name(name: object) -> str:
    """Check a setting's name: a non-empty str that every store can hold, as an id is."""
    return text_arg("name", name)


def setting_text(value: object) -> str:
    """Check a setting's value (plain JSON data, as an event's is) and return its canonical
    JSON text.

    Raises:
        ValidationError: naming ``value`` (and the part of it) that JSON cannot hold exactly.
    """
    return json_text(value, name="value")


def setting_from_row(name: str, text: object) -> JsonValue:
    """Read back a setting's stored text.

    Raises:
        DamagedRow: the text is not what :func:`setting_text` writes.
    """
    try:
        return read_json(text, field="value")
    except ValidationError as error:
        raise DamagedRow(TABLE, name, str(error)) from None


def no_settings(where: str, version: int) -> OrderbookError:
    """The error for a write of a setting into a book whose schema has no settings table.

    Args:
        where: the book, as the store's messages name it.
        version: the book's schema version.
    """
    return OrderbookError(
        f"{where} has schema version {version}, which keeps no settings: open it with the"
        f" migrations up to version {SETTINGS_VERSION} or later to add them"
    )
