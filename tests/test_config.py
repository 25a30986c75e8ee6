"""Settings: each checked at start with a message that says what is allowed; the README lists
the same settings as ``workbench.config``."""

from __future__ import annotations

import re

from tests.apptest_helpers import app
from tests.conftest import ROOT
from workbench import config
from workbench.i18n import SL


def test_bad_settings_are_named_with_what_is_allowed():
    env = {"WORKBENCH_DB": "x.db", "WORKBENCH_LANGUAGE": "de",
           "WORKBENCH_BUSY_TIMEOUT_MS": "10", "WORKBENCH_TODAY": "22.11.2026"}
    found = config.problems(env)
    assert any("WORKBENCH_LANGUAGE='de'" in p and "sl, en" in p for p in found)
    assert any("WORKBENCH_BUSY_TIMEOUT_MS" in p and "5000" in p for p in found)
    assert any("WORKBENCH_TODAY" in p for p in found)
    assert config.problems({"WORKBENCH_DB": "x.db"}) == []


def test_allowed_origins_are_whole_origins_compared_in_lower_case(monkeypatch):
    for bad in ("sa.intranet.si", "https://sa.intranet.si/", "*", "ftp://x.si",
                "https://x.si:123456"):
        found = config.problems({"WORKBENCH_DB": "x.db", "WORKBENCH_ALLOWED_ORIGINS": bad})
        assert any("WORKBENCH_ALLOWED_ORIGINS" in p for p in found), bad
    good = "https://SA.intranet.si, http://10.0.0.5:8080,http://[::1]:8501"
    assert config.problems({"WORKBENCH_DB": "x.db", "WORKBENCH_ALLOWED_ORIGINS": good}) == []
    monkeypatch.setenv("WORKBENCH_ALLOWED_ORIGINS", good)
    assert config.allowed_origins() == {"https://sa.intranet.si", "http://10.0.0.5:8080",
                                        "http://[::1]:8501"}


def test_the_app_says_which_setting_is_wrong_instead_of_crashing(app_env, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LANGUAGE", "de")
    at = app().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith(SL["app.settings_invalid"].split("{")[0]) and "sl, en" in error


def test_the_app_without_a_database_path_says_so(monkeypatch):
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    at = app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [SL["app.db_not_configured"]]


def test_the_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"`(WORKBENCH_[A-Z_]+)`", readme))
    assert {s.env for s in config.SETTINGS} - {"WORKBENCH_MOUNTS_FILE"} <= listed


def test_times_are_the_coordinators_whatever_the_server_s_zone(monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("WORKBENCH_TIMEZONE", "Europe/Ljubljana")
    expected = dt.datetime.now(ZoneInfo("Europe/Ljubljana")).replace(tzinfo=None)
    assert abs((config.now() - expected).total_seconds()) < 5
    monkeypatch.setenv("WORKBENCH_TIMEZONE", "Asia/Tokyo")
    tokyo = dt.datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs((config.now() - tokyo).total_seconds()) < 5
    monkeypatch.setenv("WORKBENCH_TIMEZONE", "Mars/Olympus")
    assert any("WORKBENCH_TIMEZONE" in p for p in config.problems())


def test_a_fixed_today_is_refused_on_a_real_database(tmp_path, seeded_path, monkeypatch):
    """WORKBENCH_TODAY would date a real database's audit entries and deadlines by a
    made-up day: opening one with it set fails with a message, and the app shows it
    instead of the sign-in form. Training data (and the tests) keep their fixed day."""
    import pytest
    import streamlit as st

    from workbench import auth, environment
    from workbench.db import DatabaseUnavailable, open_db

    path = tmp_path / "real.db"
    db = open_db(path, create=True)
    environment.ensure_production(db)
    auth.create_user(db, "skrbnica", "Skrbnica", "admin", "pravo-geslo-1")
    db.close()
    monkeypatch.setenv("WORKBENCH_TODAY", "2026-11-22")
    with pytest.raises(DatabaseUnavailable) as refused:
        open_db(path)
    assert refused.value.key == "db.fixed_today_on_real"
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [SL["db.fixed_today_on_real"].format(
        today="2026-11-22", path=path)]
    assert not at.text_input  # no sign-in form
    open_db(seeded_path).close()  # a training database opens with it
    monkeypatch.delenv("WORKBENCH_TODAY")
    open_db(path).close()  # and the real one without it
    st.cache_data.clear()
    st.cache_resource.clear()
