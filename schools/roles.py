"""The role hierarchy: which role may grant which (pure rules, no Django).

Authority runs one way, from the system administrator down to a school's staff. A role grants
only the roles strictly below it, and only where its reach covers the place of the new role (the
reach is checked by the permission rules, with the user's scope). A role never grants its own
rank: two reviewers of one office, or two officers of the Sở, cannot take over each other's
accounts, and a reviewer cannot make itself or a colleague principal of a school it reviews.

The values are Membership.Role's; they are repeated here as strings so that this module stays
importable without Django and testable on its own.
"""

from __future__ import annotations

SCHOOL_STAFF = "school_staff"
PRINCIPAL = "principal"
DISTRICT_REVIEWER = "district_reviewer"
DISTRICT_HEAD = "district_head"
DEPARTMENT_OFFICER = "department_officer"
ADMIN = "admin"

# Higher number, more authority. Gaps leave room for a role between two existing ones.
RANK: dict[str, int] = {
    SCHOOL_STAFF: 0,
    PRINCIPAL: 10,
    DISTRICT_REVIEWER: 20,
    DISTRICT_HEAD: 30,
    DEPARTMENT_OFFICER: 40,
    ADMIN: 100,
}

# The administrator's role is granted by an administrator only, and never through the people
# pages (Django's admin site is its place); every other role below a role is grantable by it.
NEVER_GRANTED_ON_PAGES = frozenset({ADMIN})


def rank(role: str) -> int:
    """The role's rank; an unknown role ranks below everything (it grants nothing)."""
    return RANK.get(role, -1)


def grantable_by(role: str) -> frozenset[str]:
    """The roles a holder of ``role`` may grant (where its reach covers the place)."""
    if role == ADMIN:
        return frozenset(RANK)
    own = rank(role)
    return frozenset(r for r, value in RANK.items() if value < own)


def highest(roles) -> str | None:
    """The highest of the given roles, or None for none."""
    roles = [r for r in roles if r in RANK]
    return max(roles, key=rank) if roles else None
