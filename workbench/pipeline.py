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

Rules over time, each checked when a move is made and when it is corrected:

- "in programme" only on or after the day she may start (the later of the programme's
  start and her planned start) or her first attended session, whichever is first; the
  move never rewrites the enrolment's start;
- an exit as "completed" only after at least one attended session;
- a follow-up only once its window has opened (its interval after the exit less a
  tolerance, both dated rules in force on the exit day: ``follow_up_opens``);
- a wrong move is corrected, never rewritten silently: its date (``correct_move``), or
  the latest move undone, with a reason, audited, and the dates above follow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
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
# How many days before it is due each follow-up may be recorded (a dated rule).
FOLLOW_UP_EARLY = {"follow_up_4w": "follow_up_short_early_days",
                   "follow_up_6m": "follow_up_long_early_days"}
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
    # Of her current enrolment: the first day she may be in the programme by its calendar
    # (the later of its start and her planned start), and her first attended session.
    may_start: dt.date | None = None
    first_attended: dt.date | None = None

    def columns(self) -> dict[str, object]:
        """The state as stored values of ``participants``."""
        iso = {k: (v.isoformat() if isinstance(v, dt.date) else v)
               for k, v in dataclasses.asdict(self).items() if k not in ENROLMENT_FACTS}
        return iso


# What ``CaseState`` knows of her enrolment (read from enrolments and attendance, not stored
# on her row).
ENROLMENT_FACTS = ("enrolled", "may_start", "first_attended")
PIPELINE_COLUMNS = tuple(f.name for f in dataclasses.fields(CaseState)
                         if f.name not in ENROLMENT_FACTS)


def first_start_day(may_start: dt.date | None,
                    first_attended: dt.date | None) -> dt.date | None:
    """The first day she can be "in programme": by the calendar, or earlier when she came
    to a session before it (None: nothing known, no limit)."""
    known = [day for day in (may_start, first_attended) if day is not None]
    return min(known) if known else None


def check_start(on: dt.date, may_start: dt.date | None, first_attended: dt.date | None,
                field: str = "move_date") -> None:
    """"In programme" on ``on``: refused, naming the first allowed day, before it."""
    first = first_start_day(may_start, first_attended)
    if first is not None and on < first:
        raise UserError("error.start_too_early", field=field, date=dates.written(first))


def check_completed(on: dt.date, first_attended: dt.date | None,
                    field: str = "outcome") -> None:
    """"Completed the programme" on ``on`` needs an attended session by then."""
    if first_attended is None or first_attended > on:
        raise UserError("error.completed_needs_attendance", field=field)


def follow_up_opens(exit_day: dt.date, interval: int, early: int) -> dt.date:
    """The first day a follow-up may be recorded: ``early`` days before it is due."""
    return exit_day + dt.timedelta(days=interval - early)


def check_follow_up(kind: str, on: dt.date, exit_day: dt.date | None,
                    intervals: dict[str, int], early: dict[str, int],
                    field: str = "move_date") -> None:
    """A follow-up observed on ``on``: refused before its window opens, naming the day."""
    if exit_day is None:
        return
    opens = follow_up_opens(exit_day, intervals[kind], early.get(kind, 0))
    if on < opens:
        raise UserError("error.follow_up_early", field=field, date=dates.written(opens))


@dataclass(frozen=True)
class Step:
    """What one move does (``step``); ``move_stage`` and the seed carry it out."""
    move: Move                                     # validated: ``on`` is a date
    before: CaseState
    after: CaseState
    history_reason: str | None                      # the stage_history row's reason
    new_enrolment: bool = False                     # enrol in move.programme_id
    starts_programme: bool = False                  # she is in the programme from today
    ends_enrolment: str | None = None               # completed / dropped_out
    follow_ups_due: tuple[tuple[str, dt.date], ...] = ()   # tasks created at the exit
    completes_follow_up: str | None = None          # the follow-up task this move closes


def _no_tolerance(on: dt.date) -> dict[str, int]:
    return {}


def step(state: CaseState, move: Move, today: dt.date,
         follow_up_days: Callable[[dt.date], dict[str, int]],
         follow_up_early: Callable[[dt.date], dict[str, int]] = _no_tolerance) -> Step:
    """What ``move`` does to a case in ``state``; UserError (nothing done) when it may not.

    ``follow_up_days(exit_day)`` gives each follow-up stage its interval in days, by the
    dated rules in force that day (``follow_up_intervals``); ``follow_up_early(exit_day)``
    how many days before that it may be recorded (``follow_up_tolerances``; none given:
    from the day it is due).
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
    if to == IN_PROGRAMME and state.enrolled:
        check_start(on, state.may_start, state.first_attended)
    if to == EXITED and move.outcome == "completed":
        check_completed(on, state.first_attended)
    if to in FOLLOW_UPS:
        check_follow_up(to, on, state.exit_date, follow_up_days(state.exit_date or on),
                        follow_up_early(state.exit_date or on))
    move = dataclasses.replace(move, on=on, reason=reason)

    after = dataclasses.replace(state, stage=to, stage_since=on)
    effects: dict[str, object] = {}
    history_reason = reason
    if to in ENROLLING:
        effects["new_enrolment"] = not state.enrolled
        after = dataclasses.replace(after, enrolled=True)
        if not state.enrolled:  # the programme's own start is added when it is stored
            planned = dates.coerce(move.planned_start) or on
            after = dataclasses.replace(after, may_start=planned, first_attended=None)
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
        after = dataclasses.replace(after, enrolled=False, may_start=None, first_attended=None)
    elif to == EXITED:
        after = dataclasses.replace(
            after, exit_date=on, exit_destination=move.destination or "none",
            exit_reason=reason if move.outcome == "dropped_out" else None, enrolled=False,
            may_start=None, first_attended=None)
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


def follow_up_tolerances(db: sqlite_utils.Database, on: dt.date) -> dict[str, int]:
    """How many days before it is due each follow-up may be recorded, by the rules in force
    on ``on`` (the exit day)."""
    return {kind: int(rule_value(db, rule, on)) for kind, rule in FOLLOW_UP_EARLY.items()}


def step_in(db: sqlite_utils.Database, state: CaseState, move: Move, today: dt.date) -> Step:
    """``step`` with the follow-up rules of the database."""
    return step(state, move, today, lambda on: follow_up_intervals(db, on),
                lambda on: follow_up_tolerances(db, on))


# -- the case in the database --------------------------------------------------------------
# A person's latest enrolment: the one the record, the board and reports show.
LATEST_ENROLMENT_JOIN = (
    "LEFT JOIN enrolments e ON e.id = (SELECT le.id FROM enrolments le WHERE "
    "le.participant_id = p.id ORDER BY le.contract_date DESC, le.id DESC LIMIT 1) "
    "LEFT JOIN programmes g ON g.id = e.programme_id")


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


# Of an enrolment: the first day by the calendar, and the first session she attended.
ENROLMENT_START_SQL = """
SELECT max(g.start_date, e.start_date),
       (SELECT min(s.date) FROM attendance a JOIN sessions s ON s.id = a.session_id
        WHERE a.participant_id = e.participant_id AND a.hours > 0
          AND s.programme_id = e.programme_id AND s.date >= e.contract_date)
FROM enrolments e JOIN programmes g ON g.id = e.programme_id WHERE e.id = ?"""


def enrolment_start(db: sqlite_utils.Database,
                    enrolment_id: int) -> tuple[dt.date | None, dt.date | None]:
    """(may start, first attended) of an enrolment."""
    found = db.execute(ENROLMENT_START_SQL, [enrolment_id]).fetchone()
    return (_day(found[0]), _day(found[1])) if found else (None, None)


def state_of(db: sqlite_utils.Database, row: dict) -> CaseState:
    """The pipeline's view of a stored person row."""
    enrolment = _active_enrolment(db, row["id"])
    may_start, attended = enrolment_start(db, enrolment["id"]) if enrolment else (None, None)
    return CaseState(row["stage"], _day(row["stage_since"]), _day(row["entry_date"]),
                     _day(row["exit_date"]), row["exit_destination"], row["exit_reason"],
                     row["closure_reason"], enrolment is not None, may_start, attended)


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
        text.clean_reason(move.reason, names=(row["first_name"], row["last_name"]))
        done = step_in(db, state_of(db, row), move, today)
        apply(db, row, done, actor.id)
        return records.update(db, "participants", row, done.after.columns(), actor.id,
                              participant_id=participant_id, reason=done.history_reason)


def apply(db: sqlite_utils.Database, row: dict, done: Step, user_id: int | None) -> None:
    """Carry out a step's effects besides the person's own row (enrolment, follow-up tasks,
    the follow-up record, the history row), in the caller's transaction."""
    pid, day = row["id"], done.move.on.isoformat()
    if done.new_enrolment:
        programme = db.execute("SELECT end_date, capacity, start_date FROM programmes "
                               "WHERE id = ?", [done.move.programme_id]).fetchone()
        if programme is None or programme[0] < day:
            raise UserError("error.programme_required", field="programme")
        planned = done.move.planned_start or day
        if done.starts_programme:  # signed and started at once: she may start today
            check_start(done.move.on, dt.date.fromisoformat(max(programme[2], planned)), None)
        # workbench.enrolment puts her on the waiting list; a place held for the person
        # offered it is not free (workbench.waiting owns that rule).
        if waiting.free_places(db, done.move.programme_id, done.move.on, for_person=pid) <= 0:
            raise UserError("error.programme_full", field="programme")
        records.insert(db, "enrolments", {
            "participant_id": pid, "programme_id": done.move.programme_id,
            "contract_date": day, "start_date": planned,
            "status": "active"}, user_id, participant_id=pid)
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
               "changed_by, reason, state_before) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [pid, done.before.stage, done.after.stage, f"{day}T{now[11:]}", user_id,
                done.history_reason, snapshot(done.before)])


def snapshot(state: CaseState) -> str:
    """The case's pipeline columns before a move, as its history row keeps them."""
    return json.dumps(state.columns(), sort_keys=True)


def open_programmes(db: sqlite_utils.Database, area: str, on: dt.date) -> dict[int, str]:
    """Programmes of the area a person can still join on ``on``: id -> name."""
    rows = db.execute("SELECT id, name FROM programmes WHERE area_code = ? AND end_date >= ? "
                      "ORDER BY start_date, name COLLATE sl", [area, on.isoformat()]).fetchall()
    return dict(rows)


# -- correcting a wrong move ---------------------------------------------------------------
@dataclass(frozen=True)
class StageMove:
    """One row of a case's stage history, as the correction form lists it."""
    id: int
    changed_at: str
    from_stage: str | None
    to_stage: str
    reason: str | None
    can_undo: bool        # the latest move, whose state before it is known
    can_redate: bool      # every move but the referral (its date is the referral's)

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.changed_at[:10])


@dataclass(frozen=True)
class Correction:
    """A wrong move put right: ``undo`` it (the latest only), or give its right day ``on``;
    a ``reason`` always."""
    history_id: int | None
    undo: bool = False
    on: dt.date | str | None = None
    reason: str | None = None


_HISTORY_SQL = ("SELECT id, changed_at, from_stage, to_stage, reason, state_before "
                "FROM stage_history WHERE participant_id = ? ORDER BY changed_at, id")


def _history(db: sqlite_utils.Database, participant_id: int) -> list[dict]:
    return records.named_rows(db.execute(_HISTORY_SQL, [participant_id]))


def moves(db: sqlite_utils.Database, actor: User, participant_id: int) -> list[StageMove]:
    """Her stage history, newest first, each with the corrections it allows."""
    access.require_person(db, actor, participant_id)
    rows = _history(db, participant_id)
    last = len(rows) - 1
    return [StageMove(r["id"], r["changed_at"], r["from_stage"], r["to_stage"], r["reason"],
                      i == last and i > 0 and r["state_before"] is not None, i > 0)
            for i, r in reversed(list(enumerate(rows)))]


def correct_move(db: sqlite_utils.Database, actor: User, participant_id: int,
                 expected_version: int, correction: Correction, *, today: dt.date,
                 token: str | None = None) -> int:
    """Correct a wrong stage move: its day, or (the latest move) undo it. The move's own
    rules hold for the new day; what the move did follows (her entry and exit dates, the
    enrolment, the follow-up tasks and records); every change is audited with the reason.
    Returns the person's new version; a repeated submission (``token``) changes nothing."""
    access.require_person(db, actor, participant_id)
    reason = text.clean_reason(correction.reason, field="correction_reason",
                               names=records.person_names(db, participant_id))
    if correction.history_id is None:
        raise UserError("error.correction_move_required", field="correction_move")
    if not correction.undo:
        new_day = dt.date.fromisoformat(
            dates.event_day(correction.on, today, field="correction_date"))
    if not reason:
        raise UserError("error.reason_required", field="correction_reason")
    with write(db):
        def apply_correction() -> int:
            person = records.check_version(db, "participants", participant_id,
                                           expected_version, conflict_key="conflict.person",
                                           missing="error.person_missing")
            rows = _history(db, participant_id)
            index = next((i for i, r in enumerate(rows) if r["id"] == correction.history_id),
                         None)
            if not index:  # not hers, or the referral (corrected as the referral date)
                raise UserError("error.correction_move_required", field="correction_move")
            if correction.undo:
                _undo(db, person, rows, index, reason, actor.id, today)
            else:
                _redate(db, person, rows, index, new_day, reason, actor.id)
            return correction.history_id

        records.once(db, token, "stage_correction", actor.id, apply_correction)
        return records.row(db, "participants", participant_id)["version"]


def _enrolment_created(db: sqlite_utils.Database, pid: int, day: str) -> dict | None:
    found = records.named_rows(db.execute(
        "SELECT * FROM enrolments WHERE participant_id = ? AND contract_date = ? "
        "ORDER BY id DESC LIMIT 1", [pid, day]))
    return found[0] if found else None


def _enrolment_ended(db: sqlite_utils.Database, pid: int, day: str) -> dict | None:
    found = records.named_rows(db.execute(
        "SELECT * FROM enrolments WHERE participant_id = ? AND status != 'active' "
        "AND end_date = ? ORDER BY id DESC LIMIT 1", [pid, day]))
    return found[0] if found else None


def _enrolment_of_start(db: sqlite_utils.Database, pid: int, day: str) -> dict | None:
    found = records.named_rows(db.execute(
        "SELECT * FROM enrolments WHERE participant_id = ? AND contract_date <= ? "
        "ORDER BY contract_date DESC, id DESC LIMIT 1", [pid, day]))
    return found[0] if found else None


def _creates_enrolment(h: dict) -> bool:
    return h["from_stage"] not in ENROLLING and h["to_stage"] in ENROLLING


def _ends_enrolment(h: dict) -> bool:
    return h["from_stage"] in ENROLLING and h["to_stage"] not in ENROLLING


def _delete(db: sqlite_utils.Database, table: str, row: dict, pid: int, user_id: int,
            reason: str) -> None:
    """Delete a row a move made, its values kept in the change log with the reason."""
    audit.log_changes(db, user_id, table, row["id"], pid, "delete",
                      {k: (v, None) for k, v in row.items()
                       if v is not None and k not in ("id", "version")}, reason=reason)
    db.execute(f"DELETE FROM {table} WHERE id = ?", [row["id"]])


def _follow_up_tasks(db: sqlite_utils.Database, pid: int, exit_day: str) -> list[dict]:
    """The open follow-up tasks her exit on ``exit_day`` created."""
    due = {(kind, (dt.date.fromisoformat(exit_day) + dt.timedelta(days=days)).isoformat())
           for kind, days in follow_up_intervals(db, dt.date.fromisoformat(exit_day)).items()}
    return [t for t in records.named_rows(db.execute(
        f"SELECT * FROM tasks WHERE participant_id = ? AND done_at IS NULL AND kind IN "
        f"({sql_list(tuple(FOLLOW_UPS))})", [pid])) if (t["kind"], t["due_date"]) in due]


def _follow_up_record(db: sqlite_utils.Database, pid: int, kind: str, day: str
                      ) -> tuple[dict | None, dict | None]:
    """The follow-up recorded on ``day`` and the task it closed."""
    found = records.named_rows(db.execute(
        "SELECT * FROM follow_ups WHERE participant_id = ? AND kind = ? AND "
        "substr(observed_on, 1, 10) = ? ORDER BY id DESC LIMIT 1", [pid, kind, day]))
    task = records.named_rows(db.execute(
        "SELECT * FROM tasks WHERE participant_id = ? AND kind = ? AND "
        "substr(done_at, 1, 10) = ? ORDER BY id DESC LIMIT 1", [pid, kind, day]))
    return (found[0] if found else None), (task[0] if task else None)


def _set_task_done(db: sqlite_utils.Database, task: dict, done: str | None, pid: int,
                   user_id: int, reason: str) -> None:
    db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [done, task["id"]])
    audit.log_changes(db, user_id, "tasks", task["id"], pid, "update",
                      {"done_at": (task["done_at"], done)}, reason=reason)


def _undo(db: sqlite_utils.Database, person: dict, rows: list[dict], index: int, reason: str,
          user_id: int, today: dt.date) -> None:
    """Undo the latest move: her row as it was before it, and what the move did undone."""
    h, pid = rows[index], person["id"]
    if index != len(rows) - 1:
        raise UserError("error.undo_not_latest", field="correction_move")
    if h["state_before"] is None:  # moved before corrections were kept: correct its day
        raise UserError("error.undo_unavailable", field="correction_move")
    day = h["changed_at"][:10]
    if _creates_enrolment(h):
        enrolment = _enrolment_created(db, pid, day)
        if enrolment is not None:
            if enrolment_start(db, enrolment["id"])[1] is not None:
                raise UserError("error.undo_attended", field="correction_move")
            _delete(db, "enrolments", enrolment, pid, user_id, reason)
    if _ends_enrolment(h):
        enrolment = _enrolment_ended(db, pid, day)
        if enrolment is not None:
            # Taken by another contract, or held for the person it was offered to.
            if waiting.free_places(db, enrolment["programme_id"], today, for_person=pid) <= 0:
                raise UserError("error.undo_place_taken", field="correction_move")
            records.update(db, "enrolments", enrolment, {"status": "active", "end_date": None},
                           user_id, participant_id=pid, reason=reason)
    if h["to_stage"] == EXITED:
        for task in _follow_up_tasks(db, pid, day):
            _delete(db, "tasks", task, pid, user_id, reason)
    if h["to_stage"] in FOLLOW_UPS:
        record, task = _follow_up_record(db, pid, h["to_stage"], day)
        if record is not None:
            _delete(db, "follow_ups", record, pid, user_id, reason)
        if task is not None:
            _set_task_done(db, task, None, pid, user_id, reason)
    _delete(db, "stage_history", {k: v for k, v in h.items() if k != "state_before"}, pid,
            user_id, reason)
    before = json.loads(h["state_before"])
    _save_person(db, person, {k: before.get(k) for k in PIPELINE_COLUMNS}, user_id, reason,
                 {"undone_move": (h["to_stage"], None)})


def _redate(db: sqlite_utils.Database, person: dict, rows: list[dict], index: int,
            new: dt.date, reason: str, user_id: int) -> None:
    """A move's right day: within its neighbours, by the move's own rules; what depends
    on its day follows."""
    h, pid = rows[index], person["id"]
    old, day = h["changed_at"][:10], new.isoformat()
    if day == old:
        raise UserError("error.correction_same_day", field="correction_date")
    if day < rows[index - 1]["changed_at"][:10]:
        raise UserError("error.move_before_stage", field="correction_date")
    if index + 1 < len(rows) and day > rows[index + 1]["changed_at"][:10]:
        raise UserError("error.correction_after_next", field="correction_date",
                        date=dates.written(dt.date.fromisoformat(rows[index + 1]
                                                                 ["changed_at"][:10])))
    to = h["to_stage"]
    if _creates_enrolment(h):
        enrolment = _enrolment_created(db, pid, old)
        if enrolment is not None:
            start = enrolment["start_date"]
            if start == old or (to == IN_PROGRAMME and start < day):
                start = day  # signed (and started) that day: the start goes with it
            if start < day:
                raise UserError("error.start_before_contract", field="correction_date")
            records.update(db, "enrolments", enrolment,
                           {"contract_date": day, "start_date": start}, user_id,
                           participant_id=pid, reason=reason)
    if to == IN_PROGRAMME:
        enrolment = _enrolment_of_start(db, pid, day)
        if enrolment is not None:
            check_start(new, *enrolment_start(db, enrolment["id"]), field="correction_date")
    if _ends_enrolment(h):
        enrolment = _enrolment_ended(db, pid, old)
        if enrolment is not None:
            if to == EXITED and enrolment["status"] == "completed":
                check_completed(new, enrolment_start(db, enrolment["id"])[1],
                                field="correction_date")
            records.update(db, "enrolments", enrolment, {"end_date": day}, user_id,
                           participant_id=pid, reason=reason)
    if to == EXITED:
        intervals = follow_up_intervals(db, new)
        for task in _follow_up_tasks(db, pid, old):
            due = (new + dt.timedelta(days=intervals[task["kind"]])).isoformat()
            db.execute("UPDATE tasks SET due_date = ? WHERE id = ?", [due, task["id"]])
            audit.log_changes(db, user_id, "tasks", task["id"], pid, "update",
                              {"due_date": (task["due_date"], due)}, reason=reason)
    if to in FOLLOW_UPS:
        exits = [r["changed_at"][:10] for r in rows[:index] if r["to_stage"] == EXITED]
        exit_day = dt.date.fromisoformat(exits[-1]) if exits else None
        if exit_day is not None:
            check_follow_up(to, new, exit_day, follow_up_intervals(db, exit_day),
                            follow_up_tolerances(db, exit_day), field="correction_date")
        record, task = _follow_up_record(db, pid, to, old)
        if record is not None:
            db.execute("UPDATE follow_ups SET observed_on = ? WHERE id = ?", [day, record["id"]])
            audit.log_changes(db, user_id, "follow_ups", record["id"], pid, "update",
                              {"observed_on": (record["observed_on"], day)}, reason=reason)
        if task is not None:
            _set_task_done(db, task, day, pid, user_id, reason)
    changed_at = day + h["changed_at"][10:]
    db.execute("UPDATE stage_history SET changed_at = ? WHERE id = ?", [changed_at, h["id"]])
    audit.log_changes(db, user_id, "stage_history", h["id"], pid, "update",
                      {"changed_at": (h["changed_at"], changed_at)}, reason=reason)
    days = {r["id"]: (day if r["id"] == h["id"] else r["changed_at"][:10]) for r in rows}
    starts = [days[r["id"]] for r in rows if r["to_stage"] == IN_PROGRAMME]
    columns: dict[str, object] = {"stage_since": days[rows[-1]["id"]],
                                  "entry_date": min(starts) if starts else None}
    if to == EXITED and person["exit_date"] == old:
        columns["exit_date"] = day
    _save_person(db, person, columns, user_id, reason, {"move_date": (old, day)})


def _save_person(db: sqlite_utils.Database, person: dict, columns: dict[str, object],
                 user_id: int, reason: str, correction: dict[str, tuple]) -> None:
    """Her row after a correction, as its next version even when none of her own columns
    changed (a colleague's form on the version before is then told what happened)."""
    version = records.update(db, "participants", person, columns, user_id,
                             participant_id=person["id"], reason=reason)
    if version == person["version"]:
        version += 1
        db.execute("UPDATE participants SET version = ?, updated_at = ?, updated_by = ? "
                   "WHERE id = ?", [version, audit.now(), user_id, person["id"]])
    audit.log_changes(db, user_id, "participants", person["id"], person["id"], "update",
                      correction, version, reason)
