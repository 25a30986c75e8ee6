"""Backups of the live database, their rotation, checking a file, and restoring one.

How the copy is taken, and why
------------------------------
SQLite offers three ways to copy a live database:

- the online backup API in small steps, as the ``sqlite3`` shell's ``.backup`` does
  (100 pages a step): a write by *another* connection between two steps restarts the
  copy from the first page. Under a steady stream of coordinators' saves it never
  ends: ``sqlite3 .backup`` of the national demo database at full write speed had not
  finished after 180 s, and ``python -m bench.backup`` shows the same for 100-page
  steps in Python;
- ``VACUUM INTO``: one read transaction, not restarted by writers, and a compacted
  copy; but it cannot run inside an explicit transaction, so the rows of the copy
  cannot be counted in the same snapshot on the source, and it rebuilds every table
  and index (slower, see the bench);
- the online backup API in **one step** (``pages=-1``) inside a read transaction that
  this connection opened itself: in WAL mode a reader never blocks writers and is
  never blocked by them, the step copies the snapshot of that transaction page by
  page, and with only one step there is nothing for a writer to restart.

:func:`backup` uses the last. It opens ``BEGIN``, counts the rows of every table,
copies in the same transaction (so the counts are those of the copied snapshot,
whatever the writers commit meanwhile), then checks the copy: ``PRAGMA
integrity_check`` is ``ok``, every table has the counted rows, and it is a workbench
database that this version knows. Only a copy that passed is given its final name
and enters the rotation; a failed one is deleted and the older copies stay.

Files are ``workbench-YYYY-MM-DD-HHMMSS.db`` (local time), readable by their owner
only (0600) in a folder that must exist (``create=True`` makes it, for the owner only,
0700: an unmounted disk must not quietly become a folder on the system disk). A copy is
a self-contained file in rollback-journal mode (no ``-wal`` beside it); the workbench
switches a restored file back to WAL when it opens it. A copy is written under a
``.partial`` name that its backup holds an exclusive ``flock`` on; the next backup
removes the ``.partial`` files no running backup holds (a killed one's).

Restoring replaces the database file, so the app must be stopped first:
:func:`restore` refuses while a server process serves the database (the lock of
``workbench.serving``, held idle or not) or another connection has the file open (it
cannot switch it out of WAL mode then), checks the backup as above, copies it into the
target's folder, and swaps it in with an atomic rename. The file it replaces stays
beside it as ``<db>.before-restore-<stamp>`` (with its ``-wal``/``-shm`` if it
could not be checkpointed), so a restore can itself be undone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from workbench import audit, config, serving
from workbench.db import ensure_local_filesystem, migration_state
from workbench.errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

NAME = re.compile(r"^workbench-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})\.db$")
PARTIAL_SUFFIX = ".partial"
# A .partial file no backup holds the lock of is a killed backup's; one younger than this
# may be a new backup's in the instant between making its file and locking it.
UNLOCKED_PARTIAL_S = 60
# Without flock (Windows) only the age tells: a running backup writes its file all along.
STALE_PARTIAL_S = 3600
# Every copy of the last day stays, besides the newest of each day and each week.
KEEP_ALL_WITHIN = dt.timedelta(hours=24)
FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass(frozen=True)
class FileCheck:
    """What :func:`check` found in a database file."""

    path: Path
    integrity: str                 # "ok", or SQLite's first findings
    workbench: bool                # its migration table names the workbench's migrations
    migrations: tuple[str, ...]    # applied, in order
    unknown: tuple[str, ...]       # applied but not known by this version: a newer one made it
    pending: int                   # known by this version but not applied yet (older file)
    rows: dict[str, int]
    # The audit log's hash chain: its first break (audit.Break), or None when intact or
    # not checked (check(chain=False), or a file from before the chain existed).
    chain: audit.Break | None = None

    @property
    def ok(self) -> bool:
        return (self.integrity == "ok" and self.workbench and not self.unknown
                and self.chain is None)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int                      # bytes
    rows: dict[str, int]           # rows per table in the snapshot, equal in the copy
    copy_seconds: float
    verify_seconds: float
    kept: tuple[Path, ...]
    deleted: tuple[Path, ...]


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    source: Path
    replaced: Path | None          # the file that was there before, kept under this name
    rows: dict[str, int]


def stamp(now: dt.datetime) -> str:
    return now.strftime("%Y-%m-%d-%H%M%S")


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _connect(path: Path, mode: str = "rw", timeout_s: float | None = None) -> sqlite3.Connection:
    """A connection to an existing file only (``mode=rw``): a mistyped path must not
    leave an empty database behind."""
    timeout_s = config.busy_timeout_ms() / 1000 if timeout_s is None else timeout_s
    conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None, timeout=timeout_s)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def _rows(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in _tables(conn)}


def _integrity(conn: sqlite3.Connection, quick: bool = False) -> str:
    pragma = "quick_check" if quick else "integrity_check"
    try:
        found = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
    except sqlite3.DatabaseError as err:
        return str(err)
    return "ok" if found == ["ok"] else "; ".join(found)


def _chain(conn: sqlite3.Connection) -> audit.Break | None:
    """The audit log's first break (``audit.verify_chain``, read only); None when intact
    or when the file has no chain yet (older than migration 0011, sealed when opened)."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    if "hash" not in columns:
        return None
    return audit.verify_chain(sqlite_utils.Database(conn))


def _inspect(conn: sqlite3.Connection, path: Path, chain: bool = False) -> FileCheck:
    try:
        integrity = _integrity(conn)
        if integrity != "ok":
            return FileCheck(path, integrity, False, (), (), 0, {})
        applied, unknown, pending = migration_state(conn)
        broken = _chain(conn) if chain and applied and not unknown else None
        return FileCheck(path, "ok", bool(applied), tuple(applied), tuple(unknown), pending,
                         _rows(conn), broken)
    except sqlite3.DatabaseError as err:
        return FileCheck(path, str(err), False, (), (), 0, {})


def check(path: str | os.PathLike, *, chain: bool = False) -> FileCheck:
    """A full ``integrity_check`` of a database or backup file and which migrations it
    has, and with ``chain`` the audit log's hash chain too; nothing is written, nothing
    is migrated."""
    path = Path(path)
    if not path.is_file():
        raise UserError("backup.file_missing", path=str(path))
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as err:
        return FileCheck(path, str(err), False, (), (), 0, {})
    try:
        return _inspect(conn, path, chain)
    finally:
        conn.close()


def _refusal(found: FileCheck, prefix: str) -> UserError | None:
    if found.integrity != "ok":
        return UserError(f"{prefix}.damaged", path=str(found.path), detail=found.integrity[:300])
    if not found.workbench:
        return UserError(f"{prefix}.not_workbench", path=str(found.path))
    if found.unknown:
        return UserError(f"{prefix}.newer", path=str(found.path),
                         migrations=", ".join(found.unknown))
    return None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # folders cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _private_file(path: Path) -> int:
    """An empty file only its owner can read (SQLite gives its journal the same mode),
    open: the descriptor is returned."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, FILE_MODE)
    os.chmod(path, FILE_MODE)  # whatever the umask
    return fd


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _journal_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


@contextlib.contextmanager
def _partial(folder: Path, name: str) -> Iterator[Path]:
    """A temporary file in ``folder`` that is removed (with its journals) unless the block
    renamed it away. While the block runs this process holds an exclusive ``flock`` on it
    (its own descriptor: SQLite's connections to the file do not release it), which tells
    :func:`sweep_partials` that it is being written."""
    path = folder / f".{name}.{os.getpid()}{PARTIAL_SUFFIX}"
    try:
        _remove(path, *_journal_files(path))
        fd = _private_file(path)
    except OSError as err:
        raise UserError("backup.folder_unwritable", folder=str(folder),
                        error=err.strerror or str(err)) from err
    if fcntl is None:  # pragma: no cover - Windows cannot rename a file left open
        os.close(fd)
        fd = None
    else:
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield path
    finally:
        _remove(path, *_journal_files(path))
        if fd is not None:
            os.close(fd)


def _old_enough(path: Path) -> bool:
    """Whether a .partial file is old enough to be a dead backup's. (On a network file system Linux
    emulates flock with POSIX locks, which SQLite's own closing of the file releases:
    there a backup's file that has been unchanged for a minute may go too. Keep the
    backup folder on a local disk and copy it off the host.)"""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if fcntl is None:  # pragma: no cover - Windows
        return age > STALE_PARTIAL_S
    return age > UNLOCKED_PARTIAL_S


def sweep_partials(folder: str | os.PathLike) -> tuple[Path, ...]:
    """Remove the ``.partial`` files (and their journals) that killed backups left in
    ``folder``; one that a running backup holds stays. Returns what was removed."""
    removed = []
    for path in Path(folder).glob(f".workbench-*{PARTIAL_SUFFIX}"):
        if not path.is_file() or not _old_enough(path):
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a backup is writing or checking it
            with contextlib.suppress(OSError):
                _remove(path, *_journal_files(path))
                removed.append(path)
        finally:
            os.close(fd)
    return tuple(removed)


def _copy_snapshot(source: Path, target: Path) -> dict[str, int]:
    """Copy one read snapshot of ``source`` into ``target`` and return its row counts."""
    src = _connect(source)
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.execute("BEGIN")  # deferred: the first read below starts the snapshot
            rows = _rows(src)
            # One step (pages=-1) in this connection's own read transaction: the counts
            # above and the pages copied are the same snapshot, and no writer can
            # restart a copy that has no second step.
            src.backup(dst, pages=-1)
            src.execute("COMMIT")
            # A self-contained file: rollback-journal mode, so no -wal is ever needed.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return rows


def _backup_time(path: Path) -> dt.datetime | None:
    match = NAME.match(path.name)
    if not match:
        return None
    try:
        return dt.datetime(*map(int, match.groups()))
    except ValueError:
        return None


def rotate(folder: str | os.PathLike, *, keep_daily: int = 7, keep_weekly: int = 4,
           now: dt.datetime | None = None) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Keep every copy of the last 24 hours, the newest copy of each of the last
    ``keep_daily`` days that have one, and of each of the last ``keep_weekly`` ISO weeks;
    delete the other files named like ours. Other files in the folder are never touched.
    Returns (kept, deleted)."""
    folder = Path(folder)
    now = now or config.now()
    dated = sorted(((when, p) for p in folder.iterdir()
                    if p.is_file() and (when := _backup_time(p)) is not None), reverse=True)
    keep: set[Path] = {path for when, path in dated
                       if dt.timedelta(0) <= now - when < KEEP_ALL_WITHIN}
    for period, limit in ((lambda d: d.date(), keep_daily),
                          (lambda d: d.isocalendar()[:2], keep_weekly)):
        seen: list = []
        for when, path in dated:  # newest first: the first of a period is its newest
            key = period(when)
            if key not in seen:
                if len(seen) == limit:
                    break
                seen.append(key)
                keep.add(path)
    deleted = []
    for _, path in dated:
        if path not in keep:
            path.unlink()
            deleted.append(path)
    kept = tuple(p for _, p in dated if p in keep)
    return kept, tuple(deleted)


def _folder(to_dir: str | os.PathLike, create: bool) -> Path:
    folder = Path(to_dir)
    if not folder.exists():
        if not create:  # e.g. the mount point of a backup disk that is not mounted
            raise UserError("backup.folder_missing", folder=str(folder))
        try:
            folder.mkdir(mode=DIR_MODE, parents=True)
            os.chmod(folder, DIR_MODE)
        except OSError as err:
            raise UserError("backup.folder_unwritable", folder=str(folder),
                            error=err.strerror or str(err)) from err
    if not folder.is_dir():
        raise UserError("backup.folder_invalid", folder=str(folder))
    return folder


def backup(db_path: str | os.PathLike, to_dir: str | os.PathLike, *, keep_daily: int = 7,
           keep_weekly: int = 4, create: bool = False,
           now: dt.datetime | None = None) -> BackupResult:
    """Copy the live database into ``to_dir`` while the app keeps writing, check the copy,
    then rotate the folder. ``to_dir`` must exist unless ``create``. See the module's
    docstring for how and why."""
    if keep_daily < 1 or keep_weekly < 0:
        raise UserError("backup.keep_invalid")
    source = Path(db_path)
    if not source.is_file():
        raise UserError("backup.file_missing", path=str(source))
    folder = _folder(to_dir, create)
    sweep_partials(folder)
    now = now or config.now()
    final = folder / f"workbench-{stamp(now)}.db"
    while final.exists():  # two copies in one second: the later one is a second later
        now += dt.timedelta(seconds=1)
        final = folder / f"workbench-{stamp(now)}.db"
    with _partial(folder, final.stem) as partial:
        started = time.perf_counter()
        try:
            rows = _copy_snapshot(source, partial)
        except sqlite3.DatabaseError as err:
            raise UserError("backup.copy_failed", path=str(source), error=str(err)) from err
        copied = time.perf_counter()
        found = check(partial)
        refused = _refusal(found, "backup")
        if refused is not None:
            refused.params["path"] = str(source)
            raise refused
        if found.rows != rows:
            differ = sorted(t for t in set(rows) | set(found.rows)
                            if rows.get(t) != found.rows.get(t))
            raise UserError("backup.rows_differ", tables=", ".join(differ))
        verified = time.perf_counter()
        _fsync_file(partial)
        os.replace(partial, final)
        _fsync_dir(folder)
    kept, deleted = rotate(folder, keep_daily=keep_daily, keep_weekly=keep_weekly, now=now)
    return BackupResult(final, final.stat().st_size, rows, copied - started,
                        verified - copied, kept, deleted)


def _in_use(target: Path) -> bool | None:
    """Whether another connection has ``target`` open: True, False, or None when the file
    cannot tell (it is damaged). Leaving WAL mode needs every other connection closed;
    on the way it checkpoints the WAL into the file and removes -wal and -shm, so the
    file that is replaced is complete on its own."""
    try:
        conn = _connect(target, timeout_s=0)
    except sqlite3.DatabaseError:
        return None
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        return mode != "delete"
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            return True
        return None
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def restore(backup_file: str | os.PathLike, db_path: str | os.PathLike, *,
            now: dt.datetime | None = None) -> RestoreResult:
    """Put a checked backup in place of the database file. The app must be stopped."""
    source = Path(backup_file)
    if not source.is_file():
        raise UserError("backup.file_missing", path=str(source))
    target = Path(db_path)
    if target.is_dir():
        raise UserError("restore.target_invalid", path=str(target))
    if not target.parent.is_dir():
        raise UserError("restore.target_invalid", path=str(target))
    ensure_local_filesystem(target)
    now = now or config.now()
    with _partial(target.parent, f"{target.name}.restore-{stamp(now)}") as partial:
        shutil.copyfile(source, partial)
        found = check(partial)
        refused = _refusal(found, "restore")
        if refused is not None:
            refused.params["path"] = str(source)
            raise refused
        conn = _connect(partial)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        _fsync_file(partial)
        with serving.exclusive(target):  # no server serves it; one starting now waits
            replaced = _swap(partial, target, now)
    return RestoreResult(target, source, replaced, found.rows)


def _swap(partial: Path, target: Path, now: dt.datetime) -> Path | None:
    """Put ``partial`` in place of ``target``; returns the name the old file keeps."""
    replaced = None
    if target.exists():
        if _in_use(target):
            raise UserError("restore.in_use", path=str(target))
        replaced = target.with_name(f"{target.name}.before-restore-{stamp(now)}")
        if replaced.exists():
            raise UserError("restore.target_invalid", path=str(replaced))
        try:
            os.link(target, replaced)  # the old file keeps a name; the swap stays atomic
        except OSError:
            shutil.copy2(target, replaced)
    # Journals of the file being replaced must never be applied to the restored one:
    # a stale -wal with valid frames would be replayed into it. They are kept with
    # the replaced file (or, without one, removed).
    for journal in _journal_files(target):
        if journal.exists():
            if replaced is not None:
                os.replace(journal, replaced.with_name(
                    replaced.name + journal.name[len(target.name):]))
            else:
                journal.unlink()
    os.replace(partial, target)
    _fsync_dir(target.parent)
    return replaced
