"""Training data: realistic, deterministic, marked as fictitious, never mixed with real records."""

from __future__ import annotations

import datetime as dt

import pytest

import seed
from seed.names import ALBANIAN_FEMALE_GIVEN_NAMES, ALBANIAN_SURNAMES
from tests.conftest import TODAY
from workbench import auth, emso, environment, overview, pipeline, places, records, schedule, vocab
from workbench.db import open_db, write
from workbench.vocab import STAGES, TARGET_GROUPS

TABLES = ("users", "municipalities", "csd_units", "providers", "programmes", "participants",
          "stage_history", "enrolments", "sessions", "attendance", "tasks", "meta",
          "programme_modules", "waiting_list", "month_locks", "session_people")


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
                          "AND (closure_reason IS NULL OR exit_date IS NOT NULL)") == 0
    # Stage history ends in the current stage.
    assert scalar(region, """SELECT COUNT(*) FROM participants p WHERE p.stage !=
        (SELECT to_stage FROM stage_history h WHERE h.participant_id = p.id
         ORDER BY changed_at DESC, id DESC LIMIT 1)""") == 0


def test_each_demo_coordinator_has_sessions_this_week_and_some_overdue(region):
    overdue_total = 0
    for user in auth.list_users(region, "coordinator"):
        ov = overview.coordinator_overview(region, user, user.id, TODAY)
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


def test_national_scale(national):
    counts = {t: scalar(national, f"SELECT COUNT(*) FROM {t}")
              for t in ("participants", "attendance")}
    assert counts["participants"] == 12_500
    assert counts["attendance"] >= 500_000
    assert scalar(national, "SELECT COUNT(*) FROM users WHERE role = 'coordinator'") == 47
    assert scalar(national, "SELECT COUNT(DISTINCT u.area_code) FROM participants p JOIN "
                            "municipalities m ON m.id = p.municipality_id JOIN csd_units u "
                            "ON u.code = m.unit_code") == 16


def pipeline_problems(db, limit: int = 20) -> list[str]:
    """Every way the seeded cases break the pipeline's rules (workbench.pipeline)."""
    problems: list[str] = []
    people = records.named_rows(db.execute("SELECT * FROM participants ORDER BY id"))
    history: dict[int, list[dict]] = {}
    for row in records.named_rows(db.execute("SELECT * FROM stage_history ORDER BY id")):
        history.setdefault(row["participant_id"], []).append(row)
    enrolments: dict[int, list[dict]] = {}
    for row in records.named_rows(db.execute("SELECT * FROM enrolments ORDER BY id")):
        enrolments.setdefault(row["participant_id"], []).append(row)
    tasks: dict[int, dict[str, dict]] = {}
    for row in records.named_rows(db.execute("SELECT * FROM tasks WHERE kind != 'other'")):
        tasks.setdefault(row["participant_id"], {})[row["kind"]] = row
    follow_ups = {(r["participant_id"], r["kind"]): r for r in records.named_rows(
        db.execute("SELECT * FROM follow_ups"))}
    for p in people:
        pid, rows = p["id"], history.get(p["id"], [])
        days = [r["changed_at"][:10] for r in rows]
        if not rows or rows[0]["to_stage"] != "referred" or days[0] != p["referral_date"]:
            problems.append(f"{pid}: the history does not start with the referral")
        for before, after in zip(rows, rows[1:], strict=False):
            if after["to_stage"] not in pipeline.allowed_moves(before["to_stage"]):
                problems.append(f"{pid}: {before['to_stage']} -> {after['to_stage']}")
        if days != sorted(days) or rows[-1]["to_stage"] != p["stage"] \
                or days[-1] != p["stage_since"][:10]:
            problems.append(f"{pid}: the history does not end in her stage")
        entries = [d for r, d in zip(rows, days, strict=True) if r["to_stage"] == "in_programme"]
        exits = [d for r, d in zip(rows, days, strict=True) if r["to_stage"] == "exited"]
        if p["entry_date"] != (entries[0] if entries else None):
            problems.append(f"{pid}: entry {p['entry_date']} is not her first start")
        expected_exit = None if p["stage"] == "in_programme" or not exits else exits[-1]
        if p["exit_date"] != expected_exit:
            problems.append(f"{pid}: exit {p['exit_date']} is not her latest exit")
        if (p["closure_reason"] is not None) != (p["stage"] == "closed") or (
                p["closure_reason"] and p["closure_reason"] not in vocab.CLOSURE_REASONS):
            problems.append(f"{pid}: closure reason {p['closure_reason']} in {p['stage']}")
        if p["exit_date"] and p["exit_destination"] not in vocab.EXIT_DESTINATIONS:
            problems.append(f"{pid}: an exit without its destination")
        active = [e for e in enrolments.get(pid, []) if e["status"] == "active"]
        if bool(active) != (p["stage"] in pipeline.ENROLLING):
            problems.append(f"{pid}: enrolment {[e['status'] for e in enrolments.get(pid, [])]}"
                            f" does not match stage {p['stage']}")
        for e in enrolments.get(pid, []):
            if e["start_date"] < e["contract_date"] or (e["end_date"] and e["end_date"]
                                                        not in exits):
                problems.append(f"{pid}: enrolment dates {e}")
        for exit_day in exits[-1:]:
            due = pipeline.follow_up_intervals(db, dt.date.fromisoformat(exit_day))
            for kind, days_after in due.items():
                task = tasks.get(pid, {}).get(kind)
                expected = (dt.date.fromisoformat(exit_day)
                            + dt.timedelta(days=days_after)).isoformat()
                if task is None or task["due_date"] != expected:
                    problems.append(f"{pid}: no {kind} task due {expected}")
        for kind in pipeline.FOLLOW_UPS:
            reached = any(r["to_stage"] == kind for r in rows)
            record = follow_ups.get((pid, kind))
            if reached != (record is not None) or (record and record["situation"]
                                                   not in vocab.FOLLOW_UP_SITUATIONS):
                problems.append(f"{pid}: follow-up {kind} record {record}")
            if reached and tasks.get(pid, {}).get(kind, {}).get("done_at") is None:
                problems.append(f"{pid}: {kind} reached but its task is open")
        if len(problems) >= limit:
            break
    return problems


def test_seeded_cases_keep_every_rule_of_the_pipeline(region, national):
    assert pipeline_problems(region) == []
    assert pipeline_problems(national) == []


def timing_problems(db) -> list[str]:
    """Every seeded case that breaks a rule over time (workbench.pipeline): a follow-up
    before its window, "in programme" before she could start, a completion without
    attendance."""
    problems = []
    for pid, kind, observed, left in db.execute(
            "SELECT f.participant_id, f.kind, f.observed_on, p.exit_date FROM follow_ups f "
            "JOIN participants p ON p.id = f.participant_id"):
        exit_day = dt.date.fromisoformat(left)
        opens = pipeline.follow_up_opens(
            exit_day, pipeline.follow_up_intervals(db, exit_day)[kind],
            pipeline.follow_up_tolerances(db, exit_day)[kind])
        if observed < opens.isoformat():
            problems.append(f"{pid}: {kind} on {observed}, its window opens {opens}")
    for pid, day in db.execute("SELECT participant_id, substr(changed_at, 1, 10) FROM "
                               "stage_history WHERE to_stage = 'in_programme'"):
        enrolment = db.execute("SELECT id FROM enrolments WHERE participant_id = ? AND "
                               "contract_date <= ? ORDER BY contract_date DESC, id DESC "
                               "LIMIT 1", [pid, day]).fetchone()
        first = pipeline.first_start_day(*pipeline.enrolment_start(db, enrolment[0]))
        if first is None or day < first.isoformat():
            problems.append(f"{pid}: in programme on {day}, could start on {first}")
    for pid, ended in db.execute(
            "SELECT e.participant_id, e.end_date FROM enrolments e WHERE e.status = "
            "'completed' AND NOT EXISTS (SELECT 1 FROM attendance a JOIN sessions s ON "
            "s.id = a.session_id WHERE a.participant_id = e.participant_id AND a.hours > 0 "
            "AND s.programme_id = e.programme_id AND s.date <= e.end_date)"):
        problems.append(f"{pid}: completed on {ended} without attending")
    return problems[:20]


def test_seeded_cases_keep_the_rules_over_time(region, national):
    assert timing_problems(region) == []
    assert timing_problems(national) == []


def test_every_seeded_person_passes_the_intake_validation(region):
    from workbench import participants

    for row in records.named_rows(region.execute(f"SELECT p.*, c.area_code FROM participants p "
                                                 f"{places.AREA_JOIN}")):
        form = participants._as_input(row)
        assert participants.clean(region, form, TODAY, row["area_code"])


def test_every_seeded_surname_starts_with_a_capital(region):
    names = [r[0] for r in region.execute("SELECT last_name FROM participants")]
    assert names and all(n[:1].isupper() for n in names), [n for n in names if n[:1].islower()]


def test_the_migration_repairs_dates_the_older_seed_got_wrong(db):
    from workbench import migrations

    with write(db):  # what the older seed and library wrote
        db.execute("UPDATE participants SET entry_date = (SELECT MIN(contract_date) FROM "
                   "enrolments e WHERE e.participant_id = participants.id)")
        db.execute("UPDATE participants SET exit_date = stage_since, exit_reason = "
                   "closure_reason, closure_reason = NULL WHERE stage = 'closed'")
    assert pipeline_problems(db)
    included = "SELECT COUNT(*) FROM participants WHERE entry_date >= '2026-01-01'"
    before = scalar(db, included)
    with write(db):
        migrations.repair_pipeline_dates(db)
    assert pipeline_problems(db) == []
    assert scalar(db, included) != before  # "included this year" changes with the meaning


def test_the_schedule_of_the_training_data(region, national):
    """Calendars skip holidays, places are never exceeded, and everything scheduling shows
    has examples: a waiting list, a locked month, visits with the people met, OrientAkcija
    with an interpreter, absences and partial days."""
    for db in (region, national):
        for day, in db.execute("SELECT DISTINCT date FROM sessions WHERE generated = 1"):
            assert schedule.holiday(dt.date.fromisoformat(day)) is None, day
        assert scalar(db, """SELECT COUNT(*) FROM programmes g WHERE g.capacity <
            (SELECT COUNT(*) FROM enrolments e WHERE e.programme_id = g.id
             AND e.status = 'active')""") == 0
        # Attendance at a programme's session only from someone enrolled then.
        assert scalar(db, """SELECT COUNT(*) FROM attendance a JOIN sessions s ON
            s.id = a.session_id WHERE s.programme_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM enrolments e WHERE e.participant_id = a.participant_id AND
            e.programme_id = s.programme_id AND e.start_date <= s.date AND
            (e.end_date IS NULL OR e.end_date >= s.date))""") == 0
        assert scalar(db, "SELECT COUNT(*) FROM waiting_list WHERE status = 'waiting'") >= 1
        assert scalar(db, "SELECT COUNT(*) FROM month_locks WHERE month < ?",
                      [f"{TODAY:%Y-%m}"]) >= 1
        assert scalar(db, "SELECT COUNT(*) FROM programme_modules") >= scalar(
            db, "SELECT COUNT(*) FROM programmes")
    assert scalar(region, "SELECT COUNT(DISTINCT s.municipality_id) FROM sessions s JOIN "
                          "session_people sp ON sp.session_id = s.id "
                          "WHERE s.kind = 'mobile_unit'") >= 8
    statuses = dict(region.execute("SELECT status, COUNT(*) FROM attendance GROUP BY status"))
    assert statuses["absent"] and statuses["excused"] and statuses["present"]
    assert scalar(region, "SELECT COUNT(*) FROM attendance a JOIN sessions s ON "
                          "s.id = a.session_id WHERE a.status = 'present' AND "
                          "a.hours < s.hours") > 0
    orient = region.execute("SELECT type, languages, interpreter, m.name FROM programmes g "
                            "JOIN municipalities m ON m.id = g.municipality_id "
                            "WHERE g.name LIKE 'OrientAkcija%'").fetchall()
    assert orient and all(o == ("short", "sl,sq", 1, "Jesenice") for o in orient)
    # A long programme's calendar holds close to the 1,330 hours of DOMAIN.md.
    hours = [h for h, in region.execute(
        "SELECT SUM(s.hours) FROM sessions s JOIN programmes g ON g.id = s.programme_id "
        "WHERE g.type = 'long' GROUP BY g.id")]
    assert all(1200 < h < 1460 for h in hours)


def test_the_demo_has_an_audit_history_to_show_and_it_is_chained(db):
    """The seeded template is the demo `make run` seeds: its audit trail included."""
    from workbench import audit

    actions = dict(db.execute("SELECT action, COUNT(*) FROM audit_log GROUP BY action"))
    assert actions["sign_in"] == 30 and actions["open"] > 50  # 3 coordinators, 10 workdays
    assert audit.verify_chain(db) is None


# -- the calendar of the training data obeys the app's booking rules -------------------------
def _start_minutes(alias: str) -> str:
    return (f"(CAST(substr({alias}.start_time, 1, 2) AS INTEGER) * 60 "
            f"+ CAST(substr({alias}.start_time, 4, 2) AS INTEGER))")


def _overlap(a: str, b: str) -> str:
    """SQL: sessions ``a`` and ``b`` share a minute (one ends when the other starts: none)."""
    start_a, start_b = _start_minutes(a), _start_minutes(b)
    return f"{start_a} < {start_b} + {b}.hours * 60 AND {start_b} < {start_a} + {a}.hours * 60"


# She is in her programme's session that day: enrolled from her start to her exit.
_IN_HER_SESSION = """
JOIN enrolments e ON e.participant_id = {person} AND e.start_date <= m.date
 AND (e.end_date IS NULL OR e.end_date >= m.date)
JOIN sessions g ON g.programme_id = e.programme_id AND g.date = m.date
WHERE {overlap}"""


def booking_contradictions(db) -> dict[str, int]:
    """What the calendar would refuse (schedule.add_entry), counted by plain SQL apart from
    the library: a coordinator booked twice at once, a meeting with a person during her own
    programme session (she is enrolled that day), a person met on a visit while in her
    programme session, and a meeting or visit on a public holiday without a reason."""
    counts = {"coordinator_double_bookings": db.execute(
        "SELECT COUNT(*) FROM sessions a JOIN sessions b ON b.coordinator_id = a.coordinator_id"
        f" AND b.date = a.date AND b.id > a.id WHERE {_overlap('a', 'b')}").fetchone()[0]}
    counts["meetings_during_her_programme_session"] = db.execute(
        "SELECT COUNT(DISTINCT m.id) FROM sessions m "
        + _IN_HER_SESSION.format(person="m.participant_id", overlap=_overlap("m", "g"))
        + " AND m.kind = 'individual'").fetchone()[0]
    counts["visits_meeting_her_during_her_programme_session"] = db.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT sp.session_id, sp.participant_id "
        "FROM session_people sp JOIN sessions m ON m.id = sp.session_id "
        + _IN_HER_SESSION.format(person="sp.participant_id", overlap=_overlap("m", "g"))
        + ")").fetchone()[0]
    counts["bookings_on_holidays_without_reason"] = sum(
        1 for day, in db.execute("SELECT date FROM sessions WHERE generated = 0 "
                                 "AND COALESCE(holiday_reason, '') = ''")
        if schedule.holiday(dt.date.fromisoformat(day)) is not None)
    return counts


NO_CONTRADICTIONS = {"coordinator_double_bookings": 0,
                     "meetings_during_her_programme_session": 0,
                     "visits_meeting_her_during_her_programme_session": 0,
                     "bookings_on_holidays_without_reason": 0}


def test_the_training_calendar_holds_nothing_the_calendar_would_refuse(db, region, national):
    """Issue 19, item 10: the demo as `make run` seeds it (db), another seed (region) and the
    national scale book meetings and visits through the calendar's own conflict check, so no
    coordinator is in two places at once, nobody is called to a meeting during her own
    programme session, and nothing is booked on a holiday without its reason."""
    assert booking_contradictions(db) == NO_CONTRADICTIONS
    assert booking_contradictions(region) == NO_CONTRADICTIONS
    assert booking_contradictions(national) == NO_CONTRADICTIONS
    # Still a full calendar: every coordinator meets people and goes out with the unit.
    for scale in (db, region, national):
        for kind in ("individual", "mobile_unit"):
            assert scalar(scale, "SELECT COUNT(*) FROM users u WHERE u.role = 'coordinator' "
                                 "AND NOT EXISTS (SELECT 1 FROM sessions s WHERE "
                                 "s.coordinator_id = u.id AND s.kind = ?)", [kind]) == 0


def test_each_seeded_programme_has_the_calendar_its_generation_makes(db):
    """Programme sessions are the calendar's own: generating any programme's sessions again
    would create, change and remove nothing."""
    users = {u.id: u for u in auth.list_users(db)}
    for pid, coordinator in db.execute("SELECT id, coordinator_id FROM programmes"):
        assert schedule.preview(db, users[coordinator], pid).empty, pid


def test_the_demo_visits_gone_by_are_recorded_as_the_calendar_records_them(db, region):
    """Issue 19, item 5 in the training data: a visit gone by with people on it is recorded
    (those met marked met, one contact each on their records linked to the visit), so the
    demo never offers to record a visit that already has its people; a visit to come has
    nobody met yet."""
    for scale in (db, region):
        past = "s.kind = 'mobile_unit' AND s.date <= ? AND EXISTS (SELECT 1 FROM " \
               "session_people sp WHERE sp.session_id = s.id)"
        assert scalar(scale, f"SELECT COUNT(*) FROM sessions s WHERE {past} "
                             "AND s.visit_recorded_at IS NULL", [TODAY.isoformat()]) == 0
        assert scalar(scale, "SELECT COUNT(*) FROM session_people sp JOIN sessions s ON "
                             "s.id = sp.session_id WHERE s.kind = 'mobile_unit' AND "
                             "(sp.met = 1) != (s.date <= ?)", [TODAY.isoformat()]) == 0
        met = scale.execute("SELECT sp.session_id, sp.participant_id FROM session_people sp "
                            "WHERE sp.met = 1 ORDER BY 1, 2").fetchall()
        linked = scale.execute("SELECT session_id, participant_id FROM contacts WHERE "
                               "session_id IS NOT NULL AND kind = 'mobile_unit' "
                               "ORDER BY 1, 2").fetchall()
        assert met and linked == met
