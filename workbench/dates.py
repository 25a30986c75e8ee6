"""Dates as coordinators type them, and which dates a record may carry.

Dates are typed the Slovenian way ("14. 3. 1988", "14.3.1988"); ISO dates
("1988-03-14") are accepted too. What a date may be is decided here once:
nothing of the case before the operation began, nothing that has happened
dated in the future, no plan deadline decades ahead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from workbench.errors import UserError

# DOMAIN.md: the operation began on 1 January 2017; no referral, contact or move
# of a case can be older. Birth dates go back further, of course.
EARLIEST_CASE_DATE = dt.date(2017, 1, 1)
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# A deadline or due date further ahead than this is a typing error.
LATEST_PLAN_YEARS = 5

_SLOVENIAN = re.compile(r"^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4})\s*\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def written(day: dt.date) -> str:
    """``14. 3. 1988``: how a date is written in messages (both languages use it)."""
    return f"{day.day}. {day.month}. {day.year}"


def parse(value: str | None, *, field: str | None = None) -> dt.date | None:
    """The date in ``value``, None when empty; UserError when it is not a date."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    if match := _SLOVENIAN.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise UserError("error.date_format", field=field)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UserError("error.date_invalid", field=field) from None


def coerce(value: dt.date | str | None, *, field: str | None = None) -> dt.date | None:
    """A form's date: a date as it is, typed text parsed (UserError when it is no date)."""
    if isinstance(value, str):
        return parse(value, field=field)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _checked_day(value: dt.date | str | None, field: str | None,
                 required: bool) -> dt.date | None:
    """A form's date, not before the operation began (None when empty and optional)."""
    day = coerce(value, field=field)
    if day is None:
        if required:
            raise UserError("error.date_required", field=field)
        return None
    if day < EARLIEST_CASE_DATE:
        raise UserError("error.date_too_early", field=field, date=written(EARLIEST_CASE_DATE))
    return day


def event_day(value: dt.date | str | None, today: dt.date, *, field: str | None = None,
              required: bool = True) -> str | None:
    """An event of the case that has happened (a referral, a contact, a move): ISO text."""
    day = _checked_day(value, field, required)
    if day is not None and day > today:
        raise UserError("error.date_future", field=field)
    return day.isoformat() if day else None


def plan_day(value: dt.date | str | None, today: dt.date, *, field: str | None = None,
             required: bool = False) -> str | None:
    """A new deadline or due date: today or ahead, within LATEST_PLAN_YEARS."""
    day = _checked_day(value, field, required)
    if day is not None and day < today:
        raise UserError("error.date_past", field=field)
    if day is not None and day > latest_plan_day(today):
        raise UserError("error.date_too_late", field=field, years=LATEST_PLAN_YEARS)
    return day.isoformat() if day else None


def latest_plan_day(today: dt.date) -> dt.date:
    """The same day LATEST_PLAN_YEARS years on (from 29 February: the 28th)."""
    try:
        return today.replace(year=today.year + LATEST_PLAN_YEARS)
    except ValueError:
        return today.replace(year=today.year + LATEST_PLAN_YEARS, day=28)
