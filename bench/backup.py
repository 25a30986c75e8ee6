"""``python -m bench.backup``: a backup of the national demo database while writers write.

N writer processes save as fast as they can through ``write()`` (one small
transaction each: a row inserted, a person's row updated), and meanwhile:

- ``workbench.protection.backup.backup`` (the backup API in one step inside a read
  transaction, then the copy's integrity_check and row counts): time to copy, to
  verify, size;
- ``VACUUM INTO`` (one read transaction too, a compacted copy);
- the backup API in 100-page steps, as the ``sqlite3`` shell's ``.backup`` copies: each
  write by another connection restarts it; given up after ``--limit`` seconds.

``python -m bench`` runs it on the database it seeds; on its own it seeds one (about
25 s) unless ``--db`` names a national demo database (it is copied, never written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


def writer(path: str, worker: int, go: str, stop: str) -> int:
    """One coordinator saving at full speed until ``stop`` exists; prints its commits."""
    from workbench.db import open_db, write

    db = open_db(path)
    ids = [r[0] for r in db.execute("SELECT id FROM participants")]
    rng = random.Random(worker)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)
    commits = 0
    while not os.path.exists(stop):
        with write(db):
            db.execute("INSERT INTO meta (key, value) VALUES (?, 'x')",
                       [f"bench-{os.getpid()}-{worker}-{commits}"])
            db.execute("UPDATE participants SET updated_at = ? WHERE id = ?",
                       [dt.datetime.now().isoformat(), rng.choice(ids)])
        commits += 1
    db.close()
    print(commits)
    return 0


class Writers:
    """N writer processes, started together; ``rate()`` is commits per second so far."""

    def __init__(self, path: Path, n: int, folder: Path) -> None:
        self.go, self.stop = folder / "go", folder / "stop"
        self.go.unlink(missing_ok=True)
        self.stop.unlink(missing_ok=True)
        self.procs = [subprocess.Popen(
            [sys.executable, "-m", "bench.backup", "--writer", str(path), str(i), str(self.go),
             str(self.stop)], cwd=ROOT, stdout=subprocess.PIPE, text=True) for i in range(n)]

    def __enter__(self) -> Writers:
        for proc in self.procs:  # imports and the first open (its quick_check) done
            assert proc.stdout.readline().strip() == "ready"
        self.go.touch()
        self.started = time.perf_counter()
        time.sleep(0.5)  # writing at full speed before the copy starts
        return self

    def __exit__(self, *exc) -> None:
        self.stop.touch()
        outs = [p.communicate(timeout=60)[0] for p in self.procs]
        if any(p.returncode for p in self.procs):
            raise RuntimeError("a writer failed")
        self.seconds = time.perf_counter() - self.started
        self.commits = sum(int(o.strip() or 0) for o in outs)

    def rate(self) -> float:
        return self.commits / self.seconds


def stepped(path: Path, target: Path, limit_s: float, pages: int = 100) -> dict:
    """The backup API in steps of ``pages``, given up after ``limit_s``."""
    src = sqlite3.connect(path, timeout=10)
    dst = sqlite3.connect(target)
    started = time.perf_counter()
    state = {"restarts": 0, "last": None, "done": False, "best": 0.0}

    def progress(status, remaining, total):
        if state["last"] is not None and remaining > state["last"]:
            state["restarts"] += 1
        state["last"] = remaining
        state["best"] = max(state["best"], 1 - remaining / total if total else 0)
        if time.perf_counter() - started > limit_s:
            raise TimeoutError

    try:
        src.backup(dst, pages=pages, progress=progress, sleep=0.1)
        state["done"] = True
    except TimeoutError:
        pass
    state["seconds"] = time.perf_counter() - started
    src.close()
    dst.close()
    return state


def run(national: Path, writers: int = 2, limit_s: float = 60) -> list[str]:
    """Measure on a copy of ``national``; the lines to print."""
    from workbench.protection import backup as backups

    lines = []
    with tempfile.TemporaryDirectory(dir=national.parent) as tmp:
        tmp = Path(tmp)
        live = tmp / "live.db"
        shutil.copyfile(national, live)
        os.chmod(live, 0o600)
        size = live.stat().st_size
        lines.append(f"backup of the national demo database ({size / 2**20:.0f} MiB) while "
                     f"{writers} writer processes save at full speed:")

        with Writers(live, writers, tmp) as w:
            made = backups.backup(live, tmp / "backups", create=True)
        lines.append(
            f"  workbench backup (backup API, one step in a read transaction): copy "
            f"{made.copy_seconds:.1f} s, verify (integrity_check + row counts) "
            f"{made.verify_seconds:.1f} s, {made.size / 2**20:.0f} MiB; writers meanwhile "
            f"{w.rate():.0f} commits/s ({w.commits} commits)")

        with Writers(live, writers, tmp) as w:
            started = time.perf_counter()
            conn = sqlite3.connect(live, timeout=10)
            conn.execute(f"VACUUM INTO '{tmp / 'vacuum.db'}'")
            conn.close()
            vacuum_s = time.perf_counter() - started
        lines.append(f"  VACUUM INTO: {vacuum_s:.1f} s, "
                     f"{(tmp / 'vacuum.db').stat().st_size / 2**20:.0f} MiB; writers "
                     f"meanwhile {w.rate():.0f} commits/s")

        with Writers(live, writers, tmp) as w:
            steps = stepped(live, tmp / "stepped.db", limit_s)
        if steps["done"]:
            verdict = f"finished in {steps['seconds']:.1f} s"
        else:
            verdict = f"did not finish in {limit_s:.0f} s"
        lines.append(f"  backup API in 100-page steps (as sqlite3 .backup): {verdict}, "
                     f"{steps['restarts']} restarts, furthest {steps['best']:.0%} of the "
                     f"pages; writers meanwhile {w.rate():.0f} commits/s")

        started = time.perf_counter()
        quick = sqlite3.connect(live).execute("PRAGMA quick_check").fetchone()[0]
        lines.append(f"  quick_check at start-up (once per file and process): "
                     f"{time.perf_counter() - started:.2f} s ({quick})")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--writer"]:
        return writer(argv[1], int(argv[2]), argv[3], argv[4])
    parser = argparse.ArgumentParser(prog="python -m bench.backup")
    parser.add_argument("--db", type=Path, help="a national demo database (copied)")
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=60,
                        help="seconds before the stepped backup is given up")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        national = args.db
        if national is None:
            import seed
            from workbench.db import open_db

            national = Path(tmp) / "n.db"
            db = open_db(national, create=True)
            seed.populate(db, scale="national", seed=3, today=TODAY)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        for line in run(national, args.writers, args.limit):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
