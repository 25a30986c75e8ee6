"""The administrator's Users page in a real browser: a new account shows at once and the form
empties; changes, resets and deactivation say what they do, ask first, and hand over."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import seed
from tests.browser_helpers import (
    ENGLISH,
    choose,
    main_text,
    new_tab,
    rerun,
    settle,
    shot,
    sign_in,
    visit,
)
from tests.casework_helpers import coordinator
from workbench import accounts, auth
from workbench.db import open_db
from workbench.i18n import SL

pytestmark = pytest.mark.browser


def test_admin_creates_changes_resets_and_deactivates_with_a_hand_over(server, seeded_path,
                                                                        browser):
    tab = new_tab(browser, height=1600)
    visit(tab, f"{server}/users", "admin")
    form = tab.get_by_test_id("stForm").first
    form.get_by_label(SL["col.username"], exact=True).fill("nova.koordinatorka")
    form.get_by_label(SL["col.display_name"], exact=True).fill("Nova Koordinatorka")
    choose(tab, SL["col.role"], SL["role.coordinator"], scope=form)
    choose(tab, SL["users.unit"], "CSD Gorenjska, enota Kranj", scope=form)
    form.get_by_label(SL["users.password"], exact=True).fill("dovolj-dolgo")
    form.get_by_role("button", name=SL["users.create"]).click()
    tab.get_by_text("je ustvarjen").wait_for()
    # In the list at once; the form is empty, the password too.
    tab.get_by_role("cell", name="nova.koordinatorka", exact=True).wait_for()
    for label in (SL["col.username"], SL["users.password"]):
        expect(form.get_by_label(label, exact=True)).to_have_value("")
    # A second press saves nothing new: it reaches the server and is refused (the form is
    # empty), which is told apart from a press that never arrived.
    with rerun(tab):
        form.get_by_role("button", name=SL["users.create"]).click()
    tab.get_by_text(f"{SL['field.username']}: {SL['error.username_invalid']}").wait_for()
    db = open_db(seeded_path)
    assert db.execute("SELECT COUNT(*) FROM users WHERE username = 'nova.koordinatorka'"
                      ).fetchone()[0] == 1

    # Maja goes: what she holds is shown, the button names her and waits for a confirmation.
    maja = coordinator(db, "maja.zupan")
    held = accounts.holdings(db, coordinator(db, "admin"), maja.id)
    tab.get_by_role("tab", name=SL["users.change"]).click()
    choose(tab, SL["users.select"], "Maja Zupan (maja.zupan)")
    tab.get_by_text(SL["users.deactivate_title"].format(name="Maja Zupan")).wait_for()
    assert str(held.active_cases) in main_text(tab)
    go = tab.get_by_role("button", name=SL["users.deactivate"].format(name="Maja Zupan"))
    assert go.is_disabled()
    choose(tab, SL["users.handover_to"], SL["users.spread"])
    tab.get_by_text(SL["users.confirm_deactivate"].format(name="Maja Zupan")).click()
    settle(tab)
    shot(tab, "users-deactivate")
    go.click()
    tab.get_by_text(SL["users.deactivated"].format(name="Maja Zupan")).wait_for()
    assert not ENGLISH.search(main_text(tab))
    # Nothing of hers is left on no one's board, and it went to the area's coordinators.
    assert accounts.holdings(db, coordinator(db, "admin"), maja.id).empty
    takers = {r[0] for r in db.execute(
        "SELECT DISTINCT coordinator_id FROM participants WHERE id IN (SELECT record_id FROM "
        "audit_log WHERE table_name = 'participants' AND field = 'coordinator_id' AND "
        "old_value = ?)", [str(maja.id)])}
    assert len(takers) >= 3 and maja.id not in takers
    assert auth.authenticate(db, "maja.zupan", seed.DEMO_PASSWORD) is None

    # A password reset for Ana, audited; the old password no longer works.
    choose(tab, SL["users.select"], "Ana Kos (ana.kos)")
    reset = tab.get_by_test_id("stForm").filter(has_text=SL["users.reset_title"])
    reset.get_by_label(SL["users.new_password"], exact=True).fill("novo-geslo-2026")
    reset.get_by_label(SL["users.repeat_password"], exact=True).fill("novo-geslo-2026")
    reset.get_by_role("button", name=SL["users.reset"]).click()
    tab.get_by_text("staro ne deluje več").wait_for()
    assert auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD) is None
    assert auth.authenticate(db, "ana.kos", "novo-geslo-2026") is not None
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'users' AND field = "
                      "'password' AND new_value = '***'").fetchone()[0] == 1

    # Her role or unit change is audited too.
    edit = tab.get_by_test_id("stForm").filter(has_text=SL["users.edit_title"])
    choose(tab, SL["users.unit"], "CSD Gorenjska, enota Tržič", scope=edit)
    edit.get_by_role("button", name=SL["users.save"]).click()
    tab.get_by_text(SL["users.saved"].format(username="ana.kos")).wait_for()
    assert auth.get_user(db, coordinator(db).id).unit_code == "trzic"

    # And signing in with the new account works.
    other = new_tab(browser)
    other.goto(server)
    sign_in(other, "nova.koordinatorka", "dovolj-dolgo")
