import pytest

from workbench import accounts, auth
from workbench.errors import UserError


def test_password_is_stored_as_an_argon2_hash(memory_db):
    auth.create_user(memory_db, "ana.kos", "Ana Kos", "coordinator", "skrivnost123",
                     unit_code="kranj")
    stored = memory_db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2") and "skrivnost123" not in stored


def test_sign_in_with_right_and_wrong_password(memory_db):
    created = auth.create_user(memory_db, "Ana.Kos", "Ana Kos", "coordinator", "skrivnost123",
                               unit_code="kranj")
    assert auth.authenticate(memory_db, "ana.kos", "skrivnost123") == created
    assert auth.authenticate(memory_db, " ANA.KOS ", "skrivnost123") == created
    assert auth.authenticate(memory_db, "ana.kos", "Skrivnost123") is None
    assert auth.authenticate(memory_db, "nobody", "skrivnost123") is None


def test_a_deactivated_account_cannot_sign_in(memory_db):
    admin = auth.create_user(memory_db, "admin", "Admin", "admin", "admin-geslo")
    user = auth.create_user(memory_db, "maja", "Maja Zupan", "coordinator", "skrivnost123",
                            unit_code="kranj")
    accounts.deactivate(memory_db, admin, user.id)
    assert auth.authenticate(memory_db, "maja", "skrivnost123") is None
    with pytest.raises(UserError) as err:
        accounts.deactivate(memory_db, admin, admin.id)
    assert err.value.key == "error.cannot_deactivate_self"


@pytest.mark.parametrize("username, display, role, password, key", [
    ("a", "Ana", "coordinator", "skrivnost123", "error.username_invalid"),
    ("ana kos", "Ana", "coordinator", "skrivnost123", "error.username_invalid"),
    ("ana", "   ", "coordinator", "skrivnost123", "error.text_required"),
    ("ana", "Ana\u202eKos", "coordinator", "skrivnost123", "error.text_invisible"),
    ("ana", "Ana", "coordinator", "x" * 10_000, "error.password_long"),
    ("ana", "Ana", "boss", "skrivnost123", "error.role_invalid"),
    ("ana", "Ana", "coordinator", "kratko", "error.password_short"),
])
def test_bad_account_input_is_refused_and_nothing_is_written(memory_db, username, display,
                                                              role, password, key):
    with pytest.raises(UserError) as err:
        auth.create_user(memory_db, username, display, role, password)
    assert err.value.key == key
    assert memory_db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0


def test_a_taken_username_is_refused(memory_db):
    auth.create_user(memory_db, "ana", "Ana Kos", "coordinator", "skrivnost123", unit_code="kranj")
    with pytest.raises(UserError) as err:
        auth.create_user(memory_db, "ANA", "Ana Druga", "manager", "skrivnost123")
    assert err.value.key == "error.username_taken"
    assert memory_db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 1


def test_create_user_command_makes_the_first_admin_of_a_real_database(tmp_path, monkeypatch,
                                                                       capsys):
    import io

    import seed
    from workbench import environment
    from workbench.__main__ import main
    from workbench.db import open_db

    path = tmp_path / "real.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("dolgo-geslo-2026\n"))
    assert main(["create-user", "--db", str(path), "--username", "skrbnica",
                 "--display-name", "Skrbnica Sistema", "--role", "admin",
                 "--password-stdin"]) == 0
    db = open_db(path, create=True)
    assert auth.authenticate(db, "skrbnica", "dolgo-geslo-2026").role == "admin"
    assert environment.kind(db) == environment.PRODUCTION
    with pytest.raises(seed.SeedRefused):
        seed.populate(db)

    monkeypatch.setattr("sys.stdin", io.StringIO("kratko\n"))
    assert main(["create-user", "--db", str(path), "--username", "drugi",
                 "--display-name", "Drugi", "--role", "manager", "--password-stdin"]) == 2
    assert "vsaj 8 znakov" in capsys.readouterr().err


def test_a_real_account_on_a_training_database_is_refused_unless_it_is_converted(
        seeded_path, monkeypatch, capsys):
    import io

    import seed
    from workbench import environment
    from workbench.__main__ import main
    from workbench.db import open_db

    args = ["create-user", "--db", str(seeded_path), "--username", "prava.skrbnica",
            "--display-name", "Prava Skrbnica", "--role", "admin", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("dolgo-geslo-2026\n"))
    assert main(args) == 2
    assert "učna zbirka" in capsys.readouterr().err
    db = open_db(seeded_path)
    assert environment.is_training(db)
    assert db.execute("SELECT COUNT(*) FROM users WHERE username = 'prava.skrbnica'"
                      ).fetchone()[0] == 0
    # Converting deletes every demo account and record first.
    monkeypatch.setattr("sys.stdin", io.StringIO("dolgo-geslo-2026\n"))
    assert main([*args, "--convert-to-real"]) == 0
    assert environment.kind(db) == environment.PRODUCTION
    assert [u.username for u in auth.list_users(db)] == ["prava.skrbnica"]
    assert db.execute("SELECT COUNT(*) FROM participants").fetchone()[0] == 0
    assert auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD) is None
    with pytest.raises(seed.SeedRefused):
        seed.populate(db)


def test_the_command_line_never_guesses_the_database(monkeypatch, capsys):
    from workbench.__main__ import main

    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    assert main(["create-user", "--username", "x1", "--display-name", "X", "--role",
                 "admin", "--password-stdin"]) == 2
    assert "WORKBENCH_DB" in capsys.readouterr().err
