"""Tabla obravnav: one coordinator's caseload as columns of cards, one per stage."""

import streamlit as st

from workbench import board, ui
from workbench.ui import casework as cw

user = ui.require_user("board")
st.title(ui.t("board.title"))
area = user.area_code or "gorenjska"

coordinators = {u.id: u for u in cw.area_coordinators(area)}
ids = list(coordinators)
coordinator_id = st.selectbox(
    ui.t("board.coordinator"), ids, key="board_coordinator",
    index=ids.index(user.id) if user.id in ids else 0,
    format_func=lambda i: coordinators[i].display_name)
with st.expander(ui.t("board.filters"), expanded=False):
    filters = cw.board_filters(area)

caseload = cw.load_board(coordinator_id, filters)
left, right = st.columns([4, 1])
left.caption(ui.t("board.total", n=caseload.total))
right.page_link(cw.INTAKE_PAGE, label=ui.t("board.new_intake"), icon=":material/person_add:")

limit = st.session_state.setdefault("board_limit", board.CARDS_PER_COLUMN)
if cw.board_view(caseload, limit) and st.button(ui.t("board.show_more"), key="board_more"):
    st.session_state["board_limit"] = limit + board.CARDS_PER_COLUMN
    st.rerun()
