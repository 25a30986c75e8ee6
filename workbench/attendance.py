"""The attendance list in hours (evidenca prisotnosti): a session's sheet, the monthly list,
the monthly lock, and the early warning of falling attendance.

A session's sheet has a row for each person expected: those enrolled in its
programme on that day (contract signed, not yet left), or an individual meeting's
person, or the people of a group or visit. Recording it is one save: each row
present (hours, at most the session's), absent or excused. A person whose first
attended session this is moves from "contract" to "in programme" that day. A month
approved for payment is locked: nothing in it changes until an admin unlocks it
with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, pipeline, programmes, records, schedule, text
from workbench.auth import User
from workbench.errors import ConflictError, UserError
from workbench.rules import rule_value
from workbench.transactions import write

STATUSES = ("present", "absent", "excused")
WARNING_WINDOW_DAYS = 28  # "attendance in the last 4 weeks"


def month_key(day: dt.date | str) -> str:
    return str(day)[:7]


def parse_month(value: str) -> tuple[dt.date, dt.date]:
    """``2026-03`` as its first and last day; UserError otherwise."""
    try:
        first = dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise UserError("error.month_format", field="month") from None
    return schedule.month_of(first)


# The calendar owns the lock's query: a change of the calendar is refused in a locked month.
is_locked = schedule.is_locked


@dataclass(frozen=True)
class Row:
    participant_id: int
    name: str
    status: str | None   # None: not recorded yet
    hours: float


@dataclass(frozen=True)
class Sheet:
    session_id: int
    programme_id: int | None
    title: str
    day: dt.date
    start_time: str
    hours: float
    version: int
    locked: bool
    rows: tuple[Row, ...]

    @property
    def recorded(self) -> bool:
        return any(r.status is not None for r in self.rows)


# Who is expected at a session: enrolled and started (or planned to) by that day, the
# meeting's person, the people invited, and whoever has attendance recorded.
_EXPECTED_SQL = """
SELECT e.participant_id FROM enrolments e
WHERE e.programme_id = :programme AND e.start_date <= :day
  AND (e.end_date IS NULL OR e.end_date >= :day)
UNION SELECT :person WHERE :person IS NOT NULL
UNION SELECT sp.participant_id FROM session_people sp WHERE sp.session_id = :session
UNION SELECT a.participant_id FROM attendance a WHERE a.session_id = :session
"""


def _session(db: sqlite_utils.Database, actor: User, session_id: int) -> dict:
    found = text.as_id(session_id) and records.named_rows(
        db.execute("SELECT * FROM sessions WHERE id = ?", [session_id]))
    if not found:
        raise UserError("error.session_missing")
    session = found[0]
    area = schedule._scope_area(db, "programme", session["programme_id"]) \
        if session["programme_id"] else schedule._scope_area(db, "coordinator",
                                                             session["coordinator_id"])
    access.require_area(db, actor, area)
    return session


def sheet(db: sqlite_utils.Database, actor: User, session_id: int) -> Sheet:
    """The session's attendance sheet: recorded values, or the defaults (full hours)."""
    s = _session(db, actor, session_id)
    expected = [r[0] for r in db.execute(_EXPECTED_SQL, {
        "programme": s["programme_id"], "day": s["date"], "person": s["participant_id"],
        "session": session_id})]
    recorded = {pid: (status, hours) for pid, status, hours in db.execute(
        "SELECT participant_id, status, hours FROM attendance WHERE session_id = ?",
        [session_id])}
    names = dict(db.execute(
        f"SELECT id, first_name || ' ' || last_name FROM participants WHERE id IN "
        f"({', '.join('?' * len(expected))}) "
        "ORDER BY last_name COLLATE sl, first_name COLLATE sl",
        expected).fetchall()) if expected else {}
    rows = tuple(Row(pid, name, *recorded.get(pid, (None, s["hours"])))
                 for pid, name in names.items())
    return Sheet(session_id, s["programme_id"], s["title"], dt.date.fromisoformat(s["date"]),
                 s["start_time"], s["hours"], s["version"],
                 is_locked(db, s["programme_id"], s["date"]), rows)


def record(db: sqlite_utils.Database, actor: User, session_id: int, expected_version: int,
           entries: dict[int, tuple[str, float | None]], *, today: dt.date) -> int:
    """Save a session's attendance as one change; returns the session's new version.

    ``entries`` maps each person to (status, hours present); absent and excused count
    0 hours. Refused, with nothing written: a session in the future, a locked month,
    someone not expected at the session, hours below 0 or above the session's length.
    """
    with write(db):
        current = records.row(db, "sessions", session_id, "error.session_missing")
        if current["version"] != expected_version:
            raise _conflict(db, session_id, expected_version)
        now = sheet(db, actor, session_id)
        if current["cancelled_at"]:
            raise UserError("error.entry_cancelled")
        if now.day > today:
            raise UserError("error.attendance_future")
        if now.locked:
            raise UserError("error.month_locked", month=f"{now.day:%Y-%m}")
        expected = {r.participant_id: r for r in now.rows}
        cleaned: dict[int, tuple[str, float]] = {}
        for pid, (status, hours) in entries.items():
            if pid not in expected:
                raise UserError("error.attendance_not_enrolled")
            if status not in STATUSES:
                raise UserError("error.attendance_status", name=expected[pid].name)
            hours = 0.0 if status != "present" else _typed_hours(hours)
            if status == "present" and (hours is None or hours != hours
                                        or not 0 < hours <= now.hours):
                raise UserError("error.attendance_hours", name=expected[pid].name,
                                max=now.hours)
            cleaned[pid] = (status, float(hours))
        if not cleaned:
            raise UserError("error.attendance_empty")
        changed = False
        for pid, (status, hours) in cleaned.items():
            before = expected[pid]
            if before.status == status and before.hours == hours:
                continue
            diff = {"status": (before.status, status), "hours": (
                before.hours if before.status else None, hours)}
            db.execute("INSERT INTO attendance (session_id, participant_id, hours, status) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (session_id, participant_id) DO UPDATE "
                       "SET hours = excluded.hours, status = excluded.status",
                       [session_id, pid, hours, status])
            audit.log_changes(db, actor.id, "attendance", session_id, pid,
                              "update" if before.status else "create",
                              {k: v for k, v in diff.items() if v[0] != v[1]},
                              current["version"] + 1)
            changed = True
            if hours > 0:
                _start_programme(db, actor, pid, now, today)
        if not changed:
            return current["version"]
        version = current["version"] + 1
        db.execute("UPDATE sessions SET version = ? WHERE id = ?", [version, session_id])
        # The session's new version says who recorded it (what a stale sheet is told).
        audit.log_changes(db, actor.id, "sessions", session_id, None, "update",
                          {"attendance": (None, str(len(cleaned)))}, version)
        return version


def _typed_hours(value: object) -> float | None:
    """Hours as the sheet gives them, or typed ("1,5" is 1.5); None for what is no number
    ("abc"), which the caller refuses with the hours' own message."""
    try:
        return text.parse_decimal(value)
    except UserError:
        return None


def _conflict(db: sqlite_utils.Database, session_id: int, since: int) -> ConflictError:
    """A stale sheet's refusal: who saved it meanwhile, and each row she saved, once, as it
    is stored now (name, status, hours), not the session's count of rows."""
    err = records.conflict(db, "sessions", session_id, since, "conflict.session")
    err.changes = []
    saver = db.execute(
        "SELECT u.sex FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.table_name = "
        "'sessions' AND a.record_id = ? AND a.version > ? ORDER BY a.id DESC LIMIT 1",
        [session_id, since]).fetchone()
    if saver and saver[0]:  # "shranila" / "shranil"; an account that does not say: neutral
        err.key = f"conflict.session.{saver[0]}"
    err.params["rows"] = tuple(db.execute(
        "SELECT p.first_name || ' ' || p.last_name, a.status, a.hours FROM attendance a "
        "JOIN participants p ON p.id = a.participant_id WHERE a.session_id = :session "
        "AND a.participant_id IN (SELECT participant_id FROM audit_log WHERE "
        "table_name = 'attendance' AND record_id = :session AND version > :since) "
        "ORDER BY p.last_name COLLATE sl, p.first_name COLLATE sl",
        {"session": session_id, "since": since}).fetchall())
    return err


def _start_programme(db: sqlite_utils.Database, actor: User, participant_id: int, s: Sheet,
                     today: dt.date) -> None:
    """Her first attended session of the programme she signed for: she is in it now."""
    if s.programme_id is None:
        return
    person = records.row(db, "participants", participant_id)
    enrolled = db.execute("SELECT 1 FROM enrolments WHERE participant_id = ? AND "
                          "programme_id = ? AND status = 'active'",
                          [participant_id, s.programme_id]).fetchone()
    if person["stage"] == "contract" and enrolled and s.day.isoformat() >= \
            person["stage_since"][:10]:
        pipeline.move_stage(db, actor, participant_id, person["version"],
                            pipeline.Move(pipeline.IN_PROGRAMME, s.day), today=today)


# -- the monthly list ------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthSheet:
    programme_id: int
    programme: str
    provider: str
    month: str
    days: tuple[dt.date, ...]                  # the programme's session days that month
    people: tuple[tuple[int, str], ...]
    cells: dict[tuple[int, dt.date], float]    # hours present
    absences: dict[tuple[int, dt.date], str]   # absent / excused
    planned: dict[dt.date, float]              # the sessions' hours each day
    locked: bool

    def person_total(self, pid: int) -> float:
        return sum(h for (p, _), h in self.cells.items() if p == pid)

    def day_total(self, day: dt.date) -> float:
        return sum(h for (_, d), h in self.cells.items() if d == day)

    @property
    def total(self) -> float:
        return sum(self.cells.values())


MONTH_SQL = """
SELECT s.id, s.date, s.hours, a.participant_id, a.hours, a.status,
       p.first_name || ' ' || p.last_name, p.last_name, p.first_name
FROM sessions s
LEFT JOIN attendance a ON a.session_id = s.id
LEFT JOIN participants p ON p.id = a.participant_id
WHERE s.programme_id = :programme AND s.date BETWEEN :start AND :end
ORDER BY s.date, s.start_time
"""


def monthly(db: sqlite_utils.Database, actor: User, programme_id: int, month: str) -> MonthSheet:
    """The programme's attendance list of a month: people x days, hours in the cells."""
    programmes.require_programme(db, actor, programme_id)
    access.require_casework(db, actor)
    first, last = parse_month(month)
    name, provider = db.execute(
        "SELECT g.name, pr.name FROM programmes g JOIN providers pr ON pr.id = g.provider_id "
        "WHERE g.id = ?", [programme_id]).fetchone()
    days: dict[dt.date, float] = {}
    people: dict[int, tuple[str, str, str]] = {}
    cells: dict[tuple[int, dt.date], float] = defaultdict(float)
    absences: dict[tuple[int, dt.date], str] = {}
    sessions: set[int] = set()
    for sid, day_text, planned, pid, hours, status, full, last_name, first_name in db.execute(
            MONTH_SQL, {"programme": programme_id, "start": first.isoformat(),
                        "end": last.isoformat()}):
        day = dt.date.fromisoformat(day_text)
        if sid not in sessions:
            sessions.add(sid)
            days[day] = days.get(day, 0.0) + planned
        if pid is None:
            continue
        people[pid] = (last_name, first_name, full)
        if status == "present" and hours:
            cells[(pid, day)] += hours
        elif (pid, day) not in cells:
            absences[(pid, day)] = status
    ordered = tuple((pid, v[2]) for pid, v in sorted(
        people.items(), key=lambda i: (text.sort_key(i[1][0]), text.sort_key(i[1][1]))))
    return MonthSheet(programme_id, name, provider, f"{first:%Y-%m}", tuple(sorted(days)),
                      ordered, dict(cells), absences, days, is_locked(db, programme_id, first))


def lock_month(db: sqlite_utils.Database, actor: User, programme_id: int, month: str,
               today: dt.date) -> None:
    """Approved for payment: the month's attendance cannot change any more."""
    programmes.require_programme(db, actor, programme_id)
    access.require_casework(db, actor)
    first, last = parse_month(month)
    if last >= today:
        raise UserError("error.lock_future")
    with write(db):
        if is_locked(db, programme_id, first):
            raise UserError("error.month_already_locked")
        db.execute("INSERT INTO month_locks (programme_id, month, locked_at, locked_by) "
                   "VALUES (?, ?, ?, ?)", [programme_id, month_key(first), audit.now(), actor.id])
        audit.log_changes(db, actor.id, "month_locks", programme_id, None, "create",
                          {"month": (None, month_key(first))})


def unlock_month(db: sqlite_utils.Database, actor: User, programme_id: int, month: str,
                 reason: str) -> None:
    """An admin reopens a locked month; the reason goes into the audit log."""
    access.require_admin(actor)
    from workbench import text
    reason = text.clean_reason(reason, required=True)  # about a month: no person named
    if text.as_id(programme_id) is None:
        raise UserError("error.programme_missing")
    first, _ = parse_month(month)
    with write(db):
        if not is_locked(db, programme_id, first):
            raise UserError("error.month_not_locked")
        db.execute("DELETE FROM month_locks WHERE programme_id = ? AND month = ?",
                   [programme_id, month_key(first)])
        audit.log_changes(db, actor.id, "month_locks", programme_id, None, "update",
                          {"month": (month_key(first), None)}, reason=reason)


def locked_months(db: sqlite_utils.Database, actor: User) -> list[tuple[int, str, str]]:
    """Every locked month (programme id, programme, month): what an admin may unlock."""
    access.require_admin(actor)
    return db.execute("SELECT l.programme_id, g.name, l.month FROM month_locks l "
                      "JOIN programmes g ON g.id = l.programme_id "
                      "ORDER BY l.month DESC, g.name COLLATE sl").fetchall()


# -- the early warning -----------------------------------------------------------------------
@dataclass(frozen=True)
class Falling:
    participant_id: int
    name: str
    programme: str
    present: float
    planned: float

    @property
    def ratio(self) -> float:
        return self.present / self.planned if self.planned else 1.0


LOW_SQL = f"""
SELECT p.id, p.first_name || ' ' || p.last_name, g.name,
       COALESCE(SUM(CASE WHEN a.status = 'present' THEN a.hours END), 0) AS present,
       SUM(s.hours) AS planned
FROM participants p
JOIN enrolments e ON e.participant_id = p.id AND e.status = 'active'
JOIN programmes g ON g.id = e.programme_id
JOIN sessions s ON s.programme_id = e.programme_id AND s.date BETWEEN :since AND :today
     AND s.date >= e.start_date
LEFT JOIN attendance a ON a.session_id = s.id AND a.participant_id = p.id
WHERE p.coordinator_id = :coordinator AND p.stage IN ({pipeline.sql_list(pipeline.ENROLLING)})
GROUP BY p.id, e.id
"""


def falling_attendance(db: sqlite_utils.Database, actor: User, coordinator_id: int,
                       today: dt.date) -> list[Falling]:
    """Her people in a programme (or signed for one, past its planned start) whose
    attendance in the last 4 weeks is under the rule ``attendance_warning_ratio``: an early
    warning before a drop-out. Sessions not recorded count as missed once their day passed."""
    access.require_casework(db, actor)
    if actor.role == "coordinator" and coordinator_id != actor.id:
        access.require_area(db, actor, schedule._scope_area(db, "coordinator", coordinator_id))
    ratio = rule_value(db, "attendance_warning_ratio", today)
    since = today - dt.timedelta(days=WARNING_WINDOW_DAYS)
    rows = [Falling(*r) for r in db.execute(LOW_SQL, {
        "coordinator": coordinator_id, "since": since.isoformat(),
        "today": (today - dt.timedelta(days=1)).isoformat()})]
    return sorted((r for r in rows if r.planned and r.ratio < ratio), key=lambda r: r.ratio)
