"""Week and month views of the calendar, and the printable attendance list, as escaped HTML.

One element per view (``components.show``): a week is seven columns of entries, a
month a grid of days with the first entries of each; an individual meeting names
its person as a link to her record.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workbench import i18n, schedule
from workbench.attendance import MonthSheet
from workbench.auth import User
from workbench.schedule import CalendarEntry
from workbench.ui import components, widgets
from workbench.ui.components import esc
from workbench.ui.lang import fmt_date, lang, t
from workbench.ui.loaders import load_calendar, read, today

MONTH_CELL_ENTRIES = 3
CHANGE_PARAM = "vnos"  # calendar?vnos=ID: the entry's change panel


def _entry(e: CalendarEntry, compact: bool = False, titled: bool = True) -> str:
    who = ""
    if e.participant_id and e.person:
        who = " · " + components.person_link(e.participant_id, e.person)
    place = e.location or e.municipality or ""
    extra = "" if compact or not place else f'<div class="meta">{esc(place)}</div>'
    people = "" if compact or not e.people else (
        f'<div class="meta">{esc(t("calendar.people_met", n=e.people))}</div>')
    title = "" if not titled else esc(e.title) if e.kind != "individual" else esc(
        t("session_kind.individual"))
    flag = f' <span class="wb-late">{esc(t("calendar.on_holiday"))}</span>' if e.holiday else ""
    if e.cancelled:
        flag += f' <span class="wb-late">{esc(t("calendar.cancelled"))}</span>'
    elif e.recorded:
        flag += f' <span class="wb-done">{esc(t("calendar.recorded"))}</span>'
    when = f"{e.start_time}–{e.end_time}"
    # A meeting or a visit opens in the calendar's change panel (a deep link too).
    when = components.page_link("calendar", {CHANGE_PARAM: e.id}, when) \
        if e.kind in schedule.CORRECTABLE_KINDS else esc(when)
    state = " cancelled" if e.cancelled else ""
    return (f'<div class="wb-entry k-{esc(e.kind)}{state}"><b class="when">{when}</b> '
            f"{title}{who}{flag}{extra}{people}</div>")


def week_markup(entries: list[CalendarEntry], monday: dt.date) -> str:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    by_day: dict[dt.date, list[CalendarEntry]] = {d: [] for d in days}
    for e in entries:
        by_day.setdefault(e.day, []).append(e)
    columns = []
    for day in days:
        name = schedule.holiday(day, lang())
        today_class = " today" if day == today() else ""
        head = (f'<h3>{esc(i18n.weekday_name(day, lang()))} {esc(fmt_date(day))}</h3>'
                + (f'<div class="wb-holiday">{esc(name)}</div>' if name else ""))
        body = "".join(_entry(e) for e in by_day[day]) or \
            f'<div class="wb-empty">{esc(t("calendar.free_day"))}</div>'
        columns.append(f'<div class="wb-col{today_class}">{head}{body}</div>')
    return f'<div class="wb-week">{"".join(columns)}</div>'


def month_markup(entries: list[CalendarEntry], day: dt.date, titled: bool = True) -> str:
    by_day: dict[dt.date, list[CalendarEntry]] = {}
    for e in entries:
        by_day.setdefault(e.day, []).append(e)
    head = "".join(f"<th>{esc(i18n.weekday_short(i, lang()))}</th>" for i in range(7))
    rows = []
    for week in schedule.month_grid(day):
        cells = []
        for d in week:
            classes = ["out"] if d.month != day.month else []
            if d == today():
                classes.append("today")
            name = schedule.holiday(d, lang())
            if name:
                classes.append("holiday")
            found = by_day.get(d, [])
            shown = "".join(_entry(e, compact=True, titled=titled)
                            for e in found[:MONTH_CELL_ENTRIES])
            more = len(found) - MONTH_CELL_ENTRIES
            if more > 0:
                shown += f'<div class="meta">{esc(t("calendar.more", n=more))}</div>'
            title = f' title="{esc(name)}"' if name else ""
            cells.append(f'<td class="{" ".join(classes)}"{title}><div class="d">{d.day}.'
                         f'{" " + esc(name) if name else ""}</div>{shown}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="wb-month"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def show_week(user: User, scope: str, scope_id: int, monday: dt.date, key: str) -> None:
    entries = load_calendar(user, scope, scope_id, monday, monday + dt.timedelta(days=6))
    components.open_clicked(components.show(week_markup(entries, monday), key=key))


def show_month(user: User, scope: str, scope_id: int, day: dt.date, key: str) -> None:
    first, last = schedule.month_of(day)
    entries = load_calendar(user, scope, scope_id, first, last)
    # A programme's own calendar need not repeat its name in every day.
    components.open_clicked(components.show(
        month_markup(entries, day, titled=scope != "programme"), key=key))


PERSON_DAYS = 60  # her meetings and visits shown on her record: this many days back and ahead


def person_meetings(user: User, person_id: int, key: str) -> None:
    """Her meetings and visits around today, each opening its change panel in the calendar
    (move, cancel, record the visit)."""
    span = dt.timedelta(days=PERSON_DAYS)
    found = read(schedule.person_entries, user, person_id, today() - span, today() + span)
    st.subheader(t("record.meetings"), anchor=False)
    if not found:
        st.caption(t("record.meetings_none"))
        return
    rows = []
    for e in found:
        state = t("calendar.cancelled") if e.cancelled else \
            t("calendar.recorded") if e.recorded else ""
        rows.append([esc(fmt_date(e.day)),
                     components.page_link("calendar", {CHANGE_PARAM: e.id},
                                          f"{e.start_time}–{e.end_time}"),
                     esc(t(f"session_kind.{e.kind}")), esc(e.location or e.municipality or ""),
                     esc(state)])
    components.open_clicked(components.show(components.table(
        [t("field.date"), t("field.start_time"), t("field.session_kind"), t("field.location"),
         ""], rows, scroll=True), key=key))


def month_browser(user: User, scope: str, scope_id: int, key: str, default: dt.date) -> None:
    """A month of the calendar with "previous" and "next"; starts at this month when the
    programme runs now, else at its first month."""
    state = f"{key}_at"
    if state not in st.session_state:
        st.session_state[state] = today() if default <= today() else default
    at: dt.date = st.session_state[state]
    left, middle, right = st.columns([1, 3, 1])
    if left.button(t("calendar.previous"), key=f"{key}_prev", icon=":material/chevron_left:"):
        st.session_state[state] = at = (at.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if right.button(t("calendar.next"), key=f"{key}_next", icon=":material/chevron_right:"):
        st.session_state[state] = at = (at.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    middle.markdown(f"**{widgets.month_label(f'{at:%Y-%m}')}**")
    show_month(user, scope, scope_id, at, key=f"{key}_grid")


def printable_month(sheet: MonthSheet, language: str) -> bytes:
    """The monthly attendance list as a page to print (landscape, signatures at the end)."""
    tr = lambda key, **p: i18n.translate(key, language, **p)  # noqa: E731
    year, number = sheet.month.split("-")
    title = tr("sheet.attendance_title", programme=sheet.programme,
               month=f"{tr(f'month.{int(number)}')} {year}")
    marks = {"absent": tr("sheet.absent_mark"), "excused": tr("sheet.excused_mark")}
    head = "".join(f"<th>{d.day}.</th>" for d in sheet.days)
    rows = []
    for pid, name in sheet.people:
        cells = "".join(
            f"<td>{esc(i18n.format_number(sheet.cells[(pid, d)], language, 1, True))}</td>"
            if sheet.cells.get((pid, d)) else
            f"<td>{esc(marks.get(sheet.absences.get((pid, d)), ''))}</td>" for d in sheet.days)
        total = esc(i18n.format_number(sheet.person_total(pid), language, 1, True))
        rows.append(f"<tr><th class='n'>{esc(name)}</th>{cells}<td><b>{total}</b></td></tr>")
    totals = "".join(f"<td>{esc(i18n.format_number(sheet.day_total(d), language, 1, True))}</td>"
                     for d in sheet.days)
    grand = esc(i18n.format_number(sheet.total, language, 1, True))
    page = f"""<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8">
<title>{esc(title)}</title><style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: sans-serif; font-size: 9pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #777; padding: 2px 3px; text-align: center; }}
th.n {{ text-align: left; font-weight: normal; white-space: nowrap; }}
.sign {{ margin-top: 18mm; display: flex; gap: 30mm; }}
</style></head><body>
<h1 style="font-size:13pt">{esc(title)}</h1>
<p>{esc(tr("sheet.provider", provider=sheet.provider))}</p>
<table><thead><tr><th class="n">{esc(tr("col.person"))}</th>{head}
<th>{esc(tr("col.hours_total"))}</th></tr></thead><tbody>{"".join(rows)}
<tr><th class="n">{esc(tr("col.total"))}</th>{totals}<td><b>{grand}</b></td></tr>
</tbody></table>
<p>{esc(tr("sheet.legend"))}</p>
<div class="sign"><div>{esc(tr("sheet.sign_provider"))}: ____________________</div>
<div>{esc(tr("sheet.sign_coordinator"))}: ____________________</div></div>
<script>window.print && setTimeout(() => window.print(), 300);</script>
</body></html>"""
    return page.encode("utf-8")
