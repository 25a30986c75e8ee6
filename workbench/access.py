"""Who may open which page and who may see names: the role policy in one place."""

from __future__ import annotations

# Page ids, in the order the navigation lists them.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "coordinator": ("home", "board", "record", "intake", "workload"),
    "manager": ("home", "workload"),
    "trainer": ("home", "workload"),
    "admin": ("home", "workload", "users"),
}
# Pages that show people by name. A trainer demonstrates them on fictitious
# data only; on a real database she sees totals, like a manager.
CASEWORK_PAGES = ("board", "record", "intake")


def pages_for(role: str, training: bool = False) -> tuple[str, ...]:
    pages = ROLE_PAGES.get(role, ())
    if role == "trainer" and training:
        pages = (pages[0], *CASEWORK_PAGES, *pages[1:])
    return pages


def can_open(role: str, page: str, training: bool = False) -> bool:
    return page in pages_for(role, training)


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
