"""Cached reads that many sessions repeat, and the fresh reads a screen edits from.

``cached`` turns a library read ``fn(db, *args)`` into a loader ``load(*args)``
on the configured database, cached for CACHE_TTL_S with its arguments as the
key. Every write clears them (``after_write``). What a coordinator is editing
(a person, her record, the account list) is never cached: its version decides
whether a save is safe.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from workbench import (
    auth,
    board,
    casework,
    config,
    environment,
    overview,
    participants,
    places,
    stages,
)
from workbench.db import opened

CACHE_TTL_S = 60


def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(db_path: str, *args: Any) -> Any:
        with opened(db_path) as db:
            return fn(db, *args)
    # st.cache_data tells functions apart by module and qualified name: give each
    # loader its library function's, or all loaders would share one cache.
    run.__module__, run.__qualname__, run.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    cached_run = st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)(run)

    @functools.wraps(fn)
    def load(*args: Any) -> Any:
        return cached_run(config.db_path(), *args)
    return load


def after_write() -> None:
    """Cached reads may now be stale for everyone: drop them."""
    st.cache_data.clear()


def today() -> dt.date:
    return config.today()


# -- cached: the same for every session that asks -------------------------------------------
load_is_training = cached(environment.is_training)
load_units = cached(places.unit_names)
load_municipalities = cached(places.municipalities)
load_coordinator_overview = cached(overview.coordinator_overview)
load_region_overview = cached(overview.region_overview)
load_board = cached(board.caseload_board)
load_workload = cached(board.workload)
load_open_programmes = cached(stages.open_programmes)


def _demo_accounts(db) -> tuple[list[tuple[str, str, str]], str] | None:
    if not environment.is_training(db):
        return None
    accounts = [(u.username, u.display_name, u.role) for u in auth.list_users(db)
                if u.area_code == "gorenjska" and u.active]
    return accounts, environment.demo_password(db)


load_demo_accounts = cached(_demo_accounts)


def _active_coordinators(db) -> list[auth.User]:
    return [u for u in auth.list_users(db, "coordinator") if u.active]


load_coordinators = cached(_active_coordinators)


def is_training() -> bool:
    return load_is_training()


def area_coordinators(area: str | None) -> list[auth.User]:
    return [u for u in load_coordinators() if u.area_code == area]


# -- fresh: what is being edited -------------------------------------------------------------
def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One uncached library read on its own connection."""
    with opened() as db:
        return fn(db, *args, **kwargs)


def load_person(participant_id: int) -> participants.Person | None:
    return read(participants.get_person, participant_id)


def load_record(participant_id: int) -> casework.CaseRecord:
    return read(casework.case_record, participant_id)
