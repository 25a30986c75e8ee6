"""The query-plan check of the tests itself: every SCAN of a large table is caught, whatever
alias or index the plan names it by, and a SEARCH passes."""

from __future__ import annotations

import pytest

from tests.conftest import assert_no_full_scan, scanned_tables

HISTORY = "SELECT h.to_stage FROM participants p JOIN stage_history AS h ON h.participant_id = p.id"


def test_a_scan_of_a_large_table_through_an_index_under_an_alias_is_caught(memory_db):
    plan = ["SCAN h USING INDEX idx_stage_history_participant",
            "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"]
    assert scanned_tables(memory_db, HISTORY, plan) == [(plan[0], {"stage_history"})]
    # The alias alone names the table too (no index), and a covering index is no excuse.
    assert scanned_tables(memory_db, HISTORY, ["SCAN h"]) == [("SCAN h", {"stage_history"})]
    covering = "SCAN x USING COVERING INDEX idx_stage_history_participant"
    assert scanned_tables(memory_db, "SELECT 1 FROM stage_history x", [covering]) == [
        (covering, {"stage_history"})]


def test_a_real_plan_that_passes_over_a_large_table_fails_and_a_seek_passes(memory_db):
    with pytest.raises(AssertionError, match="SCAN h"):
        assert_no_full_scan(memory_db, "SELECT h.participant_id, h.changed_at FROM "
                                       "stage_history h ORDER BY h.participant_id", {})
    assert_no_full_scan(memory_db, "SELECT h.to_stage FROM stage_history h "
                                   "WHERE h.participant_id = :p", {"p": 1})
    # A small table may be scanned, under any alias.
    assert_no_full_scan(memory_db, "SELECT u.id FROM users u", {})


def test_ctes_and_subqueries_are_not_tables_and_an_unknown_name_is_an_error(memory_db):
    sql = "WITH moves AS (SELECT 1) SELECT * FROM moves"
    assert scanned_tables(memory_db, sql, ["SCAN moves", "SCAN (subquery-1)",
                                           "SCAN CONSTANT ROW"]) == [
        ("SCAN moves", set()), ("SCAN (subquery-1)", set()), ("SCAN CONSTANT ROW", set())]
    with pytest.raises(AssertionError, match="does not name"):
        scanned_tables(memory_db, HISTORY, ["SCAN q"])
