"""Biểu 2 of TT57/2026 (Kế hoạch cải tiến chất lượng giáo dục) as its own document, PDF or Word, landscape.

The plan's content is ``selfassessment.plan57.Plan57Document`` (sections I-VIII, tables IV, V, VI):
of the live plan for a draft, of the version's snapshot key "plan57" for a submitted version
(``plan_document``). The head and the signature come from the report dict (school, managing body,
place, principal). The Word file is written block for block like ``templates/exports/pdf/plan57.html``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exports.document import DRAFT_WATERMARK, Stamp, paragraphs, place_name, slug
from exports.pdf import page_format, render_pdf
from selfassessment import plan57

from .base import Exporter

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class PlanHead:
    managing_body: str
    school_name: str
    school_code: str
    place_date: str
    principal: str


def plan_head(report_data: Mapping[str, Any], stamp: Stamp) -> PlanHead:
    school = report_data.get("school") or {}
    place = place_name(school.get("managing_body", ""), school.get("province", ""))
    school_year = (report_data.get("report") or {}).get("school_year", "")
    if stamp.submitted_at is not None:
        day = stamp.submitted_at
        when = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    else:
        when = f"ngày\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0 năm {school_year[:4] or ''}".rstrip()
    return PlanHead(school.get("managing_body", ""), school.get("name", ""), school.get("code", ""),
                    f"{place}, {when}" if place else when, school.get("principal", ""))


def plan_document(report, source) -> Any:
    """Biểu 2 to print with a report source (``exports.selectors.report_source``), or None without one.

    A submitted version prints the plan frozen with it (snapshot key "plan57"; a version frozen
    before the key existed has none); the live draft prints the live plan.
    """
    if source.version is not None:
        data = (source.data or {}).get("plan57")
        return plan57.document_from_data(data) if data else None
    plan = plan57.plan_for_report(report)
    return plan57.document_for_plan(plan) if plan is not None else None


class ImprovementPlan57Exporter(Exporter):
    """Biểu 2 in ``fmt`` ("pdf" or "docx") from its document, the report dict and the version's stamp."""

    formats: tuple[str, ...] = FORMATS

    def __init__(self, plan, report_data: Mapping[str, Any], stamp: Stamp | None = None, fmt: str = "pdf"):
        if fmt not in FORMATS:
            raise ValueError(f"Unknown format {fmt!r}")
        self.extension = fmt
        self.plan = plan
        self.report_data = report_data
        self.stamp = stamp or Stamp()
        self.head = plan_head(report_data, self.stamp)

    def file_stem(self) -> str:
        suffix = "ban-nhap" if self.stamp.is_draft else f"v{self.stamp.version}"
        year = (self.report_data.get("report") or {}).get("school_year", "")
        return f"ke-hoach-cai-tien-chat-luong-{slug(self.head.school_code)}-{year}-{suffix}"

    def content(self) -> bytes:
        return self._pdf() if self.extension == "pdf" else self._docx()

    def _texts(self, pairs) -> list[tuple[str, list[str]]]:
        return [(label, paragraphs(value)) for label, value in pairs]

    def _pdf(self) -> bytes:
        return render_pdf("exports/pdf/plan57.html", {
            "plan": self.plan, "head": self.head, "basis": self._texts(self.plan.basis),
            "organisation": self._texts(self.plan.organisation), "footer": self.stamp.footer,
            "watermark": DRAFT_WATERMARK if self.stamp.is_draft else "",
        })

    def _docx(self) -> bytes:
        from exports.wordfile import CENTER, DocxWriter

        plan, head = self.plan, self.head
        fmt = page_format()
        margins = {side: fmt[f"margin_{side}"] for side in ("top", "bottom", "left", "right")}
        w = DocxWriter(margins_mm=margins, font_size=fmt["font_size"],
                       draft_mark=DRAFT_WATERMARK if self.stamp.is_draft else "", footer=self.stamp.footer,
                       author=head.school_name, title=plan.title)
        # The form is printed in landscape from its first page.
        w._format_section(w.doc.sections[0], landscape=True)
        w.admin_header(left_top=head.managing_body, left_bold=head.school_name, number="",
                       place_date=head.place_date)
        w.paragraph(plan.title, bold=True, align=CENTER, size=14, space_before=12, space_after=6,
                    keep_with_next=True)

        def heading(index: int) -> None:
            w.heading(plan.headings[index], 2)

        def titled(pairs) -> None:
            for label, texts in self._texts(pairs):
                w.paragraph(label, bold=True, italic=True, indent=False, space_before=4, space_after=2,
                            keep_with_next=True)
                for text in texts:
                    w.paragraph(text)
                if not texts:
                    w.paragraph("(Chưa viết.)", italic=True)

        heading(0)
        for label, value in plan.info:
            w.paragraph(f"- {label}: {value}")
        heading(1)
        titled(plan.basis)
        heading(2)
        w.paragraph("1. Mục đích", bold=True, italic=True, indent=False, keep_with_next=True)
        for line in plan.purpose:
            w.paragraph(line)
        w.paragraph("2. Yêu cầu", bold=True, italic=True, indent=False, keep_with_next=True)
        for line in plan.requirements:
            w.paragraph(line)
        heading(3)
        w.table(list(plan.table_iv_columns), [row.cells for row in plan.issues], widths=[6, 12, 14, 24, 22, 22],
                center_columns=[0], size=11, empty_text="Chưa có vấn đề trọng tâm.")
        w.paragraph(plan.table_iv_note, italic=True, indent=False, size=11)
        heading(4)
        w.table(list(plan.table_v_columns), [row.cells for row in plan.actions],
                widths=[5, 11, 11, 13, 11, 10, 10, 9, 11, 9], center_columns=[0], size=11,
                empty_text="Chưa có nội dung cải tiến.")
        heading(5)
        rows = []
        for point in plan.monitoring:
            if not point.rows:
                rows.append([point.label, "", "", "", ""])
            for index, row in enumerate(point.rows):
                rows.append([point.label if index == 0 else "", *row.cells[1:]])
        w.table(list(plan.table_vi_columns), rows, widths=[14, 25, 27, 19, 15], size=11)
        heading(6)
        titled(plan.organisation)
        heading(7)
        for line in plan.mechanism:
            w.paragraph(line)
        w.signature(title="Hiệu trưởng", name=head.principal, note="(Ký, ghi rõ họ tên và đóng dấu)", space_mm=24)
        return w.save()


def version_plan_files(data: Mapping[str, Any], stamp: Stamp, formats: tuple[str, ...] = ("pdf",)) -> list[tuple[str, bytes]]:
    """Biểu 2 frozen with a submitted version (snapshot key "plan57"), as (file name, bytes) per format;
    nothing for a 2018 report or a version frozen before the key existed. Used by the round dossier."""
    plan_data = (data or {}).get("plan57")
    if not plan_data:
        return []

    document = plan57.document_from_data(plan_data)
    return [ImprovementPlan57Exporter(document, data, stamp, fmt).render()[::2] for fmt in formats]
