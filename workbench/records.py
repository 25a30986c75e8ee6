"""The record kernel: versioned rows, inserts with their audit rows, idempotent submissions.

Every subject (participants, the plan, referrals, enrolments, scheduling) keeps
its rows through these functions, whatever the table:

- ``check_version`` refuses a save on top of someone else's newer one, naming who
  changed what since the version the user started from (``ConflictError``);
- ``update`` writes only the columns that change, as the row's next version, with
  one audit row per changed field, in the caller's transaction;
- ``insert`` adds a row and its audit rows together;
- ``once`` runs a creation once per form token, so a double-clicked save adds one
  record.

Tables and columns are the workbench's own names (never user input).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Callable

import sqlite_utils

from workbench import audit, text
from workbench.errors import ConflictError, UserError
from workbench.transactions import write


def new_token() -> str:
    """A form's idempotency token."""
    return secrets.token_urlsafe(16)


def row(db: sqlite_utils.Database, table: str, record_id: int,
        missing: str = "error.record_missing") -> dict:
    """The stored row by column name, or UserError(``missing``) -- also for an id that is
    no id at all ("abc", 10**30)."""
    if text.as_id(record_id) is None:
        raise UserError(missing)
    cursor = db.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id])
    found = cursor.fetchone()
    if found is None:
        raise UserError(missing)
    return dict(zip([c[0] for c in cursor.description], found, strict=True))


def named_rows(cursor) -> list[dict]:
    """Every row of a cursor as a dict by column name."""
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def as_rows(cls, cursor) -> list:
    """Every row of a cursor as a ``cls`` dataclass, fields taken by column name."""
    fields = {f.name for f in dataclasses.fields(cls)}
    return [cls(**{k: v for k, v in r.items() if k in fields}) for r in named_rows(cursor)]


def conflict(db: sqlite_utils.Database, table: str, record_id: int, since_version: int,
             key: str = "conflict.record") -> ConflictError:
    """The refusal of a stale save: who changed what after ``since_version``."""
    changes = audit.changes_since(db, table, record_id, since_version)
    last = changes[-1] if changes else None
    return ConflictError(key, changes=changes, who=last.user if last and last.user else None,
                         when=dt.datetime.fromisoformat(last.at) if last else None,
                         who_sex=last.user_sex if last else None)


def check_version(db: sqlite_utils.Database, table: str, record_id: int, expected: int,
                  *, conflict_key: str = "conflict.record",
                  missing: str = "error.record_missing") -> dict:
    """The stored row, or a ConflictError telling what was saved since ``expected``."""
    current = row(db, table, record_id, missing)
    if text.as_id(expected) is None:  # no version ever saved ("abc", 10**30): stale
        raise ConflictError(conflict_key)
    if current["version"] != expected:
        raise conflict(db, table, record_id, expected, conflict_key)
    return current


def update(db: sqlite_utils.Database, table: str, current: dict, changes: dict[str, object],
           user_id: int | None, *, participant_id: int | None, reason: str | None = None,
           hidden: frozenset[str] = frozenset()) -> int:
    """Write ``changes`` onto the checked row ``current`` as its next version; returns it
    (the same version when nothing changed). ``hidden`` columns change without audit rows
    (derived search keys)."""
    diff = {k: (current[k], v) for k, v in changes.items() if current[k] != v}
    if not diff:
        return current["version"]
    if set(diff) != {"coordinator_id"}:  # a hand-over keeps someone responsible for her
        refuse_anonymised(db, participant_id)
    version = current["version"] + 1
    values = {k: new for k, (_, new) in diff.items()}
    stamps = ""
    if "updated_at" in current:
        stamps = ", updated_at = :_now, updated_by = :_user"
    assignments = ", ".join(f"{k} = :{k}" for k in values)
    with write(db):
        cursor = db.execute(
            f"UPDATE {table} SET {assignments}, version = :_version{stamps} "
            "WHERE id = :_id AND version = :_expected",
            {**values, "_version": version, "_now": audit.now(), "_user": user_id,
             "_id": current["id"], "_expected": current["version"]})
        if cursor.rowcount != 1:  # cannot happen under BEGIN IMMEDIATE; never overwrite
            raise conflict(db, table, current["id"], current["version"])
        audit.log_changes(db, user_id, table, current["id"], participant_id, "update",
                          {k: v for k, v in diff.items() if k not in hidden}, version, reason)
    return version


SELF = "self"  # participant_id of a new person's own row: its id is known only once inserted


def refuse_anonymised(db: sqlite_utils.Database, participant_id: int | str | None) -> None:
    """An anonymised case is statistics now: nothing about her is written any more (typing
    her name back in would undo the anonymisation)."""
    if isinstance(participant_id, int) and db.execute(
            "SELECT 1 FROM participants WHERE id = ? AND anonymised_on IS NOT NULL",
            [participant_id]).fetchone():
        raise UserError("error.record_anonymised")


def insert(db: sqlite_utils.Database, table: str, values: dict[str, object],
           user_id: int | None, *, participant_id: int | str | None,
           hidden: frozenset[str] = frozenset()) -> int:
    """Add a row with its audit rows; returns its id."""
    if participant_id != SELF:
        refuse_anonymised(db, participant_id)
    with write(db):
        cursor = db.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES "
                            f"({', '.join('?' * len(values))})", list(values.values()))
        new_id = cursor.lastrowid
        audit.log_created(db, user_id, table, new_id,
                          new_id if participant_id == SELF else participant_id,
                          {k: v for k, v in values.items() if k not in hidden})
    return new_id


def once(db: sqlite_utils.Database, token: str | None, kind: str, user_id: int | None,
         create: Callable[[], int]) -> tuple[int, bool]:
    """Run ``create`` once per form token; returns (record id, created now).

    The first save stores the token with the id it created, in the same transaction;
    a repeat of the same token gets that id back instead of a second record.
    """
    with write(db):
        if token:
            found = db.execute("SELECT record_id FROM submissions WHERE token = ? AND kind = ?",
                               [token, kind]).fetchone()
            if found:
                return found[0], False
        record_id = create()
        if token:
            db.execute("INSERT INTO submissions (token, kind, record_id, user_id, created_at) "
                       "VALUES (?, ?, ?, ?, ?)", [token, kind, record_id, user_id, audit.now()])
        return record_id, True


def person_names(db: sqlite_utils.Database, *participant_ids: int | None) -> tuple[str, ...]:
    """The first and last names of these people (none for an id that is None or names
    nobody): what a typed reason about them may not contain (``text.clean_reason``)."""
    ids = [p for p in participant_ids if p is not None]
    if not ids:
        return ()
    marks = ", ".join("?" * len(ids))
    return tuple(name for row in db.execute(
        f"SELECT first_name, last_name FROM participants WHERE id IN ({marks})", ids)
        for name in row if name)
