"""``python -m bench.load``: the whole nation's coordinators at once, on one server.

Every coordinator of the national demo database (47) in her own session against one
server (``python -m workbench.ui.serve``, as coordinators get it, on 127.0.0.1), each
driven through Streamlit's own websocket protocol (bench/client.py) with think time
between her steps (seeded, so that every run does the same):

- she signs in with the sign-in form (her own, correct password: never a wrong one,
  five failures lock a username) and exchanges the one-time code for her session
  cookie at ``/api/session``, as the page's script does in a browser;
- then, over and over: the board; the record of a person of her own active caseload;
  its contacts tab; a new contact saved through the tab's form; the calendar; a meeting
  of her last two weeks chosen in "attendance at my meetings" (when it is not the one
  shown first); and its attendance marked (present, sometimes absent) and saved.

Each step is timed from the request of the run to its "script finished" (a save to the
end of the rerun that shows it saved). An error is a step that shows an error box or an
exception, a save that does not say it saved, a page shown signed out, or a timeout.
Server memory (RSS) is read before, through and after the load, server CPU throughout.

``--gc both`` runs the load twice on fresh copies of the same database, with
``--runner.postScriptGC true`` and ``false``.

Bounded: at most 47 sessions, ``--minutes`` of load (3 by default) after a ramp of
``--ramp`` seconds in which the sessions sign in, a timeout per step, and a hard
deadline after which every session is closed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed

import seed
from bench import servers
from bench.client import Run, Session
from workbench import attendance, pipeline
from workbench.i18n import SL, translate

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)  # the day of bench/__main__.py's national demo database
MAX_SESSIONS = 47
STEP_TIMEOUT = 60.0  # seconds a step may take before it counts as a timeout
ACTIONS = (
    ("open", "sign-in page opened"),
    ("sign_in", "signed in (argon2)"),
    ("cookie", "cookie exchange (POST + rerun)"),
    ("board", "board"),
    ("record", "record of a person"),
    ("contacts", "record: contacts tab"),
    ("contact_save", "contact saved"),
    ("calendar", "calendar"),
    ("meeting", "calendar: a meeting chosen"),
    ("attendance_save", "attendance saved"),
)
NOTES = ("Telefonski klic: dogovor za obisk na CSD v četrtek.",
         "Razgovor o urniku delavnic; želi več ur pri vrtnarjenju.",
         "Obisk na domu, pogovor z mamo o prevozu na program.",
         "Sporočilo: zaradi zdravnika jutri ne pride, opravičeno.")
SIGNED_IN = "app_sign_out"  # the sign-out button: on every page of a signed-in session


@dataclass(frozen=True)
class Coordinator:
    username: str
    user_id: int
    area: str
    people: tuple[int, ...]  # her active caseload


def coordinators(db_path: Path, count: int) -> tuple[list[Coordinator], int]:
    """``count`` coordinators, each a different one while there are enough (spread over
    the areas in turn); and how many distinct coordinators with a caseload there are."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT id, username, area_code FROM users WHERE role = 'coordinator' AND active "
            "ORDER BY area_code, username").fetchall()
        found = []
        for user_id, username, area in rows:
            people = tuple(r[0] for r in conn.execute(
                f"SELECT id FROM participants WHERE coordinator_id = ? AND stage IN "
                f"({pipeline.ACTIVE_SQL}) ORDER BY id", [user_id]))
            if people:
                found.append(Coordinator(username, user_id, area, people))
    finally:
        conn.close()
    by_area: dict[str, list[Coordinator]] = defaultdict(list)
    for c in found:
        by_area[c.area].append(c)
    spread = []  # the first of every area, then the second of every area, ...
    while any(by_area.values()):
        for area in sorted(by_area):
            if by_area[area]:
                spread.append(by_area[area].pop(0))
    return [spread[i % len(spread)] for i in range(count)], len(spread)


class Recorder:
    """Step times and errors from every session's thread."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.finished_at: list[float] = []  # when each run finished (seconds into the load)

    def ok(self, action: str, seconds: float) -> None:
        with self.lock:
            self.times[action].append(seconds)
            self.finished_at.append(time.monotonic() - self.started)

    def error(self, action: str, what: str, seconds: float | None = None) -> None:
        with self.lock:
            self.errors[action][what[:120]] += 1
            if seconds is not None:
                self.times[action].append(seconds)
                self.finished_at.append(time.monotonic() - self.started)


class Stop(Exception):
    """The session cannot go on (a timeout, a lost connection, signed out)."""


@dataclass
class Coordinated:
    """One coordinator's session: her steps, timed, with think time between them."""

    url: str
    who: Coordinator
    rng: random.Random
    until: float
    rec: Recorder
    think: tuple[float, float]
    session: Session | None = None
    saves: Counter = field(default_factory=Counter)

    def pause(self) -> None:
        left = self.until - time.monotonic()
        if left <= 0:
            raise Stop("time is up")
        time.sleep(min(left, self.rng.uniform(*self.think)))
        if time.monotonic() >= self.until:
            raise Stop("time is up")

    def step(self, action: str, *, signed_in: bool = True, saved: str | None = None,
             before: float = 0.0, **run) -> Run:
        """One run of the session, recorded under ``action`` (with ``before`` seconds spent
        on it already); ``saved`` is the text the page must show after a save."""
        try:
            done = self.session.run(**run)
            done.seconds += before
        except TimeoutError:
            self.rec.error(action, "timeout")
            raise Stop("timeout") from None
        except (ConnectionClosed, OSError) as err:
            self.rec.error(action, f"connection: {type(err).__name__}")
            raise Stop("connection") from None
        if done.errors:
            self.rec.error(action, "shown: " + done.errors[0], done.seconds)
        elif signed_in and SIGNED_IN not in done.keys:
            self.rec.error(action, "signed out", done.seconds)
            raise Stop("signed out")
        elif saved is not None and not any(saved in text for text in done.texts):
            self.rec.error(action, "not saved", done.seconds)
        else:
            self.rec.ok(action, done.seconds)
            if saved is not None:
                self.saves[action] += 1
        return done

    def __call__(self, delay: float) -> None:
        time.sleep(delay)
        try:
            self.session = Session(self.url, timeout=STEP_TIMEOUT)
        except (TimeoutError, OSError) as err:
            self.rec.error("open", f"connect: {type(err).__name__}")
            return
        try:
            self.sign_in()
            while True:
                self.casework()
                self.attendance()
        except Stop:
            pass
        finally:
            self.session.close()

    def sign_in(self) -> None:
        s = self.session
        self.step("open", signed_in=False, page="", query="")  # the sign-in form
        submit = next(k for k in s.widgets if k.startswith("FormSubmitter:login_form"))
        self.pause()
        self.step("sign_in", values={"login_username": self.who.username,
                                     "login_password": seed.DEMO_PASSWORD}, trigger=submit)
        # What the page's script does next: the one-time code for the HttpOnly cookie.
        handoff = s.data.get("session_cookie")
        if not isinstance(handoff, dict) or not handoff.get("code"):
            self.rec.error("cookie", "no one-time code on the page")
            return
        started = time.perf_counter()
        request = urllib.request.Request(self.url + handoff["url"], method=handoff["method"],
                                         headers={handoff["header"]: handoff["code"]})
        try:
            with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as answer:
                cookie = answer.headers.get("set-cookie", "")
                good = answer.status == 204 and cookie.startswith("workbench_session=")
        except OSError as err:
            self.rec.error("cookie", f"POST: {type(err).__name__}")
            return
        # The POST and the rerun its answer causes, as one step.
        done = self.step("cookie", event=("session_cookie", "done", good),
                         before=time.perf_counter() - started)
        if not good:
            self.rec.error("cookie", "POST refused")
        elif "session_cookie" in done.keys:
            self.rec.error("cookie", "still asked for after the exchange")

    def casework(self) -> None:
        s = self.session
        person = self.rng.choice(self.who.people)
        self.pause()
        self.step("board", page="board", query="")
        self.pause()
        self.step("record", page="record", query=f"person={person}")
        self.pause()
        tab = urllib.parse.quote(SL["tab.contacts"])
        shown = self.step("contacts", query=f"person={person}&zavihek={tab}")
        form = _form(shown.keys, rf"rec_{person}_contact_g\d+")
        if form is None:
            self.rec.error("contact_save", "no contact form on the contacts tab")
            return
        self.pause()  # she types the note
        kind = f"{form}_kind"
        self.step("contact_save", saved=SL["contacts.added"], trigger=_submitter(s, form),
                  values={kind: self.rng.choice(s.options[kind]),
                          f"{form}_note": self.rng.choice(NOTES),
                          f"{form}_next": "Naslednji teden pokličem."})

    def attendance(self) -> None:
        s = self.session
        self.pause()
        shown = self.step("calendar", page="calendar", query="")
        if "cal_meeting" not in shown.keys:
            self.rec.error("attendance_save", "no meetings of hers to record")
            return
        meetings = s.options["cal_meeting"]
        chosen = self.rng.randrange(len(meetings))
        if chosen:  # the first is shown already
            self.pause()
            shown = self.step("meeting", values={"cal_meeting": meetings[chosen]})
        form = _form(shown.keys, r"cal_att_\d+_g\d+")
        if form is None:
            self.rec.error("attendance_save", "no attendance form for the meeting")
            return
        status = "present" if self.rng.random() < 0.75 else "absent"
        radios = [k for k in shown.keys if k.startswith(form + "_") and k.endswith("_status")]
        self.pause()
        self.step("attendance_save", saved=translate("attendance.saved", "sl", n=len(radios)),
                  trigger=_submitter(s, form),
                  values={k: s.options[k][attendance.STATUSES.index(status)] for k in radios})


def _form(keys: set[str], pattern: str) -> str | None:
    """The key prefix of the form (in its current generation) that this run showed."""
    for key in keys:
        found = re.match(rf"FormSubmitter:({pattern})-", key)
        if found:
            return found.group(1)
    return None


def _submitter(session: Session, form: str) -> str:
    return next(k for k in session.widgets if k.startswith(f"FormSubmitter:{form}-"))


def warm_up(url: str, who: Coordinator) -> None:
    """A first visit of every page of the mix, as a server that has been up a while has
    had (the first run of a page imports and freezes; bench/__main__.py measures it)."""
    s = Session(url, timeout=180)
    try:
        first = s.run()
        if not any(k.startswith("FormSubmitter:login_form") for k in s.widgets):
            raise RuntimeError(f"the app shows no sign-in form: {first.errors or first.texts}")
        s.sign_in(who.username, seed.DEMO_PASSWORD)
        tab = urllib.parse.quote(SL["tab.contacts"])
        for page, query in (("board", ""), ("record", f"person={who.people[0]}"),
                            ("record", f"person={who.people[0]}&zavihek={tab}"),
                            ("calendar", "")):
            s.run(page, query)
    finally:
        s.close()


def sampler(server: servers.Server, stop: threading.Event, out: list) -> None:
    started = time.monotonic()
    while not stop.is_set():
        try:
            out.append((time.monotonic() - started, server.rss(), server.cpu()))
        except (OSError, ValueError):
            return
        stop.wait(1.0)


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy (SQLite's backup API): each run starts from the same data. Made
    readable by its owner only, or the app refuses to open it."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def one_load(db: Path, gc: bool, sessions: int, minutes: float, seed_value: int,
             ramp: float, think: tuple[float, float], settle: float, app: Path) -> dict:
    people, distinct = coordinators(db, sessions)
    env = {"WORKBENCH_DB": str(db), "WORKBENCH_TODAY": TODAY.isoformat()}
    options = ("--runner.postScriptGC", "true" if gc else "false")
    result: dict = {"gc": gc, "sessions": sessions, "distinct": distinct,
                    "areas": len({c.area for c in people}), "minutes": minutes,
                    "load_before": os.getloadavg()}
    # What `python -m workbench.ui.serve` serves: app.py with the workbench's routes (a
    # launcher from before WORKBENCH_SCRIPT served a script named to it as it was).
    launcher = (app / "workbench" / "ui" / "serve.py").read_text()
    script = app / ("app.py" if "WORKBENCH_SCRIPT" in launcher else "workbench/ui/asgi_app.py")
    log = db.with_suffix(".log")
    with servers.streamlit(script, env, config_dir=app, options=options, log=log) as server:
        result["rss_started"] = server.rss()
        try:
            warm_up(server.url, people[0])
        except RuntimeError as err:
            said = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"{err}; the server's log ends: {said}") from None
        time.sleep(2)
        result["rss_before"] = server.rss()
        samples: list = []
        stop = threading.Event()
        watcher = threading.Thread(target=sampler, args=(server, stop, samples), daemon=True)
        watcher.start()
        started = time.monotonic()
        until = started + ramp + minutes * 60
        rec = Recorder(started)
        starts = random.Random(seed_value)
        users = [Coordinated(server.url, who, random.Random(f"{seed_value}-{i}"), until, rec,
                             think) for i, who in enumerate(people)]
        threads = [threading.Thread(target=user, args=(starts.uniform(0, ramp),), daemon=True)
                   for user in users]
        cpu_before, own_before = server.cpu(), os.times()
        for thread in threads:
            thread.start()
        hard = until + STEP_TIMEOUT + 30
        for thread in threads:
            thread.join(max(0.0, hard - time.monotonic()))
        stuck = [u for u, t in zip(users, threads, strict=True) if t.is_alive()]
        for user in stuck:  # past the hard deadline: close what still waits
            if user.session is not None:
                user.session.close()
        elapsed = time.monotonic() - started
        cpu, own = server.cpu() - cpu_before, os.times()
        result["rss_end"] = server.rss()
        stop.set()
        watcher.join()
        time.sleep(10)
        result["rss_closed"] = server.rss()
        if settle:
            # Closed sessions are kept for a reconnect for 2 minutes (Streamlit's session
            # storage), dropped at the next connection after that.
            time.sleep(settle)
            Session(server.url, timeout=60).close()
            time.sleep(2)
            result["rss_after"] = server.rss()
    result.update(
        rec=rec, samples=samples, elapsed=elapsed, cpu=cpu, stuck=len(stuck), ramp=ramp,
        own_cpu=(own.user + own.system) - (own_before.user + own_before.system),
        saves=sum((u.saves for u in users), Counter()), settle=settle,
        load_after=os.getloadavg(), logged=logged_errors(log))
    return result


def logged_errors(log: Path) -> Counter:
    """The exceptions in the server's log, by their last line (type and message)."""
    found: Counter = Counter()
    if log.exists():
        for line in log.read_text(errors="replace").splitlines():
            if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Exit)\b", line):
                found[line[:150]] += 1
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def mib(value: float) -> str:
    return f"{value / 2**20:.0f}"


def report(r: dict) -> list[str]:
    rec: Recorder = r["rec"]
    gc = "true" if r["gc"] else "false"
    lines = [f"runner.postScriptGC = {gc}: {r['sessions']} sessions ({r['distinct']} distinct "
             f"coordinators, {r['areas']} areas), ramp {r['ramp']:.0f} s + "
             f"{r['minutes']:g} min; load average before {r['load_before'][0]:.1f}",
             f"{'action':32s} {'count':>6s} {'errors':>6s} {'p50 ms':>8s} {'p95 ms':>8s} "
             f"{'max ms':>8s}"]
    for action, label in ACTIONS:
        times, errors = rec.times.get(action, []), sum(rec.errors[action].values())
        if not times:
            lines.append(f"{label:32s} {0:6d} {errors:6d}")
            continue
        lines.append(f"{label:32s} {len(times):6d} {errors:6d} "
                     f"{percentile(times, 0.5) * 1000:8.0f} {percentile(times, 0.95) * 1000:8.0f} "
                     f"{max(times) * 1000:8.0f}")
    steady = [t for a, _ in ACTIONS if a not in ("open", "sign_in", "cookie") for t in rec.times[a]]
    if steady:
        lines.append(f"{'all steps after sign-in':32s} {len(steady):6d} "
                     f"{sum(sum(rec.errors[a].values()) for a, _ in ACTIONS[3:]):6d} "
                     f"{percentile(steady, 0.5) * 1000:8.0f} "
                     f"{percentile(steady, 0.95) * 1000:8.0f} {max(steady) * 1000:8.0f}")
    runs = len(rec.finished_at)
    lines.append(
        f"reruns: {runs} in {r['elapsed']:.0f} s = {runs / r['elapsed']:.1f}/s; server CPU "
        f"{r['cpu'] / r['elapsed']:.2f} cores ({r['cpu'] / max(runs, 1) * 1000:.0f} ms a rerun); "
        f"this client {r['own_cpu'] / r['elapsed']:.2f} cores; saves: "
        f"{r['saves']['contact_save']} contacts, {r['saves']['attendance_save']} attendance; "
        f"load average after {r['load_after'][0]:.1f}")
    samples = r["samples"]
    peak = max(samples, key=lambda s: s[1]) if samples else (0, 0, 0)
    after = (f", {r['settle']:.0f} s later {mib(r['rss_after'])}" if "rss_after" in r else "")
    lines.append(f"server RSS MiB: started {mib(r['rss_started'])}, warm (before) "
                 f"{mib(r['rss_before'])}, peak {mib(peak[1])} (at {peak[0]:.0f} s), end of "
                 f"load {mib(r['rss_end'])}, sessions closed {mib(r['rss_closed'])}{after}")
    # Growth under steady load: from the end of the ramp (all signed in) to the end.
    later = [s for s in samples if s[0] >= r["ramp"] + 15]
    if len(later) > 10:
        first = sum(s[1] for s in later[:5]) / 5
        last = sum(s[1] for s in later[-5:]) / 5
        span = (later[-1][0] - later[0][0]) / 60
        lines.append(f"RSS under steady load: {mib(first)} -> {mib(last)} MiB "
                     f"({(last - first) / 2**20 / span:+.1f} MiB/min over {span:.1f} min)")
    minutes = [f"{s[0] / 60:.0f} min {mib(s[1])}" for s in samples[::60]]
    lines.append("RSS MiB through the load: " + ", ".join(minutes))
    if r["stuck"]:
        lines.append(f"{r['stuck']} sessions were still waiting at the hard deadline")
    for action, _ in ACTIONS:
        for what, n in rec.errors[action].most_common(3):
            lines.append(f"  error {action}: {what} x{n}")
    for what, n in r["logged"].most_common(3):
        lines.append(f"  server log: {what} x{n}")
    return lines


def run(national: Path, sessions: int = MAX_SESSIONS, minutes: float = 3.0, gc: str = "both",
        seed_value: int = 12, ramp: float = 10.0, think: tuple[float, float] = (1.0, 3.0),
        settle: float = 130.0, app: Path = ROOT) -> list[str]:
    """The load on copies of ``national``, once per postScriptGC setting, against the app
    of the checkout ``app``; the lines to print."""
    sessions = max(1, min(sessions, MAX_SESSIONS))
    settings = {"both": (True, False), "true": (True,), "false": (False,)}[gc]
    lines = [f"load: {sessions} coordinators at once on one server, think time "
             f"{think[0]:g}-{think[1]:g} s, seed {seed_value} (python -m bench.load)"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for setting in settings:
            copy = Path(tmp) / f"load-{setting}.db"
            copy_db(national, copy)
            results.append(one_load(copy, setting, sessions, minutes, seed_value, ramp, think,
                                    settle, app))
            lines += report(results[-1])
            for used in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"),
                         copy.with_suffix(".log")):
                used.unlink(missing_ok=True)
    if len(results) == 2:
        lines.append(compare(*results))
    return lines


def compare(on: dict, off: dict) -> str:
    def steady(r: dict) -> list[float]:
        return [t for a, _ in ACTIONS[3:] for t in r["rec"].times[a]]

    def figures(r: dict) -> str:
        times = steady(r)
        peak = max((s[1] for s in r["samples"]), default=0)
        p95 = f"{percentile(times, 0.95) * 1000:.0f}" if times else "-"
        return (f"p95 {p95} ms, {len(r['rec'].finished_at) / r['elapsed']:.1f} reruns/s, "
                f"{r['cpu'] / max(len(r['rec'].finished_at), 1) * 1000:.0f} ms CPU a rerun, "
                f"peak RSS {mib(peak)} MiB")
    return f"postScriptGC true: {figures(on)}; false: {figures(off)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--sessions", type=int, default=MAX_SESSIONS,
                        help=f"sessions at once (at most {MAX_SESSIONS})")
    parser.add_argument("--minutes", type=float, default=3.0, help="minutes of load")
    parser.add_argument("--gc", choices=("both", "true", "false"), default="both",
                        help="runner.postScriptGC of the server: both runs, or one")
    parser.add_argument("--db", type=Path, help="the national demo database (copied; "
                        "seeded afresh when not given)")
    parser.add_argument("--seed", type=int, default=12, help="think times and choices")
    parser.add_argument("--ramp", type=float, default=10.0,
                        help="seconds over which the sessions sign in")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0),
                        metavar=("MIN", "MAX"), help="seconds between two steps")
    parser.add_argument("--settle", type=float, default=130.0,
                        help="seconds after the load before the last memory reading")
    parser.add_argument("--app", type=Path, default=ROOT,
                        help="the checkout whose app is served (this one by default)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        national = args.db
        if national is None:
            from bench.__main__ import seed_time

            national = Path(tmp) / "n.db"
            print(f"seed national: {seed_time(national, 'national'):.1f} s")
        lines = run(national, args.sessions, args.minutes, args.gc, args.seed, args.ramp,
                    tuple(args.think), args.settle, args.app.resolve())
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
