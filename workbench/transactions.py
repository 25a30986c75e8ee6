"""Writing to the shared SQLite file safely.

Two coordinators may save at the same moment. Every write therefore goes
through :func:`write`, which starts with ``BEGIN IMMEDIATE``: the write lock
is taken before anything is read, so a read-modify-write can never be based
on data another writer is about to change, and a waiting writer queues on
``busy_timeout`` instead of failing with "database is locked" mid-transaction
(as a deferred ``BEGIN`` does when it tries to upgrade its read lock).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import sqlite_utils


@contextlib.contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one ``BEGIN IMMEDIATE`` transaction; roll back on any error.

    A nested ``write`` becomes a savepoint of the outer transaction, so helpers
    that write can be composed into one atomic change.
    """
    conn = db.conn
    if conn.in_transaction:
        savepoint = f"wb_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
