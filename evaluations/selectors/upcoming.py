"""A school's upcoming deadlines: what it must do next, met or missed lately."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.models import School

from .. import certification, deadlines57, reports
from ..models import (
    Certificate,
    Milestone,
    ReportingDeadline,
)
from .deadlines import deadline_met_by, milestone_ref, periodic_ref

UPCOMING_HORIZON_DAYS = 60
# Improvement actions listed one by one on a school's upcoming page (overdue ones are summed up).
UPCOMING_ACTIONS_SHOWN = 10
# How long a missed deadline stays on the school's list of upcoming deadlines.
OVERDUE_VISIBLE_DAYS = 60


# --- A school's upcoming deadlines ----------------------------------------------------------


@dataclass
class UpcomingItem:
    kind: str  # "periodic", "tt57" (approval, Biểu 2 monitoring), "milestone", "certificate", "improvement"
    title: str
    due: datetime.date
    days_left: int
    done: bool = False
    done_at: datetime.datetime | None = None
    url: str = ""
    context: str = ""

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def is_soon(self) -> bool:
        return not self.done and 0 <= self.days_left <= 14


def upcoming_deadlines_for_school(
    school: School, today: datetime.date, *, horizon_days: int = UPCOMING_HORIZON_DAYS
) -> list[UpcomingItem]:
    """What the school must do next: its periodic reports, its round milestones, the actions of its
    improvement plan, its certificate's expiry; due within ``horizon_days``, or missed within the
    last two months. Seven queries whatever their number."""
    first = today - datetime.timedelta(days=OVERDUE_VISIBLE_DAYS)
    last = today + datetime.timedelta(days=horizon_days)
    items: list[UpcomingItem] = []
    periodic = list(
        ReportingDeadline.objects.for_reports().filter(unit_id=school.reviewing_unit_id, due_date__range=(first, last))
        .select_related("school_year")
    )
    milestones = list(
        Milestone.objects.filter(
            owner=Milestone.Owner.SCHOOL, round__registrations__school=school, due_date__range=(first, last)
        ).select_related("round")
    )
    met = deadline_met_by(periodic_ids=[d.pk for d in periodic], milestone_ids=[m.pk for m in milestones])
    for deadline in periodic:
        done_at = met.get(periodic_ref(deadline.pk), {}).get(school.pk)
        if done_at is not None and deadline.due_date < today:
            continue
        items.append(UpcomingItem(
            "periodic", _("Báo cáo kết quả tự đánh giá và thực hiện kế hoạch cải tiến (%(period)s)")
            % {"period": deadline.short_period},
            deadline.due_date, (deadline.due_date - today).days, done_at is not None, done_at,
            reverse("evaluations:periodic_report_detail", args=[deadline.pk, school.pk]),
            context=_("Năm học %(year)s") % {"year": deadline.school_year.code},
        ))
    for milestone in milestones:
        done_at = met.get(milestone_ref(milestone.pk), {}).get(school.pk)
        if done_at is not None and milestone.due_date < today:
            continue
        items.append(UpcomingItem(
            "milestone", milestone.title, milestone.due_date, (milestone.due_date - today).days,
            done_at is not None, done_at, reverse("evaluations:round_detail", args=[milestone.round_id]),
            context=_("Đánh giá ngoài – %(round)s") % {"round": milestone.round},
        ))
    items.extend(_tt57_duties(school, today, first, last))
    items.extend(_plan57_items(school, today, last))
    actions = reports.improvement_actions_due(school, last)
    overdue = [a for a in actions if a.due_on < today]
    if overdue:
        # However many, one line: the plan's own page lists them (improvement-plan tracking).
        items.append(UpcomingItem(
            "improvement", ngettext(
                "%(n)s biện pháp cải tiến chưa hoàn thành đã quá hạn",
                "%(n)s biện pháp cải tiến chưa hoàn thành đã quá hạn", len(overdue)) % {"n": len(overdue)},
            overdue[0].due_on, (overdue[0].due_on - today).days,
            url=reverse("selfassessment:report_detail", args=[overdue[0].report_id]),
            context=_("Kế hoạch cải tiến chất lượng – báo cáo năm học %(year)s") % {"year": overdue[0].report.school_year.code},
        ))
    for action in [a for a in actions if a.due_on >= today][:UPCOMING_ACTIONS_SHOWN]:
        target = (_("Tiêu chí %(n)s") % {"n": action.criterion.number}) if action.criterion_id else (
            _("Mức 4 – yêu cầu %(n)s") % {"n": action.level4.number})
        url = reverse("selfassessment:criterion_edit", args=[action.report_id, action.criterion_id]) if action.criterion_id \
            else reverse("selfassessment:level4_edit", args=[action.report_id])
        items.append(UpcomingItem(
            "improvement", action.action, action.due_on, (action.due_on - today).days, url=url,
            context=_("Kế hoạch cải tiến – %(target)s%(who)s") % {
                "target": target, "who": f" · {action.responsible}" if action.responsible else ""},
        ))
    certificate = Certificate.objects.filter(school=school).order_by("-decision_date", "-id").first()
    if certificate is not None and certificate.validity_state(today) != certification.VALID:
        items.append(UpcomingItem(
            "certificate", _("Hết hiệu lực công nhận %(level)s (QĐ %(number)s)") % {
                "level": certificate.get_accreditation_level_display(), "number": certificate.decision_number,
            },
            certificate.valid_until, (certificate.valid_until - today).days,
            context=_("Cần đăng ký đánh giá lại"),
        ))
    items.sort(key=lambda item: (item.done, item.due))
    return items


def _tt57_duties(school: School, today: datetime.date, first: datetime.date, last: datetime.date) -> list[UpcomingItem]:
    """The TT57 deadlines the school's reviewing unit set (15/6 approval, the two Biểu 2 monitoring
    points) that concern this school, met or not (``deadlines57.standings``); a met one leaves the
    list once its day has passed, as the periodic reports do."""
    deadlines = list(
        ReportingDeadline.objects.for_tt57().filter(unit_id=school.reviewing_unit_id, due_date__range=(first, last))
        .select_related("school_year")
    )
    if not deadlines:
        return []
    standing = deadlines57.standings(deadlines)
    report_of_year = dict(
        reports.open_reports_of(school, {d.school_year_id for d in deadlines}).values_list("school_year_id", "pk")
    )
    items = []
    for deadline in deadlines:
        concerned = standing.get(deadline.pk)
        if concerned is None or school.pk not in concerned.concerned:
            continue
        done = school.pk in concerned.met
        if done and deadline.due_date < today:
            continue
        report_pk = report_of_year.get(deadline.school_year_id)
        if report_pk is None:
            url = reverse("selfassessment:report_list")
        elif deadline.period in deadlines57.MONITORING_POINT:
            url = reverse("selfassessment:plan57", args=[report_pk])
        else:
            url = reverse("selfassessment:report_detail", args=[report_pk])
        items.append(UpcomingItem(
            "tt57", capfirst(deadlines57.what(deadline)), deadline.due_date, (deadline.due_date - today).days,
            done, url=url, context=deadline.get_period_display(),
        ))
    return items


def _plan57_items(school: School, today: datetime.date, last: datetime.date) -> list[UpcomingItem]:
    """The improvement activities of the school's Biểu 2 (TT57 plans of its open reports) not done by
    their end date: the overdue ones in one line, then the next few ending before ``last``."""
    actions = reports.plan57_actions_due(school, last)
    items = []
    overdue = [a for a in actions if a.end_on < today]
    if overdue:
        items.append(UpcomingItem(
            "improvement", ngettext(
                "%(n)s hoạt động cải tiến (Biểu 2) chưa hoàn thành đã quá hạn",
                "%(n)s hoạt động cải tiến (Biểu 2) chưa hoàn thành đã quá hạn", len(overdue)) % {"n": len(overdue)},
            overdue[0].end_on, (overdue[0].end_on - today).days,
            url=reverse("selfassessment:plan57", args=[overdue[0].plan.report_id]),
            context=_("Kế hoạch cải tiến chất lượng (Biểu 2) – năm học %(year)s") % {
                "year": overdue[0].plan.report.school_year.code},
        ))
    for action in [a for a in actions if a.end_on >= today][:UPCOMING_ACTIONS_SHOWN]:
        items.append(UpcomingItem(
            "improvement", action.content, action.end_on, (action.end_on - today).days,
            url=reverse("selfassessment:plan57", args=[action.plan.report_id]),
            context=_("Kế hoạch cải tiến (Biểu 2)%(who)s") % {
                "who": f" · {action.responsible}" if action.responsible else ""},
        ))
    return items
