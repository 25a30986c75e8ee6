"""Small counts are not shown to those who see aggregates only.

In a breakdown (by CSD unit, municipality, target group, stage...) a count from 1 up to
the dated rule ``small_count_threshold`` (5) could point at a person in a small
municipality: it is shown as "<5". Totals and zeros are shown as they are.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from workbench.rules import rule_value

RULE = "small_count_threshold"


def threshold(db: sqlite_utils.Database, on: dt.date) -> int:
    return int(rule_value(db, RULE, on))


def shown(count: int, limit: int) -> int | str:
    """``count``, or ``"<limit"`` when it is small enough to point at someone."""
    return f"<{limit}" if 0 < count < limit else count


def breakdown(counts: dict, limit: int) -> dict:
    """Each count of a breakdown as it may be shown."""
    return {key: shown(n, limit) for key, n in counts.items()}
