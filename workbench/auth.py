"""Accounts and sign-in with argon2 password hashes stored in the database."""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from workbench import audit, config, environment, text, vocab
from workbench.db import write
from workbench.errors import UserError

_HASHER = PasswordHasher()
# Verified against when the username is unknown, so that a wrong username
# takes as long as a wrong password and the timing reveals nothing.
_DUMMY_HASH = _HASHER.hash("not a real password")
_HASH_TURNS: dict[int, threading.BoundedSemaphore] = {}
_HASH_TURNS_LOCK = threading.Lock()


def _hashing() -> threading.BoundedSemaphore:
    """A turn to run argon2 (64 MiB each): at most ``password_checks_at_once`` in this
    process at a time, the others wait (no error), so simultaneous sign-ins cannot take
    the server's memory (issue 20: 20 unknown names at once added about 960 MiB)."""
    size = config.integer("password_checks_at_once")
    with _HASH_TURNS_LOCK:
        return _HASH_TURNS.setdefault(size, threading.BoundedSemaphore(size))
USERNAME_MAX = 40
USERNAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9._-]{{1,{USERNAME_MAX - 1}}}$")
MIN_PASSWORD_LENGTH = 10
# argon2 hashes what it is given: a 10 MB "password" would cost CPU and memory each time.
MAX_PASSWORD_LENGTH = 256


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    unit_code: str | None
    active: bool
    must_change_password: bool = False  # set by an administrator's reset
    sex: str | None = None  # "F" / "M" says "koordinatorka" / "koordinator"; None: neutral


_USER_COLUMNS = ("id, username, display_name, role, area_code, unit_code, active, "
                 "must_change_password, sex")


def _user(row) -> User:
    return User(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]),
                row[8])


def hash_password(password: str) -> str:
    with _hashing():
        return _HASHER.hash(password)


def _encodable(value: str) -> bool:
    """Text that UTF-8 (argon2, SQLite) can carry: a lone surrogate from a broken client
    cannot be."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(username: str | None) -> str:
    """A typed username as it is looked up, counted and logged."""
    name = (username or "").strip().lower()[:USERNAME_MAX]
    return name if _encodable(name) else name.encode("utf-8", "replace").decode("utf-8")


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (no reason given)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH + 1]  # still wrong, but cheap to check
    row = db.execute(
        f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE username = ?",
        [_name(username)]).fetchone()
    if not _encodable(password):  # no stored password has it: wrong, as long to say so
        row, password = None, ""
    stored = row[9] if row else _DUMMY_HASH
    try:
        with _hashing():
            _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row[6]:
        return None
    return _user(row)


def get_user(db: sqlite_utils.Database, user_id: int) -> User | None:
    row = db.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", [user_id]).fetchone()
    return _user(row) if row else None


def get_user_by_name(db: sqlite_utils.Database, username: str) -> User | None:
    row = db.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?",
                     [username.strip()]).fetchone()
    return _user(row) if row else None


def list_users(db: sqlite_utils.Database, role: str | None = None) -> list[User]:
    sql = f"SELECT {_USER_COLUMNS} FROM users"
    params: list = []
    if role:
        sql += " WHERE role = ?"
        params.append(role)
    users = [_user(r) for r in db.execute(sql, params)]
    return sorted(users, key=lambda u: text.sort_key(u.display_name))


def check_sex(sex: object) -> None:
    """An account's form of address: F, M or None (not said: the words stay neutral)."""
    if sex is not None and sex not in vocab.SEXES:
        raise UserError("error.sex_invalid", field="sex")


def check_password(password: str, username: str | None = None) -> None:
    """A password for real records: long enough, bounded (argon2 hashes all of it, with
    64 MiB of memory each time), not the username, not the demo accounts' password."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise UserError("error.password_short", field="password", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError("error.password_long", field="password", n=MAX_PASSWORD_LENGTH)
    if not _encodable(password) or any(ord(c) < 32 for c in password):
        raise UserError("error.password_characters", field="password")
    folded = password.casefold()
    name = (username or "").strip().casefold()
    if name and (name in folded or folded in name):
        raise UserError("error.password_username", field="password")
    if environment.DEMO_PASSWORD in folded or len(set(folded)) < 3:
        raise UserError("error.password_common", field="password")
    # zxcvbn reads at most 72 characters; what follows only makes a password harder.
    guess = zxcvbn(password[:72], user_inputs=[*vocab.SLOVENIAN_PASSWORD_WORDS, name])
    if guess["score"] < PASSWORD_MIN_SCORE:
        why = next((m["pattern"] for m in guess["sequence"]
                    if m["pattern"] in PASSWORD_WEAKNESSES), "other")
        raise UserError(f"error.password_guessable_{why}", field="password")


# zxcvbn (Dropbox's strength estimator) knows English words, names and the most common
# passwords, and with vocab.SLOVENIAN_PASSWORD_WORDS the words Slovenian users reach for.
# Score 3 of 4: "safely unguessable" behind a slow hash (argon2, with the lock after a few
# failures).
PASSWORD_MIN_SCORE = 3
PASSWORD_WEAKNESSES = ("dictionary", "spatial", "sequence", "repeat", "date")


# -- signing in: slowed down after failures, then locked for a while -----------------------
@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: ``user`` when it succeeded; else ``locked_until`` says
    whether the username is locked and ``wait_until`` whether it came too soon after the
    last failure (the same for an unknown username)."""
    user: User | None
    locked_until: dt.datetime | None = None
    wait_until: dt.datetime | None = None

    def wait_seconds(self, now: dt.datetime | None = None) -> int:
        """Whole seconds until the next try is checked (at least 1 while refused)."""
        if self.wait_until is None:
            return 0
        return max(1, math.ceil((self.wait_until - (now or _clock())).total_seconds()))


def _clock() -> dt.datetime:
    """Sign-in and session times are the real clock's, never a demo's fixed day."""
    return config.now()


def failure_delay(failures: int) -> float:
    """Seconds after the last of ``failures`` failed sign-ins before the username's next
    password is checked: none for the first slips, then doubling (1, 2, 4 ... at most 8)
    until the lock."""
    slow_after = config.integer("sign_in_slow_after")
    if failures < slow_after:
        return 0.0
    return float(min(2 ** (failures - slow_after), 8))


def sign_in(db: sqlite_utils.Database, username: str, password: str, *,
            now: dt.datetime | None = None) -> SignIn:
    """Check a username and password as the sign-in form does.

    Failures are counted per username, known or not, so a lock and the answers say
    nothing about whether an account exists. From ``sign_in_slow_after`` failures the
    username's next password is checked only ``failure_delay`` seconds (at least) after
    the last failure: an attempt sooner is refused unchecked, however many come at once,
    and is not counted (it guessed nothing; a coordinator who presses again too soon is
    not locked out for it). After ``sign_in_lock_after`` checked failures within
    ``sign_in_lock_minutes`` the username is locked for that long (a correct password is
    refused meanwhile). Every failure, refusal and sign-in is written to the audit log.
    """
    now = now or _clock()
    name = _name(username)
    window = dt.timedelta(minutes=config.integer("sign_in_lock_minutes"))
    # The attempt is counted, and the lock and the slow-down read, in one write
    # transaction before its password is checked: of any number of attempts at once, only
    # those the slow-down lets through reach the real hash, the one that reaches the limit
    # locks the name, and every later one (the right password too) meets the lock. A lock
    # is never written away by an attempt that did not see it (issue 20).
    wait_until = None
    with write(db):
        attempt = db.execute("SELECT failures, last_failed_at, locked_until FROM "
                             "sign_in_attempts WHERE username = ?", [name]).fetchone()
        locked_before = _locked_until(attempt, now)
        if locked_before is None:
            last = dt.datetime.fromisoformat(attempt[1]) if attempt is not None else None
            before = attempt[0] if last is not None and last > now - window else 0
            delay = failure_delay(before)
            # Moments are whole seconds: one more makes the wait at least ``delay``.
            if delay and now < last + dt.timedelta(seconds=delay + 1):
                wait_until = last + dt.timedelta(seconds=delay + 1)
            else:
                failures = before + 1
                locked = failures >= config.integer("sign_in_lock_after")
                locked_until = now + window if locked else None
                db.execute(
                    "INSERT INTO sign_in_attempts (username, failures, last_failed_at, "
                    "locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                    "failures = excluded.failures, last_failed_at = excluded.last_failed_at, "
                    "locked_until = excluded.locked_until",
                    [name, 0 if locked else failures, config.stamp(now),
                     config.stamp(locked_until) if locked_until else None])
                # Names typed once and never again are not kept for ever.
                db.execute("DELETE FROM sign_in_attempts WHERE last_failed_at < ? AND "
                           "(locked_until IS NULL OR locked_until < ?)",
                           [config.stamp(now - dt.timedelta(days=1)), config.stamp(now)])
    if locked_before is not None:
        authenticate(db, _DUMMY_USERNAME, password)  # as long as a real check
        _log_failure(db, name, now, "locked")
        return SignIn(None, locked_before)
    if wait_until is not None:  # refused unchecked, and not counted: it guessed nothing
        _log_failure(db, name, now, "too_soon")
        return SignIn(None, None, wait_until)
    user = authenticate(db, name, password)
    if user is not None:
        with write(db):
            db.execute("DELETE FROM sign_in_attempts WHERE username = ?", [name])
            audit.log_event(db, user.id, "sign_in", "users", user.id)
        return SignIn(user)
    _log_failure(db, name, now, "locked" if locked else "wrong")
    return SignIn(None, locked_until)


def proxy_sign_in(db: sqlite_utils.Database, username: str) -> User | None:
    """Single sign-on: the active account an authenticating reverse proxy named (the
    caller has checked that the connection comes from the trusted proxy), written to the
    audit log as a sign-in (reason "sso"); an unknown or inactive name as a failed one."""
    name = _name(username)
    user = get_user_by_name(db, name)
    if user is None or not user.active:
        _log_failure(db, name, _clock(), "sso_unknown")
        return None
    with write(db):
        audit.log_event(db, user.id, "sign_in", "users", user.id, reason="sso")
    return user


_DUMMY_USERNAME = ""  # no account has it: authenticate() checks the dummy hash


def _locked_until(attempt, now: dt.datetime) -> dt.datetime | None:
    if attempt is None or attempt[2] is None:
        return None
    until = dt.datetime.fromisoformat(attempt[2])
    return until if until > now else None


def _log_failure(db: sqlite_utils.Database, name: str, now: dt.datetime, reason: str) -> None:
    with write(db):
        row = db.execute("SELECT id FROM users WHERE username = ?", [name]).fetchone()
        # As typed, invisible characters shown as such: a failure is always counted and
        # logged (the viewer escapes what it shows).
        typed = "".join(c if c.isprintable() else "\ufffd" for c in name)
        audit.log_event(db, None, "sign_in_failed", "users", row[0] if row else None,
                        field="username", value=typed or None, reason=reason,
                        at=audit.moment(now))


def locked_usernames(db: sqlite_utils.Database, now: dt.datetime | None = None
                     ) -> list[tuple[str, dt.datetime]]:
    """Usernames locked now (known or not), with the moment each lock ends."""
    now = now or _clock()
    return [(name, dt.datetime.fromisoformat(until)) for name, until in db.execute(
        "SELECT username, locked_until FROM sign_in_attempts WHERE locked_until > ? "
        "ORDER BY username", [config.stamp(now)])]


def change_password(db: sqlite_utils.Database, user: User, current: str, new: str,
                    repeated: str) -> None:
    """The user's own change (forced after an administrator's reset): the current password
    first, then a new one that follows the rules and differs from it."""
    if authenticate(db, user.username, current) is None:
        raise UserError("error.password_current_wrong", field="current_password")
    if new != repeated:
        raise UserError("error.password_mismatch", field="password")
    if new == current:
        raise UserError("error.password_unchanged", field="password")
    check_password(new, user.username)
    with write(db):
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 0 "
                   "WHERE id = ?", [hash_password(new), user.id])
        audit.log_changes(db, user.id, "users", user.id, None, "update",
                          {"password": ("***", "***")})


def check_unit(db: sqlite_utils.Database, role: str, unit_code: str | None,
               area_code: str | None) -> None:
    """A coordinator works in a CSD unit of her area; other roles may name one of it."""
    if unit_code is None:
        if role == "coordinator":
            raise UserError("error.unit_required", field="unit")
        return
    if db.execute("SELECT 1 FROM csd_units WHERE code = ? AND area_code IS ?",
                  [unit_code, area_code]).fetchone() is None:
        raise UserError("error.unit_invalid", field="unit")


def create_user(db: sqlite_utils.Database, username: str, display_name: str, role: str,
                password: str, area_code: str | None = "gorenjska",
                unit_code: str | None = None, now: dt.datetime | None = None,
                password_hash: str | None = None, acting_user_id: int | None = None,
                sex: str | None = None) -> User:
    """Create an account; raises UserError on bad input or a taken username.

    Audited when an administrator (``acting_user_id``) creates it in the app; its user
    then chooses her own password at her first sign-in.
    """
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise UserError("error.username_invalid", field="username")
    display_name = text.clean(display_name, limit=text.NAME_MAX, required=True,
                              field="display_name")
    if role is None:
        raise UserError("error.role_required", field="role")
    if role not in vocab.ROLES:
        raise UserError("error.role_invalid", field="role")
    check_sex(sex)
    if password_hash is None:
        check_password(password, username)
        password_hash = hash_password(password)
    created = config.stamp(now) if now else audit.now()
    with write(db):
        check_unit(db, role, unit_code, area_code)
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise UserError("error.username_taken", field="username", username=username)
        cursor = db.execute(
            "INSERT INTO users (username, display_name, role, area_code, unit_code, "
            "password_hash, active, created_at, must_change_password, sex) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            [username, display_name, role, area_code, unit_code, password_hash, created,
             int(acting_user_id is not None), sex])
        if acting_user_id is not None:
            audit.log_created(db, acting_user_id, "users", cursor.lastrowid, None, {
                "username": username, "display_name": display_name, "role": role,
                "unit_code": unit_code, "sex": sex})
    return get_user(db, cursor.lastrowid)
