"""Opening the shared SQLite file: the house pragmas, the file-system guard, migrations.

Writing is :func:`workbench.transactions.write` (re-exported here): every write
goes through ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from workbench import config
from workbench.migrations import apply_pending
from workbench.transactions import write

__all__ = ["DatabaseUnavailable", "NetworkFileSystemError", "open_db", "opened", "write"]

# File systems on which SQLite's WAL shared memory and POSIX locks are not
# reliable: several hosts would corrupt the file or lose updates.
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs",
    "9p", "ceph", "glusterfs", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs",
    "fuse.rclone", "davfs", "fuse.davfs2", "lustre", "gpfs", "ocfs2", "gfs2",
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


def filesystem_type(path: str | os.PathLike, mounts_file: str | None = None) -> str | None:
    """The type of the file system that holds ``path``, read from the mount table.

    Returns None when the mount table cannot be read (e.g. on Windows).
    """
    mounts_file = mounts_file or config.get("mounts_file")
    try:
        lines = Path(mounts_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = Path(path).resolve()
    best_point, best_type = None, None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fstype = Path(_unescape_mount_field(fields[1])), fields[2]
        if (target == point or point in target.parents) and (
                best_point is None or len(point.parts) >= len(best_point.parts)):
            best_point, best_type = point, fstype
    return best_type


def ensure_local_filesystem(path: str | os.PathLike, mounts_file: str | None = None) -> None:
    fstype = filesystem_type(Path(path).parent, mounts_file)
    if fstype and (fstype in NETWORK_FILE_SYSTEMS or fstype.startswith(("nfs", "smb", "cifs"))):
        raise NetworkFileSystemError(str(path), fstype)


# Files this process has opened before, checked and migrated: (path, inode). Every page
# run opens the database; the mount table and the migrations need reading only once
# per file (a file restored over it is another inode, and is checked again).
_READY: set[tuple[str, int]] = set()


def _file_key(target: str) -> tuple[str, int] | None:
    try:
        return target, os.stat(target).st_ino
    except OSError:
        return None


def _check_path(target: str, create: bool, mounts_file: str | None) -> None:
    path = Path(target)
    if path.is_dir():
        raise DatabaseUnavailable("db.is_directory", path=target)
    if not path.parent.is_dir():
        # A mistyped WORKBENCH_DB must not quietly grow folders and an empty database.
        raise DatabaseUnavailable("db.no_folder", path=target, folder=str(path.parent))
    if not path.exists() and not create:
        raise DatabaseUnavailable("db.missing", path=target)
    if mounts_file is not None or _file_key(target) not in _READY:
        ensure_local_filesystem(target, mounts_file)


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True,
            create: bool = False, mounts_file: str | None = None) -> sqlite_utils.Database:
    """Open the workbench database with the house pragmas and pending migrations applied.

    ``path``: the argument, else ``WORKBENCH_DB`` (required). Only ``create=True``
    (the seed, the first account) makes a new file; ``":memory:"`` gives a private
    in-memory database (unit tests). Raises DatabaseUnavailable with a message key
    for a missing file, a folder, a file that is not a database, a read-only file
    system or a network share.
    """
    target = config.db_path(path)
    if target != ":memory:":
        _check_path(target, create, mounts_file)
    timeout_ms = config.busy_timeout_ms()
    try:
        # isolation_level=None: Python must never open a transaction on its own;
        # write() decides when one starts, and how (IMMEDIATE).
        conn = sqlite3.connect(target, timeout=timeout_ms / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        db = sqlite_utils.Database(conn)
        key = _file_key(target) if target != ":memory:" else None
        if migrate and key not in _READY:
            apply_pending(db)
            if key is not None and mounts_file is None:
                _READY.add(key)
    except sqlite3.DatabaseError as err:
        message = str(err).lower()
        if "not a database" in message or "malformed" in message:
            raise DatabaseUnavailable("db.not_sqlite", path=target) from err
        if "readonly" in message or "read-only" in message or "unable to open" in message:
            raise DatabaseUnavailable("db.read_only", path=target) from err
        raise DatabaseUnavailable("db.unusable", path=target, error=str(err)) from err
    return db


@contextlib.contextmanager
def opened(path: str | os.PathLike | None = None, *,
           create: bool = False) -> Iterator[sqlite_utils.Database]:
    """One connection for one unit of work (a page run, a CLI command), then closed."""
    db = open_db(path, create=create)
    try:
        yield db
    finally:
        db.close()
