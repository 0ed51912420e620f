"""A TT57/2026 report dict (Biểu 1) and its Biểu 2 snapshot without a database, for the Word/LibreOffice checks.

Built from the bundled catalog (standards/data/tt57_2026.json, Phụ lục II) on top of the 2018
sample's school, council and evidence shapes: two levels per criterion, MC codes cited in the
state texts, the per-standard assessment, proposals, the three-year data form, and a plan with
issues, actions and monitoring rows (the shape of ``selfassessment.plan57.snapshot_data``).
"""

from __future__ import annotations

import json
import random

from exports.tests.sample import DATA, SENTENCES, STRENGTHS, WEAKNESSES, report_dict

YEARS = ["2024-2025", "2025-2026", "2026-2027"]


def report_dict57(seed: int = 57) -> dict:
    rng = random.Random(seed)
    base = report_dict(evidence_items=30, seed=seed)
    catalog = json.loads((DATA / "tt57_2026.json").read_text(encoding="utf-8"))
    appendix = next(c for c in catalog["catalogs"] if c["appendix"] == "II")
    evidence, standards, summary_rows, levels = [], [], [], []
    order = 0
    for standard in appendix["standards"]:
        criteria = []
        for criterion in standard["criteria"]:
            number = criterion["number"]
            codes = []
            for seq in (1, 2):
                order += 1
                code = f"MC.{number}.{seq:02d}"
                codes.append(code)
                evidence.append({
                    "order": order, "code": code, "name": f"Hồ sơ minh chứng {seq} của tiêu chí {number}",
                    "issued_number": "", "issued_on": None, "issued_period": "", "issued": "", "issuer": "Nhà trường",
                    "box": int(standard["number"]), "note": "", "valid_until": None, "link": "",
                    "criterion": number, "shared_criteria": [],
                    "file": {"name": f"mc-{order}.pdf", "size": 1000, "content_type": "application/pdf",
                             "sha256": f"{order:064x}"},
                })
            level = rng.choice([1, 2, 2])
            levels.append(level)
            blocks = []
            for lv in (1, 2):
                text = ". ".join(rng.sample(SENTENCES, 2)) + f" ({codes[lv - 1]})."
                blocks.append({"level": lv, "indicators": [{
                    "key": "a", "unlettered": True, "text": criterion["levels"][str(lv)][0]["text"], "repealed": False,
                    "repealed_by": "", "current_state": text, "evidence": [codes[lv - 1]],
                    "verdict": "dat" if level >= lv else "khong_dat"}]})
            criteria.append({"number": number, "title": criterion["title"], "assessed": True, "levels": blocks,
                             "strengths": "", "weaknesses": "", "improvement_plan": [], "level": level,
                             "max_level": 2, "explanation": []})
            summary_rows.append({"standard": int(standard["number"]), "criterion": number, "assessed": True,
                                 "level": level, "levels_available": [1, 2]})
        standards.append({"number": int(standard["number"]), "title": standard["title"], "opening": "",
                          "criteria": criteria, "conclusion": ""})
    total = len(levels)
    counts = [{"level": lv, "count": levels.count(lv), "percent": round(100 * levels.count(lv) / total, 1),
               "at_least": sum(1 for x in levels if x >= lv) if lv else levels.count(0),
               "at_least_percent": round(100 * sum(1 for x in levels if x >= lv) / total, 1), "total": total}
              for lv in range(3)]
    form_rows = [{"key": "h_classes", "label": "1. Số lớp học", "heading": True, "indent": 0, "unit": "", "values": []}]
    form_rows += [{"key": f"classes_grade_{g}", "label": f"Khối lớp {g}", "heading": False, "indent": 1, "unit": "",
                   "values": [str(8 + (g + i) % 2) for i in range(3)]} for g in range(6, 10)]
    form_rows.append({"key": "h_staff", "label": "3. Cán bộ quản lý, giáo viên, nhân sự hỗ trợ giáo dục",
                      "heading": True, "indent": 0, "unit": "", "values": []})
    form_rows.append({"key": "staff_teachers", "label": "Tổng số giáo viên", "heading": False, "indent": 1, "unit": "",
                      "values": ["64", "66", "65"]})
    return {
        **base,
        "report": {**base["report"], "school_year": "2026-2027", "kind": "periodic",
                   "kind_label": "Tự đánh giá định kỳ"},
        "regulation": {"code": "TT57/2026-PT", "document_number": "57/2026/TT-BGDĐT", "title": catalog["title"],
                       "version": "original", "amended_by": "", "family": "2026", "level_count": 2,
                       "evidence_code_scheme": "MC.a.b.nn", "chosen_for_date": "2026-09-05"},
        "summary": {"level_count": 2, "criteria": summary_rows, "level4": []},
        "part1": {},
        "part2": {"introduction": "", "standards": standards, "level4": []},
        "part3": {"conclusion": " ".join(rng.sample(SENTENCES, 3)), "criteria_total": total, "counts": counts,
                  "school_level": min(levels) if levels else None, "accreditation_level": None,
                  "national_standard": None, "explanation": []},
        "evidence": evidence,
        "tt57": {
            "overview": {key: " ".join(rng.sample(SENTENCES, 2)) for key in (
                "general", "context_local", "context_advantages", "context_difficulties", "context_learners",
                "purpose", "scope", "time", "process_plan", "process_organisation", "process_analysis",
                "process_confirmation")},
            "standards": [{"number": s["number"], "title": s["title"], "strengths": rng.choice(STRENGTHS),
                           "weaknesses": rng.choice(WEAKNESSES), "trend": " ".join(rng.sample(SENTENCES, 2)),
                           "priorities": rng.choice(WEAKNESSES)} for s in standards],
            "proposals": {"managing_body": "Đề nghị tổ chức tập huấn về tự đánh giá theo Thông tư 57.",
                          "commune": "Đề nghị đầu tư cải tạo sân chơi, bãi tập.", "others": ""},
            "data_form": {"years": YEARS, "header": {"name": base["school"]["name"], "ward": "Văn Miếu"},
                          "rows": form_rows},
        },
    }


def plan_snapshot57() -> dict:
    """A Biểu 2 in the shape of ``selfassessment.plan57.snapshot_data``."""
    issues = [{"id": n, "number": n, "standard": n, "standard_title": "", "criteria": f"{n}.1, {n}.2",
               "current_state": SENTENCES[n], "weakness": WEAKNESSES[n % 2], "cause": "Thiếu kinh phí và thiết bị."}
              for n in (1, 2, 3)]
    actions = [{"id": n, "number": n, "issue": (n + 1) // 2, "content": f"Nội dung cải tiến số {n}",
                "objective": "Nâng tỉ lệ đạt yêu cầu lên 100%", "activities": SENTENCES[n + 3],
                "indicator": "Tỉ lệ hồ sơ được số hóa", "start_on": "2026-10-01", "end_on": "2027-05-31",
                "responsible": "Tổ văn phòng", "coordination": "Các tổ chuyên môn", "resources": "Kinh phí thường xuyên",
                "expected_evidence": "Báo cáo kết quả thực hiện", "status": ("done", "in_progress", "not_done", "")[n % 4]}
               for n in range(1, 6)]
    checks = [{"id": n, "point": point, "action": n, "content": f"Tiến độ nội dung {n}", "result": "Đã thực hiện 60%",
               "evidence": "", "adjustment": "", "assessor": "Phó Hiệu trưởng", "recorded_at": "2027-01-10"}
              for n, point in ((1, "semester1"), (3, "year_end"))]
    return {
        "schema": 1, "revision": 3,
        "info": {"school": "Trường THCS Đống Đa", "kind": "Công lập, Trung học cơ sở", "address": "Số 12 phố Quốc Tử Giám",
                 "school_year": "2026-2027", "unit": "Phòng Giáo dục và Đào tạo quận Đống Đa"},
        "sections": {"basis_report": "Báo cáo tự đánh giá năm học 2026-2027 của nhà trường.",
                     "basis_review": "", "basis_school_plan": "Kế hoạch năm học 2026-2027.", "basis_other": "",
                     "org_head": "Chỉ đạo chung việc thực hiện kế hoạch.", "org_council": "Theo dõi, đánh giá.",
                     "org_groups": "Triển khai các hoạt động được phân công."},
        "issues": issues, "actions": actions, "checks": checks,
    }
