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
from workbench.ui import address, components, widgets
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

# The board's choices in the address (a refresh or a bookmark keeps them); the search
# text is not among them (workbench.ui.address).
ADDRESS = {"board_coordinator": "koordinator", "board_unit": "enota",
           "board_municipality": "obcina", "board_group": "skupina",
           "board_programme": "program", "board_overdue": "zamuda",
           "board_finished": "zakljuceni"}


def show(user: User) -> None:
    st.title(t("board.title"), anchor=False)
    area = user.area_code or "gorenjska"
    coordinators = {u.id: u for u in area_coordinators(area)}
    top = st.columns([2, 3])
    ids = list(coordinators)
    _start("board_coordinator", ids)
    if st.session_state.get("board_coordinator") not in ids and ids:
        st.session_state["board_coordinator"] = user.id if user.id in ids else ids[0]
    coordinator_id = top[0].selectbox(
        t("board.coordinator"), ids, key="board_coordinator",
        index=widgets.held_index("board_coordinator", ids),
        format_func=lambda i: coordinators[i].display_name)
    address.put(ADDRESS["board_coordinator"],
                None if coordinator_id == user.id else coordinator_id)
    search = top[1].text_input(t("board.search"), key="board_search", max_chars=text.SEARCH_MAX,
                               placeholder=t("board.search_placeholder"))
    row = st.columns(4)
    filters = _filters(area, row)
    bottom = st.columns([3, 2, 2, 2], vertical_alignment="center")
    _start("board_overdue", (True,), default=False)
    overdue = bottom[0].toggle(t("board.overdue_only"), key="board_overdue",
                               value=widgets.held("board_overdue", (True,), False))
    _start("board_finished", (True,), default=False)
    finished = bottom[1].toggle(t("board.include_finished"), key="board_finished",
                                value=widgets.held("board_finished", (True,), False),
                                help=t("board.include_finished_help"))
    address.put(ADDRESS["board_overdue"], overdue)
    address.put(ADDRESS["board_finished"], finished)
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


def _start(key: str, options, default: object = None) -> None:
    address.start(key, ADDRESS[key], options, default)


def _pick(label: str, options, key: str, container, format_func):
    """A filter select box that starts as the address says and puts its choice there."""
    options = list(options)
    _start(key, options)
    if st.session_state.get(key) not in (None, *options):  # e.g. a municipality of
        st.session_state[key] = None                       # another unit than chosen now
    chosen = choose(label, options, key=key, format_func=format_func, container=container)
    address.put(ADDRESS[key], chosen)
    return chosen


def _filters(area: str, row) -> board.Filters:
    units = load_units(area)
    munis = load_municipalities(area)
    programmes = load_open_programmes(area, today())
    unit = _pick(t("col.unit"), units, "board_unit", row[0], units.get)
    muni_ids = [i for i, (_, u) in munis.items() if unit is None or u == unit]
    municipality = _pick(t("col.municipality"), muni_ids, "board_municipality", row[1],
                         lambda i: munis[i][0])
    group = _pick(t("col.target_group"), vocab.TARGET_GROUPS, "board_group", row[2],
                  lambda g: t(f"target_group.{g}"))
    programme = _pick(t("col.programme"), programmes, "board_programme", row[3],
                      programmes.get)
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
