"""Choices kept in the page's address, so that a refresh (F5), a new tab or a bookmark
shows the page as it was left. What the address says is taken only when it names one of
the choices offered; anything else there is ignored.

Typed text (a name searched for) is not put there: an address is kept in the browser's
history and in the reverse proxy's log.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st


def put(name: str, value: object) -> None:
    """The address says ``value`` under ``name``; no choice (None, "", False) says nothing."""
    if value is None or value == "" or value is False:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def named(name: str, options: Iterable) -> object:
    """The option the address names under ``name``, or None."""
    typed = st.query_params.get(name)
    if typed is None:
        return None
    return next((option for option in options if str(option) == typed), None)


def start(key: str, name: str, options: Iterable) -> None:
    """A widget not set yet in this session starts as the address says, when the address
    names one of ``options`` (True for a switch the address says is on)."""
    if key in st.session_state:
        return
    found = named(name, options)
    if found is not None:
        st.session_state[key] = found
