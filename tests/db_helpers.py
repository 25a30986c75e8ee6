"""Helpers for tests that check that a refused or read-only call wrote nothing.

One ``snapshot`` for every test file: compare ``snapshot(db)`` before and after a call
that must not write; a difference names the table that changed.
"""

from __future__ import annotations

from collections.abc import Iterable


def snapshot(db, *, ignore_audit_actions: Iterable[str] = ()) -> dict[str, object]:
    """Row counts of every table, the data versions, the audit log's length and last id,
    and the summed row versions of the versioned tables.

    ``ignore_audit_actions``: audit rows of these actions are left out of the audit log's
    count, id and of ``audit_log``'s row count (an export reads, and logs that it did).
    """
    ignored = tuple(ignore_audit_actions)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    counts = dict(db.execute(" UNION ALL ".join(
        f"SELECT '{t}', COUNT(*) FROM [{t}]" for t in tables)).fetchall())
    audit_filter = (f"WHERE action NOT IN ({', '.join('?' * len(ignored))})"
                    if ignored else "")
    audit_log = db.execute(f"SELECT COUNT(*), MAX(id) FROM audit_log {audit_filter}",
                           list(ignored)).fetchone()
    counts["audit_log"] = audit_log[0]
    versioned = [t for t in tables if any(
        col[1] == "version" for col in db.execute(f"PRAGMA table_info([{t}])"))]
    return {"counts": counts,
            "data_versions": dict(db.execute(
                "SELECT table_name, version FROM data_versions").fetchall()),
            "audit_log": tuple(audit_log),
            "versions": {t: db.execute(f"SELECT TOTAL(version) FROM [{t}]").fetchone()[0]
                         for t in versioned}}
