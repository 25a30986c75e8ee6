"""Idempotent form submissions: a double-clicked save never makes two records.

A form carries a token made when it was shown. The first save stores the
token with the id it created, in the same transaction; a repeat of the same
token gets that id back instead of a second record.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import sqlite_utils

from workbench import audit
from workbench.db import write


def new_token() -> str:
    return secrets.token_urlsafe(16)


def once(db: sqlite_utils.Database, token: str | None, kind: str, user_id: int | None,
         create: Callable[[], int]) -> tuple[int, bool]:
    """Run ``create`` once per token; returns (record id, created now)."""
    with write(db):
        if token:
            row = db.execute("SELECT record_id FROM submissions WHERE token = ? AND kind = ?",
                             [token, kind]).fetchone()
            if row:
                return row[0], False
        record_id = create()
        if token:
            db.execute("INSERT INTO submissions (token, kind, record_id, user_id, created_at) "
                       "VALUES (?, ?, ?, ?, ?)", [token, kind, record_id, user_id, audit.now()])
        return record_id, True
