"""Shared helpers for the casework tests: a valid intake form and the demo coordinators."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from tests.conftest import TODAY
from workbench import auth, emso, places
from workbench.db import open_db, write
from workbench.participants import PersonInput


def coordinator(db, username: str = "ana.kos") -> auth.User:
    return next(u for u in auth.list_users(db) if u.username == username)


def person_of(db, where: str = "1", username: str | None = "ana.kos") -> int:
    """The first (lowest id) of ``username``'s people that meet ``where`` (SQL on
    participants; anyone's when ``username`` is None). ``db`` may be a path: it is
    opened and closed."""
    if not hasattr(db, "execute"):
        db = open_db(db)
        try:
            return person_of(db, where, username)
        finally:
            db.close()
    mine = "coordinator_id = (SELECT id FROM users WHERE username = ?)" if username else "?"
    found = db.execute(f"SELECT id FROM participants WHERE {mine} AND ({where}) "
                       "ORDER BY id LIMIT 1", [username or 1]).fetchone()
    assert found is not None, (username, where)
    return found[0]


def coordinator_in(db, username: str, area: str) -> auth.User:
    """A coordinator of another area, with that area's CSD unit (added if missing)."""
    unit = f"{area}_enota"
    with write(db):
        db.execute("INSERT OR IGNORE INTO csd_units (code, name, area_code) VALUES (?, ?, ?)",
                   [unit, f"CSD {area}", area])
    return auth.create_user(db, username, username.title(), "coordinator", "varno-geslo",
                            area_code=area, unit_code=unit)


def municipality_id(db, name: str = "Kranj") -> int:
    return next(i for i, (n, _) in places.municipalities(db, "gorenjska").items() if n == name)


def valid_form(db, **changes) -> PersonInput:
    born = dt.date(1988, 3, 14)
    form = PersonInput(
        first_name="Cvetka", last_name="Žagar", sex="F", birth_date=born,
        emso=emso.generate(born, "F", random.Random(7)),
        municipality_id=municipality_id(db), isced=2, labour_status="long_term_unemployed",
        migrant="no", disability="refused", other_disadvantage="no", homeless=False,
        residence_ok=True, language="sl",
        target_group="dsp", dsp_payments_24m=14, referral_source="csd",
        referral_person="Mojca Novak (CSD Kranj)", referral_date=TODAY)
    return dataclasses.replace(form, **changes)
