"""The attendance list in hours: a session's sheet and its save (what is refused, what the
audit log keeps, who moves into the programme), the monthly list, month locks and the
early warning of falling attendance.

Expected values come from the rules (module docstrings, DOMAIN.md, the ``rules`` table):
a programme of 4 hours each weekday from Monday 2 November 2026, its people signed that
day, the warning under 0.6 of the hours planned in the last 4 weeks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.casework_helpers import (
    a_person,
    a_programme,
    coordinator,
    coordinator_in,
    person_of,
    session_on,
    sign,
)
from tests.conftest import TODAY
from workbench import attendance, auth, enrolment, schedule
from workbench.access import Forbidden
from workbench.errors import UserError

START = dt.date(2026, 11, 2)  # a Monday
# November 2026 has no public holiday on a weekday: 21 session days, Monday 2 to Monday 30.
NOVEMBER_DAYS = tuple(START + dt.timedelta(days=i) for i in range(29)
                      if (START + dt.timedelta(days=i)).weekday() < 5)
AUDIT_SQL = ("SELECT user_id, table_name, record_id, participant_id, action, field, old_value, "
             "new_value, version FROM audit_log WHERE table_name = ? AND record_id = ?")


@dataclass(frozen=True)
class Course:
    ana: auth.User
    programme: int
    zala: int    # Zala Novak
    anja: int    # Anja Vidmar
    mojca: int   # Mojca Bizjak

    def session(self, db, day: str) -> int:
        return session_on(db, self.programme, day)


@pytest.fixture
def course(db) -> Course:
    """Ana's programme of 4 hours each weekday from 2 November 2026, three people signed on
    its first day; created in an order that is not the alphabetical one."""
    ana = coordinator(db)
    pid = a_programme(db, ana, start=START, end=dt.date(2027, 1, 29), name="Tečaj")
    schedule.generate(db, ana, pid)
    people = [a_person(db, ana, first, last=last, since=dt.date(2026, 10, 1))
              for first, last in (("Zala", "Novak"), ("Anja", "Vidmar"), ("Mojca", "Bizjak"))]
    for person in people:
        sign(db, ana, person, pid, on=START)
    return Course(ana, pid, *people)


def save(db, actor, sid: int, entries: dict, today: dt.date = TODAY) -> int:
    """Record ``entries`` on the session's current sheet."""
    return attendance.record(db, actor, sid, attendance.sheet(db, actor, sid).version,
                             entries, today=today)


def refusal(call) -> tuple[str, str | None, dict]:
    with pytest.raises(UserError) as refused:
        call()
    return refused.value.key, refused.value.field, refused.value.params


def stage(db, pid: int) -> tuple[str, str | None]:
    return tuple(db.execute("SELECT stage, entry_date FROM participants WHERE id = ?",
                            [pid]).fetchone())


# -- a session's sheet ---------------------------------------------------------------------------
def test_a_missing_session_has_no_sheet(db):
    assert refusal(lambda: attendance.sheet(db, coordinator(db), 10 ** 9)) == (
        "error.session_missing", None, {})


def test_the_sheet_names_the_people_expected_and_the_session_time(db, course):
    sheet = attendance.sheet(db, course.ana, course.session(db, "2026-11-03"))
    assert [(r.participant_id, r.name) for r in sheet.rows] == [
        (course.mojca, "Mojca Bizjak"), (course.zala, "Zala Novak"),
        (course.anja, "Anja Vidmar")]
    assert (sheet.day, sheet.start_time, sheet.hours, sheet.locked, sheet.recorded) == (
        dt.date(2026, 11, 3), "09:00", 4.0, False, False)  # the programme starts at 9:00


# -- saving a sheet: what is refused -------------------------------------------------------------
ZALA = "Zala Novak"


@pytest.mark.parametrize("entries, expected", [
    ({"zala": ("late", 4.0)}, ("error.attendance_status", None, {"name": ZALA})),
    ({"zala": ("present", 4.5)}, ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"zala": ("present", 0.0)}, ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"zala": ("present", -1.0)}, ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"zala": ("present", None)}, ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"zala": ("present", float("nan"))},
     ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"mojca": ("absent", None), "zala": ("present", 5.0)},
     ("error.attendance_hours", None, {"name": ZALA, "max": 4.0})),
    ({"outsider": ("present", 2.0)}, ("error.attendance_not_enrolled", None, {})),
    ({}, ("error.attendance_empty", None, {})),
], ids=["unknown_status", "over_the_session", "zero_present", "negative", "no_hours", "nan",
        "one_bad_row_of_two", "not_expected", "nothing"])
def test_a_bad_sheet_is_refused_naming_the_person_and_nothing_is_written(db, course, entries,
                                                                         expected):
    sid = course.session(db, "2026-11-03")
    ids = {"zala": course.zala, "mojca": course.mojca, "outsider": person_of(db)}
    assert refusal(lambda: attendance.record(
        db, course.ana, sid, 1, {ids[k]: v for k, v in entries.items()}, today=TODAY)) == expected
    assert db.execute("SELECT COUNT(*) FROM attendance WHERE session_id = ?",
                      [sid]).fetchone()[0] == 0
    assert attendance.sheet(db, course.ana, sid).version == 1


def test_a_session_is_recorded_on_its_own_day_and_the_hours_may_reach_its_length(db, course):
    """Recorded the day it is held (not before); the first attended session moves her from
    "contract" to "in programme" that day, even signed that same day, even for one hour."""
    sid = course.session(db, "2026-11-02")
    assert refusal(lambda: save(db, course.ana, sid, {course.zala: ("present", 1.0)},
                                today=dt.date(2026, 11, 1)))[0] == "error.attendance_future"
    version = save(db, course.ana, sid, {course.zala: ("present", 1.0),
                                         course.mojca: ("present", 4.0),
                                         course.anja: ("absent", None)},
                   today=dt.date(2026, 11, 2))
    assert version == 2
    assert {r.participant_id: (r.status, r.hours)
            for r in attendance.sheet(db, course.ana, sid).rows} == {
        course.zala: ("present", 1.0), course.mojca: ("present", 4.0),
        course.anja: ("absent", 0.0)}
    assert stage(db, course.zala) == ("in_programme", "2026-11-02")
    assert stage(db, course.mojca) == ("in_programme", "2026-11-02")
    assert stage(db, course.anja) == ("contract", None)


def test_a_locked_month_refuses_a_save_naming_the_month(db, course):
    sid = course.session(db, "2026-11-03")
    attendance.lock_month(db, course.ana, course.programme, "2026-11", dt.date(2026, 12, 1))
    assert attendance.sheet(db, course.ana, sid).locked is True
    assert refusal(lambda: save(db, course.ana, sid, {course.zala: ("present", 4.0)})) == (
        "error.month_locked", None, {"month": "2026-11"})


# -- saving a sheet: what the audit log keeps ----------------------------------------------------
def test_each_change_of_a_sheet_is_audited_under_the_sessions_new_version(db, course):
    ana, sid = course.ana, course.session(db, "2026-11-03")
    first = save(db, ana, sid, {course.zala: ("present", 4.0), course.mojca: ("excused", None),
                                course.anja: ("present", 2.5)})
    assert first == 2

    def entry(pid, action, field, old, new, version):
        return (ana.id, "attendance", sid, pid, action, field, old, new, version)

    assert set(db.execute(AUDIT_SQL, ["attendance", sid]).fetchall()) == {
        entry(course.zala, "create", "status", None, "present", 2),
        entry(course.zala, "create", "hours", None, "4.0", 2),
        entry(course.mojca, "create", "status", None, "excused", 2),
        entry(course.mojca, "create", "hours", None, "0.0", 2),
        entry(course.anja, "create", "status", None, "present", 2),
        entry(course.anja, "create", "hours", None, "2.5", 2)}
    # Unchanged Zala comes first: the changes after her are still saved.
    second = attendance.record(db, ana, sid, first, {
        course.zala: ("present", 4.0), course.mojca: ("present", 3.0),
        course.anja: ("present", 3.5)}, today=TODAY)
    assert second == 3
    assert {r.participant_id: (r.status, r.hours)
            for r in attendance.sheet(db, ana, sid).rows} == {
        course.zala: ("present", 4.0), course.mojca: ("present", 3.0),
        course.anja: ("present", 3.5)}
    assert set(db.execute(AUDIT_SQL + " AND version = 3", ["attendance", sid]).fetchall()) == {
        entry(course.mojca, "update", "status", "excused", "present", 3),
        entry(course.mojca, "update", "hours", "0.0", "3.0", 3),
        entry(course.anja, "update", "hours", "2.5", "3.5", 3)}  # her status did not change
    # The session's own entries say who saved it and how many rows the sheet had.
    assert db.execute(AUDIT_SQL + " ORDER BY id", ["sessions", sid]).fetchall() == [
        (ana.id, "sessions", sid, None, "update", "attendance", None, "3", 2),
        (ana.id, "sessions", sid, None, "update", "attendance", None, "3", 3)]
    # The same sheet again changes nothing and keeps the version.
    assert attendance.record(db, ana, sid, second, {course.anja: ("present", 3.5)},
                             today=TODAY) == 3


# -- the monthly list ----------------------------------------------------------------------------
def test_the_monthly_list_sums_hours_per_day_across_a_days_sessions(db, course):
    ana, pid = course.ana, course.programme
    workshop = schedule.add_entry(db, ana, schedule.Entry(
        kind="group", day="2026-11-04", start_time="14:30", hours=2.0, title="Delavnica",
        programme_id=pid), today=TODAY)
    save(db, ana, course.session(db, "2026-11-02"), {
        course.zala: ("present", 4.0), course.anja: ("absent", None),
        course.mojca: ("excused", None)})
    save(db, ana, course.session(db, "2026-11-04"), {
        course.zala: ("present", 4.0), course.anja: ("present", 4.0),
        course.mojca: ("excused", None)})
    save(db, ana, workshop, {course.zala: ("present", 2.0), course.anja: ("absent", None),
                             course.mojca: ("excused", None)})
    month = attendance.monthly(db, ana, pid, "2026-11")
    assert (month.programme_id, month.programme, month.provider, month.month) == (
        pid, "Tečaj", "Izvajalec Tečaj", "2026-11")
    assert month.days == NOVEMBER_DAYS
    assert month.planned == {day: 6.0 if day == dt.date(2026, 11, 4) else 4.0
                             for day in NOVEMBER_DAYS}
    assert month.people == ((course.mojca, "Mojca Bizjak"), (course.zala, "Zala Novak"),
                            (course.anja, "Anja Vidmar"))
    nov2, nov4 = dt.date(2026, 11, 2), dt.date(2026, 11, 4)
    assert month.cells == {(course.zala, nov2): 4.0, (course.zala, nov4): 6.0,
                           (course.anja, nov4): 4.0}
    # Anja missed the workshop but was there that morning: the day counts as attended.
    assert month.absences == {(course.anja, nov2): "absent", (course.mojca, nov2): "excused",
                              (course.mojca, nov4): "excused"}
    assert (month.person_total(course.zala), month.person_total(course.mojca)) == (10.0, 0)
    assert (month.day_total(nov2), month.day_total(nov4)) == (4.0, 10.0)
    assert month.total == 14.0
    assert month.locked is False
    attendance.lock_month(db, ana, pid, "2026-11", dt.date(2026, 12, 1))
    assert attendance.monthly(db, ana, pid, "2026-11").locked is True
    assert attendance.monthly(db, ana, pid, "2026-10").locked is False


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "2026/11", "november", "", "202611",
                                   "2026-11-05", None])
def test_a_month_not_written_as_year_and_month_is_refused_on_the_month_field(month):
    assert refusal(lambda: attendance.parse_month(month)) == (
        "error.month_format", "month", {})


@pytest.mark.parametrize("month, first, last", [
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31))])
def test_a_month_is_its_first_and_last_day(month, first, last):
    assert attendance.parse_month(month) == (first, last)


# -- locking a month -----------------------------------------------------------------------------
@pytest.mark.parametrize("today, allowed", [
    (dt.date(2026, 10, 30), False), (dt.date(2026, 10, 31), False),
    (dt.date(2026, 11, 1), True)], ids=["before_its_end", "its_last_day", "the_day_after"])
def test_a_month_is_locked_only_once_it_is_over(db, course, today, allowed):
    call = lambda: attendance.lock_month(db, course.ana, course.programme, "2026-10", today)  # noqa: E731
    if allowed:
        call()
    else:
        assert refusal(call) == ("error.lock_future", None, {})
    assert attendance.is_locked(db, course.programme, "2026-10-15") is allowed


def test_locking_and_unlocking_are_audited_and_never_done_twice(db, course):
    ana, admin, pid = course.ana, coordinator(db, "admin"), course.programme
    assert refusal(lambda: attendance.unlock_month(db, admin, pid, "2026-10", "popravek")) == (
        "error.month_not_locked", None, {})
    attendance.lock_month(db, ana, pid, "2026-10", TODAY)
    assert refusal(lambda: attendance.lock_month(db, ana, pid, "2026-10", TODAY)) == (
        "error.month_already_locked", None, {})
    attendance.lock_month(db, ana, pid, "2026-09", TODAY)  # another month: its own lock
    assert (pid, "Tečaj", "2026-10") in attendance.locked_months(db, admin)
    for blank in ("", "   "):
        assert refusal(lambda b=blank: attendance.unlock_month(db, admin, pid, "2026-10", b)) == (
            "error.text_required", "reason", {})
    assert attendance.is_locked(db, pid, "2026-10-01")
    attendance.unlock_month(db, admin, pid, "2026-10", " Napaka  izvajalca ")
    assert not attendance.is_locked(db, pid, "2026-10-01")
    assert attendance.is_locked(db, pid, "2026-09-30")
    assert db.execute(AUDIT_SQL.replace("version", "version, reason") + " ORDER BY id",
                      ["month_locks", pid]).fetchall() == [
        (ana.id, "month_locks", pid, None, "create", "month", None, "2026-10", None, None),
        (ana.id, "month_locks", pid, None, "create", "month", None, "2026-09", None, None),
        (admin.id, "month_locks", pid, None, "update", "month", "2026-10", None, None,
         "Napaka izvajalca")]


# -- the early warning ---------------------------------------------------------------------------
def test_falling_attendance_counts_the_days_before_today_and_warns_under_the_ratio(db, course):
    """On Wednesday 4 November the last 4 weeks hold the sessions of 2 and 3 November (4 h
    each, 8 h planned); that day's own session has not passed yet. Warned: under 0.6."""
    ana, pid = course.ana, course.programme
    steady = a_person(db, ana, "Vesna", since=dt.date(2026, 10, 1))
    unrecorded = a_person(db, ana, "Tea", since=dt.date(2026, 10, 1))
    for person in (steady, unrecorded):
        sign(db, ana, person, pid, on=START)
    hours = {  # 2 and 3 November
        steady: (4.0, 4.0),             # all there: 1.0 (not yet recorded for the 4th)
        course.zala: (4.0, None),       # missed yesterday: 0.5
        course.anja: (2.4, 2.4),        # exactly 0.6: not under it
        course.mojca: (2.0, 2.4)}       # 0.55
    for i, day in enumerate(("2026-11-02", "2026-11-03")):
        save(db, ana, session_on(db, pid, day), {
            p: ("present", h[i]) if h[i] else ("absent", None) for p, h in hours.items()})
    save(db, ana, session_on(db, pid, "2026-11-04"), {course.anja: ("present", 4.0)})
    mine = {steady, unrecorded, course.zala, course.anja, course.mojca}
    falling = [(f.participant_id, f.present, f.planned)
               for f in attendance.falling_attendance(db, ana, ana.id, dt.date(2026, 11, 4))
               if f.participant_id in mine]
    assert falling == [(unrecorded, 0.0, 8.0), (course.zala, 4.0, 8.0),
                       (course.mojca, 4.4, 8.0)]


def test_falling_attendance_of_a_colleague_is_for_her_area_only(db):
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    theirs = attendance.falling_attendance(db, ana, maja.id, TODAY)
    mine = {r[0] for r in db.execute("SELECT id FROM participants WHERE coordinator_id = ?",
                                     [maja.id])}
    assert {f.participant_id for f in theirs} <= mine
    assert [f.participant_id for f in theirs] == [
        f.participant_id for f in attendance.falling_attendance(db, maja, maja.id, TODAY)]
    outsider = coordinator_in(db, "koord.pomurje", "pomurje")
    with pytest.raises(Forbidden):
        attendance.falling_attendance(db, outsider, ana.id, TODAY)


# Surnames in an order that code points get wrong: Č, Š and Ž after Z by byte order.
SLOVENIAN_ORDER = ("Cerar", "Čeh", "Dolenc", "Sever", "Šuštar", "Zupan", "Žagar")


def test_sheets_and_lists_sort_c_s_z_with_caron_after_c_s_z(db):
    """The attendance sheet, the monthly list and the programme's list of people read
    Cerar, Čeh, Dolenc, Sever, Šuštar, Zupan, Žagar: not Čeh, Šuštar, Žagar after Zupan."""
    ana = coordinator(db)
    pid = a_programme(db, ana, start=START, end=dt.date(2027, 1, 29), name="Abeceda")
    schedule.generate(db, ana, pid)
    people = {a_person(db, ana, "Ana", last=last, since=dt.date(2026, 10, 1)): last
              for last in ("Žagar", "Zupan", "Šuštar", "Sever", "Dolenc", "Čeh", "Cerar")}
    candidates = [people[p] for p in enrolment.candidates(db, ana) if p in people]
    assert tuple(candidates) == SLOVENIAN_ORDER
    for person in people:
        sign(db, ana, person, pid, on=START)
    sid = session_on(db, pid, "2026-11-02")
    sheet = attendance.sheet(db, ana, sid)
    assert tuple(row.name.split()[-1] for row in sheet.rows) == SLOVENIAN_ORDER
    save(db, ana, sid, {p: ("present", 4.0) for p in people})
    month = attendance.monthly(db, ana, pid, "2026-11")
    assert tuple(people[p] for p, _ in month.people) == SLOVENIAN_ORDER
    listed = enrolment.enrolled(db, ana, pid)
    assert tuple(e.name.split()[-1] for e in listed) == SLOVENIAN_ORDER


def test_a_stale_sheet_is_told_who_saved_which_rows_once_with_names_and_hours(db, course):
    """Two coordinators on one sheet: the second is told, once per person, what the first
    stored (name, status, hours), not the session's count of rows ("None → 3")."""
    ana, sid = course.ana, course.session(db, "2026-11-02")
    stale = attendance.sheet(db, ana, sid).version
    save(db, ana, sid, {course.zala: ("present", 3.5), course.anja: ("absent", None),
                        course.mojca: ("present", 4.0)})
    save(db, ana, sid, {course.zala: ("present", 4.0)})
    with pytest.raises(UserError) as refused:
        attendance.record(db, ana, sid, stale, {course.zala: ("absent", None)}, today=TODAY)
    err = refused.value
    # Ana's account says she is a woman: "shranila", not "shranil(a)".
    assert (err.key, err.params["who"]) == ("conflict.session.F", "Ana Kos")
    assert err.changes == []
    assert err.params["rows"] == (("Mojca Bizjak", "present", 4.0),
                                  ("Zala Novak", "present", 4.0),
                                  ("Anja Vidmar", "absent", 0.0))


@pytest.mark.parametrize("sex, key", [("M", "conflict.session.M"), (None, "conflict.session")])
def test_a_stale_sheet_names_the_saver_in_his_form_or_neutrally(db, course, sex, key):
    """"shranil" when the colleague's account says he is a man, the neutral "shranil(a)"
    when it does not say."""
    ana, sid = course.ana, course.session(db, "2026-11-02")
    stale = attendance.sheet(db, ana, sid).version
    db.execute("UPDATE users SET sex = ? WHERE id = ?", [sex, ana.id])
    save(db, ana, sid, {course.zala: ("present", 3.5)})
    with pytest.raises(UserError) as refused:
        attendance.record(db, ana, sid, stale, {course.zala: ("absent", None)}, today=TODAY)
    assert (refused.value.key, refused.value.params["who"]) == (key, "Ana Kos")


def test_people_of_one_surname_are_listed_by_first_name_the_slovenian_way(db):
    """Two Novak sisters and a brother in one programme's monthly list: Čarna, Eva, Žiga."""
    ana = coordinator(db)
    pid = a_programme(db, ana, start=START, end=dt.date(2027, 1, 29), name="Sestre")
    schedule.generate(db, ana, pid)
    people = {a_person(db, ana, first, last="Novak", since=dt.date(2026, 10, 1)): first
              for first in ("Žiga", "Eva", "Čarna")}
    for person in people:
        sign(db, ana, person, pid, on=START)
    save(db, ana, session_on(db, pid, "2026-11-02"), {p: ("present", 4.0) for p in people})
    month = attendance.monthly(db, ana, pid, "2026-11")
    assert [people[p] for p, _ in month.people] == ["Čarna", "Eva", "Žiga"]
