"""AppTest flows of the scheduling screens: the catalogue and a programme's page, the
attendance sheet, the monthly list, the payment sheet, the calendar and a new entry, the
home page's agenda, the record's move into a full programme, and unlocking a month."""

from __future__ import annotations

import datetime as dt

from tests.apptest_helpers import (
    button,
    column,
    component_text,
    errors,
    open_page,
    tables,
    texts,
    widget,
)
from tests.casework_helpers import coordinator, person_of
from tests.conftest import TODAY
from workbench import allowances, attendance, programmes, schedule
from workbench.db import open_db
from workbench.i18n import SL
from workbench.ui.widgets import md


def _db(path):
    return open_db(path)


def _running_programme(path, username="ana.kos", full: bool | None = None):
    db = _db(path)
    try:
        user = coordinator(db, username)
        found = [p for p in programmes.catalogue(db, user, "gorenjska")
                 if p.status == "running" and p.coordinator_id == user.id
                 and (full is None or (p.free_places == 0) == full)]
        return found[0]
    finally:
        db.close()


def test_the_catalogue_lists_the_areas_programmes_with_places_and_filters(app_env):
    at = open_page(app_env, "ana.kos", "programmes")
    assert not at.exception
    [listed] = tables(at)
    db = _db(app_env)
    expected = programmes.catalogue(db, coordinator(db, "ana.kos"), "gorenjska")
    db.close()
    assert column(listed, SL["col.programme"]) == [p.name for p in expected]
    assert column(listed, SL["col.places"])[0] == f"{expected[0].enrolled} / " \
                                                  f"{expected[0].capacity}"
    widget(at, "selectbox", "prog_f_status").set_value("running").run()
    [running] = tables(at)
    assert set(column(running, SL["field.programme_status"])) == {
        SL["programme_status.running"]}
    assert 0 < len(running) < len(listed)


def test_a_programme_page_saves_its_details_and_stays_on_its_tab(app_env):
    programme = _running_programme(app_env)
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme.id))
    assert not at.exception
    assert md(programme.name) in [t.value for t in at.title]
    widget(at, "number_input", r"_details_v\d+_g\d+_capacity").set_value(
        programme.capacity + 3)
    button(at, SL["programme.save"]).click().run()
    assert not errors(at), errors(at)
    assert SL["programme.saved"] in [s.value for s in at.success]
    db = _db(app_env)
    assert db.execute("SELECT capacity FROM programmes WHERE id = ?",
                      [programme.id]).fetchone()[0] == programme.capacity + 3
    db.close()
    assert at.query_params["programme"] == str(programme.id)


def _last_session(app_env, programme_id):
    """Ana and her programme's latest session of the last 20 days, as the calendar lists it."""
    db = _db(app_env)
    try:
        ana = coordinator(db, "ana.kos")
        return ana, schedule.view(db, ana, "programme", programme_id,
                                  TODAY - dt.timedelta(days=20), TODAY)[-1]
    finally:
        db.close()


def test_all_present_records_the_whole_session_in_one_save(app_env):
    programme = _running_programme(app_env)
    ana, last = _last_session(app_env, programme.id)
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme.id),
                   zavihek=SL["ptab.attendance"])
    assert not at.exception
    widget(at, "selectbox", f"prog_{programme.id}_session").set_value(last.id).run()
    button(at, SL["attendance.all_present"]).click().run()
    at.form_submit_button[0].click().run()
    assert not errors(at), errors(at)
    db = _db(app_env)
    sheet = attendance.sheet(db, ana, last.id)
    assert sheet.rows and all(r.status == "present" and r.hours == last.hours
                              for r in sheet.rows)
    count = db.execute("SELECT COUNT(*) FROM attendance WHERE session_id = ?",
                       [last.id]).fetchone()[0]
    db.close()
    at.form_submit_button[0].click().run()  # pressed again: nothing new
    db = _db(app_env)
    assert db.execute("SELECT COUNT(*) FROM attendance WHERE session_id = ?",
                      [last.id]).fetchone()[0] == count
    db.close()


def test_the_payment_sheet_on_screen_matches_the_library(app_env):
    programme = _running_programme(app_env)
    month = f"{(TODAY.replace(day=1) - dt.timedelta(days=1)):%Y-%m}"
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme.id),
                   zavihek=SL["ptab.payments"])
    assert not at.exception
    widget(at, "selectbox", f"prog_{programme.id}_pay_month").set_value(month).run()
    assert at.query_params["mesec"] == month  # the address names the month
    [shown] = tables(at)
    db = _db(app_env)
    sheet = allowances.payment_sheet(db, coordinator(db, "ana.kos"), programme.id, month)
    db.close()
    assert column(shown, SL["col.person"])[:-1] == [r.name for r in sheet.rows]
    total = f"{float(sheet.total('total')):,.2f}".replace(",", "X").replace(
        ".", ",").replace("X", ".")
    assert column(shown, SL["col.total"])[-1] == f"{total} €"
    assert [d.label for d in at.download_button] == [SL["payments.download"]]


def test_the_week_view_and_a_new_meeting_with_its_conflict(app_env):
    at = open_page(app_env, "ana.kos", "calendar")
    assert not at.exception
    db = _db(app_env)
    ana = coordinator(db, "ana.kos")
    monday, sunday = schedule.week_of(TODAY)
    week = schedule.view(db, ana, "coordinator", ana.id, monday, sunday)
    person = person_of(db, "stage = 'motivation'")
    db.close()
    shown = component_text(at)
    for entry in week:
        assert entry.start_time in shown
    at.segmented_control[1].set_value("individual").run()
    widget(at, "selectbox", r"cal_entry_g\d+_person").set_value(person).run()
    widget(at, "text_input", r"cal_entry_g\d+_day").input("24. 11. 2026").run()
    widget(at, "text_input", r"cal_entry_g\d+_start").input("15:00").run()
    assert not errors(at)
    button(at, SL["entry.save"]).click().run()
    assert SL["entry.saved"] in [s.value for s in at.success]
    # The same time again: the double booking is shown before saving and refused on save.
    at.segmented_control[1].set_value("individual").run()
    widget(at, "selectbox", r"cal_entry_g\d+_person").set_value(person).run()
    widget(at, "text_input", r"cal_entry_g\d+_day").input("24. 11. 2026").run()
    widget(at, "text_input", r"cal_entry_g\d+_start").input("15:30").run()
    assert any("Dvojnega termina" in e for e in errors(at))
    button(at, SL["entry.save"]).click().run()
    db = _db(app_env)
    day = dt.date(2026, 11, 24)
    booked = [e for e in schedule.view(db, ana, "coordinator", ana.id, day, day)
              if e.participant_id == person]
    db.close()
    assert [(e.start_time, e.kind) for e in booked] == [("15:00", "individual")]
    assert [d.label for d in at.download_button] == [SL["ics.download"]]


def test_home_shows_todays_agenda_and_falling_attendance(app_env):
    at = open_page(app_env, "ana.kos", "home")
    assert not at.exception
    page = texts(at)
    assert SL["home.today"].format(date="22. 11. 2026") in page
    db = _db(app_env)
    ana = coordinator(db, "ana.kos")
    falling = attendance.falling_attendance(db, ana, ana.id, TODAY)
    db.close()
    assert SL["home.falling_title"] in page
    for person in falling:
        assert person.name in page


def test_a_contract_into_a_full_programme_puts_her_on_the_waiting_list(app_env):
    full = _running_programme(app_env, full=True)
    db = _db(app_env)
    person = db.execute("SELECT id, first_name || ' ' || last_name FROM participants WHERE "
                        "coordinator_id = ? AND stage = 'motivation' AND id NOT IN (SELECT "
                        "participant_id FROM waiting_list) LIMIT 1",
                        [full.coordinator_id]).fetchone()
    db.close()
    at = open_page(app_env, "ana.kos", "record", person[0])
    widget(at, "selectbox", r"move_g\d+_to").set_value("contract").run()
    widget(at, "selectbox", r"move_g\d+_programme").set_value(full.id).run()
    button(at, SL["record.move_save"]).click().run()
    assert not errors(at), errors(at)
    assert any(person[1] in i.value and "čakalnem" in i.value for i in at.info)
    db = _db(app_env)
    assert db.execute("SELECT stage FROM participants WHERE id = ?",
                      [person[0]]).fetchone()[0] == "motivation"
    assert db.execute("SELECT status FROM waiting_list WHERE participant_id = ? AND "
                      "programme_id = ?", [person[0], full.id]).fetchone()[0] == "waiting"
    db.close()


def test_an_admin_unlocks_a_month_with_a_reason(app_env):
    at = open_page(app_env, "admin", "users", zavihek=SL["locks.tab"])
    assert not at.exception
    db = _db(app_env)
    pid, month = db.execute("SELECT programme_id, month FROM month_locks ORDER BY month DESC "
                            "LIMIT 1").fetchone()
    db.close()
    widget(at, "selectbox", r"users_unlock_g\d+_month").set_value((pid, month))
    widget(at, "text_input", r"users_unlock_g\d+_reason").input("Popravek izvajalca")
    at.form_submit_button[0].click().run()
    assert not errors(at), errors(at)
    db = _db(app_env)
    assert not db.execute("SELECT 1 FROM month_locks WHERE programme_id = ? AND month = ?",
                          [pid, month]).fetchone()
    assert db.execute("SELECT reason FROM audit_log WHERE table_name = 'month_locks' "
                      "ORDER BY id DESC LIMIT 1").fetchone()[0] == "Popravek izvajalca"
    db.close()


def test_a_coordinator_of_another_area_cannot_open_a_programme_by_its_address(app_env):
    programme = _running_programme(app_env)
    db = _db(app_env)
    from tests.casework_helpers import coordinator_in
    coordinator_in(db, "koord.pomurje", "pomurje")
    db.close()
    at = open_page(app_env, "koord.pomurje", "programmes", programme=str(programme.id))
    assert not at.exception
    assert SL["programme.not_found"] in [e.value for e in at.error]
    assert programme.name not in texts(at)


def test_a_colleagues_save_in_between_is_a_conflict_not_a_lost_sheet(app_env):
    """Two sessions on one attendance sheet: the second save is refused with a message and
    keeps what she chose; after "load the current version" her save goes through."""
    programme = _running_programme(app_env)
    ana, last = _last_session(app_env, programme.id)
    sessions = []
    for _ in range(2):
        at = open_page(app_env, "ana.kos", "programmes", programme=str(programme.id),
                       zavihek=SL["ptab.attendance"])
        widget(at, "selectbox", f"prog_{programme.id}_session").set_value(last.id).run()
        sessions.append(at)
    first, second = sessions
    db = _db(app_env)
    a, b = [r.participant_id for r in attendance.sheet(db, ana, last.id).rows][:2]
    db.close()
    widget(first, "radio", rf"_{a}_status").set_value("absent")
    first.form_submit_button[0].click().run()
    assert not errors(first)
    widget(second, "radio", rf"_{b}_status").set_value("excused")
    second.form_submit_button[0].click().run()
    assert any("Ana Kos" in e for e in errors(second)), errors(second)
    db = _db(app_env)
    stored = {r.participant_id: r.status for r in attendance.sheet(db, ana, last.id).rows}
    db.close()
    assert stored[a] == "absent" and stored[b] != "excused"  # hers not written over his
    button(second, SL["record.reload"]).click().run()
    widget(second, "radio", rf"_{b}_status").set_value("excused")
    second.form_submit_button[0].click().run()
    assert not errors(second), errors(second)
    db = _db(app_env)
    stored = {r.participant_id: r.status for r in attendance.sheet(db, ana, last.id).rows}
    db.close()
    assert stored[a] == "absent" and stored[b] == "excused"
