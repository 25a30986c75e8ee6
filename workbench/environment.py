"""Whether a database holds training (fictitious) data or real records.

The marker lives inside the database itself, so that a copied file keeps it
and the app can show the training banner whatever path it was opened from.
"""

from __future__ import annotations

import sqlite_utils

from workbench import audit
from workbench.db import write

TRAINING = "training"
PRODUCTION = "production"
# The password of every demo account, shown on a training database's sign-in page: no
# account may choose it (workbench.auth.check_password).
DEMO_PASSWORD = "demo1234"


def kind(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'environment'").fetchone()
    return row[0] if row else None


def is_training(db: sqlite_utils.Database) -> bool:
    return kind(db) == TRAINING


def holds_records(db: sqlite_utils.Database) -> bool:
    return any(db.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
               for table in ("users", "participants"))


def mark(db: sqlite_utils.Database, environment: str) -> None:
    with write(db):
        db.execute("INSERT INTO meta (key, value) VALUES ('environment', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [environment])
        audit.bump_all(db)  # the banner, the sign-in page and every page's rules change


def ensure_production(db: sqlite_utils.Database) -> None:
    """Mark a database that has no marker yet as real: from then on the seed refuses it."""
    if kind(db) is None:
        mark(db, PRODUCTION)


# Every table that holds records (children before parents, for the foreign keys).
RECORD_TABLES = ("audit_log", "submissions", "report_submissions", "follow_ups", "plan_steps",
                 "plan_goals", "contacts",
                 "problem_scores", "referrals_out", "attendance", "session_people", "sessions",
                 "tasks", "month_locks", "waiting_list", "closure_days", "enrolments",
                 "stage_history", "consents", "participants", "programme_modules", "programmes",
                 "providers", "user_sessions", "sign_in_attempts", "municipality_coordinators",
                 "users")


def clear_records(db: sqlite_utils.Database) -> None:
    """Delete every person, account and activity, and the places a national seed added.

    Only for a training database (the seed refills it, or it becomes a real one);
    runs inside the caller's transaction.
    """
    if not is_training(db):
        raise RuntimeError("clear_records is only for a training database")
    for table in RECORD_TABLES:
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM municipalities WHERE unit_code IN "
               "(SELECT code FROM csd_units WHERE area_code != 'gorenjska')")
    db.execute("DELETE FROM csd_units WHERE area_code != 'gorenjska'")
    db.execute("DELETE FROM meta WHERE key IN ('seed', 'demo_password')")
    audit.bump_all(db)


def convert_to_real(db: sqlite_utils.Database) -> None:
    """Turn a training database into an empty real one: every demo account and record is
    deleted first, so no demo password can sign in to real data."""
    with write(db):
        clear_records(db)
        mark(db, PRODUCTION)


def demo_password(db: sqlite_utils.Database) -> str:
    """The password of a training database's demo accounts (listed on its sign-in page)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'demo_password'").fetchone()
    return row[0] if row else ""
