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


def test_seven_wrong_passwords_sent_at_once_over_the_websocket_lock_the_name(running):
    """Seven browsers send a wrong password for one name at the same moment: the name ends
    locked, and the right password sent after them is refused with the lock's message."""
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
    locked = SL["login.locked"].split("{")[0]
    assert sum(any(text.startswith(locked) for text in texts) for texts in said) >= 3
    right = Session(running.url)
    try:
        texts = right.sign_in("ana.kos", seed.DEMO_PASSWORD).texts
    finally:
        right.close()
    assert any(text.startswith(locked) for text in texts)
