"""factory_boy factories for the evaluations models (services are tested apart; these build scenery)."""

import datetime

import factory

from evaluations.models import (
    AccreditationPlan,
    Certificate,
    EvaluationRound,
    Milestone,
    PeriodicReport,
    PlannedSchool,
    RoundRegistration,
)
from schools.tests.factories import SchoolFactory, UnitFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditationPlan

    unit = factory.SubFactory(UnitFactory)
    year = 2024
    title = factory.LazyAttribute(lambda o: f"Kế hoạch kiểm định năm {o.year}")


class PlannedSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedSchool

    plan = factory.SubFactory(PlanFactory)
    school = factory.LazyAttribute(lambda o: SchoolFactory(reviewing_unit=o.plan.unit))


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    unit = factory.SubFactory(UnitFactory)
    year = 2027
    number = 1
    dossier_date = datetime.date(2027, 1, 9)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundRegistration

    round = factory.SubFactory(RoundFactory)
    school = factory.LazyAttribute(lambda o: SchoolFactory(reviewing_unit=o.round.unit))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    round = factory.SubFactory(RoundFactory)
    owner = Milestone.Owner.SCHOOL
    title = factory.Sequence(lambda n: f"Mốc {n}")
    due_date = datetime.date(2027, 1, 9)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    school = factory.SubFactory(SchoolFactory)
    decision_number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-SGDĐT")
    decision_date = datetime.date(2024, 6, 12)
    issuing_body = "Sở Giáo dục và Đào tạo Hà Nội"
    accreditation_level = 2
    national_standard_level = 1


class PeriodicReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicReport

    status = PeriodicReport.Status.SUBMITTED


def periodic_in_status(status: str, school, deadline, principal, reviewer) -> PeriodicReport:
    """The school's periodic report for the deadline, taken to ``status`` through the services."""
    from evaluations import services

    report = services.periodic_report_open(school=school, deadline=deadline, by=principal)
    path = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "start_review"],
        "returned": ["submit", "start_review", "return"],
        "resubmitted": ["submit", "start_review", "return", "submit"],
        "accepted": ["submit", "start_review", "accept"],
    }[status]
    for action in path:
        report = periodic_act(action, report, principal, reviewer)
    assert report.status == status
    return report


def periodic_act(action: str, report, principal, reviewer):
    """One workflow move, made by the principal (submit, withdraw) or the reviewer (the others)."""
    from evaluations import services

    if action == "submit":
        return services.periodic_report_submit(report=report, by=principal)
    if action == "withdraw":
        return services.periodic_report_withdraw(report=report, by=principal)
    if action == "start_review":
        return services.periodic_report_start_review(report=report, by=reviewer)
    if action == "return":
        return services.periodic_report_return(report=report, by=reviewer, reason="Bổ sung tiến độ")
    if action == "accept":
        return services.periodic_report_accept(report=report, by=reviewer, note="Đạt")
    return services.periodic_report_unlock(report=report, by=reviewer, reason="Sửa số liệu")
