"""The data layer: pragmas, the one write path, migrations, the network-file-system guard."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat

import pytest

from workbench import auth, config, i18n, participants
from workbench.db import (
    DatabaseUnavailable,
    NetworkFileSystemError,
    filesystem_type,
    open_db,
    windows_share,
    write,
)
from workbench.migrations import MIGRATIONS, apply_pending


def pragma(db, name):
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def test_open_db_sets_the_house_pragmas(db_path):
    db = open_db(db_path, create=True)
    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "busy_timeout") >= 5000
    assert pragma(db, "synchronous") == 2  # FULL


def test_path_comes_from_argument_then_environment_and_is_never_guessed(tmp_path,
                                                                        monkeypatch):
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    with pytest.raises(config.DatabaseNotConfigured, match="WORKBENCH_DB"):
        config.db_path()
    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path / "env.db"))
    assert config.db_path() == str(tmp_path / "env.db")
    assert config.db_path(tmp_path / "arg.db") == str(tmp_path / "arg.db")
    # The app never creates a database it was pointed at by mistake.
    with pytest.raises(DatabaseUnavailable) as err:
        open_db()
    assert err.value.key == "db.missing" and not (tmp_path / "env.db").exists()
    open_db(create=True).close()
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize("make, key", [
    (lambda p: p.mkdir(), "db.is_directory"),
    (lambda p: p.write_bytes(b"these are not the pages of a database" * 200), "db.not_sqlite"),
    (lambda p: None, "db.missing"),
])
def test_a_path_that_is_no_database_gets_a_clear_message(tmp_path, make, key):
    path = tmp_path / "sa.db"
    make(path)
    with pytest.raises(DatabaseUnavailable) as err:
        open_db(path)
    assert err.value.key == key
    assert i18n.translate(key, "sl", **err.value.params) != key


def test_a_mistyped_folder_is_not_created(tmp_path):
    with pytest.raises(DatabaseUnavailable) as err:
        open_db(tmp_path / "nimam" / "mape" / "sa.db", create=True)
    assert err.value.key == "db.no_folder" and not (tmp_path / "nimam").exists()


def test_a_read_only_database_gets_a_clear_message(tmp_path, monkeypatch):
    # As root (CI) a chmod does not stop writes: open the file the way a read-only file
    # system would let SQLite open it.
    path = tmp_path / "sa.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    real_connect = sqlite3.connect
    monkeypatch.setattr("workbench.db.sqlite3.connect", lambda target, **kw: real_connect(
        f"file:{target}?mode=ro", uri=True, **kw))
    with pytest.raises(DatabaseUnavailable) as err:
        open_db(path)
    assert err.value.key == "db.read_only"


def test_write_commits_the_block(db_path):
    db = open_db(db_path, create=True)
    with write(db):
        db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    other = open_db(db_path, create=True)
    assert other.execute("SELECT value FROM meta WHERE key = 'k'").fetchone() == ("v",)


def test_write_rolls_back_everything_on_error(db_path):
    db = open_db(db_path, create=True)
    with pytest.raises(RuntimeError), write(db):
        db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        db.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
        raise RuntimeError("half-way")
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key IN ('a', 'b')").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_nested_write_is_part_of_the_outer_transaction(db_path):
    db = open_db(db_path, create=True)
    with pytest.raises(ValueError), write(db):
        with write(db):
            db.execute("INSERT INTO meta (key, value) VALUES ('inner', '1')")
        raise ValueError("outer fails")
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key = 'inner'").fetchone()[0] == 0


def test_write_takes_the_write_lock_at_once(db_path):
    """BEGIN IMMEDIATE: a second writer waits for the lock instead of reading stale data."""
    db = open_db(db_path, create=True)
    other = sqlite3.connect(db_path, timeout=0.1)
    with write(db):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.rollback()


def test_foreign_keys_are_enforced(memory_db):
    with pytest.raises(sqlite3.IntegrityError), write(memory_db):
        memory_db.execute(
            "INSERT INTO csd_units (code, name, area_code) VALUES ('x', 'X', 'nowhere')")


def test_reference_data_has_gorenjska(memory_db):
    units = memory_db.execute(
        "SELECT u.code, COUNT(m.id) FROM csd_units u JOIN municipalities m "
        "ON m.unit_code = u.code GROUP BY u.code").fetchall()
    assert dict(units) == {"jesenice": 3, "radovljica": 4, "kranj": 6, "skofja_loka": 4,
                           "trzic": 1}
    assert memory_db.execute("SELECT COUNT(*) FROM csd_areas").fetchone()[0] == 16
    assert memory_db.execute(
        "SELECT cohesion_region FROM regions WHERE code = 'SI022'").fetchone() == ("KRZS",)


def test_database_from_the_first_schema_upgrades_itself_on_open(db_path):
    first = open_db(db_path, migrate=False, create=True)
    apply_pending(first, stop_before="0002_board_indexes")
    assert [m.name for m in MIGRATIONS.applied(first)] == ["0001_initial"]
    with write(first):
        first.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    first.close()

    upgraded = open_db(db_path, create=True)
    applied = [m.name for m in MIGRATIONS.applied(upgraded)]
    assert applied == [m.name for m in MIGRATIONS._migrations]
    assert "idx_participants_coordinator_stage" in {
        i.name for i in upgraded["participants"].indexes}
    assert upgraded.execute("SELECT value FROM meta WHERE key = 'kept'").fetchone() == ("yes",)
    # Opening again applies nothing twice.
    again = open_db(db_path, create=True)
    assert [m.name for m in MIGRATIONS.applied(again)] == applied


def test_people_of_an_older_database_become_searchable_after_the_upgrade(db_path):
    old = open_db(db_path, migrate=False, create=True)
    apply_pending(old, stop_before="0003_case_records")
    with write(old):
        old.execute("INSERT INTO users (id, username, display_name, role, area_code, "
                    "password_hash, created_at) VALUES (1, 'ana', 'Ana', 'coordinator', "
                    "'gorenjska', 'x', 'now')")
        old.execute(
            "INSERT INTO participants (first_name, last_name, sex, birth_date, municipality_id, "
            "target_group, referral_source, referral_date, coordinator_id, stage, stage_since, "
            "created_at, updated_at) VALUES ('Cvetka', 'Žagar-Kos', 'F', '1980-01-01', 1, "
            "'dsp', 'csd', '2026-01-01', 1, 'referred', '2026-01-01', 'now', 'now')")
    old.close()

    upgraded = open_db(db_path, create=True)
    for typed in ("zagar", "kos"):
        found = participants.search(upgraded, auth.get_user(upgraded, 1), typed)
        assert [m.name for m in found] == ["Cvetka Žagar-Kos"]


def _mounts(tmp_path, lines):
    path = tmp_path / "mounts"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_database_on_nfs_is_refused_with_a_clear_message(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    mounts = _mounts(tmp_path, ["/dev/vda / ext4 rw 0 0",
                                f"fileserver:/export {share} nfs4 rw,relatime 0 0"])
    with pytest.raises(NetworkFileSystemError) as err:
        open_db(share / "real.db", mounts_file=mounts, create=True)
    assert "omrežnem" in i18n.translate(err.value.key, "sl", **err.value.params)
    assert "host that owns the file" in i18n.translate(err.value.key, "en", **err.value.params)
    assert not (share / "real.db").exists()


def test_database_on_smb_share_with_space_in_path_is_refused(tmp_path):
    share = tmp_path / "Skupni disk"
    share.mkdir()
    escaped = str(share).replace(" ", "\\040")
    mounts = _mounts(tmp_path, ["/dev/vda / ext4 rw 0 0", f"//nas/skupno {escaped} cifs rw 0 0"])
    assert filesystem_type(share / "x.db", mounts) == "cifs"
    with pytest.raises(NetworkFileSystemError):
        open_db(share / "x.db", mounts_file=mounts, create=True)


def test_local_disk_under_a_network_mount_elsewhere_is_accepted(tmp_path):
    mounts = _mounts(tmp_path, ["/dev/vda / ext4 rw 0 0", "server:/x /mnt/elsewhere nfs rw 0 0"])
    open_db(tmp_path / "ok.db", mounts_file=mounts, create=True).close()


def test_an_older_database_dates_each_referral_row_by_its_referral(db_path):
    old = open_db(db_path, migrate=False, create=True)
    apply_pending(old, stop_before="0004_referral_dated_history")
    with write(old):
        old.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                    "created_at) VALUES (1, 'ana', 'Ana', 'coordinator', 'x', 'now')")
        old.execute("INSERT INTO participants (id, first_name, last_name, sex, birth_date, "
                    "municipality_id, target_group, referral_source, referral_date, "
                    "coordinator_id, stage, stage_since, created_at, updated_at) VALUES "
                    "(1, 'Zala', 'Pozna', 'F', '1990-01-01', 1, 'dsp', 'csd', '2026-11-01', 1, "
                    "'first_interview', '2026-11-05', 'x', 'x')")
        old.conn.executemany(
            "INSERT INTO stage_history (participant_id, from_stage, to_stage, changed_at) "
            "VALUES (1, ?, ?, ?)", [(None, "referred", "2026-12-01T10:15:00"),
                                    ("referred", "first_interview", "2026-11-05T10:16:00")])
    old.close()
    upgraded = open_db(db_path)
    assert [r[0] for r in upgraded.execute(
        "SELECT changed_at FROM stage_history ORDER BY changed_at")] == [
        "2026-11-01T10:15:00", "2026-11-05T10:16:00"]


def test_a_failing_migration_leaves_no_half_schema(db_path, monkeypatch):
    from workbench import migrations

    db = open_db(db_path, migrate=False, create=True)
    apply_pending(db, stop_before="0005_pipeline_dates_follow_ups")
    assert not db.conn.in_transaction
    broken = next(m for m in migrations.MIGRATIONS._migrations
                  if m.name == "0005_pipeline_dates_follow_ups")
    real = broken.fn

    def half_then_fail(db):
        migrations._script(db, "CREATE TABLE half_done (x);")
        raise RuntimeError("power cut")
    monkeypatch.setattr(broken, "fn", half_then_fail)
    with pytest.raises(RuntimeError):
        apply_pending(db)
    assert not db["half_done"].exists() and not db.conn.in_transaction
    monkeypatch.setattr(broken, "fn", real)
    apply_pending(db)
    assert db["follow_ups"].exists()


def test_an_older_database_gets_a_module_per_programme_and_a_calendar_it_can_keep(db_path):
    """0008: programmes made before modules become one module of their days and hours;
    their sessions are the provider's (no longer booked to the coordinator) and stay as
    the calendar the programme generated, attendance included."""
    old = open_db(db_path, migrate=False, create=True)
    apply_pending(old, stop_before="0008_scheduling")
    with write(old):
        old.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                    "created_at) VALUES (1, 'ana', 'Ana', 'coordinator', 'x', 'now')")
        old.execute("INSERT INTO providers (id, name) VALUES (1, 'Zavod')")
        old.execute("INSERT INTO programmes (id, name, provider_id, type, area_code, "
                    "coordinator_id, start_date, end_date, hours_per_day, days_per_week) "
                    "VALUES (1, 'Star program', 1, 'short', 'gorenjska', 1, '2020-03-02', "
                    "'2020-05-29', 4, 3)")
        old.execute("INSERT INTO participants (id, first_name, last_name, sex, birth_date, "
                    "municipality_id, target_group, referral_source, referral_date, "
                    "coordinator_id, stage, stage_since, created_at, updated_at) VALUES "
                    "(1, 'Zala', 'Stara', 'F', '1990-01-01', 1, 'dsp', 'csd', '2020-02-01', 1, "
                    "'in_programme', '2020-03-02', 'x', 'x')")
        old.execute("INSERT INTO sessions (id, kind, programme_id, coordinator_id, title, date, "
                    "start_time, hours) VALUES (1, 'group', 1, 1, 'Star program', '2020-03-02', "
                    "'09:00', 4), (2, 'individual', NULL, 1, 'Srečanje', '2020-03-03', "
                    "'10:00', 1)")
        old.execute("INSERT INTO attendance (session_id, participant_id, hours) VALUES "
                    "(1, 1, 4), (2, 1, 0)")
    old.close()
    upgraded = open_db(db_path)
    assert upgraded.execute("SELECT name, length, unit, hours_per_day, weekdays FROM "
                            "programme_modules").fetchall() == [
        ("Star program", 13, "weeks", 4.0, "0,2,4")]
    assert upgraded.execute("SELECT id, coordinator_id, generated, module_id IS NOT NULL "
                            "FROM sessions ORDER BY id").fetchall() == [(1, None, 1, 1),
                                                                      (2, 1, 0, 0)]
    assert upgraded.execute("SELECT session_id, status FROM attendance ORDER BY 1"
                            ).fetchall() == [(1, "present"), (2, "absent")]
    assert upgraded.execute("SELECT status FROM programmes").fetchone()[0] == "finished"
    assert upgraded.execute("SELECT value FROM rules WHERE name = 'attendance_warning_ratio'"
                            ).fetchone()[0] == 0.6


def test_an_older_offer_is_held_for_the_days_of_its_rule_after_the_upgrade(db_path):
    """0013: an offer made before the upgrade is held until its day (the offer day plus the
    rule then in force) and keeps the task made for it; waiting entries stay as they were."""
    old = open_db(db_path, migrate=False, create=True)
    apply_pending(old, stop_before="0013_offers")
    with write(old):
        old.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                    "created_at) VALUES (1, 'ana', 'Ana', 'coordinator', 'x', 'now')")
        old.execute("INSERT INTO providers (id, name) VALUES (1, 'Zavod')")
        old.execute("INSERT INTO programmes (id, name, provider_id, type, area_code, "
                    "coordinator_id, start_date, end_date, hours_per_day, days_per_week) "
                    "VALUES (1, 'Program', 1, 'short', 'gorenjska', 1, '2026-10-05', "
                    "'2027-01-29', 4, 5)")
        for pid in (1, 2):
            old.execute("INSERT INTO participants (id, first_name, last_name, sex, birth_date, "
                        "municipality_id, target_group, referral_source, referral_date, "
                        "coordinator_id, stage, stage_since, created_at, updated_at) VALUES "
                        "(?, 'Zala', 'Stara', 'F', '1990-01-01', 1, 'dsp', 'csd', "
                        "'2026-02-01', 1, 'motivation', '2026-03-02', 'x', 'x')", [pid])
        old.execute("INSERT INTO tasks (id, participant_id, kind, title, due_date, assigned_to, "
                    "created_at) VALUES (7, 1, 'other', 'Ponudite prosto mesto: Program', "
                    "'2026-11-27', 1, 'x')")
        old.execute("INSERT INTO waiting_list (programme_id, participant_id, added_on, status, "
                    "offered_on, created_at) VALUES (1, 1, '2026-11-01', 'offered', "
                    "'2026-11-20', 'x'), (1, 2, '2026-11-02', 'waiting', NULL, 'x')")
    old.close()
    upgraded = open_db(db_path)
    assert upgraded.execute("SELECT participant_id, status, offered_on, offer_until, "
                            "offer_task_id FROM waiting_list ORDER BY id").fetchall() == [
        (1, "offered", "2026-11-20", "2026-11-27", 7), (2, "waiting", None, None, None)]
    with pytest.raises(sqlite3.IntegrityError):  # the closed states are the new ones
        upgraded.execute("UPDATE waiting_list SET status = 'forgotten' WHERE id = 1")
    upgraded.execute("UPDATE waiting_list SET status = 'declined' WHERE id = 1")


# --- the database file's guards: owner-only files, network shares, damage, newer versions

def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_and_shm_are_readable_by_the_owner_only(db_path):
    old = os.umask(0o022)  # the usual umask, which made new databases 0644
    try:
        db = open_db(db_path, create=True)
        with write(db):
            db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        assert _mode(db_path) == 0o600
        assert _mode(f"{db_path}-wal") == 0o600 and _mode(f"{db_path}-shm") == 0o600
        db.close()
    finally:
        os.umask(old)


def test_an_existing_database_others_can_read_is_named_in_the_log(seeded_path, caplog):
    os.chmod(seeded_path, 0o644)
    with caplog.at_level(logging.WARNING, logger="workbench"):
        open_db(seeded_path).close()
    assert f"chmod 600 {seeded_path}" in caplog.text and "(mode 644)" in caplog.text
    assert _mode(seeded_path) == 0o644  # told, not changed behind the admin's back


def _network_share(tmp_path, fstype="nfs4"):
    share = tmp_path / "share"
    share.mkdir()
    mounts = _mounts(tmp_path, ["/dev/vda / ext4 rw 0 0", f"server:/x {share} {fstype} rw 0 0"])
    return share, mounts


def test_a_database_file_that_is_a_symlink_into_a_network_mount_is_refused(tmp_path):
    share, mounts = _network_share(tmp_path)
    local = tmp_path / "local"
    local.mkdir()
    open_db(share / "real.db", create=True).close()  # made there before the guard knew
    (local / "real.db").symlink_to(share / "real.db")
    with pytest.raises(NetworkFileSystemError) as err:
        open_db(local / "real.db", mounts_file=mounts)
    assert err.value.params["fstype"] == "nfs4"
    # Also a link to a file not there yet, and a folder that is a link into the share.
    (local / "new.db").symlink_to(share / "new.db")
    with pytest.raises(NetworkFileSystemError):
        open_db(local / "new.db", mounts_file=mounts, create=True)
    assert not (share / "new.db").exists()
    (tmp_path / "linked").symlink_to(share)
    with pytest.raises(NetworkFileSystemError):
        open_db(tmp_path / "linked" / "real.db", mounts_file=mounts)


@pytest.mark.parametrize("fstype", ["fuse.ceph-fuse", "fuse.gcsfuse", "fuse.gvfsd-fuse",
                                    "fuse.smbnetfs", "vboxsf", "fuse.juicefs", "beegfs",
                                    "fuse.cifs", "fuse.vmhgfs-fuse", "prl_fs", "drvfs"])
def test_fuse_and_virtual_machine_shares_are_refused(tmp_path, fstype):
    share, mounts = _network_share(tmp_path, fstype)
    with pytest.raises(NetworkFileSystemError) as err:
        open_db(share / "x.db", mounts_file=mounts, create=True)
    assert err.value.params["fstype"] == fstype and not (share / "x.db").exists()


def test_an_unreadable_mount_table_is_logged_as_not_checked(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="workbench"):
        open_db(tmp_path / "x.db", mounts_file=str(tmp_path / "no-mounts"), create=True).close()
    assert "was not checked" in caplog.text and "ni preverjeno" in caplog.text
    assert str(tmp_path / "no-mounts") in caplog.text


@pytest.mark.parametrize("path, share", [
    (r"\\nas\skupno\real.db", True), ("//nas/skupno/real.db", True),
    (r"\\?\UNC\nas\skupno\real.db", True), (r"\\?\C:\data\real.db", False),
    (r"\\.\C:\data\real.db", False), (r"C:\data\real.db", False), ("/srv/real.db", False)])
def test_windows_network_paths_are_recognised(path, share):
    assert windows_share(path) is share


def test_a_damaged_database_is_refused_at_open_with_a_clear_message(seeded_path):
    from tests.test_backup import corrupt

    corrupt(seeded_path)
    with pytest.raises(DatabaseUnavailable) as err:
        open_db(seeded_path)
    assert err.value.key == "db.damaged" and "Page" in err.value.params["detail"]
    assert "restore" in i18n.translate(err.value.key, "en", **err.value.params)
    assert "poškodovana" in i18n.translate(err.value.key, "sl", **err.value.params)


def test_a_database_made_by_a_newer_version_is_refused_at_open(seeded_path):
    from tests.test_backup import from_the_future

    from_the_future(seeded_path)
    with pytest.raises(DatabaseUnavailable) as err:
        open_db(seeded_path)
    assert err.value.key == "db.newer_version"
    assert err.value.params["migrations"] == "9999_from_a_newer_version"
    assert "newer version" in i18n.translate(err.value.key, "en", **err.value.params)
