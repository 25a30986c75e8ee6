"""Who may open which page and who may see names: the role policy in one place.

``PAGES`` is the one registry of pages: the navigation, the page guards and the
links between pages all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from workbench import environment, places, text
from workbench.auth import User
from workbench.errors import UserError


@dataclass(frozen=True)
class PageSpec:
    id: str
    file: str
    title_key: str
    icon: str
    roles: tuple[str, ...]
    # Shows people by name: a trainer demonstrates it on fictitious data only.
    casework: bool = False


# In the order the navigation lists them.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "pages/home.py", "nav.home", ":material/dashboard:",
             ("coordinator", "manager", "trainer", "admin", "dpo")),
    PageSpec("board", "pages/board.py", "nav.board", ":material/view_kanban:",
             ("coordinator",), casework=True),
    PageSpec("record", "pages/record.py", "nav.record", ":material/person:",
             ("coordinator",), casework=True),
    PageSpec("intake", "pages/intake.py", "nav.intake", ":material/person_add:",
             ("coordinator",), casework=True),
    PageSpec("programmes", "pages/programmes.py", "nav.programmes", ":material/school:",
             ("coordinator",), casework=True),
    PageSpec("calendar", "pages/calendar.py", "nav.calendar", ":material/calendar_month:",
             ("coordinator",), casework=True),
    PageSpec("workload", "pages/workload.py", "nav.workload", ":material/groups:",
             ("coordinator", "manager", "trainer", "admin")),
    PageSpec("region", "pages/region.py", "nav.region", ":material/insights:",
             ("manager", "admin", "trainer", "coordinator")),
    PageSpec("charts", "pages/charts.py", "nav.charts", ":material/bar_chart:",
             ("coordinator", "manager", "trainer", "admin")),
    PageSpec("reporting", "pages/reporting.py", "nav.reporting", ":material/summarize:",
             ("coordinator", "manager", "trainer", "admin")),
    PageSpec("users", "pages/users.py", "nav.users", ":material/manage_accounts:", ("admin",)),
    PageSpec("audit", "pages/audit.py", "nav.audit", ":material/policy:", ("admin", "dpo")),
    PageSpec("protection", "pages/protection.py", "nav.protection", ":material/shield_person:",
             ("admin", "dpo")),
)
_BY_ID = {p.id: p for p in PAGES}


def page(page_id: str) -> PageSpec:
    return _BY_ID[page_id]


def pages_for(role: str, training: bool = False) -> tuple[str, ...]:
    """The page ids a role may open; a trainer gets the casework pages on training data."""
    return tuple(p.id for p in PAGES
                 if role in p.roles or (role == "trainer" and training and p.casework))


def can_open(role: str, page_id: str, training: bool = False) -> bool:
    return page_id in pages_for(role, training)


def can_see_person(role: str, user_area: str | None, person_area: str,
                   training: bool) -> bool:
    """Names and records: coordinators of the person's CSD area; trainers on training data."""
    if role == "coordinator":
        return user_area == person_area
    return role == "trainer" and training


def home_view(role: str, training: bool) -> str:
    """Which home page a role gets.

    "own": a coordinator's own caseload with names; "pick": a trainer on
    fictitious data chooses a coordinator to demonstrate; "region": totals
    without names (managers, admins, and trainers on real data).
    """
    if role == "coordinator":
        return "own"
    if role == "trainer" and training:
        return "pick"
    return "region"


# -- the library's checks: every read or write of a person's data names its actor ----------
class Forbidden(UserError):
    """The actor's role or area does not allow this; the message reveals nothing more."""


def _training(db: sqlite_utils.Database) -> bool:
    return environment.is_training(db)


def may_see_names(actor: User, training: bool) -> bool:
    """Coordinators see their area's people; a trainer sees them on fictitious data only."""
    return actor.active and (actor.role == "coordinator"
                             or (actor.role == "trainer" and training))


def require_casework(db: sqlite_utils.Database, actor: User) -> None:
    """Refuse anyone who may not work with people by name."""
    if not may_see_names(actor, _training(db)):
        raise Forbidden("error.forbidden")


def require_area(db: sqlite_utils.Database, actor: User, area: str | None) -> None:
    """Casework inside ``area``: a coordinator only in her own (a trainer on training data
    in any)."""
    require_casework(db, actor)
    if actor.role == "coordinator" and area != actor.area_code:
        raise Forbidden("error.forbidden")


def require_person(db: sqlite_utils.Database, actor: User, participant_id: int) -> str:
    """The area of a person the actor may see; one message whether she is missing or not
    the actor's to see, so that a search by id learns nothing."""
    require_casework(db, actor)
    if text.as_id(participant_id) is None:
        raise Forbidden("error.person_unavailable")
    row = db.execute(
        f"SELECT c.area_code FROM participants p {places.AREA_JOIN} WHERE p.id = ?",
        [participant_id]).fetchone()
    if row is None or not can_see_person(actor.role, actor.area_code, row[0], True):
        raise Forbidden("error.person_unavailable")
    return row[0]


def require_totals(actor: User, area: str | None = None) -> None:
    """Aggregates: any active account, of its own area; of every area (``area`` None)
    only a national account."""
    if not actor.active or actor.area_code not in (None, area):
        raise Forbidden("error.forbidden")


def require_area_totals(actor: User, area: str | None) -> None:
    """Aggregates that exist only per area (the region's overview, the coordinators'
    workload): ``area`` None is refused -- an area account may not see the country
    (Forbidden, as ``require_totals``), and a national one must name the area (these
    views have no national version; their queries would count nobody)."""
    require_totals(actor, area)
    if area is None:
        raise UserError("error.area_required")


def require_admin(actor: User) -> None:
    if not (actor.active and actor.role == "admin"):
        raise Forbidden("error.forbidden")


def require_audit_reader(actor: User) -> None:
    """The audit log (who opened or changed what): the administrator and the DPO."""
    if not (actor.active and actor.role in ("admin", "dpo")):
        raise Forbidden("error.forbidden")


def require_dpo_or_admin(actor: User) -> None:
    """Data protection's own work (access requests): the administrator or the DPO."""
    if not (actor.active and actor.role in ("admin", "dpo")):
        raise Forbidden("error.forbidden")


def require_programme(db: sqlite_utils.Database, actor: User, programme_id: int) -> str:
    """The programme's area, when the actor may work with it (one message otherwise)."""
    require_casework(db, actor)
    if text.as_id(programme_id) is None:
        raise Forbidden("error.programme_missing")
    found = db.execute("SELECT area_code FROM programmes WHERE id = ?",
                       [programme_id]).fetchone()
    if found is None or (actor.role == "coordinator" and found[0] != actor.area_code):
        raise Forbidden("error.programme_missing")
    return found[0]
