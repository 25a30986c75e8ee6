"""Every form's library function under the bad-input corpus (tests/bad_inputs.py).

For each input a form either refuses with a clear message (a UserError whose key is in
the Slovenian catalogue) and writes nothing at all, or saves it correctly: the stored
text is what ``workbench.text.clean`` makes of it, a stored date is the date typed, a
stored number the number given, and nothing invisible (NUL, controls, bidi overrides)
is ever stored. Any other exception is a failure. Double submits save once, and the
HTML builders of the UI escape whatever a name or a note holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html.parser
import logging
import math
import random
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests import bad_inputs
from tests.bad_inputs import Bad
from tests.casework_helpers import coordinator, municipality_id, valid_form
from tests.conftest import TODAY
from workbench import (
    accounts,
    attendance,
    auth,
    board,
    casework,
    dates,
    emso,
    enrolment,
    i18n,
    participants,
    pipeline,
    places,
    programmes,
    schedule,
    text,
    vocab,
)
from workbench.db import open_db
from workbench.errors import UserError
from workbench.programmes import Module, ProgrammeInput
from workbench.rules import rule_value

BORN = dt.date(1988, 3, 14)
MIN_AGE = 15  # the seeded rule min_age
PASSWORD = "Zelo-dolgo-geslo-42"
# What must never be stored: controls, format characters (zero-width, bidi), surrogates,
# private use and unassigned code points (tabs and line breaks of notes excepted).
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


# -- nothing written: the snapshot ----------------------------------------------------------
def snapshot(db) -> dict[str, object]:
    """Row counts of every table, the data versions and the audit log's length."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    counts = dict(db.execute(" UNION ALL ".join(
        f"SELECT '{t}', COUNT(*) FROM [{t}]" for t in tables)).fetchall())
    return {"counts": counts,
            "data_versions": dict(db.execute(
                "SELECT table_name, version FROM data_versions").fetchall()),
            "audit_log": db.execute("SELECT COUNT(*), MAX(id) FROM audit_log").fetchone(),
            "versions": db.execute(
                "SELECT (SELECT TOTAL(version) FROM participants), "
                "(SELECT TOTAL(version) FROM sessions), (SELECT TOTAL(version) FROM programmes),"
                " (SELECT TOTAL(version) FROM plan_goals), "
                "(SELECT TOTAL(version) FROM referrals_out)").fetchone()}


class Watcher:
    """A second connection to the same file: its ``PRAGMA data_version`` changes when any
    other connection commits, so "nothing committed" is checked, not assumed."""

    def __init__(self, path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]


@dataclass
class Ctx:
    db: object
    watcher: Watcher
    ana: auth.User
    maja: auth.User
    admin: auth.User
    pid: int            # a person of Ana's, no EMŠO, referred 100 days ago
    goal_id: int
    provider_id: int
    programme_id: int   # a short programme of Ana's area, with room for 60
    counter: Iterator[int]

    def n(self) -> int:
        return next(self.counter)


@pytest.fixture
def ctx(seeded_path):
    db = open_db(seeded_path, create=True)
    db.execute("PRAGMA synchronous = OFF")  # thousands of small commits; no crash here
    ana, maja = coordinator(db), coordinator(db, "maja.zupan")
    admin = auth.get_user_by_name(db, "admin")
    pid, _ = participants.create_person(
        db, ana, valid_form(db, emso=None, first_name="Korpus",
                            referral_date=TODAY - dt.timedelta(days=100)),
        coordinator_id=ana.id, today=TODAY, different_person=True)
    goal_id, _ = casework.add_goal(db, ana, pid, "Cilj", None, today=TODAY)
    provider_id = programmes.save_provider(db, ana, "Izvajalec korpusa")
    programme_id = programmes.create(db, ana, ProgrammeInput(
        name="Program korpusa", provider_id=provider_id, type="short", capacity=60,
        municipality_id=municipality_id(db), start_date=TODAY - dt.timedelta(days=30),
        end_date=TODAY + dt.timedelta(days=60)), (Module("Program", 3, "months", 4.0, (0, 2)),))
    context = Ctx(db, Watcher(seeded_path), ana, maja, admin, pid, goal_id, provider_id,
                  programme_id, iter(range(1, 10**9)))
    yield context
    context.watcher.conn.close()
    db.close()


# -- running a form ------------------------------------------------------------------------
MISSING = object()  # "the form saved nothing to read back" (e.g. an empty optional step)


@dataclass(frozen=True)
class Expect:
    """What an input should do: ``refuse`` True (must refuse), False (must save) or None
    (either); ``stored`` is the value a save must store."""
    refuse: bool | None
    stored: object = None


Form = Callable[[Ctx, object], Iterator[None]]


@dataclass(frozen=True)
class Case:
    """A form field under test: ``run`` is a generator (set-up, ``yield``, then the one
    call of the form; it returns what was stored), ``expect`` the oracle, ``allowed``
    message keys a valid input may still get for reasons outside the field."""
    name: str
    run: Form
    expect: Callable[[object], Expect]
    allowed: frozenset[str] = frozenset()
    readonly: bool = False  # a search: even a success writes nothing

    def __repr__(self) -> str:
        return self.name


def attempt(ctx: Ctx, case: Case, bad: Bad, value: object) -> str | None:
    """Run one input through one form; returns a description of what went wrong."""
    runner = case.run(ctx, value)
    next(runner)  # the set-up (it may write: a fresh person, a lock to lift...)
    before, committed = snapshot(ctx.db), ctx.watcher.version()
    try:
        next(runner)
    except StopIteration as done:
        stored, error = done.value, None
    except UserError as err:
        stored, error = None, err
    except Exception as err:  # noqa: BLE001 - the failure this test exists to find
        return f"{bad!r}: unexpected {type(err).__name__}: {str(err)[:120]}"
    else:
        return f"{bad!r}: the form yielded twice"
    if ctx.db.conn.in_transaction:
        ctx.db.conn.execute("ROLLBACK")
        return f"{bad!r}: a transaction was left open"
    expected = case.expect(value)
    if error is not None:
        unchanged = snapshot(ctx.db) == before and ctx.watcher.version() == committed
        if error.key not in i18n.SL:
            return f"{bad!r}: message key {error.key!r} is not in the Slovenian catalogue"
        if not unchanged:
            return f"{bad!r}: refused ({error.key}) but something was written"
        if expected.refuse is False and error.key not in case.allowed:
            return f"{bad!r}: a valid input was refused with {error.key}"
        return None
    if case.readonly and (snapshot(ctx.db) != before or ctx.watcher.version() != committed):
        return f"{bad!r}: a search wrote to the database"
    if expected.refuse is True:
        return f"{bad!r}: saved what should be refused (stored {str(stored)[:60]!r})"
    if not case.readonly and expected.stored is not MISSING and stored != expected.stored \
            and not _same_number(stored, expected.stored):
        return (f"{bad!r}: stored {str(stored)[:60]!r}, "
                f"expected {str(expected.stored)[:60]!r}")
    if isinstance(stored, str) and any(
            unicodedata.category(c) in INVISIBLE and c not in "\n\t" for c in stored):
        return f"{bad!r}: stored invisible or control characters"
    return None


def _same_number(a: object, b: object) -> bool:
    return (isinstance(a, int | float) and isinstance(b, int | float)
            and not isinstance(a, bool) and float(a) == float(b))


def run_all(ctx: Ctx, case: Case, corpus: tuple[Bad, ...], value_of=None) -> None:
    problems = []
    for bad in corpus:
        value = value_of(bad) if value_of else bad_inputs.relative(bad, TODAY)
        problem = attempt(ctx, case, bad, value)
        if problem:
            problems.append(problem)
    assert not problems, f"{case.name}:\n" + "\n".join(problems)


def column(db, table: str, name: str, record_id: int) -> object:
    return db.execute(f"SELECT {name} FROM {table} WHERE id = ?", [record_id]).fetchone()[0]


def version_of(db, pid: int) -> int:
    return column(db, "participants", "version", pid)


def fresh_person(ctx: Ctx, **form) -> int:
    pid, _ = participants.create_person(
        ctx.db, ctx.ana, valid_form(ctx.db, **{"emso": None, "first_name": f"Oseba{ctx.n()}",
                                               "referral_date": TODAY - dt.timedelta(days=50),
                                               **form}),
        coordinator_id=ctx.ana.id, today=TODAY, different_person=True)
    return pid


def plain_day(ctx: Ctx, past: bool = False) -> dt.date:
    """A new working day (no holiday), one per call, past the seeded calendar (or before
    today: a visit's contact has happened), so that entries never overlap."""
    while True:
        shift = ctx.n() % 600
        day = TODAY - dt.timedelta(days=shift + 1) if past else \
            TODAY + dt.timedelta(days=shift + 100)
        if schedule.holiday(day) is None:
            return day


# -- oracles -------------------------------------------------------------------------------
def by_clean(limit: int, *, required: bool = False, multiline: bool = False,
             strict: bool = True, empty=None) -> Callable[[object], Expect]:
    """A text field: refused exactly when ``text.clean`` refuses (or when it is empty and
    required); a save stores what ``clean`` returns. ``strict=False``: the field has
    rules of its own (a phone number's digits), so a clean text may still be refused."""
    def expect(value: object) -> Expect:
        try:
            cleaned = text.clean(value, limit=limit, required=required, multiline=multiline)
        except UserError:
            return Expect(True)
        if cleaned is None and empty is not None:
            cleaned = empty
        return Expect(None if not strict else False, cleaned)
    return expect


def by_date(valid: Callable[[dt.date], bool] | None = None, *, required: bool = True,
            stored: Callable[[dt.date], object] = dt.date.isoformat):
    """A date field: refused when it is no date (``dates.coerce``) or outside ``valid``;
    a save stores the date given."""
    def expect(value: object) -> Expect:
        try:
            day = dates.coerce(value)
        except UserError:
            return Expect(True)
        if day is None:
            return Expect(True) if required else Expect(None, None)
        if valid is None:
            return Expect(None, stored(day))
        return Expect(not valid(day), stored(day))
    return expect


def by_predicate(valid: Callable[[object], bool], stored=lambda v: v):
    def expect(value: object) -> Expect:
        try:
            ok = valid(value)
        except (TypeError, ValueError, OverflowError):
            ok = False
        return Expect(not ok, stored(value) if ok else None)
    return expect


def anything(value: object) -> Expect:
    return Expect(None, MISSING)


def event_range(earliest: dt.date = dates.EARLIEST_CASE_DATE):
    return lambda day: earliest <= day <= TODAY


def plan_range(day: dt.date) -> bool:
    return TODAY <= day <= TODAY.replace(year=TODAY.year + dates.LATEST_PLAN_YEARS, day=22)


# -- text forms ----------------------------------------------------------------------------
PERSON_TEXT = {"first_name": (text.NAME_MAX, True, True), "last_name": (text.NAME_MAX, True, True),
               "address": (text.SHORT_TEXT_MAX, False, True),
               "phone": (text.PHONE_MAX, False, False),     # digits and + ( ) / . - only
               "email": (text.SHORT_TEXT_MAX, False, False),  # needs an @ and a dot
               "referral_person": (text.SHORT_TEXT_MAX, False, True)}


def _person_create(field: str) -> Form:
    def run(ctx: Ctx, value):
        form = valid_form(ctx.db, emso=None, **{field: value})
        yield
        pid, _ = participants.create_person(ctx.db, ctx.ana, form, coordinator_id=ctx.ana.id,
                                            today=TODAY, different_person=True)
        return _person_text(ctx, pid, field)
    return run


def _person_update(field: str) -> Form:
    def run(ctx: Ctx, value):
        version = version_of(ctx.db, ctx.pid)
        yield
        participants.update_person(ctx.db, ctx.ana, ctx.pid, version, {field: value},
                                   today=TODAY)
        return _person_text(ctx, ctx.pid, field)
    return run


def _person_text(ctx: Ctx, pid: int, field: str) -> object:
    row = ctx.db.execute("SELECT first_name, last_name, name_key FROM participants "
                         "WHERE id = ?", [pid]).fetchone()
    assert row[2] == text.name_key(row[0], row[1]), "the search key follows the name"
    return column(ctx.db, "participants", field, pid)


def _goal(ctx, value):
    yield
    gid, _ = casework.add_goal(ctx.db, ctx.ana, ctx.pid, value, None, today=TODAY)
    return column(ctx.db, "plan_goals", "goal", gid)


def _step(ctx, value):
    yield
    sid, _ = casework.add_step(ctx.db, ctx.ana, ctx.goal_id, value, None, today=TODAY)
    return column(ctx.db, "plan_steps", "step", sid)


def _goal_new_step(ctx, value):
    version = column(ctx.db, "plan_goals", "version", ctx.goal_id)
    last = ctx.db.execute("SELECT MAX(id) FROM plan_steps").fetchone()[0]
    yield
    casework.update_goal(ctx.db, ctx.ana, ctx.goal_id, version, "open", value, None,
                         today=TODAY)
    added = ctx.db.execute("SELECT step FROM plan_steps WHERE id > ? AND goal_id = ?",
                           [last, ctx.goal_id]).fetchall()
    return added[0][0] if added else None


def _contact(note_field: str) -> Form:
    def run(ctx, value):
        fields = {"note": "Pogovor", "next_step": ""} | {note_field: value}
        yield
        cid, _ = casework.add_contact(ctx.db, ctx.ana, ctx.pid, on=TODAY, kind="phone",
                                      today=TODAY, **fields)
        return column(ctx.db, "contacts", note_field, cid)
    return run


def _task(ctx, value):
    yield
    tid, _ = casework.add_task(ctx.db, ctx.ana, ctx.pid, value, TODAY + dt.timedelta(days=7),
                               today=TODAY)
    return column(ctx.db, "tasks", "title", tid)


def _referral(field: str) -> Form:
    def run(ctx, value):
        fields = {"institution": "ZRSZ Kranj", "purpose": ""} | {field: value}
        yield
        rid, _ = casework.add_referral_out(ctx.db, ctx.ana, ctx.pid, sent_on=TODAY,
                                           today=TODAY, **fields)
        return column(ctx.db, "referrals_out", field, rid)
    return run


def _referral_answer(ctx, value):
    rid, _ = casework.add_referral_out(ctx.db, ctx.ana, ctx.pid, "Ljudska univerza", "",
                                       sent_on=TODAY, today=TODAY)
    yield
    casework.answer_referral_out(ctx.db, ctx.ana, rid, 1, "accepted", value, on=TODAY,
                                 today=TODAY)
    return column(ctx.db, "referrals_out", "answer", rid)


def _reassign_reason(ctx, value):
    row = ctx.db.execute("SELECT version, coordinator_id FROM participants WHERE id = ?",
                         [ctx.pid]).fetchone()
    target = ctx.maja.id if row[1] == ctx.ana.id else ctx.ana.id
    yield
    participants.reassign(ctx.db, ctx.ana, ctx.pid, row[0], target, value)
    return ctx.db.execute("SELECT reason FROM audit_log WHERE table_name = 'participants' "
                          "AND record_id = ? AND field = 'coordinator_id' ORDER BY id DESC "
                          "LIMIT 1", [ctx.pid]).fetchone()[0]


def _step_back_reason(ctx, value):
    if column(ctx.db, "participants", "stage", ctx.pid) == "referred":
        pipeline.move_stage(ctx.db, ctx.ana, ctx.pid, version_of(ctx.db, ctx.pid),
                            pipeline.Move("first_interview", TODAY), today=TODAY)
    version = version_of(ctx.db, ctx.pid)
    yield
    pipeline.move_stage(ctx.db, ctx.ana, ctx.pid, version,
                        pipeline.Move("referred", TODAY, reason=value), today=TODAY)
    return ctx.db.execute("SELECT reason FROM stage_history WHERE participant_id = ? "
                          "ORDER BY id DESC LIMIT 1", [ctx.pid]).fetchone()[0]


def _provider(ctx, value):
    yield
    provider = programmes.save_provider(ctx.db, ctx.ana, value)
    return column(ctx.db, "providers", "name", provider)


def _programme(field: str) -> Form:
    def run(ctx, value):
        fields = {"name": f"Program {ctx.n()}", "start_date": TODAY,
                  "end_date": PROGRAMME_END} | {field: value}
        form = ProgrammeInput(provider_id=ctx.provider_id, type="short", **fields)
        yield
        programme = programmes.create(ctx.db, ctx.ana, form,
                                      (Module("Program", 3, "months", 4.0, (0,)),))
        return column(ctx.db, "programmes", field, programme)
    return run


def _module_name(ctx, value):
    yield
    [module] = programmes.clean_modules([{"name": value, "length": 3, "unit": "months",
                                          "hours_per_day": 4, "weekdays": ["0"]}])
    return module.name


def _closure_reason(ctx, value):
    day = TODAY + dt.timedelta(days=ctx.n())
    yield
    schedule.add_closure(ctx.db, ctx.ana, ctx.programme_id, day, value)
    return ctx.db.execute("SELECT reason FROM closure_days WHERE programme_id = ? AND day = ?",
                          [ctx.programme_id, day.isoformat()]).fetchone()[0]


def _entry(field: str) -> Form:
    def run(ctx, value):
        fields = {"title": "Srečanje", "location": "", "holiday_reason": ""} | {field: value}
        entry = schedule.Entry(kind="group", day=plain_day(ctx), start_time="10:00", hours=2,
                               **fields)
        yield
        sid = schedule.add_entry(ctx.db, ctx.ana, entry, today=TODAY)
        return column(ctx.db, "sessions", field, sid)
    return run


def _visit_note(ctx, value):
    entry = schedule.Entry(kind="mobile_unit", day=plain_day(ctx, past=True), start_time="06:00",
                           hours=1,
                           title="Obisk", municipality_id=municipality_id(ctx.db),
                           people=(ctx.pid,))
    last = ctx.db.execute("SELECT MAX(id) FROM contacts").fetchone()[0]
    yield
    schedule.add_entry(ctx.db, ctx.ana, entry, today=TODAY, contact_note=value)
    return ctx.db.execute("SELECT note FROM contacts WHERE id > ? AND participant_id = ?",
                          [last, ctx.pid]).fetchone()[0]


def _unlock_reason(ctx, value):
    programme, month = ctx.db.execute(
        "SELECT programme_id, month FROM month_locks ORDER BY programme_id, month "
        "LIMIT 1").fetchone() or (None, None)
    if programme is None:  # every lock lifted by earlier inputs: lock one again
        programme, month = ctx.db.execute(
            "SELECT g.id, substr(s.date, 1, 7) FROM sessions s JOIN programmes g ON "
            "g.id = s.programme_id WHERE s.date < '2026-10-01' LIMIT 1").fetchone()
        attendance.lock_month(ctx.db, ctx.ana, programme, month, TODAY)
    yield
    attendance.unlock_month(ctx.db, ctx.admin, programme, month, value)
    return ctx.db.execute("SELECT reason FROM audit_log WHERE table_name = 'month_locks' "
                          "ORDER BY id DESC LIMIT 1").fetchone()[0]


def _enrol(ctx: Ctx, pid: int, terms: enrolment.Terms, on=TODAY) -> enrolment.Result:
    return enrolment.move(ctx.db, ctx.ana, pid, version_of(ctx.db, pid), pipeline.Move(
        "contract", on, programme_id=ctx.programme_id), today=TODAY, terms=terms)


def _free_place(ctx: Ctx, pid: int) -> None:
    """Close the case again, so that the programme's 60 places last the whole corpus."""
    pipeline.move_stage(ctx.db, ctx.ana, pid, version_of(ctx.db, pid),
                        pipeline.Move("closed", TODAY, reason="declined"), today=TODAY)


def _terms(field: str, stored: str | None = None) -> Form:
    def run(ctx, value):
        pid = fresh_person(ctx)
        yield
        _enrol(ctx, pid, enrolment.Terms(**{field: value}))
        found = ctx.db.execute(f"SELECT {stored or field} FROM enrolments WHERE "
                               "participant_id = ?", [pid]).fetchone()[0]
        _free_place(ctx, pid)
        return found
    return run


HASH = auth.hash_password(PASSWORD)


def _account_display_name(ctx, value):
    username = f"korpus{ctx.n()}"
    yield
    user = auth.create_user(ctx.db, username, value, "coordinator", "", area_code="gorenjska",
                            unit_code="kranj", password_hash=HASH, acting_user_id=ctx.admin.id)
    return column(ctx.db, "users", "display_name", user.id)


def _update_display_name(ctx, value):
    yield
    accounts.update_user(ctx.db, ctx.admin, ctx.maja.id, role="coordinator",
                         unit_code=ctx.maja.unit_code, display_name=value)
    return column(ctx.db, "users", "display_name", ctx.maja.id)


def _username(ctx, value):
    yield
    user = accounts.create_account(ctx.db, ctx.admin, value, "Nova Sodelavka", "coordinator",
                                   PASSWORD, "kranj")
    return column(ctx.db, "users", "username", user.id)


def _username_expect(value: object) -> Expect:
    name = (value or "").strip().lower() if isinstance(value, str) else ""
    if not auth.USERNAME_PATTERN.match(name):
        return Expect(True)
    return Expect(None, name)  # a name taken before is refused, with its message


NOTE, SHORT, NAME = text.NOTE_MAX, text.SHORT_TEXT_MAX, text.NAME_MAX
TEXT_CASES = [
    *(Case(f"person.create.{f}", _person_create(f),
           by_clean(limit, required=required, strict=strict))
      for f, (limit, required, strict) in PERSON_TEXT.items()),
    *(Case(f"person.update.{f}", _person_update(f),
           by_clean(limit, required=required, strict=strict))
      for f, (limit, required, strict) in PERSON_TEXT.items()),
    Case("plan.goal", _goal, by_clean(SHORT, required=True)),
    Case("plan.step", _step, by_clean(SHORT, required=True)),
    Case("plan.goal_form_new_step", _goal_new_step, by_clean(SHORT)),
    Case("contact.note", _contact("note"), by_clean(NOTE, required=True, multiline=True)),
    Case("contact.next_step", _contact("next_step"), by_clean(SHORT)),
    Case("task.title", _task, by_clean(SHORT, required=True)),
    Case("referral.institution", _referral("institution"), by_clean(SHORT, required=True)),
    Case("referral.purpose", _referral("purpose"), by_clean(NOTE, multiline=True)),
    Case("referral.answer", _referral_answer, by_clean(NOTE, multiline=True)),
    Case("person.reassign_reason", _reassign_reason, by_clean(SHORT, required=True)),
    Case("pipeline.step_back_reason", _step_back_reason, by_clean(SHORT, required=True)),
    Case("programme.provider", _provider, by_clean(SHORT, required=True),
         allowed=frozenset({"error.provider_exists"})),
    Case("programme.name", _programme("name"), by_clean(SHORT, required=True)),
    Case("programme.contract_number", _programme("contract_number"), by_clean(NAME)),
    Case("programme.address", _programme("address"), by_clean(SHORT)),
    Case("programme.contact_person", _programme("contact_person"), by_clean(SHORT)),
    Case("programme.module_name", _module_name, by_clean(SHORT, empty="1.")),
    Case("calendar.closure_reason", _closure_reason, by_clean(SHORT)),
    Case("calendar.entry_title", _entry("title"), by_clean(SHORT, required=True)),
    Case("calendar.entry_location", _entry("location"), by_clean(SHORT)),
    Case("calendar.entry_holiday_reason", _entry("holiday_reason"), by_clean(SHORT)),
    Case("calendar.visit_contact_note", _visit_note,
         by_clean(NOTE, required=True, multiline=True)),
    Case("attendance.unlock_reason", _unlock_reason, by_clean(SHORT, required=True)),
    Case("enrolment.override_reason", _terms("override_reason", "eligibility_override"),
         by_clean(SHORT)),
    Case("accounts.create.display_name", _account_display_name, by_clean(NAME, required=True)),
    Case("accounts.update.display_name", _update_display_name, by_clean(NAME, required=True)),
    Case("accounts.create.username", _username, _username_expect,
         allowed=frozenset({"error.username_taken"})),
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=repr)
def test_text_fields_refuse_cleanly_or_store_the_cleaned_text(ctx, case):
    run_all(ctx, case, bad_inputs.TEXT)


# -- the search box and the duplicate check (read-only) --------------------------------------
def _search(ctx, value):
    yield
    found = participants.search(ctx.db, ctx.ana, value)
    _check_matches(ctx, value, [m.id for m in found])
    return found


def _matches(ctx, value):
    yield
    found = participants.find_matches(ctx.db, ctx.ana, value, value, BORN, value)
    return found


def _board_search(ctx, value):
    yield
    found = board.caseload_board(ctx.db, ctx.ana, ctx.ana.id, TODAY,
                                 board.Filters(search=value, include_finished=True))
    ids = [card.id for cards in found.columns.values() for card in cards]
    _check_matches(ctx, value, ids, ctx.ana.id)
    return found


def _check_emso(ctx, value):
    yield
    return participants.check_emso(ctx.db, ctx.ana, value)


def _check_matches(ctx: Ctx, query: str, ids: list[int], coordinator_id=None) -> None:
    """What a search finds is what its words find, no more: markup, quotes and LIKE
    wildcards are never interpreted."""
    words = text.words(query)
    code = emso.normalise(query)
    if code and code.isascii() and code.isdigit():
        return
    for pid in ids:
        key = column(ctx.db, "participants", "name_key", pid)
        assert all(f" {w}" in key for w in words), (query[:40], pid)
    if not words:
        assert ids == [] or coordinator_id is not None, query[:40]
        return
    sql = ("SELECT p.id FROM participants p " + places.AREA_JOIN +
           " WHERE c.area_code = 'gorenjska' AND " +
           " AND ".join("p.name_key LIKE ?" for _ in words))
    if coordinator_id is not None:
        return
    expected = {r[0] for r in ctx.db.execute(sql, [f"% {w}%" for w in words])}
    assert set(ids) <= expected


SEARCH_CASES = [
    Case("search.participants", _search, anything, readonly=True),
    Case("search.find_matches", _matches, anything, readonly=True),
    Case("search.board", _board_search, anything, readonly=True),
    Case("search.check_emso", _check_emso, anything, readonly=True),
]


@pytest.mark.parametrize("case", SEARCH_CASES, ids=repr)
def test_searches_write_nothing_and_interpret_nothing(ctx, case):
    run_all(ctx, case, bad_inputs.TEXT + bad_inputs.EMSO)


def test_wildcards_and_injection_find_nobody_extra(ctx):
    everyone = ctx.db.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
    for query in ("%", "_", "%%", "' OR '1'='1", "\" OR \"\"=\"", "*"):
        assert participants.search(ctx.db, ctx.ana, query) == [], query
    assert ctx.db.execute("SELECT COUNT(*) FROM participants").fetchone()[0] == everyone
    # A hostile name is found by its words, as typed, and only by them.
    pid = fresh_person(ctx, first_name="Robert'); DROP TABLE users;--", last_name="Tables")
    assert [m.id for m in participants.search(ctx.db, ctx.ana, "robert drop")] == [pid]
    assert ctx.db.execute("SELECT COUNT(*) FROM users").fetchone()[0] > 0


# -- dates -----------------------------------------------------------------------------------
def _person_date(field: str, update: bool) -> Form:
    def run(ctx, value):
        if update:
            version = version_of(ctx.db, ctx.pid)
            yield
            participants.update_person(ctx.db, ctx.ana, ctx.pid, version, {field: value},
                                       today=TODAY)
            pid = ctx.pid
        else:
            form = valid_form(ctx.db, emso=None, first_name=f"Datum{ctx.n()}", **{field: value})
            yield
            pid, _ = participants.create_person(ctx.db, ctx.ana, form, coordinator_id=ctx.ana.id,
                                                today=TODAY, different_person=True)
        return column(ctx.db, "participants", field, pid)
    return run


def _adult(day: dt.date) -> bool:
    age = TODAY.year - day.year - ((TODAY.month, TODAY.day) < (day.month, day.day))
    return MIN_AGE <= age <= participants.MAX_AGE


def _contact_on(ctx, value):
    yield
    cid, _ = casework.add_contact(ctx.db, ctx.ana, ctx.pid, on=value, kind="office",
                                  note="Srečanje", today=TODAY)
    return column(ctx.db, "contacts", "date", cid)


def _goal_deadline(ctx, value):
    yield
    gid, _ = casework.add_goal(ctx.db, ctx.ana, ctx.pid, "Cilj z rokom", value, today=TODAY)
    return column(ctx.db, "plan_goals", "deadline", gid)


def _step_deadline(ctx, value):
    yield
    sid, _ = casework.add_step(ctx.db, ctx.ana, ctx.goal_id, "Korak", value, today=TODAY)
    return column(ctx.db, "plan_steps", "deadline", sid)


def _task_due(ctx, value):
    yield
    tid, _ = casework.add_task(ctx.db, ctx.ana, ctx.pid, "Naloga", value, today=TODAY)
    return column(ctx.db, "tasks", "due_date", tid)


def _sent_on(ctx, value):
    yield
    rid, _ = casework.add_referral_out(ctx.db, ctx.ana, ctx.pid, "ZRSZ", "", sent_on=value,
                                       today=TODAY)
    return column(ctx.db, "referrals_out", "sent_on", rid)


def _answered_on(ctx, value):
    rid, _ = casework.add_referral_out(ctx.db, ctx.ana, ctx.pid, "ZRSZ", "",
                                       sent_on=dates.EARLIEST_CASE_DATE, today=TODAY)
    yield
    casework.answer_referral_out(ctx.db, ctx.ana, rid, 1, "rejected", "", on=value,
                                 today=TODAY)
    return column(ctx.db, "referrals_out", "answered_on", rid)


def _scored_on(ctx, value):
    area = random.Random(ctx.n()).choice(vocab.PROBLEM_AREAS)
    score = ctx.n() % 4
    yield
    casework.score_problems(ctx.db, ctx.ana, ctx.pid, {area: score}, on=value, today=TODAY)
    return ctx.db.execute("SELECT scored_on FROM problem_scores WHERE participant_id = ? AND "
                          "area = ? AND score = ? ORDER BY id DESC LIMIT 1",
                          [ctx.pid, area, score]).fetchone()[0]


def _moved_on(ctx, value):
    pid = fresh_person(ctx, referral_date=dates.EARLIEST_CASE_DATE)
    yield
    pipeline.move_stage(ctx.db, ctx.ana, pid, version_of(ctx.db, pid),
                        pipeline.Move("first_interview", value), today=TODAY)
    return column(ctx.db, "participants", "stage_since", pid)


def _step_done_on(ctx, value):
    sid, _ = casework.add_step(ctx.db, ctx.ana, ctx.goal_id, "Opraviti", None, today=TODAY)
    yield
    casework.complete_step(ctx.db, ctx.ana, sid, value, today=TODAY)
    return column(ctx.db, "plan_steps", "done_on", sid)


def _task_done_on(ctx, value):
    tid, _ = casework.add_task(ctx.db, ctx.ana, ctx.pid, "Opraviti", TODAY, today=TODAY)
    yield
    casework.complete_task(ctx.db, ctx.ana, tid, value, today=TODAY)
    return column(ctx.db, "tasks", "done_at", tid)


PROGRAMME_END = TODAY.replace(year=TODAY.year + 1, month=6)


def _programme_dates(field: str) -> Form:
    def run(ctx, value):
        span = {"start_date": TODAY, "end_date": PROGRAMME_END} | {field: value}
        form = ProgrammeInput(name=f"Program {ctx.n()}", provider_id=ctx.provider_id,
                              type="short", **span)
        yield
        programme = programmes.create(ctx.db, ctx.ana, form,
                                      (Module("Program", 3, "months", 4.0, (0,)),))
        return column(ctx.db, "programmes", field, programme)
    return run


def _programme_span(field: str):
    def valid(day: dt.date) -> bool:
        start, end = (day, PROGRAMME_END) if field == "start_date" else (TODAY, day)
        return dates.EARLIEST_CASE_DATE <= start <= end and (end - start).days <= 2 * 366
    return valid


def _closure_day(ctx, value):
    yield
    schedule.add_closure(ctx.db, ctx.ana, ctx.programme_id, value, "Dopust izvajalca")
    return ctx.db.execute("SELECT day FROM closure_days WHERE programme_id = ? "
                          "ORDER BY id DESC LIMIT 1", [ctx.programme_id]).fetchone()[0]


def _entry_day(ctx, value):
    start = f"{ctx.n() % 10 + 8:02d}:00"  # the same day typed twice lands at another hour
    yield
    sid = schedule.add_entry(ctx.db, ctx.ana, schedule.Entry(
        kind="group", day=value, start_time=start, hours=1, title="Skupina",
        holiday_reason="Dogovorjeno"), today=TODAY)
    return column(ctx.db, "sessions", "date", sid)


def _planned_start(ctx, value):
    pid = fresh_person(ctx)
    yield
    _enrol(ctx, pid, enrolment.Terms(planned_start=value))
    found = ctx.db.execute("SELECT start_date FROM enrolments WHERE participant_id = ?",
                           [pid]).fetchone()[0]
    _free_place(ctx, pid)
    return found


DATE_CASES = [
    Case("person.create.birth_date", _person_date("birth_date", False), by_date(_adult)),
    Case("person.create.referral_date", _person_date("referral_date", False),
         by_date(event_range())),
    Case("person.update.birth_date", _person_date("birth_date", True),
         by_date(lambda d: _adult(d) and d <= TODAY - dt.timedelta(days=100))),
    Case("person.update.referral_date", _person_date("referral_date", True),
         by_date(event_range())),
    Case("contact.date", _contact_on, by_date(event_range())),
    Case("plan.goal_deadline", _goal_deadline, by_date(plan_range, required=False)),
    Case("plan.step_deadline", _step_deadline, by_date(plan_range, required=False)),
    Case("task.due", _task_due, by_date(plan_range)),
    Case("referral.sent_on", _sent_on, by_date(event_range())),
    Case("referral.answered_on", _answered_on, by_date(event_range())),
    Case("scores.scored_on", _scored_on, by_date(event_range())),
    Case("pipeline.move_on", _moved_on, by_date(event_range())),
    Case("plan.step_done_on", _step_done_on, by_date(event_range())),
    Case("task.done_on", _task_done_on, by_date(event_range())),
    Case("programme.start_date", _programme_dates("start_date"),
         by_date(_programme_span("start_date"))),
    Case("programme.end_date", _programme_dates("end_date"),
         by_date(_programme_span("end_date"))),
    Case("calendar.closure_day", _closure_day, by_date(),
         allowed=frozenset({"error.closure_exists"})),
    Case("calendar.entry_day", _entry_day, by_date(
        lambda d: dates.EARLIEST_CASE_DATE <= d <= TODAY + dt.timedelta(
            days=schedule.PLAN_AHEAD_DAYS)), allowed=frozenset({"conflict.coordinator_busy"})),
    Case("enrolment.planned_start", _planned_start, by_date(
        lambda d: TODAY <= d <= TODAY + dt.timedelta(days=366), required=False,
        stored=dt.date.isoformat)),
]


def _planned_default(case: Case):
    """An empty planned start is the contract's day."""
    if case.name != "enrolment.planned_start":
        return case.expect

    def expect(value):
        found = case.expect(value)
        if found == Expect(None, None):
            return Expect(False, TODAY.isoformat())
        return found
    return expect


@pytest.mark.parametrize("case", DATE_CASES, ids=repr)
def test_date_fields_refuse_cleanly_or_store_the_date(ctx, case):
    run_all(ctx, dataclasses.replace(case, expect=_planned_default(case)),
            bad_inputs.DATES + bad_inputs.TEXT[:12])


# -- EMŠO ----------------------------------------------------------------------------------
VALID_EMSO = emso.generate(BORN, "F", random.Random(7))
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EMSO_EXTRA = bad_inputs._group("emso", [
    ("valid-spaced", f"{VALID_EMSO[:7]} {VALID_EMSO[7:9]}-{VALID_EMSO[9:]}"),
    ("valid-fullwidth", VALID_EMSO.translate(FULLWIDTH)),
])


def _emso_value(bad: Bad) -> object:
    if bad.value == "male-of-the-form":
        return emso.generate(BORN, "M", random.Random(3))
    if bad.value == "other-birth-date":
        return emso.generate(BORN + dt.timedelta(days=1), "F", random.Random(3))
    return bad.value


def _emso_expect(value: object) -> Expect:
    code = emso.normalise(value)
    if code is None:
        return Expect(False, None)
    if emso.is_valid(code) and emso.birth_date(code) == BORN and emso.sex(code) == "F":
        return Expect(False, code)
    return Expect(True)


def _emso_create(ctx, value):
    form = valid_form(ctx.db, emso=value, first_name=f"Emso{ctx.n()}")
    yield
    pid, _ = participants.create_person(ctx.db, ctx.ana, form, coordinator_id=ctx.ana.id,
                                        today=TODAY, different_person=True)
    stored = column(ctx.db, "participants", "emso", pid)
    _drop_emso(ctx, pid)
    return stored


def _drop_emso(ctx: Ctx, pid: int) -> None:
    """The next valid input is another person with the same EMŠO: free it again."""
    if column(ctx.db, "participants", "emso", pid) is not None:
        participants.update_person(ctx.db, ctx.ana, pid, version_of(ctx.db, pid),
                                   {"emso": None}, today=TODAY)


def _emso_update(ctx, value):
    version = version_of(ctx.db, ctx.pid)
    yield
    participants.update_person(ctx.db, ctx.ana, ctx.pid, version, {"emso": value},
                               today=TODAY)
    stored = column(ctx.db, "participants", "emso", ctx.pid)
    _drop_emso(ctx, ctx.pid)
    return stored


@pytest.mark.parametrize("case", [Case("person.create.emso", _emso_create, _emso_expect),
                                  Case("person.update.emso", _emso_update, _emso_expect)],
                         ids=repr)
def test_emso_fields_accept_exactly_the_valid_codes_of_the_person(ctx, case):
    run_all(ctx, case, bad_inputs.EMSO + EMSO_EXTRA, _emso_value)


def test_an_emso_of_someone_else_is_refused_and_names_no_one_outside_the_area(ctx):
    taken = emso.generate(BORN, "F", random.Random(11))
    holder = fresh_person(ctx, emso=taken, birth_date=BORN, sex="F")
    for typed in (taken, f" {taken[:7]} {taken[7:]} ", taken.translate(FULLWIDTH)):
        before = snapshot(ctx.db)
        with pytest.raises(UserError) as err:
            participants.create_person(ctx.db, ctx.ana, valid_form(ctx.db, emso=typed),
                                       coordinator_id=ctx.ana.id, today=TODAY,
                                       different_person=True)
        assert err.value.key == "error.emso_taken" and snapshot(ctx.db) == before
    assert column(ctx.db, "participants", "emso", holder) == taken


# -- numbers ---------------------------------------------------------------------------------
def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float)
                                                   and math.isnan(value))


def _whole(value: object) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _person_number(field: str) -> Form:
    def run(ctx, value):
        form = valid_form(ctx.db, emso=None, first_name=f"Stevilo{ctx.n()}", **{field: value})
        yield
        pid, _ = participants.create_person(ctx.db, ctx.ana, form, coordinator_id=ctx.ana.id,
                                            today=TODAY, different_person=True)
        return column(ctx.db, "participants", field, pid)
    return run


def _coordinator(ctx, value):
    form = valid_form(ctx.db, emso=None, first_name=f"Koordinator{ctx.n()}")
    yield
    pid, _ = participants.create_person(ctx.db, ctx.ana, form, coordinator_id=value,
                                        today=TODAY, different_person=True)
    return column(ctx.db, "participants", "coordinator_id", pid)


def _score(ctx, value):
    yield
    casework.score_problems(ctx.db, ctx.ana, ctx.pid, {"debt": value},
                            on=TODAY - dt.timedelta(days=ctx.n() % 90), today=TODAY)
    return ctx.db.execute("SELECT score FROM problem_scores WHERE participant_id = ? "
                          "ORDER BY id DESC LIMIT 1", [ctx.pid]).fetchone()[0]


def _capacity(ctx, value):
    form = ProgrammeInput(name=f"Program {ctx.n()}", provider_id=ctx.provider_id, type="short",
                          start_date=TODAY, end_date=PROGRAMME_END, capacity=value)
    yield
    programme = programmes.create(ctx.db, ctx.ana, form,
                                  (Module("Program", 3, "months", 4.0, (0,)),))
    return column(ctx.db, "programmes", "capacity", programme)


def _module(field: str) -> Form:
    def run(ctx, value):
        row = {"name": "Modul", "length": 3, "unit": "months", "hours_per_day": 4,
               "weekdays": ["0", "2"]} | {field: value}
        yield
        [module] = programmes.clean_modules([row])
        return getattr(module, field)
    return run


def _entry_hours(ctx, value):
    entry = schedule.Entry(kind="group", day=plain_day(ctx), start_time="09:00", hours=value,
                           title="Ure")
    yield
    sid = schedule.add_entry(ctx.db, ctx.ana, entry, today=TODAY)
    return column(ctx.db, "sessions", "hours", sid)


def _attendance_hours(ctx, value):
    sid = schedule.add_entry(ctx.db, ctx.ana, schedule.Entry(
        kind="individual", day=plain_day(ctx, past=True), start_time="06:00", hours=2,
        title="Pogovor", participant_id=ctx.pid, holiday_reason="Dogovorjeno"), today=TODAY)
    version = column(ctx.db, "sessions", "version", sid)
    yield
    attendance.record(ctx.db, ctx.ana, sid, version, {ctx.pid: ("present", value)},
                      today=TODAY)
    return ctx.db.execute("SELECT hours FROM attendance WHERE session_id = ?",
                          [sid]).fetchone()[0]


def _contact_for(ctx, value):
    yield
    cid, _ = casework.add_contact(ctx.db, ctx.ana, value, on=TODAY, kind="phone",
                                  note="Klic", today=TODAY)
    return column(ctx.db, "contacts", "participant_id", cid)


def _version(ctx, value):
    yield
    participants.update_person(ctx.db, ctx.ana, ctx.pid, value,
                               {"address": f"Cesta {ctx.n()}"}, today=TODAY)
    return value


def _session_id(ctx, value):
    yield
    attendance.record(ctx.db, ctx.ana, value, 1, {ctx.pid: ("present", 1.0)}, today=TODAY)
    return value


def _goal_id(ctx, value):
    yield
    casework.set_goal_status(ctx.db, ctx.ana, value, 1, "achieved")
    return value


def _programme_id(ctx, value):
    pid = fresh_person(ctx)
    yield
    enrolment.move(ctx.db, ctx.ana, pid, version_of(ctx.db, pid), pipeline.Move(
        "contract", TODAY, programme_id=value), today=TODAY)
    found = column(ctx.db, "participants", "stage", pid)
    _free_place(ctx, pid)
    return found


def _typed(value: object) -> object:
    """A data editor's cell as a number: typed text the Slovenian way ("4,5")."""
    if isinstance(value, str):
        return float(value.strip().replace(",", "."))
    return value


WINDOW = 24  # long_programme_dsp_window_months of the seeded rules
GROUP_SIZE = 15  # the seeded group_size: a programme's capacity when none is given


def _amount(top: float):
    def expect(value: object) -> Expect:
        try:
            number = text.parse_decimal(value)
        except UserError:
            return Expect(True)
        if number is None:
            return Expect(False, None)
        ok = _is_number(number) and 0 <= number <= top
        return Expect(not ok, number if ok else None)
    return expect


NUMBER_CASES = [
    Case("person.dsp_payments_24m", _person_number("dsp_payments_24m"),
         by_predicate(lambda v: v is None or (isinstance(v, int) and 0 <= v <= WINDOW))),
    Case("person.isced", _person_number("isced"),
         by_predicate(lambda v: v is None or v in vocab.ISCED_LEVELS)),
    Case("person.municipality_id", _person_number("municipality_id"), anything),
    Case("person.coordinator_id", _coordinator, anything),
    Case("scores.score", _score, by_predicate(lambda v: v in vocab.PROBLEM_SCORES)),
    Case("programme.capacity", _capacity,
         by_predicate(lambda v: v is None or (isinstance(v, int) and 1 <= v <= 60),
                      lambda v: GROUP_SIZE if v is None else v)),
    Case("module.length", _module("length"),
         by_predicate(lambda v: _whole(_typed(v)) and 1 <= _typed(v) <= 24, _typed)),
    Case("module.hours_per_day", _module("hours_per_day"),
         by_predicate(lambda v: _is_number(_typed(v)) and 0 < _typed(v) <= 12, _typed)),
    # Shorter than a minute: "ends when it starts" is refused as ending past midnight.
    Case("calendar.entry_hours", _entry_hours,
         by_predicate(lambda v: _is_number(v) and 0 < v <= schedule.MAX_SESSION_HOURS),
         allowed=frozenset({"error.session_past_midnight"})),
    Case("attendance.hours", _attendance_hours,
         by_predicate(lambda v: _is_number(v) and 0 < v <= 2)),
    Case("enrolment.ticket_eur", _terms("ticket_eur"), _amount(50)),
    Case("enrolment.distance_km", _terms("distance_km"), _amount(300)),
    Case("contact.participant_id", _contact_for, anything),
    Case("person.expected_version", _version, anything),
    Case("attendance.session_id", _session_id, anything),
    Case("plan.goal_id", _goal_id, anything),
    Case("enrolment.programme_id", _programme_id, anything),
]


@pytest.mark.parametrize("case", NUMBER_CASES, ids=repr)
def test_number_fields_refuse_cleanly_or_store_the_number(ctx, case):
    corpus = bad_inputs.NUMBERS
    if case.name.startswith(("module.", "enrolment.ticket", "enrolment.distance")):
        corpus += bad_inputs.TYPED_NUMBERS  # typed into a cell or a text box
    run_all(ctx, case, corpus)


def test_module_lengths_and_hours_typed_as_text():
    """A data editor's cell may hand over text: parsed the Slovenian way or refused."""
    for typed, expected in (("3", 3), (" 2 ", 2), ("1e400", None), ("inf", None),
                            ("-inf", None), ("nan", None), ("", None), ("x", None)):
        row = {"name": "M", "length": typed, "unit": "months", "hours_per_day": "4,5",
               "weekdays": ["0"]}
        if expected is None:
            with pytest.raises(UserError) as err:
                programmes.clean_modules([row])
            assert err.value.key in i18n.SL
        else:
            [module] = programmes.clean_modules([row])
            assert (module.length, module.hours_per_day) == (expected, 4.5)


@pytest.mark.parametrize("weekdays", [[], ["7"], ["-1"], ["x"], [None], ["0.5"], [1.5],
                                      [float("nan")], ["٣"], ["0", "0"], list("0123456"),
                                      ["\x00"], ["<script>"], [10**30]], ids=repr)
def test_module_weekdays_refuse_cleanly_or_are_days_of_the_week(weekdays):
    row = {"name": "M", "length": 1, "unit": "weeks", "hours_per_day": 3, "weekdays": weekdays}
    try:
        [module] = programmes.clean_modules([row])
    except UserError as err:
        assert err.key in i18n.SL
        return
    assert module.weekdays and set(module.weekdays) <= set(range(7))
    assert all(type(d) is int for d in module.weekdays)


TIMES = ("25:00", "24:00", "9:60", "٠٩:٣٠", "9:0٣", "٩:00", "０９:３０", "09:00\x00", "-1:00",
         "9", "", "  ", "9:5", "09:00:00", "23:59", "12h", "<script>", "'; DROP TABLE sessions; --",
         "\u202e09:00", "9\u200b:00", "1" * 50_000)


@pytest.mark.parametrize("typed", TIMES, ids=repr)
def test_start_times_refuse_cleanly_or_are_ascii_hours_and_minutes(ctx, typed):
    entry = schedule.Entry(kind="group", day=plain_day(ctx), start_time=typed, hours=1,
                           title="Čas")
    before = snapshot(ctx.db)
    try:
        sid = schedule.add_entry(ctx.db, ctx.ana, entry, today=TODAY)
    except UserError as err:
        assert err.key in i18n.SL and snapshot(ctx.db) == before
        return
    stored = column(ctx.db, "sessions", "start_time", sid)
    assert stored.isascii() and dt.time.fromisoformat(stored)
    # The calendar can show it (the end time is computed from it).
    assert schedule.view(ctx.db, ctx.ana, "coordinator", ctx.ana.id, entry.day, entry.day)


@pytest.mark.parametrize("status", ["", "present ", "PRESENT", "<b>x</b>", None, 1, "\x00"],
                         ids=repr)
def test_attendance_status_outside_the_list_is_refused(ctx, status):
    sid = schedule.add_entry(ctx.db, ctx.ana, schedule.Entry(
        kind="individual", day=TODAY - dt.timedelta(days=2), start_time="10:00", hours=2,
        title="Pogovor", participant_id=ctx.pid), today=TODAY)
    before = snapshot(ctx.db)
    with pytest.raises(UserError) as err:
        attendance.record(ctx.db, ctx.ana, sid, 1, {ctx.pid: (status, 1.0)}, today=TODAY)
    assert err.value.key in i18n.SL and snapshot(ctx.db) == before


@pytest.mark.parametrize("area", ["", "debt ", "DEBT", "'; DROP TABLE problem_scores; --",
                                  "<script>", None, 0], ids=repr)
def test_problem_areas_outside_the_list_are_refused(ctx, area):
    before = snapshot(ctx.db)
    with pytest.raises(UserError) as err:
        casework.score_problems(ctx.db, ctx.ana, ctx.pid, {area: 1}, on=TODAY, today=TODAY)
    assert err.value.key in i18n.SL and snapshot(ctx.db) == before


@pytest.mark.parametrize("bad", bad_inputs.TEXT + bad_inputs.TYPED_NUMBERS, ids=repr)
def test_ids_typed_into_an_address_are_ids_or_nothing(bad):
    found = text.parse_id(bad.value)
    assert found is None or (isinstance(found, int) and 0 < found < 2**63)


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0000-00", "9999-99", "", "2026",
                                   "2026-1-1", "<script>", "2026-11\x00", None, "١٠٢٦-١١"],
                         ids=repr)
def test_months_of_the_attendance_list_refuse_cleanly(ctx, month):
    try:
        attendance.monthly(ctx.db, ctx.ana, ctx.programme_id, month)
    except UserError as err:
        assert err.key in i18n.SL


# -- sign-in and passwords (the rules themselves are tested in test_auth) ----------------------
def _surrogates(value: object) -> bool:
    return isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _params(values, label=repr):
    """Lone surrogates (a broken client) included: argon2 and SQLite cannot encode them, so
    auth refuses such a password with a message and treats such a sign-in as wrong."""
    return [pytest.param(v, id=label(v)) for v in values]


PASSWORD_SAMPLE = ("", "   ", "a" * 10, "\x00" * 12, "geslo\x00geslo-12", "😀" * 12,
                   "'; DROP TABLE users; --", "<script>alert(1)</script>", "p" * 50_000,
                   "\u202eDolgoGeslo12345", "Ab1-" + "\u200b" * 10, "Geslo\ud800Dolgo123")


@pytest.mark.parametrize("password", _params(PASSWORD_SAMPLE, lambda p: repr(p[:16])))
def test_a_reset_password_is_refused_with_a_message_or_works(ctx, password):
    before = snapshot(ctx.db)
    try:
        accounts.reset_password(ctx.db, ctx.admin, ctx.maja.id, password)
    except UserError as err:
        assert err.key in i18n.SL and snapshot(ctx.db) == before
        return
    assert auth.authenticate(ctx.db, ctx.maja.username, password) is not None


SIGN_IN_SAMPLE = bad_inputs.TEXT[::4] + bad_inputs.TEXT[39:42]


@pytest.mark.parametrize("bad", _params(SIGN_IN_SAMPLE, lambda b: b.label))
def test_sign_in_with_hostile_names_and_passwords_fails_with_a_message(ctx, bad):
    try:
        result = auth.sign_in(ctx.db, bad.value, bad.value, sleep=lambda _: None)
    except UserError as err:  # e.g. a name with invisible characters, said so
        assert err.key in i18n.SL
    else:
        assert result.user is None
    assert not ctx.db.conn.in_transaction
    for (value,) in ctx.db.execute("SELECT new_value FROM audit_log WHERE new_value IS NOT NULL"):
        assert not any(unicodedata.category(c) in INVISIBLE for c in value)


# -- double submits --------------------------------------------------------------------------
def _twice(ctx: Ctx, submit: Callable[[str], object], table: str) -> None:
    token = f"token-{ctx.n()}"
    before = ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    first, second = submit(token), submit(token)
    assert first == second
    assert ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == before + 1
    assert ctx.db.execute("SELECT COUNT(*) FROM submissions WHERE token = ?",
                          [token]).fetchone()[0] == 1


def test_double_submits_save_once(ctx):
    db, ana, pid = ctx.db, ctx.ana, ctx.pid

    def person(token):
        return participants.create_person(
            db, ana, valid_form(db, emso=None, first_name="Dvojna"),
            coordinator_id=ana.id, today=TODAY, different_person=True, token=token)[0]
    _twice(ctx, person, "participants")
    _twice(ctx, lambda token: casework.add_contact(db, ana, pid, on=TODAY, kind="phone",
                                                   note="Klic", today=TODAY,
                                                   token=token)[0], "contacts")
    _twice(ctx, lambda token: casework.add_goal(db, ana, pid, "Cilj", None, today=TODAY,
                                                token=token)[0], "plan_goals")
    _twice(ctx, lambda token: casework.add_step(db, ana, ctx.goal_id, "Korak", None,
                                                today=TODAY, token=token)[0], "plan_steps")
    _twice(ctx, lambda token: casework.add_task(db, ana, pid, "Naloga", TODAY, today=TODAY,
                                                token=token)[0], "tasks")
    _twice(ctx, lambda token: casework.add_referral_out(db, ana, pid, "ZRSZ", "", sent_on=TODAY,
                                                        today=TODAY, token=token)[0],
           "referrals_out")
    _twice(ctx, lambda token: programmes.create(db, ana, ProgrammeInput(
        name="Dvakrat", provider_id=ctx.provider_id, type="short", start_date=TODAY,
        end_date=PROGRAMME_END), (Module("P", 3, "months", 4.0, (0,)),), token=token),
        "programmes")
    day = plain_day(ctx)
    _twice(ctx, lambda token: schedule.add_entry(db, ana, schedule.Entry(
        kind="group", day=day, start_time="10:00", hours=1, title="Enkrat"), today=TODAY,
        token=token), "sessions")
    # A second press of the goal form finds its step saved, whatever the status.
    version = column(db, "plan_goals", "version", ctx.goal_id)
    steps = db.execute("SELECT COUNT(*) FROM plan_steps").fetchone()[0]
    assert casework.update_goal(db, ana, ctx.goal_id, version, "in_progress", "Nov korak",
                                today=TODAY, token="goal-form")
    assert not casework.update_goal(db, ana, ctx.goal_id, version + 1, "in_progress",
                                    "Nov korak", today=TODAY, token="goal-form")
    assert db.execute("SELECT COUNT(*) FROM plan_steps").fetchone()[0] == steps + 1


def test_a_refused_first_submit_does_not_use_up_its_token(ctx):
    token = "retry-after-refusal"
    with pytest.raises(UserError):
        casework.add_contact(ctx.db, ctx.ana, ctx.pid, on=TODAY, kind="phone", note="\x00",
                             today=TODAY, token=token)
    cid, created = casework.add_contact(ctx.db, ctx.ana, ctx.pid, on=TODAY, kind="phone",
                                        note="Popravljeno", today=TODAY, token=token)
    assert created and column(ctx.db, "contacts", "note", cid) == "Popravljeno"


# -- never markup rendered from user input ----------------------------------------------------
ALLOWED_TAGS = {"a", "b", "div", "span", "h3", "p", "section", "table", "thead", "tbody", "tr",
                "th", "td"}
ALLOWED_ATTRIBUTES = {"href", "class", "title", "data-person", "data-go", "data-more"}


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_inert(markup: str, hostile: str) -> None:
    """The markup has only the builder's own tags and attributes: nothing the hostile text
    held became a tag, an event handler or a javascript: address."""
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, hostile[:40])
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES, (tag, name, hostile[:40])
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (
                tag, name, value)
    lowered = markup.lower()
    for raw in ("<script", "<img", "<svg", "<iframe", "<style"):
        assert raw not in lowered, (raw, hostile[:40])


HOSTILE = [b.value for b in bad_inputs.TEXT if isinstance(b.value, str)
           and len(b.value) < 1000] + ['" onmouseover="alert(1)', "javascript:alert(1)//"]


@pytest.fixture
def quiet_streamlit():
    """The builders read the language outside a Streamlit run: a warning each time."""
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_html_builders_escape_names_notes_and_titles(quiet_streamlit):
    from workbench.ui import agenda, components
    from workbench.ui.screens import board as board_screen

    for hostile in HOSTILE:
        assert_inert(components.esc(hostile), hostile)
        assert_inert(components.person_link(7, hostile), hostile)
        assert_inert(components.page_link("programmes", {"programme": hostile, "x": 1}, hostile),
                     hostile)
        assert_inert(components.table([hostile, "b"], [(components.esc(hostile),
                                                         components.person_link(3, hostile))]),
                     hostile)
        entry = schedule.CalendarEntry(
            id=1, kind="individual", day=TODAY, start_time="10:00", end_time="11:00", hours=1.0,
            title=hostile, location=hostile, programme_id=None, participant_id=5,
            person=hostile, municipality=hostile, people=2, holiday=None, version=1)
        group = dataclasses.replace(entry, kind="group")
        assert_inert(agenda.week_markup([entry, group], TODAY - dt.timedelta(days=6)), hostile)
        assert_inert(agenda.month_markup([entry, group], TODAY), hostile)
        card = board.Card(id=9, name=hostile, municipality=hostile, stage="referred",
                          days_in_stage=3, next_due=TODAY, overdue=True, target_group="dsp",
                          programme=hostile)
        shown = board.Board(pipeline.ACTIVE, {s: [card] if s == "referred" else []
                                              for s in pipeline.ACTIVE})
        assert_inert(board_screen.board_markup(shown, 30), hostile)


def test_markdown_text_is_escaped_so_nothing_renders():
    from workbench.ui import widgets

    for hostile in HOSTILE:
        shown = widgets.md(hostile)
        assert ":" not in shown.replace("&#58;", ""), hostile[:40]  # no :red[...], no scheme
        bare = shown.replace("\\\\", "").replace("&#58;", "")
        for at, char in enumerate(bare):
            if char in "<>[]()!*_`#$&|~=":
                assert at > 0 and bare[at - 1] == "\\", (char, hostile[:40], shown[:80])


def test_the_corpus_is_large_enough():
    assert len(bad_inputs.ALL) >= 150
    assert len({b.label for b in bad_inputs.ALL}) == len(bad_inputs.ALL)


# Keep the rules of the corpus in step with the database's rules.
def test_the_seeded_window_of_dsp_payments_is_the_one_assumed(ctx):
    assert int(rule_value(ctx.db, "long_programme_dsp_window_months", TODAY)) == WINDOW
    assert int(rule_value(ctx.db, "min_age", TODAY)) == MIN_AGE
    assert int(rule_value(ctx.db, "group_size", TODAY)) == GROUP_SIZE
