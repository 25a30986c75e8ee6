"""Print seed times and the home page's cost against the raw SQL of its queries.

Ratios are measured in the same run on the same machine, so they compare
like with like; absolute seconds vary from machine to machine.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import seed
from workbench import auth, overview
from workbench.db import open_db

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
REPEATS = 7


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_time(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up: imports, page cache
    return statistics.median(timed(fn) for _ in range(repeats))


def seed_time(path: Path, scale: str) -> float:
    db = open_db(path)
    seconds = timed(lambda: seed.populate(db, scale=scale, seed=seed.DEFAULT_SEED, today=TODAY))
    db.close()
    return seconds


def raw_sql(path: Path, name: str, params: dict) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    for sql in overview.ALL_QUERIES[name]:
        conn.execute(sql, params).fetchall()
    conn.close()


def home_page_run(user_id: int) -> None:
    """The page as a coordinator's browser gets it; the database comes from WORKBENCH_DB."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()  # measure a cold page, as after a write
    at = AppTest.from_file(str(ROOT / "pages" / "home.py"), default_timeout=120)
    at.session_state["auth_user_id"] = user_id
    at.run()
    if at.exception:
        raise RuntimeError(at.exception)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"seed gorenjska: {seed_time(tmp / 'g.db', 'gorenjska'):.2f} s")
        national = tmp / "n.db"
        print(f"seed national:  {seed_time(national, 'national'):.2f} s (target <= 60 s)")
        os.environ["WORKBENCH_DB"] = str(national)
        os.environ["WORKBENCH_TODAY"] = TODAY.isoformat()
        db = open_db(national)
        rows = db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0]
        print(f"national database: {rows:,} attendance rows")
        for role, username in (("coordinator", "ana.kos"), ("region", "vodja")):
            user = auth.authenticate(db, username, seed.DEMO_PASSWORD)
            params = overview.query_params(TODAY, coordinator_id=user.id)
            sql = median_time(lambda r=role, p=params: raw_sql(national, r, p))
            page = median_time(lambda uid=user.id: home_page_run(uid))
            print(f"home page ({role:11s}): raw SQL {sql * 1000:7.2f} ms, full AppTest run "
                  f"{page * 1000:7.1f} ms, ratio page/SQL {page / sql:6.1f}x")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
