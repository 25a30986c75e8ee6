"""Faker-seeded training data: a realistic, deterministic synthetic region.

``populate(db, scale=..., seed=..., today=...)`` fills a database marked as a
training environment; ``python -m seed`` is its command line. Every random
choice comes from one ``random.Random(seed)`` and one seeded Faker, and every
date is derived from ``today``, so the same arguments give the same data.

The seed uses the library's own rules: each person passes
``participants.clean`` (what the intake form would store), each case is a
sequence of ``pipeline.Move`` carried out by ``pipeline.step`` (stages, entry and
exit dates, enrolments, follow-up tasks and what she was doing at each
follow-up), with follow-up intervals from the dated ``rules``. Programme sessions are
``schedule.plan``'s days (what ``schedule.generate`` creates); each meeting and
mobile-unit visit is booked at a time ``schedule.conflicts`` finds free, as the
calendar's form books it. Only the writing is bulk, for speed at the national scale;
tests/test_seed.py checks the result against the pipeline's invariants and finds
nothing in the calendar that the app would refuse.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils
from faker import Faker

from seed import names
from seed.national_reference import AREA_MUNICIPALITIES
from workbench import (
    audit,
    auth,
    config,
    emso,
    environment,
    esf,
    participants,
    pipeline,
    programmes,
    reference,
    schedule,
    text,
    vocab,
)
from workbench.errors import UserError
from workbench.pipeline import Move
from workbench.protection import consent
from workbench.rules import rule_value
from workbench.transactions import write

SCALES = ("gorenjska", "national")
DEFAULT_SEED = 2017
DEMO_PASSWORD = environment.DEMO_PASSWORD

# (username, display name, role, CSD unit)
DEMO_USERS = (
    ("ana.kos", "Ana Kos", "coordinator", "kranj"),
    ("maja.zupan", "Maja Zupan", "coordinator", "jesenice"),
    ("petra.kralj", "Petra Kralj", "coordinator", "skofja_loka"),
    ("vodja", "Marko Horvat", "manager", None),
    ("trener", "Tina Golob", "trainer", None),
    ("admin", "Skrbnik Sistema", "admin", None),
    ("varuh", "Vesna Turk", "dpo", None),  # the data-protection officer: audit trail, requests
)
# How each demo account's holder is spoken of ("koordinatorka"); the administrator's account
# is nobody's in particular and keeps the neutral words.
DEMO_SEXES = {"ana.kos": "F", "maja.zupan": "F", "petra.kralj": "F", "vodja": "M",
              "trener": "F", "varuh": "F"}
# Which Gorenjska municipalities each demo coordinator covers (caseloads of similar size).
GORENJSKA_COVERAGE = {
    "ana.kos": ("Kranj", "Naklo", "Tržič"),
    "maja.zupan": ("Jesenice", "Kranjska Gora", "Žirovnica", "Radovljica", "Bled",
                   "Bohinj", "Gorje"),
    "petra.kralj": ("Škofja Loka", "Gorenja vas - Poljane", "Železniki", "Žiri",
                    "Cerklje na Gorenjskem", "Šenčur", "Preddvor", "Jezersko"),
}
GORENJSKA_PARTICIPANTS = 350
NATIONAL_PARTICIPANTS = 12_500
NATIONAL_COORDINATORS = 47
ALBANIAN_COHORT = 26
MAX_COHORT_ENROLMENTS = 18
WAITING_PER_AREA = 4

# How long a person joining a running programme stays in it, at most.
STAY_DAYS = {t: int(months * 30.44) for t, months in programmes.TYPE_MONTHS.items()}
# When a coordinator meets a person at the office (1 hour) and goes out with the mobile
# unit (3 hours). A meeting that finds her or the person busy moves to another hour: first
# after a programme's longest day (9:00 to 15:00), where most people in a programme are free.
MEETING_TIMES = ("08:30", "10:00", "11:30", "13:00")
MEETING_TIMES_OTHERWISE = ("15:00", "13:00", "11:30", "10:00", "08:30")
VISIT_TIMES = ("12:00", "09:00", "13:00")
PROGRAMME_TYPE_CYCLE = ("long", "short", "long", "intermediate", "long", "short")

TARGET_GROUP_WEIGHTS = {"dsp": 36, "unemployed_zrsz": 26, "temporarily_unemployable": 12,
                        "inactive_complex": 18, "roma_women": 3}
REFERRAL_BY_GROUP = {
    "dsp": {"csd": 80, "zrsz": 8, "ngo": 6, "self": 6},
    "unemployed_zrsz": {"zrsz": 80, "csd": 12, "self": 8},
    "temporarily_unemployable": {"zrsz": 55, "health_centre": 30, "csd": 15},
    "inactive_complex": {"csd": 50, "ngo": 20, "health_centre": 20, "self": 10},
    "women_language_barrier": {"ngo": 60, "csd": 25, "self": 15},
    "roma_women": {"csd": 60, "ngo": 40},
}
LABOUR_BY_GROUP = {
    "dsp": {"long_term_unemployed": 60, "inactive": 40},
    "unemployed_zrsz": {"unemployed": 35, "long_term_unemployed": 65},
    "temporarily_unemployable": {"inactive": 100},
    "inactive_complex": {"inactive": 90, "inactive_in_education": 10},
    "women_language_barrier": {"inactive": 100},
    "roma_women": {"inactive": 70, "long_term_unemployed": 30},
}
ISCED_WEIGHTS = {0: 3, 1: 14, 2: 34, 3: 26, 4: 13, 5: 4, 6: 5, 7: 1}
EXIT_ON_COMPLETION = {
    "primary_employment": 12, "primary_self_employment": 1, "secondary_public_works": 10,
    "secondary_subsidised": 5, "tertiary_social_enterprise": 4, "tertiary_supported": 3,
    "education": 10, "further_programme": 22, "job_searching": 20, "referred_back": 10,
    "none": 3,
}
# What she is doing at a follow-up, by where she went at her exit.
SITUATION_BY_DESTINATION = {
    "primary_employment": {"employed": 85, "job_searching": 10, "unreachable": 5},
    "primary_self_employment": {"self_employed": 90, "unreachable": 10},
    "secondary_public_works": {"employed": 80, "job_searching": 15, "unreachable": 5},
    "secondary_subsidised": {"employed": 80, "job_searching": 15, "unreachable": 5},
    "tertiary_social_enterprise": {"employed": 80, "unchanged": 15, "unreachable": 5},
    "tertiary_supported": {"employed": 75, "unchanged": 20, "unreachable": 5},
    "education": {"education_training": 75, "qualification": 15, "unreachable": 10},
    "further_programme": {"education_training": 50, "unchanged": 35, "unreachable": 15},
    "job_searching": {"job_searching": 60, "employed": 20, "unchanged": 10, "unreachable": 10},
    "referred_back": {"unchanged": 70, "unreachable": 30},
    "none": {"unchanged": 50, "unreachable": 50},
}
CONTRACT_STAGES = (("first_interview", 3, 21, 0.06), ("motivation", 7, 35, 0.07),
                   ("contract", 14, 60, 0.08))


class SeedRefused(Exception):
    """The database holds real records; the seed never writes into it."""


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _iso(day: dt.date) -> str:
    return day.isoformat()


@dataclass
class Programme:
    id: int
    name: str
    area: str
    type: str
    start: dt.date
    end: dt.date
    modules: tuple[programmes.Module, ...]
    module_ids: tuple[int, ...]
    municipality_id: int
    coordinator_id: int
    capacity: int
    is_orientakcija: bool = False
    enrolled: int = 0
    # Each enrolment's (contract day, end day or None while it lasts).
    spans: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    session_dates: list[dt.date] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)
    session_hours: list[float] = field(default_factory=list)

    def has_room(self, day: dt.date) -> bool:
        """A place on ``day`` and after: every enrolment that lasts to ``day`` or later
        counts, so the places taken never exceed the capacity on any day."""
        return len(self.spans) < self.capacity or sum(
            1 for _, end in self.spans if end is None or end >= day) < self.capacity


@dataclass
class Case:
    """One person's path: the moves a coordinator would make, in order, and the programme."""
    referral: dt.date
    moves: list[Move] = field(default_factory=list)
    programme: Programme | None = None


class _Builder:
    def __init__(self, db: sqlite_utils.Database, scale: str, seed: int, today: dt.date):
        self.db, self.scale, self.today = db, scale, today
        self.rng = random.Random(seed)
        # Case records (contacts, scores, plans) draw from their own stream, so adding
        # them left the people, programmes and attendance of earlier versions unchanged.
        self.case_rng = random.Random(seed + 1)
        # Consents draw from their own stream: adding them changed no other demo record.
        self.consent_rng = random.Random(seed + 4)
        self.seed = seed
        # ... and the calendar, travel, visits and waiting lists from a third.
        self.plan_rng = random.Random(seed + 2)
        # A meeting moved past today draws whether she came from its own stream.
        self.booking_rng = random.Random(seed + 6)
        self.fake = Faker("sl_SI")
        self.fake.seed_instance(seed)
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.next_id: dict[str, int] = defaultdict(lambda: 1)
        self.used_emso: set[str] = set()
        self.municipalities: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        self.coordinators: dict[str, list[int]] = defaultdict(list)
        # Gorenjska's coordinators cover municipalities; elsewhere a case goes to
        # any coordinator of the area (Ljubljana has three for one municipality).
        self.coverage: dict[int, int] = {}  # municipality id -> coordinator id
        self.programmes: dict[str, list[Programme]] = defaultdict(list)
        self.created_at = dt.datetime.combine(today, dt.time(8, 0)).isoformat()
        # The library's dated rules, read once per day asked for.
        self.follow_up_days = functools.cache(lambda on: pipeline.follow_up_intervals(db, on))
        self.follow_up_early = functools.cache(lambda on: pipeline.follow_up_tolerances(db, on))
        self.group_size = int(rule_value(db, "group_size", today))

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # -- places and people who work here ------------------------------------
    def load_reference(self) -> None:
        if self.scale == "national":
            area_names = {code: name for code, name, _ in reference.CSD_AREAS}
            for area, (seat, municipalities) in AREA_MUNICIPALITIES.items():
                unit = f"{area}_{seat.lower().replace(' ', '_')}"
                area_name = area_names[area]
                self.db.execute("INSERT INTO csd_units (code, name, area_code) VALUES (?, ?, ?)",
                                [unit, f"{area_name}, enota {seat}", area])
                for name, population in municipalities:
                    self.db.execute(
                        "INSERT INTO municipalities (name, unit_code, population, rural) "
                        "VALUES (?, ?, ?, ?)", [name, unit, population, int(population < 10000)])
        for mid, name, area, population in self.db.execute(
                "SELECT m.id, m.name, u.area_code, m.population FROM municipalities m "
                "JOIN csd_units u ON u.code = m.unit_code ORDER BY m.id"):
            self.municipalities[area].append((mid, name, population))

    def create_users(self) -> None:
        password_hash = auth.hash_password(DEMO_PASSWORD)
        by_name = {name: mid for mid, name, _ in self.municipalities["gorenjska"]}
        for username, display, role, unit in DEMO_USERS:
            user = auth.create_user(self.db, username, display, role, DEMO_PASSWORD,
                                    area_code="gorenjska", unit_code=unit,
                                    password_hash=password_hash,
                                    now=dt.datetime.fromisoformat(self.created_at),
                                    sex=DEMO_SEXES.get(username))
            if role == "coordinator":
                self.coordinators["gorenjska"].append(user.id)
                for municipality in GORENJSKA_COVERAGE[username]:
                    self.coverage[by_name[municipality]] = user.id
        # The app routes new referrals by the same coverage (participants.referral_coordinator).
        self.db.conn.executemany("INSERT INTO municipality_coordinators (municipality_id, "
                                 "coordinator_id) VALUES (?, ?)", sorted(self.coverage.items()))
        if self.scale != "national":
            return
        others = [a for a in AREA_MUNICIPALITIES]
        per_area = {a: 3 for a in others}
        # 47 coordinators nationally: three per unit, two in the smallest.
        per_area["zasavje"] = NATIONAL_COORDINATORS - 3 - 3 * (len(others) - 1)
        units = dict(self.db.execute("SELECT area_code, code FROM csd_units").fetchall())
        for area in others:
            for n in range(1, per_area[area] + 1):
                first, last = self.fake.first_name_female(), self.fake.last_name()
                user = auth.create_user(self.db, f"koord.{area.replace('_', '-')}.{n}",
                                        f"{first} {last}", "coordinator", DEMO_PASSWORD,
                                        area_code=area, unit_code=units[area],
                                        password_hash=password_hash,
                                        now=dt.datetime.fromisoformat(self.created_at),
                                        sex="F")  # first_name_female
                self.coordinators[area].append(user.id)

    def coordinator_for(self, area: str, municipality_id: int) -> int:
        return self.coverage.get(municipality_id) or self.rng.choice(self.coordinators[area])

    # -- programmes -----------------------------------------------------------
    def create_programmes(self, area: str, participants: int) -> None:
        count = max(10, round(participants / 20))
        first_start = self.today - dt.timedelta(days=2 * 365 - 60)
        last_start = self.today + dt.timedelta(days=45)
        span = (last_start - first_start).days
        munis = self.municipalities[area]
        biggest = sorted(munis, key=lambda m: -m[2])
        providers: dict[str, int] = {}
        for i in range(count):
            line_name, provider_name = names.PROGRAMME_LINES[i % len(names.PROGRAMME_LINES)]
            ptype = PROGRAMME_TYPE_CYCLE[i % len(PROGRAMME_TYPE_CYCLE)]
            is_orient = area == "gorenjska" and i % 6 == 1
            municipality = biggest[i % min(len(biggest), 5)]
            if is_orient:
                line_name, provider_name = names.ORIENTAKCIJA
                municipality = next(m for m in munis if m[1] == "Jesenice")
            elif provider_name == "Ljudska univerza":
                provider_name = f"Ljudska univerza {municipality[1]}"
            if provider_name not in providers:
                providers[provider_name] = self.new_id("providers")
                self.rows["providers"].append({"id": providers[provider_name],
                                               "name": provider_name,
                                               "municipality_id": municipality[0]})
            modules = programmes.TEMPLATES[ptype]
            start = first_start + dt.timedelta(days=span * i // count)
            start -= dt.timedelta(days=start.weekday())  # programmes start on Mondays
            end = schedule.modules_end(start, modules) - dt.timedelta(days=1)
            cohort = f"{start.year}/{1 + (start.month - 1) // 6}"
            pid = self.new_id("programmes")
            module_ids = tuple(self.new_id("programme_modules") for _ in modules)
            programme = Programme(pid, f"{line_name} {cohort}", area, ptype, start, end,
                                  modules, module_ids, municipality[0],
                                  self.coordinator_for(area, municipality[0]), self.group_size,
                                  is_orient)
            self.programmes[area].append(programme)
            status = "finished" if end < self.today else (
                "running" if start <= self.today else "planned")
            self.rows["programmes"].append({
                "id": programme.id, "name": programme.name,
                "provider_id": providers[provider_name], "type": ptype, "area_code": area,
                "municipality_id": municipality[0], "coordinator_id": programme.coordinator_id,
                "start_date": _iso(programme.start), "end_date": _iso(programme.end),
                "capacity": programme.capacity, "hours_per_day": modules[0].hours_per_day,
                "days_per_week": modules[0].days_per_week,
                "variant": "short_a" if ptype == "short" and i % 4 == 0 and not is_orient
                else "standard",
                "operation": "9.1.2", "contract_number": f"C3340-{start.year % 100:02d}-{pid:06d}",
                "address": f"{municipality[1]}, "
                           f"{names.PROGRAMME_VENUES[i % len(names.PROGRAMME_VENUES)]}",
                "contact_person": f"{self.plan_rng.choice(names.CONTACT_GIVEN)} "
                                  f"{self.plan_rng.choice(names.CONTACT_SURNAMES)}",
                "status": status, "languages": "sl,sq" if is_orient else "sl",
                "interpreter": int(is_orient), "start_time": "09:00"})
            for position, (mid, module) in enumerate(zip(module_ids, modules, strict=True), 1):
                self.rows["programme_modules"].append({
                    "id": mid, "programme_id": pid, "position": position, "name": module.name,
                    "length": module.length, "unit": module.unit,
                    "hours_per_day": module.hours_per_day,
                    "weekdays": ",".join(str(d) for d in module.weekdays)})

    def choose_programme(self, area: str, day: dt.date, prefer_orient: bool) -> Programme | None:
        """A running programme with room, else the next one to start."""
        # Rolling entry: a cohort takes a few more than a group of 15 over its
        # life, because some leave early; so groups stay near 15 at any time.
        candidates = [p for p in self.programmes[area]
                      if p.is_orientakcija == prefer_orient and p.enrolled < MAX_COHORT_ENROLMENTS
                      and (p.start > day or day <= p.end - dt.timedelta(days=30))
                      and p.has_room(day)]
        running = [p for p in candidates if p.start <= day <= p.end - dt.timedelta(days=30)]
        if running:
            return min(running, key=lambda p: (p.enrolled, p.id))
        upcoming = [p for p in candidates if p.start > day]
        return min(upcoming, key=lambda p: p.start) if upcoming else None

    # -- one person's case ----------------------------------------------------
    def simulate_case(self, area: str, referral: dt.date, orient: bool) -> Case:
        """The moves of one case up to today, as a coordinator would have made them."""
        rng, today = self.rng, self.today
        case = Case(referral)
        day = referral
        for stage, low, high, close_chance in CONTRACT_STAGES:
            day += dt.timedelta(days=rng.randint(low, high))
            if day > today:
                return case
            if rng.random() < close_chance:
                case.moves.append(Move(pipeline.CLOSED, day,
                                       reason=rng.choice(vocab.CLOSURE_REASONS)))
                return case
            if stage == "contract":  # a contract names its programme
                case.programme = self.choose_programme(area, day + dt.timedelta(days=3), orient)
                if case.programme is None:
                    return case  # every programme is full: she waits, motivated
            case.moves.append(Move(stage, day, programme_id=case.programme.id
                                   if stage == "contract" else None))
        programme = case.programme
        programme.spans.append((day, None))  # her place, until she leaves
        start = max(day + dt.timedelta(days=rng.randint(3, 14)), programme.start)
        case.moves[-1] = dataclasses.replace(case.moves[-1], planned_start=start.isoformat())
        if start > today:
            return case
        programme.enrolled += 1
        case.moves.append(Move(pipeline.IN_PROGRAMME, start))
        planned = min(programme.end, start + dt.timedelta(days=STAY_DAYS[programme.type]))
        dropped = rng.random() < 0.18
        exit_day = (start + dt.timedelta(days=int((planned - start).days * rng.uniform(0.1, 0.8)))
                    if dropped else planned)
        if exit_day > today:
            return case
        programme.spans[-1] = (day, exit_day)
        if dropped:
            destination = rng.choice(("none", "referred_back"))
            case.moves.append(Move(pipeline.EXITED, exit_day, outcome="dropped_out",
                                   destination=destination,
                                   reason=rng.choice(vocab.DROP_OUT_REASONS)))
        else:
            destination = _pick(rng, EXIT_ON_COMPLETION)
            case.moves.append(Move(pipeline.EXITED, exit_day, outcome="completed",
                                   destination=destination))
        # People are harder to reach six months after leaving: that one is late more often.
        intervals = self.follow_up_days(exit_day)
        for stage, late_chance in (("follow_up_4w", 0.25), ("follow_up_6m", 0.45)):
            due = exit_day + dt.timedelta(days=intervals[stage])
            late = rng.random() < late_chance
            done = due + dt.timedelta(days=rng.randint(7, 90) if late else rng.randint(0, 6))
            if done > today:
                return case  # the follow-up task stays open (overdue when past its day)
            case.moves.append(Move(stage, done, situation=_pick(
                rng, SITUATION_BY_DESTINATION[destination])))
        return case

    def working_task(self, state: pipeline.CaseState) -> dict | None:
        """Everyday tasks on open cases, due around today; some are forgotten."""
        rng, today = self.rng, self.today
        if state.stage not in (*pipeline.BEFORE_INCLUSION, pipeline.IN_PROGRAMME) \
                or rng.random() > 0.5:
            return None
        due = max(state.stage_since, today + dt.timedelta(days=rng.randint(-21, 21)))
        done = None
        if due < today and rng.random() < 0.6:
            done = min(today, due + dt.timedelta(days=rng.randint(0, 3)))
        return {"kind": "other", "title": rng.choice(names.TASK_TITLES), "due_date": _iso(due),
                "done_at": _iso(done) + "T11:00:00" if done else None,
                "created_at": _iso(min(due, state.stage_since)) + "T12:00:00"}

    def add_case_records(self, pid: int, events: list[tuple[str, dt.date]],
                         coordinator: int) -> None:
        """What a coordinator writes down along the way: contacts, scores, plan, referrals."""
        rng, today = self.case_rng, self.today
        for stage, day in events:
            self.rows["contacts"].append({
                "participant_id": pid, "date": _iso(day),
                "kind": rng.choice(names.CONTACT_KIND_BY_STAGE[stage]),
                "note": rng.choice(names.CONTACT_NOTES[stage]),
                "next_step": rng.choice(names.NEXT_STEPS) or None,
                "created_at": _iso(day) + "T13:00:00", "created_by": coordinator})
        reached = dict(events)
        if "first_interview" not in reached:
            return
        first = {area: min(3, max(0, round(rng.gauss(1.4, 1.0))))
                 for area in vocab.PROBLEM_AREAS}
        assessments = [(reached["first_interview"], first)]
        if "exited" in reached:  # re-scored at exit: most areas a little better
            assessments.append((reached["exited"], {
                area: max(0, score - rng.choice((0, 0, 1, 1, 2)))
                for area, score in first.items()}))
        for day, scores in assessments:
            self.rows["problem_scores"].extend(
                {"participant_id": pid, "area": area, "score": score, "scored_on": _iso(day),
                 "scored_by": coordinator} for area, score in scores.items())
        if "contract" in reached:
            made = reached["contract"]
            finished = "exited" in reached
            for goal, steps in rng.sample(names.PLAN_GOALS, 2):
                gid = self.new_id("plan_goals")
                deadline = made + dt.timedelta(days=rng.randint(60, 240))
                status = rng.choice(("achieved", "achieved", "dropped")) if finished else (
                    rng.choice(("open", "in_progress")))
                self.rows["plan_goals"].append({
                    "id": gid, "participant_id": pid, "goal": goal, "deadline": _iso(deadline),
                    "status": status, "created_at": _iso(made) + "T14:00:00",
                    "created_by": coordinator})
                for i, step in enumerate(steps):
                    step_due = made + dt.timedelta(days=30 * (i + 1))
                    done = step_due if step_due <= today and (finished or rng.random() < 0.6) \
                        else None
                    self.rows["plan_steps"].append({
                        "goal_id": gid, "step": step, "deadline": _iso(step_due),
                        "done_on": _iso(done) if done else None,
                        "created_at": _iso(made) + "T14:00:00", "created_by": coordinator})
        if rng.random() < 0.15:
            sent = reached["first_interview"] + dt.timedelta(days=rng.randint(1, 20))
            if sent <= today:
                institution, purpose = rng.choice(names.REFERRALS_OUT)
                answered = sent + dt.timedelta(days=rng.randint(5, 40))
                status, answer = ("sent", None) if answered > today else rng.choice((
                    ("accepted", "Sprejeto, prvi termin dogovorjen."),
                    ("rejected", "Trenutno ni prostih mest.")))
                self.rows["referrals_out"].append({
                    "participant_id": pid, "institution": institution, "purpose": purpose,
                    "sent_on": _iso(sent), "status": status, "answer": answer,
                    "answered_on": _iso(answered) if answer else None,
                    "created_at": _iso(sent) + "T15:00:00", "created_by": coordinator})
                self.add_consent(pid, "sharing", sent, coordinator, institution)
        self.add_consents(pid, reached, coordinator)

    def add_consents(self, pid: int, reached: dict[str, dt.date], coordinator: int) -> None:
        """Consents as the coordinator records them at the first interview and the contract."""
        if "first_interview" not in reached:
            return
        met = reached["first_interview"]
        self.add_consent(pid, "inclusion", met, coordinator)
        self.add_consent(pid, "phone", met, coordinator, how="oral")
        if self.consent_rng.random() < 0.5:
            self.add_consent(pid, "sms", met, coordinator, how="oral")
        if "contract" in reached:
            self.add_consent(pid, "ema", reached["contract"], coordinator)

    def add_consent(self, pid: int, purpose: str, day: dt.date, coordinator: int,
                    institution: str | None = None, how: str = "written") -> None:
        rng = self.consent_rng
        withdrawn = day + dt.timedelta(days=rng.randint(10, 120))
        # Now and then she withdraws the sharing consent after the referral went out.
        withdraw = purpose == "sharing" and rng.random() < 0.1 and withdrawn <= self.today
        self.rows["consents"].append({
            "participant_id": pid, "purpose": purpose, "institution": institution,
            "institution_key": consent.institution_key(institution), "given_on": _iso(day),
            "given_how": how, "withdrawn_on": _iso(withdrawn) if withdraw else None,
            "withdrawn_how": "oral" if withdraw else None,
            "recorded_at": _iso(day) + "T13:05:00", "recorded_by": coordinator})

    # -- participants -----------------------------------------------------------
    def person(self, area: str, orient: bool) -> participants.PersonInput:
        """A fictitious person as the intake form would hold her."""
        rng, fake = self.rng, self.fake
        if orient:
            group = "women_language_barrier"
        else:
            group = _pick(rng, TARGET_GROUP_WEIGHTS)
        sex = "F" if group in ("women_language_barrier", "roma_women") else rng.choice("FMM")
        if orient:
            first = rng.choice(names.ALBANIAN_FEMALE_GIVEN_NAMES)
            last = rng.choice(names.ALBANIAN_SURNAMES)
            municipality = next(m for m in self.municipalities[area] if m[1] == "Jesenice")
        else:
            first = fake.first_name_female() if sex == "F" else fake.first_name_male()
            last = fake.last_name()
            last = last[:1].upper() + last[1:]  # Faker's sl_SI has a few in lower case ("čeh")
            munis = self.municipalities[area]
            # Population plus a constant, so the smallest (Jezersko, 650) still has cases.
            municipality = rng.choices(munis, weights=[m[2] + 3000 for m in munis])[0]
        age = rng.randint(19, 62) if rng.random() < 0.85 else rng.randint(50, 64)
        born = self.today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        code = None
        if rng.random() < 0.92:
            code = emso.generate(born, sex, rng)
            while code in self.used_emso:
                code = emso.generate(born, sex, rng)
            self.used_emso.add(code)
        isced = _pick(rng, ISCED_WEIGHTS) if not orient else rng.choice((0, 1, 2, 2, 3))
        sensitive = {"yes": 6, "no": 91, "refused": 3}
        group_referral = _pick(rng, REFERRAL_BY_GROUP[group])
        interpreter = orient and rng.random() < 0.7
        return participants.PersonInput(
            first_name=first, last_name=last, emso=code, sex=sex, birth_date=born,
            municipality_id=municipality[0], address=fake.street_address(),
            phone=fake.phone_number(),
            email="" if rng.random() < 0.6 else
            f"{first}.{last}@example.si".lower().replace(" ", ""),
            isced=isced, labour_status=_pick(rng, LABOUR_BY_GROUP[group]),
            migrant="yes" if orient or group == "roma_women" else _pick(rng, sensitive),
            disability=_pick(rng, {"yes": 11, "no": 86, "refused": 3}),
            # The library forces "yes" with ISCED 0 (vocab.forces_other_disadvantage).
            other_disadvantage=_pick(rng, {"yes": 40, "no": 57, "refused": 3}),
            homeless=rng.random() < 0.03, language="sq" if orient else "sl",
            interpreter_needed=interpreter,
            # Women with language barriers need no residence title; some lack one.
            residence_ok=not interpreter, target_group=group,
            dsp_payments_24m=rng.randint(8, 24) if group == "dsp" else (
                rng.randint(0, 12) if rng.random() < 0.4 else None),
            referral_source=group_referral)

    def create_participants(self, area: str, count: int) -> None:
        rng = self.rng
        window = 2 * 365
        orient_left = ALBANIAN_COHORT if area == "gorenjska" else 0
        referrals = sorted(self.today - dt.timedelta(days=rng.randint(0, window))
                           for _ in range(count))
        municipality_names = {mid: name for mid, name, _ in self.municipalities[area]}
        for referral in referrals:
            orient = orient_left > 0 and rng.random() < ALBANIAN_COHORT / count * 1.6
            orient_left -= orient
            form = self.person(area, orient)
            case = self.simulate_case(area, referral, orient)
            pid = self.new_id("participants")
            coordinator = self.coordinator_for(area, form.municipality_id)
            source = form.referral_source
            form.referral_date = referral
            form.referral_person = "" if source == "self" else (
                f"{self.fake.name()} ({names.INSTITUTIONS[source]} "
                f"{municipality_names[form.municipality_id]})")
            # What the intake form would store: the library's own validation.
            values = participants.clean(self.db, form, self.today, area)
            state, events = self.carry_out(pid, case, coordinator)
            created = _iso(referral) + "T09:00:00"
            self.rows["participants"].append({
                "id": pid, **values, **state.columns(), "coordinator_id": coordinator,
                "version": 1 + len(case.moves), "created_at": created,
                "created_by": coordinator, "updated_at": _iso(state.stage_since) + "T09:00:00",
                "updated_by": coordinator,
                "name_key": text.name_key(values["first_name"], values["last_name"])})
            task = self.working_task(state)
            if task:
                self.rows["tasks"].append({"participant_id": pid, "assigned_to": coordinator,
                                           **task})
            self.add_case_records(pid, events, coordinator)
            active_until = state.stage_since if state.stage in pipeline.DONE \
                else self.today + dt.timedelta(days=60)
            self.municipality_of[pid] = form.municipality_id
            self.coordinator_of[pid] = coordinator
            if not state.enrolled and state.stage in pipeline.BEFORE_INCLUSION:
                self.waiting_candidates[area].append((pid, state.stage, state.stage_since))
            self.caseload[coordinator].append((referral, active_until, pid))

    def carry_out(self, pid: int, case: Case, coordinator: int
                  ) -> tuple[pipeline.CaseState, list[tuple[str, dt.date]]]:
        """Each move of the case through ``pipeline.step``, as rows: the history, the
        enrolment, the follow-up tasks and records. Returns the final state and the
        (stage, day) events."""
        state = pipeline.CaseState("referred", case.referral)
        self.rows["stage_history"].append({
            "participant_id": pid, "from_stage": None, "to_stage": "referred",
            "changed_at": _iso(case.referral) + "T10:00:00", "changed_by": coordinator,
            "reason": None, "state_before": None})
        events = [("referred", case.referral)]
        enrolment: dict | None = None
        open_tasks: dict[str, dict] = {}
        for move in case.moves:
            if move.outcome == "completed" and state.first_attended is None:
                # She attended from her start: create_attendance lists her sessions from it.
                state = dataclasses.replace(state, first_attended=state.stage_since)
            done = pipeline.step(state, move, self.today, self.follow_up_days,
                                 self.follow_up_early)
            day = _iso(done.move.on)
            if done.new_enrolment:
                enrolment = {"id": self.new_id("enrolments"), "participant_id": pid,
                             "programme_id": move.programme_id, "contract_date": day,
                             "start_date": move.planned_start or day, "end_date": None,
                             "status": "active",
                             **self.travel()}
                self.rows["enrolments"].append(enrolment)
            if done.ends_enrolment and enrolment is not None:
                enrolment.update(status=done.ends_enrolment, end_date=day)
            for kind, due in done.follow_ups_due:
                open_tasks[kind] = {"participant_id": pid, "kind": kind, "title": None,
                                    "due_date": _iso(due), "done_at": None,
                                    "assigned_to": coordinator,
                                    "created_at": day + "T12:00:00"}
                self.rows["tasks"].append(open_tasks[kind])
            if done.completes_follow_up:
                open_tasks.pop(done.completes_follow_up)["done_at"] = day + "T11:00:00"
                self.rows["follow_ups"].append({
                    "participant_id": pid, "kind": done.completes_follow_up,
                    "situation": move.situation, "observed_on": day,
                    "recorded_by": coordinator, "created_at": day + "T11:00:00"})
            self.rows["stage_history"].append({
                "participant_id": pid, "from_stage": done.before.stage,
                "to_stage": done.after.stage, "changed_at": day + "T10:00:00",
                "changed_by": coordinator, "reason": done.history_reason,
                "state_before": pipeline.snapshot(done.before)})
            events.append((done.after.stage, done.move.on))
            state = done.after
        if enrolment is not None:
            start = dt.date.fromisoformat(enrolment["start_date"])
            end = dt.date.fromisoformat(enrolment["end_date"]) if enrolment["end_date"] \
                else self.today
            if state.stage != "contract":  # she attended only once in the programme
                self.enrolments.append((pid, case.programme, start, end))
        return state, events

    def travel(self) -> dict[str, float | None]:
        """How she comes: a public ticket most often, her own means from further away."""
        draw = self.plan_rng.random()
        if draw < 0.6:
            return {"ticket_eur": self.plan_rng.choice((1.3, 1.5, 1.8, 2.3, 2.8, 3.4)),
                    "distance_km": None}
        if draw < 0.9:
            return {"ticket_eur": None, "distance_km": float(self.plan_rng.randint(2, 25))}
        return {"ticket_eur": None, "distance_km": None}  # she lives next door

    # -- sessions and the attendance list in hours --------------------------------
    def create_group_sessions(self, programme: Programme, row: dict) -> None:
        """The programme's calendar as ``schedule.generate`` makes it (``schedule.plan``:
        no holidays), at the programme's start time and address."""
        for planned in schedule.plan(programme.start, programme.end, programme.modules):
            sid = self.new_id("sessions")
            programme.session_dates.append(planned.day)
            programme.session_ids.append(sid)
            programme.session_hours.append(planned.hours)
            self.rows["sessions"].append({
                "id": sid, "kind": "group", "programme_id": programme.id,
                "coordinator_id": None, "participant_id": None,
                "municipality_id": programme.municipality_id, "title": programme.name,
                "location": row["address"], "date": _iso(planned.day),
                "start_time": row["start_time"],
                "hours": planned.hours, "module_id": programme.module_ids[planned.module],
                "generated": 1, "version": 1})

    def create_attendance(self) -> None:
        rng = self.rng
        for pid, programme, start, end in self.enrolments:
            reliability = rng.uniform(0.6, 0.98)
            last = min(end, self.today)
            lo = bisect.bisect_left(programme.session_dates, start)
            hi = bisect.bisect_right(programme.session_dates, last)
            for sid, full in zip(programme.session_ids[lo:hi], programme.session_hours[lo:hi],
                                 strict=True):
                draw = rng.random()
                hours = 0.0 if draw > reliability else (
                    max(1.0, full - rng.choice((1.0, 2.0))) if draw < 0.06 else full)
                # A third of the days missed were excused (a doctor, a child ill).
                status = "present" if hours else (
                    "excused" if self.plan_rng.random() < 0.33 else "absent")
                self.rows["attendance"].append({"session_id": sid, "participant_id": pid,
                                                "hours": hours, "status": status})

    def create_individual_sessions(self, area: str) -> None:
        """Her weekly meetings with people of her caseload and a mobile-unit visit, each
        booked as the calendar books it: at the first day and hour of the week that
        ``schedule.conflicts`` finds free (neither she nor the person booked then, the
        person not in her programme's session, no holiday), or not at all."""
        rng = self.rng
        munis = {m[0]: m[1] for m in self.municipalities[area]}
        monday = self.today - dt.timedelta(days=self.today.weekday())
        first = monday - dt.timedelta(weeks=104)
        for coordinator in self.coordinators[area]:
            covered = ([mid for mid, c in self.coverage.items() if c == coordinator]
                       or list(munis))
            cases = self.caseload[coordinator]
            week = first
            while week <= monday + dt.timedelta(weeks=2):
                active = [c for c in cases if c[0] <= week <= c[1]]
                for _ in range(rng.randint(2, 4) if active else 0):
                    day = week + dt.timedelta(days=rng.randint(0, 4))
                    _, _, pid = rng.choice(active)
                    hour = rng.choice(MEETING_TIMES)
                    # Drawn for the day drawn, so that where a meeting lands never changes
                    # the draws of the rest of the data.
                    came = rng.random() < 0.88 if day <= self.today else None
                    meeting = schedule.Entry(
                        "individual", None, hour, 1.0, "Individualno srečanje", "pisarna CSD",
                        coordinator_id=coordinator, participant_id=pid)
                    slot = self.free_slot(meeting, week, day, (hour, *MEETING_TIMES_OTHERWISE))
                    if slot is None:
                        continue
                    sid = self.book(meeting, *slot)
                    if slot[0] <= self.today:
                        if came is None:
                            came = self.booking_rng.random() < 0.88
                        self.rows["attendance"].append({
                            "session_id": sid, "participant_id": pid,
                            "hours": 1.0 if came else 0.0,
                            "status": "present" if came else "absent"})
                mid = rng.choice(covered)
                day = week + dt.timedelta(days=rng.randint(0, 4))
                place = self.plan_rng.choice(names.VISIT_PLACES)
                visit = schedule.Entry(
                    "mobile_unit", None, VISIT_TIMES[0], 3.0, f"Mobilna enota: {munis[mid]}",
                    f"{munis[mid]}, {place}", coordinator_id=coordinator, municipality_id=mid)
                slot = self.free_slot(visit, week, day, VISIT_TIMES)
                # The people she met there: some of her cases from that municipality.
                local = [c[2] for c in active if self.municipality_of[c[2]] == mid]
                if slot is not None:
                    if slot[0] <= self.today and local:
                        visit = self.with_people(visit, slot, self.plan_rng.sample(
                            local, min(len(local), self.plan_rng.randint(1, 3))))
                    self.book(visit, *slot)
                week += dt.timedelta(weeks=1)

    def free_slot(self, entry: schedule.Entry, week: dt.date, day: dt.date,
                  times: tuple[str, ...]) -> tuple[dt.date, str] | None:
        """The first free (day, time) from ``day`` on through the workdays of ``week``, then
        its days before, each day at ``times`` in order: free when ``schedule.conflicts``
        finds nothing (the seed gives no holiday a reason, so it books none)."""
        workdays = [week + dt.timedelta(days=n) for n in range(5)]
        at = workdays.index(day)
        for candidate in workdays[at:] + workdays[:at]:
            if schedule.holiday(candidate) is not None:
                continue
            for time in dict.fromkeys(times):
                if not schedule.conflicts(self.db, entry, candidate, time, entry.hours):
                    return candidate, time
        return None

    def with_people(self, visit: schedule.Entry, slot: tuple[dt.date, str],
                    people: list[int]) -> schedule.Entry:
        """The visit with those of ``people`` whom the calendar finds free at ``slot`` (not
        in their programme's session then), checked again as a whole."""
        day, time = slot
        met = dataclasses.replace(visit, people=tuple(people))
        if schedule.conflicts(self.db, met, day, time, visit.hours):
            met = dataclasses.replace(visit, people=tuple(
                p for p in people if not schedule.conflicts(
                    self.db, dataclasses.replace(visit, people=(p,)), day, time, visit.hours)))
            assert not schedule.conflicts(self.db, met, day, time, visit.hours), (met, day)
        return met

    def book(self, entry: schedule.Entry, day: dt.date, time: str) -> int:
        """Write a meeting or visit that ``schedule.conflicts`` found free at ``day`` and
        ``time``, at once, so that the next booking's check sees it."""
        sid = self.new_id("sessions")
        self.db.conn.execute(
            "INSERT INTO sessions (id, kind, programme_id, coordinator_id, participant_id, "
            "municipality_id, title, location, date, start_time, hours) "
            "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, entry.kind, entry.coordinator_id, entry.participant_id,
             entry.municipality_id, entry.title, entry.location, _iso(day), time, entry.hours])
        # A visit gone by is recorded as the calendar records it (schedule.record_visit):
        # those met marked met, the visit marked recorded, one contact each linked to it.
        held = entry.kind == "mobile_unit" and day <= self.today and bool(entry.people)
        self.db.conn.executemany(
            "INSERT INTO session_people (session_id, participant_id, booked, met) "
            "VALUES (?, ?, 1, ?)", [(sid, person, int(held)) for person in entry.people])
        if held:
            at = _iso(day) + "T16:00:00"
            self.db.conn.execute("UPDATE sessions SET visit_recorded_at = ? WHERE id = ?",
                                 [at, sid])
            self.rows["contacts"].extend({
                "participant_id": person, "date": _iso(day), "kind": "mobile_unit",
                "note": names.VISIT_NOTE, "next_step": None, "created_at": at,
                "created_by": entry.coordinator_id, "session_id": sid}
                for person in entry.people)
        return sid

    def create_waiting_lists(self, area: str) -> None:
        """People whose contract found every programme full wait for the next free place;
        the fullest running programme of the area has a queue."""
        running = [p for p in self.programmes[area]
                   if p.start <= self.today <= p.end and not p.is_orientakcija]
        if not running:
            return
        fullest = max(running, key=lambda p: (sum(1 for _, e in p.spans if e is None), -p.id))
        taken = sum(1 for _, e in fullest.spans if e is None)
        # Its capacity is the places the provider has: the seed fills them all.
        fullest_row = next(r for r in self.rows["programmes"] if r["id"] == fullest.id)
        fullest_row["capacity"] = fullest.capacity = max(taken, 1)
        waiting = [pid for pid, stage, _ in self.waiting_candidates[area]
                   if stage == "motivation"][:WAITING_PER_AREA]
        for n, pid in enumerate(waiting):
            self.rows["waiting_list"].append({
                "programme_id": fullest.id, "participant_id": pid,
                "added_on": _iso(self.today - dt.timedelta(days=3 * (len(waiting) - n))),
                "status": "waiting", "offered_on": None, "created_by": self.coordinator_of[pid],
                "created_at": self.created_at, "version": 1})

    def lock_paid_months(self) -> None:
        """Months paid out are locked: every month before the previous one."""
        paid_until = (self.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for area_programmes in self.programmes.values():
            for programme in area_programmes:
                month = programme.start.replace(day=1)
                while month < paid_until and month <= programme.end:
                    self.rows["month_locks"].append({
                        "programme_id": programme.id, "month": f"{month:%Y-%m}",
                        "locked_at": _iso(month + dt.timedelta(days=40)) + "T10:00:00",
                        "locked_by": programme.coordinator_id})
                    month = (month + dt.timedelta(days=32)).replace(day=1)

    def submit_past_reports(self, areas) -> None:
        """Every e-MA export already due was submitted before 15 January: the reminder is
        about the year that is ending (esf owns the dates)."""
        due = [year for year in range(self.today.year - 2, self.today.year)
               if esf.ema_due(year) < self.today]
        for area in areas:
            coordinator = self.coordinators[area][0]
            for year in due:
                self.rows["report_submissions"].append({
                    "kind": "ema", "year": year, "area_code": area,
                    "submitted_on": esf.ema_due(year).replace(day=10).isoformat(),
                    "submitted_by": coordinator})

    # -- writing -------------------------------------------------------------------
    # Parents before children, for the foreign keys.
    TABLES = ("providers", "programmes", "programme_modules", "participants", "consents",
              "stage_history",
              "enrolments", "waiting_list", "tasks", "follow_ups", "sessions", "session_people",
              "attendance", "month_locks", "contacts", "problem_scores", "plan_goals",
              "plan_steps", "referrals_out", "report_submissions")

    def flush(self) -> None:
        """Write the rows in bulk, each table's columns named by its rows."""
        for table in self.TABLES:
            rows = self.rows.pop(table, [])
            if not rows:
                continue
            shapes: dict[tuple[str, ...], list[dict]] = defaultdict(list)
            for row in rows:  # e.g. a programme's sessions carry their module, others not
                shapes[tuple(row)].append(row)
            for columns, same in shapes.items():
                self.db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                    f"({', '.join(':' + c for c in columns)})", same)
        assert not self.rows, f"rows of no table written: {list(self.rows)}"

    def build(self) -> dict[str, int]:
        self.load_reference()
        self.create_users()
        self.enrolments: list[tuple[int, Programme, dt.date, dt.date]] = []
        self.caseload: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
        self.municipality_of: dict[int, int] = {}
        self.coordinator_of: dict[int, int] = {}
        self.waiting_candidates: dict[str, list[tuple[int, str, dt.date]]] = defaultdict(list)
        counts = self.participant_counts()
        for area, count in counts.items():
            self.create_programmes(area, count)
            self.create_participants(area, count)
        rows = {r["id"]: r for r in self.rows["programmes"]}
        for area in counts:  # a queue sets its programme's places, before they are written
            self.create_waiting_lists(area)
        for area in counts:
            for programme in self.programmes[area]:
                self.create_group_sessions(programme, rows[programme.id])
            # What the calendar checks a booking against (people, enrolments, programme
            # sessions) is written before the area's meetings and visits are booked.
            self.flush()
            self.create_individual_sessions(area)
        self.create_attendance()
        self.lock_paid_months()
        self.submit_past_reports(counts)
        self.flush()
        self.recent_audit()
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("users", "participants", "programmes", "sessions", "attendance",
                          "tasks")}

    def recent_audit(self, days: int = 10) -> None:
        """The Gorenjska coordinators' last workdays in the audit log, so that a trainer
        can show the audit trail: each signed in in the morning and opened some of her
        people's records (through audit, so the entries are chained like real ones)."""
        rng = random.Random(self.seed + 5)
        day, workdays = self.today, []
        while len(workdays) < days:
            day -= dt.timedelta(days=1)
            if day.weekday() < 5:
                workdays.append(day)
        for coordinator in self.coordinators["gorenjska"]:
            people = [r[0] for r in self.db.execute(
                "SELECT id FROM participants WHERE coordinator_id = ? ORDER BY id",
                [coordinator])]
            for day in reversed(workdays):
                at = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(
                    minutes=rng.randint(0, 60))
                audit.log_event(self.db, coordinator, "sign_in", "users", coordinator,
                                at=at.isoformat())
                for pid in rng.sample(people, min(len(people), rng.randint(2, 6))):
                    at += dt.timedelta(minutes=rng.randint(5, 50))
                    audit.log_event(self.db, coordinator, "open", "participants", pid, pid,
                                    at=at.isoformat())

    def participant_counts(self) -> dict[str, int]:
        if self.scale == "gorenjska":
            return {"gorenjska": GORENJSKA_PARTICIPANTS}
        population = {area: sum(m[2] for m in munis)
                      for area, munis in self.municipalities.items()}
        total = sum(population.values())
        counts = {area: round(NATIONAL_PARTICIPANTS * p / total)
                  for area, p in sorted(population.items())}
        counts["ljubljana"] += NATIONAL_PARTICIPANTS - sum(counts.values())
        return counts


def populate(db: sqlite_utils.Database, scale: str = "gorenjska", seed: int = DEFAULT_SEED,
             today: dt.date | None = None) -> dict[str, int]:
    """Fill ``db`` with a synthetic region; returns row counts. The audit log gets the
    coordinators' last workdays (sign-ins, records opened), for a trainer to show the
    audit trail; the tests use the same data.

    Refuses (SeedRefused) a database that holds real records. A training
    database is emptied and filled anew, all in one transaction.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    today = today or config.today()  # WORKBENCH_TODAY, as the app will see it
    kind = environment.kind(db)
    if kind == environment.PRODUCTION or (kind is None and environment.holds_records(db)):
        raise SeedRefused(
            "Ta podatkovna zbirka vsebuje resnične podatke; učnih podatkov vanjo ne zapišem. / "
            "This database holds real records; the seed will not write into it.")
    try:
        with write(db):
            environment.mark(db, environment.TRAINING)
            environment.clear_records(db)
            # The sign-in page of a training database lists the demo accounts and this password.
            for key, value in (("seed", json.dumps({"scale": scale, "seed": seed,
                                                    "today": today.isoformat()})),
                               ("demo_password", DEMO_PASSWORD)):
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value", [key, value])
            return _Builder(db, scale, seed, today).build()
    except UserError as err:  # a demo account clash would be a bug in this module
        raise RuntimeError(f"seed failed: {err.key}") from err
