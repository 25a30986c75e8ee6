"""Choices kept in the page's address, so that a refresh (F5), a new tab or a bookmark
shows the page as it was left. What the address says is taken only when it names one of
the choices offered; anything else there is ignored.

Typed text (a name searched for) is not put there: an address is kept in the browser's
history and in the reverse proxy's log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import streamlit as st

from workbench import i18n
from workbench.ui.lang import lang

_WRITTEN = "ui_address_written"  # what this visit of the page last put in its address


def page_entered() -> None:
    """A new visit of a page (session.note_page): what the page before wrote is forgotten,
    and the address the visit came with (a link, Back from another page) is its own."""
    st.session_state[_WRITTEN] = {}


def put(name: str, value: object) -> None:
    """The address says ``value`` under ``name``; no choice (None, "", False) says nothing.

    Each change is a step of the browser's history (Streamlit pushes it), so Back and
    Forward walk through the page's states; ``moved`` tells the page when they did."""
    empty = value is None or value == "" or value is False
    st.session_state.setdefault(_WRITTEN, {})[name] = None if empty else str(value)
    if empty:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def moved(name: str) -> bool:
    """The address says something else under ``name`` than the page last put there: the
    browser went Back or Forward (Streamlit reruns the page with that address, the
    session keeping its choices), or, on a page's first run, the address came with a
    link or from the history. The page then follows the address, not its session."""
    written = st.session_state.get(_WRITTEN, {})
    typed = st.query_params.get(name)
    return typed != written[name] if name in written else typed is not None


def named(name: str, options: Iterable) -> object:
    """The option the address names under ``name``, or None."""
    typed = st.query_params.get(name)
    if typed is None:
        return None
    return next((option for option in options if str(option) == typed), None)


def start(key: str, name: str, options: Iterable, default: object = None) -> None:
    """A widget not set yet in this session starts as the address says, when the address
    names one of ``options`` (True for a switch the address says is on). After Back or
    Forward (``moved``) it follows the address again: to what it names, or to ``default``
    when it names nothing (the value the page leaves out of its address)."""
    if key in st.session_state and not moved(name):
        return
    found = named(name, options)
    if found is not None:
        st.session_state[key] = found
    elif key in st.session_state and name in st.session_state.get(_WRITTEN, {}):
        # Assigned, not removed: an assignment reaches the browser's widget too.
        st.session_state[key] = default


def tabs(names: Sequence[str], message: Callable[[str], str], key: str,
         name: str = "zavihek") -> Sequence:
    """``st.tabs`` whose open tab the address names by its id (``?zavihek=contacts``), the
    same in every language: switching language keeps the tab and a link works in both.
    ``message(tab)`` is the message key of a tab's label. A label in the address (links
    from before, in either language) opens its tab and is replaced by the id; the first
    tab is the default and is not named. Only the open tab's ``.open`` is true."""
    labels = {tab: i18n.translate(message(tab), lang()) for tab in names}
    typed = st.query_params.get(name)
    current = typed if typed in labels else next(
        (tab for tab in names for language in i18n.LANGUAGES
         if typed is not None and i18n.translate(message(tab), language) == typed), names[0])
    put(name, None if current == names[0] else current)
    st.session_state[key] = labels[current]

    def clicked() -> None:
        chosen = next((tab for tab, label in labels.items()
                       if label == st.session_state.get(key)), names[0])
        put(name, None if chosen == names[0] else chosen)

    return st.tabs(list(labels.values()), key=key, on_change=clicked)
