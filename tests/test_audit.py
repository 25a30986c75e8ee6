"""The audit log as a hash chain, its check, and the viewer's library (filters, permissions,
minimisation)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys

import pytest

from tests.casework_helpers import person_of, valid_form
from tests.conftest import ROOT, TODAY
from workbench import __main__ as cli
from workbench import access, accounts, audit, audit_view, auth, casework, participants
from workbench.audit_view import Filters
from workbench.db import open_db
from workbench.errors import UserError
from workbench.migrations import apply_pending
from workbench.protection import retention
from workbench.transactions import write


def _entry(db, n: int, action: str = "update") -> None:
    with write(db):
        audit.log_changes(db, None, "users", n, None, action, {"role": (f"old{n}", f"new{n}")})


# -- the chain --------------------------------------------------------------------------
def test_migration_seals_entries_written_before_the_chain(db_path):
    old = open_db(db_path, create=True, migrate=False)
    apply_pending(old, stop_before="0011_audit_chain")
    with write(old):
        old.conn.executemany(
            "INSERT INTO audit_log (at, table_name, record_id, action, field, new_value) "
            "VALUES (?, 'users', ?, 'update', 'role', ?)",
            [(f"2026-01-01T10:00:{n % 60:02d}", n, f"ž{n}") for n in range(1, 2501)])
    assert old.execute("SELECT COUNT(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 2500
    apply_pending(old)
    assert old.execute("SELECT COUNT(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
    assert audit.verify_chain(old, batch=700) is None
    _entry(old, 9999)  # a new entry chains onto the migrated ones
    assert audit.verify_chain(old) is None
    old.close()


def test_every_insert_is_sealed_and_chained(memory_db):
    for n in range(1, 6):
        _entry(memory_db, n)
    rows = memory_db.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert all(len(r[1]) == 64 for r in rows)
    assert audit.verify_chain(memory_db) is None
    assert audit.head(memory_db) == rows[-1]


def _forge(db, sql: str, params=()) -> None:
    """A change made past the workbench, with the sqlite3 module (as an attacker would)."""
    db.conn.execute(sql, params)


@pytest.fixture
def chained(memory_db):
    for n in range(1, 11):
        _entry(memory_db, n)
    return memory_db


def test_an_edited_value_breaks_the_chain_at_that_entry(chained):
    _forge(chained, "UPDATE audit_log SET new_value = 'admin' WHERE id = 4")
    assert audit.verify_chain(chained) == audit.Break(4, "changed", 3)


def test_an_edited_column_that_is_no_value_breaks_it_too(chained):
    _forge(chained, "UPDATE audit_log SET record_id = 1 WHERE id = 7")
    assert audit.verify_chain(chained) == audit.Break(7, "changed", 6)
    _forge(chained, "UPDATE audit_log SET record_id = 7 WHERE id = 7")
    assert audit.verify_chain(chained) is None
    _forge(chained, "UPDATE audit_log SET at = '2020-01-01T00:00:00' WHERE id = 1")
    assert audit.verify_chain(chained) == audit.Break(1, "changed", None)


def test_a_deleted_entry_is_reported_at_the_entry_after_the_gap(chained):
    _forge(chained, "DELETE FROM audit_log WHERE id IN (5, 6)")
    found = audit.verify_chain(chained)
    assert found == audit.Break(7, "deleted", 4)
    _forge(chained, "DELETE FROM audit_log WHERE id = 1")
    assert audit.verify_chain(chained) == audit.Break(2, "deleted", None)


def test_a_forged_entry_is_reported_as_inserted(chained):
    _forge(chained, "INSERT INTO audit_log (at, user_id, table_name, record_id, action) "
                    "VALUES ('2026-11-22T10:00:00', NULL, 'participants', 3, 'open')")
    assert audit.verify_chain(chained) == audit.Break(11, "inserted", 10)
    _entry(chained, 12)  # later entries chain onto it: still the forged one is named
    assert audit.verify_chain(chained) == audit.Break(11, "inserted", 10)


def test_an_entry_put_in_the_place_of_a_deleted_one_is_reported(chained):
    _forge(chained, "DELETE FROM audit_log WHERE id = 5")
    _forge(chained, "INSERT INTO audit_log (id, at, table_name, action, hash) "
                    "VALUES (5, '2026-11-22T10:00:00', 'users', 'sign_in', ?)", ["ab" * 32])
    assert audit.verify_chain(chained) == audit.Break(5, "changed", 4)
    _forge(chained, "UPDATE audit_log SET hash = NULL WHERE id = 5")
    assert audit.verify_chain(chained) == audit.Break(5, "inserted", 4)


def test_a_swapped_pair_breaks_at_the_first(chained):
    rows = {r[0]: r[1:] for r in chained.execute(
        "SELECT id, record_id, new_value, hash FROM audit_log WHERE id IN (3, 4)")}
    for entry, other in ((3, 4), (4, 3)):
        _forge(chained, "UPDATE audit_log SET record_id = ?, new_value = ?, hash = ? "
                        "WHERE id = ?", [*rows[other], entry])
    assert audit.verify_chain(chained).id == 3


def test_a_recomputed_chain_or_a_cut_tail_shows_against_a_head_written_down(chained):
    head = audit.head(chained)
    assert audit.verify_chain(chained, anchor=head) is None
    _forge(chained, "DELETE FROM audit_log WHERE id = 10")
    assert audit.verify_chain(chained) is None  # a cut tail alone leaves no trace...
    assert audit.verify_chain(chained, anchor=head) == audit.Break(11, "deleted", 9)
    _entry(chained, 99)  # ...nor does an entry written in its place
    assert audit.verify_chain(chained, anchor=head) == audit.Break(10, "changed", 9)


def test_redacted_values_keep_the_chain_only_when_an_erasure_follows(db):
    ana = auth.get_user_by_name(db, "ana.kos")
    pid = person_of(db)
    casework.add_contact(db, ana, pid, on=TODAY, kind="phone", note="Zasebna opomba",
                         today=TODAY)
    with write(db):
        audit.redact(db, pid)
    first = db.execute("SELECT MIN(id) FROM audit_log WHERE participant_id = ? AND "
                       "new_value LIKE 'redacted:%'", [pid]).fetchone()[0]
    assert audit.verify_chain(db) == audit.Break(first, "changed", first - 1 or None)
    # An "anonymise" entry made by hand does not explain it: she is not anonymised.
    with write(db):
        audit.log_event(db, 1, "anonymise", "participants", pid, pid)
    assert audit.verify_chain(db) == audit.Break(first, "changed", first - 1 or None)
    with write(db):
        db.execute("UPDATE participants SET anonymised_on = ? WHERE id = ?",
                   [TODAY.isoformat(), pid])
    assert audit.verify_chain(db) is None


def test_values_sqlite_would_convert_are_sealed_as_stored(db):
    with write(db):
        audit.log_event(db, "1", "open", "users", 2.0, True, field="x", value=5, reason=7)
    assert db.execute("SELECT user_id, record_id, participant_id FROM audit_log "
                      "ORDER BY id DESC LIMIT 1").fetchone() == (1, 2, 1)
    assert audit.verify_chain(db) is None


def test_every_caller_writes_inside_one_transaction_even_without_write(memory_db):
    audit.log_event(memory_db, None, "sign_out", "users", None)  # no write() around it
    assert not memory_db.conn.in_transaction
    assert audit.verify_chain(memory_db) is None


@pytest.mark.subprocess
def test_two_processes_writing_at_once_keep_one_chain(seeded_path):
    code = ("import sys\nfrom workbench.db import open_db\nfrom workbench import audit\n"
            "from workbench.transactions import write\n"
            "db = open_db(sys.argv[1])\n"
            "for n in range(150):\n"
            "    with write(db):\n"
            "        audit.log_event(db, None, 'sign_out', 'users', n)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(seeded_path)], cwd=ROOT)
             for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    db = open_db(seeded_path)
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_out'"
                      ).fetchone()[0] == 450
    assert audit.verify_chain(db) is None
    db.close()


# -- the command line ---------------------------------------------------------------------
def test_audit_check_says_ok_or_names_the_break_with_its_exit_code(seeded_path, capsys):
    db = open_db(seeded_path)
    for n in range(1, 6):
        _entry(db, n)
    db.close()
    assert cli.main(["audit-check", "--db", str(seeded_path)]) == 0
    out = capsys.readouterr().out
    assert "nepoškodovana" in out and "is intact" in out
    head = out.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+:[0-9a-f]{64}", head)
    assert cli.main(["audit-check", "--db", str(seeded_path), "--head", head]) == 0
    db = open_db(seeded_path)
    _forge(db, "UPDATE audit_log SET new_value = 'admin' WHERE id = 3")
    db.close()
    assert cli.main(["audit-check", "--db", str(seeded_path)]) == 1
    err = capsys.readouterr().err
    assert "Vnos #3 je bil spremenjen" in err and "Entry #3 was changed" in err



def test_audit_check_reports_entries_blanked_for_a_person_who_is_not_anonymised(seeded_path,
                                                                               capsys):
    db = open_db(seeded_path)
    pid = person_of(db)
    casework.add_contact(db, auth.get_user_by_name(db, "ana.kos"), pid, on=TODAY,
                         kind="phone", note="Zasebna opomba", today=TODAY)
    with write(db):  # blanked as an anonymisation would, with its entry, but nothing else
        audit.redact(db, pid)
        audit.log_event(db, 1, "anonymise", "participants", pid, pid, reason="retention")
    first = db.execute("SELECT MIN(id) FROM audit_log WHERE participant_id = ? AND "
                       "new_value LIKE 'redacted:%'", [pid]).fetchone()[0]
    db.close()
    assert cli.main(["audit-check", "--db", str(seeded_path)]) == 1
    err = capsys.readouterr().err
    assert f"Vnos #{first} je bil spremenjen" in err and f"Entry #{first} was changed" in err


def test_an_erased_persons_blanked_entries_hold_when_her_number_is_given_again(db):
    boss, ana = auth.get_user_by_name(db, "admin"), auth.get_user_by_name(db, "ana.kos")
    pid, _ = participants.create_person(db, ana, valid_form(db), coordinator_id=ana.id,
                                        today=TODAY)
    casework.add_contact(db, ana, pid, on=TODAY, kind="phone", note="Pokliče jutri",
                         next_step="", today=TODAY)
    retention.erase(db, boss, pid, "Napotitev po pomoti")
    again, _ = participants.create_person(
        db, ana, valid_form(db, first_name="Nova", emso=None), coordinator_id=ana.id,
        today=TODAY, different_person=True)
    assert again == pid  # SQLite gives the highest number again
    assert audit.verify_chain(db) is None

@pytest.mark.subprocess
def test_audit_check_runs_as_a_command_for_cron(seeded_path):
    done = subprocess.run([sys.executable, "-m", "workbench", "audit-check", "--db",
                           str(seeded_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    # The demo's audit history (as `make run` seeds it) is chained like real entries.
    assert "nepoškodovana" in done.stdout and "is intact" in done.stdout


# -- the viewer's library --------------------------------------------------------------------
NOTE = "Zasebna opomba: Cvetka dolguje 300 EUR"


def user(db, name: str) -> auth.User:
    return auth.get_user_by_name(db, name)


def reader(db, role: str = "dpo") -> auth.User:
    found = auth.get_user_by_name(db, f"{role}.test")
    return found or auth.create_user(db, f"{role}.test", f"Preizkus {role}", role,
                                     "Dolgo-geslo-2026!", area_code=None)


@pytest.fixture
def activity(db):
    """Ana opens three of her people and writes a contact; Maja opens one; the
    administrator renames an account; someone fails to sign in."""
    ana, maja, boss = user(db, "ana.kos"), user(db, "maja.zupan"), user(db, "admin")
    since = db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]  # the demo's history
    mine = [r[0] for r in db.execute(
        "SELECT id FROM participants WHERE coordinator_id = ? ORDER BY id LIMIT 3", [ana.id])]
    for pid in mine:
        participants.open_person(db, ana, pid)
    casework.add_contact(db, ana, mine[0], on=TODAY, kind="phone", note=NOTE, today=TODAY)
    hers = person_of(db, username="maja.zupan")
    participants.open_person(db, maja, hers)
    trainer = user(db, "trener")
    accounts.update_user(db, boss, trainer.id, role="trainer", unit_code=trainer.unit_code,
                         display_name="Trener Novak")
    auth.sign_in(db, "ana.kos", "napacno-geslo")
    return {"ana": ana, "maja": maja, "mine": mine, "hers": hers, "trainer": trainer,
            "since": since}


def test_entries_filter_by_user_person_action_and_table(db, activity):
    dpo = reader(db)
    ana, mine = activity["ana"], activity["mine"]
    by_ana = audit_view.entries(db, dpo, Filters(user=ana.id))
    assert {e.user_id for e in by_ana.entries} == {ana.id}
    opened = audit_view.entries(db, dpo, Filters(user=ana.id, action="open"))
    # The demo's history (her last workdays) comes before the three opened here.
    seeded = db.execute("SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND action = "
                        "'open' AND id <= ?", [ana.id, activity["since"]]).fetchone()[0]
    assert seeded > 0 and opened.total == seeded + 3 and not opened.more
    assert [e.person for e in opened.entries[:3]] == mine[::-1]  # newest first
    assert opened.pages == -(-opened.total // audit_view.PER_PAGE)
    about = audit_view.entries(db, dpo, Filters(person=mine[0]))
    assert {e.person for e in about.entries} == {mine[0]}
    assert {e.action for e in about.entries} == {"open", "create"}
    contacts = audit_view.entries(db, dpo, Filters(table="contacts"))
    assert contacts.total > 0 and {e.table for e in contacts.entries} == {"contacts"}
    failed = audit_view.entries(db, dpo, Filters(action="sign_in_failed")).entries
    assert [(e.user_id, e.field, e.new) for e in failed] == [(None, "username", "ana.kos")]
    assert "contacts" in audit_view.tables(db, dpo)
    assert set(audit_view.tables(db, dpo)) == {r[0] for r in db.execute(
        "SELECT DISTINCT table_name FROM audit_log")}


def test_entries_filter_by_period_day_by_day(db):
    boss = user(db, "admin")
    with write(db):
        for at in ("2026-03-31T23:59:59", "2026-04-01T00:00:00", "2026-04-30T23:59:59",
                   "2026-05-01T00:00:00"):
            audit.log_event(db, boss.id, "export", "participants", 1, 1, at=at)
    april = audit_view.entries(db, boss, Filters(start=dt.date(2026, 4, 1),
                                                 end=dt.date(2026, 4, 30)))
    assert [e.at for e in april.entries] == ["2026-04-30T23:59:59", "2026-04-01T00:00:00"]
    with pytest.raises(UserError, match="auditlog.period_invalid"):
        audit_view.entries(db, boss, Filters(start=dt.date(2026, 5, 1),
                                             end=dt.date(2026, 4, 1)))
    with pytest.raises(UserError, match="auditlog.bad_action"):
        audit_view.entries(db, boss, Filters(action="drop_table"))


def test_pages_are_newest_first_and_a_page_past_the_end_shows_the_last(db):
    boss = user(db, "admin")
    with write(db):
        for n in range(1, 24):
            audit.log_event(db, boss.id, "export", "participants", n, None,
                            at=f"2026-01-{n:02d}T10:00:00")
    first = audit_view.entries(db, boss, Filters(action="export"), page=1, per_page=10)
    assert (first.total, first.pages, first.page) == (23, 3, 1)
    assert [e.record_id for e in first.entries] == list(range(23, 13, -1))
    last = audit_view.entries(db, boss, Filters(action="export"), page=10**12, per_page=10)
    assert (last.page, last.asked) == (3, 10**12)
    assert [e.record_id for e in last.entries] == [3, 2, 1]
    assert audit_view.entries(db, boss, Filters(action="export"), page=-5).page == 1


def test_the_count_stops_at_its_cap(db, monkeypatch):
    monkeypatch.setattr(audit_view, "COUNT_CAP", 5)
    boss = user(db, "admin")
    with write(db):
        for n in range(8):
            audit.log_event(db, boss.id, "export", "participants", n, None)
    shown = audit_view.entries(db, boss, Filters(action="export"), per_page=2)
    assert (shown.total, shown.more, shown.pages) == (5, True, 3)


@pytest.mark.parametrize("role", ["coordinator", "manager", "trainer"])
def test_only_the_administrator_and_the_dpo_read_the_log(db, activity, role):
    someone = next(u for u in auth.list_users(db) if u.role == role)
    for call in _reads():
        with pytest.raises(access.Forbidden):
            call(db, someone)
    for allowed in (user(db, "admin"), reader(db)):
        for call in _reads():
            call(db, allowed)


def test_a_switched_off_reader_reads_nothing(db, activity):
    for active in (user(db, "admin"), reader(db)):
        gone = dataclasses.replace(active, active=False)
        for call in _reads():
            with pytest.raises(access.Forbidden):
                call(db, gone)


def _reads():
    return (lambda db, u: audit_view.entries(db, u, Filters()),
            lambda db, u: audit_view.entries_csv(db, u, Filters(), str, lambda k, c: c),
            lambda db, u: audit_view.accounts(db, u),
            lambda db, u: audit_view.tables(db, u),
            lambda db, u: audit_view.chain_status(db, u))


def test_readers_see_ids_and_fields_of_peoples_data_never_values_or_names(db, activity):
    names = {r[0] for r in db.execute("SELECT first_name FROM participants")}
    for who in (user(db, "admin"), reader(db)):
        shown = audit_view.entries(db, who, Filters(), per_page=200).entries
        note = [e for e in shown if e.table == "contacts" and e.field == "note"]
        assert note and all(e.withheld and e.old is None and e.new is None for e in note)
        for e in shown:
            if e.person is not None or e.table not in audit_view.VALUE_TABLES:
                assert (e.old, e.new) == (None, None), e
                assert e.reason is None or e.reason in audit_view.REASON_CODES, e
            assert not {e.old, e.new, e.reason} & names
        assert NOTE not in repr(shown)
        csv = audit_view.entries_csv(db, who, Filters(), str, lambda k, c: c).decode()
        assert NOTE not in csv and "value" not in csv.split("\n")[0]
        assert not any(name in csv for name in names if len(name) > 3)
    # Account changes and the username typed at a failed sign-in are shown.
    renamed = audit_view.entries(db, reader(db), Filters(table="users", action="update"))
    assert ("display_name", "Trener Novak") in {(e.field, e.new) for e in renamed.entries}


def test_a_redacted_entry_says_so_and_shows_nothing(db, activity):
    pid = activity["mine"][0]
    with write(db):
        audit.redact(db, pid)
    about = audit_view.entries(db, reader(db), Filters(person=pid)).entries
    created = [e for e in about if e.action == "create"]
    assert created and all(e.redacted and e.new is None for e in created)


def test_the_csv_download_is_itself_audited(db, activity):
    dpo = reader(db)
    before = audit_view.entries(db, dpo, Filters(action="export")).total
    data = audit_view.entries_csv(db, dpo, Filters(user=activity["ana"].id),
                                  {"id": "št."}.get, lambda k, c: f"{k}:{c}")
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("št.;") and len(lines) == 1 + audit_view.entries(
        db, dpo, Filters(user=activity["ana"].id)).total
    assert "action:open" in data.decode()
    assert audit_view.entries(db, dpo, Filters(action="export")).total == before + 1


def test_the_chain_status_is_checked_at_once_only_for_a_short_log(db, activity, monkeypatch):
    dpo = reader(db)
    status = audit_view.chain_status(db, dpo)
    assert status.checked and status.broken is None and status.entries > 5
    monkeypatch.setattr(audit_view, "AUTO_VERIFY_MAX", 3)
    assert not audit_view.chain_status(db, dpo).checked
    _forge(db, "UPDATE audit_log SET field = 'x' WHERE id = 2")
    forced = audit_view.chain_status(db, dpo, force=True)
    assert forced.checked and forced.broken == audit.Break(2, "changed", 1)


@pytest.mark.parametrize("filters, index", [
    (Filters(user=3), "idx_audit_user"),
    (Filters(user=3, action="open", start=dt.date(2026, 1, 1)), "idx_audit_user"),
    (Filters(person=5), "idx_audit_participant"),
    (Filters(person=5, table="contacts", action="create"), "idx_audit_participant"),
])
def test_filtering_by_user_or_person_searches_an_index_never_scans_the_log(
        db, filters, index):
    for make in (audit_view.page_sql, audit_view.count_sql):
        sql, params = make(filters)
        plan = [r[3] for r in db.execute(
            f"EXPLAIN QUERY PLAN {sql}", {**params, "limit": 50, "offset": 0, "cap": 10})]
        on_log = [step for step in plan if step.startswith(("SCAN a", "SEARCH a"))]
        assert on_log and all(step.startswith("SEARCH a USING") and index in step
                              for step in on_log), plan


def test_a_person_entrys_free_reason_is_withheld_a_workbench_code_is_shown(db):
    boss = user(db, "admin")
    with write(db):
        audit.log_event(db, boss.id, "export", "participants", 7, 7, reason="access_request")
        audit.log_changes(db, boss.id, "participants", 7, 7, "update",
                          {"stage": ("a", "b")}, reason="Zaradi nasilja v družini")
    shown = audit_view.entries(db, reader(db), Filters(person=7)).entries
    assert [(e.action, e.reason, e.withheld) for e in shown] == [
        ("update", None, True), ("export", "access_request", False)]


def test_the_reason_of_an_erasure_is_shown_to_those_who_review_it(db):
    from tests.casework_helpers import coordinator, valid_form
    from tests.conftest import TODAY
    from workbench import audit_view, auth, participants
    from workbench.protection import retention

    ana, boss = coordinator(db), auth.get_user_by_name(db, "admin")
    pid, _ = participants.create_person(db, ana, valid_form(db), coordinator_id=ana.id,
                                        today=TODAY)
    retention.erase(db, boss, pid, "Napotitev po pomoti")
    page = audit_view.entries(db, auth.get_user_by_name(db, "varuh"),
                              audit_view.Filters(action="delete"))
    assert [e.reason for e in page.entries] == ["Napotitev po pomoti"]


def test_a_change_logs_ids_are_named_but_never_a_persons(db):
    """id_names turns the ids of a change log into what they name, for the fields that
    name accounts, places, programmes and providers; a person's id stays a number."""
    from workbench import audit_view

    municipality, place = db.execute("SELECT id, name FROM municipalities LIMIT 1").fetchone()
    user, display = db.execute("SELECT id, display_name FROM users LIMIT 1").fetchone()
    found = audit_view.id_names(db, [("municipality_id", str(municipality)),
                                     ("coordinator_id", user), ("participant_id", "1"),
                                     ("unit_code", None), ("area_code", "gorenjska")])
    assert found == {("municipality_id", str(municipality)): place,
                     ("coordinator_id", str(user)): display,
                     ("area_code", "gorenjska"): "CSD Gorenjska"}
