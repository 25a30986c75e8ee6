"""In Chromium: a 55-year-old offered a place in a long programme takes it up from her
record: the offer panel asks the contract's terms and the reason for the exception; without
the reason she is told, with it she is enrolled with the terms typed."""

from __future__ import annotations

import pytest

from tests.browser_helpers import fill, main_text, new_tab, rerun, settle, shot, visit
from tests.conftest import TODAY
from tests.test_offer_terms_app import _enrolment, _offered_long
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def test_a_55_year_old_takes_up_a_long_place_from_her_record(server, browser, seeded_path,
                                                             monkeypatch):
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())  # the offer made on the app's day
    _, zofka = _offered_long(seeded_path)
    tab = new_tab(browser)
    visit(tab, f"{server}/record?person={zofka}", "ana.kos")
    main = tab.get_by_test_id("stMain")
    main.get_by_role("button", name=SL["offer.take_up"]).wait_for()
    assert SL["offer.exception_hint"] in main_text(tab)
    fill(tab, SL["field.ticket_eur"], "2,30")
    settle(tab)
    with rerun(tab):
        main.get_by_role("button", name=SL["offer.take_up"]).click()
    tab.get_by_text(SL["error.long_not_eligible"].split("(")[0].strip()).first.wait_for()
    assert _enrolment(seeded_path, zofka) is None
    fill(tab, SL["field.override_reason"], "Dogovor s CSD <b>Kranj</b>")
    settle(tab)
    shot(tab, "offer_long_exception")
    with rerun(tab):
        main.get_by_role("button", name=SL["offer.take_up"]).click()
    tab.get_by_text(SL["offer.taken"].format(programme="Dolgi program")).wait_for()
    # The planned start offered is today (the programme runs already), the rest as typed.
    assert _enrolment(seeded_path, zofka) == ("active", TODAY.isoformat(), 2.3,
                                              "Dogovor s CSD <b>Kranj</b>")
