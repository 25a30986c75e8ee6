import datetime as dt

import pytest

from workbench.rules import UnknownRule, rule_value


def test_the_rate_in_force_on_a_day_is_the_latest_effective_one(memory_db):
    assert rule_value(memory_db, "allowance_hourly_eur", dt.date(2022, 12, 31)) == 0.80
    assert rule_value(memory_db, "allowance_hourly_eur", dt.date(2023, 1, 1)) == 1.00
    assert rule_value(memory_db, "long_programme_max_age", dt.date(2026, 11, 22)) == 49


def test_a_rule_before_it_existed_is_an_error(memory_db):
    with pytest.raises(UnknownRule):
        rule_value(memory_db, "allowance_hourly_eur", dt.date(2016, 12, 31))
