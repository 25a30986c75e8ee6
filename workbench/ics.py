"""A coordinator's schedule as an iCalendar file that Outlook and phones import.

Times are local to Europe/Ljubljana (with the zone's definition in the file);
each entry's UID is fixed by its session, and its SEQUENCE is the session's
version, so importing a second export updates the entries instead of doubling
them. A moved entry keeps its UID with a higher SEQUENCE; a cancelled one stays in
the file as STATUS:CANCELLED with its UID and a higher SEQUENCE (RFC 5545 3.8.1.11,
allowed in a PUBLISH per RFC 5546 3.2.1), so calendars that imported it remove it.
No person's name leaves the workbench in the file: an individual meeting says what
it is and links to the record, which asks for sign-in.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import sqlite_utils

from workbench import access, i18n, schedule
from workbench.auth import User

ZONE = ZoneInfo("Europe/Ljubljana")
UID_DOMAIN = "socialna-aktivacija.si"
PRODID = "-//Socialna aktivacija//Delovna miza koordinatorja//SL"


def uid(session_id: int) -> str:
    return f"session-{session_id}@{UID_DOMAIN}"


def schedule_ics(db: sqlite_utils.Database, actor: User, user_id: int, start: dt.date,
                 end: dt.date, *, language: str = "sl", base_url: str = "",
                 now: dt.datetime | None = None) -> bytes:
    """The bookings of coordinator ``user_id`` from ``start`` to ``end`` (at most a year)."""
    access.require_casework(db, actor)
    entries: list[schedule.CalendarEntry] = []
    cursor = start
    while cursor <= end:  # the view's own limit on one period, a window at a time
        stop = min(end, cursor + dt.timedelta(days=schedule.VIEW_MAX_DAYS))
        entries += schedule.view(db, actor, "coordinator", user_id, cursor, stop)
        cursor = stop + dt.timedelta(days=1)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", i18n.translate("ics.calendar_name", language))
    cal.add("x-wr-timezone", "Europe/Ljubljana")
    for e in entries:
        event = icalendar.Event()
        event.add("uid", uid(e.id))
        event.add("sequence", e.version)
        event.add("dtstamp", stamp)
        begin = dt.datetime.combine(e.day, dt.time.fromisoformat(e.start_time), ZONE)
        event.add("dtstart", begin)
        event.add("dtend", begin + dt.timedelta(hours=e.hours))
        kind = i18n.translate(f"session_kind.{e.kind}", language)
        summary = e.title if e.kind != "individual" else kind
        if e.cancelled:
            summary = i18n.translate("ics.cancelled", language, title=summary)
        event.add("summary", summary)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        place = e.location or e.municipality
        if place:
            event.add("location", place)
        lines = [kind]
        if e.participant_id and base_url:
            lines.append(f"{base_url.rstrip('/')}/record?person={e.participant_id}")
        if e.people:
            lines.append(i18n.translate("ics.people", language, n=e.people))
        event.add("description", "\n".join(lines))
        event.add("categories", [kind])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
