"""AppTest flows of what the coordinator reads: the calendar's week and scope kept in the
address (F5, Back, a link), month names written in lower case as Slovenian does."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.apptest_helpers import button, open_page, widget
from tests.casework_helpers import coordinator
from tests.conftest import TODAY
from workbench import programmes, schedule
from workbench.db import open_db
from workbench.i18n import SL


def _a_programme(path) -> int:
    db = open_db(path)
    try:
        return programmes.catalogue(db, coordinator(db), "gorenjska")[0].id
    finally:
        db.close()


def _bold(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def test_the_calendar_keeps_its_week_and_scope_in_the_address(app_env):
    """A week moved to and a programme chosen are in the address; opening that address
    (F5, Back, a link sent to a colleague) shows the same week of the same programme."""
    at = open_page(app_env, "ana.kos", "calendar")
    button(at, SL["calendar.next"]).click().run()
    monday = schedule.week_of(TODAY + dt.timedelta(days=7))[0]
    assert at.query_params["datum"] == (TODAY + dt.timedelta(days=7)).isoformat()
    programme = _a_programme(app_env)
    at.radio(key="cal_scope").set_value("programme").run()
    at.selectbox(key="cal_programme").set_value(programme).run()
    assert (at.query_params["obseg"], at.query_params["program"]) == (
        "programme", str(programme))
    # The same address in a new session (F5 starts the page's state anew).
    again = open_page(app_env, "ana.kos", "calendar", **{
        k: at.query_params[k] for k in ("datum", "obseg", "program")})
    assert not again.exception
    assert again.radio(key="cal_scope").value == "programme"
    assert again.selectbox(key="cal_programme").value == programme
    assert any(schedule_label(monday) in text for text in _bold(again))


def schedule_label(monday: dt.date) -> str:
    return f"{monday.day}. {monday.month}. {monday.year}"


def test_the_month_view_writes_the_month_in_lower_case_and_keeps_it(app_env):
    at = open_page(app_env, "ana.kos", "calendar", pogled="month", datum="2027-02-10")
    assert not at.exception
    assert "**februar 2027**" in _bold(at)
    assert at.query_params["pogled"] == "month"


@pytest.mark.parametrize("sex, word", [("F", "vpisana"), ("M", "vpisan")])
def test_the_intake_says_vpisana_of_a_woman_and_vpisan_of_a_man(app_env, sex, word):
    from tests.test_casework_app import fill_intake

    at = open_page(app_env, "ana.kos", "intake")
    fill_intake(at, "Nov", "Vpis", "5. 5. 1990", sex=sex)
    if any(c.key and c.key.endswith("_different_person") for c in at.checkbox):
        widget(at, "checkbox", "_different_person").check().run()  # a namesake in the demo
    button(at, SL["intake.save"]).click().run()
    assert at.success[-1].value == f"Nov Vpis je {word} v fazi »Napoten«."


@pytest.mark.parametrize("username, role", [("ana.kos", "koordinatorka"),
                                            ("admin", "skrbnik")])
def test_the_sidebar_names_a_coordinator_koordinatorka_when_her_account_says_so(
        app_env, username, role):
    at = open_page(app_env, username, "home")
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.endswith(f"({role})") for c in captions), captions
    assert not any("(ka)" in c for c in captions)


def test_an_account_that_does_not_say_keeps_the_neutral_word():
    from workbench import i18n

    assert i18n.role_name("coordinator", None, "sl") == "koordinator(ka)"
    assert i18n.role_name("coordinator", "M", "sl") == "koordinator"
    assert i18n.role_name("coordinator", "F", "sl") == "koordinatorka"
    assert i18n.role_name("coordinator", "F", "en") == "coordinator"
    assert i18n.role_name("manager", "M", "sl") == "vodja"
