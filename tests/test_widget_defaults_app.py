"""A widget the browser draws anew shows what the server holds.

Streamlit sends a value set through st.session_state to the browser only with the run
that set it; when that run is superseded (a sign-in, quick clicks) the browser draws the
widget at its declared default and sends that back on the next click. A coordinator
signing in found "Ana Kos" in the calendar's box and, after "Naprej", Ana's week instead
of her own (seen in Chromium on a fast machine). So every widget whose value the code sets
(its own name, the address, an earlier choice) declares that value as its default: the
proto's ``default`` is what these tests read, on a later run than the one that set it.
"""

from __future__ import annotations

from tests.apptest_helpers import open_page, user_id
from workbench import places, stats
from workbench.db import open_db


def _shown_first(at, key: str) -> object:
    """The option a browser drawing this select box anew would show (None: empty)."""
    box = at.selectbox(key=key)
    return box.options[box.proto.default] if box.proto.HasField("default") else None


def test_the_calendar_is_drawn_at_her_own_name_not_at_the_first_colleague(app_env):
    at = open_page(app_env, "petra.kralj", "calendar")
    at.run()  # a later run than the one that chose her name
    assert not at.exception
    box = at.selectbox(key="cal_coordinator")
    assert box.value == user_id(app_env, "petra.kralj")
    assert box.options[0] != "Petra Kralj"  # the first colleague is someone else
    assert _shown_first(at, "cal_coordinator") == "Petra Kralj"
    assert at.radio(key="cal_scope").proto.default == 0
    # A colleague chosen (or named by the address) is drawn as chosen.
    box.set_value(user_id(app_env, "maja.zupan")).run()
    at.run()
    assert _shown_first(at, "cal_coordinator") == "Maja Zupan"
    by_address = open_page(app_env, "petra.kralj", "calendar", obseg="municipality",
                           pogled="month")
    by_address.run()
    assert by_address.radio(key="cal_scope").value == "municipality"
    assert by_address.radio(key="cal_scope").proto.default == 2
    view = by_address.button_group(key="cal_view")
    assert view.value == "month" and list(view.proto.default) == [1]  # Teden, Mesec


def test_the_board_and_charts_are_drawn_as_their_address_says(app_env):
    maja = user_id(app_env, "maja.zupan")
    at = open_page(app_env, "petra.kralj", "board", koordinator=str(maja), zamuda="True")
    at.run()
    assert not at.exception
    assert at.selectbox(key="board_coordinator").value == maja
    assert _shown_first(at, "board_coordinator") == "Maja Zupan"
    assert at.toggle(key="board_overdue").proto.default is True
    assert at.toggle(key="board_finished").proto.default is False
    own = open_page(app_env, "petra.kralj", "board")
    own.run()
    assert _shown_first(own, "board_coordinator") == "Petra Kralj"

    charts = open_page(app_env, "vodja", "charts", obdobje="quarter")
    charts.run()
    assert not charts.exception
    period = charts.button_group(key="charts_period")
    assert period.value == "quarter"
    assert list(period.proto.default) == [stats.PERIODS.index("quarter")]


def test_a_filter_she_empties_stays_empty(app_env):
    """A filter box is not drawn at what the session holds: Streamlit reads an emptied box
    as its default, and the filter would come back."""
    db = open_db(app_env)
    municipality_id = sorted(places.municipalities(db, "gorenjska"))[-1]
    db.close()
    charts = open_page(app_env, "vodja", "charts", obcina=str(municipality_id))
    assert charts.selectbox(key="charts_muni").value == municipality_id
    charts.selectbox(key="charts_muni").set_value(None).run()
    assert charts.selectbox(key="charts_muni").value is None
    assert "obcina" not in charts.query_params
