"""The rest of the single entry point: problem overview, plan, contacts, tasks, referrals out.

Each added record can carry a form token (``submissions.once``) so that a
double-clicked save adds it once; every write leaves audit rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import audit, dates, submissions, text, vocab
from workbench.db import write
from workbench.errors import ConflictError, UserError


def _insert(db: sqlite_utils.Database, table: str, participant_id: int, user_id: int,
            values: dict[str, object]) -> int:
    columns = ", ".join(values)
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES "
                        f"({', '.join('?' * len(values))})", list(values.values()))
    audit.log_created(db, user_id, table, cursor.lastrowid, participant_id, values)
    return cursor.lastrowid


def _participant_exists(db: sqlite_utils.Database, participant_id: int) -> None:
    if db.execute("SELECT 1 FROM participants WHERE id = ?", [participant_id]).fetchone() is None:
        raise UserError("error.person_missing")


# -- problem overview ------------------------------------------------------------------
def score_problems(db: sqlite_utils.Database, participant_id: int, scores: dict[str, int], *,
                   on: dt.date, user_id: int, today: dt.date) -> None:
    """Record an assessment; scoring the same area again on the same day replaces it."""
    day = dates.event_day(on, today, field="scored_on")
    if not scores:
        raise UserError("error.scores_required")
    for area, score in scores.items():
        if area not in vocab.PROBLEM_AREAS or score not in vocab.PROBLEM_SCORES:
            raise UserError("error.score_invalid")
    with write(db):
        _participant_exists(db, participant_id)
        for area, score in scores.items():
            old = db.execute("SELECT id, score FROM problem_scores WHERE participant_id = ? AND "
                             "scored_on = ? AND area = ?", [participant_id, day, area]).fetchone()
            if old is None:
                _insert(db, "problem_scores", participant_id, user_id,
                        {"participant_id": participant_id, "area": area, "score": score,
                         "scored_on": day, "scored_by": user_id})
            elif old[1] != score:
                db.execute("UPDATE problem_scores SET score = ?, scored_by = ? WHERE id = ?",
                           [score, user_id, old[0]])
                audit.log_changes(db, user_id, "problem_scores", old[0], participant_id,
                                  "update", {"score": (old[1], score)})


SCORES_SQL = ("SELECT scored_on, area, score FROM problem_scores WHERE participant_id = "
              ":participant ORDER BY scored_on, area")


def problem_scores(db: sqlite_utils.Database, participant_id: int) -> list[tuple[str, str, int]]:
    """(day, area, score) of every assessment, oldest first."""
    return [tuple(r) for r in db.execute(SCORES_SQL, {"participant": participant_id})]


def latest_change(scores: list[tuple[str, str, int]]) -> dict[str, tuple[int | None, int]]:
    """Per area: (the score before the latest, the latest); the change a coordinator looks for."""
    by_area: dict[str, list[int]] = {}
    for _, area, score in scores:
        by_area.setdefault(area, []).append(score)
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
    steps: tuple[Step, ...]


def add_goal(db, participant_id: int, goal: str, deadline: dt.date | str | None, *,
             user_id: int, today: dt.date, token: str | None = None) -> tuple[int, bool]:
    goal = text.clean(goal, limit=text.SHORT_TEXT_MAX, required=True, field="goal")
    deadline = dates.plan_day(deadline, today, field="deadline")

    def insert() -> int:
        _participant_exists(db, participant_id)
        return _insert(db, "plan_goals", participant_id, user_id, {
            "participant_id": participant_id, "goal": goal, "deadline": deadline,
            "status": "open", "created_at": audit.now(), "created_by": user_id})
    return submissions.once(db, token, "goal", user_id, insert)


def set_goal_status(db, goal_id: int, expected_version: int, status: str, *,
                    user_id: int) -> int:
    if status not in vocab.GOAL_STATUSES:
        raise UserError("error.status_invalid")
    with write(db):
        row = db.execute("SELECT participant_id, status, version FROM plan_goals WHERE id = ?",
                         [goal_id]).fetchone()
        if row is None:
            raise UserError("error.record_missing")
        participant_id, old, version = row
        if version != expected_version:
            raise ConflictError("conflict.record")
        if old == status:
            return version
        db.execute("UPDATE plan_goals SET status = ?, version = version + 1 WHERE id = ?",
                   [status, goal_id])
        audit.log_changes(db, user_id, "plan_goals", goal_id, participant_id, "update",
                          {"status": (old, status)}, version + 1)
        return version + 1


def add_step(db, goal_id: int, step: str, deadline: dt.date | str | None, *, user_id: int,
             today: dt.date, token: str | None = None) -> tuple[int, bool]:
    step = text.clean(step, limit=text.SHORT_TEXT_MAX, required=True, field="step")
    deadline = dates.plan_day(deadline, today, field="deadline")

    def insert() -> int:
        row = db.execute("SELECT participant_id FROM plan_goals WHERE id = ?",
                         [goal_id]).fetchone()
        if row is None:
            raise UserError("error.record_missing")
        return _insert(db, "plan_steps", row[0], user_id, {
            "goal_id": goal_id, "step": step, "deadline": deadline,
            "created_at": audit.now(), "created_by": user_id})
    return submissions.once(db, token, "step", user_id, insert)


def update_goal(db, goal_id: int, expected_version: int, status: str, new_step: str = "",
                step_deadline: dt.date | str | None = None, *, user_id: int, today: dt.date,
                token: str | None = None) -> bool:
    """The goal form's one save: its status and, when typed, a new step; all or nothing.

    Returns True when something changed.
    """
    with write(db):
        version = set_goal_status(db, goal_id, expected_version, status, user_id=user_id)
        added = False
        if text.clean(new_step, limit=text.SHORT_TEXT_MAX, field="step"):
            added = add_step(db, goal_id, new_step, step_deadline, user_id=user_id, today=today,
                             token=token)[1]
        return added or version != expected_version


def complete_step(db, step_id: int, on: dt.date, *, user_id: int, today: dt.date) -> None:
    day = dates.event_day(on, today)
    with write(db):
        row = db.execute("SELECT g.participant_id, s.done_on FROM plan_steps s JOIN plan_goals g "
                         "ON g.id = s.goal_id WHERE s.id = ?", [step_id]).fetchone()
        if row is None:
            raise UserError("error.record_missing")
        if row[1] is None:  # a second click changes nothing
            db.execute("UPDATE plan_steps SET done_on = ? WHERE id = ?", [day, step_id])
            audit.log_changes(db, user_id, "plan_steps", step_id, row[0], "update",
                              {"done_on": (None, day)})


GOALS_SQL = ("SELECT id, goal, deadline, status, version, substr(created_at, 1, 10) "
             "FROM plan_goals "
             "WHERE participant_id = :participant ORDER BY id")
STEPS_SQL = ("SELECT s.goal_id, s.id, s.step, s.deadline, s.done_on FROM plan_steps s "
             "JOIN plan_goals g ON g.id = s.goal_id WHERE g.participant_id = :participant "
             "ORDER BY s.id")


def plan(db, participant_id: int) -> list[Goal]:
    params = {"participant": participant_id}
    steps: dict[int, list[Step]] = {}
    for goal_id, *step in db.execute(STEPS_SQL, params):
        steps.setdefault(goal_id, []).append(Step(*step))
    return [Goal(*row, steps=tuple(steps.get(row[0], ())))
            for row in db.execute(GOALS_SQL, params)]


# -- contact log -----------------------------------------------------------------------
def add_contact(db, participant_id: int, *, on: dt.date, kind: str, note: str,
                next_step: str = "", user_id: int, today: dt.date,
                token: str | None = None) -> tuple[int, bool]:
    day = dates.event_day(on, today, field="contact_date")
    if kind not in vocab.CONTACT_KINDS:
        raise UserError("error.contact_kind_invalid", field="contact_kind")
    values = {"participant_id": participant_id, "date": day, "kind": kind,
              "note": text.clean(note, limit=text.NOTE_MAX, required=True, multiline=True,
                                 field="note"),
              "next_step": text.clean(next_step, limit=text.SHORT_TEXT_MAX, field="next_step"),
              "created_at": audit.now(), "created_by": user_id}

    def insert() -> int:
        _participant_exists(db, participant_id)
        return _insert(db, "contacts", participant_id, user_id, values)
    return submissions.once(db, token, "contact", user_id, insert)


CONTACTS_SQL = ("SELECT c.id, c.date, c.kind, c.note, c.next_step, u.display_name FROM contacts c "
                "LEFT JOIN users u ON u.id = c.created_by WHERE c.participant_id = :participant "
                "ORDER BY c.date DESC, c.id DESC LIMIT 200")


def contacts(db, participant_id: int) -> list[tuple]:
    return [tuple(r) for r in db.execute(CONTACTS_SQL, {"participant": participant_id})]


# -- tasks and follow-ups ----------------------------------------------------------------
def add_task(db, participant_id: int, title: str, due: dt.date | str | None, *, user_id: int,
             today: dt.date, token: str | None = None) -> tuple[int, bool]:
    title = text.clean(title, limit=text.SHORT_TEXT_MAX, required=True, field="task")
    due = dates.plan_day(due, today, field="due", required=True)

    def insert() -> int:
        row = db.execute("SELECT coordinator_id FROM participants WHERE id = ?",
                         [participant_id]).fetchone()
        if row is None:
            raise UserError("error.person_missing")
        return _insert(db, "tasks", participant_id, user_id, {
            "participant_id": participant_id, "kind": "other", "title": title,
            "due_date": due, "assigned_to": row[0], "created_at": audit.now()})
    return submissions.once(db, token, "task", user_id, insert)


def complete_task(db, task_id: int, on: dt.date, *, user_id: int, today: dt.date) -> None:
    """Mark a task done; a follow-up is done by moving the case to its stage instead."""
    day = dates.event_day(on, today)
    with write(db):
        row = db.execute("SELECT participant_id, kind, done_at FROM tasks WHERE id = ?",
                         [task_id]).fetchone()
        if row is None:
            raise UserError("error.record_missing")
        if row[1] != "other":
            raise UserError("error.follow_up_by_stage")
        if row[2] is None:
            db.execute("UPDATE tasks SET done_at = ? WHERE id = ?", [day, task_id])
            audit.log_changes(db, user_id, "tasks", task_id, row[0], "update",
                              {"done_at": (None, day)})


def next_due(db, participant_id: int) -> str | None:
    """The due date of her earliest open task, if any."""
    return db.execute("SELECT MIN(due_date) FROM tasks WHERE participant_id = ? AND "
                      "done_at IS NULL", [participant_id]).fetchone()[0]


TASKS_SQL = ("SELECT id, kind, title, due_date, done_at FROM tasks "
             "WHERE participant_id = :participant ORDER BY done_at IS NOT NULL, due_date")


def tasks(db, participant_id: int) -> list[tuple]:
    return [tuple(r) for r in db.execute(TASKS_SQL, {"participant": participant_id})]


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


def add_referral_out(db, participant_id: int, institution: str, purpose: str, *,
                     sent_on: dt.date, user_id: int, today: dt.date,
                     token: str | None = None) -> tuple[int, bool]:
    values = {"participant_id": participant_id,
              "institution": text.clean(institution, limit=text.SHORT_TEXT_MAX, required=True,
                                        field="institution"),
              "purpose": text.clean(purpose, limit=text.NOTE_MAX, multiline=True,
                                    field="purpose"),
              "sent_on": dates.event_day(sent_on, today, field="sent_on"), "status": "sent",
              "created_at": audit.now(), "created_by": user_id}

    def insert() -> int:
        _participant_exists(db, participant_id)
        return _insert(db, "referrals_out", participant_id, user_id, values)
    return submissions.once(db, token, "referral_out", user_id, insert)


def answer_referral_out(db, referral_id: int, expected_version: int, status: str, answer: str,
                        *, on: dt.date, user_id: int, today: dt.date) -> int:
    if status not in vocab.REFERRAL_OUT_STATUSES:
        raise UserError("error.status_invalid")
    day = dates.event_day(on, today)
    answer = text.clean(answer, limit=text.NOTE_MAX, multiline=True, field="answer")
    with write(db):
        row = db.execute("SELECT participant_id, status, answer, version FROM referrals_out "
                         "WHERE id = ?", [referral_id]).fetchone()
        if row is None:
            raise UserError("error.record_missing")
        participant_id, old_status, old_answer, version = row
        if version != expected_version:
            raise ConflictError("conflict.record")
        db.execute("UPDATE referrals_out SET status = ?, answer = ?, answered_on = ?, "
                   "version = version + 1 WHERE id = ?", [status, answer, day, referral_id])
        audit.log_changes(db, user_id, "referrals_out", referral_id, participant_id, "update",
                          {k: v for k, v in {"status": (old_status, status),
                                             "answer": (old_answer, answer)}.items()
                           if v[0] != v[1]}, version + 1)
        return version + 1


REFERRALS_SQL = ("SELECT id, institution, purpose, sent_on, status, answer, answered_on, version "
                 "FROM referrals_out WHERE participant_id = :participant ORDER BY sent_on DESC")


def referrals_out(db, participant_id: int) -> list[ReferralOut]:
    return [ReferralOut(*r) for r in db.execute(REFERRALS_SQL, {"participant": participant_id})]


# -- timeline ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    day: str
    kind: str      # stage, contact, score, goal, task, referral_out
    code: str      # a code the UI translates (a stage, a contact kind ...)
    detail: str    # free text as entered, or a reason code


STAGE_HISTORY_SQL = ("SELECT changed_at, from_stage, to_stage, reason FROM stage_history "
                     "WHERE participant_id = :participant ORDER BY changed_at, id")
TIMELINE_LIMIT = 300


def stage_history(db, participant_id: int) -> list[tuple]:
    return [tuple(r) for r in db.execute(STAGE_HISTORY_SQL, {"participant": participant_id})]


@dataclass(frozen=True)
class CaseRecord:
    """Everything on a person's record beyond her own row, each part read once."""
    scores: list[tuple[str, str, int]]
    plan: list[Goal]
    contacts: list[tuple]
    tasks: list[tuple]
    referrals: list[ReferralOut]
    stage_history: list[tuple]
    history: list[audit.Change]

    @property
    def timeline(self) -> list[Event]:
        """Everything that happened to the person, newest first (at most TIMELINE_LIMIT)."""
        events = [Event(at[:10], "stage", to, reason or "")
                  for at, _, to, reason in self.stage_history]
        events += [Event(day, "contact", kind, note or "")
                   for _, day, kind, note, _, _ in self.contacts]
        events += [Event(day, "score", "", "") for day in {day for day, _, _ in self.scores}]
        for goal in self.plan:
            events.append(Event(goal.created_on, "goal", goal.status, goal.goal))
            events += [Event(step.done_on, "step", "", step.step)
                       for step in goal.steps if step.done_on]
        events += [Event(done[:10], "task", kind, title or "")
                   for _, kind, title, _, done in self.tasks if done]
        for ref in self.referrals:
            events.append(Event(ref.sent_on, "referral_out", "sent", ref.institution))
            if ref.answered_on:
                events.append(Event(ref.answered_on, "referral_out", ref.status,
                                    ref.institution))
        events.sort(key=lambda e: e.day, reverse=True)
        return events[:TIMELINE_LIMIT]


def case_record(db, participant_id: int) -> CaseRecord:
    return CaseRecord(problem_scores(db, participant_id), plan(db, participant_id),
                      contacts(db, participant_id), tasks(db, participant_id),
                      referrals_out(db, participant_id), stage_history(db, participant_id),
                      audit.history(db, participant_id))


def timeline(db, participant_id: int) -> list[Event]:
    return case_record(db, participant_id).timeline


RECORD_QUERIES = (SCORES_SQL, GOALS_SQL, STEPS_SQL, CONTACTS_SQL, TASKS_SQL, REFERRALS_SQL,
                  STAGE_HISTORY_SQL)
