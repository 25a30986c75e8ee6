"""Dated rule values (rates, age limits, follow-up intervals) from the ``rules`` table."""

from __future__ import annotations

import datetime as dt

import sqlite_utils


class UnknownRule(LookupError):
    pass


def rule_value(db: sqlite_utils.Database, name: str, on: dt.date) -> float:
    """The value of rule ``name`` in force on day ``on``."""
    row = db.execute(
        "SELECT value FROM rules WHERE name = ? AND effective_from <= ? "
        "ORDER BY effective_from DESC LIMIT 1", [name, on.isoformat()]).fetchone()
    if row is None:
        raise UnknownRule(f"No rule {name!r} in force on {on.isoformat()}")
    return row[0]
