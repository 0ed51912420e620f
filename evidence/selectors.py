"""Reads of the evidence library. Every user-facing lookup starts from ``evidence_visible_to``.

Querysets carry their ``select_related``/``prefetch_related`` so that a page's query count does
not grow with the number of items.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from schools.models import School
from schools.selectors import schools_visible_to
from standards.models import Criterion, Regulation, RegulationVersion, Standard
from standards.selectors import regulation_for

from . import codes
from .models import Evidence
from .text import search_terms

SEARCH_LIMIT = 20

# A query that reads as the beginning of a code: "H", "h1-1.", "MC.1", "H1.01.0".
_CODE_PREFIX = re.compile(r"^[A-Za-z]{1,2}[0-9.\-]*$")


def _with_relations(qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
    shared = Criterion.objects.select_related("standard__version").order_by("standard__number", "position")
    return qs.select_related("school", "criterion__standard__version__regulation", "created_by").prefetch_related(
        Prefetch("shared_criteria", queryset=shared)
    )


def _ordered(qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return qs.order_by("criterion__standard__number", "criterion__position", "criterion__number", "sequence", "pk")


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Items of the schools the user reaches; another school's item does not exist for them (404)."""
    return _with_relations(Evidence.objects.filter(school__in=schools_visible_to(user).values("pk")))


def evidence_for_school(school: School, *, include_archived: bool = False) -> QuerySet[Evidence]:
    """The school's items in the order of the official list (standard, criterion, sequence).

    Archived items are left out unless asked for: they no longer belong to the library, though
    their codes stay taken (see ``evidence_by_code``).
    """
    qs = Evidence.objects.filter(school=school)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return _ordered(_with_relations(qs))


def evidence_for_regulation(school: School, regulation_id: int) -> QuerySet[Evidence]:
    """The school's items coded under one regulation (a TT57 report's list), in the official order."""
    return evidence_for_school(school).filter(criterion__standard__version__regulation_id=regulation_id).select_related(
        "carried_from__source"
    )


def evidence_for_report(school: School, regulation) -> QuerySet[Evidence]:
    """The items a report's evidence list shows, by the code scheme of its regulation.

    A TT57 report (round-bracket ``MC`` codes) lists only the items coded under its regulation;
    any other report lists the school's items except those ``MC`` ones, as it always did, so a
    2018 report stays exactly as it was after the school moved its library to TT57.
    """
    from .services import scheme_for_regulation

    items = evidence_for_school(school).select_related("carried_from__source")
    if scheme_for_regulation(regulation).style == codes.ROUND:
        return items.filter(criterion__standard__version__regulation_id=regulation.pk)
    round_ids = [r.pk for r in Regulation.objects.all() if scheme_for_regulation(r).style == codes.ROUND]
    return items.exclude(criterion__standard__version__regulation_id__in=round_ids)


def evidence_by_code(school: School) -> dict[str, Evidence]:
    """Every item of the school by code, archived ones included (check ``is_archived``).

    A citation of an archived item is a different problem from a citation of a code that never
    existed, so both are answerable from this one dictionary.
    """
    return {item.code: item for item in evidence_for_school(school, include_archived=True)}


def evidence_for_criterion(school: School, criterion: Criterion) -> QuerySet[Evidence]:
    """Items a report may cite under ``criterion``: coded there or declared shared with it.

    Matched by regulation and criterion number, so that the versions of one regulation (original,
    amended) share their evidence.
    """
    regulation_id = criterion.standard.version.regulation_id
    same = Q(criterion__standard__version__regulation_id=regulation_id, criterion__number=criterion.number)
    shared_ids = Evidence.shared_criteria.through.objects.filter(
        criterion__standard__version__regulation_id=regulation_id, criterion__number=criterion.number
    ).values("evidence_id")
    return _ordered(
        _with_relations(Evidence.objects.filter(school=school, is_archived=False).filter(same | Q(pk__in=shared_ids)))
    )


class Status:
    """The library's status filter."""

    ALL = ""
    VALID = "valid"
    EXPIRED = "expired"
    WITH_FILE = "file"
    WITHOUT_FILE = "nofile"
    SHARED = "shared"
    ARCHIVED = "archived"

    CHOICES = [VALID, EXPIRED, WITH_FILE, WITHOUT_FILE, SHARED, ARCHIVED]


@dataclass(frozen=True)
class LibraryFilter:
    standard: int | None = None
    criterion: str = ""  # a criterion number such as "1.10"
    box: int | None = None
    query: str = ""
    status: str = Status.ALL
    # The regulation whose codes the list shows (a school moving to TT57 has items of both); not a
    # narrowing the user asked for, so it does not count in ``active``.
    regulation: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.standard or self.criterion or self.box or self.query or self.status)


def evidence_library(school: School, filters: LibraryFilter, *, today: datetime.date | None = None) -> QuerySet[Evidence]:
    """The library page: the school's items filtered; a criterion filter includes items shared with it."""
    today = today or timezone.localdate()
    qs = Evidence.objects.filter(school=school)
    qs = qs.filter(is_archived=True) if filters.status == Status.ARCHIVED else qs.filter(is_archived=False)
    if filters.regulation:
        qs = qs.filter(criterion__standard__version__regulation_id=filters.regulation)
    if filters.standard:
        qs = qs.filter(criterion__standard__number=filters.standard)
    if filters.criterion:
        shared_ids = Evidence.shared_criteria.through.objects.filter(criterion__number=filters.criterion).values(
            "evidence_id"
        )
        qs = qs.filter(Q(criterion__number=filters.criterion) | Q(pk__in=shared_ids))
    if filters.box:
        qs = qs.filter(box=filters.box)
    for term in search_terms(filters.query):
        qs = qs.filter(search_text__contains=term)
    if filters.status == Status.EXPIRED:
        qs = qs.filter(valid_until__lt=today)
    elif filters.status == Status.VALID:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    elif filters.status == Status.WITH_FILE:
        qs = qs.exclude(file="")
    elif filters.status == Status.WITHOUT_FILE:
        qs = qs.filter(file="")
    elif filters.status == Status.SHARED:
        qs = qs.filter(pk__in=Evidence.shared_criteria.through.objects.values("evidence_id"))
    # The page shows criterion numbers and titles only: lighter rows than _with_relations.
    shared = Criterion.objects.only("id", "number").order_by("standard__number", "position")
    return _ordered(
        qs.select_related("criterion", "carried_from__source").prefetch_related(Prefetch("shared_criteria", queryset=shared))
    )


@dataclass(frozen=True)
class LibraryRegulation:
    """A regulation the school has items coded under, for the library's switch."""

    id: int
    code: str
    scheme: codes.Scheme
    count: int


def library_regulation(school: School, regulation_id: int | None):
    """The regulation ``regulation_id`` if the school has items coded under it, else None."""
    if regulation_id is None:
        return None
    has_items = Evidence.objects.filter(school=school, criterion__standard__version__regulation_id=regulation_id)
    return Regulation.objects.filter(pk=regulation_id).first() if has_items.exists() else None


def library_regulations(school: School) -> list[LibraryRegulation]:
    """The regulations of the school's items (newest first), with their code schemes; one query."""
    from .services import scheme_for_regulation

    rows = (
        Evidence.objects.filter(school=school, is_archived=False)
        .values("criterion__standard__version__regulation_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["criterion__standard__version__regulation_id"]: row["count"] for row in rows}
    regulations = Regulation.objects.filter(pk__in=counts).order_by("-effective", "code")
    return [LibraryRegulation(r.pk, r.code, scheme_for_regulation(r), counts[r.pk]) for r in regulations]


def evidence_search(
    school: School, query: str, *, limit: int = SEARCH_LIMIT, regulation_id: int | None = None
) -> list[Evidence]:
    """Items for the citation autocomplete: codes starting with the query first, then name matches.

    ``[H1-1.`` and ``h1-1.`` both look for codes beginning ``H1-1.``, ``(MC.1`` for ``MC.1``;
    "bien ban hop" finds "Biên bản họp ...". Archived items are never offered. With
    ``regulation_id`` (a report's regulation) only the items coded under it: a TT57 report cites
    ``MC`` codes, never the ``H`` codes of the same school's 2018 items. At most ``limit`` results,
    two queries.
    """
    text = (query or "").strip().lstrip("[(").strip()
    base = Evidence.objects.filter(school=school, is_archived=False).select_related("criterion")
    if regulation_id is not None:
        base = base.filter(criterion__standard__version__regulation_id=regulation_id)
    results: list[Evidence] = []
    if not text:
        return list(_ordered(base)[:limit])
    if _CODE_PREFIX.match(text):
        results = list(_ordered(base.filter(code__startswith=text.upper()))[:limit])
    terms = search_terms(text)
    if terms and len(results) < limit:
        by_name = base.exclude(pk__in=[item.pk for item in results])
        for term in terms:
            by_name = by_name.filter(search_text__contains=term)
        results.extend(_ordered(by_name)[: limit - len(results)])
    return results


def search_url(school_id: int, regulation_id: int | None = None) -> str:
    """The autocomplete's URL for a report of the school (``regulation_id``: the report's regulation)."""
    from django.urls import reverse

    url = f"{reverse('evidence:evidence_search')}?school={school_id}"
    return f"{url}&regulation={regulation_id}" if regulation_id else url


@dataclass(frozen=True)
class LibraryStats:
    total: int
    with_file: int
    expired: int
    archived: int
    shared: int
    boxes: int


def evidence_stats(
    school: School, *, today: datetime.date | None = None, regulation_id: int | None = None
) -> LibraryStats:
    """Counts for the library header, in one query (of one regulation's items when it is given)."""
    today = today or timezone.localdate()
    active = Q(is_archived=False)
    items = Evidence.objects.filter(school=school)
    if regulation_id is not None:
        items = items.filter(criterion__standard__version__regulation_id=regulation_id)
    # The join to shared criteria repeats rows, hence distinct counts of items.
    row = items.aggregate(
        total=Count("pk", filter=active, distinct=True),
        with_file=Count("pk", filter=active & ~Q(file=""), distinct=True),
        expired=Count("pk", filter=active & Q(valid_until__lt=today), distinct=True),
        archived=Count("pk", filter=Q(is_archived=True), distinct=True),
        shared=Count("pk", filter=active & Q(shared_criteria__isnull=False), distinct=True),
        boxes=Count("box", filter=active, distinct=True),
    )
    return LibraryStats(**{key: value or 0 for key, value in row.items()})


def boxes_in_use(school: School) -> list[int]:
    return list(
        Evidence.objects.filter(school=school, is_archived=False).values_list("box", flat=True).distinct().order_by("box")
    )


# --- criteria --------------------------------------------------------------------------------


def version_for_school(school: School, on: datetime.date | None = None) -> RegulationVersion | None:
    """The regulation version the school is assessed under on ``on`` (today), from the standards app."""
    return regulation_for(school.level, on or timezone.localdate())


def criteria_for_school(school: School, *, version: RegulationVersion | None = None) -> list[Criterion]:
    """Criteria an item of the school may be coded under: those of the version in force, in order.

    Criteria repealed by an amendment, or not applying to the school's level, are left out.
    """
    version = version or version_for_school(school)
    if version is None:
        return []
    criteria = (
        Criterion.objects.filter(standard__version=version, is_repealed=False, standard__is_repealed=False)
        .select_related("standard__version__regulation")
        .order_by("standard__position", "position")
    )
    return [c for c in criteria if not c.applies_to or school.level in c.applies_to]


def criterion_for_school(school: School, pk: int) -> Criterion | None:
    """A criterion the school may use (of a regulation covering its level), or None."""
    criterion = (
        Criterion.objects.select_related("standard__version__regulation").filter(pk=pk, is_repealed=False).first()
    )
    if criterion is None:
        return None
    regulation = criterion.standard.version.regulation
    if school.level not in (regulation.school_levels or []):
        return None
    if criterion.applies_to and school.level not in criterion.applies_to:
        return None
    return criterion


def standards_for_filter(criteria: list[Criterion]) -> list[Standard]:
    seen: dict[int, Standard] = {}
    for criterion in criteria:
        seen.setdefault(criterion.standard.number, criterion.standard)
    return list(seen.values())


def next_sequence_hint(school: School, criterion: Criterion) -> int:
    """The sequence the next item of this criterion would get (shown in the form, not binding)."""
    top = Evidence.objects.filter(
        school=school,
        criterion__standard__version__regulation_id=criterion.standard.version.regulation_id,
        criterion__number=criterion.number,
    ).aggregate(top=Max("sequence"))["top"]
    return (top or 0) + 1


def code_previews(school: School, criteria: list[Criterion]) -> dict[str, dict]:
    """For the create form: per criterion id, the code the next item would get and how to rebuild it
    with another box (the scheme's template and numbers). One query for all criteria."""
    from .services import scheme_for

    tops: dict[tuple[int, str], int] = {}
    rows = (
        Evidence.objects.filter(school=school)
        .values_list("criterion__standard__version__regulation_id", "criterion__number")
        .annotate(top=Max("sequence"))
        .order_by()
    )
    for regulation_id, number, top in rows:
        tops[(regulation_id, number)] = top or 0
    previews = {}
    for criterion in criteria:
        try:
            standard, number = codes.split_criterion_number(criterion.number)
        except ValueError:
            continue
        scheme = scheme_for(criterion)
        sequence = tops.get((criterion.standard.version.regulation_id, criterion.number), 0) + 1
        previews[str(criterion.pk)] = {
            "template": scheme.template,
            "box": standard,
            "std": standard,
            "crit": number,
            "seq": sequence,
            "code": codes.format_code(scheme, box=standard, standard=standard, criterion=number, sequence=sequence),
        }
    return previews


def preview_code(school: School, criterion: Criterion, box: int | None = None) -> str:
    """The code the next item of the criterion would get, for the form's hint."""
    from .services import scheme_for

    standard, number = codes.split_criterion_number(criterion.number)
    return codes.format_code(
        scheme_for(criterion), box=box or standard, standard=standard, criterion=number,
        sequence=next_sequence_hint(school, criterion),
    )
