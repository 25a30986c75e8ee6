"""Several coordinators' processes writing at once lose nothing."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from workbench.db import open_db, write

PROCESSES = 4
UPDATES_EACH = 250


def test_concurrent_read_modify_write_loses_no_update(db_path, tmp_path):
    db = open_db(db_path, create=True)
    with write(db):
        db.execute("INSERT INTO meta (key, value) VALUES ('counter', '0')")
    go = tmp_path / "go"
    workers = [subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency_worker", str(db_path), str(i),
         str(UPDATES_EACH), str(go)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for i in range(PROCESSES)]
    go.touch()
    results = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0] * PROCESSES, results
    assert [out.strip() for out, _ in results] == ["0"] * PROCESSES, results
    total = PROCESSES * UPDATES_EACH
    assert db.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone() == (str(total),)
    # Every increment saw a distinct value: no two transactions read the same state.
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'w%'").fetchone()[0] == total
