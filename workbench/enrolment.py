"""Enrolment: the contract of inclusion into a programme, its places and its waiting list.

One path for every enrolment, from the record's stage form or from a programme's
page: signing the contract moves the case to "contract" (``pipeline``), the first
attended session or an explicit move puts her "in programme", her exit ends the
enrolment (and offers the freed place to the first person waiting). A programme
with no free place puts her on its waiting list instead, and says so. A long
programme checks ``eligibility``; an enrolment of someone not eligible needs a
reason, which is kept with the enrolment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, dates, eligibility, pipeline, programmes, records, text, waiting
from workbench.auth import User
from workbench.errors import UserError
from workbench.transactions import write


@dataclass(frozen=True)
class Result:
    """What a move that needed a place did: ``version`` of the person's row, or her place
    on the waiting list (``waiting``) when the programme was full."""
    version: int
    waiting: waiting.Waiting | None = None
    programme: str | None = None


@dataclass(frozen=True)
class Terms:
    """What the contract of inclusion records besides the move itself."""
    planned_start: dt.date | str | None = None
    ticket_eur: float | str | None = None   # cheapest public ticket, a day ("2,30" typed)
    distance_km: float | str | None = None  # one way, when she comes by her own means
    override_reason: str = ""              # a long programme for someone not eligible


def _clean_terms(terms: Terms, contract_day: dt.date) -> dict[str, object]:
    start = dates.coerce(terms.planned_start, field="planned_start") or contract_day
    if start < contract_day:
        raise UserError("error.start_before_contract", field="planned_start")
    if start > contract_day + dt.timedelta(days=366):
        raise UserError("error.date_far", field="planned_start")
    amounts = {}
    for name, value, top in (("ticket_eur", terms.ticket_eur, 50),
                             ("distance_km", terms.distance_km, 300)):
        amounts[name] = text.parse_decimal(value, field=name)
        if amounts[name] is not None and not 0 <= amounts[name] <= top:
            raise UserError("error.number_range", field=name, max=top)
    return {"start_date": start.isoformat(), "ticket_eur": amounts["ticket_eur"],
            "distance_km": amounts["distance_km"],
            "eligibility_override": text.clean(terms.override_reason, limit=text.SHORT_TEXT_MAX,
                                               field="override_reason")}


def check_long_programme(db: sqlite_utils.Database, person: dict, on: dt.date,
                         override: str | None) -> None:
    """A long programme's rules (age, DSP payments); refused unless ``override`` says why."""
    born = dt.date.fromisoformat(person["birth_date"])
    result = eligibility.evaluate(db, target_group=person["target_group"],
                                  residence_ok=bool(person["residence_ok"]), birth_date=born,
                                  dsp_payments_24m=person["dsp_payments_24m"], on=on)
    if not result.long_programme and not override:
        raise UserError("error.long_not_eligible", field="override_reason")


def move(db: sqlite_utils.Database, actor: User, participant_id: int, expected_version: int,
         step: pipeline.Move, *, today: dt.date, terms: Terms = Terms()) -> Result:
    """A stage move; one that needs a place (a contract, or "in programme" when not
    enrolled) takes one, or puts her on the programme's waiting list when it is full."""
    access.require_person(db, actor, participant_id)
    with write(db):
        person = records.check_version(db, "participants", participant_id, expected_version,
                                       conflict_key="conflict.person",
                                       missing="error.person_missing")
        state = pipeline.state_of(db, person)
        needs_place = step.to_stage in pipeline.ENROLLING and not state.enrolled
        if not needs_place:
            return Result(pipeline.move_stage(db, actor, participant_id, expected_version,
                                              step, today=today))
        # The move's own checks first (date, stage order), so a wrong move is not queued.
        done = pipeline.step_in(db, state, step, today)
        programme_id = done.move.programme_id
        programmes.require_programme(db, actor, programme_id)
        programme = records.row(db, "programmes", programme_id, "error.programme_missing")
        day = done.move.on
        extra = _clean_terms(terms, day)
        if programme["end_date"] < day.isoformat() or programme["status"] == "finished":
            raise UserError("error.programme_ended", field="programme")
        if programme["type"] == "long":
            check_long_programme(db, person, day, extra["eligibility_override"])
        if programmes.active_enrolments(db, programme_id) >= programme["capacity"]:
            entry = waiting.add(db, actor.id, programme_id, participant_id, today)
            return Result(expected_version, entry, programme["name"])
        planned = dataclasses.replace(done.move, planned_start=extra["start_date"])
        version = pipeline.move_stage(db, actor, participant_id, expected_version, planned,
                                      today=today)
        enrolment = records.named_rows(db.execute(
            "SELECT * FROM enrolments WHERE participant_id = ? AND status = 'active' "
            "ORDER BY id DESC LIMIT 1", [participant_id]))[0]
        records.update(db, "enrolments", enrolment,
                       {k: v for k, v in extra.items() if k != "start_date"
                        or step.to_stage == "contract"},
                       actor.id, participant_id=participant_id)
        waiting.close(db, actor.id, programme_id, participant_id, "enrolled")
        return Result(version, None, programme["name"])


def withdraw(db: sqlite_utils.Database, actor: User, programme_id: int,
             participant_id: int) -> None:
    """Take her off a programme's waiting list."""
    access.require_person(db, actor, participant_id)
    with write(db):
        if waiting.entry_of(db, programme_id, participant_id) is None:
            raise UserError("error.not_waiting")
        waiting.close(db, actor.id, programme_id, participant_id, "withdrawn")


@dataclass(frozen=True)
class Enrolled:
    participant_id: int
    name: str
    stage: str
    contract_date: str
    start_date: str
    end_date: str | None
    status: str
    ticket_eur: float | None
    distance_km: float | None
    eligibility_override: str | None


def enrolled(db: sqlite_utils.Database, actor: User, programme_id: int,
             current_only: bool = False) -> list[Enrolled]:
    """The programme's enrolments (the current ones first), with the people's names."""
    programmes.require_programme(db, actor, programme_id)
    access.require_casework(db, actor)
    sql = ("SELECT e.participant_id, p.first_name || ' ' || p.last_name AS name, p.stage, "
           "e.contract_date, e.start_date, e.end_date, e.status, e.ticket_eur, e.distance_km, "
           "e.eligibility_override FROM enrolments e "
           "JOIN participants p ON p.id = e.participant_id WHERE e.programme_id = ?")
    if current_only:
        sql += " AND e.status = 'active'"
    sql += " ORDER BY e.status != 'active', p.last_name, p.first_name"
    return records.as_rows(Enrolled, db.execute(sql, [programme_id]))


def queue(db: sqlite_utils.Database, actor: User, programme_id: int) -> list[waiting.Waiting]:
    """The programme's waiting list, first come first."""
    programmes.require_programme(db, actor, programme_id)
    return waiting.entries(db, programme_id)


def candidates(db: sqlite_utils.Database, actor: User) -> dict[int, str]:
    """The actor's people who can sign a contract now: before inclusion, not enrolled."""
    access.require_casework(db, actor)
    rows = db.execute(
        "SELECT p.id, p.first_name || ' ' || p.last_name FROM participants p "
        "WHERE p.coordinator_id = ? AND p.stage IN ('first_interview', 'motivation', "
        "'referred') AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE "
        "e.participant_id = p.id AND e.status = 'active') ORDER BY p.last_name, p.first_name",
        [actor.id]).fetchall()
    return dict(rows)
