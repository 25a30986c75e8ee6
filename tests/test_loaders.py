"""Cached reads: one connection per run, and a write clears only the reads of what it wrote."""

from __future__ import annotations

import pytest
import streamlit as st

from workbench.ui import loaders


def test_a_write_clears_the_reads_of_the_tables_it_wrote_and_no_others(app_env):
    calls = {"contacts": 0, "programmes": 0}

    def contacts(db):
        calls["contacts"] += 1
        return db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]

    def programmes(db):
        calls["programmes"] += 1
        return db.execute("SELECT COUNT(*) FROM programmes").fetchone()[0]
    load_contacts = loaders.cached(contacts, reads=("contacts",))
    load_programmes = loaders.cached(programmes, reads=("programmes",))
    with loaders.run_connection():
        for _ in range(2):
            load_contacts()
            load_programmes()
        assert calls == {"contacts": 1, "programmes": 1}
        loaders.after_write({"contacts", "audit_log"})
        load_contacts()
        load_programmes()
    assert calls == {"contacts": 2, "programmes": 1}
    st.cache_data.clear()


def test_the_written_tables_come_from_the_audit_log(db):
    from tests.casework_helpers import coordinator
    from tests.conftest import TODAY
    from workbench import casework

    ana = coordinator(db)
    pid = db.execute("SELECT id FROM participants WHERE coordinator_id = ? LIMIT 1",
                     [ana.id]).fetchone()[0]
    since = loaders.last_audit_id(db)
    casework.add_contact(db, ana, pid, on=TODAY, kind="phone", note="Klic", today=TODAY)
    assert loaders.written_since(db, since) == {"contacts"}


def test_the_run_connection_is_one_and_closes_with_the_run(app_env):
    with loaders.run_connection():
        first = loaders.connection()
        assert loaders.connection() is first
    with pytest.raises(Exception, match="closed"):
        first.execute("SELECT 1")
    with pytest.raises(RuntimeError):
        loaders.connection()
