"""Ways in while signed out (deep links, refresh, a new tab, the first visit after a server
start), sign-out, and addresses or settings that are wrong."""

from __future__ import annotations

import shutil
import time

import pytest

from tests.browser_helpers import (
    ENGLISH,
    app_server,
    main_text,
    new_tab,
    require_browser,
    settle,
    shot,
    sign_in,
)
from tests.casework_helpers import person_of
from workbench import accounts, auth, i18n, sessions
from workbench.db import open_db, write
from workbench.i18n import SL

pytestmark = pytest.mark.browser
RAW_PAGE_NAMES = ("app", "board", "home", "intake", "record", "users", "workload")


def name_of(db_path, pid: int) -> str:
    db = open_db(db_path)
    try:
        return db.execute("SELECT first_name || ' ' || last_name FROM participants WHERE id = ?",
                          [pid]).fetchone()[0]
    finally:
        db.close()


def assert_sign_in_form_only(tab) -> None:
    tab.get_by_role("button", name=SL["login.submit"]).wait_for()
    sidebar = tab.get_by_test_id("stSidebar")
    links = [link.strip() for link in sidebar.get_by_role("link").all_inner_texts()] \
        if sidebar.count() else []
    assert not set(RAW_PAGE_NAMES) & set(links), links
    assert tab.get_by_test_id("stSidebarNav").count() == 0


def test_first_visit_after_a_server_start_by_a_deep_link_signs_in_to_that_record(
        seeded_path, browser):
    require_browser()
    pid = person_of(seeded_path, "stage = 'motivation'")
    running = app_server(seeded_path).start()
    try:
        tab = new_tab(browser)
        tab.goto(f"{running.url}/record?person={pid}")
        assert_sign_in_form_only(tab)
        shot(tab, "deep-link-signed-out")
        sign_in(tab, "ana.kos")
        tab.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
        assert f"person={pid}" in tab.url
    finally:
        running.stop()


def test_first_visitor_of_the_home_page_sees_only_the_sign_in_form(seeded_path, browser):
    require_browser()
    running = app_server(seeded_path).start()
    try:
        tab = new_tab(browser)
        tab.goto(running.url)
        assert_sign_in_form_only(tab)
        assert not ENGLISH.search(main_text(tab))
    finally:
        running.stop()


def test_she_stays_signed_in_across_a_refresh_a_new_tab_and_a_deep_link_until_she_signs_out(
        server, seeded_path, browser):
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    tab.get_by_role("link", name=SL["nav.board"]).click()
    tab.get_by_role("heading", name=SL["board.title"]).wait_for()
    # The cookie carries only a random token, out of reach of any script on the page.
    settle(tab)
    cookie, = [c for c in tab.context.cookies() if c["name"] == sessions.COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert sessions.COOKIE not in tab.evaluate("document.cookie")
    tab.reload()  # F5
    tab.get_by_role("heading", name=SL["board.title"]).wait_for()
    assert tab.get_by_role("button", name=SL["login.submit"]).count() == 0
    # A card opened in a new tab (its real address), and a bookmarked record.
    pid = person_of(seeded_path, "stage = 'motivation'")
    link = tab.get_by_role("link", name=name_of(seeded_path, pid), exact=True)
    with tab.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    card = opened.value
    card.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
    bookmark = tab.context.new_page()
    bookmark.goto(f"{server}/record?person={pid}")
    bookmark.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
    shot(bookmark, "session-deep-link-signed-in")
    # Signing out in one tab signs her out in the others at their next step.
    tab.get_by_role("button", name=SL["app.sign_out"]).click()
    tab.get_by_role("button", name=SL["login.submit"]).wait_for()
    bookmark.get_by_role("link", name=SL["nav.board"]).click()
    assert_sign_in_form_only(bookmark)
    bookmark.get_by_text(SL["login.ended.signed_out"]).wait_for()
    card.reload()
    assert_sign_in_form_only(card)
    settle(card)
    assert not [c for c in card.context.cookies() if c["name"] == sessions.COOKIE]


def test_an_idle_session_ends_and_says_why(server, seeded_path, browser):
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    settle(tab)
    # The sign-in is over when its cookie is set; a run still under way on a loaded machine
    # could note her (last_seen) after the clock is put back, so it is put back until it
    # stays back.
    tab.wait_for_function("() => document.readyState === 'complete'")
    for _ in range(50):
        if any(c["name"] == sessions.COOKIE for c in tab.context.cookies()):
            break
        tab.wait_for_timeout(100)
    db = open_db(seeded_path)
    live = "SELECT id, last_seen FROM user_sessions WHERE ended_at IS NULL ORDER BY id"
    for _ in range(3):
        with write(db):  # 31 minutes without a click
            db.execute("UPDATE user_sessions SET last_seen = datetime(last_seen, "
                       "'-31 minutes') WHERE ended_at IS NULL")
        aged = db.execute(live).fetchall()
        settle(tab)
        if db.execute(live).fetchall() == aged:
            break
    tab.get_by_role("link", name=SL["nav.board"]).click()
    assert_sign_in_form_only(tab)
    tab.get_by_text(SL["login.ended.idle"].format(minutes="30 minut")).wait_for()
    shot(tab, "session-idle-ended")
    sign_in(tab, "ana.kos")
    tab.get_by_role("heading", name=SL["board.title"]).wait_for()


def test_a_reset_password_is_changed_before_any_page_opens(server, seeded_path, browser):
    db = open_db(seeded_path)
    admin = auth.get_user_by_name(db, "admin")
    ana = auth.get_user_by_name(db, "ana.kos")
    accounts.reset_password(db, admin, ana.id, "začasno-geslo-7")
    pid = person_of(seeded_path, "stage = 'motivation'")
    tab = new_tab(browser)
    tab.goto(f"{server}/record?person={pid}")
    sign_in(tab, "ana.kos", "začasno-geslo-7")
    tab.get_by_role("heading", name=SL["password.title"]).wait_for()
    assert name_of(seeded_path, pid) not in main_text(tab)
    tab.get_by_label(SL["password.current"]).fill("začasno-geslo-7")
    tab.get_by_label(SL["password.new"], exact=True).fill("ana.kos-geslo")
    tab.get_by_label(SL["password.repeat"]).fill("ana.kos-geslo")
    tab.get_by_role("button", name=SL["password.submit"]).click()
    tab.get_by_text(SL["error.password_username"]).wait_for()
    tab.get_by_label(SL["password.new"], exact=True).fill("moje-lastno-geslo")
    tab.get_by_label(SL["password.repeat"]).fill("moje-lastno-geslo")
    tab.get_by_role("button", name=SL["password.submit"]).click()
    tab.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
    assert auth.authenticate(db, "ana.kos", "moje-lastno-geslo") is not None


def test_wrong_passwords_lock_the_username_and_the_admin_lifts_it(server, seeded_path,
                                                                   browser, monkeypatch):
    tab = new_tab(browser)
    tab.goto(server)
    locked, wait = tab.get_by_text(SL["login.locked"][:40]), tab.get_by_text(
        SL["login.wait"].split("{")[0])
    for _ in range(12):  # five checked failures; a try too soon is told to wait
        tab.get_by_label(SL["login.username"]).fill("maja.zupan")
        tab.get_by_label(SL["login.password"], exact=True).fill("ni-pravo-geslo")
        tab.get_by_role("button", name=SL["login.submit"]).click()
        settle(tab)
        if locked.count():
            break
        if wait.count():
            shot(tab, "sign-in-wait")
            time.sleep(2)
    locked.wait_for()
    admin = new_tab(browser)
    admin.goto(f"{server}/users?zavihek={SL['signin_locks.tab']}")
    sign_in(admin, "admin")
    admin.get_by_text("maja.zupan").first.wait_for()
    shot(admin, "users-sign-in-locks")
    admin.get_by_role("button", name=SL["signin_locks.unlock"]).click()
    admin.get_by_text(SL["signin_locks.unlocked"].format(username="maja.zupan")).wait_for()
    sign_in(tab, "maja.zupan")


def test_after_sign_out_the_next_user_inherits_nothing(server, seeded_path, browser):
    pid = person_of(seeded_path, "stage = 'motivation'")
    db = open_db(seeded_path)
    # The demo's own history may hold earlier openings of this record: count only ours.
    last_before = db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
    db.close()
    tab = new_tab(browser)
    tab.goto(f"{server}/record?person={pid}")
    sign_in(tab, "ana.kos")
    tab.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
    tab.get_by_role("button", name=SL["app.sign_out"]).click()
    tab.get_by_role("button", name=SL["login.submit"]).wait_for()
    tab.goto(f"{server}/record?person={pid}")
    sign_in(tab, "maja.zupan")
    tab.get_by_role("heading", name=name_of(seeded_path, pid)).wait_for()
    settle(tab)
    db = open_db(seeded_path)
    opened_by = [r[0] for r in db.execute(
        "SELECT u.username FROM audit_log a JOIN users u ON u.id = a.user_id WHERE "
        "a.participant_id = ? AND a.action = 'open' AND a.id > ? ORDER BY a.id",
        [pid, last_before])]
    assert opened_by == ["ana.kos", "maja.zupan"]


@pytest.mark.parametrize("bad", ["%C2%B2", "1" * 23, "abc", "-3"])
def test_an_address_with_no_person_in_it_says_so(server, browser, bad):
    tab = new_tab(browser)
    tab.goto(f"{server}/record?person={bad}")
    sign_in(tab, "ana.kos")
    tab.get_by_text(SL["record.not_found"]).wait_for()
    assert SL["app.unexpected_error"] not in main_text(tab)
    tab.get_by_role("button", name=SL["record.back_to_search"]).click()
    tab.get_by_label(SL["record.search"]).wait_for()


@pytest.mark.parametrize("make, key", [
    (lambda p: None, "db.missing"),
    (lambda p: p.write_bytes(b"not a database " * 500), "db.not_sqlite"),
    (lambda p: p.mkdir(), "db.is_directory"),
])
def test_a_wrong_database_path_gets_a_clear_message_not_an_empty_app(tmp_path, browser,
                                                                       make, key):
    require_browser()
    path = tmp_path / "napacna.db"
    make(path)
    running = app_server(path).start()
    try:
        tab = new_tab(browser)
        tab.goto(running.url)
        expected = i18n.translate(key, "sl", path=str(path), folder=str(path.parent))
        tab.get_by_text(expected[:40]).wait_for()
        assert "Traceback" not in main_text(tab)
    finally:
        running.stop()
    assert key == "db.is_directory" or not path.exists() or path.stat().st_size > 0


def test_a_database_in_a_mistyped_folder_is_not_created(tmp_path, browser):
    require_browser()
    path = tmp_path / "ni-mape" / "sa.db"
    running = app_server(path).start()
    try:
        tab = new_tab(browser)
        tab.goto(running.url)
        tab.get_by_text(i18n.translate("db.no_folder", "sl", path=str(path),
                                       folder=str(path.parent))[:30]).wait_for()
    finally:
        running.stop()
    assert not path.parent.exists()
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.parametrize("proxy, signed_in", [("127.0.0.1", True), ("10.9.8.7", False)])
def test_single_sign_on_believes_the_header_only_from_the_trusted_proxy(seeded_path, browser,
                                                                        proxy, signed_in):
    require_browser()
    running = app_server(seeded_path, WORKBENCH_TRUSTED_USER_HEADER="X-Remote-User",
                         WORKBENCH_TRUSTED_PROXY=proxy).start()
    try:
        context = browser.new_context(extra_http_headers={"X-Remote-User": "ana.kos"})
        tab = context.new_page()
        tab.goto(f"{running.url}/board")
        if signed_in:
            tab.get_by_role("heading", name=SL["board.title"]).wait_for()
            # The proxy signs her out, not the workbench.
            assert tab.get_by_role("button", name=SL["app.sign_out"]).count() == 0
        else:
            assert_sign_in_form_only(tab)
        context.close()
        unknown = browser.new_context(extra_http_headers={"X-Remote-User": "ni.racuna"})
        tab = unknown.new_page()
        tab.goto(running.url)
        assert_sign_in_form_only(tab)
        if signed_in:
            tab.get_by_text(SL["login.sso_unknown"].format(username="ni.racuna")).wait_for()
        unknown.close()
    finally:
        running.stop()


def test_the_chosen_language_survives_a_refresh_a_new_tab_and_a_sign_out(server, browser):
    tab = new_tab(browser)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    tab.get_by_text("English", exact=True).click()
    tab.get_by_role("button", name=i18n.EN["app.sign_out"]).wait_for()
    settle(tab)
    tab.reload()
    tab.get_by_role("button", name=i18n.EN["app.sign_out"]).wait_for()
    other = tab.context.new_page()
    other.goto(f"{server}/board")
    other.get_by_role("heading", name=i18n.EN["board.title"]).wait_for()
    other.get_by_role("button", name=i18n.EN["app.sign_out"]).click()
    other.get_by_role("button", name=i18n.EN["login.submit"]).wait_for()
    other.reload()
    other.get_by_role("button", name=i18n.EN["login.submit"]).wait_for()
