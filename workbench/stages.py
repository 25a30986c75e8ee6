"""Moves through the pipeline of a case, each recording who, when and why.

referred -> first interview -> motivation -> contract -> in programme ->
exited -> follow-up at 4 weeks -> follow-up at 6 months; a case can close
before inclusion and can be re-opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import audit, dates, participants, text, vocab
from workbench.db import write
from workbench.errors import UserError
from workbench.rules import rule_value

PRE_INCLUSION = ("referred", "first_interview", "motivation", "contract")
FINISHED = ("exited", "follow_up_4w", "follow_up_6m", "closed")
FOLLOW_UP_OF = {"follow_up_4w": "exited", "follow_up_6m": "follow_up_4w"}
REOPEN_TO = "referred"


def allowed_moves(stage: str) -> tuple[str, ...]:
    """Where a case can go from ``stage``, in pipeline order."""
    if stage in PRE_INCLUSION:
        here = PRE_INCLUSION.index(stage)
        back = PRE_INCLUSION[here - 1: here] if here else ()
        # Forward steps may be taken together (a first interview that motivates at once).
        return (*back, *PRE_INCLUSION[here + 1:], "in_programme", "closed")
    nxt = {"in_programme": ("exited",), "exited": ("follow_up_4w", REOPEN_TO),
           "follow_up_4w": ("follow_up_6m", REOPEN_TO)}
    return nxt.get(stage, (REOPEN_TO,))


def is_reopening(from_stage: str, to_stage: str) -> bool:
    return from_stage in FINISHED and to_stage == REOPEN_TO


def is_step_back(from_stage: str, to_stage: str) -> bool:
    return (from_stage in PRE_INCLUSION and to_stage in PRE_INCLUSION
            and PRE_INCLUSION.index(to_stage) < PRE_INCLUSION.index(from_stage))


def requirements(from_stage: str, to_stage: str, enrolled: bool) -> frozenset[str]:
    """What a move asks for, so a form shows exactly those fields (``_validated`` decides).

    "closure_reason"; "outcome" with "destination" (and a drop-out reason when the
    outcome is a drop-out); "programme" when she is not enrolled yet; "reason" for
    any other move (required when it steps back or re-opens the case).
    """
    if to_stage == "closed":
        return frozenset({"closure_reason"})
    if to_stage == "exited":
        return frozenset({"outcome", "destination"})
    if to_stage in ("contract", "in_programme") and not enrolled:
        return frozenset({"programme"})
    return frozenset({"reason"})


def reason_required(from_stage: str, to_stage: str) -> bool:
    return is_step_back(from_stage, to_stage) or is_reopening(from_stage, to_stage)


@dataclass(frozen=True)
class Move:
    """A requested move; which fields it needs depends on ``to_stage``."""
    to_stage: str
    on: dt.date | str  # typed text is parsed and checked like any date of the case
    reason: str | None = None        # closure / drop-out code, or free text for back / re-open
    outcome: str | None = None       # exit: completed or dropped_out
    destination: str | None = None   # exit: where she went
    programme_id: int | None = None  # contract / in programme, when not enrolled yet


def _validated(move: Move, row: dict, today: dt.date) -> Move:
    stage = row["stage"]
    if move.to_stage not in allowed_moves(stage):
        raise UserError("error.move_not_allowed", field="to_stage")
    on = dt.date.fromisoformat(dates.event_day(move.on, today, field="move_date"))
    if on < dt.date.fromisoformat(row["stage_since"][:10]):
        raise UserError("error.move_before_stage", field="move_date")
    reason = text.clean(move.reason, limit=text.SHORT_TEXT_MAX, field="reason")
    if move.to_stage == "closed" and reason not in vocab.CLOSURE_REASONS:
        raise UserError("error.closure_reason_required")
    if move.to_stage == "exited":
        if move.outcome not in vocab.EXIT_OUTCOMES:
            raise UserError("error.exit_outcome_required")
        if move.outcome == "completed" and move.destination not in vocab.EXIT_DESTINATIONS:
            raise UserError("error.exit_destination_required")
        if move.outcome == "dropped_out" and reason not in vocab.DROP_OUT_REASONS:
            raise UserError("error.drop_out_reason_required")
        if move.destination is not None and move.destination not in vocab.EXIT_DESTINATIONS:
            raise UserError("error.exit_destination_required")
    if reason_required(stage, move.to_stage) and not reason:
        raise UserError("error.reason_required", field="reason")
    return Move(move.to_stage, on, reason, move.outcome, move.destination, move.programme_id)


def _active_enrolment(db: sqlite_utils.Database, participant_id: int):
    return db.execute("SELECT id, programme_id, start_date FROM enrolments "
                      "WHERE participant_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1",
                      [participant_id]).fetchone()


def _enrol(db: sqlite_utils.Database, row: dict, move: Move, user_id: int) -> None:
    if _active_enrolment(db, row["id"]) is not None:
        return
    if move.programme_id is None:
        raise UserError("error.programme_required")
    programme = db.execute("SELECT end_date FROM programmes WHERE id = ?",
                           [move.programme_id]).fetchone()
    if programme is None or programme[0] < move.on.isoformat():
        raise UserError("error.programme_required")
    day = move.on.isoformat()
    cursor = db.execute(
        "INSERT INTO enrolments (participant_id, programme_id, contract_date, start_date, status) "
        "VALUES (?, ?, ?, ?, 'active')", [row["id"], move.programme_id, day, day])
    audit.log_created(db, user_id, "enrolments", cursor.lastrowid, row["id"],
                      {"programme_id": move.programme_id, "contract_date": day})


def _create_follow_ups(db: sqlite_utils.Database, row: dict, exit_day: dt.date) -> None:
    now = audit.now()
    for kind, rule in (("follow_up_4w", "follow_up_short_days"),
                       ("follow_up_6m", "follow_up_long_days")):
        due = exit_day + dt.timedelta(days=int(rule_value(db, rule, exit_day)))
        cursor = db.execute(
            "INSERT INTO tasks (participant_id, kind, due_date, assigned_to, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [row["id"], kind, due.isoformat(), row["coordinator_id"], now])
        audit.log_created(db, None, "tasks", cursor.lastrowid, row["id"],
                          {"kind": kind, "due_date": due.isoformat()})


def _close_follow_up(db: sqlite_utils.Database, row: dict, kind: str, on: dt.date,
                     user_id: int) -> None:
    for (task_id,) in db.execute("SELECT id FROM tasks WHERE participant_id = ? AND kind = ? "
                                 "AND done_at IS NULL", [row["id"], kind]).fetchall():
        db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [on.isoformat(), task_id])
        audit.log_changes(db, user_id, "tasks", task_id, row["id"], "update",
                          {"done_at": (None, on.isoformat())})


def move_stage(db: sqlite_utils.Database, participant_id: int, expected_version: int,
               move: Move, *, user_id: int, today: dt.date) -> int:
    """Move the case; returns the new version. Refused moves change nothing."""
    with write(db):
        row = participants.check_version(db, participant_id, expected_version)
        move = _validated(move, row, today)
        stage, day = row["stage"], move.on.isoformat()
        changes: dict[str, object] = {"stage": move.to_stage, "stage_since": day}
        if move.to_stage in ("contract", "in_programme"):
            _enrol(db, row, move, user_id)
        if move.to_stage == "in_programme":
            changes["entry_date"] = row["entry_date"] or day  # e-MA: first entry counts
        elif move.to_stage == "closed":
            changes.update(exit_date=day, exit_reason=move.reason, exit_destination=None)
        elif move.to_stage == "exited":
            changes.update(exit_date=day, exit_destination=move.destination or "none",
                           exit_reason=move.reason if move.outcome == "dropped_out" else None)
            enrolment = _active_enrolment(db, participant_id)
            if enrolment is not None:
                db.execute("UPDATE enrolments SET status = ?, end_date = ?, version = version + 1 "
                           "WHERE id = ?", [move.outcome, day, enrolment[0]])
                audit.log_changes(db, user_id, "enrolments", enrolment[0], participant_id,
                                  "update", {"status": ("active", move.outcome)})
            _create_follow_ups(db, row, move.on)
        elif move.to_stage in FOLLOW_UP_OF:
            _close_follow_up(db, row, move.to_stage, move.on, user_id)
        elif is_reopening(stage, move.to_stage):
            # Re-engagement: the latest exit will be the next one (e-MA counts her once).
            changes.update(exit_date=None, exit_destination=None, exit_reason=None)
        # An exit records its drop-out reason, or else its outcome.
        why = move.reason or (move.outcome if move.to_stage == "exited" else None)
        db.execute("INSERT INTO stage_history (participant_id, from_stage, to_stage, changed_at, "
                   "changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
                   [participant_id, stage, move.to_stage, f"{day}T{audit.now()[11:]}", user_id,
                    why])
        return participants.save_changes(db, row, changes, user_id, why)


def open_programmes(db: sqlite_utils.Database, area: str, on: dt.date) -> dict[int, str]:
    """Programmes of the area a person can still join on ``on``: id -> name."""
    rows = db.execute("SELECT id, name FROM programmes WHERE area_code = ? AND end_date >= ? "
                      "ORDER BY start_date, name", [area, on.isoformat()]).fetchall()
    return dict(rows)
