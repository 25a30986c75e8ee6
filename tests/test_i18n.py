import datetime as dt
import re

import pytest

from tests.conftest import ROOT
from workbench import i18n, vocab


def forms(message) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


def test_both_languages_have_the_same_keys_and_every_plural_form():
    assert set(i18n.SL) == set(i18n.EN)
    for key in i18n.SL:
        for lang in i18n.LANGUAGES:
            message = i18n.CATALOGUES[lang][key]
            assert all(text.strip() for text in forms(message)), (lang, key)
            if isinstance(message, dict):
                assert set(message) == set(i18n.PLURAL_FORMS[lang]), (lang, key)
                assert "{n}" in message["other"], (lang, key)


def test_placeholders_match_between_languages():
    assert re.findall(r"{(\w+)}", i18n.SL["app.signed_in_as"]) == ["name", "role"]
    for key in i18n.SL:
        names = {lang: {p for text in forms(i18n.CATALOGUES[lang][key])
                        for p in re.findall(r"{(\w+)}", text)} for lang in i18n.LANGUAGES}
        assert names["sl"] == names["en"], key


@pytest.mark.parametrize("n, expected", [(1, "1 dan v fazi"), (2, "2 dneva v fazi"),
                                         (3, "3 dnevi v fazi"), (4, "4 dnevi v fazi"),
                                         (5, "5 dni v fazi"), (101, "101 dan v fazi"),
                                         (0, "0 dni v fazi")])
def test_slovenian_counts_take_their_four_plural_forms(n, expected):
    assert i18n.translate("board.days", "sl", n=n) == expected


def test_english_counts_take_one_and_other():
    assert i18n.translate("board.days", "en", n=1) == "1 day in stage"
    assert i18n.translate("board.days", "en", n=2) == "2 days in stage"


def test_a_key_defined_twice_is_refused():
    catalogues = {"sl": {"a.b": "x"}, "en": {"a.b": "x"}}
    with pytest.raises(ValueError, match="a.b"):
        i18n.register(catalogues, {"a.b": "y"}, {"a.b": "y"})


KEY_CALL = re.compile(r"""\b(?:t|tx|translate)\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""")
ERROR_KEY = re.compile(r"""(?:UserError|ConflictError|DatabaseUnavailable)\(\s*["']"""
                       r"""([a-z_]+\.[a-z_0-9]+)["']""")
FIELD = re.compile(r"""\bfield=["']([a-z_0-9]+)["']""")
PREFIXED = re.compile(r"""\b(?:t|tx)\(\s*f["']([a-z_]+)\.\{""")


def code_files():
    return [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("workbench/**/*.py")]


def test_every_key_the_code_uses_exists():
    used = set()
    for path in code_files():
        source = path.read_text()
        used |= set(KEY_CALL.findall(source)) | set(ERROR_KEY.findall(source))
        # A field named in a UserError is shown with its label.
        used |= {f"field.{name}" for name in FIELD.findall(source)}
    used |= {p.title_key for p in __import__("workbench.access").access.PAGES}
    assert len(used) > 300, "the scan found too few keys"
    assert sorted(used - set(i18n.SL)) == []


def test_every_code_of_a_closed_list_has_a_label():
    for prefix, codes in (("stage", vocab.STAGES), ("target_group", vocab.TARGET_GROUPS),
                          ("role", vocab.ROLES), ("session_kind", vocab.SESSION_KINDS),
                          ("task_kind", vocab.TASK_KINDS),
                          ("problem", vocab.PROBLEM_AREAS), ("contact_kind", vocab.CONTACT_KINDS),
                          ("goal_status", vocab.GOAL_STATUSES),
                          ("referral_status", vocab.REFERRAL_OUT_STATUSES),
                          ("exit_destination", vocab.EXIT_DESTINATIONS),
                          ("closure_reason", vocab.CLOSURE_REASONS),
                          ("drop_out_reason", vocab.DROP_OUT_REASONS),
                          ("outcome", vocab.EXIT_OUTCOMES), ("sex", vocab.SEXES),
                          ("labour_status", vocab.LABOUR_STATUSES),
                          ("referral_source", vocab.REFERRAL_SOURCES),
                          ("person_language", vocab.PERSON_LANGUAGES),
                          ("answer", vocab.SENSITIVE_ANSWERS), ("isced", vocab.ISCED_LEVELS),
                          ("score", vocab.PROBLEM_SCORES),
                          ("enrolment_status", vocab.ENROLMENT_STATUSES)):
        for code in codes:
            assert f"{prefix}.{code}" in i18n.SL, f"{prefix}.{code}"


def test_every_list_a_change_log_names_has_labels_and_every_prefix_exists():
    for listed in set(vocab.VALUE_LISTS.values()):
        assert any(k.startswith(f"{listed}.") for k in i18n.SL), listed
    prefixes = {p for path in code_files() for p in PREFIXED.findall(path.read_text())}
    for prefix in prefixes:
        assert any(k.startswith(f"{prefix}.") for k in i18n.SL), prefix


def test_dates_and_times_are_written_the_slovenian_way():
    assert i18n.format_date(dt.date(2026, 11, 22)) == "22. 11. 2026"
    assert i18n.format_date("2026-01-05", "en") == "5. 1. 2026"
    assert i18n.format_datetime("2026-11-23T00:24:10") == "23. 11. 2026 ob 00:24"
    assert i18n.weekday_name(dt.date(2026, 11, 23)) == "ponedeljek"
    assert i18n.weekday_name(dt.date(2026, 11, 23), "en") == "Monday"
    assert i18n.format_number(12345.4) == "12.345"


def test_unknown_language_falls_back_to_slovenian():
    assert i18n.translate("login.title", "de") == "Prijava"


@pytest.mark.parametrize("key, n, sl, en", [
    ("calendar.kept", 1, "1 srečanje ni več v načrtu, a ima", "1 session is no longer"),
    ("calendar.kept", 2, "2 srečanji nista več v načrtu", "2 sessions are no longer"),
    ("calendar.kept", 3, "3 srečanja niso več v načrtu", "3 sessions are no longer"),
    ("calendar.kept", 5, "5 srečanj ni več v načrtu", "5 sessions are no longer"),
    ("programme.warn_months", 1, "Program traja 1 mesec;", "lasts 1 month;"),
    ("programme.warn_months", 2.0, "Program traja 2 meseca;", "lasts 2 months;"),
    ("programme.warn_months", 4.5, "Program traja 4,5 mesece;", "lasts 4.5 months;"),
    ("reporting.ema_count", 1, "V izvozu: 1 oseba.", "In the export: 1 person."),
    ("reporting.quality_first", 3, "uredite 3 zapise", "Fix 3 records"),
    ("error.capacity_below_enrolled", 2, "v programu sta že 2 osebi", "2 people are"),
])
def test_a_count_agrees_with_its_noun_in_both_languages(key, n, sl, en):
    params = {"n": n, "dates": "", "expected": 6}
    assert sl in i18n.translate(key, "sl", **params)
    assert en in i18n.translate(key, "en", **params)


# Nouns in the form that agrees only with 5 and more (or 0): after a count a user sees, the
# message must be a plural form chosen by Babel, not this one for every number.
_MANY_ONLY = re.compile(r"\{n\}\**\s+(oseb|srečanj|zapisov|mesecev|dni|ur|nalog)\b")
# Limits that are always large (a password's length, a search's words, a log's entries).
_LIMITS = {"error.password_short", "error.password_long", "password.forced",
           "error.search_too_long", "error.text_too_long", "auditlog.count_more",
           "auditlog.chain_unchecked", "error.modules_too_many"}


def test_no_count_a_user_sees_is_written_in_one_form_for_every_number():
    fixed = [k for k, v in i18n.SL.items() if isinstance(v, str) and k not in _LIMITS
             and _MANY_ONLY.search(v)]
    assert not fixed, fixed


def test_every_table_and_column_a_change_log_can_name_has_a_label(memory_db):
    """The record's "Sled sprememb" and the audit viewer show words, never "offered_on" or
    "closure_days": every column of every table the log writes (the whole schema after the
    migrations, but the machinery tables) has a label in both languages, so a new column
    added without one fails here."""
    missing = []
    for table in memory_db.table_names():
        if table in vocab.UNLOGGED_TABLES:
            continue
        for log in (False, True):
            key = i18n.table_key(table, log=log)
            if key is None or any(key not in i18n.CATALOGUES[lang] for lang in i18n.LANGUAGES):
                missing.append(("table", table))
        if table == "audit_log":  # the log names itself (an export), never its columns
            continue
        for column in memory_db[table].columns_dict:
            if column == "id":
                continue
            key = i18n.field_key(column)
            if key is None or any(key not in i18n.CATALOGUES[lang] for lang in i18n.LANGUAGES):
                missing.append((table, column))
    assert missing == []
    assert i18n.translate(i18n.field_key("offered_on"), "sl") == "Ponujeno"
    assert i18n.translate(i18n.table_key("closure_days", log=True), "sl") == "zaprti dnevi"


def test_a_gendered_word_agrees_with_the_person_when_her_sex_is_known():
    assert i18n.translate_for("role.coordinator", "F") == "koordinatorka"
    assert i18n.translate_for("role.coordinator", "M") == "koordinator"
    assert i18n.translate_for("role.coordinator", None) == "koordinator(ka)"
    assert i18n.translate_for("enrolment_status.active", "F") == "vključena"
    assert i18n.translate_for("enrolment_status.active", "M") == "vključen"
    assert i18n.translate_for("enrolment_status.active", None) == "vključen(a)"


# "(a)", "(na)", "(ka)" words that stay neutral: said of whoever it may be (a column heading
# or a field label over many rows or accounts, a colleague not chosen yet, a role in
# general, the option that says "neutral").
NEUTRAL_ON_PURPOSE = {
    "auditlog.field_created_by", "auditlog.field_updated_by", "record.reassign_to",
    "error.exit_outcome_required", "calendar.whose", "charts.coordinator", "col.coordinator",
    "error.unit_required", "field.coordinator", "field.coordinator_id", "intake.coordinator",
    "reporting.ema_names", "sheet.sign_coordinator", "users.sex.none",
}
GENDERED = re.compile(r"\((a|na|ka|ica)\)")  # "vključen(a)", "neaktiven(na)", "koordinator(ka)"


def test_every_word_said_of_a_person_has_her_and_his_form():
    """A new "(a)" word needs its .F and .M forms (i18n_fields._SAID_OF), unless it is said
    of nobody in particular; the forms are whole words, not the neutral one."""
    from workbench import i18n_fields

    neutral = {k for k, v in i18n.SL.items() if isinstance(v, str) and GENDERED.search(v)
               and not k.endswith((".F", ".M"))}
    missing = sorted(k for k in neutral - NEUTRAL_ON_PURPOSE
                     if f"{k}.F" not in i18n.SL or f"{k}.M" not in i18n.SL)
    assert missing == []
    for key in i18n_fields._SAID_OF:
        her, his = (i18n.translate_for(key, s) for s in ("F", "M"))
        assert not GENDERED.search(her) and not GENDERED.search(his) and her != his, key
        assert i18n.translate_for(key, None) == i18n.SL[key]
        assert i18n.translate_for(key, "F", "en") == i18n.translate(key, "en")
    assert i18n.translate_for("closure_reason.declined", "F") == "ni želela sodelovati"
    assert i18n.translate_for("labour_status.unemployed", "M") == "brezposeln"
    assert i18n.translate_for("labour_status.inactive", "F") == "neaktivna, ne v izobraževanju"
    assert i18n.translate_for("role.trainer", "F") == "izobraževalka"


@pytest.mark.parametrize("minutes, said", [(1, "1 minuto"), (2, "2 minuti"), (3, "3 minute"),
                                           (5, "5 minut"), (30, "30 minut"), (101, "101 minuto")])
def test_the_idle_sign_out_says_its_minutes_in_the_right_form(minutes, said):
    from workbench.i18n import translate

    assert translate("count.idle_minutes", "sl", n=minutes) == said
    assert translate("login.ended.idle", "sl", minutes=said).startswith(
        f"Seja je potekla, ker {said} ni bila")
