"""Who may open which page and who may see names: the role policy in one place."""

from __future__ import annotations

# Page ids, in the order the navigation lists them.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "coordinator": ("home",),
    "manager": ("home",),
    "trainer": ("home",),
    "admin": ("home", "users"),
}


def pages_for(role: str) -> tuple[str, ...]:
    return ROLE_PAGES.get(role, ())


def can_open(role: str, page: str) -> bool:
    return page in pages_for(role)


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
