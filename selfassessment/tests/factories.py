"""Test data of the reports: a small 2018-family catalog built in code, evidence items, school people.

Shared by the tests' conftest and the URL permission matrix (``url_matrix.setup``).
"""

from __future__ import annotations

from schools.models import Membership
from schools.tests.factories import MembershipFactory, UserFactory
from standards.importers import validate_catalog
from standards.models import Criterion, Indicator, Regulation
from standards.services import catalog_apply

RULES = {
    "accreditation_levels": {
        str(level): {"article": "Điều 34", "structured": {
            "name": f"Cấp độ {level}", "school_assessment_level_required": level, "min_completed_cohorts": 1,
            "required_criteria": [],
        }}
        for level in (1, 2, 3, 4)
    },
    "national_standard": {
        "1": {"article": "Điều 37", "structured": {"school_assessment_level_required": 2, "min_completed_cohorts": 1,
                                                  "required_criteria": []}},
        "2": {"article": "Điều 37", "structured": {"school_assessment_level_required": 3, "min_completed_cohorts": 1,
                                                  "required_criteria": []}},
    },
}


def catalog_dict(
    code: str = "TEST/2018", *, standards: int = 2, criteria: int = 3, school_levels=("lower_secondary",),
    effective: str = "2018-10-10", level4: int = 2, without_level3: tuple[str, ...] = ("1.2",),
) -> dict:
    """A catalog in the shape of the bundled 2018 files: ``standards`` × ``criteria``, 2+1+1 indicators."""
    data_standards = []
    for s in range(1, standards + 1):
        items = []
        for c in range(1, criteria + 1):
            number = f"{s}.{c}"
            levels = {
                "1": [{"key": "a", "text": f"Chỉ báo a mức 1 của {number};"},
                      {"key": "b", "text": f"Chỉ báo b mức 1 của {number}."}],
                "2": [{"key": "a", "unlettered": True, "text": f"Nhà trường đạt mức 2 tiêu chí {number}."}],
                "3": [] if number in without_level3 else [
                    {"key": "a", "unlettered": True, "text": f"Nhà trường đạt mức 3 tiêu chí {number}."}],
            }
            items.append({"number": number, "title": f"Tiêu chí thử {number}", "applies_to": None, "levels": levels})
        data_standards.append({"number": s, "title": f"Tiêu chuẩn thử {s}", "criteria": items})
    return {
        "code": code,
        "number": f"{code}/TT-BGDĐT",
        "title": f"Thông tư thử nghiệm {code}",
        "issuer": "Bộ Giáo dục và Đào tạo",
        "issued": "2018-08-22",
        "effective": effective,
        "school_levels": list(school_levels),
        "catalog": {"family": "2018", "level_count": 3, "status": "current", "evidence_code_scheme": "Hn-a.b-c"},
        "standards": data_standards,
        "level4_requirements": [
            {"number": n, "article": f"Điều 22 khoản {n}", "text": f"Yêu cầu Mức 4 số {n}."} for n in range(1, level4 + 1)
        ],
        "rules": RULES,
    }


def load_catalog(**kwargs) -> Regulation:
    spec, errors, _warnings = validate_catalog(catalog_dict(**kwargs))
    assert not errors, errors
    catalog_apply(spec=spec)
    return Regulation.objects.get(code=spec.code)


def criterion(report, number: str) -> Criterion:
    return Criterion.objects.get(standard__version=report.regulation_version, number=number)


def indicator(report, number: str, level: int, key: str = "a") -> Indicator:
    return Indicator.objects.get(criterion__standard__version=report.regulation_version, criterion__number=number,
                                 level=level, key=key)


def school_person(school, username: str, role=Membership.Role.SCHOOL_STAFF):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    MembershipFactory(user=user, role=role, school=school)
    return user


def add_evidence(report, number: str, by, *, count: int = 1, **fields):
    """``count`` evidence items of the report's school coded under criterion ``number``."""
    from evidence import services as evidence_services

    target = criterion(report, number)
    return [
        evidence_services.evidence_create(
            school=report.school, criterion=target, by=by, name=fields.get("name", f"Minh chứng {number} số {i}"),
            **{k: v for k, v in fields.items() if k != "name"},
        )
        for i in range(1, count + 1)
    ]
