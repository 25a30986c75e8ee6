"""Scheduling in the library: programmes and modules, the holiday-aware calendar, conflicts,
enrolment with places and a waiting list, attendance, the monthly lock, allowances and the
files (.ics, .xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import icalendar
import pytest
from openpyxl import load_workbook

from tests.casework_helpers import (
    WEEK,
    a_person,
    a_programme,
    coordinator,
    municipality_id,
    session_on,
    sign,
    version_of,
)
from tests.conftest import TODAY, assert_no_full_scan
from workbench import (
    allowances,
    attendance,
    auth,
    enrolment,
    ics,
    pipeline,
    programmes,
    schedule,
    sheets,
    waiting,
)
from workbench.access import Forbidden
from workbench.db import open_db
from workbench.errors import ConflictError, UserError
from workbench.programmes import Module, ProgrammeInput
from workbench.transactions import write


def user(db, name: str) -> auth.User:
    return coordinator(db, name)


# -- the calendar from modules -------------------------------------------------------------
def test_generation_skips_slovenian_holidays_across_easter_and_christmas(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana)
    preview = schedule.preview(db, ana, pid)
    days = {p.day for p in preview.create}
    for holiday in ("2026-04-06", "2026-04-27", "2026-05-01", "2026-06-25", "2026-08-15",
                    "2026-12-25", "2027-01-01"):
        assert dt.date.fromisoformat(holiday) not in days, holiday
    # Ordinary working days around them are planned; weekends never.
    for working in ("2026-04-07", "2026-12-24", "2026-12-28", "2027-01-04"):
        assert dt.date.fromisoformat(working) in days, working
    assert all(d.weekday() < 5 for d in days)
    assert dt.date(2026, 4, 6) in preview.holidays  # named in the preview
    assert preview.holidays[dt.date(2026, 4, 6)] == "velikonočni ponedeljek"
    done = schedule.generate(db, ana, pid)
    stored = {r[0] for r in db.execute("SELECT date FROM sessions WHERE programme_id = ?",
                                       [pid])}
    assert stored == {d.isoformat() for d in days}
    assert len(done.create) == len(days)
    # A second press finds nothing to do.
    assert schedule.generate(db, ana, pid).empty
    assert db.execute("SELECT COUNT(*) FROM sessions WHERE programme_id = ?",
                      [pid]).fetchone()[0] == len(days)


def test_regenerating_never_deletes_a_session_with_attendance_and_skips_closure_days(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 11, 2), end=dt.date(2027, 1, 29),
                      modules=(Module("Program", 3, "months", 4.0, (0, 2, 4)),))
    schedule.generate(db, ana, pid)
    person = a_person(db, ana, "Zala", since=dt.date(2026, 10, 1))
    sign(db, ana, person, pid, on=dt.date(2026, 11, 2))
    monday = db.execute("SELECT id FROM sessions WHERE programme_id = ? AND date = "
                        "'2026-11-16'", [pid]).fetchone()[0]
    attendance.record(db, ana, monday, 1, {person: ("present", 4.0)}, today=TODAY)
    schedule.add_closure(db, ana, pid, "18. 11. 2026", "Izvajalec na izobraževanju")
    # Now the programme runs on Tuesdays and Thursdays only.
    current = programmes.get(db, ana, pid)
    programmes.update(db, ana, pid, current.version, _as_input(current),
                      (Module("Program", 3, "months", 3.0, (1, 3)),))
    preview = schedule.preview(db, ana, pid)
    assert (monday, dt.date(2026, 11, 16)) in preview.kept
    assert all(d.weekday() in (1, 3) for d in (p.day for p in preview.create))
    schedule.generate(db, ana, pid)
    left = dict(db.execute("SELECT date, hours FROM sessions WHERE programme_id = ?", [pid]))
    assert left["2026-11-16"] == 4.0  # attended: kept as it was
    assert "2026-11-18" not in left and "2026-11-20" not in left
    assert left["2026-11-17"] == 3.0


def test_modules_and_their_totals(db):
    ana = user(db, "ana.kos")
    long = programmes.TEMPLATES["long"]
    start = dt.date(2026, 1, 5)
    end = schedule.modules_end(start, long) - dt.timedelta(days=1)
    totals = programmes.totals(db, "long", start, end, long)
    assert 1250 < totals.hours < 1400 and not totals.warnings  # "near 1,330 hours"
    short = programmes.totals(db, "long", start, start + dt.timedelta(days=90),
                              programmes.TEMPLATES["short"])
    assert {key for key, _ in short.warnings} >= {"programme.warn_hours",
                                                  "programme.warn_months"}
    with pytest.raises(UserError) as no_days:
        programmes.clean_modules([{"name": "A", "length": 2, "unit": "weeks",
                                   "hours_per_day": 4, "weekdays": []}])
    assert no_days.value.key == "error.module_no_weekdays"
    with pytest.raises(UserError) as long_day:
        programmes.clean_modules([{"name": "A", "length": 2, "unit": "weeks",
                                   "hours_per_day": 25, "weekdays": ["0"]}])
    assert long_day.value.key == "error.module_hours"
    before = db.execute("SELECT COUNT(*) FROM programmes").fetchone()[0]
    with pytest.raises(UserError) as backwards:
        a_programme(db, ana, start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1))
    assert backwards.value.key == "error.end_before_start"
    assert db.execute("SELECT COUNT(*) FROM programmes").fetchone()[0] == before


def _as_input(p: programmes.Programme) -> ProgrammeInput:
    return ProgrammeInput(
        name=p.name, provider_id=p.provider_id, type=p.type, variant=p.variant,
        contract_number=p.contract_number or "", municipality_id=p.municipality_id,
        address=p.address or "", capacity=p.capacity, start_date=p.start_date,
        end_date=p.end_date, start_time=p.start_time, contact_person=p.contact_person or "",
        status=p.status, languages=p.language_codes, interpreter=bool(p.interpreter),
        coordinator_id=p.coordinator_id)


# -- one-off entries and conflicts -------------------------------------------------------------
def test_a_coordinator_cannot_be_booked_twice_and_a_holiday_needs_a_reason(db):
    ana = user(db, "ana.kos")
    person = a_person(db, ana, "Meta")
    meeting = schedule.Entry("individual", dt.date(2026, 11, 24), "10:00", 1.0,
                             "Individualno srečanje", "pisarna", participant_id=person)
    first = schedule.add_entry(db, ana, meeting, today=TODAY, token="t1")
    assert schedule.add_entry(db, ana, meeting, today=TODAY, token="t1") == first  # double
    overlapping = schedule.Entry("mobile_unit", dt.date(2026, 11, 24), "10:30", 2.0,
                                 "Mobilna enota", "Naklo", municipality_id=municipality_id(db,
                                                                                          "Naklo"))
    count = db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    with pytest.raises(UserError) as busy:
        schedule.add_entry(db, ana, overlapping, today=TODAY)
    assert busy.value.key == "conflict.coordinator_busy"
    # No reason overrides a double booking of the coordinator.
    with pytest.raises(UserError):
        schedule.add_entry(db, ana, schedule.Entry(**{**overlapping.__dict__,
                                                      "holiday_reason": "nujno"}), today=TODAY)
    holiday = schedule.Entry("mobile_unit", dt.date(2026, 12, 25), "10:00", 2.0,
                             "Mobilna enota", "Naklo",
                             municipality_id=municipality_id(db, "Naklo"))
    checked = schedule.check_entry(db, ana, holiday, TODAY)
    assert [(c.key, c.blocking) for c in checked.conflicts] == [("conflict.holiday", False)]
    with pytest.raises(UserError) as no_reason:
        schedule.add_entry(db, ana, holiday, today=TODAY)
    assert no_reason.value.key == "error.holiday_reason_required"
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == count
    schedule.add_entry(db, ana, schedule.Entry(**{**holiday.__dict__,
                                                  "holiday_reason": "božična stojnica"}),
                       today=TODAY)
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == count + 1


def test_a_person_in_a_programme_session_is_busy_and_bad_entries_are_refused(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 11, 2), end=dt.date(2027, 1, 29))
    schedule.generate(db, ana, pid)
    person = a_person(db, ana, "Lara", since=dt.date(2026, 10, 1))
    sign(db, ana, person, pid, on=dt.date(2026, 11, 10))
    during = schedule.Entry("individual", dt.date(2026, 11, 25), "10:00", 1.0, "Srečanje",
                            participant_id=person)
    keys = [c.key for c in schedule.check_entry(db, ana, during, TODAY).conflicts]
    assert keys == ["conflict.person_busy"]
    for bad, key in ((schedule.Entry("individual", "2026-11-25", "25:00", 1.0, "x",
                                     participant_id=person), "error.time_format"),
                     (schedule.Entry("individual", "2026-11-25", "08:00", 25.0, "x",
                                     participant_id=person), "error.session_hours"),
                     (schedule.Entry("individual", "2026-11-25", "23:00", 2.0, "x",
                                     participant_id=person), "error.session_past_midnight"),
                     (schedule.Entry("individual", "2026-11-25", "08:00", 1.0, "x"),
                      "error.person_required"),
                     (schedule.Entry("mobile_unit", "2026-11-25", "08:00", 1.0, "x"),
                      "error.municipality_required")):
        with pytest.raises(UserError) as refused:
            schedule.check_entry(db, ana, bad, TODAY)
        assert refused.value.key == key
    outside = schedule.Entry("group", dt.date(2027, 3, 1), "09:00", 2.0, "Dodatno", "",
                             programme_id=pid)
    assert "conflict.outside_programme" in [
        c.key for c in schedule.check_entry(db, ana, outside, TODAY).conflicts]



def test_a_meeting_recorded_for_a_past_day_meets_her_programme_while_she_was_in_it(db):
    """A person who has left her programme was busy at its sessions from her start to her
    exit (both days included), not before and not after; a corrected exit moves that."""
    found = db.execute("""
        SELECT e.id, e.participant_id, e.programme_id, e.start_date, e.end_date, g.name,
               p.coordinator_id,
               (SELECT MAX(date) FROM sessions WHERE programme_id = e.programme_id
                AND date < e.start_date),
               (SELECT MIN(date) FROM sessions WHERE programme_id = e.programme_id
                AND date > e.end_date)
        FROM enrolments e JOIN programmes g ON g.id = e.programme_id
        JOIN participants p ON p.id = e.participant_id
        WHERE e.status != 'active' AND e.end_date > e.start_date
          AND EXISTS (SELECT 1 FROM sessions s WHERE s.programme_id = e.programme_id
                      AND s.date = e.start_date)
          AND EXISTS (SELECT 1 FROM sessions s WHERE s.programme_id = e.programme_id
                      AND s.date = e.end_date)
          AND e.start_date > g.start_date AND e.end_date < g.end_date
        ORDER BY e.id LIMIT 1""").fetchone()
    assert found is not None
    enrolment_id, person, programme, start, end, name, coordinator_id, before, after = found
    actor = next(u for u in auth.list_users(db) if u.id == coordinator_id)

    def in_her_programme(day: str) -> bool:
        time = db.execute("SELECT start_time FROM sessions WHERE programme_id = ? AND date = ?",
                          [programme, day]).fetchone()[0]
        entry = schedule.Entry("individual", day, time, 1.0, "Srečanje", participant_id=person)
        return any(c.key == "conflict.person_busy" and c.params["title"] == name
                   for c in schedule.check_entry(db, actor, entry, TODAY).conflicts)

    assert [in_her_programme(d) for d in (before, start, end, after)] == [
        False, True, True, False]
    earlier = db.execute("SELECT MAX(date) FROM sessions WHERE programme_id = ? AND date < ?",
                         [programme, end]).fetchone()[0]
    with write(db):  # her exit corrected to the session before
        db.execute("UPDATE enrolments SET end_date = ? WHERE id = ?", [earlier, enrolment_id])
    assert [in_her_programme(d) for d in (earlier, end)] == [True, False]

def test_a_visit_records_the_people_met_and_can_log_a_contact_for_each(db):
    ana = user(db, "ana.kos")
    met = [a_person(db, ana, n) for n in ("Vida", "Eva")]
    sid = schedule.add_entry(db, ana, schedule.Entry(
        "mobile_unit", TODAY - dt.timedelta(days=1), "12:00", 3.0, "Mobilna enota: Naklo",
        "Naklo, knjižnica", municipality_id=municipality_id(db, "Naklo"), people=tuple(met)),
        today=TODAY, contact_note="Srečanje na terenu.")
    assert sorted(r[0] for r in db.execute(
        "SELECT participant_id FROM session_people WHERE session_id = ?", [sid])) == sorted(met)
    for person in met:
        assert db.execute("SELECT kind, note FROM contacts WHERE participant_id = ? ORDER BY "
                          "id DESC LIMIT 1", [person]).fetchone() == (
            "mobile_unit", "Srečanje na terenu.")


# -- enrolment, places and the waiting list ----------------------------------------------------
def test_capacity_waiting_list_and_the_freed_place(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, capacity=2, start=dt.date(2026, 10, 5),
                      end=dt.date(2027, 3, 31))
    first, second, third, fourth = (a_person(db, ana, n) for n in ("Ana", "Bina", "Cilka",
                                                                   "Dora"))
    assert sign(db, ana, first, pid).waiting is None
    assert sign(db, ana, second, pid).waiting is None
    full = sign(db, ana, third, pid)
    assert full.waiting is not None and full.waiting.position == 1
    assert db.execute("SELECT stage FROM participants WHERE id = ?", [third]).fetchone()[0] \
        == "motivation"  # not moved: she waits
    assert sign(db, ana, fourth, pid).waiting.position == 2
    assert programmes.active_enrolments(db, pid) == 2
    # The record's stage form cannot overfill it either.
    with pytest.raises(UserError) as overfill:
        pipeline.move_stage(db, ana, third, version_of(db, third), pipeline.Move(
            "contract", TODAY, programme_id=pid), today=TODAY)
    assert overfill.value.key == "error.programme_full"
    # First starts, then leaves: her place is offered to the first on the list.
    pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
        "in_programme", TODAY - dt.timedelta(days=10)), today=TODAY)
    pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
        "exited", TODAY - dt.timedelta(days=2), outcome="dropped_out", destination="none",
        reason="health"), today=TODAY)
    queue = waiting.entries(db, pid)
    assert [(w.participant_id, w.status) for w in queue] == [(third, "offered"),
                                                            (fourth, "waiting")]
    task = db.execute("SELECT title, assigned_to, due_date FROM tasks WHERE participant_id = ? "
                      "AND done_at IS NULL ORDER BY id DESC LIMIT 1", [third]).fetchone()
    assert "Testni program" in task[0] and task[1] == ana.id
    assert sign(db, ana, third, pid, on=TODAY).waiting is None
    assert [w.participant_id for w in waiting.entries(db, pid)] == [fourth]


def test_a_long_programme_checks_eligibility_and_records_the_override(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, ptype="long", start=dt.date(2026, 11, 2),
                      end=dt.date(2027, 10, 29), modules=programmes.TEMPLATES["long"])
    older = a_person(db, ana, "Jožica", birth_date=dt.date(1960, 5, 5))
    with pytest.raises(UserError) as refused:
        sign(db, ana, older, pid)
    assert refused.value.key == "error.long_not_eligible"
    assert db.execute("SELECT COUNT(*) FROM enrolments WHERE participant_id = ?",
                      [older]).fetchone()[0] == 0
    sign(db, ana, older, pid, override_reason="Odobril strokovni tim CSD")
    assert db.execute("SELECT eligibility_override FROM enrolments WHERE participant_id = ?",
                      [older]).fetchone()[0] == "Odobril strokovni tim CSD"


# -- attendance --------------------------------------------------------------------------------
def _programme_with_people(db, ana, n: int = 3):
    pid = a_programme(db, ana, start=dt.date(2026, 11, 2), end=dt.date(2027, 1, 29))
    schedule.generate(db, ana, pid)
    people = [a_person(db, ana, f"Oseba{i}", since=dt.date(2026, 10, 1)) for i in range(n)]
    for person in people:
        sign(db, ana, person, pid, on=dt.date(2026, 11, 2))
    return pid, people


def test_a_first_attended_session_puts_her_in_the_programme_and_bad_hours_are_refused(db):
    ana = user(db, "ana.kos")
    pid, (a, b, c) = _programme_with_people(db, ana)
    sid = session_on(db, pid, "2026-11-03")
    sheet = attendance.sheet(db, ana, sid)
    assert {r.participant_id for r in sheet.rows} == {a, b, c}
    assert all(r.status is None and r.hours == 4.0 for r in sheet.rows)
    outsider = a_person(db, ana, "Tujka")
    for entries, key in (({a: ("present", -1.0)}, "error.attendance_hours"),
                         ({a: ("present", 5.0)}, "error.attendance_hours"),
                         ({outsider: ("present", 2.0)}, "error.attendance_not_enrolled")):
        with pytest.raises(UserError) as refused:
            attendance.record(db, ana, sid, sheet.version, entries, today=TODAY)
        assert refused.value.key == key
    assert db.execute("SELECT COUNT(*) FROM attendance WHERE session_id = ?",
                      [sid]).fetchone()[0] == 0
    version = attendance.record(db, ana, sid, sheet.version, {
        a: ("present", 4.0), b: ("present", 2.5), c: ("excused", None)}, today=TODAY)
    stages = dict(db.execute("SELECT id, stage FROM participants WHERE id IN (?, ?, ?)",
                             [a, b, c]))
    assert stages == {a: "in_programme", b: "in_programme", c: "contract"}
    assert db.execute("SELECT entry_date FROM participants WHERE id = ?",
                      [a]).fetchone()[0] == "2026-11-03"
    # A colleague's sheet from before is refused, naming the change.
    with pytest.raises(UserError) as stale:
        attendance.record(db, ana, sid, sheet.version, {a: ("absent", None)}, today=TODAY)
    assert stale.value.key == "conflict.session.F" and stale.value.params["who"] == "Ana Kos"
    assert attendance.record(db, ana, sid, version, {a: ("present", 4.0)},
                             today=TODAY) == version  # nothing changed
    future = session_on(db, pid, "2026-12-01")
    with pytest.raises(UserError) as ahead:
        attendance.record(db, ana, future, 1, {a: ("present", 4.0)}, today=TODAY)
    assert ahead.value.key == "error.attendance_future"


def test_a_locked_month_cannot_change_until_an_admin_unlocks_it_with_a_reason(db):
    ana, admin = user(db, "ana.kos"), user(db, "admin")
    pid, (a, *_) = _programme_with_people(db, ana, 1)
    sid = session_on(db, pid, "2026-11-04")
    attendance.record(db, ana, sid, 1, {a: ("present", 4.0)}, today=TODAY)
    with pytest.raises(UserError) as running:  # approved only once the month is over
        attendance.lock_month(db, ana, pid, "2026-11", TODAY)
    assert running.value.key == "error.lock_future"
    attendance.lock_month(db, ana, pid, "2026-11", dt.date(2026, 12, 2))
    with pytest.raises(UserError) as locked:
        attendance.record(db, ana, sid, 2, {a: ("present", 1.0)}, today=TODAY)
    assert locked.value.key == "error.month_locked"
    with pytest.raises(Forbidden):
        attendance.unlock_month(db, ana, pid, "2026-11", "popravek")
    with pytest.raises(UserError) as no_reason:
        attendance.unlock_month(db, admin, pid, "2026-11", "  ")
    assert no_reason.value.key == "error.text_required"
    attendance.unlock_month(db, admin, pid, "2026-11", "Napaka izvajalca pri vpisu")
    assert db.execute("SELECT user_id, reason FROM audit_log WHERE table_name = 'month_locks' "
                      "ORDER BY id DESC LIMIT 1").fetchone() == (
        admin.id, "Napaka izvajalca pri vpisu")
    attendance.record(db, ana, sid, 2, {a: ("present", 1.0)}, today=TODAY)
    sheet = attendance.monthly(db, ana, pid, "2026-11")
    assert sheet.cells[(a, dt.date(2026, 11, 4))] == 1.0 and not sheet.locked


def test_falling_attendance_is_listed_for_her_coordinator(db):
    ana = user(db, "ana.kos")
    pid, (good, poor) = _programme_with_people(db, ana, 2)
    for day, _ in db.execute("SELECT date, id FROM sessions WHERE programme_id = ? AND date "
                             "< ? ORDER BY date", [pid, TODAY.isoformat()]).fetchall():
        sid = session_on(db, pid, day)
        attendance.record(db, ana, sid, attendance.sheet(db, ana, sid).version, {
            good: ("present", 4.0), poor: ("absent", None)}, today=TODAY)
    falling = attendance.falling_attendance(db, ana, ana.id, TODAY)
    assert [f.participant_id for f in falling if f.participant_id in (good, poor)] == [poor]


# -- allowances --------------------------------------------------------------------------------
def test_allowances_by_hand_for_a_month_that_crosses_a_change_of_rate(db):
    """March 2026: 1.00 EUR an hour until the 15th, 1.20 EUR from the 16th (a new rule row);
    no food or travel under the 2023 rulebook."""
    ana = user(db, "ana.kos")
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('allowance_hourly_eur', 1.2, '2026-03-16', 'test')")
    pid = a_programme(db, ana, start=dt.date(2026, 3, 2), end=dt.date(2026, 5, 29),
                      modules=(Module("Program", 3, "months", 4.0, (0, 2, 4)),))
    schedule.generate(db, ana, pid)
    person = a_person(db, ana, "Špela", since=dt.date(2026, 2, 2))
    sign(db, ana, person, pid, on=dt.date(2026, 3, 2), ticket_eur=2.3)
    hours = {"2026-03-04": 4.0, "2026-03-13": 3.5, "2026-03-16": 4.0, "2026-03-27": 2.0}
    for day, h in hours.items():
        sid = session_on(db, pid, day)
        attendance.record(db, ana, sid, attendance.sheet(db, ana, sid).version,
                          {person: ("present", h)}, today=TODAY)
    sheet = allowances.payment_sheet(db, ana, pid, "2026-03")
    [row] = sheet.rows
    # (4 + 3.5) h x 1.00 + (4 + 2) h x 1.20 = 7.50 + 7.20
    assert row.reward == Decimal("14.70")
    assert row.hours == 13.5 and row.days == 4
    assert row.food == Decimal("0.00") and row.travel == Decimal("0.00")
    assert ("allowance_hourly_eur", "2026-03-16", 1.2) in sheet.rules
    assert ("allowance_hourly_eur", "2023-01-01", 1.0) in sheet.rules


def test_allowances_under_the_rules_before_2023_pay_food_and_travel(db):
    """November 2022: 0.80 EUR an hour, 3.70 EUR food on days of at least 4 hours, the
    cheapest ticket on each day she came (or 0.13 EUR per km there and back)."""
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2022, 11, 1), end=dt.date(2023, 1, 31),
                      modules=(Module("Program", 3, "months", 5.0, WEEK),))
    schedule.generate(db, ana, pid)
    by_ticket = a_person(db, ana, "Tina")
    by_car = a_person(db, ana, "Urša")
    with write(db):  # enrolments of that time, entered afterwards
        for person, ticket, km in ((by_ticket, 1.8, None), (by_car, None, 12.0)):
            db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                       "start_date, status, ticket_eur, distance_km) VALUES (?, ?, "
                       "'2022-11-01', '2022-11-01', 'completed', ?, ?)",
                       [person, pid, ticket, km])
            for day, h in (("2022-11-02", 5.0), ("2022-11-03", 3.0), ("2022-11-04", 4.0)):
                db.execute("INSERT INTO attendance (session_id, participant_id, hours, status) "
                           "VALUES (?, ?, ?, 'present')", [session_on(db, pid, day), person, h])
    sheet = allowances.payment_sheet(db, ana, pid, "2022-11")
    rows = {r.participant_id: r for r in sheet.rows}
    for person in (by_ticket, by_car):
        assert rows[person].reward == Decimal("9.60")  # 12 h x 0.80
        assert rows[person].meal_days == 2 and rows[person].food == Decimal("7.40")
    assert rows[by_ticket].travel == Decimal("5.40")  # 3 days x 1.80
    assert rows[by_car].travel == Decimal("9.36")  # 3 days x 2 x 12 km x 0.13
    assert sheet.total("total") == Decimal("9.60") * 2 + Decimal("7.40") * 2 + \
        Decimal("5.40") + Decimal("9.36")


# -- files ---------------------------------------------------------------------------------------
def test_the_payment_sheet_and_the_attendance_list_read_back_from_xlsx(db):
    ana = user(db, "ana.kos")
    programme = db.execute("SELECT s.programme_id, substr(s.date, 1, 7) FROM attendance a "
                           "JOIN sessions s ON s.id = a.session_id JOIN programmes g ON "
                           "g.id = s.programme_id WHERE g.coordinator_id = ? AND a.hours > 0 "
                           "GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1",
                           [ana.id]).fetchone()
    sheet = allowances.payment_sheet(db, ana, *programme)
    book = load_workbook(io.BytesIO(sheets.payment_xlsx(sheet)))
    ws = book.active
    names = [ws.cell(row=r, column=1).value for r in range(5, 5 + len(sheet.rows))]
    assert names == [r.name for r in sheet.rows]
    total_row = 5 + len(sheet.rows)
    assert ws.cell(row=total_row, column=1).value == "Skupaj"
    assert ws.cell(row=total_row, column=8).value == pytest.approx(float(sheet.total("total")))
    assert ws.cell(row=5, column=8).number_format == sheets.EUR
    assert any("dodatek za aktivnost" in str(c.value) for row in ws.iter_rows() for c in row)
    month = attendance.monthly(db, ana, *programme)
    ws = load_workbook(io.BytesIO(sheets.attendance_xlsx(month))).active
    assert ws.cell(row=6, column=1).value == month.people[0][1]
    last_col = len(month.days) + 2
    assert sum(ws.cell(row=r, column=last_col).value for r in range(6, 6 + len(month.people))) \
        == pytest.approx(month.total)


def test_the_ics_file_has_stable_uids_local_times_and_no_names(db):
    maja = user(db, "maja.zupan")
    start, end = dt.date(2026, 11, 16), dt.date(2026, 12, 13)
    first = icalendar.Calendar.from_ical(ics.schedule_ics(db, maja, maja.id, start, end))
    again = icalendar.Calendar.from_ical(ics.schedule_ics(db, maja, maja.id, start, end))
    events = list(first.walk("VEVENT"))
    expected = schedule.view(db, maja, "coordinator", maja.id, start, end)
    assert len(events) == len(expected) > 0
    assert [e["UID"] for e in events] == [e["UID"] for e in again.walk("VEVENT")]
    assert {str(e["UID"]) for e in events} == {ics.uid(x.id) for x in expected}
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Europe/Ljubljana"]
    sample = events[0]
    assert sample["DTSTART"].dt.tzinfo.key == "Europe/Ljubljana"
    assert sample["DTSTART"].dt.strftime("%H:%M") == expected[0].start_time
    content = ics.schedule_ics(db, maja, maja.id, start, end).decode()
    for person in {x.person for x in expected if x.person}:
        assert person not in content
    # Someone of another area gets nothing.
    with pytest.raises(Forbidden):
        ics.schedule_ics(db, _outsider(db), maja.id, start, end)


def _outsider(db):
    from tests.casework_helpers import coordinator_in
    return coordinator_in(db, "koord.pomurje", "pomurje")


def test_no_one_outside_the_area_reads_a_programme(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana)
    other = _outsider(db)
    for call in (lambda: programmes.get(db, other, pid),
                 lambda: schedule.preview(db, other, pid),
                 lambda: attendance.monthly(db, other, pid, "2026-11"),
                 lambda: allowances.payment_sheet(db, other, pid, "2026-11"),
                 lambda: enrolment.enrolled(db, other, pid)):
        with pytest.raises(Forbidden):
            call()
    with pytest.raises(Forbidden):
        allowances.payment_sheet(db, user(db, "vodja"), pid, "2026-11")  # a manager: no names


# -- queries use indexes -----------------------------------------------------------------------
def test_the_scheduling_queries_use_indexes(national):
    sql, params = schedule.view_query("coordinator", 5, TODAY, TODAY + dt.timedelta(days=6))
    assert_no_full_scan(national, sql, params)
    sql, params = schedule.view_query("municipality", 5, TODAY, TODAY + dt.timedelta(days=6))
    assert_no_full_scan(national, sql, params)
    # her meetings and visits on her record
    assert_no_full_scan(national, *schedule.person_entries_query(
        7, TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=60)))
    month = {"programme": 3, "start": "2026-10-01", "end": "2026-10-31"}
    assert_no_full_scan(national, attendance.MONTH_SQL, month)
    assert_no_full_scan(national, allowances.DAYS_SQL, month)
    assert_no_full_scan(national, attendance.LOW_SQL, {
        "coordinator": 5, "since": "2026-10-25", "today": "2026-11-21"})


def test_the_command_line_writes_the_ics_and_the_payment_sheet(seeded_path, tmp_path, capsys):
    from workbench.__main__ import main
    out = tmp_path / "ana.ics"
    assert main(["calendar", "--db", str(seeded_path), "--user", "ana.kos", "--from",
                 "2026-11-16", "--to", "2026-11-29", "--out", str(out)]) == 0
    events = list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    db = open_db(seeded_path)
    ana = coordinator(db, "ana.kos")
    assert len(events) == len(schedule.view(db, ana, "coordinator", ana.id,
                                            dt.date(2026, 11, 16), dt.date(2026, 11, 29)))
    programme, month = db.execute(
        "SELECT s.programme_id, substr(s.date, 1, 7) FROM attendance a JOIN sessions s ON "
        "s.id = a.session_id JOIN programmes g ON g.id = s.programme_id WHERE "
        "g.area_code = 'gorenjska' GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    sheet = allowances.payment_sheet(db, ana, programme, month)
    db.close()
    xlsx = tmp_path / "pay.xlsx"
    assert main(["allowances", "--db", str(seeded_path), "--programme", str(programme),
                 "--month", month, "--out", str(xlsx)]) == 0
    ws = load_workbook(xlsx).active
    assert ws.cell(row=5 + len(sheet.rows), column=8).value == pytest.approx(
        float(sheet.total("total")))
    capsys.readouterr()
    assert main(["allowances", "--db", str(seeded_path), "--programme", str(programme),
                 "--month", "2026-13", "--out", str(tmp_path / "bad.xlsx")]) == 2
    assert "2026-03" in capsys.readouterr().err and not (tmp_path / "bad.xlsx").exists()


def test_closing_or_stepping_back_from_a_contract_gives_up_the_place(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                      end=dt.date(2027, 3, 31))
    first, second = (a_person(db, ana, n) for n in ("Pia", "Rea"))
    sign(db, ana, first, pid)
    assert sign(db, ana, second, pid).waiting.position == 1
    pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
        "motivation", TODAY, reason="Premislila si je o začetku"), today=TODAY)
    assert db.execute("SELECT status, end_date FROM enrolments WHERE participant_id = ?",
                      [first]).fetchone() == ("dropped_out", TODAY.isoformat())
    assert [(w.participant_id, w.status) for w in waiting.entries(db, pid)] == [
        (second, "offered")]
    assert programmes.active_enrolments(db, pid) == 0


def test_amounts_are_typed_the_slovenian_way_and_nothing_is_guessed(db):
    from workbench import text
    assert [text.parse_decimal(v) for v in ("2,5", "2.30", " 3,40 € ", "", None)] == [
        2.5, 2.3, 3.4, None, None]
    for bad in ("2,5,0", "1.234,50", "dva", "-1"):
        with pytest.raises(UserError) as refused:
            text.parse_decimal(bad, field="ticket_eur")
        assert refused.value.key == "error.number_format"
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 10, 5), end=dt.date(2027, 3, 31))
    person = a_person(db, ana, "Nives")
    sign(db, ana, person, pid, ticket_eur="2,5")
    assert db.execute("SELECT ticket_eur FROM enrolments WHERE participant_id = ?",
                      [person]).fetchone()[0] == 2.5


# -- corrections: moving, cancelling, closures, recording a visit (issue 19, items 4-5) ----
def _meeting(db, actor, person, day, start="07:00", **values) -> int:
    return schedule.add_entry(db, actor, schedule.Entry(
        "individual", day, start, 1.0, "Individualno srečanje", "pisarna",
        participant_id=person, **values), today=TODAY)


def _version(db, sid: int) -> int:
    return db.execute("SELECT version FROM sessions WHERE id = ?", [sid]).fetchone()[0]


def _events(db, actor, start, end) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(ics.schedule_ics(db, actor, actor.id, start, end))
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_a_meeting_moves_by_the_booking_rules_and_keeps_its_uid_with_a_higher_sequence(db):
    ana = user(db, "ana.kos")
    meta, lina = a_person(db, ana, "Meta"), a_person(db, ana, "Lina")
    sid = _meeting(db, ana, meta, dt.date(2026, 11, 25))
    _meeting(db, ana, lina, dt.date(2026, 11, 26))
    before = _events(db, ana, dt.date(2026, 11, 23), dt.date(2026, 12, 31))[ics.uid(sid)]
    # Onto her own other meeting: the same refusal as a new booking, nothing moved.
    with pytest.raises(UserError) as busy:
        schedule.move_entry(db, ana, sid, 1, dt.date(2026, 11, 26), "07:30", 1.0, today=TODAY)
    assert busy.value.key == "conflict.coordinator_busy"
    with pytest.raises(UserError) as holiday:
        schedule.move_entry(db, ana, sid, 1, dt.date(2026, 12, 25), "07:00", 1.0, today=TODAY)
    assert holiday.value.key == "error.holiday_reason_required"
    assert db.execute("SELECT date, start_time, version FROM sessions WHERE id = ?",
                      [sid]).fetchone() == ("2026-11-25", "07:00", 1)
    mark = db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
    version = schedule.move_entry(db, ana, sid, 1, dt.date(2026, 11, 27), "7.30", 0.5,
                                  today=TODAY, reason="Zbolela je", token="move-1")
    assert version == 2
    # A second press of the same form moves nothing again.
    assert schedule.move_entry(db, ana, sid, 1, dt.date(2026, 11, 27), "7.30", 0.5,
                               today=TODAY, token="move-1") == 2
    assert db.execute("SELECT date, start_time, hours FROM sessions WHERE id = ?",
                      [sid]).fetchone() == ("2026-11-27", "07:30", 0.5)
    assert sorted(db.execute(
        "SELECT field, old_value, new_value, reason, user_id FROM audit_log WHERE id > ? "
        "AND table_name = 'sessions' AND record_id = ?", [mark, sid]).fetchall()) == [
        ("date", "2026-11-25", "2026-11-27", "Zbolela je", ana.id),
        ("hours", "1.0", "0.5", "Zbolela je", ana.id),
        ("start_time", "07:00", "07:30", "Zbolela je", ana.id)]
    after = _events(db, ana, dt.date(2026, 11, 23), dt.date(2026, 12, 31))[ics.uid(sid)]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == dt.datetime(2026, 11, 27, 7, 30, tzinfo=ics.ZONE)
    # Her old time is free again; a form still holding version 1 is told who moved it.
    _meeting(db, ana, lina, dt.date(2026, 11, 25))
    with pytest.raises(ConflictError) as stale:
        schedule.move_entry(db, ana, sid, 1, dt.date(2026, 11, 30), "07:00", 1.0, today=TODAY)
    assert stale.value.key == "conflict.entry"
    assert stale.value.params["who"] == ana.display_name


def test_a_cancelled_meeting_stays_marked_frees_the_time_and_leaves_the_ics_cancelled(db):
    ana = user(db, "ana.kos")
    meta = a_person(db, ana, "Meta")
    sid = _meeting(db, ana, meta, dt.date(2026, 11, 25))
    with pytest.raises(UserError) as no_reason:
        schedule.cancel_entry(db, ana, sid, 1, "  ", today=TODAY)
    assert (no_reason.value.key, no_reason.value.field) == ("error.text_required",
                                                            "cancel_reason")
    version = schedule.cancel_entry(db, ana, sid, 1, "Preselila se je", today=TODAY,
                                    token="cancel-1")
    assert schedule.cancel_entry(db, ana, sid, 1, "Preselila se je", today=TODAY,
                                 token="cancel-1") == version == 2  # double press
    shown = [e for e in schedule.view(db, ana, "coordinator", ana.id, dt.date(2026, 11, 23),
                                      dt.date(2026, 11, 29)) if e.id == sid]
    assert [(e.cancelled, e.cancel_reason) for e in shown] == [(True, "Preselila se je")]
    # On her record too, among her meetings.
    assert [(e.id, e.cancelled) for e in schedule.person_entries(
        db, ana, meta, TODAY, TODAY + dt.timedelta(days=7))] == [(sid, True)]
    assert db.execute("SELECT reason FROM audit_log WHERE table_name = 'sessions' AND "
                      "record_id = ? AND field = 'cancel_reason'", [sid]).fetchone() == (
        "Preselila se je",)
    event = _events(db, ana, dt.date(2026, 11, 23), dt.date(2026, 11, 29))[ics.uid(sid)]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 2)
    assert str(event["SUMMARY"]).startswith("Odpovedano")
    with pytest.raises(UserError) as no_attendance:
        attendance.record(db, ana, sid, 2, {meta: ("present", 1.0)}, today=dt.date(2026, 12, 1))
    assert no_attendance.value.key == "error.entry_cancelled"
    # The time is free for her and for Meta; the cancelled entry changes no more.
    _meeting(db, ana, meta, dt.date(2026, 11, 25))
    for change in (lambda: schedule.move_entry(db, ana, sid, 2, dt.date(2026, 11, 30), "07:00",
                                               1.0, today=TODAY),
                   lambda: schedule.cancel_entry(db, ana, sid, 2, "spet", today=TODAY)):
        with pytest.raises(UserError) as refused:
            change()
        assert refused.value.key == "error.entry_cancelled"


def test_a_programme_session_is_not_moved_here_and_a_held_meeting_is_not_changed(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 11, 2), end=dt.date(2027, 1, 29))
    schedule.generate(db, ana, pid)
    group = session_on(db, pid, "2026-11-25")
    with pytest.raises(UserError) as generated:
        schedule.cancel_entry(db, ana, group, _version(db, group), "stavka", today=TODAY)
    assert generated.value.key == "error.entry_not_correctable"
    meta = a_person(db, ana, "Meta")
    held = _meeting(db, ana, meta, dt.date(2026, 11, 20))
    attendance.record(db, ana, held, 1, {meta: ("present", 1.0)}, today=TODAY)
    with pytest.raises(UserError) as attended:
        schedule.move_entry(db, ana, held, 2, dt.date(2026, 11, 19), "07:00", 1.0, today=TODAY)
    assert attended.value.key == "error.entry_attended"


@pytest.mark.parametrize(("booked", "moved_to", "refused"), [
    ("2026-09-30", "2026-09-29", False),   # before the locked month
    ("2026-10-01", "2026-09-29", True),    # its first day
    ("2026-10-30", "2026-11-03", True),    # its last working day, out of it
    ("2026-11-02", "2026-10-30", True),    # after it, into it
    ("2026-11-02", "2026-11-03", False),   # after it, staying after
])
def test_a_move_or_a_cancellation_is_refused_in_a_month_locked_for_payment(
        db, booked, moved_to, refused):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 29))
    meta = a_person(db, ana, "Meta", since=dt.date(2026, 8, 1))
    sid = _meeting(db, ana, meta, dt.date.fromisoformat(booked), programme_id=pid)
    attendance.lock_month(db, ana, pid, "2026-10", TODAY)
    move = lambda: schedule.move_entry(  # noqa: E731
        db, ana, sid, 1, dt.date.fromisoformat(moved_to), "07:00", 1.0, today=TODAY)
    if refused:
        with pytest.raises(UserError) as locked:
            move()
        assert locked.value.key == "error.month_locked"
        if booked.startswith("2026-10"):
            with pytest.raises(UserError) as cancel:
                schedule.cancel_entry(db, ana, sid, 1, "odpade", today=TODAY)
            assert cancel.value.key == "error.month_locked"
        # Corrected afterwards: once an admin unlocks the month, the move goes through.
        attendance.unlock_month(db, user(db, "admin"), pid, "2026-10", "popravek koledarja")
    assert move() == 2


def test_a_closure_day_is_removed_but_not_in_a_locked_month_or_on_an_attended_day(db):
    ana = user(db, "ana.kos")
    pid = a_programme(db, ana, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 29))
    schedule.add_closure(db, ana, pid, "2026-10-30", "izvajalec na izobraževanju")
    schedule.add_closure(db, ana, pid, "2026-11-04", "stavka")
    schedule.generate(db, ana, pid)
    attendance.lock_month(db, ana, pid, "2026-10", TODAY)
    for change in (lambda: schedule.remove_closure(db, ana, pid, "2026-10-30"),
                   lambda: schedule.add_closure(db, ana, pid, "2026-10-29", "x")):
        with pytest.raises(UserError) as locked:
            change()
        assert locked.value.key == "error.month_locked"
    # A day with attendance recorded cannot become a closure day.
    person = a_person(db, ana, "Zala", since=dt.date(2026, 8, 1))
    sign(db, ana, person, pid, on=dt.date(2026, 11, 1))
    attended = session_on(db, pid, "2026-11-05")
    attendance.record(db, ana, attended, _version(db, attended), {person: ("present", 4.0)},
                      today=TODAY)
    with pytest.raises(UserError) as on_attended:
        schedule.add_closure(db, ana, pid, "2026-11-05", "x")
    assert on_attended.value.key == "error.closure_attended"
    assert schedule.remove_closure(db, ana, pid, "2026-11-04") is True
    assert schedule.remove_closure(db, ana, pid, "2026-11-04") is False  # a second press
    assert set(schedule.closures(db, pid)) == {dt.date(2026, 10, 30)}
    assert db.execute("SELECT user_id, field, old_value, new_value FROM audit_log WHERE "
                      "table_name = 'closure_days' AND action = 'update' AND field = 'day'"
                      ).fetchall() == [(ana.id, "day", "2026-11-04", None)]
    # The day is planned again by the next generation.
    assert dt.date(2026, 11, 4) in {p.day for p in schedule.preview(db, ana, pid).create}


def _visit(db, actor, day, people) -> int:
    return schedule.add_entry(db, actor, schedule.Entry(
        "mobile_unit", day, "06:00", 2.0, "Mobilna enota: Naklo", "Naklo, knjižnica",
        municipality_id=municipality_id(db, "Naklo"), people=tuple(people)), today=TODAY)


def _visit_contacts(db, sid) -> list[tuple]:
    return db.execute("SELECT participant_id, kind, date, note FROM contacts WHERE session_id = ? "
                      "ORDER BY participant_id", [sid]).fetchall()


@pytest.mark.parametrize(("days", "recordable"), [(1, False), (0, True), (-3, True)])
def test_a_visit_is_recorded_only_on_or_after_its_day(db, days, recordable):
    ana = user(db, "ana.kos")
    vida = a_person(db, ana, "Vida")
    day = TODAY + dt.timedelta(days=days)
    sid = _visit(db, ana, day, [vida])
    assert schedule.visit(db, ana, sid).may_record(TODAY) is recordable
    record = lambda: schedule.record_visit(db, ana, sid, 1, [vida], "Pogovor na stojnici.",  # noqa: E731
                                           today=TODAY)
    if not recordable:
        with pytest.raises(UserError) as planned:
            record()
        assert planned.value.key == "error.visit_not_yet"
        assert _visit_contacts(db, sid) == []
        return
    assert record() == 1
    assert _visit_contacts(db, sid) == [(vida, "mobile_unit", day.isoformat(),
                                         "Pogovor na stojnici.")]


def test_recording_a_visit_adds_one_contact_each_to_those_met_and_never_twice(db):
    ana = user(db, "ana.kos")
    vida, eva, nina, other = (a_person(db, ana, n) for n in ("Vida", "Eva", "Nina", "Olga"))
    sid = _visit(db, ana, TODAY - dt.timedelta(days=1), [vida, eva, nina])
    with pytest.raises(UserError) as nobody:
        schedule.record_visit(db, ana, sid, 1, [], "x", today=TODAY)
    assert nobody.value.key == "error.visit_people_required"
    # Vida and Eva came, Nina did not; Olga, not booked, stopped by.
    assert schedule.record_visit(db, ana, sid, 1, [vida, eva, other], "Srečanje na terenu.",
                                 today=TODAY, token="visit-1") == 3
    assert schedule.record_visit(db, ana, sid, 1, [vida, eva, other], "Srečanje na terenu.",
                                 today=TODAY, token="visit-1") == 0  # a double press
    assert [r[0] for r in _visit_contacts(db, sid)] == sorted([vida, eva, other])
    found = schedule.visit(db, ana, sid)
    assert (set(found.booked), set(found.met), found.recorded) == (
        {vida, eva, nina}, {vida, eva, other}, True)
    # Recorded again from a fresh form (Nina is remembered): only Nina gets a contact.
    assert schedule.record_visit(db, ana, sid, found.version, [vida, nina], "Tudi Nina.",
                                 today=TODAY) == 1
    assert len(_visit_contacts(db, sid)) == 4
    with pytest.raises(ConflictError) as stale:
        schedule.record_visit(db, ana, sid, found.version, [vida], "x", today=TODAY)
    assert stale.value.key == "conflict.entry"
    # What has been recorded has happened: it is not moved or cancelled any more.
    with pytest.raises(UserError) as happened:
        schedule.cancel_entry(db, ana, sid, _version(db, sid), "napaka", today=TODAY)
    assert happened.value.key == "error.visit_recorded"


def test_the_booking_form_no_longer_logs_contacts_for_a_visit_still_to_come(db):
    ana = user(db, "ana.kos")
    vida = a_person(db, ana, "Vida")
    count = db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    with pytest.raises(UserError) as planned:
        schedule.add_entry(db, ana, schedule.Entry(
            "mobile_unit", TODAY + dt.timedelta(days=2), "06:00", 2.0, "Mobilna enota",
            "Naklo", municipality_id=municipality_id(db, "Naklo"), people=(vida,)),
            today=TODAY, contact_note="Srečanje na terenu.")
    assert planned.value.key == "error.visit_not_yet"
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == count


def test_two_coordinators_moving_the_same_meeting_the_second_is_told(seeded_path, db):
    ana, maja = user(db, "ana.kos"), user(db, "petra.kralj")
    meta = a_person(db, ana, "Meta")
    sid = _meeting(db, ana, meta, dt.date(2026, 11, 25))
    barrier, results = threading.Barrier(2), {}

    def move(actor, day):
        conn = open_db(seeded_path)
        try:
            barrier.wait()
            results[actor.username] = schedule.move_entry(conn, actor, sid, 1, day, "07:00",
                                                          1.0, today=TODAY)
        except UserError as err:
            results[actor.username] = err.key
        finally:
            conn.close()

    threads = [threading.Thread(target=move, args=(ana, dt.date(2026, 11, 26))),
               threading.Thread(target=move, args=(maja, dt.date(2026, 11, 27)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values(), key=str) == [2, "conflict.entry"]
    winner = next(name for name, value in results.items() if value == 2)
    assert db.execute("SELECT date, version FROM sessions WHERE id = ?", [sid]).fetchone() == (
        "2026-11-26" if winner == "ana.kos" else "2026-11-27", 2)


def test_a_planned_visit_moved_to_a_day_gone_by_is_recorded_then(db):
    ana = user(db, "ana.kos")
    vida = a_person(db, ana, "Vida")
    sid = _visit(db, ana, TODAY + dt.timedelta(days=3), [vida])
    assert not schedule.visit(db, ana, sid).may_record(TODAY)
    version = schedule.move_entry(db, ana, sid, 1, TODAY - dt.timedelta(days=1), "06:00", 2.0,
                                  today=TODAY, reason="vpisan napačen teden")
    assert schedule.visit(db, ana, sid).may_record(TODAY)
    assert schedule.record_visit(db, ana, sid, version, [vida], "Srečanje.", today=TODAY) == 1


def test_contacts_the_old_booking_form_logged_count_as_the_visit_recorded(db_path):
    from workbench.migrations import apply_pending

    old = open_db(db_path, migrate=False, create=True)
    apply_pending(old, stop_before="0015_schedule_corrections")
    with write(old):
        old.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                    "created_at) VALUES (1, 'ana', 'Ana', 'coordinator', 'x', 'now')")
        old.conn.executemany(
            "INSERT INTO participants (id, first_name, last_name, sex, birth_date, "
            "municipality_id, target_group, referral_source, referral_date, coordinator_id, "
            "stage, stage_since, created_at, updated_at) VALUES (?, ?, 'Testna', 'F', "
            "'1990-01-01', 1, 'dsp', 'csd', '2026-10-01', 1, 'motivation', '2026-10-02', "
            "'x', 'x')", [(1, "Vida"), (2, "Eva")])
        old.execute("INSERT INTO sessions (id, kind, coordinator_id, municipality_id, title, "
                    "date, start_time, hours) VALUES (7, 'mobile_unit', 1, 1, 'Mobilna enota', "
                    "'2026-11-20', '12:00', 3)")
        old.execute("INSERT INTO session_people VALUES (7, 1), (7, 2)")
        # The old form's "a contact for each" was ticked for Vida only (two rows: a double
        # press of an old form); Eva has an office contact that day.
        old.conn.executemany(
            "INSERT INTO contacts (participant_id, date, kind, note, created_at) "
            "VALUES (?, '2026-11-20', ?, 'x', '2026-11-20T15:00:00')",
            [(1, "mobile_unit"), (1, "mobile_unit"), (2, "office")])
    apply_pending(old)
    assert old.execute("SELECT participant_id, kind, session_id FROM contacts ORDER BY id"
                       ).fetchall() == [(1, "mobile_unit", 7), (1, "mobile_unit", None),
                                        (2, "office", None)]
    assert old.execute("SELECT participant_id, booked, met FROM session_people ORDER BY 1"
                       ).fetchall() == [(1, 1, 1), (2, 1, 0)]
    assert old.execute("SELECT visit_recorded_at FROM sessions WHERE id = 7").fetchone() == (
        "2026-11-20T15:00:00",)
    old.close()


def test_the_command_line_writes_no_empty_calendar_or_payment_sheet(seeded_path, tmp_path,
                                                                     capsys):
    """No booking in the period (calendar), no attendance in the month (allowances): said
    in both languages, exit code 1, no file written; exit code 0 means a file."""
    from workbench.__main__ import main
    db = open_db(seeded_path)
    programme, start = db.execute(
        "SELECT g.id, g.start_date FROM programmes g JOIN users u ON u.id = g.coordinator_id "
        "WHERE u.username = 'ana.kos' ORDER BY g.start_date LIMIT 1").fetchone()
    db.close()
    before = dt.date.fromisoformat(start) - dt.timedelta(days=40)  # before it ran: nothing
    out = tmp_path / "ana.ics"
    assert main(["calendar", "--db", str(seeded_path), "--user", "ana.kos", "--from",
                 "2024-01-01", "--to", "2024-01-31", "--out", str(out)]) == 1
    said = capsys.readouterr()
    assert not out.exists() and said.out == ""
    assert "ana.kos" in said.err and "ni zapisana" in said.err and "not written" in said.err
    xlsx = tmp_path / "pay.xlsx"
    assert main(["allowances", "--db", str(seeded_path), "--programme", str(programme),
                 "--month", f"{before:%Y-%m}", "--out", str(xlsx)]) == 1
    said = capsys.readouterr()
    assert not xlsx.exists() and said.out == ""
    assert f"{before:%Y-%m}" in said.err and "not written" in said.err
