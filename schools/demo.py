"""Demo data of the schools app: the Hà Nội Sở, Đống Đa and Long Biên (district offices), phường Cửa Nam
(a ward People's Committee reviewing through its Phòng Văn hóa – Xã hội, since the 2025 reform), their
schools and people.

Idempotent: schools are matched by code, people by username, so running it again changes nothing
(a password is only set when the account is created).
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.hashers import get_hasher, make_password
from django.db import transaction

from . import demo_clock
from .models import Membership, Organisation, School, SchoolYear, User

DEMO_PASSWORD = "Demo@2024kd"  # noqa: S105  # nosec B105  # printed by `make run`; demo data only

DEPARTMENT = {"code": "so-ha-noi", "name": "Sở Giáo dục và Đào tạo Hà Nội", "short_name": "Sở GD&ĐT Hà Nội"}
UNITS = [
    {"code": "pgd-dong-da", "name": "Phòng Giáo dục và Đào tạo quận Đống Đa", "short_name": "Phòng GD&ĐT Đống Đa",
     "prefix": "DDA", "address": "Số 6 Đặng Tiến Đông, Đống Đa, Hà Nội", "head_name": "Trịnh Đan Ly"},
    {"code": "pgd-long-bien", "name": "Phòng Giáo dục và Đào tạo quận Long Biên", "short_name": "Phòng GD&ĐT Long Biên",
     "prefix": "LBI", "address": "Số 1 Vạn Hạnh, Long Biên, Hà Nội", "head_name": "Vũ Thị Thu Hà"},
    # A ward reviewing its schools itself: its name, office and head's title come from the unit.
    {"code": "ubnd-cua-nam", "name": "Ủy ban nhân dân phường Cửa Nam", "short_name": "UBND phường Cửa Nam",
     "kind": Organisation.Kind.WARD_COMMITTEE, "slug": "cuanam", "prefix": "CNA",
     "address": "Số 50 Hàng Bông, phường Cửa Nam, Hà Nội", "head_name": "Nguyễn Thị Minh Phương"},
]

# (name, ward, founding year, ownership) per level; codes follow the order: DDA-MN-01, ...
SCHOOLS = {
    "DDA": {
        "mn": [
            ("Trường Mầm non Hoa Hồng", "Văn Miếu", 1978, "public"),
            ("Trường Mầm non Kim Liên", "Kim Liên", 1965, "public"),
            ("Trường Mầm non Văn Chương", "Văn Chương", 1982, "public"),
            ("Trường Mầm non Quang Trung", "Quang Trung", 1990, "public"),
            ("Trường Mầm non Thịnh Quang", "Thịnh Quang", 1976, "public"),
            ("Trường Mầm non Tuổi Thơ Việt", "Láng Thượng", 2012, "private"),
        ],
        "th": [
            ("Trường Tiểu học Kim Liên", "Kim Liên", 1960, "public"),
            ("Trường Tiểu học Văn Chương", "Văn Chương", 1958, "public"),
            ("Trường Tiểu học Trung Phụng", "Trung Phụng", 1964, "public"),
            ("Trường Tiểu học La Thành", "Ô Chợ Dừa", 1970, "public"),
        ],
        "thcs": [
            ("Trường THCS Đống Đa", "Quốc Tử Giám", 1960, "public"),
            ("Trường THCS Láng Thượng", "Láng Thượng", 1966, "public"),
            ("Trường THCS Cát Linh", "Cát Linh", 1972, "public"),
            ("Trường THCS Khương Thượng", "Khương Thượng", 1975, "public"),
            ("Trường THCS Nguyễn Trường Tộ", "Kim Liên", 1985, "public"),
            ("Trường THCS Thái Thịnh", "Thịnh Quang", 1980, "public"),
            ("Trường THCS Phương Mai", "Phương Mai", 1969, "public"),
            ("Trường THCS Quang Trung", "Quang Trung", 1977, "public"),
            ("Trường THCS Tô Vĩnh Diện", "Khương Thượng", 1983, "public"),
        ],
    },
    "LBI": {
        "mn": [
            ("Trường Mầm non Thăng Long Kids Mart", "Việt Hưng", 2010, "private"),
            ("Trường Mầm non Hoa Sữa", "Phúc Đồng", 2004, "public"),
            ("Trường Mầm non Gia Thụy", "Gia Thụy", 1985, "public"),
        ],
        "th": [
            ("Trường Tiểu học Thanh Am", "Thượng Thanh", 1968, "public"),
            ("Trường Tiểu học Ái Mộ", "Bồ Đề", 1975, "public"),
        ],
        "thcs": [
            ("Trường THCS Ngọc Lâm", "Ngọc Lâm", 1962, "public"),
            ("Trường THCS Gia Thụy", "Gia Thụy", 1980, "public"),
        ],
    },
    "CNA": {
        "mn": [("Trường Mầm non Hoa Sen", "Cửa Nam", 1979, "public")],
        "th": [("Trường Tiểu học Tràng Thi", "Cửa Nam", 1956, "public")],
        "thcs": [("Trường THCS Ngô Sĩ Liên", "Cửa Nam", 1958, "public")],
    },
}

PRINCIPAL_NAMES = [
    "Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Thu Hà", "Hoàng Minh Tuấn", "Vũ Thị Hồng",
    "Đặng Quốc Bảo", "Bùi Thị Thanh", "Đỗ Văn Nam", "Ngô Thị Hạnh", "Dương Thị Nga", "Lý Văn Phúc",
    "Đinh Thị Thu", "Trịnh Văn Long", "Phan Thị Hương", "Mai Anh Đức", "Tạ Thị Loan", "Chu Văn Thắng",
    "Cao Thị Yến", "Lương Thị Hoa", "Kiều Văn Sơn", "Hà Thị Minh", "Tôn Nữ Thảo", "Quách Văn Tùng",
    "Vương Thị Bích", "Lại Thị Hằng", "Nghiêm Văn Khôi", "Đoàn Thị Kim",
]

# Written for 2020-2021 .. 2026-2027 (the current one); shifted by the demo's clock (schools.demo_clock).
_FIRST_DEMO_YEAR = 2020
_LAST_DEMO_YEAR = 2026


def __getattr__(name: str):
    if name == "FIRST_DEMO_YEAR":
        return demo_clock.first_year(_FIRST_DEMO_YEAR)
    if name == "LAST_DEMO_YEAR":
        return demo_clock.first_year(_LAST_DEMO_YEAR)
    raise AttributeError(name)


def _slug(spec: dict) -> str:
    """The accounts' suffix: cv.dongda1, tp.longbien, cv.cuanam1."""
    return spec.get("slug") or spec["code"].removeprefix("pgd-").replace("-", "")


def _head_title(spec: dict) -> str:
    return str(Organisation.DEFAULT_HEAD_TITLE[spec.get("kind", Organisation.Kind.DISTRICT_OFFICE)])


def _school_years() -> list[SchoolYear]:
    years = []
    for first in range(demo_clock.first_year(_FIRST_DEMO_YEAR), demo_clock.first_year(_LAST_DEMO_YEAR) + 1):
        year, _created = SchoolYear.objects.get_or_create(
            code=SchoolYear.code_for(first),
            defaults={"start_date": datetime.date(first, 9, 5), "end_date": datetime.date(first + 1, 5, 31)},
        )
        years.append(year)
    return years


@functools.cache
def demo_password_hash(hasher: str) -> str:
    """The demo password hashed once per seed (and hasher): every demo account shares the published
    password, and a fresh PBKDF2 hash for each of them cost a third of a second per account."""
    return make_password(DEMO_PASSWORD, hasher=hasher)


def set_demo_password(user: User) -> None:
    """Give a demo account the demo password (saved)."""
    user.password = demo_password_hash(get_hasher().algorithm)
    user.save(update_fields=["password"])


def _user(username: str, full_name: str, email: str, position: str = "", **extra) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": email, "position": position, **extra}
    )
    if created:
        set_demo_password(user)
    return user, created


def _member(user: User, role: str, *, school=None, organisation=None, title: str = "") -> None:
    Membership.objects.get_or_create(
        user=user, role=role, school=school, organisation=organisation, defaults={"title": title}
    )


@transaction.atomic
def seed(stdout=None) -> dict:
    """Create the demo organisations, schools, years and accounts; return what a person needs."""
    _school_years()
    department, _ = Organisation.objects.update_or_create(
        code=DEPARTMENT["code"],
        defaults={"name": DEPARTMENT["name"], "short_name": DEPARTMENT["short_name"],
                  "kind": Organisation.Kind.DEPARTMENT, "address": "Số 23 Quang Trung, Hoàn Kiếm, Hà Nội"},
    )
    names = iter(PRINCIPAL_NAMES * 3)
    for spec in UNITS:
        unit, _ = Organisation.objects.update_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "short_name": spec["short_name"], "parent": department,
                      "kind": spec.get("kind", Organisation.Kind.DISTRICT_OFFICE), "address": spec["address"],
                      "head_name": spec["head_name"]},
        )
        prefix = spec["prefix"]
        for level, rows in SCHOOLS[prefix].items():
            for index, (name, ward, founded, ownership) in enumerate(rows, start=1):
                code = f"{prefix}-{level.upper()}-{index:02d}"
                principal_name = next(names)
                school, _ = School.objects.update_or_create(
                    code=code,
                    defaults={"name": name, "level": level, "ownership": ownership, "reviewing_unit": unit,
                              "founding_year": founded, "ward": ward, "address": f"Phường {ward}, Hà Nội",
                              "principal_name": principal_name, "phone": f"024 38{index:02d} {1000 + index}",
                              "email": f"{code.lower()}@hanoiedu.vn"},
                )
                user, _ = _user(code.lower(), principal_name, f"ht.{code.lower()}@demo.kiemdinh.vn", "Hiệu trưởng")
                _member(user, Membership.Role.PRINCIPAL, school=school, title="Hiệu trưởng")
        slug = _slug(spec)
        for n in (1, 2):
            user, _ = _user(f"cv.{slug}{n}", f"Chuyên viên {n} {spec['short_name']}",
                            f"cv{n}.{slug}@demo.kiemdinh.vn", "Chuyên viên")
            _member(user, Membership.Role.DISTRICT_REVIEWER, organisation=unit, title="Chuyên viên")
        user, _ = _user(f"tp.{slug}", spec["head_name"], f"tp.{slug}@demo.kiemdinh.vn", _head_title(spec))
        _member(user, Membership.Role.DISTRICT_HEAD, organisation=unit, title=_head_title(spec))
    user, _ = _user("cv.so", "Chuyên viên Phòng Quản lý thi và KĐCLGD", "cv.so@demo.kiemdinh.vn", "Chuyên viên")
    _member(user, Membership.Role.DEPARTMENT_OFFICER, organisation=department, title="Chuyên viên")
    admin, _ = _user("admin", "Quản trị hệ thống", "admin@demo.kiemdinh.vn", is_staff=True, is_superuser=True)
    _member(admin, Membership.Role.ADMIN)
    return {"accounts": demo_accounts(), "password": DEMO_PASSWORD}


def demo_accounts() -> list[tuple[str, str]]:
    """Every demo account with the role a visitor signs in as, in the order `make run` prints them."""
    accounts = []
    for spec in UNITS:
        prefix = spec["prefix"]
        for level, rows in SCHOOLS[prefix].items():
            for index, (name, *_rest) in enumerate(rows, start=1):
                accounts.append((f"{prefix}-{level.upper()}-{index:02d}".lower(), f"Hiệu trưởng {name}"))
        slug = _slug(spec)
        accounts += [(f"cv.{slug}{n}", f"Chuyên viên {spec['short_name']}") for n in (1, 2)]
        accounts.append((f"tp.{slug}", f"{_head_title(spec)}, {spec['short_name']}"))
    accounts.append(("cv.so", "Chuyên viên Sở GD&ĐT"))
    accounts.append(("admin", "Quản trị hệ thống"))
    return accounts


@transaction.atomic
def seed_large_district(count: int) -> Organisation:
    """A generated district with ``count`` schools (benchmarks), codes BEN-<LEVEL>-0001..."""
    department = Organisation.objects.get(code=DEPARTMENT["code"])
    unit, _ = Organisation.objects.update_or_create(
        code="pgd-benchmark",
        defaults={"name": "Phòng GD&ĐT quận Thử nghiệm", "short_name": "Phòng GD&ĐT Thử nghiệm",
                  "parent": department, "kind": Organisation.Kind.DISTRICT_OFFICE},
    )
    levels = ["mn", "th", "thcs"]
    existing = set(School.objects.filter(reviewing_unit=unit).values_list("code", flat=True))
    new = []
    for i in range(1, count + 1):
        level = levels[i % 3]
        code = f"BEN-{level.upper()}-{i:04d}"
        if code in existing:
            continue
        new.append(School(code=code, name=f"Trường {dict(School.Level.choices)[level]} số {i}", level=level,
                          reviewing_unit=unit, founding_year=1960 + i % 60, ward=f"Phường {i % 20 + 1}"))
    School.objects.bulk_create(new, batch_size=500)
    user, _ = _user("cv.benchmark", "Chuyên viên thử nghiệm", "cv.benchmark@demo.kiemdinh.vn")
    _member(user, Membership.Role.DISTRICT_REVIEWER, organisation=unit)
    return unit
