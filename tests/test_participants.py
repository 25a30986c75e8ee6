"""Intake without duplicates, validation, versions and the audit log of a person's record."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.casework_helpers import coordinator, coordinator_in, municipality_id, valid_form
from tests.conftest import TODAY
from workbench import access, participants, schedule, text
from workbench.db import write
from workbench.errors import ConflictError, UserError


def create(db, form, actor=None, **kwargs):
    ana = coordinator(db)
    kwargs.setdefault("coordinator_id", ana.id)
    return participants.create_person(db, actor or ana, form, today=TODAY, **kwargs)


def count(db, table="participants") -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_fold_ignores_case_and_slovenian_diacritics():
    assert text.fold("  ŽAGAR  Čuk ") == "zagar cuk"
    assert text.fold("Đurđa Ćosić") == "durda cosic"
    assert text.fold("Ëndrita Çela") == "endrita cela"
    assert text.search_words("50%_ off") == ["50", "off"]


def test_matching_finds_people_regardless_of_case_and_diacritics(db):
    pid, created = create(db, valid_form(db, emso=None))
    assert created
    for first, last in (("", "zagar"), ("CVETKA", ""), ("cvet", "ZAG"), ("Cvetka", "Žagar")):
        found = participants.find_matches(db, coordinator(db), first, last)
        assert pid in [m.id for m in found], (first, last)
    # A word must start a word of the name: "agar" is not "Žagar".
    assert pid not in [m.id for m in participants.find_matches(db, coordinator(db), "", "agar")]


def test_same_birth_date_and_first_name_matches_a_changed_surname(db):
    pid, _ = create(db, valid_form(db, emso=None))
    found = participants.find_matches(db, coordinator(db), "Cvetka", "Novak",
                                      birth_date=dt.date(1988, 3, 14))
    match = next(m for m in found if m.id == pid)
    assert "birth_date" in match.reasons and "name" not in match.reasons


def test_emso_matches_exactly_and_ranks_first(db):
    form = valid_form(db)
    pid, _ = create(db, form)
    found = participants.find_matches(db, coordinator(db), "Nekdo", "Drug", emso_code=form.emso)
    assert found[0].id == pid and found[0].reasons == ("emso",)
    other = form.emso[:-1] + str((int(form.emso[-1]) + 1) % 10)
    assert pid not in [m.id for m in participants.find_matches(db, coordinator(db),
                                                               emso_code=other)]


def test_creating_a_likely_duplicate_needs_an_explicit_different_person(db):
    create(db, valid_form(db, emso=None))
    before = count(db)
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, emso=None, first_name="cvetka", last_name="ZAGAR"))
    assert err.value.key == "error.possible_duplicate"
    assert count(db) == before
    _, created = create(db, valid_form(db, emso=None), different_person=True)
    assert created and count(db) == before + 1


def test_a_known_emso_is_refused_even_as_a_different_person(db):
    form = valid_form(db)
    create(db, form)
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, first_name="Marta", last_name="Kovač", emso=form.emso),
               different_person=True)
    assert err.value.key == "error.emso_taken"


def test_double_submit_with_the_same_token_makes_one_record(db):
    before = count(db)
    first = create(db, valid_form(db), token="tok-1")
    second = create(db, valid_form(db), token="tok-1", different_person=True)
    assert first == (first[0], True) and second == (first[0], False)
    assert count(db) == before + 1


@pytest.mark.parametrize(("changes", "key"), [
    ({"birth_date": TODAY + dt.timedelta(days=1), "emso": None}, "error.birth_date_future"),
    ({"birth_date": dt.date(2015, 1, 1), "emso": None}, "error.too_young"),
    ({"birth_date": dt.date(1920, 1, 1), "emso": None}, "error.too_old"),
    ({"emso": "1403988505001"}, "error.emso_invalid"),
    ({"first_name": "   "}, "error.name_required"),
    ({"last_name": ""}, "error.name_required"),
    ({"referral_person": "x" * 50_000}, "error.text_too_long"),
    ({"labour_status": None}, "error.labour_status_required"),
    ({"municipality_id": 999_999}, "error.municipality_invalid"),
    ({"sex": "M"}, "error.emso_sex"),
    ({"birth_date": dt.date(1988, 3, 15)}, "error.emso_birth_date"),
    ({"migrant": "maybe"}, "error.answer_required"),
    ({"migrant": None}, "error.answer_required"),
    ({"homeless": None}, "error.answer_required"),
    ({"residence_ok": None}, "error.answer_required"),
    ({"sex": None, "emso": None}, "error.sex_required"),
    ({"dsp_payments_24m": 30}, "error.dsp_payments_range"),
])
def test_bad_input_gets_its_message_and_writes_nothing(db, changes, key):
    before = (count(db), count(db, "audit_log"), count(db, "stage_history"))
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, **changes), different_person=True)
    assert err.value.key == key
    assert (count(db), count(db, "audit_log"), count(db, "stage_history")) == before


def test_wrong_check_digit_is_caught_for_a_real_emso(db):
    form = valid_form(db)
    wrong = form.emso[:-1] + str((int(form.emso[-1]) + 1) % 10)
    with pytest.raises(UserError) as err:
        create(db, dataclasses.replace(form, emso=wrong))
    assert err.value.key == "error.emso_invalid"


def test_isced_zero_forces_other_disadvantage(db):
    pid, _ = create(db, valid_form(db, isced=0, other_disadvantage="no"))
    assert participants.get_person(db, coordinator(db), pid).other_disadvantage == "yes"


def test_intake_starts_the_case_and_logs_who_did_it(db):
    ana = coordinator(db)
    pid, _ = create(db, valid_form(db))
    person = participants.get_person(db, coordinator(db), pid)
    assert (person.stage, person.coordinator_id, person.version) == ("referred", ana.id, 1)
    assert db.execute("SELECT to_stage, changed_by FROM stage_history WHERE participant_id = ?",
                      [pid]).fetchall() == [("referred", ana.id)]
    logged = dict(db.execute("SELECT field, new_value FROM audit_log WHERE participant_id = ? "
                             "AND action = 'create'", [pid]).fetchall())
    assert logged["last_name"] == "Žagar" and logged["stage"] == "referred"


def test_an_edit_is_versioned_and_audited_field_by_field(db):
    maja = coordinator(db, "maja.zupan")
    pid, _ = create(db, valid_form(db))
    form = {"phone": "041 555 123"}
    version = participants.update_person(db, maja, pid, 1, form, today=TODAY)
    assert version == 2
    rows = db.execute("SELECT user_id, field, old_value, new_value, version FROM audit_log "
                      "WHERE participant_id = ? AND action = 'update'", [pid]).fetchall()
    assert rows == [(maja.id, "phone", None, "041 555 123", 2)]
    # Saving the same values again is not a change.
    assert participants.update_person(db, maja, pid, 2, form, today=TODAY) == 2


def test_the_later_of_two_edits_is_refused_and_told_what_changed(db):
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    pid, _ = create(db, valid_form(db))
    seen = participants.get_person(db, coordinator(db), pid)  # both coordinators opened version 1
    participants.update_person(db, maja, pid, seen.version, {"phone": "041 111 222"}, today=TODAY)
    with pytest.raises(ConflictError) as err:
        participants.update_person(db, ana, pid, seen.version, {"address": "Cesta 1"}, today=TODAY)
    assert err.value.params["who"] == maja.display_name
    assert [(c.field, c.new) for c in err.value.changes] == [("phone", "041 111 222")]
    person = participants.get_person(db, coordinator(db), pid)
    assert (person.phone, person.address, person.version) == ("041 111 222", None, 2)


def test_reassign_needs_a_reason_moves_open_tasks_and_is_recorded(db):
    ana, petra = coordinator(db), coordinator(db, "petra.kralj")
    pid = db.execute("SELECT p.id FROM participants p JOIN tasks t ON t.participant_id = p.id "
                     "WHERE p.coordinator_id = ? AND t.done_at IS NULL LIMIT 1",
                     [ana.id]).fetchone()[0]
    version = participants.get_person(db, coordinator(db), pid).version
    with pytest.raises(UserError) as err:
        participants.reassign(db, ana, pid, version, petra.id, "  ")
    assert err.value.key == "error.reason_required"
    participants.reassign(db, ana, pid, version, petra.id, "Dopust")
    assert participants.get_person(db, coordinator(db), pid).coordinator_id == petra.id
    assert {r[0] for r in db.execute("SELECT assigned_to FROM tasks WHERE participant_id = ? "
                                     "AND done_at IS NULL", [pid])} == {petra.id}
    assert db.execute("SELECT old_value, new_value, reason FROM audit_log WHERE participant_id "
                      "= ? AND field = 'coordinator_id'", [pid]).fetchone() == (
        str(ana.id), str(petra.id), "Dopust")


def test_search_by_name_or_emso_stays_within_the_area(db):
    form = valid_form(db)
    pid, _ = create(db, form)
    assert pid in [m.id for m in participants.search(db, coordinator(db), "žagar cvetka")]
    assert [m.id for m in participants.search(db, coordinator(db), form.emso)] == [pid]
    # A coordinator of another area finds nobody of Gorenjska, by name or EMŠO.
    elsewhere = coordinator_in(db, "ljubljana.1", "ljubljana")
    assert participants.search(db, elsewhere, "žagar cvetka") == []
    assert participants.search(db, elsewhere, form.emso) == []


def test_a_double_surname_is_found_by_either_part_however_it_is_typed(db):
    pid, _ = create(db, valid_form(db, last_name="Novak-Kos", first_name="Ana"))
    for typed in ("kos", "Novak-Kos", "novak kos", "**Kos**", "ana kos", "KOS,"):
        assert pid in [m.id for m in participants.search(db, coordinator(db), typed)], typed
    assert pid not in [m.id for m in participants.search(db, coordinator(db), "oskar")]


def test_a_name_of_many_words_or_markup_is_compared_not_refused(db):
    first, last = "[Klikni tukaj](https://example.com/a/b)", "**Krepka** <b>x</b>"
    pid, _ = create(db, valid_form(db, first_name=first, last_name=last, emso=None))
    found = participants.find_matches(db, coordinator(db), first, last)
    assert pid in [m.id for m in found]


def test_an_emso_retyped_in_fullwidth_digits_is_the_same_person(db):
    form = valid_form(db)
    create(db, form)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in form.emso)
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, first_name="Marta", last_name="Kovač", emso=fullwidth),
               different_person=True)
    assert err.value.key == "error.emso_taken"
    pid, _ = create(db, valid_form(db, first_name="Nova", last_name="Oseba", emso=None),
                    different_person=True)
    participants.update_person(db, coordinator(db), pid, 1, {"emso": None}, today=TODAY)
    assert participants.get_person(db, coordinator(db), pid).emso is None


def test_an_emso_on_record_is_said_first_whatever_sex_the_form_has(db):
    form = valid_form(db)
    create(db, form)
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, first_name="Drug", last_name="Človek", sex="M",
                              emso=form.emso), different_person=True)
    assert err.value.key == "error.emso_taken"
    assert err.value.params == {"name": "Cvetka Žagar", "coordinator": "Ana Kos"}


@pytest.mark.parametrize("name", ["\u200b", "Ana\x00Evil", "Ana\u202eKos", "\x1b[2JAna",
                                  "Ana\nKos"])
def test_a_name_of_invisible_or_control_characters_is_refused(db, name):
    before = count(db)
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, emso=None, first_name=name), different_person=True)
    assert err.value.field == "first_name"
    assert err.value.key in ("error.text_invisible", "error.text_line_break")
    assert count(db) == before


def test_a_referral_from_1930_is_refused(db):
    with pytest.raises(UserError) as err:
        create(db, valid_form(db, referral_date=dt.date(1930, 1, 1)))
    assert err.value.key == "error.date_too_early"


def test_an_edit_writes_only_the_fields_it_names(db):
    pid, _ = create(db, valid_form(db))
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    participants.update_person(db, maja, pid, 1, {"phone": "031 111 222"},
                               today=TODAY)
    # Ana saves the address on top of version 2: Maja's phone stays.
    participants.update_person(db, ana, pid, 2, {"address": "Cesta 2"}, today=TODAY)
    person = participants.get_person(db, coordinator(db), pid)
    assert (person.phone, person.address) == ("031 111 222", "Cesta 2")
    with pytest.raises(ValueError):
        participants.update_person(db, ana, pid, 3, {"stage": "closed"}, today=TODAY)


def test_reassign_takes_her_future_meetings_along_and_leaves_the_past_ones(db):
    ana, petra = coordinator(db), coordinator(db, "petra.kralj")
    pid = db.execute("SELECT participant_id FROM sessions WHERE kind = 'individual' AND "
                     "coordinator_id = ? AND date >= ? AND participant_id IN (SELECT "
                     "participant_id FROM sessions WHERE kind = 'individual' AND date < ?) "
                     "LIMIT 1", [ana.id, TODAY.isoformat(), TODAY.isoformat()]).fetchone()[0]

    def meetings(when):
        return {r[0] for r in db.execute(
            f"SELECT coordinator_id FROM sessions WHERE participant_id = ? AND date {when} ?",
            [pid, TODAY.isoformat()])}

    assert meetings("<") == {ana.id} and meetings(">=") == {ana.id}
    version = participants.get_person(db, ana, pid).version
    participants.reassign(db, ana, pid, version, petra.id, "Dopust", today=TODAY)
    assert meetings("<") == {ana.id} and meetings(">=") == {petra.id}
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'sessions' AND "
                      "field = 'coordinator_id' AND reason = 'Dopust'").fetchone()[0] >= 1


def _albanian_woman(db):
    """Maja's OrientAkcija participant whose record says she needs an interpreter."""
    return db.execute("SELECT p.id FROM participants p JOIN users u ON u.id = p.coordinator_id "
                      "WHERE u.username = 'maja.zupan' AND p.language = 'sq' AND "
                      "p.interpreter_needed = 1 ORDER BY p.id LIMIT 1").fetchone()[0]


def test_enrolling_her_where_nobody_speaks_her_language_warns(db):
    maja = coordinator(db, "maja.zupan")
    pid = _albanian_woman(db)
    orient, slovenian = (db.execute("SELECT id FROM programmes WHERE area_code = 'gorenjska' "
                                    f"AND {where} ORDER BY id LIMIT 1").fetchone()[0]
                         for where in ("name LIKE 'OrientAkcija%'",
                                       "languages = 'sl' AND interpreter = 0"))
    assert participants.enrolment_warnings(db, maja, pid, orient) == []  # Albanian spoken
    [warning] = participants.enrolment_warnings(db, maja, pid, slovenian)
    assert (warning.participant_id, warning.language, warning.languages) == (pid, "sq", ("sl",))
    with write(db):  # an interpreter arranged for the Slovenian programme: nothing to warn
        db.execute("UPDATE programmes SET interpreter = 1 WHERE id = ?", [slovenian])
    assert participants.enrolment_warnings(db, maja, pid, slovenian) == []
    # Who speaks Slovenian, or needs no interpreter by her record, is never warned about.
    speaker = db.execute("SELECT id FROM participants WHERE coordinator_id = ? AND "
                         "interpreter_needed = 0 LIMIT 1", [maja.id]).fetchone()[0]
    with write(db):
        db.execute("UPDATE programmes SET interpreter = 0 WHERE id = ?", [slovenian])
    assert participants.enrolment_warnings(db, maja, speaker, slovenian) == []


def test_booking_a_meeting_or_visit_with_her_warns_unless_an_interpreter_comes(db):
    maja = coordinator(db, "maja.zupan")
    pid = _albanian_woman(db)
    meeting = schedule.Entry("individual", TODAY, "10:00", 1.0, "Srečanje",
                             participant_id=pid)
    [warning] = participants.booking_warnings(db, maja, meeting)
    assert warning.name == participants.get_person(db, maja, pid).name
    visit = schedule.Entry("mobile_unit", TODAY, "10:00", 2.0, "Obisk", people=(pid,))
    assert [w.participant_id for w in participants.booking_warnings(db, maja, visit)] == [pid]
    assert participants.interpreter_warnings(db, maja, [pid], ("sl",), interpreter=True) == []
    # Another area's coordinator learns nothing about her.
    with pytest.raises(access.Forbidden):
        participants.booking_warnings(db, coordinator_in(db, "tuja", "ljubljana"), meeting)


def _tasks_of(db, pid):
    return db.execute("SELECT assigned_to, title, due_date FROM tasks WHERE participant_id = ?",
                      [pid]).fetchall()


def test_a_referral_from_a_colleagues_municipality_lands_with_her_with_a_task(db):
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    jesenice = municipality_id(db, "Jesenice")
    assert participants.referral_coordinator(db, ana, jesenice) == maja.id
    pid, _ = participants.create_person(db, ana, valid_form(db, municipality_id=jesenice),
                                        today=TODAY)
    assert participants.get_person(db, ana, pid).coordinator_id == maja.id
    assert _tasks_of(db, pid) == [(maja.id, "Nova napotitev iz občine Jesenice",
                                   TODAY.isoformat())]


def test_a_referral_from_her_own_municipality_or_kept_on_purpose_stays_without_a_task(db):
    ana = coordinator(db)
    pid, _ = participants.create_person(db, ana, valid_form(db), today=TODAY)  # Kranj
    assert participants.get_person(db, ana, pid).coordinator_id == ana.id
    assert _tasks_of(db, pid) == []
    kept, _ = participants.create_person(
        db, ana, valid_form(db, first_name="Metka", emso=None,
                            municipality_id=municipality_id(db, "Bled")),
        coordinator_id=ana.id, today=TODAY, different_person=True)
    assert participants.get_person(db, ana, kept).coordinator_id == ana.id
    assert _tasks_of(db, kept) == []


def test_when_the_covering_coordinator_leaves_her_municipalities_route_to_the_taker(db):
    from workbench import accounts

    maja, petra = coordinator(db, "maja.zupan"), coordinator(db, "petra.kralj")
    accounts.deactivate(db, coordinator(db, "admin"), maja.id, handover_to=petra.id,
                        today=TODAY)
    bled = municipality_id(db, "Bled")
    assert participants.referral_coordinator(db, coordinator(db), bled) == petra.id
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = "
                      "'municipality_coordinators' AND old_value = ? AND new_value = ?",
                      [str(maja.id), str(petra.id)]).fetchone()[0] == 7


def test_without_a_named_coordinator_the_only_one_of_the_csd_unit_covers_it(db):
    ana = coordinator(db)
    with write(db):
        db.execute("DELETE FROM municipality_coordinators")
    # Ana is the only coordinator of the Kranj unit; the Tržič unit has none.
    assert participants.referral_coordinator(db, ana, municipality_id(db, "Šenčur")) == ana.id
    assert participants.referral_coordinator(db, ana, municipality_id(db, "Tržič")) is None
    assert participants.referral_coordinator(db, coordinator(db, "petra.kralj"),
                                             municipality_id(db, "Žiri")) == \
        coordinator(db, "petra.kralj").id


@pytest.mark.parametrize(("sex", "said"), [("F", "spremenila"), ("M", "spremenil"),
                                           (None, "spremenil(a)")])
def test_the_conflict_says_spremenila_of_a_colleague_whose_account_says_she_is_a_woman(
        db, sex, said):
    from workbench.ui import widgets

    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    with write(db):
        db.execute("UPDATE users SET sex = ? WHERE id = ?", [sex, maja.id])
    pid, _ = create(db, valid_form(db))
    participants.update_person(db, maja, pid, 1, {"phone": "041 111 222"}, today=TODAY)
    with pytest.raises(ConflictError) as err:
        participants.update_person(db, ana, pid, 1, {"address": "Cesta 1"}, today=TODAY)
    assert f"medtem ga je {said} {maja.display_name} (" in widgets.message(err.value)
