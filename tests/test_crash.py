"""Crash safety: a process writing through the library is killed with SIGKILL at random
moments; the file stays sound and every write it reported as committed is there, whole."""

from __future__ import annotations

import datetime as dt
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests.casework_helpers import coordinator, valid_form
from tests.conftest import ROOT, TODAY
from workbench import participants
from workbench.db import open_db

KILLS = 20
STARTUP_TIMEOUT = 30  # seconds for a worker to import and open the file


def _person(path) -> int:
    db = open_db(path)
    ana = coordinator(db)
    pid, _ = participants.create_person(
        db, ana, valid_form(db, emso=None, first_name="Crash",
                            referral_date=TODAY - dt.timedelta(days=30)),
        coordinator_id=ana.id, today=TODAY, different_person=True)
    db.close()
    return pid


def _run_and_kill(path, pid: int, run: int, delay: float) -> list[tuple[str, int]]:
    """Start a worker, kill it ``delay`` seconds after it is ready; what it reported."""
    worker = subprocess.Popen([sys.executable, "-m", "tests.crash_worker", str(path), str(pid),
                               str(run)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        line = worker.stdout.readline()
        assert line.strip() == "ready", (line, worker.stderr.read() if worker.poll() else "")
        assert time.monotonic() < deadline
        time.sleep(delay)
        assert worker.poll() is None, worker.stderr.read()  # still writing when killed
        worker.send_signal(signal.SIGKILL)
        out, err = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL, err
    reported = []
    for line in out.splitlines():
        word, table, record_id = line.split()
        assert word == "committed" and table in ("contacts", "tasks"), line
        reported.append((table, int(record_id)))
    return reported


def _check(path, committed: list[tuple[str, int]]) -> dict[str, int]:
    """The file is sound; every reported write is present with its audit rows and its
    form token; no write is there without its audit rows (nothing half-written)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, record_id in committed:
            row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id]).fetchone()
            assert row is not None, (table, record_id)
            assert conn.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = ? AND "
                                "record_id = ? AND action = 'create'",
                                [table, record_id]).fetchone()[0] > 0, (table, record_id)
        found = {}
        for table, column in (("contacts", "next_step"), ("tasks", "title")):
            ids = [r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE {column} LIKE 'crash %'")]
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} t WHERE t.{column} LIKE 'crash %' AND NOT EXISTS "
                "(SELECT 1 FROM audit_log a WHERE a.table_name = ? AND a.record_id = t.id) "
                "OR t.{column} LIKE 'crash %' AND NOT EXISTS (SELECT 1 FROM submissions s "
                "WHERE s.token = t.{column} AND s.record_id = t.id)".replace("{column}", column),
                [table]).fetchone()[0]
            assert orphans == 0, table
            found[table] = len(ids)
        return found
    finally:
        conn.close()


def test_sigkill_at_random_moments_loses_no_committed_write(seeded_path):
    started = time.monotonic()
    pid = _person(seeded_path)
    rng = random.Random(20)
    committed: list[tuple[str, int]] = []
    for run in range(KILLS):
        reported = _run_and_kill(seeded_path, pid, run, rng.uniform(0.0, 0.5))
        committed += reported
        found = _check(seeded_path, committed)
        # A write may commit and be killed before it says so; never the reverse.
        for table in ("contacts", "tasks"):
            assert found[table] >= sum(1 for t, _ in committed if t == table)
    print(f"{len(committed)} writes reported committed over {KILLS} kills; found {found}")
    assert len(committed) > KILLS  # the workers did write between the kills
    assert len(set(committed)) == len(committed)
    db = open_db(seeded_path)  # the library opens the recovered file and carries on
    assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    db.close()
    assert time.monotonic() - started < 60
