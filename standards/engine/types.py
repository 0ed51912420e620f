"""Value types shared by every rule family.

Plain frozen dataclasses: the engine never sees a Django model, so it can be tested on its own and
called from a management command, a view or a report service alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Input problems the engine reports, by code; the Django side words them in Vietnamese.
ERROR_MESSAGES = {
    "both_or_neither": "give either indicator verdicts or criterion levels, not both or neither",
    "unknown_criterion": "unknown criterion",
    "missing_criterion": "missing criterion",
    "level_out_of_range": "level out of range {low}..{high}",
    "unknown_indicator": "unknown indicator",
    "not_boolean": "expected true or false",
    "unknown_level4": "unknown Mức 4 requirement",
    "unknown_family": "unknown rule family {name!r}",
    "not_whole_number": "expected a whole number ≥ 0",
    "not_share": "expected a share between 0 and 1",
    "not_criterion_list": "expected a list of criterion numbers or null",
    "not_ladder": "expected an object keyed by level",
    "rule_missing": "the catalog lacks this rule",
}


class EngineError(ValueError):
    """Bad input to the engine: ``field`` is the dotted path of the offending value, ``code`` says what is wrong."""

    def __init__(self, field: str, code: str, **params: Any):
        self.field = field
        self.code = code
        self.params = params
        self.message = ERROR_MESSAGES.get(code, code).format(**params)
        super().__init__(f"{field}: {self.message}" if field else self.message)


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion (tiêu chí) as the engine sees it: its indicator keys per level.

    ``indicators`` holds only the indicators in force; repealed ones are listed apart so that a
    verdict given for them is accepted and ignored, and so that an explanation can mention them.
    """

    number: str
    indicators: Mapping[int, tuple[str, ...]]
    repealed: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_assessed(self) -> bool:
        """False when every indicator of the criterion is repealed: it then drops out of the school result."""
        return any(self.indicators.values())

    def knows(self, level: int, key: str) -> bool:
        return key in self.indicators.get(level, ()) or key in self.repealed.get(level, ())


@dataclass(frozen=True)
class LevelRule:
    """One rung of a ladder (accreditation Cấp độ k or national standard Mức độ k), as the catalog states it.

    ``known`` is False when the catalog has the rung but not its rule; a None field means the
    rule sets no such condition, except ``required_criteria`` where None means "a list exists but
    is not known" and an empty tuple means "no list".
    """

    level: int
    name: str = ""
    article: str = ""
    known: bool = True
    school_level_required: int | None = None
    min_completed_cohorts: int | None = None
    min_years_operating: int | None = None
    # Consecutive school years of self-assessment data (TT57/2026 Điều 16 điểm b).
    min_years_of_data: int | None = None
    min_share: Fraction | None = None
    max_share_exclusive: Fraction | None = None
    required_criteria: tuple[str, ...] | None = ()


@dataclass(frozen=True)
class CatalogRules:
    """Everything a rule family needs from one version of one regulation."""

    regulation: str
    family: str
    level_count: int
    criteria: tuple[CriterionSpec, ...]
    version: str = ""
    level4: tuple[str, ...] = ()
    accreditation: tuple[LevelRule, ...] = ()
    national_standard: tuple[LevelRule, ...] = ()
    # Whether the catalog holds every criterion of the regulation (legacy shares need the full denominator).
    complete: bool = True
    expected_criteria: int | None = None
    # The catalog's rule data as given, for families that need more than the ladders (e.g. mandatory criteria).
    data: Mapping[str, Any] = field(default_factory=dict)
    # Criteria the catalog flags as mandatory (tiêu chí bắt buộc, TT57/2026).
    mandatory: tuple[str, ...] = ()

    def criterion(self, number: str) -> CriterionSpec | None:
        for spec in self.criteria:
            if spec.number == number:
                return spec
        return None


@dataclass(frozen=True)
class SchoolFacts:
    """Facts about the school that preconditions look at; None when not known."""

    completed_cohorts: int | None = None
    years_operating: int | None = None
    # Consecutive school years with self-assessment data up to the assessed year (TT57/2026).
    years_of_data: int | None = None


@dataclass(frozen=True)
class Verdicts:
    """The assessment to evaluate: indicator verdicts, or the level each criterion reached.

    ``indicators``: criterion number -> level -> indicator key -> met (đạt). A missing verdict
    counts as not met (not yet assessed). ``criteria``: criterion number -> level reached (the
    legacy family reads 1/True as đạt). Exactly one of the two is given.
    ``level4``: Mức 4 requirement number -> met.
    """

    indicators: Mapping[str, Mapping[int, Mapping[str, bool]]] | None = None
    criteria: Mapping[str, int] | None = None
    level4: Mapping[str, bool] = field(default_factory=dict)

    def indicator(self, criterion: str, level: int, key: str) -> bool:
        return bool(((self.indicators or {}).get(criterion) or {}).get(level, {}).get(key, False))


@dataclass(frozen=True)
class Blocker:
    """One reason why something did not reach a level.

    ``code`` is stable (tests, other apps and the message catalogue key on it); ``target`` says
    what is blocked: "criterion", "school_level", "accreditation" or "national_standard";
    ``level`` is the level that is blocked.
    """

    code: str
    target: str
    level: int
    criterion: str = ""
    indicator_level: int | None = None
    indicator_key: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "target": self.target, "level": self.level}
        if self.criterion:
            data["criterion"] = self.criterion
        if self.indicator_key:
            data["indicator_level"] = self.indicator_level
            data["indicator"] = self.indicator_key
        data.update(self.detail)
        return data


# Blocker codes, in one place.
INDICATOR_NOT_MET = "indicator_not_met"
CRITERION_BELOW = "criterion_below"
CRITERION_NOT_MET = "criterion_not_met"
LEVEL4_NOT_MET = "level4_not_met"
PRECONDITION_NOT_MET = "precondition_not_met"
PRECONDITION_UNKNOWN = "precondition_unknown"
RULE_MISSING = "rule_missing"
SHARE_TOO_LOW = "share_too_low"
REQUIRED_CRITERION_NOT_MET = "required_criterion_not_met"
CATALOG_INCOMPLETE = "catalog_incomplete"
# TT57/2026 (khoản 3 Điều 5).
MANDATORY_BELOW = "mandatory_criterion_below"
OTHERS_TOO_FEW = "others_too_few"
OTHER_BELOW_MINIMUM = "other_criterion_below_minimum"


@dataclass(frozen=True)
class CriterionResult:
    """A criterion's level (None when every indicator is repealed) and what blocks the next level."""

    number: str
    level: int | None
    max_level: int
    blockers: tuple[Blocker, ...] = ()

    @property
    def met(self) -> bool:
        return bool(self.level)

    @property
    def counted_level(self) -> int:
        """The level of an assessed criterion (``assessed()`` keeps only those), as a whole number."""
        return self.level or 0


@dataclass(frozen=True)
class SchoolResult:
    """The school's result under one regulation version, with its explanation.

    ``school_level`` is the Mức (None in families without Mức); ``accreditation_level`` and
    ``national_standard`` are 0 when not reached and None when the catalog lacks the rule needed
    to decide. ``blockers`` explain the school's next level, its accreditation and national
    standard; each criterion carries its own.
    """

    regulation: str
    family: str
    criteria: Mapping[str, CriterionResult]
    school_level: int | None
    accreditation_level: int | None
    national_standard: int | None
    blockers: tuple[Blocker, ...] = ()
    version: str = ""
    criteria_met: int | None = None
    criteria_total: int | None = None
    # Families whose criteria are only đạt / không đạt report them as booleans.
    binary_criteria: bool = False

    def criterion_value(self, number: str) -> int | bool | None:
        level = self.criteria[number].level
        if self.binary_criteria and level is not None:
            return bool(level)
        return level

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``manage.py compute_level`` (without the human-readable messages)."""
        data: dict[str, Any] = {
            "regulation": self.regulation,
            "version": self.version,
            "criteria": {number: self.criterion_value(number) for number in self.criteria},
            "school_level": self.school_level,
            "accreditation_level": self.accreditation_level,
            "national_standard": self.national_standard,
            "blockers": [b.as_dict() for b in self.blockers],
            "criteria_blockers": {
                number: [b.as_dict() for b in result.blockers]
                for number, result in self.criteria.items()
                if result.blockers
            },
        }
        if self.criteria_total is not None:
            data["criteria_met"] = self.criteria_met
            data["criteria_total"] = self.criteria_total
        return data
