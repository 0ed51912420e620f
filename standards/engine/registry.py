"""The rule families, by name. A regulation names its family in its catalog; nothing else is code.

Adding a family (say, a newer regulation whose school level also needs a list of mandatory
criteria) is one function ``evaluate(rules, verdicts, facts) -> SchoolResult``, usually a few lines
on top of ``common``, registered here with ``register_family``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import family2018, family2026, legacy
from .labels import BINARY, FamilyLabels, graded
from .types import CatalogRules, EngineError, SchoolFacts, SchoolResult, Verdicts

RuleFunction = Callable[[CatalogRules, Verdicts, SchoolFacts], SchoolResult]


@dataclass(frozen=True)
class Family:
    name: str
    evaluate: RuleFunction
    # Criteria only đạt / không đạt (one level, indicators listed flat in the catalog).
    binary: bool = False
    # Level names and summary-table columns every page, export and dashboard uses.
    labels: FamilyLabels = BINARY


_FAMILIES: dict[str, Family] = {}


def register_family(
    name: str, evaluate: RuleFunction, *, binary: bool = False, labels: FamilyLabels | None = None
) -> Family:
    if name in _FAMILIES and _FAMILIES[name].evaluate is not evaluate:
        raise ValueError(f"Rule family {name!r} is registered twice.")
    family = Family(name, evaluate, binary, labels or (BINARY if binary else graded(3)))
    _FAMILIES[name] = family
    return family


def unregister_family(name: str) -> None:
    """For tests that register a throw-away family."""
    _FAMILIES.pop(name, None)


def get_family(name: str) -> Family:
    try:
        return _FAMILIES[name]
    except KeyError:
        raise EngineError("family", "unknown_family", name=name) from None


def family_names() -> list[str]:
    return list(_FAMILIES)


def evaluate(rules: CatalogRules, verdicts: Verdicts, facts: SchoolFacts | None = None) -> SchoolResult:
    """Evaluate an assessment under the rule family the catalog names."""
    return get_family(rules.family).evaluate(rules, verdicts, facts or SchoolFacts())


register_family(family2018.NAME, family2018.evaluate, labels=graded(3, school_top=4, has_level4=True))
register_family(legacy.NAME, legacy.evaluate, binary=True, labels=BINARY)
register_family(family2026.NAME, family2026.evaluate, labels=graded(2, has_accreditation=False))
