"""The home page ("Pregled"): a coordinator's day, or a region's totals without names.

The SQL lives in module constants so that the benchmark can time the raw
queries against the page that shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, casework, disclosure, pipeline, places
from workbench.auth import User
from workbench.vocab import TARGET_GROUPS

_ACTIVE = pipeline.ACTIVE_SQL
ACTIVE_STAGES = pipeline.ACTIVE

COORDINATOR_STAGE_COUNTS_SQL = f"""
SELECT stage, COUNT(*) FROM participants
WHERE coordinator_id = :coordinator AND stage IN ({_ACTIVE})
GROUP BY stage
"""

COORDINATOR_WEEK_SESSIONS_SQL = """
SELECT s.date, s.start_time, s.kind, s.title, s.location, m.name, s.hours,
       p.first_name || ' ' || p.last_name
FROM sessions s
LEFT JOIN municipalities m ON m.id = s.municipality_id
LEFT JOIN participants p ON p.id = s.participant_id
WHERE s.coordinator_id = :coordinator AND s.date BETWEEN :week_start AND :week_end
  AND s.cancelled_at IS NULL
ORDER BY s.date, s.start_time
"""

COORDINATOR_OVERDUE_SQL = f"""
SELECT t.due_date, t.kind, t.title, p.first_name || ' ' || p.last_name, m.name, p.id
FROM tasks t
JOIN participants p ON p.id = t.participant_id
JOIN municipalities m ON m.id = p.municipality_id
WHERE t.assigned_to = :coordinator AND {casework.overdue_sql("t")}
ORDER BY t.due_date
"""

# Region totals. Filtering by "municipality IN (the area's municipalities)"
# lets SQLite seek into the participant/session indexes per municipality
# instead of scanning every row nationally (see tests/test_overview.py).
_AREA_MUNICIPALITIES = places.AREA_MUNICIPALITIES

# Active cases by stage: the same definition of "active" as the headline figure.
REGION_STAGE_COUNTS_SQL = f"""
SELECT p.stage, COUNT(*) FROM participants p
WHERE p.municipality_id IN {_AREA_MUNICIPALITIES} AND p.stage IN ({_ACTIVE})
GROUP BY p.stage
"""

REGION_PEOPLE_SQL = f"""
SELECT COUNT(*) FROM participants p WHERE p.municipality_id IN {_AREA_MUNICIPALITIES}
"""

REGION_UNIT_COUNTS_SQL = f"""
SELECT u.name, COUNT(*) FROM csd_units u
JOIN municipalities m ON m.unit_code = u.code
JOIN participants p ON p.municipality_id = m.id
WHERE u.area_code = :area AND p.stage IN ({_ACTIVE})
GROUP BY u.name ORDER BY u.name COLLATE sl
"""

REGION_TARGET_GROUP_COUNTS_SQL = f"""
SELECT p.target_group, COUNT(*) FROM participants p
WHERE p.municipality_id IN {_AREA_MUNICIPALITIES} AND p.stage IN ({_ACTIVE})
GROUP BY p.target_group
"""

REGION_INCLUDED_SQL = f"""
SELECT COUNT(*) FROM participants p
WHERE p.municipality_id IN {_AREA_MUNICIPALITIES} AND p.entry_date >= :year_start
"""

REGION_OVERDUE_SQL = f"""
SELECT COUNT(*) FROM tasks t JOIN participants p ON p.id = t.participant_id
WHERE p.municipality_id IN {_AREA_MUNICIPALITIES}
  AND {casework.overdue_sql("t")}
"""

REGION_SESSIONS_WEEK_SQL = f"""
SELECT COUNT(*) FROM sessions s
WHERE s.municipality_id IN {_AREA_MUNICIPALITIES}
  AND s.date BETWEEN :week_start AND :week_end AND s.cancelled_at IS NULL
"""

REGION_HOURS_MONTH_SQL = f"""
SELECT COALESCE(SUM(a.hours), 0) FROM sessions s
JOIN attendance a ON a.session_id = s.id
WHERE s.municipality_id IN {_AREA_MUNICIPALITIES}
  AND s.date BETWEEN :month_start AND :today
"""


@dataclass(frozen=True)
class WeekSession:
    date: str
    start_time: str
    kind: str
    title: str
    location: str | None
    municipality: str | None
    hours: float
    participant: str | None


@dataclass(frozen=True)
class OverdueTask:
    due_date: str
    kind: str
    title: str | None
    participant: str
    municipality: str
    days_overdue: int
    participant_id: int


@dataclass(frozen=True)
class CoordinatorOverview:
    week_start: dt.date
    week_end: dt.date
    stage_counts: dict[str, int]
    week_sessions: tuple[WeekSession, ...]
    overdue: tuple[OverdueTask, ...]

    @property
    def active_cases(self) -> int:
        return sum(self.stage_counts.values())


@dataclass(frozen=True)
class RegionOverview:
    area: str
    year: int
    week_start: dt.date
    week_end: dt.date
    stage_counts: dict[str, int | str]   # breakdowns: small counts as "<5" (disclosure)
    participants_total: int
    included_this_year: int
    overdue_tasks: int
    sessions_this_week: int
    hours_this_month: float
    unit_counts: dict[str, int | str]
    target_group_counts: dict[str, int | str]
    active_cases: int


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=today.weekday())
    return start, start + dt.timedelta(days=6)


def query_params(today: dt.date, coordinator_id: int | None = None,
                 area: str = "gorenjska") -> dict[str, object]:
    """The named parameters every home-page query draws from (the bench times the same)."""
    week_start, week_end = week_bounds(today)
    return {"coordinator": coordinator_id, "area": area, "today": today.isoformat(),
            "week_start": week_start.isoformat(), "week_end": week_end.isoformat(),
            "month_start": today.replace(day=1).isoformat(),
            "year_start": today.replace(month=1, day=1).isoformat()}


def _ordered_counts(rows, keys) -> dict[str, int]:
    counts = dict(rows)
    return {key: counts.get(key, 0) for key in keys}


def coordinator_overview(db: sqlite_utils.Database, actor: User, coordinator_id: int,
                         today: dt.date) -> CoordinatorOverview:
    """A coordinator's day, with the names of her people: casework of her area."""
    area = db.execute("SELECT area_code FROM users WHERE id = ?", [coordinator_id]).fetchone()
    access.require_area(db, actor, area[0] if area else None)
    week_start, week_end = week_bounds(today)
    params = query_params(today, coordinator_id=coordinator_id)
    stage_counts = _ordered_counts(
        db.execute(COORDINATOR_STAGE_COUNTS_SQL, params).fetchall(), ACTIVE_STAGES)
    sessions = tuple(WeekSession(*row)
                     for row in db.execute(COORDINATOR_WEEK_SESSIONS_SQL, params))
    overdue = tuple(
        OverdueTask(due, kind, title, person, muni, (today - dt.date.fromisoformat(due)).days,
                    pid)
        for due, kind, title, person, muni, pid in db.execute(COORDINATOR_OVERDUE_SQL, params))
    return CoordinatorOverview(week_start, week_end, stage_counts, sessions, overdue)


def region_overview(db: sqlite_utils.Database, actor: User, today: dt.date,
                    area: str = "gorenjska") -> RegionOverview:
    """The area's totals without names: any active account of the area (one area: no
    national version)."""
    access.require_area_totals(actor, area)
    week_start, week_end = week_bounds(today)
    params = query_params(today, area=area)

    def scalar(sql: str):
        return db.execute(sql, params).fetchone()[0]

    stage_counts = _ordered_counts(
        db.execute(REGION_STAGE_COUNTS_SQL, params).fetchall(), ACTIVE_STAGES)
    limit = disclosure.threshold(db, today)
    return RegionOverview(
        area=area, year=today.year, week_start=week_start, week_end=week_end,
        stage_counts=disclosure.breakdown(stage_counts, limit),
        active_cases=sum(stage_counts.values()),
        participants_total=scalar(REGION_PEOPLE_SQL),
        included_this_year=scalar(REGION_INCLUDED_SQL),
        overdue_tasks=scalar(REGION_OVERDUE_SQL),
        sessions_this_week=scalar(REGION_SESSIONS_WEEK_SQL),
        hours_this_month=float(scalar(REGION_HOURS_MONTH_SQL)),
        unit_counts=disclosure.breakdown(
            dict(db.execute(REGION_UNIT_COUNTS_SQL, params).fetchall()), limit),
        target_group_counts=disclosure.breakdown(_ordered_counts(
            db.execute(REGION_TARGET_GROUP_COUNTS_SQL, params).fetchall(), TARGET_GROUPS),
            limit),
    )


ALL_QUERIES = {
    "coordinator": (COORDINATOR_STAGE_COUNTS_SQL, COORDINATOR_WEEK_SESSIONS_SQL,
                    COORDINATOR_OVERDUE_SQL),
    "region": (REGION_STAGE_COUNTS_SQL, REGION_PEOPLE_SQL, REGION_UNIT_COUNTS_SQL,
               REGION_TARGET_GROUP_COUNTS_SQL, REGION_INCLUDED_SQL, REGION_OVERDUE_SQL,
               REGION_SESSIONS_WEEK_SQL,
               REGION_HOURS_MONTH_SQL),
}
