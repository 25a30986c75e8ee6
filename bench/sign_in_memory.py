"""``python -m bench.sign_in_memory``: the memory simultaneous failed sign-ins take.

Twenty sign-ins with unknown names at the same moment, in one process (as one server
process would serve them, a thread each), with argon2's real cost (64 MiB a check);
the peak resident memory of the process above its memory before, for
``WORKBENCH_PASSWORD_CHECKS_AT_ONCE`` = 20 (no bound in effect) and the default 2.
Each setting runs in a fresh interpreter, so one's peak does not hide the other's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ONE = """
import datetime as dt, resource, sys, threading, time
from workbench import auth
from workbench.db import open_db
path, n = sys.argv[1], int(sys.argv[2])
open_db(path, create=True).close()
auth.authenticate(open_db(path), "x", "warm")            # argon2 and SQLite loaded
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
barrier = threading.Barrier(n)
def guess(i):
    db = open_db(path)
    barrier.wait()
    auth.sign_in(db, f"nihce-{i}", "napacno-geslo")
started = time.perf_counter()
threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
[t.start() for t in threads]; [t.join() for t in threads]
took = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{(peak - before) / 1024:.0f} {took:.2f}")
"""


def run(at_once: int, sign_ins: int = 20) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WORKBENCH_PASSWORD_CHECKS_AT_ONCE": str(at_once)}
        out = subprocess.run([sys.executable, "-c", _ONE, str(Path(tmp) / "m.db"),
                              str(sign_ins)], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> int:
    for at_once in (20, 2):
        grown, took = run(at_once)
        print(f"20 failed sign-ins at once, {at_once:2d} argon2 checks at a time: peak memory "
              f"+{grown:.0f} MiB, all answered in {took:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
