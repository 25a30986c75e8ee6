"""Eligibility for social activation and for a long programme, from dated rules."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY
from workbench import eligibility


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
