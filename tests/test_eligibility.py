"""Eligibility for social activation and for a long programme, from dated rules."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from workbench import eligibility, i18n
from workbench.participants import PersonInput


def evaluate(db, **overrides):
    values = dict(target_group="dsp", residence_ok=True, birth_date=dt.date(1990, 1, 1),
                  dsp_payments_24m=12, on=TODAY)
    values.update(overrides)
    return eligibility.evaluate(db, **values)


def failed(result) -> set[str]:
    return {c.key for c in result.checks + result.long_checks if not c.ok}


def test_a_dsp_recipient_of_36_with_12_payments_fits_a_long_programme(memory_db):
    result = evaluate(memory_db)
    assert result.eligible and result.long_programme and failed(result) == set()


def test_long_programme_limits_age_49_and_12_payments(memory_db):
    on_50th = dt.date(1976, 11, 22)  # 50 on TODAY
    assert failed(evaluate(memory_db, birth_date=on_50th)) == {"long_age"}
    assert evaluate(memory_db, birth_date=on_50th + dt.timedelta(days=1)).long_programme
    result = evaluate(memory_db, dsp_payments_24m=11)
    assert result.eligible and not result.long_programme and failed(result) == {"long_dsp"}
    assert failed(evaluate(memory_db, dsp_payments_24m=None)) == {"long_dsp"}


def test_residence_is_required_for_groups_one_to_four_only(memory_db):
    assert failed(evaluate(memory_db, residence_ok=False)) == {"residence"}
    women = evaluate(memory_db, residence_ok=False, target_group="women_language_barrier")
    assert women.eligible
    assert "residence_not_required" in {c.key for c in women.checks}


def test_minimum_age_comes_from_the_rules_table(memory_db):
    fourteen = TODAY.replace(year=TODAY.year - 14)
    assert failed(evaluate(memory_db, birth_date=fourteen)) >= {"min_age"}
    # A decree raising the long programme's age limit from 2027 is a new dated row.
    memory_db.execute("INSERT INTO rules (name, value, effective_from) "
                      "VALUES ('long_programme_max_age', 54, '2027-01-01')")
    born = dt.date(1975, 1, 1)
    assert not evaluate(memory_db, birth_date=born).long_programme
    assert evaluate(memory_db, birth_date=born, on=dt.date(2027, 2, 1)).long_programme


# What the eligibility box on the intake and record screens lists, in English: each
# condition's mark (met, to be entered, not met) and its sentence, in the screen's order.
def shown(result) -> list[str]:
    return [("✓" if c.ok else "?" if c.unknown else "✗") + " "
            + i18n.translate(c.text_key, "en", **c.params)
            for c in result.checks + result.long_checks]


IN_GROUP = "✓ The person is in one of the target groups."
RESIDENT = "✓ Has citizenship or permanent residence (required for groups 1–4)."
ENTER_BIRTH = "? Enter the date of birth (the minimum age is 15)."
ENTER_DSP = ("? For the long programme, enter how many times DSP was received in the last "
             "24 months (needs at least 12).")


def dsp_line(count: int) -> str:
    if count >= 12:
        return f"✓ Received DSP {count} times in the last 24 months (needs at least 12)."
    return f"✗ Received DSP {count} times in the last 24 months; needs at least 12."


def age_lines(age: int) -> list[str]:
    return [f"✓ Age {age} (minimum 15)." if age >= 15 else f"✗ Age {age}; the minimum is 15.",
            f"✓ Age {age} (long programme up to 49)." if age <= 49
            else f"✗ Age {age}; the long programme is up to 49."]


# (case, evaluate's arguments, eligible, long programme, the lines shown)
SHOWN = [
    ("dsp_36_12_payments", {}, True, True,
     [IN_GROUP, RESIDENT, *age_lines(36), dsp_line(12)]),
    ("nothing_entered_yet", dict(birth_date=None, dsp_payments_24m=None), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, ENTER_DSP]),
    ("birth_date_missing", dict(birth_date=None), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, dsp_line(12)]),
    ("fifteen_today", dict(birth_date=dt.date(2011, 11, 22), dsp_payments_24m=11), True, False,
     [IN_GROUP, RESIDENT, *age_lines(15), dsp_line(11)]),
    ("fifteen_tomorrow", dict(birth_date=dt.date(2011, 11, 23)), False, False,
     [IN_GROUP, RESIDENT, *age_lines(14), dsp_line(12)]),
    ("fifty", dict(birth_date=dt.date(1976, 11, 22), dsp_payments_24m=None), True, False,
     [IN_GROUP, RESIDENT, *age_lines(50), ENTER_DSP]),
    ("no_residence", dict(residence_ok=False), False, False,
     [IN_GROUP, "✗ Groups 1–4 require citizenship or permanent residence.", *age_lines(36),
      dsp_line(12)]),
    ("women_language_barrier", dict(target_group="women_language_barrier", residence_ok=False),
     True, True,
     [IN_GROUP, "✓ Citizenship or permanent residence is not required for this target group.",
      *age_lines(36), dsp_line(12)]),
    ("no_target_group", dict(target_group=None), False, False,
     ["✗ Choose a target group.", *age_lines(36), dsp_line(12)]),
]


@pytest.mark.parametrize("values, eligible, long_programme, lines",
                         [case[1:] for case in SHOWN], ids=[case[0] for case in SHOWN])
def test_the_eligibility_box_says_which_condition_holds_and_why(memory_db, values, eligible,
                                                               long_programme, lines):
    result = evaluate(memory_db, **values)
    assert (result.eligible, result.long_programme) == (eligible, long_programme)
    assert shown(result) == lines


def test_the_dsp_window_in_the_sentence_comes_from_the_rules_table(memory_db):
    memory_db.execute("INSERT INTO rules (name, value, effective_from) "
                      "VALUES ('long_programme_dsp_window_months', 18, '2027-01-01')")
    later = evaluate(memory_db, dsp_payments_24m=None, on=dt.date(2027, 2, 1))
    assert shown(later)[-1] == ("? For the long programme, enter how many times DSP was "
                                "received in the last 18 months (needs at least 12).")


# The intake and record screens judge the form as typed: a typed date that is no date,
# or one in the future, counts as not entered.
def form(**changes) -> PersonInput:
    values = dict(birth_date=dt.date(1988, 3, 14), target_group="dsp", residence_ok=True,
                  dsp_payments_24m=14)
    values.update(changes)
    return PersonInput(**values)


# (case, the form's changes, eligible, long programme, the lines shown)
FORMS = [
    ("date", {}, True, True, [IN_GROUP, RESIDENT, *age_lines(38), dsp_line(14)]),
    ("typed_slovenian", dict(birth_date="14. 3. 1988"), True, True,
     [IN_GROUP, RESIDENT, *age_lines(38), dsp_line(14)]),
    ("typed_iso", dict(birth_date="1988-03-14"), True, True,
     [IN_GROUP, RESIDENT, *age_lines(38), dsp_line(14)]),
    ("typed_no_date", dict(birth_date="pred 1990"), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, dsp_line(14)]),
    ("typed_impossible_day", dict(birth_date="31. 2. 1990"), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, dsp_line(14)]),
    ("empty", dict(birth_date=None, dsp_payments_24m=None), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, ENTER_DSP]),
    ("tomorrow", dict(birth_date=TODAY + dt.timedelta(days=1)), False, False,
     [IN_GROUP, RESIDENT, ENTER_BIRTH, dsp_line(14)]),
    ("born_today", dict(birth_date=TODAY), False, False,
     [IN_GROUP, RESIDENT, *age_lines(0), dsp_line(14)]),
    ("residence_not_ticked", dict(residence_ok=None), False, False,
     [IN_GROUP, "✗ Groups 1–4 require citizenship or permanent residence.", *age_lines(38),
      dsp_line(14)]),
    ("roma_women", dict(target_group="roma_women", residence_ok=None, dsp_payments_24m=3),
     True, False,
     [IN_GROUP, "✓ Citizenship or permanent residence is not required for this target group.",
      *age_lines(38), dsp_line(3)]),
    ("no_group", dict(target_group=None), False, False,
     ["✗ Choose a target group.", *age_lines(38), dsp_line(14)]),
]


@pytest.mark.parametrize("changes, eligible, long_programme, lines",
                         [case[1:] for case in FORMS], ids=[case[0] for case in FORMS])
def test_the_form_is_judged_as_typed(memory_db, changes, eligible, long_programme, lines):
    result = eligibility.evaluate_form(memory_db, form(**changes), TODAY)
    assert (result.eligible, result.long_programme) == (eligible, long_programme)
    assert shown(result) == lines


def test_the_form_is_judged_on_the_day_asked(memory_db):
    # 49 until 13 March 2038, then too old for a long programme.
    on_49th = eligibility.evaluate_form(memory_db, form(), dt.date(2037, 3, 14))
    on_50th = eligibility.evaluate_form(memory_db, form(), dt.date(2038, 3, 14))
    assert shown(on_49th)[2:4] == age_lines(49)
    assert shown(on_50th)[2:4] == age_lines(50)
    assert on_49th.long_programme and not on_50th.long_programme
