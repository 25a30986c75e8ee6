"""The caseload board of one coordinator, and the workload of the area's coordinators.

One query per board: the coordinator's people (index on coordinator and
stage) with their next open task and latest programme (indexes by
participant). Filters are fixed SQL fragments with bound values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, casework, disclosure, environment, pipeline, records, text
from workbench.auth import User

FINISHED_STAGES = pipeline.DONE
# Finished cases stay on the board for a while, then only search finds them.
FINISHED_VISIBLE_DAYS = 90
CARDS_PER_COLUMN = 30


@dataclass(frozen=True)
class Filters:
    unit: str | None = None
    municipality_id: int | None = None
    target_group: str | None = None
    programme_id: int | None = None
    overdue_only: bool = False
    search: str = ""
    include_finished: bool = False


@dataclass(frozen=True)
class Card:
    id: int
    name: str
    municipality: str
    stage: str
    days_in_stage: int
    next_due: dt.date | None
    overdue: bool
    target_group: str
    programme: str | None


@dataclass(frozen=True)
class Board:
    stages: tuple[str, ...]
    columns: dict[str, list[Card]]

    @property
    def counts(self) -> dict[str, int]:
        return {stage: len(self.columns[stage]) for stage in self.stages}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


BOARD_SQL = f"""
SELECT p.id, p.first_name || ' ' || p.last_name AS name, m.name AS municipality, p.stage,
       p.stage_since,
       (SELECT MIN(t.due_date) FROM tasks t
        WHERE t.participant_id = p.id AND t.done_at IS NULL) AS next_due,
       p.target_group, g.name AS programme
FROM participants p
JOIN municipalities m ON m.id = p.municipality_id
{pipeline.LATEST_ENROLMENT_JOIN}
WHERE p.coordinator_id = :coordinator
  AND (p.stage IN ({pipeline.ACTIVE_SQL})
       OR (p.stage IN ({pipeline.sql_list(FINISHED_STAGES)})
           AND p.stage_since >= :finished_since))
"""

# Each filter adds a fixed fragment; values are always bound, never pasted in.
_FILTER_SQL = {
    "unit": "m.unit_code = :unit",
    "municipality_id": "p.municipality_id = :municipality_id",
    "target_group": "p.target_group = :target_group",
    "programme_id": "e.programme_id = :programme_id",
}


def board_query(coordinator_id: int, today: dt.date, filters: Filters) -> tuple[str, dict]:
    """The board's SQL and parameters (shared by the page, the benchmark and the index test)."""
    sql = BOARD_SQL
    finished_since = (today - dt.timedelta(days=FINISHED_VISIBLE_DAYS)).isoformat()
    params: dict[str, object] = {
        "coordinator": coordinator_id,
        # Without "include finished", no finished case is recent enough to show.
        "finished_since": finished_since if filters.include_finished else "9999-12-31"}
    for name, fragment in _FILTER_SQL.items():
        value = getattr(filters, name)
        if value is not None:
            sql += f"  AND {fragment}\n"
            params[name] = value
    for i, word in enumerate(text.search_words(filters.search)):
        sql += f"  AND p.name_key LIKE :w{i}\n"
        params[f"w{i}"] = f"% {word}%"
    if filters.overdue_only:
        sql += "  AND next_due < :today\n"
    params["today"] = today.isoformat()
    return sql + "ORDER BY p.stage_since, p.last_name COLLATE sl, p.first_name COLLATE sl", params


def caseload_board(db: sqlite_utils.Database, actor: User, coordinator_id: int,
                   today: dt.date, filters: Filters = Filters()) -> Board:
    """A coordinator's people by stage (hers or a colleague's of the same area)."""
    access.require_area(db, actor, _area_of_user(db, coordinator_id))
    sql, params = board_query(coordinator_id, today, filters)
    stages = pipeline.ACTIVE + (FINISHED_STAGES if filters.include_finished else ())
    columns: dict[str, list[Card]] = {stage: [] for stage in stages}
    for row in records.named_rows(db.execute(sql, params)):
        due = dt.date.fromisoformat(row["next_due"]) if row["next_due"] else None
        columns[row["stage"]].append(Card(
            row["id"], row["name"], row["municipality"], row["stage"],
            (today - dt.date.fromisoformat(row["stage_since"][:10])).days, due,
            casework.is_overdue(due, None, today), row["target_group"], row["programme"]))
    return Board(stages, columns)


def _area_of_user(db: sqlite_utils.Database, user_id: int) -> str | None:
    row = db.execute("SELECT area_code FROM users WHERE id = ?", [user_id]).fetchone()
    return row[0] if row else None


# -- workload of the area's coordinators ------------------------------------------------------
@dataclass(frozen=True)
class Workload:
    coordinator_id: int
    coordinator: str
    active_cases: int | str      # "<5" for those who see aggregates only (disclosure)
    overdue_tasks: int | str
    new_referrals: int | str


WORKLOAD_SQL = f"""
SELECT u.id, u.display_name,
  (SELECT COUNT(*) FROM participants p
   WHERE p.coordinator_id = u.id AND p.stage IN ({pipeline.ACTIVE_SQL})) AS active_cases,
  (SELECT COUNT(*) FROM tasks t
   WHERE t.assigned_to = u.id AND {casework.overdue_sql("t")}) AS overdue,
  (SELECT COUNT(*) FROM participants p
   WHERE p.coordinator_id = u.id AND p.referral_date >= :month_start) AS new_referrals
FROM users u
WHERE u.role = 'coordinator' AND u.active = 1 AND u.area_code = :area
ORDER BY u.display_name COLLATE sl"""


def workload_params(area: str, today: dt.date) -> dict[str, object]:
    return {"area": area, "today": today.isoformat(),
            "month_start": today.replace(day=1).isoformat()}


def workload(db: sqlite_utils.Database, actor: User, area: str,
             today: dt.date) -> list[Workload]:
    """Counts per coordinator (no person named): any active account of the area; for those
    who see aggregates only, a count below the small-count threshold reads "<5"."""
    access.require_area_totals(actor, area)  # one area: no national version
    rows = [Workload(*row) for row in db.execute(WORKLOAD_SQL, workload_params(area, today))]
    if access.may_see_names(actor, environment.is_training(db)):
        return rows
    limit = disclosure.threshold(db, today)
    return [Workload(r.coordinator_id, r.coordinator,
                     *(disclosure.shown(n, limit)
                       for n in (r.active_cases, r.overdue_tasks, r.new_referrals)))
            for r in rows]
