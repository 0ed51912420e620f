"""Demo data of the evaluations app, written through the services (idempotent).

- Đống Đa: the 2024 plan of the letter (19 schools: 6 MN, 4 TH, 9 THCS) with its two 2024 rounds,
  recognition decisions for the schools evaluated, and one complete external evaluation
  (Trường THCS Đống Đa: team, visit, per-criterion results, recommendations).
- Long Biên: the 2016-2017 plan's rounds transposed to the 2026-2027 school year so that the
  reminders are live: đợt 1 (MN Thăng Long Kids Mart, TH Thanh Am; dossiers 09/01/2027) and
  đợt 2 (MN Hoa Sữa; dossiers 14/07/2027), with the letter's dates; a 2027 plan.
- Periodic-report deadlines 20/12 and 10/5 for both districts, with periodic reports written and
  reviewed through the services: 2025-2026 (on time, late, missing, a draft never sent; accepted,
  one returned for revision, one in review, one waiting) and 2026-2027 (20/12/2026 still ahead: a
  few schools already sent theirs, one is being reviewed, others are drafting).
- A few certificates, one expiring in January 2027 and one expired.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    AccreditationPlan,
    Certificate,
    EvaluationRound,
    ExternalEvaluation,
    PeriodicReport,
    PlannedSchool,
    ReportingDeadline,
    RoundRegistration,
)
from schools import demo_clock
from schools import years as school_years
from schools.models import Organisation, School, SchoolYear, User

ISSUER = "Sở Giáo dục và Đào tạo Hà Nội"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """The moment of something done on ``day``; never after now (seeded that very morning)."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0))), timezone.now())


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _schools(unit: Organisation) -> dict[str, School]:
    return {s.code: s for s in School.objects.filter(reviewing_unit=unit)}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


@transaction.atomic
def seed(stdout=None) -> None:
    dong_da = Organisation.objects.filter(code="pgd-dong-da").first()
    long_bien = Organisation.objects.filter(code="pgd-long-bien").first()
    officer = _user("cv.so")
    if dong_da is None or long_bien is None or officer is None:
        _say(stdout, "evaluations: demo organisations missing, skipped.")
        return
    _deadlines(dong_da, _user("cv.dongda1"))
    _deadlines(long_bien, _user("cv.longbien1"))
    _dong_da_2024(dong_da, _user("cv.dongda1"), officer)
    _long_bien_2027(long_bien, _user("cv.longbien1"), officer)
    _say(stdout, "evaluations: plans, rounds, deadlines, certificates and an external evaluation ready.")
    from . import evaluations57

    evaluations57.seed(stdout)


# --- Deadlines and periodic reports -----------------------------------------------------------

# Per district, for 2025-2026: schools that sent the year-end report late, schools that never sent
# one (and one that opened a draft it never sent), the review outcome of the year-end reports
# (most accepted; one returned for revision, one still in review, one waiting); and the schools
# that already handed in the 20/12/2026 report (one of them being reviewed, one drafting).
PAST_LATE = {"pgd-dong-da": ["DDA-TH-03", "DDA-THCS-07"], "pgd-long-bien": ["LBI-THCS-02"]}
PAST_LATE_SEMESTER1 = {"pgd-dong-da": ["DDA-MN-04"], "pgd-long-bien": []}
PAST_MISSING = {"pgd-dong-da": ["DDA-MN-06"], "pgd-long-bien": []}
PAST_DRAFT_ONLY = {"pgd-dong-da": ["DDA-THCS-09"], "pgd-long-bien": ["LBI-MN-03"]}
PAST_RETURNED = {"pgd-dong-da": ["DDA-THCS-04"], "pgd-long-bien": ["LBI-TH-02"]}
PAST_IN_REVIEW = {"pgd-dong-da": ["DDA-TH-04"], "pgd-long-bien": []}
PAST_WAITING = {"pgd-dong-da": ["DDA-MN-05"], "pgd-long-bien": []}
EARLY_2026 = {"pgd-dong-da": ["DDA-MN-01", "DDA-TH-01", "DDA-THCS-01"], "pgd-long-bien": ["LBI-TH-01"]}
REVIEWING_2026 = {"pgd-dong-da": ["DDA-THCS-01"], "pgd-long-bien": []}
DRAFTING_2026 = {"pgd-dong-da": ["DDA-THCS-02"], "pgd-long-bien": ["LBI-THCS-01"]}

SUMMARY = (
    "Từ lần báo cáo trước đến nay (báo cáo {period}), {school} tiếp tục duy trì công tác tự đánh giá theo kế hoạch: Hội đồng tự đánh "
    "giá rà soát lại các tiêu chí, cập nhật minh chứng mới phát sinh và đối chiếu với kết quả tự đánh giá gần nhất.\n"
    "Nhà trường đã triển khai các biện pháp của kế hoạch cải tiến chất lượng; phần lớn biện pháp đang thực hiện đúng "
    "tiến độ, một số biện pháp về cơ sở vật chất phụ thuộc kinh phí được cấp nên chậm hơn dự kiến.\n"
    "Khó khăn: thiếu giáo viên một số bộ môn, kinh phí mua sắm thiết bị còn hạn chế.\n"
    "Đề xuất: Phòng GD&ĐT hỗ trợ bồi dưỡng công tác lưu trữ minh chứng điện tử cho nhóm thư ký."
)
RETURN_REASON = (
    "Phần tiến độ các biện pháp cải tiến của tiêu chí 1.2 và 3.3 chưa nêu kết quả cụ thể (số liệu, thời điểm hoàn "
    "thành); đề nghị nhà trường bổ sung và nộp lại."
)
ACCEPT_NOTE = "Báo cáo đầy đủ, đúng thời hạn. Đề nghị nhà trường tiếp tục theo dõi các biện pháp về cơ sở vật chất."


def _deadlines(unit: Organisation, by: User | None) -> None:
    if by is None:
        return
    schools = _schools(unit)
    # 2024-2025 is the year of the demo's self-assessment reports (the dashboards open on it).
    # (As written; every year and date of this module is shifted by the demo's clock, schools.demo_clock.)
    current = demo_clock.year_code("2026-2027")
    for code in [demo_clock.year_code(c) for c in ("2024-2025", "2025-2026", "2026-2027")]:
        year = SchoolYear.objects.filter(code=code).first()
        if year is None:
            continue
        deadlines = services.reporting_deadlines_ensure(unit=unit, school_year=year, by=by)
        if code != current:
            for deadline in deadlines:
                _past_deadline(unit, deadline, schools, by)
                _mark_read(deadline)
        else:
            first = next(d for d in deadlines if d.period == ReportingDeadline.Period.SEMESTER_1)
            for school_code in EARLY_2026[unit.code]:
                if school_code in schools:
                    report = _submit(schools[school_code], first, demo_clock.past(datetime.date(2026, 11, 18)))
                    if report is not None and school_code in REVIEWING_2026[unit.code]:
                        _review(report, by, "in_review")
            for school_code in DRAFTING_2026[unit.code]:
                if school_code in schools:
                    _draft(schools[school_code], first)


def _past_deadline(unit: Organisation, deadline: ReportingDeadline, schools: dict[str, School], by: User) -> None:
    """Last year's deadline: every school handed in, on time or late, and the district reviewed."""
    year_end = deadline.period == ReportingDeadline.Period.YEAR_END
    late_codes = PAST_LATE[unit.code] if year_end else PAST_LATE_SEMESTER1[unit.code]
    for school_code, school in schools.items():
        if school_code in PAST_MISSING[unit.code]:
            continue
        if school_code in PAST_DRAFT_ONLY[unit.code] and year_end:
            _draft(school, deadline)
            continue
        late = school_code in late_codes
        report = _submit(school, deadline, deadline.due_date + datetime.timedelta(days=4 if late else -3))
        if report is None:
            continue
        outcome = "accepted"
        if year_end:
            for codes, state in ((PAST_RETURNED, "returned"), (PAST_IN_REVIEW, "in_review"), (PAST_WAITING, "waiting")):
                if school_code in codes[unit.code]:
                    outcome = state
        _review(report, by, outcome, day=deadline.due_date + datetime.timedelta(days=12))


def _mark_read(deadline: ReportingDeadline) -> None:
    """Last year's reports were read long ago: their notifications do not fill today's bell."""
    from notifications.models import Notification

    urls = [services.periodic.report_url(r) for r in PeriodicReport.objects.filter(deadline=deadline)]
    Notification.objects.filter(url__in=urls, read_at__isnull=True).update(read_at=timezone.now())


def _draft(school: School, deadline: ReportingDeadline) -> PeriodicReport | None:
    principal = _user(school.code.lower())
    if principal is None:
        return None
    report = services.periodic_report_open(school=school, deadline=deadline, by=principal)
    if report.is_editable and not report.summary:
        services.periodic_report_save(report=report, by=principal, revision=report.revision,
                                      summary=SUMMARY.format(period=deadline.period_title, school=school.name).split("\n")[0])
    return report


def _submit(school: School, deadline: ReportingDeadline, day: datetime.date) -> PeriodicReport | None:
    """The school's report written and handed in on ``day`` (a report already sent is left alone)."""
    principal = _user(school.code.lower())
    if principal is None:
        return None
    existing = PeriodicReport.objects.filter(school=school, deadline=deadline).first()
    if existing is not None and existing.status != PeriodicReport.Status.DRAFT:
        return None
    report = services.periodic_report_open(school=school, deadline=deadline, by=principal)
    services.periodic_report_save(report=report, by=principal, revision=report.revision, summary=SUMMARY.format(
        period=deadline.period_title, school=school.name))
    return services.periodic_report_submit(report=report, by=principal, at=_at(day, 9 + school.pk % 8))


def _review(report: PeriodicReport, by: User, outcome: str, *, day: datetime.date | None = None) -> None:
    """Take the report through the district's review up to ``outcome`` (waiting, in_review, returned,
    accepted); the review's dates are set back to ``day`` so that last year's reports read as last year's."""
    if outcome == "waiting":
        return
    report = services.periodic_report_start_review(report=report, by=by)
    if outcome == "returned":
        report = services.periodic_report_return(report=report, by=by, reason=RETURN_REASON)
    elif outcome == "accepted":
        report = services.periodic_report_accept(report=report, by=by, note=ACCEPT_NOTE if report.pk % 3 == 0 else "")
    if day is not None and day < school_years.today():
        moment = _at(day, 15)
        fields = {"returned_at": moment} if outcome == "returned" else {"accepted_at": moment} if outcome == "accepted" else {}
        if fields:
            PeriodicReport.objects.filter(pk=report.pk).update(**fields)


# --- Đống Đa 2024 -----------------------------------------------------------------------------

# Schools evaluated in 2024: (code, round, decision date, Cấp độ, chuẩn quốc gia Mức độ).
DDA_2024_ROUND1 = ["DDA-MN-01", "DDA-MN-02", "DDA-TH-01", "DDA-THCS-01", "DDA-THCS-02", "DDA-THCS-03"]
DDA_2024_ROUND2 = ["DDA-MN-03", "DDA-TH-02", "DDA-THCS-04", "DDA-THCS-05"]
DDA_2024_CERTIFIED = [
    ("DDA-MN-01", "1156/QĐ-SGDĐT", datetime.date(2024, 6, 12), 3, 2),
    ("DDA-MN-02", "1157/QĐ-SGDĐT", datetime.date(2024, 6, 12), 2, 1),
    ("DDA-TH-01", "1158/QĐ-SGDĐT", datetime.date(2024, 6, 12), 3, 2),
    ("DDA-THCS-01", "1159/QĐ-SGDĐT", datetime.date(2024, 6, 12), 2, 1),
    ("DDA-THCS-02", "1160/QĐ-SGDĐT", datetime.date(2024, 6, 12), 2, 1),
    ("DDA-MN-03", "3412/QĐ-SGDĐT", datetime.date(2024, 12, 20), 2, 1),
    ("DDA-TH-02", "3413/QĐ-SGDĐT", datetime.date(2024, 12, 20), 3, 2),
]
# Earlier recognitions: why several schools are in the plan for a renewal.
OLDER_CERTIFICATES = [
    ("DDA-MN-01", "2718/QĐ-SGDĐT", datetime.date(2019, 5, 28), 2, 1),
    ("DDA-THCS-06", "0985/QĐ-SGDĐT", datetime.date(2019, 4, 15), 2, 1),
    ("DDA-TH-04", "3120/QĐ-SGDĐT", datetime.date(2022, 11, 30), 2, 1),
    ("LBI-MN-01", "0214/QĐ-SGDĐT", datetime.date(2022, 1, 20), 2, 1),  # expires 20/01/2027
    ("LBI-TH-02", "1876/QĐ-SGDĐT", datetime.date(2021, 6, 15), 2, 1),  # expired 15/06/2026
    ("LBI-THCS-01", "4102/QĐ-SGDĐT", datetime.date(2025, 3, 10), 3, 2),
]
RENEWALS = {"DDA-MN-01", "DDA-THCS-06"}


def _plan(unit, year, title, targets, codes, by, *, number="", date=None) -> AccreditationPlan:
    """The plan of ``year`` as written (shifted here by the demo's clock, with its document date)."""
    year, date = demo_clock.first_year(year), demo_clock.day(date) if date else date
    plan = AccreditationPlan.objects.filter(unit=unit, year=year).first()
    if plan is None:
        plan = services.plan_create(unit=unit, year=year, title=title, by=by, targets=targets,
                                    document_number=number, document_date=date)
    schools = _schools(unit)
    renewals = [schools[c] for c in codes if c in schools and c in RENEWALS]
    firsts = [schools[c] for c in codes if c in schools and c not in RENEWALS]
    services.plan_schools_add(plan=plan, schools=firsts, by=by, purpose=PlannedSchool.Purpose.FIRST)
    services.plan_schools_add(plan=plan, schools=renewals, by=by, purpose=PlannedSchool.Purpose.RENEWAL,
                              target_accreditation_level=3, target_national_standard=2)
    return plan


def _round(unit, year, number, dossier, by, codes) -> EvaluationRound:
    """Round ``number`` of ``year`` as written (shifted here by the demo's clock, with its dossier date)."""
    year, dossier = demo_clock.first_year(year), demo_clock.day(dossier)
    round_ = EvaluationRound.objects.filter(unit=unit, year=year, number=number).first()
    if round_ is None:
        round_ = services.round_create(unit=unit, year=year, number=number, by=by, dossier_date=dossier)
    schools = _schools(unit)
    services.round_schools_register(round_=round_, schools=[schools[c] for c in codes if c in schools], by=by)
    return round_


def _certificates(rows, by) -> None:
    schools = {s.code: s for s in School.objects.filter(code__in=[r[0] for r in rows])}
    for code, number, written_day, level, national in rows:
        day = demo_clock.day(written_day)
        school = schools.get(code)
        if school is None or Certificate.objects.filter(school=school, decision_number=number).exists():
            continue
        services.certificate_record(school=school, by=by, decision_number=number, decision_date=day, issuing_body=ISSUER,
                                    accreditation_level=level, national_standard_level=national)


def _complete_past_milestones(round_: EvaluationRound, by) -> None:
    """Every milestone of a past round done on its due date (or the day before)."""
    for milestone in round_.milestones.all():
        for index, registration in enumerate(round_.registrations.all() if milestone.is_school else [None]):
            day = milestone.due_date - datetime.timedelta(days=index % 2)
            services.milestone_complete(milestone=milestone, by=by, registration=registration, at=_at(day, 9 + index % 6))


def _dong_da_2024(unit, reviewer, officer) -> None:
    if reviewer is None:
        return
    codes = [f"DDA-MN-{i:02d}" for i in range(1, 7)] + [f"DDA-TH-{i:02d}" for i in range(1, 5)] + [
        f"DDA-THCS-{i:02d}" for i in range(1, 10)
    ]
    _plan(unit, 2024, f"Kế hoạch triển khai công tác kiểm định chất lượng giáo dục năm {demo_clock.first_year(2024)}",
          {"mn": 6, "th": 4, "thcs": 9}, codes, reviewer, number="412/PGDĐT-KĐ", date=datetime.date(2024, 3, 25))
    first = _round(unit, 2024, 1, datetime.date(2024, 4, 8), reviewer, DDA_2024_ROUND1)
    second = _round(unit, 2024, 2, datetime.date(2024, 10, 14), reviewer, DDA_2024_ROUND2)
    _complete_past_milestones(first, reviewer)
    _complete_past_milestones(second, reviewer)
    _certificates(OLDER_CERTIFICATES, officer)
    _evaluation_thcs_dong_da(first, officer)
    _certificates(DDA_2024_CERTIFIED, officer)


TEAM = [
    ("Nguyễn Văn Thành", "leader", "Sở GD&ĐT Hà Nội", "Phó Trưởng phòng Quản lý thi và KĐCLGD"),
    ("Lê Thị Minh Nguyệt", "secretary", "Sở GD&ĐT Hà Nội", "Chuyên viên"),
    ("Phạm Quang Huy", "member", "Phòng GD&ĐT quận Hai Bà Trưng", "Chuyên viên"),
    ("Trần Thị Thu Hằng", "member", "Trường THCS Trưng Vương", "Hiệu trưởng"),
    ("Đỗ Mạnh Cường", "member", "Trường THCS Cầu Giấy", "Phó Hiệu trưởng"),
    ("Vũ Thị Bích Ngọc", "member", "Phòng GD&ĐT quận Ba Đình", "Chuyên viên"),
    ("Hoàng Anh Tuấn", "member", "Trường THCS Giảng Võ", "Phó Hiệu trưởng"),
]
RECOMMENDATIONS = [
    ("1.2", "Hội đồng trường cần xây dựng kế hoạch giám sát việc thực hiện nghị quyết theo từng học kỳ, có biên bản đánh giá kết quả."),
    ("3.3", "Bổ sung thiết bị dạy học tối thiểu môn Khoa học tự nhiên lớp 8, 9; lập kế hoạch khai thác phòng học bộ môn."),
    ("5.2", "Đa dạng hóa hình thức tổ chức hoạt động trải nghiệm, hướng nghiệp; lưu hồ sơ đánh giá kết quả của học sinh."),
    (None, "Rà soát, sắp xếp hồ sơ minh chứng theo đúng mã đã trích dẫn trong báo cáo tự đánh giá; loại bỏ minh chứng hết hiệu lực."),
]
# External level per criterion of TT18 (the rest at Mức 2), and the self-assessed level where it differs.
EXTERNAL_LEVELS = {"1.1": 3, "1.4": 3, "2.1": 3, "4.1": 3, "4.2": 3, "5.1": 3}
SELF_LEVELS = {"1.2": 3, "3.3": 3, "5.2": 3}


def _evaluation_thcs_dong_da(round_: EvaluationRound, officer) -> None:
    registration = RoundRegistration.objects.filter(round=round_, school__code="DDA-THCS-01").select_related("school").first()
    if registration is None or ExternalEvaluation.objects.filter(registration=registration).exists():
        return
    evaluation = services.evaluation_start(by=officer, registration=registration)
    evaluation = services.evaluation_update(
        evaluation=evaluation, by=officer, revision=evaluation.revision,
        team_decision_number="1024/QĐ-SGDĐT", team_decision_date=demo_clock.day(datetime.date(2024, 4, 22)),
        dossier_study_date=demo_clock.day(datetime.date(2024, 4, 25)), preliminary_visit_date=demo_clock.day(datetime.date(2024, 5, 6)),
        visit_start=demo_clock.day(datetime.date(2024, 5, 14)), visit_end=demo_clock.day(datetime.date(2024, 5, 16)),
        draft_report_date=demo_clock.day(datetime.date(2024, 5, 20)), school_feedback_date=demo_clock.day(datetime.date(2024, 5, 24)),
        final_report_date=demo_clock.day(datetime.date(2024, 5, 30)),
        strengths="Nhà trường có phương hướng, chiến lược phát triển rõ ràng, được cụ thể hóa bằng kế hoạch từng năm học; "
                  "đội ngũ cán bộ quản lý, giáo viên đạt chuẩn và trên chuẩn; chất lượng giáo dục toàn diện ổn định, "
                  "nhiều học sinh đạt giải học sinh giỏi cấp quận, thành phố.",
        weaknesses="Việc giám sát thực hiện nghị quyết của Hội đồng trường chưa thường xuyên; thiết bị dạy học một số môn "
                   "còn thiếu so với danh mục tối thiểu; hồ sơ minh chứng một số tiêu chí chưa cập nhật.",
        proposed_accreditation_level=2, proposed_national_standard=1,
    )
    services.evaluation_team_set(
        evaluation=evaluation, by=officer, revision=evaluation.revision,
        members=[{"full_name": n, "role": r, "workplace": w, "position": p} for n, r, w, p in TEAM],
    )
    evaluation.refresh_from_db()
    from standards.models import Criterion

    criteria = {c.number: c for c in Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False)}
    # Written for a 2018 catalog (levels 1-3); seeded from 2028-2029 on, the clock puts this evaluation
    # in a year under TT57/2026, whose criteria have fewer levels: no level above the regulation's top.
    top = evaluation.regulation_version.regulation.level_count

    def level(value: int) -> int:
        return min(value, top)

    results = {
        c.pk: {"level": level(EXTERNAL_LEVELS.get(number, 2)),
               "self_level": level(SELF_LEVELS.get(number, EXTERNAL_LEVELS.get(number, 2))),
               "note": "Đoàn đánh giá thấp hơn mức tự đánh giá: minh chứng chưa đủ cho chỉ báo Mức 3."
               if number in SELF_LEVELS and top >= 3 else ""}
        for number, c in criteria.items()
    }
    services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision, results=results)
    for number, text in RECOMMENDATIONS:
        services.recommendation_add(evaluation=evaluation, by=officer, text=text, criterion=criteria.get(number) if number else None)
    services.evaluation_complete(evaluation=evaluation, by=officer, notify_school=False)
    evaluation.refresh_from_db()
    Certificate.objects.filter(school=evaluation.school, decision_number="1159/QĐ-SGDĐT").update(evaluation=evaluation)


# --- Long Biên 2026-2027 ----------------------------------------------------------------------

# Round 2 of the letter had a slower summer rhythm; its own dates, transposed from 2017 to 2027.
ROUND2_DATES = {
    "school_complete_report": datetime.date(2027, 6, 30),
    "school_submit_dossier": datetime.date(2027, 7, 14),
    "school_receive_comments": datetime.date(2027, 7, 18),
    "school_resubmit": datetime.date(2027, 7, 24),
    "school_prepare_visit": datetime.date(2027, 8, 15),
    "district_support": datetime.date(2027, 5, 7),
    "district_review_dossiers": datetime.date(2027, 7, 24),
    "district_letter_to_department": datetime.date(2027, 7, 28),
    "district_report_committee": datetime.date(2027, 7, 28),
}


def _long_bien_2027(unit, reviewer, officer) -> None:
    if reviewer is None:
        return
    _plan(unit, 2027, demo_clock.years_in("Kế hoạch triển khai công tác kiểm định chất lượng giáo dục năm học 2026-2027"),
          {"mn": 2, "th": 1, "thcs": 0}, ["LBI-MN-01", "LBI-MN-02", "LBI-TH-01"], reviewer,
          number="1358/KH-PGDĐT", date=datetime.date(2026, 10, 12))
    expires = demo_clock.day(datetime.date(2027, 1, 20))
    PlannedSchool.objects.filter(plan__unit=unit, plan__year=demo_clock.first_year(2027), school__code="LBI-MN-01").update(
        purpose=PlannedSchool.Purpose.RENEWAL,
        note=f"Quyết định công nhận năm {demo_clock.first_year(2022)} hết hạn ngày {expires:%d/%m/%Y}",
    )
    _round(unit, 2027, 1, datetime.date(2027, 1, 9), reviewer, ["LBI-MN-01", "LBI-TH-01"])
    second_new = not EvaluationRound.objects.filter(unit=unit, year=demo_clock.first_year(2027), number=2).exists()
    second = _round(unit, 2027, 2, datetime.date(2027, 7, 14), reviewer, ["LBI-MN-02"])
    if second_new:
        for milestone in second.milestones.all():
            written = ROUND2_DATES.get(milestone.template_key)
            day = demo_clock.day(written) if written else None
            if day and day != milestone.due_date:
                services.milestone_update(milestone=milestone, by=reviewer, revision=milestone.revision,
                                          title=milestone.title, due_date=day, description=milestone.description)
    # Thanh Am has already finished its report and evidence.
    first = EvaluationRound.objects.get(unit=unit, year=demo_clock.first_year(2027), number=1)
    registration = first.registrations.filter(school__code="LBI-TH-01").first()
    milestone = first.milestones.filter(template_key="school_complete_report").first()
    principal = _user("lbi-th-01")
    if registration and milestone and principal:
        services.milestone_complete(milestone=milestone, by=principal, registration=registration,
                                    at=_at(demo_clock.past(datetime.date(2026, 11, 20)), 15))
