"""The case pipeline: the stages and their categories, what each move needs and does, the
follow-ups, and what a case's entry and exit dates mean.

referred -> first interview -> motivation -> contract -> in programme -> exited ->
follow-up at 4 weeks -> follow-up at 6 months; a case can close before inclusion and
can be re-opened.

``step`` is the rule itself, a pure function from the case's state and a move to what
the move does; ``move_stage`` applies it to the database, and the seed applies the
same function to build its training cases. Dates, as e-MA counts them:

- ``entry_date``: the day she first started in a programme (entry into the operation;
  kept when she re-enters, so she is counted once);
- ``exit_date``: the day of her latest exit from a programme; cleared while she is in
  a programme again;
- a case closed before inclusion has neither: it records ``closure_reason``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, config, dates, records, text, vocab, waiting
from workbench.auth import User
from workbench.errors import UserError
from workbench.rules import rule_value
from workbench.transactions import write

STAGES = vocab.STAGES
BEFORE_INCLUSION = ("referred", "first_interview", "motivation", "contract")
IN_PROGRAMME = "in_programme"
EXITED = "exited"
CLOSED = "closed"
AFTER_EXIT = (EXITED, "follow_up_4w", "follow_up_6m")
# The coordinator still has work to do: the case is on her board and in every "active" count.
ACTIVE = (*BEFORE_INCLUSION, IN_PROGRAMME, EXITED, "follow_up_4w")
# Nothing more to do; such cases leave the board after a while (board.FINISHED_VISIBLE_DAYS).
DONE = ("follow_up_6m", CLOSED)
REOPEN_TO = "referred"
# Each follow-up stage: the stage it follows and the dated rule of its interval after exit.
FOLLOW_UPS = {"follow_up_4w": (EXITED, "follow_up_short_days"),
              "follow_up_6m": ("follow_up_4w", "follow_up_long_days")}
# The stages that start (or need) an enrolment in a programme.
ENROLLING = ("contract", IN_PROGRAMME)


def sql_list(stages: tuple[str, ...]) -> str:
    """``'a', 'b'`` for an ``IN (...)`` of fixed codes."""
    return ", ".join(f"'{s}'" for s in stages)


ACTIVE_SQL = sql_list(ACTIVE)


def allowed_moves(stage: str) -> tuple[str, ...]:
    """Where a case can go from ``stage``: forward in pipeline order, then closing, then
    the one step back."""
    if stage in BEFORE_INCLUSION:
        here = BEFORE_INCLUSION.index(stage)
        back = BEFORE_INCLUSION[here - 1: here] if here else ()
        # Forward steps may be taken together (a first interview that motivates at once).
        return (*BEFORE_INCLUSION[here + 1:], IN_PROGRAMME, CLOSED, *back)
    nxt = {IN_PROGRAMME: (EXITED,), EXITED: ("follow_up_4w", REOPEN_TO),
           "follow_up_4w": ("follow_up_6m", REOPEN_TO)}
    return nxt.get(stage, (REOPEN_TO,))


def is_reopening(from_stage: str, to_stage: str) -> bool:
    return from_stage not in BEFORE_INCLUSION and from_stage != IN_PROGRAMME \
        and to_stage == REOPEN_TO


def is_step_back(from_stage: str, to_stage: str) -> bool:
    return (from_stage in BEFORE_INCLUSION and to_stage in BEFORE_INCLUSION
            and BEFORE_INCLUSION.index(to_stage) < BEFORE_INCLUSION.index(from_stage))


def reason_required(from_stage: str, to_stage: str) -> bool:
    return is_step_back(from_stage, to_stage) or is_reopening(from_stage, to_stage)


def requirements(from_stage: str, to_stage: str, enrolled: bool) -> frozenset[str]:
    """What a move asks for, so a form shows exactly those fields (``step`` decides).

    "closure_reason"; "outcome" with "destination" (and a drop-out reason when the
    outcome is a drop-out); "programme" when she is not enrolled yet; "situation" at a
    follow-up; "reason" for any other move (required when it steps back or re-opens).
    """
    if to_stage == CLOSED:
        return frozenset({"closure_reason"})
    if to_stage == EXITED:
        return frozenset({"outcome", "destination"})
    if to_stage in ENROLLING and not enrolled:
        return frozenset({"programme"})
    if to_stage in FOLLOW_UPS:
        return frozenset({"situation"})
    return frozenset({"reason"})


@dataclass(frozen=True)
class Move:
    """A requested move; which fields it needs depends on ``to_stage`` (``requirements``)."""
    to_stage: str | None  # None: not chosen yet (refused with a message)
    on: dt.date | str  # typed text is parsed and checked like any date of the case
    reason: str | None = None        # closure / drop-out code, or free text for back / re-open
    outcome: str | None = None       # exit: completed or dropped_out
    destination: str | None = None   # exit: where she went
    programme_id: int | None = None  # contract / in programme, when not enrolled yet
    situation: str | None = None     # follow-up: what she is doing now
    planned_start: str | None = None  # contract: the planned start in the programme (ISO)


@dataclass(frozen=True)
class CaseState:
    """The columns of a person's row that the pipeline owns, and whether she is enrolled."""
    stage: str
    stage_since: dt.date
    entry_date: dt.date | None = None
    exit_date: dt.date | None = None
    exit_destination: str | None = None
    exit_reason: str | None = None
    closure_reason: str | None = None
    enrolled: bool = False

    def columns(self) -> dict[str, object]:
        """The state as stored values of ``participants``."""
        iso = {k: (v.isoformat() if isinstance(v, dt.date) else v)
               for k, v in dataclasses.asdict(self).items() if k != "enrolled"}
        return iso


@dataclass(frozen=True)
class Step:
    """What one move does (``step``); ``move_stage`` and the seed carry it out."""
    move: Move                                     # validated: ``on`` is a date
    before: CaseState
    after: CaseState
    history_reason: str | None                      # the stage_history row's reason
    new_enrolment: bool = False                     # enrol in move.programme_id
    starts_programme: bool = False                  # her enrolment's real start is today
    ends_enrolment: str | None = None               # completed / dropped_out
    follow_ups_due: tuple[tuple[str, dt.date], ...] = ()   # tasks created at the exit
    completes_follow_up: str | None = None          # the follow-up task this move closes


def step(state: CaseState, move: Move, today: dt.date,
         follow_up_days: Callable[[dt.date], dict[str, int]]) -> Step:
    """What ``move`` does to a case in ``state``; UserError (nothing done) when it may not.

    ``follow_up_days(exit_day)`` gives each follow-up stage its interval in days, by the
    dated rules in force that day (``follow_up_intervals``).
    """
    stage = state.stage
    if move.to_stage is None:
        raise UserError("error.stage_required", field="to_stage")
    if move.to_stage not in allowed_moves(stage):
        raise UserError("error.move_not_allowed", field="to_stage")
    on = dt.date.fromisoformat(dates.event_day(move.on, today, field="move_date"))
    if on < state.stage_since:
        raise UserError("error.move_before_stage", field="move_date")
    reason = text.clean(move.reason, limit=text.SHORT_TEXT_MAX, field="reason")
    to = move.to_stage
    if to == CLOSED and reason not in vocab.CLOSURE_REASONS:
        raise UserError("error.closure_reason_required", field="closure_reason")
    if to == EXITED:
        if move.outcome not in vocab.EXIT_OUTCOMES:
            raise UserError("error.exit_outcome_required", field="outcome")
        if move.outcome == "completed" and move.destination not in vocab.EXIT_DESTINATIONS:
            raise UserError("error.exit_destination_required", field="destination")
        if move.outcome == "dropped_out" and reason not in vocab.DROP_OUT_REASONS:
            raise UserError("error.drop_out_reason_required", field="drop_out_reason")
        if move.destination is not None and move.destination not in vocab.EXIT_DESTINATIONS:
            raise UserError("error.exit_destination_required", field="destination")
    if to in FOLLOW_UPS and move.situation not in vocab.FOLLOW_UP_SITUATIONS:
        raise UserError("error.situation_required", field="situation")
    if to in ENROLLING and not state.enrolled and move.programme_id is None:
        raise UserError("error.programme_required", field="programme")
    if reason_required(stage, to) and not reason:
        raise UserError("error.reason_required", field="reason")
    move = dataclasses.replace(move, on=on, reason=reason)

    after = dataclasses.replace(state, stage=to, stage_since=on)
    effects: dict[str, object] = {}
    history_reason = reason
    if to in ENROLLING:
        effects["new_enrolment"] = not state.enrolled
        after = dataclasses.replace(after, enrolled=True)
    if to == IN_PROGRAMME:
        effects["starts_programme"] = True
        # e-MA: her first entry counts; while she is in a programme she has not left it.
        after = dataclasses.replace(after, entry_date=state.entry_date or on, exit_date=None,
                                    exit_destination=None, exit_reason=None)
    elif to == CLOSED:
        after = dataclasses.replace(after, closure_reason=reason)
    if state.enrolled and to not in ENROLLING and to != EXITED:
        # Closed, or stepped back before the contract: her place is given up (stage and
        # enrolment never disagree), and offered to whoever waits for it.
        effects["ends_enrolment"] = "dropped_out"
        after = dataclasses.replace(after, enrolled=False)
    elif to == EXITED:
        after = dataclasses.replace(
            after, exit_date=on, exit_destination=move.destination or "none",
            exit_reason=reason if move.outcome == "dropped_out" else None, enrolled=False)
        effects["ends_enrolment"] = move.outcome if state.enrolled else None
        intervals = follow_up_days(on)
        effects["follow_ups_due"] = tuple(
            (kind, on + dt.timedelta(days=intervals[kind])) for kind in FOLLOW_UPS)
        history_reason = reason or move.outcome  # a drop-out's reason, else the outcome
    elif to in FOLLOW_UPS:
        effects["completes_follow_up"] = to
        history_reason = move.situation
    elif is_reopening(stage, to):
        # Re-engagement: the exit stays her latest until she starts and leaves again.
        after = dataclasses.replace(after, closure_reason=None)
    return Step(move, state, after, history_reason, **effects)


def follow_up_intervals(db: sqlite_utils.Database, on: dt.date) -> dict[str, int]:
    """Each follow-up's interval in days, by the rules in force on ``on``."""
    return {kind: int(rule_value(db, rule, on)) for kind, (_, rule) in FOLLOW_UPS.items()}


# -- the case in the database --------------------------------------------------------------
# A person's latest enrolment: the one the record, the board and reports show.
LATEST_ENROLMENT_JOIN = (
    "LEFT JOIN enrolments e ON e.id = (SELECT le.id FROM enrolments le WHERE "
    "le.participant_id = p.id ORDER BY le.contract_date DESC, le.id DESC LIMIT 1) "
    "LEFT JOIN programmes g ON g.id = e.programme_id")


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def state_of(db: sqlite_utils.Database, row: dict) -> CaseState:
    """The pipeline's view of a stored person row."""
    enrolled = db.execute("SELECT 1 FROM enrolments WHERE participant_id = ? AND "
                          "status = 'active'", [row["id"]]).fetchone() is not None
    return CaseState(row["stage"], _day(row["stage_since"]), _day(row["entry_date"]),
                     _day(row["exit_date"]), row["exit_destination"], row["exit_reason"],
                     row["closure_reason"], enrolled)


def _active_enrolment(db: sqlite_utils.Database, participant_id: int) -> dict | None:
    found = records.named_rows(db.execute(
        "SELECT * FROM enrolments WHERE participant_id = ? AND status = 'active' "
        "ORDER BY id DESC LIMIT 1", [participant_id]))
    return found[0] if found else None


def move_stage(db: sqlite_utils.Database, actor: User, participant_id: int,
               expected_version: int, move: Move, *, today: dt.date) -> int:
    """Move the case; returns the new version. Refused moves change nothing."""
    access.require_person(db, actor, participant_id)
    with write(db):
        row = records.check_version(db, "participants", participant_id, expected_version,
                                    conflict_key="conflict.person",
                                    missing="error.person_missing")
        done = step(state_of(db, row), move, today,
                    lambda on: follow_up_intervals(db, on))
        apply(db, row, done, actor.id)
        return records.update(db, "participants", row, done.after.columns(), actor.id,
                              participant_id=participant_id, reason=done.history_reason)


def apply(db: sqlite_utils.Database, row: dict, done: Step, user_id: int | None) -> None:
    """Carry out a step's effects besides the person's own row (enrolment, follow-up tasks,
    the follow-up record, the history row), in the caller's transaction."""
    pid, day = row["id"], done.move.on.isoformat()
    if done.new_enrolment:
        programme = db.execute("SELECT end_date, capacity FROM programmes WHERE id = ?",
                               [done.move.programme_id]).fetchone()
        if programme is None or programme[0] < day:
            raise UserError("error.programme_required", field="programme")
        taken = db.execute("SELECT COUNT(*) FROM enrolments WHERE programme_id = ? AND "
                           "status = 'active'", [done.move.programme_id]).fetchone()[0]
        if taken >= programme[1]:  # workbench.enrolment puts her on the waiting list
            raise UserError("error.programme_full", field="programme")
        records.insert(db, "enrolments", {
            "participant_id": pid, "programme_id": done.move.programme_id,
            "contract_date": day, "start_date": done.move.planned_start or day,
            "status": "active"}, user_id, participant_id=pid)
    elif done.starts_programme:
        enrolment = _active_enrolment(db, pid)
        if enrolment is not None and enrolment["start_date"] != day:
            records.update(db, "enrolments", enrolment, {"start_date": day}, user_id,
                           participant_id=pid)
    if done.ends_enrolment:
        enrolment = _active_enrolment(db, pid)
        if enrolment is not None:
            records.update(db, "enrolments", enrolment,
                           {"status": done.ends_enrolment, "end_date": day}, user_id,
                           participant_id=pid)
            waiting.offer_freed_place(db, enrolment["programme_id"],
                                      max(done.move.on, config.today()))
    now = audit.now()
    for kind, due in done.follow_ups_due:
        # Created by the system at the exit: the change log says so.
        records.insert(db, "tasks", {"participant_id": pid, "kind": kind,
                                     "due_date": due.isoformat(),
                                     "assigned_to": row["coordinator_id"], "created_at": now},
                       None, participant_id=pid)
    if done.completes_follow_up:
        for task in records.named_rows(db.execute(
                "SELECT * FROM tasks WHERE participant_id = ? AND kind = ? AND done_at IS NULL",
                [pid, done.completes_follow_up])):
            db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [day, task["id"]])
            audit.log_changes(db, user_id, "tasks", task["id"], pid, "update",
                              {"done_at": (None, day)})
        records.insert(db, "follow_ups", {
            "participant_id": pid, "kind": done.completes_follow_up,
            "situation": done.move.situation, "observed_on": day, "recorded_by": user_id,
            "created_at": now}, user_id, participant_id=pid)
    db.execute("INSERT INTO stage_history (participant_id, from_stage, to_stage, changed_at, "
               "changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
               [pid, done.before.stage, done.after.stage, f"{day}T{now[11:]}", user_id,
                done.history_reason])


def open_programmes(db: sqlite_utils.Database, area: str, on: dt.date) -> dict[int, str]:
    """Programmes of the area a person can still join on ``on``: id -> name."""
    rows = db.execute("SELECT id, name FROM programmes WHERE area_code = ? AND end_date >= ? "
                      "ORDER BY start_date, name COLLATE sl", [area, on.isoformat()]).fetchall()
    return dict(rows)
