"""Account administration: changes are audited, and a coordinator leaves nobody behind."""

from __future__ import annotations

import pytest

import seed
from tests.casework_helpers import coordinator
from workbench import accounts, auth, vocab
from workbench.errors import UserError


def admin(db):
    return coordinator(db, "admin")


def active_cases(db, user_id):
    return db.execute(f"SELECT COUNT(*) FROM participants WHERE coordinator_id = ? AND stage IN "
                      f"({','.join('?' * len(vocab.ACTIVE_STAGES))})",
                      [user_id, *vocab.ACTIVE_STAGES]).fetchone()[0]


def test_deactivating_a_coordinator_who_holds_cases_needs_a_hand_over(db):
    maja = coordinator(db, "maja.zupan")
    held = accounts.holdings(db, maja.id)
    assert held.active_cases > 40 and held.open_tasks > 0
    with pytest.raises(UserError) as err:
        accounts.deactivate(db, maja.id, acting_user_id=admin(db).id)
    assert err.value.key == "error.handover_required"
    assert auth.get_user(db, maja.id).active
    assert accounts.holdings(db, maja.id) == held


def test_a_hand_over_to_one_colleague_moves_everything_and_is_audited(db):
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    held = accounts.holdings(db, maja.id)
    before = active_cases(db, petra.id)
    accounts.deactivate(db, maja.id, acting_user_id=admin(db).id, handover_to=petra.id)
    assert not auth.get_user(db, maja.id).active
    assert accounts.holdings(db, maja.id).empty
    assert active_cases(db, petra.id) == before + held.active_cases
    audited = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'participants' AND "
                         "field = 'coordinator_id' AND old_value = ? AND new_value = ?",
                         [str(maja.id), str(petra.id)]).fetchone()[0]
    assert audited == held.cases
    assert db.execute("SELECT user_id, field, old_value, new_value FROM audit_log WHERE "
                      "table_name = 'users' AND record_id = ?", [maja.id]).fetchall() == [
        (admin(db).id, "active", "1", "0")]


def test_a_spread_hand_over_keeps_the_caseloads_even(db):
    maja, ana, petra = (coordinator(db, n) for n in ("maja.zupan", "ana.kos", "petra.kralj"))
    totals = {u.id: db.execute("SELECT COUNT(*) FROM participants WHERE coordinator_id = ?",
                               [u.id]).fetchone()[0] for u in (maja, ana, petra)}
    accounts.deactivate(db, maja.id, acting_user_id=admin(db).id, handover_to=accounts.SPREAD)
    after = {u.id: db.execute("SELECT COUNT(*) FROM participants WHERE coordinator_id = ?",
                              [u.id]).fetchone()[0] for u in (ana, petra)}
    assert sum(after.values()) == sum(totals.values())
    assert abs(after[ana.id] - after[petra.id]) <= 1


def test_role_unit_and_password_changes_are_audited(db):
    ana, boss = coordinator(db), admin(db)
    assert accounts.update_user(db, ana.id, role="coordinator", unit_code="trzic",
                                display_name="Ana Kos", acting_user_id=boss.id)
    assert not accounts.update_user(db, ana.id, role="coordinator", unit_code="trzic",
                                    display_name="Ana Kos", acting_user_id=boss.id)
    accounts.reset_password(db, ana.id, "novo-geslo-99", acting_user_id=boss.id)
    assert auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD) is None
    assert auth.authenticate(db, "ana.kos", "novo-geslo-99").unit_code == "trzic"
    rows = db.execute("SELECT field, old_value, new_value FROM audit_log WHERE table_name = "
                      "'users' AND record_id = ? ORDER BY id", [ana.id]).fetchall()
    assert rows == [("unit_code", "kranj", "trzic"), ("password", "***", "***")]
    # A coordinator with cases cannot silently become a manager.
    with pytest.raises(UserError) as err:
        accounts.update_user(db, ana.id, role="manager", unit_code=None, display_name="Ana",
                             acting_user_id=boss.id)
    assert err.value.key == "error.role_change_holds_cases"
    with pytest.raises(UserError) as err:
        accounts.update_user(db, boss.id, role="manager", unit_code=None,
                             display_name="Skrbnik", acting_user_id=boss.id)
    assert err.value.key == "error.cannot_change_own_role"


def test_an_account_created_in_the_app_is_audited(db):
    boss = admin(db)
    user = auth.create_user(db, "nova", "Nova Koordinatorka", "coordinator", "dovolj-dolgo",
                            unit_code="kranj", acting_user_id=boss.id)
    logged = dict(db.execute("SELECT field, new_value FROM audit_log WHERE table_name = 'users' "
                             "AND record_id = ?", [user.id]).fetchall())
    assert logged == {"username": "nova", "display_name": "Nova Koordinatorka",
                      "role": "coordinator", "unit_code": "kranj"}
