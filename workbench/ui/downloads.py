"""Download buttons: the file is made on the click, for whoever is signed in at that moment."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench import audit
from workbench.ui import session


def download(label: str, data: Any, *, file_name: str, mime: str, key: str,
             export: audit.Export | None, container: Any = st, **options: Any) -> None:
    """A download button. The file is made on the click (``data`` a function, or the bytes
    already made), and only if the page's user is still signed in as the same account
    then (``session.at_the_click``): nothing is served before the click, and what the
    click made goes to this session alone, for seconds. The press downloads and nothing
    else: the page does not run again, so nothing on it moves or resets, and no rerun
    races the file (see ``workbench.ui.serve``). Every file of people's data is in the
    audit log: ``export`` says what it holds (None only where the library that makes the
    file logs it itself: the audit trail's CSV, an access request)."""
    make = data if callable(data) else (lambda: data)
    container.download_button(label, session.at_the_click(make, file_name=file_name,
                                                           mime=mime, export=export),
                              file_name=file_name, mime=mime, key=key, on_click="ignore",
                              **options)
