"""The home page's numbers, on a small hand-built region, and the indexes behind them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework_helpers import coordinator
from tests.conftest import TODAY, assert_no_full_scan
from workbench import access, auth, overview, pipeline
from workbench.db import write
from workbench.errors import UserError

MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def add_person(db, coordinator, stage, municipality="Kranj", group="dsp", entry=None):
    mid = db.execute("SELECT id FROM municipalities WHERE name = ?", [municipality]).fetchone()[0]
    with write(db):
        return db.execute(
            "INSERT INTO participants (first_name, last_name, sex, birth_date, municipality_id, "
            "target_group, referral_source, referral_date, coordinator_id, stage, stage_since, "
            "entry_date, created_at, updated_at) VALUES ('Oseba', ?, 'F', '1980-01-01', ?, ?, "
            "'csd', '2026-01-05', ?, ?, '2026-02-01', ?, '2026-01-05', '2026-01-05')",
            [f"{stage}-{coordinator}", mid, group, coordinator, stage, entry]).lastrowid


def add_task(db, person, coordinator, due, done=None, kind="follow_up_4w"):
    with write(db):
        db.execute("INSERT INTO tasks (participant_id, kind, due_date, done_at, assigned_to, "
                   "created_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')",
                   [person, kind, due.isoformat(), done, coordinator])


def add_session(db, coordinator, day, kind="individual", person=None, hours=1.0):
    with write(db):
        return db.execute(
            "INSERT INTO sessions (kind, coordinator_id, participant_id, municipality_id, title, "
            "date, start_time, hours) VALUES (?, ?, ?, 8, 'Srečanje', ?, '10:00', ?)",
            [kind, coordinator, person, day.isoformat(), hours]).lastrowid


@pytest.fixture
def small_region(memory_db):
    db = memory_db
    ana_user = auth.create_user(db, "ana", "Ana", "coordinator", "varno-geslo", unit_code="kranj")
    maja_user = auth.create_user(db, "maja", "Maja", "coordinator", "varno-geslo",
                                 unit_code="jesenice")
    ana, maja = ana_user.id, maja_user.id
    people = {}
    for stage in ("referred", "referred", "motivation", "in_programme", "follow_up_6m", "closed"):
        people.setdefault(stage, []).append(add_person(db, ana, stage, entry="2026-03-01"))
    other = add_person(db, maja, "referred", municipality="Jesenice", group="roma_women")
    first = people["referred"][0]
    add_task(db, first, ana, TODAY - dt.timedelta(days=3))                    # overdue
    add_task(db, first, ana, TODAY - dt.timedelta(days=10), done="2026-11-12")  # done
    add_task(db, first, ana, TODAY + dt.timedelta(days=2))                    # not yet due
    add_task(db, other, maja, TODAY - dt.timedelta(days=1))                   # Maja's
    add_session(db, ana, MONDAY, person=first)
    add_session(db, ana, MONDAY + dt.timedelta(days=6), kind="mobile_unit", hours=3)
    add_session(db, ana, MONDAY - dt.timedelta(days=1))                       # last week
    add_session(db, maja, MONDAY)
    return db, ana_user, maja_user, first


def test_coordinator_sees_her_own_active_cases_by_stage(small_region):
    db, ana, _, _ = small_region
    ov = overview.coordinator_overview(db, ana, ana.id, TODAY)
    assert ov.stage_counts["referred"] == 2
    assert ov.stage_counts["motivation"] == 1 and ov.stage_counts["in_programme"] == 1
    assert "closed" not in ov.stage_counts and "follow_up_6m" not in ov.stage_counts
    assert ov.active_cases == 4


def test_coordinator_sees_only_this_weeks_sessions(small_region):
    db, ana, _, first = small_region
    ov = overview.coordinator_overview(db, ana, ana.id, TODAY)
    assert (ov.week_start, ov.week_end) == (MONDAY, MONDAY + dt.timedelta(days=6))
    assert [s.kind for s in ov.week_sessions] == ["individual", "mobile_unit"]
    assert ov.week_sessions[0].participant == f"Oseba referred-{ana.id}"


def test_overdue_lists_only_open_past_due_tasks_of_the_coordinator(small_region):
    db, ana, maja, _ = small_region
    ov = overview.coordinator_overview(db, ana, ana.id, TODAY)
    assert [(t.days_overdue, t.kind) for t in ov.overdue] == [(3, "follow_up_4w")]
    assert len(overview.coordinator_overview(db, maja, maja.id, TODAY).overdue) == 1


def test_region_totals_count_everyone_and_name_no_one(small_region):
    db, ana, *_ = small_region
    ov = overview.region_overview(db, ana, TODAY, "gorenjska")
    assert ov.participants_total == 7
    assert ov.active_cases == 5
    assert ov.overdue_tasks == 2
    assert ov.sessions_this_week == 3
    assert ov.included_this_year == 6
    # Breakdowns show counts from 1 to 4 as "<5"; totals and zeros as they are.
    assert ov.unit_counts == {"CSD Gorenjska, enota Jesenice": "<5",
                              "CSD Gorenjska, enota Kranj": "<5"}
    assert ov.target_group_counts["roma_women"] == "<5"
    assert ov.target_group_counts["women_language_barrier"] == 0
    assert "<5" in ov.stage_counts.values()
    text = repr(ov)
    assert "Oseba" not in text and "referred-" not in text


def test_hours_this_month_sum_the_attendance_list(small_region):
    db, ana, _, first = small_region
    session = add_session(db, ana.id, TODAY.replace(day=2), hours=4)
    earlier = add_session(db, ana.id, TODAY.replace(day=1) - dt.timedelta(days=1), hours=4)
    with write(db):
        db.execute("INSERT INTO attendance (session_id, participant_id, hours) VALUES (?, ?, 3.5)",
                   [session, first])
        db.execute("INSERT INTO attendance (session_id, participant_id, hours) VALUES (?, ?, 4)",
                   [earlier, first])
    assert overview.region_overview(db, ana, TODAY).hours_this_month == 3.5


@pytest.mark.parametrize("name", ["coordinator", "region"])
def test_home_queries_use_indexes_on_the_large_tables(national, name):
    params = overview.query_params(TODAY, coordinator_id=1)
    for sql in overview.ALL_QUERIES[name]:
        assert_no_full_scan(national, sql, params)


def test_the_region_chart_counts_the_same_active_cases_as_its_headline(db):
    ov = overview.region_overview(db, coordinator(db, "vodja"), TODAY, "gorenjska")
    assert set(ov.stage_counts) == set(pipeline.ACTIVE)
    assert sum(ov.stage_counts.values()) == ov.active_cases
    assert ov.participants_total == db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    assert ov.participants_total > ov.active_cases


def test_names_of_people_need_casework_rights(small_region):
    db, ana, maja, _ = small_region
    boss = auth.create_user(db, "vodja", "Vodja", "manager", "varno-geslo")
    with pytest.raises(access.Forbidden):
        overview.coordinator_overview(db, boss, ana.id, TODAY)
    gone = auth.create_user(db, "bivsa", "Bivša", "coordinator", "varno-geslo", unit_code="kranj")
    from workbench import accounts

    admin = auth.create_user(db, "admin", "Admin", "admin", "varno-geslo")
    accounts.deactivate(db, admin, gone.id)
    gone = auth.get_user(db, gone.id)
    for call in (lambda: overview.coordinator_overview(db, gone, gone.id, TODAY),
                 lambda: overview.region_overview(db, gone, TODAY)):
        with pytest.raises(access.Forbidden):
            call()
    # Totals are for every active account of the area, names for its casework.
    assert overview.region_overview(db, boss, TODAY).participants_total == 7
    assert overview.coordinator_overview(db, maja, ana.id, TODAY).active_cases == 4


def test_small_counts_show_as_below_the_threshold_of_the_dated_rule(small_region):
    from workbench import disclosure
    db, *_ = small_region
    limit = disclosure.threshold(db, TODAY)
    assert limit == 5
    assert [disclosure.shown(n, limit) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    with write(db):
        db.execute("INSERT INTO rules (name, value, effective_from) VALUES "
                   "('small_count_threshold', 3, ?)", [TODAY.isoformat()])
    assert disclosure.shown(4, disclosure.threshold(db, TODAY)) == 4


def test_the_region_overview_and_the_workload_refuse_no_area(small_region):
    """Both exist per area only: no area is refused -- Forbidden for an area account (no
    country for it), "choose an area" for a national one (their queries would count
    nobody and show zeros)."""
    from workbench import board
    db, ana, _, _ = small_region
    national = auth.User(0, "drzava", "Država", "manager", None, None, True)
    for call in (overview.region_overview, lambda d, u, day, area: board.workload(
            d, u, area, day)):
        with pytest.raises(access.Forbidden):
            call(db, ana, TODAY, None)
        with pytest.raises(UserError) as refused:
            call(db, national, TODAY, None)
        assert refused.value.key == "error.area_required"
        assert call(db, national, TODAY, "gorenjska")  # an area named: its figures
