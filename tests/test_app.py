"""AppTest runs of every page for every role: what each person is shown, and what not."""

from __future__ import annotations

import pytest

import seed
from tests.apptest_helpers import (
    app,
    button,
    column,
    component_text,
    errors,
    linked_people,
    metrics,
    open_page,
    session_for,
    sign_in,
    tables,
    texts,
    widget,
)
from tests.casework_helpers import person_of
from tests.conftest import TODAY
from workbench import accounts, auth, overview
from workbench.db import open_db
from workbench.i18n import EN, SL
from workbench.ui.session import SESSION_ID
from workbench.ui.widgets import md


def test_sign_in_page_shows_banner_and_demo_accounts_and_nothing_else(app_env):
    at = app().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [SL["app.training_banner"]]
    assert at.subheader[0].value == SL["login.title"]
    accounts = tables(at)[0]
    assert set(column(accounts, SL["col.username"])) == {u[0] for u in seed.DEMO_USERS}
    assert seed.DEMO_PASSWORD in texts(at)
    assert not at.metric  # no data before sign-in


def test_wrong_password_gets_a_clear_message_and_no_session(app_env):
    at = sign_in("ana.kos", "napačno-geslo")
    assert [e.value for e in at.error] == [SL["login.failed"]]
    unknown = sign_in("nihče", "napačno-geslo")
    # The same words for an unknown user: the message reveals nothing.
    assert [e.value for e in unknown.error] == [SL["login.failed"]]
    assert not at.metric and SESSION_ID not in at.session_state


def test_a_try_too_soon_after_failures_says_how_long_to_wait_and_signs_nobody_in(
        app_env, monkeypatch):
    """The fourth try within a second of three failures is refused unchecked: the right
    password too, with the seconds to wait (the slow-down belongs to the name)."""
    import datetime as dt

    monkeypatch.setattr(auth, "_clock", lambda: dt.datetime(2026, 12, 8, 9, 0))  # one second
    for _ in range(3):
        sign_in("ana.kos", "napačno-geslo")
    at = sign_in("ana.kos")
    assert not at.exception and SESSION_ID not in at.session_state
    assert not at.error
    said = [w.value for w in at.warning if w.value != SL["app.training_banner"]]
    assert said == [SL["login.wait"].format(seconds=2)]  # 1 s at least, in whole seconds


def test_empty_sign_in_is_refused(app_env):
    at = sign_in("", "")
    assert [e.value for e in at.error] == [SL["login.empty"]]


@pytest.mark.parametrize("username", ["ana.kos", "maja.zupan", "petra.kralj"])
def test_coordinator_sees_her_own_caseload(app_env, username):
    at = sign_in(username)
    assert not at.exception
    db = open_db(app_env, create=True)
    user = next(u for u in auth.list_users(db) if u.username == username)
    expected = overview.coordinator_overview(db, user, user.id, TODAY)
    shown = metrics(at)
    assert shown[SL["home.active_cases"]] == str(expected.active_cases)
    assert shown[SL["home.sessions_this_week"]] == str(len(expected.week_sessions))
    assert shown[SL["home.overdue_followups"]] == str(len(expected.overdue))
    assert SL["home.my_caseload"] in texts(at)
    # The training banner stays on every page.
    assert [w.value for w in at.warning] == [SL["app.training_banner"]]
    # Her overdue list names her people, and only hers.
    others = db.execute("SELECT first_name || ' ' || last_name FROM participants "
                        "WHERE coordinator_id != ?", [user.id]).fetchall()
    page = texts(at)
    for task in expected.overdue:
        assert task.participant in page
    assert not any(name in page for (name,) in others if name not in
                   {t.participant for t in expected.overdue})
    # Each name on the overdue list links to her record.
    assert linked_people(at, within=SL["col.days_overdue"]) == [
        task.participant_id for task in expected.overdue]


@pytest.mark.parametrize("username", ["vodja", "admin"])
def test_manager_and_admin_see_region_totals_without_names(app_env, username):
    at = sign_in(username)
    assert not at.exception
    db = open_db(app_env, create=True)
    expected = overview.region_overview(db, auth.authenticate(db, username, seed.DEMO_PASSWORD),
                                        TODAY, "gorenjska")
    shown = metrics(at)
    assert shown[SL["home.active_cases"]] == str(expected.active_cases)
    assert shown[SL["home.participants_total"]] == str(expected.participants_total)
    page = texts(at)
    names = [r[0] for r in db.execute("SELECT first_name || ' ' || last_name FROM participants")]
    assert len(names) > 300
    assert [name for name in names if name in page] == []


def test_trainer_on_demo_data_can_show_each_coordinators_view(app_env):
    at = sign_in("trener")
    db = open_db(app_env, create=True)
    coordinators = auth.list_users(db, "coordinator")
    assert len(at.selectbox(key="home_coordinator").options) == len(coordinators) == 3
    for user in coordinators:
        at.selectbox(key="home_coordinator").set_value(user).run()
        assert user.display_name in texts(at)
        expected = overview.coordinator_overview(db, user, user.id, TODAY)
        assert metrics(at)[SL["home.active_cases"]] == str(expected.active_cases)


def test_navigation_depends_on_the_role(app_env):
    coordinator = sign_in("ana.kos")
    assert SL["users.title"] not in texts(coordinator)
    admin = sign_in("admin")
    admin.switch_page("pages/users.py").run()
    assert admin.title[0].value == SL["users.title"]
    listed = component_text(admin)
    assert all(username in listed for username, *_ in seed.DEMO_USERS)


def test_users_page_refuses_a_coordinator_who_types_its_address(app_env):
    at = open_page(app_env, "ana.kos", "users")
    assert errors(at) == [SL["app.forbidden"]]
    assert "ana.kos" not in component_text(at)


def test_admin_creates_a_user_and_bad_input_writes_nothing(app_env):
    at = open_page(app_env, "admin", "users")
    widget(at, "text_input", "_username").input("nova.koordinatorka")
    widget(at, "text_input", "_display_name").input("Nova Koordinatorka")
    widget(at, "text_input", "_password").input("kratko")
    button(at, SL["users.create"]).click().run()
    assert errors(at) == [f"{SL['field.role']}: {SL['error.role_required']}"]
    widget(at, "selectbox", "_role").select("coordinator")
    button(at, SL["users.create"]).click().run()
    assert errors(at) == [f"{SL['field.password']}: "
                          + SL["error.password_short"].format(n=auth.MIN_PASSWORD_LENGTH)]
    db = open_db(app_env)
    assert db.execute("SELECT COUNT(*) FROM users WHERE username = 'nova.koordinatorka'"
                      ).fetchone()[0] == 0
    # A refused save keeps what was typed.
    assert widget(at, "text_input", "_username").value == "nova.koordinatorka"
    widget(at, "text_input", "_password").input("dovolj-dolgo")
    button(at, SL["users.create"]).click().run()
    # A coordinator works in a CSD unit.
    assert errors(at) == [f"{SL['field.unit']}: {SL['error.unit_required']}"]
    widget(at, "selectbox", r"new_g\d+_unit").set_value("kranj")
    button(at, SL["users.create"]).click().run()
    assert [s.value for s in at.success] == [SL["users.created"].format(
        username=md("nova.koordinatorka"))]
    assert auth.authenticate(db, "nova.koordinatorka", "dovolj-dolgo").role == "coordinator"
    # The list shows her at once, and the form is empty again (the password too).
    assert "nova.koordinatorka" in component_text(at)
    assert widget(at, "text_input", "_username").value == ""
    assert widget(at, "text_input", "_password").value == ""
    # Pressing the button again saves nothing: the form is empty and says so.
    button(at, SL["users.create"]).click().run()
    assert errors(at) and db.execute(
        "SELECT COUNT(*) FROM users WHERE username = 'nova.koordinatorka'").fetchone()[0] == 1


def test_deactivated_user_is_signed_out_on_the_next_run(app_env):
    db = open_db(app_env, create=True)
    admin = auth.authenticate(db, "admin", seed.DEMO_PASSWORD)
    # Her browser holds a session from before; AppTest's sidebar is lost on reruns under
    # st.navigation, so the session is set up directly here and the click-through
    # (sign-out button) is covered by tests/test_browser_session.py.
    at = app()
    at.session_state[SESSION_ID] = session_for(app_env, "maja.zupan")
    at.run()
    assert at.metric
    maja = auth.get_user_by_name(db, "maja.zupan")
    accounts.deactivate(db, admin, maja.id, handover_to=accounts.SPREAD)
    at.run()
    assert not at.metric and at.subheader[0].value == SL["login.title"]
    assert SESSION_ID not in at.session_state
    assert [i.value for i in at.info] == [SL["login.ended.inactive"]]


def test_english_switch(app_env):
    at = app().run()
    at.sidebar.segmented_control(key="ui_lang_switch").set_value("en").run()
    assert [w.value for w in at.warning] == [EN["app.training_banner"]]
    sign_in("ana.kos", at=at)
    assert EN["home.active_cases"] in metrics(at)
    assert any(s.value.startswith("Sessions this week") for s in at.subheader)


def test_real_database_has_no_banner_and_no_demo_accounts(tmp_path, monkeypatch):
    import streamlit as st

    from workbench import environment

    path = tmp_path / "real.db"
    db = open_db(path, create=True)
    environment.ensure_production(db)
    auth.create_user(db, "skrbnica", "Skrbnica", "admin", "pravo-geslo-1")
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = app().run()
    assert not at.warning and not tables(at)
    assert seed.DEMO_PASSWORD not in texts(at)
    sign_in("skrbnica", "pravo-geslo-1", at=at)
    assert metrics(at)[SL["home.participants_total"]] == "0"
    st.cache_data.clear()
    st.cache_resource.clear()



def test_a_save_while_others_hold_the_database_says_busy_and_keeps_the_text(app_env,
                                                                            monkeypatch):
    import sqlite3

    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT_MS", "5000")
    db = open_db(app_env)
    pid = person_of(db)
    at = open_page(app_env, "ana.kos", "record", pid, zavihek=SL["tab.contacts"])
    widget(at, "selectbox", r"contact_g\d+_kind").select("phone")
    widget(at, "text_area", "_note").input("Klic zaradi termina")
    holder = sqlite3.connect(app_env, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        button(at, SL["contacts.add"]).click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert SL["app.busy"] in [e.value for e in at.error]
    assert widget(at, "text_area", "_note").value == "Klic zaradi termina"
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE note = 'Klic zaradi termina'"
                      ).fetchone()[0] == 0
