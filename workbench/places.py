"""Places of the region: CSD units and municipalities."""

from __future__ import annotations

import sqlite_utils


def unit_names(db: sqlite_utils.Database) -> dict[str, str]:
    """CSD unit code -> name, alphabetically."""
    return dict(db.execute("SELECT code, name FROM csd_units ORDER BY name").fetchall())
