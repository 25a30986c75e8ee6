"""AppTest flows of the casework screens: intake with a duplicate warning, a stage move with
its exit destination, a conflict between two sessions, and who may see what."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from tests.apptest_helpers import (
    button,
    column,
    component_text,
    components,
    errors,
    linked_people,
    open_page,
    tables,
    widget,
)
from tests.casework_helpers import a_logged_contract, coordinator, person_of
from tests.conftest import TODAY
from workbench import board, emso, participants, pipeline, vocab
from workbench.db import open_db
from workbench.i18n import SL
from workbench.rules import rule_value
from workbench.text import fold
from workbench.ui.widgets import md


def count_people(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    finally:
        db.close()


def existing_person(db_path):
    db = open_db(db_path)
    person = participants.get_person(db, coordinator(db), person_of(db, "stage = 'in_programme'"))
    db.close()
    return person


def fill_intake(at, first: str, last: str, born: str, **extra) -> None:
    """Fill the intake's required fields as a coordinator would (dates typed)."""
    widget(at, "text_input", "_first_name").input(first)
    widget(at, "text_input", "_last_name").input(last)
    widget(at, "text_input", "_birth_date").input(born)
    widget(at, "radio", "_sex").set_value(extra.get("sex", "F"))
    widget(at, "selectbox", "_municipality_id").select_index(0)
    widget(at, "selectbox", "_target_group").select("dsp")
    widget(at, "radio", "_labour_status").set_value("unemployed")
    for name in ("_migrant", "_disability", "_other_disadvantage"):
        widget(at, "selectbox", name).select("no")
    widget(at, "radio", "_homeless").set_value(False)
    widget(at, "radio", "_residence_ok").set_value(True)
    widget(at, "selectbox", "_referral_source").select("zrsz")
    at.run()


def test_intake_warns_of_a_likely_duplicate_and_saves_only_when_confirmed(app_env):
    known = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "intake")
    # Typed without capitals or diacritics, as coordinators often do.
    fill_intake(at, fold(known.first_name), fold(known.last_name).upper(), "5. 5. 1990")
    assert not at.exception
    assert at.warning and at.warning[-1].value.startswith("Morda je oseba že v evidenci")
    assert known.id in linked_people(at) and known.name in component_text(at)
    before = count_people(app_env)
    button(at, SL["intake.save"]).click().run()
    assert [e[:29] for e in errors(at)] == [SL["error.possible_duplicate"]["one"][:29]]
    assert count_people(app_env) == before
    widget(at, "checkbox", "_different_person").check().run()
    button(at, SL["intake.save"]).click().run()
    assert at.success[-1].value == SL["intake.saved.F"].format(
        name=f"{fold(known.first_name)} {fold(known.last_name).upper()}")
    assert count_people(app_env) == before + 1
    # Saved, the form is empty for the next person at once, and the saved one is named above
    # it with a link to her record: a second press has nothing to save.
    assert widget(at, "text_input", "_first_name").value == ""
    assert widget(at, "radio", "_sex").value is None
    assert SL["intake.open_record"] in component_text(at)
    button(at, SL["intake.save"]).click().run()
    assert errors(at) and count_people(app_env) == before + 1
    assert at.success[-1].value.startswith(SL["intake.saved.F"].split("{")[0])


def test_intake_refuses_a_wrong_emso_and_an_empty_name(app_env):
    at = open_page(app_env, "ana.kos", "intake")
    fill_intake(at, "Nova", "Oseba", "5. 5. 1990")
    widget(at, "text_input", "_emso").input("0505990505001").run()
    assert SL["error.emso_invalid"] in errors(at)
    before = count_people(app_env)
    button(at, SL["intake.save"]).click().run()
    assert f"{SL['field.emso']}: {SL['error.emso_invalid']}" in errors(at)
    widget(at, "text_input", "_emso").input("").run()
    widget(at, "text_input", "_first_name").input("   ").run()
    button(at, SL["intake.save"]).click().run()
    assert f"{SL['field.first_name']}: {SL['error.name_required']}" in errors(at)
    assert count_people(app_env) == before


def test_a_future_birth_date_is_said_so_and_not_replaced_by_an_older_one(app_env):
    at = open_page(app_env, "ana.kos", "intake")
    fill_intake(at, "Nova", "Oseba", "5. 5. 1975")
    assert "51 let" in " ".join(m.value for m in at.markdown)
    widget(at, "text_input", "_birth_date").input("5. 5. 2031").run()
    shown = " ".join(m.value for m in at.markdown)
    # The old date is not used: the age is asked for again.
    min_age = int(rule_value(open_db(app_env), "min_age", TODAY))
    assert "51 let" not in shown and SL["elig.min_age.unknown"].format(min=min_age) in shown
    assert f"{SL['field.birth_date']}: {SL['error.birth_date_future']}" in errors(at)
    button(at, SL["intake.save"]).click().run()
    assert f"{SL['field.birth_date']}: {SL['error.birth_date_future']}" in errors(at)
    widget(at, "text_input", "_birth_date").input("31. 2. 1990").run()
    button(at, SL["intake.save"]).click().run()
    assert f"{SL['field.birth_date']}: {SL['error.date_invalid']}" in errors(at)


def test_an_emso_on_record_is_named_as_such_whatever_sex_is_chosen(app_env):
    known = existing_person(app_env)
    # Her EMŠO says her sex (digits 10-12: below 500 a man), so the other sex chosen below
    # contradicts it: the message must still be that the EMŠO is on record.
    assert ("M" if int(known.emso[9:12]) < 500 else "F") == known.sex
    at = open_page(app_env, "ana.kos", "intake")
    other_sex = "F" if known.sex == "M" else "M"
    fill_intake(at, "Druga", "Oseba", "1. 1. 1990", sex=other_sex)
    widget(at, "text_input", "_emso").input(known.emso).run()
    expected = SL["error.emso_taken"].format(name=md(known.name),
                                             coordinator=md(known.coordinator))
    assert f"{SL['field.emso']}: {expected}" in errors(at)
    before = count_people(app_env)
    button(at, SL["intake.save"]).click().run()
    assert f"{SL['field.emso']}: {expected}" in errors(at)
    assert SL["error.emso_sex"] not in " ".join(errors(at))
    assert count_people(app_env) == before


def test_exit_needs_a_destination_then_creates_follow_ups(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id)
    assert not at.exception and at.title[0].value == md(person.name)
    to_stage = widget(at, "selectbox", r"move_g\d+_to")
    assert to_stage.value is None  # nothing chosen for her, even with one way forward
    button(at, SL["record.move_save"]).click().run()
    assert f"{SL['field.to_stage']}: {SL['error.stage_required']}" in errors(at)
    to_stage.select("exited").run()
    widget(at, "radio", "_outcome").set_value("completed").run()
    button(at, SL["record.move_save"]).click().run()
    assert f"{SL['field.destination']}: {SL['error.exit_destination_required']}" in errors(at)
    widget(at, "selectbox", "_destination").select("tertiary_social_enterprise").run()
    button(at, SL["record.move_save"]).click().run()
    assert not at.exception
    assert at.success[0].value == SL["record.moved"].format(stage=SL["stage.exited"])
    db = open_db(app_env)
    moved = participants.get_person(db, coordinator(db), person.id)
    assert (moved.stage, moved.exit_destination) == ("exited", "tertiary_social_enterprise")
    kinds = {r[0] for r in db.execute("SELECT kind FROM tasks WHERE participant_id = ? AND "
                                      "done_at IS NULL", [person.id])}
    assert {"follow_up_4w", "follow_up_6m"} <= kinds


def data_tab(db_path, username, person):
    return open_page(db_path, username, "record", person.id, zavihek=SL["tab.data"])


def test_two_sessions_editing_one_person_the_later_save_is_refused(app_env):
    person = existing_person(app_env)
    ana = data_tab(app_env, "ana.kos", person)
    maja = data_tab(app_env, "maja.zupan", person)
    widget(maja, "text_input", "_phone").input("031 222 333")
    button(maja, SL["record.save"]).click().run()
    assert maja.success[0].value == SL["record.saved"]
    widget(ana, "text_input", "_address").input("Koroška cesta 5")
    button(ana, SL["record.save"]).click().run()
    assert any("Maja Zupan" in e for e in errors(ana)), errors(ana)
    changes = " ".join(m.value for m in ana.markdown)
    assert SL["field.phone"] in changes and "031 222 333" in changes
    db = open_db(app_env)
    saved = participants.get_person(db, coordinator(db), person.id)
    assert (saved.phone, saved.address) == ("031 222 333", person.address)
    # Loading the current version shows Maja's phone in the form ...
    button(ana, SL["record.reload"]).click().run()
    assert widget(ana, "text_input", "_phone").value == "031 222 333"
    assert widget(ana, "text_input", "_address").value == (person.address or "")
    # ... and Ana's edit goes through without undoing it.
    widget(ana, "text_input", "_address").input("Koroška cesta 5")
    button(ana, SL["record.save"]).click().run()
    saved = participants.get_person(db, coordinator(db), person.id)
    assert (saved.phone, saved.address) == ("031 222 333", "Koroška cesta 5")
    log = db.execute("SELECT field FROM audit_log WHERE participant_id = ? AND action = "
                     "'update' ORDER BY id", [person.id]).fetchall()
    assert log == [("phone",), ("address",)]


def stored_row(db, pid: int) -> dict:
    cursor = db.execute("SELECT * FROM participants WHERE id = ?", [pid])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))


def test_a_save_writes_only_what_she_changed(app_env):
    """Her save writes the one field she changed: not the values the form shows for the
    others (an address kept as imported, with its double spaces, which the form would
    store tidied), and not over a colleague's save of another field in the meantime."""
    person = existing_person(app_env)
    db = open_db(app_env)
    with db.conn:  # as an old import left it: a save of the whole form would tidy it
        db.execute("UPDATE participants SET address = 'Stara  cesta   3' WHERE id = ?",
                   [person.id])
    ana = data_tab(app_env, "ana.kos", person)
    participants.update_person(db, coordinator(db, "maja.zupan"), person.id, person.version,
                               {"phone": "031 999 888"}, today=TODAY)
    widget(ana, "text_input", "_email").input("cvetka@posta.si")
    button(ana, SL["record.save"]).click().run()
    assert any("Maja Zupan" in e for e in errors(ana)), errors(ana)  # her form was stale
    button(ana, SL["record.reload"]).click().run()
    before = stored_row(db, person.id)
    assert (before["phone"], before["address"]) == ("031 999 888", "Stara  cesta   3")
    assert before["email"] != "cvetka@posta.si"
    widget(ana, "text_input", "_email").input("cvetka@posta.si")
    button(ana, SL["record.save"]).click().run()
    assert not errors(ana) and ana.success[0].value == SL["record.saved"]
    after = stored_row(db, person.id)
    assert after["email"] == "cvetka@posta.si" and after["version"] == before["version"] + 1
    untouched = set(before) - {"email", "version", "updated_at", "updated_by"}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert db.execute("SELECT field, old_value, new_value FROM audit_log WHERE "
                      "participant_id = ? AND action = 'update' AND version = ?",
                      [person.id, after["version"]]).fetchall() == [
        ("email", before["email"], "cvetka@posta.si")]
    db.close()


def test_opening_a_record_is_audited_once_per_visit(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "maja.zupan", "record", person.id)
    at.run()
    db = open_db(app_env)
    opens = db.execute("SELECT COUNT(*) FROM audit_log WHERE participant_id = ? AND action = "
                       "'open' AND user_id = (SELECT id FROM users WHERE username = "
                       "'maja.zupan')", [person.id]).fetchone()[0]
    assert opens == 1


def test_board_shows_her_cards_and_colleagues_boards(app_env):
    db = open_db(app_env)
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    expected = board.caseload_board(db, maja, maja.id, TODAY)
    at = open_page(app_env, "ana.kos", "board")
    assert at.selectbox(key="board_coordinator").value == ana.id
    at.selectbox(key="board_coordinator").set_value(maja.id).run()
    assert not at.exception
    [markup] = components(at)
    assert f"{SL['stage.in_programme']} · {expected.counts['in_programme']}" in markup
    shown = {c.id for cards in expected.columns.values() for c in cards[:board.CARDS_PER_COLUMN]}
    assert set(linked_people(at)) == shown
    assert at.caption[0].value == SL["board.total"].format(n=expected.total)


def test_the_board_opens_as_its_address_says_and_ignores_what_it_cannot_use(app_env):
    """A refresh or a bookmark of a filtered board (?koordinator=&skupina=&zamuda=) shows
    the same board; a crafted address shows her own, unfiltered."""
    db = open_db(app_env)
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    group = next(g for g in vocab.TARGET_GROUPS
                 if board.caseload_board(db, maja, maja.id, TODAY,
                                         board.Filters(target_group=g)).total)
    expected = board.caseload_board(db, maja, maja.id, TODAY,
                                    board.Filters(target_group=group, include_finished=True))
    at = open_page(app_env, "ana.kos", "board", koordinator=str(maja.id), skupina=group,
                   zakljuceni="True")
    assert not at.exception
    assert at.selectbox(key="board_coordinator").value == maja.id
    assert at.selectbox(key="board_group").value == group
    assert at.toggle(key="board_finished").value and not at.toggle(key="board_overdue").value
    shown = {c.id for cards in expected.columns.values() for c in cards[:board.CARDS_PER_COLUMN]}
    assert shown and set(linked_people(at)) == shown
    # What she changes goes into the address; what she empties leaves it.
    at.toggle(key="board_overdue").set_value(True).run()
    at.selectbox(key="board_group").set_value(None).run()
    assert at.query_params["zamuda"] == "True" and "skupina" not in at.query_params
    crafted = open_page(app_env, "ana.kos", "board", koordinator="999999",
                        skupina="<b>x</b>", program="abc", obcina="-1", zamuda="yes")
    assert not crafted.exception and not crafted.error
    assert crafted.selectbox(key="board_coordinator").value == ana.id
    assert [crafted.selectbox(key=k).value for k in
            ("board_group", "board_programme", "board_municipality")] == [None] * 3
    assert not crafted.toggle(key="board_overdue").value
    mine = board.caseload_board(db, ana, ana.id, TODAY)
    assert crafted.caption[0].value == SL["board.total"].format(n=mine.total)


@pytest.mark.parametrize("username", ["vodja", "admin"])
def test_managers_see_workload_but_no_person(app_env, username):
    person = existing_person(app_env)
    at = open_page(app_env, username, "workload")
    assert not at.exception and at.title[0].value == SL["workload.title"]
    frame = tables(at)[0]
    db = open_db(app_env)
    assert set(column(frame, SL["col.coordinator"])) == {
        coordinator(db, name).display_name for name in ("ana.kos", "maja.zupan", "petra.kralj")}
    # The record page is not in her navigation, and opened by its address it refuses.
    direct = open_page(app_env, username, "record", person.id)
    assert errors(direct) == [SL["app.forbidden"]]
    assert md(person.name) not in " ".join(t.value for t in direct.title)


def test_a_coordinator_cannot_open_a_person_of_another_area(app_env):
    db = open_db(app_env)
    with db.conn:
        db.execute("UPDATE users SET area_code = 'ljubljana' WHERE username = 'petra.kralj'")
    person = existing_person(app_env)
    at = open_page(app_env, "petra.kralj", "record", person.id)
    assert errors(at) == [SL["record.not_found"]]
    assert md(person.name) not in " ".join(t.value for t in at.title)


@pytest.mark.parametrize("bad", ["²", "٣", "1" * 23, "-5", "0", "6 OR 1=1", "", "abc"])
def test_a_person_id_that_is_no_id_says_so(app_env, bad):
    at = open_page(app_env, "ana.kos", "record", bad)
    assert not at.exception
    assert errors(at) == [SL["record.not_found"]] or (bad == "" and not errors(at))


def test_a_40000_word_search_is_refused_with_a_message(app_env):
    at = open_page(app_env, "ana.kos", "record")
    # The browser stops typing at the field's 200 characters; a pasted 40,000 words
    # arrive cut to those, and the library refuses the rest (tests/test_text.py).
    at.text_input(key="record_search").input(("ana " * 50).strip()).run()
    assert not at.exception
    assert errors(at) == [SL["error.search_too_long"].format(n=8)]


def test_no_table_sent_to_the_browser_is_over_2_mb_on_national_data(national, monkeypatch):
    import streamlit as st

    path = national.execute("PRAGMA database_list").fetchone()[2]
    monkeypatch.setenv("WORKBENCH_DB", path)
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    ana = coordinator(national)
    busiest = national.execute(
        "SELECT participant_id FROM contacts c JOIN participants p ON p.id = c.participant_id "
        "WHERE p.coordinator_id = ? GROUP BY participant_id ORDER BY COUNT(*) DESC LIMIT 1",
        [ana.id]).fetchone()
    at = open_page(path, "ana.kos", "record", busiest[0], zavihek=SL["tab.contacts"])
    assert not at.exception and tables(at)
    assert max(len(markup) for markup in components(at)) < 2 * 1024 * 1024
    board_page = open_page(path, "ana.kos", "board")
    shown = board.caseload_board(national, ana, ana.id, TODAY)
    # Cards, not one huge table: at most CARDS_PER_COLUMN names per column at first.
    assert len(linked_people(board_page)) == sum(
        min(n, board.CARDS_PER_COLUMN) for n in shown.counts.values())
    assert max(len(m) for m in components(board_page)) < 2 * 1024 * 1024
    st.cache_data.clear()
    st.cache_resource.clear()


def test_record_panels_save_once_keep_bad_input_and_say_so(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=SL["tab.contacts"])
    widget(at, "selectbox", "_kind").select("phone")
    widget(at, "text_area", "_note").input("x" * 50_000)
    button(at, SL["contacts.add"]).click().run()
    assert errors(at) == [f"{SL['field.note']}: " + SL["error.text_too_long"].format(n=4000)]
    assert len(widget(at, "text_area", "_note").value) == 50_000  # kept
    widget(at, "text_area", "_note").input("Klic glede urnika")
    button(at, SL["contacts.add"]).click().run()
    assert [s.value for s in at.success] == [SL["contacts.added"]]
    assert widget(at, "text_area", "_note").value == ""  # a new, empty form
    at.query_params["zavihek"] = SL["tab.tasks"]
    at.run()
    widget(at, "text_input", "_title").input("Poklicati izvajalca")
    button(at, SL["tasks.add"]).click().run()
    assert [s.value for s in at.success] == [SL["tasks.added"]]
    at.query_params["zavihek"] = SL["tab.data"]
    at.run()
    button(at, SL["record.save"]).click().run()
    assert [i.value for i in at.info][:1] == [SL["record.unchanged"]] and not at.error
    db = open_db(app_env)
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE participant_id = ? AND note = ?",
                      [person.id, "Klic glede urnika"]).fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM tasks WHERE participant_id = ? AND title = ?",
                      [person.id, "Poklicati izvajalca"]).fetchone()[0] == 1


def test_the_change_log_speaks_slovenian_and_keeps_openings_apart(app_env):
    person = existing_person(app_env)
    db = open_db(app_env)
    ana = coordinator(db)
    pipeline.move_stage(db, ana, person.id, person.version, pipeline.Move(
        "exited", TODAY, outcome="completed", destination="job_searching"),
        today=TODAY)
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=SL["tab.audit"])
    changes, opens = tables(at)
    shown = str(changes)
    for raw in ("participants", "due_date", "follow_up_4w", "exit_destination", "T0", "?"):
        assert raw not in shown, raw
    assert SL["audit.system"] in set(column(changes, SL["col.who"]))  # the follow-ups it created
    assert SL["task_kind.follow_up_4w"] in shown and SL["field.due_date"] in shown
    assert SL["exit_destination.job_searching"] in shown
    assert re.search(r"\d{1,2}\. \d{1,2}\. \d{4} ob \d\d:\d\d", shown)
    assert SL["action.open"] not in shown
    assert column(opens, SL["col.who"]) == [ana.display_name]


def test_the_same_assessment_pressed_twice_is_saved_once(app_env):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=SL["tab.problems"])
    widget(at, "selectbox", r"scores_g\d+_debt").set_value(3)  # in a form: sent with the press
    button(at, SL["problems.save"]).click().run()
    assert at.success[0].value == SL["problems.saved"]
    db = open_db(app_env)
    saved = db.execute("SELECT COUNT(*) FROM problem_scores WHERE participant_id = ?",
                       [person.id]).fetchone()[0]
    # The form comes back with the latest scores; pressed again it saves nothing new.
    assert widget(at, "selectbox", r"scores_g\d+_debt").value == 3
    button(at, SL["problems.save"]).click().run()
    assert [i.value for i in at.info] == [SL["record.unchanged"]]
    assert not at.success
    assert db.execute("SELECT COUNT(*) FROM problem_scores WHERE participant_id = ?",
                      [person.id]).fetchone()[0] == saved


def test_the_intake_never_calls_an_emso_valid_that_the_save_refuses(app_env):
    """A valid number of another birth date or of a man, typed for this woman: the intake
    says what is wrong at once (the message the save gives), never "EMŠO je veljaven"."""
    at = open_page(app_env, "ana.kos", "intake")
    fill_intake(at, "Nova", "Oseba", "5. 5. 1990", sex="F")
    for code, key in ((emso.generate(dt.date(1990, 5, 6), "F", random.Random(1)),
                       "error.emso_birth_date"),
                      (emso.generate(dt.date(1990, 5, 5), "M", random.Random(1)),
                       "error.emso_sex")):
        widget(at, "text_input", "_emso").input(code).run()
        assert SL[key] in errors(at)
        assert SL["intake.emso_ok"] not in [s.value for s in at.success]
        button(at, SL["intake.save"]).click().run()
        assert f"{SL['field.emso']}: {SL[key]}" in errors(at)
    fine = emso.generate(dt.date(1990, 5, 5), "F", random.Random(1))
    widget(at, "text_input", "_emso").input(fine).run()
    assert SL["intake.emso_ok"] in [s.value for s in at.success]


def test_the_record_header_marks_an_overdue_next_task_as_overdue(app_env):
    """The next task's day alone does not say it is late: past it, the header says so."""
    late = person_of(app_env, "(SELECT MIN(due_date) FROM tasks t WHERE t.participant_id = "
                     f"participants.id AND t.done_at IS NULL) < '{TODAY.isoformat()}'")
    on_time = person_of(app_env, "(SELECT MIN(due_date) FROM tasks t WHERE t.participant_id = "
                        f"participants.id AND t.done_at IS NULL) >= '{TODAY.isoformat()}'")
    for person, delta in ((late, SL["tasks.overdue"]), (on_time, None)):
        at = open_page(app_env, "ana.kos", "record", person=person)
        task = next(m for m in at.metric if m.label == SL["record.next_task"])
        assert task.proto.delta == (delta or "")


def test_the_change_log_names_programmes_places_and_meetings_not_their_codes(app_env):
    """A contract, a ticket of 2.30 €, attendance of 2.5 h and an individual meeting: the
    record's change log reads "Tečaj", "Kranj", "2,3", "Individualno srečanje", not ids,
    codes or "table.sessions"."""
    db = open_db(app_env)
    _, person = a_logged_contract(db, coordinator(db), "Tečaj Abeceda", "Novak")
    municipality = db.execute("SELECT m.name FROM participants p JOIN municipalities m "
                              "ON m.id = p.municipality_id WHERE p.id = ?", [person]).fetchone()[0]
    ids = db.execute("SELECT programme_id FROM enrolments WHERE participant_id = ?",
                     [person]).fetchone()
    db.close()
    at = open_page(app_env, "ana.kos", "record", person, zavihek=SL["tab.audit"])
    changes = tables(at)[0]
    shown = str(changes)
    for raw in ("table.", "field.", "generated", "individual", "'present'", "'active'",
                "'2.3'", "'2.5'", "'1.0'"):
        assert raw not in shown, raw
    old_new = set(column(changes, SL["col.new"])) | set(column(changes, SL["col.old"]))
    assert str(ids[0]) not in old_new
    assert {"Tečaj Abeceda", municipality, "2,3", "2,5", SL["session_kind.individual"],
            SL["table.sessions"], SL["table.attendance"]} <= old_new | set(
        column(changes, SL["col.record"]))


def test_the_open_tab_is_named_by_an_id_that_works_in_both_languages(app_env):
    """?zavihek=contacts opens the contacts in Slovenian and in English, survives the switch
    of language, and an old link with the tab's label is turned into the id."""
    from workbench.i18n import EN
    from workbench.ui.lang import LANG_KEY

    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek="contacts")
    assert button(at, SL["contacts.add"]) and at.query_params["zavihek"] == "contacts"
    at.session_state[LANG_KEY] = "en"
    at.run()
    assert button(at, EN["contacts.add"]) and at.query_params["zavihek"] == "contacts"
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=SL["tab.tasks"])
    assert button(at, SL["tasks.add"]) and at.query_params["zavihek"] == "tasks"
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=EN["tab.tasks"])
    assert button(at, SL["tasks.add"]) and at.query_params["zavihek"] == "tasks"


def _full_disk(monkeypatch) -> None:
    """Every connection the app opens from now on finds the database unable to grow: what
    SQLite says on a full disk (SQLITE_FULL, "database or disk is full")."""
    from workbench.ui import loaders

    opened = loaders.open_db

    def at_its_limit(*args, **kwargs):
        db = opened(*args, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(loaders, "open_db", at_its_limit)


def test_a_save_on_a_full_disk_says_so_keeps_the_text_and_writes_nothing(app_env, monkeypatch):
    person = existing_person(app_env)
    at = open_page(app_env, "ana.kos", "record", person.id, zavihek=SL["tab.contacts"])
    contacts = open_db(app_env).execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    _full_disk(monkeypatch)
    typed = "Dolg pogovor o urniku. " * 150  # needs new pages, as a real note may
    widget(at, "selectbox", "_kind").select("phone")
    widget(at, "text_area", "_note").input(typed)
    button(at, SL["contacts.add"]).click().run()
    assert not at.exception
    assert errors(at) == [SL["app.disk_full"]]
    assert str(app_env) not in " ".join(errors(at)) and "/" not in SL["app.disk_full"]
    assert widget(at, "text_area", "_note").value == typed  # her text is still there
    assert open_db(app_env).execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == contacts
    # Another visitor still gets the sign-in form, and a sign-in says the same, no trace.
    from tests.apptest_helpers import sign_in

    other = sign_in("maja.zupan")
    assert not other.exception
    assert other.subheader[0].value == SL["login.title"]
    assert errors(other) == [SL["app.disk_full_now"]]  # no form of hers to keep: what to do
    assert tables(other)  # the demo accounts are still listed
    # She signs out: the full disk keeps it from being written, this browser forgets her.
    button(at, SL["app.sign_out"]).click().run()
    assert not at.exception and at.subheader[0].value == SL["login.title"]
    assert SL["login.sign_out_unrecorded"] in [w.value for w in at.warning]
