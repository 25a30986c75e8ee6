"""Widgets and helpers every screen shares: safe text, messages, forms that reset, dates.

Forms: a form's widgets carry its *generation* in their keys. A successful save
starts the next generation, so the widgets come back empty (in a real browser
too, where deleting a widget's state does not empty the field); a refused save
keeps the generation, and with it what was typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import sqlite3
import string
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from workbench import charts, dates, eligibility, enrolment, i18n, records, text, vocab
from workbench.errors import ConflictError, UserError
from workbench.transactions import write
from workbench.ui import components, loaders
from workbench.ui.lang import fmt_date, fmt_datetime, lang, t, t_for, translated
from workbench.ui.loaders import connection

# Markdown escaping. Every ASCII punctuation mark is backslash-escaped; a colon
# becomes an entity (Streamlit's :material/…: icons and :red[…] directives read
# escaped colons). GFM also turns a typed URL, www. address or e-mail into a live
# link: in text that could be one, a word joiner before each dot stops it (and only
# there, so that text copied from the page carries no invisible characters).
_MARKDOWN = {c: "\\" + c for c in string.punctuation}
_MARKDOWN[":"] = "&#58;"
_MARKDOWN["\n"] = " "
_MARKDOWN_TABLE = str.maketrans(_MARKDOWN)
_LINKLIKE_TABLE = str.maketrans({**_MARKDOWN, ".": "\u2060\\."})
_MONTH = re.compile(r"\d{4}-\d{2}")  # a month as the library names it: 2026-10
_LINKLIKE = ("@", "www.", "://")


def chart(chart: Any) -> None:
    """Draw a chart of ``workbench.charts`` across the page.

    Sent as its Vega-Lite spec (``charts.spec``), not validated again: ``st.altair_chart``
    checks the spec against the schema on every run (a fifth of the home page's run),
    while tests/test_charts.py validates every chart function once. A spec made earlier
    (a cached ``charts.Figure``) is sent as it is.
    """
    st.vega_lite_chart(dict(chart) if isinstance(chart, dict) else charts.spec(chart),
                       width="stretch")


LONG_TABLE_ROWS = 15  # a longer table scrolls within the page


def table(rows: Sequence[dict[str, object]], key: str) -> None:
    """Rows of plain values (text, numbers, None) as a compact table: escaped, long texts
    wrapped rather than cut, number columns aligned right. One element, unlike
    ``st.dataframe`` (a canvas that cuts long notes and costs an Arrow conversion)."""
    if not rows:
        return
    headers = list(rows[0])
    numeric = {i for i, h in enumerate(headers)
               if all(isinstance(r[h], int | float) or r[h] is None for r in rows)
               and any(r[h] is not None for r in rows)}
    body = [[_cell(value) for value in row.values()] for row in rows]
    components.show(components.table(headers, body, numeric, len(rows) > LONG_TABLE_ROWS),
                    key=key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return components.esc(i18n.format_number(value, lang(), digits=2, optional=True))
    return components.esc(value)


def table_label(name: str) -> str:
    """A table a change log names, in words ("Srečanje"); its name only if it has none."""
    key = i18n.table_key(name)
    return t(key) if key else name


def field_label(name: str) -> str:
    """A column a change log names, in words ("Ponujeno"); its name only if it has none."""
    key = i18n.field_key(name)
    return t(key) if key else name


def value_text(field: str, value: object, table: str | None = "participants",
               language: str | None = None, sex: str | None = None) -> str:
    """A stored value as a person reads it: a code by its name, a flag as yes / no, a day
    the Slovenian way (in ``language``, by default the page's: a download made on its
    click runs outside the page)."""
    language = language or lang()
    if value in (None, ""):
        return i18n.translate("common.none", language)
    listed = vocab.value_list(table, field)
    if listed:  # a list of codes ("sl,sq") reads as the list of their names
        return ", ".join(i18n.translate_for(f"{listed}.{code}", sex, language)
                         for code in str(value).split(","))
    if field in vocab.FLAG_FIELDS:
        return i18n.translate("common.yes" if str(value) == "1" else "common.no", language)
    if field in vocab.MOMENT_FIELDS:
        try:
            return i18n.format_datetime(str(value), language)
        except ValueError:
            return str(value)
    if field in vocab.DATE_FIELDS:
        return i18n.format_date(str(value)[:10], language)
    if field in vocab.NUMBER_FIELDS:
        try:
            return i18n.format_number(float(value), language, 2, optional=True)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def stored_value(field: str, value: object, table: str | None = "participants",
                 names: dict[tuple[str, str], str] | None = None, sex: str | None = None) -> str:
    """A stored value as a coordinator reads it: a code by its name, an id by what it names
    (``names``: audit_view.id_names of the values shown), a colleague by her name, a
    number or a day the Slovenian way, a word said of a person in her form (``sex``:
    "vključena")."""
    if value not in (None, ""):
        if names and (field, str(value)) in names:
            return names[(field, str(value))]
        if field in vocab.ACCOUNT_FIELDS:
            coordinators = {str(u.id): u.display_name for u in loaders.load_coordinators()}
            return coordinators.get(str(value), str(value))
        if field.endswith("_at") and field not in vocab.DATE_FIELDS:  # a moment, not a day
            try:
                return fmt_datetime(dt.datetime.fromisoformat(str(value)))
            except ValueError:
                pass
    return value_text(field, value, table, sex=sex)


def md(value: object) -> str:
    """User text made safe to show through markdown: it reads as typed, nothing renders."""
    if value is None:
        return ""
    text = str(value)
    linklike = any(mark in text.casefold() for mark in _LINKLIKE)
    return text.translate(_LINKLIKE_TABLE if linklike else _MARKDOWN_TABLE)


# -- messages ------------------------------------------------------------------------------
def tx(key: str, **params: object) -> str:
    """``t()`` for text shown through markdown: the values put into it are escaped
    (they may be what someone typed), the catalogue's own words are not."""
    return t(key, **{k: md(v) for k, v in params.items()})


def message(err: UserError) -> str:
    """The error in the UI language (markdown-safe), led by the label of its field."""
    params = {k: fmt_datetime(v) if isinstance(v, dt.datetime) else
              fmt_date(v) if isinstance(v, dt.date) else v for k, v in err.params.items()}
    if isinstance(params.get("month"), str) and _MONTH.fullmatch(params["month"]):
        params["month"] = month_label(params["month"])  # "2026-10" reads "oktober 2026"
    if "who" in params and params["who"] is None:
        params["who"] = t("audit.system")
    if "when" in params and params["when"] is None:
        params["when"] = "—"
    text = tx(i18n.gendered_key(err.key, params.pop("who_sex", None)), **params)
    return f"{t('field.' + err.field)}: {text}" if err.field else text


def show_error(err: UserError, label: Callable[[str, object], str] | None = None) -> None:
    """A refused action: the message, and for a conflict what the colleague changed."""
    st.error(message(err))
    if isinstance(err, ConflictError) and err.changes:
        show_value = label or (lambda field, value: str(value))
        st.markdown("\n".join(
            "- " + tx("conflict.change", field=field_label(c.field),
                      old=show_value(c.field, c.old), new=show_value(c.field, c.new))
            for c in err.changes if c.field))
    if isinstance(err, ConflictError) and err.params.get("rows"):
        # A sheet saved meanwhile: each of its rows once, by name, with the hours present.
        st.markdown("\n".join(
            "- " + tx("conflict.attendance_row", name=name,
                      status=t(f"attendance_status.{status}"),
                      hours=hours_label(hours) if status == "present" else "—")
            for name, status, hours in err.params["rows"]))


def flash(text: str, kind: str = "success") -> None:
    """A message to show once, after the rerun that follows a save (markdown-safe text:
    build it with ``tx``)."""
    st.session_state["ui_flash"] = (kind, text)


def show_flash() -> None:
    done = st.session_state.pop("ui_flash", None)
    if done:
        kind, text = done
        getattr(st, kind)(text)


# -- forms that reset after a save ---------------------------------------------------------
def form_key(name: str) -> str:
    """The widget-key prefix of form ``name`` in its current generation."""
    return f"{name}_g{st.session_state.get(f'ui_gen_{name}', 0)}"


def form_token(name: str) -> str:
    """The idempotency token of the form's current generation: a second press of the
    same save is recognised as the same submission."""
    key = f"ui_token_{form_key(name)}"
    if key not in st.session_state:
        st.session_state[key] = records.new_token()
    return st.session_state[key]


def reset_form(name: str) -> None:
    """Start the form's next generation: empty widgets and a new token."""
    st.session_state.pop(f"ui_token_{form_key(name)}", None)
    st.session_state[f"ui_gen_{name}"] = st.session_state.get(f"ui_gen_{name}", 0) + 1


class NothingChanged(Exception):
    """The save found nothing to change: said as a note, not as an error."""


@dataclasses.dataclass(frozen=True)
class Said:
    """What a save's action returns to be said instead of the usual success
    (markdown-safe text: build it with ``tx``)."""
    text: str
    kind: str = "success"


def db_busy(err: BaseException) -> bool:
    """The database stayed locked by other writers for longer than busy_timeout."""
    message = str(err).lower()
    return isinstance(err, sqlite3.OperationalError) and ("locked" in message
                                                          or "busy" in message)


def disk_full(err: BaseException) -> bool:
    """The disk (or the database's size limit) left no room: SQLITE_FULL."""
    return isinstance(err, sqlite3.OperationalError) and (
        getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "disk is full" in str(err).lower())


def save(action: Callable[[Any, str | None], object], success: str, *,
         form: str | None = None, forms: Sequence[str] = (),
         label: Callable[[str, object], str] | None = None) -> None:
    """Every save of a screen: ``action(db, token)`` as one transaction, then a rerun.

    One user action is one transaction: when a second step of it fails, the first
    is undone too. A refused save shows its message and keeps what was typed. A
    successful one resets ``form`` (and ``forms``) and says ``success`` once after the
    rerun, whose cached reads are those of the new versions of what it wrote.
    """
    db = connection()
    try:
        with write(db):
            said = action(db, form_token(form) if form else None)
    except UserError as err:
        show_error(err, label)
        return
    except NothingChanged:
        flash(t("record.unchanged"), "info")
        st.rerun()
    except sqlite3.OperationalError as err:
        if disk_full(err):  # nothing saved (the transaction is undone), the text is kept
            logging.getLogger("workbench").error("save refused: the disk is full")
            st.error(t("app.disk_full"))
            return
        if not db_busy(err):
            raise
        st.error(t("app.busy"))  # nothing saved, what she typed is still there
        return
    for name in (form, *forms):
        if name:
            reset_form(name)
    loaders.after_write()
    if isinstance(said, Said):
        flash(said.text, said.kind)
    else:
        flash(success)
    st.rerun()



def waiting_said(result: enrolment.Result, name: str,
                 terms: enrolment.Terms | None = None) -> str:
    """What a contract that found no free place says: the programme is full, or its free
    place is held until a day for the person it was offered to; and that the terms typed
    with it were not kept (they are asked again when the contract is signed)."""
    if result.held_until:
        said = tx("people.put_waiting_held", name=name, n=result.waiting.position,
                  until=fmt_date(result.held_until))
    else:
        said = tx("people.put_waiting", name=name, n=result.waiting.position)
    if terms is not None and any(dataclasses.astuple(terms)):
        said += " " + t("people.terms_not_saved")
    return said


def contract_terms(key: str, *, start: dt.date, at: Sequence[Any],
                   reason: bool = True) -> enrolment.Terms:
    """The contract's terms, asked the same way wherever a contract is signed (the
    programme's enrol form, a place offered on her record): the planned start, the ticket
    or the distance, and (``reason``) why a long programme takes her despite its conditions.
    ``at``: the containers of the four fields, in that order."""
    start_at, ticket_at, distance_at, reason_at = at
    planned = date_field(t("field.planned_start"), key=f"{key}_start", container=start_at,
                         value=start)
    # Typed as text: a number box reads the Slovenian "2,5" as 25.
    ticket = ticket_at.text_input(t("field.ticket_eur"), max_chars=12, key=f"{key}_ticket",
                                  placeholder=t("people.amount_placeholder"))
    distance = distance_at.text_input(t("field.distance_km"), max_chars=12, key=f"{key}_km",
                                      placeholder=t("people.optional"))
    override = reason_at.text_input(t("field.override_reason"), max_chars=text.SHORT_TEXT_MAX,
                                    key=f"{key}_override",
                                    help=t("people.override_help")) if reason else ""
    return enrolment.Terms(planned, ticket, distance, override)


def settle_offers(programme_id: int | None = None) -> None:
    """Offers of a free place that lapsed by today go to the next person waiting. There is
    no scheduled job: whoever looks first after the day does it (a short write, only when
    something lapsed)."""
    try:
        if enrolment.settle_offers(connection(), today=loaders.today(),
                                   programme_id=programme_id):
            loaders.after_write()
    except sqlite3.OperationalError as err:
        if not (db_busy(err) or disk_full(err)):
            raise  # busy or full: the next look passes it on; nothing is lost meanwhile

# -- inputs --------------------------------------------------------------------------------
def held(key: str, options: Sequence, fallback: object = None) -> object:
    """What a keyed widget holds in this session (set by the code, e.g. from the address,
    or chosen earlier), else ``fallback``: to be passed as the widget's own default.

    Streamlit sends a value set through ``st.session_state`` to the browser only with the
    run that set it. When that run is superseded before the page draws it (a sign-in,
    quick clicks), the browser draws the widget anew at its declared default and sends
    that back on the next click: the calendar showed and then switched to the first
    colleague's week while the server still held her own. A default that is what the
    session holds draws the same either way (with a key, the default is not part of the
    widget's identity, so it may follow the session).

    Only for a widget that always has a value (a radio, a switch, a required choice): a
    select box the user may empty reads "emptied" as its default (``choose``)."""
    value = st.session_state.get(key, fallback)
    return value if value in options else fallback


def held_index(key: str, options: Sequence, fallback: int | None = None) -> int | None:
    """``held`` as the position among ``options`` (the ``index`` of a select box or radio)."""
    options = list(options)
    value = held(key, options)
    return options.index(value) if value in options else fallback


def choose(label: str, options: Sequence, *, key: str, value: object = None,
           format_func: Callable[[Any], str] = str, container: Any = st,
           help: str | None = None) -> Any:
    """A select box that starts empty (or at ``value``) and speaks the UI language.

    Its default is not what the session holds (``held``): Streamlit reads an emptied box
    as its default, so a choice could never be taken back."""
    options = list(options)
    return container.selectbox(
        label, options, index=options.index(value) if value in options else None,
        key=translated(key), format_func=format_func, placeholder=t("common.choose"), help=help)


def yes_no(label: str, *, key: str, value: bool | None = None, container: Any = st,
           help: str | None = None) -> bool | None:
    """A yes / no question with no answer chosen until someone chooses one."""
    answer = container.radio(label, (True, False), key=translated(key), horizontal=True,
                             index=held_index(key, (True, False),
                                              None if value is None else (0 if value else 1)),
                             format_func=lambda v: t("common.yes") if v else t("common.no"),
                             help=help)
    return answer


def half_hours(up_to: float) -> list[float]:
    """0,5 h, 1 h, ... up to ``up_to`` (and ``up_to`` itself when it is no half hour)."""
    steps = [n / 2 for n in range(1, int(up_to * 2) + 1)]
    return steps if up_to in steps else [*steps, float(up_to)]


def hours_label(hours: float) -> str:
    return f"{i18n.format_number(hours, lang(), 2, optional=True)} h"


def month_label(month: str) -> str:
    """``2026-03`` as ``marec 2026``."""
    return i18n.month_label(month, lang())


def date_field(label: str, *, key: str, value: dt.date | None = None, container: Any = st,
               help: str | None = None) -> dt.date | str | None:
    """A date typed the Slovenian way ("14. 3. 1988").

    Returns the date, or the text as typed when it is not one (the library then
    refuses it with a message naming the field); an unreadable date is also
    pointed out at once under the field.
    """
    typed = container.text_input(label, value=fmt_date(value), key=key, max_chars=30,
                                 placeholder=t("common.date_placeholder"), help=help)
    try:
        return dates.parse(typed)
    except UserError as err:
        container.caption(f":red[{t(err.key)}]")
        return typed


def eligibility_view(result: eligibility.Eligibility, sex: str | None = None) -> None:
    """The conditions met and not, said of the person ("prejela DSP" once her sex is
    chosen)."""
    yes, no = t("common.yes"), t("common.no")
    st.markdown(f"**{t('elig.eligible', answer=yes if result.eligible else no)}** · "
                f"**{t('elig.long', answer=yes if result.long_programme else no)}**")
    st.markdown("\n".join(
        f"- {':green[✓]' if c.ok else ':gray[?]' if c.unknown else ':red[✗]'} "
        f"{t_for(c.text_key, sex, **c.params)}"
        for c in result.checks + result.long_checks))
