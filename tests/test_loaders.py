"""Cached reads: one connection per run, keyed by the versions of the tables they read."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.casework_helpers import coordinator, person_of
from tests.conftest import ROOT, TODAY
from workbench import casework, environment
from workbench.db import open_db, write
from workbench.ui import loaders


def _counting_loaders():
    calls = {"contacts": 0, "programmes": 0}

    def contacts(db):
        calls["contacts"] += 1
        return db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]

    def programmes(db):
        calls["programmes"] += 1
        return db.execute("SELECT COUNT(*) FROM programmes").fetchone()[0]
    return (calls, loaders.cached(contacts, reads=("contacts",)),
            loaders.cached(programmes, reads=("programmes",)))


def _someone(db):
    ana = coordinator(db)
    return ana, person_of(db)


def test_a_saved_change_is_read_anew_and_other_tables_stay_cached(app_env):
    calls, load_contacts, load_programmes = _counting_loaders()
    with loaders.run_connection():
        before = load_contacts()
        load_programmes()
        load_contacts()
        assert calls == {"contacts": 1, "programmes": 1}
        ana, pid = _someone(loaders.connection())
        casework.add_contact(loaders.connection(), ana, pid, on=TODAY, kind="phone",
                             note="Klic", today=TODAY)
        loaders.after_write()  # the rest of this run sees the change
        assert load_contacts() == before + 1
        load_programmes()
    assert calls == {"contacts": 2, "programmes": 1}


def test_a_change_saved_by_another_server_process_is_seen_on_the_next_run(app_env):
    calls, load_contacts, load_programmes = _counting_loaders()
    with loaders.run_connection():
        before = load_contacts()
        load_programmes()
    script = ("import sys, datetime as dt; from workbench import auth, casework; "
              "from workbench.db import open_db; db = open_db(sys.argv[1]); "
              "ana = next(u for u in auth.list_users(db) if u.username == 'ana.kos'); "
              "pid = db.execute('SELECT id FROM participants WHERE coordinator_id = ? LIMIT 1', "
              "[ana.id]).fetchone()[0]; casework.add_contact(db, ana, pid, "
              "on=dt.date.fromisoformat(sys.argv[2]), kind='phone', note='Klic', "
              "today=dt.date.fromisoformat(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", script, str(app_env), TODAY.isoformat()],
                   cwd=ROOT, check=True)
    with loaders.run_connection():
        assert load_contacts() == before + 1
        load_programmes()
    assert calls == {"contacts": 2, "programmes": 1}


def test_a_refilled_training_database_is_read_anew_whatever_it_holds(app_env):
    calls, load_contacts, load_programmes = _counting_loaders()
    with loaders.run_connection():
        load_contacts()
        load_programmes()
    db = open_db(app_env)
    with write(db):
        environment.clear_records(db)  # the seed empties (and refills) without the audit log
    with loaders.run_connection():
        assert load_contacts() == 0
        load_programmes()
    assert calls == {"contacts": 2, "programmes": 2}


def test_the_run_connection_is_one_and_closes_with_the_run(app_env):
    with loaders.run_connection():
        first = loaders.connection()
        assert loaders.connection() is first
    with pytest.raises(Exception, match="closed"):
        first.execute("SELECT 1")
    with pytest.raises(RuntimeError):
        loaders.connection()
