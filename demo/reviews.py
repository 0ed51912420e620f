"""Demo data of the district review, after the self-assessment demo: every review page has content.

- DDA-THCS-01: submitted, commented on two criteria by cv.dongda1 and returned; the school answers
  one comment, revises a text and resubmits; the reviewer picks it up again (in review, version 2,
  one comment still open).
- DDA-TH-01: submitted, accepted by cv.dongda1 and forwarded to the Sở by tp.dongda.
- DDA-MN-01: submitted and in review with cv.dongda1, two criteria marked reviewed.
- CNA-THCS-01 (2026-2027, TT57): submitted to UBND phường Cửa Nam and in review with cv.cuanam1, so
  the ward's head and reviewers find a report in their own queue.

Everything goes through the review services (events, versions, notifications), as people would
do it. Idempotent: a report that already has a version is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from reviews import services
from reviews.selectors import latest_version
from schools import demo_clock
from schools.models import User
from selfassessment.models import Passage, Report
from selfassessment.selectors import report_content

_YEAR = "2024-2025"  # as written; shifted by the demo's clock (schools.demo_clock)


def year_code() -> str:
    """The year of the demo's reviewed reports (2024-2025 as written)."""
    return demo_clock.year_code(_YEAR)


def __getattr__(name: str):
    if name == "YEAR":
        return year_code()
    raise AttributeError(name)


def _dmy(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _report(code: str) -> Report | None:
    return (
        Report.objects.filter(school__code=code, school_year__code=year_code(), kind=Report.Kind.PERIODIC)
        .exclude(status=Report.Status.CLOSED)
        .select_related("school__reviewing_unit__parent", "school_year", "regulation_version__regulation")
        .first()
    )


def _criterion_text(report: Report, number: str, part: str = "weaknesses") -> Passage | None:
    return Passage.objects.filter(report=report, key=f"criterion:{number}:{part}").first()


def _first_state(report: Report, number: str) -> Passage | None:
    return (
        Passage.objects.filter(report=report, key__startswith=f"indicator:{number}:", kind=Passage.Kind.CURRENT_STATE)
        .exclude(text="")
        .order_by("position")
        .first()
    )


def _quote(text: str) -> str:
    """A short excerpt of a text: its first clause, as a reviewer would select it."""
    first = text.split(".")[0].strip()
    return first[:120].rsplit(" ", 1)[0] if len(first) > 120 else first


def _returned_and_resubmitted(report: Report, principal: User, reviewer: User) -> None:
    from selfassessment import services as sa_services

    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    version = latest_version(report)
    state = _first_state(report, "1.1")
    threads = []
    if state is not None:
        threads.append(services.thread_open(
            report=report, by=reviewer, version=version, passage_key=state.key, quote=_quote(state.text),
            text="Đề nghị nhà trường ghi rõ số, ngày của văn bản được dẫn và bổ sung minh chứng là nghị quyết "
                 f"Hội nghị viên chức năm học {demo_clock.year_code('2023-2024')}.",
        ))
    weaknesses = _criterion_text(report, "2.1")
    if weaknesses is not None:
        threads.append(services.thread_open(
            report=report, by=reviewer, version=version, passage_key=weaknesses.key,
            text="Điểm yếu còn chung chung; cần nêu cụ thể số giáo viên chưa đạt chuẩn và nguyên nhân, "
                 "khớp với số liệu Phần I.",
        ))
    services.report_return(
        report=report, by=reviewer,
        reason="Báo cáo cơ bản đầy đủ. Đề nghị nhà trường chỉnh sửa theo các góp ý ở tiêu chí 1.1 và 2.1, "
               "rà soát lại mã minh chứng trước khi nộp lại.",
    )
    first = threads[0] if threads else None
    if first is not None:
        # The school answers "Đã sửa" with a reply; only the reviewing unit closes the comment.
        services.thread_mark_fixed(
            thread=first, by=principal,
            text="Nhà trường đã bổ sung số, ngày của nghị quyết và mã minh chứng tương ứng.",
        )
        if state is not None:
            passage = Passage.objects.get(pk=state.pk)
            sa_services.passage_save(
                passage=passage, base_revision=passage.revision, by=principal,
                text=passage.text.rstrip() + " Nghị quyết Hội nghị viên chức, người lao động năm học "
                                             f"{demo_clock.year_code('2023-2024')} số 01/NQ-HNVC ngày "
                                             f"{_dmy(demo_clock.day(datetime.date(2023, 9, 28)))} ghi nhận nội dung này.",
            )
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    if first is not None:
        services.thread_resolve(thread=first, by=reviewer)


def _accepted_and_forwarded(report: Report, principal: User, reviewer: User, head: User) -> None:
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    result = services.report_accept(report=report, by=reviewer, note="Báo cáo đạt yêu cầu, minh chứng đầy đủ.")
    if not result.accepted:
        services.report_accept(report=report, by=head, note="Đồng ý.")
    services.report_forward(report=report, by=head)


def _in_review(report: Report, principal: User, reviewer: User) -> None:
    from standards.models import Criterion

    version = services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    for number in ("1.1", "1.2"):
        criterion = Criterion.objects.filter(standard__version_id=report.regulation_version_id, number=number).first()
        if criterion is not None:
            services.criterion_review_set(version=version, criterion=criterion, by=reviewer, reviewed=True)


def _submit_tt57(stdout) -> None:
    """Submit the 2026-2027 TT57 reports the self-assessment demo finished, through the review service."""
    from .selfassessment import TT57_FINISHED, TT57_YEAR

    reports = (
        Report.objects.filter(school__code__in=TT57_FINISHED, school_year__code=TT57_YEAR, kind=Report.Kind.PERIODIC,
                              status=Report.Status.DRAFT)
        .select_related("school__reviewing_unit__parent", "school_year", "regulation_version__regulation")
        .order_by("school__code")
    )
    for report in reports:
        principal = User.objects.filter(username=report.school.code.lower()).first()
        if principal is None or services._submission_problems(report, report_content(report)):
            _say(stdout, f"reviews: {report.school.code} {TT57_YEAR} stays a draft.")
            continue
        try:
            with transaction.atomic():
                services.report_submit(report=report, by=principal)
        except services.WorkflowError as exc:
            _say(stdout, f"reviews: {report.school.code} {TT57_YEAR} left as it is ({exc.message})")
            continue
        _say(stdout, f"reviews: {report.school.code} {TT57_YEAR} (Thông tư 57) → {Report.Status.SUBMITTED.label}")
    _ward_in_review(stdout)


def _ward_in_review(stdout) -> None:
    """The ward's finished TT57 report: submitted and taken into review by its first reviewer.

    The ward asks only for the council and every criterion before a submission (its own choice, made
    by its head on the review settings page), so the demo shows a unit's gate other than the default.
    """
    from .selfassessment import TT57_YEAR

    people = {u.username: u for u in User.objects.filter(username__in=["cna-thcs-01", "cv.cuanam1", "tp.cuanam"])}
    report = (
        Report.objects.filter(school__code="CNA-THCS-01", school_year__code=TT57_YEAR, kind=Report.Kind.PERIODIC,
                              status__in=[Report.Status.DRAFT, Report.Status.SUBMITTED])
        .select_related("school__reviewing_unit__parent", "school_year", "regulation_version__regulation").first()
    )
    if len(people) < 3 or report is None:
        return
    try:
        with transaction.atomic():
            services.submission_gate_set(unit=report.school.reviewing_unit, by=people["tp.cuanam"],
                                         sections=["council", "criteria"])
            if report.status == Report.Status.DRAFT:
                services.report_submit(report=report, by=people["cna-thcs-01"])
            services.report_start_review(report=report, by=people["cv.cuanam1"])
    except services.WorkflowError as exc:
        _say(stdout, f"reviews: CNA-THCS-01 {TT57_YEAR} left as it is ({exc.message})")
        return
    _say(stdout, f"reviews: CNA-THCS-01 {TT57_YEAR} (Thông tư 57) → {Report.Status.IN_REVIEW.label}")


def seed(stdout=None) -> None:
    """Bring the three demo reports to their review states (see the module docstring).

    A report the consistency checks would refuse (the self-assessment demo leaves deliberate slips
    in some) stays a draft for the school to fix; its scenario then goes to another demo report
    whose own scenario matters less, so that every review page still has content.
    """
    people = {u.username: u for u in User.objects.filter(
        username__in=["dda-thcs-01", "dda-th-01", "dda-mn-01", "cv.dongda1", "tp.dongda"]
    )}
    reviewer, head = people.get("cv.dongda1"), people.get("tp.dongda")
    if reviewer is None or head is None:
        _say(stdout, "reviews: demo accounts missing, skipped.")
        return
    # (preferred school, scenario), most telling first.
    scenarios = [
        ("DDA-THCS-01", lambda r, p: _returned_and_resubmitted(r, p, reviewer)),
        ("DDA-TH-01", lambda r, p: _accepted_and_forwarded(r, p, reviewer, head)),
        ("DDA-MN-01", lambda r, p: _in_review(r, p, reviewer)),
    ]
    _submit_tt57(stdout)
    reports = {code: _report(code) for code, _plan in scenarios}
    if any(r is not None and r.review_versions.exists() for r in reports.values()):
        return  # already seeded
    ready = {}
    for code, report in reports.items():
        if report is None or people.get(code.lower()) is None:
            _say(stdout, f"reviews: no {year_code()} report for {code}, skipped.")
            continue
        problems = services._submission_problems(report, report_content(report))
        if problems:
            _say(stdout, f"reviews: {code} stays a draft, the checks find {len(problems)} error(s) to fix first.")
            continue
        ready[code] = report
    for preferred, plan in scenarios:
        code = preferred if preferred in ready else next(reversed(list(ready)), None)
        if code is None:
            break
        report = ready.pop(code)
        try:
            with transaction.atomic():
                plan(report, people[code.lower()])
        except services.WorkflowError as exc:
            _say(stdout, f"reviews: {code} left as it is ({exc.message})")
            continue
        report.refresh_from_db()
        _say(stdout, f"reviews: {code} → {report.get_status_display()}")
