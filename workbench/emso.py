"""EMŠO, the Slovenian 13-digit personal number: DDMMYYYRRBBBK.

RR is the register area (50 = Slovenia), BBB the serial (000-499 men,
500-999 women), K a mod-11 check digit over the first 12 digits.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata

_WEIGHTS = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_THIRTEEN_ASCII_DIGITS = re.compile(r"[0-9]{13}")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise(value: str | None) -> str | None:
    """An EMŠO as typed, ready to check and store: NFKC (fullwidth digits become ASCII),
    spaces, dots and dashes dropped; None when nothing was typed."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    return text or None


def check_digit(first12: str) -> int | None:
    """The check digit for 12 digits, or None when no valid one exists (remainder 1)."""
    total = sum(int(d) * w for d, w in zip(first12, _WEIGHTS, strict=True))
    rest = 11 - total % 11
    if rest == 11:
        return 0
    if rest == 10:
        return None
    return rest


def is_valid(emso: str) -> bool:
    """True when ``emso`` has 13 digits, a real birth date and the right check digit."""
    # Only ASCII digits: str.isdigit() also accepts Arabic-Indic or superscript digits.
    if not _THIRTEEN_ASCII_DIGITS.fullmatch(emso):
        return False
    if birth_date(emso) is None:
        return False
    return check_digit(emso[:12]) == int(emso[12])


def birth_date(emso: str) -> dt.date | None:
    day, month, yyy = int(emso[0:2]), int(emso[2:4]), int(emso[4:7])
    year = 1000 + yyy if yyy >= 800 else 2000 + yyy
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def generate(born: dt.date, sex: str, rng: random.Random, region: str = "50") -> str:
    """A valid EMŠO for a synthetic person (serials with no check digit are skipped)."""
    low, high = (0, 499) if sex == "M" else (500, 999)
    # One serial in 11 has no check digit, so random serials find one at once; a "random"
    # that keeps giving the same serial (a test's) falls back to the serials in order.
    # Either way the search ends: a broken check digit fails instead of looping for ever.
    drawn = (rng.randint(low, high) for _ in range(50))  # drawn lazily: the seed's stream
    for serial in itertools.chain(drawn, range(low, high + 1)):
        first12 = f"{born:%d%m}{born.year % 1000:03d}{region}{serial:03d}"
        digit = check_digit(first12)
        if digit is not None:
            return first12 + str(digit)
    raise RuntimeError(f"no EMŠO with a check digit for {born}")


def sex(emso: str) -> str:
    """'M' for serials 000-499, 'F' for 500-999."""
    return "M" if int(emso[9:12]) < 500 else "F"


def problem(code: str, born: dt.date | None = None, sex_: str | None = None) -> str | None:
    """The one check of a typed EMŠO against what else the form says: the message key of
    what is wrong (an invalid number, another birth date, the other sex), or None.
    An unknown ``born`` or ``sex_`` is not compared (the form may not have it yet)."""
    if not is_valid(code):
        return "error.emso_invalid"
    if born is not None and birth_date(code) != born:
        return "error.emso_birth_date"
    if sex_ is not None and sex(code) != sex_:
        return "error.emso_sex"
    return None
