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
    person_of,
    sign,
    valid_form,
)
from tests.conftest import TODAY
from workbench import auth, dates, esf, i18n, participants, pipeline, records, waiting
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
    start in the programme leaves the enrolment as signed), the follow-up tasks by the
    system (no user), the follow-up itself and the closed task by her coordinator."""
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


# -- follow-ups are recorded when they are due (issue 19, item 2) ---------------------------
def long_ago(db, first="Stara") -> int:
    """A person referred 400 days ago (motivated the next day)."""
    return a_person(db, coordinator(db), first, since=TODAY - dt.timedelta(days=400))


def exited_on(db, pid, exit_day):
    """She started 30 days before ``exit_day`` in a programme running since a year ago and
    dropped out on ``exit_day``."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=380),
                            end=TODAY + dt.timedelta(days=100), name=f"Program {pid}")
    move(db, pid, "in_programme", on=exit_day - dt.timedelta(days=30), programme_id=programme)
    move(db, pid, "exited", on=exit_day, outcome="dropped_out", reason="health")


@pytest.mark.parametrize(("kind", "days_after", "first_allowed"), [
    ("follow_up_4w", 20, 21),     # due on day 28, recorded from 7 days before
    ("follow_up_6m", 151, 152),   # due on day 182, recorded from 30 days before
])
def test_a_follow_up_before_its_window_is_refused_naming_the_first_day(db, kind, days_after,
                                                                       first_allowed):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=200)
    exited_on(db, person, left)
    if kind == "follow_up_6m":
        move(db, person, "follow_up_4w", on=left + dt.timedelta(days=30), situation="unchanged")
    version = participants.get_person(db, coordinator(db), person).version
    with pytest.raises(UserError) as early:
        move(db, person, kind, on=left + dt.timedelta(days=days_after), situation="employed")
    opens = left + dt.timedelta(days=first_allowed)
    assert (early.value.key, early.value.field, early.value.params) == (
        "error.follow_up_early", "move_date", {"date": dates.written(opens)})
    assert participants.get_person(db, coordinator(db), person).version == version
    assert db.execute("SELECT COUNT(*) FROM follow_ups WHERE participant_id = ? AND kind = ?",
                      [person, kind]).fetchone()[0] == 0
    move(db, person, kind, on=opens, situation="employed")  # the first day of the window
    assert db.execute("SELECT observed_on FROM follow_ups WHERE participant_id = ? AND "
                      "kind = ?", [person, kind]).fetchone()[0] == opens.isoformat()


def test_the_slovenian_message_names_the_first_day(db):
    person = long_ago(db)
    exited_on(db, person, dt.date(2026, 10, 1))
    with pytest.raises(UserError) as early:
        move(db, person, "follow_up_4w", on=dt.date(2026, 10, 1), situation="employed")
    assert i18n.translate(early.value.key, "sl", **early.value.params) == \
        "spremljanje je mogoče vpisati šele od 22. 10. 2026."


def test_a_late_follow_up_is_recorded(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=300)
    exited_on(db, person, left)
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=90), situation="unchanged")
    move(db, person, "follow_up_6m", on=TODAY, situation="employed")
    assert participants.get_person(db, coordinator(db), person).stage == "follow_up_6m"


def test_the_window_follows_the_rules_in_force_on_the_exit_day(db):
    """From 1 June the 4-week follow-up may be recorded 14 days early: an exit on 31 May
    keeps 7 days, an exit on 1 June takes 14."""
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('follow_up_short_early_days', 14, '2026-06-01', 'test')")
    person, other = long_ago(db), long_ago(db, "Druga")
    for pid, left in ((person, dt.date(2026, 5, 31)), (other, dt.date(2026, 6, 1))):
        exited_on(db, pid, left)
    with pytest.raises(UserError) as early:
        move(db, person, "follow_up_4w", on=dt.date(2026, 6, 14), situation="employed")
    assert early.value.params == {"date": "21. 6. 2026"}
    move(db, other, "follow_up_4w", on=dt.date(2026, 6, 15), situation="employed")
    assert pipeline.follow_up_tolerances(db, dt.date(2026, 6, 1)) == {
        "follow_up_4w": 14, "follow_up_6m": 30}


def test_step_refuses_a_follow_up_before_its_window():
    """The pure rule: without a tolerance the window opens on the day it is due."""
    early = {"follow_up_4w": 7, "follow_up_6m": 30}
    left = EXITED.exit_date
    for tolerance, opens in ((lambda on: early, 21), (pipeline._no_tolerance, 28)):
        day = left + dt.timedelta(days=opens)
        with pytest.raises(UserError) as refused:
            pipeline.step(EXITED, Move("follow_up_4w", day - dt.timedelta(days=1),
                                       situation="employed"),
                          TODAY + dt.timedelta(days=60), fixed_intervals, tolerance)
        assert refused.value.params == {"date": dates.written(day)}
        done = pipeline.step(EXITED, Move("follow_up_4w", day, situation="employed"),
                             TODAY + dt.timedelta(days=60), fixed_intervals, tolerance)
        assert done.completes_follow_up == "follow_up_4w"


def test_a_corrected_exit_moves_the_follow_up_window(db):
    """The exit corrected to 5 days later: the 4-week follow-up opens 5 days later too, and
    its task is due 5 days later."""
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=100)
    exited_on(db, person, left)
    correct(db, person, latest(db, person), on=left + dt.timedelta(days=5),
            reason="Izstop je bil 5 dni pozneje")
    with pytest.raises(UserError) as early:
        move(db, person, "follow_up_4w", on=left + dt.timedelta(days=21), situation="employed")
    assert early.value.params == {"date": dates.written(left + dt.timedelta(days=26))}
    assert db.execute("SELECT due_date FROM tasks WHERE participant_id = ? AND kind = "
                      "'follow_up_4w'", [person]).fetchone()[0] == \
        (left + dt.timedelta(days=33)).isoformat()
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=26), situation="employed")


# -- "in programme" means she has started (issue 19, item 3) --------------------------------
@pytest.fixture
def signed(db):
    """Signed on day -40 for a programme that starts on day -20, her planned start day -15."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                            end=TODAY + dt.timedelta(days=200), name="Začetni program")
    pid = a_person(db, ana, "Vera", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=40),
         planned_start=TODAY - dt.timedelta(days=15))
    return pid, programme


def enrolment_of(db, pid):
    return db.execute("SELECT contract_date, start_date, status FROM enrolments WHERE "
                      "participant_id = ? ORDER BY id DESC LIMIT 1", [pid]).fetchone()


def test_in_programme_before_her_planned_start_is_refused_naming_the_day(db, signed):
    pid, _ = signed
    with pytest.raises(UserError) as early:
        move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=16))
    assert (early.value.key, early.value.field, early.value.params) == (
        "error.start_too_early", "move_date",
        {"date": dates.written(TODAY - dt.timedelta(days=15))})
    assert participants.get_person(db, coordinator(db), pid).stage == "contract"
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))  # on the day
    p = participants.get_person(db, coordinator(db), pid)
    assert (p.stage, p.entry_date) == ("in_programme", (TODAY - dt.timedelta(days=15))
                                       .isoformat())
    # The move never rewrites the enrolment's start.
    assert enrolment_of(db, pid) == ((TODAY - dt.timedelta(days=40)).isoformat(),
                                     (TODAY - dt.timedelta(days=15)).isoformat(), "active")


def test_in_programme_before_the_programme_starts_is_refused(db):
    """Planned before the programme's first day: the programme's start counts."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                            end=TODAY + dt.timedelta(days=200), name="Poznejši program")
    pid = a_person(db, ana, "Mira", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=40),
         planned_start=TODAY - dt.timedelta(days=30))
    with pytest.raises(UserError) as early:
        move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=21))
    assert early.value.params == {"date": dates.written(TODAY - dt.timedelta(days=20))}
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=3))  # late: fine
    assert participants.get_person(db, ana, pid).entry_date == \
        (TODAY - dt.timedelta(days=3)).isoformat()


def test_her_first_attended_session_lets_her_start_before_the_planned_day(db, signed):
    pid, _ = signed
    attended(db, pid, TODAY - dt.timedelta(days=18), hours=0.0, status="absent")
    with pytest.raises(UserError):  # absent is no start
        move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=18))
    attended(db, pid, TODAY - dt.timedelta(days=17))
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=17))
    assert participants.get_person(db, coordinator(db), pid).entry_date == \
        (TODAY - dt.timedelta(days=17)).isoformat()


def test_signed_and_started_at_once_needs_the_programme_to_have_begun(db, person):
    ana = coordinator(db)
    later = a_programme(db, ana, start=TODAY + dt.timedelta(days=10),
                        end=TODAY + dt.timedelta(days=200), name="Prihodnji program")
    with pytest.raises(UserError) as early:
        move(db, person, "in_programme", programme_id=later)
    assert (early.value.key, early.value.params) == (
        "error.start_too_early", {"date": dates.written(TODAY + dt.timedelta(days=10))})
    assert enrolment_of(db, person) is None  # nothing half-written
    started = a_programme(db, ana, start=TODAY, end=TODAY + dt.timedelta(days=200),
                          name="Današnji program")
    move(db, person, "in_programme", programme_id=started)
    assert enrolment_of(db, person) == (TODAY.isoformat(), TODAY.isoformat(), "active")


def test_completed_needs_an_attended_session_by_the_exit(db, signed):
    pid, _ = signed
    start = TODAY - dt.timedelta(days=15)
    move(db, pid, "in_programme", on=start)
    attended(db, pid, start, hours=0.0, status="excused")
    attended(db, pid, TODAY - dt.timedelta(days=4))
    with pytest.raises(UserError) as refused:  # her only attended day is after the exit
        move(db, pid, "exited", on=TODAY - dt.timedelta(days=5), outcome="completed",
             destination="none")
    assert (refused.value.key, refused.value.field) == ("error.completed_needs_attendance",
                                                        "outcome")
    assert participants.get_person(db, coordinator(db), pid).stage == "in_programme"
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=4), outcome="completed",
         destination="none")  # on the day she attended
    assert enrolment_of(db, pid)[2] == "completed"


def test_a_drop_out_needs_no_attendance(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=5), outcome="dropped_out",
         reason="health")
    assert enrolment_of(db, pid)[2] == "dropped_out"


def test_step_refuses_a_start_before_the_first_allowed_day():
    signed_state = pipeline.CaseState("contract", TODAY - dt.timedelta(days=30), enrolled=True,
                                      may_start=TODAY - dt.timedelta(days=10))
    with pytest.raises(UserError):
        pipeline.step(signed_state, Move("in_programme", TODAY - dt.timedelta(days=11)), TODAY,
                      fixed_intervals)
    assert pipeline.step(signed_state, Move("in_programme", TODAY - dt.timedelta(days=10)),
                         TODAY, fixed_intervals).after.entry_date == \
        TODAY - dt.timedelta(days=10)
    came_early = dataclasses.replace(signed_state, first_attended=TODAY - dt.timedelta(days=12))
    assert pipeline.step(came_early, Move("in_programme", TODAY - dt.timedelta(days=12)),
                         TODAY, fixed_intervals).after.stage == "in_programme"
    # A contract says when she may start: her planned start, else the contract's day.
    done = pipeline.step(referred(), Move("contract", TODAY - dt.timedelta(days=2),
                                          programme_id=1, planned_start="2026-12-01"),
                         TODAY, fixed_intervals)
    assert done.after.may_start == dt.date(2026, 12, 1)
    assert pipeline.first_start_day(None, None) is None
    with pytest.raises(UserError) as refused:
        pipeline.step(dataclasses.replace(IN_PROGRAMME, first_attended=None),
                      Move("exited", TODAY, outcome="completed", destination="none"), TODAY,
                      fixed_intervals)
    assert refused.value.key == "error.completed_needs_attendance"


# -- a wrong move corrected: its date, or the move undone ----------------------------------
def latest(db, pid) -> int:
    return db.execute("SELECT id FROM stage_history WHERE participant_id = ? "
                      "ORDER BY changed_at DESC, id DESC LIMIT 1", [pid]).fetchone()[0]


def correct(db, pid, history_id, *, undo=False, on=None, reason="Popravek", version=None,
            token=None, actor=None):
    actor = actor or coordinator(db)
    version = version or participants.get_person(db, actor, pid).version
    return pipeline.correct_move(db, actor, pid, version, pipeline.Correction(
        history_id, undo=undo, on=on, reason=reason), today=TODAY, token=token)


def test_a_late_typed_start_is_corrected_and_the_entry_date_follows(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    mark = audit_mark(db)
    correct(db, pid, latest(db, pid), on=TODAY - dt.timedelta(days=15),
            reason="Začela je 15 dni prej")
    p = participants.get_person(db, coordinator(db), pid)
    day = (TODAY - dt.timedelta(days=15)).isoformat()
    assert (p.stage, p.stage_since, p.entry_date) == ("in_programme",
                                                      TODAY - dt.timedelta(days=15), day)
    assert enrolment_of(db, pid)[1] == day
    reasons = {(r[0], r[1]) for r in db.execute(
        "SELECT table_name, reason FROM audit_log WHERE id > ?", [mark])}
    assert reasons == {("stage_history", "Začela je 15 dni prej"),
                       ("participants", "Začela je 15 dni prej")}
    ema = {(r["first_name"], r["last_name"]): r for r in esf.ema_rows(
        db, coordinator(db), TODAY.year, "gorenjska", TODAY)}
    assert ema["Vera", "Testna"]["entry_date"] == TODAY - dt.timedelta(days=15)


@pytest.mark.parametrize(("days_ago", "key", "field"), [
    (16, "error.start_too_early", "correction_date"),   # before her planned start
    (41, "error.move_before_stage", "correction_date"),  # before the contract
    (-1, "error.date_future", "correction_date"),
    (2, "error.correction_same_day", "correction_date"),
])
def test_a_corrected_date_keeps_the_move_s_rules(db, signed, days_ago, key, field):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    before = db.execute("SELECT * FROM participants WHERE id = ?", [pid]).fetchone()
    with pytest.raises(UserError) as refused:
        correct(db, pid, latest(db, pid), on=TODAY - dt.timedelta(days=days_ago))
    assert (refused.value.key, refused.value.field) == (key, field)
    assert db.execute("SELECT * FROM participants WHERE id = ?", [pid]).fetchone() == before


def test_a_date_cannot_pass_the_next_move(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=10))
    start = latest(db, pid)
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=5), outcome="dropped_out",
         reason="health")
    with pytest.raises(UserError) as refused:
        correct(db, pid, start, on=TODAY - dt.timedelta(days=4))
    assert (refused.value.key, refused.value.field, refused.value.params) == (
        "error.correction_after_next", "correction_date",
        {"date": dates.written(TODAY - dt.timedelta(days=5))})
    correct(db, pid, start, on=TODAY - dt.timedelta(days=5))  # the same day as the next
    assert participants.get_person(db, coordinator(db), pid).entry_date == \
        (TODAY - dt.timedelta(days=5)).isoformat()


def test_a_correction_needs_a_reason_and_a_move(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    with pytest.raises(UserError) as refused:
        correct(db, pid, latest(db, pid), undo=True, reason="  ")
    assert (refused.value.key, refused.value.field) == ("error.reason_required",
                                                        "correction_reason")
    with pytest.raises(UserError) as refused:  # the reason's own field is named
        correct(db, pid, latest(db, pid), undo=True, reason="Še ni\nzačela")
    assert (refused.value.key, refused.value.field) == ("error.text_line_break",
                                                        "correction_reason")
    with pytest.raises(UserError) as refused:
        correct(db, pid, None, undo=True)
    assert (refused.value.key, refused.value.field) == ("error.correction_move_required",
                                                        "correction_move")
    first = db.execute("SELECT MIN(id) FROM stage_history WHERE participant_id = ?",
                       [pid]).fetchone()[0]
    with pytest.raises(UserError) as refused:  # the referral: its date is the referral's
        correct(db, pid, first, on=TODAY - dt.timedelta(days=59))
    assert (refused.value.key, refused.value.field) == ("error.correction_move_required",
                                                        "correction_move")
    other = person_of(db, "stage = 'in_programme'")
    with pytest.raises(UserError) as refused:  # someone else's move
        correct(db, pid, latest(db, other), undo=True)
    assert (refused.value.key, refused.value.field) == ("error.correction_move_required",
                                                        "correction_move")
    assert participants.get_person(db, coordinator(db), pid).stage == "in_programme"


def test_a_wrong_start_is_undone_and_she_is_signed_again(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    wrong = latest(db, pid)
    mark = audit_mark(db)
    correct(db, pid, wrong, undo=True, reason="Še ni začela")
    p = participants.get_person(db, coordinator(db), pid)
    assert (p.stage, p.stage_since, p.entry_date, p.exit_date) == (
        "contract", TODAY - dt.timedelta(days=40), None, None)
    assert enrolment_of(db, pid)[2] == "active"
    assert db.execute("SELECT COUNT(*) FROM stage_history WHERE id = ?", [wrong]).fetchone() \
        == (0,)
    deleted = db.execute("SELECT field, old_value, reason FROM audit_log WHERE id > ? AND "
                         "table_name = 'stage_history' AND action = 'delete'",
                         [mark]).fetchall()
    assert ("to_stage", "in_programme", "Še ni začela") in deleted
    assert pipeline.allowed_moves(p.stage) == ("in_programme", "closed", "motivation")
    ema = {(r["first_name"], r["last_name"]) for r in esf.ema_rows(
        db, coordinator(db), TODAY.year, "gorenjska", TODAY)}
    assert ("Vera", "Testna") not in ema  # she has not entered yet


def test_an_exit_is_undone_with_its_follow_up_tasks(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=3), outcome="dropped_out",
         reason="health")
    correct(db, pid, latest(db, pid), undo=True, reason="Pomota: še obiskuje")
    p = participants.get_person(db, coordinator(db), pid)
    assert (p.stage, p.entry_date, p.exit_date, p.exit_destination, p.exit_reason) == (
        "in_programme", (TODAY - dt.timedelta(days=15)).isoformat(), None, None, None)
    assert enrolment_of(db, pid)[2] == "active"
    assert db.execute("SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND kind LIKE "
                      "'follow_up%'", [pid]).fetchone()[0] == 0


def test_a_follow_up_is_undone_and_its_task_is_open_again(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=60)
    exited_on(db, person, left)
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=25), situation="employed")
    correct(db, person, latest(db, person), undo=True, reason="Vpisano pri napačni osebi")
    assert participants.get_person(db, coordinator(db), person).stage == "exited"
    assert db.execute("SELECT COUNT(*) FROM follow_ups WHERE participant_id = ?",
                      [person]).fetchone()[0] == 0
    assert db.execute("SELECT done_at FROM tasks WHERE participant_id = ? AND kind = "
                      "'follow_up_4w'", [person]).fetchone() == (None,)


def test_an_exit_date_corrected_moves_the_enrolment_end_and_the_exit(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    attended(db, pid, TODAY - dt.timedelta(days=14))
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=2), outcome="completed",
         destination="none")
    exit_row = latest(db, pid)
    with pytest.raises(UserError) as refused:  # completed before she ever attended
        correct(db, pid, exit_row, on=TODAY - dt.timedelta(days=15))
    assert (refused.value.key, refused.value.field) == ("error.completed_needs_attendance",
                                                        "correction_date")
    correct(db, pid, exit_row, on=TODAY - dt.timedelta(days=10))
    day = (TODAY - dt.timedelta(days=10)).isoformat()
    p = participants.get_person(db, coordinator(db), pid)
    assert (p.exit_date, p.stage_since) == (day, TODAY - dt.timedelta(days=10))
    assert db.execute("SELECT end_date FROM enrolments WHERE participant_id = ?",
                      [pid]).fetchone() == (day,)


def test_only_the_latest_move_is_undone(db, signed):
    pid, _ = signed
    contract = latest(db, pid)
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    with pytest.raises(UserError) as refused:
        correct(db, pid, contract, undo=True)
    assert (refused.value.key, refused.value.field) == ("error.undo_not_latest",
                                                        "correction_move")
    assert [m.can_undo for m in pipeline.moves(db, coordinator(db), pid)][:2] == [True, False]


def test_an_undone_contract_gives_up_the_place_and_an_attended_one_is_kept(db, signed):
    pid, programme = signed
    correct(db, pid, latest(db, pid), undo=True, reason="Pogodba ni bila podpisana")
    assert participants.get_person(db, coordinator(db), pid).stage == "motivation"
    assert enrolment_of(db, pid) is None
    sign(db, coordinator(db), pid, programme, on=TODAY - dt.timedelta(days=10))
    attended(db, pid, TODAY - dt.timedelta(days=5))
    with pytest.raises(UserError) as refused:
        correct(db, pid, latest(db, pid), undo=True)
    assert (refused.value.key, refused.value.field) == ("error.undo_attended",
                                                        "correction_move")


def test_a_move_kept_before_corrections_existed_is_redated_not_undone(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    with write(db):
        db.execute("UPDATE stage_history SET state_before = NULL WHERE id = ?",
                   [latest(db, pid)])
    with pytest.raises(UserError) as refused:
        correct(db, pid, latest(db, pid), undo=True)
    assert (refused.value.key, refused.value.field) == ("error.undo_unavailable",
                                                        "correction_move")
    assert pipeline.moves(db, coordinator(db), pid)[0].can_undo is False


def test_a_seeded_move_is_undone_as_it_was(db):
    """The seed keeps each move's state before it, as the app does."""
    pid = person_of(db, "stage = 'follow_up_4w' AND exit_reason IS NOT NULL")
    before = participants.get_person(db, coordinator(db), pid)
    correct(db, pid, latest(db, pid), undo=True)
    after = participants.get_person(db, coordinator(db), pid)
    assert (after.stage, after.exit_date, after.exit_reason, after.entry_date) == (
        "exited", before.exit_date, before.exit_reason, before.entry_date)
    assert db.execute("SELECT COUNT(*) FROM follow_ups WHERE participant_id = ? AND kind = "
                      "'follow_up_4w'", [pid]).fetchone()[0] == 0


def test_a_correction_on_a_stale_version_is_a_conflict(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    seen = participants.get_person(db, coordinator(db), pid).version
    correct(db, pid, latest(db, pid), on=TODAY - dt.timedelta(days=10), version=seen)
    with pytest.raises(ConflictError) as stale:
        correct(db, pid, latest(db, pid), undo=True, version=seen,
                actor=coordinator(db, "maja.zupan"))
    assert stale.value.key == "conflict.person"
    assert {c.field for c in stale.value.changes} >= {"move_date"}
    assert participants.get_person(db, coordinator(db), pid).stage == "in_programme"


def test_a_second_press_of_the_same_correction_changes_nothing(db, signed):
    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    seen = participants.get_person(db, coordinator(db), pid).version
    first = correct(db, pid, latest(db, pid), undo=True, version=seen, token="t-1")
    again = correct(db, pid, latest(db, pid), undo=True, version=seen, token="t-1")
    assert first == again
    assert db.execute("SELECT user_id FROM submissions WHERE token = 't-1'").fetchall() == [
        (coordinator(db).id,)]  # the form's submission is kept with who sent it
    p = participants.get_person(db, coordinator(db), pid)
    assert (p.stage, p.version) == ("contract", first)


def test_a_middle_move_is_redated_and_the_version_is_raised(db, person):
    move(db, person, "first_interview", on=TODAY - dt.timedelta(days=30))
    interview = latest(db, person)
    move(db, person, "motivation", on=TODAY - dt.timedelta(days=20))
    seen = participants.get_person(db, coordinator(db), person).version
    version = correct(db, person, interview, on=TODAY - dt.timedelta(days=25))
    assert version == seen + 1
    p = participants.get_person(db, coordinator(db), person)  # still in motivation since day -20
    assert (p.stage, p.stage_since) == ("motivation", TODAY - dt.timedelta(days=20))
    assert [m.day for m in pipeline.moves(db, coordinator(db), person)][:2] == [
        TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=25)]


def test_two_coordinators_correcting_one_move_at_once_one_wins(db, signed, seeded_path):
    """Ana undoes the start while Maja corrects its date, both from the same version, in
    two connections at once: one is saved, the other is told of it; nothing half-done."""
    import threading

    from workbench.db import open_db

    pid, _ = signed
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=2))
    seen, start = participants.get_person(db, coordinator(db), pid).version, latest(db, pid)
    barrier, results = threading.Barrier(2), {}

    def race(username, correction):
        conn = open_db(seeded_path)
        try:
            actor = coordinator(conn, username)
            barrier.wait()
            results[username] = pipeline.correct_move(conn, actor, pid, seen, correction,
                                                      today=TODAY)
        except ConflictError as err:
            results[username] = err
        finally:
            conn.close()

    threads = [threading.Thread(target=race, args=args) for args in (
        ("ana.kos", pipeline.Correction(start, undo=True, reason="Še ni začela")),
        ("maja.zupan", pipeline.Correction(start, on=TODAY - dt.timedelta(days=10),
                                           reason="Začela je prej")))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [u for u, r in results.items() if isinstance(r, int)]
    assert len(won) == 1 and isinstance(results[{"ana.kos", "maja.zupan"}.difference(won)
                                                 .pop()], ConflictError)
    p = participants.get_person(db, coordinator(db), pid)
    assert p.version == seen + 1
    if won == ["ana.kos"]:
        assert (p.stage, p.entry_date) == ("contract", None)
    else:
        assert (p.stage, p.entry_date) == ("in_programme",
                                           (TODAY - dt.timedelta(days=10)).isoformat())


def test_an_undone_closure_takes_her_place_back_unless_it_is_taken(db):
    """Closed from the contract by mistake: undone, her enrolment is active again and the
    closure reason gone; when her freed place was taken meanwhile, the undo is refused."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                            end=TODAY + dt.timedelta(days=200), name="Majhen program",
                            capacity=1)
    pid = a_person(db, ana, "Zaprta", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=30))
    move(db, pid, "closed", on=TODAY - dt.timedelta(days=5), reason="declined")
    closed = latest(db, pid)
    mark = audit_mark(db)
    correct(db, pid, closed, undo=True, reason="Ni odstopila")
    p = participants.get_person(db, ana, pid)
    assert (p.stage, p.closure_reason, p.enrolment_status) == ("contract", None, "active")
    assert ("enrolments", "status", "dropped_out", "active", "Ni odstopila") in db.execute(
        "SELECT table_name, field, old_value, new_value, reason FROM audit_log WHERE id > ?",
        [mark]).fetchall()
    move(db, pid, "closed", on=TODAY - dt.timedelta(days=4), reason="declined")
    other = a_person(db, ana, "Druga", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, other, programme, on=TODAY - dt.timedelta(days=3))
    with pytest.raises(UserError) as refused:
        correct(db, pid, latest(db, pid), undo=True)
    assert (refused.value.key, refused.value.field) == ("error.undo_place_taken",
                                                        "correction_move")
    assert participants.get_person(db, ana, pid).stage == "closed"


def test_a_follow_up_redated_moves_its_record_and_task_within_its_window(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=60)
    exited_on(db, person, left)
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=30), situation="employed")
    seen = latest(db, person)
    with pytest.raises(UserError) as early:
        correct(db, person, seen, on=left + dt.timedelta(days=20))
    assert (early.value.key, early.value.field) == ("error.follow_up_early",
                                                    "correction_date")
    correct(db, person, seen, on=left + dt.timedelta(days=21), reason="Klic je bil prej")
    day = (left + dt.timedelta(days=21)).isoformat()
    assert db.execute("SELECT observed_on FROM follow_ups WHERE participant_id = ?",
                      [person]).fetchone() == (day,)
    assert db.execute("SELECT substr(done_at, 1, 10) FROM tasks WHERE participant_id = ? "
                      "AND kind = 'follow_up_4w'", [person]).fetchone() == (day,)
    assert participants.get_person(db, coordinator(db), person).stage_since == \
        left + dt.timedelta(days=21)


def test_a_contract_redated_moves_the_enrolment_it_made(db):
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                            end=TODAY + dt.timedelta(days=200), name="Pogodbeni program")
    pid = a_person(db, ana, "Pogodba", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=10))  # starts that day
    contract = latest(db, pid)
    correct(db, pid, contract, on=TODAY - dt.timedelta(days=12), reason="Podpisala prej")
    assert enrolment_of(db, pid) == ((TODAY - dt.timedelta(days=12)).isoformat(),
                                     (TODAY - dt.timedelta(days=12)).isoformat(), "active")
    planned = a_person(db, ana, "Načrtovana", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, planned, programme, on=TODAY - dt.timedelta(days=10),
         planned_start=TODAY - dt.timedelta(days=5))
    with pytest.raises(UserError) as refused:  # signed after her planned start
        correct(db, planned, latest(db, planned), on=TODAY - dt.timedelta(days=4))
    assert refused.value.key == "error.start_before_contract"
    correct(db, planned, latest(db, planned), on=TODAY - dt.timedelta(days=6))
    assert enrolment_of(db, planned)[:2] == ((TODAY - dt.timedelta(days=6)).isoformat(),
                                             (TODAY - dt.timedelta(days=5)).isoformat())


def test_an_undone_reopening_restores_the_closure(db, person):
    move(db, person, "closed", reason="unreachable")
    move(db, person, "referred", reason="Oglasila se je")
    correct(db, person, latest(db, person), undo=True, reason="Ni se oglasila ona")
    p = participants.get_person(db, coordinator(db), person)
    assert (p.stage, p.closure_reason) == ("closed", "unreachable")


def test_the_history_lists_the_moves_newest_first_with_their_corrections(db, person):
    move(db, person, "first_interview", on=TODAY - dt.timedelta(days=3), reason="x")
    listed = pipeline.moves(db, coordinator(db), person)
    assert [(m.from_stage, m.to_stage, m.reason, m.can_undo, m.can_redate)
            for m in listed] == [("referred", "first_interview", "x", True, True),
                                 (None, "referred", "csd", False, False)]
    assert listed[0].day == TODAY - dt.timedelta(days=3)
    assert [m.id for m in listed] == [r[0] for r in db.execute(  # what a correction names
        "SELECT id FROM stage_history WHERE participant_id = ? ORDER BY id DESC", [person])]


def test_a_referral_alone_can_be_neither_undone_nor_redated(db, person):
    [referral] = pipeline.moves(db, coordinator(db), person)
    assert (referral.to_stage, referral.can_undo, referral.can_redate) == (
        "referred", False, False)


def test_an_undo_keeps_what_it_deleted_in_the_change_log(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=40)
    exited_on(db, person, left)
    tasks = dict(db.execute("SELECT kind, id FROM tasks WHERE participant_id = ?", [person]))
    mark = audit_mark(db)
    correct(db, person, latest(db, person), undo=True, reason="Izstop pomotoma")
    deleted = db.execute("SELECT user_id, table_name, record_id, participant_id, field, "
                         "old_value, new_value, reason FROM audit_log WHERE id > ? AND "
                         "action = 'delete' AND table_name = 'tasks' AND field = 'due_date'",
                         [mark]).fetchall()
    ana = coordinator(db)
    assert sorted(deleted) == sorted(
        (ana.id, "tasks", tasks[kind], person, "due_date",
         (left + dt.timedelta(days=days)).isoformat(), None, "Izstop pomotoma")
        for kind, days in (("follow_up_4w", 28), ("follow_up_6m", 182)))
    assert ("participants", "undone_move", "exited", None) in db.execute(
        "SELECT table_name, field, old_value, new_value FROM audit_log WHERE id > ?",
        [mark]).fetchall()


# -- corrections in the change log: who, of whom, what moved and why -----------------------
def logged(db, mark) -> set[tuple]:
    """Every change-log row after ``mark``: (user, table, record, person, action, field, old,
    new, reason)."""
    return {tuple(r) for r in db.execute(
        "SELECT user_id, table_name, record_id, participant_id, action, field, old_value, "
        "new_value, reason FROM audit_log WHERE id > ?", [mark])}


def day_before(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def stamp_of(db, history_id) -> str:
    return db.execute("SELECT changed_at FROM stage_history WHERE id = ?",
                      [history_id]).fetchone()[0]


def test_a_redated_exit_logs_everything_it_moved_as_the_coordinator_s(db, signed):
    """The exit corrected two days earlier: the enrolment's end, both follow-up tasks (due
    by the same intervals from the new day), the move (its time of day kept) and her exit
    and stage dates move, each logged as Ana's change of Vera with the reason; her entry
    date stays."""
    pid, _ = signed
    ana, why = coordinator(db), "Izstop dva dni prej"
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=3), outcome="dropped_out",
         reason="health")
    exit_row, enrolment = latest(db, pid), enrolment_id(db, pid)
    tasks = dict(db.execute("SELECT kind, id FROM tasks WHERE participant_id = ?", [pid]))
    stamp = stamp_of(db, exit_row)
    mark = audit_mark(db)
    correct(db, pid, exit_row, on=TODAY - dt.timedelta(days=5), reason=why)
    moved = day_before(5) + stamp[10:]
    assert logged(db, mark) == {
        (ana.id, "enrolments", enrolment, pid, "update", "end_date", day_before(3), day_before(5),
         why),
        (ana.id, "tasks", tasks["follow_up_4w"], pid, "update", "due_date", day_before(3 - 28),
         day_before(5 - 28), why),
        (ana.id, "tasks", tasks["follow_up_6m"], pid, "update", "due_date", day_before(3 - 182),
         day_before(5 - 182), why),
        (ana.id, "stage_history", exit_row, pid, "update", "changed_at", stamp, moved, why),
        *((ana.id, "participants", pid, pid, "update", field, day_before(3), day_before(5), why)
          for field in ("stage_since", "exit_date", "move_date"))}
    assert stamp_of(db, exit_row) == moved
    assert participants.get_person(db, ana, pid).entry_date == day_before(15)


def enrolment_id(db, pid) -> int:
    return db.execute("SELECT id FROM enrolments WHERE participant_id = ? ORDER BY id DESC "
                      "LIMIT 1", [pid]).fetchone()[0]


def test_a_redated_follow_up_logs_its_record_task_and_move(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=60)
    exited_on(db, person, left)
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=30), situation="employed")
    row, ana, why = latest(db, person), coordinator(db), "Klic je bil prej"
    record = db.execute("SELECT id FROM follow_ups WHERE participant_id = ?",
                        [person]).fetchone()[0]
    task = db.execute("SELECT id FROM tasks WHERE participant_id = ? AND kind = "
                      "'follow_up_4w'", [person]).fetchone()[0]
    stamp, old, new = stamp_of(db, row), day_before(30), day_before(35)
    mark = audit_mark(db)
    correct(db, person, row, on=TODAY - dt.timedelta(days=35), reason=why)
    assert logged(db, mark) == {
        (ana.id, "follow_ups", record, person, "update", "observed_on", old, new, why),
        (ana.id, "tasks", task, person, "update", "done_at", old, new, why),
        (ana.id, "stage_history", row, person, "update", "changed_at", stamp,
         new + stamp[10:], why),
        (ana.id, "participants", person, person, "update", "stage_since", old, new, why),
        (ana.id, "participants", person, person, "update", "move_date", old, new, why)}


def test_a_redated_contract_logs_the_enrolment_and_a_start_on_the_new_day_is_allowed(db):
    """Signed on day -10 to start that day, corrected to day -12: the enrolment's contract
    and start move, logged with the reason. Signed on day -10 to start on day -5: the
    contract may be corrected up to the start day itself, not past it."""
    ana, why = coordinator(db), "Podpisala prej"
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                            end=TODAY + dt.timedelta(days=200), name="Pogodbeni program")
    pid = a_person(db, ana, "Pogodba", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=10))
    row, enrolment = latest(db, pid), enrolment_id(db, pid)
    stamp = stamp_of(db, row)
    mark = audit_mark(db)
    correct(db, pid, row, on=TODAY - dt.timedelta(days=12), reason=why)
    assert logged(db, mark) == {
        (ana.id, "enrolments", enrolment, pid, "update", "contract_date", day_before(10),
         day_before(12), why),
        (ana.id, "enrolments", enrolment, pid, "update", "start_date", day_before(10),
         day_before(12), why),
        (ana.id, "stage_history", row, pid, "update", "changed_at", stamp,
         day_before(12) + stamp[10:], why),
        (ana.id, "participants", pid, pid, "update", "stage_since", day_before(10), day_before(12),
         why),
        (ana.id, "participants", pid, pid, "update", "move_date", day_before(10), day_before(12),
         why)}
    planned = a_person(db, ana, "Načrtovana", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, planned, programme, on=TODAY - dt.timedelta(days=10),
         planned_start=TODAY - dt.timedelta(days=5))
    with pytest.raises(UserError) as refused:
        correct(db, planned, latest(db, planned), on=TODAY - dt.timedelta(days=4))
    assert (refused.value.key, refused.value.field) == ("error.start_before_contract",
                                                        "correction_date")
    correct(db, planned, latest(db, planned), on=TODAY - dt.timedelta(days=5))
    assert enrolment_of(db, planned) == (day_before(5), day_before(5), "active")


def deleted_fields(db, mark, table) -> set[str]:
    return {r[0] for r in db.execute("SELECT field FROM audit_log WHERE id > ? AND action = "
                                     "'delete' AND table_name = ?", [mark, table])}


def test_an_undone_contract_keeps_every_value_it_deleted_as_the_coordinator_s(db, signed):
    """Undone, the contract's enrolment and history row are deleted: the change log keeps each
    of their values (not the row's id or version, nor the state kept for undoing), and every
    row of it is Ana's, about Vera, with the reason; her row says which move was undone."""
    pid, _ = signed
    ana, why = coordinator(db), "Pogodba ni bila podpisana"
    row = latest(db, pid)
    enrolment = records.row(db, "enrolments", enrolment_id(db, pid))
    history = records.row(db, "stage_history", row)
    mark = audit_mark(db)
    correct(db, pid, row, undo=True, reason=why)
    rows = logged(db, mark)
    assert {(r[0], r[1], r[3], r[8]) for r in rows} == {
        (ana.id, table, pid, why) for table in ("enrolments", "stage_history", "participants")}
    assert {r[2] for r in rows if r[1] == "enrolments"} == {enrolment["id"]}
    assert {r[2] for r in rows if r[1] == "stage_history"} == {row}
    assert deleted_fields(db, mark, "enrolments") == {
        k for k, v in enrolment.items() if v is not None} - {"id", "version"}
    assert {"programme_id", "contract_date", "start_date"} <= deleted_fields(db, mark,
                                                                             "enrolments")
    assert deleted_fields(db, mark, "stage_history") == {
        k for k in ("from_stage", "to_stage", "changed_at", "reason") if history[k] is not None}
    assert (ana.id, "participants", pid, pid, "update", "undone_move", "contract", None,
            why) in rows


def test_an_undone_follow_up_logs_the_record_deleted_and_the_task_reopened(db):
    person = long_ago(db)
    left = TODAY - dt.timedelta(days=60)
    exited_on(db, person, left)
    move(db, person, "follow_up_4w", on=left + dt.timedelta(days=25), situation="employed")
    ana, why = coordinator(db), "Vpisano pri napačni osebi"
    record = db.execute("SELECT id FROM follow_ups WHERE participant_id = ?",
                        [person]).fetchone()[0]
    task = db.execute("SELECT id FROM tasks WHERE participant_id = ? AND kind = "
                      "'follow_up_4w'", [person]).fetchone()[0]
    mark = audit_mark(db)
    correct(db, person, latest(db, person), undo=True, reason=why)
    rows = logged(db, mark)
    assert {(r[0], r[1], r[3], r[8]) for r in rows} == {
        (ana.id, table, person, why)
        for table in ("follow_ups", "tasks", "stage_history", "participants")}
    assert {r[2] for r in rows if r[1] == "follow_ups"} == {record}
    assert (ana.id, "tasks", task, person, "update", "done_at", day_before(35), None, why) in rows
    assert {"kind", "situation", "observed_on"} <= deleted_fields(db, mark, "follow_ups")


def test_an_undone_closure_logs_the_place_given_back_as_the_coordinator_s(db, signed):
    pid, _ = signed
    ana, why = coordinator(db), "Ni odstopila"
    move(db, pid, "closed", on=TODAY - dt.timedelta(days=5), reason="declined")
    enrolment = enrolment_id(db, pid)
    mark = audit_mark(db)
    correct(db, pid, latest(db, pid), undo=True, reason=why)
    rows = logged(db, mark)
    assert {(r[0], r[3], r[8]) for r in rows} == {(ana.id, pid, why)}
    assert (ana.id, "enrolments", enrolment, pid, "update", "end_date", day_before(5), None,
            why) in rows


# -- moves on the same day as a contract or an exit: only their own effects are corrected ----
def test_a_start_undone_on_its_contract_day_keeps_the_contract(db):
    """Signed and moved to "in programme" on the same day: undoing the start leaves her
    signed (the enrolment was made by the contract, not the start); redating the start later
    leaves the contract's day."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=30),
                            end=TODAY + dt.timedelta(days=200), name="Istodnevni program")
    pid = a_person(db, ana, "Ista", since=TODAY - dt.timedelta(days=60))
    sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=10))
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=10))
    correct(db, pid, latest(db, pid), on=TODAY - dt.timedelta(days=8), reason="Začela pozneje")
    assert enrolment_of(db, pid) == (day_before(10), day_before(10), "active")
    correct(db, pid, latest(db, pid), undo=True, reason="Še ni začela")
    p = participants.get_person(db, ana, pid)
    assert (p.stage, p.enrolment_status) == ("contract", "active")
    assert enrolment_of(db, pid) == (day_before(10), day_before(10), "active")


def test_a_first_interview_on_the_contract_day_is_redated_alone(db, person):
    """The first interview and the contract on the same day: the interview corrected two days
    earlier leaves the contract's day."""
    ana = coordinator(db)
    programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=30),
                            end=TODAY + dt.timedelta(days=200), name="Hitri program")
    move(db, person, "first_interview", on=TODAY - dt.timedelta(days=10))
    interview = latest(db, person)
    sign(db, ana, person, programme, on=TODAY - dt.timedelta(days=10))
    correct(db, person, interview, on=TODAY - dt.timedelta(days=12), reason="Prej")
    assert enrolment_of(db, person) == (day_before(10), day_before(10), "active")


def test_a_re_opening_on_the_exit_day_corrected_leaves_the_exit(db, signed):
    """Exited and re-opened on the same day: undoing or redating the re-opening leaves her
    programme ended on the exit day, and her exit date."""
    pid, _ = signed
    ana = coordinator(db)
    move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    move(db, pid, "exited", on=TODAY - dt.timedelta(days=5), outcome="dropped_out",
         reason="health")
    move(db, pid, "referred", on=TODAY - dt.timedelta(days=5), reason="Se je vrnila")
    correct(db, pid, latest(db, pid), on=TODAY - dt.timedelta(days=3), reason="Pozneje")
    p = participants.get_person(db, ana, pid)
    assert (p.stage, p.stage_since, p.exit_date) == ("referred", TODAY - dt.timedelta(days=3),
                                                     day_before(5))
    assert enrolment_of(db, pid) == (day_before(40), day_before(15), "dropped_out")
    correct(db, pid, latest(db, pid), undo=True, reason="Se ni vrnila")
    p = participants.get_person(db, ana, pid)
    assert (p.stage, p.exit_date) == ("exited", day_before(5))
    assert enrolment_of(db, pid) == (day_before(40), day_before(15), "dropped_out")
    assert db.execute("SELECT end_date FROM enrolments WHERE participant_id = ?",
                      [pid]).fetchone() == (day_before(5),)


# -- the state ``step`` says is the state the database reads back ----------------------------
@pytest.mark.parametrize("to", ["exited", "closed"])
def test_after_leaving_the_place_step_knows_no_enrolment_as_the_database_does(db, signed, to):
    """Signed, attended a session before the start, then closed (or started and exited): the
    state ``step`` gives (the one the seed carries to the next move) is what the database
    reads back: no enrolment, no first day, no attended session."""
    pid, _ = signed
    attended(db, pid, TODAY - dt.timedelta(days=18))
    if to == "exited":
        move(db, pid, "in_programme", on=TODAY - dt.timedelta(days=15))
    request = Move(to, TODAY - dt.timedelta(days=2), reason="declined") if to == "closed" \
        else Move(to, TODAY - dt.timedelta(days=2), outcome="completed", destination="none")
    before = pipeline.state_of(db, records.row(db, "participants", pid))
    assert (before.may_start, before.first_attended) == (TODAY - dt.timedelta(days=15),
                                                         TODAY - dt.timedelta(days=18))
    done = pipeline.step_in(db, before, request, TODAY)
    move(db, pid, to, on=request.on, reason=request.reason, outcome=request.outcome,
         destination=request.destination)
    assert done.after == pipeline.state_of(db, records.row(db, "participants", pid))
    assert (done.after.enrolled, done.after.may_start, done.after.first_attended) == (
        False, None, None)


def test_a_follow_up_window_is_by_the_interval_in_force_on_the_exit_day():
    """The pure rule: the 4-week interval is 28 days for exits until day -20 and 35 after;
    an exit on day -30 is followed up from day -30 + 21 even when recorded after the change."""
    def intervals(on):
        return {"follow_up_4w": 28 if on < TODAY - dt.timedelta(days=20) else 35,
                "follow_up_6m": 182}
    early = {"follow_up_4w": 7, "follow_up_6m": 30}
    day = EXITED.exit_date + dt.timedelta(days=21)
    done = pipeline.step(EXITED, Move("follow_up_4w", day, situation="employed"), TODAY,
                         intervals, lambda on: early)
    assert done.completes_follow_up == "follow_up_4w"


def test_a_person_erased_while_the_correction_was_on_its_way_is_missing(db, signed,
                                                                        monkeypatch):
    """As for a move: erased after the access check, the correction is refused as "person
    missing"."""
    from workbench import access
    from workbench.protection import retention

    pid, _ = signed
    row, version = latest(db, pid), participants.get_person(db, coordinator(db), pid).version
    checked = access.require_person

    def check_then_erase(db_, actor, pid_):
        area = checked(db_, actor, pid_)
        retention.erase(db_, auth.get_user_by_name(db_, "admin"), pid_, "Napotitev po pomoti")
        return area

    monkeypatch.setattr(access, "require_person", check_then_erase)
    with pytest.raises(UserError) as refused:
        correct(db, pid, row, undo=True, version=version)
    assert refused.value.key == "error.person_missing"
