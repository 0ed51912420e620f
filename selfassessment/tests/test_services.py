"""Services of the reports: creation, copy from last year, texts and conflicts, verdicts and levels,
the improvement plan, council and plan, Phần I, citations rewritten on renumbering."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from schools.models import School
from selfassessment import services
from selfassessment.models import (
    CouncilMember,
    CriterionAssessment,
    DataTable,
    ImprovementAction,
    IndicatorVerdict,
    Level4Verdict,
    Passage,
    PassageRevision,
    PlanStep,
    Report,
    WorkingGroup,
)
from standards.models import Level4Requirement, RegulationVersion

from .factories import add_evidence, criterion, indicator, load_catalog

pytestmark = pytest.mark.django_db


def passage(report, key) -> Passage:
    return Passage.objects.get(report=report, key=key)


def write(report, key, text, by):
    p = passage(report, key)
    return services.passage_save(passage=p, text=text, base_revision=p.revision, by=by)


def set_all_verdicts(report, by, met=True, *, level=None):
    for v in IndicatorVerdict.objects.filter(report=report).select_related("indicator"):
        if level is None or v.indicator.level == level:
            services.indicator_verdict_set(report=report, indicator=v.indicator, met=met, by=by)


# --- Creation ---------------------------------------------------------------------------------


def test_create_builds_the_whole_structure_of_the_regulation_version(report):
    assert report.status == Report.Status.DRAFT and report.is_editable
    assert report.regulation_version.regulation.code == "TEST/2018"
    assert CriterionAssessment.objects.filter(report=report).count() == 6
    # 2 + 1 + 1 indicators per criterion, 1.2 without Mức 3.
    assert IndicatorVerdict.objects.filter(report=report, met__isnull=True).count() == 23
    assert Level4Verdict.objects.filter(report=report).count() == 2
    keys = list(Passage.objects.filter(report=report).order_by("position").values_list("key", flat=True))
    assert keys[0] == "introduction" and keys[-1] == "conclusion"
    assert "indicator:1.2:3:a" not in keys and "indicator:1.1:3:a" in keys
    assert keys.index("standard:1:opening") < keys.index("indicator:1.1:1:a") < keys.index("standard:1:conclusion")
    assert DataTable.objects.filter(report=report).count() == 6
    # Nothing is met yet: Mức 0, with the reason.
    assert report.school_level == 0
    assert {b["code"] for b in report.level_blockers} >= {"criterion_below"}


def test_create_chooses_the_version_in_force_for_the_level_within_the_school_year(regulation, school_a, principal_a,
                                                                                  school_year):
    # An amended version from 25/01/2025 applies to a report written during 2024-2025 (end of the year).
    base = RegulationVersion.objects.get(regulation=regulation, is_base=True)
    amended = RegulationVersion.objects.create(regulation=regulation, code="TT22/2024", effective=datetime.date(2025, 1, 25),
                                               position=1)
    for standard in base.standards.all():
        copy = standard.__class__.objects.create(version=amended, number=standard.number, title=standard.title,
                                                 position=standard.position)
        for c in standard.criteria.all():
            new = c.__class__.objects.create(standard=copy, number=c.number, title=c.title, position=c.position)
            for i in c.indicators.all():
                i.__class__.objects.create(criterion=new, level=i.level, key=i.key, text=i.text, position=i.position)
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a,
                                    today=datetime.date(2024, 10, 1))
    assert report.regulation_version == base and report.regulation_date == datetime.date(2024, 10, 1)
    report.delete()
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a,
                                    today=datetime.date(2026, 3, 1))
    assert report.regulation_version == amended and report.regulation_date == school_year.end_date


def test_only_the_principal_creates(regulation, school_a, school_year, staff_a, principal_b):
    for user in (staff_a, principal_b):
        with pytest.raises(PermissionDenied):
            services.report_create(school=school_a, school_year=school_year, kind="periodic", by=user)


def test_no_regulation_for_the_level_is_a_clear_error(regulation, district, school_year):
    from conftest import _persona
    from schools.models import Membership

    preschool = School.objects.create(code="MN-X", name="Trường MN X", level="mn", reviewing_unit=district)
    principal = _persona("principal_mn", Membership.Role.PRINCIPAL, school=preschool)
    with pytest.raises(services.ReportError, match="Chưa có bộ tiêu chuẩn áp dụng cho cấp học Mầm non"):
        services.report_create(school=preschool, school_year=school_year, kind="periodic", by=principal)


def test_one_open_report_per_school_year_and_kind(report, principal_a):
    with pytest.raises(services.ReportError, match="đã có báo cáo"):
        services.report_create(school=report.school, school_year=report.school_year, kind="periodic", by=principal_a)
    # Another kind is fine.
    services.report_create(school=report.school, school_year=report.school_year, kind="external", by=principal_a)
    # The database itself refuses a second open report, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(school=report.school, school_year=report.school_year, kind="periodic",
                              regulation_version=report.regulation_version, regulation_date=report.regulation_date)
    # A closed report leaves the place free (the workflow of part 4 closes reports).
    Report.objects.filter(pk=report.pk).update(status=Report.Status.CLOSED)
    services.report_create(school=report.school, school_year=report.school_year, kind="periodic", by=principal_a)


# --- Copy from last year -------------------------------------------------------------------------


@pytest.fixture
def last_report(regulation, school_a, last_year, principal_a):
    old = services.report_create(school=school_a, school_year=last_year, kind="periodic", by=principal_a)
    write(old, "introduction", "Giới thiệu năm trước.", principal_a)
    write(old, "indicator:1.1:1:a", "Hiện trạng năm trước [H1-1.1-01].", principal_a)
    services.indicator_verdict_set(report=old, indicator=indicator(old, "1.1", 1, "a"), met=True, by=principal_a)
    services.indicator_verdict_set(report=old, indicator=indicator(old, "1.1", 1, "b"), met=False, by=principal_a)
    c11 = criterion(old, "1.1")
    services.improvement_actions_save(report=old, criterion=c11, token=services.actions_token([]), by=principal_a, items=[
        {"id": None, "action": "Đang làm", "responsible": "HT"},
        {"id": None, "action": "Đã xong", "responsible": "HT"},
    ])
    ImprovementAction.objects.filter(report=old, action="Đã xong").update(status="done")
    services.council_update(report=old, decision_number="12/QĐ", decision_date=datetime.date(2023, 9, 10), by=principal_a)
    chair = services.council_member_save(report=old, member=CouncilMember(full_name="Chủ tịch", role="chair"),
                                         by=principal_a, user=principal_a)
    services.working_group_save(report=old, group=WorkingGroup(name="Nhóm 1", leader=chair), members=[chair],
                                criteria=[c11], by=principal_a)
    services.plan_save(report=old, resources={c11.pk: ("Hồ sơ", "Tháng 9")}, steps=[{"week": 1, "activity": "Họp"}],
                       token=services.plan_token(old), by=principal_a)
    table = DataTable.objects.get(report=old, key="classes")
    services.data_table_save(report=old, key="classes", base_revision=table.revision, by=principal_a,
                             raw={("grade_6", "2023-2024"): "4", ("grade_6", "2019-2020"): "3"})
    services.report_facts_update(report=old, completed_cohorts=30, by=principal_a)
    return old


def test_start_from_last_year_copies_everything_marked_to_be_reviewed(last_report, school_year, principal_a):
    report = services.report_create(school=last_report.school, school_year=school_year, kind="periodic", by=principal_a,
                                    copy_previous=True)
    assert report.copied_from == last_report
    copied = passage(report, "indicator:1.1:1:a")
    assert copied.text == "Hiện trạng năm trước [H1-1.1-01]." and copied.needs_review and copied.revision == 1
    assert copied.revisions.get().source == PassageRevision.Source.COPY
    assert passage(report, "introduction").needs_review
    assert not passage(report, "conclusion").needs_review  # nothing to copy there
    verdicts = {v.indicator.key: v for v in IndicatorVerdict.objects.filter(
        report=report, indicator__criterion__number="1.1", indicator__level=1).select_related("indicator")}
    assert (verdicts["a"].met, verdicts["b"].met) == (True, False)
    assert verdicts["a"].needs_review
    actions = list(ImprovementAction.objects.filter(report=report))
    assert [a.action for a in actions] == ["Đang làm"] and actions[0].carried_from.report == last_report
    member = CouncilMember.objects.get(report=report)
    assert member.user == principal_a and member.needs_review
    assert not report.council_decision_number  # this year's council needs this year's decision
    group = WorkingGroup.objects.get(report=report)
    assert list(group.criteria.values_list("number", flat=True)) == ["1.1"]
    assert list(group.members.all()) == [member] and group.leader == member
    assert report.plan_resources.get().resources == "Hồ sơ"
    assert PlanStep.objects.get(report=report).activity == "Họp"
    table = DataTable.objects.get(report=report, key="classes")
    assert table.values == {"grade_6": {"2023-2024": 4}} and table.needs_review
    report.refresh_from_db()
    assert report.completed_cohorts == 30


def test_start_from_last_year_without_a_previous_report_is_refused(regulation, school_a, school_year, principal_a):
    with pytest.raises(services.ReportError, match="chưa có báo cáo của năm học trước"):
        services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a,
                               copy_previous=True)


def test_copy_across_regulations_keeps_only_the_general_texts(last_report, school_year, principal_a, school_a):
    other = load_catalog(code="NEW/2024", effective="2024-06-01")
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a,
                                    copy_previous=True)
    assert report.regulation_version.regulation == other
    assert passage(report, "introduction").text == "Giới thiệu năm trước."
    assert passage(report, "indicator:1.1:1:a").text == ""
    assert not IndicatorVerdict.objects.filter(report=report, met__isnull=False).exists()


# --- Texts --------------------------------------------------------------------------------------


def test_saving_a_text_bumps_its_revision_history_and_the_report_version(report, principal_a):
    version = report.version
    saved = write(report, "introduction", "Đặt vấn đề.\r\nDòng hai.  ", principal_a)
    assert saved.text == "Đặt vấn đề.\nDòng hai." and saved.revision == 1 and saved.updated_by == principal_a
    history = list(saved.revisions.all())
    assert [(h.revision, h.text, h.by) for h in history] == [(1, saved.text, principal_a)]
    report.refresh_from_db()
    assert report.version == version + 1


def test_a_save_based_on_an_older_revision_is_refused_with_the_stored_text(report, principal_a, staff_a):
    p = passage(report, "introduction")
    secretary = services.council_member_save(report=report, member=CouncilMember(full_name="Thư ký", role="secretary"),
                                             by=principal_a, user=staff_a)
    assert secretary.user == staff_a
    services.passage_save(passage=p, text="Bản của thư ký", base_revision=0, by=staff_a)
    with pytest.raises(services.ConflictError) as conflict:
        services.passage_save(passage=p, text="Bản của hiệu trưởng", base_revision=0, by=principal_a)
    assert conflict.value.current.text == "Bản của thư ký" and conflict.value.current.revision == 1
    assert passage(report, "introduction").text == "Bản của thư ký"
    # Having seen it, the principal saves on top of revision 1.
    services.passage_save(passage=p, text="Bản gộp", base_revision=1, by=principal_a)
    assert passage(report, "introduction").text == "Bản gộp"


def test_saving_the_stored_text_again_is_no_change_and_no_conflict(report, principal_a):
    write(report, "introduction", "Giống nhau", principal_a)
    same = services.passage_save(passage=passage(report, "introduction"), text="Giống nhau", base_revision=0, by=principal_a)
    assert same.revision == 1


def test_autosaves_by_one_person_within_minutes_make_one_history_step(report, principal_a, staff_a):
    services.council_member_save(report=report, member=CouncilMember(full_name="Thư ký", role="secretary"),
                                 by=principal_a, user=staff_a)
    for text in ("a", "ab", "abc"):
        write(report, "introduction", text, principal_a)
    write(report, "introduction", "abcd", staff_a)
    p = passage(report, "introduction")
    steps = list(p.revisions.order_by("revision").values_list("revision", "text", "by__username"))
    assert steps == [(3, "abc", "principal_a"), (4, "abcd", "staff_a")]
    # Later than the coalescing window, a new step.
    PassageRevision.objects.filter(passage=p).update(saved_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    write(report, "introduction", "abcde", staff_a)
    assert p.revisions.count() == 3


def test_text_is_cleaned_and_bounded(report, principal_a):
    saved = write(report, "introduction", "Có\x00 ký tự\x07 lạ", principal_a)
    assert saved.text == "Có ký tự lạ"
    with pytest.raises(services.ReportError, match="quá dài"):
        write(report, "introduction", "x" * (services.MAX_TEXT_LENGTH + 1), principal_a)


def test_texts_saved_together_are_saved_as_one_by_one_or_not_at_all(report, principal_a, staff_a):
    intro, conclusion = passage(report, "introduction"), passage(report, "conclusion")
    write(report, "conclusion", "Kết luận cũ.", principal_a)
    conclusion.refresh_from_db()
    version = Report.objects.get(pk=report.pk).version
    changed = services.passages_save(report=report, texts={"introduction": " Giới thiệu. ", "conclusion": "Kết luận mới."},
                                     base_revisions={"introduction": intro.revision, "conclusion": conclusion.revision},
                                     by=principal_a)
    assert changed == 2 and Report.objects.get(pk=report.pk).version == version + 1
    intro.refresh_from_db()
    assert (intro.text, intro.revision, intro.updated_by) == (" Giới thiệu.", 1, principal_a)
    # The principal's second edit within minutes joins her first history step, as a single save does.
    assert list(PassageRevision.objects.filter(passage=conclusion).values_list("revision", "text")) == [(2, "Kết luận mới.")]
    # A text changed since its base revision, or an unknown key, refuses the whole batch.
    with pytest.raises(services.ConflictError):
        services.passages_save(report=report, texts={"introduction": "A", "conclusion": "B"},
                               base_revisions={"introduction": 1, "conclusion": 1}, by=principal_a)
    with pytest.raises(services.ReportError):
        services.passages_save(report=report, texts={"introduction": "A", "no-such-text": "B"},
                               base_revisions={"introduction": 1}, by=principal_a)
    # The same permission as one text: a staff member outside the council writes nothing.
    with pytest.raises(PermissionDenied):
        services.passages_save(report=report, texts={"introduction": "C"}, base_revisions={"introduction": 1}, by=staff_a)
    assert list(Passage.objects.filter(report=report, key__in=["introduction", "conclusion"]).order_by("key")
                .values_list("text", flat=True)) == ["Kết luận mới.", " Giới thiệu."]


def test_restore_puts_an_earlier_text_back_as_a_new_step(report, principal_a):
    write(report, "introduction", "Một", principal_a)
    PassageRevision.objects.update(saved_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    write(report, "introduction", "Hai", principal_a)
    first = PassageRevision.objects.get(text="Một")
    p = passage(report, "introduction")
    restored = services.passage_restore(passage=p, revision=first, base_revision=p.revision, by=principal_a)
    assert restored.text == "Một" and restored.revision == 3
    assert p.revisions.order_by("-revision").first().source == PassageRevision.Source.RESTORE


def test_mark_reviewed_clears_the_flag_without_changing_the_text(report, principal_a):
    p = passage(report, "introduction")
    Passage.objects.filter(pk=p.pk).update(needs_review=True, text="Cũ", revision=1)
    reviewed = services.passage_mark_reviewed(passage=p, by=principal_a)
    assert not reviewed.needs_review and reviewed.text == "Cũ" and reviewed.revision == 1


def test_no_text_is_written_in_a_report_that_is_not_editable(report, principal_a):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        write(report, "introduction", "Sau khi nộp", principal_a)


# --- Verdicts and levels --------------------------------------------------------------------------


def test_levels_follow_the_verdicts_at_once(report, principal_a):
    set_all_verdicts(report, principal_a, True, level=1)
    report.refresh_from_db()
    assert report.school_level == 1
    levels = dict(CriterionAssessment.objects.filter(report=report).values_list("criterion__number", "level"))
    assert set(levels.values()) == {1}
    set_all_verdicts(report, principal_a, True, level=2)
    report.refresh_from_db()
    # 1.2 has no Mức 3 indicator, so it reaches Mức 3 with its Mức 2; the others stop at 2.
    assert report.school_level == 2
    assert CriterionAssessment.objects.get(report=report, criterion__number="1.2").level == 3
    set_all_verdicts(report, principal_a, True, level=3)
    report.refresh_from_db()
    assert report.school_level == 3
    # One indicator back to không đạt: the criterion drops, and the explanation names it.
    services.indicator_verdict_set(report=report, indicator=indicator(report, "2.1", 2), met=False, by=principal_a)
    report.refresh_from_db()
    assessment = CriterionAssessment.objects.get(report=report, criterion__number="2.1")
    assert assessment.level == 1 and report.school_level == 1
    assert assessment.blockers == [{"code": "indicator_not_met", "target": "criterion", "level": 2, "criterion": "2.1",
                                    "indicator_level": 2, "indicator": "a"}]
    from selfassessment import levels

    assert levels.criterion_explanation(assessment) == ["Chỉ báo a Mức 2 của tiêu chí 2.1 chưa đạt."]
    assert "Tiêu chí 2.1 mới đạt Mức 1" in levels.report_explanation(report, "school_level")[0]


def test_refresh_once_gives_the_levels_of_one_refresh_per_verdict(report, principal_a):
    """A bulk writer's block computes the levels once, at its end, and they equal those of refreshing at each verdict."""
    from selfassessment import levels

    before = report.school_level
    with transaction.atomic(), levels.refresh_once():
        set_all_verdicts(report, principal_a, True, level=1)
        set_all_verdicts(report, principal_a, True, level=2)
        report.refresh_from_db()
        assert report.school_level == before  # nothing computed yet within the block
    report.refresh_from_db()
    batched = (report.school_level, sorted(CriterionAssessment.objects.filter(report=report).values_list(
        "criterion__number", "level", "blockers")))
    assert batched[0] == 2
    with transaction.atomic():
        levels.refresh(report)
    report.refresh_from_db()
    assert (report.school_level, sorted(CriterionAssessment.objects.filter(report=report).values_list(
        "criterion__number", "level", "blockers"))) == batched
    # An error inside the block refreshes nothing (and the transaction rolls the verdicts back).
    with pytest.raises(RuntimeError), transaction.atomic(), levels.refresh_once():
        set_all_verdicts(report, principal_a, False, level=1)
        raise RuntimeError
    report.refresh_from_db()
    assert report.school_level == 2


def test_level4_needs_level3_and_every_requirement(report, principal_a):
    set_all_verdicts(report, principal_a, True)
    requirements = list(Level4Requirement.objects.filter(version=report.regulation_version))
    services.level4_verdict_set(report=report, requirement=requirements[0], met=True, by=principal_a)
    report.refresh_from_db()
    assert report.school_level == 3
    services.level4_verdict_set(report=report, requirement=requirements[1], met=True, by=principal_a)
    report.refresh_from_db()
    assert report.school_level == 4


def test_accreditation_needs_the_completed_cohorts_fact(report, principal_a):
    set_all_verdicts(report, principal_a, True, level=1)
    report.refresh_from_db()
    # Without the fact the Cấp độ is not granted, and the reason says which fact is missing.
    assert report.accreditation_level == 0
    assert any(b["code"] == "precondition_unknown" and b["target"] == "accreditation" for b in report.level_blockers)
    services.report_facts_update(report=report, completed_cohorts=5, by=principal_a)
    report.refresh_from_db()
    assert report.accreditation_level == 1 and report.national_standard == 0


def test_a_verdict_changed_by_someone_else_meanwhile_is_refused(report, principal_a):
    target = indicator(report, "1.1", 1)
    services.indicator_verdict_set(report=report, indicator=target, met=True, by=principal_a, expected=None)
    with pytest.raises(services.ConflictError):
        services.indicator_verdict_set(report=report, indicator=target, met=None, by=principal_a, expected=False)
    assert IndicatorVerdict.objects.get(report=report, indicator=target).met is True
    # Choosing what is already stored is no conflict (two people agreeing).
    services.indicator_verdict_set(report=report, indicator=target, met=True, by=principal_a, expected=False)


def test_setting_the_same_verdict_confirms_a_copied_one(report, principal_a):
    target = indicator(report, "1.1", 1)
    IndicatorVerdict.objects.filter(report=report, indicator=target).update(met=True, needs_review=True)
    services.indicator_verdict_set(report=report, indicator=target, met=True, by=principal_a)
    assert not IndicatorVerdict.objects.get(report=report, indicator=target).needs_review


def _verdict_state(report):
    report.refresh_from_db()
    return (
        sorted(IndicatorVerdict.objects.filter(report=report).values_list("indicator_id", "met", "needs_review", "updated_by_id")),
        sorted(CriterionAssessment.objects.filter(report=report).values_list("criterion_id", "level", "blockers")),
        (report.version, report.school_level, report.accreditation_level, report.national_standard, report.level_blockers),
    )


def test_verdicts_set_together_give_the_rows_of_one_call_each(report, principal_a):
    """indicator_verdicts_set: the verdicts, the "needs review" marks, the levels and the report's
    version count are those of indicator_verdict_set called for each pair in turn."""
    copied = indicator(report, "1.2", 1)
    IndicatorVerdict.objects.filter(report=report, indicator=copied).update(met=True, needs_review=True)
    pairs = [(v.indicator, v.indicator.level < 3) for v in IndicatorVerdict.objects.filter(report=report)
             .select_related("indicator").order_by("pk")]
    pairs += [(indicator(report, "2.1", 2), False), (indicator(report, "2.1", 2), True), (copied, True)]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        for target, met in pairs:
            services.indicator_verdict_set(report=report, indicator=target, met=met, by=principal_a)
        one_by_one = _verdict_state(report)
        raise Undo
    assert _verdict_state(report) != one_by_one
    services.indicator_verdicts_set(report=report, verdicts=pairs, by=principal_a)
    assert _verdict_state(report) == one_by_one
    # Nothing changes, nothing is counted.
    version = report.version
    services.indicator_verdicts_set(report=report, verdicts=pairs[:3], by=principal_a)
    report.refresh_from_db()
    assert report.version == version


def test_verdicts_set_together_are_refused_as_a_whole(report, principal_a, staff_a):
    """A writer who may not edit one of the criteria, or an indicator of another catalog, refuses the batch."""
    from django.core.exceptions import PermissionDenied

    before = _verdict_state(report)
    pairs = [(indicator(report, "1.1", 1), True), (indicator(report, "1.2", 1), True)]
    with pytest.raises(PermissionDenied):
        services.indicator_verdicts_set(report=report, verdicts=pairs, by=staff_a)
    other = load_catalog(code="OTHER/2018")
    foreign = other.versions.get().standards.get(number=1).criteria.get(number="1.1").indicators.first()
    with pytest.raises(services.ReportError):
        services.indicator_verdicts_set(report=report, verdicts=[*pairs, (foreign, True)], by=principal_a)
    assert _verdict_state(report) == before


def test_an_indicator_of_another_version_is_refused(report, principal_a):
    other = load_catalog(code="OTHER/2018")
    foreign = other.versions.get().standards.get(number=1).criteria.get(number="1.1").indicators.first()
    with pytest.raises(services.ReportError):
        services.indicator_verdict_set(report=report, indicator=foreign, met=True, by=principal_a)


# --- Improvement plan ----------------------------------------------------------------------------


def test_improvement_items_are_saved_in_order_and_replaced_as_a_list(report, principal_a):
    c = criterion(report, "1.1")
    saved = services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=services.actions_token([]),
                                              items=[{"id": None, "action": "Một", "start_on": datetime.date(2025, 9, 1),
                                                      "due_on": datetime.date(2026, 5, 31)},
                                                     {"id": None, "action": "Hai"}])
    assert [(a.action, a.position) for a in saved] == [("Một", 1), ("Hai", 2)]
    ImprovementAction.objects.filter(pk=saved[0].pk).update(status="in_progress")
    current = list(ImprovementAction.objects.filter(report=report, criterion=c).order_by("position"))
    services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=services.actions_token(current),
                                      items=[{"id": saved[1].pk, "action": "Hai (sửa)"},
                                             {"id": saved[0].pk, "action": "Một"}])
    rows = list(ImprovementAction.objects.filter(report=report, criterion=c).order_by("position"))
    assert [(a.action, a.status) for a in rows] == [("Hai (sửa)", "not_started"), ("Một", "in_progress")]
    services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=services.actions_token(rows),
                                      items=[{"id": rows[0].pk, "action": "Hai (sửa)", "delete": True}])
    assert not ImprovementAction.objects.filter(report=report, criterion=c).exists()


def test_improvement_items_changed_meanwhile_are_not_overwritten(report, principal_a):
    c = criterion(report, "1.1")
    token = services.actions_token([])
    services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=token,
                                      items=[{"id": None, "action": "Của người khác"}])
    with pytest.raises(services.ConflictError) as conflict:
        services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=token,
                                          items=[{"id": None, "action": "Của tôi"}])
    assert [a.action for a in conflict.value.current] == ["Của người khác"]


def test_improvement_item_dates_must_be_ordered(report, principal_a):
    with pytest.raises(services.ReportError, match="Ngày kết thúc phải sau ngày bắt đầu"):
        services.improvement_actions_save(report=report, criterion=criterion(report, "1.1"), by=principal_a,
                                          token=services.actions_token([]),
                                          items=[{"id": None, "action": "X", "start_on": datetime.date(2026, 1, 1),
                                                  "due_on": datetime.date(2025, 1, 1)}])
    assert not ImprovementAction.objects.exists()


# --- Council, groups, plan ------------------------------------------------------------------------


def test_council_has_one_chair_and_accounts_of_the_school_only(report, principal_a, principal_b):
    services.council_member_save(report=report, member=CouncilMember(full_name="A", role="chair"), by=principal_a)
    with pytest.raises(services.ReportError, match="mỗi Hội đồng chỉ có một Chủ tịch"):
        services.council_member_save(report=report, member=CouncilMember(full_name="B", role="chair"), by=principal_a)
    with pytest.raises(services.ReportError, match="không thuộc trường này"):
        services.council_member_save(report=report, member=CouncilMember(full_name="C", role="member"), by=principal_a,
                                     user=principal_b)


def test_a_member_edited_meanwhile_is_not_overwritten(report, principal_a):
    member = services.council_member_save(report=report, member=CouncilMember(full_name="A", role="member"), by=principal_a)
    token = services.member_token(member)
    fresh = CouncilMember.objects.get(pk=member.pk)
    fresh.title = "Giáo viên"
    services.council_member_save(report=report, member=fresh, by=principal_a, token=token)
    stale = CouncilMember.objects.get(pk=member.pk)
    stale.title = "Kế toán"
    with pytest.raises(services.ConflictError):
        services.council_member_save(report=report, member=stale, by=principal_a, token=token)


def test_member_account_is_created_as_school_staff_and_linked(report, principal_a, mailoutbox):
    member = services.council_member_save(report=report, member=CouncilMember(full_name="Lê Văn Tám", title="Giáo viên"),
                                          by=principal_a)
    account = services.council_member_account_create(member=member, username="levantam", email="tam@example.vn",
                                                     by=principal_a)
    member.refresh_from_db()
    assert member.user == account and account.full_name == "Lê Văn Tám"
    assert account.memberships.get().role == "school_staff" and account.memberships.get().school == report.school


def test_working_group_takes_criteria_and_members_of_its_report_only(report, principal_a):
    member = services.council_member_save(report=report, member=CouncilMember(full_name="A", role="member"), by=principal_a)
    other = services.report_create(school=report.school, school_year=report.school_year, kind="external", by=principal_a)
    stranger = services.council_member_save(report=other, member=CouncilMember(full_name="B"), by=principal_a)
    with pytest.raises(services.ReportError, match="không thuộc hội đồng"):
        services.working_group_save(report=report, group=WorkingGroup(name="N"), members=[stranger], criteria=[],
                                    by=principal_a)
    foreign = load_catalog(code="OTHER/2018").versions.get().standards.get(number=1).criteria.first()
    with pytest.raises(services.ReportError, match="không thuộc bộ tiêu chuẩn"):
        services.working_group_save(report=report, group=WorkingGroup(name="N"), members=[member], criteria=[foreign],
                                    by=principal_a)
    group = services.working_group_save(report=report, group=WorkingGroup(name="N", leader=member), members=[],
                                        criteria=[criterion(report, "1.1")], by=principal_a)
    assert list(group.members.all()) == [member]  # the leader is a member


def test_plan_changed_meanwhile_is_refused(report, principal_a):
    token = services.plan_token(report)
    services.plan_save(report=report, resources={}, steps=[{"week": 1, "activity": "Họp"}], token=token, by=principal_a)
    with pytest.raises(services.ConflictError):
        services.plan_save(report=report, resources={}, steps=[], token=token, by=principal_a)
    assert PlanStep.objects.filter(report=report).count() == 1


# --- Phần I ---------------------------------------------------------------------------------------


def test_data_table_saves_typed_cells_and_refuses_a_stale_save(report, principal_a):
    table = services.data_table_save(report=report, key="classes", base_revision=0, by=principal_a,
                                     raw={("grade_6", "2024-2025"): "5", ("total", "2024-2025"): "99"})
    assert table.values == {"grade_6": {"2024-2025": 5}} and table.revision == 1
    with pytest.raises(services.ConflictError):
        services.data_table_save(report=report, key="classes", base_revision=0, by=principal_a,
                                 raw={("grade_6", "2024-2025"): "6"})
    with pytest.raises(services.ReportError, match="phải là số nguyên"):
        services.data_table_save(report=report, key="classes", base_revision=1, by=principal_a,
                                 raw={("grade_6", "2024-2025"): "sáu"})
    assert DataTable.objects.get(report=report, key="classes").values == {"grade_6": {"2024-2025": 5}}


# --- Regulation change ------------------------------------------------------------------------------


def test_changing_the_regulation_moves_what_was_written_by_number(report, principal_a, sysadmin):
    write(report, "indicator:1.1:1:a", "Đã viết", principal_a)
    services.indicator_verdict_set(report=report, indicator=indicator(report, "1.1", 1), met=True, by=principal_a)
    with pytest.raises(PermissionDenied):
        services.report_regulation_change(report=report, version=report.regulation_version, by=principal_a)
    other = load_catalog(code="OTHER/2018", standards=1, criteria=2)
    version = other.versions.get()
    changed = services.report_regulation_change(report=report, version=version, by=sysadmin)
    assert changed.regulation_version == version
    moved = passage(changed, "indicator:1.1:1:a")
    assert moved.text == "Đã viết" and moved.indicator.criterion.standard.version == version
    assert IndicatorVerdict.objects.get(report=report, indicator__criterion__number="1.1", indicator__level=1,
                                        indicator__key="a").met is True
    assert CriterionAssessment.objects.filter(report=report).count() == 2
    # Standard 2 is gone; its empty texts went with it.
    assert not Passage.objects.filter(report=report, key="standard:2:opening").exists()


def test_a_regulation_for_another_level_is_refused(report, sysadmin):
    preschool = load_catalog(code="MN/2018", school_levels=("preschool",))
    with pytest.raises(services.ReportError, match="không áp dụng cho cấp học"):
        services.report_regulation_change(report=report, version=preschool.versions.get(), by=sysadmin)


# --- Evidence renumbering rewrites citations ---------------------------------------------------------


def test_renumbering_evidence_rewrites_citations_of_editable_reports_only(report, principal_a):
    from evidence import services as evidence_services

    first, second, third = add_evidence(report, "1.1", principal_a, count=3)
    assert (first.code, third.code) == ("H1-1.1-01", "H1-1.1-03")
    write(report, "indicator:1.1:1:a", f"Có quyết định [{third.code}] và kế hoạch [{second.code}; {third.code}].", principal_a)
    other = services.report_create(school=report.school, school_year=report.school_year, kind="external", by=principal_a)
    write(other, "indicator:1.1:1:a", f"Đã nộp [{third.code}].", principal_a)
    Report.objects.filter(pk=other.pk).update(status=Report.Status.SUBMITTED)
    evidence_services.evidence_delete(evidence=first, by=principal_a)  # leaves a gap at 01
    mapping = evidence_services.evidence_renumber(school=report.school, by=principal_a)
    assert mapping == {"H1-1.1-02": "H1-1.1-01", "H1-1.1-03": "H1-1.1-02"}
    text = passage(report, "indicator:1.1:1:a")
    assert text.text == "Có quyết định [H1-1.1-02] và kế hoạch [H1-1.1-01; H1-1.1-02]."
    step = text.revisions.order_by("-revision").first()
    assert step.source == PassageRevision.Source.CITATIONS and step.by == principal_a
    assert passage(other, "indicator:1.1:1:a").text == "Đã nộp [H1-1.1-03]."


def test_a_cited_item_is_reported_as_used(report, principal_a):
    from evidence.signals import usage_of

    (item,) = add_evidence(report, "1.1", principal_a)
    assert usage_of(item) == []
    write(report, "criterion:1.1:strengths", f"Tốt [{item.code}].", principal_a)
    assert usage_of(item) == ["Báo cáo năm học 2024-2025, tiêu chí 1.1"]
