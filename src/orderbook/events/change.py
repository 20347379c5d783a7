"""The records an event wrote or deleted: :class:`Change`, and its JSON text for the book."""

from __future__ import annotations

from typing import Any

import attrs

from orderbook import _fields as f
from orderbook.errors import ValidationError
from orderbook.store import record_json
from orderbook.store.codec import JsonValue, Row, canonical_json, decode, encode
from orderbook.store.protocol import RECORD_KINDS, Record, Store, kind_of

__all__ = ["Change", "change_json"]

_OPS = ("put", "delete")


@attrs.frozen(kw_only=True)
class Change:
    """One record an event wrote (``put``, with its full row) or deleted (``delete``).

    Args:
        op: ``"put"`` or ``"delete"``.
        kind: the kind of record, as the store names it: ``"order"``, ``"lot"``, ...
        row: for a put, the record as saved (version included); for a delete, its ``id``
            and the ``version`` deleted.
    """

    op: str = attrs.field(validator=attrs.validators.in_(_OPS))
    kind: str = attrs.field(validator=attrs.validators.in_(tuple(RECORD_KINDS)))
    row: Row = attrs.field(hash=False, validator=f.instance_of(dict))

    @classmethod
    def put(cls, record: Record) -> Change:
        """The change of saving ``record`` (as saved, with its new version)."""
        return cls(op="put", kind=kind_of(type(record)), row=encode(record))

    @classmethod
    def delete(cls, record: Record) -> Change:
        """The change of deleting ``record`` (only its id and version are kept)."""
        return cls(
            op="delete",
            kind=kind_of(type(record)),
            row={"id": record.id, "version": record.version},
        )

    def to_json(self) -> dict[str, JsonValue]:
        """The change as the plain data an event keeps."""
        return {"op": self.op, "kind": self.kind, "row": self.row}

    def apply(self, store: Store) -> None:
        """Make the change in ``store``: save the row at its version, or delete the record.

        Raises:
            ConflictError: the store does not hold the version the change was made over.
            NotFound: a delete names a record the store does not hold.
        """
        kind = RECORD_KINDS[self.kind]
        target: Any = store  # each kind of record goes through the same calls
        if self.op == "delete":
            record_id = self.row.get("id")
            if not isinstance(record_id, str):
                raise ValidationError("row.id", record_id, "must be the deleted record's id")
            target.delete(target.get(kind, record_id))
            return
        record = decode(kind, self.row)
        previous = record.version - 1
        target.put(attrs.evolve(record, version=max(previous, 0)))


def change_json(op: str, record: Record) -> str:
    """The canonical JSON text of ``Change.put(record)`` or ``Change.delete(record)`` (by
    ``op``) as an event keeps it, written from the record's own text without building its
    row: the book writes the changes of its events this way.

    >>> from orderbook import Lot
    >>> lot = Lot(id="l1", sku="TEA", quantity=2, version=1)
    >>> change_json("put", lot) == canonical_json(Change.put(lot).to_json())
    True
    >>> change_json("delete", lot)
    '{"kind":"lot","op":"delete","row":{"id":"l1","version":1}}'
    """
    if op not in _OPS:
        raise ValidationError("op", op, "must be 'put' or 'delete'")
    row = record_json(record) if op == "put" else canonical_json(Change.delete(record).row)
    kind = kind_of(type(record))  # a kind's name, like an op, needs no escaping
    return f'{{"kind":"{kind}","op":"{op}","row":{row}}}'
