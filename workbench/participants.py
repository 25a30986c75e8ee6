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

from workbench import access, audit, dates, emso, pipeline, places, records, text, vocab
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


def create_person(db: sqlite_utils.Database, actor: User, form: PersonInput, *,
                  coordinator_id: int, today: dt.date, different_person: bool = False,
                  token: str | None = None) -> tuple[int, bool]:
    """Take in a referred person in the actor's area; returns (id, created now).

    An EMŠO already on record is refused first, whatever else the form says.
    Likely matches refuse the save unless the coordinator confirmed a different
    person. The checks and the insert share one transaction, so two
    coordinators entering the same person at once cannot both succeed.
    """
    area = actor.area_code
    access.require_area(db, actor, area)

    def insert() -> int:
        refuse_known_emso(db, area, emso.normalise(form.emso))
        values = clean(db, form, today, area)
        if coordinator_id not in coordinator_ids(db, area):
            raise UserError("error.coordinator_invalid", field="coordinator")
        matches = _matches(db, area, values["first_name"], values["last_name"],
                           dt.date.fromisoformat(values["birth_date"]), None)
        if matches and not different_person:
            raise UserError("error.possible_duplicate", n=len(matches))
        now = audit.now()
        pid = records.insert(db, "participants", dict(
            values, name_key=text.name_key(values["first_name"], values["last_name"]),
            coordinator_id=coordinator_id, stage="referred", stage_since=values["referral_date"],
            version=1, created_at=now, created_by=actor.id, updated_at=now,
            updated_by=actor.id), actor.id, participant_id=records.SELF, hidden=_UNLOGGED)
        db.execute("INSERT INTO stage_history (participant_id, from_stage, to_stage, changed_at, "
                   "changed_by, reason) VALUES (?, NULL, 'referred', ?, ?, ?)",
                   # When it happened (the referral), so the timeline sorts back-dated moves.
                   [pid, f"{values['referral_date']}T{now[11:]}", actor.id,
                    values["referral_source"]])
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
             expected_version: int, coordinator_id: int | None, reason: str) -> int:
    """Hand the person to another coordinator of the area, with the open tasks."""
    area = access.require_person(db, actor, participant_id)
    # In the order of the form: to whom, then why.
    if coordinator_id not in coordinator_ids(db, area):
        raise UserError("error.coordinator_invalid", field="coordinator")
    reason = text.clean(reason, limit=text.SHORT_TEXT_MAX, field="reason")
    if not reason:
        raise UserError("error.reason_required", field="reason")
    with write(db):
        row = _checked(db, participant_id, expected_version)
        if coordinator_id == row["coordinator_id"]:
            raise UserError("error.same_coordinator", field="coordinator")
        return hand_over(db, row, coordinator_id, actor.id, reason)


def hand_over(db: sqlite_utils.Database, row: dict, coordinator_id: int, user_id: int,
              reason: str) -> int:
    """The person and her open tasks to ``coordinator_id`` (checked by the caller)."""
    version = records.update(db, "participants", row, {"coordinator_id": coordinator_id},
                             user_id, participant_id=row["id"], reason=reason)
    # Follow-ups travel with the person, or nobody would see them come due.
    db.execute("UPDATE tasks SET assigned_to = ? WHERE participant_id = ? AND done_at IS NULL",
               [coordinator_id, row["id"]])
    return version


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
