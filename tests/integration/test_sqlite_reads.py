"""SQLiteStore reads back what it just wrote without decoding it, and sees other writers."""

import sqlite3

from orderbook import Lot
from orderbook.store import SQLiteStore


def test_a_record_read_back_after_saving_is_the_saved_record(tmp_path):
    with SQLiteStore(tmp_path / "book.sqlite") as store:
        saved = store.put(Lot(id="shelf", sku="TEA", quantity=5))
        assert store.get(Lot, "shelf") is saved


def test_a_row_another_connection_changed_is_decoded_again(tmp_path):
    path = tmp_path / "book.sqlite"
    with SQLiteStore(path) as store:
        store.put(Lot(id="shelf", sku="TEA", quantity=5))
        with sqlite3.connect(path) as other:
            other.execute(
                "UPDATE lots SET version = 2, data = replace(data, '\"5\"', '\"7\"')"
                " WHERE id = 'shelf'"
            )
        other.close()
        read = store.get(Lot, "shelf")
        assert (read.quantity, read.version) == (7, 2)
