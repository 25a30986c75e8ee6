"""A programme's waiting list: people beyond its capacity, in the order they were put on it.

When a place frees up (an enrolment ends, ``pipeline.apply`` calls
``offer_freed_place``), the first person waiting is offered it: her entry becomes
"offered" and her coordinator gets a task to offer the place. Enrolling her takes
her off the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import audit, records
from workbench.rules import rule_value

OPEN = ("waiting", "offered")


@dataclass(frozen=True)
class Waiting:
    id: int
    participant_id: int
    name: str
    stage: str
    added_on: str
    status: str
    offered_on: str | None
    position: int


def entries(db: sqlite_utils.Database, programme_id: int) -> list[Waiting]:
    """Who waits for the programme, first come first."""
    rows = db.execute(
        "SELECT w.id, w.participant_id, p.first_name || ' ' || p.last_name, p.stage, "
        "w.added_on, w.status, w.offered_on FROM waiting_list w "
        "JOIN participants p ON p.id = w.participant_id "
        "WHERE w.programme_id = ? AND w.status IN ('waiting', 'offered') "
        "ORDER BY w.added_on, w.id", [programme_id]).fetchall()
    return [Waiting(*r, position=n) for n, r in enumerate(rows, 1)]


def entry_of(db: sqlite_utils.Database, programme_id: int, participant_id: int
             ) -> Waiting | None:
    return next((w for w in entries(db, programme_id) if w.participant_id == participant_id),
                None)


def add(db: sqlite_utils.Database, user_id: int, programme_id: int, participant_id: int,
        on: dt.date) -> Waiting:
    """Put her on the list (once); returns her entry, with her place in the queue."""
    found = entry_of(db, programme_id, participant_id)
    if found is None:
        records.insert(db, "waiting_list", {
            "programme_id": programme_id, "participant_id": participant_id,
            "added_on": on.isoformat(), "status": "waiting", "created_by": user_id,
            "created_at": audit.now()}, user_id, participant_id=participant_id)
        found = entry_of(db, programme_id, participant_id)
    return found


def close(db: sqlite_utils.Database, user_id: int | None, programme_id: int,
          participant_id: int, status: str) -> None:
    """Take her off the list: enrolled, or withdrawn."""
    for entry in records.named_rows(db.execute(
            "SELECT * FROM waiting_list WHERE programme_id = ? AND participant_id = ? "
            "AND status IN ('waiting', 'offered')", [programme_id, participant_id])):
        records.update(db, "waiting_list", entry, {"status": status}, user_id,
                       participant_id=participant_id)


def offer_freed_place(db: sqlite_utils.Database, programme_id: int, on: dt.date) -> int | None:
    """A place of the programme is free: offer it to the first person waiting (a task for
    her coordinator, due by the rule ``waiting_offer_days``). Returns her id, if any."""
    first = next((w for w in entries(db, programme_id) if w.status == "waiting"), None)
    if first is None:
        return None
    row = records.row(db, "waiting_list", first.id)
    records.update(db, "waiting_list", row, {"status": "offered",
                                             "offered_on": on.isoformat()},
                   None, participant_id=first.participant_id)
    name, coordinator = db.execute(
        "SELECT g.name, p.coordinator_id FROM programmes g, participants p "
        "WHERE g.id = ? AND p.id = ?", [programme_id, first.participant_id]).fetchone()
    due = on + dt.timedelta(days=int(rule_value(db, "waiting_offer_days", on)))
    # Tasks are the coordinator's own words; the system writes in the workbench's language.
    records.insert(db, "tasks", {
        "participant_id": first.participant_id, "kind": "other",
        "title": f"Ponudite prosto mesto: {name}", "due_date": due.isoformat(),
        "assigned_to": coordinator, "created_at": audit.now()}, None,
        participant_id=first.participant_id)
    return first.participant_id
