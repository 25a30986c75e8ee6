"""Shared fixtures: in-memory and file databases, a seeded training region, AppTest set-up."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import seed
from workbench.db import open_db

# The browser fixtures (server, browser, page) for every test module.
pytest_plugins = ["tests.browser_helpers"]
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
    db = open_db(path, create=True)
    seed.populate(db, scale="gorenjska", seed=seed.DEFAULT_SEED, today=TODAY,
                  audit_history=False)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def seeded_path(seeded_template, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def db(seeded_path):
    """An open connection to a private seeded copy."""
    db = open_db(seeded_path, create=True)
    yield db
    db.close()


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


@pytest.fixture(scope="session")
def national():
    """The national demo database (12,500 people), seeded once per test run."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "national.db", create=True)
        seed.populate(db, scale="national", seed=3, today=TODAY)
        db.execute("ANALYZE")
        yield db
        db.close()


LARGE_TABLES = {"attendance": "a", "sessions": "s", "participants": "p", "tasks": "t",
                "enrolments": "e", "contacts": "c", "problem_scores": "ps",
                "audit_log": "al", "stage_history": "sh"}


def query_plan(db, sql: str, params) -> str:
    return " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))


def assert_no_full_scan(db, sql: str, params) -> None:
    """A full pass over a large table or its index shows as SCAN <table or alias>;
    what is allowed is a SEARCH that seeks."""
    text = query_plan(db, sql, params) + " "
    for table, alias in LARGE_TABLES.items():
        for name in (table, alias):
            assert f"SCAN {name} " not in text, (sql, text)
