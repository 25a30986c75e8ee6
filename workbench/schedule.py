"""The calendar: sessions generated from a programme's modules, one-off entries, conflicts,
and the week and month views.

Generation skips Slovenian public holidays and work-free days (the ``holidays``
package's calendar for Slovenia) and the closure days a coordinator adds to a
programme. Regenerating after a change never deletes or changes a session that
already has attendance. Programme sessions are run by the provider: they book the
people enrolled, not the coordinator; her own bookings are individual meetings,
mobile-unit visits and the group sessions she leads.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

import holidays
import sqlite_utils

from workbench import access, audit, dates, records, text
from workbench.auth import User
from workbench.errors import UserError
from workbench.rules import rule_value
from workbench.transactions import write

MAX_SESSION_HOURS = 12  # the sessions table's CHECK: no day is longer
KINDS = ("group", "individual", "mobile_unit")
# ASCII digits only: "9:0٣" would pass \d and be stored as no time Python can read.
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$", re.ASCII)
# How far ahead an entry may be planned, and how long one view may be.
PLAN_AHEAD_DAYS = 2 * 366
VIEW_MAX_DAYS = 62


@dataclass(frozen=True)
class Module:
    """A part of a programme: how long, how many hours a day, on which weekdays."""
    name: str
    length: int
    unit: str  # weeks | months
    hours_per_day: float
    weekdays: tuple[int, ...]  # Monday = 0
    id: int | None = None

    @property
    def days_per_week(self) -> int:
        return len(self.weekdays)



def module_rows(db: sqlite_utils.Database, programme_id: int) -> tuple[Module, ...]:
    return tuple(Module(name, length, unit, hours, tuple(int(d) for d in days.split(",")), mid)
                 for mid, name, length, unit, hours, days in db.execute(
                     "SELECT id, name, length, unit, hours_per_day, weekdays FROM "
                     "programme_modules WHERE programme_id = ? ORDER BY position",
                     [programme_id]))



def clean_time(value: str | None, *, field: str = "start_time") -> str:
    """``9:00``, ``09.30`` or ``14:15`` as ``HH:MM``; UserError otherwise."""
    match = _TIME.match((value or "").strip())
    if not match:
        raise UserError("error.time_format", field=field)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def end_time(start: str, hours: float) -> str:
    begin = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(start))
    return (begin + dt.timedelta(hours=hours)).strftime("%H:%M")


@functools.cache
def _holidays(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("SI", years=year, language=language))


def holiday(day: dt.date, language: str = "sl") -> str | None:
    """The name of the public holiday or work-free day on ``day``, if it is one."""
    return _holidays(day.year, "sl" if language == "sl" else "en_US").get(day)


def holidays_between(start: dt.date, end: dt.date, language: str = "sl"
                     ) -> dict[dt.date, str]:
    found = {}
    for year in range(start.year, end.year + 1):
        found.update({d: n for d, n in _holidays(year, "sl" if language == "sl" else "en_US")
                      .items() if start <= d <= end})
    return dict(sorted(found.items()))


# -- generation from modules --------------------------------------------------------------
def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def module_spans(start: dt.date, modules) -> list[tuple[dt.date, dt.date]]:
    """Each module's first day and the day after its last, one after the other."""
    spans, cursor = [], start
    for m in modules:
        after = cursor + dt.timedelta(weeks=m.length) if m.unit == "weeks" \
            else _add_months(cursor, m.length)
        spans.append((cursor, after))
        cursor = after
    return spans


def modules_end(start: dt.date, modules) -> dt.date:
    """The day after the last module ends."""
    spans = module_spans(start, modules)
    return spans[-1][1] if spans else start


@dataclass(frozen=True)
class Planned:
    day: dt.date
    hours: float
    module: int  # position in the programme's modules, from 0


def plan(start: dt.date, end: dt.date, modules, closures: frozenset[dt.date] = frozenset()
         ) -> list[Planned]:
    """The programme's days: each module's weekdays, no holidays, no closure days, none
    after ``end``."""
    planned = []
    for index, (m, (first, after)) in enumerate(zip(modules, module_spans(start, modules),
                                                    strict=True)):
        day = first
        while day < after and day <= end:
            if day.weekday() in m.weekdays and holiday(day) is None and day not in closures:
                planned.append(Planned(day, m.hours_per_day, index))
            day += dt.timedelta(days=1)
    return planned


def skipped_holidays(start: dt.date, end: dt.date, modules, language: str = "sl"
                     ) -> dict[dt.date, str]:
    """The holidays that fall on one of the modules' weekdays (what generation skipped)."""
    found = {}
    for m, (first, after) in zip(modules, module_spans(start, modules), strict=True):
        for day, name in holidays_between(first, min(after - dt.timedelta(days=1), end),
                                          language).items():
            if day.weekday() in m.weekdays:
                found[day] = name
    return found


def closures(db: sqlite_utils.Database, programme_id: int) -> dict[dt.date, str | None]:
    return {dt.date.fromisoformat(d): r for d, r in db.execute(
        "SELECT day, reason FROM closure_days WHERE programme_id = ? ORDER BY day",
        [programme_id])}


@dataclass(frozen=True)
class Preview:
    """What generating a programme's calendar would do."""
    create: tuple[Planned, ...]
    change: tuple[tuple[int, Planned], ...]       # (session id, new plan) without attendance
    delete: tuple[tuple[int, dt.date], ...]       # generated, not planned, no attendance
    kept: tuple[tuple[int, dt.date], ...]         # not planned any more, but attended: kept
    holidays: dict[dt.date, str] = field(default_factory=dict)
    total_hours: float = 0.0
    total_days: int = 0

    @property
    def empty(self) -> bool:
        return not (self.create or self.change or self.delete)


def preview(db: sqlite_utils.Database, actor: User, programme_id: int,
            language: str = "sl") -> Preview:
    access.require_programme(db, actor, programme_id)
    row = records.row(db, "programmes", programme_id, "error.programme_missing")
    modules = module_rows(db, programme_id)
    if not modules:
        raise UserError("error.modules_required", field="modules")
    start, end = (dt.date.fromisoformat(row[k]) for k in ("start_date", "end_date"))
    planned = plan(start, end, modules, frozenset(closures(db, programme_id)))
    by_day = {p.day: p for p in planned}
    existing = db.execute(
        "SELECT s.id, s.date, s.hours, s.start_time, s.module_id, "
        "EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id) FROM sessions s "
        "WHERE s.programme_id = ? AND s.generated = 1 ORDER BY s.date", [programme_id]).fetchall()
    module_ids = [m.id for m in modules]
    create, change, delete, kept = [], [], [], []
    seen = set()
    for sid, day_text, hours, start_time, module_id, attended in existing:
        day = dt.date.fromisoformat(day_text)
        wanted = by_day.get(day)
        if wanted is None or day in seen:
            (kept if attended else delete).append((sid, day))
            continue
        seen.add(day)
        if not attended and (hours != wanted.hours or start_time != row["start_time"]
                             or module_id != module_ids[wanted.module]):
            change.append((sid, wanted))
    create = [p for p in planned if p.day not in seen]
    return Preview(tuple(create), tuple(change), tuple(delete), tuple(kept),
                   skipped_holidays(start, end, modules, language),
                   sum(p.hours for p in planned), len(planned))


def generate(db: sqlite_utils.Database, actor: User, programme_id: int) -> Preview:
    """Carry out the preview, as it stands when saved; returns what was done. A second
    press finds nothing left to do."""
    with write(db):
        done = preview(db, actor, programme_id)
        row = records.row(db, "programmes", programme_id)
        module_ids = [m.id for m in module_rows(db, programme_id)]
        db.conn.executemany(
            "INSERT INTO sessions (kind, programme_id, coordinator_id, municipality_id, title, "
            "location, date, start_time, hours, module_id, generated) "
            "VALUES ('group', ?, NULL, ?, ?, ?, ?, ?, ?, ?, 1)",
            [(programme_id, row["municipality_id"], row["name"], row["address"],
              p.day.isoformat(), row["start_time"], p.hours, module_ids[p.module])
             for p in done.create])
        db.conn.executemany(
            "UPDATE sessions SET hours = ?, start_time = ?, module_id = ?, "
            "version = version + 1 WHERE id = ?",
            [(p.hours, row["start_time"], module_ids[p.module], sid) for sid, p in done.change])
        db.conn.executemany("DELETE FROM sessions WHERE id = ?",
                            [(sid,) for sid, _ in done.delete])
        if not done.empty:  # one change of the programme: its calendar
            audit.log_changes(db, actor.id, "programmes", programme_id, None, "update", {
                "calendar": (None, f"+{len(done.create)} ~{len(done.change)} "
                                   f"-{len(done.delete)}")})
            audit.bump(db, "sessions")
    return done


# -- what a change of the calendar may not touch -------------------------------------------
def is_locked(db: sqlite_utils.Database, programme_id: int | None, day: dt.date | str) -> bool:
    """The programme's month is approved for payment (``attendance.lock_month``)."""
    if programme_id is None:
        return False
    return db.execute("SELECT 1 FROM month_locks WHERE programme_id = ? AND month = ?",
                      [programme_id, str(day)[:7]]).fetchone() is not None


def _refuse_locked(db: sqlite_utils.Database, programme_id: int | None, day: dt.date) -> None:
    if is_locked(db, programme_id, day):
        raise UserError("error.month_locked", month=f"{day:%Y-%m}")


def _attended_on(db: sqlite_utils.Database, programme_id: int, day: dt.date) -> bool:
    return db.execute("SELECT 1 FROM sessions s JOIN attendance a ON a.session_id = s.id "
                      "WHERE s.programme_id = ? AND s.date = ? LIMIT 1",
                      [programme_id, day.isoformat()]).fetchone() is not None


def _closure_day(db: sqlite_utils.Database, programme_id: int, day) -> dt.date:
    """A day whose closure may change: not in a locked month, no attendance recorded."""
    on = dates.coerce(day, field="closure_day")
    if on is None:
        raise UserError("error.date_required", field="closure_day")
    _refuse_locked(db, programme_id, on)
    if _attended_on(db, programme_id, on):
        raise UserError("error.closure_attended", field="closure_day", date=dates.written(on))
    return on


def add_closure(db: sqlite_utils.Database, actor: User, programme_id: int,
                day: dt.date | str | None, reason: str | None) -> None:
    """A day the programme does not run (the provider's holiday, a strike...). Refused in
    a month locked for payment and on a day with attendance recorded."""
    access.require_programme(db, actor, programme_id)
    reason = text.clean(reason, limit=text.SHORT_TEXT_MAX, field="reason")
    with write(db):
        on = _closure_day(db, programme_id, day)
        if db.execute("SELECT 1 FROM closure_days WHERE programme_id = ? AND day = ?",
                      [programme_id, on.isoformat()]).fetchone():
            raise UserError("error.closure_exists", field="closure_day")
        records.insert(db, "closure_days", {
            "programme_id": programme_id, "day": on.isoformat(), "reason": reason,
            "created_by": actor.id, "created_at": audit.now()}, actor.id, participant_id=None)


def remove_closure(db: sqlite_utils.Database, actor: User, programme_id: int,
                   day: dt.date | str | None) -> bool:
    """The programme runs on that day after all (the next generation plans it again).
    Refused like adding one; False when the day was no closure (a second press)."""
    access.require_programme(db, actor, programme_id)
    with write(db):
        on = _closure_day(db, programme_id, day)
        found = db.execute("SELECT id, reason FROM closure_days WHERE programme_id = ? AND "
                           "day = ?", [programme_id, on.isoformat()]).fetchone()
        if found is None:
            return False
        db.execute("DELETE FROM closure_days WHERE id = ?", [found[0]])
        # "delete" is the log's word for erasing a person's data; this is a change of plan.
        audit.log_changes(db, actor.id, "closure_days", found[0], None, "update", {
            "day": (on.isoformat(), None), "reason": (found[1], None)})
        return True


# -- one-off entries and their conflicts ----------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """A session as its form holds it."""
    kind: str | None
    day: dt.date | str | None
    start_time: str
    hours: float | None
    title: str = ""
    location: str = ""
    coordinator_id: int | None = None
    programme_id: int | None = None
    participant_id: int | None = None      # an individual meeting's person
    municipality_id: int | None = None     # a mobile-unit visit's municipality
    people: tuple[int, ...] = ()           # the people met on a visit / invited to a group
    holiday_reason: str = ""


@dataclass(frozen=True)
class Conflict:
    key: str
    blocking: bool  # False: a warning a reason can override (a session on a holiday)
    params: dict = field(default_factory=dict)


def _overlaps(start_a: str, hours_a: float, start_b: str, hours_b: float) -> bool:
    return start_a < end_time(start_b, hours_b) and start_b < end_time(start_a, hours_a)


# Her programme's sessions from her start to her exit, both days included: a meeting
# recorded afterwards for a day she was in the programme meets her session too.
_PERSON_BOOKINGS_SQL = """
SELECT s.id, s.title, s.start_time, s.hours FROM sessions s
WHERE s.date = :day AND s.participant_id = :person AND s.cancelled_at IS NULL
UNION
SELECT s.id, s.title, s.start_time, s.hours FROM session_people sp
JOIN sessions s ON s.id = sp.session_id WHERE sp.participant_id = :person AND s.date = :day
  AND s.cancelled_at IS NULL
UNION
SELECT s.id, s.title, s.start_time, s.hours FROM enrolments e
JOIN sessions s ON s.programme_id = e.programme_id AND s.date = :day
WHERE e.participant_id = :person AND e.start_date <= :day
  AND (e.end_date >= :day OR (e.end_date IS NULL AND e.status = 'active'))
"""


def conflicts(db: sqlite_utils.Database, entry: Entry, day: dt.date, start: str,
              hours: float, exclude: int | None = None) -> list[Conflict]:
    """What is wrong with an entry at ``day`` ``start`` for ``hours``, blocking first."""
    found: list[Conflict] = []
    iso = day.isoformat()
    if entry.coordinator_id is not None:
        for sid, title, other_start, other_hours in db.execute(
                "SELECT id, title, start_time, hours FROM sessions WHERE coordinator_id = ? "
                "AND date = ? AND cancelled_at IS NULL", [entry.coordinator_id, iso]):
            if sid != exclude and _overlaps(start, hours, other_start, other_hours):
                found.append(Conflict("conflict.coordinator_busy", True, {
                    "title": title, "time": other_start}))
    people = tuple(dict.fromkeys(
        ((entry.participant_id,) if entry.participant_id else ()) + entry.people))
    for person in people:
        for sid, title, other_start, other_hours in db.execute(
                _PERSON_BOOKINGS_SQL, {"day": iso, "person": person}):
            if sid != exclude and _overlaps(start, hours, other_start, other_hours):
                name = db.execute("SELECT first_name || ' ' || last_name FROM participants "
                                  "WHERE id = ?", [person]).fetchone()[0]
                found.append(Conflict("conflict.person_busy", True, {
                    "name": name, "title": title, "time": other_start}))
    if entry.programme_id is not None:
        span = db.execute("SELECT start_date, end_date, capacity FROM programmes WHERE id = ?",
                          [entry.programme_id]).fetchone()
        if span and not span[0] <= iso <= span[1]:
            found.append(Conflict("conflict.outside_programme", True, {
                "start": dt.date.fromisoformat(span[0]), "end": dt.date.fromisoformat(span[1])}))
    capacity = _capacity(db, entry, day)
    if len(entry.people) > capacity:
        found.append(Conflict("conflict.over_capacity", True, {"n": capacity}))
    name = holiday(day)
    if name is not None:
        found.append(Conflict("conflict.holiday", False, {"name": name}))
    return sorted(found, key=lambda c: not c.blocking)


def _capacity(db: sqlite_utils.Database, entry: Entry, day: dt.date) -> int:
    if entry.programme_id is not None:
        found = db.execute("SELECT capacity FROM programmes WHERE id = ?",
                           [entry.programme_id]).fetchone()
        if found:
            return found[0]
    return int(rule_value(db, "group_size", day))


@dataclass(frozen=True)
class CheckedEntry:
    values: dict[str, object]
    people: tuple[int, ...]
    conflicts: tuple[Conflict, ...]


def check_entry(db: sqlite_utils.Database, actor: User, entry: Entry, today: dt.date,
                *, exclude: int | None = None) -> CheckedEntry:
    """The entry as it would be stored and what conflicts with it (the form's preview);
    UserError for what is not an entry at all. ``exclude``: the stored entry that moves
    (it does not stand in its own way)."""
    access.require_area(db, actor, actor.area_code)
    if entry.kind not in KINDS:
        raise UserError("error.choose_from_list", field="session_kind")
    day = dates.coerce(entry.day, field="date")
    if day is None:
        raise UserError("error.date_required", field="date")
    if day < dates.EARLIEST_CASE_DATE:
        raise UserError("error.date_too_early", field="date",
                        date=dates.written(dates.EARLIEST_CASE_DATE))
    if day > today + dt.timedelta(days=PLAN_AHEAD_DAYS):
        raise UserError("error.date_far", field="date")
    start = clean_time(entry.start_time)
    try:
        hours = text.parse_decimal(entry.hours)  # "1,5" typed is 1.5 hours
    except UserError:
        hours = None  # "abc": the hours' own message, with the longest allowed
    if hours is None or hours != hours or not 0 < hours <= MAX_SESSION_HOURS:
        raise UserError("error.session_hours", field="hours", max=MAX_SESSION_HOURS)
    if end_time(start, hours) <= start:  # past midnight
        raise UserError("error.session_past_midnight", field="hours")
    people = tuple(dict.fromkeys(entry.people))
    for person in ((entry.participant_id,) if entry.participant_id else ()) + people:
        access.require_person(db, actor, person)
    if entry.kind == "individual" and entry.participant_id is None:
        raise UserError("error.person_required", field="participant")
    if entry.kind == "mobile_unit" and entry.municipality_id is None:
        raise UserError("error.municipality_required", field="municipality")
    if entry.municipality_id is not None:
        found = db.execute("SELECT u.area_code FROM municipalities m JOIN csd_units u "
                           "ON u.code = m.unit_code WHERE m.id = ?",
                           [entry.municipality_id]).fetchone()
        if found is None or found[0] != actor.area_code:
            raise UserError("error.municipality_required", field="municipality")
    if entry.programme_id is not None:
        access.require_programme(db, actor, entry.programme_id)
    title = text.clean(entry.title, limit=text.SHORT_TEXT_MAX, field="title")
    if title is None:
        raise UserError("error.text_required", field="title")
    coordinator = entry.coordinator_id or actor.id
    entry = Entry(**{**entry.__dict__, "coordinator_id": coordinator, "people": people})
    values = {
        "kind": entry.kind, "programme_id": entry.programme_id,
        "coordinator_id": coordinator, "participant_id": entry.participant_id,
        "municipality_id": entry.municipality_id, "title": title,
        "location": text.clean(entry.location, limit=text.SHORT_TEXT_MAX, field="location"),
        "date": day.isoformat(), "start_time": start, "hours": float(hours),
        "holiday_reason": text.clean(entry.holiday_reason, limit=text.SHORT_TEXT_MAX,
                                     field="holiday_reason"),
        "generated": 0,
    }
    return CheckedEntry(values, people, tuple(conflicts(db, entry, day, start, hours,
                                                       exclude)))


def add_entry(db: sqlite_utils.Database, actor: User, entry: Entry, *, today: dt.date,
              token: str | None = None, contact_note: str | None = None) -> int:
    """Save a one-off entry; refused while a blocking conflict stands or a holiday has no
    reason. ``contact_note``: a visit that has already happened is recorded at once, the
    people booked as met, each with that contact (``record_visit``; refused before the
    visit's day)."""
    def insert() -> int:  # a repeat of the same form finds its entry before any check
        checked = check_entry(db, actor, entry, today)
        for conflict in checked.conflicts:
            if conflict.blocking:
                raise UserError(conflict.key, **conflict.params)
            if not checked.values["holiday_reason"]:
                raise UserError("error.holiday_reason_required", field="holiday_reason",
                                **conflict.params)
        sid = records.insert(db, "sessions", checked.values, actor.id,
                             participant_id=checked.values["participant_id"])
        db.conn.executemany(
            "INSERT INTO session_people (session_id, participant_id) VALUES (?, ?)",
            [(sid, p) for p in checked.people])
        if contact_note is not None and checked.values["kind"] == "mobile_unit":
            _record_met(db, actor, records.row(db, "sessions", sid), checked.people,
                        contact_note, today)
        return sid

    with write(db):
        return records.once(db, token, "session", actor.id, insert)[0]


# -- corrections: move, cancel, record a visit ---------------------------------------------
CORRECTABLE_KINDS = ("individual", "mobile_unit")


def _correctable(db: sqlite_utils.Database, actor: User, session_id: int,
                 expected_version: int) -> dict:
    """The stored entry a coordinator may change now, checked against the version her
    form started from; refused: a programme's session, a cancelled entry, a month locked
    for payment, an entry with attendance or a recorded visit (it has happened)."""
    current = records.check_version(db, "sessions", session_id, expected_version,
                                    conflict_key="conflict.entry",
                                    missing="error.session_missing")
    _require_entry(db, actor, current)
    if current["kind"] not in CORRECTABLE_KINDS:
        raise UserError("error.entry_not_correctable")
    if current["cancelled_at"]:
        raise UserError("error.entry_cancelled")
    _refuse_locked(db, current["programme_id"], dt.date.fromisoformat(current["date"]))
    if db.execute("SELECT 1 FROM attendance WHERE session_id = ? LIMIT 1",
                  [session_id]).fetchone():
        raise UserError("error.entry_attended")
    if current["visit_recorded_at"]:
        raise UserError("error.visit_recorded")
    return current


def _require_entry(db: sqlite_utils.Database, actor: User, row: dict) -> None:
    access.require_area(db, actor, _scope_area(db, "programme", row["programme_id"])
                        if row["programme_id"] else
                        _scope_area(db, "coordinator", row["coordinator_id"]))
    if row["participant_id"]:
        access.require_person(db, actor, row["participant_id"])


def _booked(db: sqlite_utils.Database, session_id: int) -> tuple[int, ...]:
    return tuple(r[0] for r in db.execute(
        "SELECT participant_id FROM session_people WHERE session_id = ? AND booked = 1 "
        "ORDER BY participant_id", [session_id]))


def moved(db: sqlite_utils.Database, actor: User, session_id: int, day: dt.date | str | None,
          start_time: str, hours: float | None, today: dt.date,
          holiday_reason: str = "") -> CheckedEntry:
    """The entry at its new day and time and what conflicts with it there (the move form's
    preview): the same rules as a new booking."""
    row = records.row(db, "sessions", session_id, "error.session_missing")
    _require_entry(db, actor, row)
    entry = Entry(row["kind"], day, start_time, hours, row["title"], row["location"] or "",
                  row["coordinator_id"], row["programme_id"], row["participant_id"],
                  row["municipality_id"], _booked(db, session_id), holiday_reason)
    return check_entry(db, actor, entry, today, exclude=session_id)


def _refuse_names(db: sqlite_utils.Database, session: dict, reason: str | None,
                  field: str) -> None:
    """A reason for moving or cancelling a booking names none of the people it books and
    holds no EMŠO (``text.clean_reason``): it stays in the change log."""
    text.clean_reason(reason, field=field, names=records.person_names(
        db, session["participant_id"], *_booked(db, session["id"])))


def move_entry(db: sqlite_utils.Database, actor: User, session_id: int, expected_version: int,
               day: dt.date | str | None, start_time: str, hours: float | None, *,
               today: dt.date, reason: str | None = None, holiday_reason: str = "",
               token: str | None = None) -> int:
    """Move a meeting or a visit to another day and time; it keeps its UID in the .ics and
    its SEQUENCE (the version) goes up. Returns the new version; a second press of the same
    form (``token``) returns it without moving again."""
    reason = text.clean(reason, limit=text.SHORT_TEXT_MAX, field="reason")

    def move() -> int:
        current = _correctable(db, actor, session_id, expected_version)
        _refuse_names(db, current, reason, "reason")
        checked = moved(db, actor, session_id, day, start_time, hours, today, holiday_reason)
        new_day = dt.date.fromisoformat(checked.values["date"])
        _refuse_locked(db, current["programme_id"], new_day)
        for conflict in checked.conflicts:
            if conflict.blocking:
                raise UserError(conflict.key, **conflict.params)
            if not checked.values["holiday_reason"]:
                raise UserError("error.holiday_reason_required", field="holiday_reason",
                                **conflict.params)
        changes = {k: checked.values[k] for k in ("date", "start_time", "hours",
                                                   "holiday_reason")}
        if all(current[k] == v for k, v in changes.items()):
            raise UserError("error.entry_not_moved", field="date")
        records.update(db, "sessions", current, changes, actor.id,
                       participant_id=current["participant_id"], reason=reason)
        return session_id

    with write(db):
        records.once(db, token, "session_move", actor.id, move)
        return records.row(db, "sessions", session_id)["version"]


def cancel_entry(db: sqlite_utils.Database, actor: User, session_id: int, expected_version: int,
                 reason: str | None, *, today: dt.date, token: str | None = None) -> int:
    """Cancel a meeting or a visit, with a reason: it stays in the calendar and the history
    as cancelled, books nobody any more, and the .ics tells calendars to remove it.
    Returns the new version; a second press of the same form returns it again."""
    reason = text.clean(reason, limit=text.SHORT_TEXT_MAX, required=True, field="cancel_reason")

    def cancel() -> int:
        current = _correctable(db, actor, session_id, expected_version)
        _refuse_names(db, current, reason, "cancel_reason")
        records.update(db, "sessions", current, {
            "cancelled_at": audit.now(), "cancelled_by": actor.id, "cancel_reason": reason},
            actor.id, participant_id=current["participant_id"], reason=reason)
        return session_id

    with write(db):
        records.once(db, token, "session_cancel", actor.id, cancel)
        return records.row(db, "sessions", session_id)["version"]


@dataclass(frozen=True)
class Visit:
    """A mobile-unit visit as the "who was met" form needs it."""
    id: int
    day: dt.date
    title: str
    version: int
    booked: tuple[int, ...]
    met: tuple[int, ...]
    recorded: bool
    cancelled: bool
    names: dict[int, str] = field(default_factory=dict)  # of those booked and met

    def may_record(self, today: dt.date) -> bool:
        """Only a visit that has happened is recorded; before its day it is planned."""
        return not self.cancelled and self.day <= today


def visit(db: sqlite_utils.Database, actor: User, session_id: int) -> Visit:
    row = records.row(db, "sessions", session_id, "error.session_missing")
    _require_entry(db, actor, row)
    if row["kind"] != "mobile_unit":
        raise UserError("error.session_missing")
    people = db.execute(
        "SELECT sp.participant_id, sp.booked, sp.met, p.first_name || ' ' || p.last_name "
        "FROM session_people sp JOIN participants p ON p.id = sp.participant_id "
        "WHERE sp.session_id = ? ORDER BY p.last_name COLLATE sl, p.first_name COLLATE sl, p.id",
        [session_id]).fetchall()
    return Visit(session_id, dt.date.fromisoformat(row["date"]), row["title"], row["version"],
                 tuple(p for p, booked, _, _ in people if booked),
                 tuple(p for p, _, met, _ in people if met), bool(row["visit_recorded_at"]),
                 bool(row["cancelled_at"]), {p: name for p, _, _, name in people})


def record_visit(db: sqlite_utils.Database, actor: User, session_id: int, expected_version: int,
                 met: tuple[int, ...] | list[int], note: str | None, *, today: dt.date,
                 token: str | None = None) -> int:
    """After the visit: who was actually met (those booked and others), each getting one
    contact on her record with ``note``. Refused before the visit's day and for a cancelled
    visit. Recording again adds only whom the first time missed; nobody gets a second
    contact for the same visit. Returns how many contacts were added."""
    added: list[int] = []

    def record() -> int:
        current = records.check_version(db, "sessions", session_id, expected_version,
                                        conflict_key="conflict.entry",
                                        missing="error.session_missing")
        _require_entry(db, actor, current)
        if current["kind"] != "mobile_unit":
            raise UserError("error.entry_not_correctable")
        added.append(_record_met(db, actor, current, tuple(met), note, today))
        return session_id

    with write(db):
        records.once(db, token, "visit_record", actor.id, record)
    return added[0] if added else 0


def _record_met(db: sqlite_utils.Database, actor: User, current: dict, met: tuple[int, ...],
                note: str | None, today: dt.date) -> int:
    from workbench import casework  # casework never imports the calendar
    day = dt.date.fromisoformat(current["date"])
    if current["cancelled_at"]:
        raise UserError("error.entry_cancelled")
    if day > today:
        raise UserError("error.visit_not_yet", date=dates.written(day))
    people = tuple(dict.fromkeys(met))
    if not people:
        raise UserError("error.visit_people_required", field="people_met")
    sid = current["id"]
    before = {p: m for p, m in db.execute(
        "SELECT participant_id, met FROM session_people WHERE session_id = ?", [sid])}
    added = 0
    for person in people:
        access.require_person(db, actor, person)
        if before.get(person) != 1:
            db.execute("INSERT INTO session_people (session_id, participant_id, booked, met) "
                       "VALUES (?, ?, 0, 1) ON CONFLICT (session_id, participant_id) "
                       "DO UPDATE SET met = 1", [sid, person])
        if db.execute("SELECT 1 FROM contacts WHERE session_id = ? AND participant_id = ?",
                      [sid, person]).fetchone() is None:
            casework.add_contact(db, actor, person, on=day, kind="mobile_unit", note=note or "",
                                 today=today, session_id=sid)
            added += 1
    met_before = sum(1 for m in before.values() if m == 1)
    met_now = met_before + sum(1 for p in people if before.get(p) != 1)
    if met_now != met_before or not current["visit_recorded_at"]:
        version = current["version"] + 1
        db.execute("UPDATE sessions SET version = ?, visit_recorded_at = COALESCE("
                   "visit_recorded_at, ?) WHERE id = ?", [version, audit.now(), sid])
        audit.log_changes(db, actor.id, "sessions", sid, None, "update",
                          {"people_met": (met_before or None, met_now)}, version)
    return added


def entry(db: sqlite_utils.Database, actor: User, session_id: int) -> CalendarEntry:
    """One entry of the calendar (a deep link ``?vnos=ID``)."""
    _require_entry(db, actor, records.row(db, "sessions", session_id, "error.session_missing"))
    return _entries(db, _VIEW_SQL.format(where="s.id = :id"), {"id": session_id})[0]


def person_entries(db: sqlite_utils.Database, actor: User, participant_id: int, start: dt.date,
                   end: dt.date) -> list[CalendarEntry]:
    """Her individual meetings and the visits she is on, cancelled ones included."""
    access.require_person(db, actor, participant_id)
    return _entries(db, *person_entries_query(participant_id, start, end))


def person_entries_query(participant_id: int, start: dt.date, end: dt.date
                         ) -> tuple[str, dict]:
    """``person_entries``' SQL and parameters (shared with the index test)."""
    return (_VIEW_SQL.format(where=_PERSON_ENTRIES_WHERE),
            {"id": participant_id, "start": start.isoformat(), "end": end.isoformat()})


# Two index look-ups (her meetings by date, the visits she is on), never a scan of sessions.
_PERSON_ENTRIES_WHERE = (
    "s.id IN (SELECT id FROM sessions WHERE participant_id = :id AND date BETWEEN :start "
    "AND :end UNION SELECT session_id FROM session_people WHERE participant_id = :id) "
    "AND s.kind IN ('individual', 'mobile_unit') AND s.date BETWEEN :start AND :end")


# -- views ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarEntry:
    id: int
    kind: str
    day: dt.date
    start_time: str
    end_time: str
    hours: float
    title: str
    location: str | None
    programme_id: int | None
    participant_id: int | None
    person: str | None        # an individual meeting's person (to those who may see names)
    municipality: str | None
    people: int               # people met on a visit / invited
    holiday: str | None       # the holiday it falls on (with its reason to hold it)
    version: int
    cancelled: bool = False   # stays in the calendar, marked, and leaves the .ics as such
    cancel_reason: str | None = None
    recorded: bool = False    # a visit whose people met are recorded


SCOPES = ("coordinator", "programme", "municipality")
_VIEW_SQL = """
SELECT s.id, s.kind, s.date, s.start_time, s.hours, s.title, s.location, s.programme_id,
       s.participant_id, p.first_name || ' ' || p.last_name AS person, m.name AS municipality,
       (SELECT COUNT(*) FROM session_people sp WHERE sp.session_id = s.id) AS people,
       s.holiday_reason, s.version, s.cancelled_at, s.cancel_reason, s.visit_recorded_at
FROM sessions s
LEFT JOIN participants p ON p.id = s.participant_id
LEFT JOIN municipalities m ON m.id = s.municipality_id
WHERE {where}
ORDER BY s.date, s.start_time, s.id
"""
_SCOPE_WHERE = {
    "coordinator": "s.coordinator_id = :id",
    "programme": "s.programme_id = :id",
    "municipality": "s.municipality_id = :id",
}


def view_query(scope: str, scope_id: int, start: dt.date, end: dt.date) -> tuple[str, dict]:
    """The view's SQL and parameters (shared with the benchmark and the index test)."""
    return (_VIEW_SQL.format(where=f"{_SCOPE_WHERE[scope]} AND s.date BETWEEN :start AND :end"),
            {"id": scope_id, "start": start.isoformat(), "end": end.isoformat()})


def view(db: sqlite_utils.Database, actor: User, scope: str, scope_id: int, start: dt.date,
         end: dt.date) -> list[CalendarEntry]:
    """Entries of a coordinator, a programme or a municipality from ``start`` to ``end``."""
    if scope not in SCOPES:
        raise ValueError(scope)
    if end < start or (end - start).days > VIEW_MAX_DAYS:
        raise UserError("error.view_period")
    area = _scope_area(db, scope, scope_id)
    access.require_area(db, actor, area)
    return _entries(db, *view_query(scope, scope_id, start, end))


def _entries(db: sqlite_utils.Database, sql: str, params: dict) -> list[CalendarEntry]:
    found = []
    for r in records.named_rows(db.execute(sql, params)):
        day = dt.date.fromisoformat(r["date"])
        found.append(CalendarEntry(
            r["id"], r["kind"], day, r["start_time"], end_time(r["start_time"], r["hours"]),
            r["hours"], r["title"], r["location"], r["programme_id"], r["participant_id"],
            r["person"], r["municipality"], r["people"], holiday(day), r["version"],
            bool(r["cancelled_at"]), r["cancel_reason"], bool(r["visit_recorded_at"])))
    return found


def _scope_area(db: sqlite_utils.Database, scope: str, scope_id: int) -> str | None:
    sql = {"coordinator": "SELECT area_code FROM users WHERE id = ?",
           "programme": "SELECT area_code FROM programmes WHERE id = ?",
           "municipality": "SELECT u.area_code FROM municipalities m JOIN csd_units u "
                           "ON u.code = m.unit_code WHERE m.id = ?"}[scope]
    found = db.execute(sql, [scope_id]).fetchone()
    return found[0] if found else None


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_grid(day: dt.date) -> list[list[dt.date]]:
    """The weeks (Monday first) that show ``day``'s month."""
    first, last = month_of(day)
    start, _ = week_of(first)
    weeks, cursor = [], start
    while cursor <= last:
        weeks.append([cursor + dt.timedelta(days=i) for i in range(7)])
        cursor += dt.timedelta(days=7)
    return weeks
