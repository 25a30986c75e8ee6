"""Interpreter needs on the screens: the warning before a booking or an enrolment, and the
confirmation that lets the coordinator save all the same."""

from __future__ import annotations

import streamlit as st

from workbench.participants import InterpreterWarning
from workbench.ui.lang import t
from workbench.ui.widgets import tx


def language(code: str) -> str:
    return t(f"person_language.{code}")


def warning_text(warning: InterpreterWarning, what: str) -> str:
    """``what``: "meeting" or "programme" (what is held in ``warning.languages``)."""
    return tx(f"interpreter.warning_{what}", name=warning.name,
              language=language(warning.language),
              languages=", ".join(language(c) for c in warning.languages))


def confirmed(warnings: list[InterpreterWarning], what: str, key: str) -> bool:
    """Show the warnings with a box to save anyway; True when there is nothing to warn
    about or she ticked the box."""
    if not warnings:
        return True
    for warning in warnings:
        st.warning(warning_text(warning, what), icon=":material/translate:")
    return st.checkbox(t("interpreter.confirm"), key=key)
