"""Small catalogs for the engine tests, written by hand; rule data read from the bundled catalogs."""

from __future__ import annotations

import json
from pathlib import Path

from standards import engine

DATA = Path(__file__).resolve().parents[1] / "data"


def catalog_rules_data(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["rules"]


TT18_RULES = catalog_rules_data("tt18_2018.json")
TT19_RULES = catalog_rules_data("tt19_2018.json")
TT42_PRIMARY_RULES = catalog_rules_data("tt42_2012_primary.json")

# Three criteria: 1.1 has all three levels, 1.2 has no Mức 3 indicator, 2.1 has a repealed Mức 2 "a".
SMALL_2018 = [
    ("1.1", [(1, "a", False), (1, "b", False), (1, "c", False), (2, "a", False), (3, "a", False)]),
    ("1.2", [(1, "a", False), (1, "b", False), (2, "a", False), (2, "b", False)]),
    ("2.1", [(1, "a", False), (1, "b", False), (2, "a", True), (2, "b", False), (3, "a", False)]),
]


def rules_2018(criteria=SMALL_2018, *, rules=TT18_RULES, level4=("1", "2"), **kwargs) -> engine.CatalogRules:
    return engine.build_catalog_rules(
        regulation="TT18/2018", family="2018", level_count=3, criteria=criteria, rules=rules, level4=level4,
        **kwargs,
    )


def all_met(rules: engine.CatalogRules) -> dict:
    """Indicator verdicts with every indicator in force met."""
    return {
        spec.number: {level: dict.fromkeys(keys, True) for level, keys in spec.indicators.items()}
        for spec in rules.criteria
    }


def with_verdict(indicators: dict, criterion: str, level: int, key: str, met: bool) -> dict:
    copy = {n: {lv: dict(keys) for lv, keys in levels.items()} for n, levels in indicators.items()}
    copy.setdefault(criterion, {}).setdefault(level, {})[key] = met
    return copy


def evaluate(rules, indicators=None, *, criteria=None, level4=None, cohorts=1, years=10):
    verdicts = engine.Verdicts(indicators=indicators, criteria=criteria, level4=level4 or {})
    return engine.evaluate(rules, verdicts, engine.SchoolFacts(completed_cohorts=cohorts, years_operating=years))


# TT42 primary: 28 criteria (5 standards of 7, 5, 6, 3, 7), indicators a, b, c each.
TT42_PRIMARY_CRITERIA = [
    f"{standard}.{n}" for standard, size in ((1, 7), (2, 5), (3, 6), (4, 3), (5, 7)) for n in range(1, size + 1)
]
# Điều 31 khoản 1 điểm b: the criteria Cấp độ 2 requires.
TT42_LEVEL2_REQUIRED = [
    "1.1", "1.2", "1.4", "1.6", "2.1", "2.2", "2.3", "2.5", "3.6", "4.1", "5.1", "5.2", "5.4", "5.6", "5.7",
]


def rules_legacy(*, rules=TT42_PRIMARY_RULES, criteria=None, complete=True) -> engine.CatalogRules:
    numbers = criteria or TT42_PRIMARY_CRITERIA
    return engine.build_catalog_rules(
        regulation="TT42/2012-TH", family="legacy", level_count=1,
        criteria=[(n, [(1, "a", False), (1, "b", False), (1, "c", False)]) for n in numbers],
        rules=rules, complete=complete, expected_criteria=28,
    )


def legacy_met(met: set[str], numbers=TT42_PRIMARY_CRITERIA) -> dict:
    return {n: {1: dict.fromkeys("abc", n in met)} for n in numbers}
