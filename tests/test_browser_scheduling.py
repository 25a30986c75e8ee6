"""In Chromium, as a coordinator: create a programme, generate its calendar, enrol a person,
record a session's attendance, and download the payment sheet and her .ics."""

from __future__ import annotations

import io

import icalendar
import pytest
from openpyxl import load_workbook

from tests.browser_helpers import (
    choose,
    download,
    fill,
    main_text,
    rerun,
    settle,
    shot,
    visit,
)
from tests.casework_helpers import coordinator, person_of
from workbench import attendance
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def _candidate(db_path) -> tuple[int, str]:
    """One of Ana's people, motivated since before the programme starts."""
    db = open_db(db_path)
    try:
        pid = person_of(db, "stage IN ('first_interview', 'motivation') AND stage_since < "
                        "'2026-11-16' AND id NOT IN (SELECT participant_id FROM waiting_list)")
        return pid, db.execute("SELECT first_name || ' ' || last_name FROM participants "
                               "WHERE id = ?", [pid]).fetchone()[0]
    finally:
        db.close()


def test_a_coordinator_runs_a_programme_from_creation_to_payment(server, page, seeded_path):
    pid, name = _candidate(seeded_path)
    tab = page
    visit(tab, f"{server}/programmes", "ana.kos")
    tab.get_by_role("button", name=SL["programme.new"]).click()
    settle(tab)
    fill(tab, SL["field.name"], "Novi koraki 2026")
    choose(tab, SL["field.provider"], "Zavod Vezi")
    choose(tab, SL["field.programme_type"], SL["programme_type.intermediate"])
    choose(tab, SL["field.municipality"], "Kranj")
    fill(tab, SL["field.start_date"], "16. 11. 2026")
    fill(tab, SL["field.end_date"], "15. 5. 2027")
    # the modules' totals, from the type's template (a cold server may take a while)
    tab.get_by_text("Načrtovano:").first.wait_for(timeout=15_000)
    settle(tab)
    shot(tab, "programme_new")
    # One press makes one programme, and its page opens saying so. (A second press is not
    # tested in the browser: a double click sends one rerun request or two, by timing. The
    # form token behind records.once is tested without one, on a contact, in
    # tests/test_casework.py.)
    save = tab.get_by_role("button", name=SL["programme.create"])
    with rerun(tab):
        save.click()
    tab.get_by_text(SL["programme.created"].format(name="Novi koraki 2026")).wait_for()
    assert "programme=" in tab.url
    db = open_db(seeded_path)
    assert db.execute("SELECT COUNT(*) FROM programmes WHERE name = 'Novi koraki 2026'"
                      ).fetchone()[0] == 1
    programme_id = db.execute("SELECT id FROM programmes WHERE name = 'Novi koraki 2026'"
                              ).fetchone()[0]
    db.close()

    tab.get_by_role("tab", name=SL["ptab.calendar"]).click()
    settle(tab)
    tab.get_by_role("button", name=SL["calendar.generate_save"]).click()
    settle(tab)
    assert SL["calendar.up_to_date"] in main_text(tab)
    shot(tab, "programme_calendar")

    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    form = tab.get_by_test_id("stForm").filter(has_text=SL["people.enrol_save"])
    choose(tab, SL["col.person"], name, scope=form)
    for label in ("field.contract_date", "field.planned_start"):  # Enter would submit
        form.get_by_label(SL[label], exact=True).fill("16. 11. 2026")
    tab.get_by_role("button", name=SL["people.enrol_save"]).click()
    settle(tab)
    assert SL["people.enrolled_ok"].format(name=name) in main_text(tab)

    tab.get_by_role("tab", name=SL["ptab.attendance"]).click()
    settle(tab)
    tab.get_by_role("button", name=SL["attendance.all_present"]).click()
    settle(tab)
    tab.get_by_role("button", name=SL["attendance.save"]).click()
    settle(tab)
    assert "Prisotnost je shranjena" in main_text(tab)
    shot(tab, "programme_attendance")
    db = open_db(seeded_path)
    stage, = db.execute("SELECT stage FROM participants WHERE id = ?", [pid]).fetchone()
    hours = db.execute("SELECT SUM(a.hours) FROM attendance a JOIN sessions s ON "
                       "s.id = a.session_id WHERE s.programme_id = ? AND a.participant_id = ?",
                       [programme_id, pid]).fetchone()[0]
    month = attendance.monthly(db, coordinator(db, "ana.kos"), programme_id, "2026-11")
    db.close()
    assert stage == "in_programme" and hours == 5.0
    assert month.person_total(pid) == 5.0

    tab.get_by_role("tab", name=SL["ptab.payments"]).click()
    settle(tab)
    # Pressed, and another tab opened at once: the file still comes.
    with tab.expect_download(timeout=30_000) as left_at_once:
        tab.get_by_role("button", name=SL["payments.download"]).click()
        tab.get_by_role("tab", name=SL["ptab.attendance"]).click()
    assert left_at_once.value.suggested_filename.endswith(".xlsx")
    tab.get_by_role("tab", name=SL["ptab.payments"]).click()
    settle(tab)
    got = download(tab, tab.get_by_role("button", name=SL["payments.download"]))
    book = load_workbook(io.BytesIO(open(got.path(), "rb").read()))
    sheet = book.active
    assert sheet.cell(row=5, column=1).value == name
    assert sheet.cell(row=5, column=2).value == 5.0
    assert sheet.cell(row=5, column=5).value == 5.0  # 5 h x 1.00 EUR
    shot(tab, "programme_payments")

    tab.get_by_test_id("stSidebarNav").get_by_role("link", name=SL["nav.calendar"]).click()
    settle(tab)
    shot(tab, "calendar_week")
    got = download(tab, tab.get_by_role("button", name=SL["ics.download"]))
    cal = icalendar.Calendar.from_ical(open(got.path(), "rb").read())
    events = list(cal.walk("VEVENT"))
    assert events and all(str(e["UID"]).startswith("session-") for e in events)
    assert name not in open(got.path(), encoding="utf-8").read()
