"""What people type, shown back in a real browser: markdown and HTML render as text on every
screen, bad dates say what is wrong, and the screens speak Slovenian."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser_helpers import (
    ENGLISH,
    fill,
    fill_intake,
    main_text,
    new_tab,
    settle,
    shot,
    sign_in,
    visit,
)
from tests.casework_helpers import coordinator, valid_form
from tests.conftest import TODAY
from workbench import casework, participants
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser

# (first name, last name): what a careless paste or a curious user could type.
CORPUS = [
    ("[Klikni tukaj](https://example.com)", "**Krepka**"),
    ("<b>Debela</b>", "<img src=x onerror=alert(1)>"),
    (":red[Rdeča]", ":material/home: $x^2$"),
    ("Ana_Marija", "www.example.com"),
    ("`koda`", "# Naslov"),
]


def create_people(db_path) -> list[tuple[int, str]]:
    db = open_db(db_path)
    ana = coordinator(db)
    made = []
    for i, (first, last) in enumerate(CORPUS):
        form = valid_form(db, first_name=first, last_name=last, emso=None,
                          birth_date=dt.date(1980, 1, 1 + i))
        pid, _ = participants.create_person(db, ana, form, coordinator_id=ana.id, today=TODAY,
                                            different_person=True)
        made.append((pid, f"{first} {last}"))
    pid = made[0][0]
    casework.add_goal(db, ana, pid, "[Cilj](https://example.com) **krepko**", None,
                      today=TODAY)
    db.close()
    return made


def visible(text: str) -> str:
    return text.replace("\u2060", "")


def assert_nothing_rendered(tab) -> None:
    main = tab.get_by_test_id("stMain")
    hrefs = [h for h in main.locator("a").evaluate_all("els => els.map(e => e.href)")]
    assert not [h for h in hrefs if "example.com" in h], hrefs
    assert main.locator("strong", has_text="Krepka").count() == 0
    assert main.locator("img[src='x']").count() == 0
    assert main.locator("code", has_text="koda").count() == 0
    assert main.locator("b", has_text="Debela").count() == 0


def test_names_with_markdown_and_html_show_as_typed_everywhere(server, seeded_path, browser):
    people = create_people(seeded_path)
    tab = new_tab(browser, height=1400)
    tab.goto(server)
    sign_in(tab, "ana.kos")
    tab.get_by_role("link", name=SL["nav.board"]).click()
    tab.get_by_role("heading", name=SL["board.title"]).wait_for()
    for _, name in people:
        tab.get_by_role("link", name=name, exact=True).wait_for()
    assert_nothing_rendered(tab)
    shot(tab, "markdown-board")
    for pid, name in people:
        visit(tab, f"{server}/record?person={pid}", "ana.kos")
        titles = [visible(t) for t in tab.get_by_role("heading", level=1).all_inner_texts()]
        assert name in titles, (name, titles)
        assert_nothing_rendered(tab)
    visit(tab, f"{server}/record?person={people[0][0]}&zavihek={SL['tab.plan']}", "ana.kos")
    tab.get_by_text("[Cilj](https://example").first.wait_for()
    assert_nothing_rendered(tab)
    shot(tab, "markdown-plan")


def test_intake_message_shows_a_markdown_name_as_typed(server, browser):
    tab = new_tab(browser, height=1600)
    tab.goto(f"{server}/intake")
    sign_in(tab, "ana.kos")
    fill_intake(tab, "[Klikni](https://example.com)", "**Krepka**", "1. 2. 1985")
    tab.get_by_role("button", name=SL["intake.save"]).click()
    tab.get_by_text("je vpisana").wait_for()  # fill_intake: a woman
    assert "[Klikni](https://example.com) **Krepka**" in visible(main_text(tab))
    assert_nothing_rendered(tab)


def test_bad_dates_say_what_is_wrong_and_the_old_date_is_not_kept(server, browser):
    tab = new_tab(browser, height=1600)
    tab.goto(f"{server}/intake")
    sign_in(tab, "ana.kos")
    fill(tab, SL["field.birth_date"], "5. 5. 1975")
    tab.get_by_text("Starost 51 let").first.wait_for()
    fill(tab, SL["field.birth_date"], "5. 5. 2031")
    settle(tab)
    text = main_text(tab)
    assert f"{SL['field.birth_date']}: {SL['error.birth_date_future']}" in text
    assert "51 let" not in text
    fill(tab, SL["field.birth_date"], "1988-13-40")
    settle(tab)
    assert SL["error.date_invalid"] in main_text(tab)
    fill(tab, SL["field.birth_date"], "včeraj")
    settle(tab)
    assert SL["error.date_format"] in main_text(tab)
    assert not ENGLISH.search(main_text(tab))
    shot(tab, "intake-bad-date")


@pytest.mark.parametrize("username, pages", [
    ("ana.kos", ["", "board", "record", "intake", "workload"]),
    ("vodja", ["", "workload"]),
    ("admin", ["", "workload", "users"]),
])
def test_every_screen_speaks_slovenian(server, browser, username, pages):
    tab = new_tab(browser, height=1400)
    tab.goto(server)
    sign_in(tab, username)
    for path in pages:
        visit(tab, f"{server}/{path}", username)
        text = main_text(tab)
        assert not ENGLISH.search(text), (path, ENGLISH.search(text))
