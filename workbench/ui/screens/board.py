"""Tabla obravnav: one coordinator's caseload as columns of compact cards, one per stage.

The whole board is one element: cards are escaped HTML whose names are links
(a click opens the record in this session; a new tab opens its address).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from workbench import board, text, vocab
from workbench.auth import User
from workbench.errors import UserError
from workbench.ui import components, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, t
from workbench.ui.loaders import (
    area_coordinators,
    load_board,
    load_municipalities,
    load_open_programmes,
    load_units,
    today,
)
from workbench.ui.nav import page_ref
from workbench.ui.widgets import choose


def show(user: User) -> None:
    st.title(t("board.title"), anchor=False)
    area = user.area_code or "gorenjska"
    coordinators = {u.id: u for u in area_coordinators(area)}
    top = st.columns([2, 3])
    ids = list(coordinators)
    coordinator_id = top[0].selectbox(
        t("board.coordinator"), ids, key="board_coordinator",
        index=ids.index(user.id) if user.id in ids else 0,
        format_func=lambda i: coordinators[i].display_name)
    search = top[1].text_input(t("board.search"), key="board_search", max_chars=text.SEARCH_MAX,
                               placeholder=t("board.search_placeholder"))
    row = st.columns(4)
    filters = _filters(area, row)
    bottom = st.columns([3, 2, 2, 2], vertical_alignment="center")
    overdue = bottom[0].toggle(t("board.overdue_only"), key="board_overdue")
    finished = bottom[1].toggle(t("board.include_finished"), key="board_finished",
                                help=t("board.include_finished_help"))
    bottom[3].page_link(page_ref("intake"), label=t("board.new_intake"),
                        icon=":material/person_add:")
    try:
        text.search_words(search)
    except UserError as err:
        widgets.show_error(err)
        search = ""
    filters = dataclasses.replace(filters, search=search or "", overdue_only=overdue,
                                  include_finished=finished)
    if coordinator_id is None:
        st.info(t("board.no_coordinators"))
        return
    caseload = load_board(user, coordinator_id, today(), filters)
    bottom[2].caption(t("board.total", n=caseload.total))
    limit = st.session_state.get("board_limit", board.CARDS_PER_COLUMN)
    clicked = components.show(board_markup(caseload, limit), key="board_cards")
    components.open_clicked(clicked)
    if any(len(cards) > limit for cards in caseload.columns.values()):
        st.button(t("board.show_more"), key="board_more", on_click=_show_more, args=(limit,))


def _show_more(limit: int) -> None:
    # A callback, so the click renders the board once (not once, then again on st.rerun).
    st.session_state["board_limit"] = limit + board.CARDS_PER_COLUMN


def _filters(area: str, row) -> board.Filters:
    units = load_units(area)
    munis = load_municipalities(area)
    programmes = load_open_programmes(area, today())
    unit = choose(t("col.unit"), units, key="board_unit", format_func=units.get,
                  container=row[0])
    muni_ids = [i for i, (_, u) in munis.items() if unit is None or u == unit]
    municipality = choose(t("col.municipality"), muni_ids, key="board_municipality",
                          format_func=lambda i: munis[i][0], container=row[1])
    group = choose(t("col.target_group"), vocab.TARGET_GROUPS, key="board_group",
                   format_func=lambda g: t(f"target_group.{g}"), container=row[2])
    programme = choose(t("col.programme"), programmes, key="board_programme",
                       format_func=programmes.get, container=row[3])
    return board.Filters(unit=unit, municipality_id=municipality, target_group=group,
                         programme_id=programme)


def board_markup(b: board.Board, limit: int) -> str:
    """The board as escaped HTML: a column per stage, a card per person (at most ``limit``)."""
    columns = []
    for stage in b.stages:
        cards = b.columns[stage]
        parts = [f"<h3>{esc(t('board.column', stage=t(f'stage.{stage}'), n=len(cards)))}</h3>"]
        if not cards:
            parts.append(f'<div class="wb-empty">{esc(t("board.empty"))}</div>')
        for card in cards[:limit]:
            due = (t("board.next_due", date=fmt_date(card.next_due)) if card.next_due
                   else t("board.no_task"))
            late = f' <span class="wb-late">⚠ {esc(t("board.overdue"))}</span>' if card.overdue \
                else ""
            parts.append(
                f'<div class="wb-card{" overdue" if card.overdue else ""}">'
                f"{components.person_link(card.id, card.name)}"
                f'<div class="meta">{esc(card.municipality)} · '
                f'{esc(t("board.days", n=card.days_in_stage))}</div>'
                f'<div class="meta">{esc(due)}{late}</div></div>')
        if len(cards) > limit:
            parts.append(f'<div class="meta">{esc(t("board.more", n=len(cards) - limit))}</div>')
        columns.append(f'<section class="wb-col">{"".join(parts)}</section>')
    return f'<div class="wb-board">{"".join(columns)}</div>'
