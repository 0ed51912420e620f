"""Demo evidence: full libraries for DDA-MN-01, DDA-TH-01 and DDA-THCS-01, small ones for a few others.

Idempotent: a school that already has evidence is left alone. Items are created through the
services (so codes are what a person would get), under the criteria of the regulation version
the school is assessed under, with dates in the five school years before 2024-2025, a few
expired documents, and small generated files (PDF, Excel, PNG) for about a third of them.
"""

from __future__ import annotations

import datetime
import io
import random
import struct
import zlib

from django.core.files.base import ContentFile
from django.db import transaction

from kiemdinh import xlsxsafe
from schools import demo_clock
from schools.models import Membership, School

from . import selectors, services
from .demo_catalog import BY_LEVEL
from .models import Evidence
from .text import fold

FULL_SCHOOLS = ["DDA-MN-01", "DDA-TH-01", "DDA-THCS-01"]
SMALL_SCHOOLS = ["DDA-MN-02", "DDA-TH-02", "DDA-THCS-02", "LBI-THCS-01"]
# As written: school years 2019-2020 .. 2023-2024, listed as of the 2024-2025 assessment (validity is
# judged against today); shifted by the demo's clock (schools.demo_clock), so ``FIRST_YEAR``,
# ``LAST_YEAR`` and ``ASSESSMENT_DATE`` are read through it (``__getattr__`` below).
_FIRST_YEAR, _LAST_YEAR = 2019, 2023
_ASSESSMENT_DATE = datetime.date(2024, 9, 5)


def assessment_date() -> datetime.date:
    return demo_clock.day(_ASSESSMENT_DATE)


def __getattr__(name: str):
    if name == "FIRST_YEAR":
        return demo_clock.first_year(_FIRST_YEAR)
    if name == "LAST_YEAR":
        return demo_clock.first_year(_LAST_YEAR)
    if name == "ASSESSMENT_DATE":
        return assessment_date()
    raise AttributeError(name)

ISSUERS = {
    "school": "{school}",
    "council": "Hội đồng trường {school}",
    "district": "Phòng GD&ĐT quận {district}",
    "district_committee": "UBND quận {district}",
    "city": "UBND thành phố Hà Nội",
    "city_department": "Sở GD&ĐT Hà Nội",
    "party": "Chi bộ {school}",
    "party_higher": "Đảng ủy phường {ward}",
    "union": "Công đoàn {school}",
    "union_higher": "Liên đoàn Lao động quận {district}",
    "youth": "Liên đội TNTP Hồ Chí Minh {school}",
    "group": "Tổ chuyên môn",
    "office": "Tổ văn phòng",
    "accounting": "Kế toán nhà trường",
    "equipment": "Cán bộ phụ trách thiết bị",
    "library": "Thư viện nhà trường",
    "teacher": "Giáo viên chủ nhiệm",
    "parents": "Ban đại diện cha mẹ học sinh",
    "police": "Công an quận {district}",
    "health": "Trung tâm Y tế quận {district}",
    "company": "Công ty TNHH MTV Nước sạch Hà Nội",
    "kitchen": "Tổ nuôi dưỡng",
    "university": "Trường Cán bộ quản lý giáo dục",
}
NUMBER_SUFFIX = {"decision": "QĐ", "plan": "KH", "report": "BC", "certificate": "GCN"}
PROFESSIONAL_GROUPS = {
    "mn": ["Tổ chuyên môn Nhà trẻ", "Tổ chuyên môn Mẫu giáo"],
    "th": ["Tổ khối 1", "Tổ khối 2-3", "Tổ khối 4-5"],
    "thcs": ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Ngoại ngữ"],
}


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


# --- small valid files -----------------------------------------------------------------------


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (ASCII: the standard fonts have no Vietnamese glyphs)."""

    def escape(text: str) -> str:
        ascii_text = fold(text).encode("ascii", "replace").decode("ascii")
        return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 12 Tf", "56 780 Td", "16 TL"]
    for line in lines:
        commands.append(f"({escape(line)[:90]}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_png(seed: int, width: int = 96, height: int = 64) -> bytes:
    """A small PNG: a soft gradient with a band, different per seed (no imaging library needed)."""
    rng = random.Random(seed)  # nosec B311  # demo pictures: repeatable, nothing secret
    base = [rng.randint(120, 220) for _ in range(3)]
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0
        for x in range(width):
            band = 40 if height // 3 < y < 2 * height // 3 else 0
            row.extend(((base[0] + x) % 256, (base[1] + y + band) % 256, (base[2] + x // 2) % 256))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(
        b"IEND", b""
    )


def tiny_xlsx(title: str, school: School, rng: random.Random) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet["A1"] = title
    sheet["A2"] = school.name
    sheet.append([])
    sheet.append(["STT", "Họ và tên / Nội dung", "Ghi chú"])
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Giang", "Vũ Đức Hải"]
    for index, name in enumerate(rng.sample(names, 4), start=1):
        sheet.append([index, name, ""])
    return xlsxsafe.workbook_bytes(workbook)


# --- the items ---------------------------------------------------------------------------------


def _abbreviation(school: School) -> str:
    words = fold(school.name).upper().replace("TRUONG ", "").split()
    prefix = {"MN": "MN", "TH": "TH", "THCS": "THCS"}.get(school.level.upper(), "")
    rest = "".join(w[0] for w in words if w not in {"MAM", "NON", "TIEU", "HOC", "THCS"})
    return f"{prefix}{rest}"


def _details(school: School, template: str, issuer_kind: str, record: str, rng: random.Random, index: int) -> dict:
    first_year = demo_clock.first_year(_FIRST_YEAR)
    year = rng.randint(first_year, demo_clock.first_year(_LAST_YEAR))
    name = template.format(y=year, y1=year + 1, school=school.name)
    district = school.reviewing_unit.short_name.replace("Phòng GD&ĐT ", "") if school.reviewing_unit else ""
    issuer = ISSUERS[issuer_kind].format(school=school.name, district=district, ward=school.ward or "")
    if issuer_kind == "group":
        issuer = rng.choice(PROFESSIONAL_GROUPS.get(school.level, ["Tổ chuyên môn"]))
    start = datetime.date(year, 9, 1)
    issued_on = start + datetime.timedelta(days=rng.randint(0, 300))
    fields = {"name": name, "issuer": issuer, "issued_on": issued_on}
    if record in NUMBER_SUFFIX:
        fields["issued_number"] = f"{rng.randint(5, 240)}/{NUMBER_SUFFIX[record]}-{_abbreviation(school)}"
    if record == "book":
        fields["issued_on"] = None
        fields["issued_period"] = f"Từ năm học {first_year + rng.randint(0, 2)}-{first_year + 1 + rng.randint(0, 2)} đến nay"
    elif record == "minutes":
        fields["issued_number"] = ""
    elif record == "photo":
        fields["issued_on"] = None
        fields["issued_period"] = f"Năm học {year}-{year + 1}"
    if record == "certificate":
        # Certificates and term-bound decisions expire; some already did before the assessment.
        years = rng.choice([2, 3, 5])
        fields["valid_until"] = fields["issued_on"] + datetime.timedelta(days=365 * years)
    if "nhiệm kỳ 2019-2024" in name:
        term = f"nhiệm kỳ {demo_clock.first_year(2019)}-{demo_clock.first_year(2024)}"
        fields["name"] = name.replace("nhiệm kỳ 2019-2024", term)
        fields["issued_on"] = demo_clock.day(datetime.date(2019, 10, 15))
        fields["issued_number"] = f"{rng.randint(100, 900)}/QĐ-UBND"
        fields["valid_until"] = demo_clock.day(datetime.date(2024, 10, 14))
    if index % 9 == 0:
        fields["note"] = rng.choice([
            "Bản chính lưu tại văn phòng nhà trường.",
            "Bản sao y bản chính.",
            "Minh chứng dùng chung cho nhiều năm học.",
            "Xem kèm phụ lục số liệu.",
        ])
    return fields


def _short(name: str, limit: int = 60) -> str:
    """A file name as people make them: the title, cut at a word boundary."""
    if len(name) <= limit:
        return name
    return name[:limit].rsplit(" ", 1)[0].rstrip(" ,.-")


def _file_for(name: str, record: str, school: School, rng: random.Random, seed: int):
    name = _short(name)
    if record == "photo":
        return ContentFile(tiny_png(seed), name=f"{name}.png")
    if record in {"list"}:
        return ContentFile(tiny_xlsx(name, school, rng), name=f"{name}.xlsx")
    lines = [school.name, name, "Ban so hoa minh chung (du lieu mau)"]
    return ContentFile(tiny_pdf(lines), name=f"{name}.pdf")


def _principal(school: School):
    membership = (
        Membership.objects.filter(school=school, role=Membership.Role.PRINCIPAL, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def seed_school(school: School, *, per_criterion: int | None = None, standards: set[int] | None = None) -> int:
    """Create the demo library of one school; returns the number of items created (0 if it had some)."""
    if Evidence.objects.filter(school=school).exists():
        return 0
    author = _principal(school)
    if author is None:
        return 0
    names = BY_LEVEL.get(school.level, BY_LEVEL["thcs"])
    # The library of the 2024-2025 assessment: coded under the regulation of that year (TT17/18/19),
    # not the one in force today; a school's TT57 codes come from the carry-forward.
    version = selectors.version_for_school(school, assessment_date())
    criteria = selectors.criteria_for_school(school, version=version)
    rng = random.Random(f"evidence-demo-{school.code}")  # nosec B311  # repeatable demo data, nothing secret
    items: list[dict] = []
    for criterion in criteria:
        if standards and criterion.standard.number not in standards:
            continue
        entries = names.get(criterion.number, [])
        if per_criterion is not None:
            entries = entries[:per_criterion]
        for template, issuer_kind, record in entries:
            index = len(items)
            fields = _details(school, template, issuer_kind, record, rng, index)
            upload = _file_for(fields["name"], record, school, rng, index) if index % 3 == 0 else None
            items.append({"criterion": criterion, "upload": upload, **fields})
    # Put in together (one service call, the codes of one evidence_create each, in this order).
    created: list[Evidence] = services.evidence_create_many(school=school, items=items, by=author)
    # Reuse across criteria, as real reports do: the strategy serves 5.1, the council decision 1.9 ...
    by_number = {c.number: c for c in criteria}
    for item in created[:: max(1, len(created) // 8)][:8]:
        targets = [n for n in ("1.8", "1.9", "5.1", "2.2") if n in by_number and n != item.criterion.number]
        if targets:
            services.evidence_share(evidence=item, criterion=by_number[rng.choice(targets)], by=author)
    return len(created)


def seed(stdout=None) -> None:
    if not selectors.criteria_for_school(School(level="thcs"), version=selectors.version_for_school(
            School(level="thcs"), assessment_date())):
        _say(stdout, "evidence: chưa nạp bộ tiêu chuẩn (manage.py load_standards); bỏ qua minh chứng mẫu.")
        return
    total = 0
    for code in FULL_SCHOOLS + SMALL_SCHOOLS:
        school = School.objects.select_related("reviewing_unit").filter(code=code).first()
        if school is None:
            continue
        small = code in SMALL_SCHOOLS
        count = seed_school(school, per_criterion=1 if small else None, standards={1, 2} if small else None)
        total += count
        if count:
            _say(stdout, f"evidence: {count} minh chứng mẫu cho {school.code}.")
    if not total:
        _say(stdout, "evidence: minh chứng mẫu đã có sẵn.")
