"""Reading a catalog's rule data into engine types.

The catalog states its rules as data (``rules.accreditation_levels``, ``rules.national_standard``,
each rung with a ``structured`` restatement next to the verbatim text). This module is the one
place that reads that data, so the importer validates with it and the selectors build with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from .types import CatalogRules, CriterionSpec, EngineError, LevelRule

ACCREDITATION = "accreditation_levels"
NATIONAL_STANDARD = "national_standard"


def _int(path: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EngineError(path, "not_whole_number")
    return int(value)


def _share(path: str, value: Any) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise EngineError(path, "not_share")
    try:
        # Through str so that 0.85 is exactly 17/20, not the nearest binary float.
        share = Fraction(str(value))
    except ValueError:
        raise EngineError(path, "not_share") from None
    if not 0 <= share <= 1:
        raise EngineError(path, "not_share")
    return share


def _required(path: str, structured: Mapping[str, Any]) -> tuple[str, ...] | None:
    if "required_criteria" not in structured:
        return ()
    value = structured["required_criteria"]
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise EngineError(path, "not_criterion_list")
    return tuple(value)


def ladder(rules: Mapping[str, Any] | None, section: str) -> tuple[LevelRule, ...]:
    """The rungs of ``rules[section]`` in level order; a rung without ``structured`` data is unknown."""
    data = (rules or {}).get(section) or {}
    if not isinstance(data, Mapping):
        raise EngineError(f"rules.{section}", "not_ladder")
    rungs = []
    for key, entry in data.items():
        if not str(key).isdigit():
            continue  # notes such as "evaluation_order" sit next to the rungs
        path = f"rules.{section}.{key}"
        entry = entry if isinstance(entry, Mapping) else {}
        structured = entry.get("structured")
        article = str(entry.get("article") or "")
        if not isinstance(structured, Mapping):
            rungs.append(LevelRule(level=int(key), article=article, known=False))
            continue
        p = f"{path}.structured"
        rungs.append(
            LevelRule(
                level=int(key),
                name=str(structured.get("name") or ""),
                article=article,
                school_level_required=_int(f"{p}.school_assessment_level_required",
                                           structured.get("school_assessment_level_required")),
                min_completed_cohorts=_int(f"{p}.min_completed_cohorts", structured.get("min_completed_cohorts")),
                min_years_operating=_int(f"{p}.min_years_operating", structured.get("min_years_operating")),
                min_years_of_data=_int(f"{p}.min_years_of_data", structured.get("min_years_of_data")),
                min_share=_share(f"{p}.min_share_criteria_met", structured.get("min_share_criteria_met")),
                max_share_exclusive=_share(f"{p}.max_share_exclusive", structured.get("max_share_exclusive")),
                required_criteria=_required(f"{p}.required_criteria", structured),
            )
        )
    return tuple(sorted(rungs, key=lambda rung: rung.level))


def build_catalog_rules(
    *,
    regulation: str,
    family: str,
    level_count: int,
    criteria: Iterable[tuple[str, Iterable[tuple[int, str, bool]]]],
    rules: Mapping[str, Any] | None,
    level4: Iterable[str] = (),
    version: str = "",
    complete: bool = True,
    expected_criteria: int | None = None,
    mandatory: Iterable[str] = (),
) -> CatalogRules:
    """CatalogRules from plain rows: ``criteria`` is [(number, [(level, key, repealed), ...]), ...] in order."""
    specs = []
    for number, indicators in criteria:
        active: dict[int, list[str]] = {}
        repealed: dict[int, list[str]] = {}
        for level, key, is_repealed in indicators:
            (repealed if is_repealed else active).setdefault(level, []).append(key)
        specs.append(
            CriterionSpec(
                number=number,
                indicators={level: tuple(keys) for level, keys in active.items()},
                repealed={level: tuple(keys) for level, keys in repealed.items()},
            )
        )
    return CatalogRules(
        regulation=regulation,
        version=version,
        family=family,
        level_count=level_count,
        criteria=tuple(specs),
        level4=tuple(level4),
        accreditation=ladder(rules, ACCREDITATION),
        national_standard=ladder(rules, NATIONAL_STANDARD),
        complete=complete,
        expected_criteria=expected_criteria,
        data=dict(rules or {}),
        mandatory=tuple(mandatory),
    )
