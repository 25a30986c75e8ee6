"""Wording the tester found wrong (issue 19 follow-up): Streamlit's English "Select all" on a
multiselect, a locked month written "10/2026", and a held place "pridržano za <name>" (a
name in the wrong case) with a free-places metric that did not mention it."""

from __future__ import annotations

import ast
import datetime as dt

import pytest

from tests.apptest_helpers import open_page, texts
from tests.casework_helpers import a_programme, coordinator
from tests.conftest import ROOT, TODAY
from tests.test_offer_terms_app import _offered_long
from workbench import attendance, schedule
from workbench.errors import UserError
from workbench.i18n import SL
from workbench.ui import widgets


def test_no_multiselect_of_the_app_offers_streamlits_english_select_all():
    calls = []
    for path in sorted((ROOT / "workbench" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "multiselect":
                off = any(k.arg == "select_all" and isinstance(k.value, ast.Constant)
                          and k.value.value is False for k in node.keywords)
                calls.append((path.name, node.lineno, off))
    assert calls and [c for c in calls if not c[2]] == []


def test_a_locked_month_is_named_the_slovenian_way(db):
    ana = coordinator(db, "ana.kos")
    programme = a_programme(db, ana, start=dt.date(2026, 9, 1), end=dt.date(2027, 3, 31))
    attendance.lock_month(db, ana, programme, "2026-10", TODAY)
    with pytest.raises(UserError) as locked:
        schedule.add_closure(db, ana, programme, "2026-10-30", "inventura")
    said = widgets.message(locked.value)
    assert "oktober 2026" in said and "10/2026" not in said


def test_the_programme_says_until_when_a_place_is_held_and_counts_it(app_env):
    programme, _ = _offered_long(app_env)
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme))
    assert not at.exception
    shown = texts(at)
    assert "(ponujeno: Zofka Ponudba)" in shown
    assert "pridržano do 29" in shown and "pridržano za" not in shown
    assert SL["programme.held_n"].format(n=1) in [c.value for c in at.caption]
