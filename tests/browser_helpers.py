"""Driving the real app in Debian's Chromium: a `streamlit run` server per test, tabs, sign-in.

Locally the tests skip when Chromium or Playwright is missing; CI sets
WORKBENCH_REQUIRE_BROWSER=1 (see .ci/run), where a skip would be a failure.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

import seed
from bench import servers
from tests.conftest import ROOT, TODAY
from workbench.i18n import SL, translate_for

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


def app_server(db_path: Path, **env: str) -> servers.Server:
    """The app as `make run` serves it (workbench.ui.serve), on a free port of 127.0.0.1 and
    one database file: bench/servers.py's starter, the one the benchmark measures."""
    return servers.streamlit(ROOT / "app.py", {"WORKBENCH_DB": str(db_path),
                                               "WORKBENCH_TODAY": TODAY.isoformat(), **env})


@pytest.fixture
def server(seeded_path):
    require_browser()
    running = app_server(seeded_path).start()
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
    context.add_init_script(_TRACKER)
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
    settle(tab)


def choose_first(tab, label: str, scope=None) -> str:
    """Pick the first option of a select box; returns its text."""
    box = (scope or tab).get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    option = tab.get_by_role("option").first
    text = option.inner_text()
    option.click()
    settle(tab)
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
    # Her form: the radio above says she is a woman ("brezposelna", "sama").
    tab.get_by_text(translate_for(f"labour_status.{labour}", "F"), exact=True).click()
    for field in ("migrant", "disability", "other_disadvantage"):
        choose(tab, SL[f"field.{field}"], SL["answer.no"])
    for field, answer in (("homeless", "common.no"), ("residence_ok", "common.yes")):
        tab.get_by_role("radiogroup", name=SL[f"field.{field}"]).get_by_text(
            SL[answer], exact=True).click()
    choose(tab, SL["field.referral_source"], translate_for(f"referral_source.{source}", "F"))
    settle(tab)


def fill(tab, label: str, value: str, scope=None) -> None:
    """Type into a text field and commit it (Enter), like a coordinator does."""
    field = (scope or tab).get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")


# What a tab's Streamlit runs are doing, as the page itself sees it (installed into every
# tab of new_tab's context before Streamlit loads). Each event takes the next number of one
# counter: the last trusted input (a click, a key, typing), the last rerun request sent
# (a BackMsg whose first field is rerun_script, tag 0x5A), the last run begun (a
# ForwardMsg new_session, tag 0x22) and the last run ended (a ForwardMsg script_finished,
# field 6, with any status but FINISHED_EARLY_FOR_RERUN: a run stopped for the next one
# has not ended). ``state`` is the app root's data-test-script-state.
_TRACKER = r"""
(() => {
  if (window.__runs) return;
  const s = window.__runs = {seq: 0, input: 0, asked: 0, begun: 0, ended: 0, quiet: 0,
                             state: null};
  const mark = key => { s[key] = ++s.seq; s.quiet = 0; };
  for (const type of ["pointerdown", "keydown", "input", "change"])
    window.addEventListener(type, e => { if (e.isTrusted) mark("input"); }, true);
  const bytes = data => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  const varint = (b, i) => {
    let value = 0, shift = 0;
    for (;;) { const c = b[i++]; value += (c & 0x7f) * 2 ** shift; shift += 7;
               if (c < 0x80) return [value, i]; }
  };
  const received = data => {  // the top-level fields of a ForwardMsg
    const b = bytes(data);
    for (let i = 0; b && i < b.length;) {
      let key, n; [key, i] = varint(b, i);
      const field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) { [n, i] = varint(b, i);
                        if (field === 6 && n !== 2) mark("ended"); }
      else if (wire === 2) { [n, i] = varint(b, i); i += n;
                             if (field === 4) mark("begun"); }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return;
    }
  };
  const Socket = window.WebSocket;
  const send = Socket.prototype.send;
  Socket.prototype.send = function (data) {
    const b = bytes(data);
    if (b && b[0] === 0x5a) mark("asked");
    return send.call(this, data);
  };
  window.WebSocket = function (...args) {
    const socket = new Socket(...args);
    socket.addEventListener("message", e => { try { received(e.data); } catch (_) {} });
    return socket;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    const seen = () => { s.state = app.getAttribute("data-test-script-state"); s.quiet = 0; };
    new MutationObserver(seen).observe(app, {attributes: true,
                                             attributeFilter: ["data-test-script-state"]});
    seen();
    return true;
  };
  const early = new MutationObserver(() => { if (watch()) early.disconnect(); });
  document.addEventListener("DOMContentLoaded", () => {
    if (!watch()) early.observe(document.documentElement, {childList: true, subtree: true});
  });
})();
"""

# Settled: no run going or asked for, every rerun asked for has begun and ended, and that has
# held for QUIET animation frames (a follow-up rerun asked for by a component as it draws, or
# the rerun of an input whose widget reports it a frame or two late, resets the count).
# Evaluated once a frame; ``s.quiet`` counts the frames.
QUIET = 6
_SETTLED = """quiet => {
  const s = window.__runs;
  if (!s || s.state === null) return false;
  const busy = ["running", "rerunRequested", "stopRequested"].includes(s.state)
    || s.asked > s.begun || s.begun > s.ended || s.ended === 0;
  s.quiet = busy ? 0 : s.quiet + 1;
  return s.quiet >= quiet;
}"""


def settle(tab, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the run the last action started, and anything it
    asked for next: returns only once every rerun the page has asked for has begun and
    ended on the server (counted from its messages, not guessed from a delay) and the page
    has been quiet for a few frames. An action that asks for no rerun (typing into a form)
    returns after those frames."""
    tab.evaluate("() => { if (window.__runs) window.__runs.quiet = 0; }")
    tab.wait_for_function(_SETTLED, arg=QUIET, polling="raf", timeout=timeout)


def runs(tab) -> int:
    """The number of the tab's last event (input, request, run begun or ended)."""
    return tab.evaluate("() => window.__runs.seq")


@contextmanager
def rerun(tab, timeout: float = 30_000):
    """``with rerun(tab): button.click()``: the action must ask for a rerun, and the block
    returns only when that rerun (and any after it) has ended. The positive signal before a
    negative check: a press that never reached the server fails here, instead of passing as
    "nothing was saved"."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = runs(tab)
    yield
    try:
        tab.wait_for_function("before => window.__runs.asked > before", arg=before,
                              polling="raf", timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError("the action asked the server for no rerun (the press or "
                             "the typing never reached the app)") from None
    settle(tab, timeout)


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
