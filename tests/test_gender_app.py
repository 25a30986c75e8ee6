"""AppTest checks of gendered wording: where the person's (or the account's) sex is known,
the screens say "vključena" / "vključen" and "koordinatorka" / "koordinator", not the
neutral "vključen(a)" and "koordinator(ka)" (issue 19, item 15)."""

from __future__ import annotations

from tests.apptest_helpers import column, open_page, tables
from tests.casework_helpers import coordinator
from workbench import enrolment, programmes
from workbench.db import open_db, write
from workbench.i18n import SL


def test_the_programmes_participants_say_vkljucena_of_a_woman_and_vkljucen_of_a_man(app_env):
    db = open_db(app_env)
    ana = coordinator(db, "ana.kos")
    programme = next(p for p in programmes.catalogue(db, ana, "gorenjska")
                     if p.status == "running" and p.coordinator_id == ana.id)
    sexes = {e.name: e.sex for e in enrolment.enrolled(db, ana, programme.id, current_only=True)}
    assert {"F", "M"} <= set(sexes.values()), "the seed enrols women and men"
    db.close()
    at = open_page(app_env, "ana.kos", "programmes", programme=str(programme.id),
                   zavihek=SL["ptab.people"])
    assert not at.exception
    rows = next(t for t in tables(at) if t and SL["col.enrolment"] in t[0])
    said = {r[SL["col.person"]]: r[SL["col.enrolment"]] for r in rows}
    for name, sex in sexes.items():
        assert said[name] == {"F": "vključena", "M": "vključen"}[sex], name


def test_the_users_table_says_koordinatorka_of_a_woman_and_koordinator_of_a_man(app_env):
    db = open_db(app_env)
    with write(db):
        db.execute("UPDATE users SET sex = 'F' WHERE username = 'ana.kos'")
        db.execute("UPDATE users SET sex = 'M' WHERE username = 'petra.kralj'")
        db.execute("UPDATE users SET sex = NULL WHERE username = 'maja.zupan'")
    db.close()
    at = open_page(app_env, "admin", "users")
    assert not at.exception
    rows = next(t for t in tables(at) if t and SL["col.username"] in t[0])
    role = dict(zip(column(rows, SL["col.username"]), column(rows, SL["col.role"]),
                    strict=True))
    assert role["ana.kos"] == "koordinatorka"
    assert role["petra.kralj"] == "koordinator"
    assert role["maja.zupan"] == "koordinator(ka)"


def test_the_records_change_log_says_vkljucena_of_a_woman(app_env):
    """"Stanje: vključena" in Zala's change log, not "vključen(a)"; "vključen" once her
    record says she is a man."""
    from tests.casework_helpers import a_logged_contract

    db = open_db(app_env)
    _, person = a_logged_contract(db, coordinator(db), "Tečaj Abeceda", "Novak")
    db.close()
    for sex, said in (("F", "vključena"), ("M", "vključen")):
        db = open_db(app_env)
        with write(db):
            db.execute("UPDATE participants SET sex = ? WHERE id = ?", [sex, person])
        db.close()
        at = open_page(app_env, "ana.kos", "record", person, zavihek=SL["tab.audit"])
        assert not at.exception
        changes = tables(at)[0]
        statuses = [r[SL["col.new"]] for r in changes
                    if r[SL["col.record"]] == SL["table.enrolments"]
                    and r[SL["col.field"]] == SL["field.status"]]
        assert statuses and set(statuses) == {said}, statuses


def test_the_administrator_sets_how_the_app_speaks_of_a_colleague(app_env):
    """The users screen sets an account's form of address; the table then says
    "koordinator" of him, and choosing "nevtralni" brings "koordinator(ka)" back."""
    from tests.apptest_helpers import button, user_id, widget

    maja = user_id(app_env, "maja.zupan")
    at = open_page(app_env, "admin", "users", zavihek="change")
    assert not at.exception
    at.selectbox(key="users_pick").set_value(maja).run()
    sex = widget(at, "radio", r"users_edit_\d+\w*_sex")
    assert sex.options == [SL["users.sex.F"], SL["users.sex.M"], SL["users.sex.none"]]
    for choice, said in (("M", "koordinator"), ("", "koordinator(ka)")):
        widget(at, "radio", r"_sex").set_value(choice)
        button(at, SL["users.save"]).click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        rows = next(t for t in tables(at) if t and SL["col.username"] in t[0])
        role = dict(zip(column(rows, SL["col.username"]), column(rows, SL["col.role"]),
                        strict=True))
        assert role["maja.zupan"] == said


def test_the_closing_choices_agree_with_the_person(app_env):
    """Closing a woman's case offers "ni želela sodelovati", a man's "ni želel"."""
    from tests.apptest_helpers import widget
    from workbench import pipeline

    db = open_db(app_env)
    ana = coordinator(db, "ana.kos")
    people = {}
    for row in db.execute("SELECT id, sex, stage FROM participants WHERE coordinator_id = ? "
                          "ORDER BY id", [ana.id]):
        if row[1] in ("F", "M") and "closed" in pipeline.allowed_moves(row[2]):
            people.setdefault(row[1], row[0])
    db.close()
    assert set(people) == {"F", "M"}
    for sex, said in (("F", "ni želela sodelovati"), ("M", "ni želel sodelovati")):
        at = open_page(app_env, "ana.kos", "record", people[sex])
        assert not at.exception
        widget(at, "selectbox", r"move_g\d+_to").select("closed").run()
        reasons = widget(at, "selectbox", r"_closure").options
        assert said in reasons and not any("(a)" in r for r in reasons), reasons


def test_the_deactivation_warning_speaks_of_the_account_in_its_form(app_env):
    """"Koordinator ima ... primerov" of a man's account, "Koordinator(ka)" when it does not
    say (the helper's trial found "Koordinatorka" whatever the account said)."""
    from tests.apptest_helpers import user_id

    maja = user_id(app_env, "maja.zupan")
    for sex, start in (("M", "Koordinator ima "), (None, "Koordinator(ka) ima "),
                       ("F", "Koordinatorka ima ")):
        db = open_db(app_env)
        with write(db):
            db.execute("UPDATE users SET sex = ? WHERE id = ?", [sex, maja])
        db.close()
        at = open_page(app_env, "admin", "users", zavihek="change")
        at.selectbox(key="users_pick").set_value(maja).run()
        assert not at.exception
        assert any(w.value.startswith(start) for w in at.warning), [w.value for w in at.warning]
