"""Factories for the evidence tests: small regulation catalogs and evidence items.

The catalogs are built here rather than loaded from the bundled JSON so that each test states
the structure it relies on (and stays fast).
"""

from __future__ import annotations

import datetime

import factory

from evidence.models import Evidence
from standards.models import Criterion, Regulation, RegulationVersion, Standard


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation
        django_get_or_create = ("code",)

    code = "TT18/2018"
    title = "Quy định về kiểm định chất lượng giáo dục trường trung học"
    school_levels = ["thcs", "thpt", "multi"]
    family = "2018"
    evidence_code_scheme = "Hn-a.b-c"
    status = Regulation.Status.CURRENT
    effective = datetime.date(2018, 10, 10)


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegulationVersion
        django_get_or_create = ("regulation", "code")

    regulation = factory.SubFactory(RegulationFactory)
    code = "original"
    is_base = True
    effective = datetime.date(2018, 10, 10)


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("version", "number")

    version = factory.SubFactory(VersionFactory)
    number = 1
    title = factory.LazyAttribute(lambda o: f"Tiêu chuẩn số {o.number}")
    position = factory.LazyAttribute(lambda o: o.number)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion
        django_get_or_create = ("standard", "number")

    standard = factory.SubFactory(StandardFactory)
    number = "1.1"
    title = factory.LazyAttribute(lambda o: f"Tiêu chí {o.number}")
    position = factory.LazyAttribute(lambda o: int(o.number.split(".")[1]))


def build_catalog(version: RegulationVersion, numbers: list[str]) -> dict[str, Criterion]:
    """Criteria ``numbers`` ("1.1", "2.3", ...) of ``version``, by number."""
    result = {}
    for number in numbers:
        standard = StandardFactory(version=version, number=int(number.split(".")[0]))
        result[number] = CriterionFactory(standard=standard, number=number)
    return result


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An item written straight to the table (for reads and query counts; writes go through services)."""

    class Meta:
        model = Evidence

    name = factory.Sequence(lambda n: f"Biên bản họp số {n}")
    box = 1
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"H{o.box}-{o.criterion.number}-{o.sequence:02d}")
    issuer = "Tổ chuyên môn"
