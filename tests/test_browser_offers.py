"""In Chromium, issue 19 items 1 and 6: a freed place held for the person offered it (the
programme's page says for whom and until when, another contract puts that person on the
waiting list, the offered person's record offers take-up and decline), and a correction of
a contract's terms with a reason that leaves a locked month as it was paid."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser_helpers import (
    ENGLISH,
    choose,
    fill,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    visit,
)
from tests.casework_helpers import a_person, a_programme, coordinator, sign, version_of
from tests.conftest import TODAY
from workbench import pipeline
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser
UNTIL = "29. 11. 2026"  # TODAY + the rule waiting_offer_days (7)


@pytest.fixture
def offered(seeded_path, monkeypatch):
    """A one-place programme: Ana's Ana took it, Bina (Ana's) and Mira (Maja's) wait; Ana
    stepped back today, so the place is offered to Bina until 29 November. Vera (Ana's) was
    never on the list."""
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    db = open_db(seeded_path)
    try:
        ana, maja = coordinator(db, "ana.kos"), coordinator(db, "maja.zupan")
        programme = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                                end=dt.date(2027, 3, 31), name="Program Pridržano")
        first, bina, vera = (a_person(db, ana, n, last="Ponudba")
                             for n in ("Anja", "Bina", "Vera"))
        mira = a_person(db, maja, "Mira", last="Ponudba")
        for who, pid in ((ana, first), (ana, bina), (maja, mira)):
            sign(db, who, pid, programme)
        pipeline.move_stage(db, ana, first, version_of(db, first), pipeline.Move(
            "motivation", TODAY, reason="Premislila si je"), today=TODAY)
        return {"programme": programme, "bina": bina, "mira": mira, "vera": vera}
    finally:
        db.close()


def scalar(path, sql, params=()):
    db = open_db(path)
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.close()


def test_the_held_place_is_shown_and_another_contract_goes_on_the_list(
        offered, server, browser, seeded_path):
    tab = new_tab(browser)
    # From the menu: the catalogue, then the programme's own page.
    visit(tab, f"{server}/", "ana.kos")
    tab.get_by_role("link", name=SL["nav.programmes"]).click()
    settle(tab)
    tab.get_by_role("link", name="Program Pridržano").first.click()
    settle(tab)
    held = SL["people.held"].format(name="Bina Ponudba", until=UNTIL)
    assert held in main_text(tab)
    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    # The waiting list (a table of its own) says until when her place is held.
    tab.get_by_text(SL["people.offer_until"].format(until=UNTIL)).first.wait_for()
    shot(tab, "offers_programme_held")
    # Vera's contract finds the place held: she goes on the list, behind Bina and Mira.
    form = tab.get_by_test_id("stForm").filter(has_text=SL["people.enrol_save"])
    choose(tab, SL["col.person"], "Vera Ponudba", scope=form)
    with rerun(tab):
        tab.get_by_role("button", name=SL["people.enrol_save"]).click()
    said = SL["people.put_waiting_held"].format(until=UNTIL, name="Vera Ponudba", n=3)
    assert said in main_text(tab)
    assert scalar(seeded_path, "SELECT COUNT(*) FROM enrolments WHERE participant_id = ?",
                  [offered["vera"]])[0] == 0
    # A deep link and F5 come back to the same page, the place still held for Bina.
    tab.goto(f"{server}/programmes?programme={offered['programme']}")
    settle(tab)
    tab.reload()
    settle(tab)
    assert held in main_text(tab) and not ENGLISH.search(main_text(tab))
    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    # Her name in the waiting list opens her record, with the offer on it.
    tab.get_by_role("link", name="Bina Ponudba", exact=True).first.click()
    settle(tab)
    tab.get_by_role("button", name=SL["offer.take_up"]).wait_for()
    assert f"pridržano do {UNTIL}" in main_text(tab)


def test_her_record_offers_take_up_and_decline_and_the_next_one_gets_it(
        offered, server, browser, seeded_path):
    ana = new_tab(browser)
    # From the search: Bina's record says the place is held for her until the 29th.
    visit(ana, f"{server}/", "ana.kos")
    ana.get_by_role("link", name=SL["nav.record"]).click()
    settle(ana)
    fill(ana, SL["record.search"], "ponudba")
    ana.get_by_role("link", name="Bina Ponudba", exact=True).first.click()
    settle(ana)
    panel = ana.get_by_test_id("stMain")
    panel.get_by_role("button", name=SL["offer.take_up"]).wait_for()
    assert f"pridržano do {UNTIL}" in main_text(ana)
    shot(ana, "offers_record_panel")
    # Declining needs a reason; a reason with markup is kept as typed and shows as text.
    with rerun(ana):
        panel.get_by_role("button", name=SL["offer.decline"]).click()
    assert SL["error.text_required"] in main_text(ana)
    reason = "<b>Zaposlila</b> se je **danes**"
    panel.get_by_label(SL["offer.decline_reason"], exact=True).fill(reason)
    with rerun(ana):
        panel.get_by_role("button", name=SL["offer.decline"]).click()
    assert SL["offer.declined"] in main_text(ana)
    assert SL["offer.take_up"] not in main_text(ana)
    assert tuple(scalar(seeded_path, "SELECT status, reason FROM waiting_list WHERE "
                        "participant_id = ?", [offered["bina"]])) == ("declined", reason)
    # Maja opens Mira's record by its link (a deep link; F5 keeps it): the place is hers
    # now, until a week from today, and she takes it up.
    maja = new_tab(browser)
    visit(maja, f"{server}/record?person={offered['mira']}", "maja.zupan")
    maja.reload()
    settle(maja)
    maja.get_by_role("button", name=SL["offer.take_up"]).wait_for()
    assert f"pridržano do {UNTIL}" in main_text(maja)
    with rerun(maja):
        maja.get_by_role("button", name=SL["offer.take_up"]).click()
    assert SL["offer.taken"].format(programme="Program Pridržano") in main_text(maja)
    assert scalar(seeded_path, "SELECT status FROM enrolments WHERE participant_id = ?",
                  [offered["mira"]])[0] == "active"
    assert scalar(seeded_path, "SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND "
                  "title LIKE 'Ponudite%' AND done_at IS NULL", [offered["mira"]])[0] == 0
    assert not ENGLISH.search(main_text(maja))


@pytest.fixture
def paid_november(seeded_path):
    """Zala comes by a 1.80 EUR ticket on 2 November and 1 December 2022, 5 hours each;
    November is locked (paid)."""
    from tests.test_allowances import a_2022_programme, enrol_in_2022, record
    from workbench import attendance
    db = open_db(seeded_path)
    try:
        ana = coordinator(db, "ana.kos")
        programme = a_2022_programme(db, ana, name="Program Popravek")
        zala = a_person(db, ana, "Zala", last="Popravek")
        enrol_in_2022(db, zala, programme, ticket=1.8)
        for day in ("2022-11-02", "2022-12-01"):
            record(db, ana, programme, day, {zala: ("present", 5.0)})
        attendance.lock_month(db, ana, programme, "2022-11", TODAY)
        return programme, zala
    finally:
        db.close()


def pick_in_expander(tab, label: str) -> str:
    """The first option of a select box in an expander just opened: a click while the
    expander still animates open may not open the list, so the list is waited for."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = tab.get_by_label(label, exact=True)
    for _ in range(5):
        box.click()
        try:
            tab.get_by_role("option").first.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    option = tab.get_by_role("option").first
    text = option.inner_text()
    option.click()
    settle(tab)
    return text


def travel(path, programme, month):
    from workbench import allowances
    db = open_db(path)
    try:
        sheet = allowances.payment_sheet(db, coordinator(db, "ana.kos"), programme, month)
        return str(sheet.rows[0].travel)
    finally:
        db.close()


def test_a_contract_correction_keeps_the_paid_month_and_pays_the_next(
        paid_november, server, browser, seeded_path):
    programme, zala = paid_november
    tab = new_tab(browser)
    visit(tab, f"{server}/programmes?programme={programme}", "ana.kos")
    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    tab.get_by_text(SL["terms.title"]).click()
    settle(tab)
    assert pick_in_expander(tab, SL["terms.who"]) == "Zala Popravek · 1. 11. 2022"
    form = tab.get_by_test_id("stForm").filter(has_text=SL["terms.save"])
    assert form.get_by_label(SL["field.ticket_eur"], exact=True).input_value() == "1,80"
    form.get_by_label(SL["field.ticket_eur"], exact=True).fill("2,50")
    # Without a reason: refused, what she typed stays.
    with rerun(tab):
        form.get_by_role("button", name=SL["terms.save"]).click()
    assert SL["error.text_required"] in main_text(tab)
    assert form.get_by_label(SL["field.ticket_eur"], exact=True).input_value() == "2,50"
    reason = "<i>Nova</i> **vozovnica** [x](http://a.b)"
    form.get_by_label(SL["field.reason"], exact=True).fill(reason)
    shot(tab, "offers_terms_form")
    with rerun(tab):
        form.get_by_role("button", name=SL["terms.save"]).click()
    assert SL["terms.saved_from"].format(day="1. 12. 2022") in main_text(tab)
    assert not ENGLISH.search(main_text(tab))
    assert (travel(seeded_path, programme, "2022-11"), travel(seeded_path, programme,
                                                             "2022-12")) == ("1.80", "2.50")
    assert tuple(scalar(seeded_path, "SELECT COUNT(*), MAX(reason) FROM audit_log WHERE "
                        "table_name = 'enrolments' AND field = 'ticket_eur'")) == (1, reason)
    # F5: the page comes back with the corrected ticket in the list of people.
    tab.reload()
    settle(tab)
    tab.get_by_role("tab", name=SL["ptab.people"]).click()
    settle(tab)
    tab.get_by_text("vozovnica 2,50 €").first.wait_for()
