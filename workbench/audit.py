"""The audit log: who changed which field of which record when, and who opened a record.

Written inside the same transaction as the change itself, so a change
without its audit row (or the reverse) cannot exist. Each logged change also
raises its table's version (``data_versions``): a cached read made at older
versions is stale, in whichever server process holds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from workbench import config
from workbench.transactions import write

ALL_TABLES = "*"  # the version every cached read depends on (bump_all raises it)


def now() -> str:
    """The moment of a change: today's date as the app sees it, at the time of day of the
    clock. The date is the real one except under WORKBENCH_TODAY, which open_db accepts
    on training data and in tests only: a real database is refused with it set."""
    return config.stamp(dt.datetime.combine(config.today(), config.now().time()))


def moment(at: dt.datetime) -> str:
    """A moment of the real clock (a sign-in's, a lock's) as the log dates it: on a fixed
    demo day (WORKBENCH_TODAY, training data) that day at the moment's time, like every
    other entry, so the trail stays in order; otherwise the moment itself."""
    day = config.today() if config.get("today") else at.date()
    return config.stamp(dt.datetime.combine(day, at.time()))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# What an audit entry records. Data changes raise their table's data version; the others
# (reading a record, signing in, exporting a person's data) change nothing.
CHANGE_ACTIONS = ("create", "update", "delete")
ACTIONS = CHANGE_ACTIONS + ("open", "sign_in", "sign_in_failed", "sign_out", "unlock",
                            "export", "anonymise", "backup", "restore", "emso_elsewhere")

_COLUMNS = ("at", "user_id", "table_name", "record_id", "participant_id", "action", "field",
            "old_value", "new_value", "version", "reason")


# The hash chain. Each entry's hash is SHA-256 over the hash of the entry before it (the
# one with the next lower id; GENESIS for the first) and a canonical serialisation of the
# entry's own columns, its id included: editing a value, deleting an entry or slipping one
# in breaks the chain at that entry. Nothing secret goes in, so someone able to rewrite the
# file could recompute the whole chain; writing down the head (``head``) outside the
# database, e.g. from a nightly ``audit-check``, makes that visible too.
GENESIS = "0" * 64
_SEALED = ("id",) + _COLUMNS
_INTEGER_COLUMNS = frozenset({"id", "user_id", "record_id", "participant_id", "version"})
_INTEGER = re.compile(r"[+-]?\d+")
_DIGESTED = (_SEALED.index("old_value"), _SEALED.index("new_value"))


def _stored(column: str, value: object) -> object:
    """``value`` as SQLite will store it in ``column`` (its type affinity), so the hash made
    before the insert is the hash of what a later read returns."""
    if value is None:
        return None
    if column in _INTEGER_COLUMNS:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    return value if isinstance(value, str) else str(value)


# json.dumps(values, ensure_ascii=False, separators=(",", ":")), without building an
# encoder for every entry (a fifth of a million-entry check).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def seal(previous: str | None, entry: Iterable[object]) -> str:
    """The hash of one entry (its values in the order of ``_SEALED``) after ``previous``.

    The old and new values are sealed by their digests, so that ``redact`` can take a
    person's values out of the log without breaking the chain."""
    values = list(entry)
    for position in _DIGESTED:
        values[position] = _value_digest(values[position])
    canonical = _CANONICAL.encode(values)
    return hashlib.sha256(f"{previous or ''}\n{canonical}".encode()).hexdigest()


def head(db: sqlite_utils.Database) -> tuple[int, str] | None:
    """The newest entry's id and hash (None for an empty log): one look-up by primary key."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else (row[0], row[1])


def _insert(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """The one way an entry enters the audit log (rows in the order of ``_COLUMNS``).

    Chained to the newest entry inside the caller's write transaction: BEGIN IMMEDIATE
    holds the write lock from before the look-up of the newest entry to the commit, so two
    processes cannot both chain onto the same entry. (A caller outside a transaction gets
    one of its own.)
    """
    for row in rows:
        if row[5] not in ACTIONS:
            raise ValueError(f"unknown audit action: {row[5]!r}")
    if not rows:
        return
    with write(db):
        last = head(db)
        last_id, previous = (0, GENESIS) if last is None else last
        sealed = []
        for n, row in enumerate(rows, start=1):
            entry = [_stored(c, v) for c, v in zip(_SEALED, (last_id + n, *row), strict=True)]
            previous = seal(previous, entry)
            sealed.append((*entry, previous))
        db.conn.executemany(
            f"INSERT INTO audit_log ({', '.join(_SEALED)}, hash) "
            f"VALUES ({', '.join('?' * (len(_SEALED) + 1))})", sealed)


def _sealed_rows(db: sqlite_utils.Database, batch: int = 10_000) -> Iterator[tuple]:
    """Every entry (``_SEALED`` columns, then hash) in id order, a batch at a time: memory
    stays flat however long the log is, and no cursor stays open across a write."""
    after = None
    while True:
        rows = db.execute(
            f"SELECT {', '.join(_SEALED)}, hash FROM audit_log "
            f"{'' if after is None else 'WHERE id > :after '}ORDER BY id LIMIT :batch",
            {"after": after, "batch": batch}).fetchall()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1][0]


def seal_all(db: sqlite_utils.Database, batch: int = 10_000) -> int:
    """Give every entry its hash, in id order (migration 0011, for entries written before
    the chain existed); returns how many. Runs inside the caller's transaction."""
    previous = GENESIS
    pending: list[tuple[str, int]] = []
    count = 0
    for row in _sealed_rows(db, batch):
        previous = seal(previous, row[:-1])
        pending.append((previous, row[0]))
        if len(pending) >= batch:
            db.conn.executemany("UPDATE audit_log SET hash = ? WHERE id = ?", pending)
            count += len(pending)
            pending.clear()
    db.conn.executemany("UPDATE audit_log SET hash = ? WHERE id = ?", pending)
    return count + len(pending)


BREAK_KINDS = ("changed", "deleted", "inserted")
_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Break:
    """The first entry that does not fit the chain.

    ``kind``: "changed" (a value, or its hash, differs from what was sealed; also an entry
    put in the place of a deleted one), "deleted" (entries before it are missing: ids
    ``after`` + 1 to ``id`` - 1; at the end of the log, against an anchor, ``id`` is one past
    the anchor), "inserted" (the entry was not written by this module: it has no hash of
    ours, or the entry after it was chained straight onto the one before it). ``after`` is
    the last intact entry before it.
    """
    id: int
    kind: str
    after: int | None


def _classify(row: tuple, following: tuple | None, previous_id: int,
              previous: str) -> str:
    if row[-1] is None or not _HEX.fullmatch(str(row[-1])):
        return "inserted"
    if row[0] != previous_id + 1:
        return "deleted"
    if following is not None:
        if following[-1] == seal(row[-1], following[:-1]):
            return "changed"  # the entry after it was built on its hash: the hash is real
        if following[-1] == seal(previous, following[:-1]):
            return "inserted"
    return "changed"


_PARTICIPANT = _SEALED.index("participant_id")
_OLD, _NEW = _DIGESTED


# The newest entry that accounts for a person's redacted values: an anonymisation of her
# record while the record says she is anonymised, or an erasure while no record of hers
# is left, or one given her number again only afterwards (SQLite reuses the highest).
_EXPLAINED_SQL = """
SELECT MAX(e.id) FROM audit_log e
WHERE e.table_name = 'participants' AND e.record_id = :person AND (
    (e.action = 'anonymise' AND EXISTS (
        SELECT 1 FROM participants p WHERE p.id = :person AND p.anonymised_on IS NOT NULL))
    OR (e.action = 'delete' AND (
        NOT EXISTS (SELECT 1 FROM participants p WHERE p.id = :person)
        OR EXISTS (SELECT 1 FROM audit_log c WHERE c.table_name = 'participants'
                   AND c.record_id = :person AND c.action = 'create' AND c.id > e.id))))"""


def _unexplained_redactions(db: sqlite_utils.Database,
                            redacted: dict[int | None, int]) -> int | None:
    """The first entry whose values were redacted although no anonymisation or erasure of
    her record accounts for it: a redaction keeps the chain intact, so it must be explained.
    An "anonymise" entry only counts while her record is anonymised (one slipped in by hand
    next to values blanked by hand does not), and every redacted entry of hers must come
    before it. Two indexed look-ups per person redacted."""
    unexplained = []
    for person, first in redacted.items():
        if person is None:
            unexplained.append(first)
            continue
        explained = db.execute(_EXPLAINED_SQL, {"person": person}).fetchone()[0]
        if explained is None:
            unexplained.append(first)
            continue
        later = db.execute(
            "SELECT MIN(id) FROM audit_log WHERE participant_id = :person AND id > :after "
            "AND (old_value GLOB :redacted OR new_value GLOB :redacted)",
            {"person": person, "after": explained,
             "redacted": REDACTED_PREFIX + "*"}).fetchone()[0]
        if later is not None:
            unexplained.append(later)
    return min(unexplained, default=None)


def verify_chain(db: sqlite_utils.Database, anchor: tuple[int, str] | None = None,
                 batch: int = 10_000) -> Break | None:
    """Walk the log in id order; the first entry that breaks the chain, or None if intact.

    ``anchor``: a head (id, hash) written down earlier; an entry missing at the end, or a
    chain recomputed from the start, then shows as well. Values redacted (``redact``) keep
    the chain intact; an entry redacted with no anonymisation or erasure of the person
    after it (an anonymisation counts only while her record is anonymised) counts as
    changed.
    """
    previous_id, previous = 0, GENESIS
    redacted: dict[int | None, int] = {}  # person -> her first redacted entry
    rows = _sealed_rows(db, batch)
    row = next(rows, None)
    while row is not None:
        following = next(rows, None)
        if row[-1] != seal(previous, row[:-1]):
            return Break(row[0], _classify(row, following, previous_id, previous),
                         previous_id or None)
        old, new = row[_OLD], row[_NEW]
        if (old.__class__ is str and old.startswith(REDACTED_PREFIX)) or (
                new.__class__ is str and new.startswith(REDACTED_PREFIX)):
            redacted.setdefault(row[_PARTICIPANT], row[0])
        previous_id, previous = row[0], row[-1]
        row = following
    unexplained = _unexplained_redactions(db, redacted)
    if unexplained is not None:
        return Break(unexplained, "changed", unexplained - 1 or None)
    if anchor is not None:
        anchor_id, anchor_hash = anchor
        found = db.execute("SELECT hash FROM audit_log WHERE id = ?", [anchor_id]).fetchone()
        if found is None:  # missing: the entries after the last one left, up to the anchor
            return Break(anchor_id + 1, "deleted", previous_id or None)
        if found[0] != anchor_hash:
            return Break(anchor_id, "changed", anchor_id - 1 or None)
    return None


def log_changes(db: sqlite_utils.Database, user_id: int | None, table: str, record_id: int,
                participant_id: int | None, action: str, changes: dict[str, tuple[object, object]],
                version: int | None = None, reason: str | None = None) -> None:
    """One row per changed field; ``changes`` maps field -> (old, new)."""
    at = now()
    _insert(db, [(at, user_id, table, record_id, participant_id, action, field, _text(old),
                  _text(new), version, reason) for field, (old, new) in changes.items()])
    if changes:
        bump(db, table)


def log_event(db: sqlite_utils.Database, user_id: int | None, action: str, table: str,
              record_id: int | None, participant_id: int | None = None, *,
              field: str | None = None, value: object = None, reason: str | None = None,
              at: str | None = None) -> None:
    """An entry that changes no data: a sign-in, a failed one, an export."""
    _insert(db, [(at or now(), user_id, table, record_id, participant_id, action, field, None,
                  _text(value), None, reason)])


# -- exports of personal data ----------------------------------------------------------
EXPORTS = "exports"  # the table name of an export's entry: its value says what it held
EXPORT_SOURCES = ("page", "command_line")
EXPORT_KINDS = ("ema", "esf_csv", "payment_sheet", "payment_region", "attendance_sheet",
                "attendance_print", "ics", "chart_csv", "chart_png", "chart_svg")


@dataclass(frozen=True)
class Export:
    """What a file made for someone holds, for the audit log: ``kind`` (one of
    EXPORT_KINDS), ``params`` (which year, month, programme, area, period, chart: codes,
    ids and dates, never typed text) and ``people`` (how many people's data are in it;
    None for counts only)."""
    kind: str
    params: dict[str, object]
    people: int | None


def log_export(db: sqlite_utils.Database, user_id: int | None, export: Export,
               source: str) -> None:
    """An export in the log (a reader sees its value: parameters and a count, no person's
    data): who, from where (``source``: the page or the command line), what."""
    if export.kind not in EXPORT_KINDS or source not in EXPORT_SOURCES:
        raise ValueError(f"unknown export {export.kind!r} from {source!r}")
    said = json.dumps({**export.params, "people": export.people}, ensure_ascii=False,
                      sort_keys=True, default=str)
    with write(db):
        log_event(db, user_id, "export", EXPORTS, None, field=export.kind, value=said,
                  reason=source)


def bump(db: sqlite_utils.Database, table: str) -> None:
    """Raise ``table``'s data version: for rows written without an audit row of their own
    (a programme's generated sessions are audited as one change of the programme)."""
    db.execute("INSERT INTO data_versions (table_name, version) VALUES (?, 1) "
               "ON CONFLICT (table_name) DO UPDATE SET version = version + 1", [table])


def bump_all(db: sqlite_utils.Database) -> None:
    """Every cached read is stale: for changes made without the audit log (a training
    database emptied and refilled)."""
    bump(db, ALL_TABLES)


def data_versions(db: sqlite_utils.Database) -> dict[str, int]:
    return dict(db.execute("SELECT table_name, version FROM data_versions").fetchall())


def log_created(db: sqlite_utils.Database, user_id: int | None, table: str, record_id: int,
                participant_id: int | None, values: dict[str, object]) -> None:
    log_changes(db, user_id, table, record_id, participant_id, "create",
                {k: (None, v) for k, v in values.items() if v not in (None, "")}, version=1)


def log_open(db: sqlite_utils.Database, user_id: int, participant_id: int) -> None:
    with write(db):
        log_event(db, user_id, "open", "participants", participant_id, participant_id)


@dataclass(frozen=True)
class Change:
    at: str
    user: str | None  # None: the system (e.g. follow-ups created at an exit)
    table: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    reason: str | None
    user_sex: str | None = None  # the account's sex, when it says: "spremenila" / "spremenil"


_CHANGE_SQL = """
SELECT a.at, u.display_name, a.table_name, a.action, a.field, a.old_value,
       a.new_value, a.reason, u.sex
FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
WHERE a.participant_id = :participant"""


def changes_since(db: sqlite_utils.Database, table: str, record_id: int,
                  version: int) -> list[Change]:
    """Field changes of one record after ``version``: what a conflict reports."""
    rows = db.execute(
        "SELECT a.at, u.display_name, a.table_name, a.action, a.field, a.old_value, "
        "a.new_value, a.reason, u.sex FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
        "WHERE a.table_name = :table AND a.record_id = :record AND a.version > :version "
        f"AND a.action IN ({', '.join(repr(a) for a in CHANGE_ACTIONS)}) ORDER BY a.id",
        {"table": table, "record": record_id, "version": version}).fetchall()
    return [Change(*r) for r in rows]


HISTORY_SQL = _CHANGE_SQL + " ORDER BY a.id DESC LIMIT :limit"


def history(db: sqlite_utils.Database, participant_id: int, limit: int = 200) -> list[Change]:
    """The latest audit rows about one person, opens included, newest first."""
    rows = db.execute(HISTORY_SQL, {"participant": participant_id, "limit": limit}).fetchall()
    return [Change(*r) for r in rows]


# -- redaction: anonymisation and erasure take a person's values out of the log ------------
REDACTED_PREFIX = "redacted:sha256:"


def redact(db: sqlite_utils.Database, participant_id: int) -> int:
    """Replace the old and new values of every entry about a person by the digest of what
    they were (inside the caller's transaction); returns how many entries changed.

    The chain seals each value by its digest (``_value_digest``), so a redacted entry still
    verifies; what it said is gone, that it existed and when stays.
    """
    rows = db.execute("SELECT id, old_value, new_value FROM audit_log WHERE participant_id = ? "
                      "AND (old_value IS NOT NULL OR new_value IS NOT NULL)",
                      [participant_id]).fetchall()
    db.conn.executemany("UPDATE audit_log SET old_value = ?, new_value = ? WHERE id = ?",
                        [(_redacted(old), _redacted(new), entry) for entry, old, new in rows])
    return len(rows)


def _redacted(value: str | None) -> str | None:
    if value is None or value.startswith(REDACTED_PREFIX):
        return value
    return REDACTED_PREFIX + hashlib.sha256(value.encode()).hexdigest()


def _value_digest(value: object) -> str | None:
    """What the chain seals of a value: its digest (a redacted value carries it)."""
    if value is None:
        return None
    text = str(value)
    if text.startswith(REDACTED_PREFIX):
        return text[len(REDACTED_PREFIX):]
    return hashlib.sha256(text.encode()).hexdigest()
