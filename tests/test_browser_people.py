"""Issue 19, items 7-9 in Chromium: a deactivation hands the future meetings over and says
which clash; the interpreter a woman needs shows on her record and warns before a meeting or a
contract; a new referral from a colleague's municipality is offered to her."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import (
    ENGLISH,
    choose,
    fill,
    fill_intake,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    sign_in,
    visit,
)
from tests.casework_helpers import coordinator, municipality_id, valid_form
from tests.conftest import TODAY
from workbench import participants
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def _db(path):
    return open_db(path)


def _one(path, sql, params=()):
    db = _db(path)
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.close()


def _albanian_woman(path) -> tuple[int, str]:
    """A new OrientAkcija referral of Maja's who needs an interpreter, with markup in her
    name (it must show as typed, never as formatting)."""
    db = _db(path)
    try:
        maja = coordinator(db, "maja.zupan")
        form = valid_form(db, first_name="Drita", last_name="*Krasniqi*", emso=None,
                          municipality_id=municipality_id(db, "Jesenice"), language="sq",
                          interpreter_needed=True, target_group="women_language_barrier")
        pid, _ = participants.create_person(db, maja, form, coordinator_id=maja.id,
                                            today=TODAY, different_person=True)
        return pid, "Drita *Krasniqi*"
    finally:
        db.close()


def test_deactivation_hands_her_meetings_over_and_the_colleague_sees_them(
        server, seeded_path, browser):
    maja_id, petra_id = (_one(seeded_path, "SELECT id FROM users WHERE username = ?", [u])[0]
                         for u in ("maja.zupan", "petra.kralj"))
    sid, day, person = _one(
        seeded_path, "SELECT s.id, s.date, p.first_name || ' ' || p.last_name FROM sessions s "
        "JOIN participants p ON p.id = s.participant_id WHERE s.coordinator_id = ? AND "
        "s.kind = 'individual' AND s.date > ? ORDER BY s.date LIMIT 1",
        [maja_id, TODAY.isoformat()])
    future = _one(seeded_path, "SELECT COUNT(*) FROM sessions WHERE coordinator_id = ? AND "
                  "date >= ?", [maja_id, TODAY.isoformat()])[0]
    tab = new_tab(browser, height=1400)
    tab.goto(server)
    sign_in(tab, "admin")
    tab.get_by_role("link", name=SL["nav.users"]).click()  # from the menu
    settle(tab)
    tab.get_by_role("tab", name=SL["users.change"]).click()
    choose(tab, SL["users.select"], "Maja Zupan (maja.zupan)")
    tab.get_by_text(f"V koledarju ima od danes naprej še {future} ").wait_for()
    choose(tab, SL["users.handover_to"], "Petra Kralj")
    tab.get_by_text(SL["users.confirm_deactivate"].format(name="Maja Zupan")).click()
    settle(tab)
    shot(tab, "people-deactivate-bookings")
    go = tab.get_by_role("button", name=SL["users.deactivate"].format(name="Maja Zupan"))
    with rerun(tab):
        go.click()
    tab.get_by_text(SL["users.deactivated"].format(name="Maja Zupan")).wait_for()
    shot(tab, "people-deactivated")
    assert not ENGLISH.search(main_text(tab))
    # A second press is not possible: she is inactive now, the page offers to activate her.
    expect(go).to_have_count(0)
    assert _one(seeded_path, "SELECT COUNT(*) FROM sessions WHERE coordinator_id = ? AND "
                "date >= ?", [maja_id, TODAY.isoformat()])[0] == 0
    assert _one(seeded_path, "SELECT coordinator_id FROM sessions WHERE id = ?",
                [sid])[0] == petra_id

    # Petra's calendar shows the meeting at its time (she is not free then).
    other = new_tab(browser, height=1400)
    visit(other, f"{server}/calendar", "petra.kralj")
    weeks = (dt.date.fromisoformat(day) - TODAY).days // 7 + 1
    for _ in range(weeks):
        other.get_by_role("button", name=SL["calendar.next"]).click()
        settle(other)
    expect(other.get_by_test_id("stMain")).to_contain_text(person)
    shot(other, "people-colleague-calendar")


def test_her_interpreter_need_shows_on_the_record_and_warns_before_a_meeting(
        server, seeded_path, browser):
    pid, name = _albanian_woman(seeded_path)
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "maja.zupan")
    # From the search: the header says what she needs, her name shown as typed.
    tab.get_by_role("link", name=SL["nav.record"]).click()
    fill(tab, SL["record.search"], "drita")
    tab.get_by_role("link", name=name, exact=True).first.click()
    tab.get_by_role("heading", name=name).wait_for()
    tab.get_by_text("potrebuje tolmača (albanščina)").wait_for()
    shot(tab, "people-record-interpreter")
    # F5 on the deep link: the same.
    tab.reload()
    tab.get_by_text("potrebuje tolmača (albanščina)").wait_for()
    # A contract from her record for a programme in Slovenian only warns first.
    choose(tab, SL["record.move_to"], SL["stage.contract"])
    box = tab.get_by_label(SL["record.programme"], exact=True)
    box.click()
    box.fill("Nova pot 2026/2")
    tab.get_by_role("option").filter(has_text="Nova pot 2026/2").first.click()
    settle(tab)
    tab.get_by_text(f"{name} potrebuje tolmača (albanščina), program pa poteka v jeziku: "
                    "slovenščina in nima tolmača.").wait_for()
    with rerun(tab):
        tab.get_by_role("button", name=SL["record.move_save"]).click()
    tab.get_by_text(SL["error.interpreter_unconfirmed"]).wait_for()
    enrolled = "SELECT COUNT(*) FROM enrolments WHERE participant_id = ?"
    assert _one(seeded_path, enrolled, [pid])[0] == 0
    tab.get_by_text(SL["interpreter.confirm"]).click()
    settle(tab)
    with rerun(tab):
        tab.get_by_role("button", name=SL["record.move_save"]).click()
    tab.get_by_text(SL["record.moved"].format(stage=SL["stage.contract"])).wait_for()
    assert _one(seeded_path, enrolled, [pid])[0] == 1

    # A meeting with her in the calendar warns, refuses until confirmed, then saves once.
    tab.get_by_role("link", name=SL["nav.calendar"]).click()
    settle(tab)
    tab.get_by_test_id("stButtonGroup").get_by_text(SL["session_kind.individual"],
                                                    exact=True).click()
    settle(tab)
    choose(tab, SL["col.person"], name)
    warning = (f"{name} potrebuje tolmača (albanščina), srečanje pa poteka v jeziku: "
               "slovenščina in tolmač ni dogovorjen.")
    tab.get_by_text(warning).wait_for()
    with rerun(tab):
        tab.get_by_role("button", name=SL["entry.save"]).click()
    tab.get_by_text(SL["error.interpreter_unconfirmed"]).wait_for()
    meetings = "SELECT COUNT(*) FROM sessions WHERE participant_id = ? AND kind = 'individual'"
    assert _one(seeded_path, meetings, [pid])[0] == 0
    tab.get_by_text(SL["interpreter.confirm"]).click()
    settle(tab)
    shot(tab, "people-meeting-interpreter")
    with rerun(tab):
        tab.get_by_role("button", name=SL["entry.save"]).click()
    tab.get_by_text(SL["entry.saved"]).wait_for()
    assert _one(seeded_path, meetings, [pid])[0] == 1
    # The form is empty again (no kind chosen): there is nothing to press a second time.
    expect(tab.get_by_role("button", name=SL["entry.save"])).to_have_count(0)
    assert _one(seeded_path, meetings, [pid])[0] == 1
    assert not ENGLISH.search(main_text(tab))


def test_a_contract_in_a_programme_without_her_language_warns_first(server, seeded_path,
                                                                     browser):
    pid, name = _albanian_woman(seeded_path)
    programme = _one(seeded_path, "SELECT id FROM programmes WHERE name = 'Nova pot 2026/2'")[0]
    tab = new_tab(browser, height=1400)
    visit(tab, f"{server}/programmes?programme={programme}", "maja.zupan")  # deep link
    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    form = tab.get_by_test_id("stForm").filter(has_text=SL["people.enrol_save"])
    choose(tab, SL["col.person"], name, scope=form)
    # (typed, not Entered: Enter would submit)
    form.get_by_label(SL["field.contract_date"], exact=True).fill("22. 11. 2026")
    form.get_by_label(SL["field.planned_start"], exact=True).fill("23. 11. 2026")
    with rerun(tab):
        form.get_by_role("button", name=SL["people.enrol_save"]).click()
    tab.get_by_text(SL["error.interpreter_unconfirmed"]).wait_for()
    tab.get_by_text(f"{name} potrebuje tolmača (albanščina), program pa poteka v jeziku: "
                    "slovenščina in nima tolmača.").wait_for()
    enrolled = "SELECT COUNT(*) FROM enrolments WHERE participant_id = ?"
    assert _one(seeded_path, enrolled, [pid])[0] == 0
    form.get_by_text(SL["interpreter.confirm"]).click()
    with rerun(tab):
        form.get_by_role("button", name=SL["people.enrol_save"]).click()
    tab.get_by_text(SL["people.enrolled_ok"].format(name=name)).wait_for()
    assert _one(seeded_path, enrolled, [pid])[0] == 1
    shot(tab, "people-enrol-interpreter")
    assert not ENGLISH.search(main_text(tab))


def test_a_referral_from_a_colleagues_municipality_is_offered_to_her(server, seeded_path,
                                                                      browser):
    tab = new_tab(browser, height=1400)
    visit(tab, f"{server}/intake", "ana.kos")
    fill_intake(tab, "Mira", "<b>Zupančič</b>", "14. 3. 1988", municipality="Jesenice")
    offer = tab.get_by_role("radiogroup").filter(has_text="Maja Zupan")
    offer.wait_for()
    offer.scroll_into_view_if_needed()
    expect(tab.get_by_text("Občino Jesenice pokriva koordinatorka Maja Zupan.",
                           exact=False)).to_be_visible()
    shot(tab, "people-intake-offer")
    with rerun(tab):
        tab.get_by_role("button", name=SL["intake.save"]).click()
    tab.get_by_role("link", name=SL["intake.open_record"]).wait_for()
    pid, holder = _one(seeded_path, "SELECT id, coordinator_id FROM participants WHERE "
                       "last_name = '<b>Zupančič</b>'")
    maja = _one(seeded_path, "SELECT id FROM users WHERE username = 'maja.zupan'")[0]
    assert holder == maja
    assert _one(seeded_path, "SELECT title FROM tasks WHERE participant_id = ? AND "
                "assigned_to = ?", [pid, maja])[0] == "Nova napotitev iz občine Jesenice"
    # The form is empty: a second press saves nobody twice.
    with rerun(tab):
        tab.get_by_role("button", name=SL["intake.save"]).click()
    assert _one(seeded_path, "SELECT COUNT(*) FROM participants WHERE last_name = "
                "'<b>Zupančič</b>'")[0] == 1

    # Kept on purpose: she stays with Ana, without a task.
    fill_intake(tab, "Nada", "Kovač", "2. 5. 1979", municipality="Bled")
    tab.get_by_text(SL["intake.route_keep"]).click()
    settle(tab)
    with rerun(tab):
        tab.get_by_role("button", name=SL["intake.save"]).click()
    different = tab.get_by_text(SL["intake.different_person"])
    if different.count():  # a namesake on record: she is another person
        different.click()
        settle(tab)
        with rerun(tab):
            tab.get_by_role("button", name=SL["intake.save"]).click()
    tab.get_by_role("link", name=SL["intake.open_record"]).wait_for()
    pid, holder = _one(seeded_path, "SELECT id, coordinator_id FROM participants WHERE "
                       "first_name = 'Nada' AND last_name = 'Kovač' ORDER BY id DESC")
    ana = _one(seeded_path, "SELECT id FROM users WHERE username = 'ana.kos'")[0]
    assert holder == ana
    assert _one(seeded_path, "SELECT COUNT(*) FROM tasks WHERE participant_id = ?",
                [pid])[0] == 0
    assert not ENGLISH.search(main_text(tab))


def test_a_person_handed_over_from_her_record_takes_her_future_meetings_along(
        server, seeded_path, browser):
    pid, name = _one(
        seeded_path, "SELECT p.id, p.first_name || ' ' || p.last_name FROM participants p "
        "JOIN users u ON u.id = p.coordinator_id WHERE u.username = 'ana.kos' AND EXISTS "
        "(SELECT 1 FROM sessions s WHERE s.participant_id = p.id AND s.kind = 'individual' "
        "AND s.date >= ?) ORDER BY p.id LIMIT 1", [TODAY.isoformat()])
    petra = _one(seeded_path, "SELECT id FROM users WHERE username = 'petra.kralj'")[0]
    mine = ("SELECT COUNT(*) FROM sessions WHERE participant_id = ? AND kind = 'individual' "
            "AND date >= ? AND coordinator_id != ?")
    assert _one(seeded_path, mine, [pid, TODAY.isoformat(), petra])[0] >= 1
    tab = new_tab(browser, height=1400)
    visit(tab, f"{server}/record?person={pid}", "ana.kos")  # deep link
    tab.get_by_role("heading", name=name).wait_for()
    form = tab.get_by_test_id("stForm").filter(has_text=SL["record.reassign_save"])
    choose(tab, SL["record.reassign_to"], "Petra Kralj", scope=form)
    form.get_by_label(SL["record.reassign_reason"], exact=True).fill("Selitev v Škofjo Loko")
    with rerun(tab):
        form.get_by_role("button", name=SL["record.reassign_save"], exact=True).click()
    tab.get_by_text(SL["record.reassigned"].format(name="Petra Kralj")).wait_for()
    assert _one(seeded_path, mine, [pid, TODAY.isoformat(), petra])[0] == 0
    assert not ENGLISH.search(main_text(tab))
    # The reason's help icon is named for screen readers in Slovenian too.
    assert form.get_by_role("button", name=f"{SL['chrome.help_for']}"
                            f"{SL['record.reassign_reason']}").count() == 1


def test_the_administrator_gives_a_coordinator_a_municipality_and_referrals_follow(
        server, seeded_path, browser):
    tab = new_tab(browser, height=1600)
    visit(tab, f"{server}/users", "admin")  # deep link
    tab.get_by_role("tab", name=SL["users.change"]).click()
    choose(tab, SL["users.select"], "Ana Kos (ana.kos)")
    form = tab.get_by_test_id("stForm").filter(has_text=SL["users.coverage_title"])
    form.wait_for()
    for name in ("Kranj", "Naklo", "Tržič"):  # what the seed gave her
        expect(form.get_by_text(name, exact=True)).to_be_visible()
    box = form.get_by_label(SL["users.coverage"], exact=True)
    box.click()
    box.fill("Bled")
    tab.get_by_role("option", name="Bled", exact=True).click()
    box.press("Escape")  # the list closes, as she clicks away from it
    settle(tab)
    assert "Select all" not in main_text(tab)
    with rerun(tab):
        form.get_by_role("button", name=SL["users.coverage_save"]).click()
    tab.get_by_text(SL["users.coverage_saved"].format(name="Ana Kos")).wait_for()
    shot(tab, "people-users-coverage")
    ana = _one(seeded_path, "SELECT id FROM users WHERE username = 'ana.kos'")[0]
    bled = _one(seeded_path, "SELECT id FROM municipalities WHERE name = 'Bled'")[0]
    assert _one(seeded_path, "SELECT coordinator_id FROM municipality_coordinators WHERE "
                "municipality_id = ?", [bled])[0] == ana
    # Pressed again with nothing changed: nothing more is written.
    audited = "SELECT COUNT(*) FROM audit_log WHERE table_name = 'municipality_coordinators'"
    assert _one(seeded_path, audited)[0] == 1
    with rerun(tab):
        form.get_by_role("button", name=SL["users.coverage_save"]).click()
    tab.get_by_text(SL["record.unchanged"]).wait_for()
    assert _one(seeded_path, audited)[0] == 1
    assert not ENGLISH.search(main_text(tab))

    # Ana's intake from Bled now asks nobody: Bled is hers.
    other = new_tab(browser, height=1400)
    visit(other, f"{server}/intake", "ana.kos")
    fill_intake(other, "Zala", "Bohinc", "3. 7. 1990", municipality="Bled")
    expect(other.get_by_text(SL["intake.route_keep"])).to_have_count(0)
