"""Demo reports: complete 2024-2025 reports for DDA-MN-01, DDA-TH-01 and DDA-THCS-01, partial ones for
a few other schools, and last year's report of two THCS (so "start from last year's report" and the
"same as last year" check have something to show).

Idempotent: a report that exists for (school, year, kind) is left alone. Everything is written
through the services, as the principal and the council's secretary would write it; texts cite
the codes of the school's demo evidence (evidence/demo.py runs first) under the criterion they
belong to, so that the reports are consistent, apart from a few deliberate slips for the
consistency checks to find (an uncited item, a mistyped code, a row of Phần I that does not add up).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction

from evidence.selectors import evidence_for_school
from schools import demo as schools_demo
from schools import demo_clock
from schools import years as school_years
from schools.models import Membership, School, SchoolYear, User
from selfassessment import levels, schooldata, services
from selfassessment.models import CouncilMember, Level4Verdict, Passage, Report

# The years as the data was written (2026-2027 current); shifted by the demo's clock (schools.demo_clock):
# ``YEAR``, ``LAST_YEAR``, ``TT57_YEAR`` and ``TT57_DAY`` are read through the clock (``__getattr__`` below).
_YEAR = "2024-2025"
_LAST_YEAR = "2023-2024"
FULL = ["DDA-MN-01", "DDA-TH-01", "DDA-THCS-01"]
PARTIAL = ["DDA-MN-02", "DDA-TH-02", "DDA-THCS-02", "LBI-THCS-01"]
# Schools with last year's report: THCS-01 (its 2024-2025 report starts from it), THCS-03 (left
# without a 2024-2025 report, for a principal to try "start from last year's report").
PREVIOUS = ["DDA-THCS-01", "DDA-THCS-03"]
DEMO_PASSWORD = "Demo@2024kd"  # noqa: S105  # nosec B105  # the demo accounts' password (schools.demo)

# How far each full school gets: the share of criteria reaching Mức 2 and Mức 3, and Mức 4 items met.
PROFILES = {
    "DDA-MN-01": {"level2": 1.0, "level3": 1.0, "level4": 0.67, "cohorts": None},
    "DDA-TH-01": {"level2": 1.0, "level3": 0.55, "level4": 0.0, "cohorts": 40},
    "DDA-THCS-01": {"level2": 0.93, "level3": 0.45, "level4": 0.0, "cohorts": 45},
}

COUNCIL = [
    ("chair", "Hiệu trưởng", "Phụ trách chung; chỉ đạo các nhóm công tác", False),
    ("vice_chair", "Phó Hiệu trưởng", "Phụ trách Tiêu chuẩn 2, 3 và 5", False),
    ("secretary", "Giáo viên, Thư ký Hội đồng trường", "Tổng hợp báo cáo, quản lý minh chứng", True),
    ("member", "Chủ tịch Công đoàn", "Phụ trách Tiêu chuẩn 1", False),
    ("member", "Bí thư Chi đoàn", "Phụ trách Tiêu chuẩn 4", False),
    ("member", "Tổ trưởng chuyên môn", "Phụ trách Tiêu chuẩn 5", False),
    ("member", "Tổ trưởng chuyên môn", "Phụ trách Tiêu chuẩn 2", False),
    ("member", "Tổ trưởng Tổ văn phòng", "Phụ trách Tiêu chuẩn 3", False),
    ("member", "Kế toán", "Phụ trách tài chính, tài sản (Tiêu chí 1.6)", False),
    ("", "Nhân viên văn thư", "Thu thập, mã hóa minh chứng", True),
    ("", "Giáo viên", "Viết phiếu đánh giá tiêu chí", False),
    ("", "Giáo viên", "Viết phiếu đánh giá tiêu chí", False),
]
NAMES = [
    "Nguyễn Thị Thu Hằng", "Trần Minh Đức", "Lê Thị Ngọc Anh", "Phạm Văn Tiến", "Hoàng Thị Bích Ngọc",
    "Vũ Thị Phương", "Đỗ Thị Hải Yến", "Bùi Văn Thành", "Ngô Thị Lan Hương", "Đặng Thu Trang",
    "Phan Thị Mỹ Linh", "Trịnh Quốc Việt", "Lương Thị Thanh Tâm", "Nguyễn Hữu Khánh",
]

OPENINGS_STATE = [
    "Trong 5 năm học gần đây,", "Hằng năm,", "Từ năm học 2020-2021 đến nay,", "Thực hiện chỉ đạo của Phòng GD&ĐT,",
    "Ngay từ đầu mỗi năm học,", "Trong quá trình thực hiện nhiệm vụ,",
]
EVIDENCE_SENTENCES = [
    "Nội dung này được thể hiện trong {name} {cite}.",
    "Minh chứng là {name} {cite}.",
    "Kết quả được ghi nhận tại {name} {cite}.",
    "Việc thực hiện được lưu trong {name} {cite}.",
]
NOT_MET_REASONS = [
    "chưa thực hiện thường xuyên, việc lưu trữ hồ sơ chưa đầy đủ theo từng năm học",
    "kết quả đạt được chưa đồng đều giữa các năm học",
    "một số nội dung mới thực hiện từ năm học 2023-2024, chưa đủ thời gian để đánh giá",
    "điều kiện về cơ sở vật chất và kinh phí còn hạn chế nên chưa đáp ứng đầy đủ yêu cầu",
]
STRENGTHS = [
    "Nhà trường đã chủ động triển khai đầy đủ các nội dung về {title}; các văn bản, kế hoạch được xây dựng kịp thời, "
    "phù hợp với điều kiện thực tế và được lưu trữ khoa học {cite}.",
    "Cán bộ quản lý, giáo viên, nhân viên nắm vững yêu cầu về {title}; công tác phối hợp giữa các bộ phận chặt chẽ, "
    "được cha mẹ học sinh và chính quyền địa phương đánh giá cao {cite}.",
    "Việc thực hiện {title} được kiểm tra, đánh giá định kỳ, kịp thời điều chỉnh; kết quả năm sau cao hơn năm trước {cite}.",
]
WEAKNESSES = [
    "Việc cập nhật, lưu trữ hồ sơ liên quan đến {title} có thời điểm chưa kịp thời; một số biên bản còn ghi chép sơ sài.",
    "Việc ứng dụng công nghệ thông tin trong {title} còn hạn chế; chưa khai thác hết hiệu quả phần mềm quản lý.",
    "Một số giáo viên trẻ còn ít kinh nghiệm trong {title}, chưa chủ động đề xuất giải pháp.",
]
ACTIONS = [
    ("Rà soát, bổ sung và hoàn thiện hồ sơ về {title}; phân công cán bộ theo dõi, cập nhật hằng tháng.",
     "Phó Hiệu trưởng; tổ văn phòng", "Kinh phí chi thường xuyên của nhà trường",
     "Hồ sơ đầy đủ, cập nhật kịp thời, lưu trữ khoa học."),
    ("Tổ chức bồi dưỡng cho giáo viên, nhân viên về {title}; chia sẻ kinh nghiệm trong sinh hoạt chuyên môn.",
     "Hiệu trưởng; các tổ trưởng chuyên môn", "Tài liệu bồi dưỡng; báo cáo viên của Phòng GD&ĐT",
     "100% giáo viên, nhân viên được bồi dưỡng, vận dụng hiệu quả."),
    ("Ứng dụng phần mềm quản lý trường học trong {title}; số hóa hồ sơ, minh chứng.",
     "Cán bộ phụ trách công nghệ thông tin", "Trang thiết bị hiện có; kinh phí số hóa 15 triệu đồng",
     "Hồ sơ được số hóa, tra cứu nhanh, phục vụ tự đánh giá hằng năm."),
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _clean(text: str) -> str:
    return (text or "").strip().rstrip(";.").strip()


PREDICATE_STARTS = ("Được", "Có", "Thực hiện", "Phù hợp", "Đảm bảo", "Đáp ứng", "Hoạt động", "Xây dựng", "Đạt", "Tổ chức",
                    "Quản lý", "Lưu trữ", "Đánh giá", "Triển khai", "Công khai", "Định kỳ")


def _statement(criterion_title: str, indicator_text: str) -> str:
    """The indicator as a statement about the school (the catalog writes it as a predicate or a sentence)."""
    text = _clean(indicator_text)
    if not text:
        return f"{criterion_title} đáp ứng yêu cầu của chỉ báo"
    if text.startswith(PREDICATE_STARTS):
        return f"{criterion_title} {_lower_first(text)}"
    return text


def _cite(items) -> str:
    return "[" + "; ".join(e.code for e in items) + "]" if items else ""


def _user(username: str, full_name: str, school: School, title: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@demo.kiemdinh.vn", "position": title}
    )
    if created:
        schools_demo.set_demo_password(user)
    Membership.objects.get_or_create(user=user, role=Membership.Role.SCHOOL_STAFF, school=school,
                                     defaults={"title": title})
    return user


class Writer:
    """Writes one demo report through the services: texts are kept and saved together (``flush``), as
    a principal putting in a whole draft; ``flush`` runs before anything reads them back."""

    def __init__(self, report: Report, principal: User, rng: random.Random, evidence_by_criterion: dict,
                 words: str = ""):
        self.report = report
        # A sentence added to every text (this year's report rewrites last year's, it does not copy it).
        self.words = words
        self.principal = principal
        self.rng = rng
        self.evidence = evidence_by_criterion
        self.used: set[str] = set()
        self._keys: set[str] | None = None
        self._pending: dict[str, str] = {}
        self._by: User = principal

    def text(self, key: str, text: str, by: User | None = None) -> None:
        if self._keys is None:
            self._keys = set(Passage.objects.filter(report=self.report).values_list("key", flat=True))
        if key not in self._keys:
            return
        if self.words and key.startswith(("indicator:", "criterion:", "standard:", "level4:")):
            text = f"{text} {self.words}"
        if (by or self.principal) != self._by:
            self.flush()
            self._by = by or self.principal
        self._pending[key] = text

    def flush(self) -> None:
        """Save the texts written so far (one service call)."""
        if not self._pending:
            return
        revisions = dict(Passage.objects.filter(report=self.report, key__in=list(self._pending)).values_list(
            "key", "revision"))
        services.passages_save(report=self.report, texts=self._pending, base_revisions=revisions, by=self._by)
        self._pending = {}

    def items(self, number: str, count: int) -> list:
        pool = self.evidence.get(number, [])
        if not pool:
            return []
        start = self.rng.randrange(len(pool))
        chosen = [pool[(start + i) % len(pool)] for i in range(min(count, len(pool)))]
        self.used.update(e.code for e in chosen)
        return chosen


def _fill_council(report: Report, school: School, principal: User, rng: random.Random, *, accounts: bool) -> dict:
    """A council of nine, a secretary group and one working group per standard."""
    names = list(NAMES)
    rng.shuffle(names)
    secretary_user = member_user = None
    if accounts:
        code = school.code.lower()
        secretary_user = _user(f"{code}.thuky", names[2], school, "Thư ký Hội đồng tự đánh giá")
        member_user = _user(f"{code}.nhom1", names[10], school, "Giáo viên")
    services.council_update(report=report, decision_number=f"{rng.randint(12, 95)}/QĐ-{school.code.split('-')[1]}",
                            decision_date=datetime.date(report.school_year.first_year, 9, rng.randint(9, 20)), by=principal)
    copied = list(report.council_members.order_by("position", "pk"))
    if copied:
        # Carried over from last year: confirm the people and give the secretary and a group member accounts.
        for index, member in enumerate(copied):
            user = secretary_user if index == 2 else member_user if index == 10 else member.user
            services.council_member_save(report=report, member=member, by=principal, user=user)
        return {"secretary": secretary_user or principal, "member": member_user}
    members = []
    for index, (role, title, duty, secretary_group) in enumerate(COUNCIL):
        full_name = principal.full_name if role == "chair" else names[index]
        user = principal if role == "chair" else (secretary_user if index == 2 else member_user if index == 10 else None)
        member = CouncilMember(full_name=full_name, title=title, role=role, duty=duty, in_secretary_group=secretary_group)
        members.append(services.council_member_save(report=report, member=member, by=principal, user=user))
    from selfassessment.models import WorkingGroup
    from standards.models import Criterion

    criteria = list(Criterion.objects.filter(pk__in=report.criterion_assessments.values("criterion_id"))
                    .select_related("standard").order_by("standard__position", "position"))
    by_standard = defaultdict(list)
    for criterion in criteria:
        by_standard[criterion.standard.number].append(criterion)
    council = [m for m in members if m.role]
    for number, group_criteria in sorted(by_standard.items()):
        leader = council[(number + 2) % len(council)]
        group_members = [leader, council[(number + 4) % len(council)]]
        if number == 1:
            group_members.append(members[10])  # the demo working-group account writes standard 1 only
        services.working_group_save(
            report=report, group=WorkingGroup(name=f"Nhóm công tác số {number} (Tiêu chuẩn {number})", leader=leader),
            members=group_members, criteria=group_criteria, by=principal,
        )
    return {"secretary": secretary_user or principal, "member": member_user}


PLAN_TEXTS = {
    "purpose": "Tự đánh giá năm học {year} nhằm giúp nhà trường xác định mức đạt được theo từng tiêu chuẩn, tiêu chí, trên cơ sở đó "
               "xây dựng kế hoạch cải tiến chất lượng, duy trì và nâng cao chất lượng giáo dục; đăng ký đánh giá ngoài "
               "và đề nghị công nhận đạt kiểm định chất lượng giáo dục, công nhận đạt chuẩn quốc gia.",
    "scope": "Triển khai hoạt động tự đánh giá toàn bộ các hoạt động của nhà trường theo {reg}; số liệu của 5 năm học "
             "gần nhất, đến năm học {year}.",
    "tools": "Sử dụng bộ tiêu chuẩn đánh giá chất lượng giáo dục ban hành kèm theo {reg} và các văn bản hướng dẫn của "
             "Bộ GD&ĐT (Công văn số 5932/BGDĐT-QLCL, 5942/BGDĐT-QLCL ngày 28/12/2018).",
    "training": "Tháng 9/{first}: tổ chức tập huấn nghiệp vụ tự đánh giá cho Hội đồng tự đánh giá, nhóm thư ký và các nhóm "
                "công tác; mời chuyên viên Phòng GD&ĐT hướng dẫn cách viết phiếu đánh giá tiêu chí và mã hóa minh chứng.",
}
TIMELINE = [
    (1, "Họp lãnh đạo nhà trường; ra quyết định thành lập Hội đồng tự đánh giá.", "Hiệu trưởng"),
    (2, "Họp Hội đồng tự đánh giá: phổ biến chủ trương, phân công nhiệm vụ; tập huấn nghiệp vụ.", "Chủ tịch Hội đồng"),
    (3, "Dự thảo và ban hành kế hoạch tự đánh giá.", "Thư ký Hội đồng"),
    (4, "Thu thập, xử lý và phân tích minh chứng; mã hóa minh chứng.", "Các nhóm công tác"),
    (6, "Viết phiếu đánh giá tiêu chí; họp Hội đồng thảo luận kết quả.", "Các nhóm công tác"),
    (8, "Dự thảo báo cáo tự đánh giá; lấy ý kiến cán bộ, giáo viên, nhân viên.", "Nhóm thư ký"),
    (9, "Hoàn thiện báo cáo; công bố báo cáo trong nội bộ nhà trường.", "Thư ký Hội đồng"),
    (10, "Nộp báo cáo về Phòng GD&ĐT; cập nhật dữ liệu lên phần mềm.", "Hiệu trưởng"),
]


def _fill_plan(report: Report, principal: User, writer: Writer) -> None:
    reg = str(report.regulation_version.regulation.document_number or report.regulation_version.regulation.code)
    for part, text in PLAN_TEXTS.items():
        year = report.school_year
        writer.text(f"plan:{part}", text.format(reg=f"Thông tư số {reg}", year=year.code, first=year.first_year))
    writer.flush()
    criteria = [a.criterion for a in report.criterion_assessments.select_related("criterion").order_by("position")]
    first = report.school_year.first_year
    months = [f"Tháng 9/{first}", f"Tháng 10/{first}", f"Tháng 11/{first}"]
    resources = {
        c.pk: (f"Hồ sơ, minh chứng liên quan đến {_lower_first(c.title)}; nhân lực của nhóm công tác.", months[i % 3])
        for i, c in enumerate(criteria)
    }
    services.plan_save(
        report=report, resources=resources,
        steps=[{"week": w, "activity": a, "responsible": r} for w, a, r in TIMELINE],
        token=services.plan_token(report), by=principal,
    )


def _grade_keys(level: str) -> list[str]:
    spec = schooldata.table_for(level, "classes")
    return [r.key for r in spec.input_rows()]


def _fill_data(report: Report, principal: User, rng: random.Random, *, slip: bool) -> None:
    """Plausible Phần I numbers for five years; ``slip`` leaves one row that does not add up."""
    level = report.school.level
    years = schooldata.school_years(report.school_year.code)
    grades = _grade_keys(level)
    per_class = 28 if level == "mn" else 42
    classes, pupils, results = {}, {}, {}
    for year_index, year in enumerate(years):
        total = 0
        for grade in grades:
            n_classes = rng.randint(2, 4) + (1 if year_index >= 3 else 0)
            n_pupils = n_classes * (per_class + rng.randint(-4, 3))
            classes.setdefault(grade, {})[year] = n_classes
            pupils.setdefault(grade, {})[year] = n_pupils
            total += n_pupils
        for key, share in (("girls", 0.48), ("ethnic", 0.02), ("policy", 0.03), ("disabled", 0.005), ("boarding", 0.7),
                           ("new_intake", 0.25), ("repeaters", 0.003), ("dropouts", 0.001)):
            if schooldata.table_for(level, "pupils").row(key) is not None:
                pupils.setdefault(key, {})[year] = int(total * share)
        spec = schooldata.table_for(level, "results")
        parts = {"learning": [r.key for r in spec.input_rows() if r.key.startswith("learning_")],
                 "conduct": [r.key for r in spec.input_rows() if r.key.startswith("conduct_")]}
        for group, keys in parts.items():
            shares = [0.55, 0.3, 0.13, 0.02][: len(keys)] if group == "learning" else [0.8, 0.15, 0.04, 0.01][: len(keys)]
            remaining = total
            for key, share in zip(keys, shares, strict=True):
                value = int(total * share) if key != keys[-1] else remaining
                results.setdefault(key, {})[year] = value
                remaining -= value
        if level == "mn":
            results.setdefault("attendance_good", {})[year] = int(total * 0.93)
            results.setdefault("underweight", {})[year] = int(total * 0.02)
            results.setdefault("stunted", {})[year] = int(total * 0.025)
            results.setdefault("overweight", {})[year] = int(total * 0.04)
            results.setdefault("completed_5yo", {})[year] = pupils["mg_5_6"][year]
        else:
            last = grades[-1]
            results.setdefault("completed_programme", {})[year] = pupils[last][year] - rng.randint(0, 2)
    if slip:
        # A typing slip the checks should catch: one year's conduct results miss two pupils.
        first_conduct = next((k for k in results if k.startswith("conduct_")), None)
        if first_conduct is not None:
            results[first_conduct][years[1]] -= 2
        else:  # preschool: two more children "completing the programme" than the 5-year-olds
            results["completed_5yo"][years[1]] += 2
    staff = {
        "principal": {"total": 1, "women": 1, "ethnic": 0, "below": 0, "standard": 0, "above": 1},
        "vice_principal": {"total": 2, "women": 1, "ethnic": 0, "below": 0, "standard": 0, "above": 2},
        "teachers": {"total": 58, "women": 49, "ethnic": 1, "below": 0, "standard": 21, "above": 37},
        "employees": {"total": 9, "women": 6, "ethnic": 0, "below": 1, "standard": 6, "above": 2},
    }
    staff_years = {}
    for year_index, year in enumerate(years):
        teachers = 50 + year_index * 2
        for key, value in (("managers", 3), ("teachers", teachers), ("employees", 8 + year_index // 2),
                           ("excellent_district", 6 + year_index), ("excellent_city", 1 + year_index // 2),
                           ("professional_good", int(teachers * 0.8))):
            staff_years.setdefault(key, {})[year] = value
    rooms = {}
    for year_index, year in enumerate(years):
        for key, value in (("classrooms_solid", 20 + year_index), ("classrooms_semi", 2 if year_index < 3 else 0),
                           ("subject_rooms_solid", 6 + year_index // 2), ("support_solid", 4), ("admin_solid", 6),
                           ("admin_semi", 1)):
            rooms.setdefault(key, {})[year] = value
    tables = {"classes": classes, "pupils": pupils, "results": results, "staff": staff, "staff_years": staff_years,
              "rooms": rooms}
    for key, values in tables.items():
        table = report.data_tables.get(key=key)
        raw = {(row, column): value for row, cells in values.items() for column, value in cells.items()}
        services.data_table_save(report=report, key=key, raw=raw, base_revision=table.revision, by=principal)


def _fill_criteria(writer: Writer, profile: dict, *, share: float = 1.0) -> None:
    """Verdicts and texts of every criterion (or the first ``share`` of them), by the profile's levels."""
    report, rng = writer.report, writer.rng
    from standards.models import Indicator

    assessments = list(report.criterion_assessments.select_related("criterion__standard").order_by("position"))
    # The indicators in force of each criterion by level, as the criterion editor lists them
    # (selectors.criterion_page), read at once for the whole report.
    level_count = report.regulation_version.regulation.level_count
    in_force: dict[tuple[int, int], list] = defaultdict(list)
    for indicator in Indicator.objects.filter(
            criterion__in=[a.criterion_id for a in assessments], is_repealed=False, level__lte=level_count,
    ).defer("source").order_by("level", "position"):
        in_force[(indicator.criterion_id, indicator.level)].append(indicator)
    # The improvement items each criterion has now (carried from last year's report), for the token.
    stored_actions: dict[int, list] = defaultdict(list)
    for action in report.improvement_actions.filter(criterion__isnull=False).order_by("position", "pk"):
        stored_actions[action.criterion_id].append(action)
    count = max(1, round(len(assessments) * share))
    level2_miss = set(rng.sample(range(len(assessments)), round(len(assessments) * (1 - profile["level2"]))))
    level3_hit = set(rng.sample(range(len(assessments)), round(len(assessments) * profile["level3"])))
    verdicts: list[tuple] = []  # set together at the end (one service call for the report)
    for index, assessment in enumerate(assessments[:count]):
        criterion = assessment.criterion
        title = criterion.title
        for level in range(1, level_count + 1):
            block = in_force[(criterion.pk, level)]
            missed_key = None
            if level == 2 and index in level2_miss and block:
                missed_key = rng.choice(block).key
            for indicator in block:
                met = True
                if level == 2 and indicator.key == missed_key:
                    met = False
                if level == 3 and index not in level3_hit:
                    met = False
                verdicts.append((indicator, met))
                evidence = writer.items(criterion.number, 2 if met else 1)
                statement = _statement(title, indicator.text)
                opening = demo_clock.years_in(rng.choice(OPENINGS_STATE))
                if met:
                    sentence = f"{opening} {_lower_first(statement)} {_cite(evidence[:1])}".strip() + "."
                    if len(evidence) > 1:
                        e = evidence[1]
                        sentence += " " + rng.choice(EVIDENCE_SENTENCES).format(name=_lower_first(e.name), cite=_cite([e]))
                else:
                    sentence = (f"{opening} nhà trường đã triển khai nội dung “{_clean(indicator.text)[:160]}” nhưng "
                                f"{demo_clock.years_in(rng.choice(NOT_MET_REASONS))} {_cite(evidence[:1])}".strip() + ".")
                key = f"indicator:{criterion.number}:{indicator.level}:{indicator.key}"
                writer.text(key, sentence)
        evidence = writer.items(criterion.number, 1)
        writer.text(f"criterion:{criterion.number}:strengths",
                    rng.choice(STRENGTHS).format(title=_lower_first(title), cite=_cite(evidence)).replace(" .", "."))
        writer.text(f"criterion:{criterion.number}:weaknesses", rng.choice(WEAKNESSES).format(title=_lower_first(title)))
        chosen = rng.sample(ACTIONS, 2 if index % 3 else 1)
        items = []
        for n, (action, who, resources, expected) in enumerate(chosen):
            items.append({"id": None, "action": action.format(title=_lower_first(title)), "responsible": who,
                          "start_on": demo_clock.day(datetime.date(2025, 9 + n, 1)),
                          "due_on": demo_clock.day(datetime.date(2026, 5, 31)),
                          "resources": resources, "expected_result": expected})
        services.improvement_actions_save(report=report, criterion=criterion, items=items,
                                          token=services.actions_token(stored_actions[criterion.pk]), by=writer.principal)
    services.indicator_verdicts_set(report=report, verdicts=verdicts, by=writer.principal)


def _fill_standards(writer: Writer, *, share: float = 1.0) -> None:
    report = writer.report
    standards = list(report.regulation_version.standards.filter(is_repealed=False).order_by("position"))
    for standard in standards[: max(1, round(len(standards) * share))]:
        writer.text(
            f"standard:{standard.number}:opening",
            f"Tiêu chuẩn {standard.number} về {_lower_first(standard.title)} gồm các tiêu chí phản ánh điều kiện và "
            f"kết quả hoạt động của nhà trường trong 5 năm học gần đây. Nhà trường đã rà soát đầy đủ các chỉ báo, thu "
            f"thập minh chứng theo từng tiêu chí và đánh giá khách quan mức độ đạt được.",
        )
        levels = list(report.criterion_assessments.filter(criterion__standard=standard).values_list("level", flat=True))
        lowest = min((lv for lv in levels if lv is not None), default=0)
        writer.text(
            f"standard:{standard.number}:conclusion",
            f"Tiêu chuẩn {standard.number} có {len(levels)} tiêu chí; mức thấp nhất đạt được là Mức {lowest}. Điểm mạnh "
            f"nổi bật là sự chủ động, đồng thuận của tập thể; điểm cần khắc phục là việc lưu trữ, cập nhật hồ sơ còn "
            f"chưa thường xuyên. Nhà trường đã xây dựng kế hoạch cải tiến cụ thể cho từng tiêu chí.",
        )


def _fill_general(writer: Writer, school: School) -> None:
    report = writer.report
    writer.text("introduction", (
        f"{school.name} được thành lập năm {school.founding_year}, đóng trên địa bàn phường {school.ward}, "
        f"{school.reviewing_unit.short_name or school.reviewing_unit.name}. Trải qua nhiều năm xây dựng và phát triển, "
        f"nhà trường luôn hoàn thành tốt nhiệm vụ năm học, được cha mẹ học sinh và địa phương tin tưởng.\n\n"
        f"Thực hiện {report.regulation_version.regulation.code} của Bộ GD&ĐT và hướng dẫn của Phòng GD&ĐT về công tác "
        f"kiểm định chất lượng giáo dục năm học {report.school_year.code}, nhà trường thành lập Hội đồng tự đánh giá, xây dựng kế hoạch, thu thập "
        f"minh chứng và tiến hành tự đánh giá theo đúng quy trình. Mục đích của tự đánh giá là xác định mức đạt được, "
        f"phát hiện điểm mạnh, điểm yếu để xây dựng kế hoạch cải tiến chất lượng."
    ))
    report.refresh_from_db()
    writer.text("conclusion", (
        f"Qua quá trình tự đánh giá, nhà trường tự đánh giá đạt Mức {report.school_level or 0}. Nhà trường cam kết thực "
        f"hiện nghiêm túc kế hoạch cải tiến chất lượng đã đề ra, duy trì và nâng cao chất lượng giáo dục; đề nghị Phòng "
        f"GD&ĐT, Sở GD&ĐT xem xét, tổ chức đánh giá ngoài và công nhận nhà trường đạt kiểm định chất lượng giáo dục."
    ))
    writer.flush()


def _fill_level4(writer: Writer, profile: dict) -> None:
    report = writer.report
    verdicts = list(Level4Verdict.objects.filter(report=report).select_related("requirement").order_by("requirement__position"))
    hit = round(len(verdicts) * profile["level4"])
    for index, verdict in enumerate(verdicts):
        met = index < hit
        services.level4_verdict_set(report=report, requirement=verdict.requirement, met=met, by=writer.principal)
        number = verdict.requirement.number
        text = _clean(verdict.requirement.text)
        writer.text(f"level4:{number}:state", (
            f"Nhà trường {'đã' if met else 'chưa'} đáp ứng yêu cầu: {_lower_first(text)[:220]}."
        ))
        writer.text(f"level4:{number}:strengths", "Nhà trường có định hướng rõ ràng, được cha mẹ học sinh ủng hộ.")
        writer.text(f"level4:{number}:weaknesses", "Nguồn lực để duy trì yêu cầu này lâu dài còn hạn chế.")


PROGRESS_NOTES = [
    "Đã xây dựng kế hoạch chi tiết, phân công người phụ trách từng nội dung; đã triển khai tới các tổ chuyên môn.",
    "Đã tổ chức buổi sinh hoạt chuyên môn theo nội dung biện pháp; 100% giáo viên trong tổ tham gia.",
    "Đã rà soát hồ sơ năm học trước, bổ sung các biên bản còn thiếu; đang hoàn thiện phần lưu trữ điện tử.",
    "Đã mua sắm, bổ sung một phần thiết bị theo kế hoạch; phần còn lại chờ phê duyệt kinh phí.",
    "Kiểm tra giữa kỳ cho thấy chuyển biến rõ; tiếp tục theo dõi, đánh giá vào cuối học kỳ.",
    "Đã báo cáo Hội đồng trường kết quả thực hiện; điều chỉnh tiến độ cho phù hợp thực tế.",
]
DONE_NOTES = [
    "Hoàn thành toàn bộ nội dung biện pháp; kết quả đạt như dự kiến, đã lưu hồ sơ minh chứng.",
    "Đã hoàn thành, được Phòng GD&ĐT ghi nhận trong đợt kiểm tra chuyên đề.",
]
DROPPED_REASON = ("Kinh phí năm học không được phê duyệt; nội dung được lồng ghép vào biện pháp bồi dưỡng chung của "
                  "nhà trường và sẽ đưa vào kế hoạch năm học sau.")


def _days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


def _fill_tracking(report: Report, principal: User, rng: random.Random, evidence_by_criterion: dict,
                   today: datetime.date | None = None) -> None:
    """Follow the plan during the year, relative to today: some actions done (with evidence), some in
    progress with notes, some overdue, some due within the fortnight, one dropped with its reason."""
    from selfassessment.models import ImprovementAction
    from selfassessment.tracking import services as tracking

    today = today or school_years.today()
    actions = list(ImprovementAction.objects.filter(report=report).select_related("criterion")
                   .order_by("criterion__standard__position", "criterion__position", "position", "pk"))
    if not actions:
        return
    # (status, due date offset range, notes): a cycle over the plan, so that every criterion has a mix.
    shapes = [
        ("done", (-90, -20), 1),
        ("in_progress", (-35, -3), 1),       # overdue
        ("in_progress", (1, 12), 2),         # due within 14 days
        ("not_started", (40, 160), 0),
        ("in_progress", (30, 120), 1),
        ("not_started", (-15, -2), 0),       # overdue, not even started
        ("not_started", (2, 13), 0),         # due soon
        ("in_progress", (60, 200), 2),
    ]
    dropped = actions[len(actions) // 2]
    for index, action in enumerate(actions):
        status, (low, high), notes = shapes[index % len(shapes)]
        due = _days(today, rng.randint(low, high))
        start = min(_days(today, -rng.randint(90, 160)), due)
        action = tracking.action_tracking_update(
            action=action, by=principal, revision=action.revision, responsible=action.responsible,
            start_on=start, due_on=due, resources=action.resources, expected_result=action.expected_result,
        )
        pool = [e for e in evidence_by_criterion.get(action.criterion.number, []) if not e.is_archived] \
            if action.criterion_id else []
        if action.pk == dropped.pk:
            status = "dropped"
        if status in ("in_progress", "done"):
            action = tracking.action_status_change(action=action, status="in_progress", by=principal,
                                                   revision=action.revision, today=today)
        for n in range(notes):
            note_day = min(today, _days(start, 20 + 30 * n + rng.randint(0, 10)))
            tracking.progress_note_add(action=action, by=principal, date=note_day, text=rng.choice(PROGRESS_NOTES),
                                       evidence=pool[n:n + 1], today=today)
        if status == "done":
            done_on = min(today, _days(due, -rng.randint(0, 10)))
            tracking.progress_note_add(action=action, by=principal, date=done_on, text=rng.choice(DONE_NOTES),
                                       evidence=pool[:2], today=today)
            tracking.action_status_change(action=action, status="done", by=principal, revision=action.revision,
                                          done_on=done_on, today=today)
        elif status == "dropped":
            tracking.action_status_change(action=action, status="dropped", by=principal, revision=action.revision,
                                          reason=DROPPED_REASON, today=today)


def _evidence_by_criterion(school: School) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for item in evidence_for_school(school):
        grouped[item.criterion.number].append(item)
    return dict(grouped)


def _principal(school: School) -> User | None:
    membership = (
        Membership.objects.filter(school=school, role=Membership.Role.PRINCIPAL, is_active=True)
        .select_related("user").order_by("pk").first()
    )
    return membership.user if membership else None


def _write_full(report: Report, school: School, principal: User, rng: random.Random, *, accounts: bool,
                slip: bool, words: str = "") -> None:
    profile = PROFILES.get(school.code, PROFILES["DDA-THCS-01"])
    writer = Writer(report, principal, rng, _evidence_by_criterion(school), words)
    people = _fill_council(report, school, principal, rng, accounts=accounts)
    _fill_plan(report, principal, writer)
    _fill_data(report, principal, rng, slip=slip)
    if profile["cohorts"] is not None:
        services.report_facts_update(report=report, completed_cohorts=profile["cohorts"], by=principal)
    with levels.refresh_once():  # one level computation for the report's hundreds of verdicts
        _fill_criteria(writer, profile)
        _fill_level4(writer, profile)
    _fill_standards(writer)
    _fill_general(writer, school)
    # The secretary revises a few texts, so that histories show two people.
    secretary = people["secretary"]
    for passage in Passage.objects.filter(report=report, kind=Passage.Kind.STRENGTHS).order_by("position")[:5]:
        services.passage_save(passage=passage, text=passage.text + " Tập thể sư phạm đoàn kết, trách nhiệm.",
                              base_revision=passage.revision, by=secretary)
    if slip and writer.used:
        # A mistyped code the checks should catch.
        passage = Passage.objects.filter(report=report, kind=Passage.Kind.WEAKNESSES).order_by("position").first()
        if passage is not None:
            services.passage_save(passage=passage, text=passage.text + " [H9-9.9-99]", base_revision=passage.revision,
                                  by=principal)


def _create(school: School, year: SchoolYear, principal: User, *, copy: bool = False) -> Report | None:
    if Report.objects.filter(school=school, school_year=year, kind=Report.Kind.PERIODIC).exists():
        return None
    return services.report_create(school=school, school_year=year, kind=Report.Kind.PERIODIC, by=principal,
                                  copy_previous=copy)


@transaction.atomic
def _seed_school(school: School, year: SchoolYear, last_year: SchoolYear | None, stdout) -> None:
    principal = _principal(school)
    if principal is None:
        return
    rng = random.Random(f"kiemdinh-report-{school.code}")  # nosec B311  # repeatable demo texts, nothing secret
    if school.code in PREVIOUS and last_year is not None:
        previous = _create(school, last_year, principal)
        if previous is not None:
            _write_full(previous, school, principal, random.Random(f"kiemdinh-previous-{school.code}"), accounts=False,  # nosec B311  # demo texts
                        slip=False, words="")
            _say(stdout, f"selfassessment: báo cáo {last_year_code()} của {school.code}.")
    if school.code in FULL:
        copy = school.code in PREVIOUS and last_year is not None
        report = _create(school, year, principal, copy=copy)
        if report is None:
            return
        _write_full(report, school, principal, rng, accounts=True, slip=school.code == "DDA-THCS-01",
                    words=f"Năm học {year_code()} tiếp tục duy trì và có chuyển biến tích cực." if copy else "")
        _fill_tracking(report, principal, random.Random(f"kiemdinh-tracking-{school.code}"),  # nosec B311  # demo data
                       _evidence_by_criterion(school))
        if copy:
            # Most texts were rewritten this year; a few were left as last year's (the check flags them).
            kept = list(Passage.objects.filter(report=report, kind=Passage.Kind.WEAKNESSES).order_by("position")[1:4])
            previous_texts = dict(Passage.objects.filter(report=report.copied_from, key__in=[p.key for p in kept])
                                  .values_list("key", "text"))
            for passage in kept:
                if previous_texts.get(passage.key):
                    services.passage_save(passage=passage, text=previous_texts[passage.key],
                                          base_revision=passage.revision, by=principal)
        _say(stdout, f"selfassessment: báo cáo đầy đủ {year_code()} của {school.code} (Mức {Report.objects.get(pk=report.pk).school_level}).")
    elif school.code in PARTIAL:
        report = _create(school, year, principal)
        if report is None:
            return
        writer = Writer(report, principal, rng, _evidence_by_criterion(school))
        with levels.refresh_once():
            _fill_criteria(writer, PROFILES["DDA-THCS-01"], share=0.3)
        _fill_standards(writer, share=0.4)
        writer.flush()
        _say(stdout, f"selfassessment: báo cáo đang viết {year_code()} của {school.code}.")


def seed(stdout=None) -> None:
    """Create the demo reports (idempotent)."""
    year = SchoolYear.objects.filter(code=year_code()).first()
    last_year = SchoolYear.objects.filter(code=last_year_code()).first()
    if year is None:
        _say(stdout, f"selfassessment: chưa có năm học {year_code()}, bỏ qua báo cáo mẫu.")
        return
    from standards.models import Regulation

    if not Regulation.objects.exists():
        _say(stdout, "selfassessment: chưa nạp bộ tiêu chuẩn (manage.py load_standards), bỏ qua báo cáo mẫu.")
        return
    codes = list(dict.fromkeys(PREVIOUS + FULL + PARTIAL))
    for school in School.objects.filter(code__in=codes).select_related("reviewing_unit").order_by("code"):
        try:
            _seed_school(school, year, last_year, stdout)
        except services.ReportError as exc:
            _say(stdout, f"selfassessment: bỏ qua {school.code}: {exc.message}")
    seed_tt57(stdout)


# --- 2026-2027: every demo school's TT57/2026 report (Biểu 1) ----------------------------------------

_TT57_YEAR = "2026-2027"
_TT57_DAY = datetime.date(2026, 10, 1)


def year_code() -> str:
    """The year of the demo's Phụ lục-style reports (2024-2025 as written)."""
    return demo_clock.year_code(_YEAR)


def last_year_code() -> str:
    return demo_clock.year_code(_LAST_YEAR)


def tt57_year_code() -> str:
    """The demo's current school year (2026-2027 as written), whose reports follow TT57/2026."""
    return demo_clock.year_code(_TT57_YEAR)


def tt57_day() -> datetime.date:
    return demo_clock.past(_TT57_DAY)


def __getattr__(name: str):
    computed = {"YEAR": year_code, "LAST_YEAR": last_year_code, "TT57_YEAR": tt57_year_code, "TT57_DAY": tt57_day}
    if name in computed:
        return computed[name]()
    raise AttributeError(name)

# Finished and approved (then submitted by the reviews demo through its review service); the others
# are half-written, as most schools are in December.
TT57_FINISHED = ["DDA-MN-02", "DDA-TH-02", "DDA-THCS-02", "CNA-THCS-01"]
TT57_OVERVIEW = {
    "context_local": "Nhà trường đóng trên địa bàn phường {ward}, khu vực dân cư đông, kinh tế - xã hội phát triển ổn định; "
                     "chính quyền địa phương quan tâm đến sự nghiệp giáo dục.",
    "context_advantages": "Đội ngũ cán bộ quản lý, giáo viên đủ về số lượng, đạt chuẩn về trình độ đào tạo; cơ sở vật chất "
                          "được đầu tư; cha mẹ học sinh phối hợp tốt với nhà trường.",
    "context_difficulties": "Sĩ số lớp còn cao; diện tích sân chơi, bãi tập còn hạn chế; một số phòng học bộ môn xuống cấp.",
    "context_learners": "Phần lớn người học là con em gia đình trên địa bàn phường, chăm ngoan, có ý thức học tập tốt.",
    "purpose": "Xác định mức đạt tiêu chuẩn chất lượng giáo dục theo Thông tư số 57/2026/TT-BGDĐT; chỉ ra điểm mạnh, "
               "điểm hạn chế để xây dựng kế hoạch cải tiến chất lượng năm học tiếp theo.",
    "scope": "Toàn bộ hoạt động của nhà trường theo 04 tiêu chuẩn, 15 tiêu chí của Thông tư số 57/2026/TT-BGDĐT.",
    "process_plan": "Hiệu trưởng ra quyết định thành lập Hội đồng tự đánh giá, ban hành kế hoạch tự đánh giá năm học {year}.",
    "process_organisation": "Hội đồng phân công các nhóm công tác thu thập, mã hóa minh chứng theo quy định MC.a.b.nn.",
    "process_analysis": "Các nhóm đối chiếu minh chứng với yêu cầu của từng mức, thảo luận và thống nhất kết quả đánh giá.",
    "process_confirmation": "Hội đồng họp thông qua báo cáo tự đánh giá; Hiệu trưởng phê duyệt và công khai báo cáo.",
}
TT57_STANDARD = {
    "strengths": "Nhà trường thực hiện đầy đủ các yêu cầu của Tiêu chuẩn {n}; hồ sơ, dữ liệu được cập nhật và lưu trữ khoa học.",
    "weaknesses": "Việc sử dụng dữ liệu để cải tiến hoạt động chưa thường xuyên; nguyên nhân cốt lõi là chưa có quy trình "
                  "phân tích dữ liệu định kỳ.",
    "trend": "Trong 03 năm học liên tiếp, chất lượng các hoạt động của Tiêu chuẩn {n} ổn định và có chuyển biến tích cực.",
    "priorities": "Ưu tiên xây dựng quy trình rà soát, phân tích dữ liệu mỗi học kỳ và gắn với kế hoạch cải tiến.",
}


def _tt57_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(code=tt57_year_code()).first()


def _tt57_report(school: School, year: SchoolYear, principal: User) -> Report | None:
    """This year's report: carried forward from an earlier one (evidence codes confirmed), or started afresh."""
    from evidence import carryover
    from evidence.models import EvidenceCarryOver
    from selfassessment import carryforward

    if Report.objects.filter(school=school, school_year=year, kind=Report.Kind.PERIODIC).exists():
        return None
    if Report.objects.filter(school=school, school_year__start_date__lt=year.start_date).exists():
        report, _created = carryforward.report_carry_forward(school=school, by=principal, today=tt57_day())
        regulation = report.regulation_version.regulation
        ids = list(EvidenceCarryOver.objects.filter(school=school, regulation=regulation,
                                                    status=EvidenceCarryOver.Status.PROPOSED).values_list("pk", flat=True))
        if ids:
            carryover.carry_overs_confirm(school=school, regulation=regulation, ids=ids, by=principal)
        if report.council_members.filter(needs_review=True).exists():
            carryforward.council_proposal_confirm(report=report, by=principal)
        # Seeded from 2028-2029 on, last year's report is a TT57 one too and its unfinished measures
        # come along with last year's due dates; the principal re-plans them for this school year
        # (else she opens on measures overdue for months, the first-hour friction of issue 18).
        report.improvement_actions.filter(carried_from__isnull=False, due_on__lt=year.start_date).exclude(
            status__in=["done", "dropped"]).update(due_on=demo_clock.day(datetime.date(2027, 5, 31)))
        return report
    return services.report_create(school=school, school_year=year, kind=Report.Kind.PERIODIC, by=principal,
                                  today=tt57_day())


def _tt57_evidence(report: Report, principal: User, numbers: set[str], per_criterion: int) -> dict[str, list]:
    """The school's MC items per TT57 criterion; each of ``numbers`` without any gets ``per_criterion``
    named after the Thông tư's suggested evidence (a school starting its library this year)."""
    from evidence import services as evidence_services
    from evidence.models import Evidence
    from standards.models import Criterion

    criteria = list(Criterion.objects.filter(standard__version=report.regulation_version).order_by(
        "standard__position", "position"))
    items: dict[str, list] = defaultdict(list)
    for item in Evidence.objects.filter(school=report.school, is_archived=False,
                                        criterion__standard__version=report.regulation_version).select_related("criterion"):
        items[item.criterion.number].append(item)
    year = report.school_year.code
    new = []
    for criterion in criteria:
        if items.get(criterion.number) or criterion.number not in numbers:
            continue
        for hint in (criterion.evidence_hints or [])[:per_criterion]:
            name = _clean(hint)
            new.append({"criterion": criterion, "name": f"{name[:1].upper()}{name[1:]} năm học {year}",
                        "issued_period": year})
    if new:
        for item in evidence_services.evidence_create_many(school=report.school, items=new, by=principal):
            items[item.criterion.number].append(item)
    return items


def _tt57_council(report: Report, school: School, principal: User, rng: random.Random) -> None:
    """Seven members with one chair and one secretary (Điều 9), unless last year's council came along."""
    if report.council_members.filter(role__in=["chair", "secretary"]).count() >= 2 and \
            report.council_members.exclude(role="").count() % 2 == 1 and report.council_members.exclude(role="").count() >= 5:
        return
    report.council_members.all().delete()
    names = list(NAMES)
    rng.shuffle(names)
    roles = [("chair", "Hiệu trưởng"), ("vice_chair", "Phó Hiệu trưởng"), ("secretary", "Tổ trưởng Tổ văn phòng"),
             ("member", "Chủ tịch Công đoàn"), ("member", "Tổ trưởng chuyên môn"), ("member", "Tổ trưởng chuyên môn"),
             ("member", "Tổng phụ trách Đội")]
    for index, (role, title) in enumerate(roles):
        services.council_member_save(report=report, by=principal, member=CouncilMember(
            full_name=principal.full_name if role == "chair" else names[index], title=title, role=role,
            user=principal if role == "chair" else None))
    services.council_update(report=report, decision_number=f"{rng.randint(12, 95)}/QĐ-{school.code.split('-')[1]}",
                            decision_date=demo_clock.past(datetime.date(2026, 9, rng.randint(9, 20))), by=principal)


def _tt57_write(report: Report, school: School, principal: User, rng: random.Random, *, finished: bool) -> None:
    from selfassessment import tt57
    from standards.models import Indicator

    indicators = list(Indicator.objects.filter(criterion__standard__version=report.regulation_version)
                      .select_related("criterion").order_by("criterion__standard__position", "criterion__position", "level"))
    by_criterion: dict[str, list] = defaultdict(list)
    for indicator in indicators:
        by_criterion[indicator.criterion.number].append(indicator)
    numbers = list(by_criterion)
    if not finished:
        numbers = numbers[: rng.randint(4, 8)]
    evidence = _tt57_evidence(report, principal, set(numbers), 2 if finished else 1)
    writer = Writer(report, principal, rng, evidence)
    parts = TT57_OVERVIEW if finished else dict(list(TT57_OVERVIEW.items())[:4])
    for key, text in parts.items():
        writer.text(tt57.overview_key(key), text.format(ward=school.ward or "…", year=report.school_year.code))
    with levels.refresh_once():
        services.indicator_verdicts_set(
            report=report, verdicts=_tt57_verdicts(writer, rng, by_criterion, numbers), by=principal)
    if not finished:
        writer.flush()
        return
    _tt57_finish(writer, report, school, principal, rng)


def _tt57_verdicts(writer: Writer, rng: random.Random, by_criterion: dict, numbers: list[str]) -> list[tuple]:
    """The texts of the criteria ``numbers`` (kept by the writer) and their verdicts, to set together."""
    verdicts: list[tuple] = []
    for number in numbers:
        criterion = by_criterion[number][0].criterion
        # Mandatory criteria reach Mức 2 in a finished report; a third of the others stop at Mức 1.
        reach = 2 if (criterion.mandatory or rng.random() > 0.34) else 1
        for indicator in by_criterion[number]:
            met = indicator.level <= reach
            chosen = writer.items(number, 2)
            cite = f" ({', '.join(e.code for e in chosen)})" if chosen else ""
            if met:
                text = (f"Đến thời điểm đánh giá, nhà trường đáp ứng yêu cầu Mức {indicator.level}: "
                        f"{_lower_first(_clean(indicator.text))[:300]}{cite}.")
            else:
                text = (f"Nhà trường đã triển khai nhưng chưa đáp ứng đầy đủ yêu cầu Mức {indicator.level}: "
                        f"{demo_clock.years_in(rng.choice(NOT_MET_REASONS))}{cite}.")
            writer.text(f"indicator:{number}:{indicator.level}:a", text)
            verdicts.append((indicator, met))
            if not met:
                break
    return verdicts


def _tt57_finish(writer: Writer, report: Report, school: School, principal: User, rng: random.Random) -> None:
    from selfassessment import tt57, tt57_services

    for standard in report.regulation_version.standards.order_by("position"):
        for part, text in TT57_STANDARD.items():
            writer.text(f"standard:{standard.number}:{part}", text.format(n=standard.number))
    writer.text("conclusion", "Nhà trường đáp ứng các yêu cầu của Thông tư số 57/2026/TT-BGDĐT ở mức tương ứng với kết quả "
                              "tự đánh giá; tiếp tục duy trì và cải tiến chất lượng trong năm học tiếp theo.")
    writer.text(tt57.proposal_key("managing_body"), "Đề nghị Sở Giáo dục và Đào tạo tổ chức tập huấn về tự đánh giá theo Thông tư 57.")
    writer.text(tt57.proposal_key("commune"), "Đề nghị Ủy ban nhân dân phường đầu tư cải tạo sân chơi, bãi tập của nhà trường.")
    _tt57_council(report, school, principal, rng)
    _fill_plan(report, principal, writer)
    cells = {}
    for offset, code in enumerate(tt57_services.form_years(report)):
        cells[("classes_total", code)] = str(20 + offset)
        cells[("pupils_total", code)] = str(760 + 25 * offset)
        cells[("staff_teachers", code)] = str(42 + offset)
    table = tt57_services.data_form(report)
    tt57_services.data_form_save(report=report, header=table.header, cells={**{
        (row, year): value for row, years in table.years_values.items() for year, value in years.items()}, **cells},
        base_revision=table.revision, by=principal)
    services.report_facts_update(report=report, completed_cohorts=30, by=principal)
    tt57_services.approval_set(report=report, approved_on=demo_clock.past(datetime.date(2026, 11, 27)), by=principal)


def seed_tt57(stdout=None) -> None:
    """Every demo school's 2026-2027 report under TT57/2026, beside its earlier history (idempotent)."""
    year = _tt57_year()
    if year is None:
        _say(stdout, f"selfassessment: chưa có năm học {tt57_year_code()}, bỏ qua báo cáo theo Thông tư 57.")
        return
    from standards.models import Regulation

    from . import plan57 as demo_plan57

    if not Regulation.objects.filter(family="2026").exists():
        _say(stdout, "selfassessment: chưa nạp Thông tư 57/2026 (manage.py load_standards), bỏ qua.")
        return
    schools = School.objects.filter(code__regex=r"^(DDA|LBI|CNA)-", status=School.Status.ACTIVE).select_related(
        "reviewing_unit").order_by("code")
    for school in schools:
        principal = _principal(school)
        if principal is None:
            continue
        rng = random.Random(f"kiemdinh-tt57-{school.code}")  # nosec B311  # repeatable demo texts, nothing secret
        try:
            with transaction.atomic():
                report = _tt57_report(school, year, principal)
                if report is None:
                    continue
                finished = school.code in TT57_FINISHED
                _tt57_write(report, school, principal, rng, finished=finished)
                demo_plan57.seed_plan(report, school, principal, finished=finished)
        except services.ReportError as exc:
            _say(stdout, f"selfassessment: bỏ qua báo cáo {tt57_year_code()} của {school.code}: {exc.message}")
            continue
        state = "hoàn thành" if finished else "đang viết"
        _say(stdout, f"selfassessment: báo cáo {tt57_year_code()} (Thông tư 57) {state} của {school.code}.")
