"""Places of the region: CSD units and municipalities."""

from __future__ import annotations

import sqlite_utils


def unit_names(db: sqlite_utils.Database, area: str | None = None) -> dict[str, str]:
    """CSD unit code -> name, alphabetically (of one CSD area when ``area`` is given)."""
    if area is None:
        return dict(db.execute("SELECT code, name FROM csd_units ORDER BY name").fetchall())
    return dict(db.execute("SELECT code, name FROM csd_units WHERE area_code = ? ORDER BY name",
                           [area]).fetchall())


def municipalities(db: sqlite_utils.Database, area: str) -> dict[int, tuple[str, str]]:
    """Municipality id -> (name, unit code) of one CSD area: e-MA limits them to the region."""
    rows = db.execute(
        "SELECT m.id, m.name, m.unit_code FROM municipalities m "
        "JOIN csd_units u ON u.code = m.unit_code WHERE u.area_code = ? ORDER BY m.name",
        [area]).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def area_of_municipality(db: sqlite_utils.Database, municipality_id: int) -> str | None:
    row = db.execute("SELECT u.area_code FROM municipalities m JOIN csd_units u "
                     "ON u.code = m.unit_code WHERE m.id = ?", [municipality_id]).fetchone()
    return row[0] if row else None
