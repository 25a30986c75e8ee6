"""Concurrency with the real domain functions: 8 coordinators' processes x 300 mixed
operations (intake, stage moves, contacts, attendance) on one seeded file. 0 errors,
0 lost updates, 0 duplicates."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import time

from tests.casework_helpers import coordinator, municipality_id, valid_form
from tests.conftest import ROOT, TODAY
from workbench import emso, participants, schedule
from workbench.db import open_db

PROCESSES = 8
OPERATIONS_EACH = 300
EMSO_POOL = 20
SESSIONS = 8


def _plan(db) -> dict:
    """Shared people to move and call, group sessions to record, EMŠOs to race for."""
    ana = coordinator(db)
    shared = [r[0] for r in db.execute(
        "SELECT p.id FROM participants p WHERE p.stage IN ('first_interview', 'motivation') "
        "AND p.stage_since <= ? AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE "
        "e.participant_id = p.id AND e.status = 'active') ORDER BY p.id LIMIT 12",
        [TODAY.isoformat()])]
    group = []
    for n in range(10):
        pid, _ = participants.create_person(
            db, ana, valid_form(db, emso=None, first_name=f"Skupina{n}",
                                referral_date=TODAY - dt.timedelta(days=60)),
            coordinator_id=ana.id, today=TODAY, different_person=True)
        group.append(pid)
    sessions = []
    for n in range(SESSIONS):
        people = tuple(group[n % 5: n % 5 + 5])
        day = TODAY - dt.timedelta(days=n + 1)
        sid = schedule.add_entry(db, ana, schedule.Entry(
            kind="group", day=day, start_time="06:00", hours=4, title=f"Skupina {n}",
            people=people, holiday_reason="Dogovorjeno"), today=TODAY)
        sessions.append([sid, list(people)])
    rng = random.Random(12)
    pool = set()
    while len(pool) < EMSO_POOL:
        born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12_000))
        sex = rng.choice("FM")
        code = emso.generate(born, sex, rng)
        if participants.existing_emso(db, code) is None:
            pool.add((code, born.isoformat(), sex))
    return {"shared_people": shared, "sessions": sessions, "emso_pool": sorted(pool),
            "municipality_id": municipality_id(db)}


def test_eight_coordinators_at_once_lose_nothing_and_duplicate_nothing(seeded_path, tmp_path):
    db = open_db(seeded_path)
    plan = _plan(db)
    assert len(plan["shared_people"]) >= 8
    versions = {pid: v for pid, v in db.execute(
        f"SELECT id, version FROM participants WHERE id IN "
        f"({', '.join(map(str, plan['shared_people']))})")}
    session_versions = {sid: db.execute("SELECT version FROM sessions WHERE id = ?",
                                        [sid]).fetchone()[0] for sid, _ in plan["sessions"]}
    people_before = db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    plan_file, go = tmp_path / "plan.json", tmp_path / "go"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")

    workers = [subprocess.Popen(
        [sys.executable, "-m", "tests.domain_worker", str(seeded_path), str(i),
         str(OPERATIONS_EACH), str(plan_file), str(go)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for i in range(PROCESSES)]
    for w in workers:  # every process has imported and opened the file
        assert w.stdout.readline().strip() == "ready", w.stderr.read()
    started = time.monotonic()
    go.touch()
    results = [w.communicate(timeout=600) for w in workers]
    elapsed = time.monotonic() - started
    assert [w.returncode for w in workers] == [0] * PROCESSES, [e[-2000:] for _, e in results]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in results]
    errors = "\n".join(err[-3000:] for _, err in results if err.strip())

    # 0 errors: every operation ran; conflicts were retried to the end.
    assert [r["ops"] for r in reports] == [OPERATIONS_EACH] * PROCESSES
    assert sum(r["unexpected"] for r in reports) == 0, errors

    # 0 duplicates: one person per intake token (each submitted twice), one holder per
    # EMŠO, every pool EMŠO taken in by exactly one worker.
    intakes = [tuple(i) for r in reports for i in r["intakes"]]
    assert all(r["double_submits"] == len(r["intakes"]) for r in reports)
    tokens = dict(db.execute("SELECT token, record_id FROM submissions WHERE kind = "
                             "'participant' AND token LIKE 'w%-intake-%'").fetchall())
    assert tokens == dict(intakes)
    assert db.execute("SELECT COUNT(*) FROM participants").fetchone()[0] == \
        people_before + len(intakes)
    assert db.execute("SELECT COUNT(*) FROM participants WHERE first_name GLOB 'W*N*' "
                      "AND last_name = 'Sočasna'").fetchone()[0] == len(intakes)
    assert db.execute("SELECT emso, COUNT(*) FROM participants WHERE emso IS NOT NULL "
                      "GROUP BY emso HAVING COUNT(*) > 1").fetchall() == []
    won = [code for r in reports for code in r["pool_won"]]
    assert sorted(won) == sorted(code for code, _, _ in plan["emso_pool"])
    tried = sum(len(r["pool_won"]) + r["pool_refused"] for r in reports)
    assert tried - len(won) == sum(r["pool_refused"] for r in reports)

    # 0 lost updates: each shared person's version rose once per move any worker made,
    # and every worker's moves and contacts are in the history.
    for pid, before in versions.items():
        moved = sum(r["moves"].get(str(pid), 0) for r in reports)
        after = db.execute("SELECT version FROM participants WHERE id = ?", [pid]).fetchone()[0]
        assert after == before + moved, (pid, before, moved, after)
    for r in reports:
        w = r["worker"]
        assert db.execute("SELECT COUNT(*) FROM stage_history WHERE reason GLOB ?",
                          [f"w{w}-m*"]).fetchone()[0] == sum(r["moves"].values())
        assert db.execute("SELECT COUNT(*) FROM contacts WHERE next_step GLOB ?",
                          [f"w{w}-c*"]).fetchone()[0] == r["contacts"]
    # Each own person went forward as often as its worker says.
    own_moves = sum(r["own_moves"] for r in reports)
    own_history = db.execute(
        "SELECT COUNT(*) FROM stage_history h JOIN participants p ON p.id = h.participant_id "
        "WHERE p.last_name = 'Sočasna' AND h.from_stage IS NOT NULL").fetchone()[0]
    assert own_history == own_moves
    # Attendance: a session's version rose once per change that was reported, with an
    # audit row each time.
    for sid, before in session_versions.items():
        changed = sum(r["attendance"].get(str(sid), 0) for r in reports)
        after = db.execute("SELECT version FROM sessions WHERE id = ?", [sid]).fetchone()[0]
        assert after == before + changed, (sid, before, changed, after)
        assert db.execute("SELECT COUNT(*) FROM audit_log WHERE table_name = 'sessions' AND "
                          "record_id = ? AND field = 'attendance'",
                          [sid]).fetchone()[0] == changed
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()

    conflicts = sum(r["conflicts"] for r in reports)
    print(f"{PROCESSES} x {OPERATIONS_EACH} operations in {elapsed:.1f} s "
          f"({PROCESSES * OPERATIONS_EACH / elapsed:.0f}/s); {len(intakes)} intakes, "
          f"{sum(sum(r['moves'].values()) + r['own_moves'] for r in reports)} moves, "
          f"{sum(r['contacts'] for r in reports)} contacts, "
          f"{sum(sum(r['attendance'].values()) for r in reports)} attendance changes; "
          f"{conflicts} conflicts retried, "
          f"{sum(r['pool_refused'] for r in reports)} EMŠOs refused as taken")
