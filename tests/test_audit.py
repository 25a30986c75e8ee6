"""The audit log as a hash chain, its check, and the viewer's library (filters, permissions,
minimisation)."""

from __future__ import annotations

from workbench import audit
from workbench.db import open_db
from workbench.migrations import apply_pending
from workbench.transactions import write


def _entry(db, n: int, action: str = "update") -> None:
    with write(db):
        audit.log_changes(db, None, "users", n, None, action, {"role": (f"old{n}", f"new{n}")})


# -- the chain --------------------------------------------------------------------------
def test_migration_seals_entries_written_before_the_chain(db_path):
    old = open_db(db_path, create=True, migrate=False)
    apply_pending(old, stop_before="0011_audit_chain")
    with write(old):
        old.conn.executemany(
            "INSERT INTO audit_log (at, table_name, record_id, action, field, new_value) "
            "VALUES (?, 'users', ?, 'update', 'role', ?)",
            [(f"2026-01-01T10:00:{n % 60:02d}", n, f"ž{n}") for n in range(1, 2501)])
    assert old.execute("SELECT COUNT(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 2500
    apply_pending(old)
    assert old.execute("SELECT COUNT(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
    assert audit.verify_chain(old, batch=700) is None
    _entry(old, 9999)  # a new entry chains onto the migrated ones
    assert audit.verify_chain(old) is None
    old.close()


def test_every_insert_is_sealed_and_chained(memory_db):
    for n in range(1, 6):
        _entry(memory_db, n)
    rows = memory_db.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert all(len(r[1]) == 64 for r in rows)
    assert audit.verify_chain(memory_db) is None
    assert audit.head(memory_db) == rows[-1]
