"""The interface language: the switch, ``t()`` and formatting in the chosen language."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

import streamlit as st

from workbench import config, i18n

LANG_KEY = "ui_lang"  # the chosen language: plain state, kept across sign-in, pages and sign-out
_LANG_SWITCH = "ui_lang_switch"
# The run's language, read once when the run starts (a page asks hundreds of times).
_RUN_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("ui_lang", default=None)


LANG_COOKIE = "workbench_lang"  # the browser remembers the choice across F5 and new tabs
_LANG_PENDING = "ui_lang_cookie"  # a choice the browser has not been told yet
# Writes the chosen language into a cookie of its own (not a secret: readable by the page).
_LANG_JS = """
export default function(component) {
  const { data, setTriggerValue } = component;
  if (!data) { return; }
  document.cookie = `workbench_lang=${data}; path=/; max-age=31536000; SameSite=Strict`;
  setTriggerValue('done', data);
}
"""
_LANG_COMPONENT = st.components.v2.component("workbench_lang_cookie", js=_LANG_JS)


def _remembered() -> str | None:
    """The language this browser chose before (its cookie), if any."""
    chosen = st.context.cookies.get(LANG_COOKIE)
    return chosen if isinstance(chosen, str) and chosen in i18n.LANGUAGES else None


@contextlib.contextmanager
def run_language() -> Iterator[None]:
    if LANG_KEY not in st.session_state:
        remembered = _remembered()
        if remembered:
            st.session_state[LANG_KEY] = remembered
    token = _RUN_LANG.set(st.session_state.get(LANG_KEY) or config.get("language"))
    try:
        yield
    finally:
        _RUN_LANG.reset(token)


def lang() -> str:
    return _RUN_LANG.get() or st.session_state.get(LANG_KEY) or config.get("language")


def t(key: str, **params: object) -> str:
    return i18n.translate(key, lang(), **params)


def t_for(key: str, sex: str | None, **params: object) -> str:
    """``t`` in the form that agrees with a person's sex ("vključena"; neutral if unknown)."""
    return i18n.translate_for(key, sex, lang(), **params)


def fmt_date(day: dt.date | str | None) -> str:
    return i18n.format_date(day, lang())


def fmt_datetime(moment: dt.datetime | str | None) -> str:
    return i18n.format_datetime(moment, lang())


_CHOICES = "ui_lang_choices"  # keys of the widgets that show their options translated


def translated(key: str) -> str:
    """The ``key`` of a select box or radio whose options read in the UI language.

    Streamlit keeps such a choice as the label it showed, which the other language
    does not have: after a switch the widget showed the old label, and handed it to
    the page as if it were the choice. The switch re-sets these widgets' choices.
    """
    st.session_state.setdefault(_CHOICES, set()).add(key)
    return key


def _remember_language() -> None:
    # Read with the old language's labels, set again to be shown with the new ones.
    keys = st.session_state.get(_CHOICES, set())
    keys &= set(st.session_state.keys())
    choices = {key: st.session_state[key] for key in keys}
    st.session_state[LANG_KEY] = st.session_state[_LANG_SWITCH]
    st.session_state[_LANG_PENDING] = st.session_state[LANG_KEY]
    for key, value in choices.items():
        st.session_state[key] = value


def language_switch() -> None:
    # Streamlit forgets a widget's value when the widget moves (the switch sits
    # elsewhere after sign-in), so the choice itself lives under LANG_KEY.
    st.sidebar.segmented_control(
        t("app.language"), i18n.LANGUAGES, key=_LANG_SWITCH, required=True, default=lang(),
        on_change=_remember_language, format_func={"sl": "Slovenščina", "en": "English"}.get)
    pending = st.session_state.get(_LANG_PENDING)
    if pending:
        with st.sidebar:
            _LANG_COMPONENT(data=pending, key="lang_cookie",
                            on_done_change=lambda: st.session_state.pop(_LANG_PENDING, None))
