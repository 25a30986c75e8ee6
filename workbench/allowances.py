"""Allowances (nagrada udeležencem): what each participant is paid for a month, from the
attendance list and the dated rules.

Per day of attendance in the programme, by the rules in force that day:

- reward: hours present x ``allowance_hourly_eur``;
- food: ``meal_allowance_eur`` on a day with at least ``meal_min_hours`` present;
- travel, on a day she came: her cheapest public ticket (kept on the enrolment) while
  ``travel_ticket_refund`` is 1, or, without a ticket, the distance there and back x
  ``travel_eur_per_km`` when she lives at least ``travel_min_km`` away. The ticket and
  distance are those in force that day: a correction of the contract's terms leaves
  the earlier ones (``enrolment_terms``) on the days of the months already locked.

A month that crosses a change of rules uses each day's. The amounts are rounded to
the cent once, per person and kind (not per day). The reward does not reduce DSP
but excludes the DSP activity supplement (dodatek za aktivnost).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlite_utils

from workbench import access, attendance, programmes
from workbench.auth import User
from workbench.rules import Timeline

RULES = ("allowance_hourly_eur", "meal_allowance_eur", "meal_min_hours",
         "travel_ticket_refund", "travel_eur_per_km", "travel_min_km")
CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Payment:
    participant_id: int
    name: str
    hours: float
    days: int             # days she attended
    meal_days: int        # days with at least the minimum hours for food
    reward: Decimal
    food: Decimal
    travel: Decimal

    @property
    def total(self) -> Decimal:
        return self.reward + self.food + self.travel


@dataclass(frozen=True)
class PaymentSheet:
    programme_id: int
    programme: str
    provider: str
    month: str
    rows: tuple[Payment, ...]
    rules: tuple[tuple[str, str, float], ...]  # (rule, in force from, value) applied
    locked: bool

    def total(self, what: str) -> Decimal | float | int:
        return sum((getattr(r, what) for r in self.rows), Decimal(0) if what in (
            "reward", "food", "travel", "total") else 0)


DAYS_SQL = """
SELECT a.participant_id, p.first_name || ' ' || p.last_name, p.last_name, p.first_name,
       s.date, SUM(a.hours),
       CASE WHEN t.id IS NULL THEN e.ticket_eur ELSE t.ticket_eur END,
       CASE WHEN t.id IS NULL THEN e.distance_km ELSE t.distance_km END
FROM sessions s
JOIN attendance a ON a.session_id = s.id AND a.status = 'present' AND a.hours > 0
JOIN participants p ON p.id = a.participant_id
LEFT JOIN enrolments e ON e.id = (SELECT le.id FROM enrolments le
     WHERE le.participant_id = a.participant_id AND le.programme_id = s.programme_id
     ORDER BY le.contract_date DESC, le.id DESC LIMIT 1)
LEFT JOIN enrolment_terms t ON t.id = (SELECT et.id FROM enrolment_terms et
     WHERE et.enrolment_id = e.id AND et.until_day > s.date
     ORDER BY et.until_day, et.id LIMIT 1)
WHERE s.programme_id = :programme AND s.date BETWEEN :start AND :end
GROUP BY a.participant_id, s.date
ORDER BY p.last_name COLLATE sl, p.first_name COLLATE sl, s.date
"""


def payment_sheet(db: sqlite_utils.Database, actor: User, programme_id: int,
                  month: str) -> PaymentSheet:
    """The month's payment sheet of a programme: a row per person who attended."""
    programmes.require_programme(db, actor, programme_id)
    access.require_casework(db, actor)
    first, last = attendance.parse_month(month)
    rules = Timeline(db, RULES)
    name, provider = db.execute(
        "SELECT g.name, pr.name FROM programmes g JOIN providers pr ON pr.id = g.provider_id "
        "WHERE g.id = ?", [programme_id]).fetchone()
    per_person: dict[int, dict] = {}
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for pid, full, _, _, day_text, hours, ticket, distance in db.execute(
            DAYS_SQL, {"programme": programme_id, "start": first.isoformat(),
                       "end": last.isoformat()}):
        day = dt.date.fromisoformat(day_text)
        person = per_person.setdefault(pid, {"name": full, "hours": 0.0, "days": 0,
                                             "meal_days": 0})
        person["hours"] += hours
        person["days"] += 1
        amount = sums[pid]
        amount["reward"] += Decimal(str(hours)) * Decimal(str(
            rules.value("allowance_hourly_eur", day)))
        meal = Decimal(str(rules.value("meal_allowance_eur", day)))
        if meal and hours >= rules.value("meal_min_hours", day):
            person["meal_days"] += 1
            amount["food"] += meal
        amount["travel"] += _travel(rules, day, ticket, distance)
    rows = tuple(Payment(pid, p["name"], p["hours"], p["days"], p["meal_days"],
                         *(_money(sums[pid][k]) for k in ("reward", "food", "travel")))
                 for pid, p in per_person.items())
    used = tuple(sorted((name, start, value) for (name, start), value in rules.used.items()))
    return PaymentSheet(programme_id, name, provider, f"{first:%Y-%m}", rows, used,
                        attendance.is_locked(db, programme_id, first))


def _travel(rules: Timeline, day: dt.date, ticket: float | None,
            distance: float | None) -> Decimal:
    if ticket:
        return Decimal(str(ticket)) * Decimal(str(rules.value("travel_ticket_refund", day)))
    if distance and distance >= rules.value("travel_min_km", day):
        return 2 * Decimal(str(distance)) * Decimal(str(rules.value("travel_eur_per_km", day)))
    return Decimal(0)


def region_month(db: sqlite_utils.Database, actor: User, area: str, month: str
                 ) -> list[PaymentSheet]:
    """The payment sheets of every programme of the area with attendance in the month."""
    access.require_area(db, actor, area)
    first, last = attendance.parse_month(month)
    ids = [r[0] for r in db.execute(
        "SELECT g.id FROM programmes g WHERE g.area_code = ? AND g.start_date <= ? "
        "AND g.end_date >= ? ORDER BY g.name COLLATE sl",
        [area, last.isoformat(), first.isoformat()])]
    sheets = [payment_sheet(db, actor, pid, month) for pid in ids]
    return [s for s in sheets if s.rows]
