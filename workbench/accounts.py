"""Account administration: roles, units, password resets, and deactivation with a hand-over.

Every change is written to the audit log (table ``users``) in the same
transaction. Deactivating a coordinator never leaves her people on no one's
board: what she holds goes to a colleague, or is spread over the area's
coordinators, in the same step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from workbench import (
    access,
    audit,
    auth,
    config,
    participants,
    pipeline,
    places,
    records,
    sessions,
    text,
    vocab,
)
from workbench.db import write
from workbench.errors import UserError

SPREAD = "spread"  # hand-over target: spread over every other coordinator of the area
HIDDEN = "***"  # what the audit log shows of a password


@dataclass(frozen=True)
class Holdings:
    """What a coordinator is responsible for."""
    cases: int          # every person on her caseload, finished ones included
    active_cases: int
    open_tasks: int
    programmes: int
    bookings: int = 0   # meetings, visits and group sessions she leads, from today on
    clashes: int = 0    # of those handed over: how many clash with the colleague's own,
    # each with a task on its person's record ...
    untasked_clashes: int = 0  # ... and how many with nobody booked: no task, only the calendar

    @property
    def empty(self) -> bool:
        return not (self.cases or self.open_tasks or self.programmes or self.bookings)


def list_accounts(db: sqlite_utils.Database, actor: auth.User) -> list[auth.User]:
    access.require_admin(actor)
    return auth.list_users(db)


def create_account(db: sqlite_utils.Database, actor: auth.User, username: str,
                   display_name: str, role: str | None, password: str,
                   unit_code: str | None, sex: str | None = None) -> auth.User:
    """An account made by the administrator in the app (audited); ``sex`` (F, M or None)
    decides how the app speaks of its holder ("koordinatorka", "spremenila")."""
    access.require_admin(actor)
    return auth.create_user(db, username, display_name, role, password,
                            area_code=actor.area_code, unit_code=unit_code,
                            acting_user_id=actor.id, sex=sex)


def holdings(db: sqlite_utils.Database, actor: auth.User, user_id: int, *,
             today: dt.date | None = None) -> Holdings:
    access.require_admin(actor)
    return _holdings(db, user_id, today or config.today())


def _future_bookings(db: sqlite_utils.Database, user_id: int, today: dt.date) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM sessions WHERE coordinator_id = ? AND date >= ? "
        "AND cancelled_at IS NULL ORDER BY date, start_time, id", [user_id, today.isoformat()])]


def _holdings(db: sqlite_utils.Database, user_id: int, today: dt.date) -> Holdings:
    cases, active_cases = db.execute(
        f"SELECT COUNT(*), COALESCE(SUM(stage IN ({pipeline.ACTIVE_SQL})), 0) FROM participants "
        "WHERE coordinator_id = ?", [user_id]).fetchone()
    tasks = db.execute("SELECT COUNT(*) FROM tasks WHERE assigned_to = ? AND done_at IS NULL",
                       [user_id]).fetchone()[0]
    programmes = db.execute("SELECT COUNT(*) FROM programmes WHERE coordinator_id = ?",
                            [user_id]).fetchone()[0]
    return Holdings(cases, active_cases, tasks, programmes,
                    len(_future_bookings(db, user_id, today)))


def _row(db: sqlite_utils.Database, user_id: int) -> dict:
    cursor = db.execute("SELECT id, username, display_name, role, area_code, unit_code, active, "
                        "sex FROM users WHERE id = ?", [user_id])
    row = cursor.fetchone()
    if row is None:
        raise UserError("error.user_missing")
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def _log(db: sqlite_utils.Database, acting_user_id: int, user_id: int,
         changes: dict[str, tuple[object, object]], reason: str | None = None) -> None:
    audit.log_changes(db, acting_user_id, "users", user_id, None, "update", changes,
                      reason=reason)


_KEEP = object()  # update_user without a sex: the account keeps its own


def update_user(db: sqlite_utils.Database, actor: auth.User, user_id: int, *, role: str,
                unit_code: str | None, display_name: str, sex: object = _KEEP) -> bool:
    """Change role, CSD unit, name and (when given) the form of address; returns True when
    something changed."""
    access.require_admin(actor)
    acting_user_id = actor.id
    display_name = text.clean(display_name, limit=text.NAME_MAX, required=True,
                              field="display_name")
    if role not in vocab.ROLES:
        raise UserError("error.role_invalid", field="role")
    if sex is not _KEEP:
        auth.check_sex(sex)
    with write(db):
        row = _row(db, user_id)
        auth.check_unit(db, role, unit_code, row["area_code"])
        if user_id == acting_user_id and role != row["role"]:
            raise UserError("error.cannot_change_own_role", field="role")
        if row["role"] == "coordinator" and role != "coordinator" and not _holdings(
                db, user_id, config.today()).empty:
            raise UserError("error.role_change_holds_cases", field="role")
        new = {"role": role, "unit_code": unit_code, "display_name": display_name,
               "sex": row["sex"] if sex is _KEEP else sex}
        changes = {k: (row[k], v) for k, v in new.items() if row[k] != v}
        if not changes:
            return False
        db.execute("UPDATE users SET role = ?, unit_code = ?, display_name = ?, sex = ? "
                   "WHERE id = ?", [role, unit_code, display_name, new["sex"], user_id])
        _log(db, acting_user_id, user_id, changes)
        return True


def reset_password(db: sqlite_utils.Database, actor: auth.User, user_id: int,
                   password: str) -> None:
    """Give the account a temporary password: the old one and every session of hers stop
    working at once, and she chooses her own at her next sign-in."""
    access.require_admin(actor)
    acting_user_id = actor.id
    with write(db):
        row = _row(db, user_id)
        auth.check_password(password, row["username"])
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?",
                   [auth.hash_password(password), user_id])
        db.execute("DELETE FROM sign_in_attempts WHERE username = ?", [row["username"]])
        sessions.end_all(db, user_id, "password_reset")
        _log(db, acting_user_id, user_id, {"password": (HIDDEN, HIDDEN)})


def locks(db: sqlite_utils.Database, actor: auth.User):
    """Usernames locked after failed sign-ins (known or not) and when each lock ends."""
    access.require_admin(actor)
    return auth.locked_usernames(db)


def unlock(db: sqlite_utils.Database, actor: auth.User, username: str) -> bool:
    """Lift a sign-in lock at once (audited); False when the name was not locked."""
    access.require_admin(actor)
    with write(db):
        row = db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()
        cursor = db.execute("DELETE FROM sign_in_attempts WHERE username = ? "
                            "AND locked_until IS NOT NULL", [username])
        if not cursor.rowcount:
            return False
        audit.log_event(db, actor.id, "unlock", "users", row[0] if row else None,
                        field="username", value=username)
        return True


def activate(db: sqlite_utils.Database, actor: auth.User, user_id: int) -> None:
    access.require_admin(actor)
    acting_user_id = actor.id
    with write(db):
        row = _row(db, user_id)
        if not row["active"]:
            db.execute("UPDATE users SET active = 1 WHERE id = ?", [user_id])
            _log(db, acting_user_id, user_id, {"active": (0, 1)})


def coverage(db: sqlite_utils.Database, actor: auth.User, user_id: int) -> list[int]:
    """The municipalities whose new referrals are offered to this coordinator, in
    Slovenian alphabetical order ("Cerklje", "Šenčur", "Žiri")."""
    access.require_admin(actor)
    return [r[0] for r in db.execute(
        "SELECT c.municipality_id FROM municipality_coordinators c JOIN municipalities m "
        "ON m.id = c.municipality_id WHERE c.coordinator_id = ? "
        "ORDER BY m.name COLLATE sl, m.id", [user_id])]


def set_coverage(db: sqlite_utils.Database, actor: auth.User, user_id: int,
                 municipality_ids) -> bool:
    """The municipalities an active coordinator covers (participants.responsible_coordinator):
    one named here is taken from whoever covered it; one left out is nobody's (its unit's
    only coordinator then). Each change is audited; returns True when something changed."""
    access.require_admin(actor)
    wanted = set(municipality_ids)
    with write(db):
        row = _row(db, user_id)
        if row["role"] != "coordinator" or not row["active"]:
            raise UserError("error.coordinator_invalid", field="coverage")
        if not wanted <= set(places.municipalities(db, row["area_code"])):
            raise UserError("error.municipality_invalid", field="coverage")
        held = dict(db.execute("SELECT municipality_id, coordinator_id FROM "
                               "municipality_coordinators").fetchall())
        changes = {m: (held.get(m), user_id) for m in sorted(wanted) if held.get(m) != user_id}
        changes.update({m: (user_id, None) for m, c in sorted(held.items())
                        if c == user_id and m not in wanted})
        for municipality_id, (before, after) in changes.items():
            if after is None:
                db.execute("DELETE FROM municipality_coordinators WHERE municipality_id = ?",
                           [municipality_id])
            else:
                db.execute("INSERT INTO municipality_coordinators (municipality_id, "
                           "coordinator_id) VALUES (?, ?) ON CONFLICT (municipality_id) DO "
                           "UPDATE SET coordinator_id = excluded.coordinator_id",
                           [municipality_id, after])
            audit.log_changes(db, actor.id, "municipality_coordinators", municipality_id, None,
                              "update", {"coordinator_id": (before, after)})
        return bool(changes)


def handover_targets(db: sqlite_utils.Database, actor: auth.User,
                     user_id: int) -> list[auth.User]:
    """Active coordinators of the same area who could take over her people."""
    access.require_admin(actor)
    return _handover_targets(db, user_id)


def _handover_targets(db: sqlite_utils.Database, user_id: int) -> list[auth.User]:
    area = _row(db, user_id)["area_code"]
    return [u for u in auth.list_users(db, "coordinator")
            if u.active and u.area_code == area and u.id != user_id]


def deactivate(db: sqlite_utils.Database, actor: auth.User, user_id: int, *,
               handover_to: int | str | None = None, reason: str = "",
               today: dt.date | None = None) -> Holdings:
    """Switch an account off; her cases, open tasks, programmes and bookings from ``today``
    on go to ``handover_to`` (a coordinator's id, or SPREAD). Returns what was handed over,
    with how many bookings clash with the colleagues' own (moved all the same): those
    with a person booked get a task on her record, those with nobody booked cannot."""
    today = today or config.today()
    access.require_admin(actor)
    acting_user_id = actor.id
    if user_id == acting_user_id:
        raise UserError("error.cannot_deactivate_self")
    reason = text.clean_reason(reason)  # logged with each of her people handed over
    with write(db):
        row = _row(db, user_id)
        if not row["active"]:
            return Holdings(0, 0, 0, 0)
        held = _holdings(db, user_id, today)
        if not held.empty:
            targets = {u.id: u for u in _handover_targets(db, user_id)}
            if handover_to == SPREAD:
                if not targets:
                    raise UserError("error.handover_nobody")
                chosen = list(targets)
            elif handover_to in targets:
                chosen = [handover_to]
            else:
                raise UserError("error.handover_required", field="handover")
            clashes = _hand_over(db, user_id, chosen, acting_user_id,
                                 reason or f"{row['display_name']}: deaktivacija", today)
            tasked = [sid for sid in clashes if participants.booked_person(
                db, records.row(db, "sessions", sid)) is not None]
            held = dataclasses.replace(held, clashes=len(tasked),
                                       untasked_clashes=len(clashes) - len(tasked))
        db.execute("UPDATE users SET active = 0 WHERE id = ?", [user_id])
        sessions.end_all(db, user_id, "inactive")
        _log(db, acting_user_id, user_id, {"active": (1, 0)}, reason)
        return held


def _hand_over(db: sqlite_utils.Database, user_id: int, targets: list[int],
               acting_user_id: int, reason: str, today: dt.date) -> list[int]:
    """Every person (with her open tasks and meetings), programme and booking from
    ``today`` on of ``user_id`` to ``targets``, the least loaded first, so that a spread
    keeps the caseloads even. Returns the bookings that clash with the taker's own."""
    load = {t: db.execute("SELECT COUNT(*) FROM participants WHERE coordinator_id = ?",
                          [t]).fetchone()[0] for t in targets}
    people = [r[0] for r in db.execute("SELECT id FROM participants WHERE coordinator_id = ? "
                                       "ORDER BY id", [user_id])]
    clashes = []
    for participant_id in people:
        target = min(load, key=lambda t: (load[t], t))
        load[target] += 1
        clashes += participants.hand_over(db, records.row(db, "participants", participant_id),
                                          target, acting_user_id, reason, today=today)[1]
    # Tasks of people who are not hers (cannot happen today) still must not be orphaned.
    first = min(load, key=lambda t: (load[t], t))
    db.execute("UPDATE tasks SET assigned_to = ? WHERE assigned_to = ? AND done_at IS NULL",
               [first, user_id])
    db.execute("UPDATE programmes SET coordinator_id = ? WHERE coordinator_id = ?",
               [first, user_id])
    # Individual meetings went with their people above; a visit or a group session goes to
    # whoever now holds most of the people it books (a spread), else to the first.
    for session_id in _future_bookings(db, user_id, today):
        holders = [r[0] for r in db.execute(
            "SELECT p.coordinator_id FROM session_people sp JOIN participants p "
            "ON p.id = sp.participant_id WHERE sp.session_id = ? UNION ALL "
            "SELECT p.coordinator_id FROM sessions s JOIN participants p "
            "ON p.id = s.participant_id WHERE s.id = ?", [session_id, session_id])
            if r[0] in load]
        target = max(sorted(set(holders)), key=holders.count) if holders else first
        clashes += participants.move_bookings(db, [session_id], target, acting_user_id,
                                              reason)
    # New referrals from her municipalities go to whichever taker now holds most people
    # there (participants.responsible_coordinator), else to the first.
    for municipality_id, in db.execute(
            "SELECT municipality_id FROM municipality_coordinators WHERE coordinator_id = ? "
            "ORDER BY municipality_id", [user_id]).fetchall():
        counts = dict(db.execute(
            "SELECT coordinator_id, COUNT(*) FROM participants WHERE municipality_id = ? "
            "GROUP BY coordinator_id", [municipality_id]).fetchall())
        target = max(sorted(load), key=lambda t: counts.get(t, 0)) if any(
            counts.get(t) for t in load) else first
        db.execute("UPDATE municipality_coordinators SET coordinator_id = ? "
                   "WHERE municipality_id = ?", [target, municipality_id])
        audit.log_changes(db, acting_user_id, "municipality_coordinators", municipality_id,
                          None, "update", {"coordinator_id": (user_id, target)}, reason=reason)
    return clashes
