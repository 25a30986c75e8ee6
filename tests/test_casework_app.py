"""AppTest flows of the casework screens: intake with a duplicate warning, a stage move with
its exit destination, a conflict between two sessions, and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.casework_helpers import coordinator
from tests.conftest import ROOT, TODAY
from workbench import auth, board, participants
from workbench.db import open_db
from workbench.i18n import SL
from workbench.text import fold

TIMEOUT = 60


def open_page(db_path, username: str, page: str, person: int | None = None) -> AppTest:
    db = open_db(db_path)
    user = next(u for u in auth.list_users(db) if u.username == username)
    db.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["auth_user_id"] = user.id
    at.run()
    if person is not None:
        at.query_params["person"] = str(person)
    return at.switch_page(f"pages/{page}.py").run()


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def count_people(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    finally:
        db.close()


def existing_person(db_path):
    db = open_db(db_path)
    ana = coordinator(db)
    pid = db.execute("SELECT id FROM participants WHERE coordinator_id = ? AND stage = "
                     "'in_programme' ORDER BY id LIMIT 1", [ana.id]).fetchone()[0]
    person = participants.get_person(db, pid)
    db.close()
    return person


def fill_intake(at, first: str, last: str, born: dt.date) -> None:
    at.text_input(key="intake_first_name").input(first)
    at.text_input(key="intake_last_name").input(last)
    at.date_input(key="intake_birth_date").set_value(born)
    at.selectbox(key="intake_municipality_id").select_index(0)
    at.selectbox(key="intake_target_group").select("dsp")
    at.radio(key="intake_labour_status").set_value("unemployed")
    at.selectbox(key="intake_referral_source").select("zrsz")
    at.run()


def test_intake_warns_of_a_likely_duplicate_and_saves_only_when_confirmed(app_env):
    known = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "intake")
    # Typed without capitals or diacritics, as coordinators often do.
    fill_intake(at, fold(known.first_name), fold(known.last_name).upper(), dt.date(1990, 5, 5))
    assert not at.exception
    assert at.warning and SL["intake.matches"].split("(")[0] in at.warning[-1].value
    assert any(known.name in m.value for m in at.markdown)
    before = count_people(app_env)
    button(at, SL["intake.save"]).click().run()
    assert [e.value[:29] for e in at.error] == [SL["error.possible_duplicate"][:29]]
    assert count_people(app_env) == before
    at.checkbox(key="intake_different_person").check().run()
    button(at, SL["intake.save"]).click().run()
    assert at.success[-1].value == SL["intake.saved"].format(
        name=f"{fold(known.first_name)} {fold(known.last_name).upper()}")
    assert count_people(app_env) == before + 1
    # The same form saved again (a double click) makes no second record.
    button(at, SL["intake.save"]).click().run()
    assert at.info[-1].value == SL["intake.already_saved"]
    assert count_people(app_env) == before + 1


def test_intake_refuses_a_wrong_emso_and_an_empty_name(app_env):
    at = open_page(app_env, "ana.kos", "intake")
    fill_intake(at, "Nova", "Oseba", dt.date(1990, 5, 5))
    at.text_input(key="intake_emso").input("0505990505001").run()
    assert SL["error.emso_invalid"] in [e.value for e in at.error]
    before = count_people(app_env)
    button(at, SL["intake.save"]).click().run()
    assert SL["error.emso_invalid"] in [e.value for e in at.error]
    at.text_input(key="intake_emso").input("").run()
    at.text_input(key="intake_first_name").input("   ").run()
    button(at, SL["intake.save"]).click().run()
    assert SL["error.name_required"] in [e.value for e in at.error]
    assert count_people(app_env) == before


def test_exit_needs_a_destination_then_creates_follow_ups(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id)
    assert not at.exception and at.title[0].value == person.name
    key = f"rec_move_{person.id}"
    assert at.selectbox(key=f"{key}_to").value == "exited"
    at.radio(key=f"{key}_outcome").set_value("completed").run()
    button(at, SL["record.move_save"]).click().run()
    assert SL["error.exit_destination_required"] in [e.value for e in at.error]
    at.selectbox(key=f"{key}_destination").select("tertiary_social_enterprise").run()
    button(at, SL["record.move_save"]).click().run()
    assert not at.exception
    assert at.success[0].value == SL["record.moved"].format(stage=SL["stage.exited"])
    db = open_db(app_env)
    moved = participants.get_person(db, person.id)
    assert (moved.stage, moved.exit_destination) == ("exited", "tertiary_social_enterprise")
    kinds = {r[0] for r in db.execute("SELECT kind FROM tasks WHERE participant_id = ? AND "
                                      "done_at IS NULL", [person.id])}
    assert {"follow_up_4w", "follow_up_6m"} <= kinds


def test_two_sessions_editing_one_person_the_later_save_is_refused(app_env):
    person = existing_person(app_env)
    ana = open_page(app_env, "ana.kos", "record", person.id)
    maja = open_page(app_env, "maja.zupan", "record", person.id)
    maja.text_input(key=f"rec{person.id}_phone").input("031 222 333")
    button(maja, SL["record.save"]).click().run()
    assert maja.success[0].value == SL["record.saved"]
    ana.text_input(key=f"rec{person.id}_address").input("Koroška cesta 5")
    button(ana, SL["record.save"]).click().run()
    errors = [e.value for e in ana.error]
    assert any("Maja Zupan" in e for e in errors), errors
    changes = " ".join(m.value for m in ana.markdown)
    assert SL["field.phone"] in changes and "031 222 333" in changes
    db = open_db(app_env)
    saved = participants.get_person(db, person.id)
    assert (saved.phone, saved.address) == ("031 222 333", person.address)
    # After loading the current version her edit goes through.
    button(ana, SL["record.reload"]).click().run()
    ana.text_input(key=f"rec{person.id}_address").input("Koroška cesta 5")
    button(ana, SL["record.save"]).click().run()
    assert participants.get_person(db, person.id).address == "Koroška cesta 5"


def test_opening_a_record_is_audited_once_per_visit(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "maja.zupan", "record", person.id)
    at.run()
    db = open_db(app_env)
    opens = db.execute("SELECT COUNT(*) FROM audit_log WHERE participant_id = ? AND action = "
                       "'open'", [person.id]).fetchone()[0]
    assert opens == 1


def test_board_shows_her_cards_and_colleagues_boards(app_env):
    db = open_db(app_env)
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    expected = board.caseload_board(db, maja.id, TODAY)
    at = open_page(app_env, "ana.kos", "board")
    assert at.selectbox(key="board_coordinator").value == ana.id
    at.selectbox(key="board_coordinator").set_value(maja.id).run()
    assert not at.exception
    headers = [m.value for m in at.markdown if m.value.startswith("**")]
    assert f"**{SL['stage.in_programme']} · {expected.counts['in_programme']}**" in headers
    assert at.caption[0].value == SL["board.total"].format(n=expected.total)


@pytest.mark.parametrize("username", ["vodja", "admin"])
def test_managers_see_workload_but_no_person(app_env, username):
    person = existing_person(app_env)
    at = open_page(app_env, username, "workload")
    assert not at.exception and at.title[0].value == SL["workload.title"]
    frame = at.dataframe[0].value
    db = open_db(app_env)
    assert set(frame[SL["col.coordinator"]]) == {
        coordinator(db, name).display_name for name in ("ana.kos", "maja.zupan", "petra.kralj")}
    # The record page is not in her navigation, and opened by its address it refuses.
    with pytest.raises(ValueError, match="Known pages"):
        open_page(app_env, username, "record", person.id)
    db = open_db(app_env)
    user = next(u for u in auth.list_users(db) if u.username == username)
    direct = AppTest.from_file(str(ROOT / "pages" / "record.py"), default_timeout=TIMEOUT)
    direct.session_state["auth_user_id"] = user.id
    direct.query_params["person"] = str(person.id)
    direct.run()
    assert [e.value for e in direct.error] == [SL["app.forbidden"]]
    assert person.name not in " ".join(t.value for t in direct.title)


def test_a_coordinator_cannot_open_a_person_of_another_area(app_env):
    db = open_db(app_env)
    with db.conn:
        db.execute("UPDATE users SET area_code = 'ljubljana' WHERE username = 'petra.kralj'")
    person = existing_person(app_env)
    at = open_page(app_env, "petra.kralj", "record", person.id)
    assert [e.value for e in at.error] == [SL["record.not_found"]]
    assert person.name not in " ".join(t.value for t in at.title)


def test_no_table_sent_to_the_browser_is_over_2_mb_on_national_data(national, monkeypatch):
    import streamlit as st

    path = national.execute("PRAGMA database_list").fetchone()[2]
    monkeypatch.setenv("WORKBENCH_DB", path)
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    ana = coordinator(national)
    busiest = national.execute(
        "SELECT participant_id FROM contacts c JOIN participants p ON p.id = c.participant_id "
        "WHERE p.coordinator_id = ? GROUP BY participant_id ORDER BY COUNT(*) DESC LIMIT 1",
        [ana.id]).fetchone()
    at = open_page(path, "ana.kos", "record", busiest[0])
    assert not at.exception and at.dataframe
    assert max(f.value.memory_usage(deep=True).sum() for f in at.dataframe) < 2 * 1024 * 1024
    board_page = open_page(path, "ana.kos", "board")
    shown = board.caseload_board(national, ana.id, TODAY)
    # Cards, not one huge table: at most CARDS_PER_COLUMN names per column at first.
    names = [m.value for m in board_page.markdown if m.value.startswith("**")
             and "·" not in m.value]
    assert len(names) == sum(min(n, board.CARDS_PER_COLUMN) for n in shown.counts.values())
    st.cache_data.clear()


def test_record_panels_save_once_keep_bad_input_and_say_so(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id)
    note = at.text_area(key=f"rec_contact_{person.id}_note")
    note.input("x" * 50_000)
    button(at, SL["contacts.add"]).click().run()
    assert [e.value for e in at.error] == [SL["error.text_too_long"].format(n=4000)]
    assert len(at.text_area(key=f"rec_contact_{person.id}_note").value) == 50_000  # kept
    at.text_area(key=f"rec_contact_{person.id}_note").input("Klic glede urnika")
    button(at, SL["contacts.add"]).click().run()
    assert [s.value for s in at.success] == [SL["contacts.added"]]
    assert at.text_area(key=f"rec_contact_{person.id}_note").value == ""
    at.text_input(key=f"rec_task_{person.id}_title").input("Poklicati izvajalca")
    button(at, SL["tasks.add"]).click().run()
    assert [s.value for s in at.success] == [SL["tasks.added"]]
    button(at, SL["record.save"]).click().run()
    assert [i.value for i in at.info][:1] == [SL["record.unchanged"]] and not at.error
    db = open_db(app_env)
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE participant_id = ? AND note = ?",
                      [person.id, "Klic glede urnika"]).fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND title = ?",
                      [person.id, "Poklicati izvajalca"]).fetchone()[0] == 1
