"""orderbook works without psycopg: only PostgresStore needs it, and says how to install it."""

import subprocess
import sys
import textwrap

# Run in a fresh interpreter where importing psycopg fails, as if it were not installed.
WITHOUT_PSYCOPG = textwrap.dedent(
    """
    import sys

    class NoPsycopg:
        def find_spec(self, name, path=None, target=None):
            if name == "psycopg" or name.startswith("psycopg."):
                raise ImportError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, NoPsycopg())
    """
)


def run_without_psycopg(code):
    script = WITHOUT_PSYCOPG + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


def test_orderbook_and_its_stores_import_and_work_without_psycopg():
    result = run_without_psycopg(
        """
        import orderbook, orderbook.store
        from orderbook.store import MemoryStore, SQLiteStore, Store
        store = MemoryStore()
        store.put(orderbook.Lot(id="lot-1", sku="TEA", quantity=1))
        listed = "PostgresStore" in dir(orderbook.store)
        print(isinstance(store, Store), "psycopg" in sys.modules, listed)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "True"]


def test_asking_for_postgres_store_without_psycopg_names_the_extra_to_install():
    result = run_without_psycopg(
        """
        import orderbook.store
        try:
            orderbook.store.PostgresStore
        except ImportError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'orderbook[postgres]'" in result.stdout


def test_postgres_store_is_importable_from_orderbook_store_when_psycopg_is_installed():
    from orderbook.store import PostgresStore
    from orderbook.store.postgres import PostgresStore as Direct

    assert PostgresStore is Direct
