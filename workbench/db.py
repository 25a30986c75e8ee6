"""Opening the shared SQLite file: the house pragmas, the guards, migrations.

The guards: no network file system (symlinks resolved), a new file readable by its
owner only, and, on the first open in a process, no damaged file (``quick_check``)
and none made by a newer version of the workbench.

Writing is :func:`workbench.transactions.write` (re-exported here): every write
goes through ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from workbench import config, i18n, text
from workbench.migrations import MIGRATIONS, apply_pending
from workbench.transactions import write

__all__ = ["DatabaseUnavailable", "NetworkFileSystemError", "open_db", "opened", "write"]

log = logging.getLogger("workbench")

# File systems on which SQLite's WAL shared memory and POSIX locks are not
# reliable: several hosts (or a virtual machine and its host) would corrupt the
# file or lose updates. FUSE types are listed as the kernel names them
# ("fuse.<program>"); shares of a virtual machine's host are here too.
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs",
    "9p", "ceph", "glusterfs", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs",
    "fuse.rclone", "davfs", "fuse.davfs2", "lustre", "gpfs", "ocfs2", "gfs2",
    "fuse.ceph-fuse", "fuse.gcsfuse", "fuse.gvfsd-fuse", "fuse.smbnetfs", "fuse.juicefs",
    "beegfs", "fuse.cifs", "fuse.mfs", "fuse.lizardfs", "fuse.blobfuse", "fuse.blobfuse2",
    "orangefs", "pvfs2", "coda",
    # virtual machines' shared folders (VirtualBox, VMware, Parallels, WSL1's drvfs)
    "vboxsf", "vmhgfs", "fuse.vmhgfs-fuse", "prl_fs", "drvfs",
})


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used; ``key`` names the message (``workbench.i18n``)
    that tells the administrator what to do."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


class NetworkFileSystemError(DatabaseUnavailable):
    """The database file lives on a network file system."""

    def __init__(self, path: str, fstype: str) -> None:
        super().__init__("db.network", path=path, fstype=fstype)


def _unescape_mount_field(field: str) -> str:
    # /proc/mounts writes spaces, tabs and backslashes as octal escapes.
    return (field.replace("\\040", " ").replace("\\011", "\t")
            .replace("\\012", "\n").replace("\\134", "\\"))


def _mount_table(mounts_file: str | None) -> list[tuple[Path, str]] | None:
    """(mount point, type) of every mount, or None when the table cannot be read."""
    mounts_file = mounts_file or config.get("mounts_file")
    try:
        lines = Path(mounts_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return [(Path(_unescape_mount_field(fields[1])), fields[2])
            for fields in (line.split() for line in lines) if len(fields) >= 3]


def _mounted_type(target: Path, mounts: list[tuple[Path, str]]) -> str | None:
    best_point, best_type = None, None
    for point, fstype in mounts:
        # ">=": a mount over an earlier one at the same point (autofs, then nfs) wins.
        if (target == point or point in target.parents) and (
                best_point is None or len(point.parts) >= len(best_point.parts)):
            best_point, best_type = point, fstype
    return best_type


def filesystem_type(path: str | os.PathLike, mounts_file: str | None = None) -> str | None:
    """The type of the file system that holds ``path`` (symlinks resolved), read from the
    mount table.

    Returns None when the mount table cannot be read (e.g. on Windows).
    """
    mounts = _mount_table(mounts_file)
    return None if mounts is None else _mounted_type(Path(path).resolve(), mounts)


def is_network_type(fstype: str | None) -> bool:
    return bool(fstype) and (fstype in NETWORK_FILE_SYSTEMS
                             or fstype.startswith(("nfs", "smb", "cifs")))


def windows_share(path: str) -> bool:
    r"""A UNC path (``\\server\share\...``, ``\\?\UNC\server\...``): a network share
    on Windows. Device paths of local disks (``\\?\C:\``, ``\\.\``) are not."""
    p = path.replace("/", "\\")
    if p[:8].upper() == "\\\\?\\UNC\\":
        return True
    return p.startswith("\\\\") and not p.startswith(("\\\\?\\", "\\\\.\\"))


def _windows_remote_drive(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    if len(drive) != 2 or drive[1] != ":":
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE


def ensure_local_filesystem(path: str | os.PathLike, mounts_file: str | None = None) -> bool:
    """Refuse a database whose file or folder is on a network file system, a symlink
    into one included (SQLite keeps -wal and -shm beside the real file).

    Returns False when nothing could be checked: the mount table cannot be read
    (Windows, macOS, a container without /proc).
    """
    path = Path(path)
    places = [path.parent.resolve(), path.resolve()]
    if os.name == "nt":  # pragma: no cover - Windows only
        for place in (path.absolute(), *places):
            if windows_share(str(place)) or _windows_remote_drive(place):
                raise NetworkFileSystemError(str(path), "windows-share")
    mounts = _mount_table(mounts_file)
    if mounts is None:
        return False
    for place in places:
        fstype = _mounted_type(place, mounts)
        if is_network_type(fstype):
            raise NetworkFileSystemError(str(path), fstype)
    return True


def migration_state(conn: sqlite3.Connection) -> tuple[list[str], list[str], int]:
    """The workbench migrations a file has applied (in order), those among them that this
    version does not know (a newer workbench made the file), and how many known ones
    it still lacks (an older file, upgraded on open)."""
    known = [m.name for m in MIGRATIONS._migrations]
    try:
        applied = [r[0] for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS.migrations_table} WHERE migration_set = ? "
            "ORDER BY rowid", [MIGRATIONS.name])]
    except sqlite3.OperationalError as err:
        if "no such table" not in str(err):
            raise
        applied = []
    return applied, [n for n in applied if n not in known], len(set(known) - set(applied))


def _log_once(key: str, **params: object) -> None:
    seen = (key, tuple(sorted(params.items())))
    if seen in _LOGGED:
        return
    _LOGGED.add(seen)
    log.warning("%s / %s", i18n.translate(key, "sl", **params),
                i18n.translate(key, "en", **params))


_LOGGED: set = set()


# Files this process has opened before, checked and migrated: (path, inode). Every page
# run opens the database; the mount table and the migrations need reading only once
# per file (a file restored over it is another inode, and is checked again).
_READY: set[tuple[str, int]] = set()


def _file_key(target: str) -> tuple[str, int] | None:
    try:
        return target, os.stat(target).st_ino
    except OSError:
        return None


def _check_path(target: str, create: bool, mounts_file: str | None) -> bool:
    """Refuse what cannot be the database; True when this call created a new, empty file."""
    path = Path(target)
    if path.is_dir():
        raise DatabaseUnavailable("db.is_directory", path=target)
    if not path.parent.is_dir():
        # A mistyped WORKBENCH_DB must not quietly grow folders and an empty database.
        raise DatabaseUnavailable("db.no_folder", path=target, folder=str(path.parent))
    if not path.exists() and not create:
        raise DatabaseUnavailable("db.missing", path=target)
    if mounts_file is not None or _file_key(target) not in _READY:
        if not ensure_local_filesystem(target, mounts_file):
            _log_once("db.fs_unchecked", path=target,
                      mounts=mounts_file or config.get("mounts_file"))
    if create and not path.exists():
        try:
            # Health and debt data: readable by the owner only. SQLite gives the -wal,
            # -shm and -journal files the mode of the database file.
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except FileExistsError:  # another process created it a moment ago
            return False
        except OSError as err:
            raise DatabaseUnavailable("db.read_only", path=target) from err
    return False


def _check_file(conn: sqlite3.Connection, target: str, new: bool) -> None:
    """Once per file and process: a damaged file, or one a newer workbench made, is
    refused before a page reads it."""
    if not new:
        # quick_check reads every page (1.6 s on the national demo database, 40 ms on
        # the Gorenjska one), so it runs on the first open only, not on each page run.
        try:
            found = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as err:
            found = [str(err)]
        if found != ["ok"]:
            raise DatabaseUnavailable("db.damaged", path=target, detail="; ".join(found)[:300])
    _, unknown, _ = migration_state(conn)
    if unknown:
        raise DatabaseUnavailable("db.newer_version", path=target, migrations=", ".join(unknown))
    if os.name != "nt":
        mode = os.stat(target).st_mode & 0o777
        if mode & 0o077:
            _log_once("db.readable_by_others", path=target, mode=f"{mode:o}")


def _no_room(target: str) -> bool:
    """The database's disk is (all but) full: SQLite then fails to make its -shm file and
    says "disk I/O error" rather than "disk is full"."""
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(target))).free < 1 << 20
    except OSError:
        return False


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True,
            create: bool = False, mounts_file: str | None = None) -> sqlite_utils.Database:
    """Open the workbench database with the house pragmas and pending migrations applied.

    ``path``: the argument, else ``WORKBENCH_DB`` (required). Only ``create=True``
    (the seed, the first account) makes a new file, readable by its owner only;
    ``":memory:"`` gives a private in-memory database (unit tests). Raises
    DatabaseUnavailable with a message key for a missing file, a folder, a file that
    is not a database, a damaged one, one made by a newer version of the workbench,
    a read-only file system or a network share.
    """
    target = config.db_path(path)
    new = _check_path(target, create, mounts_file) if target != ":memory:" else False
    timeout_ms = config.busy_timeout_ms()
    conn = None
    try:
        # isolation_level=None: Python must never open a transaction on its own;
        # write() decides when one starts, and how (IMMEDIATE).
        conn = sqlite3.connect(target, timeout=timeout_ms / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.create_collation(text.COLLATION, text.collate)
        db = sqlite_utils.Database(conn)
        key = _file_key(target) if target != ":memory:" else None
        if key not in _READY:
            if key is not None:
                _check_file(conn, target, new)
            if migrate:
                apply_pending(db)
                if key is not None and mounts_file is None:
                    _READY.add(key)
        _refuse_fixed_today(conn, target)
    except sqlite3.DatabaseError as err:
        if conn is not None:
            conn.close()
        message = str(err).lower()
        if "not a database" in message:
            raise DatabaseUnavailable("db.not_sqlite", path=target) from err
        if "malformed" in message:
            raise DatabaseUnavailable("db.damaged", path=target, detail=str(err)) from err
        if "disk is full" in message or ("disk i/o error" in message and _no_room(target)):
            raise DatabaseUnavailable("db.disk_full") from err  # no path: said to anyone
        if "readonly" in message or "read-only" in message or "unable to open" in message:
            raise DatabaseUnavailable("db.read_only", path=target) from err
        raise DatabaseUnavailable("db.unusable", path=target, error=str(err)) from err
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return db


def _refuse_fixed_today(conn: sqlite3.Connection, target: str) -> None:
    """WORKBENCH_TODAY is for training data and tests. On a real database it would date
    audit entries, deadlines and follow-ups by a made-up day, so it is refused on every
    open (a setting can change between opens; a real database never turns back into a
    training one)."""
    fixed = config.get("today")
    if not fixed:
        return
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'environment'").fetchone()
    except sqlite3.OperationalError:  # not migrated yet: nothing in it, real or not
        return
    if row is not None and row[0] == "production":
        raise DatabaseUnavailable("db.fixed_today_on_real", path=target, today=fixed)


@contextlib.contextmanager
def opened(path: str | os.PathLike | None = None, *,
           create: bool = False) -> Iterator[sqlite_utils.Database]:
    """One connection for one unit of work (a page run, a CLI command), then closed."""
    db = open_db(path, create=create)
    try:
        yield db
    finally:
        db.close()
