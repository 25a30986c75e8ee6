"""In Chromium: after a colleague moved the same meeting, the calendar's change panel says
who moved it and to which day (the Slovenian way), offers "Naloži trenutno različico", and
after the reload the cancellation goes through (before, it was refused until F5)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser_helpers import fill, main_text, new_tab, rerun, settle, shot, visit
from tests.casework_helpers import coordinator
from tests.test_browser_calendar_fix import THURSDAY, _panel_open, _row, _setup
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def test_after_a_conflict_she_reloads_the_meeting_and_cancels_it(server, browser,
                                                                  seeded_path):
    data = _setup(seeded_path)
    db = open_db(seeded_path)
    try:
        ana_name = coordinator(db).display_name
    finally:
        db.close()
    moved_to = THURSDAY - dt.timedelta(days=1)
    ana, petra = new_tab(browser), new_tab(browser)
    for tab, who in ((ana, "ana.kos"), (petra, "petra.kralj")):
        visit(tab, f"{server}/calendar?vnos={data['meeting']}", who)
        _panel_open(tab)
    fill(ana, SL["field.date"], f"{moved_to:%-d. %-m. %Y}")
    settle(ana)
    with rerun(ana):
        ana.get_by_role("button", name=SL["change.move_save"]).click()
    ana.get_by_text(SL["change.moved"]).wait_for()
    # Petra had the panel open before: her cancellation is refused, naming Ana and the day.
    with rerun(petra):
        petra.get_by_text(SL["change.cancel"], exact=True).click()
    fill(petra, SL["field.cancel_reason"], "Odpovedala po telefonu")
    with rerun(petra):
        petra.get_by_role("button", name=SL["change.cancel_save"]).click()
    # Ana's own form: "medtem ga je spremenila Ana Kos".
    petra.get_by_text(SL["conflict.entry.F"].split("{")[0].strip()).first.wait_for()
    shown = main_text(petra)
    assert ana_name in shown
    assert "drug uporabnik" not in shown
    assert f"{moved_to:%-d. %-m. %Y}" in shown and moved_to.isoformat() not in shown
    shot(petra, "calendar-conflict-reload")
    # The reload brings the current version; the cancellation then goes through.
    with rerun(petra):
        petra.get_by_role("button", name=SL["record.reload"]).click()
    petra.get_by_text(SL["record.reloaded"]).first.wait_for()
    with rerun(petra):
        petra.get_by_text(SL["change.cancel"], exact=True).click()
    fill(petra, SL["field.cancel_reason"], "Odpovedala po telefonu")
    with rerun(petra):
        petra.get_by_role("button", name=SL["change.cancel_save"]).click()
    petra.get_by_text(SL["change.cancelled"]).wait_for()
    assert _row(seeded_path, "SELECT cancel_reason, date FROM sessions WHERE id = ?",
                [data["meeting"]]) == ("Odpovedala po telefonu", moved_to.isoformat())
