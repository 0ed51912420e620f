"""A complete report dict in the shape of ``selfassessment.serializers.report_as_dict``, without a database.

Built from the bundled catalog (``standards/data/tt18_2018.json`` …) with realistic Vietnamese text,
verdicts from a seeded random generator and levels computed by the real level engine, so that
tests can check what the exports print against what the rules say, and the benchmark can render
a full-size report (28 criteria, 150 evidence items) in isolation.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from standards import engine

DATA = Path(__file__).resolve().parents[2] / "standards" / "data"

SENTENCES = [
    "Nhà trường xây dựng phương hướng, chiến lược phát triển giai đoạn 2020-2025, tầm nhìn đến năm 2030, "
    "phù hợp với mục tiêu giáo dục được quy định tại Luật Giáo dục và định hướng phát triển kinh tế - xã hội "
    "của quận Đống Đa",
    "Kế hoạch được Hội đồng trường thông qua, Phòng Giáo dục và Đào tạo phê duyệt và niêm yết công khai tại "
    "bảng tin của nhà trường, đồng thời đăng tải trên trang thông tin điện tử",
    "Hằng năm, Ban giám hiệu tổ chức rà soát, đánh giá việc thực hiện kế hoạch, điều chỉnh các chỉ tiêu cho "
    "phù hợp với điều kiện thực tế về đội ngũ, cơ sở vật chất và số lượng học sinh",
    "Các tổ chuyên môn sinh hoạt định kỳ hai tuần một lần theo nghiên cứu bài học, có biên bản ghi chép đầy đủ "
    "nội dung, ý kiến của giáo viên và kết luận của tổ trưởng",
    "Đội ngũ giáo viên đạt chuẩn trình độ đào tạo theo Luật Giáo dục năm 2019; 100% giáo viên được đánh giá "
    "đạt chuẩn nghề nghiệp từ mức khá trở lên",
    "Nhà trường phối hợp chặt chẽ với Ban đại diện cha mẹ học sinh, Đoàn Thanh niên Cộng sản Hồ Chí Minh và "
    "chính quyền địa phương trong công tác giáo dục đạo đức, lối sống cho học sinh",
    "Khuôn viên trường xanh, sạch, đẹp; có tường bao, cổng trường, biển tên trường theo quy định; khu sân chơi, "
    "bãi tập có diện tích phù hợp, bảo đảm an toàn cho học sinh",
    "Thư viện được trang bị sách giáo khoa, sách tham khảo, báo, tạp chí; tổ chức các hoạt động khuyến đọc, "
    "ngày hội đọc sách thu hút đông đảo học sinh tham gia",
    "Kết quả học tập và rèn luyện của học sinh được đánh giá theo Thông tư số 22/2021/TT-BGDĐT; tỉ lệ học sinh "
    "có kết quả học tập từ mức khá trở lên tăng dần qua các năm học",
    "Công tác quản lý tài chính, tài sản được thực hiện công khai, minh bạch theo quy chế chi tiêu nội bộ, "
    "được kiểm tra định kỳ và không có sai phạm",
    "Nhà trường ứng dụng công nghệ thông tin trong quản lý, dạy học và liên lạc với cha mẹ học sinh qua sổ "
    "liên lạc điện tử, hệ thống quản lý trường học trực tuyến",
    "Hoạt động giáo dục kỹ năng sống, giáo dục hướng nghiệp được lồng ghép trong các môn học và hoạt động "
    "trải nghiệm, có kế hoạch cụ thể theo từng học kỳ",
]
STRENGTHS = [
    "Nhà trường có kế hoạch rõ ràng, khả thi, được xây dựng với sự tham gia của cán bộ, giáo viên, nhân viên "
    "và cha mẹ học sinh; việc thực hiện được kiểm tra, giám sát thường xuyên.",
    "Đội ngũ cán bộ quản lý, giáo viên nhiệt tình, có trách nhiệm, tích cực đổi mới phương pháp dạy học và "
    "ứng dụng công nghệ thông tin.",
]
WEAKNESSES = [
    "Việc lưu trữ một số hồ sơ, minh chứng của các năm học trước chưa được sắp xếp khoa học; một số biên bản "
    "ghi chép còn sơ sài.",
    "Một số phòng học bộ môn xuống cấp, thiết bị dạy học chưa được bổ sung kịp thời theo Chương trình giáo dục "
    "phổ thông 2018.",
]
ACTIONS = [
    ("Rà soát, sắp xếp lại hồ sơ, minh chứng theo từng tiêu chí; số hóa các văn bản lưu trữ", "Tổ văn phòng",
     "Kinh phí chi thường xuyên", "Hồ sơ được lưu trữ khoa học, tra cứu thuận tiện"),
    ("Tham mưu với UBND quận cải tạo phòng học bộ môn, bổ sung thiết bị dạy học tối thiểu", "Hiệu trưởng",
     "Ngân sách quận và xã hội hóa", "100% phòng học bộ môn đạt chuẩn"),
    ("Tổ chức bồi dưỡng giáo viên về đổi mới phương pháp dạy học, kiểm tra đánh giá theo định hướng phát triển "
     "phẩm chất, năng lực", "Phó hiệu trưởng chuyên môn", "Kinh phí bồi dưỡng thường xuyên",
     "100% giáo viên vận dụng hiệu quả"),
]
EVIDENCE_NAMES = [
    ("Quyết định thành lập Hội đồng trường nhiệm kỳ 2020-2025", "UBND quận Đống Đa"),
    ("Kế hoạch chiến lược phát triển nhà trường giai đoạn 2020-2025, tầm nhìn đến năm 2030", "Trường THCS"),
    ("Biên bản họp Hội đồng sư phạm đầu năm học", "Trường THCS"),
    ("Kế hoạch giáo dục nhà trường năm học", "Trường THCS"),
    ("Sổ nghị quyết của chi bộ nhà trường", "Chi bộ Trường THCS"),
    ("Báo cáo tổng kết năm học", "Trường THCS"),
    ("Biên bản kiểm tra nội bộ trường học", "Ban kiểm tra nội bộ"),
    ("Hồ sơ đánh giá chuẩn nghề nghiệp giáo viên", "Tổ chuyên môn"),
    ("Sổ theo dõi tài sản, thiết bị dạy học", "Nhân viên thiết bị"),
    ("Phiếu khảo sát ý kiến cha mẹ học sinh", "Nhóm công tác số 4"),
]


def load_catalog(name: str = "tt18_2018") -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def _text(rng: random.Random, codes: list[str], sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        sentence = rng.choice(SENTENCES)
        cited = rng.sample(codes, k=min(len(codes), rng.randint(1, 2))) if codes else []
        parts.append(f"{sentence} [{'; '.join(cited)}]." if cited else f"{sentence}.")
    return " ".join(parts)


def _verdict(met: bool | None) -> str | None:
    return None if met is None else ("dat" if met else "khong_dat")


def report_dict(
    *,
    catalog: str = "tt18_2018",
    evidence_items: int = 150,
    seed: int = 2024,
    sentences: int = 3,
    miss_rate: float = 0.08,
    school_level: str = "thcs",
    school_name: str = "Trường THCS Đống Đa",
    school_code: str = "DDA-THCS-01",
) -> dict:
    """A complete, realistic report dict; levels come from the real engine."""
    rng = random.Random(seed)
    data = load_catalog(catalog)
    criteria = [(s, c) for s in data["standards"] for c in s["criteria"]]
    level_count = 3

    # Evidence: spread over the criteria (the first ones get the remainder), coded H{std}-{crit}-{seq}.
    per_criterion = {c["number"]: evidence_items // len(criteria) for _, c in criteria}
    for _, c in criteria[: evidence_items % len(criteria)]:
        per_criterion[c["number"]] += 1
    evidence, codes_of = [], {}
    order = 0
    for standard, criterion in criteria:
        codes_of[criterion["number"]] = []
        for seq in range(1, per_criterion[criterion["number"]] + 1):
            order += 1
            name, issuer = EVIDENCE_NAMES[(order - 1) % len(EVIDENCE_NAMES)]
            code = f"H{standard['number']}-{criterion['number']}-{seq:02d}"
            codes_of[criterion["number"]].append(code)
            year = 2019 + order % 5
            has_file = order % 3 == 0
            evidence.append({
                "order": order, "code": code, "name": f"{name} {year}-{year + 1}",
                "issued_number": f"{order}/QĐ-THCS" if order % 2 else "",
                "issued_on": f"{year}-09-{1 + order % 27:02d}", "issued_period": "" if order % 2 else f"Năm học {year}-{year + 1}",
                "issued": "", "issuer": issuer, "box": standard["number"], "note": "Bản sao" if order % 7 == 0 else "",
                "valid_until": f"{year + 5}-09-01" if order % 11 == 0 else None, "link": "",
                "criterion": criterion["number"], "shared_criteria": [],
                "file": {"name": f"mc-{order}.pdf", "size": 20480 + order, "content_type": "application/pdf",
                         "sha256": hashlib.sha256(code.encode()).hexdigest()} if has_file else None,
            })

    tree: dict[str, dict[int, dict[str, bool]]] = {}
    part2_standards = []
    for standard in data["standards"]:
        crit_dicts = []
        for criterion in standard["criteria"]:
            number = criterion["number"]
            blocks = []
            for level_key in ("1", "2", "3"):
                level = int(level_key)
                indicators = []
                for indicator in criterion["levels"].get(level_key, []):
                    met = rng.random() > miss_rate * level
                    tree.setdefault(number, {}).setdefault(level, {})[indicator["key"]] = met
                    text = _text(rng, codes_of[number], rng.randint(sentences - 1, sentences + 1))
                    indicators.append({
                        "key": indicator["key"], "unlettered": bool(indicator.get("unlettered")),
                        "text": indicator["text"], "repealed": False, "repealed_by": "",
                        "current_state": text, "evidence": [], "verdict": _verdict(met),
                    })
                blocks.append({"level": level, "indicators": indicators})
            crit_dicts.append({
                "number": number, "title": criterion["title"], "assessed": True, "levels": blocks,
                "strengths": rng.choice(STRENGTHS) + "\n" + rng.choice(STRENGTHS),
                "weaknesses": rng.choice(WEAKNESSES),
                "improvement_plan": [
                    {"action": a, "responsible": who, "start_on": "2025-09-01", "due_on": "2026-05-31",
                     "resources": res, "expected_result": result, "status": "not_started", "dropped_reason": ""}
                    for a, who, res, result in rng.sample(ACTIONS, k=2)
                ],
                "level": None, "max_level": max(int(k) for k, v in criterion["levels"].items() if v),
                "explanation": [],
            })
        part2_standards.append({
            "number": standard["number"], "title": standard["title"],
            "opening": _text(rng, [], 3), "criteria": crit_dicts, "conclusion": _text(rng, [], 2),
        })

    # Citations the way the serializer lists them (selfassessment uses evidence.codes.find_citations).
    from evidence.codes import find_citations

    for standard in part2_standards:
        for criterion in standard["criteria"]:
            for block in criterion["levels"]:
                for indicator in block["indicators"]:
                    indicator["evidence"] = find_citations(indicator["current_state"])

    level4 = []
    level4_verdicts = {}
    for requirement in data.get("level4_requirements") or []:
        met = rng.random() > 0.5
        level4_verdicts[str(requirement["number"])] = met
        level4.append({
            "number": requirement["number"], "article": requirement.get("article", ""), "text": requirement["text"],
            "current_state": _text(rng, codes_of[criteria[0][1]["number"]], 2), "evidence": [],
            "strengths": rng.choice(STRENGTHS), "weaknesses": rng.choice(WEAKNESSES),
            "improvement_plan": [], "verdict": _verdict(met),
        })
    for item in level4:
        item["evidence"] = find_citations(item["current_state"])

    rules = engine.build_catalog_rules(
        regulation=data["code"], family="2018", level_count=level_count,
        criteria=[
            (c["number"], [(int(lv), i["key"], False) for lv, items in c["levels"].items() for i in items])
            for _, c in criteria
        ],
        level4=[str(r["number"]) for r in data.get("level4_requirements") or []],
        rules=data.get("rules"),
    )
    result = engine.evaluate(
        rules, engine.Verdicts(indicators=tree, level4=level4_verdicts),
        engine.SchoolFacts(completed_cohorts=30, years_operating=60),
    )
    summary_rows = []
    for standard in part2_standards:
        for criterion in standard["criteria"]:
            level = result.criteria[criterion["number"]].level
            criterion["level"] = level
            summary_rows.append({
                "standard": standard["number"], "criterion": criterion["number"], "assessed": True, "level": level,
                "levels_available": [lv for lv in range(1, level_count + 1) if lv <= criterion["max_level"]],
            })
    levels = [r["level"] for r in summary_rows]
    counts = []
    for level in range(level_count + 1):
        exact = sum(1 for lv in levels if lv == level)
        at_least = sum(1 for lv in levels if lv >= level) if level else exact
        counts.append({"level": level, "count": exact, "percent": round(100 * exact / len(levels), 1),
                       "at_least": at_least, "at_least_percent": round(100 * at_least / len(levels), 1),
                       "total": len(levels)})

    years = [f"{y}-{y + 1}" for y in range(2020, 2025)]
    grades = [f"grade_{g}" for g in range(6, 10)]
    return {
        "format": "kiemdinh.selfassessment.report/1",
        "report": {"id": 1, "kind": "external", "kind_label": "Tự đánh giá để đăng ký đánh giá ngoài",
                   "school_year": "2024-2025", "version": 42},
        "school": {
            "code": school_code, "name": school_name, "former_names": ["Trường cấp II Đống Đa"],
            "level": school_level, "level_label": "Trung học cơ sở", "ownership": "public", "ownership_label": "Công lập",
            "managing_body": "Phòng Giáo dục và Đào tạo quận Đống Đa", "department": "Sở Giáo dục và Đào tạo Hà Nội",
            "province": "Hà Nội", "address": "Số 12 phố Quốc Tử Giám", "ward": "Văn Miếu", "phone": "024 3845 1234",
            "email": "c2dongda@hanoiedu.vn", "website": "https://thcsdongda.edu.vn", "principal": "Nguyễn Thị Hương",
            "founding_year": 1960, "sites_count": 1, "difficult_area": False, "especially_difficult_area": False,
        },
        "regulation": {
            "code": data["code"], "document_number": data["number"], "title": data.get("title", ""),
            "version": "original", "amended_by": "", "family": "2018", "level_count": level_count,
            "evidence_code_scheme": "Hn-a.b-c", "chosen_for_date": "2024-09-05",
        },
        "council": {
            "decision_number": "45/QĐ-THCSĐĐ", "decision_date": "2024-09-10",
            "members": [
                {"order": i, "full_name": name, "title": title, "role": role, "role_label": label, "duty": "",
                 "secretary_group": role == "secretary"}
                for i, (name, title, role, label) in enumerate([
                    ("Nguyễn Thị Hương", "Hiệu trưởng", "chair", "Chủ tịch Hội đồng"),
                    ("Trần Văn Đức", "Phó Hiệu trưởng", "vice_chair", "Phó Chủ tịch Hội đồng"),
                    ("Lê Thị Thu Hà", "Giáo viên, Tổ trưởng tổ Văn phòng", "secretary", "Thư ký Hội đồng"),
                    ("Phạm Quốc Việt", "Tổ trưởng tổ Khoa học tự nhiên", "member", "Ủy viên"),
                    ("Đỗ Thị Ngọc Ánh", "Tổ trưởng tổ Khoa học xã hội", "member", "Ủy viên"),
                    ("Vũ Minh Tuấn", "Chủ tịch Công đoàn", "member", "Ủy viên"),
                    ("Hoàng Thị Lan", "Bí thư Chi đoàn", "member", "Ủy viên"),
                ], start=1)
            ],
            "secretary_group": ["Lê Thị Thu Hà", "Bùi Thị Nga"],
            "working_groups": [
                {"name": f"Nhóm công tác số {n}", "leader": leader, "members": [leader, "Bùi Thị Nga"],
                 "criteria": [c["number"] for c in data["standards"][n - 1]["criteria"]]}
                for n, leader in enumerate(["Trần Văn Đức", "Phạm Quốc Việt", "Đỗ Thị Ngọc Ánh", "Vũ Minh Tuấn",
                                            "Hoàng Thị Lan"], start=1)
            ],
        },
        "plan": {
            "purpose": "Nhà trường tự xem xét, kiểm tra, chỉ ra các điểm mạnh, điểm yếu của từng tiêu chí.\n"
                       "Xây dựng kế hoạch cải tiến chất lượng, đăng ký kiểm định chất lượng giáo dục.",
            "scope": "Tự đánh giá toàn bộ các hoạt động của nhà trường theo 5 tiêu chuẩn, 28 tiêu chí.",
            "tools": "Thông tư số 18/2018/TT-BGDĐT và Công văn số 5932/BGDĐT-QLCL.",
            "training": "Tổ chức tập huấn nghiệp vụ tự đánh giá cho thành viên Hội đồng trong tuần 1.",
            "resources": [
                {"criterion": c["number"], "resources": "Hồ sơ quản lý, sổ sách của nhà trường",
                 "needed_when": "Tuần 2 - tuần 5"} for _, c in criteria[:5]
            ],
            "timeline": [
                {"week": 1, "activity": "Họp Hội đồng tự đánh giá, phổ biến kế hoạch", "responsible": "Chủ tịch Hội đồng"},
                {"week": 2, "activity": "Thu thập, phân tích minh chứng", "responsible": "Các nhóm công tác"},
                {"week": 5, "activity": "Viết phiếu đánh giá tiêu chí", "responsible": "Các nhóm công tác"},
                {"week": 8, "activity": "Hoàn thiện, công bố báo cáo tự đánh giá", "responsible": "Thư ký Hội đồng"},
            ],
        },
        "summary": {"level_count": level_count, "criteria": summary_rows,
                    "level4": [{"number": i["number"], "verdict": i["verdict"]} for i in level4]},
        "part1": {
            "years": years, "completed_cohorts": 30,
            "tables": [
                {"key": "classes", "title": "Số lớp học", "columns": [{"key": y, "label": y} for y in years],
                 "rows": [{"key": g, "label": f"Khối lớp {g[-1]}", "heading": False, "computed": False, "indent": 0,
                           "values": [8 + i % 2 for i in range(5)]} for g in grades]
                 + [{"key": "total", "label": "Cộng", "heading": False, "computed": True, "indent": 0,
                     "values": [32 + (i % 2) * 4 for i in range(5)]}]},
                {"key": "staff", "title": "Cán bộ quản lý, giáo viên, nhân viên (tại thời điểm tự đánh giá)",
                 "columns": [{"key": "total", "label": "Tổng số", "group": ""}, {"key": "women", "label": "Nữ", "group": ""},
                             {"key": "ethnic", "label": "Dân tộc thiểu số", "group": ""},
                             {"key": "below", "label": "Chưa đạt chuẩn", "group": "Trình độ đào tạo"},
                             {"key": "standard", "label": "Đạt chuẩn", "group": "Trình độ đào tạo"},
                             {"key": "above", "label": "Trên chuẩn", "group": "Trình độ đào tạo"}],
                 "rows": [{"key": "teachers", "label": "Giáo viên", "heading": False, "computed": False, "indent": 0,
                           "values": [64, 55, 1, 0, 40, 24]},
                          {"key": "results_heading", "label": "Nhân viên", "heading": True, "computed": False,
                           "indent": 0, "values": []},
                          {"key": "total", "label": "Cộng", "heading": False, "computed": True, "indent": 0,
                           "values": [1234, 60, 1, 0, 44, 26]}]},
            ],
        },
        "part2": {"introduction": _text(rng, [], 6) + "\n" + _text(rng, [], 4), "standards": part2_standards,
                  "level4": level4},
        "part3": {
            "conclusion": _text(rng, [], 3), "criteria_total": len(levels), "counts": counts,
            "school_level": result.school_level, "accreditation_level": result.accreditation_level,
            "national_standard": result.national_standard, "explanation": [],
        },
        "evidence": evidence,
    }
