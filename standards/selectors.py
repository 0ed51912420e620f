"""Reads of the standards app: catalogs for pages, the regulation in force, engine inputs.

Catalogs are public law, so nothing here is scoped by user; the views still require
"catalog.view" (a logged-in, active account).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from schools.models import School, SchoolYear

from . import engine
from .catalog import CatalogSpec
from .diff import CatalogDiff, catalog_diff
from .models import CatalogImport, Criterion, Indicator, Level4Requirement, Regulation, RegulationVersion, Standard


def regulation_list() -> list[Regulation]:
    """Every regulation with its versions and the sizes of its base catalog (four queries in all)."""
    regulations = list(
        Regulation.objects.prefetch_related(
            Prefetch("versions", queryset=RegulationVersion.objects.filter(is_repealed=False).order_by("position"))
        )
    )
    criteria = dict(
        Criterion.objects.filter(standard__version__is_base=True, is_repealed=False)
        .values_list("standard__version__regulation_id")
        .annotate(n=Count("id"))
    )
    indicators = defaultdict(dict)
    for regulation_id, level, n in (
        Indicator.objects.filter(criterion__standard__version__is_base=True, is_repealed=False)
        .values_list("criterion__standard__version__regulation_id", "level")
        .annotate(n=Count("id"))
    ):
        indicators[regulation_id][level] = n
    for regulation in regulations:
        regulation.criteria_count = criteria.get(regulation.id, 0)
        regulation.indicator_counts = [
            indicators[regulation.id].get(level, 0) for level in range(1, regulation.level_count + 1)
        ]
    return regulations


def regulation_get(pk: int) -> Regulation:
    return Regulation.objects.prefetch_related(
        Prefetch("versions", queryset=RegulationVersion.objects.order_by("position"))
    ).get(pk=pk)


def version_in_force(versions: Iterable[RegulationVersion], on_date: datetime.date) -> RegulationVersion | None:
    """The latest version effective on ``on_date``; a version without a date counts only as the base."""
    candidates = [
        v for v in versions
        if not v.is_repealed and (v.effective is None and v.is_base or v.effective and v.effective <= on_date)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.effective or datetime.date.min, v.position))


def regulations_applicable() -> list[Regulation]:
    """Regulations that can apply to a school (drafts never do), with their versions: pass to the helpers below."""
    return list(
        Regulation.objects.exclude(status=Regulation.Status.DRAFT).prefetch_related(
            Prefetch("versions", queryset=RegulationVersion.objects.order_by("position"))
        )
    )


def school_year_of(on_date: datetime.date) -> str:
    """The school year a day belongs to, taken as 1 September to 31 August ("2026-2027")."""
    first = on_date.year if on_date.month >= 9 else on_date.year - 1
    return f"{first}-{first + 1}"


def _regulation_on(
    regulations: list[Regulation], school_level: str, on_date: datetime.date, school_year: str | None = None
) -> Regulation | None:
    """Among the regulations covering the level, the one that took effect last before ``on_date``.

    An unknown effective date (TT25/2014) counts as "since always", so the regulation applies
    until a successor takes effect. A regulation with a first school year (TT57/2026: 2026-2027)
    applies only from that school year, whatever its effective date.
    """
    school_year = school_year or school_year_of(on_date)
    candidates = [
        r for r in regulations
        if school_level in (r.school_levels or []) and (r.effective is None or r.effective <= on_date)
        and (not r.first_school_year or r.first_school_year <= school_year)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.effective or datetime.date.min, r.status == Regulation.Status.CURRENT))


def regulation_for(
    school_level: str, on_date: datetime.date, *, regulations: list[Regulation] | None = None,
    school_year: str | None = None,
) -> RegulationVersion | None:
    """The regulation version a school of ``school_level`` (School.Level) is assessed under on ``on_date``.

    TT57/2026 (Phụ lục I preschool, Phụ lục II general schools) from the 2026-2027 school year;
    before it TT17 (primary), TT18 (thcs, thpt, multi) and TT19 (preschool) from 10/10/2018, as
    amended by TT22/2024 from 25/01/2025; TT42/2012 and TT25/2014 before. ``school_year`` ("2026-2027")
    is the report's school year; when not given, the one ``on_date`` falls in (1/9 to 31/8). Drafts
    never apply. The returned version has ``regulation`` loaded.
    """
    regulations = regulations_applicable() if regulations is None else regulations
    regulation = _regulation_on(regulations, school_level, on_date, school_year)
    if regulation is None:
        return None
    version = version_in_force(regulation.versions.all(), on_date)
    if version is not None:
        version.regulation = regulation
    return version


def versions_in_force_ids(on_date: datetime.date, *, regulations: list[Regulation] | None = None) -> set[int]:
    """Ids of the versions some school level is assessed under on ``on_date`` (what "đang áp dụng" means)."""
    regulations = regulations_applicable() if regulations is None else regulations
    found = (regulation_for(level, on_date, regulations=regulations) for level in School.Level.values)
    return {version.pk for version in found if version is not None}


@dataclass(frozen=True)
class Period:
    """A stretch of days in which one regulation version applies."""

    version: RegulationVersion | None
    start: datetime.date
    end: datetime.date


def _first_school_year_start(regulation: Regulation) -> datetime.date | None:
    if not regulation.first_school_year:
        return None
    return school_year_bounds_default(int(regulation.first_school_year[:4]))[0]


def regulation_periods(
    school_level: str, start: datetime.date, end: datetime.date, *, regulations: list[Regulation] | None = None,
    school_year: str | None = None,
) -> list[Period]:
    """The versions that apply to ``school_level`` between ``start`` and ``end`` (inclusive), in order.

    ``school_year``: the days all belong to that school year (the schedule of one year), so that a
    regulation applying from a school year (TT57/2026) covers all of it or none of it.
    """
    regulations = regulations_applicable() if regulations is None else regulations
    changes = sorted({
        d for r in regulations if school_level in (r.school_levels or [])
        for d in [r.effective, _first_school_year_start(r), *(v.effective for v in r.versions.all())]
        if d and start < d <= end
    })
    periods: list[Period] = []
    for day in [start, *changes]:
        version = regulation_for(school_level, day, regulations=regulations, school_year=school_year)
        if periods and periods[-1].version == version:
            continue
        if periods:
            periods[-1] = Period(periods[-1].version, periods[-1].start, day - datetime.timedelta(days=1))
        periods.append(Period(version, day, end))
    return periods


def school_year_bounds_default(first_year: int) -> tuple[datetime.date, datetime.date]:
    """A school year taken as 1 September to 31 August, when no SchoolYear row says otherwise."""
    return datetime.date(first_year, 9, 1), datetime.date(first_year + 1, 8, 31)


def school_year_bounds(code: str) -> tuple[datetime.date, datetime.date]:
    """Start and end of a school year: the SchoolYear row when there is one, else the default bounds."""
    row = SchoolYear.objects.filter(code=code).first()
    if row is not None:
        return row.start_date, row.end_date
    return school_year_bounds_default(int(code[:4]))


# --- One version's catalog, for the pages ---------------------------------------------------


@dataclass
class CriterionView:
    criterion: Criterion
    levels: list[tuple[int, list[Indicator]]]
    matched: bool = True


@dataclass
class StandardView:
    standard: Standard
    criteria: list[CriterionView] = field(default_factory=list)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so that "phuong huong" finds "Phương hướng"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def search_words(query: str) -> list[str]:
    return [_fold(word) for word in query.split() if word.strip()]


def version_tree(version: RegulationVersion, *, query: str = "") -> list[StandardView]:
    """Standards > criteria > indicators by level of one version (three queries), filtered by words.

    A criterion matches when every word occurs in its number, title or one of its indicators.
    """
    criteria = list(
        Criterion.objects.filter(standard__version=version)
        .order_by("position")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("level", "position")))
    )
    by_standard: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        by_standard[criterion.standard_id].append(criterion)
    level_count = version.regulation.level_count
    words = search_words(query)
    tree = []
    for standard in version.standards.order_by("position"):
        view = StandardView(standard)
        for criterion in by_standard[standard.id]:
            indicators = list(criterion.indicators.all())
            levels = [(level, [i for i in indicators if i.level == level]) for level in range(1, level_count + 1)]
            if words:
                haystack = _fold(" ".join([criterion.number, criterion.title, *(i.text for i in indicators)]))
                if not all(word in haystack for word in words):
                    continue
            view.criteria.append(CriterionView(criterion, levels))
        if view.criteria or not words:
            tree.append(view)
    return tree


def level4_requirements(version: RegulationVersion) -> QuerySet[Level4Requirement]:
    return version.level4_requirements.order_by("position")


# --- Engine inputs ----------------------------------------------------------------------------


def catalog_rules_for(version: RegulationVersion) -> engine.CatalogRules:
    """The engine's view of one version: criteria with their indicators in force, Mức 4, the rule data."""
    regulation = version.regulation
    rows = (
        Indicator.objects.filter(criterion__standard__version=version, criterion__is_repealed=False)
        .order_by("criterion__position", "level", "position")
        .values_list("criterion__number", "level", "key", "is_repealed")
    )
    indicators: dict[str, list[tuple[int, str, bool]]] = {}
    for number, level, key, repealed in rows:
        indicators.setdefault(number, []).append((level, key, repealed))
    rows = list(
        Criterion.objects.filter(standard__version=version, is_repealed=False)
        .order_by("position")
        .values_list("number", "mandatory")
    )
    numbers = [number for number, _mandatory in rows]
    level4 = [
        str(n) for n in version.level4_requirements.filter(is_repealed=False).order_by("position")
        .values_list("number", flat=True)
    ]
    return engine.build_catalog_rules(
        regulation=regulation.code,
        version=version.code,
        family=regulation.family,
        level_count=regulation.level_count,
        criteria=[(number, indicators.get(number, [])) for number in numbers],
        level4=level4,
        rules=regulation.rules,
        complete=regulation.is_complete,
        expected_criteria=regulation.expected_criteria,
        mandatory=[number for number, mandatory in rows if mandatory],
    )


def verdicts_from_indicators(
    verdicts: Iterable[tuple[Indicator, bool]], *, level4: Mapping[int, bool] | None = None
) -> engine.Verdicts:
    """Engine verdicts from (Indicator, met) pairs, e.g. a report's rows with ``indicator`` selected."""
    tree: dict[str, dict[int, dict[str, bool]]] = {}
    for indicator, met in verdicts:
        tree.setdefault(indicator.criterion.number, {}).setdefault(indicator.level, {})[indicator.key] = bool(met)
    return engine.Verdicts(
        indicators=tree, level4={str(number): bool(met) for number, met in (level4 or {}).items()}
    )


def evaluate_version(
    version: RegulationVersion, verdicts: engine.Verdicts, facts: engine.SchoolFacts | None = None
) -> engine.SchoolResult:
    """Evaluate an assessment under ``version``; criteria not assessed yet count as không đạt.

    Unlike the strict engine, a report in progress may lack whole criteria: they are filled in as
    not met, so that the result shows what is still missing instead of refusing to answer.
    """
    rules = catalog_rules_for(version)
    if verdicts.indicators is not None:
        filled = {spec.number: verdicts.indicators.get(spec.number, {}) for spec in rules.criteria}
        verdicts = engine.Verdicts(indicators=filled, level4=verdicts.level4)
    return engine.evaluate(rules, verdicts, facts)


# --- Imports ----------------------------------------------------------------------------------


def catalog_imports_recent(limit: int = 10) -> QuerySet[CatalogImport]:
    return CatalogImport.objects.select_related("created_by", "decided_by").order_by("-created_at")[:limit]


@dataclass
class ImportPreview:
    catalog_import: CatalogImport
    spec: CatalogSpec | None
    diff: CatalogDiff | None
    is_stale: bool
    errors: list = field(default_factory=list)


def catalog_import_preview(catalog_import: CatalogImport) -> ImportPreview:
    """The diff between the catalog in force and the uploaded one, and whether the former moved since."""
    from .exporters import catalog_dict, catalog_fingerprint
    from .importers import validate_catalog

    spec, errors, _warnings = validate_catalog(catalog_import.payload_data)
    current = Regulation.objects.filter(code=catalog_import.regulation_code).first()
    current_data = catalog_dict(current) if current else None
    old_spec = validate_catalog(current_data)[0] if current_data is not None else None
    diff = catalog_diff(old_spec, spec) if spec is not None else None
    return ImportPreview(
        catalog_import=catalog_import,
        spec=spec,
        diff=diff,
        is_stale=catalog_fingerprint(current_data) != catalog_import.base_fingerprint,
        errors=errors,
    )
