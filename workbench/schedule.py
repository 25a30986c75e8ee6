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


def add_closure(db: sqlite_utils.Database, actor: User, programme_id: int,
                day: dt.date | str | None, reason: str | None) -> None:
    """A day the programme does not run (the provider's holiday, a strike...)."""
    access.require_programme(db, actor, programme_id)
    on = dates.coerce(day, field="closure_day")
    if on is None:
        raise UserError("error.date_required", field="closure_day")
    reason = text.clean(reason, limit=text.SHORT_TEXT_MAX, field="reason")
    with write(db):
        if db.execute("SELECT 1 FROM closure_days WHERE programme_id = ? AND day = ?",
                      [programme_id, on.isoformat()]).fetchone():
            raise UserError("error.closure_exists", field="closure_day")
        records.insert(db, "closure_days", {
            "programme_id": programme_id, "day": on.isoformat(), "reason": reason,
            "created_by": actor.id, "created_at": audit.now()}, actor.id, participant_id=None)


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
WHERE s.date = :day AND s.participant_id = :person
UNION
SELECT s.id, s.title, s.start_time, s.hours FROM session_people sp
JOIN sessions s ON s.id = sp.session_id WHERE sp.participant_id = :person AND s.date = :day
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
                "AND date = ?", [entry.coordinator_id, iso]):
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


def check_entry(db: sqlite_utils.Database, actor: User, entry: Entry, today: dt.date
                ) -> CheckedEntry:
    """The entry as it would be stored and what conflicts with it (the form's preview);
    UserError for what is not an entry at all."""
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
    hours = entry.hours
    if hours is None or not 0 < hours <= MAX_SESSION_HOURS:
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
    return CheckedEntry(values, people, tuple(conflicts(db, entry, day, start, hours)))


def add_entry(db: sqlite_utils.Database, actor: User, entry: Entry, *, today: dt.date,
              token: str | None = None, contact_note: str | None = None) -> int:
    """Save a one-off entry; refused while a blocking conflict stands or a holiday has no
    reason. ``contact_note``: a visit adds it to each person met's contact log."""
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
            from workbench import casework
            for person in checked.people:
                casework.add_contact(db, actor, person, on=checked.values["date"],
                                     kind="mobile_unit", note=contact_note, next_step="",
                                     today=today)
        return sid

    with write(db):
        return records.once(db, token, "session", actor.id, insert)[0]


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


SCOPES = ("coordinator", "programme", "municipality")
_VIEW_SQL = """
SELECT s.id, s.kind, s.date, s.start_time, s.hours, s.title, s.location, s.programme_id,
       s.participant_id, p.first_name || ' ' || p.last_name AS person, m.name AS municipality,
       (SELECT COUNT(*) FROM session_people sp WHERE sp.session_id = s.id) AS people,
       s.holiday_reason, s.version
FROM sessions s
LEFT JOIN participants p ON p.id = s.participant_id
LEFT JOIN municipalities m ON m.id = s.municipality_id
WHERE {where} AND s.date BETWEEN :start AND :end
ORDER BY s.date, s.start_time, s.id
"""
_SCOPE_WHERE = {
    "coordinator": "s.coordinator_id = :id",
    "programme": "s.programme_id = :id",
    "municipality": "s.municipality_id = :id",
}


def view_query(scope: str, scope_id: int, start: dt.date, end: dt.date) -> tuple[str, dict]:
    """The view's SQL and parameters (shared with the benchmark and the index test)."""
    return (_VIEW_SQL.format(where=_SCOPE_WHERE[scope]),
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
    sql, params = view_query(scope, scope_id, start, end)
    found = []
    for r in records.named_rows(db.execute(sql, params)):
        day = dt.date.fromisoformat(r["date"])
        found.append(CalendarEntry(
            r["id"], r["kind"], day, r["start_time"], end_time(r["start_time"], r["hours"]),
            r["hours"], r["title"], r["location"], r["programme_id"], r["participant_id"],
            r["person"], r["municipality"], r["people"], holiday(day), r["version"]))
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
