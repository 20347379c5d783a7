"""How a PostgresStore recognises, checks and migrates its schema.

A book lives in one PostgreSQL schema. Its ``schema_version`` table, marked as orderbook's by
its comment, lists the migrations applied to it; each migration runs its
``postgres_statements`` with the book's schema first on the search path. A schema that holds
tables but is not orderbook's, or whose version is newer than the code, is refused before
anything is written. Migrating runs every missing step in one transaction, under a lock that
makes a second process opening the same schema wait and then find it migrated.
"""

from __future__ import annotations

import contextlib

import psycopg
from psycopg import sql

from orderbook.errors import OrderbookError
from orderbook.store.schema import Migration

__all__ = ["MARK", "check_not_newer", "migrate", "stored_version"]

MARK = "orderbook schema"
"""The comment on a ``schema_version`` table that says the schema is orderbook's."""

_FIND = """
SELECT count(*), max(obj_description(c.oid, 'pg_class'))
    FILTER (WHERE c.relname = 'schema_version' AND c.relkind = 'r')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
"""


def stored_version(connection: psycopg.Connection[tuple[object, ...]], schema: str) -> int:
    """Return the schema version of the book in ``schema``: 0 if it is absent or empty.

    Raises:
        OrderbookError: the schema holds tables but is not an orderbook schema.
    """
    found = connection.execute(_FIND, (schema,)).fetchone()
    if found is None or found[0] == 0:
        return 0
    if found[1] != MARK:
        raise OrderbookError(
            f"schema {schema!r} is not an orderbook schema: it holds tables of another"
            " application (give the store a schema of its own)"
        )
    query = sql.SQL("SELECT coalesce(max(version), 0) FROM {}.schema_version")
    row = connection.execute(query.format(sql.Identifier(schema))).fetchone()
    return 0 if row is None else int(str(row[0]))


def check_not_newer(version: int, migrations: tuple[Migration, ...], schema: str) -> None:
    """Refuse a schema whose version is newer than the newest migration known."""
    newest = migrations[-1].version
    if version > newest:
        raise OrderbookError(
            f"schema {schema!r} has schema version {version}, newer than version {newest} that"
            " this orderbook knows: upgrade orderbook to open it"
        )


def migrate(
    connection: psycopg.Connection[tuple[object, ...]],
    migrations: tuple[Migration, ...],
    schema: str,
) -> None:
    """Bring the schema up to the newest version in one transaction (all steps or none).

    The connection is in autocommit mode with ``schema`` first on its search path.
    """
    name = sql.Identifier(schema)
    connection.execute("BEGIN")
    try:
        # One migrator per schema at a time: a second one waits, then finds nothing to do.
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"orderbook:{schema}",))
        version = stored_version(connection, schema)
        check_not_newer(version, migrations, schema)
        if version == 0:
            connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
            connection.execute(
                sql.SQL(
                    "CREATE TABLE {}.schema_version (version INTEGER PRIMARY KEY,"
                    " description TEXT NOT NULL)"
                ).format(name)
            )
            comment = sql.SQL("COMMENT ON TABLE {}.schema_version IS {}")
            connection.execute(comment.format(name, sql.Literal(MARK)))
        for step in migrations[version:]:
            for statement in step.postgres_statements:
                connection.execute(sql.SQL(statement))
            connection.execute(
                sql.SQL(
                    "INSERT INTO {}.schema_version (version, description) VALUES (%s, %s)"
                ).format(name),
                (step.version, step.description),
            )
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(psycopg.Error):
            connection.execute("ROLLBACK")
        raise
