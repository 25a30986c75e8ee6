"""Whether a database holds training (fictitious) data or real records.

The marker lives inside the database itself, so that a copied file keeps it
and the app can show the training banner whatever path it was opened from.
"""

from __future__ import annotations

import sqlite_utils

from workbench.db import write

TRAINING = "training"
PRODUCTION = "production"


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


def ensure_production(db: sqlite_utils.Database) -> None:
    """Mark a database that has no marker yet as real: from then on the seed refuses it."""
    if kind(db) is None:
        mark(db, PRODUCTION)
