"""Data protection in Chromium: a coordinator records and withdraws a sharing consent and
is stopped from referring there; the administrator answers an access request in one
click, and anonymises the cases whose retention ran out."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.browser_helpers import (
    choose,
    download,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    visit,
)
from tests.casework_helpers import person_of
from workbench import emso
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def person(db_path, sql: str) -> tuple[int, str, str]:
    db = open_db(db_path)
    try:
        return db.execute("SELECT id, first_name || ' ' || last_name, emso FROM participants "
                          "WHERE id = ?", [person_of(db, sql)]).fetchone()
    finally:
        db.close()


def _access_request_page(tab, server, code: str, name: str) -> None:
    visit(tab, server, "admin")
    tab.get_by_role("link", name=SL["nav.protection"]).click()
    tab.get_by_role("heading", name=SL["protection.title"]).wait_for()
    tab.get_by_label(SL["protection.person"], exact=True).fill(code)
    tab.get_by_role("button", name=SL["protection.find"]).click()
    tab.get_by_text(name).wait_for()


def test_a_withdrawn_sharing_consent_stops_a_referral_there(server, seeded_path, browser):
    pid, name, _ = person(seeded_path, "stage = 'motivation'")
    tab = new_tab(browser)
    visit(tab, f"{server}/record?person={pid}&zavihek={SL['tab.consents']}", "ana.kos")
    tab.get_by_role("heading", name=name).wait_for()
    form = tab.get_by_test_id("stForm")
    choose(tab, SL["consent.purpose"], SL["consent.purpose.sharing"], scope=form)
    choose(tab, SL["consent.how"], SL["consent.how.written"], scope=form)
    tab.get_by_label(SL["consent.institution"], exact=True).fill("Društvo <b>Ključ</b>")
    tab.get_by_role("button", name=SL["consent.add"]).click()
    tab.get_by_text(SL["consent.added"]).wait_for()
    # A second press: the form is empty again, nothing saved twice. It reaches the server and
    # is refused, which is told apart from a press that never arrived.
    with rerun(tab):
        tab.get_by_role("button", name=SL["consent.add"]).click()
    tab.get_by_text(f"{SL['field.purpose']}: {SL['error.consent_purpose_invalid']}").wait_for()
    assert "Društvo <b>Ključ</b>" in main_text(tab)  # shown as typed, nothing rendered
    row = tab.get_by_text("Društvo <b>Ključ</b>").first
    row.wait_for()
    shot(tab, "record-consents")
    withdraw_how = tab.get_by_label(SL["consent.withdraw_how"], exact=True).first
    withdraw_how.click()
    tab.get_by_role("option", name=SL["consent.how.oral"], exact=True).first.click()
    settle(tab)
    tab.get_by_role("button", name=SL["consent.withdraw"]).first.click()
    tab.get_by_text(SL["consent.withdrawn_saved"]).wait_for()
    tab.reload()  # F5 keeps her signed in, on the same tab
    tab.get_by_role("tab", name=SL["tab.consents"]).wait_for()
    tab.get_by_role("tab", name=SL["tab.referrals"]).click()
    settle(tab)
    tab.get_by_label(SL["referrals.institution"], exact=True).fill("društvo <b>ključ</b>")
    tab.get_by_role("button", name=SL["referrals.add"]).click()
    tab.get_by_text(SL["error.referral_consent_withdrawn"].split("{")[0][:40]).wait_for()
    shot(tab, "referral-refused-consent")
    # Punctuation and spacing do not get round it either.
    tab.get_by_label(SL["referrals.institution"], exact=True).fill("Društvo, b  Ključ b.")
    with rerun(tab):  # this press's own run has ended, and it says no again
        tab.get_by_role("button", name=SL["referrals.add"]).click()
    assert SL["error.referral_consent_withdrawn"].split("{")[0][:40] in main_text(tab)
    assert SL["referrals.added"] not in main_text(tab)
    db = open_db(seeded_path)
    assert db.execute("SELECT COUNT(*) FROM referrals_out WHERE participant_id = ? AND "
                      "institution LIKE '%Ključ%'", [pid]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM consents WHERE participant_id = ? AND "
                      "institution_key = 'društvo b ključ b'", [pid]).fetchone()[0] == 1


def test_the_administrator_answers_an_access_request_and_anonymises_due_cases(
        server, seeded_path, browser):
    pid, name, code = person(seeded_path, "entry_date IS NOT NULL")
    assert emso.is_valid(code)
    tab = new_tab(browser)
    _access_request_page(tab, server, code, name)
    shot(tab, "protection-access-request")
    got = download(tab, tab.get_by_role("button", name=SL["protection.download"]))
    archive = zipfile.ZipFile(io.BytesIO(open(got.path(), "rb").read()))
    document = archive.read(f"zahteva-za-dostop-{pid}.html").decode()
    assert name in document and SL["export.attendance"] in document
    # Readable: codes by their names, Slovenian days, no book-keeping columns.
    assert SL["stage.referred"] in document and "name_key" not in document
    assert "<th>created_by</th>" not in document and "T" not in document.split("<h1>")[0][-1:]
    viewer = tab.context.new_page()
    viewer.set_content(document)
    shot(viewer, "access-request-document")
    viewer.close()
    assert json.loads(archive.read(f"zahteva-za-dostop-{pid}.json"))["person"][0]["id"] == pid
    db = open_db(seeded_path)
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND "
                      "participant_id = ?", [pid]).fetchone()[0] >= 1  # (a press repeated)
    # Retention: the preview, then one confirmed action.
    tab.get_by_role("tab", name=SL["protection.tab.retention"]).click()
    settle(tab)
    due = db.execute("SELECT COUNT(*) FROM participants WHERE stage = 'closed' AND "
                     "exit_date IS NULL AND stage_since <= date('2026-11-22', '-1 year')"
                     ).fetchone()[0]
    assert due > 0
    shot(tab, "protection-retention")
    tab.get_by_text(SL["protection.anonymise_confirm"]).click()
    tab.get_by_role("button", name=SL["protection.anonymise"]).click()
    tab.get_by_text(SL["protection.due_none"]).wait_for()
    assert db.execute("SELECT COUNT(*) FROM participants WHERE anonymised_on IS NOT NULL"
                      ).fetchone()[0] == due
    tab.reload()
    tab.get_by_text(SL["protection.due_none"]).wait_for()


def test_a_download_is_made_only_for_whoever_is_still_signed_in_at_the_click(
        server, seeded_path, browser):
    """Issue 20: the file is made at the click for the live session, not for the user the
    page was drawn for. Signed out in another tab, the drawn button refuses in Slovenian
    and no file comes; a file made on a click goes to that session alone, for seconds
    (before: any request naming its /media address got the person's whole file)."""
    from playwright.sync_api import expect

    pid, name, code = person(seeded_path, "entry_date IS NOT NULL")
    tab = new_tab(browser)
    _access_request_page(tab, server, code, name)
    button = tab.get_by_role("button", name=SL["protection.download"])
    fetched: list[str] = []
    tab.on("response", lambda r: fetched.append(r.url) if "/media/" in r.url else None)
    download(tab, button)
    assert len(fetched) == 1
    mine = tab.context.request.get(fetched[0])
    assert mine.status == 200 and mine.body()[:2] == b"PK"
    stranger = browser.new_context()
    try:
        assert stranger.request.get(fetched[0]).status == 403  # no cookie: refused
        other = new_tab(browser)
        visit(other, server, "varuh")  # another account's live session: refused too
        assert other.context.request.get(fetched[0]).status == 403
        other.context.close()
    finally:
        stranger.close()
    # She signs out in another tab of the same browser; this tab still shows the button.
    second = tab.context.new_page()
    second.goto(server)
    second.get_by_role("button", name=SL["app.sign_out"]).click()
    second.get_by_role("heading", name=SL["login.title"]).wait_for()
    assert tab.context.request.get(fetched[0]).status == 403  # her session has ended
    exports = open_db(seeded_path).execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND participant_id = ?",
        [pid]).fetchone()[0]
    downloads: list = []
    tab.on("download", lambda d: downloads.append(d))
    button.click()
    expect(tab.get_by_text(SL["download.session_ended"])).to_be_visible(timeout=15_000)
    shot(tab, "download-refused-after-sign-out")
    settle(tab)
    assert downloads == []
    assert open_db(seeded_path).execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND participant_id = ?",
        [pid]).fetchone()[0] == exports  # nothing was made
