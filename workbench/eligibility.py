"""Who can be included, and in a long programme: yes or no, with the reasons.

The limits (minimum age, the long programme's age and DSP conditions) are
dated rows of the ``rules`` table, read for the day of the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlite_utils

from workbench import dates, vocab
from workbench.errors import UserError
from workbench.rules import rule_value


@dataclass(frozen=True)
class Check:
    """One condition: ``key`` names its text in i18n (``elig.<key>.yes`` / ``.no``)."""
    key: str
    ok: bool
    params: dict = field(default_factory=dict)
    unknown: bool = False  # not entered yet: ``elig.<key>.unknown`` says what to enter

    @property
    def text_key(self) -> str:
        return f"elig.{self.key}." + ("unknown" if self.unknown else "yes" if self.ok else "no")


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    long_programme: bool
    checks: tuple[Check, ...]
    long_checks: tuple[Check, ...]


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def evaluate_form(db: sqlite_utils.Database, form, on: dt.date) -> Eligibility:
    """The eligibility of what a form holds now (a typed date that is no date counts as
    unknown, as does one in the future)."""
    try:
        born = dates.coerce(form.birth_date)
    except UserError:
        born = None
    if born is not None and born > on:
        born = None
    return evaluate(db, target_group=form.target_group, residence_ok=bool(form.residence_ok),
                    birth_date=born, dsp_payments_24m=form.dsp_payments_24m, on=on)


def evaluate(db: sqlite_utils.Database, *, target_group: str | None, residence_ok: bool,
             birth_date: dt.date | None, dsp_payments_24m: int | None,
             on: dt.date) -> Eligibility:
    min_age = int(rule_value(db, "min_age", on))
    max_long_age = int(rule_value(db, "long_programme_max_age", on))
    min_dsp = int(rule_value(db, "long_programme_min_dsp_payments", on))
    window = int(rule_value(db, "long_programme_dsp_window_months", on))
    age = age_on(birth_date, on) if birth_date else None

    checks = [Check("target_group", target_group in vocab.TARGET_GROUPS)]
    if target_group in vocab.RESIDENCE_REQUIRED_GROUPS:
        checks.append(Check("residence", bool(residence_ok)))
    elif target_group in vocab.TARGET_GROUPS:
        checks.append(Check("residence_not_required", True))
    checks.append(Check("min_age", age is not None and age >= min_age,
                        {"min": min_age, "age": age}, unknown=age is None))
    eligible = all(c.ok for c in checks)

    long_checks = [Check("long_dsp", dsp_payments_24m is not None and dsp_payments_24m >= min_dsp,
                         {"min": min_dsp, "months": window, "count": dsp_payments_24m},
                         unknown=dsp_payments_24m is None)]
    if age is not None:  # an unknown age is asked for once, above
        long_checks.insert(0, Check("long_age", age <= max_long_age,
                                    {"max": max_long_age, "age": age}))
    long_ok = age is not None and all(c.ok for c in long_checks)
    return Eligibility(eligible, eligible and long_ok, tuple(checks), tuple(long_checks))
