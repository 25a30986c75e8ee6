"""Driving the real app in Debian's Chromium: a `streamlit run` server per test, tabs, sign-in.

Locally the tests skip when Chromium or Playwright is missing; CI sets
WORKBENCH_REQUIRE_BROWSER=1 (see .ci/run), where a skip would be a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import seed
from tests.conftest import ROOT, TODAY
from workbench.i18n import SL

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Streamlit's own English words that must never reach a Slovenian screen.
ENGLISH = re.compile(r"Choose an option|No options to select|Press Enter|dd\.mm\.yyyy|"
                     r"yyyy|\bmeasure\b|Page not found|No results|Skip to main content|"
                     r"Running\.\.\.|Show data|Download as|Fullscreen")


def require_browser() -> None:
    missing = None
    if not os.path.exists(CHROMIUM):
        missing = f"{CHROMIUM} not found"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        message = (f"browser tests need Debian's Chromium and Playwright ({missing}): "
                   "run `apt-get update && apt-get install -y chromium` and `make test`")
        if os.environ.get("WORKBENCH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app as `make run` serves it (workbench.ui.serve), on a free port of 127.0.0.1 and
    one database file."""

    def __init__(self, db_path: Path, **env: str) -> None:
        self.db_path = db_path
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {**os.environ, "WORKBENCH_DB": str(self.db_path),
               "WORKBENCH_TODAY": TODAY.isoformat(), **self.env}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workbench.ui.serve",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.proc.kill()
        pytest.fail("streamlit did not start: " + self.proc.stdout.read().decode(errors="replace"))

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a run still going when the test ended
                self.proc.kill()
                self.proc.wait(timeout=20)


@pytest.fixture
def server(seeded_path):
    require_browser()
    running = Server(seeded_path).start()
    yield running.url
    running.stop()


@pytest.fixture
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_tab(browser, width: int = 1366, height: int = 900):
    """A tab of its own browser context: its own cookies, its own Streamlit session."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


@pytest.fixture
def page(browser):
    return new_tab(browser)


def sign_in(tab, username: str, password: str = seed.DEMO_PASSWORD) -> None:
    tab.get_by_label(SL["login.username"]).fill(username)
    tab.get_by_label(SL["login.password"], exact=True).fill(password)
    tab.get_by_role("button", name=SL["login.submit"]).click()
    tab.get_by_role("button", name=SL["app.sign_out"]).wait_for()


def visit(tab, url: str, username: str) -> None:
    """Open an address; sign in when the page asks (a new session always does)."""
    tab.goto(url)
    submit = tab.get_by_role("button", name=SL["login.submit"])
    signed_in = tab.get_by_role("button", name=SL["app.sign_out"])
    submit.or_(signed_in).first.wait_for()
    if submit.count():
        sign_in(tab, username)
    settle(tab)


def choose(tab, label: str, option: str, scope=None) -> None:
    """Pick an option of a Streamlit selectbox by typing it, as a keyboard user would."""
    box = (scope or tab).get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)
    tab.get_by_role("option", name=option, exact=True).first.click()
    settle(tab, 100)


def choose_first(tab, label: str, scope=None) -> str:
    """Pick the first option of a select box; returns its text."""
    box = (scope or tab).get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    option = tab.get_by_role("option").first
    text = option.inner_text()
    option.click()
    settle(tab, 100)
    return text


def fill_intake(tab, first: str, last: str, born: str, municipality: str = "Kranj",
                labour: str = "inactive", source: str = "self") -> None:
    """Every required field of the intake form, as a coordinator fills it."""
    fill(tab, SL["field.first_name"], first)
    fill(tab, SL["field.last_name"], last)
    fill(tab, SL["field.birth_date"], born)
    tab.get_by_text(SL["sex.F"], exact=True).click()
    choose(tab, SL["field.municipality_id"], municipality)
    choose(tab, SL["field.target_group"], SL["target_group.dsp"])
    tab.get_by_text(SL[f"labour_status.{labour}"], exact=True).click()
    for field in ("migrant", "disability", "other_disadvantage"):
        choose(tab, SL[f"field.{field}"], SL["answer.no"])
    for field, answer in (("homeless", "common.no"), ("residence_ok", "common.yes")):
        tab.get_by_role("radiogroup", name=SL[f"field.{field}"]).get_by_text(
            SL[answer], exact=True).click()
    choose(tab, SL["field.referral_source"], SL[f"referral_source.{source}"])
    settle(tab)


def fill(tab, label: str, value: str, scope=None) -> None:
    """Type into a text field and commit it (Enter), like a coordinator does."""
    field = (scope or tab).get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")


# The app's root while no run is going or asked for (Streamlit's own run state: its
# "running" icon shows only after half a second, too late to wait on for a short run).
_IDLE = ('[data-testid="stApp"]:not([data-test-script-state="running"])'
         ':not([data-test-script-state="rerunRequested"])')


def settle(tab, ms: int = 400) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    tab.wait_for_timeout(150)
    tab.locator(_IDLE).wait_for(state="attached", timeout=30_000)
    tab.wait_for_timeout(ms)


def main_text(tab) -> str:
    return tab.get_by_test_id("stMain").inner_text()


def shot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def download(tab, button):
    """Press a download button once and return the download: one press is enough, and
    afterwards the button is ready again (no spinner left turning)."""
    from playwright.sync_api import expect

    with tab.expect_download(timeout=30_000) as got:
        button.click()
    expect(button).to_be_enabled(timeout=5_000)
    return got.value
