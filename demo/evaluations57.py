"""Demo data of the TT57/2026 additions of the evaluations app, written through the services (idempotent).

- The current school year's TT57 deadlines of Đống Đa and Long Biên: the self-assessment report
  approved by 15/6, and the two reviews of the Biểu 2 improvement plan; Đống Đa moved its semester-I
  review to 15 January (after the semester's end), Long Biên keeps the letters' 20/12 and 10/5.
- The Sở's recognition work: the facilities condition (Điều 16 khoản 1 điểm d) recorded for three
  Đống Đa schools, and one recognition at Mức độ 1: THCS Đống Đa 2's TT57 report accepted by the
  district (so its computed level counts), its earlier years confirmed by the Sở from its records.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from evaluations import services
from evaluations.models import Facilities57, Recognition57, ReportingDeadline
from evaluations.services import recognition as recognition_services
from schools import demo_clock
from schools import years as school_years
from schools.models import Organisation, School, SchoolYear, User

P = ReportingDeadline.Period
# Per unit: the TT57 deadlines of the current year, with a date of the data where the unit moved it.
TT57_DEADLINES = {
    "pgd-dong-da": {P.PLAN_APPROVAL: None, P.MONITORING_SEMESTER_1: datetime.date(2027, 1, 15),
                    P.MONITORING_YEAR_END: None},
    "pgd-long-bien": {P.PLAN_APPROVAL: None, P.MONITORING_SEMESTER_1: None, P.MONITORING_YEAR_END: None},
}
FACILITIES = {
    "DDA-THCS-02": (1, "Đủ phòng học bộ môn, thư viện đạt chuẩn; bảo đảm an toàn trường học (biên bản kiểm tra "
                       "của Sở ngày 10/11/2026)."),
    "DDA-TH-02": (2, "Cơ sở vật chất, thiết bị đáp ứng yêu cầu Mức độ 2."),
    "DDA-MN-02": (0, "Còn thiếu phòng giáo dục thể chất; Sở đề nghị bổ sung trước khi xem xét."),
}
RECOGNISED = "DDA-THCS-02"
DECISION_NUMBER = "2150/QĐ-SGDĐT"
DECISION_DAY = datetime.date(2026, 11, 25)
CONFIRMATION = ("Dữ liệu tự đánh giá các năm học trước năm học đầu tiên trên hệ thống được Sở đối chiếu với hồ sơ "
                "lưu tại Phòng Quản lý chất lượng.")


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _deadlines(unit: Organisation, by: User, year: SchoolYear) -> None:
    existing = set(ReportingDeadline.objects.filter(unit=unit, school_year=year).values_list("period", flat=True))
    for period, moved in TT57_DEADLINES[unit.code].items():
        if period in existing:
            continue
        services.reporting_deadline_add(
            unit=unit, school_year=year, period=period, by=by,
            due_date=demo_clock.day(moved) if moved else None,
            note="Lùi sau khi kết thúc học kỳ I" if moved else "",
        )


def _accept_tt57(school: School, year: SchoolYear, stdout) -> None:
    """The district accepts the school's submitted TT57 report (condition c counts accepted reports)."""
    from reviews import services as review_services
    from selfassessment.models import Report

    report = Report.objects.filter(school=school, school_year=year, kind=Report.Kind.PERIODIC).first()
    reviewer, head = User.objects.filter(username="cv.dongda1").first(), User.objects.filter(username="tp.dongda").first()
    if report is None or reviewer is None or head is None:
        return
    try:
        with transaction.atomic():
            if report.status in (Report.Status.SUBMITTED, Report.Status.RESUBMITTED):
                report = review_services.report_start_review(report=report, by=reviewer)
            if report.status == Report.Status.IN_REVIEW:
                review_services.report_accept(report=report, by=head, note="Đạt yêu cầu.")
    except Exception as exc:  # the demo goes on without the recognition; the reason is printed
        _say(stdout, f"evaluations: {school.code} TT57 report left as it is ({exc})")


def seed(stdout=None) -> None:
    officer = User.objects.filter(username="cv.so").first()
    year = SchoolYear.objects.filter(code=demo_clock.year_code("2026-2027")).first()
    if officer is None or year is None:
        return
    for code, username in (("pgd-dong-da", "cv.dongda1"), ("pgd-long-bien", "cv.longbien1")):
        unit, by = Organisation.objects.filter(code=code).first(), User.objects.filter(username=username).first()
        if unit is not None and by is not None:
            with transaction.atomic():
                _deadlines(unit, by, year)
    schools = {s.code: s for s in School.objects.filter(code__in=FACILITIES)}
    for code, (degree, note) in FACILITIES.items():
        if code in schools and not Facilities57.objects.filter(school=schools[code]).exists():
            recognition_services.facilities57_set(school=schools[code], degree=degree, note=note, by=officer, revision=0)
    school = schools.get(RECOGNISED)
    if school is None or Recognition57.objects.filter(school=school).exists():
        return
    _accept_tt57(school, year, stdout)
    try:
        recognition_services.recognition57_record(
            school=school, by=officer, decision_number=DECISION_NUMBER,
            decision_date=min(demo_clock.past(DECISION_DAY), school_years.today()),
            issuing_body="Sở Giáo dục và Đào tạo Hà Nội", degree=1, confirmed=True, conditions_note=CONFIRMATION,
        )
    except services.EvaluationsError as exc:
        _say(stdout, f"evaluations: no TT57 recognition for {school.code} ({exc})")
        return
    _say(stdout, "evaluations: TT57 deadlines (15/6, plan reviews) and a national-standard recognition ready.")
