"""Account administration: changes are audited, and a coordinator leaves nobody behind."""

from __future__ import annotations

import datetime as dt

import pytest

import seed
from tests.casework_helpers import coordinator
from tests.conftest import TODAY
from workbench import access, accounts, auth, i18n, pipeline, schedule
from workbench.db import write
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


def _future_bookings(db, user_id):
    return [r[0] for r in db.execute("SELECT id FROM sessions WHERE coordinator_id = ? AND "
                                     "date >= ? ORDER BY id", [user_id, TODAY.isoformat()])]


def test_deactivation_hands_her_future_meetings_and_visits_over_and_keeps_her_past(db):
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    future = _future_bookings(db, maja.id)
    kinds = {r[0] for r in db.execute(f"SELECT kind FROM sessions WHERE id IN "
                                      f"({','.join(map(str, future))})")}
    assert len(future) >= 5 and kinds == {"individual", "mobile_unit"}
    past = db.execute("SELECT COUNT(*) FROM sessions WHERE coordinator_id = ? AND date < ?",
                      [maja.id, TODAY.isoformat()]).fetchone()[0]
    assert accounts.holdings(db, admin(db), maja.id, today=TODAY).bookings == len(future)
    held = accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id, today=TODAY)
    assert held.bookings == len(future)
    assert _future_bookings(db, maja.id) == []
    assert db.execute("SELECT COUNT(*) FROM sessions WHERE coordinator_id = ? AND date < ?",
                      [maja.id, TODAY.isoformat()]).fetchone()[0] == past
    # Petra's calendar shows her busy at those times now.
    first = min(dt.date.fromisoformat(r[0]) for r in db.execute(
        f"SELECT date FROM sessions WHERE id IN ({','.join(map(str, future))})"))
    shown = {e.id for e in schedule.view(db, petra, "coordinator", petra.id, first,
                                         first + dt.timedelta(days=schedule.VIEW_MAX_DAYS))}
    assert set(future) <= shown
    moved = db.execute(
        "SELECT record_id, old_value, new_value FROM audit_log WHERE table_name = 'sessions' "
        "AND field = 'coordinator_id' ORDER BY record_id").fetchall()
    assert moved == [(sid, str(maja.id), str(petra.id)) for sid in future]


def test_a_handed_over_booking_that_clashes_is_moved_with_a_task_for_the_colleague(db):
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    sid, pid, day, start, hours = db.execute(
        "SELECT id, participant_id, date, start_time, hours FROM sessions WHERE "
        "coordinator_id = ? AND kind = 'individual' AND date >= ? ORDER BY date LIMIT 1",
        [maja.id, TODAY.isoformat()]).fetchone()
    with write(db):  # Petra's own appointment at that very time
        db.execute("INSERT INTO sessions (kind, coordinator_id, title, date, start_time, hours) "
                   "VALUES ('group', ?, 'Sestanek na ZRSZ', ?, ?, ?)",
                   [petra.id, day, start, hours])
    held = accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id, today=TODAY)
    assert held.clashes >= 1
    assert db.execute("SELECT coordinator_id FROM sessions WHERE id = ?",
                      [sid]).fetchone()[0] == petra.id
    tasks = db.execute("SELECT title, due_date FROM tasks WHERE participant_id = ? AND "
                       "assigned_to = ? AND done_at IS NULL AND title LIKE 'Prekrivanje%'",
                       [pid, petra.id]).fetchall()
    assert len(tasks) == 1 and "Sestanek na ZRSZ" in tasks[0][0] and tasks[0][1] == day


def test_a_spread_hands_each_meeting_to_whoever_took_her_person(db):
    maja = coordinator(db, "maja.zupan")
    future = _future_bookings(db, maja.id)
    accounts.deactivate(db, admin(db), maja.id, handover_to=accounts.SPREAD, today=TODAY)
    for sid in future:
        leader, kind, person = db.execute("SELECT coordinator_id, kind, participant_id FROM "
                                          "sessions WHERE id = ?", [sid]).fetchone()
        assert leader != maja.id
        if kind == "individual":
            assert leader == db.execute("SELECT coordinator_id FROM participants WHERE id = ?",
                                        [person]).fetchone()[0]


@pytest.mark.parametrize("round_", range(3))
def test_a_deactivation_racing_a_colleagues_booking_never_loses_a_clash(
        seeded_template, tmp_path, round_):
    """The administrator hands Maja's meetings to Petra while Petra books her own meeting at
    the time of one of them: whichever saves first, Petra is never booked twice without a
    task about it (or her booking is refused as a clash)."""
    import shutil
    import threading
    import time

    from workbench.db import open_db

    path = tmp_path / "race.db"
    shutil.copy(seeded_template, path)
    setup = open_db(path)
    maja, petra = coordinator(setup, "maja.zupan"), coordinator(setup, "petra.kralj")
    sid, pid, day, start, hours = setup.execute(
        "SELECT id, participant_id, date, start_time, hours FROM sessions WHERE "
        "coordinator_id = ? AND kind = 'individual' AND date >= ? ORDER BY date, id "
        "LIMIT 1 OFFSET ?", [maja.id, TODAY.isoformat(), round_]).fetchone()
    own = setup.execute("SELECT id FROM participants WHERE coordinator_id = ? AND stage = "
                        "'motivation' AND id NOT IN (SELECT participant_id FROM sessions "
                        "WHERE date = ? AND participant_id IS NOT NULL) ORDER BY id LIMIT 1",
                        [petra.id, day]).fetchone()[0]
    boss = admin(setup)
    setup.close()
    barrier, outcome = threading.Barrier(2), {}

    def deactivate():
        db = open_db(path)
        barrier.wait()
        outcome["held"] = accounts.deactivate(db, boss, maja.id, handover_to=petra.id,
                                              today=TODAY)
        db.close()

    def book():
        db = open_db(path)
        barrier.wait()
        time.sleep(0.5 * round_)  # round 0 races; later rounds let the hand-over lead
        try:
            outcome["booked"] = schedule.add_entry(db, petra, schedule.Entry(
                "individual", dt.date.fromisoformat(day), start, hours, "Srečanje",
                participant_id=own), today=TODAY)
        except UserError as err:
            outcome["refused"] = err.key
        db.close()

    threads = [threading.Thread(target=deactivate), threading.Thread(target=book)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db = open_db(path)
    assert db.execute("SELECT coordinator_id FROM sessions WHERE id = ?",
                      [sid]).fetchone()[0] == petra.id
    tasks = db.execute("SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND assigned_to = ? "
                       "AND title LIKE 'Prekrivanje%'", [pid, petra.id]).fetchone()[0]
    if "booked" in outcome:  # her booking came first: the handed-over one is a known clash
        assert tasks == 1 and outcome["held"].clashes >= 1
    else:                    # the hand-over came first: her booking was refused
        assert outcome["refused"] == "conflict.coordinator_busy" and tasks == 0
    db.close()


def test_a_meeting_today_goes_with_her_people_and_yesterdays_stays_as_held(db):
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    person = db.execute("SELECT id FROM participants WHERE coordinator_id = ? AND stage = "
                        "'motivation' ORDER BY id LIMIT 1", [maja.id]).fetchone()[0]
    booked = {}
    with write(db):
        for name, day in (("yesterday", TODAY - dt.timedelta(days=1)), ("today", TODAY),
                          ("tomorrow", TODAY + dt.timedelta(days=1))):
            booked[name] = db.execute(
                "INSERT INTO sessions (kind, coordinator_id, participant_id, title, date, "
                "start_time, hours) VALUES ('individual', ?, ?, 'Srečanje', ?, '07:00', 1)",
                [maja.id, person, day.isoformat()]).lastrowid
    accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id, today=TODAY)
    leader = {name: db.execute("SELECT coordinator_id FROM sessions WHERE id = ?",
                               [sid]).fetchone()[0] for name, sid in booked.items()}
    assert leader == {"yesterday": maja.id, "today": petra.id, "tomorrow": petra.id}


def test_the_administrator_sets_which_municipalities_a_coordinator_covers(db):
    from tests.casework_helpers import municipality_id
    from workbench import participants

    boss, ana, maja = admin(db), coordinator(db), coordinator(db, "maja.zupan")
    bled, tržič = municipality_id(db, "Bled"), municipality_id(db, "Tržič")
    assert participants.referral_coordinator(db, ana, bled) == maja.id
    assert accounts.set_coverage(db, boss, ana.id, [*accounts.coverage(db, boss, ana.id), bled])
    assert participants.referral_coordinator(db, ana, bled) == ana.id  # taken from Maja
    assert not accounts.set_coverage(db, boss, ana.id, accounts.coverage(db, boss, ana.id))
    # Left out: nobody names it; Tržič's unit has no coordinator, so the intake asks no one.
    accounts.set_coverage(db, boss, ana.id, [m for m in accounts.coverage(db, boss, ana.id)
                                             if m != tržič])
    assert participants.referral_coordinator(db, ana, tržič) is None
    assert db.execute("SELECT record_id, old_value, new_value FROM audit_log WHERE table_name = "
                      "'municipality_coordinators' ORDER BY id").fetchall() == [
        (bled, str(maja.id), str(ana.id)), (tržič, str(ana.id), None)]
    for bad in ([10_000], ["Bled"]):
        with pytest.raises(UserError) as err:
            accounts.set_coverage(db, boss, ana.id, bad)
        assert err.value.key == "error.municipality_invalid"
    with pytest.raises(access.Forbidden):
        accounts.set_coverage(db, ana, ana.id, [bled])


def test_a_cancelled_future_meeting_is_neither_counted_nor_handed_over(db):
    """A cancelled meeting books nobody: deactivation neither counts it among her bookings
    nor moves it into the colleague's calendar; it stays in Maja's history as cancelled."""
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    future = _future_bookings(db, maja.id)
    sid = future[0]
    version = db.execute("SELECT version FROM sessions WHERE id = ?", [sid]).fetchone()[0]
    schedule.cancel_entry(db, maja, sid, version, "Bolniška odsotnost", today=TODAY)
    assert accounts.holdings(db, admin(db), maja.id, today=TODAY).bookings == len(future) - 1
    held = accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id, today=TODAY)
    assert held.bookings == len(future) - 1
    assert db.execute("SELECT coordinator_id FROM sessions WHERE id = ?",
                      [sid]).fetchone()[0] == maja.id


def _busy_at(db, user_id, session_id):
    """A group meeting of ``user_id`` at the very time of ``session_id``."""
    day, start, hours = db.execute("SELECT date, start_time, hours FROM sessions WHERE id = ?",
                                   [session_id]).fetchone()
    with write(db):
        db.execute("INSERT INTO sessions (kind, coordinator_id, title, date, start_time, hours) "
                   "VALUES ('group', ?, 'Sestanek na ZRSZ', ?, ?, ?)",
                   [user_id, day, start, hours])


def test_a_clashing_visit_with_nobody_booked_is_counted_apart_as_it_gets_no_task(db):
    """The message after a deactivation says which clashes have a task and which only show
    in the calendar: a mobile-unit visit nobody is booked on cannot get a task."""
    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    meeting = db.execute(
        "SELECT id FROM sessions WHERE coordinator_id = ? AND kind = 'individual' AND date >= ? "
        "ORDER BY date LIMIT 1", [maja.id, TODAY.isoformat()]).fetchone()[0]
    visits = [r[0] for r in db.execute(
        "SELECT s.id FROM sessions s WHERE s.coordinator_id = ? AND s.kind = 'mobile_unit' "
        "AND s.date >= ? AND s.cancelled_at IS NULL AND s.participant_id IS NULL AND NOT "
        "EXISTS (SELECT 1 FROM session_people sp WHERE sp.session_id = s.id) ORDER BY s.date",
        [maja.id, TODAY.isoformat()])]
    assert len(visits) >= 2
    for sid in (meeting, *visits[:2]):
        _busy_at(db, petra.id, sid)
    tasks_before = db.execute("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Prekrivanje%'"
                              ).fetchone()[0]
    held = accounts.deactivate(db, admin(db), maja.id, handover_to=petra.id, today=TODAY)
    tasks = db.execute("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Prekrivanje%'"
                       ).fetchone()[0] - tasks_before
    assert (held.clashes, held.untasked_clashes) == (tasks, 2)
    assert tasks >= 1
    assert i18n.translate("users.handover_clashes_untasked", n=2).startswith(
        "2 predani srečanji brez prijavljenih oseb")


def test_covered_municipalities_are_listed_in_slovenian_order(db):
    from tests.casework_helpers import municipality_id

    boss, ana = admin(db), coordinator(db)
    names = ["Žiri", "Šenčur", "Cerklje na Gorenjskem", "Tržič", "Bled"]
    accounts.set_coverage(db, boss, ana.id, [municipality_id(db, n) for n in names])
    assert accounts.coverage(db, boss, ana.id) == [municipality_id(db, n) for n in [
        "Bled", "Cerklje na Gorenjskem", "Šenčur", "Tržič", "Žiri"]]


def test_the_form_of_address_is_set_changed_kept_and_audited(db):
    """An account's sex decides "koordinatorka" / "koordinator"; the administrator sets it
    when creating the account or later, and a bad value changes nothing."""
    boss, ana = admin(db), coordinator(db)
    user = accounts.create_account(db, boss, "nov", "Nov Koordinator", "coordinator",
                                   "dovolj-dolgo", "kranj", sex="M")
    assert auth.get_user(db, user.id).sex == "M"
    assert ("sex", "M") in db.execute("SELECT field, new_value FROM audit_log WHERE "
                                      "table_name = 'users' AND record_id = ?",
                                      [user.id]).fetchall()
    same = {"role": ana.role, "unit_code": ana.unit_code, "display_name": ana.display_name}
    db.execute("UPDATE users SET sex = NULL WHERE id = ?", [ana.id])
    assert accounts.update_user(db, boss, ana.id, **same, sex="F")
    assert not accounts.update_user(db, boss, ana.id, **same)  # no sex given: kept
    assert auth.get_user(db, ana.id).sex == "F"
    assert accounts.update_user(db, boss, ana.id, **same, sex=None)  # neutral again
    assert auth.get_user(db, ana.id).sex is None
    rows = db.execute("SELECT old_value, new_value FROM audit_log WHERE table_name = 'users' "
                      "AND record_id = ? AND field = 'sex' ORDER BY id", [ana.id]).fetchall()
    assert rows == [(None, "F"), ("F", None)]
    logged = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    for bad in ("X", "f", "", "Ž"):
        with pytest.raises(UserError) as err:
            accounts.update_user(db, boss, ana.id, **same, sex=bad)
        assert (err.value.key, err.value.field) == ("error.sex_invalid", "sex")
        with pytest.raises(UserError):
            accounts.create_account(db, boss, "druga", "Druga", "coordinator",
                                    "dovolj-dolgo", "kranj", sex=bad)
    assert auth.get_user(db, ana.id).sex is None
    assert db.execute("SELECT COUNT(*) FROM users WHERE username = 'druga'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == logged
