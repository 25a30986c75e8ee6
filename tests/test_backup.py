"""Backups of the live database, rotation, checks and restores; a restore drill under load.

Run as ``python -m tests.test_backup PATH WORKER GO STOP`` it is one writer process of
the drill (its own interpreter, as in tests/test_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench import __main__ as cli
from workbench import i18n
from workbench.db import open_db, write
from workbench.errors import UserError
from workbench.protection import backup as backups

NOW = dt.datetime(2026, 11, 22, 14, 30, 5)


def writer(path: str, worker: int, go: str, stop: str) -> int:
    """Save pairs of rows in one transaction each until ``stop`` exists; after each commit
    print its number and the (system-wide) monotonic clock."""
    db = open_db(path)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.002)
    n = 0
    while not os.path.exists(stop):
        with write(db):
            db.execute("INSERT INTO meta (key, value) VALUES (?, 'a')", [f"drill-a-{worker}-{n}"])
            db.execute("INSERT INTO meta (key, value) VALUES (?, 'b')", [f"drill-b-{worker}-{n}"])
        print(n, time.monotonic(), flush=True)
        n += 1
    db.close()
    return 0


def start_writers(path: Path, folder: Path, n: int) -> tuple[list[subprocess.Popen], Path]:
    go, stop = folder / "go", folder / "stop"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.test_backup", str(path), str(i),
                               str(go), str(stop)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(n)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.touch()
    return procs, stop


def committed(procs, stop) -> list[list[tuple[int, float]]]:
    stop.touch()
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        done.append([(int(n), float(t)) for n, t in (line.split() for line in out.split("\n")
                                                     if line.strip())])
    return done


def drill_keys(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT key FROM meta WHERE key LIKE 'drill-%'")}
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corrupt(path: Path, table: str = "participants") -> None:
    """Garbage over the root page of a table: quick_check and integrity_check see it."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", [table]).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\x55" * size)


def from_the_future(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('workbench', '9999_from_a_newer_version', 'later')")
    conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the drill -------------------------------------------------------------------------

def test_restore_drill_backup_during_concurrent_writes_then_restore(seeded_path, tmp_path):
    procs, stop = start_writers(seeded_path, tmp_path, 3)
    try:
        while len(drill_keys(seeded_path)) < 60:  # they are writing
            time.sleep(0.01)
        before = time.monotonic()
        made = backups.backup(seeded_path, tmp_path / "backups", create=True, now=NOW)
        after = time.monotonic()
        deadline = time.monotonic() + 30
        while len(drill_keys(seeded_path)) <= len(drill_keys(made.path)):  # and go on writing
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        reported = committed(procs, stop)
    in_copy = drill_keys(made.path)
    for worker, commits in enumerate(reported):
        # Every save reported before the backup began is in the copy...
        for n, at in commits:
            if at < before:
                assert f"drill-a-{worker}-{n}" in in_copy, (worker, n)
        # ...the copy holds a prefix of each writer's saves, each one whole (both rows)...
        kept = sorted(int(k.rsplit("-", 1)[1]) for k in in_copy
                      if k.startswith(f"drill-a-{worker}-"))
        assert kept == list(range(len(kept)))
        assert {k for k in in_copy if k.startswith(f"drill-b-{worker}-")} == {
            f"drill-b-{worker}-{n}" for n in kept}
        # ...and nothing the writer had not committed by the end of the copy.
        assert all(at < after for n, at in commits if n < len(kept))
    assert sum(len(c) for c in reported) > len(in_copy) // 2, "the writers went on after it"

    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert backups._rows(copy) == made.rows  # the verified counts are the copy's
    copy.close()

    live_keys = drill_keys(seeded_path)
    assert live_keys > in_copy
    done = backups.restore(made.path, seeded_path, now=NOW + dt.timedelta(hours=1))
    assert done.rows == made.rows
    assert drill_keys(seeded_path) == in_copy
    restored = open_db(seeded_path)
    assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert backups._rows(restored.conn) == made.rows
    assert restored.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    restored.close()
    # The file that was replaced keeps everything written until the restore.
    assert done.replaced == seeded_path.with_name("demo.db.before-restore-2026-11-22-153005")
    assert drill_keys(done.replaced) == live_keys


def test_the_counts_are_of_the_copied_snapshot_whatever_commits_meanwhile(seeded_path, tmp_path,
                                                                         monkeypatch):
    """A save that commits between the count and the copy is in neither."""
    real_rows = backups._rows
    calls = []

    def count_then_someone_saves(conn):
        counted = real_rows(conn)
        if not calls:  # the count on the source, not the check of the copy
            other = open_db(seeded_path)
            with write(other):
                other.execute("INSERT INTO meta (key, value) VALUES ('late', 'x')")
            other.close()
        calls.append(counted)
        return counted
    monkeypatch.setattr(backups, "_rows", count_then_someone_saves)
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    assert len(calls) == 2 and calls[0] == calls[1] == made.rows
    assert "late" not in {r[0] for r in sqlite3.connect(made.path).execute("SELECT key FROM meta")}
    assert open_db(seeded_path).execute("SELECT 1 FROM meta WHERE key = 'late'").fetchone()


def test_a_copy_that_fails_its_check_is_not_kept_and_the_older_ones_stay(seeded_path, tmp_path,
                                                                        monkeypatch):
    folder = tmp_path / "b"
    first = backups.backup(seeded_path, folder, create=True, now=NOW)
    real_copy = backups._copy_snapshot

    def miscounted(source, target):
        rows = real_copy(source, target)
        return {**rows, "meta": rows["meta"] + 1}
    monkeypatch.setattr(backups, "_copy_snapshot", miscounted)
    with pytest.raises(UserError) as err:
        backups.backup(seeded_path, folder, create=True, now=NOW + dt.timedelta(days=1))
    assert err.value.key == "backup.rows_differ"
    assert sorted(p.name for p in folder.iterdir()) == [first.path.name]


def test_a_damaged_database_gives_no_backup(seeded_path, tmp_path):
    corrupt(seeded_path)
    with pytest.raises(UserError) as err:
        backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    assert err.value.key in ("backup.damaged", "backup.copy_failed")
    assert list((tmp_path / "b").iterdir()) == []


def test_backup_of_a_missing_or_foreign_file_is_refused(tmp_path):
    with pytest.raises(UserError) as err:
        backups.backup(tmp_path / "nothing.db", tmp_path / "b")
    assert err.value.key == "backup.file_missing" and not (tmp_path / "nothing.db").exists()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UserError) as err:
        backups.backup(other, tmp_path / "b", create=True)
    assert err.value.key == "backup.not_workbench"


# --- files, names, modes, rotation -----------------------------------------------------

def test_backup_files_are_named_by_time_and_readable_by_their_owner_only(seeded_path, tmp_path):
    old = os.umask(0o022)
    try:
        made = backups.backup(seeded_path, tmp_path / "new" / "backups", create=True, now=NOW)
    finally:
        os.umask(old)
    assert made.path.name == "workbench-2026-11-22-143005.db"
    assert mode(made.path) == 0o600
    assert mode(tmp_path / "new" / "backups") == 0o700
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    # A self-contained file: no -wal is needed to read it.
    header = made.path.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL
    assert made.size == made.path.stat().st_size and made.rows["participants"] > 100
    again = backups.backup(seeded_path, made.path.parent, now=NOW)
    assert again.path.name == "workbench-2026-11-22-143006.db"


def test_rotation_keeps_the_newest_per_day_and_per_iso_week_and_nothing_else(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    start = dt.datetime(2026, 9, 1, 2, 0, 0)
    names = []
    for day in range(60):  # two a day for 60 days
        for hour in (2, 14):
            when = start + dt.timedelta(days=day, hours=hour - 2)
            name = f"workbench-{backups.stamp(when)}.db"
            (folder / name).write_bytes(b"")
            names.append((when, name))
    (folder / "notes.txt").write_text("mine")
    (folder / "workbench-latest.db").write_bytes(b"not ours")
    kept, deleted = backups.rotate(folder, keep_daily=7, keep_weekly=4)
    newest = max(w for w, _ in names)
    daily = {f"workbench-{backups.stamp(newest - dt.timedelta(days=d))}.db" for d in range(7)}
    assert newest.hour == 14  # the newest of each day is its afternoon copy
    weeks = {}
    for when, name in names:
        weeks[when.isocalendar()[:2]] = max(weeks.get(when.isocalendar()[:2], (when, name)),
                                            (when, name))
    weekly = {name for _, name in sorted(weeks.values())[-4:]}
    assert {p.name for p in kept} == daily | weekly
    assert len(kept) == len(daily | weekly) < 11
    assert {p.name for p in folder.iterdir()} == daily | weekly | {"notes.txt",
                                                                   "workbench-latest.db"}
    assert len(deleted) == 120 - len(kept)


def test_backup_rotates_the_folder_it_writes_to(seeded_path, tmp_path):
    folder = tmp_path / "b"
    for day in range(5):
        backups.backup(seeded_path, folder, keep_daily=3, keep_weekly=0, create=True,
                       now=NOW + dt.timedelta(days=day))
    assert sorted(p.name for p in folder.iterdir()) == [
        "workbench-2026-11-24-143005.db", "workbench-2026-11-25-143005.db",
        "workbench-2026-11-26-143005.db"]
    with pytest.raises(UserError) as err:
        backups.backup(seeded_path, folder, keep_daily=0)
    assert err.value.key == "backup.keep_invalid"


# --- restore refusals --------------------------------------------------------------------

@pytest.mark.parametrize("spoil, key", [
    (corrupt, "restore.damaged"),
    (from_the_future, "restore.newer"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00 but no more" * 100), "restore.damaged"),
    (lambda p: (p.unlink(), sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.close()),
     "restore.not_workbench"),
])
def test_restore_refuses_a_bad_backup_and_changes_nothing(seeded_path, tmp_path, spoil, key):
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    spoil(made.path)
    open_db(seeded_path).close()
    before = digest(seeded_path)
    files = sorted(p.name for p in seeded_path.parent.iterdir())
    with pytest.raises(UserError) as err:
        backups.restore(made.path, seeded_path, now=NOW)
    assert err.value.key == key
    assert i18n.translate(key, "sl", **err.value.params) != key
    assert digest(seeded_path) == before
    assert sorted(p.name for p in seeded_path.parent.iterdir()) == files


def holding(code: str, ready: str, env: dict[str, str] | None = None,
            **popen) -> subprocess.Popen:
    """A process that runs ``code``, prints ``ready`` and holds on (whatever ``code`` took:
    a connection, a lock) until a line comes on its stdin."""
    return subprocess.Popen([sys.executable, "-c", (
        f"import sys; {code}; print({ready!r}, flush=True); sys.stdin.readline()")],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, **popen)


def test_restore_refuses_while_the_database_is_open_elsewhere(seeded_path, tmp_path):
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    app = holding("from workbench.db import open_db; "
                  f"db = open_db({str(seeded_path)!r}); "
                  "db.execute('SELECT 1 FROM meta').fetchall()", "open")
    try:
        assert app.stdout.readline().strip() == "open"
        with pytest.raises(UserError) as err:
            backups.restore(made.path, seeded_path, now=NOW)
        assert err.value.key == "restore.in_use"
        assert not list(seeded_path.parent.glob("*before-restore*"))
    finally:
        app.communicate("\n", timeout=30)
    backups.restore(made.path, seeded_path, now=NOW)  # stopped: now it can


def test_restore_removes_a_stale_wal_of_the_target_so_it_is_never_replayed(seeded_path,
                                                                           tmp_path):
    """A -wal left by a killed app holds valid frames of the old file: replayed into the
    restored one it would corrupt it. It is kept beside the replaced file instead."""
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    killed = subprocess.run([sys.executable, "-c", (
        "import os; from workbench.db import open_db, write; "
        f"db = open_db({str(seeded_path)!r}); db.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "with write(db): db.execute(\"INSERT INTO meta VALUES ('after', 'x')\")\n"
        "os._exit(0)")], cwd=ROOT, capture_output=True, text=True)
    assert killed.returncode == 0, killed.stderr
    assert Path(f"{seeded_path}-wal").stat().st_size > 0
    done = backups.restore(made.path, seeded_path, now=NOW)
    assert not Path(f"{seeded_path}-wal").exists()
    db = open_db(seeded_path)
    assert db.execute("SELECT 1 FROM meta WHERE key = 'after'").fetchone() is None
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The write the killed app made is in the replaced file.
    old = sqlite3.connect(done.replaced)
    assert old.execute("SELECT 1 FROM meta WHERE key = 'after'").fetchone() == (1,)


def test_restore_to_a_new_place_and_a_damaged_target(seeded_path, tmp_path):
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    fresh = tmp_path / "host2" / "real.db"
    fresh.parent.mkdir()
    done = backups.restore(made.path, fresh, now=NOW)
    assert done.replaced is None and mode(fresh) == 0o600
    assert backups.check(fresh).ok
    corrupt(seeded_path)
    done = backups.restore(made.path, seeded_path, now=NOW)
    assert backups.check(seeded_path).ok and not backups.check(done.replaced).ok


# --- the commands --------------------------------------------------------------------

def test_the_commands_back_up_check_and_restore_with_messages_in_both_languages(
        seeded_path, tmp_path, capsys):
    assert cli.main(["backup", "--db", str(seeded_path), "--to", str(tmp_path / "b"),
                     "--create"]) == 0
    out = capsys.readouterr().out
    assert "Varnostna kopija je narejena in preverjena" in out and "Backup made and verified" in out
    made = next((tmp_path / "b").iterdir())
    assert cli.main(["check", "--db", str(made)]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert cli.main(["restore", "--from", str(made), "--db", str(seeded_path)]) == 0
    out = capsys.readouterr().out
    assert "Obnovljeno" in out and "Restored" in out and "before-restore" in out
    corrupt(made)
    assert cli.main(["check", "--db", str(made)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert cli.main(["restore", "--from", str(made), "--db", str(seeded_path)]) == 2
    err = capsys.readouterr().err
    assert "poškodovana" in err and "Nothing was restored" in err
    assert cli.main(["backup", "--db", str(tmp_path / "no.db"), "--to", str(tmp_path / "b")]) == 2



# --- issue 20: a served database, the audit chain in `check` ----------------------------

def refused_while_served(backup: Path, path: Path, before: str, capsys) -> None:
    """``restore`` exits 2, says why in both languages and leaves the database as it was."""
    assert cli.main(["restore", "--from", str(backup), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    for lang in ("sl", "en"):
        assert i18n.translate("restore.serving", lang, path=path) in err
    assert digest(path) == before


def serving_process(path: Path) -> subprocess.Popen:
    """A process that serves the database as the app's server does (it holds the app's
    lock from its start), with no connection open: an idle app."""
    app = holding("from workbench import serving; serving.start_serving()", "serving",
                  {"WORKBENCH_DB": str(path)})
    assert app.stdout.readline().strip() == "serving"
    return app


def test_restore_refuses_while_an_app_process_serves_the_database_even_idle(
        seeded_path, tmp_path, capsys):
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    open_db(seeded_path).close()
    before, files = digest(seeded_path), sorted(p.name for p in seeded_path.parent.iterdir())
    app = serving_process(seeded_path)
    try:
        refused_while_served(made.path, seeded_path, before, capsys)
        # Nothing of a restore left behind (the server's own lock file and the -wal/-shm of
        # the connection it keeps open aside).
        assert sorted(p.name for p in seeded_path.parent.iterdir()
                      if not p.name.endswith((".serving", "-wal", "-shm"))) == files
        # Killed, it holds nothing any more: no stale heartbeat to wait out.
        app.kill()
        app.wait(timeout=30)
        assert cli.main(["restore", "--from", str(made.path), "--db", str(seeded_path)]) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=30)
    assert drill_keys(seeded_path) == drill_keys(made.path)
    assert list(seeded_path.parent.glob("*before-restore*"))


@pytest.mark.subprocess
def test_restore_refuses_while_the_real_server_runs_before_anyone_opened_a_page(
        seeded_path, tmp_path, capsys):
    """The app as `make run` starts it, no browser: it has never opened the database."""
    from tests.browser_helpers import app_server

    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    open_db(seeded_path).close()
    before = digest(seeded_path)
    server = app_server(seeded_path).start()
    try:
        refused_while_served(made.path, seeded_path, before, capsys)
        assert not list(seeded_path.parent.glob("*before-restore*"))
        assert not list(seeded_path.parent.glob("*.partial*"))
    finally:
        server.stop()
    assert cli.main(["restore", "--from", str(made.path), "--db", str(seeded_path)]) == 0


@pytest.mark.skipif(os.name == "nt", reason="flock")
def test_a_server_that_starts_during_a_restore_waits_for_it(seeded_path):
    import selectors

    from workbench import serving

    with serving.exclusive(seeded_path):  # the moment of a restore's swap
        app = holding("from workbench import serving; serving.start_serving()", "serving",
                      {"WORKBENCH_DB": str(seeded_path)}, stderr=subprocess.PIPE)
        waiting = selectors.DefaultSelector()
        waiting.register(app.stderr, selectors.EVENT_READ)
        assert waiting.select(timeout=30), "it says why it waits"
        assert "restore" in app.stderr.readline()
        started = selectors.DefaultSelector()
        started.register(app.stdout, selectors.EVENT_READ)
        assert not started.select(timeout=1) and app.poll() is None  # it has not started
    try:
        assert app.stdout.readline().strip() == "serving"  # once the restore is done
    finally:
        app.communicate("\n", timeout=30)


def test_a_server_started_before_its_database_existed_holds_it_from_its_first_page(
        seeded_path, tmp_path, monkeypatch):
    import shutil

    from workbench import serving
    from workbench.ui import loaders

    later = tmp_path / "later" / "real.db"
    later.parent.mkdir()
    monkeypatch.setenv("WORKBENCH_DB", str(later))
    monkeypatch.setattr(serving, "_server", False)
    monkeypatch.setattr(serving, "_held", {})
    try:
        serving.start_serving()  # as workbench.ui.serve does; there is no file yet
        assert list(later.parent.iterdir()) == []  # nothing made in its place
        shutil.copy(seeded_path, later)
        with serving.exclusive(later):
            pass  # no page has opened it: nobody serves it yet
        with loaders.run_connection():
            loaders.connection().execute("SELECT 1").fetchall()
        with pytest.raises(UserError) as err, serving.exclusive(later):
            pass
        assert err.value.key == "restore.serving"
        assert mode(serving.side_file(later)) == 0o600
    finally:
        for fd in serving._held.values():
            os.close(fd)


def test_check_reports_a_tampered_audit_log_in_a_file_that_is_otherwise_whole(
        seeded_path, tmp_path, capsys):
    made = backups.backup(seeded_path, tmp_path / "b", create=True, now=NOW)
    assert cli.main(["check", "--db", str(made.path)]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(made.path)
    entry = conn.execute("SELECT MAX(id) / 2 FROM audit_log").fetchone()[0]
    conn.execute("UPDATE audit_log SET reason = 'nobody saw this' WHERE id = ?", [entry])
    conn.commit()
    conn.close()
    assert backups.check(made.path).integrity == "ok"  # SQLite's own check sees nothing
    assert cli.main(["check", "--db", str(made.path)]) == 1
    err = capsys.readouterr().err
    assert f"Vnos #{entry} je bil spremenjen" in err and f"Entry #{entry} was changed" in err
    assert "integrity ok" not in err


# --- issue 20: backups keep what they promise ---------------------------------------------

def test_a_second_backup_on_the_same_day_keeps_the_mornings(seeded_path, tmp_path):
    folder = tmp_path / "b"
    morning = backups.backup(seeded_path, folder, create=True, now=NOW.replace(hour=8))
    afternoon = backups.backup(seeded_path, folder, now=NOW)
    assert morning.path.exists() and afternoon.path.exists()
    assert set(afternoon.kept) == {morning.path, afternoon.path} and not afternoon.deleted
    # A day later the morning's copy is older than 24 hours and not its day's newest.
    next_day = backups.backup(seeded_path, folder, now=NOW + dt.timedelta(days=1, hours=1))
    assert next_day.deleted == (morning.path,)
    assert sorted(p.name for p in folder.iterdir()) == [afternoon.path.name,
                                                        next_day.path.name]


def test_every_copy_of_the_last_24_hours_stays_besides_the_daily_and_weekly_ones(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    now = dt.datetime(2026, 11, 22, 14, 0, 0)
    def name(hours: int) -> str:
        return f"workbench-{backups.stamp(now - dt.timedelta(hours=hours))}.db"
    for hours in (0, 3, 10, 23, 26, 40):
        (folder / name(hours)).write_bytes(b"")
    kept, deleted = backups.rotate(folder, keep_daily=7, keep_weekly=0, now=now)
    # 21 Nov 12:00 is older than 24 hours and not its day's newest (15:00, 23 hours ago);
    # 20 Nov 22:00 is its day's newest.
    assert [p.name for p in deleted] == [name(26)]
    assert [p.name for p in kept] == [name(h) for h in (0, 3, 10, 23, 40)]


def test_backup_to_a_missing_folder_is_refused_unless_create(seeded_path, tmp_path, capsys):
    usb = tmp_path / "media" / "usb" / "kopije"  # a disk that is not mounted
    assert cli.main(["backup", "--db", str(seeded_path), "--to", str(usb)]) == 2
    err = capsys.readouterr().err
    for lang in ("sl", "en"):
        assert i18n.translate("backup.folder_missing", lang, folder=usb) in err
    assert not (tmp_path / "media").exists()
    with pytest.raises(UserError) as refused:
        backups.backup(seeded_path, usb, now=NOW)
    assert refused.value.key == "backup.folder_missing"
    assert cli.main(["backup", "--db", str(seeded_path), "--to", str(usb), "--create"]) == 0
    assert mode(usb) == 0o700 and len(list(usb.glob("workbench-*.db"))) == 1


def test_a_killed_backups_partial_files_are_removed_by_the_next_one(seeded_path, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    left = folder / ".workbench-2026-11-21-021500.4242.partial"
    left.write_bytes(b"half a copy")
    Path(f"{left}-journal").write_bytes(b"its journal")
    ten_minutes_ago = time.time() - 600
    for path in (left, Path(f"{left}-journal")):
        os.utime(path, (ten_minutes_ago, ten_minutes_ago))
    (folder / "notes.partial").write_text("not ours")
    made = backups.backup(seeded_path, folder, now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.partial", made.path.name]


@pytest.mark.skipif(os.name == "nt", reason="flock")
def test_a_partial_file_that_a_running_backup_writes_is_not_removed(seeded_path, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    running = folder / ".workbench-2026-11-22-021500.4243.partial"
    running.write_bytes(b"being written")
    writer_ = holding("import fcntl, os; "
                      f"fd = os.open({str(running)!r}, os.O_RDWR); "
                      "fcntl.flock(fd, fcntl.LOCK_EX)", "locked")
    try:
        assert writer_.stdout.readline().strip() == "locked"
        long_ago = time.time() - 7200  # a slow disk: the backup has run for two hours
        os.utime(running, (long_ago, long_ago))
        made = backups.backup(seeded_path, folder, now=NOW)
        assert sorted(p.name for p in folder.iterdir()) == [running.name, made.path.name]
    finally:
        writer_.communicate("\n", timeout=30)
    backups.backup(seeded_path, folder, now=NOW)  # it ended without renaming it: now it goes
    assert not running.exists()


@pytest.mark.parametrize("where", ["file", "proc"])
def test_backup_to_a_folder_it_cannot_write_says_so_without_a_traceback(
        seeded_path, tmp_path, capsys, where):
    if where == "file":  # root writes anywhere: a path under a regular file stops even root
        (tmp_path / "plain").write_text("a file")
        target = tmp_path / "plain" / "kopije"
        args = ["--to", str(target), "--create"]
    else:
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc")
        target = Path("/proc/self")
        args = ["--to", str(target)]
    assert cli.main(["backup", "--db", str(seeded_path), *args]) == 2
    err = capsys.readouterr().err
    for lang in ("sl", "en"):
        said = i18n.translate("backup.folder_unwritable", lang, folder=target, error="§")
        assert said.split("§")[0] in err and said.split("§")[1] in err
    assert "Traceback" not in err


if __name__ == "__main__":
    sys.exit(writer(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]))
