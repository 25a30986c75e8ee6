"""A coordinator's process for tests/test_crash.py: writes through the library until killed.

Run as its own interpreter. Prints ``ready`` once the database is open, then, for each
write, ``committed <table> <id>`` as soon as the library call (one ``write()``
transaction) has returned, flushed, so that the test knows what was committed before
its SIGKILL.
"""

import datetime as dt
import sys

from workbench import auth, casework
from workbench.db import open_db

TODAY = dt.date(2026, 11, 22)


def main(path: str, participant_id: int, run: int) -> int:
    db = open_db(path)
    ana = auth.get_user_by_name(db, "ana.kos")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        marker = f"crash {run}/{n}"
        if n % 3:
            contact_id, _ = casework.add_contact(
                db, ana, participant_id, on=TODAY, kind="phone", note=f"{marker} " + "x" * 500,
                next_step=marker, today=TODAY, token=marker)
            print(f"committed contacts {contact_id}", flush=True)
        else:
            task_id, _ = casework.add_task(db, ana, participant_id, marker,
                                           TODAY + dt.timedelta(days=n % 30), today=TODAY,
                                           token=marker)
            print(f"committed tasks {task_id}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
