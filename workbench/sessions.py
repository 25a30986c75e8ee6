"""Signed-in sessions kept in the database, so that a refresh, a new tab or a bookmarked
link finds the coordinator still signed in.

The browser holds only a random token in an HttpOnly cookie; the table keeps its SHA-256
digest, so a copy of the database (a backup) signs no one in. The cookie is set by a
plain HTTP request (``workbench.ui.web``), since Streamlit's websocket cannot set one:
``start`` gives the signed-in page a one-time code, valid for two minutes, that the
browser exchanges for the token (``claim``). A session ends at sign-out (every session
of that user), after ``session_idle_minutes`` without use, ``session_hours`` after
sign-in, or when its user is deactivated or her password reset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import sqlite3

import sqlite_utils

from workbench import audit, auth, config
from workbench.db import write

COOKIE = "workbench_session"
HANDOFF_SECONDS = 120
# last_seen is written at most this often: a rerun then costs no write of its own. The
# idle check reads last_seen, which may be up to one interval older than her last use: so
# the interval is also at most a tenth of the idle limit (6 s for a 1-minute limit), or
# someone active every 20 s with a 1-minute limit would be signed out at the first minute.
TOUCH_SECONDS = 60
TOUCH_FRACTION = 10


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or config.now()


def start(db: sqlite_utils.Database, user: auth.User,
          now: dt.datetime | None = None) -> tuple[int, str]:
    """A new session for a user who has just signed in: its id and the one-time code the
    browser exchanges for its cookie."""
    now = _now(now)
    code = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(hours=config.integer("session_hours"))
    with write(db):
        cursor = db.execute(
            "INSERT INTO user_sessions (user_id, handoff_hash, handoff_until, created_at, "
            "last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            [user.id, _digest(code), config.stamp(now + dt.timedelta(seconds=HANDOFF_SECONDS)),
             config.stamp(now), config.stamp(now), config.stamp(now + lifetime)])
    return cursor.lastrowid, code


def claim(db: sqlite_utils.Database, code: str, now: dt.datetime | None = None
          ) -> tuple[str, int] | None:
    """Exchange a one-time code for the session's cookie token and its lifetime left in
    seconds; None for an unknown, used or expired code."""
    now = _now(now)
    token = secrets.token_urlsafe(32)
    with write(db):
        row = db.execute(
            "SELECT id, expires_at FROM user_sessions WHERE handoff_hash = ? "
            "AND handoff_until >= ? AND ended_at IS NULL", [_digest(code or ""), config.stamp(now)]
        ).fetchone()
        if row is None:
            return None
        db.execute("UPDATE user_sessions SET token_hash = ?, handoff_hash = NULL, "
                   "handoff_until = NULL WHERE id = ?", [_digest(token), row[0]])
    left = int((dt.datetime.fromisoformat(row[1]) - now).total_seconds())
    return token, max(left, 0)


def resume(db: sqlite_utils.Database, token: str | None) -> int | None:
    """The session a cookie's token belongs to, unless it has ended; ``user`` (which the
    caller asks next, once) decides whether it is still live."""
    if not token:
        return None
    row = db.execute("SELECT id FROM user_sessions WHERE token_hash = ? AND ended_at IS NULL",
                     [_digest(token)]).fetchone()
    return row[0] if row else None


def user(db: sqlite_utils.Database, session_id: int,
         now: dt.datetime | None = None) -> auth.User | None:
    """The user of a live session, re-read on every run; a session that has expired, or
    whose user is no longer active, is ended here and gives None."""
    now = _now(now)
    row = db.execute("SELECT user_id, last_seen, expires_at, ended_at FROM user_sessions "
                     "WHERE id = ?", [session_id]).fetchone()
    if row is None or row[3] is not None:
        return None
    user_id, last_seen, expires_at = row[0], dt.datetime.fromisoformat(row[1]), row[2]
    idle = dt.timedelta(minutes=config.integer("session_idle_minutes"))
    found = auth.get_user(db, user_id)
    reason = ("expired" if dt.datetime.fromisoformat(expires_at) <= now
              else "idle" if last_seen + idle <= now
              else "inactive" if found is None or not found.active else None)
    if reason is not None:
        with write(db):
            db.execute("UPDATE user_sessions SET ended_at = ?, ended_reason = ? "
                       "WHERE id = ? AND ended_at IS NULL", [config.stamp(now), reason, session_id])
        return None
    if (now - last_seen).total_seconds() >= min(TOUCH_SECONDS,
                                                 idle.total_seconds() / TOUCH_FRACTION):
        try:
            with write(db):
                db.execute("UPDATE user_sessions SET last_seen = ? WHERE id = ?",
                           [config.stamp(now), session_id])
        except sqlite3.OperationalError:  # a busy moment: the next rerun notes her instead
            logging.getLogger("workbench").warning("session %s: last_seen not written",
                                                   session_id)
    return found


def end_all(db: sqlite_utils.Database, user_id: int, reason: str,
            now: dt.datetime | None = None) -> int:
    """End every live session of a user (inside the caller's transaction, if any); the
    number ended."""
    with write(db):
        cursor = db.execute("UPDATE user_sessions SET ended_at = ?, ended_reason = ? "
                            "WHERE user_id = ? AND ended_at IS NULL",
                            [config.stamp(_now(now)), reason, user_id])
    return cursor.rowcount


def sign_out(db: sqlite_utils.Database, user: auth.User) -> None:
    """Signing out ends her sessions in every tab and browser, and is audited."""
    with write(db):
        end_all(db, user.id, "signed_out")
        audit.log_event(db, user.id, "sign_out", "users", user.id)


# Why a session ended: each has its message on the sign-in form (login.ended.<reason>).
END_REASONS = ("idle", "expired", "signed_out", "inactive", "password_reset")


def ended_reason(db: sqlite_utils.Database, session_id: int) -> str | None:
    row = db.execute("SELECT ended_reason FROM user_sessions WHERE id = ?",
                     [session_id]).fetchone()
    return row[0] if row else None


def why_ended(db: sqlite_utils.Database, token: str) -> str | None:
    """Why the session a browser's cookie names has ended (None for an unknown token)."""
    row = db.execute("SELECT ended_reason FROM user_sessions WHERE token_hash = ?",
                     [_digest(token)]).fetchone()
    return row[0] if row else None
