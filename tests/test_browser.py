"""A coordinator in a real browser: Playwright drives Debian's Chromium against `streamlit run`.

Locally the test skips when Chromium or Playwright is missing; CI sets
WORKBENCH_REQUIRE_BROWSER=1 (see .ci/run), where a skip would be a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import seed
from tests.conftest import ROOT, TODAY
from workbench import auth, overview
from workbench.db import open_db
from workbench.i18n import EN, SL

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.browser


def _require_browser():
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(seeded_path):
    _require_browser()
    port = _free_port()
    env = {**os.environ, "WORKBENCH_DB": str(seeded_path), "WORKBENCH_TODAY": TODAY.isoformat()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace"))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(30_000)
        yield tab
        browser.close()


def metric_value(tab, label: str) -> str:
    metric = tab.get_by_test_id("stMetric").filter(has_text=label)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_coordinator_signs_in_and_sees_her_numbers(server, seeded_path, page):
    db = open_db(seeded_path)
    ana = auth.authenticate(db, "ana.kos", seed.DEMO_PASSWORD)
    expected = overview.coordinator_overview(db, ana.id, TODAY)

    page.goto(server)
    page.get_by_text(SL["app.training_banner"]).wait_for()
    page.get_by_label(SL["login.username"]).fill("ana.kos")
    page.get_by_label(SL["login.password"]).fill("napačno")
    page.get_by_role("button", name=SL["login.submit"]).click()
    page.get_by_text(SL["login.failed"]).wait_for()

    page.get_by_label(SL["login.password"]).fill(seed.DEMO_PASSWORD)
    page.get_by_role("button", name=SL["login.submit"]).click()
    page.get_by_text(SL["home.my_caseload"]).wait_for()
    assert metric_value(page, SL["home.active_cases"]) == str(expected.active_cases)
    assert metric_value(page, SL["home.sessions_this_week"]) == str(len(expected.week_sessions))
    assert metric_value(page, SL["home.overdue_followups"]) == str(len(expected.overdue))
    assert page.get_by_text(SL["app.training_banner"]).is_visible()
    assert page.get_by_text("Ana Kos").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coordinator-home.png"), full_page=True)

    # The English switch in the sidebar, after sign-in.
    page.get_by_role("radio", name="English").click()
    page.get_by_text(EN["home.my_caseload"]).wait_for()
    assert metric_value(page, EN["home.active_cases"]) == str(expected.active_cases)

    page.get_by_role("button", name=EN["app.sign_out"]).click()
    page.get_by_role("button", name=EN["login.submit"]).wait_for()
    assert page.get_by_text(EN["home.my_caseload"]).count() == 0


def choose(tab, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it, as a keyboard user would."""
    box = tab.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    tab.get_by_role("option", name=option, exact=True).first.click()


def test_coordinator_adds_a_person_moves_her_into_a_programme_and_finds_her_card(
        server, seeded_path, page):
    name = ("Brina", "Vrhovnik")
    page.goto(server)
    page.get_by_label(SL["login.username"]).fill("petra.kralj")
    page.get_by_label(SL["login.password"]).fill(seed.DEMO_PASSWORD)
    page.get_by_role("button", name=SL["login.submit"]).click()
    page.get_by_role("link", name=SL["nav.intake"]).click()
    page.get_by_role("heading", name=SL["intake.title"]).wait_for()

    for label, value in ((SL["field.first_name"], name[0]), (SL["field.last_name"], name[1])):
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(label, exact=True).press("Enter")
    birth = page.get_by_label(SL["field.birth_date"], exact=True)
    # A date field of day, month and year segments: typed digit by digit.
    birth.get_by_role("spinbutton").first.click()
    page.keyboard.type("14031988")
    page.keyboard.press("Tab")
    choose(page, SL["field.municipality_id"], "Tržič")
    choose(page, SL["field.target_group"], SL["target_group.dsp"])
    page.get_by_text(SL["labour_status.unemployed"], exact=True).click()
    choose(page, SL["field.referral_source"], SL["referral_source.csd"])
    page.get_by_text(SL["intake.no_matches"]).wait_for()
    page.get_by_role("button", name=SL["intake.save"]).click()
    page.get_by_text(SL["intake.saved"].format(name=" ".join(name))).wait_for()

    page.get_by_role("link", name=SL["intake.open_record"]).click()
    page.get_by_role("heading", name=" ".join(name)).wait_for()
    choose(page, SL["record.move_to"], SL["stage.in_programme"])
    programme = page.get_by_label(SL["record.programme"], exact=True)
    programme.click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name=SL["record.move_save"]).click()
    page.get_by_text(SL["record.moved"].format(stage=SL["stage.in_programme"])).wait_for()

    page.get_by_role("link", name=SL["nav.board"]).click()
    page.get_by_role("heading", name=SL["board.title"]).wait_for()
    column = page.get_by_test_id("stColumn").filter(
        has_text=f"{SL['stage.in_programme']} ·").filter(
        has=page.get_by_text(" ".join(name), exact=True))
    column.first.wait_for()
    # The card opens her record.
    card = page.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_text(" ".join(name), exact=True)).filter(
        has=page.get_by_role("link", name=SL["board.open"])).last
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coordinator-board.png"), full_page=True)
    card.get_by_role("link", name=SL["board.open"]).click()
    page.get_by_role("heading", name=" ".join(name)).wait_for()

    db = open_db(seeded_path)
    stage, coordinator = db.execute(
        "SELECT p.stage, u.username FROM participants p JOIN users u ON u.id = p.coordinator_id "
        "WHERE p.first_name = ? AND p.last_name = ?", name).fetchone()
    assert (stage, coordinator) == ("in_programme", "petra.kralj")
