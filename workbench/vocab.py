"""Codes of the domain's closed lists. Labels live in ``workbench.i18n``.

Codes are stored in the database and never change; what a coordinator sees
(e.g. a renamed stage) is a translation.
"""

ROLES = ("coordinator", "manager", "trainer", "admin")

# The pipeline of a case, in order. A case can also close before inclusion.
STAGES = ("referred", "first_interview", "motivation", "contract", "in_programme",
          "exited", "follow_up_4w", "follow_up_6m", "closed")
# Stages in which the coordinator still has work to do on the case.
ACTIVE_STAGES = STAGES[:7]

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

PROGRAMME_TYPES = ("short", "intermediate", "long")

SESSION_KINDS = ("group", "individual", "mobile_unit")

TASK_KINDS = ("follow_up_4w", "follow_up_6m", "other")

EXIT_DESTINATIONS = (
    "primary_employment", "primary_self_employment",
    "secondary_public_works", "secondary_subsidised",
    "tertiary_social_enterprise", "tertiary_supported",
    "education", "further_programme", "job_searching", "referred_back", "none",
)

CLOSURE_REASONS = ("declined", "not_eligible", "unreachable", "moved_away")

DROP_OUT_REASONS = ("health", "care_duties", "lost_motivation", "moved_away", "other")

EXIT_OUTCOMES = ("completed", "dropped_out")

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
