"""Account administration: changes are audited, and a coordinator leaves nobody behind."""

from __future__ import annotations

import pytest

import seed
from tests.casework_helpers import coordinator
from workbench import access, accounts, auth, pipeline
from workbench.errors import UserError


def admin(db):
    return coordinator(db, "admin")


def active_cases(db, user_id):
    return db.execute(f"SELECT COUNT(*) FROM participants WHERE coordinator_id = ? AND stage IN "
                      f"({','.join('?' * len(pipeline.ACTIVE))})",
                      [user_id, *pipeline.ACTIVE]).fetchone()[0]


def test_deactivating_a_coordinator_who_holds_cases_needs_a_hand_over(db):
    maja = coordinator(db, "maja.zupan")
    held = accounts.holdings(db, admin(db), maja.id)
    assert held.active_cases > 40 and held.open_tasks > 0
    with pytest.raises(UserError) as err:
        accounts.deactivate(db, admin(db), maja.id)
    assert err.value.key == "error.handover_required"
    assert auth.get_user(db, maja.id).active
    assert accounts.holdings(db, admin(db), maja.id) == held


def test_a_hand_over_to_one_colleague_moves_everything_and_is_audited(db):
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    held = accounts.holdings(db, admin(db), maja.id)
    before = active_cases(db, petra.id)
    accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id)
    assert not auth.get_user(db, maja.id).active
    assert accounts.holdings(db, admin(db), maja.id).empty
    assert active_cases(db, petra.id) == before + held.active_cases
    audited = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'participants' AND "
                         "field = 'coordinator_id' AND old_value = ? AND new_value = ?",
                         [str(maja.id), str(petra.id)]).fetchone()[0]
    assert audited == held.cases
    assert db.execute("SELECT user_id, field, old_value, new_value FROM audit_log WHERE "
                      "table_name = 'users' AND record_id = ? AND action = 'update'",
                      [maja.id]).fetchall() == [
        (admin(db).id, "active", "1", "0")]


def test_a_spread_hand_over_keeps_the_caseloads_even(db):
    maja, ana, petra = (coordinator(db, n) for n in ("maja.zupan", "ana.kos", "petra.kralj"))
    totals = {u.id: db.execute("SELECT COUNT(*) FROM participants WHERE coordinator_id = ?",
                               [u.id]).fetchone()[0] for u in (maja, ana, petra)}
    accounts.deactivate(db, admin(db), maja.id, handover_to=accounts.SPREAD)
    after = {u.id: db.execute("SELECT COUNT(*) FROM participants WHERE coordinator_id = ?",
                              [u.id]).fetchone()[0] for u in (ana, petra)}
    assert sum(after.values()) == sum(totals.values())
    assert abs(after[ana.id] - after[petra.id]) <= 1


def test_role_unit_and_password_changes_are_audited(db):
    ana, boss = coordinator(db), admin(db)
    assert accounts.update_user(db, boss, ana.id, role="coordinator", unit_code="trzic",
                                display_name="Ana Kos")
    assert not accounts.update_user(db, boss, ana.id, role="coordinator", unit_code="trzic",
                                    display_name="Ana Kos")
    accounts.reset_password(db, boss, ana.id, "novo-geslo-99")
    assert auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD) is None
    assert auth.authenticate(db, "ana.kos", "novo-geslo-99").unit_code == "trzic"
    rows = db.execute("SELECT field, old_value, new_value FROM audit_log WHERE table_name = "
                      "'users' AND record_id = ? AND action = 'update' ORDER BY id",
                      [ana.id]).fetchall()
    assert rows == [("unit_code", "kranj", "trzic"), ("password", "***", "***")]
    # A coordinator with cases cannot silently become a manager.
    with pytest.raises(UserError) as err:
        accounts.update_user(db, boss, ana.id, role="manager", unit_code=None,
                             display_name="Ana")
    assert err.value.key == "error.role_change_holds_cases"
    with pytest.raises(UserError) as err:
        accounts.update_user(db, boss, boss.id, role="manager", unit_code=None,
                             display_name="Skrbnik")
    assert err.value.key == "error.cannot_change_own_role"


def test_an_account_created_in_the_app_is_audited(db):
    boss = admin(db)
    user = accounts.create_account(db, boss, "nova", "Nova Koordinatorka", "coordinator",
                                   "dovolj-dolgo", "kranj")
    logged = dict(db.execute("SELECT field, new_value FROM audit_log WHERE table_name = 'users' "
                             "AND record_id = ?", [user.id]).fetchall())
    assert logged == {"username": "nova", "display_name": "Nova Koordinatorka",
                      "role": "coordinator", "unit_code": "kranj"}


@pytest.mark.parametrize("username", ["ana.kos", "vodja", "trener"])
def test_only_an_administrator_administers_accounts(db, username):
    not_admin, maja = coordinator(db, username), coordinator(db, "maja.zupan")
    for call in (lambda: accounts.list_accounts(db, not_admin),
                 lambda: accounts.holdings(db, not_admin, maja.id),
                 lambda: accounts.reset_password(db, not_admin, maja.id, "novo-geslo-99"),
                 lambda: accounts.deactivate(db, not_admin, maja.id,
                                             handover_to=accounts.SPREAD),
                 lambda: accounts.create_account(db, not_admin, "x.y", "X Y", "admin",
                                                 "novo-geslo-99", None)):
        with pytest.raises(access.Forbidden):
            call()
    assert auth.get_user(db, maja.id).active


def test_a_coordinator_needs_a_csd_unit_of_her_area(db):
    boss = admin(db)
    with pytest.raises(UserError) as refused:
        accounts.create_account(db, boss, "brez.enote", "Brez Enote", "coordinator",
                                "dovolj-dolgo", None)
    assert (refused.value.key, refused.value.field) == ("error.unit_required", "unit")
    with pytest.raises(UserError) as refused:
        accounts.create_account(db, boss, "tuja.enota", "Tuja Enota", "coordinator",
                                "dovolj-dolgo", "ljubljana_center")
    assert refused.value.key == "error.unit_invalid"
    manager = next(u for u in auth.list_users(db) if u.role == "manager")
    with pytest.raises(UserError) as refused:
        accounts.update_user(db, boss, manager.id, role="coordinator", unit_code=None,
                             display_name=manager.display_name)
    assert refused.value.key == "error.unit_required"
    assert db.execute("SELECT COUNT(*) FROM users WHERE username IN ('brez.enote', "
                      "'tuja.enota')").fetchone()[0] == 0
    assert auth.get_user(db, manager.id).role == "manager"
