"""Consent per purpose: what the person agreed to, when, how, and what she withdrew.

Purposes: inclusion in the programme, sharing her data with a named institution for a
referral out, reporting to e-MA, and being contacted by phone or by SMS. Each consent is
a row of its own with the day and the way it was given; a withdrawal is dated too and
never deletes the row, so the record shows what held when. Withdrawing the sharing
consent for an institution refuses every new referral out to it
(``casework.add_referral_out`` asks ``sharing_withdrawn``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, dates, records, text
from workbench.auth import User
from workbench.errors import UserError
from workbench.transactions import write

PURPOSES = ("inclusion", "sharing", "ema", "phone", "sms")
WAYS = ("written", "oral", "electronic")


def institution_key(name: str | None) -> str:
    """An institution as referrals and consents both name it: case, spacing and punctuation
    ignored ("ZRSZ, OS Kranj." and "zrsz – os kranj" are one)."""
    words = "".join(c if c.isalnum() else " " for c in (name or "").casefold())
    return " ".join(words.split())


@dataclass(frozen=True)
class Consent:
    id: int
    purpose: str
    institution: str | None
    given_on: str
    given_how: str
    withdrawn_on: str | None
    withdrawn_how: str | None
    version: int

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


def consents(db: sqlite_utils.Database, actor: User, participant_id: int) -> list[Consent]:
    """Her consents, those in force first, newest first."""
    access.require_person(db, actor, participant_id)
    return _consents(db, participant_id)


def _consents(db: sqlite_utils.Database, participant_id: int) -> list[Consent]:
    return records.as_rows(Consent, db.execute(
        "SELECT * FROM consents WHERE participant_id = ? "
        "ORDER BY withdrawn_on IS NOT NULL, given_on DESC, id DESC", [participant_id]))


def record_consent(db: sqlite_utils.Database, actor: User, participant_id: int, purpose: str,
                   *, given_on: dt.date | str | None, how: str | None,
                   institution: str | None = None, today: dt.date,
                   token: str | None = None) -> tuple[int, bool]:
    """A consent she gave; the sharing consent names its institution. One purpose (and
    institution) is in force once: a second is refused until the first is withdrawn."""
    access.require_person(db, actor, participant_id)
    if purpose not in PURPOSES:
        raise UserError("error.consent_purpose_invalid", field="purpose")
    if how not in WAYS:
        raise UserError("error.consent_how_invalid", field="how")
    day = dates.event_day(given_on, today, field="given_on")
    name = None
    if purpose == "sharing":
        name = text.clean(institution, limit=text.SHORT_TEXT_MAX, field="institution")
        if not name:
            raise UserError("error.consent_institution_required", field="institution")
    key = institution_key(name)

    def insert() -> int:
        if db.execute("SELECT 1 FROM consents WHERE participant_id = ? AND purpose = ? "
                      "AND institution_key = ? AND withdrawn_on IS NULL",
                      [participant_id, purpose, key]).fetchone():
            raise UserError("error.consent_in_force", field="purpose")
        return records.insert(db, "consents", {
            "participant_id": participant_id, "purpose": purpose, "institution": name,
            "institution_key": key, "given_on": day, "given_how": how,
            "recorded_at": audit.now(), "recorded_by": actor.id}, actor.id,
            participant_id=participant_id)

    with write(db):
        return records.once(db, token, "consent", actor.id, insert)


def withdraw(db: sqlite_utils.Database, actor: User, consent_id: int, expected_version: int,
             *, on: dt.date | str | None, how: str | None, today: dt.date) -> int:
    """She withdraws a consent (from ``on``); returns the row's new version."""
    if how not in WAYS:
        raise UserError("error.consent_how_invalid", field="withdrawn_how")
    day = dates.event_day(on, today, field="withdrawn_on")
    found = db.execute("SELECT participant_id FROM consents WHERE id = ?",
                       [consent_id]).fetchone()
    if found is None:
        raise UserError("error.record_missing")
    access.require_person(db, actor, found[0])
    with write(db):
        row = records.check_version(db, "consents", consent_id, expected_version)
        if row["withdrawn_on"] is not None:
            raise UserError("error.consent_withdrawn_already")
        if day < row["given_on"]:
            raise UserError("error.consent_withdrawn_before_given", field="withdrawn_on")
        return records.update(db, "consents", row, {"withdrawn_on": day, "withdrawn_how": how},
                              actor.id, participant_id=found[0])


@dataclass(frozen=True)
class Sharing:
    in_force: tuple[str, ...]       # institutions she agreed to, as recorded
    withdrawn: frozenset[str]       # keys of those she withdrew and gave no new consent to


def sharing(db: sqlite_utils.Database, actor: User, participant_id: int) -> Sharing:
    """Her sharing consents as the referral form shows them."""
    access.require_person(db, actor, participant_id)
    rows = db.execute("SELECT institution, institution_key, withdrawn_on IS NULL FROM consents "
                      "WHERE participant_id = ? AND purpose = 'sharing' "
                      "ORDER BY institution COLLATE sl",
                      [participant_id]).fetchall()
    live = {key for _, key, in_force in rows if in_force}
    return Sharing(tuple(name for name, _, in_force in rows if in_force),
                   frozenset(key for _, key, _ in rows if key not in live))


def sharing_withdrawn(db: sqlite_utils.Database, participant_id: int,
                      institution: str) -> bool:
    """She withdrew her consent to sharing with this institution and gave none since."""
    key = institution_key(institution)
    states = [r[0] for r in db.execute(
        "SELECT withdrawn_on IS NULL FROM consents WHERE participant_id = ? "
        "AND purpose = 'sharing' AND institution_key = ?", [participant_id, key])]
    return bool(states) and not any(states)
