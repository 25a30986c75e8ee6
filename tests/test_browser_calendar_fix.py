"""In Chromium: a coordinator moves and cancels a meeting, and records a mobile-unit visit
after it happened, from the calendar's week, from the person's record and from a link;
a colleague saving over her change is told (issue 19, items 4 and 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser_helpers import (
    choose,
    fill,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    visit,
)
from tests.casework_helpers import coordinator, municipality_id, person_of
from tests.conftest import TODAY
from workbench import attendance, schedule
from workbench.db import open_db
from workbench.i18n import SL, translate

pytestmark = pytest.mark.browser

THURSDAY = TODAY - dt.timedelta(days=3)   # in the week shown first (TODAY is a Sunday)
FRIDAY = TODAY - dt.timedelta(days=2)


def _name(db, pid: int) -> str:
    return db.execute("SELECT first_name || ' ' || last_name FROM participants WHERE id = ?",
                      [pid]).fetchone()[0]


def _setup(seeded_path) -> dict:
    """A meeting of Ana's this week, a visit that has happened and one still to come."""
    db = open_db(seeded_path)
    try:
        ana = coordinator(db)
        meta = person_of(db, "stage = 'motivation'")
        booked = [r[0] for r in db.execute(
            "SELECT id FROM participants WHERE coordinator_id = ? AND stage IN "
            "('referred', 'first_interview', 'motivation') AND id != ? ORDER BY id LIMIT 3",
            [ana.id, meta])]
        meeting = schedule.add_entry(db, ana, schedule.Entry(
            "individual", THURSDAY, "07:00", 1.0, "Individualno srečanje", "pisarna",
            participant_id=meta), today=TODAY)
        naklo = municipality_id(db, "Naklo")
        held = schedule.add_entry(db, ana, schedule.Entry(
            "mobile_unit", FRIDAY, "06:00", 1.5, "Mobilna enota: Naklo", "knjižnica",
            municipality_id=naklo, people=tuple(booked[:2])), today=TODAY)
        planned = schedule.add_entry(db, ana, schedule.Entry(
            "mobile_unit", TODAY + dt.timedelta(days=4), "06:00", 1.5, "Mobilna enota: Naklo",
            "knjižnica", municipality_id=naklo, people=tuple(booked[:2])), today=TODAY)
        return {"meeting": meeting, "meta": meta, "meta_name": _name(db, meta),
                "held": held, "planned": planned, "booked": booked[:2],
                "other": booked[2], "other_name": _name(db, booked[2])}
    finally:
        db.close()


def _row(seeded_path, sql: str, params) -> tuple:
    db = open_db(seeded_path)
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.close()


def _panel_open(tab) -> None:
    tab.get_by_text(f"{SL['change.title']}:").first.wait_for()


def test_a_meeting_is_moved_from_the_week_and_cancelled_after_a_reload(server, browser,
                                                                       seeded_path):
    data = _setup(seeded_path)
    tab = new_tab(browser)
    visit(tab, f"{server}/calendar", "ana.kos")
    # The week shows the meeting; its time opens the change panel, and the address says so.
    with rerun(tab):
        tab.get_by_role("link", name="07:00–08:00").first.click()
    _panel_open(tab)
    assert f"vnos={data['meeting']}" in tab.url
    fill(tab, SL["field.start_time"], "25:00")
    settle(tab)
    assert f"{SL['field.start_time']}: {SL['error.time_format']}" in main_text(tab)
    fill(tab, SL["field.date"], f"{THURSDAY - dt.timedelta(days=1):%-d. %-m. %Y}")
    fill(tab, SL["field.start_time"], "7:30")
    fill(tab, SL["field.move_reason"], "Meta je **zbolela** <b>nujno</b>")
    settle(tab)
    shot(tab, "calendar-move")
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.move_save"]).click()
    tab.get_by_text(SL["change.moved"]).wait_for()
    assert _row(seeded_path, "SELECT date, start_time, version FROM sessions WHERE id = ?",
                [data["meeting"]]) == ((THURSDAY - dt.timedelta(days=1)).isoformat(),
                                       "07:30", 2)
    assert _row(seeded_path, "SELECT reason FROM audit_log WHERE table_name = 'sessions' "
                "AND record_id = ? AND field = 'date' AND action = 'update'",
                [data["meeting"]]) == (
        "Meta je **zbolela** <b>nujno</b>",)
    # A second press of the emptied form moves nothing: it is already there.
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.move_save"]).click()
    tab.get_by_text(SL["error.entry_not_moved"]).first.wait_for()
    assert _row(seeded_path, "SELECT version FROM sessions WHERE id = ?",
                [data["meeting"]]) == (2,)
    # F5 keeps the panel (the entry is in the address); cancel it with a reason as typed.
    tab.reload()
    settle(tab)
    _panel_open(tab)
    with rerun(tab):
        tab.get_by_text(SL["change.cancel"], exact=True).click()
    fill(tab, SL["field.cancel_reason"], "Preselila se je <i>v Kranj</i>")
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.cancel_save"]).click()
    tab.get_by_text(SL["change.cancelled"]).wait_for()
    assert "Preselila se je <i>v Kranj</i>" in main_text(tab)  # shown as typed
    assert _row(seeded_path, "SELECT cancel_reason, version FROM sessions WHERE id = ?",
                [data["meeting"]]) == ("Preselila se je <i>v Kranj</i>", 3)
    # The week still shows it, marked as cancelled.
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.back"]).click()
    assert "vnos=" not in tab.url
    tab.get_by_text(SL["calendar.cancelled"], exact=True).first.wait_for()
    shot(tab, "calendar-week-cancelled")


def test_a_visit_is_recorded_after_it_happened_from_a_link_and_the_record(server, browser,
                                                                        seeded_path):
    data = _setup(seeded_path)
    tab = new_tab(browser)
    # Before the day: the visit is planned, nothing to record.
    visit(tab, f"{server}/calendar?vnos={data['planned']}", "ana.kos")
    _panel_open(tab)
    tab.get_by_text(SL["change.visit_planned"].split("(")[0].strip()).first.wait_for()
    assert not tab.get_by_text(SL["change.visit"], exact=True).count()
    assert not tab.get_by_role("button", name=SL["change.visit_save"]).count()
    # From the record of a person booked on the held visit: her meetings and visits.
    tab.goto(f"{server}/record?person={data['booked'][0]}")
    settle(tab)
    tab.get_by_text(SL["record.meetings"]).first.wait_for()
    tab.get_by_text(SL["record.meetings"]).first.scroll_into_view_if_needed()
    shot(tab, "record-meetings")
    with rerun(tab):
        tab.get_by_role("link", name="06:00–07:30").first.click()
    _panel_open(tab)
    assert f"vnos={data['held']}" in tab.url
    choose(tab, SL["change.visit_others"], data["other_name"])
    fill(tab, SL["field.visit_note"], "Pogovor ob **stojnici** <script>x</script>")
    settle(tab)
    shot(tab, "calendar-visit-record")
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.visit_save"]).click()
    tab.get_by_text(translate("change.visit_saved", "sl", n=3)).wait_for()
    contacts = "SELECT COUNT(*) FROM contacts WHERE session_id = ?"
    assert _row(seeded_path, contacts, [data["held"]]) == (3,)
    # A second press of the emptied form adds nobody twice.
    with rerun(tab):
        tab.get_by_role("button", name=SL["change.visit_save"]).click()
    tab.get_by_text(SL["error.visit_people_required"]).first.wait_for()
    assert _row(seeded_path, contacts, [data["held"]]) == (3,)
    # The contact is on her record, the note as typed.
    tab.goto(f"{server}/record?person={data['other']}&zavihek={SL['tab.contacts']}")
    settle(tab)
    tab.get_by_text("Pogovor ob **stojnici** <script>x</script>").first.wait_for()


def test_a_colleague_moving_the_same_meeting_is_told_who_moved_it(server, browser,
                                                                  seeded_path):
    data = _setup(seeded_path)
    ana, petra = new_tab(browser), new_tab(browser)
    # Ana from the menu's calendar, by the week's list; Petra by a link she was sent.
    visit(ana, f"{server}/calendar", "ana.kos")
    choose(ana, SL["change.pick"], translate(
        "change.summary", "sl", kind=f"{SL['session_kind.individual']} · {data['meta_name']}",
        date=f"{THURSDAY:%-d. %-m. %Y}", time="07:00", end="08:00"))
    with rerun(ana):
        ana.get_by_role("button", name=SL["change.open"]).click()
    assert f"vnos={data['meeting']}" in ana.url
    visit(petra, f"{server}/calendar?vnos={data['meeting']}", "petra.kralj")
    for tab in (ana, petra):
        _panel_open(tab)
        fill(tab, SL["field.start_time"], "6:00" if tab is ana else "6:30")
        settle(tab)
    with rerun(ana):
        ana.get_by_role("button", name=SL["change.move_save"]).click()
    ana.get_by_text(SL["change.moved"]).wait_for()
    with rerun(petra):
        petra.get_by_role("button", name=SL["change.move_save"]).click()
    petra.get_by_text(SL["conflict.entry"].split("(")[0].strip()).first.wait_for()
    assert _row(seeded_path, "SELECT start_time FROM sessions WHERE id = ?",
                [data["meeting"]]) == ("06:00",)
    shot(petra, "calendar-move-conflict")


def test_a_closure_day_is_removed_on_the_programme_calendar_but_not_in_a_locked_month(
        server, browser, seeded_path):
    db = open_db(seeded_path)
    try:
        ana = coordinator(db)
        programme = db.execute(
            "SELECT id FROM programmes WHERE area_code = 'gorenjska' AND start_date <= "
            "'2026-10-01' AND end_date >= '2026-12-31' AND NOT EXISTS (SELECT 1 FROM "
            "month_locks l WHERE l.programme_id = programmes.id AND l.month = '2026-10') "
            "ORDER BY id LIMIT 1").fetchone()[0]
        schedule.add_closure(db, ana, programme, "2026-10-31", "inventura")
        schedule.add_closure(db, ana, programme, "2026-12-03", "stavka <b>izvajalca</b>")
        attendance.lock_month(db, ana, programme, "2026-10", TODAY)
    finally:
        db.close()
    tab = new_tab(browser)
    visit(tab, f"{server}/programmes?programme={programme}", "ana.kos")
    with rerun(tab):
        tab.get_by_role("tab", name=SL["ptab.calendar"]).click()
    tab.get_by_text(SL["calendar.closures"]).first.click()
    settle(tab)
    assert "stavka <b>izvajalca</b>" in main_text(tab)  # shown as typed
    removes = tab.get_by_role("button", name=SL["calendar.closure_remove"])
    with rerun(tab):
        removes.first.click()  # 31. 10. 2026: its month is locked for payment
    tab.get_by_text(SL["error.month_locked"].split("{")[0].strip()).first.wait_for()
    shot(tab, "programme-closure-locked")
    with rerun(tab):
        removes.nth(1).click()
    tab.get_by_text(SL["calendar.closure_removed"]).wait_for()
    db = open_db(seeded_path)
    try:
        assert set(schedule.closures(db, programme)) == {dt.date(2026, 10, 31)}
    finally:
        db.close()
