"""The caseload board and the workload view: what is on them, and that their queries seek."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import coordinator, municipality_id, valid_form
from tests.conftest import TODAY, assert_no_full_scan
from workbench import board, casework, participants, pipeline
from workbench.board import Filters


def card_ids(b: board.Board) -> set[int]:
    return {c.id for cards in b.columns.values() for c in cards}


def test_board_has_a_column_per_active_stage_with_her_people_only(db):
    ana = coordinator(db)
    b = board.caseload_board(db, ana, ana.id, TODAY)
    assert b.stages == pipeline.ACTIVE
    expected = {r[0]: r[1] for r in db.execute(
        "SELECT id, stage FROM participants WHERE coordinator_id = ? AND stage IN "
        f"({','.join('?' * len(pipeline.ACTIVE))})", [ana.id, *pipeline.ACTIVE])}
    assert card_ids(b) == set(expected)
    for stage, cards in b.columns.items():
        assert all(expected[c.id] == stage for c in cards)
    assert b.counts == {s: sum(1 for v in expected.values() if v == s) for s in b.stages}


def test_card_shows_days_in_stage_next_task_and_overdue(db):
    ana = coordinator(db)
    pid, _ = participants.create_person(
        db, ana, valid_form(db, referral_date=TODAY - dt.timedelta(days=9)),
        coordinator_id=ana.id, today=TODAY)
    # Set a week ago, due two days ago.
    casework.add_task(db, ana, pid, "Poklicati", TODAY - dt.timedelta(days=2),
                      today=TODAY - dt.timedelta(days=7))
    casework.add_task(db, ana, pid, "Obisk", TODAY + dt.timedelta(days=5),
                      today=TODAY)
    card = next(c for c in board.caseload_board(db, ana, ana.id, TODAY).columns["referred"]
                if c.id == pid)
    assert (card.name, card.municipality, card.days_in_stage) == ("Cvetka Žagar", "Kranj", 9)
    assert card.next_due == TODAY - dt.timedelta(days=2) and card.overdue


def her_active_people(db, coordinator_id: int, condition: str = "1", *params) -> set[int]:
    """Her people in an active stage that meet ``condition`` (SQL on ``p``), counted here."""
    return {r[0] for r in db.execute(
        "SELECT p.id FROM participants p WHERE p.coordinator_id = ? AND p.stage IN "
        f"({','.join('?' * len(pipeline.ACTIVE))}) AND {condition}",
        [coordinator_id, *pipeline.ACTIVE, *params])}


def test_filters_narrow_the_board(db):
    ana = coordinator(db)
    everyone = board.caseload_board(db, ana, ana.id, TODAY)
    all_cards = [c for cards in everyone.columns.values() for c in cards]
    overdue = board.caseload_board(db, ana, ana.id, TODAY, Filters(overdue_only=True))
    # Overdue: an open task of hers due before today, whoever it is assigned to.
    late = her_active_people(db, ana.id, "EXISTS (SELECT 1 FROM tasks t WHERE "
                             "t.participant_id = p.id AND t.done_at IS NULL AND "
                             "t.due_date < ?)", TODAY.isoformat())
    assert card_ids(overdue) == late and 0 < len(late) < len(all_cards)
    assert {c.id for c in all_cards if c.overdue} == late
    by_group = board.caseload_board(db, ana, ana.id, TODAY, Filters(target_group="dsp"))
    dsp = her_active_people(db, ana.id, "p.target_group = 'dsp'")
    assert card_ids(by_group) == dsp and 0 < len(dsp) < len(all_cards)
    kranj = board.caseload_board(db, ana, ana.id, TODAY,
                                 Filters(municipality_id=municipality_id(db)))
    assert all(c.municipality == "Kranj" for cs in kranj.columns.values() for c in cs)
    name = all_cards[0].name
    found = board.caseload_board(db, ana, ana.id, TODAY, Filters(search=name.upper()))
    assert all_cards[0].id in card_ids(found) and len(card_ids(found)) < len(all_cards)
    with_programme = next(c for c in all_cards if c.programme)
    pid = db.execute("SELECT programme_id FROM enrolments WHERE participant_id = ? "
                     "ORDER BY contract_date DESC, id DESC", [with_programme.id]).fetchone()[0]
    assert with_programme.id in card_ids(
        board.caseload_board(db, ana, ana.id, TODAY, Filters(programme_id=pid)))


def test_finished_cases_show_only_when_asked_and_only_recent_ones(db):
    ana = coordinator(db)
    b = board.caseload_board(db, ana, ana.id, TODAY, Filters(include_finished=True))
    assert b.stages[-2:] == board.FINISHED_STAGES
    recent = TODAY - dt.timedelta(days=board.FINISHED_VISIBLE_DAYS)
    for stage in board.FINISHED_STAGES:
        assert all(TODAY - dt.timedelta(days=c.days_in_stage) >= recent for c in b.columns[stage])


def test_workload_compares_the_area_coordinators(db):
    rows = board.workload(db, coordinator(db), "gorenjska", TODAY)
    assert [r.coordinator for r in rows] == sorted(r.coordinator for r in rows)
    ana = next(r for r in rows if r.coordinator_id == coordinator(db).id)
    assert ana.active_cases == board.caseload_board(db, coordinator(db), ana.coordinator_id,
                                                    TODAY).total
    month = TODAY.replace(day=1).isoformat()
    assert ana.new_referrals == db.execute(
        "SELECT COUNT(*) FROM participants WHERE coordinator_id = ? AND referral_date >= ?",
        [ana.coordinator_id, month]).fetchone()[0]
    assert ana.overdue_tasks == db.execute(
        "SELECT COUNT(*) FROM tasks WHERE assigned_to = ? AND done_at IS NULL AND due_date < ?",
        [ana.coordinator_id, TODAY.isoformat()]).fetchone()[0]


@pytest.mark.parametrize("filters", [
    Filters(), Filters(overdue_only=True, search="ana"), Filters(include_finished=True),
    Filters(unit="kranj", target_group="dsp", programme_id=1, municipality_id=1)])
def test_board_query_uses_indexes_on_national_data(national, filters):
    sql, params = board.board_query(1, TODAY, filters)
    assert_no_full_scan(national, sql, params)


def test_workload_and_record_queries_use_indexes_on_national_data(national):
    assert_no_full_scan(national, board.WORKLOAD_SQL, board.workload_params("gorenjska", TODAY))
    pid = national.execute("SELECT MAX(id) FROM participants").fetchone()[0]
    for sql in (participants.PERSON_SQL, *casework.RECORD_QUERIES):
        assert_no_full_scan(national, sql, {"participant": pid})


def test_a_person_edit_keeps_the_board_in_step(db):
    ana = coordinator(db)
    card = board.caseload_board(db, ana, ana.id, TODAY).columns["referred"][0]
    person = participants.get_person(db, coordinator(db), card.id)
    participants.update_person(db, ana, card.id, person.version, {"last_name": "Novakova"},
                               today=TODAY)
    cards = board.caseload_board(db, ana, ana.id, TODAY).columns["referred"]
    names = {c.id: c.name for c in cards}
    assert names[card.id].endswith("Novakova")
