"""Shared fixtures: in-memory and file databases, a seeded training region, AppTest set-up."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import seed
from workbench.db import open_db

ROOT = Path(__file__).resolve().parent.parent
# A fixed "today" (a Sunday) keeps seeded data and expectations in step.
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def memory_db():
    db = open_db(":memory:")
    yield db
    db.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "workbench.db"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One seeded Gorenjska database per test run; tests get copies of it."""
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    db = open_db(path)
    seed.populate(db, scale="gorenjska", seed=seed.DEFAULT_SEED, today=TODAY)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def seeded_path(seeded_template, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def app_env(seeded_path, monkeypatch):
    """Point the app at a private seeded copy and clear Streamlit's process-wide caches."""
    import streamlit as st

    monkeypatch.setenv("WORKBENCH_DB", str(seeded_path))
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    yield seeded_path
    st.cache_data.clear()
    st.cache_resource.clear()
