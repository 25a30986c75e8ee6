"""The case pipeline: what is allowed, what each move requires, what it leaves behind, and
what entry and exit dates mean."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from tests.casework_helpers import (
    a_person,
    a_programme,
    audit_mark,
    audited_since,
    coordinator,
    valid_form,
)
from tests.conftest import TODAY
from workbench import auth, participants, pipeline, waiting
from workbench.errors import ConflictError, UserError
from workbench.pipeline import Move
from workbench.transactions import write


@pytest.fixture
def person(db):
    ana = coordinator(db)
    form = valid_form(db, referral_date=TODAY - dt.timedelta(days=60))
    pid, _ = participants.create_person(db, ana, form, coordinator_id=ana.id, today=TODAY)
    return pid


def move(db, pid, to, on=TODAY, version=None, **kwargs):
    ana = coordinator(db)
    version = version or participants.get_person(db, ana, pid).version
    return pipeline.move_stage(db, ana, pid, version, Move(to, on, **kwargs), today=TODAY)


def programme_id(db) -> int:
    return next(iter(pipeline.open_programmes(db, "gorenjska", TODAY)))


def attended(db, pid, day, hours=4.0, status="present") -> int:
    """A session of her current programme on ``day`` with her attendance (as the sheet
    records it); returns the session's id."""
    programme = db.execute("SELECT programme_id FROM enrolments WHERE participant_id = ? "
                           "ORDER BY id DESC LIMIT 1", [pid]).fetchone()[0]
    with write(db):
        sid = db.execute("INSERT INTO sessions (kind, programme_id, title, date, start_time, "
                         "hours) VALUES ('group', ?, 'Skupina', ?, '09:00', 4)",
                         [programme, day.isoformat()]).lastrowid
        db.execute("INSERT INTO attendance (session_id, participant_id, hours, status) "
                   "VALUES (?, ?, ?, ?)", [sid, pid, hours, status])
    return sid


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
    attended(db, person, TODAY - dt.timedelta(days=20))
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
    assert err.value.key == "conflict.person"
    assert {c.field for c in err.value.changes} >= {"stage"}
    assert participants.get_person(db, coordinator(db), person).stage == "first_interview"


def test_entry_is_the_start_in_a_programme_not_the_contract(db, person):
    move(db, person, "contract", on=TODAY - dt.timedelta(days=50), programme_id=programme_id(db))
    p = participants.get_person(db, coordinator(db), person)
    assert (p.entry_date, p.enrolment_status) == (None, "active")
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=40))
    p = participants.get_person(db, coordinator(db), person)
    assert p.entry_date == (TODAY - dt.timedelta(days=40)).isoformat()
    # The move never rewrites the enrolment: its start is the one the contract names.
    start = db.execute("SELECT contract_date, start_date FROM enrolments WHERE participant_id "
                       "= ?", [person]).fetchone()
    assert start == ((TODAY - dt.timedelta(days=50)).isoformat(),
                     (TODAY - dt.timedelta(days=50)).isoformat())


def test_re_entry_keeps_the_first_entry_and_the_latest_exit(db, person):
    day = TODAY - dt.timedelta(days=55)
    move(db, person, "in_programme", on=day, programme_id=programme_id(db))
    attended(db, person, day + dt.timedelta(days=1))
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


# -- the rule itself, without a database (``step`` is what the seed runs too) ---------------
INTERVALS = {"follow_up_4w": 28, "follow_up_6m": 182}


def fixed_intervals(on):
    return INTERVALS


def test_every_stage_offers_its_own_moves():
    """Forward in pipeline order, closing, then the one step back; after the exit the
    follow-ups in turn, and re-opening from every stage after the programme."""
    assert pipeline.allowed_moves("first_interview") == (
        "motivation", "contract", "in_programme", "closed", "referred")
    assert pipeline.allowed_moves("contract") == ("in_programme", "closed", "motivation")
    assert pipeline.allowed_moves("follow_up_4w") == ("follow_up_6m", "referred")
    assert pipeline.allowed_moves("follow_up_6m") == ("referred",)


def test_only_an_earlier_stage_or_a_re_opening_needs_a_reason():
    """A step back is to an earlier stage before inclusion (not to the same one, not
    forward); re-opening is going back to "referred" after the programme or a closure."""
    assert pipeline.is_step_back("contract", "motivation")
    assert not pipeline.is_step_back("motivation", "motivation")
    assert not pipeline.is_step_back("motivation", "contract")
    assert pipeline.reason_required("first_interview", "referred")   # a step back
    assert pipeline.reason_required("follow_up_6m", "referred")      # a re-opening
    assert pipeline.reason_required("closed", "referred")
    # From inside a programme she exits first: that is never a re-opening.
    assert not pipeline.is_reopening("in_programme", "referred")
    assert not pipeline.reason_required("in_programme", "referred")
    assert not pipeline.reason_required("referred", "first_interview")
    assert not pipeline.reason_required("exited", "follow_up_4w")


def referred(days_ago: int = 10, **state) -> pipeline.CaseState:
    return pipeline.CaseState("referred", TODAY - dt.timedelta(days=days_ago), **state)


IN_PROGRAMME = pipeline.CaseState("in_programme", TODAY - dt.timedelta(days=30),
                                  entry_date=TODAY - dt.timedelta(days=30), enrolled=True,
                                  first_attended=TODAY - dt.timedelta(days=30))
EXITED = pipeline.CaseState("exited", TODAY - dt.timedelta(days=30),
                            entry_date=TODAY - dt.timedelta(days=90),
                            exit_date=TODAY - dt.timedelta(days=30),
                            exit_destination="none", exit_reason="health")


@pytest.mark.parametrize(("state", "request_", "key", "field"), [
    (referred(), Move(None, TODAY), "error.stage_required", "to_stage"),
    (referred(), Move("exited", TODAY), "error.move_not_allowed", "to_stage"),
    (referred(), Move("first_interview", TODAY + dt.timedelta(days=1)),
     "error.date_future", "move_date"),
    # The day before she reached her stage: a move cannot come before the one before it.
    (referred(10), Move("first_interview", TODAY - dt.timedelta(days=11)),
     "error.move_before_stage", "move_date"),
    (pipeline.CaseState("motivation", TODAY - dt.timedelta(days=5)),
     Move("first_interview", TODAY, reason="x" * 201), "error.text_too_long", "reason"),
    (referred(), Move("closed", TODAY), "error.closure_reason_required", "closure_reason"),
    (referred(), Move("closed", TODAY, reason="Ni več zainteresirana"),
     "error.closure_reason_required", "closure_reason"),
    (IN_PROGRAMME, Move("exited", TODAY), "error.exit_outcome_required", "outcome"),
    (IN_PROGRAMME, Move("exited", TODAY, outcome="completed"),
     "error.exit_destination_required", "destination"),
    (IN_PROGRAMME, Move("exited", TODAY, outcome="dropped_out"),
     "error.drop_out_reason_required", "drop_out_reason"),
    # A drop-out needs no destination, but one that is given must be a known one.
    (IN_PROGRAMME, Move("exited", TODAY, outcome="dropped_out", reason="health",
                        destination="abroad"), "error.exit_destination_required", "destination"),
    (EXITED, Move("follow_up_4w", TODAY), "error.situation_required", "situation"),
    (EXITED, Move("follow_up_4w", TODAY, situation="on holiday"),
     "error.situation_required", "situation"),
    (pipeline.CaseState("motivation", TODAY - dt.timedelta(days=5)), Move("contract", TODAY),
     "error.programme_required", "programme"),
    (pipeline.CaseState("motivation", TODAY - dt.timedelta(days=5)),
     Move("first_interview", TODAY), "error.reason_required", "reason"),
    (EXITED, Move("referred", TODAY, reason="   "), "error.reason_required", "reason"),
])
def test_each_refusal_names_its_message_and_field(state, request_, key, field):
    """The form shows the message by the field it is about; nothing is done."""
    with pytest.raises(UserError) as refused:
        pipeline.step(state, request_, TODAY, fixed_intervals)
    assert (refused.value.key, refused.value.field) == (key, field)


@pytest.mark.parametrize(("state", "request_"), [
    # On the very day she reached her stage (the other side of "before the stage").
    (referred(10), Move("first_interview", TODAY - dt.timedelta(days=10))),
    (referred(0), Move("first_interview", TODAY)),
    # Enrolled at the contract: starting needs no programme again.
    (pipeline.CaseState("contract", TODAY - dt.timedelta(days=5), enrolled=True),
     Move("in_programme", TODAY)),
    (pipeline.CaseState("motivation", TODAY - dt.timedelta(days=5)),
     Move("first_interview", TODAY, reason="x" * 200)),
    (IN_PROGRAMME, Move("exited", TODAY, outcome="dropped_out", reason="health",
                        destination="job_searching")),
    (IN_PROGRAMME, Move("exited", TODAY, outcome="completed", destination="job_searching")),
])
def test_the_allowed_side_of_each_refusal(state, request_):
    assert pipeline.step(state, request_, TODAY, fixed_intervals).after.stage == \
        request_.to_stage


def test_a_case_carried_through_step_after_step_as_the_seed_does():
    """Each step's ``after`` is the state the next move starts from (the seed builds its
    cases this way): enrolment, start, exit and re-entry follow from one another."""
    day = TODAY - dt.timedelta(days=300)
    asked = []

    def intervals(on):
        asked.append(on)
        return INTERVALS

    def go(state, to, days, **kwargs):
        return pipeline.step(state, Move(to, day + dt.timedelta(days=days), **kwargs), TODAY,
                             intervals)

    contract = go(pipeline.CaseState("referred", day), "contract", 5, programme_id=7,
                  planned_start=(day + dt.timedelta(days=9)).isoformat())
    assert (contract.new_enrolment, contract.starts_programme, contract.ends_enrolment,
            contract.after.enrolled, contract.after.entry_date) == (True, False, None, True, None)
    started = go(contract.after, "in_programme", 9)
    assert (started.new_enrolment, started.starts_programme, started.after.enrolled,
            started.after.entry_date) == (False, True, True, day + dt.timedelta(days=9))
    left = go(started.after, "exited", 100, outcome="dropped_out", reason="care_duties")
    assert (left.ends_enrolment, left.after.enrolled, left.after.exit_date,
            left.after.exit_reason, left.history_reason) == (
        "dropped_out", False, day + dt.timedelta(days=100), "care_duties", "care_duties")
    # The follow-ups' intervals are those in force on the day she left.
    assert asked == [day + dt.timedelta(days=100)]
    seen = go(left.after, "follow_up_4w", 130, situation="employed")
    assert (seen.completes_follow_up, seen.history_reason, seen.after.exit_date,
            seen.after.exit_reason, seen.after.entry_date) == (
        "follow_up_4w", "employed", day + dt.timedelta(days=100), "care_duties",
        day + dt.timedelta(days=9))
    back = go(seen.after, "referred", 140, reason="  Spet se je oglasila ")
    assert (back.history_reason, back.move.reason, back.after.exit_date) == (
        "Spet se je oglasila", "Spet se je oglasila", day + dt.timedelta(days=100))
    again = go(back.after, "in_programme", 150, programme_id=8)
    # Re-entered: her first entry stays; she has not left this programme, so no exit.
    assert (again.new_enrolment, again.after.entry_date, again.after.exit_date,
            again.after.exit_destination, again.after.exit_reason, again.after.enrolled) == (
        True, day + dt.timedelta(days=9), None, None, None, True)
    assert (again.before, again.move.on) == (back.after, day + dt.timedelta(days=150))


def test_giving_up_the_place_before_the_programme():
    """Enrolled at the contract, then closed or stepped back: her enrolment ends as a
    drop-out and she is no longer enrolled."""
    signed = pipeline.CaseState("contract", TODAY - dt.timedelta(days=5), enrolled=True)
    for request_ in (Move("closed", TODAY, reason="declined"),
                     Move("motivation", TODAY, reason="Premislila si je")):
        done = pipeline.step(signed, request_, TODAY, fixed_intervals)
        assert (done.ends_enrolment, done.after.enrolled, done.new_enrolment) == (
            "dropped_out", False, False)
    # Not enrolled: nothing to give up.
    done = pipeline.step(dataclasses.replace(signed, enrolled=False),
                         Move("closed", TODAY, reason="declined"), TODAY, fixed_intervals)
    assert (done.ends_enrolment, done.after.enrolled) == (None, False)


def test_an_exit_ends_only_an_enrolment_she_has():
    """A completed exit keeps no drop-out reason, even one left over in the form; an exit
    of someone no longer enrolled ends nothing."""
    done = pipeline.step(IN_PROGRAMME, Move("exited", TODAY, outcome="completed",
                                            destination="primary_employment", reason="health"),
                         TODAY, fixed_intervals)
    assert (done.after.exit_reason, done.after.exit_destination, done.ends_enrolment,
            done.after.enrolled) == (None, "primary_employment", "completed", False)
    done = pipeline.step(dataclasses.replace(IN_PROGRAMME, enrolled=False),
                         Move("exited", TODAY, outcome="completed", destination="none"),
                         TODAY, fixed_intervals)
    assert (done.ends_enrolment, done.history_reason) == (None, "completed")


def test_the_stored_values_of_a_state_are_iso_dates():
    state = pipeline.CaseState("exited", dt.date(2026, 10, 1), entry_date=dt.date(2026, 3, 2),
                               exit_date=dt.date(2026, 10, 1), exit_destination="none",
                               enrolled=False)
    assert state.columns() == {
        "stage": "exited", "stage_since": "2026-10-01", "entry_date": "2026-03-02",
        "exit_date": "2026-10-01", "exit_destination": "none", "exit_reason": None,
        "closure_reason": None}


# -- enrolling: the programme must still run and have a place -------------------------------
def test_a_contract_needs_a_programme_that_has_not_ended(db, person):
    """A programme ending on the move's day still takes her; one ended the day before, or
    one that does not exist, is refused by the programme field."""
    ana = coordinator(db)
    ended = a_programme(db, ana, start=TODAY - dt.timedelta(days=200),
                        end=TODAY - dt.timedelta(days=10), name="Končan program")
    for programme, on in ((ended, TODAY - dt.timedelta(days=9)), (999_999, TODAY)):
        with pytest.raises(UserError) as refused:
            move(db, person, "contract", on=on, programme_id=programme)
        assert (refused.value.key, refused.value.field) == ("error.programme_required",
                                                            "programme")
    assert participants.get_person(db, ana, person).stage == "referred"
    move(db, person, "contract", on=TODAY - dt.timedelta(days=10), programme_id=ended)
    p = participants.get_person(db, ana, person)
    assert (p.stage, p.programme_id, p.enrolment_status) == ("contract", ended, "active")


def test_a_full_programme_takes_no_one_more(db, person):
    """The last place can be taken; once all are taken, she is refused (the enrolment
    module puts her on the waiting list instead)."""
    ana = coordinator(db)
    small = a_programme(db, ana, capacity=2, name="Majhen program")
    first = a_person(db, ana, "Prva")
    move(db, first, "contract", on=TODAY - dt.timedelta(days=5), programme_id=small)
    move(db, person, "contract", on=TODAY - dt.timedelta(days=5), programme_id=small)
    third = a_person(db, ana, "Tretja")
    with pytest.raises(UserError) as refused:
        move(db, third, "in_programme", on=TODAY - dt.timedelta(days=5), programme_id=small)
    assert (refused.value.key, refused.value.field) == ("error.programme_full", "programme")
    assert db.execute("SELECT COUNT(*) FROM enrolments WHERE programme_id = ?",
                      [small]).fetchone()[0] == 2


def test_giving_up_a_place_ends_the_enrolment_and_offers_it_to_the_first_waiting(
        db, person, monkeypatch):
    """Closed after the contract: her enrolment ends as a drop-out on the move's day, and
    the place is offered to whoever waits for it, from the app's today at the earliest."""
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    ana = coordinator(db)
    small = a_programme(db, ana, capacity=1, name="Majhen program")
    move(db, person, "contract", on=TODAY - dt.timedelta(days=20), programme_id=small)
    waits = a_person(db, ana, "Čaka")
    with write(db):
        waiting.add(db, ana.id, small, waits, TODAY - dt.timedelta(days=15))
    mark = audit_mark(db)
    move(db, person, "closed", on=TODAY - dt.timedelta(days=3), reason="declined")
    enrolment = db.execute("SELECT id, status, end_date FROM enrolments WHERE participant_id "
                           "= ?", [person]).fetchone()
    assert enrolment[1:] == ("dropped_out", (TODAY - dt.timedelta(days=3)).isoformat())
    assert [(w.participant_id, w.status, w.offered_on) for w in waiting.entries(db, small)] == [
        (waits, "offered", TODAY.isoformat())]
    # Her coordinator gave the place up: the change log says so, under her.
    assert [r for r in audited_since(db, mark, "enrolments")] == [
        (ana.id, "enrolments", enrolment[0], person, "update", "status", "active",
         "dropped_out"),
        (ana.id, "enrolments", enrolment[0], person, "update", "end_date", None,
         (TODAY - dt.timedelta(days=3)).isoformat())]


# -- what a move leaves in the change log ----------------------------------------------------
def test_the_change_log_of_a_case_from_start_to_follow_up(db, person):
    """Each change is logged under her: the end of the enrolment by her coordinator (the
    start in the programme leaves the enrolment as signed), the follow-up tasks by the system (no user), the
    follow-up itself and the closed task by her coordinator."""
    ana = coordinator(db)
    mark = audit_mark(db)
    planned = (TODAY - dt.timedelta(days=45)).isoformat()
    move(db, person, "contract", on=TODAY - dt.timedelta(days=50), programme_id=programme_id(db),
         planned_start=planned)
    enrolment = db.execute("SELECT id FROM enrolments WHERE participant_id = ?",
                           [person]).fetchone()[0]
    assert {r[:5] + (r[7],): r[5] for r in audited_since(db, mark, "enrolments")} == {
        (ana.id, "enrolments", enrolment, person, "create", value): field
        for field, value in (("participant_id", str(person)),
                             ("programme_id", str(programme_id(db))),
                             ("contract_date", (TODAY - dt.timedelta(days=50)).isoformat()),
                             ("start_date", planned), ("status", "active"))}
    mark = audit_mark(db)
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=40))
    assert audited_since(db, mark, "enrolments") == []  # her planned start stays
    attended(db, person, TODAY - dt.timedelta(days=40))
    mark = audit_mark(db)
    move(db, person, "exited", on=TODAY - dt.timedelta(days=30), outcome="completed",
         destination="primary_employment")
    assert audited_since(db, mark, "enrolments") == [
        (ana.id, "enrolments", enrolment, person, "update", "status", "active", "completed"),
        (ana.id, "enrolments", enrolment, person, "update", "end_date", None,
         (TODAY - dt.timedelta(days=30)).isoformat())]
    tasks = dict(db.execute("SELECT kind, id FROM tasks WHERE participant_id = ?", [person]))
    created = audited_since(db, mark, "tasks")
    assert {r[:5] for r in created} == {(None, "tasks", tasks[kind], person, "create")
                                        for kind in tasks}
    assert {(r[2], r[5]): r[7] for r in created if r[5] != "created_at"} == {
        (tasks[kind], field): value
        for kind, days in (("follow_up_4w", 28), ("follow_up_6m", 182))
        for field, value in (("participant_id", str(person)), ("kind", kind),
                             ("due_date", (TODAY - dt.timedelta(days=30 - days)).isoformat()),
                             ("assigned_to", str(ana.id)))}
    assert sum(r[5] == "created_at" for r in created) == 2
    mark = audit_mark(db)
    move(db, person, "follow_up_4w", on=TODAY - dt.timedelta(days=1), situation="employed")
    logged = audited_since(db, mark)
    assert (ana.id, "tasks", tasks["follow_up_4w"], person, "update", "done_at", None,
            (TODAY - dt.timedelta(days=1)).isoformat()) in logged
    assert {r[5] for r in logged if r[1] == "follow_ups" and r[0] == ana.id
            and r[3] == person} == {"participant_id", "kind", "situation", "observed_on",
                                    "recorded_by", "created_at"}
    # The stage change itself: by her coordinator, with the situation as its reason; her
    # dates that did not change (entry, exit) are not logged as changes.
    stage = [r for r in logged if r[1] == "participants"]
    assert {(r[0], r[3], r[5]) for r in stage} == {(ana.id, person, "stage"),
                                                   (ana.id, person, "stage_since")}
    assert db.execute("SELECT reason FROM audit_log WHERE id > ? AND table_name = "
                      "'participants' AND field = 'stage'", [mark]).fetchone()[0] == "employed"
    reason, changed_at = db.execute("SELECT reason, changed_at FROM stage_history WHERE "
                                    "participant_id = ? ORDER BY id DESC LIMIT 1",
                                    [person]).fetchone()
    # Dated on the move's day, at the time it was recorded (a full ISO time, so it sorts).
    assert reason == "employed"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", changed_at)
    assert changed_at[:10] == (TODAY - dt.timedelta(days=1)).isoformat()
    # Her exit is still her exit after the follow-up.
    p = participants.get_person(db, ana, person)
    assert (p.stage, p.exit_date, p.exit_destination, p.entry_date) == (
        "follow_up_4w", (TODAY - dt.timedelta(days=30)).isoformat(), "primary_employment",
        (TODAY - dt.timedelta(days=40)).isoformat())


def test_a_follow_up_keeps_a_drop_out_and_its_reason(db, person):
    move(db, person, "in_programme", on=TODAY - dt.timedelta(days=60),
         programme_id=programme_id(db))
    move(db, person, "exited", on=TODAY - dt.timedelta(days=40), outcome="dropped_out",
         reason="care_duties")
    move(db, person, "follow_up_4w", on=TODAY - dt.timedelta(days=10), situation="unchanged")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.exit_date, p.exit_destination, p.exit_reason) == (
        (TODAY - dt.timedelta(days=40)).isoformat(), "none", "care_duties")


def test_follow_ups_are_due_by_the_rules_in_force_on_the_exit_day(db, person):
    """A new interval from 1 November: an exit on 31 October keeps the old one (28 days),
    an exit on 1 November takes the new one."""
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('follow_up_short_days', 35, '2026-11-01', 'test')")
    other = a_person(db, coordinator(db), "Druga")
    for pid, day in ((person, dt.date(2026, 10, 31)), (other, dt.date(2026, 11, 1))):
        move(db, pid, "in_programme", on=dt.date(2026, 10, 1), programme_id=programme_id(db))
        attended(db, pid, dt.date(2026, 10, 1))
        move(db, pid, "exited", on=day, outcome="completed", destination="none")
    due = dict(db.execute("SELECT participant_id, due_date FROM tasks WHERE kind = "
                          "'follow_up_4w' AND participant_id IN (?, ?)", [person, other]))
    assert due == {person: "2026-11-28", other: "2026-12-06"}


def test_a_typed_date_is_read_as_the_day_of_the_move(db, person):
    move(db, person, "first_interview", on="2026-11-20")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.stage_since) == ("first_interview", dt.date(2026, 11, 20))
    assert db.execute("SELECT substr(changed_at, 1, 10) FROM stage_history WHERE "
                      "participant_id = ? ORDER BY id DESC LIMIT 1",
                      [person]).fetchone()[0] == "2026-11-20"


def test_a_stage_list_reads_in_sql(db):
    """``sql_list`` makes the IN (...) of the reports: the finished cases counted in SQL
    are those counted one by one."""
    stages = [r[0] for r in db.execute("SELECT stage FROM participants")]
    found = db.execute("SELECT COUNT(*) FROM participants WHERE stage IN "
                       f"({pipeline.sql_list(pipeline.DONE)})").fetchone()[0]
    assert found == sum(s in pipeline.DONE for s in stages) > 0


def test_a_person_erased_while_the_move_was_on_its_way_is_missing(db, person, monkeypatch):
    """The access check passed, then an administrator erased her before the move's
    transaction began: the move is refused as "person missing", and nothing is written."""
    from workbench import access
    from workbench.protection import retention

    checked = access.require_person

    def check_then_erase(db_, actor, pid):
        area = checked(db_, actor, pid)
        retention.erase(db_, auth.get_user_by_name(db_, "admin"), pid, "Napotitev po pomoti")
        return area

    monkeypatch.setattr(access, "require_person", check_then_erase)
    with pytest.raises(UserError) as refused:
        move(db, person, "first_interview", version=1)
    assert refused.value.key == "error.person_missing"
    assert db.execute("SELECT COUNT(*) FROM stage_history WHERE participant_id = ?",
                      [person]).fetchone()[0] == 0
