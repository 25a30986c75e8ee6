"""What people type: cleaned once for every field, with a message for what cannot be kept."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT
from workbench import emso, text
from workbench.errors import UserError


@pytest.mark.parametrize("typed, key", [
    ("\u200b", "error.text_invisible"),                 # a zero-width space alone
    ("Ana\x00Evil", "error.text_invisible"),            # NUL hides the rest elsewhere
    ("\x1b[31mAna\x1b[0m", "error.text_invisible"),     # ANSI colours
    ("Ana\u202eKos", "error.text_invisible"),           # right-to-left override
    ("Ana\u2066Kos\u2069", "error.text_invisible"),     # bidi isolates
    ("\ufeffAna", "error.text_invisible"),              # a byte-order mark
    ("Ana\ue000", "error.text_invisible"),              # private use
    ("Ana\nKos", "error.text_line_break"),             # a line break in a one-line field
    ("Ana\rKos", "error.text_line_break"),
    ("   ", "error.text_required"),
    ("\u00a0\u2003", "error.text_required"),            # only odd spaces
    ("x" * 101, "error.text_too_long"),
])
def test_text_that_cannot_be_kept_is_refused_with_a_message(typed, key):
    with pytest.raises(UserError) as err:
        text.clean(typed, limit=100, required=True, field="first_name")
    assert (err.value.key, err.value.field) == (key, "first_name")


@pytest.mark.parametrize("typed, stored", [
    ("  Ana   Kos ", "Ana Kos"),
    ("Z\u030cagar", "Žagar"),                           # decomposed caron: NFC
    ("Ana\u00a0Kos", "Ana Kos"),                        # no-break space
    ("Ana\tKos", "Ana Kos"),                            # pasted from a spreadsheet
    ("O'Brien-Novak", "O'Brien-Novak"),
    ("[Klikni](https://example.com)", "[Klikni](https://example.com)"),  # kept, escaped on show
    ("Ëndrita Çela 😀", "Ëndrita Çela 😀"),
])
def test_text_is_normalised_and_otherwise_kept_as_typed(typed, stored):
    assert text.clean(typed, limit=100) == stored


def test_a_note_keeps_its_lines():
    assert text.clean("prva\r\ndruga\n\ttretja", limit=100, multiline=True) == \
        "prva\ndruga\n\ttretja"


@given(st.text(max_size=300))
def test_clean_never_keeps_what_it_refuses_and_is_stable(typed):
    try:
        cleaned = text.clean(typed, limit=200)
    except UserError as err:
        assert err.key in ("error.text_invisible", "error.text_line_break",
                           "error.text_too_long")
        return
    if cleaned is None:
        return
    assert cleaned == cleaned.strip() and len(cleaned) <= 200
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in cleaned)
    assert text.clean(cleaned, limit=200) == cleaned


@pytest.mark.parametrize("typed", ["Ana\tKos", "Ana\nKos", "Ana\r\nKos", "Ana\x0bKos",
                                   "Ana\x0cKos", "Ana\x85Kos"])
def test_a_space_like_control_separates_the_words_of_a_search(typed):
    """A search pasted from a spreadsheet (a tab) finds "Ana Kos", not "AnaKos"."""
    assert text.words(typed) == ["ana", "kos"]
    assert text.words("Ana\u200bKos\x00") == ["anakos"]  # invisible: dropped, joins


@pytest.mark.parametrize("typed, stored", [
    ("0308988505015", "0308988505015"),
    ("030 898 850 5015", "0308988505015"),
    ("０３０８９８８５０５０１５", "0308988505015"),         # fullwidth: NFKC to ASCII
])
def test_emso_is_normalised_to_ascii_digits(typed, stored):
    assert emso.normalise(typed) == stored


@pytest.mark.parametrize("typed", ["٠٣٠٨٩٨٨٥٠٥٠١٥", "0308988505O15", "03089885050١5", "²" * 13])
def test_emso_in_other_digits_is_not_valid(typed):
    assert not emso.is_valid(emso.normalise(typed))


@pytest.mark.parametrize("value, expected", [
    ("6", 6), (" 42 ", 42), ("²", None), ("٣", None), ("1" * 23, None), ("-5", None),
    ("0", None), ("6 OR 1=1", None), ("", None), (None, None), ("999999999999999999", 10**18 - 1),
    ("1", 1), ("1" + "0" * 18, None),  # the first id; 19 digits are no id of ours
])
def test_a_record_id_from_an_address(value, expected):
    assert text.parse_id(value) == expected


def test_a_search_of_40000_words_is_refused_not_run():
    with pytest.raises(UserError) as err:
        text.search_words("ana " * 40_000)
    assert err.value.key == "error.search_too_long"
    assert err.value.params == {"n": text.SEARCH_MAX_WORDS}  # the message says how many
    assert text.search_words("Ana  Kos") == ["ana", "kos"]


def test_a_search_up_to_the_limits_is_run():
    """Exactly SEARCH_MAX characters or SEARCH_MAX_WORDS words is still a search."""
    longest = "a" * text.SEARCH_MAX
    assert text.search_words(longest) == [longest]
    most = " ".join(["ana"] * text.SEARCH_MAX_WORDS)
    assert text.search_words(most) == ["ana"] * text.SEARCH_MAX_WORDS
    for too_much in (longest + "a", most + " ana"):
        with pytest.raises(UserError):
            text.search_words(too_much)


def test_a_tab_does_not_let_an_invisible_character_through():
    """A tab pasted from a spreadsheet is whitespace, but what follows it is still checked."""
    assert text.clean("Ana\tKos", limit=100) == "Ana Kos"
    with pytest.raises(UserError) as err:
        text.clean("Ana\t\u200bKos", limit=100, field="first_name")
    assert err.value.key == "error.text_invisible"


def test_too_long_text_says_the_limit():
    with pytest.raises(UserError) as err:
        text.clean("x" * 41, limit=40, field="phone")
    assert (err.value.key, err.value.params) == ("error.text_too_long", {"n": 40})


@pytest.mark.parametrize("typed, amount", [
    ("2,5\u00a0€", 2.5), ("1\u00a0234", 1234.0), ("2 ,5", 2.5), ("12.25 €", 12.25),
])
def test_an_amount_with_spaces_or_the_euro_sign(typed, amount):
    """A no-break space (what a spreadsheet puts before €) or a space is not part of a number."""
    assert text.parse_decimal(typed) == amount


def test_names_and_places_sort_the_slovenian_way(db):
    from workbench import auth, places

    names = ["Žiri", "Tržič", "Šenčur", "Cerklje", "Čeh", "Ćosić", "Dovje", "Sava", "zala"]
    assert sorted(names, key=text.sort_key) == [
        "Cerklje", "Čeh", "Ćosić", "Dovje", "Sava", "Šenčur", "Tržič", "zala", "Žiri"]
    shown = [name for name, _ in places.municipalities(db, "gorenjska").values()]
    assert shown.index("Šenčur") < shown.index("Tržič") < shown.index("Žiri")
    people = [u.display_name for u in auth.list_users(db)]
    assert people == sorted(people, key=text.sort_key)


def test_sqlite_sorts_names_with_the_same_key_as_python(memory_db):
    """``ORDER BY ... COLLATE sl`` on every connection sorts as text.sort_key does."""
    names = ["Žiri", "Tržič", "Šenčur", "Cerklje", "Čeh", "Ćosić", "Dovje", "Sava", "zala"]
    got = [r[0] for r in memory_db.execute(
        "SELECT value FROM json_each(?) ORDER BY value COLLATE sl", [json.dumps(names)])]
    assert got == sorted(names, key=text.sort_key)
    assert text.collate("Čeh", "Cerar") == 1 and text.collate("Cerar", "Čeh") == -1
    assert text.collate("Ana", "Ana") == 0


# A column that holds a name (of a person, programme, place, provider, unit, institution);
# not a sign-in name, nor the name of a table (sqlite_schema in a backup's check).
_NAME_COLUMN = re.compile(r"^(?:\w+\.)?(?:\w*name|institution)$")
_NOT_PEOPLES = ("username", "sqlite_schema")


def test_every_sql_list_of_names_sorts_the_slovenian_way():
    """An ``ORDER BY`` on a name column without ``COLLATE sl`` sorts by code points and puts
    Čeh, Šuštar and Žagar after Zupan: none is left in the library."""
    plain = []
    for path in (ROOT / "workbench").rglob("*.py"):
        source = path.read_text()
        for query, clause in re.findall(r"(.{0,200})ORDER BY ([^\"\n)]+)", source, re.S):
            for term in clause.split(","):
                words_ = term.split()
                if words_ and _NAME_COLUMN.match(words_[0]) and "COLLATE sl" not in term \
                        and not any(w in words_[0] or w in query for w in _NOT_PEOPLES):
                    plain.append(f"{path.relative_to(ROOT)}: ORDER BY {clause.strip()}")
    assert not plain, plain


# -- typed reasons: they stay in the audit log for ever (issue 20, item 8) ------------------
_KOREN = ("Anže", "Koren")


@pytest.mark.parametrize("typed, key", [
    ("Anže Koren (EMŠO 0101990500006)", "error.reason_has_emso"),
    ("EMŠO 0101990 500006 po pomoti", "error.reason_has_emso"),     # spaces inside
    ("0 1 0 1 9 9 0 5 0 0 0 0 6", "error.reason_has_emso"),
    ("št. ０１０１９９０５０００００６", "error.reason_has_emso"),         # fullwidth digits
    ("Anže Koren je bil napoten po pomoti", "error.reason_has_name"),
    ("napotitev za ANŽE je bila napaka", "error.reason_has_name"),  # case
    ("Anze se je preselil", "error.reason_has_name"),              # typed without the ž
    ("po pomoti (koren)", "error.reason_has_name"),                 # the last name alone
    ("Napotitev po pomoti", None),
    ("Korenine težav so drugje", None),                            # not a whole word
    ("Ana se je preselila", None),                                 # another name
    ("napaka 12. 3. 2026, tel. 041 123 456", None),                 # a date, a phone: no EMŠO
    ("001234567890", None),                                        # 12 digits
])
def test_a_reason_with_an_emso_or_the_persons_name_is_refused(typed, key):
    if key is None:
        assert text.clean_reason(typed, names=_KOREN) == typed
        return
    with pytest.raises(UserError) as refused:
        text.clean_reason(typed, names=_KOREN)
    assert (refused.value.key, refused.value.field) == (key, "reason")


def test_a_reason_about_nobody_is_refused_only_for_an_emso():
    assert text.clean_reason("Anže Koren odhaja") == "Anže Koren odhaja"
    with pytest.raises(UserError, match="error.reason_has_emso"):
        text.clean_reason("0101990500006")
    assert text.clean_reason("  ", names=_KOREN) is None
    with pytest.raises(UserError, match="error.text_required"):
        text.clean_reason("", required=True)
    # Slovenian letters are letters of the word: "Žana" is not the name "Žan", "ČEH" is "Čeh".
    assert text.clean_reason("Žana je bila obveščena", names=("Žan", "Čeh")) is not None
    with pytest.raises(UserError, match="error.reason_has_name"):
        text.clean_reason("obvestilo za ČEH", names=("Žan", "Čeh"))


# -- ids and amounts handed to the library, and the reasons' edges (mutation testing) ---------
def test_an_id_is_a_positive_number_up_to_sqlite_s_largest():
    largest = 2**63 - 1
    assert text.as_id("6") == 6 and text.as_id(" 6 ") == 6  # typed in an address
    assert text.as_id(0) is None and text.as_id(-1) is None
    assert text.as_id(largest) == largest and text.as_id(largest + 1) is None


def test_an_amount_that_is_no_text_is_refused_for_its_field():
    with pytest.raises(UserError) as err:
        text.parse_decimal(["2,5"], field="hours")
    assert (err.value.key, err.value.field) == ("error.number_format", "hours")


def test_a_reason_too_long_is_refused_for_the_reason_field():
    with pytest.raises(UserError) as err:
        text.clean_reason("x" * (text.SHORT_TEXT_MAX + 1))
    assert err.value.field == "reason"


def test_a_name_s_initial_is_no_name_but_a_two_letter_name_is():
    """A one-letter part of a name ("A. Kos") would refuse every "a" in a reason; a
    two-letter surname ("Li") is a name all the same."""
    assert text.clean_reason("Točka a in b", names=["A", "Kos"]) == "Točka a in b"
    with pytest.raises(UserError) as err:
        text.clean_reason("Poklicala je Li", names=["Bo", "Li"])
    assert err.value.key == "error.reason_has_name"
