"""The case pipeline: what is allowed, what each move requires, what it leaves behind, and
what entry and exit dates mean."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import coordinator, valid_form
from tests.conftest import TODAY
from workbench import participants, pipeline
from workbench.errors import ConflictError, UserError
from workbench.pipeline import Move


@pytest.fixture
def person(db):
    ana = coordinator(db)
    form = valid_form(db, referral_date=TODAY - dt.timedelta(days=60))
    pid, _ = participants.create_person(db, ana, form, coordinator_id=ana.id, today=TODAY)
    return pid


def move(db, pid, to, on=TODAY, **kwargs):
    ana = coordinator(db)
    version = participants.get_person(db, ana, pid).version
    return pipeline.move_stage(db, ana, pid, version, Move(to, on, **kwargs), today=TODAY)


def programme_id(db) -> int:
    return next(iter(pipeline.open_programmes(db, "gorenjska", TODAY)))


def test_allowed_moves_follow_the_pipeline():
    assert pipeline.allowed_moves("referred") == (
        "first_interview", "motivation", "contract", "in_programme", "closed")
    # Forward first; the one step back comes last, so it is never the first offered.
    assert pipeline.allowed_moves("motivation") == (
        "contract", "in_programme", "closed", "first_interview")
    assert pipeline.allowed_moves("in_programme") == ("exited",)
    assert pipeline.allowed_moves("exited") == ("follow_up_4w", "referred")
    assert pipeline.allowed_moves("closed") == ("referred",)


def test_a_move_without_a_chosen_stage_is_refused_by_name(db, person):
    with pytest.raises(UserError) as refused:
        move(db, person, None)
    assert (refused.value.key, refused.value.field) == ("error.stage_required", "to_stage")


def test_a_move_records_who_when_and_why(db, person):
    move(db, person, "first_interview", on=TODAY - dt.timedelta(days=3))
    row = db.execute("SELECT from_stage, to_stage, substr(changed_at, 1, 10), changed_by "
                     "FROM stage_history WHERE participant_id = ? ORDER BY id DESC LIMIT 1",
                     [person]).fetchone()
    assert row == ("referred", "first_interview", (TODAY - dt.timedelta(days=3)).isoformat(),
                   coordinator(db).id)
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.stage_since, p.version) == ("first_interview",
                                                   TODAY - dt.timedelta(days=3), 2)


def test_closing_before_inclusion_needs_a_reason(db, person):
    with pytest.raises(UserError) as err:
        move(db, person, "closed")
    assert err.value.key == "error.closure_reason_required"
    move(db, person, "closed", reason="unreachable")
    p = participants.get_person(db, coordinator(db), person)
    # Closed before inclusion: never entered, never left the operation.
    assert (p.stage, p.closure_reason, p.entry_date, p.exit_date, p.exit_reason) == (
        "closed", "unreachable", None, None, None)


def test_inclusion_needs_a_programme_and_sets_the_entry_date(db, person):
    with pytest.raises(UserError) as err:
        move(db, person, "in_programme")
    assert err.value.key == "error.programme_required"
    # Nothing half-done.
    assert participants.get_person(db, coordinator(db), person).stage == "referred"
    move(db, person, "in_programme", programme_id=programme_id(db))
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.entry_date, p.programme_id, p.enrolment_status) == (
        "in_programme", TODAY.isoformat(), programme_id(db), "active")


def test_exit_needs_destination_or_drop_out_reason_and_creates_follow_ups(db, person):
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=30),
         programme_id=programme_id(db))
    for kwargs, key in (({}, "error.exit_outcome_required"),
                        ({"outcome": "completed"}, "error.exit_destination_required"),
                        ({"outcome": "dropped_out"}, "error.drop_out_reason_required")):
        with pytest.raises(UserError) as err:
            move(db, person, "exited", **kwargs)
        assert err.value.key == key
    assert db.execute("SELECT COUNT(*) FROM tasks WHERE participant_id = ?",
                      [person]).fetchone()[0] == 0
    move(db, person, "exited", outcome="completed", destination="secondary_public_works")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.exit_date, p.exit_destination, p.enrolment_status) == (
        "exited", TODAY.isoformat(), "secondary_public_works", "completed")
    due = dict(db.execute("SELECT kind, due_date FROM tasks WHERE participant_id = ?",
                          [person]).fetchall())
    assert due == {"follow_up_4w": (TODAY + dt.timedelta(days=28)).isoformat(),
                   "follow_up_6m": (TODAY + dt.timedelta(days=182)).isoformat()}


def test_a_drop_out_records_its_reason_and_the_follow_up_stage_closes_its_task(db, person):
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=60),
         programme_id=programme_id(db))
    move(db, person, "exited", on=TODAY - dt.timedelta(days=40), outcome="dropped_out",
         reason="health")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.exit_destination, p.exit_reason, p.enrolment_status) == (
        "none", "health", "dropped_out")
    with pytest.raises(UserError) as err:
        move(db, person, "follow_up_4w")
    assert err.value.key == "error.situation_required"
    move(db, person, "follow_up_4w", situation="job_searching")
    assert db.execute("SELECT kind, situation, observed_on FROM follow_ups WHERE "
                      "participant_id = ?", [person]).fetchall() == [
        ("follow_up_4w", "job_searching", TODAY.isoformat())]
    open_kinds = [r[0] for r in db.execute("SELECT kind FROM tasks WHERE participant_id = ? "
                                            "AND done_at IS NULL", [person])]
    assert open_kinds == ["follow_up_6m"]


def test_a_closed_case_reopens_with_a_reason(db, person):
    move(db, person, "closed", reason="declined")
    with pytest.raises(UserError) as err:
        move(db, person, "referred")
    assert err.value.key == "error.reason_required"
    move(db, person, "referred", reason="Ponovno se je oglasila")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.closure_reason, p.exit_date) == ("referred", None, None)


@pytest.mark.parametrize(("to", "on", "key"), [
    ("exited", TODAY, "error.move_not_allowed"),
    ("first_interview", TODAY + dt.timedelta(days=1), "error.date_future"),
    ("first_interview", TODAY - dt.timedelta(days=400), "error.move_before_stage"),
])
def test_refused_moves_change_nothing(db, person, to, on, key):
    history = db.execute("SELECT COUNT(*) FROM stage_history").fetchone()
    with pytest.raises(UserError) as err:
        move(db, person, to, on=on)
    assert err.value.key == key
    assert participants.get_person(db, coordinator(db), person).version == 1
    assert db.execute("SELECT COUNT(*) FROM stage_history").fetchone() == history


def test_a_move_on_a_stale_version_is_a_conflict(db, person):
    maja = coordinator(db, "maja.zupan")
    move(db, person, "first_interview")
    with pytest.raises(ConflictError) as err:
        pipeline.move_stage(db, maja, person, 1, Move("closed", TODAY, reason="declined"),
                            today=TODAY)
    assert {c.field for c in err.value.changes} >= {"stage"}
    assert participants.get_person(db, coordinator(db), person).stage == "first_interview"


def test_entry_is_the_start_in_a_programme_not_the_contract(db, person):
    move(db, person, "contract", on=TODAY - dt.timedelta(days=50), programme_id=programme_id(db))
    p = participants.get_person(db, coordinator(db), person)
    assert (p.entry_date, p.enrolment_status) == (None, "active")
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=40))
    p = participants.get_person(db, coordinator(db), person)
    assert p.entry_date == (TODAY - dt.timedelta(days=40)).isoformat()
    start = db.execute("SELECT contract_date, start_date FROM enrolments WHERE participant_id "
                       "= ?", [person]).fetchone()
    assert start == ((TODAY - dt.timedelta(days=50)).isoformat(),
                     (TODAY - dt.timedelta(days=40)).isoformat())


def test_re_entry_keeps_the_first_entry_and_the_latest_exit(db, person):
    day = TODAY - dt.timedelta(days=55)
    move(db, person, "in_programme", on=day, programme_id=programme_id(db))
    move(db, person, "exited", on=day + dt.timedelta(days=30), outcome="completed",
         destination="job_searching")
    move(db, person, "referred", on=day + dt.timedelta(days=40), reason="Spet se je oglasila")
    p = participants.get_person(db, coordinator(db), person)
    # Re-opened: her exit stays her latest until she starts and leaves again.
    assert (p.entry_date, p.exit_date) == (day.isoformat(),
                                           (day + dt.timedelta(days=30)).isoformat())
    move(db, person, "in_programme", on=day + dt.timedelta(days=50), programme_id=programme_id(db))
    p = participants.get_person(db, coordinator(db), person)
    assert (p.entry_date, p.exit_date) == (day.isoformat(), None)


def test_step_is_the_rule_itself_and_changes_nothing_on_its_own():
    state = pipeline.CaseState("in_programme", TODAY - dt.timedelta(days=90),
                               entry_date=TODAY - dt.timedelta(days=90), enrolled=True)
    done = pipeline.step(state, Move("exited", TODAY, outcome="dropped_out", reason="health"),
                         TODAY, lambda on: {"follow_up_4w": 28, "follow_up_6m": 182})
    assert (done.after.stage, done.after.exit_date, done.after.exit_reason,
            done.after.exit_destination, done.after.enrolled) == (
        "exited", TODAY, "health", "none", False)
    assert done.ends_enrolment == "dropped_out" and done.history_reason == "health"
    assert dict(done.follow_ups_due) == {"follow_up_4w": TODAY + dt.timedelta(days=28),
                                         "follow_up_6m": TODAY + dt.timedelta(days=182)}
    assert state.stage == "in_programme"  # a new state, the old one untouched


def test_follow_up_intervals_come_from_the_dated_rules(db):
    from workbench.transactions import write

    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('follow_up_short_days', 30, '2026-06-01', 'test')")
    assert pipeline.follow_up_intervals(db, dt.date(2026, 5, 31))["follow_up_4w"] == 28
    assert pipeline.follow_up_intervals(db, dt.date(2026, 6, 1))["follow_up_4w"] == 30


def test_the_form_asks_for_what_each_move_needs():
    assert pipeline.requirements("referred", "closed", False) == {"closure_reason"}
    assert pipeline.requirements("in_programme", "exited", True) == {"outcome", "destination"}
    assert pipeline.requirements("motivation", "contract", False) == {"programme"}
    assert pipeline.requirements("contract", "in_programme", True) == {"reason"}
    assert pipeline.requirements("exited", "follow_up_4w", False) == {"situation"}
