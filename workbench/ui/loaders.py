"""The run's database connection, cached reads that many sessions repeat, and the fresh
reads a screen edits from.

One connection per script run (``connection()``), opened when the run first needs
it and closed when the run ends (``run_connection`` in the shell). ``cached``
turns a library read ``fn(db, *args)`` into a loader ``load(*args)`` shared by
every session of the process; it names the tables it reads, and its cache key
holds their versions (``data_versions``, raised by every audited change, see
workbench.audit), read once per run. A change saved in any server process is
therefore seen by the next run of every session in every process, and a change
of one table leaves the other tables' reads cached. What a coordinator is
editing (a person, her record, the account list) is never cached: its version
decides whether a save is safe.
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
    allowances,
    attendance,
    audit,
    auth,
    board,
    casework,
    charts,
    config,
    environment,
    esf,
    overview,
    participants,
    pipeline,
    places,
    programmes,
    schedule,
    serving,
    stats,
)
from workbench.db import open_db

# A read at superseded versions is never asked for again: the time to live and the
# number of entries only bound the memory they hold (and how long a change made
# without the audit log, e.g. with the sqlite3 shell, can go unseen).
CACHE_TTL_S = 300
CACHE_ENTRIES = 500  # per loader: boards of every coordinator with a few filters each
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
        serving.serving(config.db_path())  # a restore must see that this server uses it
        holder["db"] = open_db()
    return holder["db"]


def _versions() -> dict[str, int]:
    holder = _RUN.get()
    if holder is None:
        raise RuntimeError("a cached read outside a script run (shell.main opens the scope)")
    if "versions" not in holder:
        holder["versions"] = audit.data_versions(connection())
    return holder["versions"]


def cached(fn: Callable[..., Any], reads: tuple[str, ...]) -> Callable[..., Any]:
    def run(db_path: str, versions: tuple[int, ...], *args: Any) -> Any:
        return fn(connection(), *args)  # the path and the versions are in the cache key
    # Streamlit's caches tell functions apart by module and qualified name: give each
    # loader its library function's, or all loaders would share one cache.
    run.__module__, run.__qualname__, run.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    # cache_resource, not cache_data: the results are read-only, so every session may share
    # the one object (cache_data unpickles a copy on every run: 10 ms for a big board).
    cached_run = st.cache_resource(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES,
                                   show_spinner=False)(run)

    @functools.wraps(fn)
    def load(*args: Any) -> Any:
        versions = _versions()
        key = tuple(versions.get(t, 0) for t in (audit.ALL_TABLES, *reads))
        return cached_run(config.db_path(), key, *args)
    return load


def after_write() -> None:
    """After a save in this run: what the run reads from now on sees it."""
    holder = _RUN.get()
    if holder is not None:
        holder.pop("versions", None)


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
_PROGRAMMES = ("programmes", "programme_modules", "enrolments", "waiting_list", "providers")
load_catalogue = cached(programmes.catalogue, reads=_PROGRAMMES)
load_providers = cached(programmes.providers, reads=("providers",))
load_open_places = cached(programmes.open_places,
                          reads=("programmes", "enrolments", "waiting_list"))
load_calendar = cached(schedule.view, reads=("sessions", "session_people", "participants"))
load_falling_attendance = cached(attendance.falling_attendance,
                                 reads=("attendance", "sessions", "enrolments", "participants"))
load_caseload_names = cached(participants.caseload_names, reads=("participants",))
_ATTENDED = ("sessions", "attendance", "enrolments", "participants", "month_locks", "programmes",
             "providers", "rules", "enrolment_terms")
load_month_sheet = cached(attendance.monthly, reads=_ATTENDED)
load_payment_sheet = cached(allowances.payment_sheet, reads=_ATTENDED)
load_region_payments = cached(allowances.region_month, reads=_ATTENDED)
# Charts and reports: aggregates every manager of the area asks for alike.
_COUNTED = ("participants", "stage_history", "tasks", "enrolments", "sessions", "attendance",
            "follow_ups", "programmes", "users", "rules")
load_key_figures = cached(stats.key_figures, reads=_COUNTED)
# A chart with its figures and its Vega-Lite spec: built once per data version, filters
# and language for every session (building one costs 8-30 ms).
load_figure = cached(charts.figure, reads=_COUNTED)
load_programme_names = cached(stats.programme_names, reads=("programmes",))
load_esf_report = cached(esf.report, reads=_COUNTED)
load_quality = cached(esf.quality, reads=_COUNTED)
load_quality_counts = cached(esf.quality_counts, reads=_COUNTED)
load_ema_rows = cached(esf.ema_rows, reads=("participants",))
load_ema_reminder = cached(esf.reminder, reads=("report_submissions",))


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
