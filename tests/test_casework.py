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
        db, valid_form(db, referral_date=TODAY - dt.timedelta(days=100)), area="gorenjska",
        coordinator_id=ana.id, user_id=ana.id, today=TODAY)
    return pid


def rows(db, table, pid) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE participant_id = ?",
                      [pid]).fetchone()[0]


def test_rescoring_shows_the_change_per_area(db, pid):
    ana = coordinator(db)
    first = TODAY - dt.timedelta(days=60)
    casework.score_problems(db, pid, {"debt": 3, "housing": 2}, on=first, user_id=ana.id,
                            today=TODAY)
    casework.score_problems(db, pid, {"debt": 1, "housing": 2}, on=TODAY, user_id=ana.id,
                            today=TODAY)
    change = casework.latest_change(casework.problem_scores(db, pid))
    assert change == {"debt": (3, 1), "housing": (2, 2)}
    # The same day scored again replaces that day's score and logs the change.
    casework.score_problems(db, pid, {"debt": 2}, on=TODAY, user_id=ana.id, today=TODAY)
    assert casework.latest_change(casework.problem_scores(db, pid))["debt"] == (3, 2)
    assert db.execute("SELECT old_value, new_value FROM audit_log WHERE table_name = "
                      "'problem_scores' AND action = 'update' AND participant_id = ?",
                      [pid]).fetchall() == [("1", "2")]


def test_scores_outside_0_to_3_are_refused(db, pid):
    with pytest.raises(UserError):
        casework.score_problems(db, pid, {"debt": 4}, on=TODAY, user_id=1, today=TODAY)
    with pytest.raises(UserError):
        casework.score_problems(db, pid, {"luck": 1}, on=TODAY, user_id=1, today=TODAY)
    assert rows(db, "problem_scores", pid) == 0


def test_plan_goals_steps_and_status_with_versions(db, pid):
    ana = coordinator(db)
    goal_id, _ = casework.add_goal(db, pid, "Urediti dolgove", TODAY + dt.timedelta(days=90),
                                   user_id=ana.id, today=TODAY)
    step_id, _ = casework.add_step(db, goal_id, "Srečanje s svetovalcem", TODAY, user_id=ana.id,
                                   today=TODAY)
    casework.complete_step(db, step_id, TODAY, user_id=ana.id, today=TODAY)
    version = casework.set_goal_status(db, goal_id, 1, "in_progress", user_id=ana.id)
    with pytest.raises(ConflictError):
        casework.set_goal_status(db, goal_id, 1, "dropped", user_id=ana.id)
    [goal] = casework.plan(db, pid)
    assert (goal.status, goal.version, version) == ("in_progress", 2, 2)
    assert [(s.step, s.done_on) for s in goal.steps] == [("Srečanje s svetovalcem",
                                                          TODAY.isoformat())]


def test_a_contact_note_of_50000_characters_is_refused_whole(db, pid):
    before = (rows(db, "contacts", pid), rows(db, "audit_log", pid))
    with pytest.raises(UserError) as err:
        casework.add_contact(db, pid, on=TODAY, kind="phone", note="x" * 50_000, user_id=1,
                             today=TODAY)
    assert err.value.key == "error.text_too_long"
    assert (rows(db, "contacts", pid), rows(db, "audit_log", pid)) == before


def test_a_double_clicked_contact_is_saved_once(db, pid):
    ana = coordinator(db)
    for _ in range(2):
        casework.add_contact(db, pid, on=TODAY, kind="home_visit", note="Obisk na domu",
                             next_step="Poklicati", user_id=ana.id, today=TODAY, token="t1")
    assert [c[2:5] for c in casework.contacts(db, pid)] == [
        ("home_visit", "Obisk na domu", "Poklicati")]


def test_follow_ups_are_closed_by_stage_not_by_ticking(db, pid):
    ana = coordinator(db)
    db.execute("INSERT INTO tasks (participant_id, kind, due_date, assigned_to, created_at) "
               "VALUES (?, 'follow_up_4w', ?, ?, ?)", [pid, TODAY.isoformat(), ana.id, "x"])
    follow_up = db.execute("SELECT id FROM tasks WHERE participant_id = ?", [pid]).fetchone()[0]
    with pytest.raises(UserError) as err:
        casework.complete_task(db, follow_up, TODAY, user_id=ana.id, today=TODAY)
    assert err.value.key == "error.follow_up_by_stage"
    task_id, _ = casework.add_task(db, pid, "Pridobiti potrdilo", TODAY, user_id=ana.id,
                                   today=TODAY)
    casework.complete_task(db, task_id, TODAY, user_id=ana.id, today=TODAY)
    done = {r[0]: r[4] for r in casework.tasks(db, pid)}
    assert done[task_id] == TODAY.isoformat() and done[follow_up] is None


def test_referral_out_gets_an_answer(db, pid):
    ana = coordinator(db)
    rid, _ = casework.add_referral_out(db, pid, "Ljudska univerza Kranj", "Tečaj slovenščine",
                                       sent_on=TODAY - dt.timedelta(days=10), user_id=ana.id,
                                       today=TODAY)
    casework.answer_referral_out(db, rid, 1, "accepted", "Vpisana v tečaj", on=TODAY,
                                 user_id=ana.id, today=TODAY)
    [ref] = casework.referrals_out(db, pid)
    assert (ref.status, ref.answer, ref.answered_on, ref.version) == (
        "accepted", "Vpisana v tečaj", TODAY.isoformat(), 2)


def test_timeline_gathers_everything_newest_first(db, pid):
    ana = coordinator(db)
    casework.add_contact(db, pid, on=TODAY - dt.timedelta(days=5), kind="phone", note="Klic",
                         user_id=ana.id, today=TODAY)
    casework.score_problems(db, pid, {"debt": 2}, on=TODAY - dt.timedelta(days=4),
                            user_id=ana.id, today=TODAY)
    casework.add_referral_out(db, pid, "ZRSZ", "", sent_on=TODAY - dt.timedelta(days=2),
                              user_id=ana.id, today=TODAY)
    kinds = [(e.day, e.kind) for e in casework.timeline(db, pid)]
    assert kinds == sorted(kinds, reverse=True)
    assert {k for _, k in kinds} == {"stage", "contact", "score", "referral_out"}


def test_opening_a_record_is_in_the_audit_log(db, pid):
    maja = coordinator(db, "maja.zupan")
    audit.log_open(db, maja.id, pid)
    latest = audit.history(db, pid)[0]
    assert (latest.action, latest.user) == ("open", maja.display_name)


def test_a_back_dated_move_sorts_by_when_it_happened(db):
    from workbench import stages

    ana = coordinator(db)
    pid, _ = participants.create_person(
        db, valid_form(db, emso=None, first_name="Zala", last_name="Pozna",
                       referral_date=TODAY - dt.timedelta(days=10)),
        area="gorenjska", coordinator_id=ana.id, user_id=ana.id, today=TODAY,
        different_person=True)
    stages.move_stage(db, pid, 1, stages.Move("first_interview", TODAY - dt.timedelta(days=5)),
                      user_id=ana.id, today=TODAY)
    events = [(e.day, e.code) for e in casework.timeline(db, pid) if e.kind == "stage"]
    assert events == [((TODAY - dt.timedelta(days=5)).isoformat(), "first_interview"),
                      ((TODAY - dt.timedelta(days=10)).isoformat(), "referred")]


def test_the_goal_form_saves_its_status_and_step_together_or_not_at_all(db, pid):
    ana = coordinator(db)
    goal_id, _ = casework.add_goal(db, pid, "Zaposlitev", None, user_id=ana.id, today=TODAY)
    # The step is refused (too long): the status change must not stay behind.
    with pytest.raises(UserError) as err, write(db):
        casework.update_goal(db, goal_id, 1, "in_progress", "x" * 500, None, user_id=ana.id,
                             today=TODAY)
    assert err.value.key == "error.text_too_long"
    [goal] = casework.plan(db, pid)
    assert (goal.status, goal.version, goal.steps) == ("open", 1, ())
    assert casework.update_goal(db, goal_id, 1, "in_progress", "Prijava na ZRSZ", TODAY,
                                user_id=ana.id, today=TODAY)
    [goal] = casework.plan(db, pid)
    assert (goal.status, [s.step for s in goal.steps]) == ("in_progress", ["Prijava na ZRSZ"])
    # Nothing changed is said as such.
    assert not casework.update_goal(db, goal_id, 2, "in_progress", "", None, user_id=ana.id,
                                    today=TODAY)


@pytest.mark.parametrize("call", [
    lambda db, pid, uid: casework.add_contact(db, pid, on=dt.date(1900, 1, 1), kind="phone",
                                              note="Star", user_id=uid, today=TODAY),
    lambda db, pid, uid: casework.add_contact(db, pid, on=TODAY, kind="phone",
                                              note="Ana\x00Evil", user_id=uid, today=TODAY),
    lambda db, pid, uid: casework.add_task(db, pid, "\u200b", TODAY, user_id=uid, today=TODAY),
    lambda db, pid, uid: casework.add_goal(db, pid, "Cilj\u202e", None, user_id=uid,
                                           today=TODAY),
    lambda db, pid, uid: casework.add_referral_out(db, pid, "ZRSZ", "", sent_on=dt.date(
        1930, 1, 1), user_id=uid, today=TODAY),
])
def test_bad_text_and_ancient_dates_write_nothing(db, pid, call):
    ana = coordinator(db)
    before = [rows(db, t, pid) for t in ("contacts", "tasks", "plan_goals", "referrals_out",
                                        "audit_log")]
    with pytest.raises(UserError):
        call(db, pid, ana.id)
    assert [rows(db, t, pid) for t in ("contacts", "tasks", "plan_goals", "referrals_out",
                                      "audit_log")] == before
