"""Stage moves and their corrections on the record, in a real browser (issue 19, items 2
and 3): "in programme" before she can start and a follow-up before its window are refused
naming the first allowed day; a wrong move is corrected (its date, or undone) with a reason,
once per press, from a deep link, after F5, from the search, and against a colleague's
newer save."""

from __future__ import annotations

import datetime as dt

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
from tests.casework_helpers import a_person, a_programme, coordinator, sign
from tests.conftest import TODAY
from workbench import dates, participants, pipeline
from workbench.db import open_db
from workbench.i18n import SL, translate_for

pytestmark = pytest.mark.browser

MARKUP = "**krepko** <b>oznaka</b>"


def day(n: int) -> str:
    return dates.written(TODAY - dt.timedelta(days=n))


def signed_person(db_path, first: str) -> int:
    """Signed on day -40 for a programme that began on day -20; her planned start day -15."""
    db = open_db(db_path)
    try:
        ana = coordinator(db)
        programme = a_programme(db, ana, start=TODAY - dt.timedelta(days=20),
                                end=TODAY + dt.timedelta(days=200), name=f"Program {first}")
        pid = a_person(db, ana, first, since=TODAY - dt.timedelta(days=60), last="Popravek")
        sign(db, ana, pid, programme, on=TODAY - dt.timedelta(days=40),
             planned_start=TODAY - dt.timedelta(days=15))
        return pid
    finally:
        db.close()


def stored(db_path, pid: int) -> participants.Person:
    db = open_db(db_path)
    try:
        return participants.get_person(db, coordinator(db), pid)
    finally:
        db.close()


def scalar(db_path, sql: str, params=()):
    db = open_db(db_path)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def move_form(tab, stage: str, on: str) -> None:
    choose(tab, SL["record.move_to"], SL[f"stage.{stage}"])
    fill(tab, SL["record.move_date"], on)


def correction(tab, move_label: str, how: str, on: str | None, reason: str,
               press: bool = True) -> None:
    """Fill the correction form and press its button."""
    choose(tab, SL["field.correction_move"], move_label)
    tab.get_by_text(SL[f"record.correct_how.{how}"], exact=True).click()
    settle(tab)
    if on is not None:
        fill(tab, SL["field.correction_date"], on)
    fill(tab, SL["field.correction_reason"], reason)
    if press:
        tab.get_by_role("button", name=SL["record.correct_save"]).click()
        settle(tab)


def test_a_start_refused_early_then_corrected_and_undone_from_a_deep_link(
        server, seeded_path, browser):
    pid = signed_person(seeded_path, "Vera")
    tab = new_tab(browser)
    tab.goto(f"{server}/record?person={pid}")
    sign_in(tab, "ana.kos")
    tab.get_by_role("heading", name="Vera Popravek").wait_for()
    # "In programme" the day before her planned start: refused, naming the first day.
    move_form(tab, "in_programme", day(16))
    tab.get_by_role("button", name=SL["record.move_save"]).click()
    settle(tab)
    tab.get_by_text(f"{SL['field.move_date']}: " + SL["error.start_too_early"].format(
        date=day(15))).wait_for()
    assert stored(seeded_path, pid).stage == "contract"
    # Moved today instead (typed late): the entry date is today's, the contract's start stays.
    move_form(tab, "in_programme", day(0))
    tab.get_by_role("button", name=SL["record.move_save"]).click()
    tab.get_by_text(SL["record.moved"].format(stage=SL["stage.in_programme"])).wait_for()
    assert stored(seeded_path, pid).entry_date == TODAY.isoformat()
    latest = f"{day(0)} · {SL['stage.in_programme']}"
    # Its date corrected: first too early (refused by the move's own rule), then without a
    # reason, then right, with a reason full of markup that is kept as typed.
    correction(tab, latest, "date", day(16), "Začela je prej")
    tab.get_by_text(f"{SL['field.correction_date']}: " + SL["error.start_too_early"].format(
        date=day(15))).wait_for()
    fill(tab, SL["field.correction_reason"], "")
    fill(tab, SL["field.correction_date"], day(15))
    tab.get_by_role("button", name=SL["record.correct_save"]).click()
    settle(tab)
    tab.get_by_text(f"{SL['field.correction_reason']}: {SL['error.reason_required']}").wait_for()
    fill(tab, SL["field.correction_reason"], MARKUP)
    tab.get_by_role("button", name=SL["record.correct_save"]).click()
    tab.get_by_text(SL["record.corrected"]).wait_for()
    person = stored(seeded_path, pid)
    assert (person.stage, person.entry_date) == ("in_programme",
                                                 (TODAY - dt.timedelta(days=15)).isoformat())
    assert scalar(seeded_path, "SELECT start_date FROM enrolments WHERE participant_id = ?",
                  [pid]) == (TODAY - dt.timedelta(days=15)).isoformat()
    assert not ENGLISH.search(main_text(tab))
    shot(tab, "stages-corrected")
    # A second press of the emptied form corrects nothing more.
    with rerun(tab):
        tab.get_by_role("button", name=SL["record.correct_save"]).click()
    tab.get_by_text(f"{SL['field.correction_move']}: "
                    f"{SL['error.correction_move_required']}").wait_for()
    assert scalar(seeded_path, "SELECT COUNT(*) FROM audit_log WHERE participant_id = ? AND "
                  "table_name = 'stage_history' AND reason = ?", [pid, MARKUP]) == 1
    # The change log shows the reason as typed, not as markup.
    tab.get_by_role("tab", name=SL["tab.audit"]).click()
    settle(tab)
    tab.get_by_text(MARKUP).first.wait_for()
    assert tab.locator("b", has_text="oznaka").count() == 0
    # F5: the same record; the wrong move undone from there.
    tab.reload()
    tab.get_by_role("heading", name="Vera Popravek").wait_for()
    tab.get_by_role("tab", name=SL["tab.summary"]).click()
    settle(tab)
    correction(tab, f"{day(15)} · {SL['stage.in_programme']}", "undo", None,
               "Še ni začela")
    tab.get_by_text(SL["record.corrected"]).wait_for()
    person = stored(seeded_path, pid)
    assert (person.stage, person.entry_date, person.stage_since) == (
        "contract", None, TODAY - dt.timedelta(days=40))
    # The move form offers the start again.
    choose(tab, SL["record.move_to"], SL["stage.in_programme"])


def test_a_follow_up_before_its_window_and_a_stale_correction(server, seeded_path, browser):
    """From the menu and the search: the 4-week follow-up on the day after the exit is
    refused naming the day its window opens; a colleague's newer correction makes the
    other's stale one a conflict."""
    pid = signed_person(seeded_path, "Nika")
    db = open_db(seeded_path)
    ana = coordinator(db)
    for stage, n, extra in (("in_programme", 15, {}),
                            ("exited", 3, {"outcome": "dropped_out", "reason": "health"})):
        version = participants.get_person(db, ana, pid).version
        pipeline.move_stage(db, ana, pid, version, pipeline.Move(
            stage, TODAY - dt.timedelta(days=n), **extra), today=TODAY)
    db.close()
    tabs = []
    for user in ("ana.kos", "maja.zupan"):
        tab = new_tab(browser)
        tab.goto(server)
        sign_in(tab, user)
        tab.get_by_role("link", name=SL["nav.record"]).click()
        fill(tab, SL["record.search"], "popravek")
        tab.get_by_role("link", name="Nika Popravek", exact=True).first.click()
        tab.get_by_role("heading", name="Nika Popravek").wait_for()
        tabs.append(tab)
    ana_tab, maja_tab = tabs
    move_form(ana_tab, "follow_up_4w", day(0))
    choose(ana_tab, SL["record.situation"],  # in Nika's own form: "zaposlena"
           translate_for("situation.employed", stored(seeded_path, pid).sex))
    ana_tab.get_by_role("button", name=SL["record.move_save"]).click()
    settle(ana_tab)
    opens = dates.written(TODAY - dt.timedelta(days=3) + dt.timedelta(days=21))
    ana_tab.get_by_text(f"{SL['field.move_date']}: "
                        + SL["error.follow_up_early"].format(date=opens)).wait_for()
    assert stored(seeded_path, pid).stage == "exited"
    shot(ana_tab, "stages-follow-up-early")
    # Ana fills in the undo of the exit; Maja corrects its date and saves first.
    exit_label = f"{day(3)} · {SL['stage.exited']}"
    correction(ana_tab, exit_label, "undo", None, "Pomota", press=False)
    correction(maja_tab, exit_label, "date", day(4), "Izstop dan prej")
    maja_tab.get_by_text(SL["record.corrected"]).wait_for()
    ana_tab.get_by_role("button", name=SL["record.correct_save"]).click()
    settle(ana_tab)
    expect(ana_tab.get_by_text(SL["record.changed_meanwhile"])).to_be_visible()
    assert "Maja Zupan" in main_text(ana_tab)
    shot(ana_tab, "stages-conflict")
    person = stored(seeded_path, pid)
    assert (person.stage, person.exit_date) == ("exited",
                                                (TODAY - dt.timedelta(days=4)).isoformat())
