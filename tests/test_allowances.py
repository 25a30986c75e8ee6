"""Allowances: the monthly payment sheet of a programme and of the region, by hand from the
dated rules (the ``rules`` table, DOMAIN.md "Programmes"):

- until 2023: 0.80 EUR an hour present, 3.70 EUR food on a day of at least 4 hours, travel
  on each day she came at her cheapest ticket, or without one 0.13 EUR per km there and
  back when she lives at least 1 km away;
- from 2023: 1.00 EUR an hour, nothing else.

Amounts are rounded half up to the cent once per person and kind, not per day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.casework_helpers import (
    WEEK,
    a_person,
    a_programme,
    coordinator,
    coordinator_in,
    session_on,
    sign,
)
from tests.conftest import TODAY
from workbench import allowances, attendance, enrolment, schedule
from workbench.access import Forbidden
from workbench.errors import ConflictError, UserError
from workbench.programmes import Module
from workbench.transactions import write

D = Decimal
FIVE_HOURS = (Module("Program", 3, "months", 5.0, WEEK),)


def record(db, actor, programme: int, day: str, entries: dict) -> None:
    sid = session_on(db, programme, day)
    attendance.record(db, actor, sid, attendance.sheet(db, actor, sid).version, entries,
                      today=TODAY)


def a_2022_programme(db, actor, name: str = "Program 2022") -> int:
    """5 hours each weekday from 1 November 2022."""
    pid = a_programme(db, actor, start=dt.date(2022, 11, 1), end=dt.date(2023, 1, 31),
                      modules=FIVE_HOURS, name=name)
    schedule.generate(db, actor, pid)
    return pid


def enrol_in_2022(db, person: int, programme: int, ticket=None, km=None) -> None:
    """A contract of that time, entered afterwards."""
    with write(db):
        db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                   "start_date, status, ticket_eur, distance_km) VALUES (?, ?, '2022-11-01', "
                   "'2022-11-01', 'completed', ?, ?)", [person, programme, ticket, km])


# (ticket EUR, km one way, {day: hours}) -> (hours, days, meal days, reward, food, travel)
BEFORE_2023 = {
    "ticket": ((1.8, None, {"2022-11-02": 5.0, "2022-11-03": 3.0}),
               (8.0, 2, 1, D("6.40"), D("3.70"), D("3.60"))),
    "ticket_before_km": ((2.1, 30.0, {"2022-11-02": 4.0}),
                         (4.0, 1, 1, D("3.20"), D("3.70"), D("2.10"))),
    "km_at_the_minimum": ((None, 1.0, {"2022-11-02": 4.0, "2022-11-04": 2.0}),
                          (6.0, 2, 1, D("4.80"), D("3.70"), D("0.52"))),
    "km_under_the_minimum": ((None, 0.9, {"2022-11-02": 3.5}),
                             (3.5, 1, 0, D("2.80"), D("0.00"), D("0.00"))),
    "no_ticket_no_km": ((None, None, {"2022-11-02": 4.5, "2022-11-03": 5.0}),
                        (9.5, 2, 2, D("7.60"), D("7.40"), D("0.00"))),
    "km": ((None, 12.0, {"2022-11-03": 3.0}),
           (3.0, 1, 0, D("2.40"), D("0.00"), D("3.12"))),
}


@pytest.mark.parametrize("case", sorted(BEFORE_2023))
def test_before_2023_each_day_pays_reward_food_and_travel(db, case):
    (ticket, km, days), expected = BEFORE_2023[case]
    ana = coordinator(db)
    pid = a_2022_programme(db, ana)
    person = a_person(db, ana, "Tina")
    enrol_in_2022(db, person, pid, ticket, km)
    for day, hours in days.items():
        record(db, ana, pid, day, {person: ("present", hours)})
    sheet = allowances.payment_sheet(db, ana, pid, "2022-11")
    [row] = sheet.rows
    assert (row.hours, row.days, row.meal_days, row.reward, row.food, row.travel) == expected
    assert row.total == expected[3] + expected[4] + expected[5]


def test_the_sheet_names_the_programme_its_people_and_its_totals(db):
    ana = coordinator(db)
    pid = a_2022_programme(db, ana, name="Jesen 2022")
    tina, ursa, absent = (a_person(db, ana, n) for n in ("Tina", "Urša", "Vida"))
    enrol_in_2022(db, tina, pid, ticket=1.8)
    enrol_in_2022(db, ursa, pid, km=12.0)
    enrol_in_2022(db, absent, pid)
    for day, hours in (("2022-11-02", 5.0), ("2022-11-03", 3.0), ("2022-11-04", 4.0)):
        record(db, ana, pid, day, {tina: ("present", hours), ursa: ("present", hours),
                                   absent: ("absent", None)})
    sheet = allowances.payment_sheet(db, ana, pid, "2022-11")
    assert (sheet.programme_id, sheet.programme, sheet.provider, sheet.month) == (
        pid, "Jesen 2022", "Izvajalec Jesen 2022", "2022-11")
    # Only who attended, by name: 12 h x 0.80, food on the 2 days of 4 h or more.
    assert [(r.participant_id, r.name, r.reward, r.food, r.travel) for r in sheet.rows] == [
        (tina, "Tina Testna", D("9.60"), D("7.40"), D("5.40")),    # 3 days x 1.80
        (ursa, "Urša Testna", D("9.60"), D("7.40"), D("9.36"))]    # 3 x 2 x 12 km x 0.13
    assert (sheet.total("hours"), sheet.total("days"), sheet.total("meal_days")) == (24.0, 6, 4)
    assert (sheet.total("reward"), sheet.total("food"), sheet.total("travel"),
            sheet.total("total")) == (D("19.20"), D("14.80"), D("14.76"), D("48.76"))
    assert sorted(sheet.rules) == [
        ("allowance_hourly_eur", "2017-01-01", 0.8), ("meal_allowance_eur", "2017-01-01", 3.7),
        ("meal_min_hours", "2017-01-01", 4.0), ("travel_eur_per_km", "2017-01-01", 0.13),
        ("travel_min_km", "2017-01-01", 1.0), ("travel_ticket_refund", "2017-01-01", 1.0)]
    assert sheet.locked is False
    attendance.lock_month(db, ana, pid, "2022-11", TODAY)
    assert allowances.payment_sheet(db, ana, pid, "2022-11").locked is True
    assert allowances.payment_sheet(db, ana, pid, "2022-12").locked is False


def test_a_month_without_attendance_has_no_rows_and_zero_totals(db):
    ana = coordinator(db)
    pid = a_2022_programme(db, ana)
    sheet = allowances.payment_sheet(db, ana, pid, "2022-11")
    assert sheet.rows == ()
    for money in ("reward", "food", "travel", "total"):  # money stays exact Decimal
        assert sheet.total(money) == 0 and isinstance(sheet.total(money), Decimal)
    assert (sheet.total("hours"), sheet.total("days"), sheet.total("meal_days")) == (0, 0, 0)


def test_a_new_hourly_rate_mid_month_is_rounded_half_up_once_per_person(db):
    """1.00 EUR an hour until 15 November 2026, 1.05 EUR from the 16th (a new rule row)."""
    ana = coordinator(db)
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('allowance_hourly_eur', 1.05, '2026-11-16', 'test')")
    pid = a_programme(db, ana, start=dt.date(2026, 11, 2), end=dt.date(2027, 1, 29))
    schedule.generate(db, ana, pid)
    one_day, two_days, both_rates = (a_person(db, ana, n, since=dt.date(2026, 10, 1))
                                     for n in ("Ana", "Bina", "Cilka"))
    for person in (one_day, two_days, both_rates):
        sign(db, ana, person, pid, on=dt.date(2026, 11, 2), ticket_eur=2.3)
    record(db, ana, pid, "2026-11-13", {both_rates: ("present", 2.5)})
    record(db, ana, pid, "2026-11-16", {one_day: ("present", 2.5), two_days: ("present", 2.5),
                                        both_rates: ("present", 2.5)})
    record(db, ana, pid, "2026-11-17", {two_days: ("present", 1.5)})
    sheet = allowances.payment_sheet(db, ana, pid, "2026-11")
    assert {r.participant_id: (r.reward, r.food, r.travel) for r in sheet.rows} == {
        one_day: (D("2.63"), D("0.00"), D("0.00")),     # 2.5 x 1.05 = 2.625
        two_days: (D("4.20"), D("0.00"), D("0.00")),    # 2.625 + 1.575 (not 2.63 + 1.58)
        both_rates: (D("5.13"), D("0.00"), D("0.00"))}  # 2.5 x 1.00 + 2.625 = 5.125
    assert {("allowance_hourly_eur", "2023-01-01", 1.0),
            ("allowance_hourly_eur", "2026-11-16", 1.05)} <= set(sheet.rules)


def test_the_region_lists_its_programmes_with_attendance_in_the_month_by_name(db):
    ana = coordinator(db)
    later, first, idle = (a_2022_programme(db, ana, name=n)
                          for n in ("Program B", "Program A", "Program C"))
    person = a_person(db, ana, "Tina")
    for pid in (later, first, idle):
        enrol_in_2022(db, person, pid)
    record(db, ana, later, "2022-11-02", {person: ("present", 4.0)})
    record(db, ana, first, "2022-11-03", {person: ("present", 2.0)})
    found = allowances.region_month(db, ana, "gorenjska", "2022-11")
    assert [(s.programme_id, s.programme, s.month, [r.reward for r in s.rows])
            for s in found] == [(first, "Program A", "2022-11", [D("1.60")]),
                                (later, "Program B", "2022-11", [D("3.20")])]
    assert allowances.region_month(db, ana, "gorenjska", "2022-10") == []
    with pytest.raises(UserError) as bad:
        allowances.region_month(db, ana, "gorenjska", "11/2022")
    assert (bad.value.key, bad.value.field) == ("error.month_format", "month")
    with pytest.raises(Forbidden):
        allowances.region_month(db, coordinator_in(db, "koord.pomurje", "pomurje"),
                                "gorenjska", "2022-11")


def test_the_payment_sheet_lists_c_s_z_with_caron_after_c_s_z(db):
    """Payment sheets go to the accountant in the order of the Slovenian alphabet."""
    ana = coordinator(db)
    pid = a_2022_programme(db, ana, name="Abeceda 2022")
    people = {a_person(db, ana, "Ana", last=last): last
              for last in ("Žagar", "Zupan", "Šuštar", "Sever", "Čeh", "Cerar")}
    for person in people:
        enrol_in_2022(db, person, pid)
    record(db, ana, pid, "2022-11-02", {p: ("present", 4.0) for p in people})
    sheet = allowances.payment_sheet(db, ana, pid, "2022-11")
    assert [people[r.participant_id] for r in sheet.rows] == [
        "Cerar", "Čeh", "Sever", "Šuštar", "Zupan", "Žagar"]


# -- a correction of the contract's terms (issue 19, item 6) -------------------------------------
@pytest.fixture
def paid_november(db):
    """Zala comes by a 1.80 EUR ticket on 2 November and 1 December 2022, 5 hours each; November
    is locked (paid), December not yet."""
    ana = coordinator(db)
    programme = a_2022_programme(db, ana)
    zala = a_person(db, ana, "Zala")
    enrol_in_2022(db, zala, programme, ticket=1.8)
    for day in ("2022-11-02", "2022-12-01"):
        record(db, ana, programme, day, {zala: ("present", 5.0)})
    attendance.lock_month(db, ana, programme, "2022-11", TODAY)
    return ana, programme, zala


def enrolment_row(db, zala):
    return db.execute("SELECT id, version, start_date, ticket_eur, distance_km FROM enrolments "
                      "WHERE participant_id = ?", [zala]).fetchone()


def travel(db, ana, programme, month) -> Decimal:
    return allowances.payment_sheet(db, ana, programme, month).rows[0].travel


def correct(db, ana, zala, reason="Dražja vozovnica", token=None, version=None, **terms):
    eid, stored_version, start, ticket, km = enrolment_row(db, zala)
    values = {"planned_start": start, "ticket_eur": ticket, "distance_km": km, **terms}
    return enrolment.correct_terms(db, ana, eid, version or stored_version,
                                   enrolment.Terms(**values), reason, token=token)


def test_a_corrected_ticket_leaves_the_locked_month_as_paid_and_pays_the_next(db, paid_november):
    ana, programme, zala = paid_november
    assert (travel(db, ana, programme, "2022-11"), travel(db, ana, programme, "2022-12")) == (
        D("1.80"), D("1.80"))
    done = correct(db, ana, zala, ticket_eur="2,50")
    assert done.travel_from == dt.date(2022, 12, 1)  # the day after the last locked month
    assert (travel(db, ana, programme, "2022-11"), travel(db, ana, programme, "2022-12")) == (
        D("1.80"), D("2.50"))
    # The change and its reason are in the change log, by whoever corrected it.
    eid = enrolment_row(db, zala)[0]
    assert db.execute("SELECT user_id, old_value, new_value, reason FROM audit_log WHERE "
                      "table_name = 'enrolments' AND record_id = ? AND field = 'ticket_eur'",
                      [eid]).fetchall() == [(ana.id, "1.8", "2.5", "Dražja vozovnica")]
    # December is locked too, then a distance replaces the ticket: each month keeps its own.
    attendance.lock_month(db, ana, programme, "2022-12", TODAY)
    record(db, ana, programme, "2023-01-03", {zala: ("present", 5.0)})
    with write(db):  # the 2023 rulebook pays no travel: keep the older rules for January
        db.execute("UPDATE rules SET effective_from = '2024-01-01' WHERE effective_from = "
                   "'2023-01-01'")
    done = correct(db, ana, zala, ticket_eur=None, distance_km="10")
    assert done.travel_from == dt.date(2023, 1, 1)
    assert [travel(db, ana, programme, m) for m in ("2022-11", "2022-12", "2023-01")] == [
        D("1.80"), D("2.50"), D("2.60")]


def test_without_a_locked_month_the_correction_applies_from_the_start(db):
    ana = coordinator(db)
    programme = a_2022_programme(db, ana)
    zala = a_person(db, ana, "Zala")
    enrol_in_2022(db, zala, programme, ticket=1.8)
    record(db, ana, programme, "2022-11-02", {zala: ("present", 5.0)})
    assert correct(db, ana, zala, ticket_eur="2,50").travel_from is None
    assert travel(db, ana, programme, "2022-11") == D("2.50")


@pytest.mark.parametrize("terms, reason, refused", [
    ({"ticket_eur": "2,50"}, "", ("error.text_required", "reason")),
    ({"ticket_eur": "dva"}, "Vozovnica", ("error.number_format", "ticket_eur")),
    ({"ticket_eur": "60"}, "Vozovnica", ("error.number_range", "ticket_eur")),
    ({"distance_km": "400"}, "Razdalja", ("error.number_range", "distance_km")),
    ({}, "Nič", ("error.terms_unchanged", None)),
    ({"planned_start": "31. 10. 2022"}, "Začetek", ("error.start_before_contract",
                                                   "planned_start")),
    ({"planned_start": "3. 11. 2022"}, "Začetek", ("error.start_after_attendance",
                                                  "planned_start")),
])
def test_a_bad_correction_is_refused_and_changes_nothing(db, paid_november, terms, reason,
                                                         refused):
    ana, programme, zala = paid_november
    before = enrolment_row(db, zala)
    with pytest.raises(UserError) as err:
        correct(db, ana, zala, reason=reason, **terms)
    assert (err.value.key, err.value.field) == refused
    assert enrolment_row(db, zala) == before
    assert db.execute("SELECT COUNT(*) FROM enrolment_terms").fetchone()[0] == 0


def test_a_planned_start_across_a_locked_month_is_refused_within_open_months_kept(
        db, paid_november):
    """Who was expected at a locked month's sessions stays as it was paid: a start moved into
    or out of a locked month is refused; within months still open it is corrected."""
    ana, programme, _ = paid_november
    vida = a_person(db, ana, "Vida")
    with write(db):
        db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                   "start_date, status) VALUES (?, ?, '2022-11-01', '2022-12-05', 'active')",
                   [vida, programme])
    for day in ("20. 11. 2022", "1. 11. 2022"):
        with pytest.raises(UserError) as err:
            correct(db, ana, vida, reason="Začne prej", planned_start=day)
        assert (err.value.key, err.value.field, err.value.params) == (
            "error.start_locked_month", "planned_start", {"month": "2022-11"})
    assert enrolment_row(db, vida)[2] == "2022-12-05"
    correct(db, ana, vida, reason="Začne kasneje", planned_start="12. 12. 2022")
    correct(db, ana, vida, reason="Vendarle prej", planned_start="1. 12. 2022")  # the edge
    assert enrolment_row(db, vida)[1:3] == (3, "2022-12-01")


def test_a_second_press_saves_once_and_a_stale_form_is_a_conflict(db, paid_november):
    ana, programme, zala = paid_november
    version = enrolment_row(db, zala)[1]
    first = correct(db, ana, zala, ticket_eur="2,50", token="tok", version=version)
    again = correct(db, ana, zala, ticket_eur="2,50", token="tok", version=version)
    assert again == first and enrolment_row(db, zala)[1] == version + 1
    assert db.execute("SELECT COUNT(*) FROM enrolment_terms").fetchone()[0] == 1
    with pytest.raises(ConflictError):
        correct(db, ana, zala, ticket_eur="3", version=version)
    assert enrolment_row(db, zala)[3] == 2.5


def test_a_correction_is_logged_on_her_record_by_whoever_made_it(db, paid_november):
    """The change log of a terms correction is about her (her record's log shows it) and by
    the coordinator who corrected it, as is the form's submission; a start-only correction
    keeps the paid travel terms with no dated copy of them."""
    ana, programme, zala = paid_november
    eid = enrolment_row(db, zala)[0]
    mark = db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
    correct(db, ana, zala, ticket_eur="2,50", token="tok-who")
    rows = db.execute("SELECT user_id, table_name, participant_id FROM audit_log WHERE id > ? "
                      "AND table_name IN ('enrolments', 'enrolment_terms')", [mark]).fetchall()
    assert {r[1] for r in rows} == {"enrolments", "enrolment_terms"}
    assert all((r[0], r[2]) == (ana.id, zala) for r in rows), rows
    assert db.execute("SELECT kind, user_id FROM submissions WHERE token = 'tok-who'"
                      ).fetchall() == [("terms_correction", ana.id)]
    # A planned start moved within open months writes no terms copy and keeps the ticket.
    vida = a_person(db, ana, "Vida")
    with write(db):
        db.execute("INSERT INTO enrolments (participant_id, programme_id, contract_date, "
                   "start_date, status, ticket_eur) VALUES (?, ?, '2022-11-01', '2022-12-05', "
                   "'active', 1.8)", [vida, programme])
    done = correct(db, ana, vida, reason="Začne kasneje", planned_start="12. 12. 2022")
    assert done.travel_from is None
    assert db.execute("SELECT COUNT(*) FROM enrolment_terms WHERE enrolment_id != ?",
                      [eid]).fetchone()[0] == 0
    # A ticket-only correction with no start typed keeps the start she has.
    correct(db, ana, vida, reason="Dražja", planned_start=None, ticket_eur="2")
    assert enrolment_row(db, vida)[2:4] == ("2022-12-12", 2.0)


def test_a_missing_contract_is_said_so(db, paid_november):
    ana, _, _ = paid_november
    with pytest.raises(UserError) as err:
        enrolment.correct_terms(db, ana, 999_999, 1, enrolment.Terms(), "Razlog")
    assert err.value.key == "error.record_missing"
