"""The level engine: plain Python, no Django. One module per rule family.

Entry point: ``evaluate(rules, verdicts, facts) -> SchoolResult``. ``rules`` comes from
``standards.selectors.catalog_rules_for(version)`` (or ``build_catalog_rules`` in tests).
"""

from .labels import FamilyLabels
from .registry import evaluate, family_names, get_family, register_family, unregister_family
from .rules import build_catalog_rules, ladder
from .types import (
    Blocker,
    CatalogRules,
    CriterionResult,
    CriterionSpec,
    EngineError,
    LevelRule,
    SchoolFacts,
    SchoolResult,
    Verdicts,
)

__all__ = [
    "Blocker",
    "CatalogRules",
    "CriterionResult",
    "CriterionSpec",
    "EngineError",
    "FamilyLabels",
    "LevelRule",
    "SchoolFacts",
    "SchoolResult",
    "Verdicts",
    "build_catalog_rules",
    "evaluate",
    "family_names",
    "get_family",
    "ladder",
    "register_family",
    "unregister_family",
]
