"""A programme's waiting list: people beyond its capacity, in the order they were put on it,
and the freed place held for the person it is offered to.

When a place frees up (an enrolment ends, ``pipeline.apply`` calls
``offer_freed_place``), the first person waiting is offered it: her entry becomes
"offered", held for her until ``offer_until`` (the offer day plus the rule
``waiting_offer_days`` in force that day), and her coordinator gets a task to offer
the place. While the offer is open nobody else can take that place (``held``). She
takes it up by enrolling (``close`` with "enrolled" closes the task too), declines it
(``decline``, with a reason) or lets it lapse; either way the place goes to the next
person waiting. There is no scheduled job: ``settle`` lapses the offers past their day
and offers the places they held whenever someone looks at the programme or enrols.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import audit, records, text
from workbench.errors import UserError
from workbench.rules import rule_value

OPEN = ("waiting", "offered")
CLOSED = ("enrolled", "withdrawn", "declined", "lapsed")


@dataclass(frozen=True)
class Waiting:
    id: int
    participant_id: int
    name: str
    stage: str
    added_on: str
    status: str
    offered_on: str | None
    offer_until: str | None
    version: int
    position: int


def entries(db: sqlite_utils.Database, programme_id: int) -> list[Waiting]:
    """Who waits for the programme, first come first."""
    rows = db.execute(
        "SELECT w.id, w.participant_id, p.first_name || ' ' || p.last_name, p.stage, "
        "w.added_on, w.status, w.offered_on, w.offer_until, w.version FROM waiting_list w "
        "JOIN participants p ON p.id = w.participant_id "
        "WHERE w.programme_id = ? AND w.status IN ('waiting', 'offered') "
        "ORDER BY w.added_on, w.id", [programme_id]).fetchall()
    return [Waiting(*r, position=n) for n, r in enumerate(rows, 1)]


def entry_of(db: sqlite_utils.Database, programme_id: int, participant_id: int
             ) -> Waiting | None:
    return next((w for w in entries(db, programme_id) if w.participant_id == participant_id),
                None)


def held(db: sqlite_utils.Database, programme_id: int, today: dt.date) -> list[Waiting]:
    """The open offers: places nobody but the person offered can take until their day."""
    return [w for w in entries(db, programme_id)
            if w.status == "offered" and w.offer_until >= today.isoformat()]


@dataclass(frozen=True)
class Offer:
    """An open offer of a place to one person, as her record shows it."""
    programme_id: int
    programme: str
    offered_on: str
    offer_until: str
    version: int
    programme_type: str = "short"   # a long one asks for the exception reason when needed
    programme_start: str = ""       # the planned start offered by default


def offers_of(db: sqlite_utils.Database, participant_id: int, today: dt.date) -> list[Offer]:
    """Her open offers (not lapsed by ``today``)."""
    rows = db.execute(
        "SELECT w.programme_id, g.name, w.offered_on, w.offer_until, w.version, g.type, "
        "g.start_date FROM waiting_list w JOIN programmes g ON g.id = w.programme_id "
        "WHERE w.participant_id = ? AND w.status = 'offered' AND w.offer_until >= ? "
        "ORDER BY w.offer_until, g.name COLLATE sl", [participant_id, today.isoformat()]).fetchall()
    return [Offer(*r) for r in rows]


def free_places(db: sqlite_utils.Database, programme_id: int, today: dt.date,
                for_person: int | None = None) -> int:
    """Places nobody holds: the capacity less the enrolments and the open offers (of
    anyone but ``for_person``, for whom her own offer's place is free)."""
    capacity, taken = db.execute(
        "SELECT g.capacity, (SELECT COUNT(*) FROM enrolments e WHERE e.programme_id = g.id "
        "AND e.status = 'active') FROM programmes g WHERE g.id = ?", [programme_id]).fetchone()
    others = [w for w in held(db, programme_id, today) if w.participant_id != for_person]
    return capacity - taken - len(others)


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


def _finish(db: sqlite_utils.Database, user_id: int | None, entry: dict, status: str,
            on: dt.date, reason: str | None = None) -> None:
    """Close an open entry; an offer's task is done with it (taken up, declined, lapsed)."""
    changes: dict[str, object] = {"status": status, "closed_on": on.isoformat()}
    if reason is not None:
        changes["reason"] = reason
    records.update(db, "waiting_list", entry, changes, user_id,
                   participant_id=entry["participant_id"], reason=reason)
    task = entry["offer_task_id"]
    if task is not None and db.execute("SELECT done_at FROM tasks WHERE id = ?",
                                       [task]).fetchone()[0] is None:
        db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [on.isoformat(), task])
        audit.log_changes(db, user_id, "tasks", task, entry["participant_id"], "update",
                          {"done_at": (None, on.isoformat())})


def _open_rows(db: sqlite_utils.Database, programme_id: int, participant_id: int
               ) -> list[dict]:
    return records.named_rows(db.execute(
        "SELECT * FROM waiting_list WHERE programme_id = ? AND participant_id = ? "
        "AND status IN ('waiting', 'offered')", [programme_id, participant_id]))


def close(db: sqlite_utils.Database, user_id: int | None, programme_id: int,
          participant_id: int, status: str, on: dt.date) -> None:
    """Take her off the list: enrolled, or withdrawn (an offer's task is done with it; the
    caller passes on a place she held and did not take, ``settle``)."""
    for entry in _open_rows(db, programme_id, participant_id):
        _finish(db, user_id, entry, status, on)


def decline(db: sqlite_utils.Database, user_id: int, programme_id: int, participant_id: int,
            reason: str, today: dt.date) -> int | None:
    """She declines the place offered to her (``reason`` kept with her entry and in the
    change log); it goes to the next person waiting, whose id is returned."""
    settle(db, programme_id, today)
    offer = next((e for e in _open_rows(db, programme_id, participant_id)
                  if e["status"] == "offered"), None)
    if offer is None:
        raise UserError("error.no_open_offer")
    cleaned = text.clean_reason(reason, names=records.person_names(db, participant_id),
                                required=True)
    _finish(db, user_id, offer, "declined", today, cleaned)
    return offer_freed_place(db, programme_id, today)


def settle(db: sqlite_utils.Database, programme_id: int, today: dt.date) -> list[int]:
    """Lapse the offers past their day, then offer every place nobody holds to the people
    waiting, first come first; returns who was offered a place now. In the caller's
    transaction; the system acts (no user)."""
    for entry in records.named_rows(db.execute(
            "SELECT * FROM waiting_list WHERE programme_id = ? AND status = 'offered' "
            "AND offer_until < ?", [programme_id, today.isoformat()])):
        _finish(db, None, entry, "lapsed", today)
    offered = []
    while free_places(db, programme_id, today) > 0:
        first = next((w for w in entries(db, programme_id) if w.status == "waiting"), None)
        if first is None:
            break
        _offer(db, programme_id, first, today)
        offered.append(first.participant_id)
    return offered


def lapsed_programmes(db: sqlite_utils.Database, today: dt.date) -> list[int]:
    """Programmes with an offer past its day, still to be passed on (``settle``)."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT programme_id FROM waiting_list WHERE status = 'offered' "
        "AND offer_until < ?", [today.isoformat()])]


def _offer(db: sqlite_utils.Database, programme_id: int, first: Waiting, on: dt.date) -> None:
    name, coordinator = db.execute(
        "SELECT g.name, p.coordinator_id FROM programmes g, participants p "
        "WHERE g.id = ? AND p.id = ?", [programme_id, first.participant_id]).fetchone()
    until = on + dt.timedelta(days=int(rule_value(db, "waiting_offer_days", on)))
    # Tasks are the coordinator's own words; the system writes in the workbench's language.
    task = records.insert(db, "tasks", {
        "participant_id": first.participant_id, "kind": "other",
        "title": f"Ponudite prosto mesto: {name}", "due_date": until.isoformat(),
        "assigned_to": coordinator, "created_at": audit.now()}, None,
        participant_id=first.participant_id)
    row = records.row(db, "waiting_list", first.id)
    records.update(db, "waiting_list", row, {
        "status": "offered", "offered_on": on.isoformat(), "offer_until": until.isoformat(),
        "offer_task_id": task}, None, participant_id=first.participant_id)


def offer_freed_place(db: sqlite_utils.Database, programme_id: int, on: dt.date) -> int | None:
    """A place of the programme is free: offer it to the first person waiting (a task for
    her coordinator, due the day the offer lapses, by the rule ``waiting_offer_days``).
    Returns her id, if anyone was offered a place."""
    offered = settle(db, programme_id, on)
    return offered[0] if offered else None
