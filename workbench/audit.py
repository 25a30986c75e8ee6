"""The audit log: who changed which field of which record when, and who opened a record.

Written inside the same transaction as the change itself, so a change
without its audit row (or the reverse) cannot exist. Each logged change also
raises its table's version (``data_versions``): a cached read made at older
versions is stale, in whichever server process holds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import config
from workbench.db import write

ALL_TABLES = "*"  # the version every cached read depends on (bump_all raises it)


def now() -> str:
    """The moment of a change: today's date as the app sees it (WORKBENCH_TODAY on a
    demo), at the time of day of the clock."""
    return dt.datetime.combine(config.today(), dt.datetime.now().time()).isoformat(
        timespec="seconds")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# What an audit entry records. Data changes raise their table's data version; the others
# (reading a record, signing in, exporting a person's data) change nothing.
CHANGE_ACTIONS = ("create", "update", "delete")
ACTIONS = CHANGE_ACTIONS + ("open", "sign_in", "sign_in_failed", "sign_out", "unlock",
                            "export", "anonymise", "backup", "restore")

_COLUMNS = ("at", "user_id", "table_name", "record_id", "participant_id", "action", "field",
            "old_value", "new_value", "version", "reason")


def _insert(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """The one way an entry enters the audit log (rows in the order of ``_COLUMNS``)."""
    for row in rows:
        if row[5] not in ACTIONS:
            raise ValueError(f"unknown audit action: {row[5]!r}")
    db.conn.executemany(
        f"INSERT INTO audit_log ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))})", rows)


def log_changes(db: sqlite_utils.Database, user_id: int | None, table: str, record_id: int,
                participant_id: int | None, action: str, changes: dict[str, tuple[object, object]],
                version: int | None = None, reason: str | None = None) -> None:
    """One row per changed field; ``changes`` maps field -> (old, new)."""
    at = now()
    _insert(db, [(at, user_id, table, record_id, participant_id, action, field, _text(old),
                  _text(new), version, reason) for field, (old, new) in changes.items()])
    if changes:
        bump(db, table)


def log_event(db: sqlite_utils.Database, user_id: int | None, action: str, table: str,
              record_id: int | None, participant_id: int | None = None, *,
              field: str | None = None, value: object = None, reason: str | None = None,
              at: str | None = None) -> None:
    """An entry that changes no data: a sign-in, a failed one, an export."""
    _insert(db, [(at or now(), user_id, table, record_id, participant_id, action, field, None,
                  _text(value), None, reason)])


def bump(db: sqlite_utils.Database, table: str) -> None:
    """Raise ``table``'s data version: for rows written without an audit row of their own
    (a programme's generated sessions are audited as one change of the programme)."""
    db.execute("INSERT INTO data_versions (table_name, version) VALUES (?, 1) "
               "ON CONFLICT (table_name) DO UPDATE SET version = version + 1", [table])


def bump_all(db: sqlite_utils.Database) -> None:
    """Every cached read is stale: for changes made without the audit log (a training
    database emptied and refilled)."""
    bump(db, ALL_TABLES)


def data_versions(db: sqlite_utils.Database) -> dict[str, int]:
    return dict(db.execute("SELECT table_name, version FROM data_versions").fetchall())


def log_created(db: sqlite_utils.Database, user_id: int | None, table: str, record_id: int,
                participant_id: int | None, values: dict[str, object]) -> None:
    log_changes(db, user_id, table, record_id, participant_id, "create",
                {k: (None, v) for k, v in values.items() if v not in (None, "")}, version=1)


def log_open(db: sqlite_utils.Database, user_id: int, participant_id: int) -> None:
    with write(db):
        log_event(db, user_id, "open", "participants", participant_id, participant_id)


@dataclass(frozen=True)
class Change:
    at: str
    user: str | None  # None: the system (e.g. follow-ups created at an exit)
    table: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    reason: str | None


_CHANGE_SQL = """
SELECT a.at, u.display_name, a.table_name, a.action, a.field, a.old_value,
       a.new_value, a.reason
FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
WHERE a.participant_id = :participant"""


def changes_since(db: sqlite_utils.Database, table: str, record_id: int,
                  version: int) -> list[Change]:
    """Field changes of one record after ``version``: what a conflict reports."""
    rows = db.execute(
        "SELECT a.at, u.display_name, a.table_name, a.action, a.field, a.old_value, "
        "a.new_value, a.reason FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
        "WHERE a.table_name = :table AND a.record_id = :record AND a.version > :version "
        f"AND a.action IN ({', '.join(repr(a) for a in CHANGE_ACTIONS)}) ORDER BY a.id",
        {"table": table, "record": record_id, "version": version}).fetchall()
    return [Change(*r) for r in rows]


HISTORY_SQL = _CHANGE_SQL + " ORDER BY a.id DESC LIMIT :limit"


def history(db: sqlite_utils.Database, participant_id: int, limit: int = 200) -> list[Change]:
    """The latest audit rows about one person, opens included, newest first."""
    rows = db.execute(HISTORY_SQL, {"participant": participant_id, "limit": limit}).fetchall()
    return [Change(*r) for r in rows]
