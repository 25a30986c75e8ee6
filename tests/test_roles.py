"""Roles, everywhere: every library function added since the permission checks moved into
the library (scheduling, reporting, exports, data protection, accounts), called directly
as each wrong user, refuses and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import coordinator, coordinator_in, person_of
from tests.conftest import TODAY
from tests.db_helpers import snapshot as db_snapshot
from workbench import (
    access,
    accounts,
    allowances,
    attendance,
    auth,
    charts,
    enrolment,
    environment,
    esf,
    ics,
    overview,
    pipeline,
    programmes,
    schedule,
    stats,
)
from workbench.protection import consent, retention, subject_access
from workbench.transactions import write


def ids(db) -> dict[str, object]:
    ana = coordinator(db)
    programme = db.execute("SELECT id FROM programmes WHERE area_code = 'gorenjska' "
                           "ORDER BY id LIMIT 1").fetchone()[0]
    session, month = db.execute("SELECT id, substr(date, 1, 7) FROM sessions WHERE "
                                "programme_id = ? ORDER BY date LIMIT 1", [programme]).fetchone()
    return {"ana": ana, "programme": programme, "session": session, "month": month,
            "person": person_of(db)}


def casework_calls(db) -> dict:
    """Calls that show or change people by name: coordinators of the area only."""
    k = ids(db)
    entry = schedule.Entry(kind="individual", day=TODAY, start_time="09:00", hours=1,
                           title="x", participant_id=k["person"])
    return {
        "programmes.get": lambda u: programmes.get(db, u, k["programme"]),
        "programmes.catalogue": lambda u: programmes.catalogue(db, u, "gorenjska"),
        "schedule.preview": lambda u: schedule.preview(db, u, k["programme"]),
        "schedule.generate": lambda u: schedule.generate(db, u, k["programme"]),
        "schedule.add_closure": lambda u: schedule.add_closure(db, u, k["programme"], TODAY,
                                                               "x"),
        "schedule.check_entry": lambda u: schedule.check_entry(db, u, entry, TODAY),
        "schedule.add_entry": lambda u: schedule.add_entry(db, u, entry, today=TODAY),
        "schedule.view": lambda u: schedule.view(db, u, "coordinator", k["ana"].id, TODAY,
                                                 TODAY + dt.timedelta(days=7)),
        "enrolment.withdraw": lambda u: enrolment.withdraw(db, u, k["programme"], k["person"]),
        "enrolment.enrolled": lambda u: enrolment.enrolled(db, u, k["programme"]),
        "enrolment.queue": lambda u: enrolment.queue(db, u, k["programme"]),
        "attendance.sheet": lambda u: attendance.sheet(db, u, k["session"]),
        "attendance.record": lambda u: attendance.record(db, u, k["session"], 1, {},
                                                         today=TODAY),
        "attendance.monthly": lambda u: attendance.monthly(db, u, k["programme"], k["month"]),
        "attendance.lock_month": lambda u: attendance.lock_month(db, u, k["programme"],
                                                                 k["month"], TODAY),
        "attendance.falling": lambda u: attendance.falling_attendance(db, u, k["ana"].id,
                                                                      TODAY),
        "allowances.payment_sheet": lambda u: allowances.payment_sheet(db, u, k["programme"],
                                                                       k["month"]),
        "allowances.region_month": lambda u: allowances.region_month(db, u, "gorenjska",
                                                                     k["month"]),
        "ics.schedule_ics": lambda u: ics.schedule_ics(db, u, k["ana"].id, TODAY,
                                                       TODAY + dt.timedelta(days=7)),
        "esf.quality": lambda u: esf.quality(db, u, 2025, "gorenjska", TODAY),
        "esf.ema_rows": lambda u: esf.ema_rows(db, u, 2025, "gorenjska", TODAY),
        "esf.mark_submitted": lambda u: esf.mark_submitted(db, u, 2025, "gorenjska", TODAY,
                                                           TODAY),
        "overview.coordinator": lambda u: overview.coordinator_overview(db, u, k["ana"].id,
                                                                        TODAY),
        "consent.consents": lambda u: consent.consents(db, u, k["person"]),
        "consent.record": lambda u: consent.record_consent(db, u, k["person"], "sms",
                                                           given_on=TODAY, how="oral",
                                                           today=TODAY),
    }


def admin_calls(db) -> dict:
    k = ids(db)
    return {
        "retention.due": lambda u: retention.due(db, u, TODAY),
        "retention.anonymise": lambda u: retention.anonymise(db, u, [k["person"]], TODAY),
        "retention.erase": lambda u: retention.erase(db, u, k["person"], "x"),
        "attendance.unlock_month": lambda u: attendance.unlock_month(db, u, k["programme"],
                                                                     k["month"], "x"),
        "attendance.locked_months": lambda u: attendance.locked_months(db, u),
        "accounts.list": lambda u: accounts.list_accounts(db, u),
        "accounts.locks": lambda u: accounts.locks(db, u),
        "accounts.unlock": lambda u: accounts.unlock(db, u, "ana.kos"),
        "accounts.reset": lambda u: accounts.reset_password(db, u, k["ana"].id,
                                                            "novo-geslo-99"),
    }


def request_calls(db) -> dict:
    k = ids(db)
    return {"subject_access.find": lambda u: subject_access.find(db, u, str(k["person"])),
            "subject_access.export": lambda u: subject_access.export(db, u, k["person"])}


def totals_calls(db, area: str = "gorenjska") -> dict:
    """Aggregates: any active account of the area."""
    filters = stats.Filters(start=dt.date(2025, 1, 1), end=TODAY, area=area)
    return {
        "esf.report": lambda u: esf.report(db, u, 2025, area, TODAY),
        "esf.quality_counts": lambda u: esf.quality_counts(db, u, 2025, area, TODAY),
        "overview.region": lambda u: overview.region_overview(db, u, TODAY, area),
        **{f"charts.{name}": (lambda u, name=name: charts.figure(db, u, name, filters, TODAY,
                                                                 "sl"))
           for name in charts.FIGURES},
    }


def snapshot(db):
    """Nothing written; an export reads and logs that it did (its audit rows are expected)."""
    return db_snapshot(db, ignore_audit_actions=("export",))


def actor(db, who: str) -> auth.User:
    if who == "elsewhere":
        return coordinator_in(db, "lj.koord", "ljubljana")
    if who == "deactivated":
        maja = coordinator(db, "maja.zupan")
        accounts.deactivate(db, coordinator(db, "admin"), maja.id, handover_to=accounts.SPREAD)
        return auth.get_user(db, maja.id)
    if who == "deactivated_admin":
        second = auth.create_user(db, "admin2", "Drugi Skrbnik", "admin", "dolgo-geslo-a2")
        accounts.deactivate(db, coordinator(db, "admin"), second.id)
        return auth.get_user(db, second.id)
    if who == "trainer_on_real":
        with write(db):
            environment.mark(db, environment.PRODUCTION)
        return coordinator(db, "trener")
    return coordinator(db, who)


def refused(calls: dict, user: auth.User) -> None:
    for name, call in calls.items():
        with pytest.raises(access.Forbidden):
            call(user)
            pytest.fail(f"{name} let {user.username} ({user.role}) through")


@pytest.mark.parametrize("who", ["vodja", "admin", "varuh", "trainer_on_real", "deactivated",
                                 "elsewhere"])
def test_no_name_reaches_anyone_but_the_area_s_coordinators(db, who):
    user = actor(db, who)
    before = snapshot(db)
    refused(casework_calls(db), user)
    if who == "elsewhere":  # her own people only: none of this area's
        assert enrolment.candidates(db, user) == {}
    else:
        refused({"enrolment.candidates": lambda u: enrolment.candidates(db, u)}, user)
    assert snapshot(db) == before


@pytest.mark.parametrize("who", ["ana.kos", "vodja", "trener", "varuh", "deactivated_admin"])
def test_administration_is_the_active_administrator_s_alone(db, who):
    user = actor(db, who)
    before = snapshot(db)
    refused(admin_calls(db), user)
    if who != "varuh":
        refused(request_calls(db), user)
    assert snapshot(db) == before


@pytest.mark.parametrize("who", ["deactivated", "elsewhere"])
def test_totals_need_an_active_account_of_the_area(db, who):
    user = actor(db, who)
    before = snapshot(db)
    refused(totals_calls(db), user)
    assert snapshot(db) == before


def scalar(db, sql: str, params=()) -> object:
    return db.execute(sql, params).fetchone()[0]


def test_the_right_users_do_get_through(db):
    """The right users are not merely spared a refusal: they get the data asked for,
    counted here in SQL (writes are tested with valid input in their own modules)."""
    k = ids(db)
    ana, boss, manager = coordinator(db), coordinator(db, "admin"), coordinator(db, "vodja")
    calls = casework_calls(db)
    assert calls["programmes.get"](ana).id == k["programme"]
    assert len(calls["programmes.catalogue"](ana)) == scalar(
        db, "SELECT COUNT(*) FROM programmes WHERE area_code = 'gorenjska'") > 0
    assert len(calls["enrolment.enrolled"](ana)) == scalar(
        db, "SELECT COUNT(*) FROM enrolments WHERE programme_id = ?", [k["programme"]]) > 0
    sheet = calls["attendance.sheet"](ana)
    assert (sheet.session_id, sheet.title) == (k["session"], scalar(
        db, "SELECT name FROM programmes WHERE id = ?", [k["programme"]]))
    assert len(calls["consent.consents"](ana)) == scalar(
        db, "SELECT COUNT(*) FROM consents WHERE participant_id = ?", [k["person"]]) > 0
    assert calls["ics.schedule_ics"](ana).startswith(b"BEGIN:VCALENDAR")
    assert calls["esf.ema_rows"](ana) and calls["esf.quality"](ana)
    assert calls["schedule.view"](ana) and calls["attendance.falling"](ana)
    assert calls["overview.coordinator"](ana).active_cases == scalar(
        db, "SELECT COUNT(*) FROM participants WHERE coordinator_id = ? AND stage IN "
            f"({','.join('?' * len(pipeline.ACTIVE))})", [ana.id, *pipeline.ACTIVE]) > 0
    # Aggregates for the manager, and for a trainer on a real database.
    region = totals_calls(db)["overview.region"]
    people = scalar(db, "SELECT COUNT(*) FROM participants")
    assert region(manager).participants_total == people > 0
    for name, call in totals_calls(db).items():
        assert call(manager), name
    admin = admin_calls(db)
    assert len(admin["accounts.list"](boss)) == scalar(db, "SELECT COUNT(*) FROM users")
    assert len(admin["attendance.locked_months"](boss)) == scalar(
        db, "SELECT COUNT(*) FROM month_locks") > 0
    assert admin["retention.due"](boss)
    trainer = actor(db, "trainer_on_real")
    assert region(trainer).participants_total == people
    for name, call in totals_calls(db).items():
        assert call(trainer), name
