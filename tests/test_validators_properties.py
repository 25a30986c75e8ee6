"""Property-based tests of the validators: whatever is typed, a clear message (a UserError
whose key is in the Slovenian catalogue) or a correct value, never another exception.

Validators of workbench/text.py, workbench/emso.py and workbench/dates.py; the start time
of a calendar entry, a module's figures, the contract's amounts, attendance hours and the
allowance's rounding; of the accounts only the username (the password rules are changing
elsewhere).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import shutil
import string
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casework_helpers import coordinator, valid_form
from tests.conftest import TODAY
from workbench import (
    allowances,
    attendance,
    auth,
    dates,
    emso,
    enrolment,
    i18n,
    participants,
    programmes,
    schedule,
    text,
)
from workbench.db import open_db
from workbench.errors import UserError

FAST = settings(max_examples=150, deadline=None)
WITH_DB = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}

# Text as it arrives: any code point, surrogates included (a browser can send them),
# with the characters that matter most drawn often.
HOSTILE_CHARS = st.sampled_from(list("\x00\x1b\x7f\x85\u200b\u200d\u202e\u2066\ufeff\ud800"
                                     "\ue000\uffff\n\r\t \u00a0\u3000<>&'\"%_\\:[]()!*#"
                                     "ČŠŽčšžĆćĐđ\u030c\u0301😀"))
TYPED = st.text(st.one_of(st.characters(), HOSTILE_CHARS), max_size=120)


def refused(err: UserError, *keys: str) -> None:
    assert err.key in i18n.SL, err.key
    if keys:
        assert err.key in keys, err.key


# -- text.clean and friends -----------------------------------------------------------------
@FAST
@given(TYPED, st.integers(1, 150), st.booleans(), st.booleans())
def test_clean_gives_a_message_or_storable_text(typed, limit, required, multiline):
    try:
        cleaned = text.clean(typed, limit=limit, required=required, multiline=multiline,
                             field="f")
    except UserError as err:
        refused(err, "error.text_invisible", "error.text_line_break", "error.text_required",
                "error.text_too_long")
        assert err.field == "f"
        return
    if cleaned is None:
        assert not required
        return
    assert cleaned == cleaned.strip() and 0 < len(cleaned) <= limit
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(unicodedata.category(c) in REFUSED_CATEGORIES and c not in "\n\t"
                   for c in cleaned)
    if not multiline:
        assert "\n" not in cleaned and "\t" not in cleaned and "  " not in cleaned
    assert "\r" not in cleaned
    # What is stored, cleaned again, stays as it is (an edit that changes nothing saves
    # nothing).
    assert text.clean(cleaned, limit=limit, required=required, multiline=multiline) == cleaned


@FAST
@given(TYPED)
def test_fold_words_and_keys_never_raise_and_hold_no_markup(typed):
    folded = text.fold(typed)
    assert folded == " ".join(folded.split())
    assert not any(unicodedata.combining(c) or unicodedata.category(c) in REFUSED_CATEGORIES
                   for c in folded)
    found = text.words(typed)
    assert all(w and all(c.isalnum() for c in w) for w in found)
    assert text.words(" ".join(found)) == found
    key = text.name_key(typed, typed)
    assert key.startswith(" ") and key.endswith(" ")
    assert not set(key) & set("%_<>'\"\\")
    text.sort_key(typed)


@FAST
@given(st.text(max_size=300))
def test_search_words_are_a_few_words_or_a_message(query):
    try:
        found = text.search_words(query)
    except UserError as err:
        refused(err, "error.search_too_long")
        assert len(query) > text.SEARCH_MAX or len(text.words(query)) > text.SEARCH_MAX_WORDS
        return
    assert len(found) <= text.SEARCH_MAX_WORDS and found == text.words(query)


@FAST
@given(st.one_of(TYPED, st.floats(allow_nan=True), st.integers(), st.none()))
def test_parse_decimal_gives_a_number_nothing_or_a_message(typed):
    try:
        number = text.parse_decimal(typed, field="amount")
    except UserError as err:
        refused(err, "error.number_format")
        assert isinstance(typed, str)
        return
    if isinstance(typed, str):
        assert number is None or (0 <= number < 10**6 and math.isfinite(number))
        assert (number is None) == (typed.strip().replace("€", "").strip() == "")
    else:
        assert number is typed  # a number from a number widget is taken as it is


@FAST
@given(st.integers(0, 999_999), st.integers(0, 99), st.sampled_from([",", "."]),
       st.booleans())
def test_amounts_typed_the_slovenian_way_read_back_exactly(whole, cents, mark, euro):
    typed = f" {whole}{mark}{cents:02d}{' €' if euro else ''} "
    assert text.parse_decimal(typed) == pytest.approx(whole + cents / 100)


@FAST
@given(st.one_of(TYPED, st.integers(-10**20, 10**20).map(str)))
def test_parse_id_gives_an_id_sqlite_can_hold_or_nothing(typed):
    found = text.parse_id(typed)
    assert found is None or (type(found) is int and 0 < found < 2**63)
    digits = typed.strip()
    if digits.isascii() and digits.isdigit() and 0 < int(digits) < 10**18:
        assert found == int(digits)


# -- EMŠO --------------------------------------------------------------------------------------
BIRTH_DATES = st.dates(dt.date(1800, 1, 1), dt.date(2799, 12, 31))


@FAST
@given(BIRTH_DATES, st.sampled_from(["F", "M"]), st.randoms(use_true_random=False))
def test_a_generated_emso_is_valid_and_says_birth_date_and_sex(born, sex, rng):
    code = emso.generate(born, sex, rng)
    assert emso.is_valid(code) and valid_by_definition(code)
    assert emso.birth_date(code) == born and emso.sex(code) == sex
    assert int(code[9:12]) < 500 if sex == "M" else int(code[9:12]) >= 500
    # As typed with spaces, dots or dashes, or in fullwidth digits: the same code.
    spaced = f" {code[:2]}.{code[2:4]}.{code[4:7]} {code[7:9]}-{code[9:]} "
    assert emso.normalise(spaced) == code
    assert emso.normalise(code.translate(str.maketrans(string.digits, "０１２３４５６７８９"))) \
        == code


@FAST
@given(BIRTH_DATES, st.sampled_from(["F", "M"]), st.randoms(use_true_random=False),
       st.integers(0, 12), st.integers(1, 9))
def test_any_single_digit_change_is_refused(born, sex, rng, position, shift):
    code = emso.generate(born, sex, rng)
    digit = (int(code[position]) + shift) % 10
    changed = code[:position] + str(digit) + code[position + 1:]
    assert not emso.is_valid(changed)


WEIGHTS = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def valid_by_definition(code: str) -> bool:
    """EMŠO from its definition, independently of workbench.emso: 13 ASCII digits
    DDMMYYYRRBBBK, YYY 800-999 the years 1800-1999 and 000-799 the years 2000-2799, a
    real day, and K = 11 - (weighted sum of the first 12 mod 11), 11 being 0 and 10
    never valid."""
    if len(code) != 13 or any(c not in "0123456789" for c in code):
        return False
    yyy = int(code[4:7])
    try:
        dt.date(1000 + yyy if yyy >= 800 else 2000 + yyy, int(code[2:4]), int(code[:2]))
    except ValueError:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(code[:12], WEIGHTS, strict=True)) % 11
    return check != 10 and check % 11 == int(code[12])


@FAST
@given(st.one_of(TYPED, st.from_regex(r"\A[0-9]{13}\Z"),
                 st.builds(lambda day, rest: f"{day:%d%m}{day.year % 1000:03d}{rest}",
                           BIRTH_DATES, st.from_regex(r"\A[0-9]{6}\Z"))))
def test_is_valid_is_the_definition_of_emso(typed):
    """Any text, any 13 digits, and 13 digits of a real birth date (so that the check
    digit decides): valid exactly when the definition says so."""
    code = emso.normalise(typed) or ""
    assert emso.is_valid(code) is valid_by_definition(code), code


# -- dates -------------------------------------------------------------------------------------
@FAST
@given(st.one_of(TYPED, st.from_regex(r"\A\s?\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?\d{4}\.?\Z"),
                 st.from_regex(r"\A\d{4}-\d{1,2}-\d{1,2}\Z")))
def test_parse_gives_a_date_nothing_or_a_message(typed):
    try:
        day = dates.parse(typed, field="d")
    except UserError as err:
        refused(err, "error.date_format", "error.date_invalid")
        assert err.field == "d"
        return
    typed_text = unicodedata.normalize("NFKC", typed).strip()
    if day is None:
        assert typed_text == ""
        return
    # A date read from text has the numbers typed, day-month-year or year-month-day.
    numbers = [int(n) for n in re.findall(r"\d+", typed_text)]
    assert numbers in ([day.day, day.month, day.year], [day.year, day.month, day.day])


@FAST
@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_dates_typed_either_way_read_back_exactly(day):
    for typed in (dates.written(day), f"{day.day}.{day.month}.{day.year}",
                  f"{day.day:02d}. {day.month:02d}. {day.year}.", day.isoformat(),
                  f"{day.day}/{day.month}/{day.year}"):
        assert dates.parse(typed) == day, typed


@FAST
@given(st.integers(0, 99), st.integers(0, 99), st.integers(1000, 9999))
def test_impossible_days_are_refused_as_such(day, month, year):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(UserError) as err:
            dates.parse(f"{day}.{month}.{year}")
        refused(err.value, "error.date_invalid")
        return
    assert dates.parse(f"{day}.{month}.{year}") == real


TODAYS = st.dates(dt.date(2017, 1, 1), dt.date(2090, 12, 31))


@FAST
@given(st.dates(), TODAYS)
def test_an_event_day_has_happened_within_the_operation(day, today):
    try:
        stored = dates.event_day(day, today)
    except UserError as err:
        refused(err, "error.date_too_early", "error.date_future")
        assert day < dates.EARLIEST_CASE_DATE or day > today
        return
    assert stored == day.isoformat() and dates.EARLIEST_CASE_DATE <= day <= today


@FAST
@given(st.dates(), TODAYS)
def test_a_plan_day_lies_ahead_within_five_years(day, today):
    try:
        stored = dates.plan_day(day, today)
    except UserError as err:
        refused(err, "error.date_too_early", "error.date_past", "error.date_too_late")
        assert day < today or day > today + dt.timedelta(days=5 * 365 - 3)
        return
    assert stored == day.isoformat()
    assert today <= day <= today + dt.timedelta(days=5 * 366)


@FAST
@given(st.one_of(st.none(), st.just(""), st.just("  ")), TODAYS)
def test_a_required_day_left_empty_is_asked_for(empty, today):
    with pytest.raises(UserError) as err:
        dates.event_day(empty, today)
    refused(err.value, "error.date_required")
    assert dates.plan_day(empty, today) is None


# -- times, modules, contracts -------------------------------------------------------------------
@FAST
@given(st.one_of(TYPED, st.from_regex(r"\A\d{1,2}[:.]\d{1,2}\Z")))
def test_a_start_time_is_hours_and_minutes_python_can_read(typed):
    try:
        start = schedule.clean_time(typed)
    except UserError as err:
        refused(err, "error.time_format")
        return
    assert start.isascii() and len(start) == 5
    assert dt.time.fromisoformat(start)
    schedule.end_time(start, 1.5)


@FAST
@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from([":", "."]), st.booleans())
def test_valid_times_read_back(hour, minute, mark, padded):
    typed = f"{hour:02d}" if padded else str(hour)
    assert schedule.clean_time(f" {typed}{mark}{minute:02d} ") == f"{hour:02d}:{minute:02d}"


CELLS = st.one_of(st.none(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                  TYPED, st.sampled_from(["3", "4,5", " 2 ", "1e400", "inf", "-0"]))


@FAST
@given(st.lists(st.fixed_dictionaries({
    "name": st.one_of(st.none(), TYPED), "length": CELLS,
    "unit": st.sampled_from(["weeks", "months", "days", "", None]),
    "hours_per_day": CELLS,
    "weekdays": st.lists(st.one_of(st.sampled_from([str(d) for d in range(8)]), CELLS),
                         max_size=4)}), max_size=3))
def test_module_rows_give_modules_or_a_message_naming_the_row(rows):
    try:
        modules = programmes.clean_modules(rows)
    except UserError as err:
        refused(err)
        return
    for module in modules:
        assert 1 <= module.length <= 24 and type(module.length) is int
        assert 0 < module.hours_per_day <= schedule.MAX_SESSION_HOURS
        assert module.weekdays and set(module.weekdays) <= set(range(7))
        assert module.unit in programmes.MODULE_UNITS


AMOUNTS = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-1000, 1000), TYPED,
                    st.decimals(0, 400, places=2).map(lambda d: str(d).replace(".", ",")))


@FAST
@given(AMOUNTS, AMOUNTS, st.one_of(st.none(), st.dates(), TYPED))
def test_contract_terms_give_amounts_in_range_or_a_message(ticket, distance, start):
    contract = dt.date(2026, 5, 4)
    try:
        terms = enrolment._clean_terms(enrolment.Terms(planned_start=start, ticket_eur=ticket,
                                                       distance_km=distance), contract)
    except UserError as err:
        refused(err)
        return
    assert contract.isoformat() <= terms["start_date"]
    for name, top in (("ticket_eur", 50), ("distance_km", 300)):
        value = terms[name]
        assert value is None or (math.isfinite(value) and 0 <= value <= top)


@FAST
@given(st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=6))
def test_allowances_round_half_up_to_the_cent(amount):
    rounded = allowances._money(amount)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - amount) <= Decimal("0.005")


# -- with a database: attendance hours, the person's form, usernames ------------------------------
@pytest.fixture(scope="module")
def module_db(seeded_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("properties") / "demo.db"
    shutil.copy(seeded_template, path)
    db = open_db(path, create=True)
    db.execute("PRAGMA synchronous = OFF")
    yield db
    db.close()


@pytest.fixture(scope="module")
def session_of_two_hours(module_db):
    ana = coordinator(module_db)
    pid, _ = participants.create_person(
        module_db, ana, valid_form(module_db, emso=None, first_name="Lastnost",
                                   referral_date=TODAY - dt.timedelta(days=40)),
        coordinator_id=ana.id, today=TODAY, different_person=True)
    sid = schedule.add_entry(module_db, ana, schedule.Entry(
        kind="individual", day=TODAY - dt.timedelta(days=3), start_time="06:00", hours=2,
        title="Pogovor", participant_id=pid), today=TODAY)
    return ana, pid, sid


@WITH_DB
@given(st.one_of(st.floats(allow_nan=True), st.integers(-10**20, 10**20), st.none()),
       st.sampled_from(["present", "absent", "excused"]))
def test_attendance_hours_are_within_the_session_or_refused(module_db, session_of_two_hours,
                                                            hours, status):
    ana, pid, sid = session_of_two_hours
    version = module_db.execute("SELECT version FROM sessions WHERE id = ?",
                                [sid]).fetchone()[0]
    try:
        attendance.record(module_db, ana, sid, version, {pid: (status, hours)}, today=TODAY)
    except UserError as err:
        refused(err, "error.attendance_hours")
        assert status == "present" and not (hours is not None and 0 < hours <= 2)
        return
    stored = module_db.execute("SELECT status, hours FROM attendance WHERE session_id = ?",
                               [sid]).fetchone()
    expected = float(hours) if status == "present" else 0.0
    assert stored == (status, expected) and 0 <= stored[1] <= 2


@WITH_DB
@given(st.dates(TODAY.replace(year=TODAY.year - 99), TODAY.replace(year=TODAY.year - 16)),
       st.sampled_from(["F", "M"]), st.randoms(use_true_random=False), st.integers(0, 12),
       st.integers(0, 9))
def test_the_person_form_takes_exactly_the_emso_of_her_birth_date_and_sex(
        module_db, born, sex, rng, position, shift):
    code = emso.generate(born, sex, rng)
    typed = code[:position] + str((int(code[position]) + shift) % 10) + code[position + 1:]
    form = valid_form(module_db, emso=typed, birth_date=born, sex=sex)
    try:
        values = participants.clean(module_db, form, TODAY, "gorenjska")
    except UserError as err:
        refused(err, "error.emso_invalid", "error.emso_birth_date", "error.emso_sex")
        assert shift != 0
        return
    assert shift == 0 and values["emso"] == code


USERNAME_CHARS = string.ascii_lowercase + string.digits + "._-"


@WITH_DB
@given(st.one_of(st.text(USERNAME_CHARS + string.ascii_uppercase, min_size=1, max_size=45),
                 TYPED))
def test_a_username_is_the_documented_pattern_or_refused(module_db, typed):
    try:
        user = auth.create_user(module_db, typed, "Oseba Lastnosti", "coordinator", "",
                                area_code="gorenjska", unit_code="kranj",
                                password_hash=_HASH)
    except UserError as err:
        refused(err, "error.username_invalid", "error.username_taken")
        name = typed.strip().lower()
        assert err.key == "error.username_taken" or not (
            2 <= len(name) <= auth.USERNAME_MAX and set(name) <= set(USERNAME_CHARS)
            and name[0] not in "._-")
        return
    assert user.username == typed.strip().lower()
    assert set(user.username) <= set(USERNAME_CHARS) and len(user.username) <= auth.USERNAME_MAX


_HASH = auth.hash_password("Ne-uporablja-se-7")


def test_a_random_birth_date_range_is_what_emso_can_say():
    """EMŠO carries three digits of the year: 800-999 are 1800-1999, 000-799 2000-2799."""
    rng = random.Random(1)
    for year in (1800, 1999, 2000, 2799):
        born = dt.date(year, 6, 1)
        assert emso.birth_date(emso.generate(born, "F", rng)) == born
