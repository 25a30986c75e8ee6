"""The record kernel (workbench.records): versioned saves that refuse to overwrite a
colleague's newer one and say what she changed, inserts and updates with their audit rows,
the anonymised case that takes no more writes, and the form token that makes a double-clicked
save add one record.

Each test builds its few rows in an in-memory database (users straight into their table: no
password hashing), so the whole file runs in well under a second per test."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from workbench import records
from workbench.errors import ConflictError, UserError
from workbench.transactions import write


@pytest.fixture
def kernel(memory_db):
    """Two coordinators of Kranj (Ana, Maja) and the database."""
    ids = []
    with write(memory_db):
        for username, name in (("ana.kos", "Ana Kos"), ("maja", "Maja Zupan")):
            ids.append(memory_db.execute(
                "INSERT INTO users (username, display_name, role, area_code, unit_code, "
                "password_hash, created_at, sex) VALUES (?, ?, 'coordinator', 'gorenjska', "
                "'kranj', 'x', '2026-01-01T08:00:00', 'F')", [username, name]).lastrowid)
    return memory_db, ids[0], ids[1]


def _person(db, user_id: int, first: str = "Cvetka", **extra) -> int:
    """A new person through records.insert, as intake adds her."""
    municipality = db.execute("SELECT id FROM municipalities ORDER BY id LIMIT 1").fetchone()[0]
    values = {"first_name": first, "last_name": "Žagar", "sex": "F",
              "birth_date": "1990-01-01", "municipality_id": municipality,
              "target_group": "dsp", "referral_source": "csd",
              "referral_date": "2026-11-02", "coordinator_id": user_id, "stage": "referred",
              "stage_since": "2026-11-02", "created_at": "2026-11-02T09:00:00",
              "created_by": user_id, "updated_at": "2026-11-02T09:00:00",
              "updated_by": user_id, **extra}
    return records.insert(db, "participants", values, user_id, participant_id=records.SELF,
                          hidden=frozenset({"name_key"}))


def _goal(db, user_id: int, pid: int, goal: str = "Urejeni dolgovi") -> int:
    return records.insert(db, "plan_goals", {"participant_id": pid, "goal": goal,
                                             "created_at": "2026-11-03T10:00:00",
                                             "created_by": user_id}, user_id,
                          participant_id=pid)


def _audit(db, table: str, record_id: int) -> list[tuple]:
    return db.execute("SELECT user_id, table_name, record_id, participant_id, action, field, "
                      "old_value, new_value, version, reason FROM audit_log "
                      "WHERE table_name = ? AND record_id = ? ORDER BY id",
                      [table, record_id]).fetchall()


def _anonymise(db, pid: int) -> None:
    with write(db):
        db.execute("UPDATE participants SET anonymised_on = '2026-11-20' WHERE id = ?", [pid])


# -- row, named_rows, as_rows: reading by column name ---------------------------------------
def test_a_row_is_read_by_column_name_and_a_missing_one_is_a_user_error(kernel):
    """row() names each value by its column; an id that is not there is the caller's message
    key (error.record_missing unless the caller names another)."""
    db, ana, _ = kernel
    pid = _person(db, ana)
    person = records.row(db, "participants", pid)
    assert (person["id"], person["first_name"], person["version"]) == (pid, "Cvetka", 1)
    with pytest.raises(UserError) as missing:
        records.row(db, "participants", pid + 1)
    assert missing.value.key == "error.record_missing"
    with pytest.raises(UserError) as named:
        records.row(db, "programmes", 99, "error.programme_missing")
    assert named.value.key == "error.programme_missing"


@dataclasses.dataclass(frozen=True)
class _Goal:
    goal: str
    status: str


def test_rows_come_as_dicts_and_as_dataclasses_by_column_name(kernel):
    """named_rows gives every row by column name; as_rows fills a dataclass's fields from the
    columns of the same name and leaves the other columns out."""
    db, ana, _ = kernel
    pid = _person(db, ana)
    _goal(db, ana, pid, "Urejeni dolgovi")
    _goal(db, ana, pid, "Vozniški izpit")
    sql = "SELECT id, goal, status FROM plan_goals ORDER BY id"
    assert [(r["goal"], r["status"]) for r in records.named_rows(db.execute(sql))] == [
        ("Urejeni dolgovi", "open"), ("Vozniški izpit", "open")]
    assert records.as_rows(_Goal, db.execute(sql)) == [_Goal("Urejeni dolgovi", "open"),
                                                      _Goal("Vozniški izpit", "open")]


# -- insert: a row and its audit rows together ----------------------------------------------
def test_an_insert_is_audited_field_by_field_with_its_author_and_person(kernel):
    """Every filled-in column of a new row is one 'create' audit row at version 1, naming who
    added it, the table, the new row's id and the person it is about; hidden columns (derived
    search keys) are stored but not audited, empty ones are not audited."""
    db, ana, _ = kernel
    pid = _person(db, ana, name_key="cvetka zagar", phone="")
    assert records.row(db, "participants", pid)["name_key"] == "cvetka zagar"
    rows = _audit(db, "participants", pid)
    fields = {r[5]: r[7] for r in rows}
    assert fields["first_name"] == "Cvetka" and fields["last_name"] == "Žagar"
    assert "name_key" not in fields and "phone" not in fields
    # A new person's own row is about herself: its id, known only once inserted.
    assert {r[:5] for r in rows} == {(ana, "participants", pid, pid, "create")}
    assert {r[8] for r in rows} == {1}
    # A row about a person names her, not the row's own id (different numbers here).
    breda = _person(db, ana, "Breda")
    goal = _goal(db, ana, breda)
    assert goal != breda
    assert _audit(db, "plan_goals", goal) == [
        (ana, "plan_goals", goal, breda, "create", field, None, value, 1, None)
        for field, value in (("participant_id", str(breda)), ("goal", "Urejeni dolgovi"),
                             ("created_at", "2026-11-03T10:00:00"), ("created_by", str(ana)))]


def test_nothing_is_added_about_an_anonymised_person(kernel):
    """An anonymised case is statistics: no new row about her (error.record_anonymised), and
    nothing written."""
    db, ana, _ = kernel
    pid = _person(db, ana)
    _anonymise(db, pid)
    before = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    with pytest.raises(UserError) as refused:
        _goal(db, ana, pid)
    assert refused.value.key == "error.record_anonymised"
    assert db.execute("SELECT COUNT(*) FROM plan_goals").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    # Another person is not affected.
    other = _person(db, ana, "Breda")
    assert records.row(db, "plan_goals", _goal(db, ana, other))["participant_id"] == other


# -- update: the next version, the changed fields only, audited ----------------------------
def test_an_update_writes_the_changed_fields_as_the_next_version(kernel, monkeypatch):
    """Only the columns that differ are written and audited (old and new value, the version
    they made, the reason, who); the row's version goes up by one and its updated_at/by name
    the change; saving the same values again writes nothing and keeps the version."""
    db, ana, maja = kernel
    monkeypatch.setenv("WORKBENCH_TODAY", "2026-11-25")
    pid = _person(db, ana)
    current = records.check_version(db, "participants", pid, 1)
    version = records.update(db, "participants", current,
                             {"first_name": "Cvetka", "phone": "031 111 222",
                              "address": "Cesta 1", "name_key": "x"}, maja,
                             participant_id=pid, reason="Klic",
                             hidden=frozenset({"name_key"}))
    assert version == 2
    stored = records.row(db, "participants", pid)
    assert (stored["version"], stored["phone"], stored["address"], stored["name_key"]) == (
        2, "031 111 222", "Cesta 1", "x")
    assert stored["updated_by"] == maja and stored["updated_at"].startswith("2026-11-25T")
    updates = [r for r in _audit(db, "participants", pid) if r[4] == "update"]
    assert sorted(updates) == sorted([
        (maja, "participants", pid, pid, "update", "phone", None, "031 111 222", 2, "Klic"),
        (maja, "participants", pid, pid, "update", "address", None, "Cesta 1", 2, "Klic")])
    audited = len(_audit(db, "participants", pid))
    again = records.check_version(db, "participants", pid, 2)
    assert records.update(db, "participants", again, {"phone": "031 111 222"}, ana,
                          participant_id=pid) == 2
    assert records.row(db, "participants", pid)["version"] == 2
    assert len(_audit(db, "participants", pid)) == audited


def test_a_table_without_updated_at_gets_only_its_version_raised(kernel):
    """plan_goals has no updated_at/updated_by: an update there is the new value and the
    version."""
    db, ana, _ = kernel
    goal = _goal(db, ana, _person(db, ana))
    current = records.check_version(db, "plan_goals", goal, 1)
    assert records.update(db, "plan_goals", current, {"status": "achieved"}, ana,
                          participant_id=current["participant_id"]) == 2
    assert (records.row(db, "plan_goals", goal)["status"],
            records.row(db, "plan_goals", goal)["version"]) == ("achieved", 2)


def test_an_anonymised_person_takes_no_change_but_a_hand_over(kernel):
    """Nothing about an anonymised case is changed (typing her name back would undo the
    anonymisation), except the coordinator responsible for her (a departing coordinator's
    caseload is handed over, anonymised cases included)."""
    db, ana, maja = kernel
    pid = _person(db, ana)
    _anonymise(db, pid)
    current = records.row(db, "participants", pid)
    with pytest.raises(UserError) as refused:
        records.update(db, "participants", current, {"first_name": "Cvetka M."}, ana,
                       participant_id=pid)
    assert refused.value.key == "error.record_anonymised"
    with pytest.raises(UserError):
        records.update(db, "participants", current, {"coordinator_id": maja, "phone": "1"},
                       ana, participant_id=pid)
    assert records.row(db, "participants", pid)["version"] == 1
    assert records.update(db, "participants", current, {"coordinator_id": maja}, ana,
                          participant_id=pid) == 2
    assert records.row(db, "participants", pid)["coordinator_id"] == maja
    # A goal of a person who is not anonymised changes as usual.
    other = _person(db, ana, "Breda")
    goal = _goal(db, ana, other)
    assert records.update(db, "plan_goals", records.row(db, "plan_goals", goal),
                          {"status": "dropped"}, ana, participant_id=other) == 2


# -- conflicts: two coordinators saving the same record ------------------------------------
def test_a_stale_save_is_refused_naming_who_changed_what_and_when(kernel):
    """Maja opened version 1; Ana saved twice since. Maja's check names every change after
    version 1, the last author (Ana) and the moment of the last change."""
    db, ana, maja = kernel
    pid = _person(db, ana)
    records.update(db, "participants", records.row(db, "participants", pid),
                   {"phone": "031 000 001"}, maja, participant_id=pid)
    records.update(db, "participants", records.row(db, "participants", pid),
                   {"phone": "031 000 002", "email": "c@example.si"}, ana, participant_id=pid)
    assert records.check_version(db, "participants", pid, 3)["phone"] == "031 000 002"
    with pytest.raises(ConflictError) as stale:
        records.check_version(db, "participants", pid, 1)
    err = stale.value
    assert err.key == "conflict.record"
    assert [(c.user, c.field, c.old, c.new) for c in err.changes] == [
        ("Maja Zupan", "phone", None, "031 000 001"),
        ("Ana Kos", "phone", "031 000 001", "031 000 002"),
        ("Ana Kos", "email", None, "c@example.si")]
    last_at = db.execute("SELECT MAX(at) FROM audit_log").fetchone()[0]
    # Ana's account says she is a woman: the message can say "spremenila".
    assert err.params == {"who": "Ana Kos", "when": dt.datetime.fromisoformat(last_at),
                          "who_sex": "F"}
    # From version 2, only Ana's own change is news.
    with pytest.raises(ConflictError) as from_two:
        records.check_version(db, "participants", pid, 2, conflict_key="conflict.person")
    assert from_two.value.key == "conflict.person"
    assert [c.new for c in from_two.value.changes] == ["031 000 002", "c@example.si"]


def test_the_last_change_names_its_author_even_after_others(kernel):
    """who is the author of the newest change, not of the first or the second newest."""
    db, ana, maja = kernel
    pid = _person(db, ana)
    for user, phone in ((ana, "1"), (ana, "2"), (maja, "3")):
        records.update(db, "participants", records.row(db, "participants", pid),
                       {"phone": phone}, user, participant_id=pid)
    with pytest.raises(ConflictError) as stale:
        records.check_version(db, "participants", pid, 1)
    assert stale.value.params["who"] == "Maja Zupan"


def test_a_conflict_without_audited_changes_names_no_one(kernel):
    """A version raised with no audit row after it (hidden columns only) is still a conflict,
    with no changes, no author and no moment; a change by the system names no author."""
    db, ana, _ = kernel
    pid = _person(db, ana)
    records.update(db, "participants", records.row(db, "participants", pid),
                   {"name_key": "cz"}, ana, participant_id=pid, hidden=frozenset({"name_key"}))
    with pytest.raises(ConflictError) as stale:
        records.check_version(db, "participants", pid, 1)
    assert (stale.value.changes, stale.value.params) == (
        [], {"who": None, "when": None, "who_sex": None})
    records.update(db, "participants", records.row(db, "participants", pid),
                   {"phone": "031"}, None, participant_id=pid)
    with pytest.raises(ConflictError) as by_system:
        records.check_version(db, "participants", pid, 2)
    assert by_system.value.params["who"] is None
    assert [c.new for c in by_system.value.changes] == ["031"]


def test_a_missing_record_is_not_a_conflict(kernel):
    db, _, _ = kernel
    with pytest.raises(UserError) as missing:
        records.check_version(db, "plan_goals", 5, 1)
    assert missing.value.key == "error.record_missing" and not isinstance(missing.value,
                                                                         ConflictError)
    with pytest.raises(UserError) as named:
        records.check_version(db, "participants", 5, 1, missing="error.person_missing")
    assert named.value.key == "error.person_missing"


def test_an_update_on_a_stale_row_never_overwrites(kernel):
    """update() writes only onto the version it was given: a row read before a colleague's
    save is refused with her change named, and her value stays."""
    db, ana, maja = kernel
    pid = _person(db, ana)
    stale = records.row(db, "participants", pid)
    records.update(db, "participants", records.row(db, "participants", pid),
                   {"phone": "031 000 001"}, maja, participant_id=pid)
    with pytest.raises(ConflictError) as refused:
        records.update(db, "participants", stale, {"phone": "041 999 999"}, ana,
                       participant_id=pid)
    assert refused.value.key == "conflict.record"
    assert [(c.user, c.new) for c in refused.value.changes] == [("Maja Zupan", "031 000 001")]
    assert records.row(db, "participants", pid)["phone"] == "031 000 001"


# -- once: a double-clicked save adds one record -------------------------------------------
def test_a_form_token_creates_its_record_once(kernel):
    """The same token and kind give the first record back (created: False) without a second
    create; another kind or another token creates anew; without a token every save creates."""
    db, ana, _ = kernel
    pid = _person(db, ana)
    calls = []

    def create():
        calls.append(1)
        return _goal(db, ana, pid, f"Cilj {len(calls)}")

    token = records.new_token()
    first = records.once(db, token, "goal", ana, create)
    assert first[1] is True
    assert records.once(db, token, "goal", ana, create) == (first[0], False)
    assert len(calls) == 1
    assert db.execute("SELECT record_id, user_id FROM submissions WHERE token = ? "
                      "AND kind = 'goal'", [token]).fetchone() == (first[0], ana)
    other_kind = records.once(db, token, "step", ana, create)
    assert other_kind[1] is True and other_kind[0] != first[0]
    assert records.once(db, records.new_token(), "goal", ana, create)[1] is True
    assert records.once(db, None, "goal", ana, create)[1] is True
    assert records.once(db, None, "goal", ana, create)[1] is True
    assert len(calls) == 5
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 3


def test_form_tokens_are_128_bit_url_safe_and_fresh(kernel):
    """16 random bytes (22 URL-safe characters) per form: two forms never share a token."""
    tokens = {records.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) == 22 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)


def test_the_names_a_reason_may_not_hold_are_everyone_s_it_concerns(db):
    """A meeting cancelled for several people: the reason is checked against all of their
    names (text.clean_reason), so every one of them is read."""
    rows = db.execute("SELECT id, first_name, last_name FROM participants ORDER BY id "
                      "LIMIT 2").fetchall()
    names = records.person_names(db, rows[0][0], None, rows[1][0])
    assert sorted(names) == sorted([rows[0][1], rows[0][2], rows[1][1], rows[1][2]])
    assert records.person_names(db, None) == ()
