"""The person's record in a real browser: every way in, saves from each, two sessions on one
record, second presses, tabs that stay put, reloads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import (
    ENGLISH,
    choose,
    fill,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    sign_in,
)
from tests.casework_helpers import coordinator, person_of
from workbench import participants
from workbench.db import open_db
from workbench.i18n import SL, gendered_key

pytestmark = pytest.mark.browser


def a_person(db_path, username="ana.kos", stage="in_programme"):
    db = open_db(db_path)
    try:
        pid = person_of(db, f"stage = '{stage}'", username)
        return participants.get_person(db, coordinator(db), pid)
    finally:
        db.close()


def count(db_path, sql, params=()):
    db = open_db(db_path)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def open_tab(tab, name: str) -> None:
    tab.get_by_role("tab", name=SL[f"tab.{name}"]).click()
    settle(tab)


def add_contact(tab, note: str) -> None:
    choose(tab, SL["col.kind"], SL["contact_kind.phone"])
    tab.get_by_label(SL["contacts.note"], exact=True).fill(note)
    tab.get_by_role("button", name=SL["contacts.add"]).click()
    settle(tab)


def test_a_record_opened_from_the_search_keeps_its_address_and_every_save(
        server, seeded_path, browser):
    person = a_person(seeded_path)
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    tab.get_by_role("link", name=SL["nav.record"]).click()
    fill(tab, SL["record.search"], person.last_name.lower())
    tab.get_by_role("link", name=person.name, exact=True).first.click()
    tab.get_by_role("heading", name=person.name).wait_for()
    assert f"person={person.id}" in tab.url
    # A contact saved from here is saved, and she stays on the record and its tab.
    open_tab(tab, "contacts")
    add_contact(tab, "Dogovor po telefonu")
    tab.get_by_text(SL["contacts.added"]).wait_for()
    assert f"person={person.id}" in tab.url and "zavihek=contacts" in tab.url
    assert tab.get_by_role("tab", name=SL["tab.contacts"]).get_attribute(
        "aria-selected") == "true"
    assert count(seeded_path, "SELECT COUNT(*) FROM contacts WHERE participant_id = ? AND "
                 "note = ?", [person.id, "Dogovor po telefonu"]) == 1
    # The form is empty again: a second press saves nothing new. It reaches the server and
    # is refused, which is told apart from a press that never arrived.
    expect(tab.get_by_label(SL["contacts.note"], exact=True)).to_have_value("")
    with rerun(tab):
        tab.get_by_role("button", name=SL["contacts.add"]).click()
    tab.get_by_text(f"{SL['field.contact_kind']}: {SL['error.contact_kind_invalid']}").wait_for()
    assert count(seeded_path, "SELECT COUNT(*) FROM contacts WHERE participant_id = ? AND "
                 "note = ?", [person.id, "Dogovor po telefonu"]) == 1
    # Personal data saved from the search-opened record.
    open_tab(tab, "data")
    tab.get_by_label(SL["field.phone"], exact=True).fill("040 123 456")
    tab.get_by_role("button", name=SL["record.save"]).click()
    tab.get_by_text(SL["record.saved"]).wait_for()
    assert tab.get_by_role("tab", name=SL["tab.data"]).get_attribute("aria-selected") == "true"
    db = open_db(seeded_path)
    assert participants.get_person(db, coordinator(db), person.id).phone == "040 123 456"
    # F5: still signed in, the same person, the same tab, the saved value.
    tab.reload()
    tab.get_by_role("heading", name=person.name).wait_for()
    assert tab.get_by_role("tab", name=SL["tab.data"]).get_attribute("aria-selected") == "true"
    # (the field is drawn a moment before its value arrives)
    expect(tab.get_by_label(SL["field.phone"], exact=True)).to_have_value("040 123 456")
    # A stage move saved from here.
    open_tab(tab, "summary")
    choose(tab, SL["record.move_to"], SL["stage.exited"])
    tab.get_by_text(SL[gendered_key("outcome.completed", person.sex)], exact=True).click()
    choose(tab, SL["record.exit_destination"], SL["exit_destination.job_searching"])
    tab.get_by_role("button", name=SL["record.move_save"]).click()
    tab.get_by_text(SL["record.moved"].format(stage=SL["stage.exited"])).wait_for()
    assert participants.get_person(db, coordinator(db), person.id).stage == "exited"
    assert not ENGLISH.search(main_text(tab))
    shot(tab, "record-after-move")


def test_a_task_and_a_goal_are_saved_once_and_their_forms_empty(server, seeded_path, browser):
    person = a_person(seeded_path)
    tab = new_tab(browser)
    tab.goto(f"{server}/record?person={person.id}")
    sign_in(tab, "ana.kos")
    open_tab(tab, "tasks")
    tab.get_by_test_id("stForm").filter(has_text=SL["tasks.new"]).get_by_label(
        SL["tasks.task"], exact=True).fill("Poklicati izvajalca")
    tab.get_by_role("button", name=SL["tasks.add"]).click()
    tab.get_by_text(SL["tasks.added"]).wait_for()
    expect(tab.get_by_label(SL["tasks.task"], exact=True).last).to_have_value("")
    # A second press reaches the server and is refused: the emptied form has no task.
    with rerun(tab):
        tab.get_by_role("button", name=SL["tasks.add"]).click()
    tab.get_by_text(f"{SL['field.task']}: {SL['error.text_required']}").wait_for()
    assert count(seeded_path, "SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND "
                 "title = ?", [person.id, "Poklicati izvajalca"]) == 1
    open_tab(tab, "plan")
    new_goal = tab.get_by_test_id("stForm").filter(has_text=SL["plan.new_goal"])
    new_goal.get_by_label(SL["plan.goal"], exact=True).fill("Urediti dokumente")
    new_goal.get_by_role("button", name=SL["plan.add_goal"]).click()
    tab.get_by_text(SL["plan.goal_added"]).wait_for()
    expect(new_goal.get_by_label(SL["plan.goal"], exact=True)).to_have_value("")
    with rerun(tab):
        new_goal.get_by_role("button", name=SL["plan.add_goal"]).click()
    tab.get_by_text(f"{SL['field.goal']}: {SL['error.text_required']}").wait_for()
    assert count(seeded_path, "SELECT COUNT(*) FROM plan_goals WHERE participant_id = ? AND "
                 "goal = ?", [person.id, "Urediti dokumente"]) == 1
    # A refused save keeps what she typed.
    new_goal.get_by_label(SL["plan.goal"], exact=True).fill("Cilj z datumom")
    new_goal.get_by_label(SL["plan.deadline"], exact=True).fill("31. 2. 2027")
    with rerun(tab):
        new_goal.get_by_role("button", name=SL["plan.add_goal"]).click()
    assert SL["error.date_invalid"] in main_text(tab)
    expect(new_goal.get_by_label(SL["plan.goal"], exact=True)).to_have_value("Cilj z datumom")


def test_two_coordinators_on_one_record_conflict_reload_and_save_again(
        server, seeded_path, browser):
    person = a_person(seeded_path)
    data = f"{server}/record?person={person.id}&zavihek={SL['tab.data']}"
    ana, maja = new_tab(browser), new_tab(browser)
    for tab, user in ((ana, "ana.kos"), (maja, "maja.zupan")):
        tab.goto(data)
        sign_in(tab, user)
        tab.get_by_label(SL["field.phone"], exact=True).wait_for()
    maja.get_by_label(SL["field.phone"], exact=True).fill("031 222 333")
    maja.get_by_role("button", name=SL["record.save"]).click()
    maja.get_by_text(SL["record.saved"]).wait_for()

    ana.get_by_label(SL["field.address"], exact=True).fill("Koroška cesta 5")
    ana.get_by_role("button", name=SL["record.save"]).click()
    settle(ana)
    assert "Maja Zupan" in main_text(ana) and "031 222 333" in main_text(ana)
    shot(ana, "record-conflict")
    ana.get_by_role("button", name=SL["record.reload"]).click()
    settle(ana)
    expect(ana.get_by_label(SL["field.phone"], exact=True)).to_have_value("031 222 333")
    ana.get_by_label(SL["field.address"], exact=True).fill("Koroška cesta 5")
    ana.get_by_role("button", name=SL["record.save"]).click()
    ana.get_by_text(SL["record.saved"]).wait_for()
    db = open_db(seeded_path)
    saved = participants.get_person(db, coordinator(db), person.id)
    assert (saved.phone, saved.address) == ("031 222 333", "Koroška cesta 5")
    # A reload (F5) after all this shows what is stored, and saving again changes nothing.
    ana.reload()
    ana.get_by_label(SL["field.phone"], exact=True).wait_for()
    expect(ana.get_by_label(SL["field.phone"], exact=True)).to_have_value("031 222 333")
    expect(ana.get_by_label(SL["field.address"], exact=True)).to_have_value("Koroška cesta 5")
    ana.get_by_role("button", name=SL["record.save"]).click()
    ana.get_by_text(SL["record.unchanged"]).wait_for()
    assert participants.get_person(db, coordinator(db), person.id).version == saved.version


def test_a_record_opened_from_the_board_and_from_a_home_link_saves(server, seeded_path,
                                                                  browser):
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    # From the home page's overdue list.
    overdue = tab.get_by_test_id("stMain").get_by_role("link", name=re.compile(r"\w"))
    name = overdue.first.inner_text()
    overdue.first.click()
    tab.get_by_role("heading", name=name).wait_for()
    assert "person=" in tab.url
    open_tab(tab, "contacts")
    add_contact(tab, "Obisk po zamudi")
    tab.get_by_text(SL["contacts.added"]).wait_for()
    # From the board.
    tab.get_by_role("link", name=SL["nav.board"]).click()
    tab.get_by_role("heading", name=SL["board.title"]).wait_for()
    person = a_person(seeded_path, stage="motivation")
    tab.get_by_role("link", name=person.name, exact=True).click()
    tab.get_by_role("heading", name=person.name).wait_for()
    assert f"person={person.id}" in tab.url
    open_tab(tab, "contacts")
    add_contact(tab, "S table")
    tab.get_by_text(SL["contacts.added"]).wait_for()
    assert count(seeded_path, "SELECT COUNT(*) FROM contacts WHERE participant_id = ? AND "
                 "note = 'S table'", [person.id]) == 1
