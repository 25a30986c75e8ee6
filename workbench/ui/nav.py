"""The app's pages as Streamlit knows them: for the navigation, links and switch_page."""

from __future__ import annotations

import streamlit as st

from workbench import access, config
from workbench.ui.lang import t


def page_ref(page_id: str, visible: bool = True) -> st.Page:
    """The page as Streamlit knows it (by its address), for navigation and switch_page.

    Every page is registered for everyone; those a role may not open are hidden from
    her menu and refuse her (``require_user``) when she types their address.
    """
    spec = access.page(page_id)
    return st.Page(config.PROJECT_ROOT / spec.file, title=t(spec.title_key), icon=spec.icon,
                   url_path=spec.id, default=spec.id == "home",
                   visibility="visible" if visible else "hidden")
