"""Places of the region: CSD units and municipalities."""

from __future__ import annotations

import sqlite_utils

from workbench import text

# The one way from a person to her CSD area: participants (as p) -> municipality -> unit.
AREA_JOIN = ("JOIN municipalities m ON m.id = p.municipality_id "
             "JOIN csd_units c ON c.code = m.unit_code")
# The municipalities of the area named :area, for filters that must seek an index by
# municipality instead of scanning every person nationally (tests/test_overview.py).
AREA_MUNICIPALITIES = ("(SELECT am.id FROM municipalities am JOIN csd_units au "
                       "ON au.code = am.unit_code WHERE au.area_code = :area)")


def unit_names(db: sqlite_utils.Database, area: str | None = None) -> dict[str, str]:
    """CSD unit code -> name, alphabetically (of one CSD area when ``area`` is given)."""
    rows = db.execute("SELECT code, name FROM csd_units WHERE ? IS NULL OR area_code = ?",
                      [area, area]).fetchall()
    return dict(sorted(rows, key=lambda r: text.sort_key(r[1])))


def municipalities(db: sqlite_utils.Database, area: str) -> dict[int, tuple[str, str]]:
    """Municipality id -> (name, unit code) of one CSD area, alphabetically: e-MA limits
    them to the region."""
    rows = db.execute(
        "SELECT m.id, m.name, m.unit_code FROM municipalities m "
        "JOIN csd_units u ON u.code = m.unit_code WHERE u.area_code = ?", [area]).fetchall()
    return {r[0]: (r[1], r[2]) for r in sorted(rows, key=lambda r: text.sort_key(r[1]))}


def area_of_municipality(db: sqlite_utils.Database, municipality_id: int) -> str | None:
    row = db.execute("SELECT u.area_code FROM municipalities m JOIN csd_units u "
                     "ON u.code = m.unit_code WHERE m.id = ?", [municipality_id]).fetchone()
    return row[0] if row else None


def area_of_person(db: sqlite_utils.Database, participant_id: int) -> str | None:
    row = db.execute(f"SELECT c.area_code FROM participants p {AREA_JOIN} WHERE p.id = ?",
                     [participant_id]).fetchone()
    return row[0] if row else None
