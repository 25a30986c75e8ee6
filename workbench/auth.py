"""Accounts and sign-in with argon2 password hashes stored in the database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from workbench import audit, text, vocab
from workbench.db import write
from workbench.errors import UserError

_HASHER = PasswordHasher()
# Verified against when the username is unknown, so that a wrong username
# takes as long as a wrong password and the timing reveals nothing.
_DUMMY_HASH = _HASHER.hash("not a real password")
USERNAME_MAX = 40
USERNAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9._-]{{1,{USERNAME_MAX - 1}}}$")
MIN_PASSWORD_LENGTH = 8
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


_USER_COLUMNS = "id, username, display_name, role, area_code, unit_code, active"


def _user(row) -> User:
    return User(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (no reason given)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH + 1]  # still wrong, but cheap to check
    row = db.execute(
        f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE username = ?",
        [username.strip()]).fetchone()
    stored = row[7] if row else _DUMMY_HASH
    try:
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


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise UserError("error.password_short", field="password", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError("error.password_long", field="password", n=MAX_PASSWORD_LENGTH)


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
                password_hash: str | None = None, acting_user_id: int | None = None) -> User:
    """Create an account; raises UserError on bad input or a taken username.

    Audited when an administrator (``acting_user_id``) creates it in the app.
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
    if password_hash is None:
        check_password(password)
        password_hash = hash_password(password)
    created = now.isoformat(timespec="seconds") if now else audit.now()
    with write(db):
        check_unit(db, role, unit_code, area_code)
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise UserError("error.username_taken", field="username", username=username)
        cursor = db.execute(
            "INSERT INTO users (username, display_name, role, area_code, unit_code, "
            "password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
            [username, display_name, role, area_code, unit_code, password_hash, created])
        if acting_user_id is not None:
            audit.log_created(db, acting_user_id, "users", cursor.lastrowid, None, {
                "username": username, "display_name": display_name, "role": role,
                "unit_code": unit_code})
    return get_user(db, cursor.lastrowid)
