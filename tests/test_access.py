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


# -- the policy itself, call by call, on a small hand-built database ------------------------
# (the tests above go through the library's callers on the seeded region; these pin each rule
# of workbench.access on its own, and run in milliseconds)
CASEWORK_PAGES = {"board", "record", "intake", "programmes", "calendar"}


def _user(role: str, area: str | None = "gorenjska", active: bool = True) -> auth.User:
    return auth.User(id=1, username=role, display_name=role.title(), role=role,
                     area_code=area, unit_code=None, active=active)


@pytest.fixture
def small(memory_db):
    """A training database with one person and one programme in Gorenjska, and one programme
    in Ljubljana."""
    from workbench import records

    db = memory_db
    environment.mark(db, environment.TRAINING)
    municipality = db.execute("SELECT id FROM municipalities ORDER BY id LIMIT 1").fetchone()[0]
    with write(db):
        ana = db.execute("INSERT INTO users (username, display_name, role, area_code, "
                         "unit_code, password_hash, created_at) VALUES ('ana.kos', 'Ana Kos', "
                         "'coordinator', 'gorenjska', 'kranj', 'x', '2026-01-01T08:00:00')"
                         ).lastrowid
        provider = db.execute("INSERT INTO providers (name) VALUES ('Zavod')").lastrowid
        programmes = [db.execute(
            "INSERT INTO programmes (name, provider_id, type, area_code, start_date, end_date, "
            "hours_per_day, days_per_week) VALUES ('Delavnica', ?, 'short', ?, '2026-03-30', "
            "'2026-06-30', 4, 5)", [provider, area]).lastrowid
            for area in ("gorenjska", "ljubljana")]
    pid = records.insert(db, "participants", {
        "first_name": "Cvetka", "last_name": "Žagar", "sex": "F", "birth_date": "1990-01-01",
        "municipality_id": municipality, "target_group": "dsp", "referral_source": "csd",
        "referral_date": "2026-11-02", "coordinator_id": ana, "stage": "referred",
        "stage_since": "2026-11-02", "created_at": "2026-11-02T09:00:00",
        "updated_at": "2026-11-02T09:00:00"}, ana, participant_id=records.SELF)
    return db, pid, programmes[0], programmes[1]


def test_each_role_opens_its_pages_and_a_trainer_casework_on_training_data_only():
    """Casework pages: coordinators always; a trainer on training data only; no other role,
    training or not. Administration: users for the administrator, the audit log and data
    protection for the administrator and the DPO."""
    for training in (False, True):
        coordinator_pages = set(access.pages_for("coordinator", training))
        assert CASEWORK_PAGES <= coordinator_pages
        assert not coordinator_pages & {"users", "audit", "protection"}
        for role in ("manager", "admin", "dpo"):
            assert not CASEWORK_PAGES & set(access.pages_for(role, training)), (role, training)
        assert access.can_open("admin", "users", training)
        assert not access.can_open("dpo", "users", training)
        assert access.can_open("dpo", "audit", training)
        assert access.can_open("dpo", "protection", training)
        assert not access.can_open("manager", "audit", training)
        assert access.can_open("manager", "region", training)
    trainer_real = set(access.pages_for("trainer", False))
    trainer_training = set(access.pages_for("trainer", True))
    assert {"home", "workload", "region", "charts", "reporting"} <= trainer_real
    assert not trainer_real & CASEWORK_PAGES
    assert set(access.pages_for("trainer")) == trainer_real  # real data unless told
    assert trainer_training == trainer_real | CASEWORK_PAGES
    assert access.can_open("trainer", "board", training=True)
    assert not access.can_open("trainer", "board")
    assert not access.can_open("trainer", "users", training=True)


def test_who_sees_a_person_and_which_home_she_gets():
    """Names: a coordinator of the person's own area, or a trainer on training data; the home
    page follows (her own caseload, a trainer's pick of a coordinator, or region totals)."""
    assert access.can_see_person("coordinator", "gorenjska", "gorenjska", False)
    assert not access.can_see_person("coordinator", "ljubljana", "gorenjska", True)
    assert access.can_see_person("trainer", None, "gorenjska", True)
    assert not access.can_see_person("trainer", None, "gorenjska", False)
    assert not access.can_see_person("manager", "gorenjska", "gorenjska", True)
    assert [access.home_view(role, training) for role, training in (
        ("coordinator", False), ("coordinator", True), ("trainer", True), ("trainer", False),
        ("manager", True), ("admin", False))] == [
        "own", "own", "pick", "region", "region", "region"]


def test_names_need_an_active_coordinator_or_a_trainer_on_training_data():
    assert access.may_see_names(_user("coordinator"), False)
    assert not access.may_see_names(_user("coordinator", active=False), True)
    assert access.may_see_names(_user("trainer", None), True)
    assert not access.may_see_names(_user("trainer", None), False)
    assert not access.may_see_names(_user("trainer", None, active=False), True)
    for role in ("manager", "admin", "dpo"):
        assert not access.may_see_names(_user(role), True)


def _refusal(check, *args) -> str:
    """The message key of the Forbidden that ``check(*args)`` raises."""
    with pytest.raises(access.Forbidden) as refused:
        check(*args)
    return refused.value.key


def test_casework_and_an_area_are_checked_against_the_database_environment(small):
    """require_casework asks the database whether it holds training data; require_area keeps
    a coordinator in her own area (a trainer on training data may work in any)."""
    db, _, _, _ = small
    trainer = _user("trainer", None)
    access.require_casework(db, trainer)
    access.require_area(db, trainer, "ljubljana")
    access.require_area(db, _user("coordinator"), "gorenjska")
    assert _refusal(access.require_area, db, _user("coordinator"), "ljubljana") == "error.forbidden"
    assert _refusal(access.require_area, db, _user("manager"), "gorenjska") == "error.forbidden"
    assert _refusal(access.require_casework, db, _user("admin")) == "error.forbidden"
    environment.mark(db, environment.PRODUCTION)
    assert _refusal(access.require_casework, db, trainer) == "error.forbidden"
    assert _refusal(access.require_area, db, trainer, "gorenjska") == "error.forbidden"
    access.require_casework(db, _user("coordinator"))


def test_a_person_is_reachable_by_her_area_and_otherwise_unavailable(small):
    """require_person gives the person's area to a coordinator of it (and to a trainer on
    training data); a coordinator elsewhere and an unknown id get the same message."""
    db, pid, _, _ = small
    assert access.require_person(db, _user("coordinator"), pid) == "gorenjska"
    assert access.require_person(db, _user("trainer", None), pid) == "gorenjska"
    for actor, person in ((_user("coordinator", "ljubljana"), pid),
                          (_user("coordinator"), pid + 1)):
        assert _refusal(access.require_person, db, actor, person) == "error.person_unavailable"
    assert _refusal(access.require_person, db, _user("manager"), pid) == "error.forbidden"


def test_a_programme_is_reachable_in_her_area_and_otherwise_missing(small):
    """require_programme gives the programme's area to a coordinator of that area and to a
    trainer on training data; another area's programme and an unknown one are 'missing'."""
    db, _, here, there = small
    assert access.require_programme(db, _user("coordinator"), here) == "gorenjska"
    assert access.require_programme(db, _user("trainer", None), there) == "ljubljana"
    for programme in (there, there + 1):
        assert _refusal(access.require_programme, db, _user("coordinator"), programme
                        ) == "error.programme_missing"
    assert _refusal(access.require_programme, db, _user("admin"), here) == "error.forbidden"


def test_totals_are_for_any_active_account_of_its_own_area():
    """require_totals: an inactive account is refused; an area's totals are for accounts of
    that area or of none (national roles); every area's (no area) only for a national one."""
    access.require_totals(_user("manager"), "gorenjska")
    access.require_totals(_user("admin", None), "gorenjska")
    access.require_totals(_user("admin", None))
    elsewhere_manager = _user("manager", "ljubljana")
    assert _refusal(access.require_totals, elsewhere_manager, "gorenjska") == "error.forbidden"
    assert _refusal(access.require_totals, _user("manager")) == "error.forbidden"
    assert _refusal(access.require_totals, _user("coordinator", "ljubljana")) == "error.forbidden"
    assert _refusal(access.require_totals, _user("manager", active=False),
                    "gorenjska") == "error.forbidden"
    inactive_admin = _user("admin", None, active=False)
    assert _refusal(access.require_totals, inactive_admin, "gorenjska") == "error.forbidden"


@pytest.mark.parametrize("name, allowed", [
    ("require_admin", {"admin"}),
    ("require_audit_reader", {"admin", "dpo"}),
    ("require_dpo_or_admin", {"admin", "dpo"}),
])
def test_administration_is_for_its_roles_while_active(name, allowed):
    """User accounts: the administrator; the audit log and data protection's requests: the
    administrator and the DPO; an inactive account of the right role is refused too."""
    check = getattr(access, name)
    for role in ("coordinator", "manager", "trainer", "admin", "dpo"):
        if role in allowed:
            check(_user(role, None))
            assert _refusal(check, _user(role, None, active=False)) == "error.forbidden"
        else:
            assert _refusal(check, _user(role, None)) == "error.forbidden"


def test_area_totals_are_open_to_an_area_s_own_account_and_to_a_national_one():
    """The region's overview and the workload: an area account sees its own area (and no
    other, and not the country); a national account sees any area it names."""
    area = auth.User(1, "vodja", "Vodja", "manager", "gorenjska", None, True)
    national = auth.User(2, "ministrstvo", "Ministrstvo", "manager", None, None, True)
    access.require_area_totals(area, "gorenjska")
    access.require_area_totals(national, "gorenjska")
    with pytest.raises(access.Forbidden):
        access.require_area_totals(area, "pomurje")
