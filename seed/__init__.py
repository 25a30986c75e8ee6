"""Faker-seeded training data: a realistic, deterministic synthetic region.

``populate(db, scale=..., seed=..., today=...)`` fills a database marked as a
training environment; ``python -m seed`` is its command line. Every random
choice comes from one ``random.Random(seed)`` and one seeded Faker, and every
date is derived from ``today``, so the same arguments give the same data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils
from faker import Faker

from seed import names
from seed.national_reference import AREA_MUNICIPALITIES
from workbench import auth, emso, environment, reference, text, vocab
from workbench.db import write
from workbench.errors import UserError

SCALES = ("gorenjska", "national")
DEFAULT_SEED = 2017
DEMO_PASSWORD = "demo1234"

# (username, display name, role, CSD unit)
DEMO_USERS = (
    ("ana.kos", "Ana Kos", "coordinator", "kranj"),
    ("maja.zupan", "Maja Zupan", "coordinator", "jesenice"),
    ("petra.kralj", "Petra Kralj", "coordinator", "skofja_loka"),
    ("vodja", "Marko Horvat", "manager", None),
    ("trener", "Tina Golob", "trainer", None),
    ("admin", "Skrbnik Sistema", "admin", None),
)
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

# Programme types: (duration in days, days a week, hours a day)
PROGRAMME_SHAPES = {"short": (91, 3, 4.0), "intermediate": (182, 4, 5.0), "long": (335, 5, 6.0)}
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
    days_per_week: int
    hours_per_day: float
    municipality_id: int
    coordinator_id: int
    is_orientakcija: bool = False
    enrolled: int = 0
    session_dates: list[dt.date] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)


@dataclass
class Case:
    """One person's path through the stages, as (stage, date, reason) events."""
    events: list[tuple[str, dt.date, str | None]]
    programme: Programme | None = None
    enrolment_start: dt.date | None = None
    enrolment_end: dt.date | None = None
    enrolment_status: str | None = None
    contract_date: dt.date | None = None
    exit_destination: str | None = None
    exit_reason: str | None = None
    # (kind, title, due, done)
    tasks: list[tuple[str, str | None, dt.date, dt.date | None]] = field(default_factory=list)


class _Builder:
    def __init__(self, db: sqlite_utils.Database, scale: str, seed: int, today: dt.date):
        self.db, self.scale, self.today = db, scale, today
        self.rng = random.Random(seed)
        # Case records (contacts, scores, plans) draw from their own stream, so adding
        # them left the people, programmes and attendance of earlier versions unchanged.
        self.case_rng = random.Random(seed + 1)
        self.fake = Faker("sl_SI")
        self.fake.seed_instance(seed)
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.next_id: dict[str, int] = defaultdict(lambda: 1)
        self.used_emso: set[str] = set()
        self.municipalities: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        self.coordinators: dict[str, list[int]] = defaultdict(list)
        # Gorenjska's coordinators cover municipalities; elsewhere a case goes to
        # any coordinator of the area (Ljubljana has three for one municipality).
        self.coverage: dict[int, int] = {}  # municipality id -> coordinator id
        self.programmes: dict[str, list[Programme]] = defaultdict(list)
        self.created_at = dt.datetime.combine(today, dt.time(8, 0)).isoformat()

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
                                    now=dt.datetime.fromisoformat(self.created_at))
            if role == "coordinator":
                self.coordinators["gorenjska"].append(user.id)
                for municipality in GORENJSKA_COVERAGE[username]:
                    self.coverage[by_name[municipality]] = user.id
        if self.scale != "national":
            return
        others = [a for a in AREA_MUNICIPALITIES]
        per_area = {a: 3 for a in others}
        # 47 coordinators nationally: three per unit, two in the smallest.
        per_area["zasavje"] = NATIONAL_COORDINATORS - 3 - 3 * (len(others) - 1)
        for area in others:
            for n in range(1, per_area[area] + 1):
                first, last = self.fake.first_name_female(), self.fake.last_name()
                user = auth.create_user(self.db, f"koord.{area.replace('_', '-')}.{n}",
                                        f"{first} {last}", "coordinator", DEMO_PASSWORD,
                                        area_code=area, password_hash=password_hash,
                                        now=dt.datetime.fromisoformat(self.created_at))
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
                self.rows["providers"].append(
                    (providers[provider_name], provider_name, municipality[0]))
            days, per_week, hours = PROGRAMME_SHAPES[ptype]
            start = first_start + dt.timedelta(days=span * i // count)
            start -= dt.timedelta(days=start.weekday())  # programmes start on Mondays
            cohort = f"{start.year}/{1 + (start.month - 1) // 6}"
            programme = Programme(self.new_id("programmes"), f"{line_name} {cohort}", area,
                                  ptype, start,
                                  start + dt.timedelta(days=days), per_week, hours,
                                  municipality[0], self.coordinator_for(area, municipality[0]),
                                  is_orient)
            self.programmes[area].append(programme)
            self.rows["programmes"].append(
                (programme.id, programme.name, providers[provider_name], ptype, area,
                 municipality[0], programme.coordinator_id, _iso(programme.start),
                 _iso(programme.end), 15, hours, per_week))

    def choose_programme(self, area: str, day: dt.date, prefer_orient: bool) -> Programme | None:
        """A running programme with room, else the next one to start."""
        # Rolling entry: a cohort takes a few more than a group of 15 over its
        # life, because some leave early; so groups stay near 15 at any time.
        candidates = [p for p in self.programmes[area]
                      if p.is_orientakcija == prefer_orient and p.enrolled < MAX_COHORT_ENROLMENTS]
        running = [p for p in candidates if p.start <= day <= p.end - dt.timedelta(days=30)]
        if running:
            return min(running, key=lambda p: (p.enrolled, p.id))
        upcoming = [p for p in candidates if p.start > day]
        return min(upcoming, key=lambda p: p.start) if upcoming else None

    # -- one person's case ----------------------------------------------------
    def simulate_case(self, area: str, referral: dt.date, orient: bool) -> Case:
        rng, today = self.rng, self.today
        case = Case(events=[("referred", referral, None)])
        day = referral
        for stage, low, high, close_chance in (("first_interview", 3, 21, 0.06),
                                               ("motivation", 7, 35, 0.07),
                                               ("contract", 14, 60, 0.08)):
            day += dt.timedelta(days=rng.randint(low, high))
            if day > today:
                return case
            if rng.random() < close_chance:
                reason = rng.choice(("declined", "not_eligible", "unreachable", "moved_away"))
                case.events.append(("closed", day, reason))
                case.exit_reason = reason
                return case
            case.events.append((stage, day, None))
        case.contract_date = day
        programme = self.choose_programme(area, day + dt.timedelta(days=3), orient)
        if programme is None:
            return case
        start = max(day + dt.timedelta(days=rng.randint(3, 14)), programme.start)
        if start > today:
            return case
        programme.enrolled += 1
        case.programme, case.enrolment_start = programme, start
        case.events.append(("in_programme", start, None))
        planned = min(programme.end, start + dt.timedelta(days=PROGRAMME_SHAPES[programme.type][0]))
        dropped = rng.random() < 0.18
        exit_day = (start + dt.timedelta(days=int((planned - start).days * rng.uniform(0.1, 0.8)))
                    if dropped else planned)
        if exit_day > today:
            case.enrolment_status = "active"
            return case
        case.enrolment_end = exit_day
        case.enrolment_status = "dropped_out" if dropped else "completed"
        if dropped:
            case.exit_reason = rng.choice(("health", "care_duties", "lost_motivation",
                                           "moved_away", "other"))
            case.exit_destination = rng.choice(("none", "referred_back"))
        else:
            case.exit_destination = _pick(rng, EXIT_ON_COMPLETION)
        case.events.append(("exited", exit_day, case.exit_reason))
        # Both follow-up tasks are created at exit; a stage is reached when its task is done.
        reached = True
        # People are harder to reach six months after leaving: that one is late more often.
        for stage, offset, late_chance in (("follow_up_4w", 28, 0.25), ("follow_up_6m", 182, 0.45)):
            due = exit_day + dt.timedelta(days=offset)
            late = rng.random() < late_chance
            done = due + dt.timedelta(days=rng.randint(7, 90) if late else rng.randint(0, 6))
            reached = reached and done <= today
            case.tasks.append((stage, None, due, done if reached else None))
            if reached:
                case.events.append((stage, done, None))
        return case

    def add_working_task(self, case: Case) -> None:
        """Everyday tasks on open cases, due around today; some are forgotten."""
        rng, today = self.rng, self.today
        stage, since, _ = case.events[-1]
        if stage not in ("referred", "first_interview", "motivation", "contract",
                         "in_programme") or rng.random() > 0.5:
            return
        due = max(since, today + dt.timedelta(days=rng.randint(-21, 21)))
        done = None
        if due < today and rng.random() < 0.6:
            done = min(today, due + dt.timedelta(days=rng.randint(0, 3)))
        case.tasks.append(("other", rng.choice(names.TASK_TITLES), due, done))

    def add_case_records(self, pid: int, case: Case, coordinator: int) -> None:
        """What a coordinator writes down along the way: contacts, scores, plan, referrals."""
        rng, today = self.case_rng, self.today
        for stage, day, _ in case.events:
            self.rows["contacts"].append((
                pid, _iso(day), rng.choice(names.CONTACT_KIND_BY_STAGE[stage]),
                rng.choice(names.CONTACT_NOTES[stage]), rng.choice(names.NEXT_STEPS) or None,
                _iso(day) + "T13:00:00", coordinator))
        reached = {stage: day for stage, day, _ in case.events}
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
                (pid, area, score, _iso(day), coordinator) for area, score in scores.items())
        if "contract" in reached:
            made = reached["contract"]
            finished = "exited" in reached
            for goal, steps in rng.sample(names.PLAN_GOALS, 2):
                gid = self.new_id("plan_goals")
                deadline = made + dt.timedelta(days=rng.randint(60, 240))
                status = rng.choice(("achieved", "achieved", "dropped")) if finished else (
                    rng.choice(("open", "in_progress")))
                self.rows["plan_goals"].append((gid, pid, goal, _iso(deadline), status,
                                                _iso(made) + "T14:00:00", coordinator))
                for i, step in enumerate(steps):
                    step_due = made + dt.timedelta(days=30 * (i + 1))
                    done = step_due if step_due <= today and (finished or rng.random() < 0.6) \
                        else None
                    self.rows["plan_steps"].append((gid, step, _iso(step_due),
                                                    _iso(done) if done else None,
                                                    _iso(made) + "T14:00:00", coordinator))
        if rng.random() < 0.15:
            sent = reached["first_interview"] + dt.timedelta(days=rng.randint(1, 20))
            if sent <= today:
                institution, purpose = rng.choice(names.REFERRALS_OUT)
                answered = sent + dt.timedelta(days=rng.randint(5, 40))
                status, answer = ("sent", None) if answered > today else rng.choice((
                    ("accepted", "Sprejeto, prvi termin dogovorjen."),
                    ("rejected", "Trenutno ni prostih mest.")))
                self.rows["referrals_out"].append((
                    pid, institution, purpose, _iso(sent), status, answer,
                    _iso(answered) if answer else None, _iso(sent) + "T15:00:00", coordinator))

    # -- participants -----------------------------------------------------------
    def person(self, area: str, orient: bool) -> dict:
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
        return {
            "first_name": first, "last_name": last, "emso": code, "sex": sex,
            "birth_date": _iso(born), "municipality_id": municipality[0],
            "municipality": municipality[1],
            "address": fake.street_address(), "phone": fake.phone_number(),
            "email": None if rng.random() < 0.6 else
            f"{first}.{last}@example.si".lower().replace(" ", ""),
            "isced": isced, "labour_status": _pick(rng, LABOUR_BY_GROUP[group]),
            "migrant": "yes" if orient or group == "roma_women" else _pick(rng, sensitive),
            "disability": _pick(rng, {"yes": 11, "no": 86, "refused": 3}),
            # e-MA forces "other disadvantage" when the person has no schooling (ISCED 0).
            "other_disadvantage": "yes" if isced == 0 else _pick(
                rng, {"yes": 40, "no": 57, "refused": 3}),
            "homeless": int(rng.random() < 0.03),
            "language": "sq" if orient else "sl",
            "interpreter_needed": int(orient and rng.random() < 0.7),
            "target_group": group,
            "dsp_payments_24m": rng.randint(8, 24) if group == "dsp" else (
                rng.randint(0, 12) if rng.random() < 0.4 else None),
            "referral_source": _pick(rng, REFERRAL_BY_GROUP[group]),
        }

    def create_participants(self, area: str, count: int) -> None:
        rng = self.rng
        window = 2 * 365
        orient_left = ALBANIAN_COHORT if area == "gorenjska" else 0
        referrals = sorted(self.today - dt.timedelta(days=rng.randint(0, window))
                           for _ in range(count))
        for referral in referrals:
            orient = orient_left > 0 and rng.random() < ALBANIAN_COHORT / count * 1.6
            orient_left -= orient
            person = self.person(area, orient)
            case = self.simulate_case(area, referral, orient)
            pid = self.new_id("participants")
            coordinator = self.coordinator_for(area, person["municipality_id"])
            source = person["referral_source"]
            referrer = "" if source == "self" else (
                f"{self.fake.name()} ({names.INSTITUTIONS[source]} {person['municipality']})")
            stage, since, _ = case.events[-1]
            exit_day = case.enrolment_end
            created = _iso(referral) + "T09:00:00"
            updated = _iso(since) + "T09:00:00"
            self.rows["participants"].append((
                pid, person["first_name"], person["last_name"], person["emso"], person["sex"],
                person["birth_date"], person["municipality_id"], person["address"],
                person["phone"], person["email"], person["isced"], person["labour_status"],
                person["migrant"], person["disability"], person["other_disadvantage"],
                person["homeless"], person["language"], person["interpreter_needed"],
                person["target_group"], person["dsp_payments_24m"], source, referrer or None,
                _iso(referral), coordinator, stage, _iso(since),
                _iso(case.contract_date) if case.contract_date else None,
                _iso(exit_day) if exit_day else (_iso(since) if stage == "closed" else None),
                case.exit_destination, case.exit_reason, len(case.events),
                created, coordinator, updated, coordinator,
                text.name_key(person["first_name"], person["last_name"]),
                # Women with language barriers need no residence title; some lack one.
                int(not (orient and person["interpreter_needed"]))))
            previous = None
            for to_stage, day, reason in case.events:
                self.rows["stage_history"].append(
                    (pid, previous, to_stage, _iso(day) + "T10:00:00", coordinator, reason))
                previous = to_stage
            if case.programme:
                self.rows["enrolments"].append(
                    (self.new_id("enrolments"), pid, case.programme.id, _iso(case.contract_date),
                     _iso(case.enrolment_start), _iso(exit_day) if exit_day else None,
                     case.enrolment_status))
                self.enrolments.append((pid, case.programme, case.enrolment_start,
                                        exit_day or self.today))
            self.add_working_task(case)
            self.add_case_records(pid, case, coordinator)
            for kind, title, due, done in case.tasks:
                created = min(due, since) if kind == "other" else exit_day
                self.rows["tasks"].append(
                    (pid, kind, title, _iso(due), _iso(done) + "T11:00:00" if done else None,
                     coordinator, _iso(created) + "T12:00:00"))
            active_until = since if stage in ("closed", "follow_up_6m") else self.today + \
                dt.timedelta(days=60)
            self.caseload[coordinator].append((referral, active_until, pid))

    # -- sessions and the attendance list in hours --------------------------------
    def create_group_sessions(self, programme: Programme) -> None:
        weekdays = {5: (0, 1, 2, 3, 4), 4: (0, 1, 2, 3), 3: (0, 2, 4)}[programme.days_per_week]
        day = programme.start
        while day <= programme.end:
            if day.weekday() in weekdays:
                sid = self.new_id("sessions")
                programme.session_dates.append(day)
                programme.session_ids.append(sid)
                self.rows["sessions"].append(
                    (sid, "group", programme.id, programme.coordinator_id, None,
                     programme.municipality_id, programme.name, None, _iso(day), "09:00",
                     programme.hours_per_day))
            day += dt.timedelta(days=1)

    def create_attendance(self) -> None:
        rng = self.rng
        for pid, programme, start, end in self.enrolments:
            reliability = rng.uniform(0.6, 0.98)
            last = min(end, self.today)
            lo = bisect.bisect_left(programme.session_dates, start)
            hi = bisect.bisect_right(programme.session_dates, last)
            full = programme.hours_per_day
            for sid in programme.session_ids[lo:hi]:
                draw = rng.random()
                hours = 0.0 if draw > reliability else (
                    full - rng.choice((1.0, 2.0)) if draw < 0.06 else full)
                self.rows["attendance"].append((sid, pid, hours))

    def create_individual_sessions(self, area: str) -> None:
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
                    sid = self.new_id("sessions")
                    hour = rng.choice(("08:30", "10:00", "11:30", "13:00"))
                    self.rows["sessions"].append(
                        (sid, "individual", None, coordinator, pid, None,
                         "Individualno srečanje", "pisarna CSD", _iso(day), hour, 1.0))
                    if day <= self.today:
                        self.rows["attendance"].append(
                            (sid, pid, 1.0 if rng.random() < 0.88 else 0.0))
                mid = rng.choice(covered)
                day = week + dt.timedelta(days=rng.randint(0, 4))
                self.rows["sessions"].append(
                    (self.new_id("sessions"), "mobile_unit", None, coordinator, None, mid,
                     f"Mobilna enota: {munis[mid]}", f"{munis[mid]}, krajevna skupnost",
                     _iso(day), "12:00", 3.0))
                week += dt.timedelta(weeks=1)

    # -- writing -------------------------------------------------------------------
    def flush(self) -> None:
        inserts = {
            "providers": "INSERT INTO providers (id, name, municipality_id) VALUES (?, ?, ?)",
            "programmes": "INSERT INTO programmes (id, name, provider_id, type, area_code, "
                          "municipality_id, coordinator_id, start_date, end_date, capacity, "
                          "hours_per_day, days_per_week) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            "participants": "INSERT INTO participants (id, first_name, last_name, emso, sex, "
                            "birth_date, municipality_id, address, phone, email, isced, "
                            "labour_status, migrant, disability, other_disadvantage, homeless, "
                            "language, interpreter_needed, target_group, dsp_payments_24m, "
                            "referral_source, referral_person, referral_date, coordinator_id, "
                            "stage, stage_since, entry_date, exit_date, exit_destination, "
                            "exit_reason, version, created_at, created_by, updated_at, "
                            "updated_by, name_key, residence_ok) VALUES ("
                            + ",".join("?" * 37) + ")",
            "stage_history": "INSERT INTO stage_history (participant_id, from_stage, to_stage, "
                             "changed_at, changed_by, reason) VALUES (?,?,?,?,?,?)",
            "enrolments": "INSERT INTO enrolments (id, participant_id, programme_id, "
                          "contract_date, start_date, end_date, status) VALUES (?,?,?,?,?,?,?)",
            "tasks": "INSERT INTO tasks (participant_id, kind, title, due_date, done_at, "
                     "assigned_to, created_at) VALUES (?,?,?,?,?,?,?)",
            "sessions": "INSERT INTO sessions (id, kind, programme_id, coordinator_id, "
                        "participant_id, municipality_id, title, location, date, start_time, "
                        "hours) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            "attendance": "INSERT INTO attendance (session_id, participant_id, hours) "
                          "VALUES (?,?,?)",
            "contacts": "INSERT INTO contacts (participant_id, date, kind, note, next_step, "
                        "created_at, created_by) VALUES (?,?,?,?,?,?,?)",
            "problem_scores": "INSERT INTO problem_scores (participant_id, area, score, "
                              "scored_on, scored_by) VALUES (?,?,?,?,?)",
            "plan_goals": "INSERT INTO plan_goals (id, participant_id, goal, deadline, status, "
                          "created_at, created_by) VALUES (?,?,?,?,?,?,?)",
            "plan_steps": "INSERT INTO plan_steps (goal_id, step, deadline, done_on, "
                          "created_at, created_by) VALUES (?,?,?,?,?,?)",
            "referrals_out": "INSERT INTO referrals_out (participant_id, institution, purpose, "
                             "sent_on, status, answer, answered_on, created_at, created_by) "
                             "VALUES (?,?,?,?,?,?,?,?,?)",
        }
        for table, sql in inserts.items():
            self.db.conn.executemany(sql, self.rows.pop(table, []))

    def build(self) -> dict[str, int]:
        self.load_reference()
        self.create_users()
        self.enrolments: list[tuple[int, Programme, dt.date, dt.date]] = []
        self.caseload: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
        counts = self.participant_counts()
        for area, count in counts.items():
            self.create_programmes(area, count)
            self.create_participants(area, count)
        for area in counts:
            for programme in self.programmes[area]:
                self.create_group_sessions(programme)
            self.create_individual_sessions(area)
        self.create_attendance()
        self.flush()
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("users", "participants", "programmes", "sessions", "attendance",
                          "tasks")}

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
    """Fill ``db`` with a synthetic region; returns row counts.

    Refuses (SeedRefused) a database that holds real records. A training
    database is emptied and filled anew, all in one transaction.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    today = today or dt.date.today()
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
