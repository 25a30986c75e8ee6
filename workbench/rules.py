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


class Timeline:
    """Rules read once for a computation over many days: ``value(name, day)`` is the
    value in force that day, as ``rule_value`` would give it (a month that crosses a
    change of rules uses each day's)."""

    def __init__(self, db: sqlite_utils.Database, names: tuple[str, ...]) -> None:
        self._rows: dict[str, list[tuple[str, float]]] = {name: [] for name in names}
        for name, value, start in db.execute(
                f"SELECT name, value, effective_from FROM rules WHERE name IN "
                f"({', '.join('?' * len(names))}) ORDER BY effective_from DESC", list(names)):
            self._rows[name].append((start, value))
        self.used: dict[tuple[str, str], float] = {}  # (name, in force from) -> value

    def value(self, name: str, on: dt.date) -> float:
        day = on.isoformat()
        for start, value in self._rows[name]:
            if start <= day:
                self.used[(name, start)] = value
                return value
        raise UnknownRule(f"No rule {name!r} in force on {day}")
