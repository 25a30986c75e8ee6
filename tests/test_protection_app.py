"""The data-protection screens in AppTest: the record's consents tab, the administrator's
Varstvo podatkov page, and the roles that may not open it."""

from __future__ import annotations

from tests.apptest_helpers import assert_drawn, button, errors, open_page, texts, widget
from tests.casework_helpers import person_of
from workbench.db import open_db
from workbench.i18n import SL


def test_a_coordinator_records_and_withdraws_a_consent_on_the_record(app_env):
    pid = person_of(app_env, "stage = 'referred'")
    at = open_page(app_env, "ana.kos", "record", pid, zavihek=SL["tab.consents"])
    assert not at.exception and SL["consent.none"] in [i.value for i in at.info]
    button(at, SL["consent.add"]).click().run()  # nothing chosen
    assert f"{SL['field.purpose']}: {SL['error.consent_purpose_invalid']}" in errors(at)
    widget(at, "selectbox", r"consent_g\d+_purpose").select("sharing")
    widget(at, "selectbox", r"consent_g\d+_how").select("written")
    widget(at, "text_input", "_institution").input("<b>Zavod</b> za zaposlovanje")
    button(at, SL["consent.add"]).click().run()
    assert not at.exception and at.success[0].value == SL["consent.added"]
    assert "<b>" not in "".join(m.value for m in at.markdown if "Zavod" in m.value)
    db = open_db(app_env)
    assert db.execute("SELECT purpose, institution FROM consents WHERE participant_id = ?",
                      [pid]).fetchall() == [("sharing", "<b>Zavod</b> za zaposlovanje")]
    widget(at, "selectbox", r"withdraw_\d+_g\d+_how").select("oral").run()
    button(at, SL["consent.withdraw"]).click().run()
    assert at.success[0].value == SL["consent.withdrawn_saved"]
    assert db.execute("SELECT withdrawn_how FROM consents WHERE participant_id = ?",
                      [pid]).fetchone() == ("oral",)


def test_the_administrator_anonymises_what_the_preview_shows_after_confirming(app_env):
    at = open_page(app_env, "admin", "protection", zavihek=SL["protection.tab.retention"])
    assert not at.exception
    db = open_db(app_env)
    before = db.execute("SELECT COUNT(*) FROM participants WHERE anonymised_on IS NOT NULL"
                        ).fetchone()[0]
    button(at, SL["protection.anonymise"]).click().run()
    assert SL["error.confirm_required"] in " ".join(errors(at))
    widget(at, "checkbox", "_sure").check()
    button(at, SL["protection.anonymise"]).click().run()
    assert not at.exception and at.success
    after = db.execute("SELECT COUNT(*) FROM participants WHERE anonymised_on IS NOT NULL"
                       ).fetchone()[0]
    assert after > before == 0
    assert SL["protection.due_none"] in [i.value for i in at.info]


def test_an_access_request_finds_her_by_record_number_and_offers_the_export(app_env):
    pid = person_of(app_env, "entry_date IS NOT NULL", username=None)
    at = open_page(app_env, "admin", "protection")
    # (values typed in a form are sent with its button, in one run)
    widget(at, "text_input", "_typed").input("<script>")
    button(at, SL["protection.find"]).click().run()
    assert SL["error.request_person_invalid"] in " ".join(errors(at))
    widget(at, "text_input", "_typed").input(str(pid))
    button(at, SL["protection.find"]).click().run()
    assert not at.exception and f"{pid}" in texts(at)
    assert any(b.label == SL["protection.download"] for b in at.get("download_button"))


def test_roles_without_data_protection_work_cannot_open_the_page(app_env):
    for username in ("ana.kos", "vodja", "trener"):
        at = open_page(app_env, username, "protection")
        assert_drawn(at, app_env, username, SL["app.forbidden"])  # signed in, and refused
        assert SL["protection.title"] not in [t.value for t in at.title]
