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
from workbench import audit, auth, board, casework, overview, participants
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
    db = open_db(path, create=True)
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


def casework_queries(user_id: int, person_id: int) -> dict[str, list[tuple[str, dict]]]:
    """The SQL each casework page runs, with the page's own parameters."""
    person = {"participant": person_id}
    return {
        "board": [board.board_query(user_id, TODAY, board.Filters())],
        "record": [(participants.PERSON_SQL, person),
                   *((sql, person) for sql in casework.RECORD_QUERIES),
                   (audit.HISTORY_SQL, {**person, "limit": 200})],
    }


def run_queries(path: Path, queries: list[tuple[str, dict]]) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    for sql, params in queries:
        conn.execute(sql, params).fetchall()
    conn.close()


def page_app(user_id: int, page: str, person_id: int | None = None):
    """An AppTest session signed in and on ``page``, ready to rerun it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["auth_user_id"] = user_id
    at.run()
    if person_id is not None:
        at.query_params["person"] = str(person_id)
    at.switch_page(f"pages/{page}.py").run()
    if at.exception or at.error or not at.title:  # measure the page, not an error message
        raise RuntimeError(f"{page} did not render: {at.exception or at.error}")
    return at


def cold_rerun(at) -> None:
    import streamlit as st

    st.cache_data.clear()
    at.run()


def largest_table_bytes(at) -> int:
    return max((int(f.value.memory_usage(deep=True).sum()) for f in at.dataframe), default=0)


def quiet_streamlit() -> None:
    """AppTest outside a server logs "missing ScriptRunContext" for every cached call."""
    import logging

    logging.disable(logging.WARNING)  # the figures are printed; warnings would bury them


def main() -> int:
    quiet_streamlit()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"seed gorenjska: {seed_time(tmp / 'g.db', 'gorenjska'):.2f} s")
        national = tmp / "n.db"
        print(f"seed national:  {seed_time(national, 'national'):.2f} s (target <= 60 s)")
        os.environ["WORKBENCH_DB"] = str(national)
        os.environ["WORKBENCH_TODAY"] = TODAY.isoformat()
        db = open_db(national, create=True)
        rows = db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0]
        print(f"national database: {rows:,} attendance rows")
        for role, username in (("coordinator", "ana.kos"), ("region", "vodja")):
            user = auth.authenticate(db, username, seed.DEMO_PASSWORD)
            params = overview.query_params(TODAY, coordinator_id=user.id)
            sql = median_time(lambda r=role, p=params: raw_sql(national, r, p))
            page = median_time(lambda uid=user.id: home_page_run(uid))
            print(f"home page ({role:11s}): raw SQL {sql * 1000:7.2f} ms, full AppTest run "
                  f"{page * 1000:7.1f} ms, ratio page/SQL {page / sql:6.1f}x")
        ana = auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD)
        # The busiest record of her caseload: the most contacts and audit rows to show.
        person_id = db.execute(
            "SELECT p.id FROM participants p JOIN contacts c ON c.participant_id = p.id "
            "WHERE p.coordinator_id = ? GROUP BY p.id ORDER BY COUNT(*) DESC LIMIT 1",
            [ana.id]).fetchone()[0]
        queries = casework_queries(ana.id, person_id)
        for page, person in (("board", None), ("record", person_id)):
            sql = median_time(lambda q=queries[page]: run_queries(national, q))
            at = page_app(ana.id, page, person)
            rerun = median_time(lambda a=at: cold_rerun(a))
            print(f"{page} page ({at.title[0].value}): raw SQL {sql * 1000:7.2f} ms, "
                  f"full AppTest rerun {rerun * 1000:7.1f} ms, ratio page/SQL {rerun / sql:6.1f}x, "
                  f"largest table sent {largest_table_bytes(at) / 1024:.0f} KiB (limit 2048)")
        cards = board.caseload_board(db, ana, ana.id, TODAY).total
        print(f"board of ana.kos on national data: {cards} active cards, "
              f"{board.CARDS_PER_COLUMN} per column shown at first")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
