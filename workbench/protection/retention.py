"""Retention: who is due for anonymisation, anonymisation itself, and erasure.

The schedule is two dated rules (``workbench.rules``): a case is due
``retention_years_after_exit`` years after her exit from a programme, and a case closed
before she was ever included ``retention_years_after_closure`` years after its closure;
only finished cases (``pipeline.DONE``) are ever due. Anonymisation clears or replaces
what identifies her (name, EMŠO, contact details, every free text about her) and keeps
the case's statistical shape: sex, municipality, e-MA answers, stages and their dates,
contacts and attendance as counts, so past reports and charts do not change. The
birth date is coarsened to the first or last day of its month, whichever leaves her age
unchanged on every day the reports read it (else it is kept: an exact age is
statistics too).

Erasure deletes a record outright, where the law allows it: only for a person who never
entered a programme (no ESF reporting duty), e.g. referred by mistake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, pipeline, records, text, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.rules import rule_value
from workbench.transactions import write

ANONYMOUS_FIRST = "Anonimizirano"
CLEARED = "[anonimizirano]"
# Free texts about her, cleared on anonymisation: (table, column, replacement).
_FREE_TEXTS = (("contacts", "note", ""), ("contacts", "next_step", ""),
               ("plan_goals", "goal", CLEARED), ("tasks", "title", CLEARED),
               ("referrals_out", "purpose", ""), ("referrals_out", "answer", ""),
               ("sessions", "title", CLEARED))
# Tables written on anonymisation (their cached reads go stale).
_TOUCHED = ("participants", "contacts", "plan_goals", "plan_steps", "tasks", "referrals_out",
            "stage_history", "sessions")
_REASON_CODES = frozenset(code for _, codes in vocab.STAGE_REASON_LISTS for code in codes)


@dataclass(frozen=True)
class Due:
    participant_id: int
    stage: str
    basis: str           # "exit" or "closure"
    since: str           # the exit or closure day
    due_on: str


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due(db: sqlite_utils.Database, actor: User, today: dt.date) -> list[Due]:
    """The preview: finished cases whose retention has run out, oldest first."""
    access.require_admin(actor)
    return _due(db, today, actor.area_code)


def _due(db: sqlite_utils.Database, today: dt.date, area: str | None) -> list[Due]:
    after_exit = int(rule_value(db, "retention_years_after_exit", today))
    after_closure = int(rule_value(db, "retention_years_after_closure", today))
    found = []
    for pid, stage, exit_date, since in db.execute(
            f"SELECT p.id, p.stage, p.exit_date, p.stage_since FROM participants p "
            f"JOIN municipalities m ON m.id = p.municipality_id "
            f"JOIN csd_units u ON u.code = m.unit_code "
            f"WHERE p.stage IN ({pipeline.sql_list(pipeline.DONE)}) "
            f"AND p.anonymised_on IS NULL AND (? IS NULL OR u.area_code = ?) ORDER BY p.id",
            [area, area]):
        basis, day, years = (("exit", exit_date, after_exit) if exit_date
                             else ("closure", since, after_closure))
        due_on = _years_later(dt.date.fromisoformat(day[:10]), years)
        if due_on <= today:
            found.append(Due(pid, stage, basis, day[:10], due_on.isoformat()))
    return sorted(found, key=lambda d: (d.due_on, d.participant_id))


def _coarse_birth_date(birth: str, reference_days: list[str]) -> str:
    born = dt.date.fromisoformat(birth)

    def age(on: dt.date, b: dt.date) -> int:
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    days = [dt.date.fromisoformat(d[:10]) for d in reference_days if d]
    first = born.replace(day=1)
    last = (first.replace(month=first.month % 12 + 1, year=first.year + first.month // 12)
            - dt.timedelta(days=1))
    for candidate in (first, last):
        if all(age(on, candidate) == age(on, born) for on in days):
            return candidate.isoformat()
    return birth


def anonymise(db: sqlite_utils.Database, actor: User, participant_ids: list[int],
              today: dt.date) -> int:
    """Anonymise the previewed people who are still due, in one audited transaction;
    returns how many were anonymised."""
    access.require_admin(actor)
    with write(db):
        still_due = {d.participant_id for d in _due(db, today, actor.area_code)}
        chosen = [pid for pid in participant_ids if pid in still_due]
        for pid in chosen:
            _anonymise_one(db, pid, today)
            audit.log_event(db, actor.id, "anonymise", "participants", pid, pid,
                            reason="retention")
        if chosen:
            for table in _TOUCHED:
                audit.bump(db, table)
    return len(chosen)


def _anonymise_one(db: sqlite_utils.Database, pid: int, today: dt.date) -> None:
    row = db.execute("SELECT birth_date, referral_date, entry_date, exit_date, stage_since "
                     "FROM participants WHERE id = ?", [pid]).fetchone()
    birth = _coarse_birth_date(row[0], [today.isoformat(), *row[1:]])
    last = f"#{pid}"
    db.execute(
        "UPDATE participants SET first_name = ?, last_name = ?, name_key = ?, emso = NULL, "
        "birth_date = ?, address = '', phone = '', email = '', referral_person = '', "
        "anonymised_on = ?, version = version + 1 WHERE id = ?",
        [ANONYMOUS_FIRST, last, text.name_key(ANONYMOUS_FIRST, last), birth,
         today.isoformat(), pid])
    for table, column, value in _FREE_TEXTS:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE participant_id = ?", [value, pid])
    db.execute("UPDATE plan_steps SET step = ? WHERE goal_id IN "
               "(SELECT id FROM plan_goals WHERE participant_id = ?)", [CLEARED, pid])
    codes = ", ".join(f"'{c}'" for c in sorted(_REASON_CODES))
    db.execute(f"UPDATE stage_history SET reason = NULL WHERE participant_id = ? "
               f"AND reason NOT IN ({codes})", [pid])
    audit.redact(db, pid)


# Rows that belong to one person, children before parents (erasure deletes them all).
_PERSON_ROWS = (("attendance", "participant_id"), ("session_people", "participant_id"),
                ("waiting_list", "participant_id"), ("enrolments", "participant_id"),
                ("follow_ups", "participant_id"), ("referrals_out", "participant_id"),
                ("contacts", "participant_id"), ("tasks", "participant_id"),
                ("problem_scores", "participant_id"), ("consents", "participant_id"),
                ("stage_history", "participant_id"))


def erasable(db: sqlite_utils.Database, actor: User, participant_id: int) -> bool:
    """Whether her record may be erased: she never entered a programme nor attended one of
    its sessions (an individual meeting is casework, not the operation ESF reports)."""
    access.require_admin(actor)
    return _erasable(db, participant_id)


def _erasable(db: sqlite_utils.Database, participant_id: int) -> bool:
    row = db.execute("SELECT entry_date FROM participants WHERE id = ?",
                     [participant_id]).fetchone()
    if row is None:
        raise UserError("error.person_unavailable")
    in_programme = db.execute(
        "SELECT 1 FROM attendance a JOIN sessions s ON s.id = a.session_id "
        "WHERE a.participant_id = ? AND s.programme_id IS NOT NULL LIMIT 1",
        [participant_id]).fetchone()
    return row[0] is None and in_programme is None


def erase(db: sqlite_utils.Database, actor: User, participant_id: int, reason: str) -> None:
    """Delete a person's record entirely (audited, with the reason): only if she never
    entered a programme, since an ESF participant's record must be kept for reporting
    (it is anonymised when its retention runs out)."""
    access.require_admin(actor)
    reason = text.clean_reason(reason, names=records.person_names(db, participant_id),
                               required=True)
    with write(db):
        if not _erasable(db, participant_id):
            raise UserError("error.erase_reported")
        db.execute("DELETE FROM plan_steps WHERE goal_id IN "
                   "(SELECT id FROM plan_goals WHERE participant_id = ?)", [participant_id])
        db.execute("DELETE FROM plan_goals WHERE participant_id = ?", [participant_id])
        for table, column in _PERSON_ROWS:
            db.execute(f"DELETE FROM {table} WHERE {column} = ?", [participant_id])
        db.execute("UPDATE sessions SET participant_id = NULL, title = ? "
                   "WHERE participant_id = ?", [CLEARED, participant_id])
        audit.redact(db, participant_id)
        db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
        audit.log_event(db, actor.id, "delete", "participants", participant_id, None,
                        reason=reason)
        audit.bump_all(db)
