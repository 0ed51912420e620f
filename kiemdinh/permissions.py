"""The one permission policy of kiemdinh.

Every access decision goes through a named rule ("school.view", "report.submit", ...). Each app
registers its rules in its own ``permissions.py`` (imported by its AppConfig.ready), and views,
templates ({% can %}) and tests all ask this registry. A rule answers with a Decision: allowed,
or refused with a reason the user can read. Asking for a rule nobody registered is a programming
error and raises, so a typo can never silently grant or refuse access.

Object scoping is separate: a user first looks objects up through a scoped selector (what they
cannot see does not exist: 404); a rule then decides what they may do with what they see (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: Any) -> Decision:
    return Decision(False, str(reason))


class UnknownPermissionError(KeyError):
    """Raised when code asks for a rule that no app registered."""


# Who asks: a signed-in account, the anonymous visitor, or nobody (a background job).
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | None"
Rule = Callable[[Any, Any], "Decision | bool"]
_RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register ``func(user, obj) -> Decision | bool`` under ``name``; names are unique."""

    def register(func: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not func:
            raise ValueError(f"Permission rule {name!r} is registered twice.")
        _RULES[name] = func
        return func

    return register


def registered_rules() -> list[str]:
    return sorted(_RULES)


def check(user: Actor, name: str, obj: Any = None) -> Decision:
    """Decide whether ``user`` may do ``name`` (to ``obj``)."""
    try:
        func = _RULES[name]
    except KeyError:
        raise UnknownPermissionError(name) from None
    if user is None or not user.is_authenticated:
        return deny(_("Bạn cần đăng nhập."))
    if not user.is_active:
        return deny(_("Tài khoản đã bị khóa."))
    result = func(user, obj)
    if isinstance(result, Decision):
        return result
    return ALLOW if result else deny(_("Bạn không có quyền thực hiện thao tác này."))


def can(user: Actor, name: str, obj: Any = None) -> bool:
    return check(user, name, obj).allowed


def require(user: Actor, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied (a 403 page showing the reason) unless the rule allows."""
    decision = check(user, name, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
