"""ESF indicators of a year, the data-quality check before reporting, the e-MA export and
its reminder (DOMAIN.md, "Reporting: ESF indicators and e-MA").

Counting rules, each in one place here:

- Output indicators (CO) count the people whose **first entry** (``entry_date``) falls in
  the year, once each, by sex; their situation is the one recorded at entry (the record).
- A record whose non-sensitive data are incomplete (no ISCED, no labour status) counts
  in the grand total only, never in a breakdown; the report says how many.
- A sensitive answer "refused" counts as not "yes"; the report says how many refused.
- ISCED 0 is in none of CO09-CO11 (the record forces "other disadvantage": CO17).
- A follow-up counts only when it was observed inside its window: from the day its window
  opened (``pipeline.follow_up_opens``, by the rules in force on her exit day, from her
  exit as it now stands), so one recorded too early, or left early by a later correction
  of the exit, is no event.
- Immediate results (CR01-CR05) count the people whose **latest exit** falls in the year:
  of the events from the exit up to 4 weeks after it (the exit's destination, then the
  4-week follow-ups), the last counts, so CR01 and CR04 exclude each other. A follow-up
  that could not reach her is no event.
- Longer-term results (CR06-CR09) read the latest 6-month follow-up of the same people.
  The follow-up records name what she does, not whether her job is better than the one
  she had: CR07 counts those employed at entry who are employed six months after, an
  upper bound of the Commission's "improved situation".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from workbench import access, casework, dates, i18n, pipeline, records, vocab
from workbench.auth import User
from workbench.eligibility import age_on
from workbench.errors import UserError
from workbench.rules import Timeline
from workbench.transactions import write

# Age bands of the charts; their edges are CO06 (under 25) and CO07 (over 54).
AGE_BANDS = (("15-24", 24), ("25-34", 34), ("35-44", 44), ("45-54", 54), ("55+", None))
YOUNG_BELOW = 25
OLDER_ABOVE = 54
RESULT_WINDOW_DAYS = 28          # "within four weeks of leaving"
FIRST_YEAR = 2017                # the operation began on 1 January 2017
EMA_DUE = (1, 15)                # the previous year's participants, by 15 January
EMA_REMINDER_FROM = (12, 1)      # the home page reminds from 1 December

UNEMPLOYED = ("unemployed", "long_term_unemployed")
INACTIVE = ("inactive_in_education", "inactive")
# What the exit's destination says she is doing, as the follow-ups name it.
EXIT_SITUATION = {"primary": "employed", "secondary": "employed", "tertiary": "employed",
                  "education": "education_training", "further_programme": "education_training"}
EXIT_SITUATION_OF = {destination: "job_searching" if destination == "job_searching"
                     else EXIT_SITUATION.get(group, "unchanged")
                     for destination, group in vocab.EXIT_GROUPS.items()}
EMPLOYED = ("employed", "self_employed")
ENGAGED = ("job_searching", "education_training", "qualification", *EMPLOYED)


@dataclass(frozen=True)
class Person:
    id: int
    sex: str
    birth_date: dt.date
    entry_date: dt.date | None
    exit_date: dt.date | None
    labour_status: str | None
    isced: int | None
    migrant: str | None
    disability: str | None
    other_disadvantage: str | None
    homeless: bool
    rural: bool
    cohesion_region: str
    exit_destination: str | None
    follow_ups: tuple[tuple[str, str, dt.date], ...] = ()   # (kind, situation, observed on)

    @property
    def complete(self) -> bool:
        return self.isced is not None and self.labour_status is not None

    @property
    def age_at_entry(self) -> int | None:
        return age_on(self.birth_date, self.entry_date) if self.entry_date else None

    @property
    def disadvantaged(self) -> bool:
        return (self.homeless or "yes" in (self.migrant, self.disability,
                                           self.other_disadvantage))

    def situation_after_exit(self) -> str | None:
        """The last event within four weeks of the latest exit."""
        if self.exit_date is None:
            return None
        events = []
        if self.exit_destination:
            events.append((self.exit_date, 0, EXIT_SITUATION_OF[self.exit_destination]))
        until = self.exit_date + dt.timedelta(days=RESULT_WINDOW_DAYS)
        events += [(day, 1, situation) for kind, situation, day in self.follow_ups
                   if kind == "follow_up_4w" and situation != "unreachable"
                   and self.exit_date <= day <= until]
        return max(events)[2] if events else None

    def situation_at_six_months(self) -> str | None:
        found = [(day, situation) for kind, situation, day in self.follow_ups
                 if kind == "follow_up_6m" and situation != "unreachable"
                 and self.exit_date and day >= self.exit_date]
        return max(found)[1] if found else None


Rule = Callable[[Person], bool]


def _older(p: Person) -> bool:
    return (p.age_at_entry or 0) > OLDER_ABOVE


OUTPUTS: tuple[tuple[str, Rule], ...] = (
    ("CO01", lambda p: p.labour_status in UNEMPLOYED),
    ("CO02", lambda p: p.labour_status == "long_term_unemployed"),
    ("CO03", lambda p: p.labour_status in INACTIVE),
    ("CO04", lambda p: p.labour_status == "inactive"),
    ("CO05", lambda p: p.labour_status == "employed"),
    ("CO06", lambda p: (p.age_at_entry or 0) < YOUNG_BELOW),
    ("CO07", _older),
    ("CO08", lambda p: _older(p) and p.labour_status in (*UNEMPLOYED, *INACTIVE)),
    ("CO09", lambda p: p.isced in (1, 2)),
    ("CO10", lambda p: p.isced in (3, 4)),
    ("CO11", lambda p: p.isced is not None and p.isced >= 5),
    ("CO15", lambda p: p.migrant == "yes"),
    ("CO16", lambda p: p.disability == "yes"),
    ("CO17", lambda p: p.other_disadvantage == "yes"),
    ("CO18", lambda p: p.homeless),
    ("CO19", lambda p: p.rural),
)
IMMEDIATE: tuple[tuple[str, Rule], ...] = (
    ("CR01", lambda p: p.labour_status in INACTIVE
     and p.situation_after_exit() == "job_searching"),
    ("CR02", lambda p: p.situation_after_exit() == "education_training"),
    ("CR03", lambda p: p.situation_after_exit() == "qualification"),
    ("CR04", lambda p: p.situation_after_exit() in EMPLOYED),
    ("CR05", lambda p: p.disadvantaged and p.situation_after_exit() in ENGAGED),
)
LONGER: tuple[tuple[str, Rule], ...] = (
    ("CR06", lambda p: p.situation_at_six_months() in EMPLOYED),
    ("CR07", lambda p: p.labour_status == "employed"
     and p.situation_at_six_months() in EMPLOYED),
    ("CR08", lambda p: _older(p) and p.situation_at_six_months() in EMPLOYED),
    ("CR09", lambda p: p.disadvantaged and p.situation_at_six_months() in EMPLOYED),
)
INDICATORS = tuple(code for code, _ in (*OUTPUTS, *IMMEDIATE, *LONGER))
SENSITIVE = ("migrant", "disability", "other_disadvantage")

_AREA = ("p.municipality_id IN (SELECT am.id FROM municipalities am JOIN csd_units au "
         "ON au.code = am.unit_code WHERE :area IS NULL OR au.area_code = :area)")
_IN_YEAR = ("(p.entry_date BETWEEN :start AND :end OR p.exit_date BETWEEN :start AND :end)")
PEOPLE_SQL = f"""
SELECT p.id, p.sex, p.birth_date, p.entry_date, p.exit_date, p.labour_status, p.isced,
       p.migrant, p.disability, p.other_disadvantage, p.homeless, m.rural,
       r.cohesion_region, p.exit_destination
FROM participants p JOIN municipalities m ON m.id = p.municipality_id
JOIN csd_units u ON u.code = m.unit_code JOIN csd_areas a ON a.code = u.area_code
JOIN regions r ON r.code = a.region_code
WHERE {_AREA} AND {_IN_YEAR}"""
FOLLOW_UPS_SQL = f"""
SELECT f.participant_id, f.kind, f.situation, f.observed_on, p.exit_date
FROM participants p JOIN follow_ups f ON f.participant_id = p.id
WHERE {_AREA} AND p.exit_date BETWEEN :start AND :end"""


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def year_params(year: int, area: str | None) -> dict[str, object]:
    return {"start": f"{year}-01-01", "end": f"{year}-12-31", "area": area}


def check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise UserError("error.report_year", first=FIRST_YEAR, last=today.year)


_WINDOW_RULES = (*(rule for _, rule in pipeline.FOLLOW_UPS.values()),
                 *pipeline.FOLLOW_UP_EARLY.values())


def people(db: sqlite_utils.Database, year: int, area: str | None) -> list[Person]:
    """The people who entered or left in the year, with their follow-ups observed inside
    their windows."""
    params = year_params(year, area)
    rules = Timeline(db, _WINDOW_RULES)
    follow: dict[int, list] = {}
    for pid, kind, situation, observed, left in db.execute(FOLLOW_UPS_SQL, params):
        exit_day, day = _day(left), _day(observed)
        opens = pipeline.follow_up_opens(
            exit_day, int(rules.value(pipeline.FOLLOW_UPS[kind][1], exit_day)),
            int(rules.value(pipeline.FOLLOW_UP_EARLY[kind], exit_day)))
        if day >= opens:
            follow.setdefault(pid, []).append((kind, situation, day))
    return [Person(pid, sex, _day(born), _day(entry), _day(left), status, isced, migrant,
                   disability, other, bool(homeless), bool(rural), region, destination,
                   tuple(follow.get(pid, ())))
            for (pid, sex, born, entry, left, status, isced, migrant, disability, other,
                 homeless, rural, region, destination) in db.execute(PEOPLE_SQL, params)]


@dataclass(frozen=True)
class Report:
    year: int
    area: str | None
    regions: tuple[str, ...]                 # cohesion regions split out (national data)
    counts: dict[tuple[str, str, str], int]  # (indicator or total, region or "", sex)
    participants: int                        # entered in the year (grand total)
    incomplete: int                          # of those, only in the grand total
    leavers: int
    refused: dict[str, int] = field(default_factory=dict)

    def count(self, code: str, sex: str | None = None, region: str = "") -> int:
        sexes = vocab.SEXES if sex is None else (sex,)
        return sum(self.counts.get((code, region, s), 0) for s in sexes)

    def rows(self) -> list[tuple[str, dict[str, int]]]:
        """Each line of the report: its code and its counts by column (see ``columns``)."""
        lines = []
        for code in ("total", "complete", *[c for c, _ in OUTPUTS], "leavers",
                     *[c for c, _ in (*IMMEDIATE, *LONGER)]):
            values = {}
            for region in self.regions:
                for sex in vocab.SEXES:
                    values[f"{region}_{sex}"] = self.count(code, sex, region)
            for sex in vocab.SEXES:
                values[sex] = self.count(code, sex)
            values["all"] = self.count(code)
            lines.append((code, values))
        return lines

    def columns(self) -> list[str]:
        return [f"{r}_{s}" for r in self.regions for s in vocab.SEXES] + [*vocab.SEXES, "all"]


def report(db: sqlite_utils.Database, actor: User, year: int, area: str | None,
           today: dt.date) -> Report:
    """The ESF indicators of the year: aggregates, for any active account of the area; a
    national report (``area`` None) for a national account, split by cohesion region."""
    access.require_totals(actor, area)
    check_year(year, today)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = people(db, year, area)
    entered = [p for p in found if p.entry_date and start <= p.entry_date <= end]
    left = [p for p in found if p.exit_date and start <= p.exit_date <= end]
    counts: Counter = Counter()
    regions = tuple(sorted({p.cohesion_region for p in found})) if area is None else ()

    def add(code: str, person: Person) -> None:
        counts[(code, "", person.sex)] += 1
        if regions:
            counts[(code, person.cohesion_region, person.sex)] += 1

    for person in entered:
        add("total", person)
        if person.complete:
            add("complete", person)
            for code, rule in OUTPUTS:
                if rule(person):
                    add(code, person)
    for person in left:
        if person.complete:
            add("leavers", person)
            for code, rule in (*IMMEDIATE, *LONGER):
                if rule(person):
                    add(code, person)
    refused = {name: sum(getattr(p, name) == "refused" for p in entered)
               for name in SENSITIVE}
    return Report(year, area, regions, dict(counts), len(entered),
                  sum(not p.complete for p in entered), len(left), refused)


def column_label(column: str, lang: str) -> str:
    """A report column's header: ``F``, ``M``, ``all`` or ``KRZS_F`` and the like."""
    if column in ("code", "indicator", "all", *vocab.SEXES):
        return i18n.translate(f"col.{column}", lang)
    region, sex = column.split("_")
    return f"{region} {i18n.translate(f'col.{sex}', lang)}"


def report_csv(result: Report, label: Callable[[str], str],
               header: Callable[[str], str]) -> bytes:
    """The report as a CSV table: code, indicator, then the counts (semicolons, UTF-8
    with BOM, as a Slovenian Excel opens it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([header("code"), header("indicator"),
                     *[header(c) for c in result.columns()]])
    for code, values in result.rows():
        writer.writerow([code if code in INDICATORS else "", label(code),
                         *[values[c] for c in result.columns()]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- the data-quality check ------------------------------------------------------------------
PROBLEMS = ("missing_emso", "missing_isced", "missing_labour_status", "exit_without_destination",
            "follow_up_without_result")
_FOLLOW_UP_KINDS = pipeline.sql_list(tuple(pipeline.FOLLOW_UPS))
QUALITY_SQL = f"""
SELECT p.id, p.first_name || ' ' || p.last_name, u.display_name, problem, detail
FROM (
  SELECT p.id AS pid, 'missing_isced' AS problem, NULL AS detail FROM participants p
   WHERE {_AREA} AND {_IN_YEAR} AND p.isced IS NULL
  UNION ALL
  SELECT p.id, 'missing_emso', NULL FROM participants p
   WHERE {_AREA} AND {_IN_YEAR} AND p.emso IS NULL
  UNION ALL
  SELECT p.id, 'missing_labour_status', NULL FROM participants p
   WHERE {_AREA} AND {_IN_YEAR} AND p.labour_status IS NULL
  UNION ALL
  SELECT p.id, 'exit_without_destination', p.exit_date FROM participants p
   WHERE {_AREA} AND p.exit_date BETWEEN :start AND :end AND p.exit_destination IS NULL
  UNION ALL
  SELECT p.id, 'follow_up_without_result', t.due_date
  FROM participants p JOIN tasks t ON t.participant_id = p.id
  WHERE {_AREA} AND t.kind IN ({_FOLLOW_UP_KINDS}) AND {casework.overdue_sql("t")}
    AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.participant_id = p.id
                    AND f.kind = t.kind)
) q JOIN participants p ON p.id = q.pid JOIN users u ON u.id = p.coordinator_id
ORDER BY u.display_name COLLATE sl, p.last_name COLLATE sl, p.first_name COLLATE sl, problem"""


@dataclass(frozen=True)
class Problem:
    participant_id: int
    name: str
    coordinator: str
    problem: str
    detail: str | None


def quality(db: sqlite_utils.Database, actor: User, year: int, area: str,
            today: dt.date) -> list[Problem]:
    """Every record that blocks a correct report of the year, by name: casework of the area
    (the coordinator fixes them)."""
    access.require_area(db, actor, area)
    check_year(year, today)
    return [Problem(*row) for row in db.execute(
        QUALITY_SQL, {**year_params(year, area), "today": today.isoformat()})]


def quality_counts(db: sqlite_utils.Database, actor: User, year: int, area: str | None,
                   today: dt.date) -> dict[str, int]:
    """How many records block the report, by problem: aggregates for any account."""
    access.require_totals(actor, area)
    check_year(year, today)
    counts = Counter(row[3] for row in db.execute(
        QUALITY_SQL, {**year_params(year, area), "today": today.isoformat()}))
    return {problem: counts.get(problem, 0) for problem in PROBLEMS}


# -- the e-MA export --------------------------------------------------------------------------
# The e-MA participant fields in the order of its import template, and its answer codes
# (check them against the template the ministry issues for the year).
EMA_ANSWERS = {"yes": "DA", "no": "NE", "refused": "NŽO", None: ""}
EMA_SEX = {"F": "Ž", "M": "M"}
# Status at exit, by where she went.
EMA_EXIT = {"primary_employment": "ZAP", "primary_self_employment": "SAMOZAP",
            "secondary_public_works": "JD", "secondary_subsidised": "SUBV",
            "tertiary_social_enterprise": "SOC-POD", "tertiary_supported": "PODP-ZAP",
            "education": "IZOB", "further_programme": "PROG", "job_searching": "ISCE",
            "referred_back": "NAPOT", "none": "OSIP"}
EMA_LABOUR = {"employed": "ZAP", "unemployed": "BREZ", "long_term_unemployed": "DBO",
              "inactive_in_education": "NEAKT-IZ", "inactive": "NEAKT"}
EMA_SQL = f"""
SELECT p.emso, p.first_name, p.last_name, p.address, m.postcode, m.post_office, p.phone,
       p.email, p.sex, p.birth_date, m.name, p.isced, p.labour_status, p.migrant,
       p.disability, p.other_disadvantage, p.homeless, p.entry_date, p.exit_date,
       p.exit_destination
FROM participants p JOIN municipalities m ON m.id = p.municipality_id
WHERE {_AREA} AND {_IN_YEAR}
ORDER BY p.entry_date, p.last_name COLLATE sl, p.first_name COLLATE sl, p.id"""
EMA_FIELDS = ("emso", "first_name", "last_name", "address", "postcode", "post_office",
              "phone", "email", "sex", "birth_date", "age_at_entry", "municipality",
              "isced", "labour_status", "migrant", "disability", "other_disadvantage",
              "homeless", "entry_date", "exit_date", "exit_status")


def ema_rows(db: sqlite_utils.Database, actor: User, year: int, area: str,
             today: dt.date) -> list[dict[str, object]]:
    """The year's participants (entered or left in it), one row each, with e-MA's codes:
    personal data, so casework of the area only."""
    access.require_area(db, actor, area)
    check_year(year, today)
    rows = []
    for (emso, first, last, address, postcode, post, phone, email, sex, born, municipality,
         isced, status, migrant, disability, other, homeless, entry, left,
         destination) in db.execute(EMA_SQL, year_params(year, area)):
        entered = _day(entry)
        rows.append({
            "emso": emso or "", "first_name": first, "last_name": last,
            "address": address or "", "postcode": postcode or "", "post_office": post or "",
            "phone": phone or "", "email": email or "", "sex": EMA_SEX[sex],
            "birth_date": _day(born),
            "age_at_entry": age_on(_day(born), entered) if entered else "",
            "municipality": municipality,
            "isced": "" if isced is None else isced,
            "labour_status": EMA_LABOUR.get(status, ""),
            "migrant": EMA_ANSWERS[migrant], "disability": EMA_ANSWERS[disability],
            "other_disadvantage": EMA_ANSWERS[other],
            "homeless": "DA" if homeless else "NE",
            "entry_date": entered or "", "exit_date": _day(left) or "",
            "exit_status": EMA_EXIT.get(destination, "") if left else "",
        })
    return rows


# -- the reminder and the submission ----------------------------------------------------------
@dataclass(frozen=True)
class Reminder:
    year: int
    due: dt.date
    overdue: bool


def reporting_year(today: dt.date) -> int:
    """The year whose e-MA export is being prepared: this one from 1 December, else the
    one before."""
    return today.year if (today.month, today.day) >= EMA_REMINDER_FROM else today.year - 1


def ema_due(year: int) -> dt.date:
    """The day the year's e-MA export is due (15 January of the next year)."""
    return dt.date(year + 1, *EMA_DUE)


def submitted(db: sqlite_utils.Database, year: int, area: str) -> str | None:
    row = db.execute("SELECT submitted_on FROM report_submissions WHERE kind = 'ema' "
                     "AND year = ? AND area_code = ?", [year, area]).fetchone()
    return row[0] if row else None


def reminder(db: sqlite_utils.Database, actor: User, today: dt.date) -> Reminder | None:
    """The e-MA reminder of the actor's area, until the year is marked as submitted."""
    if not actor.active or actor.area_code is None:
        return None
    year = reporting_year(today)
    if year < FIRST_YEAR or submitted(db, year, actor.area_code):
        return None
    due = ema_due(year)
    return Reminder(year, due, today > due)


def mark_submitted(db: sqlite_utils.Database, actor: User, year: int, area: str,
                   on: dt.date | str | None, today: dt.date) -> None:
    """Record that the year's export was submitted to e-MA: casework of the area, as the
    export it vouches for holds names (anyone else is refused before the input is read; a
    second mark changes nothing)."""
    access.require_area(db, actor, area)
    check_year(year, today)
    on = dates.coerce(on, field="submitted_on")
    if on is None or on > today or on.year <= year:  # a year is reported once it is over
        raise UserError("error.submitted_on", field="submitted_on", year=year)
    if not ema_rows(db, actor, year, area, today):
        raise UserError("error.nothing_to_submit", year=year)
    with write(db):
        if submitted(db, year, area):
            raise UserError("error.already_submitted", year=year)
        records.insert(db, "report_submissions",
                       {"kind": "ema", "year": year, "area_code": area,
                        "submitted_on": on.isoformat(), "submitted_by": actor.id},
                       actor.id, participant_id=None)
