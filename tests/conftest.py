"""Shared fixtures: in-memory and file databases, a seeded training region, AppTest set-up."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import seed
from workbench.db import open_db

# The browser fixtures (server, browser, page) for every test module.
pytest_plugins = ["tests.browser_helpers"]
ROOT = Path(__file__).resolve().parent.parent
# A fixed "today" (a Sunday) keeps seeded data and expectations in step.
TODAY = dt.date(2026, 11, 22)

# `make mutation` loads this profile: every mutant meets the same examples, so a mutant
# is killed or survives by what the code does, never by the luck of the draw.
settings.register_profile("mutation", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def memory_db():
    db = open_db(":memory:")
    yield db
    db.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "workbench.db"


def seed_template(path: Path) -> Path:
    """Seed the Gorenjska demo at ``path`` as `make run` seeds it (its audit history of the
    coordinators' last workdays included), on the tests' fixed day."""
    db = open_db(path, create=True)
    seed.populate(db, scale="gorenjska", seed=seed.DEFAULT_SEED, today=TODAY)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One seeded database per test run; tests get copies of it. `make mutation` seeds it
    once with the unmutated code (WORKBENCH_TEST_TEMPLATE) for all its mutants."""
    kept = os.environ.get("WORKBENCH_TEST_TEMPLATE")
    if kept:
        return Path(kept)
    return seed_template(tmp_path_factory.mktemp("seeded") / "demo.db")


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


# Tables that grow with the caseload: a query may seek them (SEARCH), never pass over them.
LARGE_TABLES = frozenset({"attendance", "sessions", "participants", "tasks", "enrolments",
                          "contacts", "problem_scores", "audit_log", "stage_history"})

# Words that may follow a table's name in FROM / JOIN and are not its alias.
_NOT_ALIASES = frozenset({"ON", "USING", "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL",
                          "CROSS", "NATURAL", "OUTER", "GROUP", "ORDER", "LIMIT", "HAVING",
                          "WINDOW", "UNION", "EXCEPT", "INTERSECT", "INDEXED", "NOT", "AS"})
_SOURCE = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?",
                     re.IGNORECASE)
_CTE = re.compile(r"(?:\bWITH(?:\s+RECURSIVE)?|,)\s*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s+AS\s*\(",
                  re.IGNORECASE)
_SCAN = re.compile(r"^SCAN (?:TABLE )?(\S+)(?: AS (\S+))?(?: USING (?:COVERING )?INDEX (\S+))?")


def query_plan(db, sql: str, params) -> list[str]:
    return [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def scanned_tables(db, sql: str, plan: list[str]) -> list[tuple[str, set[str]]]:
    """Each SCAN of ``plan`` as (plan row, the tables it may pass over).

    The plan names a table by its alias (``SCAN h USING INDEX idx_...``): aliases are read
    from the query's FROM / JOIN clauses (``table [AS] alias``), and an index names its
    table in sqlite_master. An alias used for two tables maps to both; a CTE or subquery
    maps to none (its own rows are planned separately). A name found nowhere is an error:
    the checker must never pass a scan it cannot place."""
    schema = dict(db.execute("SELECT name, tbl_name FROM sqlite_master "
                             "WHERE type IN ('table', 'index')").fetchall())
    tables = {name for name, table in schema.items() if name == table}
    ctes = {name.lower() for name in _CTE.findall(sql)}
    aliases: dict[str, set[str]] = {}
    for table, alias in _SOURCE.findall(sql):
        if table in tables:
            aliases.setdefault(table, set()).add(table)
            if alias and alias.upper() not in _NOT_ALIASES:
                aliases.setdefault(alias, set()).add(table)
    found = []
    for row in plan:
        match = _SCAN.match(row)
        if match is None:
            continue
        name, alias, index = match.groups()
        if index is not None:
            found.append((row, {schema[index]} if index in schema else {name}))
        elif (alias or name) in aliases:
            found.append((row, aliases[alias or name]))
        elif name.startswith("(") or name.lower() in ctes or name == "CONSTANT":
            found.append((row, set()))
        else:
            raise AssertionError(f"the plan scans {name!r}, which the query does not name: "
                                 f"{row!r} in {sql}")
    return found


def assert_no_full_scan(db, sql: str, params) -> None:
    """A full pass over a large table, or over one of its indexes, shows as SCAN <alias>
    [USING [COVERING] INDEX ...], whatever the alias; what is allowed is a SEARCH that
    seeks."""
    plan = query_plan(db, sql, params)
    scans = [row for row, tables in scanned_tables(db, sql, plan) if tables & LARGE_TABLES]
    assert not scans, (scans, plan, sql)


_NOT_PLAIN = re.compile(r"[^A-Za-z0-9_.:+-]")


def plain_id(value: object) -> str:
    """A test id of plain ASCII (a space as ``_``, other characters as ``~`` and their code
    point), so every test can be named on the command line, as ``make mutation`` does."""
    text = (value if isinstance(value, str) else repr(value)).replace(" ", "_")
    return _NOT_PLAIN.sub(lambda m: f"~{ord(m.group()):x}", text)[:48] or "empty"


def pytest_make_parametrize_id(config, val, argname):
    return plain_id(val) if isinstance(val, str) else None


@functools.cache
def _mutmut_timings() -> dict[str, float]:
    """mutmut's time per test; read once by mutmut's main process (its clean run), so the
    worker forked for each mutant has it already."""
    return json.loads(Path("mutmut-stats.json").read_text())["duration_by_test"]


def pytest_collection_modifyitems(items):
    """Mark the tests that need the national database (a 20-second seed) and those that
    drive the app's pages (AppTest), so the mutation run (``make mutation``) can leave
    them out; ``make test`` runs them.

    Under mutmut, which stops at the first failure, a mutant of ``workbench/<module>.py``
    meets that module's own tests first, then the others fastest first (mutmut's timings)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "national" in fixtures:
            item.add_marker(pytest.mark.national_data)
        if "app_env" in fixtures:
            item.add_marker(pytest.mark.app)
    under_test = os.environ.get("MUTANT_UNDER_TEST")
    if under_test is None or not Path("mutmut-stats.json").exists():
        return
    timings = _mutmut_timings()
    mutant = re.match(r"workbench\.(\w+)\.", under_test)
    if mutant:
        own = f"tests/test_{mutant.group(1)}.py::"
        items.sort(key=lambda item: (not item.nodeid.startswith(own),
                                     timings.get(item.nodeid, 60.0)))
