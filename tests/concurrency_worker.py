"""One coordinator's process for tests/test_concurrency.py: read-modify-write N times.

Run as its own interpreter (not multiprocessing), so nothing of the test
runner's state, e.g. AppTest's __main__, leaks into it.
"""

import os
import sys
import time

from workbench.db import open_db, write


def main(path: str, worker: int, updates: int, go_file: str) -> int:
    db = open_db(path, create=True)
    while not os.path.exists(go_file):  # all workers start together
        time.sleep(0.005)
    failures = 0
    for _ in range(updates):
        try:
            with write(db):
                value = int(db.execute(
                    "SELECT value FROM meta WHERE key = 'counter'").fetchone()[0])
                db.execute("UPDATE meta SET value = ? WHERE key = 'counter'", [str(value + 1)])
                db.execute("INSERT INTO meta (key, value) VALUES (?, 'x')",
                           [f"w{worker}-{value}"])
        except Exception as err:  # noqa: BLE001 - every failure is what the test counts
            failures += 1
            print(f"worker {worker}: {err!r}", file=sys.stderr)
    db.close()
    print(failures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
