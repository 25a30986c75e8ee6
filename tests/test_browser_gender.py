"""Gendered wording in Chromium (issue 19, item 15): the users table says "koordinatorka" of
a woman's account and a programme's participants read "vključena" / "vključen"."""

from __future__ import annotations

import pytest

from tests.browser_helpers import main_text, shot, visit
from tests.casework_helpers import coordinator
from workbench import programmes
from workbench.db import open_db, write
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def test_users_and_participants_are_said_in_their_own_form(server, seeded_path, page):
    db = open_db(seeded_path)
    with write(db):
        db.execute("UPDATE users SET sex = 'F' WHERE username = 'ana.kos'")
    ana = coordinator(db, "ana.kos")
    programme = next(p for p in programmes.catalogue(db, ana, "gorenjska")
                     if p.status == "running" and p.coordinator_id == ana.id)
    db.close()
    visit(page, f"{server}/users", "admin")
    page.get_by_role("cell", name="ana.kos", exact=True).wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="ana.kos",
                                                               exact=True))
    assert "koordinatorka" in row.inner_text()
    shot(page, "wording_users")
    page.context.clear_cookies()
    visit(page, f"{server}/programmes?programme={programme.id}&zavihek={SL['ptab.people']}",
          "ana.kos")
    page.get_by_role("cell", name="vključena", exact=True).first.wait_for()
    shown = main_text(page) + page.get_by_role("table").first.inner_text()
    assert "vključen(a)" not in shown and ("vključena" in shown or "vključen" in shown)
    shot(page, "wording_people")


def test_the_administrator_sets_a_colleagues_form_of_address_from_the_users_screen(
        server, seeded_path, page):
    """The change tab's "Nagovor": "moški" for Maja's account (a second press saves nothing
    more), the table then says "koordinator"; reached from the menu."""
    from playwright.sync_api import expect

    from tests.browser_helpers import ENGLISH, choose, rerun, settle

    visit(page, server, "admin")
    page.get_by_role("link", name=SL["nav.users"]).click()
    settle(page)
    page.get_by_role("tab", name=SL["users.change"]).click()
    settle(page)
    choose(page, SL["users.select"], "Maja Zupan (maja.zupan)")
    page.get_by_text(SL["users.sex.M"], exact=True).click()
    shot(page, "users-form-of-address")
    save = page.get_by_role("button", name=SL["users.save"], exact=True)
    with rerun(page):
        save.click()
    page.get_by_text(SL["users.saved"].format(username="maja.zupan")).wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="maja.zupan",
                                                               exact=True))
    expect(row).to_contain_text("koordinator")
    assert "koordinatorka" not in row.inner_text() and "(ka)" not in row.inner_text()
    page.wait_for_timeout(2000)
    with rerun(page):
        save.click()
    page.get_by_text(SL["record.unchanged"]).wait_for()
    db = open_db(seeded_path)
    changes = db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'users' AND "
                         "field = 'sex'").fetchone()[0]
    db.close()
    assert changes == 1
    assert not ENGLISH.search(main_text(page))
