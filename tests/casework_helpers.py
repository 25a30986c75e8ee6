"""Shared helpers for the casework tests: a valid intake form, the demo coordinators, and a
programme with people signing contracts for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from tests.conftest import TODAY
from workbench import (
    attendance,
    auth,
    emso,
    enrolment,
    participants,
    pipeline,
    places,
    programmes,
    schedule,
)
from workbench.db import open_db, write
from workbench.participants import PersonInput
from workbench.programmes import Module, ProgrammeInput


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


# -- programmes and enrolment ------------------------------------------------------------------
WEEK = (0, 1, 2, 3, 4)
TEN_MONTHS = (Module("Program", 10, "months", 4.0, WEEK),)


def a_programme(db, actor, *, start=dt.date(2026, 3, 30), end=dt.date(2027, 1, 8),
                modules=TEN_MONTHS, capacity=None,
                ptype="intermediate", name="Testni program", **form) -> int:
    """A new programme of ``actor``'s area (its provider named "Izvajalec <name>"); by
    default ten months of 4 hours a weekday."""
    provider = programmes.save_provider(db, actor, f"Izvajalec {name}")
    return programmes.create(db, actor, ProgrammeInput(
        name=name, provider_id=provider, type=ptype, municipality_id=municipality_id(db),
        capacity=capacity, start_date=start, end_date=end, **form), modules)


def a_person(db, actor, first: str, stage_to: str = "motivation",
             since: dt.date = TODAY - dt.timedelta(days=60), last: str = "Testna",
             **form) -> int:
    """A new person of the actor's, referred ``since`` and moved on to ``stage_to`` (before
    inclusion) the next day."""
    pid, _ = participants.create_person(
        db, actor, valid_form(db, first_name=first, last_name=last, emso=None,
                              referral_date=since, **form),
        coordinator_id=actor.id, today=TODAY, different_person=True)
    version = participants.get_person(db, actor, pid).version
    for stage in pipeline.BEFORE_INCLUSION[1:pipeline.BEFORE_INCLUSION.index(stage_to) + 1]:
        version = pipeline.move_stage(db, actor, pid, version, pipeline.Move(
            stage, since + dt.timedelta(days=1), reason="test"), today=TODAY)
    return pid


def version_of(db, pid: int) -> int:
    return db.execute("SELECT version FROM participants WHERE id = ?", [pid]).fetchone()[0]


def sign(db, actor, pid: int, programme_id: int, on=TODAY - dt.timedelta(days=20), **terms):
    """Her contract of inclusion in the programme, signed ``on`` (``terms``: enrolment.Terms)."""
    return enrolment.move(db, actor, pid, version_of(db, pid), pipeline.Move(
        "contract", on, programme_id=programme_id), today=TODAY, terms=enrolment.Terms(**terms))


def session_on(db, programme_id: int, day: str) -> int:
    """The programme's (first) session on ``day``."""
    return db.execute("SELECT id FROM sessions WHERE programme_id = ? AND date = ? "
                      "ORDER BY start_time, id LIMIT 1", [programme_id, day]).fetchone()[0]


def a_logged_contract(db, actor, name: str, last: str) -> tuple[int, int]:
    """A change log with something of every kind to read: a programme ``name`` (generated
    calendar), a person ``last`` signed on 2 November 2026 with a 2.30 EUR ticket, 2.5 hours
    at its session of 3 November and an individual meeting on 28 November. Returns the
    programme's and the person's ids."""
    start = dt.date(2026, 11, 2)
    programme = a_programme(db, actor, start=start, end=dt.date(2027, 1, 29), name=name)
    schedule.generate(db, actor, programme)
    person = a_person(db, actor, "Zala", last=last, since=dt.date(2026, 10, 1))
    sign(db, actor, person, programme, on=start, ticket_eur=2.3)
    sid = session_on(db, programme, "2026-11-03")
    attendance.record(db, actor, sid, attendance.sheet(db, actor, sid).version,
                      {person: ("present", 2.5)}, today=TODAY)
    schedule.add_entry(db, actor, schedule.Entry(
        kind="individual", day="2026-11-28", start_time="15:00", hours=1.0, title="Pogovor",
        participant_id=person), today=TODAY)
    return programme, person


# -- the change log ------------------------------------------------------------------------------
def audit_mark(db) -> int:
    """The last audit row's id: what an action writes comes after it (``audited_since``)."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


def audited_since(db, mark: int, table: str | None = None) -> list[tuple]:
    """The data changes logged after ``mark`` (of ``table``, when given), oldest first:
    (user_id, table_name, record_id, participant_id, action, field, old_value, new_value)."""
    rows = db.execute(
        "SELECT user_id, table_name, record_id, participant_id, action, field, old_value, "
        "new_value FROM audit_log WHERE id > ? AND action IN ('create', 'update') "
        "AND (? IS NULL OR lower(table_name) = ?) ORDER BY id",
        [mark, table, table]).fetchall()
    return [tuple(r) for r in rows]
