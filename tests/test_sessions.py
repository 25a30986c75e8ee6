"""Server-side sessions: what keeps a coordinator signed in across a refresh, and what
ends it."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench import accounts, auth, sessions

NOON = dt.datetime(2026, 12, 2, 12, 0)


@pytest.fixture
def people(memory_db):
    admin = auth.create_user(memory_db, "skrbnik", "Skrbnik", "admin", "skrbniško-geslo")
    ana = auth.create_user(memory_db, "ana.kos", "Ana Kos", "coordinator", "skrivnost123",
                           unit_code="kranj")
    maja = auth.create_user(memory_db, "maja", "Maja Zupan", "coordinator", "skrivnost123",
                            unit_code="kranj")
    return admin, ana, maja


def _signed_in(db, user, now=NOON) -> tuple[int, str]:
    session_id, code = sessions.start(db, user, now=now)
    token, _ = sessions.claim(db, code, now=now)
    return session_id, token


def test_the_cookie_token_finds_the_session_again_and_is_stored_only_hashed(memory_db,
                                                                             people):
    _, ana, _ = people
    session_id, code = sessions.start(memory_db, ana, now=NOON)
    token, max_age = sessions.claim(memory_db, code, now=NOON + dt.timedelta(seconds=5))
    assert max_age == 10 * 3600 - 5
    assert sessions.claim(memory_db, code, now=NOON) is None  # a code works once
    assert sessions.resume(memory_db, token) == session_id  # a refresh, a new tab
    assert sessions.user(memory_db, session_id, now=NOON) == ana
    stored = memory_db.execute("SELECT token_hash, handoff_hash FROM user_sessions").fetchone()
    assert token not in stored and code not in stored and stored[1] is None
    assert sessions.resume(memory_db, token[:-1] + "x") is None
    assert sessions.resume(memory_db, "") is None


def test_a_code_not_exchanged_in_two_minutes_is_worthless(memory_db, people):
    _, ana, _ = people
    _, code = sessions.start(memory_db, ana, now=NOON)
    assert sessions.claim(memory_db, code, now=NOON + dt.timedelta(seconds=121)) is None


def test_an_idle_session_ends_and_use_keeps_it_alive(memory_db, people, monkeypatch):
    _, ana, _ = people
    session_id, token = _signed_in(memory_db, ana)
    for minutes in (20, 40, 60):  # used every 20 minutes: alive
        assert sessions.user(memory_db, session_id, now=NOON + dt.timedelta(minutes=minutes))
    assert sessions.user(memory_db, session_id, now=NOON + dt.timedelta(minutes=91)) is None
    assert sessions.ended_reason(memory_db, session_id) == "idle"
    assert sessions.why_ended(memory_db, token) == "idle"
    assert sessions.resume(memory_db, token) is None
    # The setting decides.
    monkeypatch.setenv("WORKBENCH_SESSION_IDLE_MINUTES", "5")
    session_id, _ = _signed_in(memory_db, ana)
    assert sessions.user(memory_db, session_id, now=NOON + dt.timedelta(minutes=6)) is None


def test_a_session_ends_after_its_lifetime_however_busy(memory_db, people):
    _, ana, _ = people
    session_id, _ = _signed_in(memory_db, ana)
    moment = NOON
    while moment < NOON + dt.timedelta(hours=10):
        assert sessions.user(memory_db, session_id, now=moment)
        moment += dt.timedelta(minutes=25)
    assert sessions.user(memory_db, session_id, now=NOON + dt.timedelta(hours=10)) is None
    assert sessions.ended_reason(memory_db, session_id) == "expired"


def test_signing_out_ends_every_session_of_hers_and_no_one_elses(memory_db, people):
    _, ana, maja = people
    first, _ = _signed_in(memory_db, ana)
    second, token = _signed_in(memory_db, ana)
    other, _ = _signed_in(memory_db, maja)
    sessions.sign_out(memory_db, ana)
    assert sessions.user(memory_db, first, now=NOON) is None
    assert sessions.user(memory_db, second, now=NOON) is None
    assert sessions.resume(memory_db, token) is None
    assert sessions.user(memory_db, other, now=NOON) == maja
    assert memory_db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_out'"
                             ).fetchone()[0] == 1


@pytest.mark.parametrize("change, reason", [("deactivate", "inactive"),
                                            ("reset", "password_reset")])
def test_deactivation_and_a_password_reset_end_her_sessions(memory_db, people, change,
                                                            reason):
    admin, ana, _ = people
    session_id, _ = _signed_in(memory_db, ana, now=dt.datetime.now())
    if change == "deactivate":
        accounts.deactivate(memory_db, admin, ana.id)
    else:
        accounts.reset_password(memory_db, admin, ana.id, "začasno-geslo-1")
    assert sessions.user(memory_db, session_id) is None
    assert sessions.ended_reason(memory_db, session_id) == reason


def test_a_rerun_writes_last_seen_at_most_once_a_minute(memory_db, people):
    _, ana, _ = people
    session_id, _ = _signed_in(memory_db, ana)

    def seen() -> str:
        return memory_db.execute("SELECT last_seen FROM user_sessions WHERE id = ?",
                                 [session_id]).fetchone()[0]

    sessions.user(memory_db, session_id, now=NOON + dt.timedelta(seconds=30))
    assert seen() == NOON.isoformat()
    sessions.user(memory_db, session_id, now=NOON + dt.timedelta(seconds=61))
    assert seen() == (NOON + dt.timedelta(seconds=61)).isoformat()


def test_a_busy_database_does_not_sign_her_out(db_path, monkeypatch):
    import sqlite3

    from workbench.db import open_db

    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT_MS", "5000")
    db = open_db(db_path, create=True)
    ana = auth.create_user(db, "ana.kos", "Ana Kos", "coordinator", "skrivnost123",
                           unit_code="kranj")
    session_id, _ = _signed_in(db, ana)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go past busy_timeout
    try:
        assert sessions.user(db, session_id, now=NOON + dt.timedelta(minutes=5)) == ana
    finally:
        holder.execute("ROLLBACK")
        holder.close()
