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

from workbench import (
    access,
    audit,
    config,
    dates,
    eligibility,
    pipeline,
    programmes,
    records,
    text,
    waiting,
)
from workbench.auth import User
from workbench.errors import UserError
from workbench.transactions import write


@dataclass(frozen=True)
class Result:
    """What a move that needed a place did: ``version`` of the person's row, or her place
    on the waiting list (``waiting``) when the programme was full, or its free place is
    held until ``held_until`` for the person it was offered to."""
    version: int
    waiting: waiting.Waiting | None = None
    programme: str | None = None
    held_until: str | None = None


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
        text.clean_reason(step.reason, names=(person["first_name"], person["last_name"]))
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
        # A lapsed offer passes on first; a place held for someone else is not free.
        waiting.settle(db, programme_id, today)
        if waiting.free_places(db, programme_id, today, for_person=participant_id) <= 0:
            entry = waiting.add(db, actor.id, programme_id, participant_id, today)
            held = [w.offer_until for w in waiting.held(db, programme_id, today)
                    if w.participant_id != participant_id]
            return Result(expected_version, entry, programme["name"],
                          min(held) if held else None)
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
        waiting.close(db, actor.id, programme_id, participant_id, "enrolled", today)
        return Result(version, None, programme["name"])


def withdraw(db: sqlite_utils.Database, actor: User, programme_id: int,
             participant_id: int, *, today: dt.date | None = None) -> None:
    """Take her off a programme's waiting list (a place offered to her goes to the next)."""
    access.require_person(db, actor, participant_id)
    today = today or config.today()
    with write(db):
        if waiting.entry_of(db, programme_id, participant_id) is None:
            raise UserError("error.not_waiting")
        waiting.close(db, actor.id, programme_id, participant_id, "withdrawn", today)
        waiting.settle(db, programme_id, today)  # the place she held goes to the next


def decline_offer(db: sqlite_utils.Database, actor: User, programme_id: int,
                  participant_id: int, reason: str, *, today: dt.date,
                  token: str | None = None) -> None:
    """She declines the place offered to her, for ``reason``: it goes to the next person
    waiting (a task for her coordinator). A second press of the same form does nothing."""
    access.require_person(db, actor, participant_id)
    programmes.require_programme(db, actor, programme_id)

    def act() -> int:
        entry = waiting.entry_of(db, programme_id, participant_id)
        waiting.decline(db, actor.id, programme_id, participant_id, reason, today)
        return entry.id
    with write(db):
        records.once(db, token, "offer_decline", actor.id, act)


def offers(db: sqlite_utils.Database, actor: User, participant_id: int, *,
           today: dt.date) -> list[waiting.Offer]:
    """The places offered to her and still held for her on ``today``."""
    access.require_person(db, actor, participant_id)
    return waiting.offers_of(db, participant_id, today)


def settle_offers(db: sqlite_utils.Database, *, today: dt.date,
                  programme_id: int | None = None) -> bool:
    """Pass on the offers that lapsed by ``today`` (of one programme, or all): there is no
    scheduled job, so whoever looks at a programme or a record does it. True when
    something changed."""
    lapsed = waiting.lapsed_programmes(db, today)
    if programme_id is not None:
        lapsed = [p for p in lapsed if p == programme_id]
    if not lapsed:
        return False
    with write(db):
        for pid in lapsed:
            waiting.settle(db, pid, today)
    return True


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
    enrolment_id: int = 0
    version: int = 0
    sex: str | None = None  # "vključena" / "vključen"


def enrolled(db: sqlite_utils.Database, actor: User, programme_id: int,
             current_only: bool = False) -> list[Enrolled]:
    """The programme's enrolments (the current ones first), with the people's names."""
    programmes.require_programme(db, actor, programme_id)
    access.require_casework(db, actor)
    sql = ("SELECT e.participant_id, p.first_name || ' ' || p.last_name AS name, p.stage, "
           "e.contract_date, e.start_date, e.end_date, e.status, e.ticket_eur, e.distance_km, "
           "e.eligibility_override, e.id AS enrolment_id, e.version, p.sex FROM enrolments e "
           "JOIN participants p ON p.id = e.participant_id WHERE e.programme_id = ?")
    if current_only:
        sql += " AND e.status = 'active'"
    sql += " ORDER BY e.status != 'active', p.last_name COLLATE sl, p.first_name COLLATE sl"
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
        "e.participant_id = p.id AND e.status = 'active') "
        "ORDER BY p.last_name COLLATE sl, p.first_name COLLATE sl",
        [actor.id]).fetchall()
    return dict(rows)


# -- corrections of the contract's terms ----------------------------------------------------
@dataclass(frozen=True)
class Corrected:
    """A corrected contract: its new ``version``, and the first day the new travel terms
    are paid from (None: from the start, no month was locked yet)."""
    version: int
    travel_from: dt.date | None


def _month_span(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return first, after - dt.timedelta(days=1)


def _locked_months(db: sqlite_utils.Database, programme_id: int) -> list[str]:
    return [r[0] for r in db.execute("SELECT month FROM month_locks WHERE programme_id = ? "
                                     "ORDER BY month", [programme_id])]


def travel_from(db: sqlite_utils.Database, enrolment: dict) -> dt.date | None:
    """The first day a correction of her travel terms is paid from: the day after the last
    locked month of the programme (a locked month was paid with the terms it had), and
    never before an earlier correction's day; None when nothing was locked or corrected."""
    days = [_month_span(m)[1] + dt.timedelta(days=1)
            for m in _locked_months(db, enrolment["programme_id"])[-1:]]
    days += [dt.date.fromisoformat(r[0]) for r in db.execute(
        "SELECT MAX(until_day) FROM enrolment_terms WHERE enrolment_id = ?",
        [enrolment["id"]]) if r[0]]
    return max(days) if days else None


def correct_terms(db: sqlite_utils.Database, actor: User, enrolment_id: int,
                  expected_version: int, terms: Terms, reason: str, *,
                  token: str | None = None) -> Corrected:
    """Correct a contract's planned start and travel terms (ticket or distance), for
    ``reason`` (kept in the change log).

    A month already locked keeps what was paid: new travel terms are paid from the day
    after the last locked month (``travel_from``), the old ones stay in force before it
    (``enrolment_terms``). A planned start that would move across a locked month (who
    was expected at its sessions) or past a day she attended is refused. A second press
    of the same form saves once; a stale ``expected_version`` is a conflict.
    """
    found = text.as_id(enrolment_id) and db.execute(
        "SELECT participant_id, programme_id FROM enrolments WHERE id = ?",
        [enrolment_id]).fetchone()
    if not found:
        raise UserError("error.record_missing")
    participant_id, programme_id = found
    access.require_person(db, actor, participant_id)
    programmes.require_programme(db, actor, programme_id)
    result: list[Corrected] = []

    def act() -> int:
        current = records.check_version(db, "enrolments", enrolment_id, expected_version)
        why = text.clean_reason(reason, names=records.person_names(db, participant_id),
                                required=True)
        contract = dt.date.fromisoformat(current["contract_date"])
        cleaned = _clean_terms(dataclasses.replace(
            terms, planned_start=terms.planned_start or current["start_date"]), contract)
        changes = {k: cleaned[k] for k in ("start_date", "ticket_eur", "distance_km")
                   if cleaned[k] != current[k]}
        if not changes:
            raise UserError("error.terms_unchanged")
        if "start_date" in changes:
            _check_start(db, current, dt.date.fromisoformat(current["start_date"]),
                         dt.date.fromisoformat(changes["start_date"]))
        since = None
        if {"ticket_eur", "distance_km"} & set(changes):
            since = travel_from(db, current)
            if since is not None:
                records.insert(db, "enrolment_terms", {
                    "enrolment_id": enrolment_id, "until_day": since.isoformat(),
                    "ticket_eur": current["ticket_eur"],
                    "distance_km": current["distance_km"], "created_by": actor.id,
                    "created_at": audit.now()}, actor.id, participant_id=participant_id)
        version = records.update(db, "enrolments", current, changes, actor.id,
                                 participant_id=participant_id, reason=why)
        result.append(Corrected(version, since))
        return enrolment_id
    with write(db):
        _, created = records.once(db, token, "terms_correction", actor.id, act)
    if not created:  # the same form pressed again: what the first press saved
        stored = records.row(db, "enrolments", enrolment_id)
        return Corrected(stored["version"], travel_from(db, stored))
    return result[0]


def _check_start(db: sqlite_utils.Database, enrolment: dict, old: dt.date,
                 new: dt.date) -> None:
    """A new planned start may not change who was expected in a locked month, nor leave
    out a day she attended."""
    first_attended = db.execute(
        "SELECT MIN(s.date) FROM attendance a JOIN sessions s ON s.id = a.session_id "
        "WHERE a.participant_id = ? AND s.programme_id = ? AND a.status = 'present'",
        [enrolment["participant_id"], enrolment["programme_id"]]).fetchone()[0]
    if first_attended and new.isoformat() > first_attended:
        raise UserError("error.start_after_attendance", field="planned_start",
                        day=dates.written(dt.date.fromisoformat(first_attended)))
    low, high = min(old, new), max(old, new) - dt.timedelta(days=1)
    for month in _locked_months(db, enrolment["programme_id"]):
        first, last = _month_span(month)
        if first <= high and last >= low:
            raise UserError("error.start_locked_month", field="planned_start",
                            month=f"{first:%Y-%m}")
