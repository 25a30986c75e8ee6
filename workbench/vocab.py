"""Codes of the domain's closed lists. Labels live in ``workbench.i18n``.

Codes are stored in the database and never change; what a coordinator sees
(e.g. a renamed stage) is a translation.
"""

ROLES = ("coordinator", "manager", "trainer", "admin", "dpo")

# The stages of a case, in pipeline order (their categories and moves: workbench.pipeline).
STAGES = ("referred", "first_interview", "motivation", "contract", "in_programme",
          "exited", "follow_up_4w", "follow_up_6m", "closed")

TARGET_GROUPS = ("dsp", "unemployed_zrsz", "temporarily_unemployable",
                 "inactive_complex", "women_language_barrier", "roma_women")

REFERRAL_SOURCES = ("csd", "zrsz", "ngo", "health_centre", "self")

# e-MA: exactly one labour-market status at entry.
LABOUR_STATUSES = ("employed", "unemployed", "long_term_unemployed",
                   "inactive_in_education", "inactive")

# Sensitive e-MA answers allow "refused to answer".
SENSITIVE_ANSWERS = ("yes", "no", "refused")

SEXES = ("F", "M")

ISCED_LEVELS = tuple(range(9))


def forces_other_disadvantage(isced: int | None) -> bool:
    """e-MA: a person without schooling (ISCED 0) is "other disadvantaged", always."""
    return isced == 0

PROGRAMME_TYPES = ("short", "intermediate", "long")

SESSION_KINDS = ("group", "individual", "mobile_unit")

TASK_KINDS = ("follow_up_4w", "follow_up_6m", "other")

EXIT_DESTINATIONS = (
    "primary_employment", "primary_self_employment",
    "secondary_public_works", "secondary_subsidised",
    "tertiary_social_enterprise", "tertiary_supported",
    "education", "further_programme", "job_searching", "referred_back", "none",
)

# Where an exit led, as the charts group it: the three labour markets and the rest.
EXIT_GROUP_ORDER = ("primary", "secondary", "tertiary", "education", "further_programme",
                    "other", "drop_out")
EXIT_GROUPS = {
    "primary_employment": "primary", "primary_self_employment": "primary",
    "secondary_public_works": "secondary", "secondary_subsidised": "secondary",
    "tertiary_social_enterprise": "tertiary", "tertiary_supported": "tertiary",
    "education": "education", "further_programme": "further_programme",
    "job_searching": "other", "referred_back": "other", "none": "drop_out",
}

CLOSURE_REASONS = ("declined", "not_eligible", "unreachable", "moved_away")

DROP_OUT_REASONS = ("health", "care_duties", "lost_motivation", "moved_away", "other")

EXIT_OUTCOMES = ("completed", "dropped_out")

# What she is doing at a follow-up (4 weeks, 6 months after leaving): the ESF result
# indicators (CR01-CR09) are counted from these.
FOLLOW_UP_SITUATIONS = ("job_searching", "education_training", "qualification", "employed",
                        "self_employed", "unchanged", "unreachable")

# A stage move's history row keeps a code as its reason: the referral source (intake),
# a closure or drop-out reason, the exit's outcome or a follow-up's situation; anything
# else is typed text.
STAGE_REASON_LISTS = (("referral_source", REFERRAL_SOURCES), ("closure_reason", CLOSURE_REASONS),
                      ("drop_out_reason", DROP_OUT_REASONS), ("outcome", EXIT_OUTCOMES),
                      ("situation", FOLLOW_UP_SITUATIONS))


def stage_reason_list(reason: str | None) -> str | None:
    """The closed list a history reason code belongs to, None for a typed reason."""
    return next((name for name, codes in STAGE_REASON_LISTS if reason in codes), None)

# The 13 areas of the problem overview, each scored 0 (no problem) to 3 (severe).
PROBLEM_AREAS = ("employment", "education", "slovenian_language", "physical_health",
                 "mental_health", "addiction", "housing", "debt", "family_care",
                 "social_network", "transport", "digital_skills", "documents")
PROBLEM_SCORES = (0, 1, 2, 3)

CONTACT_KINDS = ("office", "phone", "home_visit", "mobile_unit", "other")

GOAL_STATUSES = ("open", "in_progress", "achieved", "dropped")

REFERRAL_OUT_STATUSES = ("sent", "accepted", "rejected", "withdrawn")

# Languages a person speaks at home (interpreting needs), ISO 639 where one exists.
PERSON_LANGUAGES = ("sl", "sq", "bs", "hr", "sr", "mk", "rom", "uk", "ru", "en", "other")

# DOMAIN.md: programmes for groups 1-4 require citizenship or permanent residence.
RESIDENCE_REQUIRED_GROUPS = TARGET_GROUPS[:4]

# Which closed list a stored value comes from, so a change log or a conflict can say
# "V programu" instead of "in_programme": (table, field) first, then the field alone.
# The UI translates "<list>.<code>".
VALUE_LISTS: dict[tuple[str | None, str], str] = {
    (None, "stage"): "stage", (None, "to_stage"): "stage",
    (None, "undone_move"): "stage",
    (None, "target_group"): "target_group", (None, "sex"): "sex",
    (None, "labour_status"): "labour_status", (None, "referral_source"): "referral_source",
    (None, "language"): "person_language", (None, "migrant"): "answer",
    (None, "disability"): "answer", (None, "other_disadvantage"): "answer",
    (None, "exit_destination"): "exit_destination", (None, "isced"): "isced",
    (None, "closure_reason"): "closure_reason", (None, "situation"): "situation",
    (None, "exit_reason"): "drop_out_reason", ("follow_ups", "kind"): "stage",
    (None, "role"): "role", (None, "area"): "problem", (None, "score"): "score",
    ("tasks", "kind"): "task_kind", ("contacts", "kind"): "contact_kind",
    ("plan_goals", "status"): "goal_status", ("referrals_out", "status"): "referral_status",
    ("enrolments", "status"): "enrolment_status", (None, "from_stage"): "stage",
    ("consents", "purpose"): "consent.purpose", ("consents", "given_how"): "consent.how",
    ("consents", "withdrawn_how"): "consent.how", ("attendance", "status"): "attendance_status",
    ("waiting_list", "status"): "waiting_status", ("meetings", "kind"): "session_kind",
    ("audit", "action"): "action", ("audit", "table_name"): "table",
    ("sessions", "kind"): "session_kind", ("programmes", "type"): "programme_type",
    ("programmes", "status"): "programme_status", ("programmes", "variant"): "variant",
    ("programmes", "languages"): "person_language",
}
# Yes / no facts stored as 0 / 1.
FLAG_FIELDS = frozenset({"homeless", "interpreter_needed", "residence_ok", "active",
                         "interpreter"})
# Fields that are dates or moments, shown the Slovenian way.
DATE_FIELDS = frozenset({"birth_date", "referral_date", "stage_since", "entry_date",
                         "exit_date", "due_date", "done_at", "date", "deadline", "done_on",
                         "scored_on", "sent_on", "answered_on", "contract_date",
                         "start_date", "end_date", "observed_on", "given_on", "withdrawn_on",
                         "offered_on", "added_on", "anonymised_on", "offer_until", "closed_on",
                         "until_day", "move_date", "changed_at"})
# Fields that are moments (a day and a time): "7. 12. 2026 ob 14:05".
# Columns that hold an account's id: a change log shows the holder's name.
ACCOUNT_FIELDS = frozenset({"coordinator_id", "changed_by", "cancelled_by", "assigned_to",
                            "locked_by", "submitted_by", "recorded_by", "scored_by"})
MOMENT_FIELDS = frozenset({"cancelled_at", "visit_recorded_at", "locked_at", "recorded_at"})
# Amounts, hours and counts: shown as numbers are written in the reader's language ("2,5").
NUMBER_FIELDS = frozenset({"hours", "hours_per_day", "ticket_eur", "distance_km", "value",
                           "dsp_payments_24m", "capacity", "days_per_week"})
# Book-keeping columns a change log does not show.
INTERNAL_FIELDS = frozenset({"participant_id", "created_at", "created_by", "scored_by",
                             "goal_id", "assigned_to", "name_key", "version", "updated_at",
                             "updated_by", "recorded_by", "generated", "offer_task_id",
                             "enrolment_id"})
# Tables a change log never names: reference data loaded by migrations and the machinery
# of sign-ins, once-tokens and caches. Every other table, and each of its columns, has a
# label in both languages (tests/test_i18n.py walks the schema).
UNLOGGED_TABLES = frozenset({"_sqlite_migrations", "meta", "regions", "csd_areas",
                             "csd_units", "municipalities", "submissions", "data_versions",
                             "user_sessions", "sign_in_attempts"})
ENROLMENT_STATUSES = ("active", "completed", "dropped_out")


def value_list(table: str | None, field: str) -> str | None:
    """The closed list a field's codes belong to, or None for free values."""
    return VALUE_LISTS.get((table, field)) or VALUE_LISTS.get((None, field))


# Words Slovenian users (and this workplace) reach for in passwords: zxcvbn counts a
# password built on them as guessable (auth.check_password).
SLOVENIAN_PASSWORD_WORDS = (
    "geslo", "mojegeslo", "novogeslo", "geslo123", "qwertz", "slovenija", "ljubljana",
    "maribor", "kranj", "celje", "koper", "jesenice", "gorenjska", "triglav", "bled",
    "olimpija", "ljubezen", "sonce", "srcek", "zajcek", "mucka", "kuza", "mami", "oci",
    "janez", "marija", "ana", "maja", "petra", "nina", "luka", "nejc", "rok", "jure",
    "socialna", "aktivacija", "koordinator", "koordinatorka", "csd", "center", "delo",
    "sluzba", "pomlad", "poletje", "jesen", "zima", "nogomet", "kosarka", "hokej", "ribnica",
    "dobrodoslica", "zdravo", "hvala", "prosim", "vstop", "prijava",
)
