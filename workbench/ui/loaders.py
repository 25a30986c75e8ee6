"""The run's database connection, cached reads that many sessions repeat, and the fresh
reads a screen edits from.

One connection per script run (``connection()``), opened when the run first needs
it and closed when the run ends (``run_connection`` in the shell): a page that is
fully cached opens none. ``cached`` turns a library read ``fn(db, *args)`` into a
loader ``load(*args)``, cached for CACHE_TTL_S with its arguments as the key; it
names the tables it reads, and a write clears the loaders of the tables it wrote
(``after_write``), no others. What a coordinator is editing (a person, her
record, the account list) is never cached: its version decides whether a save
is safe.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any

import sqlite_utils
import streamlit as st

from workbench import (
    auth,
    board,
    casework,
    config,
    environment,
    overview,
    participants,
    pipeline,
    places,
)
from workbench.db import open_db

CACHE_TTL_S = 60
_RUN: contextvars.ContextVar[dict | None] = contextvars.ContextVar("workbench_run", default=None)


@contextlib.contextmanager
def run_connection() -> Iterator[None]:
    """Scope of one script run: its connection (if one was opened) is closed at the end."""
    holder: dict = {}
    token = _RUN.set(holder)
    try:
        yield
    finally:
        _RUN.reset(token)
        if "db" in holder:
            holder["db"].close()


def connection() -> sqlite_utils.Database:
    """The run's connection, opened on first use (sqlite3 refuses use from another thread)."""
    holder = _RUN.get()
    if holder is None:
        raise RuntimeError("connection() outside a script run (shell.main opens the scope)")
    if "db" not in holder:
        holder["db"] = open_db()
    return holder["db"]


_READERS: dict[str, list] = {}  # table -> the cached functions that read it


def cached(fn: Callable[..., Any], reads: tuple[str, ...]) -> Callable[..., Any]:
    def run(db_path: str, *args: Any) -> Any:  # the path is part of the cache key
        return fn(connection(), *args)
    # st.cache_data tells functions apart by module and qualified name: give each
    # loader its library function's, or all loaders would share one cache.
    run.__module__, run.__qualname__, run.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    cached_run = st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)(run)
    for table in reads:
        _READERS.setdefault(table, []).append(cached_run)

    @functools.wraps(fn)
    def load(*args: Any) -> Any:
        return cached_run(config.db_path(), *args)
    return load


def after_write(tables: set[str] | None = None) -> None:
    """Drop the cached reads of the tables a write changed (all of them when not known)."""
    if tables is None:
        st.cache_data.clear()
        return
    for reader in {id(r): r for t in tables for r in _READERS.get(t, ())}.values():
        reader.clear()


def last_audit_id(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


def written_since(db: sqlite_utils.Database, audit_id: int) -> set[str]:
    """The tables written since ``audit_id``: every write leaves its audit rows."""
    return {r[0] for r in db.execute("SELECT DISTINCT table_name FROM audit_log WHERE id > ? "
                                     "AND action != 'open'", [audit_id])}


def today() -> dt.date:
    return config.today()


# -- cached: the same for every session that asks -------------------------------------------
_CASES = ("participants", "tasks", "enrolments", "sessions", "attendance")
load_is_training = cached(environment.is_training, reads=("meta",))
load_units = cached(places.unit_names, reads=("csd_units",))
load_municipalities = cached(places.municipalities, reads=("municipalities",))
load_coordinator_overview = cached(overview.coordinator_overview, reads=_CASES)
load_region_overview = cached(overview.region_overview, reads=_CASES)
load_board = cached(board.caseload_board, reads=(*_CASES, "programmes"))
load_workload = cached(board.workload, reads=(*_CASES, "users"))
load_open_programmes = cached(pipeline.open_programmes, reads=("programmes",))


def _demo_accounts(db) -> tuple[list[tuple[str, str, str]], str] | None:
    if not environment.is_training(db):
        return None
    accounts = [(u.username, u.display_name, u.role) for u in auth.list_users(db)
                if u.area_code == "gorenjska" and u.active]
    return accounts, environment.demo_password(db)


load_demo_accounts = cached(_demo_accounts, reads=("users", "meta"))


def _active_coordinators(db) -> list[auth.User]:
    return [u for u in auth.list_users(db, "coordinator") if u.active]


load_coordinators = cached(_active_coordinators, reads=("users",))


def is_training() -> bool:
    return load_is_training()


def area_coordinators(area: str | None) -> list[auth.User]:
    return [u for u in load_coordinators() if u.area_code == area]


# -- fresh: what is being edited -------------------------------------------------------------
def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """An uncached library call on the run's connection."""
    return fn(connection(), *args, **kwargs)


def load_person(actor: auth.User, participant_id: int) -> participants.Person:
    return read(participants.get_person, actor, participant_id)


def load_record(actor: auth.User, participant_id: int) -> casework.CaseRecord:
    return read(casework.case_record, actor, participant_id)
