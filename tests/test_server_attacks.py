"""Attacks on a real running server (issue 20), spoken in Streamlit's own websocket
protocol (bench/client.py) or plain HTTP: no browser needed."""

from __future__ import annotations

import threading

import pytest

import seed
from bench.client import Session
from tests.browser_helpers import app_server
from workbench.i18n import SL


@pytest.fixture
def running(seeded_path):
    """The app as `make run` serves it, on a private copy of the seeded region."""
    server = app_server(seeded_path).start()
    yield server
    server.stop()


def test_seven_wrong_passwords_sent_at_once_over_the_websocket_meet_the_slow_down(running):
    """Seven browsers send a wrong password for one name at the same moment: three are
    checked (sign_in_slow_after) and four are told to wait, their passwords unchecked;
    the slow-down belongs to the name, not to a request or a browser."""
    sessions = [Session(running.url) for _ in range(7)]
    try:
        for session in sessions:
            session.run("")
        barrier, said = threading.Barrier(7), []

        def guess(session: Session, i: int) -> None:
            barrier.wait()
            said.append(session.run(
                values={"login_username": "ana.kos", "login_password": f"napačno-{i}"},
                trigger=session._submitter()).texts)

        threads = [threading.Thread(target=guess, args=(s, i)) for i, s in enumerate(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for session in sessions:
            session.close()
    assert len(said) == 7
    wait = SL["login.wait"].split("{")[0]
    told = sorted("wait" if any(t.startswith(wait) for t in texts) else
                  "failed" if SL["login.failed"] in texts else "?" for texts in said)
    assert told == ["failed"] * 3 + ["wait"] * 4


def _signed_in_audit(db_path, reason: str) -> list[tuple]:
    from workbench.db import open_db

    db = open_db(db_path)
    try:
        return db.execute("SELECT u.username, a.action FROM audit_log a LEFT JOIN users u "
                          "ON u.id = a.record_id WHERE a.reason = ? ORDER BY a.id",
                          [reason]).fetchall()
    finally:
        db.close()


def test_a_forged_forwarded_address_does_not_make_a_client_the_trusted_proxy(seeded_path):
    """With single sign-on from a proxy at 10.9.8.7, a client on the host that names that
    address in X-Forwarded-For and "admin" in the user header gets the sign-in form (before:
    uvicorn put the forwarded address in place of the socket's and she was the admin)."""
    server = app_server(seeded_path, WORKBENCH_TRUSTED_USER_HEADER="X-Remote-User",
                        WORKBENCH_TRUSTED_PROXY="10.9.8.7").start()
    try:
        forged = Session(server.url, headers={"X-Remote-User": "admin",
                                              "X-Forwarded-For": "10.9.8.7"})
        try:
            shown = forged.run("users")
        finally:
            forged.close()
    finally:
        server.stop()
    assert SL["login.title"] in shown.texts
    assert SL["users.title"] not in shown.texts
    assert _signed_in_audit(seeded_path, "sso") == []


def test_a_single_sign_on_is_in_the_audit_log_once_per_browser_session(seeded_path):
    server = app_server(seeded_path, WORKBENCH_TRUSTED_USER_HEADER="X-Remote-User",
                        WORKBENCH_TRUSTED_PROXY="127.0.0.1").start()
    try:
        for name in ("ana.kos", "ni.racuna"):
            tab = Session(server.url, headers={"X-Remote-User": name})
            try:
                first = tab.run("board")
                tab.run("board")
                tab.run("")
            finally:
                tab.close()
            if name == "ana.kos":
                assert SL["board.title"] in first.texts
    finally:
        server.stop()
    assert _signed_in_audit(seeded_path, "sso") == [("ana.kos", "sign_in")]
    assert _signed_in_audit(seeded_path, "sso_unknown") == [(None, "sign_in_failed")]


def _open_websocket(url: str, origin: str) -> bool:
    """Whether the server accepts a websocket a page at ``origin`` opens."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    try:
        with connect(f"ws://{url.split('//', 1)[1]}/_stcore/stream", origin=origin,
                     subprotocols=["streamlit"], open_timeout=30):
            return True
    except InvalidStatus as refused:
        assert refused.response.status_code == 403
        return False


def test_pages_cannot_be_framed_and_other_origins_cannot_open_the_websocket(seeded_path):
    """Every answer forbids framing; a page on another port of this host (Streamlit alone
    accepted any port of localhost and of the host's addresses) cannot open the app's
    websocket; an origin the administrator names can."""
    import urllib.request

    server = app_server(seeded_path,
                        WORKBENCH_ALLOWED_ORIGINS="https://sa.intranet.si").start()
    try:
        for path in ("/", "/board", "/_stcore/health"):
            with urllib.request.urlopen(server.url + path, timeout=30) as answer:
                assert answer.headers["X-Frame-Options"] == "DENY", path
                assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
                assert answer.headers["X-Content-Type-Options"] == "nosniff"
        port = server.url.rsplit(":", 1)[1]
        assert _open_websocket(server.url, f"http://127.0.0.1:{port}")
        assert _open_websocket(server.url, "https://sa.intranet.si")
        for other in (f"http://localhost:{int(port) + 1}", f"http://127.0.0.1:{int(port) + 1}",
                      "http://localhost", "https://evil.example", "null"):
            assert not _open_websocket(server.url, other), other
    finally:
        server.stop()


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MiB file system of its own (tmpfs; root only): skipped where it cannot be made."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small file system here: "
                    + made.stderr.decode(errors="replace").strip())
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder) -> None:
    """Write until the disk says it is full."""
    with open(folder / "fill", "wb") as out:
        try:
            while True:
                out.write(b"\0" * (1 << 20))
                out.flush()
        except OSError:
            pass


def test_a_full_disk_while_the_app_is_idle_still_shows_the_sign_in_form_without_a_path(
        seeded_path, small_disk):
    """The helper's trial: with no page running, SQLite had closed its -shm file, and the
    next page could not make one on the full disk: every page said "Podatkovne zbirke
    /…/full.db ni mogoče uporabiti: disk I/O error". The server keeps the files open now:
    pages open, the sign-in form shows, and a sign-in says the disk is full, no path."""
    import shutil

    db = small_disk / "sa.db"
    shutil.copy(seeded_path, db)
    server = app_server(db).start()
    try:
        warm = Session(server.url)
        warm.run("")
        warm.close()
        _fill(small_disk)
        visitor = Session(server.url)
        try:
            shown = visitor.run("")
            assert SL["login.title"] in shown.texts and not shown.errors
            said = visitor.sign_in("ana.kos", seed.DEMO_PASSWORD)
        finally:
            visitor.close()
    finally:
        server.stop()
    assert said.errors == [SL["app.disk_full_now"]]
    assert not any(str(small_disk) in text for text in said.texts + said.errors)
