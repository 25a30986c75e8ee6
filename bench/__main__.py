"""``python -m bench``: what coordinators wait for, measured on real servers.

On the national demo database (12,500 people), in one run on this machine:

- seed times;
- each page's warm rerun on a real server (``python -m workbench.ui.serve``, as
  ``make run`` starts it), driven through Streamlit's own websocket protocol
  (bench/client.py): median and spread of the wall time, server CPU per rerun,
  messages and bytes sent, the largest message; against the raw SQL of the page's
  queries and an empty Streamlit page run the same way (and by plain ``streamlit
  run``, which waits on Nagle's algorithm), and (when Datasette is installed,
  ``make bench`` installs it) the board against Datasette's HTML page of the same
  query;
- 1 against 8 sessions rerunning the board at once (reruns per second);
- memory: an idle session, and 100 sessions opened and closed;
- in Chromium (when present), from the click on "Tabla obravnav" to the cards.
- a backup of the national database while writer processes save at full speed, against
  ``VACUUM INTO`` and the stepped backup of ``sqlite3 .backup`` (bench/backup.py).
- load: the nation's 47 coordinators at once on one server, a mix of board, record,
  contact and attendance, with ``runner.postScriptGC`` on and off (bench/load.py).

``--app PATH`` measures another checkout's app.py the same way (before/after).
Ratios compare like with like; absolute figures vary from machine to machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import seed
from bench import backup as backup_bench
from bench import load as load_bench
from bench import servers
from bench import sign_in_memory as sign_in_memory_bench
from bench.client import Session
from workbench import (
    allowances,
    attendance,
    auth,
    board,
    casework,
    esf,
    overview,
    participants,
    pipeline,
    programmes,
    records,
    schedule,
    stats,
    text,
)
from workbench.audit import HISTORY_SQL
from workbench.db import open_db, write
from workbench.i18n import SL

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
EMPTY_APP = Path(__file__).with_name("empty_app.py")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def spread_ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[len(ordered) // 10] * 1000:.0f}–{ordered[-1 - len(ordered) // 10] * 1000:.0f}"


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm: page cache, statement cache
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def seed_time(path: Path, scale: str) -> float:
    db = open_db(path, create=True)
    started = time.perf_counter()
    seed.populate(db, scale=scale, seed=3, today=TODAY)
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - started


def raw_sql(path: Path, queries: list[tuple[str, dict]]):
    def run() -> None:
        conn = sqlite3.connect(path)
        # The raw SQL needs the app's Slovenian collation (ORDER BY name COLLATE sl).
        conn.create_collation(text.COLLATION, text.collate)
        for sql, params in queries:
            conn.execute(sql, params).fetchall()
        conn.close()
    return run


def page_queries(db, coordinator_id: int, person_id: int, programme_id: int, month: str,
                 area: str) -> dict[str, list[tuple[str, dict]]]:
    """The SQL each page runs, with the page's own parameters."""
    person = {"participant": person_id}
    monday, sunday = schedule.week_of(TODAY)
    first, last = attendance.parse_month(month)
    span = {"programme": programme_id, "start": first.isoformat(), "end": last.isoformat()}
    in_area = [r[0] for r in db.execute(
        "SELECT id FROM programmes WHERE area_code = ? AND start_date <= ? AND end_date >= ?",
        [area, last.isoformat(), first.isoformat()])]
    coordinator = overview.query_params(TODAY, coordinator_id=coordinator_id)
    region = overview.query_params(TODAY, area="gorenjska")

    def chart_sql(names: tuple[str, ...], filters: stats.Filters) -> list[tuple[str, dict]]:
        return [(stats.sql(stats.ALL_QUERIES[n], filters), filters.params(TODAY))
                for n in names]
    year = stats.Filters(*stats.period("year", TODAY), area, kind="year")
    narrowed = stats.Filters(year.start, year.end, area, kind="year", target_group="dsp",
                             unit=chart_unit(db, area))
    dashboard = stats.Filters(year.start, year.end, "gorenjska", kind="year")
    report = {**esf.year_params(TODAY.year - 1, area), "today": TODAY.isoformat()}
    return {
        "home": [(sql, coordinator) for sql in overview.ALL_QUERIES["coordinator"]],
        "home_region": [(sql, region) for sql in overview.ALL_QUERIES["region"]],
        "board": [board.board_query(coordinator_id, TODAY, board.Filters())],
        "record": [(participants.PERSON_SQL, person),
                   *((sql, person) for sql in casework.RECORD_QUERIES),
                   (HISTORY_SQL, {**person, "limit": 200})],
        "workload": [(board.WORKLOAD_SQL, board.workload_params("gorenjska", TODAY))],
        "intake": [("SELECT m.id, m.name, m.unit_code FROM municipalities m JOIN csd_units u "
                    "ON u.code = m.unit_code WHERE u.area_code = ? ORDER BY m.name",
                    ["gorenjska"])],
        # Her week, and her meetings of the last two weeks (to record who came).
        "calendar": [schedule.view_query("coordinator", coordinator_id, monday, sunday),
                     schedule.view_query("coordinator", coordinator_id,
                                         TODAY - dt.timedelta(days=14), TODAY)],
        "attendance_list": [(programmes.PROGRAMME_SQL + " WHERE g.id = :programme", span),
                            (attendance.MONTH_SQL, span)],
        "region_payments": [(allowances.DAYS_SQL, {**span, "programme": pid})
                            for pid in in_area],
        # The charts page opens on its first tab: the caseload and the funnel.
        "charts": chart_sql(("caseload", "funnel"), year),
        "charts_filtered": chart_sql(("caseload", "funnel"), narrowed),
        "region_dashboard": [
            *chart_sql(("key_figures", "active_now", "overdue_now", "funnel", "inflow",
                        "exits", "included"), dashboard),
            (stats.sql(stats.KEY_FIGURES_SQL, dashboard), dashboard.previous().params(TODAY)),
            (board.WORKLOAD_SQL, board.workload_params("gorenjska", TODAY))],
        "esf_report": [(esf.PEOPLE_SQL, report), (esf.FOLLOW_UPS_SQL, report),
                       (esf.QUALITY_SQL, report)],
    }


def chart_unit(db, area: str) -> str:
    """The CSD unit of the area with the most people (the second filter of the bench)."""
    return db.execute(
        "SELECT m.unit_code FROM participants p JOIN municipalities m ON m.id = "
        "p.municipality_id JOIN csd_units u ON u.code = m.unit_code WHERE u.area_code = ? "
        "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1", [area]).fetchone()[0]


def measure_reruns(server: servers.Server, session: Session, repeats: int,
                   before_each: Callable[[], None] | None = None) -> dict:
    """``repeats`` reruns of the session's page (after one to warm it); with
    ``before_each``, each right after that (someone else's save: the cached reads of what
    it changed are stale, as for a coordinator whose colleague just saved)."""
    session.run()  # warm
    walls, messages, sizes, largest = [], [], [], 0
    cpu_before = server.cpu()
    for _ in range(repeats):
        if before_each is not None:
            before_each()
        run = session.run()
        walls.append(run.seconds)
        messages.append(run.messages)
        sizes.append(run.bytes)
        largest = max(largest, run.largest)
    cpu = (server.cpu() - cpu_before) / repeats  # the save's own CPU is in this process
    return {"walls": walls, "cpu": cpu, "messages": statistics.median(messages),
            "bytes": statistics.median(sizes), "largest": largest}


def colleague_save(db_path: Path, person_id: int) -> Callable[[], None]:
    """A colleague's save, as her screen makes it, in another connection: a new phone
    number on the person (an audited change of ``participants``, which every measured
    page reads, so their cached reads are stale on the next rerun)."""
    db = open_db(db_path)
    row = records.row(db, "participants", person_id)
    colleague = db.execute(
        "SELECT id FROM users WHERE role = 'coordinator' AND active = 1 AND id != ? AND "
        "area_code = (SELECT area_code FROM users WHERE id = ?) LIMIT 1",
        [row["coordinator_id"], row["coordinator_id"]]).fetchone()[0]
    count = iter(range(10**6))

    def save() -> None:
        with write(db):
            current = records.row(db, "participants", person_id)
            records.update(db, "participants", current, {"phone": f"041 {next(count):06d}"},
                           colleague, participant_id=person_id)
    return save


def signed_in(server: servers.Server, username: str, page: str, query: str = "") -> Session:
    session = Session(server.url)
    # Signed in on the main page: an older app ran a page named at the first run alone.
    session.sign_in(username, seed.DEMO_PASSWORD)
    first = session.run(page, query)
    if not first.elements:
        raise RuntimeError(f"{page} rendered nothing")
    return session


def throughput(apps: list[servers.Server], username: str, sessions: int,
               seconds: float) -> dict:
    """``sessions`` sessions rerunning the board as fast as they can, spread over the
    server processes ``apps`` (as a sticky proxy would spread coordinators)."""
    pool = [signed_in(apps[i % len(apps)], username, "board") for i in range(sessions)]
    walls: list[float] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def loop(session: Session) -> None:
        while time.monotonic() < stop:
            wall = session.run().seconds
            with lock:
                walls.append(wall)
    threads = [threading.Thread(target=loop, args=(s,)) for s in pool]
    started = time.monotonic()
    cpu_before = sum(app.cpu() for app in apps)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for session in pool:
        session.close()
    return {"per_second": len(walls) / elapsed, "p50": median_ms(walls),
            "p95": sorted(walls)[int(len(walls) * 0.95)] * 1000,
            "cpu_share": (sum(app.cpu() for app in apps) - cpu_before) / elapsed}


def memory(server: servers.Server, username: str) -> dict:
    idle_before = server.rss()
    idle = [signed_in(server, username, "home") for _ in range(20)]
    idle_after = server.rss()
    for session in idle:
        session.close()
    time.sleep(2)
    for _ in range(5):  # warm: caches, first imports of every page
        signed_in(server, username, "board").close()
    cycles_before = server.rss()
    for _ in range(100):
        signed_in(server, username, "board").close()
    time.sleep(2)
    return {"idle_mib": (idle_after - idle_before) / 20 / 2**20,
            "cycles_before": cycles_before, "cycles_after": server.rss()}


def datasette_board(db_path: Path, sql: str, params: dict, repeats: int) -> dict | None:
    try:
        import datasette  # noqa: F401
    except ImportError:
        return None
    metadata = db_path.with_name("datasette.json")
    metadata.write_text(json.dumps({"databases": {db_path.stem: {"queries": {
        "board": {"sql": sql}}}}}))
    # The board's query sorts names with the app's Slovenian collation: Datasette gets it
    # the way it gets any connection setting, from a plugin.
    plugins = db_path.with_name("datasette-plugins")
    plugins.mkdir(exist_ok=True)
    (plugins / "collation_sl.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from datasette import hookimpl\nfrom workbench import text\n\n\n@hookimpl\n"
        "def prepare_connection(conn):\n"
        "    conn.create_collation(text.COLLATION, text.collate)\n")
    with servers.datasette(db_path, metadata, plugins) as server:
        url = f"{server.url}/{db_path.stem}/board?" + urllib.parse.urlencode(params)

        def get() -> None:
            with urllib.request.urlopen(url, timeout=60) as answer:
                answer.read()
        cpu_before = server.cpu()
        walls = timed(get, repeats)
        return {"walls": walls, "cpu": (server.cpu() - cpu_before) / (repeats + 1)}


def click_to_cards(url: str, username: str, first_card: str, repeats: int) -> list[float] | None:
    if not os.path.exists("/usr/bin/chromium"):
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from tests.browser_helpers import CHROMIUM_ARGS, settle, sign_in

    out = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)
        tab = chromium.new_page(viewport={"width": 1366, "height": 900})
        tab.goto(url)
        sign_in(tab, username)
        for _ in range(repeats + 1):
            tab.get_by_role("link", name=SL["nav.home"], exact=True).click()
            tab.get_by_role("heading", name=SL["home.title"]).wait_for()
            settle(tab)
            started = time.perf_counter()
            tab.get_by_role("link", name=SL["nav.board"]).click()
            # The name as text: an older board showed it in a page_link with more text.
            tab.get_by_text(first_card, exact=True).first.wait_for()
            out.append(time.perf_counter() - started)
        chromium.close()
    return out[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--app", type=Path, default=ROOT / "app.py",
                        help="the app.py to measure (another checkout for a before/after)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--only", default="",
                        help="measure only the pages whose label contains one of these "
                             "comma-separated words (e.g. calendar,record), and none of the "
                             "rest (throughput, memory, Chromium, Datasette, backup, load)")
    args = parser.parse_args(argv)
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"seed gorenjska: {seed_time(tmp / 'g.db', 'gorenjska'):.2f} s")
        national = tmp / "n.db"
        print(f"seed national:  {seed_time(national, 'national'):.2f} s (target <= 60 s)")
        db = open_db(national)
        busiest = db.execute(
            f"SELECT u.username, u.id, COUNT(*) FROM participants p JOIN users u ON "
            f"u.id = p.coordinator_id WHERE p.stage IN ({pipeline.ACTIVE_SQL}) GROUP BY u.id "
            "ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
        username, coordinator_id, active = busiest
        actor = auth.get_user(db, coordinator_id)
        person_id = db.execute(
            "SELECT p.id FROM participants p JOIN contacts c ON c.participant_id = p.id "
            "WHERE p.coordinator_id = ? GROUP BY p.id ORDER BY COUNT(*) DESC LIMIT 1",
            [coordinator_id]).fetchone()[0]
        cards = board.caseload_board(db, actor, coordinator_id, TODAY)
        first_card = next(c.name for s in cards.stages for c in cards.columns[s][:1])
        area = actor.area_code
        print(f"national: {db.execute('SELECT COUNT(*) FROM attendance').fetchone()[0]:,} "
              f"attendance rows; busiest coordinator {username} ({active} active cases, "
              f"{cards.total} cards), area {area}")
        # The largest programme-month of the area: the most attendance rows.
        programme_id, month = db.execute(
            "SELECT s.programme_id, substr(s.date, 1, 7) FROM attendance a JOIN sessions s ON "
            "s.id = a.session_id JOIN programmes g ON g.id = s.programme_id WHERE "
            "g.area_code = ? AND s.date < ? GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1",
            [area, TODAY.replace(day=1).isoformat()]).fetchone()
        month_rows = attendance.monthly(db, actor, programme_id, month)
        week = schedule.view(db, actor, "coordinator", coordinator_id, *schedule.week_of(TODAY))
        print(f"largest programme-month of {area}: programme {programme_id}, {month} "
              f"({len(month_rows.people)} people x {len(month_rows.days)} days); her week: "
              f"{len(week)} entries")
        nation = auth.User(0, "bench", "bench", "admin", None, None, True)
        esf_times = timed(lambda: esf.report(db, nation, TODAY.year - 1, None, TODAY),
                          max(3, args.repeats // 4))
        found = esf.report(db, nation, TODAY.year - 1, None, TODAY)
        print(f"ESF report of {TODAY.year - 1} for the whole country ({found.participants:,} "
              f"entries, {found.leavers:,} leavers, KRZS/KRVS): median "
              f"{median_ms(esf_times):.0f} ms (target < 2000 ms)")
        queries = page_queries(db, coordinator_id, person_id, programme_id, month, area)
        sql = {name: timed(raw_sql(national, q), args.repeats) for name, q in queries.items()}
        env = {"WORKBENCH_DB": str(national), "WORKBENCH_TODAY": TODAY.isoformat()}
        rows = []
        # This checkout's app is served through its launcher; an older one, as it was.
        ours = next((f"workbench.{part}serve" for part in ("ui.", "")
                     if (args.app.parent / "workbench" / part.rstrip(".") / "serve.py").exists()),
                    None)
        with servers.streamlit(args.app, env, launcher=ours) as app, \
                servers.streamlit(EMPTY_APP, {}, ROOT) as empty, \
                servers.streamlit(EMPTY_APP, {}, ROOT, launcher=None) as plain:
            fixed = measure_reruns(empty, Session(empty.url), args.repeats)
            unfixed = measure_reruns(plain, Session(plain.url), args.repeats)
            rows.append(("empty page, workbench.ui.serve", fixed, None))
            rows.append(("empty page, streamlit run", unfixed, None))
            floor = fixed if ours else unfixed
            manager = db.execute("SELECT username FROM users WHERE role = 'manager' LIMIT 1"
                                 ).fetchone()[0]
            record = f"person={person_id}"
            saved = colleague_save(national, person_id)
            for label, user, page, query, queries_of in (
                    ("home (coordinator)", username, "home", "", "home"),
                    ("home (region, manager)", manager, "home", "", "home_region"),
                    ("board", username, "board", "", "board"),
                    ("record: summary tab", username, "record", record, "record"),
                    ("record: contacts tab", username, "record",
                     f"{record}&zavihek={urllib.parse.quote(SL['tab.contacts'])}", "record"),
                    ("record: change log tab", username, "record",
                     f"{record}&zavihek={urllib.parse.quote(SL['tab.audit'])}", "record"),
                    ("workload", username, "workload", "", "workload"),
                    ("intake", username, "intake", "", "intake"),
                    ("calendar: her week", username, "calendar", "", "calendar"),
                    ("attendance list: month", username, "programmes",
                     f"programme={programme_id}&mesec={month}&zavihek="
                     f"{urllib.parse.quote(SL['ptab.month'])}", "attendance_list"),
                    ("payments of the area", username, "programmes",
                     f"mesec={month}&zavihek={urllib.parse.quote(SL['programme.region_payments'])}",
                     "region_payments"),
                    ("charts, no filter", username, "charts", "", "charts"),
                    ("charts, two filters", username, "charts",
                     f"skupina=dsp&enota={chart_unit(db, area)}", "charts_filtered"),
                    ("region overview (manager)", manager, "region", "", "region_dashboard"),
                    ("ESF report of a year", username, "reporting",
                     f"leto={TODAY.year - 1}", "esf_report")):
                if only and not any(word in label for word in only):
                    continue
                session = signed_in(app, user, page, query)
                rows.append((label, measure_reruns(app, session, args.repeats), sql[queries_of]))
                rows.append(("  after a colleague's save", measure_reruns(
                    app, session, args.repeats, saved), sql[queries_of]))
                session.close()
            if only:
                db.close()
                _print_rows(rows, args.repeats, floor)
                return 0
            one = throughput([app], username, 1, 10)
            eight = throughput([app], username, 8, 15)
            with servers.streamlit(args.app, env, launcher=ours) as second:
                two = throughput([app, second], username, 8, 15)
            mem = memory(app, username)
            browser = click_to_cards(app.url, username, first_card, 5)
        sql_board, params_board = board.board_query(coordinator_id, TODAY, board.Filters())
        ds = datasette_board(national, sql_board, params_board, args.repeats)
        db.close()
        backup_lines = backup_bench.run(national)
        load_lines = load_bench.run(national)

    _print_rows(rows, args.repeats, floor)
    board_row = next(m for label, m, _ in rows if label == "board")
    if ds:
        print(f"\nDatasette HTML page of the board's query: wall {median_ms(ds['walls']):.1f} ms "
              f"(spread {spread_ms(ds['walls'])}), server CPU {ds['cpu'] * 1000:.1f} ms; board "
              f"/ Datasette: wall {median_ms(board_row['walls']) / median_ms(ds['walls']):.2f}x, "
              f"CPU {board_row['cpu'] / ds['cpu']:.2f}x")
    else:
        print("\nDatasette is not installed (make bench installs it): no comparison")
    print(f"\nboard, 1 session: {one['per_second']:.1f} reruns/s (p50 {one['p50']:.0f} ms); "
          f"8 sessions: {eight['per_second']:.1f} reruns/s (p50 {eight['p50']:.0f} ms, p95 "
          f"{eight['p95']:.0f} ms, server CPU {eight['cpu_share']:.2f} cores); "
          f"8 vs 1: {eight['per_second'] / one['per_second']:.2f}x throughput")
    print(f"board, 8 sessions on 2 server processes: {two['per_second']:.1f} reruns/s (p50 "
          f"{two['p50']:.0f} ms, p95 {two['p95']:.0f} ms, server CPU {two['cpu_share']:.2f} "
          f"cores); vs 1 process: {two['per_second'] / eight['per_second']:.2f}x")
    growth = mem["cycles_after"] / mem["cycles_before"] - 1
    print(f"memory: an idle signed-in session {mem['idle_mib']:.2f} MiB; 100 sessions opened "
          f"and closed: RSS {mem['cycles_before'] / 2**20:.0f} -> "
          f"{mem['cycles_after'] / 2**20:.0f} MiB ({growth:+.1%})")
    largest = max(m["largest"] for _, m, _ in rows)
    print(f"largest single message sent: {largest / 1024:.1f} KiB (limit 2048)")
    if browser:
        print(f"Chromium, click on '{SL['nav.board']}' to the first card: median "
              f"{median_ms(browser):.0f} ms ({', '.join(f'{b * 1000:.0f}' for b in browser)})")
    else:
        print("Chromium or Playwright missing: no click-to-cards figure")
    print()
    print("\n".join(backup_lines))
    print()
    print("\n".join(load_lines))
    print()
    sign_in_memory_bench.main()
    return 0


def _print_rows(rows: list, repeats: int, floor: dict) -> None:
    print(f"\nreruns on a real server ({repeats} each, warm and each right after a colleague's "
          "save; wall median and 10-90 % spread, server CPU per rerun):")
    print(f"{'page':26s} {'wall ms':>8s} {'spread':>9s} {'CPU ms':>7s} {'msgs':>5s} "
          f"{'KiB':>6s} {'SQL ms':>7s} {'x SQL':>6s} {'x empty':>8s}")
    for label, m, q in rows:
        wall, cpu = median_ms(m["walls"]), m["cpu"] * 1000
        sql_ms = median_ms(q) if q else None
        print(f"{label:26s} {wall:8.1f} {spread_ms(m['walls']):>9s} {cpu:7.1f} "
              f"{m['messages']:5.0f} {m['bytes'] / 1024:6.1f} "
              + (f"{sql_ms:7.2f} {wall / sql_ms:6.1f} {wall / median_ms(floor['walls']):8.1f}"
                 if sql_ms else ""))


if __name__ == "__main__":

    sys.exit(main())
