"""The rest of the single entry point: problem overview, plan, contacts, tasks, referrals out.

Every function names its actor (``workbench.access`` decides what she may see and
do). Added records can carry a form token (``records.once``) so that a double-clicked
save adds them once; every write leaves audit rows (``workbench.records``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, dates, records, text, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.protection import consent
from workbench.transactions import write


# -- tasks: the one definition of "overdue" ------------------------------------------------
def overdue_sql(alias: str = "t") -> str:
    """The SQL condition of an overdue task (needs the :today parameter)."""
    return f"{alias}.done_at IS NULL AND {alias}.due_date < :today"


def overdue_on_sql(alias: str, day: str) -> str:
    """The SQL condition of a task that was overdue at the end of ``day`` (an SQL
    expression): due before it and not done by then."""
    return (f"{alias}.due_date < {day} AND ({alias}.done_at IS NULL "
            f"OR substr({alias}.done_at, 1, 10) > {day})")


def is_overdue(due: str | dt.date | None, done: str | None, today: dt.date) -> bool:
    """An open task past its due day."""
    if due is None or done is not None:
        return False
    return str(due)[:10] < today.isoformat()


# -- problem overview ------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    scored_on: str
    area: str
    score: int


def score_problems(db: sqlite_utils.Database, actor: User, participant_id: int,
                   scores: dict[str, int], *, on: dt.date | str, today: dt.date) -> int:
    """Record an assessment; scoring the same area again on the same day replaces it.

    Returns how many scores it added or changed: 0 for the same assessment saved again
    (a second press). The same scores on a later day are a new assessment: that nothing
    changed is worth recording."""
    access.require_person(db, actor, participant_id)
    day = dates.event_day(on, today, field="scored_on")
    if not scores:
        raise UserError("error.scores_required")
    for area, score in scores.items():
        if area not in vocab.PROBLEM_AREAS or score not in vocab.PROBLEM_SCORES:
            raise UserError("error.score_invalid")
    written = 0
    with write(db):
        for area, score in scores.items():
            old = db.execute("SELECT id, score FROM problem_scores WHERE participant_id = ? AND "
                             "scored_on = ? AND area = ?", [participant_id, day, area]).fetchone()
            written += old is None or old[1] != score
            if old is None:
                records.insert(db, "problem_scores",
                               {"participant_id": participant_id, "area": area, "score": score,
                                "scored_on": day, "scored_by": actor.id}, actor.id,
                               participant_id=participant_id)
            elif old[1] != score:
                db.execute("UPDATE problem_scores SET score = ?, scored_by = ? WHERE id = ?",
                           [score, actor.id, old[0]])
                audit.log_changes(db, actor.id, "problem_scores", old[0], participant_id,
                                  "update", {"score": (old[1], score)})
    return written


SCORES_SQL = ("SELECT scored_on, area, score FROM problem_scores WHERE participant_id = "
              ":participant ORDER BY scored_on, area")


def latest_change(scores: list[Score]) -> dict[str, tuple[int | None, int]]:
    """Per area: (the score before the latest, the latest); the change a coordinator looks for."""
    by_area: dict[str, list[int]] = {}
    for s in scores:
        by_area.setdefault(s.area, []).append(s.score)
    return {area: (values[-2] if len(values) > 1 else None, values[-1])
            for area, values in by_area.items()}


# -- individual activation plan -----------------------------------------------------------
@dataclass(frozen=True)
class Step:
    id: int
    step: str
    deadline: str | None
    done_on: str | None


@dataclass(frozen=True)
class Goal:
    id: int
    goal: str
    deadline: str | None
    status: str
    version: int
    created_on: str
    steps: tuple[Step, ...] = ()


def _person_of(db: sqlite_utils.Database, table: str, record_id: int,
               via: str = "participant_id") -> int:
    row = db.execute(f"SELECT {via} FROM {table} WHERE id = ?", [record_id]).fetchone()
    if row is None:
        raise UserError("error.record_missing")
    return row[0]


def add_goal(db, actor: User, participant_id: int, goal: str, deadline: dt.date | str | None,
             *, today: dt.date, token: str | None = None) -> tuple[int, bool]:
    access.require_person(db, actor, participant_id)
    goal = text.clean(goal, limit=text.SHORT_TEXT_MAX, required=True, field="goal")
    deadline = dates.plan_day(deadline, today, field="deadline")
    return records.once(db, token, "goal", actor.id, lambda: records.insert(
        db, "plan_goals", {"participant_id": participant_id, "goal": goal,
                           "deadline": deadline, "status": "open", "created_at": audit.now(),
                           "created_by": actor.id}, actor.id, participant_id=participant_id))


def set_goal_status(db, actor: User, goal_id: int, expected_version: int, status: str) -> int:
    if status not in vocab.GOAL_STATUSES:
        raise UserError("error.status_invalid", field="status")
    participant_id = _person_of(db, "plan_goals", goal_id)
    access.require_person(db, actor, participant_id)
    with write(db):
        row = records.check_version(db, "plan_goals", goal_id, expected_version)
        return records.update(db, "plan_goals", row, {"status": status}, actor.id,
                              participant_id=participant_id)


def add_step(db, actor: User, goal_id: int, step: str, deadline: dt.date | str | None, *,
             today: dt.date, token: str | None = None) -> tuple[int, bool]:
    participant_id = _person_of(db, "plan_goals", goal_id)
    access.require_person(db, actor, participant_id)
    step = text.clean(step, limit=text.SHORT_TEXT_MAX, required=True, field="step")
    deadline = dates.plan_day(deadline, today, field="deadline")
    return records.once(db, token, "step", actor.id, lambda: records.insert(
        db, "plan_steps", {"goal_id": goal_id, "step": step, "deadline": deadline,
                           "created_at": audit.now(), "created_by": actor.id}, actor.id,
        participant_id=participant_id))


def update_goal(db, actor: User, goal_id: int, expected_version: int, status: str,
                new_step: str = "", step_deadline: dt.date | str | None = None, *,
                today: dt.date, token: str | None = None) -> bool:
    """The goal form's one save: its status and, when typed, a new step; all or nothing.

    Returns True when something changed.
    """
    with write(db):
        version = set_goal_status(db, actor, goal_id, expected_version, status)
        added = False
        if text.clean(new_step, limit=text.SHORT_TEXT_MAX, field="step"):
            added = add_step(db, actor, goal_id, new_step, step_deadline, today=today,
                             token=token)[1]
        return added or version != expected_version


def complete_step(db, actor: User, step_id: int, on: dt.date, *, today: dt.date) -> None:
    day = dates.event_day(on, today)
    goal_id = _person_of(db, "plan_steps", step_id, via="goal_id")
    participant_id = _person_of(db, "plan_goals", goal_id)
    access.require_person(db, actor, participant_id)
    with write(db):
        done = db.execute("SELECT done_on FROM plan_steps WHERE id = ?", [step_id]).fetchone()
        if done[0] is None:  # a second click changes nothing
            db.execute("UPDATE plan_steps SET done_on = ? WHERE id = ?", [day, step_id])
            audit.log_changes(db, actor.id, "plan_steps", step_id, participant_id, "update",
                              {"done_on": (None, day)})


GOALS_SQL = ("SELECT id, goal, deadline, status, version, substr(created_at, 1, 10) AS "
             "created_on FROM plan_goals WHERE participant_id = :participant ORDER BY id")
STEPS_SQL = ("SELECT s.goal_id, s.id, s.step, s.deadline, s.done_on FROM plan_steps s "
             "JOIN plan_goals g ON g.id = s.goal_id WHERE g.participant_id = :participant "
             "ORDER BY s.id")


def _plan(db, participant_id: int) -> list[Goal]:
    params = {"participant": participant_id}
    steps: dict[int, list[Step]] = {}
    for row in records.named_rows(db.execute(STEPS_SQL, params)):
        steps.setdefault(row.pop("goal_id"), []).append(Step(**row))
    return [Goal(**row, steps=tuple(steps.get(row["id"], ())))
            for row in records.named_rows(db.execute(GOALS_SQL, params))]


# -- contact log -----------------------------------------------------------------------
@dataclass(frozen=True)
class Contact:
    id: int
    date: str
    kind: str
    note: str
    next_step: str | None
    who: str | None


def add_contact(db, actor: User, participant_id: int, *, on: dt.date | str, kind: str,
                note: str, next_step: str = "", today: dt.date,
                token: str | None = None, session_id: int | None = None) -> tuple[int, bool]:
    """``session_id``: the visit the contact was made on (one contact per person and visit,
    ``schedule.record_visit``)."""
    access.require_person(db, actor, participant_id)
    day = dates.event_day(on, today, field="contact_date")
    if kind not in vocab.CONTACT_KINDS:
        raise UserError("error.contact_kind_invalid", field="contact_kind")
    values = {"participant_id": participant_id, "date": day, "kind": kind,
              "note": text.clean(note, limit=text.NOTE_MAX, required=True, multiline=True,
                                 field="note"),
              "next_step": text.clean(next_step, limit=text.SHORT_TEXT_MAX, field="next_step"),
              "created_at": audit.now(), "created_by": actor.id}
    if session_id is not None:
        values["session_id"] = session_id
    return records.once(db, token, "contact", actor.id, lambda: records.insert(
        db, "contacts", values, actor.id, participant_id=participant_id))


CONTACTS_SQL = ("SELECT c.id, c.date, c.kind, c.note, c.next_step, u.display_name AS who "
                "FROM contacts c LEFT JOIN users u ON u.id = c.created_by "
                "WHERE c.participant_id = :participant ORDER BY c.date DESC, c.id DESC LIMIT 200")


# -- tasks and follow-ups ----------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    id: int
    kind: str
    title: str | None
    due_date: str
    done_at: str | None

    def overdue(self, today: dt.date) -> bool:
        return is_overdue(self.due_date, self.done_at, today)


def add_task(db, actor: User, participant_id: int, title: str, due: dt.date | str | None, *,
             today: dt.date, token: str | None = None) -> tuple[int, bool]:
    access.require_person(db, actor, participant_id)
    title = text.clean(title, limit=text.SHORT_TEXT_MAX, required=True, field="task")
    due = dates.plan_day(due, today, field="due", required=True)

    def insert() -> int:
        coordinator = _person_of(db, "participants", participant_id, via="coordinator_id")
        return records.insert(db, "tasks", {
            "participant_id": participant_id, "kind": "other", "title": title,
            "due_date": due, "assigned_to": coordinator, "created_at": audit.now()}, actor.id,
            participant_id=participant_id)
    return records.once(db, token, "task", actor.id, insert)


def complete_task(db, actor: User, task_id: int, on: dt.date, *, today: dt.date) -> None:
    """Mark a task done; a follow-up is done by moving the case to its stage instead."""
    day = dates.event_day(on, today)
    participant_id = _person_of(db, "tasks", task_id)
    access.require_person(db, actor, participant_id)
    with write(db):
        task = records.row(db, "tasks", task_id)
        if task["kind"] != "other":
            raise UserError("error.follow_up_by_stage")
        if task["done_at"] is None:
            db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [day, task_id])
            audit.log_changes(db, actor.id, "tasks", task_id, participant_id, "update",
                              {"done_at": (None, day)})


TASKS_SQL = ("SELECT id, kind, title, due_date, done_at FROM tasks "
             "WHERE participant_id = :participant ORDER BY done_at IS NOT NULL, due_date")


def next_due(db, actor: User, participant_id: int) -> str | None:
    """The due date of her earliest open task, if any."""
    access.require_person(db, actor, participant_id)
    return db.execute("SELECT MIN(due_date) FROM tasks WHERE participant_id = ? AND "
                      "done_at IS NULL", [participant_id]).fetchone()[0]


# -- referrals to other institutions ----------------------------------------------------------
@dataclass(frozen=True)
class ReferralOut:
    id: int
    institution: str
    purpose: str | None
    sent_on: str
    status: str
    answer: str | None
    answered_on: str | None
    version: int


def add_referral_out(db, actor: User, participant_id: int, institution: str, purpose: str, *,
                     sent_on: dt.date | str, today: dt.date,
                     token: str | None = None) -> tuple[int, bool]:
    access.require_person(db, actor, participant_id)
    values = {"participant_id": participant_id,
              "institution": text.clean(institution, limit=text.SHORT_TEXT_MAX, required=True,
                                        field="institution"),
              "purpose": text.clean(purpose, limit=text.NOTE_MAX, multiline=True,
                                    field="purpose"),
              "sent_on": dates.event_day(sent_on, today, field="sent_on"), "status": "sent",
              "created_at": audit.now(), "created_by": actor.id}
    def insert() -> int:
        if consent.sharing_withdrawn(db, participant_id, values["institution"]):
            raise UserError("error.referral_consent_withdrawn", field="institution",
                            institution=values["institution"])
        return records.insert(db, "referrals_out", values, actor.id,
                              participant_id=participant_id)

    return records.once(db, token, "referral_out", actor.id, insert)


def answer_referral_out(db, actor: User, referral_id: int, expected_version: int, status: str,
                        answer: str, *, on: dt.date, today: dt.date) -> int:
    if status not in vocab.REFERRAL_OUT_STATUSES:
        raise UserError("error.status_invalid", field="status")
    day = dates.event_day(on, today)
    answer = text.clean(answer, limit=text.NOTE_MAX, multiline=True, field="answer")
    participant_id = _person_of(db, "referrals_out", referral_id)
    access.require_person(db, actor, participant_id)
    with write(db):
        row = records.check_version(db, "referrals_out", referral_id, expected_version)
        return records.update(db, "referrals_out", row,
                              {"status": status, "answer": answer, "answered_on": day},
                              actor.id, participant_id=participant_id)


REFERRALS_SQL = ("SELECT id, institution, purpose, sent_on, status, answer, answered_on, version "
                 "FROM referrals_out WHERE participant_id = :participant ORDER BY sent_on DESC")


# -- follow-up records --------------------------------------------------------------------
@dataclass(frozen=True)
class FollowUp:
    kind: str
    situation: str
    observed_on: str


FOLLOW_UPS_SQL = ("SELECT kind, situation, observed_on FROM follow_ups WHERE participant_id = "
                  ":participant ORDER BY observed_on, id")


# -- timeline ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    day: str
    kind: str      # stage, contact, score, goal, step, task, referral_out
    code: str      # a code the UI translates (a stage, a contact kind ...)
    detail: str    # free text as entered, or a reason code
    at: str = ""   # when, to the second where known: orders a day's events


@dataclass(frozen=True)
class StageChange:
    changed_at: str
    from_stage: str | None
    to_stage: str
    reason: str | None


STAGE_HISTORY_SQL = ("SELECT changed_at, from_stage, to_stage, reason FROM stage_history "
                     "WHERE participant_id = :participant ORDER BY changed_at, id")
TIMELINE_LIMIT = 300


@dataclass(frozen=True)
class CaseRecord:
    """Everything on a person's record beyond her own row, each part read once."""
    scores: list[Score]
    plan: list[Goal]
    contacts: list[Contact]
    tasks: list[Task]
    referrals: list[ReferralOut]
    stage_history: list[StageChange]
    follow_ups: list[FollowUp]
    history: list[audit.Change]

    def open_tasks(self) -> list[Task]:
        return [task for task in self.tasks if task.done_at is None]

    @property
    def timeline(self) -> list[Event]:
        """Everything that happened to the person, newest first (at most TIMELINE_LIMIT)."""
        events = [Event(h.changed_at[:10], "stage", h.to_stage, h.reason or "", h.changed_at)
                  for h in self.stage_history]
        events += [Event(c.date, "contact", c.kind, c.note or "") for c in self.contacts]
        events += [Event(day, "score", "", "") for day in {s.scored_on for s in self.scores}]
        for goal in self.plan:
            events.append(Event(goal.created_on, "goal", goal.status, goal.goal))
            events += [Event(step.done_on, "step", "", step.step)
                       for step in goal.steps if step.done_on]
        events += [Event(task.done_at[:10], "task", task.kind, task.title or "")
                   for task in self.tasks if task.done_at]
        for ref in self.referrals:
            events.append(Event(ref.sent_on, "referral_out", "sent", ref.institution))
            if ref.answered_on:
                events.append(Event(ref.answered_on, "referral_out", ref.status,
                                    ref.institution))
        events.sort(key=lambda e: (e.day, e.at), reverse=True)
        return events[:TIMELINE_LIMIT]


def case_record(db, actor: User, participant_id: int) -> CaseRecord:
    access.require_person(db, actor, participant_id)
    params = {"participant": participant_id}
    return CaseRecord(
        records.as_rows(Score, db.execute(SCORES_SQL, params)),
        _plan(db, participant_id),
        records.as_rows(Contact, db.execute(CONTACTS_SQL, params)),
        records.as_rows(Task, db.execute(TASKS_SQL, params)),
        records.as_rows(ReferralOut, db.execute(REFERRALS_SQL, params)),
        records.as_rows(StageChange, db.execute(STAGE_HISTORY_SQL, params)),
        records.as_rows(FollowUp, db.execute(FOLLOW_UPS_SQL, params)),
        audit.history(db, participant_id))


RECORD_QUERIES = (SCORES_SQL, GOALS_SQL, STEPS_SQL, CONTACTS_SQL, TASKS_SQL, REFERRALS_SQL,
                  STAGE_HISTORY_SQL, FOLLOW_UPS_SQL)
