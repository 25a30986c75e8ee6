"""The figures behind the charts and the manager's dashboard, aggregated in SQL.

Each function takes the actor and a ``Filters`` and returns a small pandas DataFrame
(at most a few hundred rows: no chart ever draws thousands of points) with a ``count``
column, or ``value`` for hours and rates. Those who see aggregates only (managers,
admins, a trainer on a real database) get every count of a breakdown below the dated
``small_count_threshold`` as missing, with ``shown`` saying "<5" (workbench.disclosure),
so a chart draws no bar and a table or CSV says "<5". The SQL is in module constants so
that the bench can time the raw queries against the pages that show them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
import sqlite_utils

from workbench import access, casework, disclosure, environment, esf, pipeline, vocab
from workbench.auth import User

# The people a chart counts: of the area (every area when None), narrowed by unit,
# municipality, target group, coordinator and programme. Only the filters chosen are in
# the SQL (``sql``): "(:x IS NULL OR ...)" would make SQLite scan every person.
PEOPLE = "__people__"


def people_sql(filters: Filters) -> str:
    """The SQL condition on ``p`` of the people ``filters`` count. A unit or municipality
    narrows the area, never leaves it: a crafted id of another area counts nobody."""
    places = [f"fu.{column} = :{name}" for column, name, value in (
        ("area_code", "area", filters.area), ("code", "unit", filters.unit))
        if value is not None]
    if filters.municipality is not None:
        places.append("fm.id = :municipality")
    conditions = []
    if places:
        conditions.append("p.municipality_id IN (SELECT fm.id FROM municipalities fm JOIN "
                          "csd_units fu ON fu.code = fm.unit_code WHERE "
                          + " AND ".join(places) + ")")
    if filters.target_group is not None:
        conditions.append("p.target_group = :target_group")
    if filters.coordinator is not None:
        conditions.append("p.coordinator_id = :coordinator")
    if filters.programme is not None:
        conditions.append("p.id IN (SELECT fe.participant_id FROM enrolments fe "
                          "WHERE fe.programme_id = :programme)")
    return " AND ".join(conditions) or "1"


def sql(query: str, filters: Filters) -> str:
    """A query of this module for the people ``filters`` count."""
    return query.replace(PEOPLE, people_sql(filters))


# A case open at some time in the period: referred by its end, not finished before it.
_OPEN_IN_PERIOD = ("p.referral_date <= :end AND (p.stage NOT IN "
                   f"({pipeline.sql_list(pipeline.DONE)}) OR p.stage_since >= :start)")

CASELOAD_SQL = f"""
SELECT u.display_name AS coordinator, p.stage, COUNT(*) AS count
FROM participants p JOIN users u ON u.id = p.coordinator_id
WHERE {PEOPLE} AND p.stage IN ({pipeline.ACTIVE_SQL})
GROUP BY u.id, p.stage ORDER BY u.display_name COLLATE sl"""

# How far the people referred in the period got: the furthest funnel stage each reached.
FUNNEL = ("referred", "first_interview", "motivation", "contract", pipeline.IN_PROGRAMME,
          pipeline.EXITED)
_FURTHEST = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(FUNNEL))
FUNNEL_SQL = f"""
SELECT furthest, COUNT(*) AS count FROM (
  SELECT MAX(CASE h.to_stage {_FURTHEST} ELSE 0 END) AS furthest
  FROM participants p JOIN stage_history h ON h.participant_id = p.id
  WHERE {PEOPLE} AND p.referral_date BETWEEN :start AND :end
  GROUP BY h.participant_id)
GROUP BY furthest"""

INFLOW_SQL = f"""
SELECT substr(p.referral_date, 1, 7) AS month, p.referral_source AS source, COUNT(*) AS count
FROM participants p
WHERE {PEOPLE} AND p.referral_date BETWEEN :start AND :end
GROUP BY 1, 2 ORDER BY 1"""

_EXIT_GROUP = " ".join(f"WHEN '{d}' THEN '{g}'" for d, g in vocab.EXIT_GROUPS.items())
EXITS_SQL = f"""
SELECT substr(p.exit_date, 1, 7) AS month,
       CASE p.exit_destination {_EXIT_GROUP} ELSE 'unknown' END AS destination,
       COUNT(*) AS count
FROM participants p
WHERE {PEOPLE} AND p.exit_date BETWEEN :start AND :end
GROUP BY 1, 2 ORDER BY 1"""

# Days in each stage entered during the period, until the next move (or today). From the
# people counted to their moves, in that order (CROSS JOIN): left to itself, SQLite walked
# the whole stage history in index order for the window's PARTITION BY (a SCAN of every
# move in the country for one area), 40 ms against 5-30 ms on the national demo.
STAGE_DAYS = ((0, 7), (8, 30), (31, 90), (91, 180), (181, None))
_BUCKET = " ".join(f"WHEN days <= {high} THEN '{low}'" for low, high in STAGE_DAYS if high)
STAGE_TIME_SQL = f"""
WITH moves AS (
  SELECT h.to_stage AS stage, h.changed_at,
         LEAD(h.changed_at) OVER (PARTITION BY h.participant_id
                                  ORDER BY h.changed_at, h.id) AS next_at
  FROM participants p CROSS JOIN stage_history h ON h.participant_id = p.id
  WHERE {PEOPLE} AND p.referral_date <= :end),
spans AS (
  SELECT stage, CAST(julianday(substr(COALESCE(next_at, :today), 1, 10))
                     - julianday(substr(changed_at, 1, 10)) AS INTEGER) AS days
  FROM moves
  WHERE substr(changed_at, 1, 10) BETWEEN :start AND :end
    AND stage IN ({pipeline.sql_list(FUNNEL[:-1])}))
SELECT stage, CASE {_BUCKET} ELSE '{STAGE_DAYS[-1][0]}' END AS bucket, COUNT(*) AS count,
       CAST(AVG(days) AS INTEGER) AS mean_days
FROM spans GROUP BY 1, 2"""

# Follow-up tasks overdue at the end of each month of the period.
OVERDUE_SQL = f"""
WITH RECURSIVE months(day) AS (
  SELECT date(:start, 'start of month', '+1 month', '-1 day')
  UNION ALL SELECT date(day, '+1 day', '+1 month', '-1 day') FROM months
  WHERE day < date(:end, 'start of month', '+1 month', '-1 day'))
SELECT substr(day, 1, 7) AS month, (
  SELECT COUNT(*) FROM participants p JOIN tasks t ON t.participant_id = p.id
  WHERE {PEOPLE} AND t.kind IN ({pipeline.sql_list(tuple(pipeline.FOLLOW_UPS))})
    AND {casework.overdue_on_sql("t", "min(months.day, :today)")}) AS count
FROM months WHERE day <= date(:today, 'start of month', '+1 month', '-1 day')"""

# Hours present per programme and month, and the share of the hours it planned: from the
# area's programmes through their sessions of the period (an index by programme and date)
# to the people on the list, in that order (CROSS JOIN), not through all their attendance.
_AREA_PROGRAMMES = "(:area IS NULL OR g.area_code = :area)"
ATTENDANCE_SQL = f"""
SELECT g.id AS programme_id, g.name AS programme, substr(s.date, 1, 7) AS month,
       SUM(a.hours) AS hours, SUM(s.hours) AS planned
FROM programmes g CROSS JOIN sessions s ON s.programme_id = g.id
CROSS JOIN attendance a ON a.session_id = s.id CROSS JOIN participants p ON p.id = a.participant_id
WHERE {_AREA_PROGRAMMES} AND s.date BETWEEN :start AND :end AND {PEOPLE}
GROUP BY g.id, 3 ORDER BY 3"""

PLACES_SQL = f"""
SELECT u.name AS unit, m.name AS municipality, COUNT(*) AS count
FROM participants p JOIN municipalities m ON m.id = p.municipality_id
JOIN csd_units u ON u.code = m.unit_code
WHERE {PEOPLE} AND {_OPEN_IN_PERIOD}
GROUP BY m.id ORDER BY u.name COLLATE sl, m.name COLLATE sl"""

TARGET_GROUPS_SQL = f"""
SELECT p.target_group, COUNT(*) AS count FROM participants p
WHERE {PEOPLE} AND {_OPEN_IN_PERIOD} GROUP BY 1"""

_AGE = "(CAST(strftime('%Y', :end) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)"\
       " - (strftime('%m-%d', :end) < substr(p.birth_date, 6, 5)))"
_BAND = " ".join(f"WHEN {_AGE} <= {high} THEN '{label}'" for label, high in esf.AGE_BANDS
                 if high is not None)
SEX_AGE_SQL = f"""
SELECT p.sex, CASE {_BAND} ELSE '{esf.AGE_BANDS[-1][0]}' END AS age_band, COUNT(*) AS count
FROM participants p WHERE {PEOPLE} AND {_OPEN_IN_PERIOD} GROUP BY 1, 2"""

# Everyone included so far, by the month of the first entry (for the targets).
INCLUDED_SQL = f"""
SELECT substr(p.entry_date, 1, 7) AS month, COUNT(*) AS count FROM participants p
WHERE {PEOPLE} AND p.entry_date IS NOT NULL AND p.entry_date <= :today
GROUP BY 1 ORDER BY 1"""

KEY_FIGURES_SQL = f"""
SELECT
  (SELECT COUNT(*) FROM participants p WHERE {PEOPLE}
     AND p.referral_date BETWEEN :start AND :end) AS referrals,
  (SELECT COUNT(*) FROM participants p WHERE {PEOPLE}
     AND p.entry_date BETWEEN :start AND :end) AS included,
  (SELECT COUNT(*) FROM participants p WHERE {PEOPLE}
     AND p.exit_date BETWEEN :start AND :end) AS exits,
  (SELECT COALESCE(SUM(a.hours), 0) FROM programmes g
     CROSS JOIN sessions s ON s.programme_id = g.id
     CROSS JOIN attendance a ON a.session_id = s.id
     CROSS JOIN participants p ON p.id = a.participant_id
     WHERE {_AREA_PROGRAMMES} AND s.date BETWEEN :start AND :end AND {PEOPLE}) AS hours"""

ACTIVE_NOW_SQL = f"""
SELECT COUNT(*) FROM participants p WHERE {PEOPLE} AND p.stage IN ({pipeline.ACTIVE_SQL})"""

OVERDUE_NOW_SQL = f"""
SELECT COUNT(*) FROM participants p JOIN tasks t ON t.participant_id = p.id
WHERE {PEOPLE} AND {casework.overdue_sql("t")}"""


@dataclass(frozen=True)
class Filters:
    """What a chart counts: a period and, optionally, narrower groups of people."""
    start: dt.date
    end: dt.date
    area: str | None = None          # None: every area (a national account)
    unit: str | None = None
    municipality: int | None = None
    programme: int | None = None
    target_group: str | None = None
    coordinator: int | None = None
    kind: str = "custom"             # how the period was chosen (see ``previous``)

    def params(self, today: dt.date) -> dict[str, object]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "today": today.isoformat(), "area": self.area, "unit": self.unit,
                "municipality": self.municipality, "programme": self.programme,
                "target_group": self.target_group, "coordinator": self.coordinator}

    def previous(self) -> Filters:
        """What the period is compared with: this month, quarter or year so far against
        the same days of the month, quarter or year before; a custom period against the
        days of the same number just before it."""
        months = {"month": 1, "quarter": 3, "year": 12}.get(self.kind)
        if months is None:
            days = (self.end - self.start).days + 1
            return replace(self, start=self.start - dt.timedelta(days=days),
                           end=self.start - dt.timedelta(days=1))
        return replace(self, start=_months_back(self.start, months),
                       end=_months_back(self.end, months))


PERIODS = ("month", "quarter", "year", "custom")


def _months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """This month, quarter or year up to today (``custom`` starts as this year)."""
    if kind == "month":
        return today.replace(day=1), today
    if kind == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    return today.replace(month=1, day=1), today


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Every month of the period as YYYY-MM, so that a month without events shows as 0."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


def _allowed(db: sqlite_utils.Database, actor: User, filters: Filters) -> bool:
    """Checks the actor may count these people; True when she sees exact counts."""
    access.require_totals(actor, filters.area)  # also: no national counts for an area account
    if filters.coordinator is not None and filters.area is not None:
        row = db.execute("SELECT area_code FROM users WHERE id = ?",
                         [filters.coordinator]).fetchone()
        if row is None or row[0] != filters.area:
            raise access.Forbidden("error.forbidden")
    return access.may_see_names(actor, environment.is_training(db))


def _frame(db: sqlite_utils.Database, query: str, params: dict) -> pd.DataFrame:
    cursor = db.execute(query, params)
    return pd.DataFrame(cursor.fetchall(), columns=[c[0] for c in cursor.description])


def _protect(db: sqlite_utils.Database, frame: pd.DataFrame, exact: bool,
             today: dt.date, column: str = "count") -> pd.DataFrame:
    """``shown`` as a table says it; small counts missing for aggregate-only viewers."""
    frame = frame.copy()
    if exact:
        frame["shown"] = frame[column].astype(str) if len(frame) else pd.Series(dtype=str)
        return frame
    limit = disclosure.threshold(db, today)
    frame["shown"] = [str(disclosure.shown(int(n), limit)) for n in frame[column]]
    # Missing, not zero: a chart draws no bar and a sum skips it.
    frame[column] = frame[column].astype(float).mask(
        (frame[column] > 0) & (frame[column] < limit))
    return frame


def _counts(db: sqlite_utils.Database, actor: User, filters: Filters, today: dt.date,
            query: str) -> pd.DataFrame:
    """A query's rows as they may be shown to the actor."""
    exact = _allowed(db, actor, filters)
    return _protect(db, _frame(db, sql(query, filters), filters.params(today)), exact, today)


def caseload(db: sqlite_utils.Database, actor: User, filters: Filters,
             today: dt.date) -> pd.DataFrame:
    """Active cases per coordinator and stage (today's, whatever the period)."""
    return _counts(db, actor, filters, today, CASELOAD_SQL)


def funnel(db: sqlite_utils.Database, actor: User, filters: Filters,
           today: dt.date) -> pd.DataFrame:
    """Of the people referred in the period, how many reached each stage, and the share
    of the stage before that went on (``rate``, 0-1; missing where a count is hidden)."""
    exact = _allowed(db, actor, filters)
    furthest = dict(db.execute(sql(FUNNEL_SQL, filters), filters.params(today)).fetchall())
    reached = [sum(n for i, n in furthest.items() if i >= index)
               for index in range(len(FUNNEL))]
    frame = _protect(db, pd.DataFrame({"stage": FUNNEL, "count": reached}), exact, today)
    shown = frame["count"]
    rates = [None] + [float(shown[i]) / float(shown[i - 1])
                      if not (pd.isna(shown[i]) or pd.isna(shown[i - 1])) and shown[i - 1]
                      else None for i in range(1, len(FUNNEL))]
    frame["rate"] = rates
    return frame


def _monthly(db: sqlite_utils.Database, query: str, key: str, keys: tuple[str, ...],
             filters: Filters, today: dt.date, exact: bool) -> pd.DataFrame:
    found = _frame(db, sql(query, filters), filters.params(today))
    index = pd.MultiIndex.from_product([months_between(filters.start, filters.end), keys],
                                       names=["month", key])
    full = found.set_index(["month", key])["count"].reindex(index, fill_value=0)
    return _protect(db, full.reset_index(), exact, today)


def inflow(db: sqlite_utils.Database, actor: User, filters: Filters,
           today: dt.date) -> pd.DataFrame:
    """New referrals per month and source."""
    exact = _allowed(db, actor, filters)
    return _monthly(db, INFLOW_SQL, "source", vocab.REFERRAL_SOURCES, filters, today, exact)


def exits(db: sqlite_utils.Database, actor: User, filters: Filters,
          today: dt.date) -> pd.DataFrame:
    """Exits from a programme per month, by where the people went."""
    exact = _allowed(db, actor, filters)
    return _monthly(db, EXITS_SQL, "destination", (*vocab.EXIT_GROUP_ORDER, "unknown"),
                    filters, today, exact)


def stage_time(db: sqlite_utils.Database, actor: User, filters: Filters,
               today: dt.date) -> pd.DataFrame:
    """How long the stages entered in the period lasted: a count per stage and span of
    days (``bucket`` is the span's first day), with the mean days of each."""
    exact = _allowed(db, actor, filters)
    found = _frame(db, sql(STAGE_TIME_SQL, filters), filters.params(today))
    found["bucket"] = found["bucket"].astype(int)
    return _protect(db, found, exact, today)


def overdue(db: sqlite_utils.Database, actor: User, filters: Filters,
            today: dt.date) -> pd.DataFrame:
    """Follow-ups overdue at the end of each month of the period (today for this one)."""
    return _counts(db, actor, filters, today, OVERDUE_SQL)


def attendance(db: sqlite_utils.Database, actor: User, filters: Filters,
               today: dt.date) -> pd.DataFrame:
    """Hours present per programme and month, with ``rate``: hours present over hours
    planned for the people on the list. Totals, not counts of people: never hidden."""
    _allowed(db, actor, filters)
    frame = _frame(db, sql(ATTENDANCE_SQL, filters), filters.params(today))
    if filters.programme is not None:  # her hours in that programme, not in others
        frame = frame[frame["programme_id"] == filters.programme].reset_index(drop=True)
    frame["rate"] = (frame["hours"] / frame["planned"]).where(frame["planned"] > 0)
    return frame


def places(db: sqlite_utils.Database, actor: User, filters: Filters,
           today: dt.date) -> pd.DataFrame:
    """People with a case open in the period, by CSD unit and municipality."""
    return _counts(db, actor, filters, today, PLACES_SQL)


def target_groups(db: sqlite_utils.Database, actor: User, filters: Filters,
                  today: dt.date) -> pd.DataFrame:
    exact = _allowed(db, actor, filters)
    found = dict(db.execute(sql(TARGET_GROUPS_SQL, filters), filters.params(today)).fetchall())
    frame = pd.DataFrame({"target_group": vocab.TARGET_GROUPS,
                          "count": [found.get(g, 0) for g in vocab.TARGET_GROUPS]})
    return _protect(db, frame, exact, today)


def sex_age(db: sqlite_utils.Database, actor: User, filters: Filters,
            today: dt.date) -> pd.DataFrame:
    """People with a case open in the period by sex and age band (age at its end)."""
    exact = _allowed(db, actor, filters)
    found = _frame(db, sql(SEX_AGE_SQL, filters), filters.params(today))
    found = found.set_index(["sex", "age_band"])
    index = pd.MultiIndex.from_product([vocab.SEXES, [b for b, _ in esf.AGE_BANDS]],
                                       names=["sex", "age_band"])
    full = found["count"].reindex(index, fill_value=0).reset_index()
    return _protect(db, full, exact, today)


@dataclass(frozen=True)
class Target:
    due: dt.date
    people: int


def targets(db: sqlite_utils.Database, area: str | None) -> list[Target]:
    """The inclusion targets: each a dated row of the rules (the day it is due by)."""
    name = "inclusion_target_national" if area is None else f"inclusion_target_{area}"
    return [Target(dt.date.fromisoformat(day), int(value)) for value, day in db.execute(
        "SELECT value, effective_from FROM rules WHERE name = ? ORDER BY effective_from",
        [name])]


MONTH_DAYS = 365.25 / 12
PACE_MONTHS = 12


@dataclass(frozen=True)
class Progress:
    monthly: pd.DataFrame       # month, count, cumulative (all included so far)
    targets: list[Target]
    pace: float                 # people a month, over the last 12 complete months
    projection: pd.DataFrame    # day, cumulative: today, then each month's end to the target
    included: int
    today: dt.date

    def projected(self, day: dt.date) -> float:
        """How many will have been included by ``day`` if the pace holds."""
        return self.included + self.pace * max((day - self.today).days, 0) / MONTH_DAYS

    def reached_by(self, day: dt.date) -> int:
        month = day.strftime("%Y-%m")
        done = self.monthly[self.monthly["month"] <= month]["cumulative"]
        return int(done.iloc[-1]) if len(done) else 0

    def standing(self, goal: Target) -> tuple[str, int]:
        """Where a target stands: ``reached``, ``missed`` (with the count reached by its
        day), ``on_pace`` or ``behind`` (with the projection for its day)."""
        if goal.due < self.today:
            reached = self.reached_by(goal.due)
            return ("reached" if reached >= goal.people else "missed"), reached
        if self.included >= goal.people:
            return "reached", self.included
        projected = round(self.projected(goal.due))
        return ("on_pace" if projected >= goal.people else "behind"), projected


def progress(db: sqlite_utils.Database, actor: User, filters: Filters,
             today: dt.date) -> Progress:
    """People included so far (by first entry) against the targets, and where the pace of
    the last 12 complete months leads. Whole-area totals: the period and groups do not
    apply."""
    _allowed(db, actor, filters)
    whole = Filters(start=filters.start, end=filters.end, area=filters.area)
    found = _frame(db, sql(INCLUDED_SQL, whole), whole.params(today))
    first = found["month"].iloc[0] if len(found) else today.strftime("%Y-%m")
    months = months_between(dt.date.fromisoformat(f"{first}-01"), today)
    monthly = found.set_index("month")["count"].reindex(months, fill_value=0).reset_index()
    monthly.columns = ["month", "count"]
    monthly["cumulative"] = monthly["count"].cumsum()
    included = int(monthly["cumulative"].iloc[-1]) if len(monthly) else 0
    complete = monthly["count"].iloc[:-1].iloc[-PACE_MONTHS:]  # this month is not over
    pace = float(complete.sum()) / max(len(complete), 1)
    goals = targets(db, filters.area)
    horizon = max([t.due for t in goals if t.due > today], default=None) \
        or dt.date(today.year + 1, 12, 31)
    ends = [dt.date.fromisoformat(f"{m}-01") for m in months_between(today, horizon)[1:]]
    days = [today, *(d - dt.timedelta(days=1) for d in ends), horizon]
    result = Progress(monthly, goals, pace, pd.DataFrame({"day": days}), included, today)
    result.projection["cumulative"] = [result.projected(d) for d in days]
    return result


@dataclass(frozen=True)
class KeyFigures:
    referrals: int
    included: int
    exits: int
    hours: float
    active: int
    overdue: int
    previous: dict[str, float]   # the same figures of the period before


def key_figures(db: sqlite_utils.Database, actor: User, filters: Filters,
                today: dt.date) -> KeyFigures:
    """The dashboard's headline totals, with the same totals of the period before."""
    _allowed(db, actor, filters)
    now = db.execute(sql(KEY_FIGURES_SQL, filters), filters.params(today)).fetchone()
    before = db.execute(sql(KEY_FIGURES_SQL, filters), filters.previous().params(today)
                        ).fetchone()
    params = filters.params(today)
    return KeyFigures(
        referrals=now[0], included=now[1], exits=now[2], hours=float(now[3]),
        active=db.execute(sql(ACTIVE_NOW_SQL, filters), params).fetchone()[0],
        overdue=db.execute(sql(OVERDUE_NOW_SQL, filters), params).fetchone()[0],
        previous=dict(zip(("referrals", "included", "exits", "hours"), before, strict=True)))


def programme_names(db: sqlite_utils.Database, actor: User, area: str | None) -> dict[int, str]:
    """The area's programmes for a filter, newest first: names of programmes, not people."""
    access.require_totals(actor, area)
    return dict(db.execute("SELECT id, name FROM programmes WHERE :area IS NULL "
                           "OR area_code = :area ORDER BY start_date DESC, name COLLATE sl",
                           {"area": area}).fetchall())


ALL_QUERIES = {"caseload": CASELOAD_SQL, "funnel": FUNNEL_SQL, "inflow": INFLOW_SQL,
               "exits": EXITS_SQL, "stage_time": STAGE_TIME_SQL, "overdue": OVERDUE_SQL,
               "attendance": ATTENDANCE_SQL, "places": PLACES_SQL,
               "target_groups": TARGET_GROUPS_SQL, "sex_age": SEX_AGE_SQL,
               "included": INCLUDED_SQL, "key_figures": KEY_FIGURES_SQL,
               "active_now": ACTIVE_NOW_SQL, "overdue_now": OVERDUE_NOW_SQL}
