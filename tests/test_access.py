"""The library decides who may see what: every function with a person's data, called as the
wrong user, refuses and changes nothing."""

from __future__ import annotations

import pytest

from tests.casework_helpers import coordinator, coordinator_in, person_of, valid_form
from tests.conftest import TODAY
from workbench import (
    access,
    accounts,
    auth,
    board,
    casework,
    environment,
    overview,
    participants,
    pipeline,
)
from workbench.pipeline import Move
from workbench.transactions import write


def one_person(db) -> int:
    return person_of(db, "stage = 'motivation'")


def person_calls(db, pid: int):
    """Every library call that reads or writes one person's data."""
    ana = coordinator(db)
    return {
        "get_person": lambda u: participants.get_person(db, u, pid),
        "open_person": lambda u: participants.open_person(db, u, pid),
        "update_person": lambda u: participants.update_person(db, u, pid, 1,
                                                              {"phone": "031 000 000"},
                                                              today=TODAY),
        "reassign": lambda u: participants.reassign(db, u, pid, 1, ana.id, "Dopust"),
        "move_stage": lambda u: pipeline.move_stage(db, u, pid, 1,
                                                    Move("closed", TODAY, reason="declined"),
                                                    today=TODAY),
        "case_record": lambda u: casework.case_record(db, u, pid),
        "next_due": lambda u: casework.next_due(db, u, pid),
        "add_contact": lambda u: casework.add_contact(db, u, pid, on=TODAY, kind="phone",
                                                      note="x", today=TODAY),
        "add_task": lambda u: casework.add_task(db, u, pid, "x", TODAY, today=TODAY),
        "add_goal": lambda u: casework.add_goal(db, u, pid, "x", None, today=TODAY),
        "score_problems": lambda u: casework.score_problems(db, u, pid, {"debt": 1}, on=TODAY,
                                                            today=TODAY),
        "add_referral_out": lambda u: casework.add_referral_out(db, u, pid, "ZRSZ", "",
                                                                sent_on=TODAY, today=TODAY),
    }


def area_calls(db):
    """Library calls that list or take in the area's people by name."""
    ana = coordinator(db)
    return {
        "search": lambda u: participants.search(db, u, "ana"),
        "find_matches": lambda u: participants.find_matches(db, u, "Cvetka", "Žagar"),
        "check_emso": lambda u: participants.check_emso(db, u, "0101990505012"),
        "create_person": lambda u: participants.create_person(db, u, valid_form(db),
                                                              coordinator_id=ana.id,
                                                              today=TODAY),
        "caseload_board": lambda u: board.caseload_board(db, u, ana.id, TODAY),
        "coordinator_overview": lambda u: overview.coordinator_overview(db, u, ana.id, TODAY),
    }


def changes(db) -> tuple:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("participants", "contacts", "tasks", "plan_goals", "audit_log",
                           "stage_history", "problem_scores", "referrals_out"))


def elsewhere(db) -> auth.User:
    return coordinator_in(db, "lj.koord", "ljubljana")


@pytest.mark.parametrize("who", ["vodja", "admin", "elsewhere", "deactivated"])
def test_the_wrong_user_gets_no_person_and_writes_nothing(db, who):
    pid = one_person(db)
    if who == "elsewhere":
        actor = elsewhere(db)
    elif who == "deactivated":
        maja = coordinator(db, "maja.zupan")
        accounts.deactivate(db, coordinator(db, "admin"), maja.id, handover_to=accounts.SPREAD)
        actor = auth.get_user(db, maja.id)
    else:
        actor = coordinator(db, who)
    before = changes(db)
    calls = person_calls(db, pid)
    if who != "elsewhere":  # a coordinator elsewhere may search her own area, not this one
        calls |= area_calls(db)
    for name, call in calls.items():
        with pytest.raises(access.Forbidden):
            call(actor)
            pytest.fail(f"{name} let {who} through")
    assert changes(db) == before


def test_a_coordinator_elsewhere_finds_nobody_of_this_area(db):
    lara = elsewhere(db)
    name = participants.get_person(db, coordinator(db), one_person(db)).last_name
    assert participants.search(db, lara, name) == []
    with pytest.raises(access.Forbidden):
        board.caseload_board(db, lara, coordinator(db).id, TODAY)


def test_a_missing_person_and_a_forbidden_one_say_the_same(db):
    lara = elsewhere(db)
    with pytest.raises(access.Forbidden) as missing:
        participants.get_person(db, coordinator(db), 10**9)
    with pytest.raises(access.Forbidden) as foreign:
        participants.get_person(db, lara, one_person(db))
    assert missing.value.key == foreign.value.key == "error.person_unavailable"


def test_a_trainer_sees_names_on_training_data_only(db):
    trainer, pid = coordinator(db, "trener"), one_person(db)
    assert participants.get_person(db, trainer, pid).id == pid
    with write(db):
        environment.mark(db, environment.PRODUCTION)
    with pytest.raises(access.Forbidden):
        participants.get_person(db, trainer, pid)
    # Totals stay hers.
    assert overview.region_overview(db, trainer, TODAY).participants_total > 300


def test_her_own_area_is_open_to_a_coordinator_colleagues_included(db):
    petra, pid = coordinator(db, "petra.kralj"), one_person(db)
    assert participants.get_person(db, petra, pid).coordinator == "Ana Kos"
    assert board.caseload_board(db, petra, coordinator(db).id, TODAY).total > 0
