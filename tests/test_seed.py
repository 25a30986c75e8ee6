"""Training data: realistic, deterministic, marked as fictitious, never mixed with real records."""

from __future__ import annotations

import datetime as dt

import pytest

import seed
from seed.names import ALBANIAN_FEMALE_GIVEN_NAMES, ALBANIAN_SURNAMES
from tests.conftest import TODAY
from workbench import auth, emso, environment, overview
from workbench.db import open_db, write
from workbench.vocab import STAGES, TARGET_GROUPS

TABLES = ("users", "municipalities", "csd_units", "providers", "programmes", "participants",
          "stage_history", "enrolments", "sessions", "attendance", "tasks", "meta")


def dump(db) -> dict[str, list[tuple]]:
    out = {}
    for table in TABLES:
        columns = [c.name for c in db[table].columns if c.name != "password_hash"]
        out[table] = db.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
    return out


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("region") / "g.db", create=True)
    seed.populate(db, scale="gorenjska", seed=7, today=TODAY)
    return db


def scalar(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


def test_same_arguments_give_identical_data(tmp_path):
    first, second = open_db(tmp_path / "a.db", create=True), open_db(tmp_path / "b.db", create=True)
    seed.populate(first, seed=11, today=TODAY)
    seed.populate(second, seed=11, today=TODAY)
    assert dump(first) == dump(second)


def test_another_seed_or_day_gives_other_people(tmp_path):
    a, b, c = (open_db(tmp_path / f"{n}.db", create=True) for n in "abc")
    seed.populate(a, seed=11, today=TODAY)
    seed.populate(b, seed=12, today=TODAY)
    seed.populate(c, seed=11, today=TODAY + dt.timedelta(days=30))
    names = [db.execute("SELECT first_name, last_name FROM participants").fetchall()
             for db in (a, b)]
    assert names[0] != names[1]
    assert scalar(c, "SELECT MAX(referral_date) FROM participants") > \
        scalar(a, "SELECT MAX(referral_date) FROM participants")


def test_region_has_people_across_municipalities_groups_and_stages(region):
    assert 330 <= scalar(region, "SELECT COUNT(*) FROM participants") <= 370
    used = scalar(region, "SELECT COUNT(DISTINCT municipality_id) FROM participants")
    assert used == 18
    # Spread roughly by population: Kranj has the most people, Jezersko the fewest.
    by_muni = dict(region.execute(
        "SELECT m.name, COUNT(*) FROM participants p JOIN municipalities m "
        "ON m.id = p.municipality_id GROUP BY m.name").fetchall())
    assert max(by_muni, key=by_muni.get) == "Kranj"
    assert by_muni["Jezersko"] < by_muni["Kranj"] / 10
    groups = {r[0] for r in region.execute("SELECT DISTINCT target_group FROM participants")}
    assert groups == set(TARGET_GROUPS)
    stages = {r[0] for r in region.execute("SELECT DISTINCT stage FROM participants")}
    assert stages == set(STAGES)


def test_albanian_women_cohort_in_jesenice(region):
    rows = region.execute(
        "SELECT p.first_name, p.last_name, p.sex, m.name, p.language, p.migrant "
        "FROM participants p JOIN municipalities m ON m.id = p.municipality_id "
        "WHERE p.target_group = 'women_language_barrier'").fetchall()
    assert len(rows) >= 15
    for first, last, sex, municipality, language, migrant in rows:
        assert first in ALBANIAN_FEMALE_GIVEN_NAMES and last in ALBANIAN_SURNAMES
        assert (sex, municipality, language, migrant) == ("F", "Jesenice", "sq", "yes")
    assert scalar(region, "SELECT COUNT(*) FROM enrolments e JOIN programmes p "
                          "ON p.id = e.programme_id WHERE p.name LIKE 'OrientAkcija%'") > 0


def test_programmes_of_all_types_with_groups_near_fifteen(region):
    types = {r[0] for r in region.execute("SELECT DISTINCT type FROM programmes")}
    assert types == {"short", "intermediate", "long"}
    assert scalar(region, "SELECT COUNT(DISTINCT provider_id) FROM programmes") >= 5
    assert 10 <= scalar(region, "SELECT COUNT(*) FROM programmes") <= 25
    # Largest group present on any one day, per programme.
    largest = [r[0] for r in region.execute("""
        SELECT MAX(n) FROM (
          SELECT s.programme_id, s.id, COUNT(a.id) n FROM sessions s
          JOIN attendance a ON a.session_id = s.id WHERE s.kind = 'group'
          GROUP BY s.id) GROUP BY programme_id""")]
    assert max(largest) <= 20 and sorted(largest)[len(largest) // 2] >= 10


def test_two_years_of_sessions_and_hours_based_attendance(region):
    first, last = region.execute("SELECT MIN(date), MAX(date) FROM sessions").fetchone()
    assert dt.date.fromisoformat(first) <= TODAY - dt.timedelta(days=2 * 365 - 60)
    assert dt.date.fromisoformat(last) > TODAY
    # Attendance only for sessions that have happened, never more than the session lasted.
    assert scalar(region, "SELECT COUNT(*) FROM attendance a JOIN sessions s "
                          "ON s.id = a.session_id WHERE s.date > ?", [TODAY.isoformat()]) == 0
    assert scalar(region, "SELECT COUNT(*) FROM attendance a JOIN sessions s "
                          "ON s.id = a.session_id WHERE a.hours > s.hours") == 0
    assert scalar(region, "SELECT SUM(hours) FROM attendance") > 10_000


def test_dates_make_sense_relative_to_today(region):
    assert scalar(region, "SELECT COUNT(*) FROM participants WHERE referral_date > ? "
                          "OR stage_since > ? OR stage_since < referral_date",
                  [TODAY.isoformat()] * 2) == 0
    assert scalar(region, "SELECT COUNT(*) FROM participants WHERE exit_date < entry_date") == 0
    # Every exit has its destination; a case closed before inclusion has its reason.
    assert scalar(region, "SELECT COUNT(*) FROM participants WHERE stage IN "
                          "('exited', 'follow_up_4w', 'follow_up_6m') "
                          "AND exit_destination IS NULL") == 0
    assert scalar(region, "SELECT COUNT(*) FROM participants WHERE stage = 'closed' "
                          "AND exit_reason IS NULL") == 0
    # Stage history ends in the current stage.
    assert scalar(region, """SELECT COUNT(*) FROM participants p WHERE p.stage !=
        (SELECT to_stage FROM stage_history h WHERE h.participant_id = p.id
         ORDER BY changed_at DESC, id DESC LIMIT 1)""") == 0


def test_each_demo_coordinator_has_sessions_this_week_and_some_overdue(region):
    overdue_total = 0
    for user in auth.list_users(region, "coordinator"):
        ov = overview.coordinator_overview(region, user.id, TODAY)
        assert ov.active_cases > 30
        assert ov.week_sessions, user.username
        overdue_total += len(ov.overdue)
    assert overdue_total > 0


def test_personal_numbers_are_valid_and_unique(region):
    codes = [r[0] for r in region.execute("SELECT emso FROM participants WHERE emso IS NOT NULL")]
    assert len(codes) > 300 and len(set(codes)) == len(codes)
    assert all(emso.is_valid(c) for c in codes)


def test_demo_accounts_sign_in_with_the_documented_password(region):
    for username, _, role, _ in seed.DEMO_USERS:
        user = auth.authenticate(region, username, seed.DEMO_PASSWORD)
        assert user is not None and user.role == role


def test_seeded_database_says_it_is_training(region):
    assert environment.is_training(region)


def test_reseeding_a_training_database_replaces_it(tmp_path):
    db = open_db(tmp_path / "t.db", create=True)
    seed.populate(db, seed=1, today=TODAY)
    seed.populate(db, seed=1, today=TODAY)
    assert 330 <= scalar(db, "SELECT COUNT(*) FROM participants") <= 370
    assert scalar(db, "SELECT COUNT(*) FROM users") == len(seed.DEMO_USERS)


def test_seed_refuses_a_database_with_real_records(tmp_path):
    db = open_db(tmp_path / "real.db", create=True)
    environment.ensure_production(db)
    auth.create_user(db, "admin", "Prava Skrbnica", "admin", "pravo-geslo-123")
    with pytest.raises(seed.SeedRefused, match="resnične"):
        seed.populate(db, today=TODAY)
    assert scalar(db, "SELECT COUNT(*) FROM users") == 1
    assert not environment.is_training(db)


def test_seed_refuses_unmarked_database_that_holds_people(tmp_path):
    db = open_db(tmp_path / "old.db", create=True)
    with write(db):
        db.execute("INSERT INTO users (username, display_name, role, password_hash, created_at)"
                   " VALUES ('x', 'X', 'admin', 'h', '2020-01-01')")
    with pytest.raises(seed.SeedRefused):
        seed.populate(db, today=TODAY)


def test_seed_command_line(tmp_path, capsys):
    from seed.__main__ import main

    assert main(["--db", str(tmp_path / "cli.db"), "--seed", "3", "--today", "2026-11-22"]) == 0
    assert "participants 350" in capsys.readouterr().out


def test_national_scale(tmp_path):
    db = open_db(tmp_path / "national.db", create=True)
    counts = seed.populate(db, scale="national", seed=5, today=TODAY)
    assert counts["participants"] == 12_500
    assert counts["attendance"] >= 500_000
    assert scalar(db, "SELECT COUNT(*) FROM users WHERE role = 'coordinator'") == 47
    assert scalar(db, "SELECT COUNT(DISTINCT u.area_code) FROM participants p JOIN "
                      "municipalities m ON m.id = p.municipality_id JOIN csd_units u "
                      "ON u.code = m.unit_code") == 16


def test_every_seeded_surname_starts_with_a_capital(region):
    names = [r[0] for r in region.execute("SELECT last_name FROM participants")]
    assert names and all(n[:1].isupper() for n in names), [n for n in names if n[:1].islower()]
