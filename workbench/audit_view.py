"""The audit viewer's reads: the log filtered, paginated and minimised, for the
administrator and the data-protection officer only.

Neither of them sees people's names anywhere in the workbench, and here neither: a person
is her record number, and of the tables that hold people's data an entry shows which field
changed, never the values (nor the free-text reason). Values of account changes (role,
unit, active) and the username typed at a sign-in are shown: they are what an account
review is about.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from workbench import access, audit, auth, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.transactions import write

PER_PAGE = 50
MAX_PER_PAGE = 200
# The pager counts this many matching entries at most: a count over a whole national log
# would read every entry on every page view; "more than 10,000" is enough to narrow down.
COUNT_CAP = 10_000
EXPORT_MAX = 100_000  # entries in one CSV download
# Tables whose values an audit reader may see: accounts, the programmes' own settings, the
# database file (a backup's path). Every other table holds a person's data (and an entry
# naming a person is hers anyway).
VALUE_TABLES = frozenset({"users", "month_locks", "programmes", "programme_modules",
                          "providers", "rules", "database", audit.EXPORTS})
# Reasons the workbench itself writes (a code, never someone's words): shown everywhere.
REASON_CODES = frozenset({"wrong", "locked", "too_soon", "sso", "sso_unknown", "audit_csv",
                          "retention", "access_request", "verified", "restored",
                          *audit.EXPORT_SOURCES})
# Reasons an administrator typed to justify a data-protection action: what the DPO reviews.
JUSTIFIED_ACTIONS = frozenset({"delete"})
# A log this short is checked whenever the page opens (measured: ~10 µs an entry);
# a longer one on request.
AUTO_VERIFY_MAX = 20_000


@dataclass(frozen=True)
class Filters:
    user: int | None = None  # the acting account
    person: int | None = None  # participant id
    action: str | None = None
    table: str | None = None
    start: dt.date | None = None  # first day, inclusive
    end: dt.date | None = None  # last day, inclusive

    def check(self) -> None:
        if self.action is not None and self.action not in audit.ACTIONS:
            raise UserError("auditlog.bad_action")
        if self.start and self.end and self.start > self.end:
            raise UserError("auditlog.period_invalid")


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    user_id: int | None
    username: str | None  # None: the system, or a sign-in nobody was identified by
    user_name: str | None
    table: str
    record_id: int | None
    person: int | None  # participant id, never a name
    action: str
    field: str | None
    old: str | None  # None when there was none or it is not shown (``withheld``)
    new: str | None
    reason: str | None
    withheld: bool  # a person's values were left out: which field, not what it said
    redacted: bool  # removed from the log by an anonymisation or erasure


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    total: int  # matching entries, at most COUNT_CAP
    more: bool  # more than COUNT_CAP match
    page: int  # the page shown (1-based; the last one when a later one was asked for)
    pages: int
    asked: int  # the page asked for


def _where(f: Filters, ordered: bool = False) -> tuple[str, dict[str, object]]:
    """The filters as SQL. ``ordered``: for a page, which reads the newest first: a table's
    entries are then picked off the time index (its first page is found after a few
    entries) rather than all looked up by table and sorted (0.4 s for 170,000 entries)."""
    clauses, params = [], {}
    if f.user is not None:
        clauses.append("a.user_id = :user")
        params["user"] = f.user
    if f.person is not None:
        clauses.append("a.participant_id = :person")
        params["person"] = f.person
    if f.action is not None:
        clauses.append("a.action = :action")
        params["action"] = f.action
    if f.table is not None:
        clauses.append(("+" if ordered else "") + "a.table_name = :table")
        params["table"] = f.table
    # ``at`` is an ISO timestamp: a day's entries lie in [day, next day).
    if f.start is not None:
        clauses.append("a.at >= :start")
        params["start"] = f.start.isoformat()
    if f.end is not None:
        clauses.append("a.at < :end")
        params["end"] = (f.end + dt.timedelta(days=1)).isoformat()
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_SELECT = """
SELECT a.id, a.at, a.user_id, u.username, u.display_name, a.table_name, a.record_id,
       a.participant_id, a.action, a.field, a.old_value, a.new_value, a.reason
FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"""
# Newest first; ``at`` then id, so that the (user_id, at) and (at) indexes give the order.
_ORDER = " ORDER BY a.at DESC, a.id DESC"


def page_sql(f: Filters) -> tuple[str, dict[str, object]]:
    """The query of one page (for EXPLAIN QUERY PLAN in the tests)."""
    where, params = _where(f, ordered=True)
    return _SELECT + where + _ORDER + " LIMIT :limit OFFSET :offset", params


def count_sql(f: Filters) -> tuple[str, dict[str, object]]:
    where, params = _where(f)
    return f"SELECT COUNT(*) FROM (SELECT 1 FROM audit_log a{where} LIMIT :cap)", params


# What an export entry's value may say, in the order a reader reads it (audit.log_export).
EXPORT_PARAMS = ("chart", "area", "year", "month", "programme", "coordinator", "start", "end",
                 "people")
# The export parameters that are ids, and the change-log field whose names they are.
EXPORT_IDS = {"programme": "programme_id", "coordinator": "coordinator_id"}


def export_params(value: str | None) -> list[tuple[str, object]]:
    """What an export entry's value says, parameter by parameter in EXPORT_PARAMS' order
    (absent ones and a count of None left out; a value that is no such record: none)."""
    try:
        said = json.loads(value or "")
    except ValueError:
        return []
    if not isinstance(said, dict):
        return []
    return [(name, said[name]) for name in EXPORT_PARAMS if said.get(name) is not None]


def _shown(row: tuple) -> Entry:
    (entry_id, at, user_id, username, user_name, table, record_id, person, action, field,
     old, new, reason) = row
    redacted = any(isinstance(v, str) and v.startswith(audit.REDACTED_PREFIX)
                   for v in (old, new))
    private = person is not None or table not in VALUE_TABLES
    coded = reason if reason in REASON_CODES or action in JUSTIFIED_ACTIONS else None
    withheld = private and not redacted and (
        old is not None or new is not None or (reason is not None and coded is None))
    if private or redacted:
        old = new = None
        reason = coded
    return Entry(entry_id, at, user_id, username, user_name, table, record_id, person, action,
                 field, old, new, reason, withheld, redacted)


def entries(db: sqlite_utils.Database, actor: User, filters: Filters, page: int = 1,
            per_page: int = PER_PAGE) -> Page:
    """One page of the entries that match, newest first, minimised for the reader."""
    access.require_audit_reader(actor)
    filters.check()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    asked = max(1, int(page))
    sql, params = count_sql(filters)
    total = db.execute(sql, {**params, "cap": COUNT_CAP + 1}).fetchone()[0]
    more = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, -(-total // per_page))
    shown = min(asked, pages)
    sql, params = page_sql(filters)
    # Nothing counted, nothing to read: an action no entry has would otherwise be looked
    # for through the whole log twice (there is no index on the action).
    rows = [] if not total else db.execute(
        sql, {**params, "limit": per_page, "offset": (shown - 1) * per_page}).fetchall()
    return Page([_shown(r) for r in rows], total, more, shown, pages, asked)


def _all(db: sqlite_utils.Database, filters: Filters) -> Iterator[Entry]:
    sql, params = page_sql(filters)
    cursor = db.execute(sql, {**params, "limit": EXPORT_MAX, "offset": 0})
    while rows := cursor.fetchmany(1000):
        for row in rows:
            yield _shown(row)


CSV_COLUMNS = ("id", "at", "username", "action", "table", "record", "person", "field", "old",
               "new", "reason")


def entries_csv(db: sqlite_utils.Database, actor: User, filters: Filters,
                header: Callable[[str], str], label: Callable[[str, str], str]) -> bytes:
    """Every matching entry (up to EXPORT_MAX), minimised as on screen, as CSV (semicolons,
    UTF-8 with BOM, as a Slovenian Excel opens it). ``label(kind, code)`` names actions
    ("action"), tables ("table"), fields ("field"), reasons the workbench writes
    ("reason"; typed ones as typed) and an export's parameters ("export"). The download
    itself is written to the log."""
    access.require_audit_reader(actor)
    filters.check()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([header(c) for c in CSV_COLUMNS])
    for e in _all(db, filters):
        hidden = label("hidden", "redacted" if e.redacted else "withheld") \
            if e.withheld or e.redacted else None
        if e.table == audit.EXPORTS and e.new is not None:
            e = dataclasses.replace(e, new="; ".join(
                f"{label('export', name)}: {value}" for name, value in export_params(e.new)))
        writer.writerow([e.id, e.at, e.username or "", label("action", e.action),
                         label("table", e.table), e.record_id or "",
                         "" if e.person is None else e.person,
                         label("field", e.field) if e.field else "",
                         hidden or e.old or "", hidden or e.new or "",
                         label("reason", e.reason) if e.reason else ""])
    with write(db):
        audit.log_event(db, actor.id, "export", "audit_log", None, filters.person,
                        reason="audit_csv")
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Fields of a change log that hold the id (or code) of something with a name a reader of the
# log may see: accounts, places, programmes, providers, CSD units; never a person's id.
_NAMES = {  # field -> (table, key column, name column)
    **dict.fromkeys(vocab.ACCOUNT_FIELDS, ("users", "id", "display_name")),
    "municipality_id": ("municipalities", "id", "name"),
    "programme_id": ("programmes", "id", "name"),
    "provider_id": ("providers", "id", "name"),
    "unit_code": ("csd_units", "code", "name"),
    "area_code": ("csd_areas", "code", "name"),
}


def id_names(db: sqlite_utils.Database,
             values: Iterable[tuple[str | None, object]]) -> dict[tuple[str, str], str]:
    """(field, stored id) -> the name it stands for, for the ids among ``values`` (a change
    log's fields and values): "Kranj", not municipality 8; "Tečaj", not programme 19."""
    wanted: dict[str, set[str]] = {}
    for field, value in values:
        if field in _NAMES and value not in (None, ""):
            wanted.setdefault(field, set()).add(str(value))
    found = {}
    for field, ids in wanted.items():
        table, key, name = _NAMES[field]
        rows = db.execute(f"SELECT {key}, {name} FROM {table} WHERE {key} IN "
                          f"({', '.join('?' * len(ids))})", sorted(ids)).fetchall()
        found |= {(field, str(k)): n for k, n in rows}
    return found


def accounts(db: sqlite_utils.Database, actor: User) -> list[User]:
    """Every account, switched off ones too: the user filter's options."""
    access.require_audit_reader(actor)
    return auth.list_users(db)


def tables(db: sqlite_utils.Database, actor: User) -> list[str]:
    """The tables the log names, read off the (table_name, ...) index one value at a time
    (a few look-ups, not a scan of the log)."""
    access.require_audit_reader(actor)
    rows = db.execute("""
        WITH RECURSIVE t(name) AS (
          SELECT MIN(table_name) FROM audit_log
          UNION ALL
          SELECT (SELECT MIN(table_name) FROM audit_log WHERE table_name > t.name)
          FROM t WHERE t.name IS NOT NULL)
        SELECT name FROM t WHERE name IS NOT NULL""").fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class ChainStatus:
    checked: bool  # False: the log is long, check on request
    broken: audit.Break | None
    entries: int  # the newest entry's id (ids have no gaps in an intact log)
    seconds: float


def chain_status(db: sqlite_utils.Database, actor: User, force: bool = False) -> ChainStatus:
    """The hash chain's check: at once for a short log, on request (``force``) for a long
    one (about ten seconds for a million entries)."""
    access.require_audit_reader(actor)
    last = audit.head(db)
    size = 0 if last is None else last[0]
    if not force and size > AUTO_VERIFY_MAX:
        return ChainStatus(False, None, size, 0.0)
    started = time.perf_counter()
    broken = audit.verify_chain(db)
    return ChainStatus(True, broken, size, time.perf_counter() - started)
