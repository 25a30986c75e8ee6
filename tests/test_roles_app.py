"""Pages opened with crafted addresses: a wrong role is refused, a hostile or impossible
parameter gets a clear message or is ignored, and nothing from the address is rendered
as markup or as a stack trace."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import assert_drawn, open_page, texts
from workbench.i18n import SL

HOSTILE = ["<script>alert(1)</script>", "' OR 1=1 --", "9" * 40, "-1", "%00", "1e309",
           "[x](javascript:alert(1))", "\u202e12"]
TITLES = {"record": "record.title", "programmes": "programme.title",
          "reporting": "reporting.title", "charts": "charts.title", "users": "users.title",
          "protection": "protection.title"}
# A crafted id names nothing: the page says so instead of its title.
ANSWER = {("record", "person"): "record.not_found", ("programmes", "programme"):
          "programme.not_found"}


@pytest.mark.parametrize("username, page", [
    ("vodja", "record"), ("vodja", "board"), ("vodja", "programmes"), ("vodja", "calendar"),
    ("admin", "record"), ("admin", "intake"), ("ana.kos", "users"), ("ana.kos", "protection"),
    ("trener", "users"), ("vodja", "protection")])
def test_a_page_of_another_role_is_refused_whatever_the_address_says(app_env, username, page):
    at = open_page(app_env, username, page, person="1", programme="1")
    assert_drawn(at, app_env, username, SL["app.forbidden"])


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("username, page, name", [
    ("ana.kos", "record", "person"), ("ana.kos", "record", "zavihek"),
    ("ana.kos", "programmes", "programme"), ("ana.kos", "programmes", "mesec"),
    ("vodja", "reporting", "leto"), ("vodja", "charts", "od"), ("vodja", "charts", "enota"),
    ("vodja", "charts", "obdobje"), ("admin", "users", "zavihek"),
    ("admin", "protection", "zavihek")])
def test_a_hostile_parameter_is_harmless(app_env, username, page, name, value):
    at = open_page(app_env, username, page, **{name: value})
    # Drawn first: the page's title, or its answer to a record that is not there.
    assert_drawn(at, app_env, username, SL[ANSWER.get((page, name), TITLES[page])])
    shown = texts(at)
    assert SL["app.unexpected_error"] not in shown and "Traceback" not in shown
    assert "<script>" not in "".join(m.value for m in at.markdown)
