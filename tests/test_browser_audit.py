"""Revizijska sled in Chromium: the administrator reaches it from the menu and by a link
with its filters in the address, sees a coordinator's opening of a record made in another
browser, keeps the filters over F5, and downloads the CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import (
    ENGLISH,
    choose,
    download,
    main_text,
    new_tab,
    settle,
    shot,
    visit,
)
from tests.casework_helpers import coordinator, person_of
from tests.conftest import TODAY
from workbench import accounts, auth, casework
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def her_person(db_path, username: str = "ana.kos") -> tuple[int, int, str]:
    db = open_db(db_path)
    try:
        ana = coordinator(db, username)
        pid = person_of(db, "stage = 'motivation'", username)
        name = db.execute("SELECT first_name || ' ' || last_name FROM participants "
                          "WHERE id = ?", [pid]).fetchone()[0]
        return ana.id, pid, name
    finally:
        db.close()


def shown(tab) -> str:
    """The page's text with the log's table (a component of its own, in a shadow root)."""
    table = tab.locator("table.wb-list")
    return main_text(tab) + "\n" + (table.inner_text() if table.count() else "")


def more_activity(db_path, pid: int) -> None:
    """A contact with a note about her, an account renamed, a failed sign-in."""
    db = open_db(db_path)
    try:
        ana, boss = coordinator(db, "ana.kos"), auth.get_user_by_name(db, "admin")
        casework.add_contact(db, ana, pid, on=TODAY, kind="phone",
                             note="Zasebno: dolg 300 EUR", today=TODAY)
        trainer = auth.get_user_by_name(db, "trener")
        accounts.update_user(db, boss, trainer.id, role="trainer",
                             unit_code=trainer.unit_code, display_name="Trener Novak")
        auth.sign_in(db, "neznana", "napacno-geslo")
    finally:
        db.close()


def shown_filters(tab) -> tuple[str, str]:
    """What the user and action boxes show (not only what the page filters by)."""
    return tuple(tab.get_by_label(SL[k], exact=True).input_value()
                 for k in ("auditlog.user", "auditlog.action"))


def test_the_administrator_follows_a_coordinators_openings_and_keeps_the_filters(
        server, seeded_path, browser):
    ana_id, pid, name = her_person(seeded_path)
    # Ana opens her person's record in a browser of her own.
    ana = new_tab(browser)
    visit(ana, f"{server}/record?person={pid}", "ana.kos")
    ana.get_by_text(name).first.wait_for()

    more_activity(seeded_path, pid)
    tab = new_tab(browser)
    visit(tab, server, "admin")
    tab.get_by_role("link", name=SL["nav.audit"]).click()
    tab.get_by_role("heading", name=SL["auditlog.title"]).wait_for()
    settle(tab)
    text = shown(tab)
    assert "Veriga zapisov je nepoškodovana" in text
    assert SL["auditlog.withheld"] in text and "Zasebno" not in text
    assert "Trener Novak" in text  # an account's change is shown with its values
    shot(tab, "audit-trail-all")
    choose(tab, SL["auditlog.user"], "Ana Kos (ana.kos)")
    settle(tab)
    choose(tab, SL["auditlog.action"], SL["auditlog.action_open"])
    settle(tab)
    text = shown(tab)
    assert f"#{pid}" in text and SL["auditlog.action_open"] in text
    assert name not in text and "Maja Zupan" not in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert re.search(rf"uporabnik={ana_id}\b", tab.url) and "dejanje=open" in tab.url
    shot(tab, "audit-trail-filtered")

    tab.reload()  # F5 keeps the filters
    tab.get_by_role("heading", name=SL["auditlog.title"]).wait_for()
    settle(tab)
    text = shown(tab)
    assert f"#{pid}" in text and "Maja Zupan" not in text
    assert shown_filters(tab) == ("Ana Kos (ana.kos)", SL["auditlog.action_open"])
    assert re.search(rf"uporabnik={ana_id}\b", tab.url) and "dejanje=open" in tab.url

    got = download(tab, tab.get_by_role("button", name=SL["auditlog.download"]))
    assert got.suggested_filename == "revizijska-sled-2026-11-22.csv"
    header, *rows = got.path().read_text(encoding="utf-8-sig").splitlines()
    assert header.split(";")[:4] == [SL["auditlog.csv_id"], SL["auditlog.csv_at"],
                                     SL["auditlog.csv_username"], SL["auditlog.csv_action"]]
    assert rows and all(";ana.kos;" in r and f";{SL['auditlog.action_open']};" in r
                        for r in rows)
    assert any(f";{pid};" in r for r in rows)
    body = "\n".join(rows)
    assert name not in body and name.split()[-1] not in body


def test_a_link_with_filters_opens_the_trail_filtered_after_signing_in(
        server, seeded_path, browser):
    ana_id, pid, name = her_person(seeded_path)
    ana = new_tab(browser)
    visit(ana, f"{server}/record?person={pid}", "ana.kos")
    ana.get_by_text(name).first.wait_for()
    tab = new_tab(browser)
    visit(tab, f"{server}/audit?uporabnik={ana_id}&dejanje=open&oseba={pid}", "varuh")
    tab.get_by_role("heading", name=SL["auditlog.title"]).wait_for()
    settle(tab)
    text = shown(tab)
    assert f"#{pid}" in text and SL["auditlog.action_open"] in text
    expect(tab.get_by_label(SL["auditlog.person"], exact=True)).to_have_value(str(pid))
    assert shown_filters(tab) == ("Ana Kos (ana.kos)", SL["auditlog.action_open"])
    assert f"oseba={pid}" in tab.url
    shot(tab, "audit-trail-deep-link-dpo")


def test_a_data_protection_officer_deactivated_meanwhile_downloads_nothing(
        server, seeded_path, browser):
    """Issue 20: the CSV is made at the click for whoever is signed in then. The DPO's
    page is open; the administrator deactivates her account in another browser; her
    press on the drawn button is refused in Slovenian and nothing is made or logged."""
    dpo = new_tab(browser)
    visit(dpo, server, "varuh")
    dpo.get_by_role("link", name=SL["nav.audit"]).click()
    button = dpo.get_by_role("button", name=SL["auditlog.download"])
    button.wait_for()
    admin = new_tab(browser, height=1400)
    visit(admin, server, "admin")
    admin.get_by_role("link", name=SL["nav.users"]).click()
    settle(admin)
    admin.get_by_role("tab", name=SL["users.change"]).click()
    choose(admin, SL["users.select"], "Vesna Turk (varuh)")
    admin.get_by_text(SL["users.confirm_deactivate"].format(name="Vesna Turk")).click()
    settle(admin)
    admin.get_by_role("button", name=SL["users.deactivate"].format(name="Vesna Turk")).click()
    admin.get_by_text(SL["users.deactivated"].format(name="Vesna Turk")).wait_for()
    db = open_db(seeded_path)
    exports = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'export'"
                         ).fetchone()[0]
    downloads: list = []
    dpo.on("download", lambda d: downloads.append(d))
    button.click()
    expect(dpo.get_by_text(SL["download.session_ended"])).to_be_visible(timeout=15_000)
    settle(dpo)
    assert downloads == []
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'export'"
                      ).fetchone()[0] == exports
