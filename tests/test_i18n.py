import datetime as dt
import re

from tests.conftest import ROOT
from workbench import i18n, vocab


def test_both_languages_have_the_same_keys():
    assert set(i18n.SL) == set(i18n.EN)
    assert all(i18n.SL[k].strip() and i18n.EN[k].strip() for k in i18n.SL)


def test_placeholders_match_between_languages():
    assert re.findall(r"{(\w+)}", i18n.SL["app.signed_in_as"]) == ["name", "role"]
    for key in i18n.SL:
        assert set(re.findall(r"{(\w+)}", i18n.SL[key])) == \
            set(re.findall(r"{(\w+)}", i18n.EN[key])), key


def test_every_key_the_code_uses_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("workbench/**/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""",
                               path.read_text()))
        used |= set(re.findall(r"""(?:UserError|ConflictError)\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""",
                               path.read_text()))
    app = (ROOT / "app.py").read_text()
    used |= set(re.findall(r'"(nav\.[a-z_]+)"', app))
    assert used, "the scan found no keys"
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
                          ("score", vocab.PROBLEM_SCORES)):
        for code in codes:
            assert f"{prefix}.{code}" in i18n.SL, f"{prefix}.{code}"


def test_dates_are_written_the_slovenian_way():
    assert i18n.format_date(dt.date(2026, 11, 22)) == "22. 11. 2026"
    assert i18n.format_date("2026-01-05", "en") == "5. 1. 2026"
    assert i18n.weekday_name(dt.date(2026, 11, 23)) == "ponedeljek"
    assert i18n.weekday_name(dt.date(2026, 11, 23), "en") == "Monday"


def test_unknown_language_falls_back_to_slovenian():
    assert i18n.translate("login.title", "de") == "Prijava"
