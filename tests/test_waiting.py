"""A programme's waiting list (workbench.waiting): put on it once, in order; taken off it;
a freed place offered to the first person waiting, with a task for her coordinator. Every
change is in the change log, under the person it is about."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import (
    a_person,
    a_programme,
    audit_mark,
    audited_since,
    coordinator,
)
from tests.conftest import TODAY
from workbench import waiting
from workbench.transactions import write

PROGRAMME = "Testni program"  # ``a_programme``'s name
OFFER_DAYS = 7                # the rule waiting_offer_days: a week to offer the place


@pytest.fixture
def ana(db):
    return coordinator(db, "ana.kos")


@pytest.fixture
def programme(db, ana):
    return a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                       end=dt.date(2027, 3, 31))


def add(db, user_id, programme_id, pid, on):
    with write(db):
        return waiting.add(db, user_id, programme_id, pid, on)


def test_she_is_put_on_the_list_once_in_order_and_it_is_logged(db, ana, programme):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    day = TODAY - dt.timedelta(days=5)
    mark = audit_mark(db)
    entry = add(db, ana.id, programme, first, day)
    assert (entry.participant_id, entry.name, entry.stage, entry.added_on, entry.status,
            entry.offered_on, entry.offer_until, entry.position) == (
        first, "Ana Testna", "motivation", day.isoformat(), "waiting", None, None, 1)
    logged = audited_since(db, mark)
    assert {(r[0], r[1], r[2], r[3], r[4]) for r in logged} == {
        (ana.id, "waiting_list", entry.id, first, "create")}
    assert {r[5]: r[7] for r in logged if r[5] != "created_at"} == {
        "programme_id": str(programme), "participant_id": str(first),
        "added_on": day.isoformat(), "status": "waiting", "created_by": str(ana.id)}
    assert "created_at" in {r[5] for r in logged}
    assert add(db, ana.id, programme, second, TODAY).position == 2
    # Put on it again, she keeps her entry and her place in the queue.
    mark = audit_mark(db)
    assert add(db, ana.id, programme, first, TODAY) == entry
    assert audited_since(db, mark) == []
    assert [(w.participant_id, w.position) for w in waiting.entries(db, programme)] == [
        (first, 1), (second, 2)]


def test_waiting_for_one_programme_is_no_place_on_anothers_list(db, ana, programme):
    other = a_programme(db, ana, capacity=1, start=dt.date(2026, 10, 5),
                        end=dt.date(2027, 3, 31), name="Drugi program")
    pid = a_person(db, ana, "Ana")
    here = add(db, ana.id, other, pid, TODAY)
    there = add(db, ana.id, programme, pid, TODAY)
    assert here.id != there.id and there.position == 1
    assert waiting.entry_of(db, programme, pid) == there
    assert waiting.entry_of(db, other, pid) == here


@pytest.mark.parametrize("status", ["enrolled", "withdrawn"])
def test_taking_her_off_the_list_is_logged_by_who_did_it(db, ana, programme, status):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    entry = add(db, ana.id, programme, first, TODAY)
    add(db, ana.id, programme, second, TODAY)
    mark = audit_mark(db)
    with write(db):
        waiting.close(db, ana.id, programme, first, status, TODAY)
    assert [(w.participant_id, w.position) for w in waiting.entries(db, programme)] == [
        (second, 1)]
    assert audited_since(db, mark) == [
        (ana.id, "waiting_list", entry.id, first, "update", "status", "waiting", status),
        (ana.id, "waiting_list", entry.id, first, "update", "closed_on", None,
         TODAY.isoformat())]


def test_a_freed_place_is_offered_to_the_first_waiting_with_a_task_for_her_coordinator(
        db, ana, programme):
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    entry = add(db, ana.id, programme, first, TODAY - dt.timedelta(days=9))
    add(db, ana.id, programme, second, TODAY - dt.timedelta(days=3))
    mark = audit_mark(db)
    with write(db):
        assert waiting.offer_freed_place(db, programme, TODAY) == first
    assert [(w.participant_id, w.status, w.offered_on) for w in waiting.entries(
        db, programme)] == [(first, "offered", TODAY.isoformat()), (second, "waiting", None)]
    due = (TODAY + dt.timedelta(days=OFFER_DAYS)).isoformat()  # 29 November 2026
    task = db.execute("SELECT id, kind, title, due_date, assigned_to, done_at FROM tasks "
                      "WHERE participant_id = ?", [first]).fetchall()
    assert [t[1:] for t in task] == [
        ("other", f"Ponudite prosto mesto: {PROGRAMME}", due, ana.id, None)]
    # The system made both changes (no user), each under the person it is about.
    logged = audited_since(db, mark)
    assert [r for r in logged if r[1].lower() == "waiting_list"] == [
        (None, "waiting_list", entry.id, first, "update", "status", "waiting", "offered"),
        (None, "waiting_list", entry.id, first, "update", "offered_on", None,
         TODAY.isoformat()),
        (None, "waiting_list", entry.id, first, "update", "offer_until", None, due),
        (None, "waiting_list", entry.id, first, "update", "offer_task_id", None,
         str(task[0][0]))]
    created = [r for r in logged if r[1].lower() == "tasks"]
    assert {(r[0], r[1], r[2], r[3], r[4]) for r in created} == {
        (None, "tasks", task[0][0], first, "create")}
    assert {r[5]: r[7] for r in created if r[5] != "created_at"} == {
        "participant_id": str(first), "kind": "other",
        "title": f"Ponudite prosto mesto: {PROGRAMME}", "due_date": due,
        "assigned_to": str(ana.id)}
    assert "created_at" in {r[5] for r in created}
    # Its one place is held for her: nothing more to offer until it frees again.
    with write(db):
        assert waiting.offer_freed_place(db, programme, TODAY) is None
    with write(db):
        db.execute("UPDATE programmes SET capacity = 2 WHERE id = ?", [programme])
        assert waiting.offer_freed_place(db, programme, TODAY) == second
        assert waiting.offer_freed_place(db, programme, TODAY) is None


def test_the_offer_is_due_a_week_after_the_place_is_freed(db, ana, programme):
    pid = a_person(db, ana, "Ana")
    add(db, ana.id, programme, pid, TODAY - dt.timedelta(days=30))
    freed = TODAY - dt.timedelta(days=10)
    with write(db):
        waiting.offer_freed_place(db, programme, freed)
    assert db.execute("SELECT due_date FROM tasks WHERE participant_id = ?",
                      [pid]).fetchone()[0] == "2026-11-19"


def test_an_offer_keeps_the_days_of_the_rule_in_force_when_it_was_made(db, ana, programme):
    """The rule changes by decree (14 days from 1 December 2026): an offer made before keeps
    its week, one made on the day of the change gets the new fortnight."""
    first, second = (a_person(db, ana, n) for n in ("Ana", "Bina"))
    add(db, ana.id, programme, first, TODAY - dt.timedelta(days=30))
    add(db, ana.id, programme, second, TODAY - dt.timedelta(days=20))
    change = dt.date(2026, 12, 1)
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from, note) VALUES "
                   "('waiting_offer_days', 14, ?, 'test')", [change.isoformat()])
        waiting.offer_freed_place(db, programme, change - dt.timedelta(days=1))
        db.execute("UPDATE programmes SET capacity = 2 WHERE id = ?", [programme])
        waiting.offer_freed_place(db, programme, change)
    assert [(w.participant_id, w.offer_until) for w in waiting.entries(db, programme)] == [
        (first, "2026-12-07"), (second, "2026-12-15")]
    # The first offer lapses after its own last day, whatever the rule says now.
    assert [w.participant_id for w in waiting.held(db, programme, dt.date(2026, 12, 7))] == [
        first, second]
    assert [w.participant_id for w in waiting.held(db, programme, dt.date(2026, 12, 8))] == [
        second]
    with write(db):
        assert waiting.settle(db, programme, dt.date(2026, 12, 8)) == []  # nobody else waits
    assert db.execute("SELECT status FROM waiting_list WHERE participant_id = ?",
                      [first]).fetchone()[0] == "lapsed"
    assert waiting.free_places(db, programme, dt.date(2026, 12, 8)) == 1
    assert waiting.free_places(db, programme, dt.date(2026, 12, 8), for_person=second) == 2
