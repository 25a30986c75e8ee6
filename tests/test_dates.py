"""Dates as coordinators type them, and which dates a record may carry (workbench.dates):
nothing of the case before the operation began, nothing that happened in the future, no
deadline in the past or decades ahead; each refusal names its field."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from workbench import dates
from workbench.errors import UserError


@pytest.mark.parametrize("typed, day", [
    ("14. 3. 1988", dt.date(1988, 3, 14)), ("14.3.1988", dt.date(1988, 3, 14)),
    ("14.03.1988.", dt.date(1988, 3, 14)), ("1988-03-14", dt.date(1988, 3, 14)),
    ("14/3/1988", dt.date(1988, 3, 14)), ("１４. ３. １９８８", dt.date(1988, 3, 14)),
    ("", None), ("   ", None),
])
def test_dates_are_read_the_way_slovenians_type_them(typed, day):
    assert dates.parse(typed) == day


@pytest.mark.parametrize("typed, key", [
    ("31. 2. 1990", "error.date_invalid"), ("1988-13-40", "error.date_invalid"),
    ("14. 3. 88", "error.date_format"), ("včeraj", "error.date_format"),
    ("14 3 1988", "error.date_format"),
])
def test_what_is_not_a_date_says_so(typed, key):
    with pytest.raises(UserError) as err:
        dates.parse(typed, field="birth_date")
    assert (err.value.key, err.value.field) == (key, "birth_date")


@pytest.mark.parametrize("day, key", [
    (dt.date(1930, 5, 1), "error.date_too_early"), (dt.date(1900, 1, 1), "error.date_too_early"),
    (TODAY + dt.timedelta(days=1), "error.date_future"), (None, "error.date_required"),
])
def test_an_event_of_the_case_is_neither_ancient_nor_ahead(day, key):
    with pytest.raises(UserError) as err:
        dates.event_day(day, TODAY)
    assert err.value.key == key


def test_a_deadline_may_lie_ahead_but_not_decades_ahead():
    assert dates.plan_day(TODAY + dt.timedelta(days=400), TODAY) is not None
    with pytest.raises(UserError) as err:
        dates.plan_day(dt.date(2090, 1, 1), TODAY)
    assert err.value.key == "error.date_too_late"


def test_a_new_deadline_cannot_already_have_passed(db):
    from tests.casework_helpers import coordinator, person_of
    from workbench import casework

    assert dates.plan_day(TODAY, TODAY) == TODAY.isoformat()
    with pytest.raises(UserError) as err:
        dates.plan_day(TODAY - dt.timedelta(days=1), TODAY, field="due")
    assert (err.value.key, err.value.field) == ("error.date_past", "due")
    ana = coordinator(db)
    pid = person_of(db)
    before = db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    with pytest.raises(UserError):
        casework.add_task(db, ana, pid, "Poklicati", "1. 1. 2025", today=TODAY)
    with pytest.raises(UserError):
        casework.add_goal(db, ana, pid, "Cilj", TODAY - dt.timedelta(days=30), today=TODAY)
    assert db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == before


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 12, 31), dt.date(2028, 2, 29)])
def test_a_deadline_may_lie_up_to_five_years_ahead_to_the_day(today):
    """The last day a deadline may have is the same day LATEST_PLAN_YEARS years on (from
    29 February, the 28th); the day after is refused with the number of years and the field."""
    latest = dates.latest_plan_day(today)
    assert (latest.year - today.year, latest.month) == (dates.LATEST_PLAN_YEARS, today.month)
    assert latest.day == (28 if (today.month, today.day) == (2, 29) else today.day)
    assert dates.plan_day(latest, today, field="due") == latest.isoformat()
    with pytest.raises(UserError) as err:
        dates.plan_day(latest + dt.timedelta(days=1), today, field="due")
    assert (err.value.key, err.value.field, err.value.params) == (
        "error.date_too_late", "due", {"years": dates.LATEST_PLAN_YEARS})


@pytest.mark.parametrize("check", [dates.plan_day, dates.event_day])
@pytest.mark.parametrize("typed, key", [
    ("31. 12. 2016", "error.date_too_early"), ("31. 2. 2027", "error.date_invalid"),
    ("jutri", "error.date_format"), ("", "error.date_required"),
])
def test_a_refused_date_names_its_field(check, typed, key):
    """Every refusal of a plan or event date says which field it is about."""
    with pytest.raises(UserError) as err:
        check(typed, TODAY, field="due", required=True)
    assert (err.value.key, err.value.field) == (key, "due")
    if key == "error.date_too_early":
        assert err.value.params == {"date": "1. 1. 2017"}


def test_the_first_day_of_the_operation_and_today_are_event_days():
    assert dates.event_day(dates.EARLIEST_CASE_DATE, TODAY) == "2017-01-01"
    assert dates.event_day(TODAY, TODAY) == TODAY.isoformat()
    with pytest.raises(UserError) as err:
        dates.event_day(TODAY + dt.timedelta(days=1), TODAY, field="contact_date")
    assert (err.value.key, err.value.field) == ("error.date_future", "contact_date")


def test_an_optional_date_left_empty_is_no_date():
    """A deadline is optional unless asked for; an event date is required unless not."""
    assert dates.plan_day("", TODAY) is None
    assert dates.event_day(None, TODAY, required=False) is None
    with pytest.raises(UserError):
        dates.event_day("", TODAY)
