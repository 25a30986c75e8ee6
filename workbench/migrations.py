"""Ordered, named schema migrations.

A database made by an older version upgrades itself when it is opened
(``open_db`` calls :func:`apply_pending`). Never edit a migration that has
shipped: add a new one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import sqlite_utils
from sqlite_utils.migrations import Migrations

from workbench import audit, reference, text
from workbench.rules import rule_value
from workbench.transactions import write

MIGRATIONS = Migrations("workbench")


def _sql_list(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _script(db: sqlite_utils.Database, sql: str) -> None:
    """Run SQL statements one by one inside the migration's transaction.

    Not ``executescript``: it COMMITs first, so a migration would run outside the lock
    and a failure half-way would leave half a schema.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {statement[:80]}")


@MIGRATIONS(name="0001_initial")
def initial(db: sqlite_utils.Database) -> None:
    # The lists in CHECK constraints are frozen here on purpose: a later
    # change of a closed list is a migration of its own.
    stages = _sql_list(("referred", "first_interview", "motivation", "contract",
                        "in_programme", "exited", "follow_up_4w", "follow_up_6m", "closed"))
    _script(db, f"""
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        effective_from TEXT NOT NULL,
        note TEXT,
        UNIQUE (name, effective_from)
    );
    CREATE TABLE regions (
        code TEXT PRIMARY KEY, name TEXT NOT NULL,
        cohesion_region TEXT NOT NULL CHECK (cohesion_region IN ('KRZS', 'KRVS'))
    );
    CREATE TABLE csd_areas (
        code TEXT PRIMARY KEY, name TEXT NOT NULL,
        region_code TEXT NOT NULL REFERENCES regions(code)
    );
    CREATE TABLE csd_units (
        code TEXT PRIMARY KEY, name TEXT NOT NULL,
        area_code TEXT NOT NULL REFERENCES csd_areas(code)
    );
    CREATE TABLE municipalities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        unit_code TEXT NOT NULL REFERENCES csd_units(code),
        postcode TEXT, post_office TEXT,
        population INTEGER, rural INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('coordinator', 'manager', 'trainer', 'admin')),
        area_code TEXT REFERENCES csd_areas(code),
        unit_code TEXT REFERENCES csd_units(code),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
    CREATE TABLE providers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        municipality_id INTEGER REFERENCES municipalities(id)
    );
    CREATE TABLE programmes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        provider_id INTEGER NOT NULL REFERENCES providers(id),
        type TEXT NOT NULL CHECK (type IN ('short', 'intermediate', 'long')),
        area_code TEXT NOT NULL REFERENCES csd_areas(code),
        municipality_id INTEGER REFERENCES municipalities(id),
        coordinator_id INTEGER REFERENCES users(id),
        start_date TEXT NOT NULL, end_date TEXT NOT NULL,
        capacity INTEGER NOT NULL DEFAULT 15,
        hours_per_day REAL NOT NULL, days_per_week INTEGER NOT NULL,
        CHECK (end_date >= start_date)
    );
    CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        first_name TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
        last_name TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
        emso TEXT UNIQUE,
        sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
        birth_date TEXT NOT NULL,
        municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
        address TEXT, phone TEXT, email TEXT,
        isced INTEGER CHECK (isced BETWEEN 0 AND 8),
        labour_status TEXT CHECK (labour_status IN ('employed', 'unemployed',
            'long_term_unemployed', 'inactive_in_education', 'inactive')),
        migrant TEXT CHECK (migrant IN ('yes', 'no', 'refused')),
        disability TEXT CHECK (disability IN ('yes', 'no', 'refused')),
        other_disadvantage TEXT CHECK (other_disadvantage IN ('yes', 'no', 'refused')),
        homeless INTEGER NOT NULL DEFAULT 0,
        language TEXT NOT NULL DEFAULT 'sl',
        interpreter_needed INTEGER NOT NULL DEFAULT 0,
        target_group TEXT NOT NULL CHECK (target_group IN ('dsp', 'unemployed_zrsz',
            'temporarily_unemployable', 'inactive_complex', 'women_language_barrier',
            'roma_women')),
        dsp_payments_24m INTEGER,
        referral_source TEXT NOT NULL CHECK (referral_source IN
            ('csd', 'zrsz', 'ngo', 'health_centre', 'self')),
        referral_person TEXT,
        referral_date TEXT NOT NULL,
        coordinator_id INTEGER NOT NULL REFERENCES users(id),
        stage TEXT NOT NULL CHECK (stage IN ({stages})),
        stage_since TEXT NOT NULL,
        entry_date TEXT, exit_date TEXT,
        exit_destination TEXT, exit_reason TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id),
        updated_at TEXT NOT NULL, updated_by INTEGER REFERENCES users(id)
    );
    CREATE TABLE stage_history (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        from_stage TEXT, to_stage TEXT NOT NULL CHECK (to_stage IN ({stages})),
        changed_at TEXT NOT NULL,
        changed_by INTEGER REFERENCES users(id),
        reason TEXT
    );
    CREATE TABLE enrolments (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        contract_date TEXT NOT NULL,
        start_date TEXT NOT NULL, end_date TEXT,
        status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'dropped_out')),
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('group', 'individual', 'mobile_unit')),
        programme_id INTEGER REFERENCES programmes(id),
        coordinator_id INTEGER REFERENCES users(id),
        participant_id INTEGER REFERENCES participants(id),
        municipality_id INTEGER REFERENCES municipalities(id),
        title TEXT NOT NULL,
        location TEXT,
        date TEXT NOT NULL,
        start_time TEXT NOT NULL,
        hours REAL NOT NULL CHECK (hours > 0 AND hours <= 12)
    );
    CREATE TABLE attendance (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        hours REAL NOT NULL CHECK (hours >= 0 AND hours <= 12),
        UNIQUE (session_id, participant_id)
    );
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        kind TEXT NOT NULL CHECK (kind IN ('follow_up_4w', 'follow_up_6m', 'other')),
        title TEXT,
        due_date TEXT NOT NULL,
        done_at TEXT,
        assigned_to INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    """)
    db["regions"].insert_all(
        ({"code": c, "name": n, "cohesion_region": k} for c, n, k in reference.REGIONS))
    db["csd_areas"].insert_all(
        ({"code": c, "name": n, "region_code": r} for c, n, r in reference.CSD_AREAS))
    db["csd_units"].insert_all(
        ({"code": c, "name": n, "area_code": "gorenjska"} for c, n in reference.GORENJSKA_UNITS))
    db["municipalities"].insert_all(
        {"name": name, "unit_code": unit, "postcode": pc, "post_office": po,
         "population": pop, "rural": int(rural)}
        for name, unit, pc, po, pop, rural in reference.GORENJSKA_MUNICIPALITIES)
    db["rules"].insert_all(
        {"name": n, "value": v, "effective_from": f, "note": note}
        for n, v, f, note in reference.RULES)


@MIGRATIONS(name="0002_board_indexes")
def board_indexes(db: sqlite_utils.Database) -> None:
    # The home page and boards filter by coordinator and stage, by date and
    # by participant; without these, national-scale data turns milliseconds
    # into seconds (ARCHITECTURE.md).
    _script(db, """
    CREATE INDEX idx_participants_coordinator_stage ON participants (coordinator_id, stage);
    CREATE INDEX idx_participants_stage ON participants (stage, municipality_id);
    CREATE INDEX idx_participants_municipality ON participants (municipality_id);
    CREATE INDEX idx_stage_history_participant ON stage_history (participant_id, changed_at);
    CREATE INDEX idx_enrolments_participant ON enrolments (participant_id);
    CREATE INDEX idx_enrolments_programme ON enrolments (programme_id, status);
    CREATE INDEX idx_sessions_date ON sessions (date);
    CREATE INDEX idx_sessions_coordinator_date ON sessions (coordinator_id, date);
    CREATE INDEX idx_sessions_programme_date ON sessions (programme_id, date);
    CREATE INDEX idx_attendance_participant ON attendance (participant_id);
    CREATE INDEX idx_tasks_open_due ON tasks (assigned_to, done_at, due_date);
    CREATE INDEX idx_tasks_participant ON tasks (participant_id);
    CREATE INDEX idx_programmes_coordinator ON programmes (coordinator_id);
    """)


@MIGRATIONS(name="0003_case_records")
def case_records(db: sqlite_utils.Database) -> None:
    """The single entry point: everything about a person beyond the case itself."""
    # Frozen copies of the vocab lists, as in 0001.
    problem_areas = _sql_list((
        "employment", "education", "slovenian_language", "physical_health", "mental_health",
        "addiction", "housing", "debt", "family_care", "social_network", "transport",
        "digital_skills", "documents"))
    contact_kinds = _sql_list(("office", "phone", "home_visit", "mobile_unit", "other"))
    goal_statuses = _sql_list(("open", "in_progress", "achieved", "dropped"))
    referral_statuses = _sql_list(("sent", "accepted", "rejected", "withdrawn"))
    _script(db, f"""
    -- Folded name for search without case or diacritics (workbench.text.name_key).
    ALTER TABLE participants ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
    -- Groups 1-4 require citizenship or permanent residence (DOMAIN.md).
    ALTER TABLE participants ADD COLUMN residence_ok INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX idx_participants_birth_date ON participants (birth_date);
    CREATE INDEX idx_participants_coordinator_referral
        ON participants (coordinator_id, referral_date);
    DROP INDEX idx_tasks_participant;
    CREATE INDEX idx_tasks_participant_open ON tasks (participant_id, done_at, due_date);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        table_name TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        participant_id INTEGER REFERENCES participants(id),
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'open')),
        field TEXT, old_value TEXT, new_value TEXT,
        version INTEGER,
        reason TEXT
    );
    CREATE INDEX idx_audit_participant ON audit_log (participant_id, table_name, version);
    CREATE TABLE submissions (
        token TEXT NOT NULL, kind TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        user_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (token, kind)
    );
    CREATE TABLE problem_scores (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        area TEXT NOT NULL CHECK (area IN ({problem_areas})),
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 3),
        scored_on TEXT NOT NULL,
        scored_by INTEGER REFERENCES users(id),
        UNIQUE (participant_id, scored_on, area)
    );
    CREATE TABLE plan_goals (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        goal TEXT NOT NULL CHECK (length(trim(goal)) > 0),
        deadline TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ({goal_statuses})),
        created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id),
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX idx_plan_goals_participant ON plan_goals (participant_id);
    CREATE TABLE plan_steps (
        id INTEGER PRIMARY KEY,
        goal_id INTEGER NOT NULL REFERENCES plan_goals(id),
        step TEXT NOT NULL CHECK (length(trim(step)) > 0),
        deadline TEXT,
        done_on TEXT,
        created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX idx_plan_steps_goal ON plan_steps (goal_id);
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({contact_kinds})),
        note TEXT, next_step TEXT,
        created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX idx_contacts_participant ON contacts (participant_id, date);
    CREATE TABLE referrals_out (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        institution TEXT NOT NULL CHECK (length(trim(institution)) > 0),
        purpose TEXT,
        sent_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ({referral_statuses})),
        answer TEXT, answered_on TEXT,
        created_at TEXT NOT NULL, created_by INTEGER REFERENCES users(id),
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX idx_referrals_out_participant ON referrals_out (participant_id);
    """)
    rows = db.execute("SELECT id, first_name, last_name FROM participants").fetchall()
    db.conn.executemany("UPDATE participants SET name_key = ? WHERE id = ?",
                        [(text.name_key(first, last), pid) for pid, first, last in rows])


@MIGRATIONS(name="0004_referral_dated_history")
def referral_dated_history(db: sqlite_utils.Database) -> None:
    """The first row of a case's history is dated by the referral, not by its typing.

    Older versions stamped it with the moment the intake was saved, so a person
    referred on 1 November and entered on 1 December showed her later moves
    before her referral in the timeline.
    """
    db.execute("""
    UPDATE stage_history SET changed_at = (
        SELECT p.referral_date || substr(stage_history.changed_at, 11)
        FROM participants p WHERE p.id = stage_history.participant_id)
    WHERE from_stage IS NULL AND to_stage = 'referred'
      AND substr(changed_at, 1, 10) != (SELECT referral_date FROM participants p
                                        WHERE p.id = stage_history.participant_id)""")


@MIGRATIONS(name="0005_pipeline_dates_follow_ups")
def pipeline_dates_follow_ups(db: sqlite_utils.Database) -> None:
    """Entry and exit dates as workbench.pipeline defines them, closure reasons apart, and
    what a person is doing at each follow-up.

    Older versions (and the seed) dated the entry by the contract and gave a case closed
    before inclusion an exit date; e-MA counts entries by the start in a programme.
    """
    situations = _sql_list(("job_searching", "education_training", "qualification",
                            "employed", "self_employed", "unchanged", "unreachable"))
    _script(db, f"""
    ALTER TABLE participants ADD COLUMN closure_reason TEXT;
    CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        kind TEXT NOT NULL CHECK (kind IN ('follow_up_4w', 'follow_up_6m')),
        situation TEXT NOT NULL CHECK (situation IN ({situations})),
        observed_on TEXT NOT NULL,
        recorded_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    CREATE INDEX idx_follow_ups_participant ON follow_ups (participant_id, kind);
    -- A conflict names what changed in any table since a version.
    CREATE INDEX idx_audit_record ON audit_log (table_name, record_id, version);
    """)
    repair_pipeline_dates(db)


def repair_pipeline_dates(db: sqlite_utils.Database) -> None:
    """Set entry, exit and closure as workbench.pipeline defines them, from each case's
    stage history (also run on its own by the tests, on a damaged copy)."""
    drop_out = _sql_list(("health", "care_duties", "lost_motivation", "moved_away", "other"))
    _script(db, f"""
    UPDATE participants SET closure_reason = COALESCE(closure_reason, exit_reason)
        WHERE stage = 'closed';
    UPDATE participants SET closure_reason = NULL WHERE stage != 'closed';
    UPDATE participants SET entry_date = (
        SELECT MIN(substr(h.changed_at, 1, 10)) FROM stage_history h
        WHERE h.participant_id = participants.id AND h.to_stage = 'in_programme');
    UPDATE participants SET exit_date = CASE WHEN stage = 'in_programme' THEN NULL ELSE (
        SELECT MAX(substr(h.changed_at, 1, 10)) FROM stage_history h
        WHERE h.participant_id = participants.id AND h.to_stage = 'exited') END;
    UPDATE participants SET exit_reason = NULL, exit_destination = NULL
        WHERE exit_date IS NULL;
    UPDATE participants SET exit_reason = (
        SELECT h.reason FROM stage_history h WHERE h.participant_id = participants.id
        AND h.to_stage = 'exited' ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)
        WHERE exit_date IS NOT NULL;
    UPDATE participants SET exit_reason = NULL
        WHERE exit_reason IS NOT NULL AND exit_reason NOT IN ({drop_out});
    """)


@MIGRATIONS(name="0006_data_versions")
def data_versions(db: sqlite_utils.Database) -> None:
    """A version per table, raised by every audited change (workbench.audit): the app's
    cached reads name the versions they were read at, in every server process."""
    _script(db, """
    CREATE TABLE data_versions (
        table_name TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    ) WITHOUT ROWID;
    """)


@MIGRATIONS(name="0007_name_words")
def name_words(db: sqlite_utils.Database) -> None:
    """Search keys split at hyphens and apostrophes too: "kos" finds "Novak-Kos"."""
    rows = db.execute("SELECT id, first_name, last_name FROM participants").fetchall()
    db.conn.executemany("UPDATE participants SET name_key = ? WHERE id = ?",
                        [(text.name_key(first, last), pid) for pid, first, last in rows])


@MIGRATIONS(name="0008_scheduling")
def scheduling(db: sqlite_utils.Database) -> None:
    """Scheduling: the programme catalogue's details and modules, closure days, one-off
    entries and the people they book, attendance statuses, the waiting list, the
    enrolment's travel and eligibility override, and the monthly lock."""
    variants = _sql_list(("standard", "short_a", "short_c", "hybrid"))
    statuses = _sql_list(("planned", "running", "finished"))
    _script(db, f"""
    ALTER TABLE programmes ADD COLUMN variant TEXT NOT NULL DEFAULT 'standard'
        CHECK (variant IN ({variants}));
    ALTER TABLE programmes ADD COLUMN operation TEXT NOT NULL DEFAULT '9.1.2';
    ALTER TABLE programmes ADD COLUMN contract_number TEXT;
    ALTER TABLE programmes ADD COLUMN address TEXT;
    ALTER TABLE programmes ADD COLUMN contact_person TEXT;
    ALTER TABLE programmes ADD COLUMN status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ({statuses}));
    ALTER TABLE programmes ADD COLUMN languages TEXT NOT NULL DEFAULT 'sl';
    ALTER TABLE programmes ADD COLUMN interpreter INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE programmes ADD COLUMN start_time TEXT NOT NULL DEFAULT '09:00';
    ALTER TABLE programmes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE providers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX idx_programmes_area_start ON programmes (area_code, start_date);
    CREATE TABLE programme_modules (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        length INTEGER NOT NULL CHECK (length > 0),
        unit TEXT NOT NULL CHECK (unit IN ('weeks', 'months')),
        hours_per_day REAL NOT NULL CHECK (hours_per_day > 0 AND hours_per_day <= 12),
        weekdays TEXT NOT NULL CHECK (length(weekdays) > 0),
        UNIQUE (programme_id, position)
    );
    CREATE TABLE closure_days (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        day TEXT NOT NULL, reason TEXT,
        created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL,
        UNIQUE (programme_id, day)
    );
    ALTER TABLE sessions ADD COLUMN module_id INTEGER REFERENCES programme_modules(id);
    ALTER TABLE sessions ADD COLUMN generated INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN holiday_reason TEXT;
    ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX idx_sessions_municipality_date ON sessions (municipality_id, date);
    CREATE INDEX idx_sessions_participant_date ON sessions (participant_id, date);
    CREATE TABLE session_people (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        PRIMARY KEY (session_id, participant_id)
    ) WITHOUT ROWID;
    CREATE INDEX idx_session_people_participant ON session_people (participant_id);
    ALTER TABLE attendance ADD COLUMN status TEXT NOT NULL DEFAULT 'present'
        CHECK (status IN ('present', 'absent', 'excused'));
    UPDATE attendance SET status = 'absent' WHERE hours = 0;
    ALTER TABLE enrolments ADD COLUMN ticket_eur REAL;
    ALTER TABLE enrolments ADD COLUMN distance_km REAL;
    ALTER TABLE enrolments ADD COLUMN eligibility_override TEXT;
    CREATE TABLE waiting_list (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        added_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'waiting'
            CHECK (status IN ('waiting', 'offered', 'enrolled', 'withdrawn')),
        offered_on TEXT,
        created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX idx_waiting_programme ON waiting_list (programme_id, status, added_on);
    CREATE INDEX idx_waiting_participant ON waiting_list (participant_id);
    CREATE TABLE month_locks (
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        month TEXT NOT NULL,
        locked_at TEXT NOT NULL, locked_by INTEGER REFERENCES users(id),
        PRIMARY KEY (programme_id, month)
    ) WITHOUT ROWID;
    -- A programme's sessions are the provider's: they book its people, not the coordinator.
    UPDATE sessions SET coordinator_id = NULL, generated = 1
        WHERE kind = 'group' AND programme_id IS NOT NULL;
    -- Each older programme becomes one module of its days and hours.
    INSERT INTO programme_modules (programme_id, position, name, length, unit,
                                   hours_per_day, weekdays)
        SELECT id, 1, name, MAX(1, CAST((julianday(end_date) - julianday(start_date)) / 7
                                        AS INTEGER) + 1), 'weeks', hours_per_day,
               CASE days_per_week WHEN 3 THEN '0,2,4' WHEN 4 THEN '0,1,2,3'
                    ELSE '0,1,2,3,4' END
        FROM programmes;
    UPDATE sessions SET module_id = (SELECT m.id FROM programme_modules m
        WHERE m.programme_id = sessions.programme_id) WHERE generated = 1;
    UPDATE programmes SET status = CASE WHEN end_date < date('now') THEN 'finished'
        WHEN start_date <= date('now') THEN 'running' ELSE 'planned' END;
    """)
    db.conn.executemany(
        "INSERT OR IGNORE INTO rules (name, value, effective_from, note) VALUES (?, ?, ?, ?)",
        reference.RULES_0008)



@MIGRATIONS(name="0009_reporting")
def reporting(db: sqlite_utils.Database) -> None:
    """The year's e-MA export marked as submitted, and the inclusion targets."""
    _script(db, """
    CREATE TABLE report_submissions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('ema')),
        year INTEGER NOT NULL,
        area_code TEXT NOT NULL REFERENCES csd_areas(code),
        submitted_on TEXT NOT NULL,
        submitted_by INTEGER REFERENCES users(id),
        UNIQUE (kind, year, area_code)
    );
    """)
    db.conn.executemany(
        "INSERT OR IGNORE INTO rules (name, value, effective_from, note) VALUES (?, ?, ?, ?)",
        reference.RULES_0009)

_AUDIT_COLUMNS = ("id, at, user_id, table_name, record_id, participant_id, action, field, "
                  "old_value, new_value, version, reason")


@MIGRATIONS(name="0010_trust")
def trust(db: sqlite_utils.Database) -> None:
    """Sign-in sessions that survive a refresh, sign-in throttling, forced password changes,
    the data-protection officer's role, and an audit log open to more kinds of entry.

    ``users`` and ``audit_log`` are rebuilt (SQLite cannot change a CHECK): the role list
    gains 'dpo'; the audit log's action is no longer a frozen list (``workbench.audit``
    owns it), may name no record (a failed sign-in with an unknown username), keeps the
    number of an erased person's record, and carries a hash chained to the entry before.
    """
    _script(db, f"""
    CREATE TABLE users_new (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('coordinator', 'manager', 'trainer', 'admin', 'dpo')),
        area_code TEXT REFERENCES csd_areas(code),
        unit_code TEXT REFERENCES csd_units(code),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO users_new (id, username, display_name, role, area_code, unit_code,
                           password_hash, active, created_at)
    SELECT id, username, display_name, role, area_code, unit_code, password_hash, active,
           created_at FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    CREATE TABLE audit_log_new (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        table_name TEXT NOT NULL,
        record_id INTEGER,
        participant_id INTEGER,  -- no foreign key: entries outlive an erased record
        action TEXT NOT NULL,
        field TEXT, old_value TEXT, new_value TEXT,
        version INTEGER,
        reason TEXT,
        hash TEXT
    );
    INSERT INTO audit_log_new ({_AUDIT_COLUMNS}) SELECT {_AUDIT_COLUMNS} FROM audit_log;
    DROP TABLE audit_log;
    ALTER TABLE audit_log_new RENAME TO audit_log;
    CREATE INDEX idx_audit_participant ON audit_log (participant_id, table_name, version);
    CREATE INDEX idx_audit_record ON audit_log (table_name, record_id, version);
    CREATE INDEX idx_audit_user ON audit_log (user_id, at);
    CREATE INDEX idx_audit_at ON audit_log (at);
    CREATE TABLE user_sessions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        token_hash TEXT UNIQUE,
        handoff_hash TEXT UNIQUE,
        handoff_until TEXT,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        ended_reason TEXT
    );
    CREATE INDEX idx_user_sessions_user ON user_sessions (user_id, ended_at);
    CREATE TABLE sign_in_attempts (
        username TEXT PRIMARY KEY COLLATE NOCASE,
        failures INTEGER NOT NULL,
        last_failed_at TEXT NOT NULL,
        locked_until TEXT
    );
    """)


@MIGRATIONS(name="0011_audit_chain")
def audit_chain(db: sqlite_utils.Database) -> None:
    """Seal the entries written before the audit log was a hash chain, in id order (a batch
    at a time: a national log fits in flat memory). From here on ``audit`` seals each entry
    as it is written."""
    audit.seal_all(db)


@MIGRATIONS(name="0012_consent_retention")
def consent_retention(db: sqlite_utils.Database) -> None:
    """Consent per purpose (workbench.protection.consent), the day a case was anonymised,
    and the retention schedule's dated rules."""
    purposes = _sql_list(("inclusion", "sharing", "ema", "phone", "sms"))
    ways = _sql_list(("written", "oral", "electronic"))
    _script(db, f"""
    CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        purpose TEXT NOT NULL CHECK (purpose IN ({purposes})),
        institution TEXT,
        institution_key TEXT NOT NULL DEFAULT '',
        given_on TEXT NOT NULL,
        given_how TEXT NOT NULL CHECK (given_how IN ({ways})),
        withdrawn_on TEXT,
        withdrawn_how TEXT CHECK (withdrawn_how IN ({ways})),
        recorded_at TEXT NOT NULL,
        recorded_by INTEGER REFERENCES users(id),
        version INTEGER NOT NULL DEFAULT 1,
        CHECK (purpose != 'sharing' OR length(trim(institution)) > 0)
    );
    CREATE INDEX idx_consents_participant ON consents (participant_id, purpose, institution_key);
    ALTER TABLE participants ADD COLUMN anonymised_on TEXT;
    """)
    db.conn.executemany(
        "INSERT OR IGNORE INTO rules (name, value, effective_from, note) VALUES (?, ?, ?, ?)",
        reference.RULES_0012)


@MIGRATIONS(name="0013_offers")
def offers(db: sqlite_utils.Database) -> None:
    """A freed place held for the person offered it (workbench.waiting): the day the offer
    lapses, its task, and how the entry was closed (declined with a reason, or lapsed);
    and the travel terms of an enrolment before a correction (workbench.enrolment), so a
    month already locked keeps what was paid."""
    statuses = _sql_list(("waiting", "offered", "enrolled", "withdrawn", "declined", "lapsed"))
    _script(db, f"""
    CREATE TABLE waiting_list_new (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        added_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ({statuses})),
        offered_on TEXT,
        offer_until TEXT,
        offer_task_id INTEGER REFERENCES tasks(id),
        closed_on TEXT,
        reason TEXT,
        created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO waiting_list_new (id, programme_id, participant_id, added_on, status,
                                  offered_on, created_by, created_at, version)
        SELECT id, programme_id, participant_id, added_on, status, offered_on, created_by,
               created_at, version FROM waiting_list;
    DROP TABLE waiting_list;
    ALTER TABLE waiting_list_new RENAME TO waiting_list;
    CREATE INDEX idx_waiting_programme ON waiting_list (programme_id, status, added_on);
    CREATE INDEX idx_waiting_participant ON waiting_list (participant_id);
    CREATE TABLE enrolment_terms (
        id INTEGER PRIMARY KEY,
        enrolment_id INTEGER NOT NULL REFERENCES enrolments(id),
        until_day TEXT NOT NULL,
        ticket_eur REAL,
        distance_km REAL,
        created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL
    );
    CREATE INDEX idx_enrolment_terms ON enrolment_terms (enrolment_id, until_day);
    -- An offer made before: held for the days of the rule, with the task made for it.
    UPDATE waiting_list SET offer_task_id = (
        SELECT MAX(t.id) FROM tasks t JOIN programmes g ON g.id = waiting_list.programme_id
        WHERE t.participant_id = waiting_list.participant_id
          AND t.title = 'Ponudite prosto mesto: ' || g.name)
        WHERE status = 'offered';
    """)
    for entry_id, offered_on in db.execute(
            "SELECT id, offered_on FROM waiting_list WHERE status = 'offered'").fetchall():
        day = dt.date.fromisoformat(offered_on)
        until = day + dt.timedelta(days=int(rule_value(db, "waiting_offer_days", day)))
        db.execute("UPDATE waiting_list SET offer_until = ? WHERE id = ?",
                   [until.isoformat(), entry_id])


@MIGRATIONS(name="0015_schedule_corrections")
def schedule_corrections(db: sqlite_utils.Database) -> None:
    """Meetings and visits that are cancelled stay in the history (who, when, why); a visit
    records who was actually met after the day, each with one contact on her record.

    Contacts that a visit's booking form added before (``kind = 'mobile_unit'`` on the
    visit's day for a person booked on it) are linked to their visit and count as met, so
    that recording the visit now does not add them a second time."""
    _script(db, """
    ALTER TABLE sessions ADD COLUMN cancelled_at TEXT;
    ALTER TABLE sessions ADD COLUMN cancelled_by INTEGER REFERENCES users(id);
    ALTER TABLE sessions ADD COLUMN cancel_reason TEXT;
    ALTER TABLE sessions ADD COLUMN visit_recorded_at TEXT;
    ALTER TABLE session_people ADD COLUMN booked INTEGER NOT NULL DEFAULT 1
        CHECK (booked IN (0, 1));
    ALTER TABLE session_people ADD COLUMN met INTEGER NOT NULL DEFAULT 0 CHECK (met IN (0, 1));
    ALTER TABLE contacts ADD COLUMN session_id INTEGER REFERENCES sessions(id);
    UPDATE contacts SET session_id = (
        SELECT s.id FROM sessions s JOIN session_people sp ON sp.session_id = s.id
        WHERE s.kind = 'mobile_unit' AND s.date = contacts.date
          AND sp.participant_id = contacts.participant_id ORDER BY s.id LIMIT 1)
    WHERE id IN (SELECT MIN(id) FROM contacts WHERE kind = 'mobile_unit'
                 GROUP BY participant_id, date);
    CREATE UNIQUE INDEX idx_contacts_session ON contacts (session_id, participant_id)
        WHERE session_id IS NOT NULL;
    UPDATE session_people SET met = 1 WHERE EXISTS (
        SELECT 1 FROM contacts c WHERE c.session_id = session_people.session_id
          AND c.participant_id = session_people.participant_id);
    UPDATE sessions SET visit_recorded_at = (
        SELECT MIN(c.created_at) FROM contacts c WHERE c.session_id = sessions.id)
    WHERE kind = 'mobile_unit'
      AND EXISTS (SELECT 1 FROM contacts c WHERE c.session_id = sessions.id);
    """)


@MIGRATIONS(name="0016_people_routing")
def people_routing(db: sqlite_utils.Database) -> None:
    """Which coordinator covers a municipality: a new referral from there is routed to her
    (workbench.participants.responsible_coordinator); a municipality without a row goes to
    the only active coordinator of its CSD unit."""
    _script(db, """
    CREATE TABLE municipality_coordinators (
        municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
        coordinator_id INTEGER NOT NULL REFERENCES users(id)
    );
    CREATE INDEX idx_municipality_coordinators_user
        ON municipality_coordinators (coordinator_id);
    """)


@MIGRATIONS(name="0017_wording")
def wording(db: sqlite_utils.Database) -> None:
    """How the workbench speaks of an account's holder: "koordinatorka" or "koordinator";
    unknown (NULL) keeps the neutral "koordinator(ka)"."""
    db.execute("ALTER TABLE users ADD COLUMN sex TEXT CHECK (sex IN ('F', 'M'))")


def apply_pending(db: sqlite_utils.Database, stop_before: str | None = None) -> None:
    """Apply migrations not yet recorded, under the write lock.

    Checked without a lock first, because every page run opens the database;
    then re-checked inside BEGIN IMMEDIATE so that two processes starting
    together cannot apply the same migration twice.
    """
    if not MIGRATIONS.pending(db):
        return
    # A migration may rebuild a table others refer to (SQLite's way to change a CHECK):
    # foreign keys are off meanwhile, as SQLite's ALTER TABLE procedure asks, and checked
    # before the change commits.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with write(db):
            MIGRATIONS.apply(db, stop_before=stop_before)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise sqlite3.IntegrityError(f"foreign keys broken by a migration: {broken[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@MIGRATIONS(name="0014_stage_corrections")
def stage_corrections(db: sqlite_utils.Database) -> None:
    """Each stage move keeps the case's pipeline columns as they were before it, so that a
    wrong move can be undone exactly (workbench.pipeline.correct_move); and the follow-ups'
    windows (how many days before it is due a follow-up may be recorded)."""
    _script(db, """
    ALTER TABLE stage_history ADD COLUMN state_before TEXT;
    """)
    db.conn.executemany(
        "INSERT OR IGNORE INTO rules (name, value, effective_from, note) VALUES (?, ?, ?, ?)",
        reference.RULES_0014)
