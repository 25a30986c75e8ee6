"""What the coordinator reads, in Chromium: the record's tab kept by its id across the
language switch and F5, an overdue next task marked in the header, the calendar's week and
scope over F5 and Back, the monthly list in the Slovenian alphabet with Back returning to
it, names that wrap only between words on a narrow screen, a stale attendance sheet told
who saved which rows, and change logs that read names and labels."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import ENGLISH, main_text, new_tab, settle, shot, visit
from tests.casework_helpers import coordinator, person_of
from tests.conftest import TODAY
from workbench import attendance, programmes, schedule, text
from workbench.db import open_db
from workbench.i18n import EN, SL

pytestmark = pytest.mark.browser

OVERDUE = (f"(SELECT MIN(due_date) FROM tasks t WHERE t.participant_id = participants.id "
           f"AND t.done_at IS NULL) < '{TODAY.isoformat()}' AND interpreter_needed = 0")


# The words of every table cell (shadow roots included) that a line break cuts in two.
WORDS_BROKEN = """() => {
    const broken = []; let checked = 0;
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
        for (const el of roots[i].querySelectorAll('*')) {
            if (el.shadowRoot) roots.push(el.shadowRoot);
        }
    }
    for (const root of roots) for (const cell of root.querySelectorAll('.wb-list td')) {
        const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node; node = walk.nextNode()) {
            for (const m of node.textContent.matchAll(/\\S+/g)) {
                const r = document.createRange();
                r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                checked++;
                if (lines.size > 1) broken.push(m[0]);
            }
        }
    }
    return [broken, checked];
}"""


def _selected(tab, name: str) -> None:
    expect(tab.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def _english(tab) -> None:
    tab.get_by_role("radio", name="English").click()
    settle(tab)


def test_the_record_keeps_its_tab_by_id_in_both_languages_and_marks_an_overdue_task(
        server, seeded_path, browser):
    pid = person_of(seeded_path, OVERDUE)
    tab = new_tab(browser)
    visit(tab, f"{server}/record?person={pid}&zavihek=tasks", "ana.kos")
    _selected(tab, SL["tab.tasks"])
    header = tab.get_by_test_id("stMetric").filter(has_text=SL["record.next_task"])
    expect(header).to_contain_text(SL["tasks.overdue"])
    assert not ENGLISH.search(main_text(tab))
    shot(tab, "wording-record-overdue-sl")
    tab.get_by_role("tab", name=SL["tab.contacts"]).click()
    settle(tab)
    assert "zavihek=contacts" in tab.url
    # The switch of language keeps the tab, and the address stays the same.
    _english(tab)
    _selected(tab, EN["tab.contacts"])
    assert "zavihek=contacts" in tab.url
    expect(tab.get_by_test_id("stMetric").filter(has_text=EN["record.next_task"])
           ).to_contain_text(EN["tasks.overdue"])
    tab.get_by_role("tab", name=EN["tab.audit"]).click()
    settle(tab)
    assert "zavihek=audit" in tab.url
    tab.reload()
    settle(tab)
    _selected(tab, EN["tab.audit"])
    shot(tab, "wording-record-changelog-en")
    # The same link opened by a colleague in Slovenian opens the same tab.
    other = new_tab(browser)
    visit(other, tab.url, "ana.kos")
    _selected(other, SL["tab.audit"])
    assert "table." not in main_text(other) and "field." not in main_text(other)
    shot(other, "wording-record-changelog-sl")


def _week_label(day: dt.date) -> str:
    monday, sunday = schedule.week_of(day)
    return f"{monday.day}. {monday.month}. {monday.year} – {sunday.day}. {sunday.month}. " \
           f"{sunday.year}"


def test_the_calendar_returns_to_its_week_and_scope_after_f5_and_back(
        server, seeded_path, browser):
    db = open_db(seeded_path)
    ana = coordinator(db)
    programme = next(p for p in programmes.catalogue(db, ana, "gorenjska")
                     if p.status == "running")
    db.close()
    tab = new_tab(browser)
    visit(tab, f"{server}/calendar", "ana.kos")
    for _ in range(2):
        tab.get_by_role("button", name=SL["calendar.next"]).click()
        settle(tab)
    later = _week_label(TODAY + dt.timedelta(days=14))
    tab.get_by_text(later).wait_for()
    tab.get_by_text(SL["calendar.scope_programme"], exact=True).click()
    settle(tab)
    box = tab.get_by_label(SL["col.programme"], exact=True)
    box.click()
    tab.get_by_role("option", name=programme.name, exact=True).click()
    settle(tab)
    assert "obseg=programme" in tab.url and f"program={programme.id}" in tab.url
    # F5: the same week of the same programme.
    tab.reload()
    settle(tab)
    tab.get_by_text(later).wait_for()
    expect(tab.get_by_label(SL["col.programme"], exact=True)).to_have_value(programme.name)
    shot(tab, "wording-calendar-f5-sl")
    # Away to the home page and Back.
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name=SL["nav.home"], exact=True).click()
    settle(tab)
    tab.go_back()
    settle(tab)
    tab.get_by_text(later).wait_for()
    assert f"program={programme.id}" in tab.url
    _english(tab)
    tab.get_by_text(later).wait_for()
    shot(tab, "wording-calendar-en")
    # The month, in lower case as Slovenian writes it, from a link.
    month = new_tab(browser)
    visit(month, f"{server}/calendar?pogled=month&datum=2027-02-10", "ana.kos")
    month.get_by_text("februar 2027", exact=True).wait_for()
    shot(month, "wording-calendar-month-sl")


def _month_programme(db_path) -> tuple[int, str, list[str]]:
    """A programme of Ana's with attendance this month, a Č, Š or Ž name among its people
    (one is renamed when none is), and the names in the Slovenian alphabet."""
    db = open_db(db_path)
    try:
        ana = coordinator(db)
        month = f"{TODAY:%Y-%m}"
        for p in programmes.catalogue(db, ana, "gorenjska"):
            if p.coordinator_id != ana.id:
                continue
            sheet = attendance.monthly(db, ana, p.id, month)
            if len(sheet.people) >= 3:
                break
        pid = sheet.people[0][0]
        db.execute("UPDATE participants SET last_name = 'Čuk' WHERE id = ?", [pid])
        sheet = attendance.monthly(db, ana, p.id, month)
        names = [name for _, name in sheet.people]
        return p.id, month, names
    finally:
        db.close()


def test_the_monthly_list_is_in_the_slovenian_alphabet_and_back_returns_to_it(
        server, seeded_path, browser):
    programme, month, names = _month_programme(seeded_path)
    surnames = [n.split()[-1] for n in names]
    assert surnames == sorted(surnames, key=text.sort_key)
    tab = new_tab(browser)
    visit(tab, f"{server}/programmes?programme={programme}&zavihek=month&mesec={month}",
          "ana.kos")
    _selected(tab, SL["ptab.month"])
    links = tab.locator("a[data-person]")
    expect(links.first).to_be_visible()
    shown = [links.nth(i).inner_text() for i in range(links.count())]
    assert shown == names
    shot(tab, "wording-monthly-list-sl")
    links.first.click()
    tab.get_by_role("heading", name=names[0]).wait_for()
    tab.go_back()
    settle(tab)
    _selected(tab, SL["ptab.month"])
    assert f"mesec={month}" in tab.url and "zavihek=month" in tab.url
    _english(tab)
    _selected(tab, EN["ptab.month"])
    shot(tab, "wording-monthly-list-en")
    # A narrow screen: each name wraps between its words, never inside one.
    narrow = new_tab(browser, width=420, height=900)
    visit(narrow, f"{server}/programmes?programme={programme}&zavihek=month&mesec={month}",
          "ana.kos")
    narrow.locator("a[data-person]").first.wait_for()
    broken, checked = narrow.evaluate(WORDS_BROKEN)
    assert checked > 50
    assert broken == []
    shot(narrow, "wording-monthly-list-narrow")


def test_a_stale_attendance_sheet_is_told_who_saved_which_rows_once(
        server, seeded_path, browser):
    db = open_db(seeded_path)
    ana = coordinator(db)
    found = None
    for p in programmes.catalogue(db, ana, "gorenjska"):
        if p.coordinator_id != ana.id or p.status != "running":
            continue
        sid = db.execute("SELECT id FROM sessions WHERE programme_id = ? AND date <= ? "
                         "ORDER BY date DESC, start_time DESC LIMIT 1",
                         [p.id, TODAY.isoformat()]).fetchone()
        sheet = attendance.sheet(db, ana, sid[0]) if sid else None
        if sheet and len(sheet.rows) >= 2:
            found = p.id
            # One of them absent: "all present" in the first browser then changes the sheet.
            attendance.record(db, ana, sid[0], sheet.version,
                              {sheet.rows[0].participant_id: ("absent", None)}, today=TODAY)
            break
    db.close()
    address = f"{server}/programmes?programme={found}&zavihek=attendance"
    first, second = new_tab(browser), new_tab(browser)
    for tab in (first, second):
        visit(tab, address, "ana.kos")
        _selected(tab, SL["ptab.attendance"])
    first.get_by_role("button", name=SL["attendance.all_present"]).click()
    settle(first)
    first.get_by_role("button", name=SL["attendance.save"]).click()
    settle(first)
    second.get_by_role("button", name=SL["attendance.save"]).click()
    settle(second)
    second.get_by_text(SL["conflict.session.F"].split("{")[0].strip()).wait_for()
    # The row made absent shows no hours (its form is still the one she started from).
    label = SL["attendance.hours_of"].format(name=sheet.rows[0].name)
    expect(second.get_by_label(label, exact=True)).to_have_value("—")
    shown = main_text(second)
    assert "None" not in shown and "→" not in shown
    # Each row the first browser saved, once, by name with its hours: as stored now.
    db = open_db(seeded_path)
    stored = attendance.sheet(db, coordinator(db), sid[0])
    db.close()
    listed = [r for r in stored.rows if f"{r.name}: " in shown]
    assert listed and all(r.status == "present" for r in listed)
    for row in listed:
        assert shown.count(f"{row.name}: {SL['attendance_status.present']}, "
                           f"{row.hours:g} h") == 1, row.name
    second.get_by_text(listed[0].name + ":").scroll_into_view_if_needed()
    shot(second, "wording-attendance-conflict-sl")


def test_the_change_logs_read_names_labels_and_numbers(server, seeded_path, browser):
    """The record's history and the administrator's log, in both languages: programme and
    municipality names, labels of kinds and statuses, numbers written the reader's way."""
    from tests.casework_helpers import a_logged_contract

    db = open_db(seeded_path)
    _, person = a_logged_contract(db, coordinator(db), "Tečaj Č", "Žagar")
    db.close()
    tab = new_tab(browser, height=1400)
    visit(tab, f"{server}/record?person={person}&zavihek=audit", "ana.kos")
    tab.get_by_text("Tečaj Č", exact=True).first.wait_for()
    shown = main_text(tab) + "\n".join(tab.locator(".wb-root").all_inner_texts())
    for raw in ("table.", "field.", "individual", "present", "2.3", "2.5"):
        assert raw not in shown, raw
    assert "2,3" in shown and SL["session_kind.individual"] in shown
    shot(tab, "wording-changelog-record-sl")
    narrow = new_tab(browser, width=700, height=1400)
    visit(narrow, f"{server}/record?person={person}&zavihek=audit", "ana.kos")
    narrow.get_by_text("Tečaj Č", exact=True).first.wait_for()
    broken, checked = narrow.evaluate(WORDS_BROKEN)
    assert checked > 50 and broken == []
    shot(narrow, "wording-changelog-record-narrow")
    _english(tab)
    tab.get_by_text(EN["session_kind.individual"], exact=True).first.wait_for()
    shot(tab, "wording-changelog-record-en")
    admin = new_tab(browser, height=1400)
    visit(admin, f"{server}/audit?tabela=programmes", "admin")
    admin.get_by_text("Izvajalec Tečaj Č", exact=True).first.wait_for()
    assert "gorenjska" not in "\n".join(admin.locator(".wb-root").all_inner_texts())
    shot(admin, "wording-changelog-admin-sl")


def test_back_and_forward_walk_through_the_calendar_weeks_and_the_board_filters(
        server, browser):
    """Back after "Naprej" twice is the week before, again the first week, Forward the
    next: each step is in the browser's history and the page follows it (it used to keep
    the week it held). The board's switch and colleague the same way."""
    tab = new_tab(browser)
    visit(tab, f"{server}/calendar", "petra.kralj")
    weeks = [_week_label(TODAY + dt.timedelta(days=7 * n)) for n in range(3)]
    tab.get_by_text(weeks[0]).wait_for()
    for n in (1, 2):
        tab.get_by_role("button", name=SL["calendar.next"]).click()
        settle(tab)
        tab.get_by_text(weeks[n]).wait_for()
    for n in (1, 0):
        tab.go_back()
        settle(tab)
        expect(tab.get_by_text(weeks[n])).to_be_visible()
    assert "datum=" not in tab.url
    expect(tab.get_by_label(SL["calendar.whose"], exact=True)).to_have_value("Petra Kralj")
    tab.go_forward()
    settle(tab)
    expect(tab.get_by_text(weeks[1])).to_be_visible()
    # The week from Back is the one "Naprej" goes on from.
    tab.get_by_role("button", name=SL["calendar.next"]).click()
    settle(tab)
    expect(tab.get_by_text(weeks[2])).to_be_visible()
    shot(tab, "calendar-back-forward")

    tab.goto(f"{server}/board")
    settle(tab)
    overdue = tab.get_by_text(SL["board.overdue_only"], exact=True)
    overdue.click()
    settle(tab)
    assert "zamuda=True" in tab.url
    tab.go_back()
    settle(tab)
    assert "zamuda" not in tab.url
    expect(tab.get_by_role("switch", name=SL["board.overdue_only"])).not_to_be_checked()
    tab.go_forward()
    settle(tab)
    expect(tab.get_by_role("switch", name=SL["board.overdue_only"])).to_be_checked()
