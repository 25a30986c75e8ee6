"""The record's parts: problem overview over time, plan, contacts, tasks, referrals, timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import coordinator, valid_form
from tests.conftest import TODAY
from workbench import audit, casework, participants
from workbench.db import write
from workbench.errors import ConflictError, UserError


@pytest.fixture
def pid(db):
    ana = coordinator(db)
    pid, _ = participants.create_person(
        db, ana, valid_form(db, referral_date=TODAY - dt.timedelta(days=100)),
        coordinator_id=ana.id, today=TODAY)
    return pid


def record(db, pid):
    return casework.case_record(db, coordinator(db), pid)


def rows(db, table, pid) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE participant_id = ?",
                      [pid]).fetchone()[0]


def test_rescoring_shows_the_change_per_area(db, pid):
    ana = coordinator(db)
    first = TODAY - dt.timedelta(days=60)
    casework.score_problems(db, ana, pid, {"debt": 3, "housing": 2}, on=first,
                            today=TODAY)
    casework.score_problems(db, ana, pid, {"debt": 1, "housing": 2}, on=TODAY,
                            today=TODAY)
    change = casework.latest_change(record(db, pid).scores)
    assert change == {"debt": (3, 1), "housing": (2, 2)}
    # The same day scored again replaces that day's score and logs the change.
    casework.score_problems(db, ana, pid, {"debt": 2}, on=TODAY, today=TODAY)
    assert casework.latest_change(record(db, pid).scores)["debt"] == (3, 2)
    assert db.execute("SELECT old_value, new_value FROM audit_log WHERE table_name = "
                      "'problem_scores' AND action = 'update' AND participant_id = ?",
                      [pid]).fetchall() == [("1", "2")]


def test_scores_outside_0_to_3_are_refused(db, pid):
    with pytest.raises(UserError):
        casework.score_problems(db, coordinator(db), pid, {"debt": 4}, on=TODAY, today=TODAY)
    with pytest.raises(UserError):
        casework.score_problems(db, coordinator(db), pid, {"luck": 1}, on=TODAY, today=TODAY)
    assert rows(db, "problem_scores", pid) == 0


def test_plan_goals_steps_and_status_with_versions(db, pid):
    ana = coordinator(db)
    goal_id, _ = casework.add_goal(db, ana, pid, "Urediti dolgove",
                                   TODAY + dt.timedelta(days=90), today=TODAY)
    step_id, _ = casework.add_step(db, ana, goal_id, "Srečanje s svetovalcem", TODAY,
                                   today=TODAY)
    casework.complete_step(db, ana, step_id, TODAY, today=TODAY)
    version = casework.set_goal_status(db, ana, goal_id, 1, "in_progress")
    with pytest.raises(ConflictError):
        casework.set_goal_status(db, ana, goal_id, 1, "dropped")
    [goal] = record(db, pid).plan
    assert (goal.status, goal.version, version) == ("in_progress", 2, 2)
    assert [(s.step, s.done_on) for s in goal.steps] == [("Srečanje s svetovalcem",
                                                          TODAY.isoformat())]


def test_a_contact_note_of_50000_characters_is_refused_whole(db, pid):
    before = (rows(db, "contacts", pid), rows(db, "audit_log", pid))
    with pytest.raises(UserError) as err:
        casework.add_contact(db, coordinator(db), pid, on=TODAY, kind="phone", note="x" * 50_000,
                             today=TODAY)
    assert err.value.key == "error.text_too_long"
    assert (rows(db, "contacts", pid), rows(db, "audit_log", pid)) == before


def test_a_double_clicked_contact_is_saved_once(db, pid):
    ana = coordinator(db)
    for _ in range(2):
        casework.add_contact(db, ana, pid, on=TODAY, kind="home_visit", note="Obisk na domu",
                             next_step="Poklicati", today=TODAY, token="t1")
    assert [(c.kind, c.note, c.next_step) for c in record(db, pid).contacts] == [
        ("home_visit", "Obisk na domu", "Poklicati")]


def test_follow_ups_are_closed_by_stage_not_by_ticking(db, pid):
    ana = coordinator(db)
    db.execute("INSERT INTO tasks (participant_id, kind, due_date, assigned_to, created_at) "
               "VALUES (?, 'follow_up_4w', ?, ?, ?)", [pid, TODAY.isoformat(), ana.id, "x"])
    follow_up = db.execute("SELECT id FROM tasks WHERE participant_id = ?", [pid]).fetchone()[0]
    with pytest.raises(UserError) as err:
        casework.complete_task(db, ana, follow_up, TODAY, today=TODAY)
    assert err.value.key == "error.follow_up_by_stage"
    task_id, _ = casework.add_task(db, ana, pid, "Pridobiti potrdilo", TODAY,
                                   today=TODAY)
    casework.complete_task(db, ana, task_id, TODAY, today=TODAY)
    done = {task.id: task.done_at for task in record(db, pid).tasks}
    assert done[task_id] == TODAY.isoformat() and done[follow_up] is None


def test_referral_out_gets_an_answer(db, pid):
    ana = coordinator(db)
    rid, _ = casework.add_referral_out(db, ana, pid, "Ljudska univerza Kranj", "Tečaj slovenščine",
                                       sent_on=TODAY - dt.timedelta(days=10),
                                       today=TODAY)
    casework.answer_referral_out(db, ana, rid, 1, "accepted", "Vpisana v tečaj", on=TODAY,
                                 today=TODAY)
    [ref] = record(db, pid).referrals
    assert (ref.status, ref.answer, ref.answered_on, ref.version) == (
        "accepted", "Vpisana v tečaj", TODAY.isoformat(), 2)


def test_timeline_gathers_everything_newest_first(db, pid):
    ana = coordinator(db)
    casework.add_contact(db, ana, pid, on=TODAY - dt.timedelta(days=5), kind="phone",
                         note="Klic", today=TODAY)
    casework.score_problems(db, ana, pid, {"debt": 2}, on=TODAY - dt.timedelta(days=4), today=TODAY)
    casework.add_referral_out(db, ana, pid, "ZRSZ", "", sent_on=TODAY - dt.timedelta(days=2),
                              today=TODAY)
    kinds = [(e.day, e.kind) for e in record(db, pid).timeline]
    assert kinds == sorted(kinds, reverse=True)
    assert {k for _, k in kinds} == {"stage", "contact", "score", "referral_out"}


def test_opening_a_record_is_in_the_audit_log(db, pid):
    maja = coordinator(db, "maja.zupan")
    audit.log_open(db, maja.id, pid)
    latest = audit.history(db, pid)[0]
    assert (latest.action, latest.user) == ("open", maja.display_name)


def test_a_back_dated_move_sorts_by_when_it_happened(db):
    from workbench import pipeline

    ana = coordinator(db)
    pid, _ = participants.create_person(
        db, ana, valid_form(db, emso=None, first_name="Zala", last_name="Pozna",
                       referral_date=TODAY - dt.timedelta(days=10)), coordinator_id=ana.id,
        today=TODAY, different_person=True)
    pipeline.move_stage(db, ana, pid, 1,
                        pipeline.Move("first_interview", TODAY - dt.timedelta(days=5)),
                        today=TODAY)
    events = [(e.day, e.code) for e in record(db, pid).timeline if e.kind == "stage"]
    assert events == [((TODAY - dt.timedelta(days=5)).isoformat(), "first_interview"),
                      ((TODAY - dt.timedelta(days=10)).isoformat(), "referred")]


def test_the_goal_form_saves_its_status_and_step_together_or_not_at_all(db, pid):
    ana = coordinator(db)
    goal_id, _ = casework.add_goal(db, ana, pid, "Zaposlitev", None, today=TODAY)
    # The step is refused (too long): the status change must not stay behind.
    with pytest.raises(UserError) as err, write(db):
        casework.update_goal(db, ana, goal_id, 1, "in_progress", "x" * 500, None,
                             today=TODAY)
    assert err.value.key == "error.text_too_long"
    [goal] = record(db, pid).plan
    assert (goal.status, goal.version, goal.steps) == ("open", 1, ())
    assert casework.update_goal(db, ana, goal_id, 1, "in_progress", "Prijava na ZRSZ", TODAY,
                                today=TODAY)
    [goal] = record(db, pid).plan
    assert (goal.status, [s.step for s in goal.steps]) == ("in_progress", ["Prijava na ZRSZ"])
    # Nothing changed is said as such.
    assert not casework.update_goal(db, ana, goal_id, 2, "in_progress", "", None,
                                    today=TODAY)


@pytest.mark.parametrize("call", [
    lambda db, pid, actor: casework.add_contact(db, actor, pid, on=dt.date(1900, 1, 1),
                                                kind="phone", note="Star", today=TODAY),
    lambda db, pid, actor: casework.add_contact(db, actor, pid, on=TODAY, kind="phone",
                                              note="Ana\x00Evil", today=TODAY),
    lambda db, pid, actor: casework.add_task(db, actor, pid, "\u200b", TODAY, today=TODAY),
    lambda db, pid, actor: casework.add_goal(db, actor, pid, "Cilj\u202e", None,
                                           today=TODAY),
    lambda db, pid, actor: casework.add_referral_out(db, actor, pid, "ZRSZ", "", sent_on=dt.date(
        1930, 1, 1), today=TODAY),
])
def test_bad_text_and_ancient_dates_write_nothing(db, pid, call):
    ana = coordinator(db)
    before = [rows(db, t, pid) for t in ("contacts", "tasks", "plan_goals", "referrals_out",
                                        "audit_log")]
    with pytest.raises(UserError):
        call(db, pid, ana)
    assert [rows(db, t, pid) for t in ("contacts", "tasks", "plan_goals", "referrals_out",
                                      "audit_log")] == before
