"""People on the caseload: intake without duplicates, the person's data, edits with versions.

Every function names its actor, and the library refuses what her role and area do
not allow (``workbench.access``). Every write names the version it started from; a
save on top of someone else's newer save is refused with what they changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from workbench import (
    access,
    audit,
    config,
    dates,
    emso,
    pipeline,
    places,
    records,
    schedule,
    text,
    vocab,
)
from workbench.auth import User
from workbench.eligibility import age_on
from workbench.errors import UserError
from workbench.rules import rule_value
from workbench.transactions import write

MAX_AGE = 100  # a sanity limit of data entry, not a programme rule
MATCH_LIMIT = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()/.-]+$")
PHONE_MIN_DIGITS = 6


@dataclass
class PersonInput:
    """What the intake and edit forms collect; ``clean`` turns it into stored values.

    Facts about the person have no defaults: a form that starts with "female" or
    "has residence" ticked records guesses. Dates may be typed text (parsed and
    checked by ``clean``).
    """
    first_name: str = ""
    last_name: str = ""
    emso: str | None = None
    sex: str | None = None
    birth_date: dt.date | str | None = None
    municipality_id: int | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    isced: int | None = None
    labour_status: str | None = None
    migrant: str | None = None
    disability: str | None = None
    other_disadvantage: str | None = None
    homeless: bool | None = None
    language: str = "sl"
    interpreter_needed: bool = False
    residence_ok: bool | None = None
    target_group: str | None = None
    dsp_payments_24m: int | None = None
    referral_source: str | None = None
    referral_person: str = ""
    referral_date: dt.date | str | None = None


# Columns the edit form may change (stage and coordinator have their own moves).
EDITABLE = tuple(f.name for f in dataclasses.fields(PersonInput))


def changed_fields(before: PersonInput, after: PersonInput) -> dict[str, object]:
    """The fields a coordinator changed on the form (what a save may write)."""
    def comparable(value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value  # "" is None
    return {name: getattr(after, name) for name in EDITABLE
            if comparable(getattr(before, name)) != comparable(getattr(after, name))}


def existing_emso(db: sqlite_utils.Database, code: str | None, exclude: int | None = None):
    """(id, name, coordinator, area) of the person already holding this EMŠO, or None."""
    if not code:
        return None
    return db.execute(
        "SELECT p.id, p.first_name || ' ' || p.last_name, u.display_name, c.area_code "
        f"FROM participants p {places.AREA_JOIN} JOIN users u ON u.id = p.coordinator_id "
        "WHERE p.emso = ? AND p.id IS NOT ?", [code, exclude]).fetchone()


def check_emso(db: sqlite_utils.Database, actor: User, typed: str | None) -> None:
    """As she types: refuse an EMŠO another record holds (``refuse_known_emso``)."""
    access.require_area(db, actor, actor.area_code)
    with _noting_elsewhere(db, actor):
        refuse_known_emso(db, actor.area_code, emso.normalise(typed))


class EmsoElsewhere(UserError):
    """The EMŠO is held in another area. The message says only that it cannot be used
    here (not that she is a participant); ``holder`` goes to the audit log."""

    def __init__(self, holder: int) -> None:
        super().__init__("error.emso_unusable", field="emso")
        self.holder = holder


@contextlib.contextmanager
def _noting_elsewhere(db: sqlite_utils.Database, actor: User) -> Iterator[None]:
    """Write down, after the refused save was rolled back, that ``actor`` typed an EMŠO
    of another area's participant: the administrator sees who looked for whom."""
    try:
        yield
    except EmsoElsewhere as err:
        with write(db):
            audit.log_event(db, actor.id, "emso_elsewhere", "participants", err.holder,
                            err.holder)
        raise


def refuse_known_emso(db: sqlite_utils.Database, area: str, code: str | None,
                      exclude: int | None = None) -> None:
    """Refuse an EMŠO another record holds, before any other check of the form.

    Within her area the coordinator learns who holds it and who to ask; of another
    area only that it cannot be used here (``EmsoElsewhere``).
    """
    if not code or not emso.is_valid(code):
        return
    holder = existing_emso(db, code, exclude)
    if holder is None:
        return
    _, name, coordinator, holder_area = holder
    if holder_area == area:
        raise UserError("error.emso_taken", field="emso", name=name, coordinator=coordinator)
    raise EmsoElsewhere(holder[0])


def clean(db: sqlite_utils.Database, form: PersonInput, today: dt.date,
          area: str) -> dict[str, object]:
    """Stored values from a form, or a UserError naming the first problem and its field."""
    first = text.clean(form.first_name, limit=text.NAME_MAX, field="first_name")
    last = text.clean(form.last_name, limit=text.NAME_MAX, field="last_name")
    if not first or not last:
        raise UserError("error.name_required", field="last_name" if first else "first_name")
    born = dates.coerce(form.birth_date, field="birth_date")
    if born is None:
        raise UserError("error.birth_date_required", field="birth_date")
    if born > today:
        raise UserError("error.birth_date_future", field="birth_date")
    age = age_on(born, today)
    min_age = int(rule_value(db, "min_age", today))
    if age < min_age:
        raise UserError("error.too_young", field="birth_date", min=min_age, age=age)
    if age > MAX_AGE:
        raise UserError("error.too_old", field="birth_date", max=MAX_AGE, age=age)
    if form.sex not in vocab.SEXES:
        raise UserError("error.sex_required", field="sex")
    code = emso.normalise(form.emso)
    if code is not None and (wrong := emso.problem(code, born, form.sex)):
        raise UserError(wrong, field="emso")
    if form.municipality_id not in places.municipalities(db, area):
        raise UserError("error.municipality_invalid", field="municipality_id")
    address = text.clean(form.address, limit=text.SHORT_TEXT_MAX, field="address")
    phone = text.clean(form.phone, limit=text.PHONE_MAX, field="phone")
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < PHONE_MIN_DIGITS):
        raise UserError("error.phone_invalid", field="phone")
    email = text.clean(form.email, limit=text.SHORT_TEXT_MAX, field="email")
    if email and not _EMAIL.match(email):
        raise UserError("error.email_invalid", field="email")
    if form.target_group not in vocab.TARGET_GROUPS:
        raise UserError("error.target_group_required", field="target_group")
    if form.labour_status not in vocab.LABOUR_STATUSES:
        raise UserError("error.labour_status_required", field="labour_status")
    if form.isced is not None and form.isced not in vocab.ISCED_LEVELS:
        raise UserError("error.isced_invalid", field="isced")
    for name in ("migrant", "disability", "other_disadvantage"):
        if name == "other_disadvantage" and vocab.forces_other_disadvantage(form.isced):
            continue
        if getattr(form, name) not in vocab.SENSITIVE_ANSWERS:
            raise UserError("error.answer_required", field=name)
    for name in ("homeless", "residence_ok"):
        if getattr(form, name) not in (True, False):
            raise UserError("error.answer_required", field=name)
    if form.language not in vocab.PERSON_LANGUAGES:
        raise UserError("error.language_invalid", field="language")
    window = int(rule_value(db, "long_programme_dsp_window_months", today))
    if form.dsp_payments_24m is not None and (not isinstance(form.dsp_payments_24m, int)
                                              or not 0 <= form.dsp_payments_24m <= window):
        raise UserError("error.dsp_payments_range", field="dsp_payments_24m", max=window)
    if form.referral_source not in vocab.REFERRAL_SOURCES:
        raise UserError("error.referral_source_required", field="referral_source")
    referral_person = text.clean(form.referral_person, limit=text.SHORT_TEXT_MAX,
                                 field="referral_person")
    referred = dates.event_day(form.referral_date, today, field="referral_date")
    if referred < born.isoformat():
        raise UserError("error.referral_before_birth", field="referral_date")
    return {
        "first_name": first, "last_name": last, "emso": code, "sex": form.sex,
        "birth_date": born.isoformat(), "municipality_id": form.municipality_id,
        "address": address, "phone": phone, "email": email, "isced": form.isced,
        "labour_status": form.labour_status,
        "migrant": form.migrant, "disability": form.disability,
        "other_disadvantage": ("yes" if vocab.forces_other_disadvantage(form.isced)
                               else form.other_disadvantage),
        "homeless": int(form.homeless), "language": form.language,
        "interpreter_needed": int(bool(form.interpreter_needed)),
        "residence_ok": int(form.residence_ok), "target_group": form.target_group,
        "dsp_payments_24m": form.dsp_payments_24m, "referral_source": form.referral_source,
        "referral_person": referral_person, "referral_date": referred,
    }


# -- search before create -------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    id: int
    name: str
    birth_date: str
    municipality: str
    coordinator: str
    stage: str
    reasons: tuple[str, ...] = ()  # "emso", "name", "birth_date"


_MATCH_SQL = f"""
SELECT p.id, p.first_name || ' ' || p.last_name AS name, p.birth_date, m.name AS municipality,
       u.display_name AS coordinator, p.stage, p.emso, p.name_key
FROM participants p
{places.AREA_JOIN}
JOIN users u ON u.id = p.coordinator_id
WHERE c.area_code = :area AND ({{condition}})
LIMIT 200"""


def find_matches(db: sqlite_utils.Database, actor: User, first_name: str = "",
                 last_name: str = "", birth_date: dt.date | None = None,
                 emso_code: str | None = None) -> list[Match]:
    """People of the actor's area who may be the one being entered, likeliest first.

    A name matches when every typed word starts a word of the stored name,
    regardless of case and diacritics; the same birth date with either name
    also matches (a changed surname); an EMŠO matches only exactly.
    """
    access.require_area(db, actor, actor.area_code)
    return _matches(db, actor.area_code, first_name, last_name, birth_date, emso_code)


# Folding expands one character to at most 18 (U+FDFA), so no word of a stored name is longer.
_LONGEST_WORD = 18 * text.NAME_MAX


def _matches(db: sqlite_utils.Database, area: str, first_name: str, last_name: str,
             birth_date: dt.date | None, emso_code: str | None) -> list[Match]:
    # The name's first words: a name of many (or of markup) is compared, not refused.
    words = text.words(f"{first_name} {last_name}")[:text.SEARCH_MAX_WORDS]
    if any(len(word) > _LONGEST_WORD for word in words):
        words = []  # longer than any stored name's word: matches no one (nor fits LIKE)
    params: dict[str, object] = {"area": area}
    params.update({f"w{i}": f"% {word}%" for i, word in enumerate(words)})
    each_word = [f"p.name_key LIKE :w{i}" for i in range(len(words))]
    conditions = []
    if words and max(len(w) for w in words) >= 3:  # "an" alone would list half the region
        conditions.append(" AND ".join(each_word))
    if birth_date and words:
        params["birth"] = birth_date.isoformat()
        conditions.append(f"p.birth_date = :birth AND ({' OR '.join(each_word)})")
    code = emso.normalise(emso_code)
    if code and code.isascii():  # a stored EMŠO is ASCII digits (and SQLite takes no surrogate)
        params["emso"] = code
        conditions.append("p.emso = :emso")
    if not conditions:
        return []
    sql = _MATCH_SQL.format(condition=" OR ".join(f"({c})" for c in conditions))
    matches = []
    for found in records.named_rows(db.execute(sql, params)):
        reasons = []
        if code and found["emso"] == code:
            reasons.append("emso")
        if words and all(f" {w}" in found["name_key"] for w in words):
            reasons.append("name")
        if birth_date and found["birth_date"] == birth_date.isoformat():
            reasons.append("birth_date")
        matches.append(Match(found["id"], found["name"], found["birth_date"],
                             found["municipality"], found["coordinator"], found["stage"],
                             tuple(reasons)))
    strength = {"emso": 4, "birth_date": 2, "name": 1}
    matches.sort(key=lambda m: (-sum(strength[r] for r in m.reasons), text.sort_key(m.name)))
    return matches[:MATCH_LIMIT]


def coordinator_ids(db: sqlite_utils.Database, area: str) -> set[int]:
    return {r[0] for r in db.execute(
        "SELECT id FROM users WHERE role = 'coordinator' AND active = 1 AND area_code = ?",
        [area])}


def responsible_coordinator(db: sqlite_utils.Database, municipality_id: int | None
                            ) -> int | None:
    """The active coordinator who covers the municipality: the one named for it
    (``municipality_coordinators``), else the only active coordinator of its CSD unit;
    None when there is none, or several to choose from."""
    named = db.execute(
        "SELECT mc.coordinator_id FROM municipality_coordinators mc JOIN users u ON "
        "u.id = mc.coordinator_id WHERE mc.municipality_id = ? AND u.active = 1 AND "
        "u.role = 'coordinator'", [municipality_id]).fetchone()
    if named:
        return named[0]
    unit = [r[0] for r in db.execute(
        "SELECT u.id FROM users u JOIN municipalities m ON m.unit_code = u.unit_code "
        "WHERE m.id = ? AND u.active = 1 AND u.role = 'coordinator'", [municipality_id])]
    return unit[0] if len(unit) == 1 else None


def referral_coordinator(db: sqlite_utils.Database, actor: User,
                         municipality_id: int | None) -> int | None:
    """Whom a new referral from ``municipality_id`` of the actor's area goes to when the
    intake names nobody (what the intake form offers)."""
    access.require_area(db, actor, actor.area_code)
    if municipality_id not in places.municipalities(db, actor.area_code):
        return None
    return responsible_coordinator(db, municipality_id)


REFERRAL_TASK = "Nova napotitev iz občine {municipality}"
BY_MUNICIPALITY = "by_municipality"  # create_person's default: the coordinator who covers it


def create_person(db: sqlite_utils.Database, actor: User, form: PersonInput, *,
                  coordinator_id: int | str | None = BY_MUNICIPALITY, today: dt.date,
                  different_person: bool = False,
                  token: str | None = None) -> tuple[int, bool]:
    """Take in a referred person in the actor's area; returns (id, created now).

    An EMŠO already on record is refused first, whatever else the form says.
    Likely matches refuse the save unless the coordinator confirmed a different
    person. The checks and the insert share one transaction, so two
    coordinators entering the same person at once cannot both succeed.

    By default (BY_MUNICIPALITY) she goes to the coordinator who covers her municipality
    (``responsible_coordinator``), else to the actor. Whoever she lands with, if that is
    not the actor, gets a task "new referral from <municipality>", due the day she is
    taken in, so that nobody learns of a new case only from her board.
    """
    area = actor.area_code
    access.require_area(db, actor, area)

    def insert() -> int:
        refuse_known_emso(db, area, emso.normalise(form.emso))
        values = clean(db, form, today, area)
        assigned = coordinator_id
        if assigned == BY_MUNICIPALITY:
            assigned = responsible_coordinator(db, values["municipality_id"]) or actor.id
        if assigned not in coordinator_ids(db, area):
            raise UserError("error.coordinator_invalid", field="coordinator")
        matches = _matches(db, area, values["first_name"], values["last_name"],
                           dt.date.fromisoformat(values["birth_date"]), None)
        if matches and not different_person:
            raise UserError("error.possible_duplicate", n=len(matches))
        now = audit.now()
        pid = records.insert(db, "participants", dict(
            values, name_key=text.name_key(values["first_name"], values["last_name"]),
            coordinator_id=assigned, stage="referred", stage_since=values["referral_date"],
            version=1, created_at=now, created_by=actor.id, updated_at=now,
            updated_by=actor.id), actor.id, participant_id=records.SELF, hidden=_UNLOGGED)
        db.execute("INSERT INTO stage_history (participant_id, from_stage, to_stage, changed_at, "
                   "changed_by, reason) VALUES (?, NULL, 'referred', ?, ?, ?)",
                   # When it happened (the referral), so the timeline sorts back-dated moves.
                   [pid, f"{values['referral_date']}T{now[11:]}", actor.id,
                    values["referral_source"]])
        if assigned != actor.id:
            municipality = places.municipalities(db, area)[values["municipality_id"]][0]
            # Tasks are the coordinator's own words; the system writes in the workbench's
            # language (as waiting.offer_freed_place does).
            records.insert(db, "tasks", {
                "participant_id": pid, "kind": "other",
                "title": REFERRAL_TASK.format(municipality=municipality),
                "due_date": today.isoformat(), "assigned_to": assigned,
                "created_at": now}, actor.id, participant_id=pid)
        return pid

    with _noting_elsewhere(db, actor):
        return records.once(db, token, "participant", actor.id, insert)


# Columns of a new person the audit log does not repeat (derived or book-keeping).
_UNLOGGED = frozenset({"name_key", "stage_since", "version", "created_at", "created_by",
                       "updated_at", "updated_by"})


# -- one person --------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    id: int
    version: int
    first_name: str
    last_name: str
    emso: str | None
    sex: str
    birth_date: dt.date
    municipality_id: int
    municipality: str
    unit_code: str
    area_code: str
    address: str | None
    phone: str | None
    email: str | None
    isced: int | None
    labour_status: str | None
    migrant: str | None
    disability: str | None
    other_disadvantage: str | None
    homeless: bool
    language: str
    interpreter_needed: bool
    residence_ok: bool
    target_group: str
    dsp_payments_24m: int | None
    referral_source: str
    referral_person: str | None
    referral_date: dt.date
    coordinator_id: int
    coordinator: str
    stage: str
    stage_since: dt.date
    entry_date: str | None
    exit_date: str | None
    exit_destination: str | None
    exit_reason: str | None
    closure_reason: str | None
    programme_id: int | None
    programme: str | None
    enrolment_status: str | None
    anonymised_on: str | None = None  # retention ran out: statistics only, no more writes

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def enrolled(self) -> bool:
        return self.enrolment_status == "active"

    def as_input(self) -> PersonInput:
        values = {f: getattr(self, f) for f in EDITABLE}
        return PersonInput(**values)


PERSON_SQL = f"""
SELECT p.id, p.version, p.first_name, p.last_name, p.emso, p.sex, p.birth_date,
       p.municipality_id, m.name AS municipality, m.unit_code, c.area_code, p.address,
       p.phone, p.email, p.isced, p.labour_status, p.migrant, p.disability,
       p.other_disadvantage, p.homeless, p.language, p.interpreter_needed, p.residence_ok,
       p.target_group, p.dsp_payments_24m, p.referral_source, p.referral_person,
       p.referral_date, p.coordinator_id, u.display_name AS coordinator, p.stage,
       p.stage_since, p.entry_date, p.exit_date, p.exit_destination, p.exit_reason,
       p.closure_reason, e.programme_id, g.name AS programme, e.status AS enrolment_status,
       p.anonymised_on
FROM participants p
{places.AREA_JOIN}
JOIN users u ON u.id = p.coordinator_id
{pipeline.LATEST_ENROLMENT_JOIN}
WHERE p.id = :participant"""
_DATE_FIELDS = ("birth_date", "referral_date")
_BOOL_FIELDS = ("homeless", "interpreter_needed", "residence_ok")


def get_person(db: sqlite_utils.Database, actor: User, participant_id: int) -> Person:
    """The person, if the actor may see her (else the one "unavailable" refusal)."""
    access.require_person(db, actor, participant_id)
    [values] = records.named_rows(db.execute(PERSON_SQL, {"participant": participant_id}))
    for name in (*_DATE_FIELDS, "stage_since"):
        values[name] = dt.date.fromisoformat(values[name][:10])
    for name in _BOOL_FIELDS:
        values[name] = bool(values[name])
    return Person(**values)


def open_person(db: sqlite_utils.Database, actor: User, participant_id: int) -> Person:
    """Open her record: the person, and an "opened" row in the audit log."""
    person = get_person(db, actor, participant_id)
    audit.log_open(db, actor.id, participant_id)
    return person


def _as_input(row: dict) -> PersonInput:
    """The stored row as the form would show it."""
    values = {name: row[name] for name in EDITABLE}
    for name in _DATE_FIELDS:
        values[name] = dt.date.fromisoformat(values[name][:10])
    for name in _BOOL_FIELDS:
        values[name] = bool(values[name])
    return PersonInput(**values)


def _checked(db: sqlite_utils.Database, participant_id: int, expected: int) -> dict:
    return records.check_version(db, "participants", participant_id, expected,
                                 conflict_key="conflict.person",
                                 missing="error.person_missing")


def update_person(db: sqlite_utils.Database, actor: User, participant_id: int,
                  expected_version: int, changes: dict[str, object], *,
                  today: dt.date) -> int:
    """Save the fields a coordinator changed; returns the new version (the same when nothing
    changed).

    Only ``changes`` are written, onto the stored row: a field she did not touch
    can never be set back to what her screen showed before a colleague's save.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    area = access.require_person(db, actor, participant_id)
    with _noting_elsewhere(db, actor), write(db):
        row = _checked(db, participant_id, expected_version)
        if "emso" in changes:
            refuse_known_emso(db, area, emso.normalise(changes["emso"]), exclude=participant_id)
        form = dataclasses.replace(_as_input(row), **changes)
        cleaned = clean(db, form, today, area)
        # ISCED decides "other disadvantage" (e-MA); the name decides the search key.
        written = set(changes) | ({"other_disadvantage"} if "isced" in changes else set())
        values = {name: cleaned[name] for name in written}
        if {"first_name", "last_name"} & written:
            values["name_key"] = text.name_key(cleaned["first_name"], cleaned["last_name"])
        try:
            return records.update(db, "participants", row, values, actor.id,
                                  participant_id=participant_id, hidden=frozenset({"name_key"}))
        except sqlite3.IntegrityError as err:
            raise UserError("error.not_saved") from err


def reassign(db: sqlite_utils.Database, actor: User, participant_id: int,
             expected_version: int, coordinator_id: int | None, reason: str, *,
             today: dt.date | None = None) -> int:
    """Hand the person to another coordinator of the area, with the open tasks and her
    meetings from ``today`` on."""
    area = access.require_person(db, actor, participant_id)
    # In the order of the form: to whom, then why.
    if coordinator_id not in coordinator_ids(db, area):
        raise UserError("error.coordinator_invalid", field="coordinator")
    reason = text.clean_reason(reason, names=records.person_names(db, participant_id))
    if not reason:
        raise UserError("error.reason_required", field="reason")
    with write(db):
        row = _checked(db, participant_id, expected_version)
        if coordinator_id == row["coordinator_id"]:
            raise UserError("error.same_coordinator", field="coordinator")
        version, _ = hand_over(db, row, coordinator_id, actor.id, reason,
                               today=today or config.today())
        return version  # a clash is the taker's task (move_bookings)


def hand_over(db: sqlite_utils.Database, row: dict, coordinator_id: int, user_id: int,
              reason: str, *, today: dt.date) -> tuple[int, list[int]]:
    """The person, her open tasks and her individual meetings from ``today`` on with her
    former coordinator to ``coordinator_id`` (checked by the caller). Past meetings stay
    as they were held. Returns the new version and the meetings that clash with the taker's
    own bookings."""
    version = records.update(db, "participants", row, {"coordinator_id": coordinator_id},
                             user_id, participant_id=row["id"], reason=reason)
    # Follow-ups travel with the person, or nobody would see them come due.
    db.execute("UPDATE tasks SET assigned_to = ? WHERE participant_id = ? AND done_at IS NULL",
               [coordinator_id, row["id"]])
    meetings = [r[0] for r in db.execute(
        "SELECT id FROM sessions WHERE kind = 'individual' AND participant_id = ? "
        "AND coordinator_id = ? AND date >= ? AND cancelled_at IS NULL "
        "ORDER BY date, start_time, id",
        [row["id"], row["coordinator_id"], today.isoformat()])]
    return version, move_bookings(db, meetings, coordinator_id, user_id, reason)


CLASH_TASK = "Prekrivanje v koledarju: {title}, {date} ob {time} (prekriva se z: {other})"


def booked_person(db: sqlite_utils.Database, session: dict) -> int | None:
    """The person a booking is on the record of: a meeting's, else the first booked on a
    visit or group session; None for one nobody is booked on (no task can name it)."""
    return session["participant_id"] or next(iter(r[0] for r in db.execute(
        "SELECT participant_id FROM session_people WHERE session_id = ? "
        "ORDER BY participant_id LIMIT 1", [session["id"]])), None)


def move_bookings(db: sqlite_utils.Database, session_ids: list[int], coordinator_id: int,
                  user_id: int, reason: str) -> list[int]:
    """Bookings (meetings, visits, group sessions she leads) to ``coordinator_id``, each
    as its next version with an audit row; returns those that clash with one of hers.

    A clashing booking is moved all the same (no appointment with a person may drop out
    of every calendar), and the colleague gets a task naming both, due on its day, on the
    record of the person it books; the caller reports the clashes to whoever handed over.
    """
    clashes = []
    for sid in session_ids:
        row = records.row(db, "sessions", sid)
        day = dt.date.fromisoformat(row["date"])
        busy = [c for c in schedule.conflicts(
            db, schedule.Entry(row["kind"], day, row["start_time"], row["hours"],
                               coordinator_id=coordinator_id),
            day, row["start_time"], row["hours"], exclude=sid)
            if c.key == "conflict.coordinator_busy"]
        person = booked_person(db, row)
        records.update(db, "sessions", row, {"coordinator_id": coordinator_id}, user_id,
                       participant_id=person, reason=reason)
        if not busy:
            continue
        clashes.append(sid)
        if person is not None:
            # Tasks are the coordinator's own words; the system writes in the workbench's
            # language (as waiting.offer_freed_place does).
            records.insert(db, "tasks", {
                "participant_id": person, "kind": "other",
                "title": CLASH_TASK.format(
                    title=row["title"], date=dates.written(day), time=row["start_time"],
                    other=", ".join(f"{c.params['title']} ({c.params['time']})"
                                    for c in busy)),
                "due_date": row["date"], "assigned_to": coordinator_id,
                "created_at": audit.now()}, user_id, participant_id=person)
    return clashes


def search(db: sqlite_utils.Database, actor: User, query: str, limit: int = 25) -> list[Match]:
    """People of the actor's area by name (word starts, no case or diacritics) or EMŠO."""
    access.require_area(db, actor, actor.area_code)
    words = text.search_words(query)
    code = emso.normalise(query)
    if code and code.isascii() and code.isdigit():
        return _matches(db, actor.area_code, "", "", None, code)
    if not words:
        return []
    params: dict[str, object] = {"area": actor.area_code}
    params.update({f"w{i}": f"% {word}%" for i, word in enumerate(words)})
    sql = _MATCH_SQL.format(condition=" AND ".join(
        f"p.name_key LIKE :w{i}" for i in range(len(words))))
    return [Match(r["id"], r["name"], r["birth_date"], r["municipality"], r["coordinator"],
                  r["stage"], ("name",)) for r in records.named_rows(db.execute(sql, params))
            ][:limit]


def caseload_names(db: sqlite_utils.Database, actor: User) -> dict[int, str]:
    """The actor's open cases by id, by name (what a calendar entry can name)."""
    access.require_casework(db, actor)
    return dict(db.execute(
        f"SELECT id, first_name || ' ' || last_name FROM participants WHERE coordinator_id = ? "
        f"AND stage IN ({pipeline.ACTIVE_SQL}) "
        "ORDER BY last_name COLLATE sl, first_name COLLATE sl",
        [actor.id]).fetchall())


# -- interpreting -------------------------------------------------------------------------------
# The coordinators hold their meetings and visits in Slovenian; a programme says its own.
MEETING_LANGUAGES = ("sl",)


@dataclass(frozen=True)
class InterpreterWarning:
    """She needs an interpreter for her language, which the meeting or programme does not
    use, and none is arranged: said before saving; the coordinator may still save."""
    participant_id: int
    name: str
    language: str
    languages: tuple[str, ...]   # what the meeting or programme is held in


def interpreter_warnings(db: sqlite_utils.Database, actor: User, people, languages,
                         interpreter: bool) -> list[InterpreterWarning]:
    """Those of ``people`` whose record says they need an interpreter and whose language
    is not among ``languages``, unless an ``interpreter`` is arranged."""
    languages = tuple(languages)
    found = []
    for participant_id in dict.fromkeys(people):
        access.require_person(db, actor, participant_id)
        if interpreter:
            continue
        name, language, needed = db.execute(
            "SELECT first_name || ' ' || last_name, language, interpreter_needed "
            "FROM participants WHERE id = ?", [participant_id]).fetchone()
        if needed and language not in languages:
            found.append(InterpreterWarning(participant_id, name, language, languages))
    return found


def programme_languages(db: sqlite_utils.Database, programme_id: int
                        ) -> tuple[tuple[str, ...], bool]:
    """The languages a programme is held in and whether it has an interpreter."""
    row = db.execute("SELECT languages, interpreter FROM programmes WHERE id = ?",
                     [programme_id]).fetchone()
    if row is None:
        raise UserError("error.programme_missing")
    return tuple(c for c in row[0].split(",") if c), bool(row[1])


def booking_warnings(db: sqlite_utils.Database, actor: User, entry: schedule.Entry
                     ) -> list[InterpreterWarning]:
    """Who of those an entry books would need an interpreter it does not have: a group
    session of a programme speaks the programme's languages, any other the coordinator's."""
    people = ((entry.participant_id,) if entry.participant_id else ()) + tuple(entry.people)
    languages, interpreter = MEETING_LANGUAGES, False
    if entry.programme_id is not None:
        access.require_programme(db, actor, entry.programme_id)
        languages, interpreter = programme_languages(db, entry.programme_id)
    return interpreter_warnings(db, actor, people, languages, interpreter)


def enrolment_warnings(db: sqlite_utils.Database, actor: User, participant_id: int,
                       programme_id: int) -> list[InterpreterWarning]:
    """Enrolling her in a programme that does not speak her language and has no
    interpreter, while her record says she needs one."""
    access.require_programme(db, actor, programme_id)
    return interpreter_warnings(db, actor, [participant_id],
                                *programme_languages(db, programme_id))
