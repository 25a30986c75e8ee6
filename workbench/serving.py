"""Which processes serve a database: a lock every server process holds for its whole life.

``restore`` replaces the database file, so it must not run while the app serves it: an
app that goes on would write to the old file or mix cached reads of both. Between page
runs the app has no connection open, so SQLite cannot tell that it serves the file.
Instead each server process (``python -m workbench.ui.serve``) holds a *shared*
``flock`` on ``<db>.serving`` beside the database (created ``0600``, empty, never
removed) from its start to its end; the kernel drops it when the process ends, killed
or not, so there is no stale heartbeat to wait out. ``restore`` takes the lock
*exclusively* without waiting and refuses while any server holds it; a server that
starts during a restore waits until the restore is done.

``flock`` exists on Linux and macOS; on Windows nothing is held and ``restore`` relies
on its check of open connections only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from workbench import config, i18n
from workbench.errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

log = logging.getLogger("workbench")

SUFFIX = ".serving"
FILE_MODE = 0o600

_server = False                 # this process is a web server (start_serving was called)
_held: dict[str, int] = {}      # database path as configured -> descriptor holding its lock
# ... and a connection kept open beside it: SQLite keeps the -wal and -shm files while one
# is open, so on a full disk a page can still open the database (and a save is refused
# with "disk is full"); without it the next open must make a new -shm and fails with
# "disk I/O error" on every page.
_open_connections: dict[str, sqlite3.Connection] = {}
_guard = threading.Lock()       # page runs of one server run in several threads


def side_file(db_path: str | os.PathLike) -> Path:
    """The lock file of a database: beside its real path (symlinks resolved), so a server
    and a restore that name the file differently still meet on one lock."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + SUFFIX)


def _open(db_path: str | os.PathLike) -> int:
    """The side file, made if missing (never a folder); the owner of the database owns it
    too, so a restore run as root leaves a file the service account can open."""
    path = side_file(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return os.open(path, os.O_RDWR)
    with contextlib.suppress(OSError, AttributeError):
        if os.geteuid() == 0:
            owner = os.stat(os.path.realpath(db_path))
            os.fchown(fd, owner.st_uid, owner.st_gid)
    return fd


def hold(db_path: str | os.PathLike) -> bool:
    """Hold the shared lock of ``db_path`` until this process ends (once per path). Waits
    while a restore runs. False when nothing can be held: no flock, no database file yet
    (held at a later open), or a side file this account cannot open (logged)."""
    key = str(db_path)
    if fcntl is None or key == ":memory:":
        return False
    if key in _held:  # every page run asks: no lock taken for the answer
        return True
    with _guard:
        if key in _held:
            return True
        if not os.path.isfile(key):
            return False
        try:
            fd = _open(key)
        except OSError as err:
            _warn("serving.unheld", path=str(side_file(key)), error=err.strerror or str(err))
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            _warn("serving.waiting", path=key)
            fcntl.flock(fd, fcntl.LOCK_SH)
        _held[key] = fd
        with contextlib.suppress(sqlite3.Error):
            kept = sqlite3.connect(key, check_same_thread=False)
            kept.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            _open_connections[key] = kept
        return True


def start_serving() -> None:
    """This process is a web server from now on: it holds the lock of the configured
    database at once (if the file exists yet), and of every database it opens later."""
    global _server
    _server = True
    with contextlib.suppress(config.DatabaseNotConfigured):
        hold(config.db_path())


def serving(db_path: str | os.PathLike) -> None:
    """Before a page run opens ``db_path``: a server holds its lock (nothing elsewhere,
    e.g. in AppTest or a notebook)."""
    if _server:
        hold(db_path)


@contextlib.contextmanager
def exclusive(db_path: str | os.PathLike) -> Iterator[None]:
    """While no server process serves ``db_path``; raises UserError("restore.serving")
    when one does. Servers starting meanwhile wait until the block ends."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = _open(db_path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError("restore.serving", path=str(db_path)) from None
        yield
    finally:
        os.close(fd)  # and with it the lock


def _warn(key: str, **params: object) -> None:
    log.warning("%s / %s", i18n.translate(key, "sl", **params),
                i18n.translate(key, "en", **params))
