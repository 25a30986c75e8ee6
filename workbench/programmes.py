"""The programme catalogue: providers, programmes and their modules, and the list's filters.

A programme is run by a provider for a CSD area; its **modules** follow each other
from the programme's start (e.g. the long programme of DOMAIN.md: 1 month 5 h x 5
days, 1 month 5 h x 5 days, 8 months 6 h x 5 days, 1 month 2 h x 5 days, a closing
month). The calendar (``workbench.schedule``) is generated from the modules; the
planned hours and days shown here are the same computation, so the totals and the
calendar never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import sqlite_utils

from workbench import access, audit, dates, records, schedule, text
from workbench.access import require_programme
from workbench.auth import User
from workbench.errors import UserError
from workbench.rules import rule_value
from workbench.schedule import Module, module_rows
from workbench.transactions import write

TYPES = ("short", "intermediate", "long")
# Variants providers ran besides the three types (DOMAIN.md "Programmes").
VARIANTS = ("standard", "short_a", "short_c", "hybrid")
STATUSES = ("planned", "running", "finished")
OPERATIONS = ("9.1.2",)  # the public call of the operation (javni razpis 9.1.2)
LANGUAGES = ("sl", "sq", "bs", "hr", "sr", "mk", "rom", "uk", "ru", "en")
MODULE_UNITS = ("weeks", "months")
# A programme's expected length in months, by type: a plan far off it is pointed out.
TYPE_MONTHS = {"short": 3, "intermediate": 6, "long": 11}
MODULES_MAX = 12
_WEEK = (0, 1, 2, 3, 4)
_WEEKDAY_CODES = {str(d): d for d in range(7)}
# Each type's modules as providers ran them (DOMAIN.md): what a new programme starts from.
TEMPLATES: dict[str, tuple[Module, ...]] = {}


TEMPLATES.update({
    "short": (Module("Program", 3, "months", 4.0, (0, 2, 4)),),
    "intermediate": (Module("Program", 6, "months", 5.0, (0, 1, 2, 3)),),
    "long": (Module("Uvodni modul", 1, "months", 5.0, _WEEK),
             Module("Motivacijski modul", 1, "months", 5.0, _WEEK),
             Module("Osrednji modul", 8, "months", 6.0, _WEEK),
             Module("Prehodni modul", 1, "months", 2.0, _WEEK),
             Module("Zaključni modul", 1, "months", 3.0, _WEEK)),
})


@dataclass(frozen=True)
class ProgrammeInput:
    """What the programme form holds (typed text where a date or number is typed)."""
    name: str
    provider_id: int | None
    type: str | None
    variant: str = "standard"
    operation: str = "9.1.2"
    contract_number: str = ""
    municipality_id: int | None = None
    address: str = ""
    capacity: int | None = None
    start_date: dt.date | str | None = None
    end_date: dt.date | str | None = None
    start_time: str = "09:00"
    contact_person: str = ""
    status: str = "planned"
    languages: tuple[str, ...] = ("sl",)
    interpreter: bool = False
    coordinator_id: int | None = None


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    provider_id: int
    provider: str
    type: str
    variant: str
    operation: str
    contract_number: str | None
    area_code: str
    municipality_id: int | None
    municipality: str | None
    address: str | None
    capacity: int
    start_date: str
    end_date: str
    start_time: str
    contact_person: str | None
    status: str
    languages: str
    interpreter: int
    coordinator_id: int | None
    version: int
    enrolled: int = 0
    waiting: int = 0
    held: int = 0  # places offered to someone waiting and held for her (workbench.waiting)
    modules: tuple[Module, ...] = field(default_factory=tuple)

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.enrolled - self.held)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(c for c in self.languages.split(",") if c)


@dataclass(frozen=True)
class Totals:
    hours: float
    days: int
    months: float
    warnings: tuple[tuple[str, dict], ...]  # (message key, params): shown, not refused


# -- providers ------------------------------------------------------------------------------
def providers(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT id, name FROM providers ORDER BY name COLLATE sl").fetchall())


def save_provider(db: sqlite_utils.Database, actor: User, name: str,
                  provider_id: int | None = None) -> int:
    """Add a provider, or rename one (the list the programme form chooses from)."""
    access.require_area(db, actor, actor.area_code)
    name = text.clean(name, limit=text.SHORT_TEXT_MAX, required=True, field="provider")
    with write(db):
        same = db.execute("SELECT id FROM providers WHERE name = ? COLLATE NOCASE AND id != ?",
                          [name, provider_id or 0]).fetchone()
        if same:
            raise UserError("error.provider_exists", field="provider")
        if provider_id is None:
            return records.insert(db, "providers", {"name": name}, actor.id, participant_id=None)
        current = records.row(db, "providers", provider_id)
        records.update(db, "providers", current, {"name": name}, actor.id, participant_id=None)
        return provider_id


# -- modules and their totals ---------------------------------------------------------------
def clean_modules(modules: list[dict]) -> tuple[Module, ...]:
    """The module rows as typed (a data editor's rows), checked; UserError names the row."""
    cleaned = []
    rows = [m for m in modules if any(v not in (None, "", [], ()) for v in m.values())]
    if not rows:
        raise UserError("error.modules_required", field="modules")
    if len(rows) > MODULES_MAX:
        raise UserError("error.modules_too_many", field="modules", n=MODULES_MAX)
    for n, row in enumerate(rows, 1):
        name = text.clean(row.get("name"), limit=text.SHORT_TEXT_MAX, field="modules") \
            or f"{n}."
        length = _number(row.get("length"), n, "length")
        if length != int(length) or not 1 <= length <= 24:
            raise UserError("error.module_length", field="modules", row=n)
        unit = row.get("unit")
        if unit not in MODULE_UNITS:
            raise UserError("error.module_unit", field="modules", row=n)
        hours = _number(row.get("hours_per_day"), n, "hours")
        if not 0 < hours <= schedule.MAX_SESSION_HOURS:
            raise UserError("error.module_hours", field="modules", row=n,
                            max=schedule.MAX_SESSION_HOURS)
        # The editor's day codes ("0" is Monday); anything else is no day of the week.
        weekdays = tuple(sorted({_WEEKDAY_CODES.get(str(d).strip(), -1)
                                 for d in row.get("weekdays") or ()}))
        if not weekdays:
            raise UserError("error.module_no_weekdays", field="modules", row=n)
        if any(d not in range(7) for d in weekdays):
            raise UserError("error.module_no_weekdays", field="modules", row=n)
        cleaned.append(Module(name, int(length), unit, float(hours), weekdays))
    return tuple(cleaned)


def _number(value: object, row: int, what: str) -> float:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserError(f"error.module_{what}", field="modules", row=row,
                        max=schedule.MAX_SESSION_HOURS) from None
    if not math.isfinite(number):  # NaN from an emptied editor cell, "1e400", "inf"
        raise UserError(f"error.module_{what}", field="modules", row=row,
                        max=schedule.MAX_SESSION_HOURS)
    return number


def totals(db: sqlite_utils.Database, ptype: str, start: dt.date, end: dt.date,
           modules: tuple[Module, ...], closures: frozenset[dt.date] = frozenset()) -> Totals:
    """Planned hours and days of the modules as the calendar would hold them, and what
    is off for the type (a long programme near the rule ``long_programme_hours``)."""
    planned = schedule.plan(start, end, modules, closures)
    hours = sum(s.hours for s in planned)
    warnings: list[tuple[str, dict]] = []
    months = round(((end - start).days + 1) / 30.44, 1)
    expected = TYPE_MONTHS.get(ptype)
    if expected and abs(months - expected) > max(1.0, expected * 0.25):
        warnings.append(("programme.warn_months", {"n": months, "expected": expected}))
    if ptype == "long":
        target = rule_value(db, "long_programme_hours", start)
        tolerance = rule_value(db, "programme_hours_tolerance", start)
        if abs(hours - target) > target * tolerance:
            warnings.append(("programme.warn_hours", {"hours": hours, "target": target}))
    if schedule.modules_end(start, modules) > end + dt.timedelta(days=1):
        warnings.append(("programme.warn_modules_beyond_end", {}))
    return Totals(hours, len({s.day for s in planned}), months, tuple(warnings))


# -- the programme ---------------------------------------------------------------------------
def _clean(db: sqlite_utils.Database, actor: User, form: ProgrammeInput) -> dict[str, object]:
    name = text.clean(form.name, limit=text.SHORT_TEXT_MAX, required=True, field="name")
    if form.provider_id is None or db.execute("SELECT 1 FROM providers WHERE id = ?",
                                              [form.provider_id]).fetchone() is None:
        raise UserError("error.provider_required", field="provider")
    if form.type not in TYPES:
        raise UserError("error.programme_type_required", field="programme_type")
    if form.variant not in VARIANTS:
        raise UserError("error.choose_from_list", field="variant")
    if form.operation not in OPERATIONS:
        raise UserError("error.choose_from_list", field="operation")
    if form.status not in STATUSES:
        raise UserError("error.choose_from_list", field="programme_status")
    start = dates.coerce(form.start_date, field="start_date")
    end = dates.coerce(form.end_date, field="end_date")
    if start is None:
        raise UserError("error.date_required", field="start_date")
    if end is None:
        raise UserError("error.date_required", field="end_date")
    if start < dates.EARLIEST_CASE_DATE:
        raise UserError("error.date_too_early", field="start_date",
                        date=dates.written(dates.EARLIEST_CASE_DATE))
    if end < start:
        raise UserError("error.end_before_start", field="end_date")
    if (end - start).days > 2 * 366:
        raise UserError("error.programme_too_long", field="end_date")
    capacity = form.capacity if form.capacity is not None else int(
        rule_value(db, "group_size", start))
    if not isinstance(capacity, int) or not 1 <= capacity <= 60:
        raise UserError("error.capacity", field="capacity")
    municipality = form.municipality_id
    if municipality is not None:
        found = db.execute("SELECT u.area_code FROM municipalities m JOIN csd_units u "
                           "ON u.code = m.unit_code WHERE m.id = ?", [municipality]).fetchone()
        if found is None or found[0] != actor.area_code:
            raise UserError("error.municipality_required", field="municipality")
    languages = tuple(code for code in LANGUAGES if code in form.languages)
    if not languages:
        raise UserError("error.languages_required", field="languages")
    return {
        "name": name, "provider_id": form.provider_id, "type": form.type,
        "variant": form.variant, "operation": form.operation,
        "contract_number": text.clean(form.contract_number, limit=text.NAME_MAX,
                                      field="contract_number"),
        "municipality_id": municipality,
        "address": text.clean(form.address, limit=text.SHORT_TEXT_MAX, field="address"),
        "capacity": capacity, "start_date": start.isoformat(), "end_date": end.isoformat(),
        "start_time": schedule.clean_time(form.start_time, field="start_time"),
        "contact_person": text.clean(form.contact_person, limit=text.SHORT_TEXT_MAX,
                                     field="contact_person"),
        "status": form.status, "languages": ",".join(languages),
        "interpreter": int(bool(form.interpreter)),
        "coordinator_id": form.coordinator_id or actor.id,
    }


def create(db: sqlite_utils.Database, actor: User, form: ProgrammeInput,
           modules: tuple[Module, ...], *, token: str | None = None) -> int:
    """A new programme of the actor's area with its modules; returns its id."""
    access.require_area(db, actor, actor.area_code)
    values = _clean(db, actor, form)
    first = modules[0] if modules else None
    if first is None:
        raise UserError("error.modules_required", field="modules")

    def insert() -> int:
        pid = records.insert(db, "programmes", {
            **values, "area_code": actor.area_code, "hours_per_day": first.hours_per_day,
            "days_per_week": first.days_per_week}, actor.id, participant_id=None)
        _write_modules(db, pid, modules, actor.id)
        return pid

    return records.once(db, token, "programme", actor.id, insert)[0]


def update(db: sqlite_utils.Database, actor: User, programme_id: int, expected_version: int,
           form: ProgrammeInput, modules: tuple[Module, ...] | None = None) -> int:
    """Save the programme's details (and its modules, when given); returns the version."""
    require_programme(db, actor, programme_id)
    values = _clean(db, actor, form)
    with write(db):
        current = records.check_version(db, "programmes", programme_id, expected_version,
                                        missing="error.programme_missing")
        enrolled = active_enrolments(db, programme_id)
        if values["capacity"] < enrolled:
            raise UserError("error.capacity_below_enrolled", field="capacity", n=enrolled)
        if modules is not None and not modules:
            raise UserError("error.modules_required", field="modules")
        if modules is not None:
            values["hours_per_day"] = modules[0].hours_per_day
            values["days_per_week"] = modules[0].days_per_week
        version = records.update(db, "programmes", current, values, actor.id,
                                 participant_id=None)
        if modules is not None and _write_modules(db, programme_id, modules, actor.id) \
                and version == current["version"]:
            version += 1  # the modules alone changed: still a new version of the programme
            db.execute("UPDATE programmes SET version = ? WHERE id = ?", [version, programme_id])
        return version


def _write_modules(db: sqlite_utils.Database, programme_id: int,
                   modules: tuple[Module, ...], user_id: int | None) -> bool:
    """Replace the programme's modules; True when they changed. Sessions keep their
    module only by position (the calendar is regenerated from the new modules)."""
    before = module_rows(db, programme_id)
    if tuple(m[:-1] for m in _as_tuples(before)) == tuple(m[:-1] for m in _as_tuples(modules)):
        return False
    db.execute("UPDATE sessions SET module_id = NULL WHERE programme_id = ?", [programme_id])
    db.execute("DELETE FROM programme_modules WHERE programme_id = ?", [programme_id])
    for position, m in enumerate(modules, 1):
        db.execute("INSERT INTO programme_modules (programme_id, position, name, length, unit, "
                   "hours_per_day, weekdays) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [programme_id, position, m.name, m.length, m.unit, m.hours_per_day,
                    ",".join(str(d) for d in m.weekdays)])
    audit.log_changes(db, user_id, "programme_modules", programme_id, None, "update",
                      {"modules": (len(before), len(modules))})
    return True


def _as_tuples(modules) -> tuple[tuple, ...]:
    return tuple((m.name, m.length, m.unit, m.hours_per_day, m.weekdays, m.id) for m in modules)


def active_enrolments(db: sqlite_utils.Database, programme_id: int) -> int:
    """Places taken: enrolments not yet ended (contract signed or in the programme)."""
    return db.execute("SELECT COUNT(*) FROM enrolments WHERE programme_id = ? AND "
                      "status = 'active'", [programme_id]).fetchone()[0]


def open_places(db: sqlite_utils.Database, area: str, on: dt.date
                ) -> dict[int, tuple[str, int, str]]:
    """Programmes of the area a person can still join on ``on``, those with free places
    first: id -> (name, free places, type). A place offered to someone waiting is held
    for her until the offer lapses (workbench.waiting), so it is not free."""
    rows = db.execute(
        "SELECT g.id, g.name, g.type, g.capacity - (SELECT COUNT(*) FROM enrolments e WHERE "
        "e.programme_id = g.id AND e.status = 'active') - (SELECT COUNT(*) FROM waiting_list w "
        "WHERE w.programme_id = g.id AND w.status = 'offered' AND w.offer_until >= :on) "
        "AS free FROM programmes g "
        "WHERE g.area_code = :area AND g.end_date >= :on AND g.status != 'finished' "
        "ORDER BY free <= 0, g.start_date, g.name COLLATE sl",
        {"area": area, "on": on.isoformat()}
    ).fetchall()
    return {pid: (name, max(0, free), ptype) for pid, name, ptype, free in rows}


PROGRAMME_SQL = """
SELECT g.*, pr.name AS provider, m.name AS municipality,
       (SELECT COUNT(*) FROM enrolments e WHERE e.programme_id = g.id
        AND e.status = 'active') AS enrolled,
       (SELECT COUNT(*) FROM waiting_list w WHERE w.programme_id = g.id
        AND w.status IN ('waiting', 'offered')) AS waiting,
       (SELECT COUNT(*) FROM waiting_list w WHERE w.programme_id = g.id
        AND w.status = 'offered') AS held
FROM programmes g
JOIN providers pr ON pr.id = g.provider_id
LEFT JOIN municipalities m ON m.id = g.municipality_id
"""
_FIELDS = {f for f in Programme.__dataclass_fields__ if f != "modules"}


def get(db: sqlite_utils.Database, actor: User, programme_id: int) -> Programme:
    require_programme(db, actor, programme_id)
    found = records.named_rows(db.execute(PROGRAMME_SQL + " WHERE g.id = ?", [programme_id]))
    row = {k: v for k, v in found[0].items() if k in _FIELDS}
    return Programme(**row, modules=module_rows(db, programme_id))


@dataclass(frozen=True)
class ListFilters:
    unit: str | None = None
    municipality_id: int | None = None
    type: str | None = None
    status: str | None = None
    free_only: bool = False


def catalogue(db: sqlite_utils.Database, actor: User, area: str,
              filters: ListFilters = ListFilters()) -> list[Programme]:
    """The area's programmes, newest first, with places taken and people waiting."""
    access.require_area(db, actor, area)
    sql = PROGRAMME_SQL + " WHERE g.area_code = :area"
    params: dict[str, object] = {"area": area}
    if filters.unit:
        sql += " AND m.unit_code = :unit"
        params["unit"] = filters.unit
    for column in ("municipality_id", "type", "status"):
        value = getattr(filters, column)
        if value is not None:
            sql += f" AND g.{column} = :{column}"
            params[column] = value
    sql += " ORDER BY g.start_date DESC, g.name COLLATE sl"
    found = [Programme(**{k: v for k, v in r.items() if k in _FIELDS})
             for r in records.named_rows(db.execute(sql, params))]
    if filters.free_only:
        found = [p for p in found if p.free_places > 0]
    return found
