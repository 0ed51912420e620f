"""The official forms of a self-assessment, generated from the data. Pure Python.

An administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) is a simple sequence: the national
header (issuing body, number, place and date, motto), the title, the body, recipients and the
signature block, sometimes an appendix. Each form is built here once as a list of blocks, and the
PDF (``templates/exports/pdf/form.html``) and the Word renderer (``exporters.forms``) print the
same blocks, so the two files cannot say different things.

Forms of the self-assessment (Công văn 5932/BGDĐT-QLCL and 5942/BGDĐT-QLCL, 28/12/2018):
- the decision founding the council (Quyết định thành lập Hội đồng tự đánh giá) with its member list
  and the secretary group and working groups;
- the self-assessment plan (Kế hoạch tự đánh giá);
- the criterion assessment sheets (Phiếu đánh giá tiêu chí), one per criterion;
and of the district: the letter proposing external evaluation of a round's schools to the Sở
(Công văn đề nghị đánh giá ngoài).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import (
    CriterionSection,
    ReportDocument,
    build_report_document,
    paragraphs,
    regulation_name,
)

# Điều lệ trường (school charters) by school level, cited by the council decision.
CHARTERS = {
    "mn": "Điều lệ trường mầm non ban hành kèm theo Thông tư số 52/2020/TT-BGDĐT ngày 31/12/2020 "
          "của Bộ trưởng Bộ Giáo dục và Đào tạo",
    "th": "Điều lệ trường tiểu học ban hành kèm theo Thông tư số 28/2020/TT-BGDĐT ngày 04/9/2020 "
          "của Bộ trưởng Bộ Giáo dục và Đào tạo",
    "thcs": "Điều lệ trường trung học cơ sở, trường trung học phổ thông và trường phổ thông có nhiều cấp học "
            "ban hành kèm theo Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020 của Bộ trưởng Bộ Giáo dục và Đào tạo",
}
CHARTERS["thpt"] = CHARTERS["multi"] = CHARTERS["thcs"]
# The Ministry's guidance on self-assessment and external evaluation.
GUIDANCE = {
    "mn": "Công văn số 5942/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo về việc hướng dẫn tự đánh giá "
          "và đánh giá ngoài trường mầm non",
    "general": "Công văn số 5932/BGDĐT-QLCL ngày 28/12/2018 của Bộ Giáo dục và Đào tạo về việc hướng dẫn tự đánh "
               "giá và đánh giá ngoài cơ sở giáo dục phổ thông",
}


# -- Blocks ------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str


@dataclass
class Header(Block):
    """The national header: issuing body (two lines), number, subject (công văn), place and date."""

    left_top: str = ""
    left_bold: str = ""
    number: str = ""
    subject: str = ""
    place_date: str = ""
    kind: str = "header"


@dataclass
class Title(Block):
    text: str = ""
    subtitle: str = ""
    kind: str = "title"


@dataclass
class Para(Block):
    text: str = ""
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify | center | left | right
    indent: bool = True
    kind: str = "para"


@dataclass
class Heading(Block):
    text: str = ""
    kind: str = "heading"


@dataclass
class Table(Block):
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # percent of the text width
    center: list[int] = field(default_factory=list)  # column indexes centred
    groups: list[int] = field(default_factory=list)  # row indexes printed as one merged bold cell
    kind: str = "table"


@dataclass
class Signature(Block):
    title: str = ""
    name: str = ""
    note: str = ""
    place_date: str = ""
    recipients: list[str] = field(default_factory=list)
    # A second signer on the left (e.g. the group leader on a criterion sheet).
    left_title: str = ""
    left_note: str = ""
    kind: str = "signature"


@dataclass
class PageBreak(Block):
    kind: str = "pagebreak"


@dataclass
class FormDocument:
    title: str
    file_stem: str
    blocks: list[Block]
    footer: str = ""


# -- Helpers -----------------------------------------------------------------------------------


def date_admin(day: datetime.date | str | None) -> str:
    """"ngày 05 tháng 02 năm 2025" (Nghị định 30/2020: a leading zero for days below 10 and months 1
    and 2); blanks to fill by hand when the date is not known yet."""
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day[:10])
        except ValueError:
            day = None
    if day is None:
        return "ngày\u00a0\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0\u00a0 năm 20…"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def parent_authority(managing_body: str, fallback: str = "") -> str:
    """"Phòng Giáo dục và Đào tạo quận Đống Đa" → "UBND quận Đống Đa" (the body above the office)."""
    match = re.search(r"\b(quận|huyện|thị xã|thành phố|phường|xã|thị trấn)\s+(.+)$", managing_body or "", re.I)
    if match:
        return f"UBND {match.group(1).lower()} {match.group(2).strip()}"
    return fallback or managing_body


def _office_code(office: str) -> str:
    """The letter-number suffix of an office: "PGDĐT" for Phòng Giáo dục và Đào tạo, "VHXH" for Phòng
    Văn hóa – Xã hội; the initials of any other office's name."""
    if office.strip().lower() == "phòng giáo dục và đào tạo":
        return "PGDĐT"
    words = [w for w in re.split(r"[\s–-]+", re.sub(r"^phòng\s+", "", office.strip(), flags=re.I)) if w]
    return "".join(w[0].upper() for w in words if w.lower() not in {"và"}) or "……"


def regulation_reference(document_number: str, title: str) -> str:
    """"Thông tư số 18/2018/TT-BGDĐT ban hành Quy định về …" from the catalog's number and title."""
    number = regulation_name(document_number)
    rest = re.sub(r"^Thông tư\s+", "", (title or "").strip(), flags=re.I)
    return f"{number} {rest}".strip()


def _guidance(level: str) -> str:
    return GUIDANCE["mn"] if level == "mn" else GUIDANCE["general"]


def _decision_number(council: Mapping[str, Any]) -> str:
    number = (council.get("decision_number") or "").strip()
    return f"Số: {number}" if number else "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 /QĐ-……"


# -- The council founding decision --------------------------------------------------------------


def council_decision(data: Mapping[str, Any], doc: ReportDocument | None = None) -> FormDocument:
    """Quyết định thành lập Hội đồng tự đánh giá, with the lists of members, secretaries and groups."""
    doc = doc or build_report_document(data)
    school = data.get("school") or {}
    council = data.get("council") or {}
    regulation = data.get("regulation") or {}
    level = school.get("level", "")
    school_name = doc.school_name
    decided = council.get("decision_date")
    blocks: list[Block] = [
        Header(
            left_top=parent_authority(doc.managing_body, doc.managing_body),
            left_bold=school_name,
            number=_decision_number(council),
            place_date=f"{doc.place}, {date_admin(decided)}",
        ),
        Title(text="QUYẾT ĐỊNH", subtitle="Về việc thành lập Hội đồng tự đánh giá"),
        Para(text=f"HIỆU TRƯỞNG {school_name.upper()}", bold=True, align="center", indent=False),
        Para(text=f"Căn cứ {CHARTERS.get(level, CHARTERS['thcs'])};", italic=True),
        Para(text=f"Căn cứ {regulation_reference(regulation.get('document_number', ''), regulation.get('title', ''))} "
                  "của Bộ trưởng Bộ Giáo dục và Đào tạo;", italic=True),
        Para(text=f"Căn cứ {_guidance(level)};", italic=True),
        Para(text=f"Xét yêu cầu công tác tự đánh giá năm học {doc.school_year} của nhà trường,", italic=True),
        Para(text="QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
        Para(text=f"Điều 1. Thành lập Hội đồng tự đánh giá {school_name} gồm các ông (bà) có tên trong danh sách "
                  "kèm theo."),
        Para(text=f"Điều 2. Hội đồng có nhiệm vụ triển khai tự đánh giá {school_name} theo hướng dẫn của Bộ Giáo dục "
                  "và Đào tạo; thành lập nhóm thư ký và các nhóm công tác giúp việc. Hội đồng tự giải thể sau khi "
                  "hoàn thành nhiệm vụ."),
        Para(text="Điều 3. Các ông (bà) có tên tại Điều 1 và các bộ phận có liên quan chịu trách nhiệm thi hành "
                  "Quyết định này./."),
        Signature(title="Hiệu trưởng", name=doc.principal, recipients=["- Như Điều 3;", f"- {doc.managing_body} (để b/c);",
                                                                          "- Lưu: VT."]),
        PageBreak(),
        Title(text="DANH SÁCH THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ",
              subtitle=f"(Kèm theo Quyết định {council.get('decision_number') or '……'} "
                       f"{date_admin(decided)} của Hiệu trưởng {school_name})"),
        Table(header=["TT", "Họ và tên", "Chức danh, chức vụ", "Nhiệm vụ"],
              rows=[[str(m.order), m.full_name, m.title, m.duty] for m in doc.council],
              widths=[8, 32, 32, 28], center=[0]),
        Para(text=f"Hội đồng gồm có {len(doc.council)} thành viên.", italic=True, indent=False),
    ]
    secretaries = council.get("secretary_group") or []
    groups = council.get("working_groups") or []
    if secretaries or groups:
        blocks.append(Title(text="DANH SÁCH NHÓM THƯ KÝ VÀ CÁC NHÓM CÔNG TÁC"))
        if secretaries:
            blocks.append(Heading(text="1. Nhóm thư ký"))
            blocks.append(Table(header=["TT", "Họ và tên"], rows=[[str(i), n] for i, n in enumerate(secretaries, 1)],
                                widths=[10, 90], center=[0]))
        if groups:
            blocks.append(Heading(text="2. Các nhóm công tác"))
            rows, group_rows = [], []
            for group in groups:
                group_rows.append(len(rows))
                criteria = ", ".join(group.get("criteria") or [])
                rows.append([f"{group.get('name', '')}" + (f" – phụ trách tiêu chí {criteria}" if criteria else ""),
                             "", ""])
                leader = group.get("leader") or ""
                members = [leader] + [m for m in group.get("members") or [] if m != leader] if leader else list(
                    group.get("members") or [])
                for index, name in enumerate(members, start=1):
                    rows.append([str(index), name, "Nhóm trưởng" if name == leader and leader else "Thành viên"])
            blocks.append(Table(header=["TT", "Họ và tên", "Nhiệm vụ"], rows=rows, widths=[10, 55, 35], center=[0],
                                groups=group_rows))
    return FormDocument(
        title=f"Quyết định thành lập Hội đồng tự đánh giá – {school_name}",
        file_stem=f"quyet-dinh-thanh-lap-hoi-dong-{school.get('code', '')}-{doc.school_year}",
        blocks=blocks,
        footer=doc.stamp.footer,
    )


# -- The self-assessment plan -------------------------------------------------------------------


def self_assessment_plan(data: Mapping[str, Any], doc: ReportDocument | None = None) -> FormDocument:
    """Kế hoạch tự đánh giá: purpose, scope, tools, council and groups, training, resources, timeline."""
    doc = doc or build_report_document(data)
    school = data.get("school") or {}
    plan = data.get("plan") or {}
    council = data.get("council") or {}
    school_name = doc.school_name

    def section(title: str, text: str, missing: str) -> list[Block]:
        body = [Para(text=p) for p in paragraphs(text)] or [Para(text=missing, italic=True)]
        return [Heading(text=title), *body]

    blocks: list[Block] = [
        Header(left_top=parent_authority(doc.managing_body, doc.managing_body), left_bold=school_name,
               number="Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 /KH-……", place_date=f"{doc.place}, {date_admin(None)}"),
        Title(text="KẾ HOẠCH TỰ ĐÁNH GIÁ", subtitle=f"Năm học {doc.school_year}"),
        *section("I. MỤC ĐÍCH TỰ ĐÁNH GIÁ", plan.get("purpose", ""), "(Chưa nêu mục đích.)"),
        *section("II. PHẠM VI TỰ ĐÁNH GIÁ", plan.get("scope", ""), "(Chưa nêu phạm vi.)"),
        *section("III. CÔNG CỤ TỰ ĐÁNH GIÁ", plan.get("tools", ""), "(Chưa nêu công cụ.)"),
        Heading(text="IV. HỘI ĐỒNG TỰ ĐÁNH GIÁ"),
        Para(text="1. Thành phần Hội đồng" + (f" (theo {doc.council_decision})" if doc.council_decision else ""),
             bold=True, indent=False),
        Table(header=["TT", "Họ và tên", "Chức danh, chức vụ", "Nhiệm vụ"],
              rows=[[str(m.order), m.full_name, m.title, m.duty] for m in doc.council], widths=[8, 32, 32, 28],
              center=[0]),
        Para(text="2. Nhóm thư ký và các nhóm công tác", bold=True, indent=False),
    ]
    secretaries = council.get("secretary_group") or []
    if secretaries:
        blocks.append(Para(text="Nhóm thư ký: " + ", ".join(secretaries) + "."))
    groups = council.get("working_groups") or []
    blocks.append(Para(text="3. Phân công thực hiện", bold=True, indent=False))
    blocks.append(Table(
        header=["TT", "Nhóm công tác", "Nhóm trưởng", "Thành viên", "Tiêu chí phụ trách"],
        rows=[[str(i), g.get("name", ""), g.get("leader", ""),
               ", ".join(m for m in g.get("members") or [] if m != g.get("leader")), ", ".join(g.get("criteria") or [])]
              for i, g in enumerate(groups, start=1)],
        widths=[6, 20, 20, 30, 24], center=[0],
    ))
    blocks += section("V. TẬP HUẤN NGHIỆP VỤ TỰ ĐÁNH GIÁ", plan.get("training", ""), "(Chưa nêu kế hoạch tập huấn.)")
    blocks.append(Heading(text="VI. DỰ KIẾN CÁC NGUỒN LỰC VÀ THỜI ĐIỂM CẦN HUY ĐỘNG"))
    blocks.append(Table(
        header=["Tiêu chí", "Các nguồn lực cần được huy động, cung cấp", "Thời điểm huy động", "Ghi chú"],
        rows=[[f"Tiêu chí {r.get('criterion', '')}", r.get("resources", ""), r.get("needed_when", ""), ""]
              for r in plan.get("resources") or []],
        widths=[14, 48, 22, 16],
    ))
    blocks.append(Heading(text="VII. DỰ KIẾN THU THẬP THÔNG TIN, MINH CHỨNG"))
    blocks.append(Para(
        text=f"Thu thập, phân tích và mã hóa minh chứng theo từng tiêu chí; hiện có {doc.evidence_count} minh chứng "
             "được lập danh mục (xem Phụ lục danh mục mã minh chứng của báo cáo tự đánh giá)."
    ))
    blocks.append(Heading(text="VIII. THỜI GIAN BIỂU"))
    blocks.append(Table(
        header=["Thời gian", "Nội dung hoạt động", "Người thực hiện"],
        rows=[[f"Tuần {s.get('week', '')}", s.get("activity", ""), s.get("responsible", "")]
              for s in plan.get("timeline") or []],
        widths=[14, 58, 28],
    ))
    blocks.append(Signature(title="Hiệu trưởng", name=doc.principal,
                            recipients=[f"- {doc.managing_body} (để b/c);", "- Các thành viên Hội đồng;", "- Lưu: VT."]))
    return FormDocument(
        title=f"Kế hoạch tự đánh giá – {school_name}",
        file_stem=f"ke-hoach-tu-danh-gia-{school.get('code', '')}-{doc.school_year}",
        blocks=blocks,
        footer=doc.stamp.footer,
    )


# -- Criterion assessment sheets -------------------------------------------------------------------


def _group_of(council: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Criterion number → (group name, group leader)."""
    result = {}
    for group in council.get("working_groups") or []:
        for number in group.get("criteria") or []:
            result.setdefault(number, (group.get("name", ""), group.get("leader", "")))
    return result


def _criterion_blocks(c: CriterionSection, standard_heading: str, school_name: str, group: tuple[str, str],
                      place: str) -> list[Block]:
    blocks: list[Block] = [
        Para(text=school_name.upper(), bold=True, align="left", indent=False),
        Para(text=group[0] or "Nhóm công tác: ……", align="left", indent=False),
        Title(text="PHIẾU ĐÁNH GIÁ TIÊU CHÍ"),
        Para(text=standard_heading, bold=True, indent=False),
        Para(text=c.heading, bold=True, indent=False),
    ]
    for level in c.levels:
        if not level.indicators:
            continue
        blocks.append(Para(text=level.title, bold=True, italic=True, indent=False))
        for indicator in level.indicators:
            label = f"{indicator.label} " if indicator.label else ""
            blocks.append(Para(text=f"{label}{indicator.text}", italic=True, indent=False))
    blocks.append(Heading(text="1. Mô tả hiện trạng"))
    for state in c.state:
        blocks.append(Para(text=state.title, bold=True, italic=True, indent=False))
        for item in state.items:
            if item.empty:
                blocks.append(Para(text=f"{item.label} ……".strip()))
            for index, text in enumerate(item.paragraphs):
                blocks.append(Para(text=f"{item.label} {text}".strip() if index == 0 else text))
    blocks.append(Heading(text="2. Điểm mạnh"))
    blocks += [Para(text=p) for p in c.strengths] or [Para(text="……")]
    blocks.append(Heading(text="3. Điểm yếu"))
    blocks += [Para(text=p) for p in c.weaknesses] or [Para(text="……")]
    blocks.append(Heading(text="4. Kế hoạch cải tiến chất lượng"))
    blocks += [Para(text=f"- {a.line}") for a in c.plan] or [Para(text="……")]
    blocks.append(Heading(text="5. Tự đánh giá"))
    width = 100 // max(len(c.verdicts.columns), 1)
    blocks.append(Table(header=list(c.verdicts.columns), rows=[*c.verdicts.rows, c.verdicts.totals],
                        widths=[width] * len(c.verdicts.columns), center=list(range(len(c.verdicts.columns)))))
    blocks.append(Para(text=f"Đánh giá tiêu chí: {c.result}", bold=True, indent=False))
    blocks.append(Signature(title="Người viết phiếu", note="(Ký và ghi rõ họ tên)", name="",
                            place_date=f"{place}, {date_admin(None)}", left_title="Nhóm trưởng",
                            left_note=f"(Ký và ghi rõ họ tên){chr(10) + group[1] if group[1] else ''}"))
    return blocks


def criterion_sheets(data: Mapping[str, Any], doc: ReportDocument | None = None, *,
                     criteria: Sequence[str] | None = None) -> FormDocument:
    """Phiếu đánh giá tiêu chí, one per criterion (or per criterion of ``criteria``), as the groups fill them."""
    doc = doc or build_report_document(data)
    school = data.get("school") or {}
    groups = _group_of(data.get("council") or {})
    wanted = set(criteria) if criteria else None
    blocks: list[Block] = []
    for standard in doc.standards:
        for c in standard.criteria:
            if wanted is not None and c.number not in wanted:
                continue
            if blocks:
                blocks.append(PageBreak())
            blocks += _criterion_blocks(c, standard.heading, doc.school_name, groups.get(c.number, ("", "")), doc.place)
    return FormDocument(
        title=f"Phiếu đánh giá tiêu chí – {doc.school_name}",
        file_stem=f"phieu-danh-gia-tieu-chi-{school.get('code', '')}-{doc.school_year}",
        blocks=blocks,
        footer=doc.stamp.footer,
    )


# -- The district's letter proposing external evaluation -------------------------------------------


@dataclass
class LetterSchool:
    """One school of the round as the letter lists it."""

    name: str
    level_label: str
    level: str
    school_level: int | None = None
    accreditation_level: int | None = None
    national_standard: int | None = None
    version: int | None = None
    content_hash: str = ""
    submitted_on: datetime.date | None = None


@dataclass
class LetterInfo:
    unit_name: str
    department_name: str
    head_name: str
    round_number: int
    year: int
    place: str
    schools: list[LetterSchool]
    regulations: list[str] = field(default_factory=list)  # "Thông tư số 18/2018/TT-BGDĐT ban hành …"
    date: datetime.date | None = None
    number: str = ""
    # The unit in its own words (schools.Organisation.office / head_label): the office that signs
    # under the committee's name, and its head's title.
    office: str = "Phòng Giáo dục và Đào tạo"
    head_title: str = "Trưởng phòng"


def round_letter(info: LetterInfo) -> FormDocument:
    """Công văn của đơn vị thẩm định (Phòng GD&ĐT, Phòng Văn hóa – Xã hội của UBND phường…) đề nghị Sở GD&ĐT
    đánh giá ngoài các trường của một đợt; the header, number and signature name the unit's own office and head."""
    subject = f"V/v đề nghị đánh giá ngoài các trường đợt {info.round_number} năm {info.year}"
    levels = {s.level for s in info.schools}
    guidance = []
    if levels & {"th", "thcs", "thpt", "multi"}:
        guidance.append(GUIDANCE["general"])
    if "mn" in levels:
        guidance.append(GUIDANCE["mn"])
    blocks: list[Block] = [
        Header(left_top=parent_authority(info.unit_name, info.unit_name), left_bold=info.office or info.unit_name,
               number=info.number or f"Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 /{_office_code(info.office)}", subject=subject,
               place_date=f"{info.place}, {date_admin(info.date)}"),
        Para(text=f"Kính gửi: {info.department_name}.", bold=False, align="center", indent=False),
    ]
    for reference in info.regulations:
        blocks.append(Para(text=f"Căn cứ {reference} của Bộ trưởng Bộ Giáo dục và Đào tạo;"))
    for reference in guidance:
        blocks.append(Para(text=f"Căn cứ {reference};"))
    blocks.append(Para(text="Căn cứ kết quả tự đánh giá và hồ sơ đăng ký đánh giá ngoài của các trường đã được "
                            f"{info.unit_name} kiểm tra, góp ý và chấp thuận,"))
    blocks.append(Para(
        text=f"{info.unit_name} đề nghị {info.department_name} tổ chức đánh giá ngoài đợt {info.round_number} năm "
             f"{info.year} đối với {len(info.schools)} trường sau:"
    ))
    rows = []
    for index, school in enumerate(info.schools, start=1):
        level = f"Mức {school.school_level}" if school.school_level else ("Chưa đạt Mức 1" if school.school_level == 0
                                                                           else "Chưa nộp báo cáo")
        proposal = []
        if school.accreditation_level:
            proposal.append(f"Cấp độ {school.accreditation_level}")
        if school.national_standard:
            proposal.append(f"chuẩn quốc gia Mức độ {school.national_standard}")
        note = (f"Báo cáo phiên bản {school.version}, mã kiểm tra {school.content_hash[:16]}"
                if school.version else "Chưa có báo cáo đã nộp")
        rows.append([str(index), school.name, school.level_label, level, "; ".join(proposal) or "—", note])
    blocks.append(Table(header=["TT", "Tên trường", "Cấp học", "Mức tự đánh giá", "Đề nghị công nhận", "Ghi chú"],
                        rows=rows, widths=[6, 27, 13, 13, 17, 24], center=[0, 2, 3]))
    blocks.append(Para(text="Hồ sơ gửi kèm của mỗi trường gồm: báo cáo tự đánh giá (bản có chữ ký của các thành viên "
                            "Hội đồng tự đánh giá, chữ ký của Hiệu trưởng và đóng dấu) và danh mục mã minh chứng. "
                            "Mã kiểm tra in ở chân mỗi trang báo cáo cho phép đối chiếu bản in với bản đã nộp trên hệ "
                            "thống."))
    blocks.append(Para(text=f"{info.unit_name} trân trọng đề nghị {info.department_name} xem xét, tổ chức đánh giá "
                            "ngoài cho các trường./."))
    blocks.append(Signature(title=info.head_title, name=info.head_name,
                            recipients=["- Như trên;", f"- {parent_authority(info.unit_name, '')} (để b/c);",
                                        "- Các trường có tên trên;", "- Lưu: VT."]))
    return FormDocument(
        title=subject,
        file_stem=f"cong-van-de-nghi-danh-gia-ngoai-dot-{info.round_number}-{info.year}",
        blocks=blocks,
    )
